"""The innovation_self_audit page's evidence card: the compendium's own words on it (the rest is quoted or derived)."""

from __future__ import annotations

from helpers.page.cards import Card

CARD = Card(
    title="The Innovation Programme's lessons",
    evaluation="innovation",
    question=(
        "What did the first wave of the Innovation Programme teach about good social work systems, and how does a "
        "service check itself against it?"
    ),
    size=("innovation_projects",),
    adds=(
        "It builds, from the lists in the report's summary (the report's own tool, in its appendix, was not seen), an "
        "audit a service can fill in with its own answers, score and re-run; the page shows it on an invented "
        "example, whose scores are not findings ([the audit](#audit-results))."
    ),
    would_change=(
        "Evaluations of the recommended features with comparison groups would show which of them change outcomes "
        "for children."
    ),
)
