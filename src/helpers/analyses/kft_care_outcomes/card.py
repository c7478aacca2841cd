"""The KFT page's evidence card: the compendium's own words on it (the rest is quoted or derived)."""

from __future__ import annotations

from helpers.page.cards import Card

CARD = Card(
    title="Keeping Families Together units",
    evaluation="kft",
    question=(
        "Did the units keep children and young people referred as at high risk of care at home, against their "
        "own target?"
    ),
    size=("kft_n_referred",),
    adds=(
        "It reproduces the published shares from the counts, puts a margin of error around the share kept at home, "
        "tests it against the target, and shows that any saving depends on how many would have entered care "
        "without the units, which nobody measured ([the cost illustration](#kft-cost))."
    ),
    would_change=(
        "The rate at which similar children entered care without the units, from a comparison group or earlier "
        "years, would say whether the units kept children at home who would otherwise have entered care."
    ),
    # The compendium's words before quotes that need their place in the report to be read right.
    context={
        "kft_found_practice": "Of the KFT units, after the same finding for the RSW units:",
        "kft_found_families": (
            "One of the features of practice that families appreciated, in both the KFT units and the wider RSW units:"
        ),
        "kft_practice_consider": (
            "The report's recommendation about the Reclaiming Social Work model as a whole, of which the KFT "
            "units were one strand:"
        ),
    },
)
