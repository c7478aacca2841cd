"""The frontline_visits page's evidence card: the compendium's own words on it (the rest is quoted or derived)."""

from __future__ import annotations

from helpers.page.cards import Card

CARD = Card(
    title="Frontline: visits by training route",
    evaluation="frontline",
    question=(
        "Did social workers trained by Frontline visit families more often than colleagues trained through other "
        "routes, and how precisely can the two published averages say so?"
    ),
    size=(),
    adds=(
        "It shows how precisely a study could have measured the difference in visits across a range of study sizes "
        "the compendium assumes (the evaluation did not say how many social workers lay behind its averages), using "
        "case records rebuilt to match the published averages, with both routes' cases followed for the same time "
        "([by the size of the study](#frontline-results))."
    ),
    would_change=(
        "The numbers of workers, cases and months behind the published averages, which were not published, would "
        "show how precise the difference is, and whether it is a difference in visit rates; a comparison that "
        "allowed for caseloads and the cases held would be needed before the difference could be put down to "
        "training."
    ),
)
