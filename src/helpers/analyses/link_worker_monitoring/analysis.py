"""The link_worker_monitoring analysis: ``run()`` (and what it needs), loaded on first use of the package's ``run``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from helpers.analyses.link_worker_monitoring.parameters import PARAMETERS
from helpers.analyses.link_worker_monitoring.sections import (
    across_reconstructions,
    professionals_involved,
    the_cases,
    what_a_study_can_show,
)
from helpers.page.registry import registry_input
from helpers.page.reproduce import FigureUse
from helpers.results import AnalysisResult

#: Every registry figure the page uses, and how.
FIGURES_USED = [
    FigureUse("link_cases", "synthetic"),
    FigureUse("link_programmes", "synthetic"),
    FigureUse("link_children_centres", "synthetic"),
    FigureUse("link_months", "quoted"),
    FigureUse("link_meeting_professionals", "quoted"),
    FigureUse("link_worker_cases_held", "quoted"),
    FigureUse("link_interviews_early", "quoted"),
    FigureUse("link_interviews_late", "quoted"),
    FigureUse("link_interviews_early_months", "quoted"),
    FigureUse("link_interviews_late_months", "quoted"),
]


def run(params: Mapping[str, Any]) -> AnalysisResult:
    """The whole analysis, section by section in page order."""
    p = PARAMETERS.validate(params)
    cases = the_cases(p)  # 1. the cases
    involved, fit = professionals_involved(p, cases.frame)  # 2. are more professionals involved?
    study = what_a_study_can_show(p, cases, involved["mean_without"], fit)  # 3. what a study of this size can show
    across, replicate_tables = across_reconstructions(p, cases.synthetic)  # 4. across many reconstructions
    return AnalysisResult(
        notebook="link_worker_monitoring",
        params=dict(p),
        scalars={**cases.scalars, **involved, **study.scalars, **across},
        tables={
            "summary": cases.summary,
            "bands": cases.display,
            "mdrr_tornado": study.dependence["tornado"],
            "mdrr_dependence": study.dependence["table"],
            **replicate_tables,
        },
        data={
            "frame": cases.frame,
            "band_counts": cases.bands,
            "fit": fit,
            "power_curve": study.power_curve,
            "multiples": study.multiples,
            "synthetic": cases.synthetic,
            "band_mask": cases.mask,
            "dependence": study.dependence,
        },
        figures_used=list(FIGURES_USED),
        inputs={**registry_input(), **cases.inputs},
    )
