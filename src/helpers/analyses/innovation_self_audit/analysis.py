"""The innovation_self_audit analysis: ``run()`` (and what it needs), loaded on first use of the package's ``run``."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from helpers.engine.paths import ROOT, sha256_file
from helpers.page.registry import registry_input
from helpers.page.reproduce import FigureUse
from helpers.results import AnalysisResult, Section

from .answers import EXAMPLE_ANSWERS, answers_file, read_answers
from .items import ITEMS_FILE, THEMES_FILE, AuditDefinitionError, _audit
from .parameters import PARAMETERS
from .sections import (
    answers_section,
    items_section,
    lists_section,
    priorities_section,
    ratings_table,
    registry_count_problems,
    scale_section,
    scores_section,
)


def check_inputs(params: Mapping[str, Any]) -> None:
    """Validate the answers file before a kernel starts (``compendium run``)."""
    p = PARAMETERS.validate(params)
    read_answers(answers_file(p.answers_path))


def run(params: Mapping[str, Any]) -> AnalysisResult:
    """The whole audit for validated parameters, section by section of the page."""
    p = PARAMETERS.validate(params)
    themes, items = _audit()
    path = answers_file(p.answers_path)
    answers = read_answers(path, items)
    table = ratings_table(themes, items, answers)
    problems = registry_count_problems(themes, table)
    if problems:
        raise AuditDefinitionError(f"{ITEMS_FILE}: " + "; ".join(problems))
    scores = scores_section(themes, table)  # 3. scores by theme
    page = Section.joined(
        [
            answers_section(answers, path, p.answers_path == EXAMPLE_ANSWERS),  # whose ratings these are
            lists_section(themes, items, table),  # 1. the audit's items: the report's own lists
            scale_section(),  # 2. the rating scale
            scores,
            items_section(table),  # 4. every item
            priorities_section(table, scores.tables["themes"], p.n_priorities),  # 5. the service's priorities
        ]
    )
    return AnalysisResult(
        notebook="innovation_self_audit",
        params=dict(p),
        scalars=page.scalars,
        tables=page.tables,
        data=page.data,
        figures_used=[
            FigureUse("innovation_projects", "quoted"),
            # The registry's counts of the lists (the compendium's, graded inferred) check the items file: an input.
            *[FigureUse(t.count_figure, "input") for t in themes if t.count_figure],
        ],
        inputs=_inputs(p.answers_path, path),
    )


def _inputs(answers_path: str, path: Path) -> dict[str, str]:
    """The registry, the audit's definition and the answers file, with their digests (the shipped example
    under its path in the repository)."""
    return {
        **registry_input(),
        str(ITEMS_FILE.relative_to(ROOT)): sha256_file(ITEMS_FILE),
        str(THEMES_FILE.relative_to(ROOT)): sha256_file(THEMES_FILE),
        (answers_path if answers_path == EXAMPLE_ANSWERS else str(path)): sha256_file(path),
    }
