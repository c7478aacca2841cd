"""The frontline_visits page's summaries, written once and filled from a run (:mod:`helpers.page.narrative`).

The brief follows the run: on the synthetic reconstruction it says what the published averages imply across the
range of study sizes the page assumes, the small end first (the evaluation did not publish how many workers lie
behind its averages, and failed to recruit as many as it needed); on the user's own records it reports their
records, with no synthetic wording and nothing about draws.

The published figures are two averages with no time window: their ratio is a ratio of average visits, and reads
as a rate ratio (visits per month open) only if both routes' cases were followed for the same time, which is
what the reconstructions assume."""

from __future__ import annotations

from collections.abc import Mapping

from helpers.inputs.suppression import MARKER
from helpers.page.narrative import Brief, Context
from helpers.results import Scalar

STEM = "frontline_visits"


def brief(scalars: Mapping[str, Scalar], params: Mapping[str, Scalar], root: str = "../") -> Brief:
    """What the page found, in at most about 150 words, for this run's numbers."""
    own = bool(scalars.get("own_records"))
    ctx = Context(STEM, scalars, own_records=own, root=root)
    return _own_records(ctx) if own else _reconstruction(ctx)


_PUBLISHED = (
    "The evaluation reported [[Frontline]]-trained social workers visited families "
    "{published_visits_frontline:d} times on average and colleagues from other [[routes|training route]] "
    "{published_visits_other:d}: a ratio of average visits of {published_visits_ratio:.2f}."
)


def _reconstruction(ctx: Context) -> Brief:
    s = ctx.scalars
    items = [
        _PUBLISHED + " It gave no time window, interval or number of workers.",
        "**Precision depends on study size**, not published: the page assumes {size_small_workers:d} to "
        "{size_large_workers:d} workers per route. In [[synthetic reconstructions|synthetic reconstruction]] "
        "matching the averages, with equal follow-up on both routes (so the ratio is a [[rate ratio]]), "
        "{size_small_workers:d} workers per route give ratios from {rep_small_rate_ratio_range_low:mc} to "
        "{rep_small_rate_ratio_range_high:mc} (the [[central range]]), and only {rep_small_rate_ratio_detection:mc%} "
        "of studies tell it from no difference; {size_large_workers:d} give {rep_rate_ratio_range_low:mc} to "
        "{rep_rate_ratio_range_high:mc}, and {rep_rate_ratio_detection:mc%}.",
    ]
    if "workers_for_detection_target" in s:
        items.append(
            "By the usual formula, detecting it {detection_target:.0%} of the time needs at least "
            "{workers_for_detection_target:d} workers per route."
        )
    limits = (
        "**What this cannot show.** Routes were not randomised and no outcomes were measured: the averages describe "
        "visits, not their cause or how families fared."
    )
    return Brief(ctx, items, limits)


def _share(name: str, scalars: Mapping[str, Scalar]) -> str:
    """A share reaching the threshold, or words saying it is hidden (its counts are small)."""
    return "a hidden share" if scalars.get(name) == MARKER else "{" + name + ":.0%}"


def _own_records(ctx: Context) -> Brief:
    s = ctx.scalars
    items = [
        "Your records hold {n_cases:,d} cases of {n_workers_total:,d} social workers. [[Frontline]]-trained workers "
        "visited {visits_per_month_frontline:.2f} times a month open, others {visits_per_month_other:.2f}: a "
        "[[rate ratio]] of {rate_ratio:.2f} ({ci_level:.0%} [[confidence interval]] {rate_ratio_ci_low:.2f} to "
        "{rate_ratio_ci_high:.2f}, [[allowing for cases of the same worker being alike|cluster-robust standard "
        "error]]).",
        f"{_share('share_reaching_threshold_frontline', s)} of Frontline cases and "
        f"{_share('share_reaching_threshold_other', s)} of others had {{contact_threshold:d}} or more visits, "
        "counting each visit as one of the contacts Forrester's research indicates for meaningful change work.",
        "For comparison, t" + _PUBLISHED[1:],
    ]
    limits = (
        "**What this cannot show.** Training route was not allocated at random: a difference in visits may come "
        "from caseloads, the cases held or local practice rather than training, and says nothing about outcomes."
    )
    return Brief(ctx, items, limits)


def landing(scalars: Mapping[str, Scalar]) -> str:
    """The landing page's paragraph for this page (a template, filled from the committed numbers)."""
    return (
        "Frontline-trained social workers visited families {published_visits_frontline:d} times on average, "
        "colleagues from other routes {published_visits_other:d} (period not published); children's outcomes could "
        "not be measured. The number of workers is unknown: with an assumed {size_small_workers:d} "
        "per route, a difference that size would be detected in only {rep_small_rate_ratio_detection:mc%} of studies."
    )
