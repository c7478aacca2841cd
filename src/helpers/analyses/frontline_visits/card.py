"""The frontline_visits page's evidence card: the compendium's own words on it (the rest is quoted or derived)."""

from __future__ import annotations

from helpers.page.cards import Card

CARD = Card(
    title="Frontline: visits by training route",
    evaluation="frontline",
    question=(
        "Did social workers trained by Frontline visit families more often than colleagues trained through other "
        "routes, and what could a study of that kind tell?"
    ),
    size=(),
    adds=(
        "It asks how precisely a study of that kind could estimate the difference in visits, using case records "
        "rebuilt to match the published averages ([what a reconstruction shows](#frontline-results))."
    ),
    would_change=(
        "The numbers of workers, cases and months behind the published averages, which were not published, would "
        "show how precise the difference is."
    ),
)
