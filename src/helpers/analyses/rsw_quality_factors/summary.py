"""The rsw_quality_factors page's summaries, written once and filled from a run (:mod:`helpers.page.narrative`)."""

from __future__ import annotations

from collections.abc import Mapping

from helpers.results import Scalar


def landing(scalars: Mapping[str, Scalar]) -> str:
    """The landing page's paragraph for this page (a template, filled from the committed numbers)."""
    return (
        "The report found practice quality significantly higher in RSW units across {practice_observations_pu"
        "blished:d} coded observations, and named {significant_factors_published:d} factors that went with be"
        "tter practice. Its estimates are not public; the page shows how much a study of that size could tell"
        ", on reconstructed data."
    )
