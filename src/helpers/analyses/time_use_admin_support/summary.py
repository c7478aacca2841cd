"""The time_use_admin_support page's summaries, written once and filled from a run (:mod:`helpers.page.narrative`)."""

from __future__ import annotations

from collections.abc import Mapping

from helpers.page.narrative import Brief, Context
from helpers.results import Scalar

STEM = "time_use_admin_support"


def _published(scalars: Mapping[str, Scalar]) -> bool:
    return scalars["shares_are_published"] == "the published shares"


def _finding(scalars: Mapping[str, Scalar]) -> str:
    """What the evaluation found, or, in a run that replaced the published shares, what this run assumes."""
    if _published(scalars):
        return (
            "With [[personal assistants|personal assistant (PA)]] (PAs), administration fell from "
            "{admin_share_before:.0%} to {admin_share_after:.0%} of social workers' time; time with families rose from "
            "{family_share_before:.0%} to {family_share_after:.0%} (the evaluation's figures)."
        )
    return (
        "This run replaces the evaluation's shares of time: with [[personal assistants|personal assistant (PA)]] "
        "(PAs), time on administration goes from {admin_share_before:.0%} to {admin_share_after:.0%} of working "
        "time, and time with families from {family_share_before:.0%} to {family_share_after:.0%}."
    )


def _trust(scalars: Mapping[str, Scalar]) -> str:
    """How far the evaluation's figures can be trusted (the same design whatever the run)."""
    subject = "These" if _published(scalars) else "The evaluation's own"
    return (
        subject + " [[before-and-after|before-and-after comparison]] shares have no comparison group; a one-off survey "
        "compared workers with and without a PA ({enough_time_with_pa:.0%} against {enough_time_without_pa:.0%} had "
        "enough time for families). Neither is adjusted, so neither shows PAs caused it."
    )


def _contacts(scalars: Mapping[str, Scalar]) -> str:
    """What the time could buy in contacts with each family, within what the shares allow."""
    time = (
        "If the {family_hours_released:.1f} extra weekly hours went on visits"
        if scalars["family_change_words"] == "rose"
        else "If the time with families went on visits"
    )
    return (
        time + ", a family could be seen {contacts_ratio:.1f} times as often, [however long a visit](#tu-feasible): "
        "at {caseload:.1f} cases, {contacts_threshold:d} contacts in {months_to_threshold_after:.1f} months, not "
        "{months_to_threshold_before:.1f}."
    )


def _cost(scalars: Mapping[str, Scalar]) -> str:
    """The illustrative cost comparison in one sentence (none when no administrative time moved)."""
    if "break_even_hourly_cost_text" not in scalars:
        return ""
    return (
        "PA support cost {pa_cost_per_sw_text} per social worker (read as yearly; no period given); the freed time "
        "is worth more if an hour is worth over about {break_even_hourly_cost_text} ([[break-even]]): value, not "
        "cash, unless posts or overtime are cut."
    )


def brief(scalars: Mapping[str, Scalar], params: Mapping[str, Scalar], root: str = "../") -> Brief:
    """What the page found, in at most about 150 words, for this run's numbers."""
    ctx = Context(STEM, scalars, own_records=bool(scalars.get("own_records")), root=root)
    items = [
        _finding(scalars),
        _trust(scalars),
        _contacts(scalars),
        _cost(scalars),
    ]
    limits = "**What this cannot show.** Whether families were seen more often or did better: only time was measured."
    return Brief(ctx, [item for item in items if item], limits)


def landing(scalars: Mapping[str, Scalar]) -> str:
    """The landing page's paragraph for this page (a template, filled from the committed numbers)."""
    return (
        "With personal assistants, social workers' time with families rose from {family_share_before:.0%} to "
        "{family_share_after:.0%} of their working time, and time on administration fell from "
        "{admin_share_before:.0%} to {admin_share_after:.0%}. These shares are before-and-after figures without a "
        "comparison group: they show a change, not what caused it. If the extra time went on visits, a family "
        "could be seen {contacts_ratio:.1f} times as often."
    )
