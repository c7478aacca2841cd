"""What the page's months depend on: the wait for the contact threshold as a vectorised model of the page's
assumptions, the tornado over them within what the published shares allow, and the ratio of the waits before
and after, which none of them changes."""

from __future__ import annotations

from collections.abc import Mapping
from functools import reduce
from typing import Any

import numpy as np
import pandas as pd

from helpers.analyses.time_use_admin_support.model import months_text, wait_words
from helpers.analyses.time_use_admin_support.parameters import Parameters, feasible_range, pot_shares
from helpers.analyses.time_use_admin_support.sections import recording_admin_most_share
from helpers.page.text import join_words
from helpers.stats.sensitivity import Uncertain, tornado

#: The page's assumptions behind the months, each with its assumed spread (coefficient of variation), for the
#: tornado. The length of a visit's parts, the caseload of a service and its working year vary between services;
#: the published time shares are not varied. These spreads are assumptions: nothing published gives them.
ASSUMPTION_CV = {
    "contact_hours": 0.25,
    "travel_hours": 0.25,
    "recording_hours": 0.25,
    "caseload": 0.25,
    "working_weeks": 0.05,
    "contracted_hours": 0.10,
}
ASSUMPTION_LABELS = {
    "contact_hours": "Face-to-face hours per visit",
    "travel_hours": "Travel hours per visit",
    "recording_hours": "Recording hours per visit",
    "caseload": "Caseload (cases per social worker)",
    "working_weeks": "Weeks worked in a year",
    "contracted_hours": "Contracted hours in a week",
}
#: The tornado's ends, as its figure and text name them.
LOW_END = "10th percentile (or the shares' limit)"
HIGH_END = "90th percentile (or the shares' limit)"


def recording_share(recording_from: str) -> float:
    """The categorical ``recording_from`` as the share of recording time charged to administrative time."""
    return 1.0 if recording_from == "admin" else 0.0


class WaitModel:
    """Months to the contact threshold with PA support (``__call__``), and the ratio of the wait before to the
    wait after (:meth:`ratio`), vectorised over the assumptions in ``ASSUMPTION_LABELS``; the published shares
    and the other parameters are fixed at ``p``.

    Recording may be split: a share ``recording_admin_share`` of it comes out of administrative time, the rest
    out of time with families (0 and 1 are ``recording_from = family`` and ``admin``; the page's own value when
    ``x`` does not give it). As in :func:`~helpers.analyses.time_use_admin_support.model.visit_capacity`, the
    visits a week are the smallest of each part's hours over what a visit takes from it.
    """

    def __init__(self, p: Parameters):
        self.p = p
        self.travel_family = p.travel_from == "family"
        self.share = recording_share(p.recording_from)

    def months(self, x: Mapping[str, np.ndarray], when: str) -> np.ndarray:
        """Months to the contact threshold, ``before`` or ``after``, at each point of ``x``."""
        s = np.asarray(x.get("recording_admin_share", self.share), dtype=float)
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
        return self.months(x, "after")

    def ratio(self, x: Mapping[str, np.ndarray]) -> np.ndarray:
        """The wait before PA support over the wait with it (how many times as many contacts a month)."""
        return self.months(x, "before") / self.months(x, "after")


def wait_model(p: Parameters) -> WaitModel:
    """The months as a vectorised model of the page's assumptions (:class:`WaitModel`)."""
    return WaitModel(p)


def wait_inputs(p: Parameters) -> list[Uncertain]:
    """The months' assumptions as uncertain inputs: the page's values, with the spreads above."""
    return [
        Uncertain(name, float(p[name]), cv, "positive", ASSUMPTION_LABELS[name]) for name, cv in ASSUMPTION_CV.items()
    ]


def wait_bounds(p: Parameters) -> dict[str, tuple[float, float]]:
    """How far each assumption may move, the others at the page's values, and keep the visit consistent with
    the published shares (:func:`~helpers.analyses.time_use_admin_support.parameters.feasible_range`)."""
    return {name: feasible_range(p, name) for name in ASSUMPTION_CV}


def dependence(p: Parameters) -> dict[str, Any]:
    """What the months with PA support depend on most: the tornado over the assumptions, each kept within what
    the published shares allow; the same moves applied to the ratio of the waits; and the months at the two
    ends of where recording may come from."""
    model, inputs, bounds = wait_model(p), wait_inputs(p), wait_bounds(p)
    return {
        "tornado": tornado(model, inputs, bounds=bounds),
        "ratio_tornado": tornado(model.ratio, inputs, bounds=bounds),
        "recording": recording_ends(p, model),
        "model": model,
        "inputs": inputs,
    }


def recording_ends(p: Parameters, model: WaitModel) -> dict[str, dict[str, float]]:
    """Months before and after with all recording charged to time with families (``family``) and with as
    much of it charged to administrative time as the shares allow (``admin_most``)."""
    ends = {}
    for name, s in (("family", 0.0), ("admin_most", recording_admin_most_share(p))):
        x = {n: np.array([float(p[n])]) for n in ASSUMPTION_CV} | {"recording_admin_share": np.array([s])}
        ends[name] = {when: float(model.months(x, when)[0]) for when in ("before", "after")}
    return ends


def dependence_scalars(p: Parameters, dep: Mapping[str, Any], contacts_ratio: float) -> dict[str, Any]:
    """The page's numbers and sentences on what the months depend on."""
    table, ratios = dep["tornado"], dep["ratio_tornado"]
    top = table.iloc[0]
    ratio_low = float(min(ratios["outcome_low"].min(), ratios["outcome_high"].min(), contacts_ratio))
    ratio_high = float(max(ratios["outcome_low"].max(), ratios["outcome_high"].max(), contacts_ratio))
    ends = dep["recording"]
    out: dict[str, Any] = {
        "dependence_top_input": str(top["input"]),
        "dependence_top_label": str(top["label"]).lower(),
        "dependence_range_low": float(top["low_value"]),
        "dependence_range_high": float(top["high_value"]),
        "months_after_low": float(top["outcome_low"]),
        "months_after_high": float(top["outcome_high"]),
        "ratio_low": ratio_low,
        "ratio_high": ratio_high,
        "ratio_fixed": bool(np.isclose(ratio_low, ratio_high, rtol=1e-9)),
        **{f"months_{when}_recording_{name}": ends[name][when] for name in ends for when in ("before", "after")},
        "assumption_spreads_text": spreads_text(),
        "dependence_text": _top_text(table, p),
        "bounded_text": _bounded_text(table),
        "ratio_text": _ratio_text(ratio_low, ratio_high),
        "recording_ends_text": _recording_text(ends, recording_admin_most_share(p)),
    }
    return out


#: Each assumption in a phrase (for the sentence on the spreads).
SPREAD_WORDS = {
    "contact_hours": "face-to-face time",
    "travel_hours": "travel time",
    "recording_hours": "recording time",
    "caseload": "caseload",
    "working_weeks": "weeks worked in a year",
    "contracted_hours": "contracted hours in a week",
}


def spreads_text() -> str:
    """The assumed spreads (coefficients of variation) in words, grouped by value, largest first."""
    groups: dict[float, list[str]] = {}
    for name, cv in ASSUMPTION_CV.items():
        groups.setdefault(cv, []).append(SPREAD_WORDS[name])
    parts = [f"{cv:.0%} for the {join_words(names)}" for cv, names in sorted(groups.items(), reverse=True)]
    return "a coefficient of variation of " + join_words(parts)


def _recording_text(ends: Mapping[str, Mapping[str, float]], most_share: float) -> str:
    """The months at the two ends of where recording may come from, within what the shares allow."""
    family = ends["family"]
    if most_share == 0:
        return (
            "With no administrative time, recording can only come out of the time with families: a family waits "
            f"{months_text(family['before'])} before and {months_text(family['after'])} with PA support."
        )
    admin = ends["admin_most"]
    how_much = "all of it" if most_share >= 1 else f"{most_share:.0%} of it"
    same = np.isclose(family["before"] / family["after"], admin["before"] / admin["after"], rtol=1e-9)
    proportion = "by the same proportion either way" if same else "by a different proportion"
    verdict = wait_words(family["before"], family["after"])
    return (
        f"Charged wholly to the time with families, recording leaves a family waiting {months_text(family['before'])} "
        f"before and {months_text(family['after'])} with PA support; charged to administrative time as far as the "
        f"shares allow ({how_much}), {months_text(admin['before'])} and {months_text(admin['after'])}. PA support "
        f"{verdict} the wait {proportion}."
    )


def _top_text(table: pd.DataFrame, p: Parameters) -> str:
    """The sentence on the assumption the months depend on most."""
    top = table.iloc[0]
    low, high = sorted((float(top["outcome_low"]), float(top["outcome_high"])))
    return (
        f"Moving each assumption in turn, the others held, the months depend most on the "
        f"{str(top['label']).lower()}: between {top['low_value']:.3g} and {top['high_value']:.3g}, a family would "
        f"wait from {months_text(low)} to {months_text(high)} for {p.contacts_threshold} contacts with PA support."
    )


def _bounded_text(table: pd.DataFrame) -> str:
    """Which assumptions the published shares stopped short of their spread."""
    bounded = [str(label).lower() for label, cut in zip(table["label"], table["bounded"], strict=True) if cut]
    if not bounded:
        return "Here every assumption could move over all of its spread."
    return (
        f"The {join_words(bounded)} could not move over all of {'its' if len(bounded) == 1 else 'their'} spread: "
        "beyond the values shown, the visit would take more administrative or other time than the published "
        "shares leave for it, a scenario they rule out."
    )


def _ratio_text(low: float, high: float) -> str:
    """Whether any assumption, moved within what the shares allow, changes how many times as many contacts."""
    if np.isclose(low, high, rtol=1e-9):
        return (
            f"None of these moves changes how many times as many contacts PA support allows ({low:.1f}): within what "
            "the published shares allow, the time with families is always what limits the visits, so the ratio is "
            "the ratio of the shares of time with families."
        )
    return (
        f"Moved within what the published shares allow, these assumptions give {low:.1f} to {high:.1f} times as many "
        "contacts."
    )
