"""The time_use_admin_support analysis: ``run()`` (and what it needs), loaded on first use of the package's ``run``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from helpers.analyses.time_use_admin_support.dependence import dependence, dependence_scalars
from helpers.analyses.time_use_admin_support.parameters import PARAMETERS
from helpers.analyses.time_use_admin_support.sections import (
    cost_comparison,
    from_time_to_contacts,
    hours_in_a_week,
    published_shares,
)
from helpers.page.registry import registry_input
from helpers.page.reproduce import FigureUse
from helpers.results import AnalysisResult

#: Every registry figure the page uses, and how.
FIGURES_USED = [
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
    FigureUse("dfe_caseload_2017", "input"),
    FigureUse("cost_sw_hour_ucd2014", "input"),
]


def run(params: Mapping[str, Any]) -> AnalysisResult:
    """The whole analysis, section by section in page order."""
    p = PARAMETERS.validate(params)
    shares_scalars, derived = published_shares(p)  # 1. what follows from the published shares alone
    week = hours_in_a_week(p)  # 2. hours in a week
    contacts = from_time_to_contacts(p, week.hours)  # 3. from time to contacts
    dep = dependence(p)  # ... and what the months depend on most, within what the published shares allow
    cost = cost_comparison(p, week.admin_moved)  # 4. an illustrative cost comparison
    return AnalysisResult(
        notebook="time_use_admin_support",
        params=dict(p),
        scalars={
            **shares_scalars,
            **week.scalars,
            **contacts.scalars,
            **dependence_scalars(p, dep, contacts.scalars["contacts_ratio"]),
            **cost.scalars,
        },
        tables={
            "derived": derived,
            "time": week.table,
            "visit": contacts.visit_table,
            "tornado": dep["tornado"],
        },
        data={
            "hours": week.hours,
            "caseload_curve": contacts.caseload_curve,
            "contacts": contacts.contacts,
            "months": contacts.months,
            "admin_hours_moved_year": cost.admin_hours_year,
            "break_even": cost.break_even,
            "implied_hourly_value": cost.implied,
        },
        figures_used=list(FIGURES_USED),
        inputs=registry_input(),
    )
