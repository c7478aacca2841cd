"""The study_design_power page's evidence card: the compendium's own words on it (the rest is quoted or derived)."""

from __future__ import annotations

from helpers.page.cards import Card

CARD = Card(
    title="What an impact evaluation of Frontline would need",
    question=(
        "How many social workers and families would a study need to compare the outcomes of families served by "
        "workers from different training routes?"
    ),
    uses=(
        "It uses the published design of the Frontline evaluation and of a trial that allocated workers at random, "
        "with stated assumptions about effect sizes and clustering."
    ),
    headline=(
        "About {workers_total_recommended:d} social workers and {n_referred_recommended:,d} referred families, under "
        "the page's assumptions"
    ),
    adds=(
        "It shows why the study's plan was hard to carry out and what a feasible design would need "
        "([the design](#design-results))."
    ),
    would_change="Published outcome data from such a study, with the spread of outcomes between workers.",
)
