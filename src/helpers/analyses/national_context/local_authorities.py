"""Sections 2 and 5 of the page, from the official files: how much local authorities differ (a funnel
plot of each authority's share, after small-cell suppression), and how their shares relate to their
workforce (correlations). Built from the registry, the page says what a run with the files would add."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from helpers.inputs.records import MAX_ROWS_SHOWN
from helpers.inputs.suppression import suppress
from helpers.results import Section
from helpers.stats.proportions import binomial_test_greater, format_p

from .data import MISSING_THREE_PLUS, MISSING_TOTAL, NationalData
from .england import count_table
from .parameters import Parameters
from .prose import percent, signed

#: Funnel-plot limits: the conventional 95% and 99.8% (about 2 and 3 standard deviations).
FUNNEL_COVERAGES = (0.95, 0.998)
#: The authorities' workforce measures set beside their shares, with their names in prose.
WORKFORCE_MEASURES = (
    ("turnover_rate_fte", "turnover rate"),
    ("agency_rate_fte", "agency-worker rate"),
    ("caseload_fte", "average caseload"),
)


def funnel_limits(p: float, n: np.ndarray, coverage: float) -> tuple[np.ndarray, np.ndarray]:
    """Control limits of a funnel plot for a proportion: the range of shares within which a unit
    with ``n`` cases would fall with probability ``coverage`` if its true share were ``p``.

    Exact binomial limits with the interpolation of Spiegelhalter (2005, *Statistics in
    Medicine* 24:1185–1202): with r the ``q`` quantile of Binomial(n, p) and
    α = (F(r) − q) / (F(r) − F(r − 1)), the limit is (r − α) / n.
    """
    n = np.asarray(n, dtype=float)

    def limit(q: float) -> np.ndarray:
        r = sps.binom.ppf(q, n, p)
        f_r, f_below = sps.binom.cdf(r, n, p), sps.binom.cdf(r - 1, n, p)
        alpha = np.where(f_r > f_below, (f_r - q) / np.where(f_r > f_below, f_r - f_below, 1.0), 0.0)
        return np.clip((r - alpha) / n, 0.0, 1.0)

    tail = (1 - coverage) / 2
    return limit(tail), limit(1 - tail)


def pearson(x: np.ndarray, y: np.ndarray, level: float) -> dict[str, float]:
    """Pearson's r with its confidence interval (Fisher's z transformation, as scipy computes it)."""
    res = sps.pearsonr(x, y)
    ci = res.confidence_interval(confidence_level=level)
    return {
        "r": float(res.statistic),
        "low": float(ci.low),
        "high": float(ci.high),
        "n": len(x),
        "p": float(res.pvalue),
    }


@dataclass(frozen=True)
class Authorities:
    """The local authorities of the latest year, after suppression."""

    year: int  # the children's year (the latest in the file)
    counted: pd.DataFrame  # authorities whose two counts were published
    not_published: pd.DataFrame  # authorities with a count missing (DfE's reason, or a missing row)
    hidden: np.ndarray  # rows of ``counted`` whose counts are suppressed here
    shown: pd.DataFrame  # authorities shown: share, and whether outside the 99.8% limits
    workforce_year: int  # the workforce census set beside ``year``
    correlations: dict[str, dict[str, Any]]  # by workforce measure: label, r, low, high, n, p


def _with_regions(la: pd.DataFrame, hidden: np.ndarray, not_published: pd.DataFrame) -> np.ndarray:
    """Hidden authorities, read with the regional table (each region's counts are shown, and are the
    sum of its authorities'): a region with exactly one authority whose counts are not shown (hidden
    here, none unpublished) would give that authority's counts by subtraction, so the smallest other
    authority of the region with children is hidden too."""
    hidden = hidden.copy()
    unpublished = set(not_published["region_name"].astype(str))
    regions = la["region_name"].astype(str).to_numpy()
    for region in dict.fromkeys(regions):
        if region in unpublished:
            continue
        inside = regions == region
        if (hidden & inside).sum() == 1:
            candidates = np.flatnonzero(inside & ~hidden & (la["total"].to_numpy() > 0))
            if len(candidates):
                hidden[candidates[np.argmin(la["total"].to_numpy()[candidates])]] = True
    return hidden


def _correlations(shown: pd.DataFrame, workforce: pd.DataFrame, level: float) -> dict[str, dict[str, Any]]:
    """Pearson correlations of the shown authorities' shares with each workforce measure (four authorities
    or more)."""
    joined = shown.merge(workforce, on="new_la_code", how="inner")
    correlations = {}
    for column, label in WORKFORCE_MEASURES:
        pair = joined[["share", column]].dropna()
        if len(pair) >= 4:
            correlations[column] = {"label": label, **pearson(pair["share"].to_numpy(), pair[column].to_numpy(), level)}
    return correlations


def authorities(data: NationalData, p: Parameters, england_share: float) -> Authorities:
    """The authorities of England's latest year: those whose counts can be shown after suppression (with the
    regional table), each against the funnel's limits, and correlated with the workforce."""
    assert data.la is not None and data.la_workforce is not None, "the local-authority tables come from the files"
    year = int(data.cla["year"].max())
    la = data.la.loc[data.la["year"] == year].copy()
    published_rows = la["total"].notna() & la["three_plus"].notna()
    not_published = la.loc[~published_rows]
    la = la.loc[published_rows].copy()
    la["total"] = la["total"].astype("int64")
    la["three_plus"] = la["three_plus"].astype("int64")
    s = suppress(count_table(la, "la_name"), p.min_cell_count)
    hidden = _with_regions(la, s.mask.any(axis=1).to_numpy(), not_published)
    shown = la.loc[~hidden & (la["total"] > 0).to_numpy()].copy()
    shown["share"] = shown["three_plus"] / shown["total"]
    lo998, hi998 = funnel_limits(england_share, shown["total"].to_numpy(), FUNNEL_COVERAGES[1])
    shown["outside_998"] = (shown["share"] < lo998) | (shown["share"] > hi998)
    wf_year = year + p.workforce_year_offset
    workforce = data.la_workforce.loc[lambda d: d["year"] == wf_year].drop(columns="year")
    return Authorities(year, la, not_published, hidden, shown, wf_year, _correlations(shown, workforce, p.ci_level))


# ------------------------------------------------------------------ section 2: how much authorities differ
def _left_out_text(a: Authorities, min_cell_count: int) -> str:
    """The authorities left out, and why: counts DfE did not publish, rows missing from the file,
    counts suppressed here, authorities with no children looked after."""
    not_published = a.not_published
    left_out = []
    if len(not_published):
        reasons = (
            not_published["three_plus_status"]
            .where(not_published["three_plus_status"] != "reported", not_published["total_status"])
            .value_counts()
        )

        def reason_text(reason: str, n: int) -> str:
            if reason in (MISSING_TOTAL, MISSING_THREE_PLUS):  # a gap in the file, not DfE's suppression: named
                names = not_published.loc[
                    (not_published["total_status"] == reason) | (not_published["three_plus_status"] == reason),
                    "la_name",
                ].astype(str)
                shown_names = ", ".join(names.head(MAX_ROWS_SHOWN)) + (", ..." if len(names) > MAX_ROWS_SHOWN else "")
                return f"{reason}: {n} ({shown_names})"
            return f"{reason}: {n}"

        left_out.append(
            f"{len(not_published)} whose counts cannot be used ("
            + ", ".join(reason_text(k, v) for k, v in reasons.items())
            + ")"
        )
    n_hidden = int(a.hidden.sum())
    if n_hidden:
        left_out.append(
            f"{n_hidden} whose counts are suppressed here (fewer than {min_cell_count} children in a cell, "
            "or a cell that would reveal one)"
        )
    n_zero = int((~a.hidden & (a.counted["total"] == 0).to_numpy()).sum())
    if n_zero:
        left_out.append(f"{n_zero} with no children looked after")
    return (" Left out: " + "; ".join(left_out) + ".") if left_out else ""


def _quartiles(shown: pd.DataFrame) -> np.ndarray:
    return np.quantile(shown["share"], [0.25, 0.5, 0.75])


def _variation_text(a: Authorities, min_cell_count: int) -> str:
    """The range of the authorities' shares, the middle half, and those left out."""
    shown, left_text = a.shown, _left_out_text(a, min_cell_count)
    if not len(shown):
        return f"In {a.year}, no local authority can be shown.{left_text}"
    lo_row = shown.loc[shown["share"].idxmin()]
    hi_row = shown.loc[shown["share"].idxmax()]
    q1, median, q3 = _quartiles(shown)
    return (
        f"In {a.year}, across the {len(shown)} local authorities shown, the share of children looked after who had "
        f"three or more social workers ranged from {percent(lo_row['share'])} ({lo_row['la_name']}) to "
        f"{percent(hi_row['share'])} ({hi_row['la_name']}); the middle half of authorities lay between "
        f"{percent(q1)} and {percent(q3)} (median {percent(median)}).{left_text}"
    )


def _beyond_chance(shown: pd.DataFrame) -> tuple[int, float, float]:
    """How many authorities lie outside the 99.8% limits, how many chance alone would put there, and the
    one-sided binomial p-value of the count (if authorities differed only by chance, each would fall outside
    with probability 1 − coverage)."""
    n_out = int(shown["outside_998"].sum())
    tail = 1 - FUNNEL_COVERAGES[1]
    return n_out, tail * len(shown), binomial_test_greater(n_out, len(shown), tail)


def _funnel_text(a: Authorities) -> str:
    """How many authorities lie outside the 99.8% limits, against what chance alone would put there."""
    shown = a.shown
    if not len(shown):
        return "No authority is shown, so none is compared with the limits."
    n_out, expected_out, p_chance = _beyond_chance(shown)
    verdict = (
        "authorities differ by more than the play of chance"
        if p_chance < 0.05
        else "the differences are within what chance would produce"
    )
    return (
        f"{n_out} of the {len(shown)} authorities lie outside the {FUNNEL_COVERAGES[1]:.1%} limits, where chance "
        f"alone would put about {expected_out:.1f} (one-sided binomial test: {format_p(p_chance)}): {verdict}."
    )


def funnel_section(a: Authorities | None, p: Parameters) -> Section:
    """Section 2: each authority's share against the chance variation expected around England's share."""
    scalars: dict[str, Any] = {
        "funnel_inner_coverage": FUNNEL_COVERAGES[0],
        "funnel_outer_coverage": FUNNEL_COVERAGES[1],
    }
    if a is None:
        scalars |= {
            "la_comparison_text": (
                "This run reads England's figures from the registry, which holds no local authority's; run on a "
                "folder of DfE's files (the parameter dfe_data_dir, under Parameters below), the page adds two "
                "sections comparing local authorities: each authority's share against the range chance alone would "
                "give it, and how the shares relate to the authorities' turnover, agency workers and caseloads."
            ),
            "la_variation_text": "Local authorities are not compared in this run.",
            "funnel_text": (
                "The registry holds England's figures only, with no local-authority rows, so this run "
                "draws no funnel plot: re-run the page with the official files (parameter "
                "dfe_data_dir) to see each authority against the limits."
            ),
            "funnel_caption_text": "no local-authority rows were read, so only the limits are drawn",
        }
        return Section(scalars, data={"la": None})
    n_shown = len(a.shown)
    scalars |= {
        "la_comparison_text": (
            f"Run on DfE's files, the page also compares the local authorities of {a.year}: how much their shares "
            "differ, and how they relate to each authority's workforce."
        ),
        "la_variation_text": _variation_text(a, p.min_cell_count),
        "funnel_text": _funnel_text(a),
        "funnel_caption_text": f"each dot is a local authority ({n_shown} shown; see the text for those left out)",
        "la_n_shown": n_shown,
        "la_n_outside_998": int(a.shown["outside_998"].sum()),
    }
    if n_shown:
        q1, median, q3 = _quartiles(a.shown)
        scalars |= {"la_q1_share": float(q1), "la_median_share": float(median), "la_q3_share": float(q3)}
    return Section(scalars, data={"la": a.shown})


# ------------------------------------------------------------------ section 5: authorities' workforce
def _turnover_direction(t: Mapping[str, Any] | None) -> str:
    """What the correlation with turnover says, if its interval excludes zero."""
    if t is None:
        return ""
    if t["low"] > 0:
        return (
            "Authorities whose social workers turned over faster also tended to have more children "
            "with three or more social workers. "
        )
    if t["high"] < 0:
        return (
            "Authorities whose social workers turned over faster tended to have fewer children "
            "with three or more social workers. "
        )
    return "The share is not clearly related to workforce turnover between authorities. "


def correlation_clause(v: Mapping[str, Any], level: float) -> str:
    """One correlation in words, with its own interval and its own number of authorities (each measure is
    published for a different set of authorities, so no count is shared between clauses)."""
    return (
        f"{signed(v['r'])} for the {v['label']} ({level:.0%} CI {signed(v['low'])} to {signed(v['high'])}; "
        f"{v['n']} authorities)"
    )


def _association_text(a: Authorities, level: float) -> str:
    """The correlations of the authorities' shares with their workforce, in words."""
    correlations = a.correlations
    if not correlations:
        return f"No local authority has both a share for {a.year} and workforce figures for {a.workforce_year}."
    clauses = [correlation_clause(v, level) for v in correlations.values()]
    return (
        f"{_turnover_direction(correlations.get('turnover_rate_fte'))}Across local authorities, the Pearson "
        f"correlation of the {a.year} share with each workforce measure of {a.workforce_year} was "
        + "; ".join(clauses)
        + ". This compares areas, not children: it does not show that turnover causes a given child's changes "
        "of worker."
    )


def correlation_table(a: Authorities, level: float) -> pd.DataFrame:
    """Each correlation with its interval and the number of authorities."""
    return pd.DataFrame(
        [
            {
                "workforce measure": f"{v['label']} ({a.workforce_year})",
                "Pearson r": v["r"],
                f"{level:.0%} CI low": v["low"],
                f"{level:.0%} CI high": v["high"],
                "local authorities": v["n"],
            }
            for v in a.correlations.values()
        ]
    )


def _brief_text(a: Authorities, level: float) -> str:
    """The authorities in one or two sentences for the page's brief, each count its own."""
    shown = a.shown
    if not len(shown):
        return f"No local authority's share can be shown for {a.year} (the page says why)."
    _, _, p_chance = _beyond_chance(shown)
    spread = "more than chance allows" if p_chance < 0.05 else "within what chance allows"
    text = (
        f"Authorities' shares ranged from {percent(shown['share'].min())} to {percent(shown['share'].max())}, {spread}"
    )
    t = a.correlations.get("turnover_rate_fte")
    if t is None:
        return text + "."
    return text + (
        f"; their correlation with turnover was {signed(t['r'])} ({level:.0%} CI {signed(t['low'])} to "
        f"{signed(t['high'])}; {t['n']} authorities)."
    )


def association_section(a: Authorities | None, p: Parameters) -> Section:
    """Section 5: the authorities' shares beside their workforce's turnover, agency rate and caseload."""
    scalars: dict[str, Any] = {"ci_level": p.ci_level, "workforce_year_offset": p.workforce_year_offset}
    if a is None:
        scalars["association_text"] = (
            "Re-run the page with the official files (parameter dfe_data_dir) to compare "
            "authorities and relate their shares to their workforce."
        )
        scalars["la_brief_text"] = "Local authorities are compared only in a run on DfE's files."
        return Section(scalars)
    scalars["association_text"] = _association_text(a, p.ci_level)
    scalars["la_brief_text"] = _brief_text(a, p.ci_level)
    for column, v in a.correlations.items():
        key = column.removesuffix("_fte").removesuffix("_rate")
        scalars |= {
            f"corr_{key}_r": v["r"],
            f"corr_{key}_low": v["low"],
            f"corr_{key}_high": v["high"],
            f"corr_{key}_n": v["n"],
        }
    return Section(scalars, {"correlations": correlation_table(a, p.ci_level)})
