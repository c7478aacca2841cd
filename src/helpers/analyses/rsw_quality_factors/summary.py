"""The rsw_quality_factors page's summaries, written once and filled from a run (:mod:`helpers.page.narrative`).

What the brief says follows the run: on the synthetic reconstruction it states what the reconstructions
show (never one draw's estimates); on the user's own records it states their estimates and says nothing
synthetic. What the evaluation found, and how far its design lets a reader trust it, are the same in both.
"""

from __future__ import annotations

from collections.abc import Mapping

from helpers.page.evidence import BELOW
from helpers.page.kinds import OWN_RECORDS_KEY
from helpers.page.narrative import Brief, Context
from helpers.results import Scalar

from .card import CARD

#: Where the evaluation's design sits on the scale, in words (derived from its rating, never typed).
_PLACE = {BELOW: "below the lowest level", 1: "the lowest level"}


def _found() -> str:
    return (
        "The evaluators found practice significantly better in RSW units than in [[service as "
        "usual]] ({@rsw_practice_observations}), and {significant_factors_published:d} factors "
        "associated with it: [[systemic practice]] training, the [[consultant social worker]] programme, good "
        "[[group case discussion]] and a [[clinician]] in it."
    )


def _trust() -> str:
    rating = CARD.rating()
    level = rating.level if rating is not None else None
    place = _PLACE.get(level, "a level shown on the card") if level is not None else "a level shown on the card"
    return (
        "Units were compared once, unadjusted as far as the summary says: "
        f"{place} of the [[Maryland Scientific Methods Scale]]."
    )


def _reconstruction(scalars: Mapping[str, Scalar]) -> list[str]:
    """What the synthetic reconstruction adds (its numbers are summaries across reconstructions, and follow from
    the effects and the design the page assumes: the brief says so, and concludes nothing wider)."""
    rare = float(scalars["power_all_four"]) < 0.5
    return [
        "Under the page's assumed effects ([[synthetic reconstruction]]), a study this size finds all four in "
        + ("only " if rare else "")
        + "{power_all_four:mc%} of tries, {power_all_four_total:mc%} counting the clinician's [[total association]], "
        "{power_all_four_alone:mc%} testing each alone; with larger real effects, more often.",
        _DETECTS.format(subject="It") + ", assuming {n_units:d} units and an [[intra-class correlation]] of "
        "{mde_icc:.2f}; {mde_range_low:.2f} to {mde_range_high:.2f} for {mde_units_low:d} to {mde_units_high:d} "
        "units and correlations {mde_icc_low:g} to {mde_icc_high:g}.",
    ]


#: What a study of this size reliably detects (a sentence opening; the assumptions follow).
_DETECTS = (
    "{subject} reliably detects ([[power]] {{power:.0%}}) only differences of {{min_detectable_effect:.2f}} "
    "[[standard deviations|standard deviation]] or more between the two"
)


def _records(scalars: Mapping[str, Scalar]) -> list[str]:
    """What the user's records show (their own estimates: marked as theirs)."""
    higher = float(scalars["rsw_vs_sau_difference"]) > 0
    return [
        "In your {n_observations:d} observations in {n_units:d} units, practice quality was "
        "{rsw_vs_sau_difference:.2f} points "
        + ("higher" if higher else "lower")
        + " in RSW units ([[confidence interval]] {rsw_vs_sau_difference_ci_low:.2f} to "
        "{rsw_vs_sau_difference_ci_high:.2f}); {n_significant_factors:d} of the four factors reached "
        "[[significance|significance level]]: {significant_factors_text}.",
        _DETECTS.format(subject="A study like yours")
        + ", assuming an [[intra-class correlation]] of {mde_icc:.2f}; {mde_range_low:.2f} to {mde_range_high:.2f} "
        "with correlations {mde_icc_low:g} to {mde_icc_high:g}.",
    ]


def brief(scalars: Mapping[str, Scalar], params: Mapping[str, Scalar], root: str = "../") -> Brief:
    """What the page found, in at most about 150 words, for this run's numbers."""
    own = bool(scalars.get(OWN_RECORDS_KEY))
    ctx = Context("rsw_quality_factors", scalars, own_records=own, root=root)
    items = [_found(), _trust(), *(_records(scalars) if own else _reconstruction(scalars))]
    limits = "**What this cannot show.** " + (
        "Whether RSW caused better practice."
        if own
        else "The report's estimates, or whether RSW caused better practice."
    )
    return Brief(ctx, items, limits)


def landing(scalars: Mapping[str, Scalar]) -> str:
    """The landing page's paragraph for this page (a template, filled from the committed numbers)."""
    rare = "only " if float(scalars["power_all_four"]) < 0.5 else ""
    return (
        "The report found practice significantly better in RSW units than in [[service as usual]] across "
        "{practice_observations_published:d} coded observations, unadjusted, and named "
        "{significant_factors_published:d} factors. Under assumed effects, a study that size finds all four together "
        f"in {rare}{{power_all_four:mc%}} of tries; more with larger real effects."
    )
