"""The link_worker_monitoring page's summaries, written once and filled from a run (:mod:`helpers.page.narrative`)."""

from __future__ import annotations

from collections.abc import Mapping

from helpers.results import Scalar


def landing(scalars: Mapping[str, Scalar]) -> str:
    """The landing page's paragraph for this page (a template, filled from the committed numbers)."""
    return (
        "Monitoring data on {link_cases_published:d} family support cases showed more professionals involved "
        "where the link worker was based; how many more was not published. Most of what the evaluation report"
        "s comes from interviews: people who worked with the post judged that, overall, its challenges were w"
        "orth the gains."
    )
