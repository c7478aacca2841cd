"""The page's sections, in page order: each returns its numbers (scalars) and its tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from helpers.analyses.link_worker_monitoring.bands import audited_bands, band_counts
from helpers.analyses.link_worker_monitoring.model import CountFit, dispersion_note, fit_count_model
from helpers.analyses.link_worker_monitoring.parameters import COUNT_MODELS, PUBLISHED, Parameters
from helpers.analyses.link_worker_monitoring.power import (
    cases_needed,
    dependence_text,
    detectable_ratio,
    mdrr_dependence,
    power_for_ratio,
)
from helpers.analyses.link_worker_monitoring.records import WITH, WITHOUT, load_records
from helpers.analyses.link_worker_monitoring.replication import reconstructions
from helpers.analyses.link_worker_monitoring.synthetic import synthesise_cases
from helpers.engine.paths import sha256_file
from helpers.page.kinds import OWN_RECORDS_KEY
from helpers.page.registry import published
from helpers.stats import montecarlo, replicates
from helpers.stats.cluster_power import design_effect
from helpers.stats.proportions import format_p


# ---------------------------------------------------------------- 1. the cases
class Cases(NamedTuple):
    scalars: dict[str, Any]
    frame: pd.DataFrame  # one row per case, in the layout of the own-records file
    synthetic: bool
    inputs: dict[str, str]  # the user's records file and its SHA-256 (none when synthetic)
    summary: pd.DataFrame  # cases, mean and variance by group
    bands: pd.DataFrame  # cases by band of professionals involved and group
    display: pd.DataFrame  # the bands as the page shows them (suppressed for own records)
    mask: pd.DataFrame | None  # the cells hidden in the display (own records)


def the_cases(p: Parameters) -> Cases:
    """The cases analysed (the synthetic reconstruction, or the user's records), by group and by the number
    of professionals involved."""
    synthetic = not p.data_path
    inputs: dict[str, str] = {}
    if synthetic:
        rng = np.random.default_rng(p.seed)
        frame = synthesise_cases(p.n_cases, p.share_link, p.mean_without, p.rate_ratio, p.dispersion, rng)
        source_text = f"a synthetic reconstruction (seed {p.seed}), not the records of the study"
    else:
        frame = load_records(p.data_path, p.min_cell_count)
        inputs[p.data_path] = sha256_file(Path(p.data_path))
        source_text = f"your records ({Path(p.data_path).name})"
    link = frame["link_worker"] == "yes"
    n_with, n_without = int(link.sum()), int((~link).sum())
    bands, display, note, mask = _bands_table(p, frame, synthetic)
    scalars: dict[str, Any] = {
        "data_source_text": source_text,
        "is_synthetic": synthetic,
        OWN_RECORDS_KEY: not synthetic,
        **{name: published(figure) for name, figure in PUBLISHED.items()},
        "n_cases": n_with + n_without,
        "n_with": n_with,
        "n_without": n_without,
        "n_centres": int(frame["centre"].nunique()),
        "n_link_centres": int(frame.loc[link, "centre"].nunique()),
        "cases_per_centre": (n_with + n_without) / int(frame["centre"].nunique()),
        "cluster_size_text": (
            "For synthetic cases, m counts each programme's other centres as one centre, as the reconstruction does; "
            "the real number of centres was not published."
            if synthetic
            else "Here m is the number of cases per centre in your records."
        ),
        "split_source_text": (
            "a split the page assumes, since the real one was not published" if synthetic else "as in your records"
        ),
        "table_note": note,
        **({"true_rate_ratio": p.rate_ratio, "seed": p.seed} if synthetic else {}),
        "records_file": "" if synthetic else Path(p.data_path).name,
    }
    return Cases(scalars, frame, synthetic, inputs, _summary_table(frame), bands, display, mask)


def _summary_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Cases, mean professionals involved and their variance, with and without the link worker."""
    link = frame["link_worker"] == "yes"
    return pd.DataFrame(
        [
            {
                "group": label,
                "cases": int(rows.shape[0]),
                "mean professionals": float(rows["professionals"].mean()),
                "variance": float(rows["professionals"].var(ddof=1)) if len(rows) > 1 else float("nan"),
            }
            for label, rows in ((WITH, frame[link]), (WITHOUT, frame[~link]))
        ]
    )


def _bands_table(
    p: Parameters, frame: pd.DataFrame, synthetic: bool
) -> tuple[pd.DataFrame, pd.DataFrame, str, pd.DataFrame | None]:
    """Cases by number of professionals: the counts, the table shown with its note and the hidden cells.
    Synthetic counts are shown in full; own records' sparse bands are merged and small counts suppressed."""
    if synthetic:
        bands = band_counts(frame)
        display = bands.copy()
        display["Total"] = display.sum(axis=1)
        display.loc["Total"] = display.sum(axis=0)
        display = display.astype(str)
        note = (
            "Synthetic records: counts are shown in full. Tables from your own records hide counts below "
            f"{p.min_cell_count} (and any that could be worked out from the totals)."
        )
        mask = None
    else:
        # Each group's number of cases is shown in the text, and its mean and variance in the summary table:
        # the bands are chosen so that, read with those, no small count can be worked out.
        bands, sup = audited_bands(frame, p.min_cell_count, p.data_path)
        display, note, mask = sup.display, sup.note, sup.mask
    return bands, display.rename_axis("professionals involved").reset_index(), note, mask


# ---------------------------------------------------------------- 2. are more professionals involved?
def professionals_involved(p: Parameters, frame: pd.DataFrame) -> tuple[dict[str, Any], CountFit]:
    """The group means and the count regression: the rate ratio with its interval and p-value."""
    link = frame["link_worker"] == "yes"
    fit = fit_count_model(frame, p.count_model, p.ci_level)
    excludes = fit.low > 1 or fit.high < 1
    scalars = {
        "mean_with": float(frame.loc[link, "professionals"].mean()),
        "mean_without": float(frame.loc[~link, "professionals"].mean()),
        "model_label": COUNT_MODELS[p.count_model],
        "rate_ratio_est": fit.rate_ratio,
        "rr_ci_low": fit.low,
        "rr_ci_high": fit.high,
        "ci_level": p.ci_level,
        "p_value": fit.p_value,
        "p_value_text": format_p(fit.p_value),
        "interval_verdict": (
            "rules out no difference (a ratio of one)" if excludes else "includes no difference (a ratio of one)"
        ),
        "fit_converged": fit.converged,
        "dispersion_est": fit.dispersion if fit.dispersion is not None else 0.0,
        "dispersion_note": dispersion_note(fit),
    }
    return scalars, fit


# ---------------------------------------------------------------- 3. what a study of this size can show
class Study(NamedTuple):
    scalars: dict[str, Any]
    power_curve: pd.DataFrame  # power by true rate ratio, with this study's cases and multiples of them
    multiples: tuple[int, ...]
    dependence: dict[str, Any]  # what the detectable ratio depends on most (helpers.stats.sensitivity)


def what_a_study_can_show(p: Parameters, cases: Cases, observed_mean_without: float, fit: CountFit) -> Study:
    """The smallest rate ratio detectable at the chosen power, with cases independent and with the allowance
    for cases of a centre being alike, the power for the assumed ratio, the cases it would need, power by study
    size, and which assumption the detectable ratio depends on most. Planning values: the assumptions
    (synthetic) or the records' own estimates."""
    n_with, n_without = cases.scalars["n_with"], cases.scalars["n_without"]
    plan_mean = p.mean_without if cases.synthetic else observed_mean_without
    plan_dispersion = p.dispersion if cases.synthetic else (fit.dispersion or 0.0)
    mdrr = detectable_ratio(plan_mean, n_with, n_without, plan_dispersion, p.alpha, p.power)
    deff = design_effect(cases.scalars["cases_per_centre"], p.centre_icc)
    clustered = detectable_ratio(plan_mean, n_with, n_without, plan_dispersion, p.alpha, p.power, design_effect=deff)
    share_with = n_with / (n_with + n_without)
    needed = cases_needed(p.rate_ratio, plan_mean, share_with, plan_dispersion, p.alpha, p.power)
    dep = mdrr_dependence(p, n_with + n_without, plan_mean, plan_dispersion, share_with)
    dep_body, dep_summary = dependence_text(dep, p.rate_ratio, p.power)
    scalars: dict[str, Any] = {
        "assumed_rate_ratio": p.rate_ratio,
        "assumed_direction_text": direction_text(p.rate_ratio),
        "assumed_ratio_agrees": p.rate_ratio > 1,
        "planning_mean_without": plan_mean,
        "planning_dispersion": plan_dispersion,
        "planning_source_text": (
            "the assumptions of the synthetic reconstruction" if cases.synthetic else "the estimates from your records"
        ),
        "alpha": p.alpha,
        "power_target": p.power,
        "mdrr": mdrr,
        "mdrr_more_share": mdrr - 1,
        "mdd_professionals": plan_mean * (mdrr - 1),
        "centre_icc": p.centre_icc,
        "design_effect_centre": deff,
        "mdrr_clustered": clustered,
        **few_centres(p, cases, plan_mean, plan_dispersion, deff, clustered),
        "power_at_assumed": power_for_ratio(p.rate_ratio, plan_mean, n_with, n_without, plan_dispersion, p.alpha),
        "mdrr_depends_on_text": dep["label"],
        "mdrr_dependence_text": dep_body,
        "mdrr_dependence_summary": dep_summary,
        "mdrr_vary_low": dep["low"],
        "mdrr_vary_high": dep["high"],
        "mdrr_at_vary_low": float(dep["table"]["outcome"].iloc[0]),
        "mdrr_at_vary_high": float(dep["table"]["outcome"].iloc[-1]),
        **({"mdrr_flip_at": dep["flips"][0]} if dep["flips"] else {}),
    }
    if needed is not None:
        scalars["cases_needed_for_assumed"] = needed
        scalars["cases_needed_multiple"] = needed / (n_with + n_without)
    scalars["cases_needed_text"] = needed_text(needed, n_with + n_without, p.power)
    scalars["size_verdict_text"] = (
        "So a comparison of this size could show a large difference in professionals involved; the assumed ratio of "
        "one is no difference at all."
        if p.rate_ratio == 1
        else "So a comparison of this size could show a large difference in professionals involved, but one of the "
        "assumed size could easily go undetected."
        if scalars["power_at_assumed"] < p.power
        else "So a comparison of this size would reliably detect a difference of the assumed size."
    )
    k = cases.scalars["n_link_centres"]
    scalars["effective_cases"] = (n_with + n_without) / deff
    scalars["link_centres_text"] = f"{k:,d} centre{'s' * (k != 1)}"
    multiples = (1, 2, 4)
    ratios = np.linspace(1, max(3.0, 1.3 * mdrr, 1.1 * p.rate_ratio), 120)
    curve = pd.DataFrame({"rate_ratio": ratios})
    for m in multiples:
        curve[f"power_x{m}"] = [
            power_for_ratio(r, plan_mean, m * n_with, m * n_without, plan_dispersion, p.alpha) for r in ratios
        ]
    return Study(scalars, curve, multiples, dep)


def few_centres(
    p: Parameters, cases: Cases, plan_mean: float, plan_dispersion: float, deff: float, clustered: float
) -> dict[str, Any]:
    """The detectable ratio of a test that allows for cases of a centre being alike: with so few centres such a
    test compares centres, and its statistic is referred to a t distribution with centres − 2 degrees of freedom
    (:func:`power.power_between_centres`); with two centres no such test exists. Returns the degrees of freedom,
    the ratio (when there is one) and a sentence for the body; ``clustered`` is the normal approximation's."""
    k = int(cases.scalars["n_centres"])
    df = k - 2
    whose = " (the reconstruction's; the real number was not published)" if cases.synthetic else ""
    normal = (
        f"That figure uses the normal distribution, as if the spread between centres were known. With {k:,d} "
        f"centres{whose}"
    )
    if df < 1:
        return {
            "centre_df": df,
            "few_centres_text": (
                f"{normal} that spread cannot be estimated at all: no test can allow for cases of a centre being "
                "alike, so no reliable test of the difference exists."
            ),
        }
    ratio = detectable_ratio(
        plan_mean,
        int(cases.scalars["n_with"]),
        int(cases.scalars["n_without"]),
        plan_dispersion,
        p.alpha,
        p.power,
        design_effect=deff,
        df=df,
    )
    return {
        "centre_df": df,
        "mdrr_few_centres": ratio,
        "few_centres_text": (
            f"{normal} a test that allows for them has {df:,d} degree{'s' * (df != 1)} of freedom, and the smallest "
            f"ratio it detects reliably is {ratio:.1f}: the {clustered:.2f} is optimistic."
        ),
    }


def needed_text(needed: int | None, n: int, power: float) -> str:
    """How many cases detecting the assumed ratio with the target power would take, against those analysed."""
    if needed is None:
        return "no number of cases detects a ratio of exactly one, which is no difference"
    if needed <= n:
        return f"about {needed:,d} cases would be enough for {power:.0%} power, so the {n:,d} analysed suffice"
    return f"detecting it with {power:.0%} power would take about {needed:,d} cases, {needed / n:.1f} times as many"


def direction_text(rate_ratio: float) -> str:
    """Whether the assumed ratio agrees with the published finding (more professionals where the link worker
    was based), in words: a ratio of one or less is a scenario that runs against it, and is labelled so."""
    if rate_ratio > 1:
        return "more professionals per case where the link worker was based, the direction the evaluation reported"
    return (
        "no more professionals per case where the link worker was based, which runs against the evaluation's "
        "finding that more were involved there: this run explores a scenario the published finding argues against"
    )


# ---------------------------------------------------------------- 4. across many reconstructions
def across_reconstructions(p: Parameters, synthetic: bool) -> tuple[dict[str, Any], dict[str, pd.DataFrame]]:
    """The estimate across ``n_replicates`` synthetic reconstructions: its median and central range, how
    often its interval covers the assumed ratio and excludes no difference, each also as the page prints it,
    at the precision its Monte Carlo error supports (:mod:`helpers.stats.montecarlo`). The user's records are
    one data set: there is nothing to replicate."""
    if not synthetic:
        return {"power_simulated_note": "The unit tests check that power formula against simulated studies."}, {}
    draws, summary = reconstructions(p)
    scalars: dict[str, Any] = replicates.scalars(summary)
    for name in ("median", "range_low", "range_high"):
        key = f"rep_rate_ratio_{name}"
        scalars[f"{key}_text"] = montecarlo.text(scalars[key], scalars[f"{key}_mcse"], "ratio")
    for name in ("coverage", "detection"):
        key = f"rep_rate_ratio_{name}"
        scalars[f"{key}_text"] = montecarlo.text(scalars[key], scalars[f"{key}_mcse"], "percent")
        scalars[f"{key}_error_text"] = montecarlo.error_text(scalars[f"{key}_mcse"], "percent")
    scalars["detection_p"] = 1 - p.ci_level  # the interval excludes a ratio of one exactly when p is below this
    same_level = abs(scalars["detection_p"] - p.alpha) < 1e-12
    scalars["power_simulated_note"] = (
        f"Of {scalars['rep_n']:,d} simulated studies under the same assumptions, "
        f"{scalars['rep_rate_ratio_detection_text']} found a clear difference (p < {scalars['detection_p']:g})"
        + (
            ": the formula is an approximation (see Across many reconstructions)."
            if same_level
            else f", a threshold set by the interval's level ({p.ci_level:.0%}), not by the test's level ({p.alpha:g})."
        )
    )
    return scalars, {"replicates": draws, "replicate_summary": summary}
