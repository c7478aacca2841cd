"""Social-work assistants in Hampshire and the Isle of Wight: time released and what it buys.

Published (Institute of Public Care 2017, Evaluation Report 23, as quoted in
'Making social work work', 2017): with highly skilled administrators or
personal assistants (PAs), social workers' time on administrative tasks fell
from 36 % to 14 % of their working time and their time with families rose from
34 % to 58 %. A secondary source (Community Care, 21 March 2017) adds one PA
for every three social workers, a cost of £4,408 per social worker and a
saving of about £9,000 per social worker.

The analysis works from these published shares alone:

1. what can be derived from the published inputs: the changes in percentage
   points, the relative changes and the share of time that is neither;
2. hours per week in a contracted week, hours released per social worker,
   and full-time equivalents (FTE) across a workforce of a given size;
3. contacts: with a caseload and the length of a visit (face-to-face time,
   travel and recording, each drawn from a stated part of the working week),
   how many contacts per family per month the time before and after allows,
   and how many months until a family has had Forrester's eight contacts;
4. an *illustrative* cost comparison (the value of social-worker time moved
   off administration against the PA's cost) and the break-even hourly cost
   of a social worker's time, which is the sensitivity analysis that matters
   for a model that is a product of its inputs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from helpers.params import Constraint, ParamSpec, ParameterSet, param
from helpers.page import kinds
from helpers.page.plotting import COLOURS, PERCENT as PERCENT_AXIS, POUNDS, dependence_plot
from helpers.page.registry import published, published_share, registry_input
from helpers.page.reproduce import FigureUse
from helpers.results import AnalysisResult
from helpers.stats.sensitivity import Uncertain, depends_most

TITLE = "Social-work assistants in Hampshire and the Isle of Wight: time released, contacts and cost"
SUMMARY = (
    f"PAs for social workers (HIOW, 2017): admin {published('hiow_admin_share_before')}%→{published('hiow_admin_share_after')}%, "
    f"family time {published('hiow_family_share_before')}%→{published('hiow_family_share_after')}% as hours, FTE, "
    f"contacts per family and months to {published('forrester_contacts_threshold')} contacts; illustrative cost"
)

#: Where each part of a visit's time can come from (see ``visit_capacity``).
POTS = ("family", "admin", "other")
POT_LABELS = {
    "family": "time with families",
    "admin": "administrative time",
    "other": "other time (neither administration nor with families)",
}


#: Shares are compared allowing for binary rounding (0.42 + 0.58 is not exactly 1 in floating point).
TOLERANCE = 1e-9


def _shares_fit(admin: str, family: str):
    return lambda p: p[admin] + p[family] <= 1 + TOLERANCE


def _pot_available(component: str, source: str, pot: str):
    """A visit component drawn from ``pot`` needs that pot to hold time before and after."""

    def holds(p: Mapping[str, Any]) -> bool:
        if p[source] != pot or p[component] == 0:
            return True
        return all(_pot_shares(p, when)[pot] > 0 for when in ("before", "after"))

    return holds


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
            _pot_available("recording_hours", "recording_from", "admin"),
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
            _pot_available("travel_hours", "travel_from", "other"),
            "'family' when administration and families take all the time before or after (travel cannot come from no time)",
        ),
    ),
):
    """This analysis's parameters, in notebook order (validated values: ``PARAMETERS.validate``)."""

    admin_share_before: float = param(
        published_share("hiow_admin_share_before"),
        f"Share of social workers' time on administrative tasks before PA support (published: {published('hiow_admin_share_before')}%)",
        minimum=0,
        maximum=1,
    )
    admin_share_after: float = param(
        published_share("hiow_admin_share_after"),
        f"Share of social workers' time on administrative tasks with PA support (published: {published('hiow_admin_share_after')}%)",
        minimum=0,
        maximum=1,
    )
    family_share_before: float = param(
        published_share("hiow_family_share_before"),
        f"Share of social workers' time with families before PA support (published: {published('hiow_family_share_before')}%)",
        minimum=0,
        maximum=1,
        minimum_exclusive=True,
    )
    family_share_after: float = param(
        published_share("hiow_family_share_after"),
        f"Share of social workers' time with families with PA support (published: {published('hiow_family_share_after')}%)",
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
        f"Cases per full-time social worker, each treated as one family (DfE 2025 England average: {published('dfe_caseload_2025')})",
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
        published("forrester_contacts_threshold"),
        f"Contacts with a family needed for meaningful change work (Forrester, as cited: {published('forrester_contacts_threshold')} or more)",
        minimum=1,
        maximum=1000,
        unit="contacts",
    )
    sw_per_pa: int = param(
        published("hiow_sw_per_pa"),
        f"Social workers supported by one PA (secondary source: {published('hiow_sw_per_pa')})",
        minimum=1,
        maximum=100,
        unit="social workers",
    )
    pa_cost_per_sw: float = param(
        float(published("hiow_pa_cost_per_sw")),
        f"Cost of PA support per social worker, read as per year (secondary source: £{published('hiow_pa_cost_per_sw'):,})",
        minimum=0,
        maximum=1_000_000,
        unit="GBP per social worker per year",
    )
    sw_hourly_cost: float = param(
        float(published("cost_sw_hour_ucd2014")),
        f"Cost of one hour of a children's services social worker's time (Unit Cost Database, 2013-14 prices: £{published('cost_sw_hour_ucd2014')})",
        minimum=0,
        maximum=10_000,
        minimum_exclusive=True,
        unit="GBP per hour",
    )


PARAMETERS = ParamSpec.of(Parameters)


# ---------------------------------------------------------------- time
def _pot_shares(p: Mapping[str, Any], when: str) -> dict[str, float]:
    admin, family = p[f"admin_share_{when}"], p[f"family_share_{when}"]
    other = 1 - admin - family
    return {"admin": admin, "family": family, "other": other if other > TOLERANCE else 0.0}


def week_hours(p: Mapping[str, Any], when: str) -> dict[str, float]:
    """Hours per contracted week in each part of the working time (``before`` or ``after``)."""
    return {pot: share * p["contracted_hours"] for pot, share in _pot_shares(p, when).items()}


def visit_demand(p: Mapping[str, Any]) -> dict[str, float]:
    """Hours one visit takes from each part of the week: face-to-face time from the time with
    families; travel and recording from the parts named by ``travel_from`` and ``recording_from``."""
    demand = dict.fromkeys(POTS, 0.0)
    demand["family"] += p["contact_hours"]
    demand[p["travel_from"]] += p["travel_hours"]
    demand[p["recording_from"]] += p["recording_hours"]
    return demand


def visit_capacity(hours: Mapping[str, float], demand: Mapping[str, float]) -> tuple[float, str]:
    """Visits per week the hours allow, and the part of the week that runs out first.

    Each part of the week that a visit draws on limits the visits to its hours divided by what one
    visit takes from it; the visits possible are the smallest of these limits (an upper bound: it
    assumes every hour of that part can go to visits).
    """
    limits = {pot: hours[pot] / need for pot, need in demand.items() if need > 0}
    binding = min(limits, key=lambda pot: (limits[pot], POTS.index(pot)))
    return limits[binding], binding


def contacts_per_family_month(visits_per_week: float, working_weeks: float, caseload: float) -> float:
    """Visits per week spread evenly over the caseload, per calendar month (a year of working weeks / 12)."""
    return visits_per_week * working_weeks / 12 / caseload


# ---------------------------------------------------------------- what the headline depends on
#: The headline's assumptions, each with its plausible spread (coefficient of variation), for the tornado.
#: The length of a visit's parts, the caseload of a service and its working year vary between services;
#: the published time shares are facts and are not varied.
ASSUMPTION_CV = {
    "contact_hours": 0.25,
    "travel_hours": 0.25,
    "recording_hours": 0.25,
    "caseload": 0.25,
    "working_weeks": 0.05,
    "contracted_hours": 0.10,
}
ASSUMPTION_LABELS = {
    "recording_admin_share": "Share of recording time charged to administrative time",
    "contact_hours": "Face-to-face hours per visit",
    "travel_hours": "Travel hours per visit",
    "recording_hours": "Recording hours per visit",
    "caseload": "Cases per social worker",
    "working_weeks": "Weeks worked in a year",
    "contracted_hours": "Contracted hours in a week",
}
#: Where recording comes from was not published: for the tornado it is a share of recording time charged to
#: administrative time, anywhere from none to all (a flat Beta(1, 1): mean one half, CV 1/sqrt(3)).
RECORDING_SHARE_BASE, RECORDING_SHARE_CV = 0.5, 1 / math.sqrt(3)


def recording_share(recording_from: str) -> float:
    """The categorical ``recording_from`` as the share of recording time charged to administrative time."""
    return 1.0 if recording_from == "admin" else 0.0


def wait_model(p: Mapping[str, Any]):
    """Months to the contact threshold with PA support minus before (negative: PA support shortens the wait),
    vectorised over the assumptions in ``ASSUMPTION_LABELS``; the published shares and the other parameters
    are fixed at ``p``.

    Recording is split: a share ``recording_admin_share`` of it comes out of administrative time, the rest out
    of time with families (0 and 1 are ``recording_from = family`` and ``admin``). As in
    :func:`visit_capacity`, the visits a week are the smallest of each part's hours over what a visit takes
    from it.
    """
    travel_family = p["travel_from"] == "family"

    def months(x: Mapping[str, np.ndarray], when: str) -> np.ndarray:
        s = np.asarray(x["recording_admin_share"], dtype=float)
        rec, travel = np.asarray(x["recording_hours"], dtype=float), np.asarray(x["travel_hours"], dtype=float)
        need = {
            "family": x["contact_hours"] + (travel if travel_family else 0.0) + (1 - s) * rec,
            "admin": s * rec,
            "other": 0.0 * travel if travel_family else travel,
        }
        shares = _pot_shares(p, when)
        visits = None
        for pot, demand in need.items():
            demand = np.asarray(demand, dtype=float)
            hours = shares[pot] * np.asarray(x["contracted_hours"], dtype=float)
            with np.errstate(divide="ignore", invalid="ignore"):
                limit = np.where(demand > 0, hours / np.where(demand > 0, demand, 1.0), np.inf)
            visits = limit if visits is None else np.minimum(visits, limit)
        per_month = visits * np.asarray(x["working_weeks"], dtype=float) / 12 / np.asarray(x["caseload"], dtype=float)
        return p["contacts_threshold"] / per_month

    def model(x: Mapping[str, np.ndarray]) -> np.ndarray:
        return months(x, "after") - months(x, "before")

    model.months = months  # type: ignore[attr-defined]
    return model


def recording_can_be_admin(p: Mapping[str, Any]) -> bool:
    """Whether there is administrative time, before and after, for recording to come out of."""
    return _pot_available("recording_hours", "recording_from", "admin")({**p, "recording_from": "admin"})


def wait_inputs(p: Mapping[str, Any]) -> list[Uncertain]:
    """The headline's assumptions as uncertain inputs: the page's values, with the spreads above. With no
    administrative time before or after, recording can only come from time with families (a share of 0)."""
    recording = (
        Uncertain(
            "recording_admin_share",
            RECORDING_SHARE_BASE,
            RECORDING_SHARE_CV,
            "share",
            ASSUMPTION_LABELS["recording_admin_share"],
        )
        if recording_can_be_admin(p)
        else Uncertain("recording_admin_share", 0.0, 0.0, "share", ASSUMPTION_LABELS["recording_admin_share"])
    )
    return [recording] + [
        Uncertain(name, float(p[name]), cv, "positive", ASSUMPTION_LABELS[name]) for name, cv in ASSUMPTION_CV.items()
    ]


def dependence_grid(u: Uncertain, n: int = 101) -> np.ndarray:
    """The plausible range an input is varied over: a share over all of 0 to 1, a positive quantity over the
    central 95% of its distribution (a fixed input: its one value)."""
    if u.cv == 0:
        return np.array([float(u.base)])
    if u.kind == "share":
        return np.linspace(0.0, 1.0, n)
    return np.linspace(u.quantile(0.025), u.quantile(0.975), n)


def _join_words(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _months_text(months: float) -> str:
    return f"{months:.1f} months"


def dependence(p: Mapping[str, Any]) -> dict[str, Any]:
    """What the headline (the change in the wait for the contact threshold) depends on most: the tornado over
    the assumptions, the top one varied over its plausible range, and where the direction flips."""
    model = wait_model(p)
    inputs = wait_inputs(p)
    return {**depends_most(model, inputs, dependence_grid, 0.0), "model": model, "inputs": inputs}


def _dependence_scalars(p: Mapping[str, Any], dep: Mapping[str, Any], months: Mapping[str, float]) -> dict[str, Any]:
    top, table, flips = dep["top"], dep["table"], dep["flips"]
    out: dict[str, Any] = {
        "dependence_top_input": top.name,
        "dependence_top_label": top.label[0].lower() + top.label[1:],
        "dependence_range_low": float(table["value"].iloc[0]),
        "dependence_range_high": float(table["value"].iloc[-1]),
        "wait_change_low": float(table["outcome"].iloc[0]),
        "wait_change_high": float(table["outcome"].iloc[-1]),
        "wait_change": months["after"] - months["before"],
        "n_flips": len(flips),
    }
    # The two ends of recording: all of it from time with families, all from administrative time.
    ends = {}
    for name, s in (("family", 0.0), ("admin", 1.0))[: 2 if recording_can_be_admin(p) else 1]:
        x = {u.name: np.array([float(p[u.name]) if u.name in p else s]) for u in dep["inputs"]}
        x["recording_admin_share"] = np.array([s])
        ends[name] = {when: float(dep["model"].months(x, when)[0]) for when in ("before", "after")}
    out.update({f"months_{when}_recording_{name}": ends[name][when] for name in ends for when in ("before", "after")})
    out.update(
        {f"wait_verdict_recording_{name}": _wait_words(ends[name]["before"], ends[name]["after"]) for name in ends}
    )
    if top.name == "recording_admin_share" and "admin" in ends:
        if flips:
            out["recording_flip_share"] = flips[0]
            words = (
                f"PA support shortens the wait while no more than {flips[0]:.0%} of recording is charged to "
                f"administrative time, and lengthens it beyond that"
            )
        else:
            words = f"PA support {_wait_words(ends['family']['before'], ends['family']['after'])} the wait over the whole range"
        out["dependence_text"] = (
            f"Of the page's assumptions, the result depends most on where writing up a visit comes from "
            f"(found by moving each assumption in turn): {words}. With all recording charged to time with families "
            f"the wait goes from {_months_text(ends['family']['before'])} to {_months_text(ends['family']['after'])}; "
            f"with all of it charged to administrative time, from {_months_text(ends['admin']['before'])} to "
            f"{_months_text(ends['admin']['after'])}."
        )
    else:
        where = (
            f"the direction flips at {', '.join(f'{v:.3g}' for v in flips)}"
            if flips
            else "the direction does not flip over its plausible range"
        )
        out["dependence_text"] = (
            f"Of the page's assumptions, the result depends most on the {out['dependence_top_label'].lower()} "
            f"(found by moving each assumption in turn): over {out['dependence_range_low']:.3g} to "
            f"{out['dependence_range_high']:.3g} the change in the wait goes from {out['wait_change_low']:+.1f} to "
            f"{out['wait_change_high']:+.1f} months, and {where}."
        )
    others = dep["tornado"].iloc[1:]
    base_sign = np.sign(dep["tornado"].attrs["base_outcome"])
    turning = [
        str(r["label"]).lower()
        for _, r in others.iterrows()
        if np.sign(r["outcome_low"]) != base_sign or np.sign(r["outcome_high"]) != base_sign
    ]
    out["dependence_others_text"] = (
        "No other assumption, moved alone over its spread, changes whether PA support shortens the wait; they "
        "change how long it is."
        if not turning
        else f"Moved alone over its spread, the {_join_words(turning)} also changes whether PA support shortens the wait."
    )
    flip_words = {
        True: "the direction of the result rests on where recording time comes from",
        False: "the direction of the result does not rest on where recording time comes from",
    }
    out["direction_flips"] = bool(flips) and top.name == "recording_admin_share"
    out["direction_flip_text"] = flip_words[out["direction_flips"]]
    return out


# ---------------------------------------------------------------- cost
def net_value(admin_hours_moved_year, sw_hourly_cost, pa_cost_per_sw):
    """Net value per social worker per year (vectorised): the social worker's time moved off
    administration, valued at the hourly cost, less the cost of PA support per social worker."""
    return np.asarray(admin_hours_moved_year) * np.asarray(sw_hourly_cost) - np.asarray(pa_cost_per_sw)


def break_even_hourly_cost(admin_hours_moved_year: float, pa_cost_per_sw: float) -> float | None:
    """The hourly cost of social-worker time at which the time moved exactly pays for the PA
    (``None`` when no time is moved)."""
    return pa_cost_per_sw / admin_hours_moved_year if admin_hours_moved_year > 0 else None


def pounds(amount: float, step: float = 1) -> str:
    """Pounds for prose, rounded to ``step`` (``pounds(4408) == '£4,408'``, ``pounds(12.03, 0.01) == '£12.03'``)."""
    decimals = max(0, -int(np.floor(np.log10(step)))) if step < 1 else 0
    value = round(amount / step) * step
    sign = "−" if value < 0 else ""
    return f"{sign}£{abs(value):,.{decimals}f}"


def _pct(share: float) -> str:
    """A share as a percentage for a table: 36%, 35.5% (no float noise)."""
    return f"{round(100 * share, 6):g}%"


def _change_words(before: float, after: float) -> str:
    if after < before:
        return "fell"
    return "rose" if after > before else "did not change"


def _wait_words(before: float, after: float) -> str:
    """What PA support does to the wait for the contact threshold, in words."""
    if math.isclose(before, after, rel_tol=1e-9):
        return "leaves unchanged"
    return "shortens" if after < before else "lengthens"


def run(params: Mapping[str, Any]) -> AnalysisResult:
    """The whole analysis for validated parameters."""
    p = PARAMETERS.validate(params)
    hours_week = p["contracted_hours"]

    # 1. Derived from the published shares.
    shares = {when: _pot_shares(p, when) for when in ("before", "after")}
    # (rounded to 10 decimals: 0.14 − 0.36 is −0.21999… in binary floating point)
    admin_change_pp = round(100 * (p["admin_share_after"] - p["admin_share_before"]), 10)
    family_change_pp = round(100 * (p["family_share_after"] - p["family_share_before"]), 10)
    admin_relative = p["admin_share_after"] / p["admin_share_before"] - 1 if p["admin_share_before"] > 0 else 0.0
    family_relative = p["family_share_after"] / p["family_share_before"] - 1
    published_inputs = all(
        p[name] == published_share(f"hiow_{name}")
        for name in ("admin_share_before", "admin_share_after", "family_share_before", "family_share_after")
    )
    derived = pd.DataFrame(
        [
            {
                "quantity": "administrative time, change",
                "value": f"{admin_change_pp:+g} percentage points",
                "how": "after − before",
            },
            {
                "quantity": "time with families, change",
                "value": f"{family_change_pp:+g} percentage points",
                "how": "after − before",
            },
            {
                "quantity": "administrative time, relative change",
                "value": f"{admin_relative:+.0%}",
                "how": "after ÷ before − 1",
            },
            {
                "quantity": "time with families, relative change",
                "value": f"{family_relative:+.0%}",
                "how": "after ÷ before − 1",
            },
            {
                "quantity": "other time, before",
                "value": _pct(shares["before"]["other"]),
                "how": "100% − administration − families",
            },
            {
                "quantity": "other time, after",
                "value": _pct(shares["after"]["other"]),
                "how": "100% − administration − families",
            },
        ]
    )

    # 2. Hours per week, hours released, FTE across the workforce.
    hours = {when: week_hours(p, when) for when in ("before", "after")}
    family_released = hours["after"]["family"] - hours["before"]["family"]
    admin_moved = hours["before"]["admin"] - hours["after"]["admin"]
    n = p["workforce"]
    fte_family = family_released * n / hours_week
    fte_admin = admin_moved * n / hours_week
    time_table = pd.DataFrame(
        [
            {
                "part of the week": POT_LABELS[pot],
                "share before": _pct(shares["before"][pot]),
                "share after": _pct(shares["after"][pot]),
                "hours per week before": hours["before"][pot],
                "hours per week after": hours["after"][pot],
                "change, hours per week": hours["after"][pot] - hours["before"][pot],
                "change across the workforce, FTE": (hours["after"][pot] - hours["before"][pot]) * n / hours_week,
            }
            for pot in ("admin", "family", "other")
        ]
    )

    # 3. Contacts.
    demand = visit_demand(p)
    visit_total = p["contact_hours"] + p["travel_hours"] + p["recording_hours"]
    visits, binding, contacts, months = {}, {}, {}, {}
    for when in ("before", "after"):
        visits[when], binding[when] = visit_capacity(hours[when], demand)
        contacts[when] = contacts_per_family_month(visits[when], p["working_weeks"], p["caseload"])
        months[when] = p["contacts_threshold"] / contacts[when]
    # The same months with recording drawn from the other part of the week it may come from: the
    # headline's direction rests on this assumption (PA support shrinks the administrative time).
    alt = "admin" if p["recording_from"] == "family" else "family"
    alt_p = {**p, "recording_from": alt}
    alt_months: dict[str, float] | None = None
    if _pot_available("recording_hours", "recording_from", "admin")(alt_p):
        alt_demand = visit_demand(alt_p)
        alt_months = {}
        for when in ("before", "after"):
            per_week, _ = visit_capacity(hours[when], alt_demand)
            alt_months[when] = p["contacts_threshold"] / contacts_per_family_month(
                per_week, p["working_weeks"], p["caseload"]
            )
    visit_table = pd.DataFrame(
        [
            {"part of a visit": "face-to-face time", "hours": p["contact_hours"], "comes from": POT_LABELS["family"]},
            {"part of a visit": "travel", "hours": p["travel_hours"], "comes from": POT_LABELS[p["travel_from"]]},
            {
                "part of a visit": "recording",
                "hours": p["recording_hours"],
                "comes from": POT_LABELS[p["recording_from"]],
            },
        ]
    )
    caseloads = np.linspace(1, max(40.0, 1.5 * p["caseload"]), 200)
    caseload_curve = pd.DataFrame({"caseload": caseloads})
    for when in ("before", "after"):
        per_month = contacts_per_family_month(visits[when], p["working_weeks"], caseloads)
        caseload_curve[f"months_{when}"] = p["contacts_threshold"] / per_month

    # What the headline depends on most (tornado over its assumptions; the top one varied over its range).
    dep = dependence(p)

    # 4. Illustrative cost comparison.
    admin_hours_year = admin_moved * p["working_weeks"]
    value_per_sw = admin_hours_year * p["sw_hourly_cost"]
    net_per_sw = float(net_value(admin_hours_year, p["sw_hourly_cost"], p["pa_cost_per_sw"]))
    break_even = break_even_hourly_cost(admin_hours_year, p["pa_cost_per_sw"])
    saving_published = published("hiow_saving_per_sw")
    implied = saving_published / admin_hours_year if admin_hours_year > 0 else None
    scalars: dict[str, Any] = {
        # published inputs
        "admin_share_before": p["admin_share_before"],
        "admin_share_after": p["admin_share_after"],
        "family_share_before": p["family_share_before"],
        "family_share_after": p["family_share_after"],
        "shares_are_published": "the published shares"
        if published_inputs
        else "shares changed from the published ones",
        "admin_change_pp": admin_change_pp,
        "family_change_pp": family_change_pp,
        "admin_change_words": _change_words(p["admin_share_before"], p["admin_share_after"]),
        "family_change_words": _change_words(p["family_share_before"], p["family_share_after"]),
        "admin_relative_change": admin_relative,
        "family_relative_change": family_relative,
        "other_share_before": shares["before"]["other"],
        "other_share_after": shares["after"]["other"],
        "enough_time_with_pa": published_share("hiow_enough_time_with_pa"),
        "enough_time_without_pa": published_share("hiow_enough_time_without_pa"),
        # hours
        "contracted_hours": hours_week,
        "admin_hours_before": hours["before"]["admin"],
        "admin_hours_after": hours["after"]["admin"],
        "family_hours_before": hours["before"]["family"],
        "family_hours_after": hours["after"]["family"],
        "other_hours_before": hours["before"]["other"],
        "other_hours_after": hours["after"]["other"],
        "family_hours_released": family_released,
        "admin_hours_moved": admin_moved,
        "workforce": n,
        "family_hours_released_workforce": family_released * n,
        "fte_family_time_released": fte_family,
        "fte_admin_time_moved": fte_admin,
        # contacts
        "caseload": p["caseload"],
        "working_weeks": p["working_weeks"],
        "contact_hours": p["contact_hours"],
        "travel_hours": p["travel_hours"],
        "recording_hours": p["recording_hours"],
        "visit_hours_total": visit_total,
        "travel_from_text": POT_LABELS[p["travel_from"]],
        "recording_from_text": POT_LABELS[p["recording_from"]],
        "visits_per_week_before": visits["before"],
        "visits_per_week_after": visits["after"],
        "binding_before_text": POT_LABELS[binding["before"]],
        "binding_after_text": POT_LABELS[binding["after"]],
        "contacts_per_family_month_before": contacts["before"],
        "contacts_per_family_month_after": contacts["after"],
        "contacts_ratio": contacts["after"] / contacts["before"],
        "contacts_threshold": p["contacts_threshold"],
        "published_contacts_threshold": int(published("forrester_contacts_threshold")),
        "months_to_threshold_before": months["before"],
        "months_to_threshold_after": months["after"],
        "pa_wait_verdict": _wait_words(months["before"], months["after"]),
        # cost
        "sw_per_pa": p["sw_per_pa"],
        "pas_for_workforce": n / p["sw_per_pa"],
        "pa_cost_per_sw_text": pounds(p["pa_cost_per_sw"]),
        "pa_cost_workforce_text": pounds(n * p["pa_cost_per_sw"], 100),
        "sw_hourly_cost_text": pounds(p["sw_hourly_cost"], 0.01),
        "admin_hours_moved_year": admin_hours_year,
        "value_per_sw": value_per_sw,
        "value_per_sw_text": pounds(value_per_sw, 100),
        "net_per_sw": net_per_sw,
        "net_per_sw_text": pounds(net_per_sw, 100),
        "net_workforce_text": pounds(net_per_sw * n, 1000),
        "cost_verdict": ("more than" if net_per_sw > 0 else "less than" if net_per_sw < 0 else "the same as"),
        "saving_published_text": pounds(saving_published),
    }
    if alt_months is not None:
        alt_verdict = _wait_words(alt_months["before"], alt_months["after"])
        scalars.update(
            {
                "recording_alt_text": POT_LABELS[alt],
                "months_to_threshold_before_recording_alt": alt_months["before"],
                "months_to_threshold_after_recording_alt": alt_months["after"],
                "pa_wait_verdict_recording_alt": alt_verdict,
                "recording_flip_text": (
                    "so the direction of the conclusion rests on where recording time comes from"
                    if alt_verdict != scalars["pa_wait_verdict"]
                    else "so the direction of the conclusion does not rest on where recording time comes from"
                ),
            }
        )
    scalars.update(_dependence_scalars(p, dep, months))
    if p["pa_cost_per_sw"] > 0:
        scalars["value_cost_ratio"] = value_per_sw / p["pa_cost_per_sw"]
    if break_even is not None:
        scalars["break_even_hourly_cost_text"] = pounds(break_even, 0.01)
        scalars["implied_hourly_value_text"] = pounds(implied, 0.01)
    return AnalysisResult(
        notebook="time_use_admin_support",
        params=p,
        scalars=scalars,
        tables={
            "derived": derived,
            "time": time_table,
            "visit": visit_table,
            "tornado": dep["tornado"],
            "dependence": dep["table"],
        },
        data={
            "hours": hours,
            "caseload_curve": caseload_curve,
            "contacts": contacts,
            "months": months,
            "admin_hours_moved_year": admin_hours_year,
            "break_even": break_even,
            "implied_hourly_value": implied,
            "dependence_base": recording_share(p["recording_from"])
            if dep["top"].name == "recording_admin_share"
            else float(p[dep["top"].name]),
        },
        figures_used=[
            FigureUse("hiow_admin_share_before", "input"),
            FigureUse("hiow_admin_share_after", "input"),
            FigureUse("hiow_family_share_before", "input"),
            FigureUse("hiow_family_share_after", "input"),
            FigureUse("hiow_sw_per_pa", "input"),
            FigureUse("hiow_pa_cost_per_sw", "input"),
            FigureUse("hiow_saving_per_sw", "input"),
            FigureUse("hiow_enough_time_with_pa", "quoted"),
            FigureUse("hiow_enough_time_without_pa", "quoted"),
            FigureUse("forrester_contacts_threshold", "input"),
            FigureUse("dfe_caseload_2025", "input"),
            FigureUse("cost_sw_hour_ucd2014", "input"),
        ],
        inputs=registry_input(),
    )


#: The kind of every number the page states (helpers.page.kinds). Published: the four time shares, the secondary
#: source's figures, the caseload and the contact threshold. Computed from them alone: the changes and the
#: share of other time. Everything in hours, contacts, months or pounds also rests on the page's assumptions
#: (a contracted week, the length of a visit, where its parts come from, the service's size): assumption.
KINDS = kinds.declare(
    published=[
        "admin_share_before",
        "admin_share_after",
        "family_share_before",
        "family_share_after",
        "enough_time_with_pa",
        "enough_time_without_pa",
        "caseload",
        "contacts_threshold",
        "published_contacts_threshold",
        "sw_per_pa",
        "pa_cost_per_sw_text",
        "sw_hourly_cost_text",
        "saving_published_text",
    ],
    computed=[
        "admin_change_pp",
        "family_change_pp",
        "admin_relative_change",
        "family_relative_change",
        "other_share_before",
        "other_share_after",
    ],
    assumption=[
        "contracted_hours",
        "admin_hours_before",
        "admin_hours_after",
        "family_hours_before",
        "family_hours_after",
        "other_hours_before",
        "other_hours_after",
        "family_hours_released",
        "admin_hours_moved",
        "workforce",
        "family_hours_released_workforce",
        "fte_family_time_released",
        "fte_admin_time_moved",
        "working_weeks",
        "contact_hours",
        "travel_hours",
        "recording_hours",
        "visit_hours_total",
        "visits_per_week_before",
        "visits_per_week_after",
        "contacts_per_family_month_before",
        "contacts_per_family_month_after",
        "contacts_ratio",
        "months_to_threshold_before",
        "months_to_threshold_after",
        "pas_for_workforce",
        "admin_hours_moved_year",
        "value_per_sw",
        "net_per_sw",
        "value_cost_ratio",
        "months_to_threshold_before_recording_alt",
        "months_to_threshold_after_recording_alt",
        "dependence_range_low",
        "dependence_range_high",
        "wait_change_low",
        "wait_change_high",
        "wait_change",
        "n_flips",
        "months_before_recording_family",
        "months_after_recording_family",
        "months_before_recording_admin",
        "months_after_recording_admin",
        "recording_flip_share",
        "pa_cost_workforce_text",
        "value_per_sw_text",
        "net_per_sw_text",
        "net_workforce_text",
        "break_even_hourly_cost_text",
        "implied_hourly_value_text",
    ],
)


# ---------------------------------------------------------------- figures
_POT_COLOURS = {"admin": COLOURS["negative"], "family": COLOURS["primary"], "other": COLOURS["reference"]}
_POT_SHORT = {"admin": "Administrative tasks", "family": "With families", "other": "Other (neither)"}


def plot_time_use(result: AnalysisResult) -> plt.Figure:
    """Stacked bars: hours per contracted week in each part of the working time, before and after."""
    hours = result.data["hours"]
    fig, ax = plt.subplots(figsize=(7.5, 3.4))
    labels = ["Before PA support", "With PA support"]
    y = np.array([1, 0])
    left = np.zeros(2)
    for pot in ("family", "admin", "other"):
        widths = np.array([hours["before"][pot], hours["after"][pot]])
        ax.barh(
            y,
            widths,
            left=left,
            color=_POT_COLOURS[pot],
            label=_POT_SHORT[pot],
            height=0.6,
            alpha=0.55 if pot == "other" else 1.0,
        )
        for yi, lo, w in zip(y, left, widths):
            if w >= 2.5:
                ax.text(
                    lo + w / 2,
                    yi,
                    f"{w:.1f} h",
                    ha="center",
                    va="center",
                    color="white",
                    fontsize=10,
                    fontweight="bold",
                )
        left += widths
    ax.set_yticks(y, labels)
    ax.set_xlim(0, result.scalars["contracted_hours"])
    ax.set_xlabel("Hours per contracted week (hours)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=3, fontsize=9)
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    return fig


def plot_cumulative_contacts(result: AnalysisResult) -> plt.Figure:
    """Contacts per family accumulating month by month, before and after, against the threshold."""
    s = result.scalars
    threshold = s["contacts_threshold"]
    horizon = float(np.ceil(1.25 * max(s["months_to_threshold_before"], s["months_to_threshold_after"])))
    months = np.linspace(0, horizon, 200)
    fig, ax = plt.subplots()
    for when, colour, label in (
        ("before", COLOURS["negative"], "Before PA support"),
        ("after", COLOURS["primary"], "With PA support"),
    ):
        rate = s[f"contacts_per_family_month_{when}"]
        ax.plot(months, rate * months, color=colour, lw=2.2, label=f"{label}: {rate:.2f} a month")
        reach = s[f"months_to_threshold_{when}"]
        ax.plot([reach, reach], [0, threshold], color=colour, ls=":", lw=1.3)
        ax.plot(reach, threshold, "o", color=colour, ms=7)
        ax.annotate(
            f"{reach:.1f} months", (reach, 0), textcoords="offset points", xytext=(3, 4), color=colour, fontsize=9
        )
    ax.axhline(threshold, color=COLOURS["reference"], ls="--", lw=1.2)
    ax.text(0.2, threshold, f" {threshold} contacts", va="bottom", color=COLOURS["reference"], fontsize=9)
    ax.set_xlim(0, horizon)
    ax.set_ylim(0, threshold * 1.35)
    ax.set_xlabel("Months since the case opened (months)")
    ax.set_ylabel("Contacts with the family (count)")
    ax.legend(loc="upper left", fontsize=9)
    fig.tight_layout()
    return fig


def plot_caseload(result: AnalysisResult) -> plt.Figure:
    """Months until a family reaches the threshold, by caseload, before and after."""
    s, curve = result.scalars, result.data["caseload_curve"]
    fig, ax = plt.subplots()
    ax.plot(curve["caseload"], curve["months_before"], color=COLOURS["negative"], lw=2.2, label="Before PA support")
    ax.plot(curve["caseload"], curve["months_after"], color=COLOURS["primary"], lw=2.2, label="With PA support")
    ax.axvline(s["caseload"], color=COLOURS["reference"], ls="--", lw=1.2)
    ax.text(s["caseload"], ax.get_ylim()[1] * 0.97, " caseload used", va="top", color=COLOURS["reference"], fontsize=9)
    ax.set_xlabel("Cases per social worker (count)")
    ax.set_ylabel(f"Months until {s['contacts_threshold']} contacts (months)")
    ax.set_xlim(0, curve["caseload"].max())
    ax.set_ylim(0, None)
    ax.legend(loc="upper left", fontsize=9)
    fig.tight_layout()
    return fig


def plot_break_even(result: AnalysisResult) -> plt.Figure:
    """The value of the social worker's time moved off administration, by the hourly cost of that
    time, against the PA's cost per social worker: where the lines cross, the PA pays for itself."""
    p, d = result.params, result.data
    hours_year = d["admin_hours_moved_year"]
    marks = [p["sw_hourly_cost"]] + [v for v in (d["break_even"], d["implied_hourly_value"]) if v is not None]
    top = 1.6 * max(marks)
    rates = np.linspace(0, top, 200)
    fig, ax = plt.subplots(figsize=(7.0, 5.0))
    ax.plot(
        rates,
        hours_year * rates,
        color=COLOURS["primary"],
        lw=2.2,
        label="Value of the social worker's time moved off administration",
    )
    ax.axhline(p["pa_cost_per_sw"], color=COLOURS["negative"], lw=2.2, label="Cost of PA support per social worker")
    if d["break_even"] is not None:
        ax.plot(d["break_even"], p["pa_cost_per_sw"], "o", color=COLOURS["negative"], ms=8)
        ax.annotate(
            "break-even",
            (d["break_even"], p["pa_cost_per_sw"]),
            textcoords="offset points",
            xytext=(6, -14),
            color=COLOURS["negative"],
            fontsize=9,
        )
    ax.axvline(p["sw_hourly_cost"], color=COLOURS["reference"], ls="--", lw=1.2)
    ax.text(
        p["sw_hourly_cost"],
        ax.get_ylim()[1] * 0.03,
        " hourly cost used",
        va="bottom",
        color=COLOURS["reference"],
        fontsize=9,
    )
    if d["implied_hourly_value"] is not None:
        ax.plot(
            d["implied_hourly_value"],
            published("hiow_saving_per_sw"),
            "D",
            color=COLOURS["secondary"],
            ms=7,
            label="Published saving per social worker (secondary source)",
        )
    ax.set_xlim(0, top)
    ax.set_ylim(0, None)
    ax.xaxis.set_major_formatter(POUNDS)
    ax.yaxis.set_major_formatter(POUNDS)
    ax.set_xlabel("Hourly cost of a social worker's time (£ per hour)")
    ax.set_ylabel("Per social worker per year (£)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=1, fontsize=9)
    fig.tight_layout()
    return fig


def plot_dependence(result: AnalysisResult) -> plt.Figure:
    """How the change in the wait for the contact threshold moves with the assumption it depends on most."""
    s = result.scalars
    top = s["dependence_top_input"]
    fig = dependence_plot(
        result.tables["dependence"],
        ASSUMPTION_LABELS[top] + (" (%)" if top == "recording_admin_share" else ""),
        f"Change in months to {s['contacts_threshold']} contacts\nwith PA support (months)",
        base=result.data["dependence_base"],
        threshold=0.0,
        threshold_label="no change: below, PA support shortens the wait",
        x_formatter=PERCENT_AXIS if top == "recording_admin_share" else None,
    )
    return fig
