"""The page's parameters: the published time shares, the assumptions of a contracted week, a visit and
a cost, and the rules they must keep together (the shares are of the same working time; a visit's parts
need time to come from; and the visits the published time with families implies must fit in the other
parts of the week they draw on, see :func:`consistent_with_shares`)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from helpers.page.registry import published, published_share
from helpers.params import Constraint, ParameterSet, ParamSpec, param

#: Where each part of a visit's time can come from (see ``visit_capacity``).
POTS = ("family", "admin", "other")
POT_LABELS = {
    "family": "time with families",
    "admin": "administrative time",
    "other": "other time (neither administration nor with families)",
}


#: Shares are compared allowing for binary rounding (0.42 + 0.58 is not exactly 1 in floating point).
TOLERANCE = 1e-9


def _shares_fit(admin: str, family: str) -> Callable[[Mapping[str, Any]], bool]:
    return lambda p: p[admin] + p[family] <= 1 + TOLERANCE


def pot_available(component: str, source: str, pot: str) -> Callable[[Mapping[str, Any]], bool]:
    """A visit component drawn from ``pot`` needs that pot to hold time before and after."""

    def holds(p: Mapping[str, Any]) -> bool:
        if p[source] != pot or p[component] == 0:
            return True
        return all(pot_shares(p, when)[pot] > 0 for when in ("before", "after"))

    return holds


def pot_shares(p: Mapping[str, Any], when: str) -> dict[str, float]:
    """The share of the working time in each part of the week (``before`` or ``after``): administration,
    families and the rest (0 when the rest is only rounding)."""
    admin, family = p[f"admin_share_{when}"], p[f"family_share_{when}"]
    other = 1 - admin - family
    return {"admin": admin, "family": family, "other": other if other > TOLERANCE else 0.0}


def visit_demand(p: Mapping[str, Any]) -> dict[str, float]:
    """Hours one visit takes from each part of the week: face-to-face time from the time with
    families; travel and recording from the parts named by ``travel_from`` and ``recording_from``."""
    demand = dict.fromkeys(POTS, 0.0)
    demand["family"] += p["contact_hours"]
    demand[p["travel_from"]] += p["travel_hours"]
    demand[p["recording_from"]] += p["recording_hours"]
    return demand


# ---------------------------------------------------------------- what the published shares allow
#: The parts of a visit that may come from a part of the week other than the time with families, and from which.
MOVABLE = {"recording_hours": ("recording_from", "admin"), "travel_hours": ("travel_from", "other")}


def most_per_visit(p: Mapping[str, Any], pot: str) -> float:
    """The most hours one visit can take from ``pot`` (administration or the other time) before and after
    alike, given what it takes from the time with families.

    The published share with families is time that was spent: if every hour of it went on visits, the
    visits a week were (hours with families) / (family hours a visit). Whatever those visits take from
    another part of the week must fit in that part's hours, so a visit can take at most
    share(pot) / share(families) x family hours a visit from it, in each period (the contracted hours
    cancel). A scenario asking for more would run that part out first and leave time with families
    unspent, which the published share with families rules out.
    """
    family_need = visit_demand(p)["family"]
    return min(pot_shares(p, when)[pot] / pot_shares(p, when)["family"] * family_need for when in ("before", "after"))


def consistent_with_shares(p: Mapping[str, Any]) -> bool:
    """Whether the visit the parameters describe fits the published shares: nothing a visit takes from
    administration or the other time exceeds :func:`most_per_visit` (so the time with families, as
    published, is what limits the visits, before and after)."""
    demand = visit_demand(p)
    return all(demand[pot] <= most_per_visit(p, pot) * (1 + TOLERANCE) + TOLERANCE for pot in ("admin", "other"))


def _fits_text(component: str) -> Callable[[Mapping[str, Any]], str]:
    """What the rule for ``component`` (recording or travel) allows, with its bound for these values."""
    source, pot = MOVABLE[component]
    what = {"admin": "administrative time", "other": "other time"}[pot]

    def text(p: Mapping[str, Any]) -> str:
        most = most_per_visit(p, pot)
        when = min(("before", "after"), key=lambda w: pot_shares(p, w)[pot] / pot_shares(p, w)["family"])
        shares = pot_shares(p, when)
        moment = "with PA support" if when == "after" else "before PA support"
        return (
            f"at most {most:.2f} hours a visit from {what}: {moment}, {shares[pot]:.0%} of the week in {what} "
            f"against {shares['family']:.0%} with families leaves no more for each visit the time with families "
            f"pays for, and more would leave time with families unspent, which the shares rule out (take it from "
            f"the time with families, {source} = 'family', or shorten it)"
        )

    return text


def _fits(component: str) -> Callable[[Mapping[str, Any]], bool]:
    source, pot = MOVABLE[component]
    return lambda p: p[source] != pot or consistent_with_shares(p)


def feasible_range(p: Mapping[str, Any], name: str) -> tuple[float, float]:
    """The values of the visit-length parameter ``name`` (the others as in ``p``) that keep the visit
    consistent with the published shares (:func:`consistent_with_shares`); every value for a parameter
    the rule does not involve.

    What a visit takes from each part of the week is linear in each of its lengths, so each part's slack
    (:func:`most_per_visit` less what a visit takes from it) is too: the range is where every slack is
    at least zero, found from the slack at ``name`` = 0 and 1.
    """
    low, high = -math.inf, math.inf
    if name not in ("contact_hours", "travel_hours", "recording_hours"):
        return low, high

    def slack(value: float, pot: str) -> float:
        q = {**p, name: value}
        return most_per_visit(q, pot) - visit_demand(q)[pot]

    for pot in ("admin", "other"):
        at0 = slack(0.0, pot)
        step = slack(1.0, pot) - at0
        if step > TOLERANCE:
            low = max(low, -at0 / step)
        elif step < -TOLERANCE:
            high = min(high, -at0 / step)
    return max(low, 0.0), high


class Parameters(
    ParameterSet,
    constraints=(
        Constraint(
            ("family_share_before", "admin_share_before"),
            _shares_fit("admin_share_before", "family_share_before"),
            "at most 1 − admin_share_before (the shares are of the same working time)",
        ),
        Constraint(
            ("family_share_after", "admin_share_after"),
            _shares_fit("admin_share_after", "family_share_after"),
            "at most 1 − admin_share_after (the shares are of the same working time)",
        ),
        Constraint(
            ("recording_from", "recording_hours", "admin_share_before", "admin_share_after"),
            pot_available("recording_hours", "recording_from", "admin"),
            "'family' when the administrative share is 0 before or after (recording cannot come from no time)",
        ),
        Constraint(
            (
                "travel_from",
                "travel_hours",
                "admin_share_before",
                "family_share_before",
                "admin_share_after",
                "family_share_after",
            ),
            pot_available("travel_hours", "travel_from", "other"),
            "'family' when administration and families take all the time before or after (travel "
            "cannot come from no time)",
        ),
        Constraint(
            ("recording_hours", "recording_from"),
            _fits("recording_hours"),
            _fits_text("recording_hours"),
        ),
        Constraint(("travel_hours", "travel_from"), _fits("travel_hours"), _fits_text("travel_hours")),
    ),
):
    """This analysis's parameters, in notebook order (validated values: ``PARAMETERS.validate``)."""

    admin_share_before: float = param(
        published_share("hiow_admin_share_before"),
        "Share of social workers' time on administrative tasks before PA support (published: "
        f"{published('hiow_admin_share_before')}%)",
        minimum=0,
        maximum=1,
    )
    admin_share_after: float = param(
        published_share("hiow_admin_share_after"),
        "Share of social workers' time on administrative tasks with PA support (published: "
        f"{published('hiow_admin_share_after')}%)",
        minimum=0,
        maximum=1,
    )
    family_share_before: float = param(
        published_share("hiow_family_share_before"),
        "Share of social workers' time with families before PA support (published: "
        f"{published('hiow_family_share_before')}%)",
        minimum=0,
        maximum=1,
        minimum_exclusive=True,
    )
    family_share_after: float = param(
        published_share("hiow_family_share_after"),
        "Share of social workers' time with families with PA support (published: "
        f"{published('hiow_family_share_after')}%)",
        minimum=0,
        maximum=1,
        minimum_exclusive=True,
    )
    contracted_hours: float = param(
        37.0,
        "Contracted hours in a full-time social worker's week (plain assumption)",
        minimum=1,
        maximum=80,
        unit="hours per week",
    )
    working_weeks: float = param(
        45.0,
        "Weeks worked in a year, after annual leave and bank holidays (plain assumption)",
        minimum=1,
        maximum=52,
        unit="weeks per year",
    )
    workforce: int = param(
        100,
        "Full-time social workers in the service considered (plain assumption: an illustrative service)",
        minimum=1,
        maximum=1_000_000,
        unit="FTE social workers",
    )
    caseload: float = param(
        float(published("dfe_caseload_2017")),
        "Cases per full-time social worker, each treated as one family (DfE England average for 2017, the "
        f"statistics' first year and the nearest to the pilot: {published('dfe_caseload_2017')})",
        minimum=1,
        maximum=200,
        unit="cases",
    )
    contact_hours: float = param(
        1.0,
        "Face-to-face time with the family in one visit; always drawn from the time with families (plain assumption)",
        minimum=0,
        maximum=24,
        minimum_exclusive=True,
        unit="hours per visit",
    )
    travel_hours: float = param(
        1.0, "Travel to and from one visit (plain assumption)", minimum=0, maximum=24, unit="hours per visit"
    )
    recording_hours: float = param(
        1.0, "Writing up one visit (plain assumption)", minimum=0, maximum=24, unit="hours per visit"
    )
    travel_from: str = param(
        "family",
        "Part of the working week that pays for travel: the time with families, or the other time",
        choices=("family", "other"),
    )
    recording_from: str = param(
        "family",
        "Part of the working week that pays for recording: the time with families, or the administrative time",
        choices=("family", "admin"),
    )
    contacts_threshold: int = param(
        int(published("forrester_contacts_threshold")),
        "Contacts with a family needed for meaningful change work (Forrester, as cited: "
        f"{published('forrester_contacts_threshold')} or more)",
        minimum=1,
        maximum=1000,
        unit="contacts",
    )
    sw_per_pa: int = param(
        int(published("hiow_sw_per_pa")),
        f"Social workers supported by one PA (secondary source: {published('hiow_sw_per_pa')})",
        minimum=1,
        maximum=100,
        unit="social workers",
    )
    pa_cost_per_sw: float = param(
        float(published("hiow_pa_cost_per_sw")),
        "Cost of PA support per social worker, read as per year (secondary source: "
        f"£{published('hiow_pa_cost_per_sw'):,})",
        minimum=0,
        maximum=1_000_000,
        unit="GBP per social worker per year",
    )
    sw_hourly_cost: float = param(
        float(published("cost_sw_hour_ucd2014")),
        "Cost of one hour of a children's services social worker's time (Unit Cost Database, 2013-14 "
        f"prices: £{published('cost_sw_hour_ucd2014')})",
        minimum=0,
        maximum=10_000,
        minimum_exclusive=True,
        unit="GBP per hour",
    )


PARAMETERS = ParamSpec.of(Parameters)
