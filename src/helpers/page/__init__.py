"""The page: what a notebook shows and records.

``glue`` (numbers glued into the book), ``present`` (figures, tables and provenance lines),
``plotting`` (the one seaborn theme and shared plots), ``registry`` (published figures, with
their sources), ``ledger`` and ``reproduce`` (published figures reproduced and checked),
``kinds`` (published, computed, synthetic or assumed: the mark beside each number),
``text`` (numbers in words), ``sources``, ``statements`` and ``evidence`` (what the evaluators said, from
which sources, and the strength of evidence derived from their designs), ``cards`` and ``narrative``
(evidence cards and "In brief" summaries, written once and filled from a run).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from helpers.lazy import lazy_exports

#: What a notebook needs, importable in one line (``from helpers.page import glue_scalars, ...``);
#: each is loaded from its module on first use, so importing one light module does not load
#: matplotlib and seaborn.
_EXPORTS = {
    "glue_scalars": "glue",
    "glue_provenance": "present",
    "show_figure": "present",
    "show_table": "present",
    "use_theme": "plotting",
    "published": "registry",
    "published_share": "registry",
    "checks_table": "reproduce",
    "show_brief": "narrative",
    "show_card": "cards",
}
__all__ = [
    "checks_table",
    "glue_provenance",
    "glue_scalars",
    "published",
    "published_share",
    "show_brief",
    "show_card",
    "show_figure",
    "show_table",
    "use_theme",
]

if TYPE_CHECKING:
    from helpers.page.cards import show_card
    from helpers.page.glue import glue_scalars
    from helpers.page.narrative import show_brief
    from helpers.page.plotting import use_theme
    from helpers.page.present import glue_provenance, show_figure, show_table
    from helpers.page.registry import published, published_share
    from helpers.page.reproduce import checks_table


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
