"""The time_use_admin_support page's evidence card: the compendium's own words on it (the rest is quoted or derived)."""

from __future__ import annotations

from helpers.page.cards import Card

CARD = Card(
    title="Personal assistants for social workers",
    evaluation="hiow",
    question=(
        "With highly skilled administrators (personal assistants) taking on their administration, did social workers "
        "spend more of their time with families?"
    ),
    size=(),
    adds=(
        "It turns the published shares of time into hours with families, and shows what they could mean for how "
        "often a family is seen, within what the published figures allow ([the page's results](#time-use-results))."
    ),
    would_change=(
        "Time diaries from social workers without personal assistants over the same period, or the report's own "
        "counts of visits, would show whether the change in time came from the assistants."
    ),
)
