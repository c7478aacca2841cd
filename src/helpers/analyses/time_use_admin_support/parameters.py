"""The page's parameters: the published time shares, the assumptions of a contracted week, a visit and
a cost, and the rules they must keep together (the shares are of the same working time; a visit's parts
need time to come from)."""

from __future__ import annotations

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
        float(published("dfe_caseload_2025")),
        "Cases per full-time social worker, each treated as one family (DfE 2025 England average: "
        f"{published('dfe_caseload_2025')})",
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
