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

1. checks that the items file lost or added no item, against the registry's
   counts of the lists (the compendium's counts, graded inferred: a check, not a
   reproduction of a published figure), and counts the parts of the report's
   text each list has (its semicolons or bullet points): the page makes one item of
   each part, except where it splits a part in two, which it says;
2. scores each theme (mean rating, and the share of its items established or
   embedded);
3. lists the weakest items first, as the service's priorities.

The code, by module: ``items`` (the scale, and the report's lists as items),
``answers`` (reading a service's file), ``parameters``, ``scoring`` (the ranking of items,
and what the weakest theme depends on), ``sections`` (one function per section of the
page, called by :func:`run` in page order), ``tables`` and ``figures`` (for the page).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from helpers.lazy import lazy_exports
from helpers.page import kinds
from helpers.page.registry import published

from .card import CARD
from .parameters import PARAMETERS, Parameters

if TYPE_CHECKING:
    from .analysis import check_inputs, run
    from .answers import EXAMPLE_ANSWERS, Answers, AnswersError, answers_file, read_answers
    from .figures import plot_heatmap, plot_scoring_dependence, plot_theme_scores
    from .items import ITEMS_FILE, N_ITEMS, SCALE, AuditDefinitionError, Item, Theme, _audit, load_audit, scale_table
    from .scoring import spacing_scores, weakest_gap_model
    from .sections import _lower_first
    from .summary import brief, landing
    from .tables import items_table, lists_table, priorities_table, themes_table

# Loaded on first use (helpers.lazy): `compendium list` and `params` need only the above.
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "brief": "summary",
        "landing": "summary",
        "check_inputs": "analysis",
        "run": "analysis",
        "Answers": "answers",
        "AnswersError": "answers",
        "EXAMPLE_ANSWERS": "answers",
        "answers_file": "answers",
        "read_answers": "answers",
        "plot_heatmap": "figures",
        "plot_scoring_dependence": "figures",
        "plot_theme_scores": "figures",
        "AuditDefinitionError": "items",
        "ITEMS_FILE": "items",
        "Item": "items",
        "N_ITEMS": "items",
        "SCALE": "items",
        "Theme": "items",
        "_audit": "items",
        "load_audit": "items",
        "scale_table": "items",
        "spacing_scores": "scoring",
        "weakest_gap_model": "scoring",
        "_lower_first": "sections",
        "items_table": "tables",
        "lists_table": "tables",
        "priorities_table": "tables",
        "themes_table": "tables",
    },
)

__all__ = [
    "CARD",
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
    "brief",
    "check_inputs",
    "items_table",
    "landing",
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


TITLE = "Innovation Programme: what the thematic report found, and a self-audit against its recommendations"


SUMMARY = (
    f"Thematic Report 1 ({published('innovation_projects')} Innovation Programme projects, 2017): "
    "a service's self-audit against the report's core principles, key ingredients, common features and "
    "enabling conditions; scores by theme and priorities"
)


#: The kind of every number the page states (helpers.page.kinds). Published: the number of projects. The numbers of
#: items and themes are the page's construction, its choice of how to itemise the report's lists (the enabling
#: conditions' sentence has three parts and the page makes four items of it): A. Computed: the parts of the report's
#: text each list has (its semicolons or bullet points), counted from the report's words. Every score, rating count
#: and priority comes from
#: the ratings: on the shipped invented example an assumption (an illustration, never a finding), on a service's
#: own answers the user's records (``records``: D). The scale's ends and the service's name are labels.
_RATINGS = [
    "overall_score",
    "overall_mean_rating",
    "overall_share_established",
    "score_core_principles",
    "score_key_ingredients",
    "score_common_features",
    "score_enabling_conditions",
    "strongest_theme_score",
    "weakest_theme_score",
    "n_tied_with_last_priority",
    "n_items_not_in_place",
    "n_items_embedded",
    "weakest_theme_flip_spacing",
]
KINDS = kinds.declare(
    published={"n_projects": "innovation_projects"},
    computed=[
        "n_core_principles_parts",
        "n_key_ingredients_parts",
        "n_common_features_parts",
        "n_enabling_conditions_parts",
    ],
    assumption=[
        "n_items",
        "n_themes",
        "n_core_principles",
        "n_key_ingredients",
        "n_common_features",
        "n_enabling_conditions",
        *_RATINGS,
        "n_priorities",
        "n_priority_items",
        "spacing_range_low",
        "spacing_range_high",
    ],
    setting=["scale_min", "scale_max", "service"],
    records=_RATINGS,
)
