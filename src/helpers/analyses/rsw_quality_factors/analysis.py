"""The rsw_quality_factors analysis: ``run()`` (and what it needs), loaded on first use of the package's ``run``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from helpers.page.registry import registry_input
from helpers.page.reproduce import FigureUse
from helpers.results import AnalysisResult, Section

from . import sections
from .framework import BAND_IDS, BANDS
from .parameters import PARAMETERS
from .synthetic import generator_truth

#: The registry figures the page uses: as inputs to the reconstruction, or quoted.
FIGURES_USED = (
    FigureUse("rsw_practice_observations", "input"),
    FigureUse("rsw_significant_factors", "quoted"),
    FigureUse("rsw_coded_skills", "quoted"),
    FigureUse("rsw_recordings_compared", "quoted"),
    FigureUse("rsw_las_compared", "quoted"),
    FigureUse("rsw_local_authorities", "quoted"),
    *[FigureUse(BAND_IDS[b], "input") for b in BANDS],
)


def run(params: Mapping[str, Any]) -> AnalysisResult:
    """The whole analysis for validated parameters: the page's sections, in page order."""
    p = PARAMETERS.validate(params)
    own = bool(p.data_path)
    frame, source, own_inputs = sections.records(p)
    truth = generator_truth(p)
    described = sections.the_records(p, frame, truth, own)  # 1. the synthetic reconstruction
    compared = sections.rsw_vs_sau(p, frame, own)  # 2. RSW units and service as usual
    factors = sections.four_factors(p, frame, truth)  # 3. what predicts the quality of practice
    clinician = sections.clinician_pathway(p, frame, truth, own)  # 4. clinicians, case discussion and practice
    skills = sections.seven_skills(frame)  # 5. the seven skills
    detectable = sections.detectable_difference(p, frame, own, compared.data["hedges"].pooled_sd)  # 6. study size
    replicated = sections.across_reconstructions(p, own)  # 7. across many reconstructions
    page = Section.joined((source, described, compared, factors, clinician, skills, detectable, replicated))
    return AnalysisResult(
        notebook="rsw_quality_factors",
        params=dict(p),
        scalars=page.scalars,
        tables=page.tables,
        data=page.data,
        figures_used=list(FIGURES_USED),
        inputs={**registry_input(), **own_inputs},
    )
