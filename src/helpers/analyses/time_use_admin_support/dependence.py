"""What the headline depends on: the change in the wait for the contact threshold as a vectorised model of
the page's assumptions, the tornado over them, the top one varied over its plausible range, and where the
direction of the result flips."""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import reduce
from typing import Any

import numpy as np
import pandas as pd

from helpers.analyses.time_use_admin_support.model import months_text, wait_words
from helpers.analyses.time_use_admin_support.parameters import Parameters, pot_available, pot_shares
from helpers.page.text import join_words
from helpers.stats.sensitivity import Uncertain, depends_most

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


class WaitModel:
    """Months to the contact threshold with PA support minus before (negative: PA support shortens the wait),
    vectorised over the assumptions in ``ASSUMPTION_LABELS``; the published shares and the other parameters
    are fixed at ``p``.

    Recording is split: a share ``recording_admin_share`` of it comes out of administrative time, the rest out
    of time with families (0 and 1 are ``recording_from = family`` and ``admin``). As in
    :func:`~helpers.analyses.time_use_admin_support.model.visit_capacity`, the visits a week are the smallest
    of each part's hours over what a visit takes from it.
    """

    def __init__(self, p: Parameters):
        self.p = p
        self.travel_family = p.travel_from == "family"

    def months(self, x: Mapping[str, np.ndarray], when: str) -> np.ndarray:
        """Months to the contact threshold, ``before`` or ``after``, at each point of ``x``."""
        s = np.asarray(x["recording_admin_share"], dtype=float)
        rec, travel = np.asarray(x["recording_hours"], dtype=float), np.asarray(x["travel_hours"], dtype=float)
        need = {
            "family": x["contact_hours"] + (travel if self.travel_family else 0.0) + (1 - s) * rec,
            "admin": s * rec,
            "other": 0.0 * travel if self.travel_family else travel,
        }
        shares = pot_shares(self.p, when)
        limits = []
        for pot, need_pot in need.items():
            demand = np.asarray(need_pot, dtype=float)
            hours = shares[pot] * np.asarray(x["contracted_hours"], dtype=float)
            with np.errstate(divide="ignore", invalid="ignore"):
                limits.append(np.where(demand > 0, hours / np.where(demand > 0, demand, 1.0), np.inf))
        visits = reduce(np.minimum, limits)
        per_month = visits * np.asarray(x["working_weeks"], dtype=float) / 12 / np.asarray(x["caseload"], dtype=float)
        return self.p.contacts_threshold / per_month

    def __call__(self, x: Mapping[str, np.ndarray]) -> np.ndarray:
        return self.months(x, "after") - self.months(x, "before")


def wait_model(p: Parameters) -> WaitModel:
    """The headline as a vectorised model of the page's assumptions (:class:`WaitModel`)."""
    return WaitModel(p)


def recording_can_be_admin(p: Mapping[str, Any]) -> bool:
    """Whether there is administrative time, before and after, for recording to come out of."""
    return pot_available("recording_hours", "recording_from", "admin")({**p, "recording_from": "admin"})


def wait_inputs(p: Parameters) -> list[Uncertain]:
    """The headline's assumptions as uncertain inputs: the page's values, with the spreads above. With no
    administrative time before or after, recording can only come from time with families (a share of 0)."""
    label = ASSUMPTION_LABELS["recording_admin_share"]
    recording = (
        Uncertain("recording_admin_share", RECORDING_SHARE_BASE, RECORDING_SHARE_CV, "share", label)
        if recording_can_be_admin(p)
        else Uncertain("recording_admin_share", 0.0, 0.0, "share", label)
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


def dependence(p: Parameters) -> dict[str, Any]:
    """What the headline (the change in the wait for the contact threshold) depends on most: the tornado over
    the assumptions, the top one varied over its plausible range, and where the direction flips."""
    model = wait_model(p)
    inputs = wait_inputs(p)
    return {**depends_most(model, inputs, dependence_grid, 0.0), "model": model, "inputs": inputs}


def dependence_base(p: Parameters, dep: Mapping[str, Any]) -> float:
    """The page's value of the assumption the headline depends on most (marked on its figure)."""
    name = dep["top"].name
    return recording_share(p.recording_from) if name == "recording_admin_share" else float(p[name])


def recording_ends(p: Parameters, dep: Mapping[str, Any]) -> dict[str, dict[str, float]]:
    """Months before and after at the two ends of recording: all of it from time with families (``family``)
    and, where there is administrative time, all of it from administrative time (``admin``)."""
    ends = {}
    for name, s in (("family", 0.0), ("admin", 1.0))[: 2 if recording_can_be_admin(p) else 1]:
        x = {u.name: np.array([float(p[u.name]) if u.name in p else s]) for u in dep["inputs"]}
        x["recording_admin_share"] = np.array([s])
        ends[name] = {when: float(dep["model"].months(x, when)[0]) for when in ("before", "after")}
    return ends


def dependence_scalars(p: Parameters, dep: Mapping[str, Any], months: Mapping[str, float]) -> dict[str, Any]:
    """The page's numbers and sentences on what the headline depends on most."""
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
    ends = recording_ends(p, dep)
    out.update({f"months_{when}_recording_{name}": ends[name][when] for name in ends for when in ("before", "after")})
    out.update(
        {f"wait_verdict_recording_{name}": wait_words(ends[name]["before"], ends[name]["after"]) for name in ends}
    )
    if top.name == "recording_admin_share" and "admin" in ends:
        if flips:
            out["recording_flip_share"] = flips[0]
        out["dependence_text"] = _recording_text(flips, ends)
    else:
        out["dependence_text"] = _top_input_text(out, flips)
    out["dependence_others_text"] = _others_text(dep["tornado"])
    flip_words = {
        True: "the direction of the result rests on where recording time comes from",
        False: "the direction of the result does not rest on where recording time comes from",
    }
    out["direction_flips"] = bool(flips) and top.name == "recording_admin_share"
    out["direction_flip_text"] = flip_words[out["direction_flips"]]
    return out


def _recording_text(flips: list[float], ends: Mapping[str, Mapping[str, float]]) -> str:
    """The dependence sentence when where recording comes from matters most."""
    if flips:
        words = (
            f"PA support shortens the wait while no more than {flips[0]:.0%} of recording is charged to "
            f"administrative time, and lengthens it beyond that"
        )
    else:
        words = (
            f"PA support {wait_words(ends['family']['before'], ends['family']['after'])} the wait over the whole range"
        )
    return (
        f"Of the page's assumptions, the result depends most on where writing up a visit comes from "
        f"(found by moving each assumption in turn): {words}. With all recording charged to time with families "
        f"the wait goes from {months_text(ends['family']['before'])} to {months_text(ends['family']['after'])}; "
        f"with all of it charged to administrative time, from {months_text(ends['admin']['before'])} to "
        f"{months_text(ends['admin']['after'])}."
    )


def _top_input_text(out: Mapping[str, Any], flips: list[float]) -> str:
    """The dependence sentence when another assumption matters most."""
    where = (
        f"the direction flips at {', '.join(f'{v:.3g}' for v in flips)}"
        if flips
        else "the direction does not flip over its plausible range"
    )
    return (
        f"Of the page's assumptions, the result depends most on the {out['dependence_top_label'].lower()} "
        f"(found by moving each assumption in turn): over {out['dependence_range_low']:.3g} to "
        f"{out['dependence_range_high']:.3g} the change in the wait goes from {out['wait_change_low']:+.1f} to "
        f"{out['wait_change_high']:+.1f} months, and {where}."
    )


def _others_text(tornado: pd.DataFrame) -> str:
    """Whether any other assumption, moved alone, changes the direction of the result."""
    others = tornado.iloc[1:]
    base_sign = np.sign(tornado.attrs["base_outcome"])
    turning = [
        str(r["label"]).lower()
        for _, r in others.iterrows()
        if np.sign(r["outcome_low"]) != base_sign or np.sign(r["outcome_high"]) != base_sign
    ]
    if not turning:
        return (
            "No other assumption, moved alone over its spread, changes whether PA support shortens the wait; they "
            "change how long it is."
        )
    return f"Moved alone over its spread, the {join_words(turning)} also changes whether PA support shortens the wait."
