"""The arithmetic of the page: hours in each part of the week, what a visit takes from them, the contacts
the hours allow, and the value of the time moved off administration against the PA's cost."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import overload

import numpy as np
from numpy.typing import ArrayLike

from helpers.analyses.time_use_admin_support.parameters import POTS, Parameters, pot_shares


# ---------------------------------------------------------------- time
def week_hours(p: Parameters, when: str) -> dict[str, float]:
    """Hours per contracted week in each part of the working time (``before`` or ``after``)."""
    return {pot: share * p.contracted_hours for pot, share in pot_shares(p, when).items()}


def visit_capacity(hours: Mapping[str, float], demand: Mapping[str, float]) -> tuple[float, str]:
    """Visits per week the hours allow, and the part of the week that runs out first.

    Each part of the week that a visit draws on limits the visits to its hours divided by what one
    visit takes from it; the visits possible are the smallest of these limits (an upper bound: it
    assumes every hour of that part can go to visits).
    """
    limits = {pot: hours[pot] / need for pot, need in demand.items() if need > 0}
    binding = min(limits, key=lambda pot: (limits[pot], POTS.index(pot)))
    return limits[binding], binding


@overload
def contacts_per_family_month(visits_per_week: float, working_weeks: float, caseload: float) -> float: ...
@overload
def contacts_per_family_month(visits_per_week: float, working_weeks: float, caseload: np.ndarray) -> np.ndarray: ...
def contacts_per_family_month(
    visits_per_week: float, working_weeks: float, caseload: float | np.ndarray
) -> float | np.ndarray:
    """Visits per week spread evenly over the caseload, per calendar month (a year of working weeks / 12);
    ``caseload`` may be an array (one value per caseload)."""
    return visits_per_week * working_weeks / 12 / caseload


# ---------------------------------------------------------------- cost
def net_value(admin_hours_moved_year: ArrayLike, sw_hourly_cost: ArrayLike, pa_cost_per_sw: ArrayLike) -> np.ndarray:
    """Net value per social worker per year (vectorised): the social worker's time moved off
    administration, valued at the hourly cost, less the cost of PA support per social worker."""
    return np.asarray(admin_hours_moved_year) * np.asarray(sw_hourly_cost) - np.asarray(pa_cost_per_sw)


def break_even_hourly_cost(admin_hours_moved_year: float, pa_cost_per_sw: float) -> float | None:
    """The hourly cost of social-worker time at which the time moved exactly pays for the PA
    (``None`` when no time is moved)."""
    return pa_cost_per_sw / admin_hours_moved_year if admin_hours_moved_year > 0 else None


# ---------------------------------------------------------------- in words
def share_text(share: float) -> str:
    """A share as a percentage for a table: 36%, 35.5% (no float noise)."""
    return f"{round(100 * share, 6):g}%"


def change_words(before: float, after: float) -> str:
    """Whether a share fell, rose or did not change."""
    if after < before:
        return "fell"
    return "rose" if after > before else "did not change"


def wait_words(before: float, after: float) -> str:
    """What PA support does to the wait for the contact threshold, in words."""
    if math.isclose(before, after, rel_tol=1e-9):
        return "leaves unchanged"
    return "shortens" if after < before else "lengthens"


def months_text(months: float) -> str:
    """A number of months for prose: ``8.4 months``."""
    return f"{months:.1f} months"
