"""The rsw_quality_factors page's evidence card: the compendium's own words on it (the rest is quoted or derived)."""

from __future__ import annotations

from helpers.page.cards import Card

CARD = Card(
    title="Reclaiming Social Work units",
    evaluation="rsw",
    question=(
        "Was direct practice better in Reclaiming Social Work units, and which features of the model went with "
        "better practice?"
    ),
    size=("rsw_practice_observations", "rsw_local_authorities"),
    adds=(
        "It shows how much a study of that size can tell about four related factors, using observations rebuilt to "
        "match the published figures ([what a reconstruction shows](#rsw-results))."
    ),
    would_change=(
        "The report's estimates with their intervals, and a comparison that allowed for differences between units "
        "and families."
    ),
)
