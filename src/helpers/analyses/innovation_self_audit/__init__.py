"""Innovation Programme Thematic Report 1: a service's self-audit against its recommendations.

Published (Rees Centre for DfE, 2017): a synthesis of the evaluations of 17
Wave 1 projects about good social work systems and practice, whose lessons
"point to a number of recommendations"; services are encouraged to self-audit
against them with a tool in the report's Appendix 2. That tool's exact items
were not found, so this audit is built from the report's own lists, word for
word (``data/innovation_audit/items.csv``, each item with the sentence it
was taken from):

* the core principles reflected in virtually all projects;
* the key ingredients of good social work practice;
* the common features of projects that appear to be successful;
* the conditions that help to establish and sustain them.

A service rates every item on the compendium's five-level scale (:data:`SCALE`)
in a YAML answers file (``answers_path``). The default is an *invented example*
shipped with the compendium, not a real service. The analysis

1. checks that the audit has exactly the items of the report's lists, by
   reproducing the registry's counts of each list from the items file;
2. scores each theme (mean rating, and the share of its items established or
   embedded);
3. lists the weakest items first, as the service's priorities.

The code, by module: ``items`` (the scale, and the report's lists as items),
``answers`` (reading a service's file), ``parameters``, ``scoring`` (the ranking of items,
and what the weakest theme depends on), ``sections`` (one function per section of the
page, called by :func:`run` in page order), ``tables`` and ``figures`` (for the page).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from helpers.engine.paths import ROOT, sha256_file
from helpers.page import kinds, reproduce
from helpers.page.registry import published, registry_input
from helpers.page.reproduce import FigureUse
from helpers.results import AnalysisResult, Section

from .answers import EXAMPLE_ANSWERS, Answers, AnswersError, answers_file, read_answers
from .figures import plot_heatmap, plot_scoring_dependence, plot_theme_scores
from .items import (
    ITEMS_FILE,
    N_ITEMS,
    SCALE,
    THEMES_FILE,
    AuditDefinitionError,
    Item,
    Theme,
    _audit,
    load_audit,
    scale_table,
)
from .parameters import PARAMETERS, Parameters
from .scoring import spacing_scores, weakest_gap_model
from .sections import (
    _lower_first,
    answers_section,
    count_checks,
    items_section,
    lists_section,
    priorities_section,
    ratings_table,
    scale_section,
    scores_section,
)
from .tables import items_table, lists_table, priorities_table, themes_table

__all__ = [
    "EXAMPLE_ANSWERS",
    "ITEMS_FILE",
    "KINDS",
    "N_ITEMS",
    "PARAMETERS",
    "SCALE",
    "SUMMARY",
    "TITLE",
    "Answers",
    "AnswersError",
    "AuditDefinitionError",
    "Item",
    "Parameters",
    "Theme",
    "_audit",
    "_lower_first",
    "answers_file",
    "check_inputs",
    "items_table",
    "lists_table",
    "load_audit",
    "plot_heatmap",
    "plot_scoring_dependence",
    "plot_theme_scores",
    "priorities_table",
    "read_answers",
    "run",
    "scale_table",
    "spacing_scores",
    "themes_table",
    "weakest_gap_model",
]

TITLE = "Innovation Programme: a self-audit against the thematic report's recommendations"
SUMMARY = (
    f"Thematic Report 1 ({published('innovation_projects')} Innovation Programme projects, 2017): "
    "a service's self-audit against the report's core principles, key ingredients, common features and "
    "enabling conditions; scores by theme and priorities"
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
    checks = count_checks(themes, table)
    reproduce.require(checks)
    scores = scores_section(themes, table)  # 3. scores by theme
    page = Section.joined(
        [
            answers_section(answers, path),  # whose ratings these are
            lists_section(themes, items, table, checks),  # 1. the audit's items: the report's own lists
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
        checks=checks,
        figures_used=[
            FigureUse("innovation_projects", "quoted"),
            *[FigureUse(c.figure_id, "reproduced", c.status) for c in checks],
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


#: The kind of every number the page states (helpers.page.kinds). Published: the number of projects. Computed: the
#: number of items in each of the report's lists (the report prints the lists, not their lengths; the registry
#: grades those counts "inferred"), counted from the items file. Every score, rating count and priority comes from
#: the invented example's ratings (or the compendium's scale): assumption (an illustration).
KINDS = kinds.declare(
    published=["n_projects"],
    computed=[
        "n_items",
        "n_themes",
        "n_core_principles",
        "n_key_ingredients",
        "n_common_features",
        "n_enabling_conditions",
    ],
    assumption=[
        "scale_min",
        "scale_max",
        "overall_score",
        "overall_mean_rating",
        "overall_share_established",
        "score_core_principles",
        "score_key_ingredients",
        "score_common_features",
        "score_enabling_conditions",
        "strongest_theme_score",
        "weakest_theme_score",
        "n_priorities",
        "n_priority_items",
        "n_tied_with_last_priority",
        "n_items_not_in_place",
        "n_items_embedded",
        "spacing_range_low",
        "spacing_range_high",
        "weakest_theme_flip_spacing",
    ],
)
