"""The page's summaries across many synthetic reconstructions: the rate ratio at each study size the page considers
(the number of workers behind the published averages was not published), how each kind of interval behaves at the
largest, and what else the detection rate depends on. Each returns a :class:`Section`; on the user's own records
there is nothing to summarise, and each returns an empty one."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from helpers.analyses.frontline_visits.parameters import Parameters
from helpers.analyses.frontline_visits.replicates import REPLICATE_RANGE_LEVEL, replicate_draws
from helpers.analyses.frontline_visits.sensitivity import DETECTION_TARGET, detection_by_size, detection_dependence
from helpers.results import Section
from helpers.stats import montecarlo
from helpers.stats.replicates import scalars as replicate_scalars
from helpers.stats.replicates import summarise


# ---------------------------------------------------------------- Results: by the size of the study
def study_sizes(p: Parameters, points: int = 4) -> list[int]:
    """The numbers of workers per route the page considers: about ``points`` values, evenly spaced on a log scale
    from ``n_workers_small`` to ``n_workers_per_group`` (5, 10, 20 and 40 by default), smallest first."""
    grid = np.geomspace(p.n_workers_small, p.n_workers_per_group, points)
    return sorted({round(float(x)) for x in grid} | {p.n_workers_small, p.n_workers_per_group})


def _summary(draws: pd.DataFrame, requested: float) -> pd.DataFrame:
    judged = ("rate_ratio", "rate_ratio_quasi", "rate_ratio_model_se")
    return summarise(
        draws,
        truth=dict.fromkeys(judged, requested),
        null=dict.fromkeys(judged, 1.0),
        level=REPLICATE_RANGE_LEVEL,
    )


def by_study_size(p: Parameters, own: bool) -> Section:
    """The rate ratio across ``n_replicates`` reconstructions at each study size the page considers (its spread,
    and how often the clustered interval covers the calibrated ratio and detects a difference), the detection
    rate by the formula along the sizes, and where it reaches the conventional target. The largest size is the
    page's reconstruction, summarised in full (every kind of interval) in the next section. Own records are one
    data set: nothing to summarise."""
    if own:
        return Section({})
    requested = p.mean_visits_frontline / p.mean_visits_other
    sizes = study_sizes(p)
    draws = {g: replicate_draws(p, g) for g in sizes}
    summaries = {g: _summary(draws[g], requested) for g in sizes}
    formula = detection_by_size(p, sizes)
    rows = []
    for g in sizes:
        r = summaries[g].set_index("estimate").loc["rate_ratio"]
        rows.append(
            {
                "workers_per_route": g,
                "cases_per_route": g * p.cases_per_worker,
                **{c: float(r[c]) for c in ("median", "median_mcse", "range_low", "range_low_mcse", "range_high")},
                **{c: float(r[c]) for c in ("range_high_mcse", "coverage", "coverage_mcse")},
                **{c: float(r[c]) for c in ("detection", "detection_mcse")},
                "detection_formula": formula["at_sizes"][g],
            }
        )
    small = min(sizes)
    scalars: dict[str, Any] = {
        **replicate_scalars(summaries[small].query("estimate == 'rate_ratio'"), prefix="rep_small_"),
        "size_small_workers": small,
        "size_small_cases": small * p.cases_per_worker,
        "size_large_workers": p.n_workers_per_group,
        "size_large_cases": p.n_workers_per_group * p.cases_per_worker,
        "size_small_detection_formula": formula["at_sizes"][small],
        "size_large_detection_formula": formula["at_sizes"][p.n_workers_per_group],
        "detection_target": DETECTION_TARGET,
    }
    if formula["workers_for_target"] is not None:
        scalars["workers_for_detection_target"] = formula["workers_for_target"]
    return Section(
        scalars,
        {"by_size": pd.DataFrame(rows), "detection_curve": formula["curve"]},
        {"size_draws": draws, "size_summaries": summaries},
    )


# ---------------------------------------------------------------- Results: across many reconstructions
def across_reconstructions(p: Parameters, own: bool, by_size: Section) -> Section:
    """At the page's largest study, how each kind of interval behaves across the reconstructions: how often it
    covers the calibrated ratio and detects a difference, and how much clustering widens the standard error.
    Own records are one data set: nothing to summarise."""
    if own:
        return Section({})
    draws = by_size.data["size_draws"][p.n_workers_per_group]
    rep_summary = by_size.data["size_summaries"][p.n_workers_per_group]
    clustered = rep_summary.set_index("estimate").loc["rate_ratio"]
    gap = (clustered["coverage"] - p.ci_level) / max(clustered["coverage_mcse"], 1e-12)
    scalars = {
        **replicate_scalars(rep_summary),
        "coverage_verdict_text": (
            "below it by more than two Monte Carlo errors"
            if gap < -2
            else "above it by more than two Monte Carlo errors"
            if gap > 2
            else "within two Monte Carlo errors of it"
        ),
        "replicate_range_level": REPLICATE_RANGE_LEVEL,
    }
    return Section(scalars, {"replicates": draws, "replicate_summary": rep_summary})


# ---------------------------------------------------------------- Results: where the one draw analysed in full falls
def where_this_draw_falls(p: Parameters, own: bool, by_size: Section, ratio: float) -> Section:
    """Where the one reconstruction analysed in full falls among the many of the same size: the share of them
    whose rate ratio (Poisson, the replicates' estimate) is below this draw's ``ratio``, with its Monte Carlo
    error. One draw can be far from typical; the page says how far instead of choosing a seed that looks
    typical. Own records are not a draw: nothing to place."""
    if own:
        return Section({})
    draws = by_size.data["size_draws"][p.n_workers_per_group]
    values = draws.loc[draws["estimate"] == "rate_ratio", "value"].to_numpy(float)
    below = float(np.mean(values < ratio))
    return Section(
        {"one_draw_share_below": below, "one_draw_share_below_mcse": montecarlo.mcse_of_share(below, values.size)}
    )


# ---------------------------------------------------------------- Method: what else the detection rate depends on
def what_detection_depends_on(p: Parameters, own: bool) -> Section:
    """The assumption other than the study's size that the detection rate depends on most, at the page's
    largest study (synthetic reconstruction only)."""
    if own:
        return Section({})
    dep = detection_dependence(p)
    torn = dep["tornado"]
    top = torn.iloc[0]
    scalars: dict[str, Any] = {
        "detection_expected": dep["base"],
        "dependence_label": dep["label"],
        "dependence_detection_at_low": float(min(top["outcome_low"], top["outcome_high"])),
        "dependence_detection_at_high": float(max(top["outcome_low"], top["outcome_high"])),
    }
    return Section(scalars, {"tornado": torn})
