"""The national_context page's summaries, written once and filled from a run (:mod:`helpers.page.narrative`)."""

from __future__ import annotations

from collections.abc import Mapping

from helpers.results import Scalar


def landing(scalars: Mapping[str, Scalar]) -> str:
    """The landing page's paragraph for this page (a template, filled from the committed numbers)."""
    return (
        "In England, {cla_three_plus:,d} of the {cla_total:,d} children looked after at the end of March {cla"
        "_year_text} ({cla_three_plus_share:.0%}) had three or more social workers during the year."
    )
