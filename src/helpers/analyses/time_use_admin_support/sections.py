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
    wait_words,
    week_hours,
)
from helpers.analyses.time_use_admin_support.parameters import (
    POT_LABELS,
    Parameters,
    most_per_visit,
    pot_shares,
    visit_demand,
)
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
        "other_change_words": change_words(other["before"], other["after"]),
        "admin_per_family_hour_before": p.admin_share_before / p.family_share_before,
        "admin_per_family_hour_after": p.admin_share_after / p.family_share_after,
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
        "family_hours_change_text": (
            f"{abs(family_released):.1f} hours {'more' if family_released > 0 else 'less'} a week"
            if round(family_released, 1)
            else "no change"
        ),
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
        "caseload_source_text": (
            "England's 2017 average, nearest the pilot"
            if p.caseload == published("dfe_caseload_2017")
            else "the caseload this run assumes"
        ),
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
        **what_the_shares_allow(p),
    }
    visit_table = pd.DataFrame(
        [
            {"part of a visit": "face-to-face time", "hours": p.contact_hours, "comes from": POT_LABELS["family"]},
            {"part of a visit": "travel", "hours": p.travel_hours, "comes from": POT_LABELS[p.travel_from]},
            {"part of a visit": "recording", "hours": p.recording_hours, "comes from": POT_LABELS[p.recording_from]},
        ]
    )
    return Contacts(scalars, visit_table, _caseload_curve(p, visits), contacts, months)


def what_the_shares_allow(p: Parameters) -> dict[str, Any]:
    """How much of a visit may come from outside the time with families, by the published shares
    (:func:`~helpers.analyses.time_use_admin_support.parameters.most_per_visit`): the most recording a visit
    could take from administrative time if all of it came from there, the share of this run's recording that
    could, and the most travel a visit could take from the other time."""
    ratio = {when: pot_shares(p, when)["admin"] / pot_shares(p, when)["family"] for when in WHEN}
    tightest = min(WHEN, key=lambda when: (ratio[when], WHEN.index(when)))
    return {
        "visit_family_core_hours": visit_demand({**p, "recording_from": "admin"})["family"],
        "admin_per_family_hour_least": ratio[tightest],
        "admin_least_when_text": "with PA support" if tightest == "after" else "before PA support",
        "recording_admin_most_hours": most_per_visit({**p, "recording_from": "admin"}, "admin"),
        "travel_other_most_hours": most_per_visit({**p, "travel_from": "other"}, "other"),
        "recording_admin_most_share": recording_admin_most_share(p),
    }


def recording_admin_most_share(p: Parameters) -> float:
    """The largest share of a visit's recording that can come out of administrative time, the rest out of
    the time with families, by the shares (1 when all of it can; 0 when there is no administrative time).

    With a share s of r hours of recording from administration, a visit takes s r from it and
    f0 + (1 - s) r from the time with families (f0: face-to-face time and travel drawn from there); it fits
    while s r <= q (f0 + (1 - s) r), q the administrative hours per hour with families (before and after),
    that is while s <= q (f0 + r) / (r (1 + q)).
    """
    if p.recording_hours == 0:
        return 1.0
    f0 = visit_demand({**p, "recording_from": "admin"})["family"]
    most = min(
        q * (f0 + p.recording_hours) / (p.recording_hours * (1 + q))
        for q in (pot_shares(p, when)["admin"] / pot_shares(p, when)["family"] for when in WHEN)
    )
    return min(1.0, most)


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
    implied: dict[str, float]  # hourly value of the time moved that the published saving implies, by reading


#: The hourly values the published saving implies are printed to whole pounds: "about £9,000" carries two
#: significant figures, and so does an hourly value computed from it (£24.57 would claim four).
SAVING_STEP = 1


def break_even_words(break_even: float) -> str:
    """The break-even hourly cost as the page writes it: two significant figures, which is all its assumed
    contracted week and weeks worked support (about £12, not £12.03)."""
    return gbp(break_even, 1 if break_even >= 10 else 0.1, significant=2)


def implied_hourly_value(saving: float, pa_cost: float, admin_hours_year: float) -> dict[str, float]:
    """The value of an hour of the time moved off administration that the published saving implies, read as
    the value of the time released (``gross``) or as that value less the cost of the support (``net``).

    The secondary source says "PAs cost £4,408 per social worker and saved about £9,000 per social worker"
    without saying which. The page reads it as gross: the sentence sets the saving beside the cost as the
    other side of the account (a figure net of the cost is usually called a net saving), and it is the
    cautious reading (the smaller value of an hour). The page states what the net reading gives too.
    """
    if admin_hours_year <= 0:
        return {}
    return {"gross": saving / admin_hours_year, "net": (saving + pa_cost) / admin_hours_year}


def _readings_text(implied: dict[str, float], break_even: float | None, hours_year: float, gross_if_net: float) -> str:
    """The published saving under both readings, and whether each values an hour above the break-even cost."""
    if not implied or break_even is None:
        return "With no administrative time moved, the published saving implies no value for an hour of it."
    above = [value > break_even for value in implied.values()]
    verdict = (
        "either reading values an hour above the break-even cost"
        if all(above)
        else "neither reading values an hour above the break-even cost"
        if not any(above)
        else "only the net reading values an hour above the break-even cost"
    )
    return (
        f"Read as gross, it values the {hours_year:.0f} hours moved a year at about "
        f"{gbp(implied['gross'], SAVING_STEP)} an hour; read as net of the PA cost, the time released would be worth "
        f"about {gbp(gross_if_net, 100)} and an hour about {gbp(implied['net'], SAVING_STEP)}: {verdict} of "
        f"about {break_even_words(break_even)}."
    )


def cost_comparison(p: Parameters, admin_moved: float) -> Cost:
    """The value of social-worker time moved off administration against the PA's cost, and the break-even
    hourly cost of a social worker's time."""
    n = p.workforce
    admin_hours_year = admin_moved * p.working_weeks
    value_per_sw = admin_hours_year * p.sw_hourly_cost
    net_per_sw = float(net_value(admin_hours_year, p.sw_hourly_cost, p.pa_cost_per_sw))
    break_even = break_even_hourly_cost(admin_hours_year, p.pa_cost_per_sw)
    # (the published saving is read beside the published cost it was reported with, whatever this run's cost)
    saving_published, cost_published = published("hiow_saving_per_sw"), published("hiow_pa_cost_per_sw")
    implied = implied_hourly_value(saving_published, cost_published, admin_hours_year)
    scalars: dict[str, Any] = {
        "sw_per_pa": p.sw_per_pa,
        "pas_for_workforce": n / p.sw_per_pa,
        "pa_cost_per_sw_text": gbp(p.pa_cost_per_sw, 1),
        "pa_cost_workforce_text": gbp(n * p.pa_cost_per_sw, 100),
        "sw_hourly_cost_text": gbp(p.sw_hourly_cost, 1 if float(p.sw_hourly_cost).is_integer() else 0.01),
        "admin_hours_moved_year": admin_hours_year,
        "value_per_sw": value_per_sw,
        "value_per_sw_text": gbp(value_per_sw, 100),
        "net_per_sw": net_per_sw,
        "net_per_sw_text": gbp(net_per_sw, 100),
        "net_workforce_text": gbp(net_per_sw * n, 1000),
        "cost_verdict": ("more than" if net_per_sw > 0 else "less than" if net_per_sw < 0 else "the same as"),
        "saving_published_text": gbp(saving_published, 1),
        "pa_cost_published_text": gbp(cost_published, 1),
        "pa_cost_per_pa_text": gbp(p.pa_cost_per_sw * p.sw_per_pa, 1),
        "break_even_text": (
            f"If the cost is per year, the time moved is worth more than the support whenever an hour of a social "
            f"worker's time is worth more than about {break_even_words(break_even)}: a value of time, not a cash "
            "saving unless posts or overtime are cut"
            if break_even is not None
            else "No administrative time moved, so the time released cannot pay for the support"
        ),
    }
    if p.pa_cost_per_sw > 0:
        scalars["value_cost_ratio"] = value_per_sw / p.pa_cost_per_sw
    if break_even is not None and implied:
        scalars["break_even_hourly_cost_text"] = break_even_words(break_even)
        scalars["implied_hourly_value_text"] = gbp(implied["gross"], SAVING_STEP)
        scalars["implied_hourly_value_net_text"] = gbp(implied["net"], SAVING_STEP)
        scalars["saving_gross_with_cost_text"] = gbp(saving_published + cost_published, 100)
    scalars["saving_readings_text"] = _readings_text(
        implied, break_even, admin_hours_year, saving_published + cost_published
    )
    return Cost(scalars, admin_hours_year, break_even, implied)
