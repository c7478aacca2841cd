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
- :mod:`.sensitivity`: how often a difference would be detected, and what that depends on most;
- :mod:`.sections`: one function per section of the page; :func:`run` calls them in page order;
- :mod:`.tables` and :mod:`.figures`: the page's tables and figures, drawn from a result.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from helpers.analyses.frontline_visits.descriptives import (
    MAX_HISTOGRAM_COLUMNS,
    binned_visit_histogram,
    clustered_share_ci,
    visit_histogram,
    worker_rates,
)
from helpers.analyses.frontline_visits.figures import (
    ROUTE_COLOURS,
    plot_detection_dependence,
    plot_rate_ratios,
    plot_replicates,
    plot_threshold_shares,
    plot_visit_distribution,
    plot_visits_per_month,
    plot_worker_rates,
)
from helpers.analyses.frontline_visits.model import (
    METHOD_LABELS,
    CountModels,
    RateRatio,
    cameron_trivedi_test,
    check_fitted,
    fit_models,
    overdispersion_lr_test,
    rate_ratio,
)
from helpers.analyses.frontline_visits.parameters import (
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
from helpers.analyses.frontline_visits.records import (
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
from helpers.analyses.frontline_visits.replicates import (
    REPLICATE_RANGE_LEVEL,
    PoissonRateRatios,
    draw_replicates,
    poisson_rate_ratios,
    replicate_draws,
)
from helpers.analyses.frontline_visits.sections import (
    across_reconstructions,
    count_models,
    published_figures,
    rate_ratios,
    reaching_threshold,
    suppression,
    the_records,
    unsuccessful_attempts,
    visits_per_month,
    what_detection_depends_on,
    workers_per_case,
)
from helpers.analyses.frontline_visits.sensitivity import (
    DETECTION_TARGET,
    detection_dependence,
    detection_inputs,
    expected_detection,
    expected_se_log_rate_ratio,
)
from helpers.analyses.frontline_visits.synthetic import (
    MONTHS_RANGE,
    count_scale_icc,
    draw_route,
    latent_variances,
    simulate_visits,
)
from helpers.analyses.frontline_visits.tables import (
    REPLICATE_LABELS,
    calibration_table,
    replicate_table,
    threshold_table,
    workers_table,
)
from helpers.page.reproduce import FigureUse, Role
from helpers.results import AnalysisResult, Section

TITLE = "Frontline visit frequencies: visits by training route (synthetic reconstruction)"
SUMMARY = (
    f"Frontline evaluation (Dartington, 2018): a synthetic reconstruction calibrated to the published "
    f"{VISITS_FRONTLINE} and {VISITS_OTHER} visits; Poisson vs negative binomial rate ratio with worker-clustered "
    f"intervals, share reaching {CONTACT_THRESHOLD} contacts; or your own records"
)


def run(params: Mapping[str, Any]) -> AnalysisResult:
    """The whole analysis for validated parameters: the page's sections, in page order."""
    p = PARAMETERS.validate(params)
    records = case_records(p)
    models = fit_models(records.cases)
    check_fitted(models, p.data_path or records.source)  # refuses records the models cannot estimate from
    sections = [
        published_figures(),  # In brief
        across_reconstructions(p, records.own),
        what_detection_depends_on(p, records.own),
        the_records(p, records),  # 1. The synthetic reconstruction
        visits_per_month(records),  # 2. Visits per month
        count_models(models),  # 3. Poisson or negative binomial?
        rate_ratios(p, records, models),  # 4. The visit rate ratio
        threshold := reaching_threshold(p, records),  # 5. Reaching Forrester's threshold
        unsuccessful_attempts(p, records),  # 6. Unsuccessful visits and workers per case
        workers := workers_per_case(p, records),
    ]
    sections.append(
        suppression(p, records.own, threshold.data["threshold_counts"], workers.data["workers_table"])
    )  # 5's note, which names the tables of 5 and 6
    page = Section.joined(sections)
    role: Role = "quoted" if records.own else "synthetic"  # with own records the published figures are only compared
    return AnalysisResult(
        notebook="frontline_visits",
        params=dict(p),
        scalars=page.scalars,
        tables=page.tables,
        data=page.data,
        checks=[],
        figures_used=[
            FigureUse("frontline_visits_frontline", role),
            FigureUse("frontline_visits_other", role),
            FigureUse("frontline_visits_per_month", role),
            FigureUse("frontline_workers_per_case_low", role),
            FigureUse("frontline_workers_per_case_high", role),
            FigureUse("forrester_contacts_threshold", "input"),
        ],
        inputs=records.inputs,
    )


__all__ = [
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
    "calibration_table",
    "cameron_trivedi_test",
    "case_records",
    "check_group_sizes",
    "check_inputs",
    "clustered_share_ci",
    "count_scale_icc",
    "detection_dependence",
    "detection_inputs",
    "draw_replicates",
    "draw_route",
    "expected_detection",
    "expected_se_log_rate_ratio",
    "fit_models",
    "latent_variances",
    "load_records",
    "overdispersion_lr_test",
    "plot_detection_dependence",
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
    "simulate_visits",
    "threshold_table",
    "visit_histogram",
    "worker_rates",
    "workers_table",
]
