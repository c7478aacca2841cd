"""The link_worker_monitoring page's evidence card: the compendium's own words on it (the rest is quoted or derived)."""

from __future__ import annotations

from helpers.page.cards import Card

CARD = Card(
    title="A link social worker in children's centres",
    evaluation="link_worker",
    question=(
        "What did a social worker based in two children's centres add, in the eyes of the people who worked with "
        "the post, and what could its monitoring data show?"
    ),
    size=("link_cases", "link_interviews", "link_interviews_early", "link_interviews_late"),
    adds=(
        "It sets out what the monitoring comparison could and could not detect: on records rebuilt under stated "
        "assumptions (the split of the cases and their counts were not published), a comparison of this size "
        "detects only a large difference ([what the monitoring data could show](#link-monitoring))."
    ),
    would_change=(
        "Counts of professionals involved, before and after the post and in comparable centres without one, "
        "published with their numbers of cases; and more than two centres with a link worker, so that the post "
        "could be told apart from the centres it was placed in."
    ),
    # The compendium's words before a quote that needs its place in the report to be read right.
    context={
        "link_found_meetings": (
            "Of the weekly multi-agency referral meetings the link social worker set up, where children's centre "
            "cases were discussed with other professionals:"
        ),
    },
)
