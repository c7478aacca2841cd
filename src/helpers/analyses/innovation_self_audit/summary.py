"""The innovation_self_audit page's summaries, written once and filled from a run (:mod:`helpers.page.narrative`)."""

from __future__ import annotations

from collections.abc import Mapping

from helpers.results import Scalar


def landing(scalars: Mapping[str, Scalar]) -> str:
    """The landing page's paragraph for this page (a template, filled from the committed numbers)."""
    return (
        "The programme's first thematic report drew on the evaluations of {n_projects:d} projects and encoura"
        "ges services to audit themselves against its recommendations; the page turns its lists into an audit"
        " of {n_items:d} items that a service can fill in and score, shown on an invented example."
    )
