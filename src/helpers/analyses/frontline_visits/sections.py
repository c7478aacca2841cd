"""The page, section by section: each function computes what one section of the Frontline page shows and
returns it as a :class:`Section` (its glued scalars, its tables, and the data its figures read).
:func:`~helpers.analyses.frontline_visits.run` calls them in page order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers.analyses.frontline_visits.descriptives import (
    binned_visit_histogram,
    clustered_share_ci,
    own_threshold_table,
    suppression_note,
    visit_histogram,
    worker_rates,
)
from helpers.analyses.frontline_visits.model import (
    METHOD_LABELS,
    CountModels,
    RateRatio,
    cameron_trivedi_test,
    cluster_df,
    overdispersion_lr_test,
    rate_ratio,
)
from helpers.analyses.frontline_visits.parameters import (
    CONTACT_THRESHOLD,
    ROUTE_LABELS,
    VISITS_FRONTLINE,
    VISITS_OTHER,
    VISITS_PER_MONTH,
    WORKERS_HIGH,
    WORKERS_LOW,
    Parameters,
)
from helpers.analyses.frontline_visits.records import CaseRecords
from helpers.analyses.frontline_visits.replicates import REPLICATE_RANGE_LEVEL, replicate_draws
from helpers.analyses.frontline_visits.sensitivity import DETECTION_TARGET, detection_by_size, detection_dependence
from helpers.analyses.frontline_visits.synthetic import count_scale_icc
from helpers.inputs.suppression import MARKER, Suppressed, suppress
from helpers.page.kinds import OWN_RECORDS_KEY
from helpers.results import Section
from helpers.stats import montecarlo
from helpers.stats.proportions import format_p
from helpers.stats.replicates import scalars as replicate_scalars
from helpers.stats.replicates import summarise


# ---------------------------------------------------------------- In brief: the published figures
def published_figures() -> Section:
    """The published figures the page quotes, and the rate ratio their averages imply."""
    return Section(
        {
            "published_visits_frontline": VISITS_FRONTLINE,
            "published_visits_other": VISITS_OTHER,
            "published_visits_per_month": VISITS_PER_MONTH,
            "published_workers_low": WORKERS_LOW,
            "published_workers_high": WORKERS_HIGH,
            "published_contact_threshold": int(CONTACT_THRESHOLD),
            "published_rate_ratio": VISITS_FRONTLINE / VISITS_OTHER,
        }
    )


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
    if formula["crossing"] is not None:
        scalars["workers_for_detection_target"] = formula["crossing"]
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


# ---------------------------------------------------------------- 1. The records analysed
def _data_note(p: Parameters, records: CaseRecords) -> str:
    """What data the page shows, for its admonition: the synthetic reconstruction or the user's own records."""
    if records.own:
        return (
            f"This run analyses your own records ({Path(p.data_path).name}), not the evaluation's: every estimate "
            "below is computed from them, and no count below the parameter min_cell_count (other than zero) can be "
            "worked out from what is shown."
        )
    return (
        "Every case on this page is synthetic: generated by code from a seed and calibrated to the published "
        "averages, under assumptions stated below that you can change. The estimates show what the published "
        "figures imply and how a clustered analysis of visit counts behaves; they are not the study's findings. "
        "You can run the same analysis on your own records (see Parameters)."
    )


def _records_intro(p: Parameters, records: CaseRecords) -> str:
    """The first sentence of the section on the records analysed in full, for this run."""
    df = records.cases
    if records.own:
        return (
            f"Your records hold {len(df):,} cases of {df['worker_id'].nunique():,} social workers; every number in "
            "this section is computed from them."
        )
    return (
        f"One synthetic reconstruction (seed {p.seed}, {p.n_workers_per_group} workers per route with "
        f"{p.cases_per_worker} cases each) is analysed here in full, to show the method on records shaped like "
        "real ones: its numbers are one draw, not findings, and another seed gives others."
    )


# ---------------------------------------------------------------- 1. The synthetic reconstruction
def the_records(p: Parameters, records: CaseRecords) -> Section:
    """The cases analysed in full: their source and size, their mean visits (the calibration table), and the
    reconstruction's assumptions on the scale of the counts."""
    df, by_route = records.cases, records.by_route
    scalars: dict[str, Any] = {
        OWN_RECORDS_KEY: records.own,
        "data_source": records.source,
        "data_note": _data_note(p, records),
        "records_intro_text": _records_intro(p, records),
        "n_cases": len(df),
        "n_workers_total": df["worker_id"].nunique(),
        "n_workers_frontline": by_route["frontline"]["worker_id"].nunique(),
        "n_workers_other": by_route["other"]["worker_id"].nunique(),
        "n_cases_frontline": len(by_route["frontline"]),
        "n_cases_other": len(by_route["other"]),
        "ci_level": p.ci_level,
        "mean_visits_frontline_observed": float(by_route["frontline"]["visits"].mean()),
        "mean_visits_other_observed": float(by_route["other"]["visits"].mean()),
        "mean_months_open": float(df["months_open"].mean()),
    }
    if "experienced" in by_route:
        scalars["mean_visits_experienced_observed"] = float(by_route["experienced"]["visits"].mean())
    if not records.own:
        scalars.update(
            {
                "icc": p.icc,
                "dispersion": p.dispersion,
                "cases_per_worker": p.cases_per_worker,
                "case_months": p.case_months,
                "count_icc_frontline": count_scale_icc(p.mean_visits_frontline, p.dispersion, p.icc),
                "count_icc_other": count_scale_icc(p.mean_visits_other, p.dispersion, p.icc),
                "rate_ratio_requested": p.mean_visits_frontline / p.mean_visits_other,
            }
        )
    return Section(scalars, data={"cases": df, "routes": records.routes, "own_records": records.own})


# ---------------------------------------------------------------- 2. Visits per month
def visits_per_month(records: CaseRecords) -> Section:
    """Visits per month open, over all cases and by route, and the spread of the workers' own rates."""
    df, by_route = records.cases, records.by_route
    per_month = df["visits"].sum() / df["months_open"].sum()
    wr = worker_rates(df)
    frontline, other = by_route["frontline"], by_route["other"]
    scalars = {
        "visits_per_month_frontline": float(frontline["visits"].sum() / frontline["months_open"].sum()),
        "visits_per_month_other": float(other["visits"].sum() / other["months_open"].sum()),
        "visits_per_month_all": float(per_month),
        "worker_rate_p10": float(np.quantile(wr["visits_per_month"], 0.1)),
        "worker_rate_p90": float(np.quantile(wr["visits_per_month"], 0.9)),
    }
    return Section(scalars, data={"worker_rates": wr})


# ---------------------------------------------------------------- 3. Poisson or negative binomial?
def count_models(models: CountModels) -> Section:
    """How far the counts are overdispersed (Pearson statistic, likelihood-ratio and Cameron–Trivedi tests) and
    the two models' fit (the models table)."""
    fits, names = models.fits, models.names
    alpha_hat = float(np.asarray(fits["nb"].params)[-1])
    ll_p, ll_nb = float(fits["poisson"].llf), float(fits["nb"].llf)
    aic_p, aic_nb = float(fits["poisson"].aic), float(fits["nb"].aic)
    lr, lr_p = overdispersion_lr_test(ll_p, ll_nb)
    _, ct_t, ct_p = cameron_trivedi_test(models.y, np.asarray(fits["poisson"].fittedvalues))
    scalars = {
        "dispersion_estimate": alpha_hat,
        "pearson_dispersion": float(fits["poisson"].pearson_chi2 / fits["poisson"].df_resid),
        "lr_overdispersion": lr,
        "lr_overdispersion_p_text": format_p(lr_p),
        "cameron_trivedi_t": ct_t,
        "cameron_trivedi_p_text": format_p(ct_p),
        "aic_poisson": aic_p,
        "aic_nb": aic_nb,
        "aic_difference": abs(aic_p - aic_nb),  # the sentence names the model with the lower AIC
        "preferred_model": "negative binomial" if aic_nb < aic_p else "Poisson",
        "overdispersion_verdict": (
            "far more variable than a Poisson model allows"
            if lr_p < 0.05
            else "not clearly more variable than a Poisson model allows"
        ),
    }
    models_table = pd.DataFrame(
        [
            {
                "model": "Poisson",
                "log-likelihood": ll_p,
                "AIC": aic_p,
                "parameters": len(names),
                "dispersion alpha": 0.0,
            },
            {
                "model": "Negative binomial (NB2)",
                "log-likelihood": ll_nb,
                "AIC": aic_nb,
                "parameters": len(names) + 1,
                "dispersion alpha": alpha_hat,
            },
        ]
    )
    return Section(scalars, {"models": models_table})


# ---------------------------------------------------------------- 4. The visit rate ratio
def rate_ratio_table(ratios: dict[str, RateRatio]) -> pd.DataFrame:
    """The rate ratio and its interval under each model and standard error (:data:`METHOD_LABELS`)."""
    return pd.DataFrame(
        [
            {
                "method": METHOD_LABELS[k],
                "rate ratio": r.estimate,
                "low": r.low,
                "high": r.high,
                "interval width (ratio high/low)": r.high / r.low,
                "p": format_p(r.p_value),
            }
            for k, r in ratios.items()
        ]
    )


def rate_ratios(p: Parameters, records: CaseRecords, models: CountModels) -> Section:
    """The Frontline vs other rate ratio under each model, the reported one (negative binomial, clustered by
    worker), and how much clustering widens its standard error."""
    fits, own = models.fits, records.own
    df = cluster_df(records.cases["worker_id"].nunique())  # cluster-robust errors: t with workers - 1 df
    ratios = {
        k: rate_ratio(f, models.names, p.ci_level, method=k, df=df if k.endswith("_cluster") else None)
        for k, f in fits.items()
    }
    rr = ratios["nb_cluster"]

    def se_ratio(clustered: str, model_based: str) -> float:
        return float(np.asarray(fits[clustered].bse)[1] / np.asarray(fits[model_based].bse)[1])

    scalars: dict[str, Any] = {
        "rate_ratio": rr.estimate,
        "rate_ratio_source_text": (
            "In your own records" if own else f"In this one synthetic reconstruction (seed {p.seed})"
        ),
        "rate_ratio_caveat_text": (
            "Training route was not allocated at random, so the ratio describes these records: it cannot say "
            "whether training, caseloads, cases or local practice lie behind it."
            if own
            else "Another seed gives another estimate: this one illustrates the method, and the records were built "
            "to have the published ratio, so it is not a finding."
        ),
        "rate_ratio_ci_low": rr.low,
        "rate_ratio_ci_high": rr.high,
        "rate_ratio_p_text": format_p(rr.p_value),
        "rate_ratio_method": METHOD_LABELS["nb_cluster"],
        "rate_ratio_poisson": ratios["poisson"].estimate,
        "rate_ratio_poisson_naive_ci_low": ratios["poisson"].low,
        "rate_ratio_poisson_naive_ci_high": ratios["poisson"].high,
        "rate_ratio_poisson_cluster_ci_low": ratios["poisson_cluster"].low,
        "rate_ratio_poisson_cluster_ci_high": ratios["poisson_cluster"].high,
        # Clustering alone: the same negative binomial model with cluster-robust against model-based standard
        # errors (over-dispersion is in both). The Poisson sandwich against Poisson model-based errors mixes
        # over-dispersion with clustering, so it is reported apart, under its own name.
        "cluster_se_inflation": se_ratio("nb_cluster", "nb"),
        "poisson_se_inflation": se_ratio("poisson_cluster", "poisson"),
    }
    if "experienced" in records.by_route:
        exp_rr = rate_ratio(fits["nb_cluster"], models.names, p.ci_level, route="experienced", df=df)
        scalars.update(
            {
                "rate_ratio_experienced": exp_rr.estimate,
                "rate_ratio_experienced_ci_low": exp_rr.low,
                "rate_ratio_experienced_ci_high": exp_rr.high,
            }
        )
    if not own:
        requested = p.mean_visits_frontline / p.mean_visits_other
        scalars["rate_ratio_covers_requested"] = "includes" if rr.low <= requested <= rr.high else "does not include"
    return Section(scalars, {"rate_ratios": rate_ratio_table(ratios)}, {"ratios": ratios})


# ---------------------------------------------------------------- 5. Reaching Forrester's threshold
def _route_summary(records: CaseRecords, threshold: int, level: float) -> tuple[pd.DataFrame, dict[str, tuple]]:
    """Descriptives by route (the ``summary`` table) and each route's share reaching ``threshold``, with its
    cluster-adjusted interval and design effect."""
    rows, shares = [], {}
    for r in records.routes:
        d = records.by_route[r]
        share, lo, hi, deff = clustered_share_ci(d["visits"].to_numpy() >= threshold, d["worker_id"].to_numpy(), level)
        shares[r] = (share, lo, hi, deff)
        rows.append(
            {
                "route": ROUTE_LABELS[r],
                "workers": d["worker_id"].nunique(),
                "cases": len(d),
                "mean months open": d["months_open"].mean(),
                "mean visits": d["visits"].mean(),
                "visits per month": d["visits"].sum() / d["months_open"].sum(),
                f"share reaching {threshold}": share,
                "low": lo,
                "high": hi,
            }
        )
    return pd.DataFrame(rows), shares


def _count_tables(records: CaseRecords, counts: pd.DataFrame, threshold: int, k: int) -> dict[str, Any]:
    """The threshold table and the visit histogram, as shown. Own records: read together (the histogram's bins
    add up to the threshold cells), a route with a small count on either side of the threshold is hidden
    whole, in both, and so are the column totals. Synthetic records are shown in full."""
    routes = records.routes
    if records.own:
        small = ((counts > 0) & (counts < k)).any(axis=1)
        hidden_labels = [label for label in counts.index if small[label]]
        threshold_counts = own_threshold_table(counts, hidden_labels, k)
        visit_counts = binned_visit_histogram(records.cases, routes, k, threshold)
        hist_mask = pd.DataFrame(False, index=visit_counts.index, columns=visit_counts.columns)
        hist_mask.loc[hidden_labels, :] = True
        visit_hist = Suppressed(
            visit_counts.astype(object).astype(str).where(~hist_mask, MARKER),
            hist_mask,
            int(((visit_counts > 0) & (visit_counts < k)).to_numpy().sum()),
            0,
            k,
        )
    else:
        threshold_counts = suppress(counts, 1)
        visit_counts = visit_histogram(records.cases, routes)
        nothing = pd.DataFrame(False, index=visit_counts.index, columns=visit_counts.columns)
        visit_hist = Suppressed(visit_counts.astype(str), nothing, 0, 0, 1)
    return {"threshold_counts": threshold_counts, "visit_counts": visit_counts, "visit_hist": visit_hist}


def reaching_threshold(p: Parameters, records: CaseRecords) -> Section:
    """The share of cases with ``contact_threshold`` or more visits by route and pooled, the counts behind them
    and the visit histogram (shown in section 1). With own records, a share whose counts are suppressed is
    hidden too (it would reveal them)."""
    threshold, df, routes = p.contact_threshold, records.cases, records.routes
    summary, shares = _route_summary(records, threshold, p.ci_level)
    by_route = records.by_route
    counts = pd.DataFrame(
        {
            f"{threshold} or more visits": [int((by_route[r]["visits"] >= threshold).sum()) for r in routes],
            f"fewer than {threshold}": [int((by_route[r]["visits"] < threshold).sum()) for r in routes],
        },
        index=pd.Index([ROUTE_LABELS[r] for r in routes], name="route"),
    )
    data = _count_tables(records, counts, threshold, p.min_cell_count)
    threshold_counts: Suppressed = data["threshold_counts"]
    hidden = {r for r in routes if threshold_counts.mask.loc[ROUTE_LABELS[r]].any()}
    for column in (f"share reaching {threshold}", "low", "high"):
        summary[column] = [MARKER if r in hidden else v for r, v in zip(routes, summary[column], strict=True)]
    scalars: dict[str, Any] = {
        "contact_threshold": threshold,
        "threshold_caveat_text": (
            "These shares depend on how long your cases were open; compare routes with similar months open."
            if records.own
            else "How many cases reach the threshold depends heavily on how long cases are open, which is an "
            "assumption here (the parameter case_months): change it to see the shares move."
        ),
    }
    for r in ("frontline", "other"):
        for i, suffix in enumerate(("", "_ci_low", "_ci_high")):
            scalars[f"share_reaching_threshold_{r}{suffix}"] = MARKER if r in hidden else shares[r][i]
    # The pooled share times n_cases is the threshold table's column total: hidden with it.
    scalars["share_reaching_threshold_all"] = (
        MARKER if (threshold_counts.display.loc["Total"] == MARKER).any() else float((df["visits"] >= threshold).mean())
    )
    if "experienced" in by_route:
        scalars["share_reaching_threshold_experienced"] = (
            MARKER if "experienced" in hidden else shares["experienced"][0]
        )
    data.update({"shares_hidden": hidden, "shares": shares, "min_cell_count": p.min_cell_count})
    return Section(scalars, {"summary": summary}, data)


# ---------------------------------------------------------------- 6. Unsuccessful visits and workers per case
def unsuccessful_attempts(p: Parameters, records: CaseRecords) -> Section:
    """Unsuccessful attempts per case and as a share of all attempts (when the records have them)."""
    df = records.cases
    if "unsuccessful_visits" not in df or not df["unsuccessful_visits"].notna().any():
        return Section({})
    u = df.dropna(subset=["unsuccessful_visits"])
    attempts = u["unsuccessful_visits"].sum() + u["visits"].sum()
    with_some, with_none = (u["unsuccessful_visits"] > 0).sum(), (u["unsuccessful_visits"] == 0).sum()
    return Section(
        {
            "unsuccessful_per_case": float(u["unsuccessful_visits"].mean()),
            "unsuccessful_share_observed": float(u["unsuccessful_visits"].sum() / attempts) if attempts else 0.0,
            # Times the cases with the column filled in, a count: hidden when it or its complement is small.
            "share_cases_with_unsuccessful": (
                MARKER
                if records.own and any(0 < c < p.min_cell_count for c in (with_some, with_none))
                else float((u["unsuccessful_visits"] > 0).mean())
            ),
        }
    )


def workers_per_case(p: Parameters, records: CaseRecords) -> Section:
    """The number of social workers involved in a case (when the records have it): the table of cases by
    workers involved, and the shares with one and with the typical number."""
    df, own = records.cases, records.own
    if "n_workers" not in df or not df["n_workers"].notna().any():
        return Section({}, data={"workers_table": None})
    nw = df["n_workers"].dropna().astype(int)
    wcounts = nw.value_counts().sort_index()
    worker_counts = pd.DataFrame(
        {"cases": wcounts.to_numpy()},
        index=pd.Index([f"{k} worker{'s' * (k != 1)}" for k in wcounts.index], name="workers involved"),
    )
    # Own records: with totals, so that a hidden count cannot be worked out from the others and the
    # number of cases (secondary suppression). Synthetic records are shown in full, without totals.
    # With the column filled in for every case, its total is the number of cases, shown elsewhere.
    known = ("column totals", "grand total") if own and df["n_workers"].notna().all() else ()
    table = suppress(worker_counts, p.min_cell_count if own else 1, totals=own, known=known)
    # The shares and the mean times the number of cases give counts: hidden when any count is.
    hidden = bool(table.mask.to_numpy().any())
    scalars = {
        "share_cases_single_worker": MARKER if hidden else float((nw == 1).mean()),
        "share_cases_typical_workers": (
            MARKER if hidden else float(nw.between(int(WORKERS_LOW), int(WORKERS_HIGH)).mean())
        ),
        "mean_workers_per_case": MARKER if hidden else float(nw.mean()),
    }
    return Section(scalars, data={"workers_table": table})


def suppression(p: Parameters, own: bool, threshold_counts: Suppressed, workers_table: Suppressed | None) -> Section:
    """The note under section 5 on what is suppressed in the count tables from own records."""
    if not own:
        return Section({"suppression_note": "These are synthetic records, so no count is suppressed."})
    tables_shown = [("the table of cases reaching the threshold", threshold_counts)]
    if workers_table is not None:
        tables_shown.append(("the table of workers involved", workers_table))
    return Section({"suppression_note": suppression_note(tables_shown, p.min_cell_count)})


# ---------------------------------------------------------------- sentences that follow the run
#: Every simulated number the body's prose prints, and how (:func:`helpers.stats.montecarlo.texts`).
MC_STYLES: dict[str, str] = {
    "rep_small_rate_ratio_range_low": "ratio",
    "rep_small_rate_ratio_range_high": "ratio",
    "rep_small_rate_ratio_coverage": "percent",
    "rep_small_rate_ratio_detection": "percent",
    "rep_rate_ratio_median": "ratio",
    "rep_rate_ratio_range_low": "ratio",
    "rep_rate_ratio_range_high": "ratio",
    "rep_rate_ratio_coverage": "percent",
    "rep_rate_ratio_detection": "percent",
    "rep_rate_ratio_quasi_coverage": "percent",
    "rep_rate_ratio_model_se_coverage": "percent",
    "rep_cluster_se_inflation_median": "ratio",
    "rep_share_reaching_threshold_frontline_median": "percent",
    "rep_share_reaching_threshold_other_median": "percent",
}


def _pct(value: Any) -> str:
    """A share as a whole percentage, or the suppression marker as it is."""
    return str(value) if value == MARKER else f"{value:.0%}"


def phrases(p: Parameters, s: dict[str, Any], own: bool) -> Section:
    """The body's sentences whose words depend on the run (the data source, the parameters, which optional
    columns own records have, what is suppressed), and the simulated numbers as the prose prints them."""
    out: dict[str, Any] = montecarlo.texts(s, MC_STYLES) if not own else {}
    out["threshold_text"] = _threshold_text(p, s, own, out)
    out["attempts_text"] = _attempts_text(s, own)
    out["workers_per_case_text"] = _workers_per_case_text(s, own)
    if not own:
        out["detection_target_text"] = _detection_target_text(s)
        out["size_reading_text"] = _size_reading_text(s)
    return Section(out)


def _size_reading_text(s: dict[str, Any]) -> str:
    """What the smallest study's simulated detection rate means, in words that follow its value."""
    detection = s["rep_small_rate_ratio_detection"]
    if detection < 0.5:
        return (
            "A study of the smallest size would miss a difference the size of the published one more often than it "
            "found it, and could even see the ratio reversed."
            if s["rep_small_rate_ratio_range_low"] < 1
            else "A study of the smallest size would miss a difference the size of the published one more often "
            "than it found it."
        )
    if detection < s["detection_target"]:
        return (
            "A study of the smallest size would miss a difference the size of the published one more than one time "
            "in five."
        )
    return "Even a study of the smallest size would usually detect a difference the size of the published one."


def _threshold_text(p: Parameters, s: dict[str, Any], own: bool, texts: dict[str, Any]) -> str:
    level = f"{p.ci_level:.0%}"
    one = (
        f"{_pct(s['share_reaching_threshold_frontline'])} of Frontline cases "
        f"({_pct(s['share_reaching_threshold_frontline_ci_low'])} to "
        f"{_pct(s['share_reaching_threshold_frontline_ci_high'])}) and {_pct(s['share_reaching_threshold_other'])} "
        f"of other cases ({_pct(s['share_reaching_threshold_other_ci_low'])} to "
        f"{_pct(s['share_reaching_threshold_other_ci_high'])}) reached it ({level} intervals)"
    )
    if own:
        return f"In your records, {one}."
    return (
        f"Across the reconstructions with {p.n_workers_per_group} workers per route, a median of "
        f"{texts['rep_share_reaching_threshold_frontline_median_text']} of Frontline cases and "
        f"{texts['rep_share_reaching_threshold_other_median_text']} of other cases reach it; in the one "
        f"reconstruction analysed in full, {one}."
    )


def _attempts_text(s: dict[str, Any], own: bool) -> str:
    if "unsuccessful_per_case" not in s:
        return "Your records have no column of unsuccessful visits, so the page cannot count them."
    share = s["share_cases_with_unsuccessful"]
    cases = (
        "the share of cases with at least one is hidden (a count behind it is small)"
        if share == MARKER
        else f"{share:.0%} of cases have at least one"
    )
    numbers = (
        f"{s['unsuccessful_per_case']:.1f} unsuccessful attempts on average "
        f"({s['unsuccessful_share_observed']:.0%} of all attempts), and {cases}"
    )
    if own:
        return f"Your cases have {numbers}."
    return (
        "The report says Frontline-trained workers make multiple unsuccessful attempts at home visits but gives no "
        "number, nor any for other routes; the reconstruction assumes the same chance of an attempt failing for "
        f"every route. With that assumed chance, the synthetic cases have {numbers}."
    )


def _workers_per_case_text(s: dict[str, Any], own: bool) -> str:
    if "share_cases_single_worker" not in s:
        return "Your records have no column of social workers involved in a case, so the page cannot count them."
    typical = f"{WORKERS_LOW} or {WORKERS_HIGH} social workers"
    if s["share_cases_single_worker"] == MARKER:
        shares = "the shares by number of workers are hidden (a count behind them is small)"
    else:
        shares = (
            f"{s['share_cases_typical_workers']:.0%} of cases involve {typical} and "
            f"{s['share_cases_single_worker']:.0%} keep one worker throughout"
        )
    if own:
        return f"In your records, {shares}."
    return (
        f"In the reconstruction, {shares} (the published figure is that {typical} are typically involved; the "
        "share with one worker is an assumption)."
    )


def _detection_target_text(s: dict[str, Any]) -> str:
    target = f"{s['detection_target']:.0%}"
    if "workers_for_detection_target" in s:
        return (
            f"reaches the conventional {target} only with about {s['workers_for_detection_target']:.0f} workers per "
            "route or more"
        )
    if s["size_small_detection_formula"] >= s["detection_target"]:
        return f"reaches the conventional {target} at every size shown"
    return f"falls short of the conventional {target} at every size shown"
