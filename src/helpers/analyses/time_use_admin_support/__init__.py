"""Personal assistants for social workers in Hampshire and the Isle of Wight: time with families, what it
could buy, and what it cost.

Published (Institute of Public Care 2017, Evaluation Report 23, as quoted in
'Making social work work', 2017): with "highly skilled administrators or PAs"
(personal assistants), social workers' time on administrative tasks fell
from 36 % to 14 % of their working time and their time with families rose from
34 % to 58 %. A secondary source (Community Care, 21 March 2017, in the
compendium's notes) adds one PA for every three social workers, a cost of
£4,408 per social worker and a saving of about £9,000 per social worker. The
design is a before-and-after comparison without a comparison group.

The analysis works from these published figures alone:

1. what follows from the published shares: the changes in percentage points,
   the relative changes, the share of time that is neither, and the
   administrative time left per hour with families;
2. hours per week in a contracted week, hours released per social worker,
   and full-time equivalents (FTE) across a workforce of a given size;
3. contacts: with a caseload and the length of a visit (face-to-face time,
   travel and recording, each drawn from a stated part of the working week),
   how many contacts per family per month the time before and after allows,
   and how many months until a family has had Forrester's eight contacts.
   The published time with families is time that was spent, so a visit may
   take from the other parts of the week only what they leave for it
   (:func:`~.parameters.consistent_with_shares`); the parameters refuse a
   visit that asks for more, and the tornado keeps every assumption within it;
4. an *illustrative* cost comparison (the value of social-worker time moved
   off administration against the PA's cost), its break-even hourly cost, and
   the hourly value the published saving implies under both of its readings.

The package, in the page's order: ``parameters`` (what may be set, and the rules the values keep
together), ``model`` (hours, visits, contacts, cost), ``sections`` (one function per section of the page,
each returning its numbers and tables), ``dependence`` (what the months depend on most), ``figures`` and
``summary`` (the page's "In brief" and its landing paragraph); :func:`run` calls the sections in page order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from helpers.lazy import lazy_exports
from helpers.page import kinds
from helpers.page.registry import published

from .card import CARD
from .parameters import PARAMETERS, Parameters

if TYPE_CHECKING:
    from .analysis import run
    from .dependence import wait_inputs, wait_model
    from .figures import plot_break_even, plot_caseload, plot_cumulative_contacts, plot_time_use, plot_tornado
    from .model import break_even_hourly_cost, net_value, visit_capacity
    from .parameters import consistent_with_shares, feasible_range, most_per_visit, visit_demand
    from .summary import brief, landing

# Loaded on first use (helpers.lazy): `compendium list` and `params` need only the above.
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "brief": "summary",
        "landing": "summary",
        "run": "analysis",
        "wait_inputs": "dependence",
        "wait_model": "dependence",
        "plot_break_even": "figures",
        "plot_caseload": "figures",
        "plot_cumulative_contacts": "figures",
        "plot_time_use": "figures",
        "plot_tornado": "figures",
        "break_even_hourly_cost": "model",
        "net_value": "model",
        "visit_capacity": "model",
        "consistent_with_shares": "parameters",
        "feasible_range": "parameters",
        "most_per_visit": "parameters",
        "visit_demand": "parameters",
    },
)

__all__ = [
    "CARD",
    "KINDS",
    "PARAMETERS",
    "SUMMARY",
    "TITLE",
    "Parameters",
    "break_even_hourly_cost",
    "brief",
    "consistent_with_shares",
    "feasible_range",
    "landing",
    "most_per_visit",
    "net_value",
    "plot_break_even",
    "plot_caseload",
    "plot_cumulative_contacts",
    "plot_time_use",
    "plot_tornado",
    "run",
    "visit_capacity",
    "visit_demand",
    "wait_inputs",
    "wait_model",
]


TITLE = "Personal assistants for social workers in Hampshire and the Isle of Wight: time with families, contacts, cost"


SUMMARY = (
    "Personal assistants (PAs) for social workers (HIOW, 2017): admin "
    f"{published('hiow_admin_share_before')}%→{published('hiow_admin_share_after')}%, "
    f"family time {published('hiow_family_share_before')}%→{published('hiow_family_share_after')}% as hours, FTE, "
    f"contacts per family and months to {published('forrester_contacts_threshold')} contacts, within what the "
    "published shares allow; illustrative cost"
)


#: The kind of every number the page states (helpers.page.kinds). Published: the four time shares, the secondary
#: source's figures, the caseload and the contact threshold. Computed from them alone: the changes, the share of
#: other time, the administrative time per hour with families and the ratio of contacts (fixed by the shares
#: with families, whatever a visit takes, within what the shares allow). Model: everything in hours, visits,
#: contacts, months or pounds, which also rests on the page's assumptions (a contracted week, the length of a
#: visit and where its parts come from, the service's size, the value of an hour). Assumption: those inputs.
KINDS = kinds.declare(
    published={
        "admin_share_before": "hiow_admin_share_before",
        "admin_share_after": "hiow_admin_share_after",
        "family_share_before": "hiow_family_share_before",
        "family_share_after": "hiow_family_share_after",
        "enough_time_with_pa": "hiow_enough_time_with_pa",
        "enough_time_without_pa": "hiow_enough_time_without_pa",
        "caseload": "dfe_caseload_2017",
        "contacts_threshold": "forrester_contacts_threshold",
        "published_contacts_threshold": "forrester_contacts_threshold",
        "sw_per_pa": "hiow_sw_per_pa",
        "pa_cost_per_sw_text": "hiow_pa_cost_per_sw",
        "sw_hourly_cost_text": "cost_sw_hour_ucd2014",
        "saving_published_text": "hiow_saving_per_sw",
        "pa_cost_published_text": "hiow_pa_cost_per_sw",
    },
    computed=[
        "admin_change_pp",
        "family_change_pp",
        "admin_relative_change",
        "family_relative_change",
        "other_share_before",
        "other_share_after",
        "admin_per_family_hour_before",
        "admin_per_family_hour_after",
        "admin_per_family_hour_least",
        "contacts_ratio",
        "ratio_low",
        "ratio_high",
        "ratio_text",
        "saving_gross_with_cost_text",
        "pa_cost_per_pa_text",
    ],
    model=[
        "admin_hours_before",
        "admin_hours_after",
        "family_hours_before",
        "family_hours_after",
        "other_hours_before",
        "other_hours_after",
        "family_hours_released",
        "family_hours_change_text",
        "admin_hours_moved",
        "family_hours_released_workforce",
        "fte_family_time_released",
        "fte_admin_time_moved",
        "visits_per_week_before",
        "visits_per_week_after",
        "contacts_per_family_month_before",
        "contacts_per_family_month_after",
        "months_to_threshold_before",
        "months_to_threshold_after",
        "recording_admin_most_hours",
        "recording_admin_most_share",
        "travel_other_most_hours",
        "months_after_low",
        "months_after_high",
        "months_before_recording_family",
        "months_after_recording_family",
        "months_before_recording_admin_most",
        "months_after_recording_admin_most",
        "pas_for_workforce",
        "admin_hours_moved_year",
        "value_per_sw",
        "value_per_sw_text",
        "net_per_sw",
        "net_per_sw_text",
        "net_workforce_text",
        "pa_cost_workforce_text",
        "value_cost_ratio",
        "break_even_hourly_cost_text",
        "implied_hourly_value_text",
        "implied_hourly_value_net_text",
        "break_even_text",
        "saving_readings_text",
        "dependence_text",
        "recording_ends_text",
    ],
    assumption=[
        "contracted_hours",
        "workforce",
        "working_weeks",
        "contact_hours",
        "travel_hours",
        "recording_hours",
        "visit_hours_total",
        "visit_family_core_hours",
        "assumption_spreads_text",
        "dependence_range_low",
        "dependence_range_high",
    ],
    setting=["caseload_source_text"],
)
