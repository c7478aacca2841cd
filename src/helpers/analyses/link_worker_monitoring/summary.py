"""The link_worker_monitoring page's summaries, written once and filled from a run (:mod:`helpers.page.narrative`).

The brief leads with what the evaluation found (mainly from interviews) and what its monitoring data could and
could not show; what the page adds comes after it. On a synthetic reconstruction that is what a comparison of
that size could detect under stated assumptions, summarised across many reconstructions; on the user's own
records it is their records' estimate and what a comparison of their size could detect.
"""

from __future__ import annotations

from collections.abc import Mapping

from helpers.page.kinds import OWN_RECORDS_KEY
from helpers.page.narrative import Brief, Context
from helpers.results import Scalar

STEM = "link_worker_monitoring"

#: What the evaluation found and what its monitoring data showed: the same on every run.
FOUND = (
    "This evaluation of one pilot post rests mainly on {@link_interviews_early} and {@link_interviews_late}: those "
    "who worked with it judged its challenges worth the gains overall, and stressed a clearly defined role and time "
    "to build trust."
)
MONITORING = (
    "Monitoring data on {@link_cases} showed more professionals involved where the link worker was based, but not "
    "how many more, nor whether chance could explain it."
)


def _synthetic_items(scalars: Mapping[str, Scalar]) -> list[str]:
    against = " (against the finding)" if not scalars["assumed_ratio_agrees"] else ""
    return [
        "On rebuilt records (a [[synthetic reconstruction]], under assumptions), a comparison this size "
        "would reliably detect ({power_target:.0%} [[power]]) only {mdrr:.2f} times as many professionals per case "
        "with the link worker, or more (a [[rate ratio]]). In {rep_n:,d} reconstructions with a true ratio of "
        "{assumed_rate_ratio:.2f}" + against + " it ruled out no difference only "
        "{rep_rate_ratio_detection:mc%} of the time.",
    ]


def _records_items() -> list[str]:
    return [
        "In your records ({records_file}), cases in centres with the link worker had {mean_with:.2f} professionals "
        "each ({n_with:,d} cases) and cases without had {mean_without:.2f} ({n_without:,d}): a [[rate ratio]] of "
        "{rate_ratio_est:.2f} ({ci_level:.0%} [[confidence interval]] {rr_ci_low:.2f} to {rr_ci_high:.2f}, "
        "{p_value_text}). With this many cases, only a ratio of {mdrr:.2f} or more would be detected reliably "
        "({power_target:.0%} [[power]]).",
    ]


def brief(scalars: Mapping[str, Scalar], params: Mapping[str, Scalar], root: str = "../") -> Brief:
    """What the page found, in at most about 150 words, for this run's numbers."""
    own = bool(scalars.get(OWN_RECORDS_KEY))
    ctx = Context(STEM, scalars, own_records=own, root=root)
    if own:
        limits = (
            "**What this cannot show.** Whether the link worker caused a difference: the comparison is between "
            "centres, and other differences between them are mixed in."
        )
        return Brief(ctx, [FOUND, *_records_items()], limits)
    limits = (
        "**What this cannot show.** Whether the post caused any difference: it was placed in chosen centres, so "
        "other differences between them are mixed in. Nor whether more professionals helps families."
    )
    return Brief(ctx, [FOUND, MONITORING, *_synthetic_items(scalars)], limits)


def landing(scalars: Mapping[str, Scalar]) -> str:
    """The landing page's paragraph for this page (a template, filled from the committed numbers)."""
    return (
        "An evaluation mainly from interviews: those who worked with the pilot post judged its challenges worth the "
        "gains overall. Monitoring data on {link_cases_published:d} cases showed more professionals involved where the "
        "link worker was based; how many more was not published, and a comparison that size detects only large "
        "differences."
    )
