"""The page, section by section: each function computes what one section of the Frontline page shows and
returns it as a :class:`Section` (its glued scalars, its tables, and the data its figures read).
:func:`~helpers.analyses.frontline_visits.run` calls them in page order."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from helpers.analyses.frontline_visits.descriptives import (
    check_hidden_sums,
    clustered_share_ci,
    hidden_routes,
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
from helpers.analyses.frontline_visits.records import MAX_VISITS, CaseRecords
from helpers.analyses.frontline_visits.replicates import REPLICATE_RANGE_LEVEL, replicate_draws
from helpers.analyses.frontline_visits.sensitivity import DETECTION_TARGET, detection_dependence
from helpers.analyses.frontline_visits.synthetic import count_scale_icc
from helpers.inputs.suppression import MARKER, Suppressed, sum_leaks, suppress
from helpers.results import Section
from helpers.stats.proportions import format_p
from helpers.stats.replicates import scalars as replicate_scalars
from helpers.stats.replicates import summarise
from helpers.stats.sensitivity import Uncertain


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


# ---------------------------------------------------------------- Across many reconstructions
def across_reconstructions(p: Parameters, own: bool) -> Section:
    """The rate ratio across ``n_replicates`` reconstructions: its spread, and how often each kind of interval
    covers the calibrated ratio and detects a difference. Own records are one data set: nothing to summarise."""
    if own:
        return Section(
            {
                "replicates_note": (
                    "These are your own records: one set of cases, not a reconstruction, so there is nothing to "
                    "summarise across draws; every estimate on this page is from your records."
                )
            }
        )
    requested = p.mean_visits_frontline / p.mean_visits_other
    draws = replicate_draws(p)
    ratios_judged = ("rate_ratio", "rate_ratio_quasi", "rate_ratio_model_se")
    rep_summary = summarise(
        draws,
        truth=dict.fromkeys(ratios_judged, requested),
        null=dict.fromkeys(ratios_judged, 1.0),
        level=REPLICATE_RANGE_LEVEL,
    )
    clustered = rep_summary.set_index("estimate").loc["rate_ratio"]
    gap = (clustered["coverage"] - p.ci_level) / max(clustered["coverage_mcse"], 1e-12)
    scalars = {
        **replicate_scalars(rep_summary),
        "coverage_verdict_text": (
            "below it by more than two Monte Carlo errors, as sandwich intervals tend to be with few workers per route"
            if gap < -2
            else "above it by more than two Monte Carlo errors"
            if gap > 2
            else "within two Monte Carlo errors of it"
        ),
        "replicate_range_level": REPLICATE_RANGE_LEVEL,
        "replicates_note": (
            "The summary is across many synthetic reconstructions, each a fresh draw of the "
            "records from the same assumptions; one of them is analysed in full below."
        ),
    }
    return Section(scalars, {"replicates": draws, "replicate_summary": rep_summary})


# ---------------------------------------------------------------- What the detection rate depends on
def what_detection_depends_on(p: Parameters, own: bool) -> Section:
    """The assumption the detection rate depends on most, and the detection rate over its plausible range
    (synthetic reconstruction only)."""
    if own:
        return Section({})
    dep = detection_dependence(p)
    top: Uncertain = dep["input"]
    flips = dep["crossings"]
    scalars: dict[str, Any] = {
        "detection_target": DETECTION_TARGET,
        "detection_expected": dep["base"],
        "dependence_input": top.name,
        "dependence_label": top.label,
        "dependence_base": float(top.base),
        "dependence_range_low": dep["low"],
        "dependence_range_high": dep["high"],
        "dependence_detection_at_low": float(dep["table"]["outcome"].iloc[0]),
        "dependence_detection_at_high": float(dep["table"]["outcome"].iloc[-1]),
        "dependence_flips": bool(flips),
        "dependence_verdict_text": (
            "falls short of it in part of that range"
            if flips
            else "is met over the whole of that range"
            if dep["table"]["outcome"].min() >= DETECTION_TARGET
            else "falls short of it over the whole of that range"
        ),
    }
    if flips:
        scalars["dependence_flip"] = flips[0]
    return Section(scalars, {"tornado": dep["tornado"], "dependence": dep["table"]})


# ---------------------------------------------------------------- 1. The synthetic reconstruction
def the_records(p: Parameters, records: CaseRecords) -> Section:
    """The cases analysed in full: their source and size, their mean visits (the calibration table), and the
    reconstruction's assumptions on the scale of the counts."""
    df, by_route = records.cases, records.by_route
    scalars: dict[str, Any] = {
        "data_source": records.source,
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
    ratios = {k: rate_ratio(f, models.names, p.ci_level, method=k) for k, f in fits.items()}
    rr = ratios["nb_cluster"]

    def se_ratio(clustered: str, model_based: str) -> float:
        return float(np.asarray(fits[clustered].bse)[1] / np.asarray(fits[model_based].bse)[1])

    scalars: dict[str, Any] = {
        "rate_ratio": rr.estimate,
        "rate_ratio_source_text": (
            "In your own records" if own else f"In this one synthetic reconstruction (seed {p.seed})"
        ),
        "rate_ratio_caveat_text": (
            "Training route was not randomised, so the ratio describes these records, not an effect of training."
            if own
            else "Another seed gives another estimate: this one illustrates the method and is not an estimate of "
            "Frontline's effect."
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
        exp_rr = rate_ratio(fits["nb_cluster"], models.names, p.ci_level, route="experienced")
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
        # Hidden whole: a route with a small count either side of the threshold, and one whose bins would,
        # with its mean visits, give a small count away (its size and mean alone must not: else refused).
        visit_counts, hidden_labels = hidden_routes(records.cases, routes, k, threshold)
        check_hidden_sums(records.cases, hidden_labels, k, records.path)
        threshold_counts = own_threshold_table(counts, hidden_labels, k)
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
    scalars: dict[str, Any] = {"contact_threshold": threshold}
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
    # Own records: the share with some, times the cases with the column filled in, is a count (hidden when it
    # or its complement is small); the mean times those cases is a sum, read with it as with bins [0], [1, ...].
    hide_share = records.own and any(0 < c < p.min_cell_count for c in (with_some, with_none))
    hide_sum = False
    if records.own:
        counts = u["unsuccessful_visits"].astype(int).value_counts().sort_index()
        fine = pd.DataFrame([counts.to_numpy()], index=["cases"], columns=counts.index)
        fine = fine.reindex(columns=sorted(set(fine.columns) | {0, 1}), fill_value=0)
        split = [[0], [c for c in fine.columns if c > 0]]
        hide_share = hide_share or bool(sum_leaks(fine, split, p.min_cell_count, MAX_VISITS))
        hide_sum = bool(sum_leaks(fine, [list(fine.columns)], p.min_cell_count, MAX_VISITS))
    return Section(
        {
            "unsuccessful_per_case": MARKER if hide_sum else float(u["unsuccessful_visits"].mean()),
            "unsuccessful_share_observed": (
                MARKER if hide_sum else float(u["unsuccessful_visits"].sum() / attempts) if attempts else 0.0
            ),
            "share_cases_with_unsuccessful": MARKER if hide_share else float((u["unsuccessful_visits"] > 0).mean()),
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
