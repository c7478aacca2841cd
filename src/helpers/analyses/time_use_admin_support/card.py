"""The time_use_admin_support page's evidence card: the compendium's own words on it (the rest is quoted or derived)."""

from __future__ import annotations

from helpers.page.cards import Card

CARD = Card(
    title="Personal assistants for social workers",
    evaluation="hiow",
    question=(
        "With highly skilled administrators or personal assistants (PAs) taking on their administration, did social "
        "workers spend more of their time with families?"
    ),
    size=(),
    adds=(
        "It turns the published shares into hours with families and into how often each family could be seen, "
        "keeping every assumption within what the published figures allow, and sets the reported cost and saving "
        "against the value of a social worker's time ([the page's results](#time-use-results))."
    ),
    would_change=(
        "Time diaries from comparable social workers without PAs over the same period would show whether the change "
        "in time came from the PAs; counts of visits and families' outcomes would show whether more time meant more, "
        "or better, contact."
    ),
    # The compendium's words before quotes that are not the evaluation's own findings or messages.
    context={
        "hiow_what": "The blog post describes",
        "hiow_practice_admin": "The blog post's author, not the evaluation, draws this message:",
    },
)
