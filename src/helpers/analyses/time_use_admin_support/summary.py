"""The time_use_admin_support page's summaries, written once and filled from a run (:mod:`helpers.page.narrative`)."""

from __future__ import annotations

from collections.abc import Mapping

from helpers.results import Scalar


def landing(scalars: Mapping[str, Scalar]) -> str:
    """The landing page's paragraph for this page (a template, filled from the committed numbers)."""
    return (
        "With personal assistants, social workers' time with families rose from {family_share_before:.0%} to "
        "{family_share_after:.0%} of their working time, and time on administration fell from {admin_share_be"
        "fore:.0%} to {admin_share_after:.0%}. These are before-and-after figures without a comparison group:"
        " they show a change, not what caused it."
    )
