"""The national_context page's summaries, written once and filled from a run (:mod:`helpers.page.narrative`).

What the brief says follows the run: the reconciliation with DfE's headline count only when the run read one,
the model's conclusion as the model gives it at the run's turnover, the bound on what leaving could explain only
where it bounds anything, and the local authorities only when the run read DfE's files. Numbers read from a folder
of DfE files that are not the ones the registry quotes are marked as the user's (``own_records``).
"""

from __future__ import annotations

from collections.abc import Mapping

from helpers.page.narrative import Brief, Context
from helpers.results import Scalar


def _share_item(scalars: Mapping[str, Scalar]) -> str:
    text = (
        "In England, {cla_three_plus_share_printed:.0%} of [[children looked after]] at the end of March "
        "{cla_year_text} had three or more social workers that year ({cla_three_plus:,d} of {cla_total:,d}"
    )
    if scalars.get("cla_headline_known"):
        return text + "; [DfE's headline count](#national-headline): {cla_headline_total:,d})."
    return text + ")."


def _model_item(scalars: Mapping[str, Scalar]) -> str:
    text = (
        "Had children changed worker only when employed social workers left, at random, at a [[turnover]] of "
        "{turnover_rate:.1%}, {turnover_only_share:.1%} would have had three or more."
    )
    if float(scalars["leaving_bound_fraction"]) >= 1:
        return text + " At that turnover, workers leaving could explain all of them."
    return text + (
        " [However unevenly leaving fell](#national-turnover-model), that rate explains at most "
        "{leaving_bound_fraction:.0%} of them: the rest changed worker for other reasons, or their workers (agency "
        "staff too) left more often than average."
    )


def brief(scalars: Mapping[str, Scalar], params: Mapping[str, Scalar], root: str = "../") -> Brief:
    """What the page found, in at most 150 words, for this run's numbers."""
    ctx = Context("national_context", scalars, own_records=bool(scalars.get("own_records")), root=root)
    items = [
        _share_item(scalars),
        _model_item(scalars),
        "The Frontline evaluation reported {frontline_workers_low:d} or {frontline_workers_high:d} workers typically "
        "on a case, and found too few families who had kept one worker.",
    ]
    if scalars.get("la_n_shown") is not None:
        items.append("{la_brief_text}")
    limits = (
        "**What this cannot show.** Why children changed worker, or how often children in need (the evaluations' "
        "families) do."
    )
    return Brief(ctx, items, limits)


def landing(scalars: Mapping[str, Scalar]) -> str:
    """The landing page's paragraph for this page (a template, filled from the committed numbers)."""
    return (
        "In England, {cla_three_plus_share_printed:.0%} of [[children looked after]] had three or more social workers "
        "in the year to March {cla_year_text}; workers leaving as often as the average employed worker explain at most "
        "{leaving_bound_fraction:.0%} of them."
    )
