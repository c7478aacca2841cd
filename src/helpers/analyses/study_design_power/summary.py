"""The study_design_power page's summaries, written once and filled from a run (:mod:`helpers.page.narrative`)."""

from __future__ import annotations

from collections.abc import Mapping

from helpers.page.narrative import Brief, Context
from helpers.results import Scalar


def brief(scalars: Mapping[str, Scalar], params: Mapping[str, Scalar], root: str = "../") -> Brief:
    """What the page found, in at most about 150 words, for this run's numbers."""
    ctx = Context("study_design_power", scalars, root=root)
    analyses_differ = scalars["workers_total_worker_means"] != scalars["workers_total_recommended"]
    items = [
        "To detect a difference of {effect_size:g} [[standard deviations|standard deviation]] in a family outcome "
        "with {power_target:.0%} [[power]] ({families_per_worker:d} families per worker, [[intra-class correlation]] "
        "{icc:g}), a study needs **about {workers_total_recommended:mc#} social workers** and "
        "{families_recruited_total_recommended:mc#} recruited families: **{n_referred_recommended:mc#} referrals** "
        "if {eligibility_rate:.0%} keep one worker.",
        "By [[Monte Carlo]] simulation the usual formula {formula_verdict} counting every family once"
        + (
            "; comparing workers' averages needs about {workers_total_worker_means:mc#} workers."
            if analyses_differ
            else "."
        ),
        "Referrals depend most on the {dependence_label}: about {dependence_referrals_at_low:mc#} to "
        "{dependence_referrals_at_high:mc#} over {dependence_range_text}, an assumed range. The "
        "[[one-worker rule|case-holding]] was the evaluation's: allocating by first worker or by team avoids it.",
        "A trial of motivational-interviewing training (per the compendium's notes: secondary) randomised "
        "{mi_workers:d} social workers, with {mi_families:d} families: {mi_power:.0%} power here if all were "
        "analysed.",
    ]
    limits = (
        "**What this cannot show.** The inputs are assumptions; routes are not randomised, so a comparison must "
        "allow for differing cases."
    )
    return Brief(ctx, items, limits)


def landing(scalars: Mapping[str, Scalar]) -> str:
    """The landing page's paragraph for this page (a template, filled from the committed numbers)."""
    return (
        "Under its assumptions, a study comparing families' outcomes between training routes would need about "
        "{workers_total_recommended:mc#} social workers and, if it took only families who keep one worker "
        "throughout, about {n_referred_recommended:mc#} referrals; allocating families by first worker or by team "
        "avoids that rule."
    )
