"""The study_design_power page's evidence card: the compendium's own words on it (the page is the compendium's own
analysis, so the card says so and carries no rating)."""

from __future__ import annotations

from helpers.page.cards import Card

CARD = Card(
    title="Study design: what a comparison of training routes would need",
    question=(
        "How many social workers and families would a study need to compare the outcomes of families served by "
        "workers from different training routes, and how much does requiring families to keep one social worker "
        "add?"
    ),
    uses=(
        "It starts from the Frontline evaluation's published plan and what it reported about case-holding, and from "
        "the size of a trial that allocated social workers at random, and adds stated assumptions about the "
        "difference to detect, clustering, families lost and eligibility."
    ),
    headline=(
        "About {workers_total_recommended:mc#} social workers and {n_referred_recommended:mc#} referred families, "
        "under the page's assumptions"
    ),
    adds=(
        "It works out the design such a study would need, checks it by simulation under the analysis it plans, and "
        "shows how the rule of one social worker per family multiplies the families to refer "
        "([the design](#design-results))."
    ),
    would_change=(
        "Outcome data from such a study, giving the spread of outcomes between workers, the share of families lost "
        "and the share who keep one worker, would replace the page's assumptions."
    ),
)
