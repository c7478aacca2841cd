"""Frontline visit frequencies: how often social workers visit, by training route.

Published (Dartington Social Research Unit, 2018): Frontline-trained social
workers visit 16 times on average and colleagues trained through other routes
12; two or three social workers are typically involved in a case; visits are on
average around once a month; Frontline-trained workers make multiple unsuccessful
attempts at home visits. Forrester's research (cited in a 2017 blog post) indicates eight or
more contacts for meaningful change work. The case-level data are not public.

The analysis, by module:

- :mod:`.parameters`: the parameters (:class:`Parameters`, :data:`PARAMETERS`), the routes, the published
  figures they default to, and the kind of every glued number (:data:`KINDS`);
- :mod:`.synthetic`: the Frontline generator, a **synthetic reconstruction** of case records calibrated to
  the published averages (:func:`simulate_visits`; the model and the ICC scale in its docstring);
- :mod:`.records`: the user's own records instead (``data_path``, :data:`RECORDS_SCHEMA`, :func:`load_records`);
- :mod:`.model`: Poisson and negative binomial (NB2) GLMs of visits with a log(months open) offset and
  cluster-robust standard errors by worker (:func:`fit_models`), the rate ratio, the overdispersion tests;
- :mod:`.descriptives`: shares reaching the contact threshold with cluster-adjusted intervals, visit
  histograms, workers' visit rates, and the suppression of small counts from own records;
- :mod:`.replicates`: the same Poisson analysis across many reconstructions at once, in closed form;
- :mod:`.sensitivity`: how often a difference would be detected, by the formula, by study size, and what else it
  depends on most;
- :mod:`.reconstructions`: the summaries across reconstructions, at every study size the page considers;
- :mod:`.sections`: one function per section of the records analysed in full; :func:`run` calls them, and
  those of :mod:`.reconstructions`, in page order;
- :mod:`.phrases`: the sentences whose words follow the run (data source, optional columns, suppression);
- :mod:`.tables` and :mod:`.figures`: the page's tables and figures, drawn from a result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from helpers.lazy import lazy_exports

from .card import CARD
from .parameters import (
    CONTACT_THRESHOLD,
    DEFAULT_CASE_MONTHS,
    KINDS,
    PARAMETERS,
    ROUTE_LABELS,
    ROUTES,
    VISITS_FRONTLINE,
    VISITS_OTHER,
    Parameters,
)

if TYPE_CHECKING:
    from .analysis import run
    from .descriptives import (
        MAX_HISTOGRAM_COLUMNS,
        binned_visit_histogram,
        clustered_share_ci,
        visit_histogram,
        worker_rates,
    )
    from .figures import (
        ROUTE_COLOURS,
        plot_by_study_size,
        plot_rate_ratios,
        plot_replicates,
        plot_threshold_shares,
        plot_visit_distribution,
        plot_visits_per_month,
        plot_worker_rates,
    )
    from .model import (
        METHOD_LABELS,
        CountModels,
        RateRatio,
        cameron_trivedi_test,
        fit_models,
        overdispersion_lr_test,
        rate_ratio,
    )
    from .records import (
        MAX_MONTHS_OPEN,
        MAX_VISITS,
        MAX_WORKERS_PER_CASE,
        MIN_MONTHS_OPEN,
        RECORDS_SCHEMA,
        CaseRecords,
        case_records,
        check_group_sizes,
        check_inputs,
        load_records,
    )
    from .replicates import (
        REPLICATE_RANGE_LEVEL,
        PoissonRateRatios,
        draw_replicates,
        poisson_rate_ratios,
        replicate_draws,
    )
    from .sensitivity import (
        DETECTION_TARGET,
        detection_by_size,
        detection_dependence,
        detection_inputs,
        expected_detection,
        expected_se_log_rate_ratio,
        workers_for_target,
    )
    from .summary import brief, landing
    from .synthetic import MONTHS_RANGE, count_scale_icc, draw_route, latent_variances, simulate_visits
    from .tables import (
        REPLICATE_LABELS,
        calibration_table,
        replicate_table,
        sensitivity_table,
        size_table,
        threshold_table,
        workers_table,
    )

# Loaded on first use (helpers.lazy): `compendium list` and `params` need only the above.
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "brief": "summary",
        "landing": "summary",
        "run": "analysis",
        "MAX_HISTOGRAM_COLUMNS": "descriptives",
        "binned_visit_histogram": "descriptives",
        "clustered_share_ci": "descriptives",
        "visit_histogram": "descriptives",
        "worker_rates": "descriptives",
        "ROUTE_COLOURS": "figures",
        "plot_by_study_size": "figures",
        "plot_rate_ratios": "figures",
        "plot_replicates": "figures",
        "plot_threshold_shares": "figures",
        "plot_visit_distribution": "figures",
        "plot_visits_per_month": "figures",
        "plot_worker_rates": "figures",
        "CountModels": "model",
        "METHOD_LABELS": "model",
        "RateRatio": "model",
        "cameron_trivedi_test": "model",
        "fit_models": "model",
        "overdispersion_lr_test": "model",
        "rate_ratio": "model",
        "CaseRecords": "records",
        "MAX_MONTHS_OPEN": "records",
        "MAX_VISITS": "records",
        "MAX_WORKERS_PER_CASE": "records",
        "MIN_MONTHS_OPEN": "records",
        "RECORDS_SCHEMA": "records",
        "case_records": "records",
        "check_group_sizes": "records",
        "check_inputs": "records",
        "load_records": "records",
        "PoissonRateRatios": "replicates",
        "REPLICATE_RANGE_LEVEL": "replicates",
        "draw_replicates": "replicates",
        "poisson_rate_ratios": "replicates",
        "replicate_draws": "replicates",
        "DETECTION_TARGET": "sensitivity",
        "detection_by_size": "sensitivity",
        "detection_dependence": "sensitivity",
        "detection_inputs": "sensitivity",
        "expected_detection": "sensitivity",
        "expected_se_log_rate_ratio": "sensitivity",
        "workers_for_target": "sensitivity",
        "MONTHS_RANGE": "synthetic",
        "count_scale_icc": "synthetic",
        "draw_route": "synthetic",
        "latent_variances": "synthetic",
        "simulate_visits": "synthetic",
        "REPLICATE_LABELS": "tables",
        "calibration_table": "tables",
        "replicate_table": "tables",
        "sensitivity_table": "tables",
        "size_table": "tables",
        "threshold_table": "tables",
        "workers_table": "tables",
    },
)

TITLE = "Frontline: how often social workers visited families, by training route"


SUMMARY = (
    f"Frontline evaluation (Dartington, 2018): a synthetic reconstruction calibrated to the published "
    f"{VISITS_FRONTLINE} and {VISITS_OTHER} visits, across an assumed range of study sizes (none was published); "
    "Poisson vs negative "
    f"binomial rate ratio with worker-clustered intervals, share reaching {CONTACT_THRESHOLD} contacts; or your own "
    "records"
)


__all__ = [
    "CARD",
    "CONTACT_THRESHOLD",
    "DEFAULT_CASE_MONTHS",
    "DETECTION_TARGET",
    "KINDS",
    "MAX_HISTOGRAM_COLUMNS",
    "MAX_MONTHS_OPEN",
    "MAX_VISITS",
    "MAX_WORKERS_PER_CASE",
    "METHOD_LABELS",
    "MIN_MONTHS_OPEN",
    "MONTHS_RANGE",
    "PARAMETERS",
    "RECORDS_SCHEMA",
    "REPLICATE_LABELS",
    "REPLICATE_RANGE_LEVEL",
    "ROUTES",
    "ROUTE_COLOURS",
    "ROUTE_LABELS",
    "SUMMARY",
    "TITLE",
    "VISITS_FRONTLINE",
    "VISITS_OTHER",
    "CaseRecords",
    "CountModels",
    "Parameters",
    "PoissonRateRatios",
    "RateRatio",
    "binned_visit_histogram",
    "brief",
    "calibration_table",
    "cameron_trivedi_test",
    "case_records",
    "check_group_sizes",
    "check_inputs",
    "clustered_share_ci",
    "count_scale_icc",
    "detection_by_size",
    "detection_dependence",
    "detection_inputs",
    "draw_replicates",
    "draw_route",
    "expected_detection",
    "expected_se_log_rate_ratio",
    "fit_models",
    "landing",
    "latent_variances",
    "load_records",
    "overdispersion_lr_test",
    "plot_by_study_size",
    "plot_rate_ratios",
    "plot_replicates",
    "plot_threshold_shares",
    "plot_visit_distribution",
    "plot_visits_per_month",
    "plot_worker_rates",
    "poisson_rate_ratios",
    "rate_ratio",
    "replicate_draws",
    "replicate_table",
    "run",
    "sensitivity_table",
    "simulate_visits",
    "size_table",
    "threshold_table",
    "visit_histogram",
    "worker_rates",
    "workers_for_target",
    "workers_table",
]
