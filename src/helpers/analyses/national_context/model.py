"""Section 3 of the page: would turnover alone explain it? The turnover-only model (a child's social
worker changes only when an employed worker leaves, at random), what its benchmark depends on, and a
bound that holds whatever the pattern of leaving (:func:`leaving_bound`)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from helpers.results import Section
from helpers.stats.sensitivity import Uncertain, central_range, depends_most

from .data import NationalData
from .parameters import Parameters
from .prose import times


def turnover_only_share(turnover_rate: float, workers: int = 3) -> float:
    """Share of children with at least ``workers`` social workers in a year if the worker changed
    only when the worker left, leaving at random times (a Poisson process) at a rate such that a
    given worker leaves within the year with probability ``turnover_rate``.

    Changes in a year ~ Poisson(λ) with λ = −ln(1 − turnover_rate); at least ``workers`` workers
    means at least ``workers − 1`` changes. (A child looked after for the whole year; a child
    who entered care during the year is exposed for less, so this is an upper bound for them.)
    """
    if not 0 < turnover_rate < 1:
        raise ValueError(f"turnover_rate {turnover_rate!r} must be in (0, 1)")
    lam = -math.log1p(-turnover_rate)
    return float(sps.poisson.sf(workers - 2, lam))


# ------------------------------------------------------------------ what the benchmark depends on
#: The turnover-only benchmark rests on assumptions. Two can be put on a scale and moved:
#: * the time window: DfE's turnover is for a year ending in September, the children's year ends in March,
#:   and the rate moves from year to year; its spread is that of the published England series;
#: * who is counted: the turnover covers employed social workers only. Agency workers, a published share of
#:   the workforce, hold cases too; the model assumes they leave at the same rate (a ratio of 1). How much
#:   faster or slower they leave is not published: an assumption with a wide spread.
#: The third, that workers leave at random (every child's worker equally likely to leave), is checked beside
#: the tornado: a spread of leaving rates between children (gamma-distributed rates, so that changes follow a
#: negative binomial distribution) with a coefficient of variation of RATE_SPREAD_CHECK.
AGENCY_LEAVING_RATIO_CV = 0.5
RATE_SPREAD_CHECK = 1.0
#: The benchmark's conclusion (``_model_verdict``: leaving at random would account for less than half of the
#: children with three or more workers) changes where the published share is twice the model's.
RATIO_THRESHOLD = 2.0
#: The benchmark moves its top assumption over this central share of the assumption's spread.
CENTRAL_LEVEL = 0.95
BENCHMARK_LABELS = {
    "turnover_rate": "Yearly turnover of employed social workers",
    "agency_leaving_ratio": "Agency workers' leaving rate, relative to employed workers'",
}


def turnover_series(workforce: pd.DataFrame) -> np.ndarray:
    """England's turnover rates, every year of the run's workforce series (shares)."""
    return workforce["turnover_rate_fte"].to_numpy(dtype=float) / 100


def leaving_bound(share: float, turnover_rate: float) -> dict[str, float]:
    """What workers leaving could explain, whatever the pattern of leaving.

    A child with three or more social workers in a year has had at least two changes of worker, so by
    Markov's inequality the share of children with two or more changes is at most half the mean number of
    changes a child has. If a child's worker leaves as often as the average employed worker (``lam`` =
    −ln(1 − turnover) a year, the rate of :func:`turnover_only_share`), however unevenly leaving falls on
    children, at most ``lam / 2`` of them can have three or more workers from leaving alone; for leaving to
    account for all of ``share``, children's workers would have to leave at least ``2 × share`` times a year on
    average, ``2 × share / lam`` times that rate.
    """
    if not 0 < share <= 1:
        raise ValueError(f"share {share!r} must be in (0, 1]")
    lam = -math.log1p(-turnover_rate)
    return {
        "leaving_rate": lam,
        "leaving_bound_share": min(1.0, lam / 2),
        "leaving_bound_fraction": min(1.0, lam / (2 * share)),
        "leaving_needed_ratio": 2 * share / lam,
    }


def changes_at_least(lam: Any, workers: int = 3, rate_cv: float = 0.0) -> Any:
    """Share of children with at least ``workers`` social workers when changes of worker in a year have mean
    ``lam``: Poisson if every child's worker is equally likely to leave (``rate_cv`` = 0), negative binomial
    if leaving rates vary between children with coefficient of variation ``rate_cv`` (vectorised)."""
    lam = np.asarray(lam, dtype=float)
    if rate_cv == 0:
        return sps.poisson.sf(workers - 2, lam)
    shape = 1 / rate_cv**2
    return sps.nbinom.sf(workers - 2, shape, shape / (shape + lam))


def benchmark_model(share: float, agency_share: float) -> Callable[[Mapping[str, np.ndarray]], np.ndarray]:
    """The published share over the turnover-only share (vectorised over ``turnover_rate`` and
    ``agency_leaving_ratio``): leaving at rate −ln(1 − turnover) a year among employed workers, and that rate
    times the ratio among the ``agency_share`` of case holders who are agency workers."""

    def model(x: Mapping[str, np.ndarray]) -> np.ndarray:
        lam = -np.log1p(-np.asarray(x["turnover_rate"], dtype=float))
        lam = lam * ((1 - agency_share) + agency_share * np.asarray(x["agency_leaving_ratio"], dtype=float))
        return share / changes_at_least(lam)

    return model


def benchmark_inputs(turnover_rate: float, series: np.ndarray) -> list[Uncertain]:
    """The benchmark's two uncertain inputs: turnover, with the spread of ``series`` (England's yearly rates),
    and agency workers' leaving rate relative to employed workers', with an assumed spread."""
    cv = float(series.std(ddof=1) / series.mean()) if len(series) > 1 else AGENCY_LEAVING_RATIO_CV
    return [
        Uncertain("turnover_rate", turnover_rate, cv, "share", BENCHMARK_LABELS["turnover_rate"]),
        Uncertain(
            "agency_leaving_ratio", 1.0, AGENCY_LEAVING_RATIO_CV, "positive", BENCHMARK_LABELS["agency_leaving_ratio"]
        ),
    ]


def benchmark_dependence(share: float, turnover_rate: float, agency_share: float, series: np.ndarray) -> dict[str, Any]:
    """Tornado over the benchmark's assumptions, the top one varied over the central 95% of its spread."""
    model, inputs = benchmark_model(share, agency_share), benchmark_inputs(turnover_rate, series)
    dep = depends_most(model, inputs, lambda u: central_range(u, level=CENTRAL_LEVEL), RATIO_THRESHOLD)
    lam = -math.log1p(-turnover_rate)
    uneven = share / float(changes_at_least(lam, rate_cv=RATE_SPREAD_CHECK))
    return {**dep, "uneven_ratio": uneven}


def _benchmark_value(name: str, value: float) -> str:
    """An input of the benchmark for prose: turnover as a percentage, the agency ratio as times."""
    return f"{value:.1%}" if name == "turnover_rate" else f"{value:.1f} times"


def _benchmark_holds(dep: Mapping[str, Any]) -> bool:
    """Whether the conclusion holds over the range: no crossing, and the ratio stays above the threshold."""
    return not dep["flips"] and float(dep["table"]["outcome"].min()) > RATIO_THRESHOLD


def _observed_span(series: np.ndarray) -> str:
    """The lowest and highest of England's yearly turnover rates read, in words."""
    return f"from {series.min():.1%} to {series.max():.1%}"


def _benchmark_text(dep: Mapping[str, Any], series: np.ndarray) -> str:
    top, table = dep["top"], dep["table"]
    lo, hi = float(table["outcome"].min()), float(table["outcome"].max())
    if top.name == "turnover_rate":
        span = f"turnover from {table['value'].iloc[0]:.1%} to {table['value'].iloc[-1]:.1%}"
        if len(series) > 1:
            span += (
                f" (an assumed range: the central {CENTRAL_LEVEL:.0%} of a spread around {top.base:.1%} as wide, for "
                "its average, as "
                f"England's turnover over the {len(series)} years read, which ran {_observed_span(series)})"
            )
        else:
            span += f" (the central {CENTRAL_LEVEL:.0%} of an assumed spread around {top.base:.1%})"
    else:
        span = (
            f"agency workers leaving {table['value'].iloc[0]:.1f} to {table['value'].iloc[-1]:.1f} times as often "
            "as employed ones"
        )
    verdict = (
        "so the conclusion that workers leaving at random would account for less than half of the children with "
        "three or more social workers holds over that range"
        if _benchmark_holds(dep)
        else "so the conclusion changes inside that range"
    )
    return (
        f"The ratio depends most on the {top.label[0].lower() + top.label[1:]} (found by moving each assumption in "
        f"turn): with {span}, the published share is {times(lo)} to {times(hi)} times the model's, {verdict}. If "
        f"leaving is not random but some children's workers leave far more often than others' (a spread of "
        f"leaving rates as large as their average), the ratio is about {times(dep['uneven_ratio'])}."
    )


def _turnover_year(rate: float, workforce: pd.DataFrame) -> int | None:
    """The latest year of the run's England series whose turnover rate is ``rate`` (the default's), if any."""
    for year, value in sorted(zip(workforce["year"], workforce["turnover_rate_fte"], strict=True), reverse=True):
        if math.isclose(rate, float(value) / 100, rel_tol=1e-12):
            return int(year)
    return None


def _agency_share(workforce: pd.DataFrame, year: int) -> float:
    """England's agency-worker rate (a share) of the census of ``year``, or of the latest census read."""
    row = workforce.loc[workforce["year"] == year]
    value = (
        row["agency_rate_fte"].iloc[0] if not row.empty else workforce.sort_values("year")["agency_rate_fte"].iloc[-1]
    )
    return float(value) / 100


def _model_verdict(share: float, model: float) -> str:
    """What the turnover-only model says about the published share (only under its assumptions: employed
    workers leaving at random, every child's worker equally likely to leave, children looked after all year)."""
    if model < share / 2:
        return (
            "So, under these assumptions, employed social workers leaving at random would account for only a small "
            "part of the children with three or more social workers."
        )
    if model < share:
        return "So, under these assumptions, workers leaving could account for part, but not all, of them."
    return "At this turnover, under these assumptions, workers leaving could account for all of them."


def _leaving_bound_text(bound: Mapping[str, float], share: float) -> str:
    """The bound on what leaving could explain, whatever its pattern, in words."""
    lam = bound["leaving_rate"]
    if bound["leaving_bound_fraction"] >= 1:
        return (
            f"If a child's worker leaves {lam:.2f} times a year on average (as often as the average employed worker "
            f"at this turnover), leaving alone could give every one of the {share:.0%} of children DfE counts their "
            "changes of worker: at this turnover the data do not rule it out."
        )
    return (
        f"However unevenly leaving falls on children, if a child's worker leaves {lam:.2f} times a year on average "
        f"(as often as the average employed worker at this turnover), at most {bound['leaving_bound_share']:.1%} of "
        "children could have three or more workers from leaving alone: each such child has had at least two changes, "
        "so their share is at most half the average number of changes per child. That is at most "
        f"{bound['leaving_bound_fraction']:.0%} of the children DfE counts with three or more workers; for leaving "
        f"to account for all of them, children's workers would have to leave at least "
        f"{bound['leaving_needed_ratio']:.1f} times as often as the average employed worker."
    )


def _reading_text(share: float, turnover_rate: float) -> tuple[dict[str, float], str]:
    """The model read with DfE's turnover taken directly as a rate of leaving (λ = t), beside the page's reading
    (λ = −ln(1 − t), larger for every t, so the page's reading gives leaving the more room)."""
    lam = -math.log1p(-turnover_rate)
    direct = float(changes_at_least(turnover_rate))
    bound_page = min(1.0, lam / (2 * share))
    bound_direct = min(1.0, turnover_rate / (2 * share))
    values = {"turnover_only_share_direct": direct, "leaving_bound_fraction_direct": bound_direct}
    text = (
        f"DfE's turnover is the full-time equivalent who left during the year divided by the full-time equivalent "
        f"in post: a rate per worker-year, which read directly gives λ = t = {turnover_rate:.3f}. The page reads it "
        f"instead as the probability that a worker leaves within the year, λ = −ln(1 − t) = {lam:.3f}, which is "
        f"larger whatever the turnover, so it gives leaving more room, not less: read directly, the model's share "
        f"would be {direct:.2%} (DfE's share {times(share / direct)} times it) and leaving could explain at most "
        f"{bound_direct:.0%} of the children DfE counts, against {bound_page:.0%} on the page's reading."
    )
    return values, text


def _census_turnover(workforce: pd.DataFrame, year: int) -> float | None:
    """England's turnover (a share) in the census of 30 September ``year``, if the run's series holds it."""
    row = workforce.loc[workforce["year"] == year, "turnover_rate_fte"]
    return float(row.iloc[0]) / 100 if len(row) and not math.isnan(float(row.iloc[0])) else None


def matched_turnover(workforce: pd.DataFrame, cla_year: int) -> tuple[float, float] | None:
    """The turnover of the two workforce years (to 30 September ``cla_year`` − 1 and ``cla_year``) that the
    children's year (April ``cla_year`` − 1 to March ``cla_year``) overlaps by six months each, or None when the
    series lacks either."""
    before, after = _census_turnover(workforce, cla_year - 1), _census_turnover(workforce, cla_year)
    return None if before is None or after is None else (before, after)


def _period_scalars(workforce: pd.DataFrame, cla_year: int, share: float, model_share: float) -> dict[str, Any]:
    """The model at the turnover matched to the children's year: the mean of the two workforce years it overlaps."""
    pair = matched_turnover(workforce, cla_year)
    year = f"The children's year, April {cla_year - 1} to March {cla_year},"
    if pair is None:
        return {
            "turnover_period_text": (
                f"{year} overlaps the workforce years to 30 September {cla_year - 1} and {cla_year} by six months "
                "each; the workforce series read does not hold both, so the page gives no turnover matched to it."
            )
        }
    before, after = pair
    matched = (before + after) / 2
    matched_share = turnover_only_share(matched)
    verdict = _model_verdict(share, matched_share)
    same = verdict == _model_verdict(share, model_share)
    return {
        "turnover_matched": matched,
        "turnover_matched_ratio": share / matched_share,
        "turnover_period_text": (
            f"{year} overlaps the workforce years to 30 September {cla_year - 1} (turnover {before:.1%}) and to "
            f"30 September {cla_year} ({after:.1%}) by six months each. At their mean, {matched:.1%}, the model gives "
            f"{matched_share:.2%} and DfE's share is about {times(share / matched_share)} times it"
            + (": the conclusion is the same." if same else f". {verdict}")
        ),
    }


def _benchmark_scalars(bench: Mapping[str, Any], series: np.ndarray) -> dict[str, Any]:
    """What the page says about the benchmark's dependence on its assumptions."""
    top, table = bench["top"], bench["table"]
    low, high = float(table["value"].iloc[0]), float(table["value"].iloc[-1])
    holds = _benchmark_holds(bench)
    return {
        "benchmark_top_input": top.name,
        "benchmark_top_label": top.label[0].lower() + top.label[1:],
        "benchmark_ratio_low": float(table["outcome"].min()),
        "benchmark_ratio_high": float(table["outcome"].max()),
        "benchmark_range_low": low,
        "benchmark_range_high": high,
        "benchmark_ratio_uneven": bench["uneven_ratio"],
        "benchmark_ratio_uneven_text": times(bench["uneven_ratio"]),
        "benchmark_conclusion_holds": holds,
        "benchmark_holds_words": (
            "so its conclusion holds over that range" if holds else "so its conclusion changes inside that range"
        ),
        "benchmark_range_low_text": _benchmark_value(top.name, low),
        "benchmark_range_high_text": _benchmark_value(top.name, high),
        "benchmark_dependence_text": _benchmark_text(bench, series),
    }


def turnover_section(data: NationalData, share: float, year: int, p: Parameters) -> Section:
    """Section 3: the turnover-only model's share beside England's, what the comparison depends on, and the bound
    that holds whatever the pattern of leaving. ``year`` is the children's year (to 31 March)."""
    model_share = turnover_only_share(p.turnover_rate)
    agency_share = _agency_share(data.workforce, year)
    series = turnover_series(data.workforce)
    bench = benchmark_dependence(share, p.turnover_rate, agency_share, series)
    bound = leaving_bound(share, p.turnover_rate)
    turnover_year = _turnover_year(p.turnover_rate, data.workforce)
    direct, reading_text = _reading_text(share, p.turnover_rate)
    scalars = {
        "turnover_rate": p.turnover_rate,
        "turnover_only_share": model_share,
        "observed_to_model_ratio": share / model_share,
        "observed_to_model_ratio_text": times(share / model_share),
        "turnover_model_verdict": _model_verdict(share, model_share),
        "agency_share_model": agency_share,
        **_benchmark_scalars(bench, series),
        **_period_scalars(data.workforce, year, share, model_share),
        **direct,
        "turnover_reading_text": reading_text,
        "leaving_bound_share": bound["leaving_bound_share"],
        "leaving_bound_fraction": bound["leaving_bound_fraction"],
        "leaving_needed_ratio": bound["leaving_needed_ratio"],
        "leaving_bound_text": _leaving_bound_text(bound, share),
        "turnover_series_text": (
            f"England's turnover in the {len(series)} years of the workforce series read ({_observed_span(series)})"
            if len(series) > 1
            else "an assumed spread (the workforce file holds one year)"
        ),
        "turnover_source_text": (
            f"England's rate for the year to 30 September {turnover_year}, which "
            "counts leavers among social workers employed by local authorities (agency workers are not in it)"
            if turnover_year is not None
            else "a rate set by the parameter turnover_rate"
        ),
    }
    tables = {"benchmark_tornado": bench["tornado"], "benchmark_dependence": bench["table"]}
    return Section(scalars, tables, {"model_share": model_share, "benchmark_base": float(bench["top"].base)})
