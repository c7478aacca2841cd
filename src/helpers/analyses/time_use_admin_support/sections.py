"""The page's sections, in page order: each returns its numbers (scalars) and its tables."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from helpers.analyses.time_use_admin_support.model import (
    break_even_hourly_cost,
    change_words,
    contacts_per_family_month,
    net_value,
    share_text,
    visit_capacity,
    visit_demand,
    wait_words,
    week_hours,
)
from helpers.analyses.time_use_admin_support.parameters import POT_LABELS, Parameters, pot_available, pot_shares
from helpers.page.registry import published, published_share
from helpers.page.text import gbp

WHEN = ("before", "after")
SHARES = ("admin_share_before", "admin_share_after", "family_share_before", "family_share_after")


# ---------------------------------------------------------------- 1. what follows from the published shares
def published_shares(p: Parameters) -> tuple[dict[str, Any], pd.DataFrame]:
    """The changes in percentage points, the relative changes and the share of time that is neither."""
    other = {when: pot_shares(p, when)["other"] for when in WHEN}
    # (rounded to 10 decimals: 0.14 − 0.36 is −0.21999… in binary floating point)
    admin_change_pp = round(100 * (p.admin_share_after - p.admin_share_before), 10)
    family_change_pp = round(100 * (p.family_share_after - p.family_share_before), 10)
    admin_relative = p.admin_share_after / p.admin_share_before - 1 if p.admin_share_before > 0 else 0.0
    family_relative = p.family_share_after / p.family_share_before - 1
    is_published = all(p[name] == published_share(f"hiow_{name}") for name in SHARES)
    scalars = {
        **{name: p[name] for name in SHARES},
        "shares_are_published": "the published shares" if is_published else "shares changed from the published ones",
        "admin_change_pp": admin_change_pp,
        "family_change_pp": family_change_pp,
        "admin_change_words": change_words(p.admin_share_before, p.admin_share_after),
        "family_change_words": change_words(p.family_share_before, p.family_share_after),
        "admin_relative_change": admin_relative,
        "family_relative_change": family_relative,
        "other_share_before": other["before"],
        "other_share_after": other["after"],
        "enough_time_with_pa": published_share("hiow_enough_time_with_pa"),
        "enough_time_without_pa": published_share("hiow_enough_time_without_pa"),
    }
    change, relative, rest = "after − before", "after ÷ before − 1", "100% − administration − families"
    rows = [
        ("administrative time, change", f"{admin_change_pp:+g} percentage points", change),
        ("time with families, change", f"{family_change_pp:+g} percentage points", change),
        ("administrative time, relative change", f"{admin_relative:+.0%}", relative),
        ("time with families, relative change", f"{family_relative:+.0%}", relative),
        ("other time, before", share_text(other["before"]), rest),
        ("other time, after", share_text(other["after"]), rest),
    ]
    derived = pd.DataFrame([{"quantity": q, "value": v, "how": h} for q, v, h in rows])
    return scalars, derived


# ---------------------------------------------------------------- 2. hours in a week
class Hours(NamedTuple):
    scalars: dict[str, Any]
    table: pd.DataFrame
    hours: dict[str, dict[str, float]]  # before/after -> part of the week -> hours per week
    admin_moved: float  # hours per week moved off administration


def hours_in_a_week(p: Parameters) -> Hours:
    """Hours per week in each part of the week, hours released, and FTE across the workforce."""
    hours_week, n = p.contracted_hours, p.workforce
    shares = {when: pot_shares(p, when) for when in WHEN}
    hours = {when: week_hours(p, when) for when in WHEN}
    family_released = hours["after"]["family"] - hours["before"]["family"]
    admin_moved = hours["before"]["admin"] - hours["after"]["admin"]
    scalars = {
        "contracted_hours": hours_week,
        **{f"{pot}_hours_{when}": hours[when][pot] for pot in ("admin", "family", "other") for when in WHEN},
        "family_hours_released": family_released,
        "admin_hours_moved": admin_moved,
        "workforce": n,
        "family_hours_released_workforce": family_released * n,
        "fte_family_time_released": family_released * n / hours_week,
        "fte_admin_time_moved": admin_moved * n / hours_week,
    }
    table = pd.DataFrame(
        [
            {
                "part of the week": POT_LABELS[pot],
                "share before": share_text(shares["before"][pot]),
                "share after": share_text(shares["after"][pot]),
                "hours per week before": hours["before"][pot],
                "hours per week after": hours["after"][pot],
                "change, hours per week": hours["after"][pot] - hours["before"][pot],
                "change across the workforce, FTE": (hours["after"][pot] - hours["before"][pot]) * n / hours_week,
            }
            for pot in ("admin", "family", "other")
        ]
    )
    return Hours(scalars, table, hours, admin_moved)


# ---------------------------------------------------------------- 3. from time to contacts
class Contacts(NamedTuple):
    scalars: dict[str, Any]
    visit_table: pd.DataFrame
    caseload_curve: pd.DataFrame
    contacts: dict[str, float]  # contacts per family per month, before and after
    months: dict[str, float]  # months to the contact threshold, before and after


def months_to_threshold(p: Parameters, hours: dict[str, dict[str, float]]) -> dict[str, float]:
    """Months until a family has had the threshold's contacts, before and after."""
    demand = visit_demand(p)
    months = {}
    for when in WHEN:
        per_week, _ = visit_capacity(hours[when], demand)
        months[when] = p.contacts_threshold / contacts_per_family_month(per_week, p.working_weeks, p.caseload)
    return months


def from_time_to_contacts(p: Parameters, hours: dict[str, dict[str, float]]) -> Contacts:
    """Visits a week, contacts per family per month and months to the threshold, before and after; the same
    with recording drawn from the other part of the week it may come from; and months by caseload."""
    demand = visit_demand(p)
    visits, binding, contacts, months = {}, {}, {}, {}
    for when in WHEN:
        visits[when], binding[when] = visit_capacity(hours[when], demand)
        contacts[when] = contacts_per_family_month(visits[when], p.working_weeks, p.caseload)
        months[when] = p.contacts_threshold / contacts[when]
    scalars: dict[str, Any] = {
        "caseload": p.caseload,
        "working_weeks": p.working_weeks,
        "contact_hours": p.contact_hours,
        "travel_hours": p.travel_hours,
        "recording_hours": p.recording_hours,
        "visit_hours_total": p.contact_hours + p.travel_hours + p.recording_hours,
        "travel_from_text": POT_LABELS[p.travel_from],
        "recording_from_text": POT_LABELS[p.recording_from],
        **{f"visits_per_week_{when}": visits[when] for when in WHEN},
        **{f"binding_{when}_text": POT_LABELS[binding[when]] for when in WHEN},
        **{f"contacts_per_family_month_{when}": contacts[when] for when in WHEN},
        "contacts_ratio": contacts["after"] / contacts["before"],
        "contacts_threshold": p.contacts_threshold,
        "published_contacts_threshold": int(published("forrester_contacts_threshold")),
        **{f"months_to_threshold_{when}": months[when] for when in WHEN},
        "pa_wait_verdict": wait_words(months["before"], months["after"]),
    }
    scalars.update(_recording_alternative(p, hours, scalars["pa_wait_verdict"]))
    visit_table = pd.DataFrame(
        [
            {"part of a visit": "face-to-face time", "hours": p.contact_hours, "comes from": POT_LABELS["family"]},
            {"part of a visit": "travel", "hours": p.travel_hours, "comes from": POT_LABELS[p.travel_from]},
            {"part of a visit": "recording", "hours": p.recording_hours, "comes from": POT_LABELS[p.recording_from]},
        ]
    )
    return Contacts(scalars, visit_table, _caseload_curve(p, visits), contacts, months)


def _recording_alternative(p: Parameters, hours: dict[str, dict[str, float]], verdict: str) -> dict[str, Any]:
    """The months with recording drawn from the other part of the week it may come from: the headline's
    direction rests on this assumption (PA support shrinks the administrative time). Nothing when there is
    no administrative time for recording to come from."""
    alt = "admin" if p.recording_from == "family" else "family"
    if not pot_available("recording_hours", "recording_from", "admin")({**p, "recording_from": alt}):
        return {}
    alt_months = months_to_threshold(p.replace(recording_from=alt), hours)
    alt_verdict = wait_words(alt_months["before"], alt_months["after"])
    rests = "rests" if alt_verdict != verdict else "does not rest"
    return {
        "recording_alt_text": POT_LABELS[alt],
        "months_to_threshold_before_recording_alt": alt_months["before"],
        "months_to_threshold_after_recording_alt": alt_months["after"],
        "pa_wait_verdict_recording_alt": alt_verdict,
        "recording_flip_text": f"so the direction of the conclusion {rests} on where recording time comes from",
    }


def _caseload_curve(p: Parameters, visits: dict[str, float]) -> pd.DataFrame:
    """Months to the contact threshold by caseload, before and after (the visits a week do not depend on it)."""
    caseloads = np.linspace(1, max(40.0, 1.5 * p.caseload), 200)
    curve = pd.DataFrame({"caseload": caseloads})
    for when in WHEN:
        per_month = contacts_per_family_month(visits[when], p.working_weeks, caseloads)
        curve[f"months_{when}"] = p.contacts_threshold / per_month
    return curve


# ---------------------------------------------------------------- 4. an illustrative cost comparison
class Cost(NamedTuple):
    scalars: dict[str, Any]
    admin_hours_year: float
    break_even: float | None  # hourly cost at which the time moved pays for the PA
    implied: float | None  # hourly value of the time moved that the published saving implies


def cost_comparison(p: Parameters, admin_moved: float) -> Cost:
    """The value of social-worker time moved off administration against the PA's cost, and the break-even
    hourly cost of a social worker's time."""
    n = p.workforce
    admin_hours_year = admin_moved * p.working_weeks
    value_per_sw = admin_hours_year * p.sw_hourly_cost
    net_per_sw = float(net_value(admin_hours_year, p.sw_hourly_cost, p.pa_cost_per_sw))
    break_even = break_even_hourly_cost(admin_hours_year, p.pa_cost_per_sw)
    saving_published = published("hiow_saving_per_sw")
    implied = saving_published / admin_hours_year if admin_hours_year > 0 else None
    scalars: dict[str, Any] = {
        "sw_per_pa": p.sw_per_pa,
        "pas_for_workforce": n / p.sw_per_pa,
        "pa_cost_per_sw_text": gbp(p.pa_cost_per_sw, 1),
        "pa_cost_workforce_text": gbp(n * p.pa_cost_per_sw, 100),
        "sw_hourly_cost_text": gbp(p.sw_hourly_cost, 0.01),
        "admin_hours_moved_year": admin_hours_year,
        "value_per_sw": value_per_sw,
        "value_per_sw_text": gbp(value_per_sw, 100),
        "net_per_sw": net_per_sw,
        "net_per_sw_text": gbp(net_per_sw, 100),
        "net_workforce_text": gbp(net_per_sw * n, 1000),
        "cost_verdict": ("more than" if net_per_sw > 0 else "less than" if net_per_sw < 0 else "the same as"),
        "saving_published_text": gbp(saving_published, 1),
    }
    if p.pa_cost_per_sw > 0:
        scalars["value_cost_ratio"] = value_per_sw / p.pa_cost_per_sw
    if break_even is not None and implied is not None:
        scalars["break_even_hourly_cost_text"] = gbp(break_even, 0.01)
        scalars["implied_hourly_value_text"] = gbp(implied, 0.01)
    return Cost(scalars, admin_hours_year, break_even, implied)
