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
    "Mainly from interviews ({link_interviews_early_published:d} about {link_interviews_early_months_published:d} "
    "months in, {link_interviews_late_published:d} about {link_interviews_late_months_published:d} months in): "
    "those who worked with the post judged its challenges worth the gains overall, and stressed a clearly "
    "defined role and time to build trust."
)
MONITORING = (
    "Monitoring data on {@link_cases} showed more professionals involved where the link worker was based, not how "
    "many more or whether chance could explain it."
)


def _centres(scalars: Mapping[str, Scalar]) -> str:
    """What so few centres do to the detectable ratio (a test between centres), or that no such test exists."""
    if "mdrr_few_centres" in scalars:
        return (
            "; allowing for cases of a centre being alike, with {n_centres:d} centres, {mdrr_few_centres:.1f} or more"
        )
    return "; with {n_centres:d} centres, no test could allow for cases of a centre being alike"


def _synthetic_items(scalars: Mapping[str, Scalar]) -> list[str]:
    against = " (against the finding)" if not scalars["assumed_ratio_agrees"] else ""
    return [
        "Under assumed values (a [[synthetic reconstruction]]), a comparison this size reliably detects "
        "({power_target:.0%} [[power]]) only a [[rate ratio]] of {mdrr:.2f} or more in professionals per case"
        + _centres(scalars)
        + ". Of {rep_n:,d} simulated studies with a true ratio of "
        "{assumed_rate_ratio:.2f}" + against + ", only {rep_rate_ratio_detection:mc%} found a clear difference "
        "(p < {detection_p:g}).",
    ]


def _records_items(scalars: Mapping[str, Scalar]) -> list[str]:
    return [
        "In your records ({records_file}), cases in centres with the link worker had {mean_with:.2f} professionals "
        "each ({n_with:,d} cases) and cases without had {mean_without:.2f} ({n_without:,d}): a [[rate ratio]] of "
        "{rate_ratio_est:.2f} ({ci_level:.0%} [[confidence interval]] {rr_ci_low:.2f} to {rr_ci_high:.2f}, "
        "{p_value_text}). With this many cases, only a ratio of {mdrr:.2f} or more would be detected reliably "
        "({power_target:.0%} [[power]])" + _centres(scalars) + ".",
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
        return Brief(ctx, [FOUND, *_records_items(scalars)], limits)
    limits = (
        "**What this cannot show.** Whether the post caused any difference: it was placed in chosen centres, whose "
        "differences are mixed in. Nor whether more professionals helps families."
    )
    return Brief(ctx, [FOUND, MONITORING, *_synthetic_items(scalars)], limits)


def landing(scalars: Mapping[str, Scalar]) -> str:
    """The landing page's paragraph for this page (a template, filled from the committed numbers)."""
    return (
        "Mainly interviews: those who worked with the pilot post judged its challenges worth the gains overall. "
        "Monitoring data on {link_cases_published:d} cases showed more professionals involved where it was based, "
        "not how many more; under the page's assumptions, a comparison that size detects only large differences."
    )
