"""Section 3 of the page: would turnover alone explain it? The turnover-only model (a child's social
worker changes only when the worker leaves), and what its benchmark depends on."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from scipy import stats as sps

from helpers.page.registry import published_share
from helpers.results import Section
from helpers.stats.sensitivity import Uncertain, central_range, depends_most

from .data import WORKFORCE_YEARS
from .parameters import Parameters


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
#: The benchmark's conclusion (``_model_verdict``) changes where the published share is twice the model's.
RATIO_THRESHOLD = 2.0
BENCHMARK_LABELS = {
    "turnover_rate": "Yearly turnover of employed social workers",
    "agency_leaving_ratio": "Agency workers' leaving rate, relative to employed workers'",
}


def turnover_series() -> np.ndarray:
    """England's published turnover rates, every year of the workforce series (shares)."""
    return np.array([published_share(f"dfe_turnover_{y}") for y in WORKFORCE_YEARS])


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


def benchmark_inputs(turnover_rate: float) -> list[Uncertain]:
    series = turnover_series()
    cv = float(series.std(ddof=1) / series.mean())
    return [
        Uncertain("turnover_rate", turnover_rate, cv, "share", BENCHMARK_LABELS["turnover_rate"]),
        Uncertain(
            "agency_leaving_ratio", 1.0, AGENCY_LEAVING_RATIO_CV, "positive", BENCHMARK_LABELS["agency_leaving_ratio"]
        ),
    ]


def benchmark_dependence(share: float, turnover_rate: float, agency_share: float) -> dict[str, Any]:
    """Tornado over the benchmark's assumptions, the top one varied over the central 95% of its spread."""
    model, inputs = benchmark_model(share, agency_share), benchmark_inputs(turnover_rate)
    dep = depends_most(model, inputs, central_range, RATIO_THRESHOLD)
    lam = -math.log1p(-turnover_rate)
    uneven = share / float(changes_at_least(lam, rate_cv=RATE_SPREAD_CHECK))
    return {**dep, "uneven_ratio": uneven}


def _benchmark_value(name: str, value: float) -> str:
    """An input of the benchmark for prose: turnover as a percentage, the agency ratio as times."""
    return f"{value:.1%}" if name == "turnover_rate" else f"{value:.1f} times"


def _benchmark_holds(dep: Mapping[str, Any]) -> bool:
    """Whether the conclusion holds over the range: no crossing, and the ratio stays above the threshold."""
    return not dep["flips"] and float(dep["table"]["outcome"].min()) > RATIO_THRESHOLD


def _benchmark_text(dep: Mapping[str, Any]) -> str:
    top, table = dep["top"], dep["table"]
    lo, hi = float(table["outcome"].min()), float(table["outcome"].max())
    if top.name == "turnover_rate":
        span = f"turnover from {table['value'].iloc[0]:.1%} to {table['value'].iloc[-1]:.1%}"
    else:
        span = (
            f"agency workers leaving {table['value'].iloc[0]:.1f} to {table['value'].iloc[-1]:.1f} times as often "
            "as employed ones"
        )
    verdict = (
        "so the conclusion that most changes come from something other than workers leaving holds over that range"
        if _benchmark_holds(dep)
        else "so the conclusion changes inside that range"
    )
    return (
        f"It depends most on the {top.label[0].lower() + top.label[1:]} (found by moving each assumption in "
        f"turn): with {span}, the published share is {lo:.0f} to {hi:.0f} times the model's, {verdict}. If "
        f"leaving is not random but some children's workers leave far more often than others' (a spread of "
        f"leaving rates as large as their average), the ratio is about {dep['uneven_ratio']:.0f}."
    )


def _turnover_year(rate: float) -> int | None:
    """The year of the registry's England turnover rate equal to ``rate`` (the default), if any."""
    for year in sorted(WORKFORCE_YEARS, reverse=True):
        if math.isclose(rate, published_share(f"dfe_turnover_{year}"), rel_tol=1e-12):
            return year
    return None


def _model_verdict(share: float, model: float) -> str:
    """What the turnover-only model says about the published share."""
    if model < share / 2:
        return "So most changes of worker come from something other than workers leaving."
    if model < share:
        return "So workers leaving could account for part, but not all, of the changes of worker."
    return "At this turnover, workers leaving could account for all of the changes of worker."


def _benchmark_scalars(bench: Mapping[str, Any]) -> dict[str, Any]:
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
        "benchmark_conclusion_holds": holds,
        "benchmark_holds_words": (
            "so its conclusion holds over that range" if holds else "so its conclusion changes inside that range"
        ),
        "benchmark_range_low_text": _benchmark_value(top.name, low),
        "benchmark_range_high_text": _benchmark_value(top.name, high),
        "benchmark_dependence_text": _benchmark_text(bench),
    }


def turnover_section(share: float, p: Parameters) -> Section:
    """Section 3: the turnover-only model's share beside England's, and what the comparison depends on."""
    model_share = turnover_only_share(p.turnover_rate)
    agency_share = published_share("dfe_agency_rate_2024")
    bench = benchmark_dependence(share, p.turnover_rate, agency_share)
    year = _turnover_year(p.turnover_rate)
    scalars = {
        "turnover_rate": p.turnover_rate,
        "turnover_only_share": model_share,
        "observed_to_model_ratio": share / model_share,
        "turnover_model_verdict": _model_verdict(share, model_share),
        "agency_share_model": agency_share,
        **_benchmark_scalars(bench),
        "turnover_source_text": (
            f"the published England rate for the year to 30 September {year}, which "
            "counts leavers among social workers employed by local authorities (agency workers are not in it)"
            if year is not None
            else "a rate set by the parameter turnover_rate"
        ),
    }
    tables = {"benchmark_tornado": bench["tornado"], "benchmark_dependence": bench["table"]}
    return Section(scalars, tables, {"model_share": model_share, "benchmark_base": float(bench["top"].base)})
