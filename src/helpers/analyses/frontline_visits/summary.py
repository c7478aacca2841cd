"""The frontline_visits page's summaries, written once and filled from a run (:mod:`helpers.page.narrative`)."""

from __future__ import annotations

from collections.abc import Mapping

from helpers.results import Scalar


def landing(scalars: Mapping[str, Scalar]) -> str:
    """The landing page's paragraph for this page (a template, filled from the committed numbers)."""
    return (
        "The evaluation reported that Frontline-trained social workers visited families {published_visits_fro"
        "ntline:d} times on average and colleagues trained through other routes {published_visits_other:d}; i"
        "t could not measure impact on children. How precise that difference is depends on how many workers a"
        "nd cases lay behind it, which was not published."
    )
