"""Social-work assistants (HIOW): hours, contacts and cost follow from the parameters, checked by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.analyses import time_use_admin_support as tu
from helpers.engine.paths import ROOT
from helpers.page.kinds import Kind
from helpers.page.registry import published
from helpers.page.text import gbp
from helpers.params import ParameterError

REQUIRED = [
    "admin_hours_before",
    "admin_hours_after",
    "family_hours_before",
    "family_hours_after",
    "family_hours_released",
    "contacts_per_family_month_before",
    "contacts_per_family_month_after",
]


@pytest.fixture(scope="module")
def default():
    return tu.run({})


def test_defaults_come_from_the_registry():
    d = tu.PARAMETERS.defaults()
    assert d["admin_share_before"] == published("hiow_admin_share_before") / 100
    assert d["admin_share_after"] == published("hiow_admin_share_after") / 100
    assert d["family_share_before"] == published("hiow_family_share_before") / 100
    assert d["family_share_after"] == published("hiow_family_share_after") / 100
    assert d["caseload"] == published("dfe_caseload_2025")
    assert d["contacts_threshold"] == published("forrester_contacts_threshold")
    assert d["pa_cost_per_sw"] == published("hiow_pa_cost_per_sw")
    assert d["sw_per_pa"] == published("hiow_sw_per_pa")
    assert d["sw_hourly_cost"] == published("cost_sw_hour_ucd2014")


def test_required_results_are_present(default):
    assert set(REQUIRED) <= set(default.scalars)


def test_changes_derived_from_the_published_shares(default):
    s = default.scalars
    assert s["admin_change_pp"] == -22 and s["family_change_pp"] == 24  # 14 − 36, 58 − 34
    assert s["other_share_before"] == pytest.approx(0.30) and s["other_share_after"] == pytest.approx(0.28)
    assert s["admin_relative_change"] == pytest.approx(14 / 36 - 1)
    assert s["family_relative_change"] == pytest.approx(58 / 34 - 1)
    assert s["admin_change_words"] == "fell" and s["family_change_words"] == "rose"
    assert s["shares_are_published"] == "the published shares"
    assert tu.run({"admin_share_after": 0.2}).scalars["shares_are_published"] != "the published shares"


def test_hours_per_week_by_hand(default):
    s = default.scalars
    assert s["admin_hours_before"] == pytest.approx(0.36 * 37)  # 13.32
    assert s["admin_hours_after"] == pytest.approx(0.14 * 37)  # 5.18
    assert s["family_hours_before"] == pytest.approx(0.34 * 37)  # 12.58
    assert s["family_hours_after"] == pytest.approx(0.58 * 37)  # 21.46
    assert s["family_hours_released"] == pytest.approx(8.88)
    assert s["admin_hours_moved"] == pytest.approx(8.14)
    hours = default.data["hours"]
    for when in ("before", "after"):
        assert sum(hours[when].values()) == pytest.approx(37)


def test_fte_across_the_workforce():
    s = tu.run({"workforce": 250, "contracted_hours": 35.0}).scalars
    assert s["fte_family_time_released"] == pytest.approx(0.24 * 250)  # hours cancel: share change × head count
    assert s["fte_admin_time_moved"] == pytest.approx(0.22 * 250)
    assert s["family_hours_released_workforce"] == pytest.approx(0.24 * 35 * 250)
    assert s["pas_for_workforce"] == pytest.approx(250 / 3)


def test_contacts_hand_worked_round_numbers():
    # 40 h week, half with families = 20 h; a visit is 1 h contact + 0.5 h travel + 0.5 h recording, all from
    # family time = 2 h, so 10 visits a week; 48 weeks / 12 = 4 weeks a month -> 40 visits a month over 20
    # families = 2 contacts per family per month; 8 contacts take 4 months.
    s = tu.run(
        {
            "contracted_hours": 40.0,
            "family_share_before": 0.5,
            "admin_share_before": 0.3,
            "working_weeks": 48.0,
            "caseload": 20.0,
            "contact_hours": 1.0,
            "travel_hours": 0.5,
            "recording_hours": 0.5,
        }
    ).scalars
    assert s["visits_per_week_before"] == pytest.approx(10)
    assert s["contacts_per_family_month_before"] == pytest.approx(2)
    assert s["months_to_threshold_before"] == pytest.approx(4)
    assert s["binding_before_text"] == "time with families"


def test_contacts_at_the_defaults(default):
    s = default.scalars
    per_month = 0.34 * 37 / 3 * 45 / 12 / 15.2
    assert s["contacts_per_family_month_before"] == pytest.approx(per_month)
    assert s["contacts_per_family_month_after"] == pytest.approx(per_month * 58 / 34)
    assert s["months_to_threshold_before"] == pytest.approx(8 / per_month)
    assert s["contacts_ratio"] == pytest.approx(58 / 34)


def test_contacts_are_inversely_proportional_to_caseload(default):
    double = tu.run({"caseload": 2 * default.params["caseload"]}).scalars
    assert double["contacts_per_family_month_after"] == pytest.approx(
        default.scalars["contacts_per_family_month_after"] / 2
    )
    curve = default.data["caseload_curve"]
    assert (curve["months_before"] > curve["months_after"]).all()


def test_recording_from_admin_time_can_make_admin_time_the_limit():
    # Recording from administrative time: after PA support 5.18 h of admin allows 5.18 one-hour recordings a
    # week, fewer than the 21.46 / 2 = 10.73 visits the family time allows, so admin time binds.
    s = tu.run({"recording_from": "admin"}).scalars
    assert s["visits_per_week_before"] == pytest.approx(12.58 / 2)  # family: 6.29 < admin: 13.32
    assert s["binding_before_text"] == "time with families"
    assert s["visits_per_week_after"] == pytest.approx(5.18)
    assert s["binding_after_text"] == "administrative time"


def test_visit_capacity_and_demand_by_hand():
    p = tu.PARAMETERS.validate(
        contact_hours=1.5, travel_hours=1.0, recording_hours=0.5, travel_from="other", recording_from="admin"
    )
    demand = tu.visit_demand(p)
    assert demand == {"family": 1.5, "admin": 0.5, "other": 1.0}
    visits, binding = tu.visit_capacity({"family": 15.0, "admin": 6.0, "other": 8.0}, demand)
    assert (visits, binding) == (8.0, "other")  # min(15/1.5 = 10, 6/0.5 = 12, 8/1 = 8)


def test_cost_comparison_by_hand(default):
    s = default.scalars
    hours_year = 0.22 * 37 * 45  # 366.3 admin hours a year moved off each social worker
    assert s["admin_hours_moved_year"] == pytest.approx(hours_year)
    assert s["value_per_sw"] == pytest.approx(hours_year * 40)  # £14,652
    assert s["net_per_sw"] == pytest.approx(hours_year * 40 - 4408)  # £10,244
    assert s["value_cost_ratio"] == pytest.approx(hours_year * 40 / 4408)
    assert s["break_even_hourly_cost_text"] == "£12.03"  # 4408 / 366.3 = 12.034
    assert s["implied_hourly_value_text"] == "£24.57"  # 9000 / 366.3 = 24.570
    assert s["pa_cost_per_sw_text"] == "£4,408" and s["net_per_sw_text"] == "£10,200"
    assert s["cost_verdict"] == "more than"
    assert tu.run({"sw_hourly_cost": 10.0}).scalars["cost_verdict"] == "less than"
    assert tu.break_even_hourly_cost(0.0, 4408) is None
    assert tu.net_value(100.0, 20.0, 1500.0) == pytest.approx(500)


def test_no_admin_time_moved_leaves_out_the_break_even():
    s = tu.run({"admin_share_after": 0.36, "family_share_after": 0.34}).scalars
    assert s["admin_hours_moved"] == 0 and "break_even_hourly_cost_text" not in s
    assert s["family_change_words"] == "did not change"


@pytest.mark.parametrize(
    "amount, step, text",
    [
        (4408, 1, "£4,408"),
        (12.034, 0.01, "£12.03"),
        (10244, 100, "£10,200"),
        (-350, 100, "−£400"),
        (0.004, 0.01, "£0.00"),
    ],
)
def test_money_in_prose_to_a_step(amount, step, text):
    """The page's cost texts round to a step (helpers.page.text.gbp): whole pounds, hundreds, pence."""
    assert gbp(amount, step) == text


@pytest.mark.parametrize(
    "params, message",
    [
        (
            {"family_share_before": 0.7},
            "parameter 'family_share_before' = 0.7 is not allowed with admin_share_before = 0.36",
        ),
        (
            {"admin_share_after": 0.5},
            "parameter 'family_share_after' = 0.58 is not allowed with admin_share_after = 0.5",
        ),
        ({"recording_from": "admin", "admin_share_after": 0.0}, "parameter 'recording_from' = 'admin' is not allowed"),
        ({"travel_from": "other", "admin_share_after": 0.42}, "parameter 'travel_from' = 'other' is not allowed"),
        ({"travel_from": "car"}, "parameter 'travel_from' = 'car' is not allowed: expected one of family, other"),
        ({"contact_hours": 0.0}, "parameter 'contact_hours' = 0.0 is not allowed: expected a number in (0, 24]"),
        ({"caseload": -3.0}, "parameter 'caseload' = -3.0 is not allowed"),
        ({"workforce": 2.5}, "parameter 'workforce' = 2.5 is not allowed: expected an integer"),
        ({"contracted_hours": "37"}, "parameter 'contracted_hours' = '37' is not allowed: expected a number"),
        ({"hours": 37.0}, "unknown parameter 'hours'"),
    ],
)
def test_bad_parameters_are_refused_with_a_clear_message(params, message):
    with pytest.raises(ParameterError) as err:
        tu.run(params)
    assert message in str(err.value)


def test_recording_from_admin_is_fine_when_recording_takes_no_time():
    s = tu.run({"recording_from": "admin", "admin_share_after": 0.0, "recording_hours": 0.0}).scalars
    assert s["binding_after_text"] == "time with families"


def test_every_registry_figure_used_is_recorded(default):
    used = {u.figure_id: u.role for u in default.figures_used}
    assert used["hiow_admin_share_before"] == "input" and used["hiow_enough_time_with_pa"] == "quoted"
    assert "data/published/figures.csv" in default.inputs


def test_figures_are_drawn(default):
    import matplotlib.pyplot as plt

    for plot in (
        tu.plot_time_use,
        tu.plot_cumulative_contacts,
        tu.plot_caseload,
        tu.plot_break_even,
        tu.plot_dependence,
    ):
        fig = plot(default)
        for ax in fig.axes:
            assert ax.get_xlabel(), plot.__name__
        plt.close(fig)


def test_published_threshold_is_reported_apart_from_the_parameter():
    s = tu.run({"contacts_threshold": 12}).scalars
    assert s["contacts_threshold"] == 12
    assert s["published_contacts_threshold"] == published("forrester_contacts_threshold") == 8


def test_the_headline_says_when_recording_time_reverses_it():
    """PA support shrinks the administrative time: if recording comes out of it, the wait for the contact
    threshold lengthens instead of shortening, and the page says the direction rests on that assumption."""
    default = tu.run({}).scalars
    admin = tu.run({"recording_from": "admin"}).scalars
    assert default["pa_wait_verdict"] == "shortens" and admin["pa_wait_verdict"] == "lengthens"
    # Each run's alternative is the other run's own answer.
    assert default["months_to_threshold_before_recording_alt"] == pytest.approx(admin["months_to_threshold_before"])
    assert default["months_to_threshold_after_recording_alt"] == pytest.approx(admin["months_to_threshold_after"])
    assert default["pa_wait_verdict_recording_alt"] == admin["pa_wait_verdict"]
    assert "rests on" in default["recording_flip_text"]
    # By hand at the defaults: a 37-hour week, 14% administration after, one hour of recording a visit from it,
    # and two hours (face-to-face and travel) from the 58% with families: the smaller limit binds.
    assert admin["visits_per_week_after"] == pytest.approx(min(0.14 * 37 / 1, 0.58 * 37 / 2))
    # Without administrative time, recording cannot come from it: no alternative is claimed.
    none = tu.run({"admin_share_before": 0.0, "admin_share_after": 0.0})
    assert "recording_alt_text" not in none.scalars


# ---------------------------------------------------------------- what the headline depends on


def _months_by_model(p, share):
    p = tu.PARAMETERS.validate(p)
    model = tu.wait_model(p)
    x = {u.name: np.array([float(p[u.name]) if u.name in p else share]) for u in tu.wait_inputs(p)}
    x["recording_admin_share"] = np.array([share])
    return {when: float(model.months(x, when)[0]) for when in ("before", "after")}


HOURS = st.floats(0, 3).map(lambda x: round(x, 3))


@settings(max_examples=25, deadline=None)
@given(
    contact=st.floats(0.25, 3),
    travel=HOURS,
    recording=HOURS,
    caseload=st.floats(5, 40),
    travel_from=st.sampled_from(["family", "other"]),
)
def test_the_vectorised_model_at_its_ends_is_the_page_with_recording_from_family_or_admin(
    contact, travel, recording, caseload, travel_from
):
    p = {
        "contact_hours": contact,
        "travel_hours": travel,
        "recording_hours": recording,
        "caseload": caseload,
        "travel_from": travel_from,
    }
    for share, source in ((0.0, "family"), (1.0, "admin")):
        page = tu.run({**p, "recording_from": source}).scalars
        model = _months_by_model(p, share)
        # (the page's scalars are recorded to 8 significant figures)
        assert model["before"] == pytest.approx(page["months_to_threshold_before"], rel=1e-7)
        assert model["after"] == pytest.approx(page["months_to_threshold_after"], rel=1e-7)


def test_the_direction_flips_where_worked_by_hand(default):
    s = default.scalars
    # Before, time with families binds throughout: 12.58 / (3 − s) visits a week. After, administrative time
    # binds once 5.18 / s < 21.46 / (3 − s). The wait is the same where 5.18 / s = 12.58 / (3 − s): s = 0.875.
    assert s["recording_flip_share"] == pytest.approx(5.18 * 3 / (5.18 + 12.58), abs=1e-3)
    assert s["dependence_top_input"] == "recording_admin_share"
    assert s["direction_flips"] is True and "rests on" in s["direction_flip_text"]
    assert s["wait_verdict_recording_family"] == "shortens" and s["wait_verdict_recording_admin"] == "lengthens"
    assert s["wait_change_low"] < 0 < s["wait_change_high"]
    assert s["months_before_recording_admin"] == pytest.approx(s["months_to_threshold_before_recording_alt"])
    assert "shortens the wait while no more than 88%" in s["dependence_text"]
    tornado = default.tables["tornado"]
    assert tornado.loc[0, "input"] == "recording_admin_share" and tornado["swing"].is_monotonic_decreasing
    assert "No other assumption" in s["dependence_others_text"]


def test_the_headline_states_the_flip_in_words():
    from summaries import in_brief

    brief = in_brief(ROOT / "notebooks" / "time_use_admin_support.ipynb")
    for text in (brief,):
        assert "shortens or lengthens the wait turns on" in text
        assert "recording_flip_share" in text and "months_after_recording_admin" in text


def test_without_administrative_time_recording_stays_with_families():
    r = tu.run({"admin_share_before": 0.0, "admin_share_after": 0.0})
    s = r.scalars
    assert "recording_flip_share" not in s and s["direction_flips"] is False
    assert s["dependence_top_input"] != "recording_admin_share"


def test_numbers_declared_published_are_registry_figures_at_the_defaults(default):
    from test_kinds import _registry_values

    figures = _registry_values()
    for name, kind in tu.KINDS.items():
        if kind is Kind.PUBLISHED and not isinstance(default.scalars[name], str):
            assert any(math.isclose(default.scalars[name], f, rel_tol=1e-9) for f in figures), name
    # The months rest on assumed visit lengths and where recording comes from.
    assert tu.KINDS["months_to_threshold_after"] is Kind.ASSUMPTION
    assert tu.KINDS["recording_flip_share"] is Kind.ASSUMPTION


def test_figures_read_numbers_from_the_result_as_they_are(default):
    """helpers.results.number: a number stays as recorded (an integer an integer, for labels like "8 contacts");
    a text or a yes/no under that name is refused rather than plotted."""
    from helpers.results import number

    assert (
        number(default.scalars, "contacts_threshold") == 8
        and type(number(default.scalars, "contacts_threshold")) is int
    )
    assert number(default.params, "sw_hourly_cost") == published("cost_sw_hour_ucd2014")
    for name in ("pa_wait_verdict", "direction_flips"):
        with pytest.raises(TypeError, match="not a number"):
            number(default.scalars, name)
