"""The frontline_visits analysis: ``run()`` (and what it needs), loaded on first use of the package's ``run``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from helpers.analyses.frontline_visits.model import NotConverged, check_fitted, fit_models
from helpers.analyses.frontline_visits.parameters import PARAMETERS
from helpers.analyses.frontline_visits.phrases import phrases
from helpers.analyses.frontline_visits.reconstructions import (
    across_reconstructions,
    by_study_size,
    what_detection_depends_on,
    where_this_draw_falls,
)
from helpers.analyses.frontline_visits.records import case_records
from helpers.analyses.frontline_visits.sections import (
    count_models,
    published_figures,
    rate_ratios,
    reaching_threshold,
    suppression,
    the_records,
    unsuccessful_attempts,
    visits_per_month,
    workers_per_case,
)
from helpers.inputs.records import RecordsError
from helpers.page.reproduce import FigureUse, Role
from helpers.results import AnalysisResult, Section


def run(params: Mapping[str, Any]) -> AnalysisResult:
    """The whole analysis for validated parameters: the page's sections, in page order."""
    p = PARAMETERS.validate(params)
    records = case_records(p)
    try:
        models = fit_models(records.cases)
    except NotConverged as err:
        if not records.own:
            raise
        raise RecordsError(
            p.data_path,
            [f"column 'visits': {err} on these records (too few cases, or counts too alike, to fit it)"],
        ) from None
    check_fitted(models, p.data_path or records.source)  # refuses records the models cannot estimate from
    sizes = by_study_size(p, records.own)
    sections = [
        published_figures(),  # In brief
        sizes,  # Results: by the size of the study
        across_reconstructions(p, records.own, sizes),  # Results: intervals that ignore clustering
        what_detection_depends_on(p, records.own),  # Method
        the_records(p, records),  # 1. The synthetic reconstruction
        visits_per_month(records),  # 2. Visits per month
        count_models(models),  # 3. Poisson or negative binomial?
        ratios := rate_ratios(p, records, models),  # 4. The visit rate ratio
        where_this_draw_falls(p, records.own, sizes, float(ratios.scalars["rate_ratio_poisson"])),
        threshold := reaching_threshold(p, records),  # 5. Reaching Forrester's threshold
        unsuccessful_attempts(p, records),  # 6. Unsuccessful visits and workers per case
        workers := workers_per_case(p, records),
    ]
    sections.append(
        suppression(p, records.own, threshold.data["threshold_counts"], workers.data["workers_table"])
    )  # 5's note, which names the tables of 5 and 6
    page = Section.joined(sections)
    page = Section.joined([page, phrases(p, dict(page.scalars), records.own)])
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
