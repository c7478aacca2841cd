"""What each of the social-work assistants page's results is: a description and a unit (``results.json``;
helpers.outputs). "Before" and "after" are without and with the support of a practice assistant (PA)."""

from __future__ import annotations

from helpers.outputs import FLAG, PERCENTAGE_POINTS, PROPORTION, RATIO, TEXT, declare, echo

from .parameters import PARAMETERS

_HOURS = "hours per week"
_TOP = "the unit of the input named by dependence_top_input"
_MONTHS = "months"

OUTPUTS = declare(
    {
        "admin_share_before": echo(PARAMETERS, "admin_share_before", PROPORTION),
        "admin_share_after": echo(PARAMETERS, "admin_share_after", PROPORTION),
        "family_share_before": echo(PARAMETERS, "family_share_before", PROPORTION),
        "family_share_after": echo(PARAMETERS, "family_share_after", PROPORTION),
        "shares_are_published": ("Whether the four shares of time are the published ones, in words", TEXT),
        "admin_change_pp": ("Change in the share of time on administration, after minus before", PERCENTAGE_POINTS),
        "family_change_pp": ("Change in the share of time with families, after minus before", PERCENTAGE_POINTS),
        "admin_change_words": ("Whether the share of time on administration rose or fell, in a word", TEXT),
        "family_change_words": ("Whether the share of time with families rose or fell, in a word", TEXT),
        "admin_relative_change": ("Relative change in the share of time on administration (after ÷ before − 1)", RATIO),
        "family_relative_change": ("Relative change in the share of time with families (after ÷ before − 1)", RATIO),
        "other_share_before": ("Share of time neither on administration nor with families, before", PROPORTION),
        "other_share_after": ("Share of time neither on administration nor with families, after", PROPORTION),
        "enough_time_with_pa": (
            "Published share of social workers with PA support who had quite a lot or very much time for direct work",
            PROPORTION,
        ),
        "enough_time_without_pa": (
            "Published share of social workers without PA support who had quite a lot or very much time for direct "
            "work",
            PROPORTION,
        ),
        "contracted_hours": echo(PARAMETERS, "contracted_hours"),
        "admin_hours_before": ("Hours a week a social worker spends on administration, before", _HOURS),
        "admin_hours_after": ("Hours a week a social worker spends on administration, after", _HOURS),
        "family_hours_before": ("Hours a week a social worker spends with families, before", _HOURS),
        "family_hours_after": ("Hours a week a social worker spends with families, after", _HOURS),
        "other_hours_before": ("Hours a week a social worker spends on other work, before", _HOURS),
        "other_hours_after": ("Hours a week a social worker spends on other work, after", _HOURS),
        "family_hours_released": (
            "Extra hours a week with families for each social worker (after minus before)",
            _HOURS,
        ),
        "admin_hours_moved": ("Hours a week moved off administration for each social worker", _HOURS),
        "workforce": echo(PARAMETERS, "workforce"),
        "family_hours_released_workforce": ("Extra hours a week with families across the workforce", _HOURS),
        "fte_family_time_released": (
            "The extra time with families across the workforce, as full-time social workers",
            "FTE social workers",
        ),
        "fte_admin_time_moved": (
            "The time moved off administration across the workforce, as full-time social workers",
            "FTE social workers",
        ),
        "caseload": echo(PARAMETERS, "caseload"),
        "working_weeks": echo(PARAMETERS, "working_weeks"),
        "contact_hours": echo(PARAMETERS, "contact_hours"),
        "travel_hours": echo(PARAMETERS, "travel_hours"),
        "recording_hours": echo(PARAMETERS, "recording_hours"),
        "visit_hours_total": ("Hours a visit takes: face-to-face time, travel and recording", "hours per visit"),
        "travel_from_text": ("The part of the week travel to a visit comes from, in words", TEXT),
        "recording_from_text": ("The part of the week recording a visit comes from, in words", TEXT),
        "visits_per_week_before": ("Visits a week a social worker's time allows, before", "visits per week"),
        "visits_per_week_after": ("Visits a week a social worker's time allows, after", "visits per week"),
        "binding_before_text": ("The part of the week that limits the visits, before, in words", TEXT),
        "binding_after_text": ("The part of the week that limits the visits, after, in words", TEXT),
        "contacts_per_family_month_before": ("Contacts each family gets per month, before", "contacts per month"),
        "contacts_per_family_month_after": ("Contacts each family gets per month, after", "contacts per month"),
        "contacts_ratio": ("Contacts per family per month after, divided by before", RATIO),
        "contacts_threshold": echo(PARAMETERS, "contacts_threshold"),
        "published_contacts_threshold": (
            "Contacts Forrester's research associates with meaningful change work (published)",
            "contacts",
        ),
        "months_to_threshold_before": ("Months until a family has had contacts_threshold contacts, before", _MONTHS),
        "months_to_threshold_after": ("Months until a family has had contacts_threshold contacts, after", _MONTHS),
        "pa_wait_verdict": ("Whether PA support shortens or lengthens that wait, in a word", TEXT),
        "recording_alt_text": ("The other part of the week recording could come from, in words", TEXT),
        "months_to_threshold_before_recording_alt": (
            "Months to the contact threshold, before, with recording from that other part of the week",
            _MONTHS,
        ),
        "months_to_threshold_after_recording_alt": (
            "Months to the contact threshold, after, with recording from that other part of the week",
            _MONTHS,
        ),
        "pa_wait_verdict_recording_alt": (
            "Whether PA support shortens or lengthens the wait with recording from that other part of the week",
            TEXT,
        ),
        "recording_flip_text": (
            "Whether the conclusion's direction rests on where recording comes from, in words",
            TEXT,
        ),
        "dependence_top_input": ("The assumption the change in the wait depends on most (its name)", TEXT),
        "dependence_top_label": ("The assumption the change in the wait depends on most, in words", TEXT),
        "dependence_range_low": ("Lowest value of that assumption in its plausible range", _TOP),
        "dependence_range_high": ("Highest value of that assumption in its plausible range", _TOP),
        "wait_change_low": ("Change in the wait (after minus before) at the low end of that range", _MONTHS),
        "wait_change_high": ("Change in the wait (after minus before) at the high end of that range", _MONTHS),
        "wait_change": ("Change in the wait for the contact threshold, after minus before", _MONTHS),
        "n_flips": ("Points in that range where the wait's change changes sign", "points"),
        "months_before_recording_family": (
            "Months to the threshold, before, with all recording from time with families",
            _MONTHS,
        ),
        "months_after_recording_family": (
            "Months to the threshold, after, with all recording from time with families",
            _MONTHS,
        ),
        "months_before_recording_admin": (
            "Months to the threshold, before, with all recording from administrative time",
            _MONTHS,
        ),
        "months_after_recording_admin": (
            "Months to the threshold, after, with all recording from administrative time",
            _MONTHS,
        ),
        "wait_verdict_recording_family": (
            "Whether PA support shortens or lengthens the wait with all recording from time with families",
            TEXT,
        ),
        "wait_verdict_recording_admin": (
            "Whether PA support shortens or lengthens the wait with all recording from administrative time",
            TEXT,
        ),
        "recording_flip_share": (
            "Share of recording charged to administrative time at which the wait's change changes sign",
            PROPORTION,
        ),
        "dependence_text": ("What the change in the wait depends on most, in sentences", TEXT),
        "dependence_others_text": (
            "Whether any other assumption, moved alone, changes the conclusion, in sentences",
            TEXT,
        ),
        "direction_flips": ("True when the direction of the result rests on where recording comes from", FLAG),
        "direction_flip_text": (
            "Whether the direction of the result rests on where recording comes from, in words",
            TEXT,
        ),
        "sw_per_pa": echo(PARAMETERS, "sw_per_pa"),
        "pas_for_workforce": ("Practice assistants the workforce would need at sw_per_pa social workers each", "PAs"),
        "pa_cost_per_sw_text": ("PA support's cost per social worker per year, as the page writes it", TEXT),
        "pa_cost_workforce_text": ("PA support's cost for the whole workforce per year, as the page writes it", TEXT),
        "sw_hourly_cost_text": ("The assumed hourly cost of a social worker's time, as the page writes it", TEXT),
        "admin_hours_moved_year": ("Hours a year moved off administration for each social worker", "hours per year"),
        "value_per_sw": (
            "Value of the time moved off administration per social worker per year, at sw_hourly_cost",
            "GBP per social worker per year",
        ),
        "value_per_sw_text": ("That value as the page writes it", TEXT),
        "net_per_sw": (
            "That value minus PA support's cost, per social worker per year",
            "GBP per social worker per year",
        ),
        "net_per_sw_text": ("That net value as the page writes it", TEXT),
        "net_workforce_text": ("The net value across the workforce per year, as the page writes it", TEXT),
        "cost_verdict": ("Whether the time moved is worth more than, less than or the same as the cost", TEXT),
        "saving_published_text": ("The published saving per social worker, as the page writes it", TEXT),
        "value_cost_ratio": ("Value of the time moved divided by PA support's cost", RATIO),
        "break_even_hourly_cost_text": (
            "Hourly cost of a social worker's time at which the time moved pays for the PA support",
            TEXT,
        ),
        "implied_hourly_value_text": (
            "Hourly value of the time moved that the published saving implies (a back-calculation)",
            TEXT,
        ),
    }
)
