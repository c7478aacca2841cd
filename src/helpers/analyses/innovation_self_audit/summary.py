"""The innovation_self_audit page's summaries, written once and filled from a run (:mod:`helpers.page.narrative`).

The brief says what the report is (a synthesis, not rated) and what the page adds: an audit built from the
lists in the report's summary, not the report's own tool (in its appendix, not seen). On the invented example
it states no score: an example's score is not a finding. On a service's own answers it states that service's
scores, weakest theme and first priority (marked as the user's records), and whether the weakest theme depends
on how the scale is scored.
"""

from __future__ import annotations

from collections.abc import Mapping

from helpers.page.kinds import OWN_RECORDS_KEY
from helpers.page.narrative import Brief, Context
from helpers.results import Scalar

STEM = "innovation_self_audit"

REPORT = (
    "The report draws lessons from the evaluations of {n_projects:d} projects; as a [[synthesis|synthesis of "
    "evaluations]], it is not rated for strength of evidence."
)
AUDIT = (
    "It asks services to [[self-audit]] with a tool in its appendix, not seen here. This page's audit is built "
    "instead from the summary's lists (principles, ingredients, features, conditions), in their words, itemised by "
    "the page: {n_items:d} items in {n_themes:d} themes."
)
EXAMPLE = (
    "The ratings shown are those of {ratings_owner_text}: they show what the audit gives (scores by theme, the "
    "weakest items as priorities), not a finding about any service."
)
OWN = (
    "For {service}, ratings reach {overall_score:.0%} of the maximum ({overall_share_established:.0%} of items "
    "{established_label}). Weakest theme: {weakest_theme} ({weakest_theme_score:.0%}); first priority: "
    "{first_priority}, rated {first_priority_level}."
)


def _scoring(scalars: Mapping[str, Scalar]) -> str:
    """Whether the weakest theme holds under other scorings (a [[sensitivity analysis]]), in words."""
    held = "stays the same" if scalars["weakest_theme_holds"] else "changes"
    other = "the same theme" if scalars["weakest_theme_same_by_established"] else "another theme"
    return (
        f"With the scale's steps spaced otherwise (a [[sensitivity analysis]]) the weakest theme {held}; by the share "
        f"of items established or embedded, {other} is weakest."
    )


def brief(scalars: Mapping[str, Scalar], params: Mapping[str, Scalar], root: str = "../") -> Brief:
    """What the page shows, in at most about 150 words, for this run's answers."""
    own = bool(scalars.get(OWN_RECORDS_KEY))
    ctx = Context(STEM, scalars, own_records=own, root=root)
    items = [REPORT, AUDIT, *([OWN, _scoring(scalars)] if own else [EXAMPLE])]
    limits = (
        "**What this cannot show.** A self-audit records what a service says about itself, not an inspection or an "
        "evaluation; a high score is no evidence that families are better served."
    )
    return Brief(ctx, items, limits)


def landing(scalars: Mapping[str, Scalar]) -> str:
    """The landing page's paragraph for this page (a template, filled from the committed numbers)."""
    return (
        "A synthesis of the evaluations of {n_projects:d} projects: most reported some positive change in practice "
        "and in families' experience. The page builds an audit of {n_items:d} items from the summary's lists (the "
        "report's own tool was not seen), shown on an invented example."
    )
