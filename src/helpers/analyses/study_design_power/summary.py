"""The study_design_power page's summaries, written once and filled from a run (:mod:`helpers.page.narrative`)."""

from __future__ import annotations

from collections.abc import Mapping

from helpers.results import Scalar


def landing(scalars: Mapping[str, Scalar]) -> str:
    """The landing page's paragraph for this page (a template, filled from the committed numbers)."""
    return (
        "Under the page's stated assumptions, a study comparing families' outcomes between workers from diffe"
        "rent routes would need about {workers_total_recommended:d} social workers and {n_referred_recommende"
        "d:,d} referred families, far more than the evaluation could recruit."
    )
