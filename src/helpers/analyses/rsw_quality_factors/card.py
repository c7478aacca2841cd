"""The rsw_quality_factors page's evidence card: the compendium's own words on it (the rest is quoted or derived)."""

from __future__ import annotations

from helpers.page.cards import Card

CARD = Card(
    title="Reclaiming Social Work units",
    evaluation="rsw",
    question=(
        "Was direct practice with families better in Reclaiming Social Work units than in service as usual, and "
        "which features of the model went with better practice?"
    ),
    size=("rsw_practice_observations", "rsw_local_authorities"),
    adds=(
        "The report's estimates are not public, so the page rebuilds a study of that size from assumed effects and "
        "shows how often it would find all four factors, depending on how they were tested, and what difference "
        "between RSW and service as usual it could detect "
        "([what a study of this size could find](#rsw-results))."
    ),
    would_change=(
        "The report's own estimates, with their intervals and the models behind them (the four factors tested "
        "together or one by one, and how many factors were tested in all), would show how far the four findings "
        "rest on chance or on how they were tested."
    ),
)
