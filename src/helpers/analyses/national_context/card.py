"""The national_context page's evidence card: the compendium's own words on it (the rest is quoted or derived)."""

from __future__ import annotations

from helpers.page.cards import Card

CARD = Card(
    title="Changes of social worker in England",
    question="How many social workers does a child in care have in a year, and how does that relate to the workforce?",
    uses=(
        "It reads the Department for Education's official statistics on children looked after and on the children's "
        "social work workforce, with a stated model of workers leaving."
    ),
    headline=(
        "{cla_three_plus_share:.0%} of children looked after had three or more social workers in the year to March "
        "{cla_year_text}"
    ),
    adds=(
        "It sets the evaluations' concern with changes of worker against national figures, by local authority "
        "([the national figures](#national-results))."
    ),
    would_change="Figures on why children changed worker (a worker leaving, a move between teams, a case transfer).",
)
