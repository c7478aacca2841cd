"""Personal assistants for social workers (HIOW): hours, contacts and cost follow from the parameters, checked by
hand; no scenario the page accepts contradicts the published shares."""

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
    assert d["caseload"] == published("dfe_caseload_2017")
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
    assert (
        s["family_hours_released"] == pytest.approx(8.88) and s["family_hours_change_text"] == "8.9 hours more a week"
    )
    assert tu.run({"family_share_after": 0.3}).scalars["family_hours_change_text"] == "1.5 hours less a week"
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
    per_month = 0.34 * 37 / 3 * 45 / 12 / 17.7
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


def test_recording_from_admin_time_is_allowed_only_as_far_as_the_published_shares_allow():
    # With PA support 58% of the week with families pays for 0.58 × 37 / 2 = 10.73 two-hour visits (face-to-face
    # and travel), and 14% on administration is 5.18 hours: at most 5.18 / 10.73 = 0.14 × 2 / 0.58 = 0.483 hours of
    # administration for each visit's recording. One hour is refused, with the limit in the message.
    most = 0.14 * 2 / 0.58
    with pytest.raises(ParameterError) as err:
        tu.run({"recording_from": "admin"})
    assert "parameter 'recording_hours' = 1.0 is not allowed with recording_from = 'admin'" in str(err.value)
    assert f"at most {most:.2f} hours a visit" in str(err.value)
    s = tu.run({"recording_from": "admin", "recording_hours": most}).scalars
    assert s["visits_per_week_after"] == pytest.approx(0.58 * 37 / 2)
    assert s["binding_before_text"] == s["binding_after_text"] == "time with families"
    assert s["contacts_ratio"] == pytest.approx(58 / 34)
    assert s["recording_admin_most_hours"] == pytest.approx(most)


def test_the_limits_of_what_the_shares_allow_by_hand(default):
    s = default.scalars
    assert s["admin_per_family_hour_least"] == pytest.approx(0.14 / 0.58) and s["admin_least_when_text"] == (
        "with PA support"
    )
    assert s["recording_admin_most_hours"] == pytest.approx(0.14 / 0.58 * 2)  # face-to-face and travel: 2 h
    assert s["travel_other_most_hours"] == pytest.approx(0.28 / 0.58 * 2)  # face-to-face and recording: 2 h
    # A share s of 1 h of recording from administration: s ≤ q (2 + 1) / (1 + q), q = 0.14 / 0.58 (before, q = 36/34
    # allows all of it).
    q = 0.14 / 0.58
    assert s["recording_admin_most_share"] == pytest.approx(q * 3 / (1 + q))
    with pytest.raises(ParameterError, match=r"parameter 'travel_hours' = 1.0 is not allowed with travel_from"):
        tu.run({"travel_from": "other"})
    assert tu.run({"travel_from": "other", "travel_hours": 0.9}).scalars["binding_after_text"] == "time with families"


HOURS_PART = st.floats(0, 3).map(lambda x: round(x, 3))


@settings(max_examples=60, deadline=None)
@given(
    contact=st.floats(0.25, 3),
    travel=HOURS_PART,
    recording=HOURS_PART,
    travel_from=st.sampled_from(["family", "other"]),
    recording_from=st.sampled_from(["family", "admin"]),
    admin_after=st.floats(0.05, 0.4),
    family_after=st.floats(0.2, 0.6),
)
def test_every_run_the_page_accepts_is_consistent_with_the_shares(
    contact, travel, recording, travel_from, recording_from, admin_after, family_after
):
    """The published time with families was spent: in any run the parameters accept, it is what limits the visits,
    before and after, so PA support multiplies the contacts by the ratio of the shares with families (and never
    reverses the direction of the published change through a scenario the shares rule out)."""
    p = {
        "contact_hours": contact,
        "travel_hours": travel,
        "recording_hours": recording,
        "travel_from": travel_from,
        "recording_from": recording_from,
        "admin_share_after": round(admin_after, 3),
        "family_share_after": round(family_after, 3),
    }
    try:
        s = tu.run(p).scalars
    except ParameterError:
        # refused: then some part of a visit asks for more than the shares leave for it
        valid = {**p, "recording_from": "family", "travel_from": "family"}
        assert not tu.consistent_with_shares({**tu.PARAMETERS.validate(valid), **p})
        return
    assert s["binding_before_text"] == s["binding_after_text"] == "time with families"
    assert s["contacts_ratio"] == pytest.approx(p["family_share_after"] / 0.34, rel=1e-7)
    assert s["ratio_fixed"] is True
    expected = "shortens" if p["family_share_after"] > 0.34 else "lengthens" if p["family_share_after"] < 0.34 else None
    if expected:
        assert s["pa_wait_verdict"] == expected


def test_visit_capacity_and_demand_by_hand():
    p = tu.PARAMETERS.validate(
        contact_hours=1.5, travel_hours=0.7, recording_hours=0.3, travel_from="other", recording_from="admin"
    )
    assert tu.visit_demand(p) == {"family": 1.5, "admin": 0.3, "other": 0.7}
    visits, binding = tu.visit_capacity({"family": 15.0, "admin": 6.0, "other": 8.0}, {"family": 1.5, "other": 1.0})
    assert (visits, binding) == (8.0, "other")  # min(15/1.5 = 10, 8/1 = 8)


def test_feasible_range_by_hand():
    # Recording 0.45 h from administration: the visit needs 0.45 ≤ (0.14 / 0.58) (contact + travel), so with travel
    # at 1 h face-to-face time must be at least 0.45 × 0.58 / 0.14 − 1, and recording at most (0.14 / 0.58) × 2.
    p = tu.PARAMETERS.validate(recording_from="admin", recording_hours=0.45)
    low, high = tu.feasible_range(p, "contact_hours")
    assert low == pytest.approx(0.45 * 0.58 / 0.14 - 1) and high == math.inf
    assert tu.feasible_range(p, "recording_hours") == pytest.approx((0.0, 0.14 / 0.58 * 2))
    assert tu.feasible_range(p, "caseload") == (-math.inf, math.inf)
    assert tu.feasible_range(tu.PARAMETERS.validate({}), "recording_hours") == (0.0, math.inf)


def test_cost_comparison_by_hand(default):
    s = default.scalars
    hours_year = 0.22 * 37 * 45  # 366.3 admin hours a year moved off each social worker
    assert s["admin_hours_moved_year"] == pytest.approx(hours_year)
    assert s["value_per_sw"] == pytest.approx(hours_year * 40)  # £14,652
    assert s["net_per_sw"] == pytest.approx(hours_year * 40 - 4408)  # £10,244
    assert s["value_cost_ratio"] == pytest.approx(hours_year * 40 / 4408)
    # 4408 / 366.3 = 12.034, printed to the two significant figures its assumed week and year support
    assert s["break_even_hourly_cost_text"] == "£12"
    # "about £9,000" has two significant figures: the hourly values it implies are printed to whole pounds
    assert s["implied_hourly_value_text"] == "£25"  # 9000 / 366.3 = 24.570, read as gross
    assert s["implied_hourly_value_net_text"] == "£37"  # (9000 + 4408) / 366.3 = 36.604, read as net
    assert s["saving_gross_with_cost_text"] == "£13,400"
    assert "about £25 an hour" in s["saving_readings_text"] and "an hour about £37" in s["saving_readings_text"]
    assert "either reading values an hour above the break-even cost of about £12." in s["saving_readings_text"]
    assert "not a cash saving unless posts or overtime are cut" in s["break_even_text"]
    assert s["pa_cost_per_sw_text"] == "£4,408" and s["net_per_sw_text"] == "£10,200"
    assert s["cost_verdict"] == "more than"
    assert tu.run({"sw_hourly_cost": 10.0}).scalars["cost_verdict"] == "less than"
    assert tu.break_even_hourly_cost(0.0, 4408) is None
    assert tu.net_value(100.0, 20.0, 1500.0) == pytest.approx(500)


def test_the_saving_is_read_beside_the_published_cost_it_was_reported_with():
    """The net reading adds back the published cost, whatever cost this run assumes for PA support."""
    s = tu.run({"pa_cost_per_sw": 6000.0}).scalars
    assert s["implied_hourly_value_net_text"] == "£37" and s["break_even_hourly_cost_text"] == "£16"
    assert "only the net reading" in tu.run({"pa_cost_per_sw": 9500.0}).scalars["saving_readings_text"]


def test_no_admin_time_moved_leaves_out_the_break_even():
    s = tu.run({"admin_share_after": 0.36, "family_share_after": 0.34}).scalars
    assert s["admin_hours_moved"] == 0 and "break_even_hourly_cost_text" not in s
    assert s["family_change_words"] == "did not change"
    assert s["break_even_text"].startswith("No administrative time moved")
    assert "no value for an hour" in s["saving_readings_text"]


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
        (
            {"recording_from": "admin"},
            "parameter 'recording_hours' = 1.0 is not allowed with recording_from = 'admin': expected at most 0.48",
        ),
        (
            {"travel_from": "other"},
            "parameter 'travel_hours' = 1.0 is not allowed with travel_from = 'other': expected at most 0.97 hours",
        ),
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
        tu.plot_tornado,
    ):
        fig = plot(default)
        for ax in fig.axes:
            assert ax.get_xlabel(), plot.__name__
        plt.close(fig)


def test_published_threshold_is_reported_apart_from_the_parameter():
    s = tu.run({"contacts_threshold": 12}).scalars
    assert s["contacts_threshold"] == 12
    assert s["published_contacts_threshold"] == published("forrester_contacts_threshold") == 8


# ---------------------------------------------------------------- what the months depend on


def _months_by_model(p, share):
    p = tu.PARAMETERS.validate(p)
    model = tu.wait_model(p)
    x = {u.name: np.array([float(u.base)]) for u in tu.wait_inputs(p)}
    x["recording_admin_share"] = np.array([share])
    return {when: float(model.months(x, when)[0]) for when in ("before", "after")}


@settings(max_examples=25, deadline=None)
@given(
    contact=st.floats(0.25, 3),
    travel=HOURS_PART,
    recording=HOURS_PART,
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
        try:
            page = tu.run({**p, "recording_from": source}).scalars
        except ParameterError:
            continue  # a visit the published shares rule out
        model = _months_by_model({**p, "recording_from": source}, share)
        # (the page's scalars are recorded to 8 significant figures)
        assert model["before"] == pytest.approx(page["months_to_threshold_before"], rel=1e-7)
        assert model["after"] == pytest.approx(page["months_to_threshold_after"], rel=1e-7)


def test_the_tornado_keeps_every_assumption_within_what_the_shares_allow():
    """Each end of each bar is a run the page accepts; without the bounds some would be runs it refuses."""
    base = {"recording_from": "admin", "recording_hours": 0.45}
    r = tu.run(base)
    table = r.tables["tornado"].set_index("input")
    assert set(table.index[table["bounded"]]) == {"contact_hours", "travel_hours", "recording_hours"}
    for name, row in table.iterrows():
        for end in ("low_value", "high_value"):
            tu.PARAMETERS.validate({**base, name: float(row[end])})  # accepted
    spread = {u.name: u for u in tu.wait_inputs(tu.PARAMETERS.validate(base))}
    with pytest.raises(ParameterError):
        tu.PARAMETERS.validate({**base, "recording_hours": spread["recording_hours"].quantile(0.9)})
    assert "could not move over all of their spread" in r.scalars["bounded_text"]
    assert r.scalars["ratio_fixed"] is True and r.scalars["ratio_low"] == pytest.approx(58 / 34)


def test_what_the_months_depend_on_by_hand(default):
    s = default.scalars
    assert s["dependence_top_input"] == "caseload" and "every assumption could move over all" in s["bounded_text"]
    tornado = default.tables["tornado"]
    assert tornado["swing"].is_monotonic_decreasing and not tornado["bounded"].any()
    # The months are proportional to the caseload: at its 10th and 90th percentiles, the page's months scale.
    months = s["months_to_threshold_after"]
    assert s["months_after_low"] == pytest.approx(months * s["dependence_range_low"] / 17.7)
    assert s["months_after_high"] == pytest.approx(months * s["dependence_range_high"] / 17.7)
    assert s["ratio_fixed"] is True and "None of these moves changes" in s["ratio_text"]
    # Recording at its ends: all from families (3 h of family time a visit), or 58.3% of it from administration
    # (2.4167 h a visit): the months scale with the family time a visit takes, the ratio stays 58 / 34.
    assert s["months_after_recording_family"] == pytest.approx(months)
    most = s["recording_admin_most_share"]
    assert s["months_after_recording_admin_most"] == pytest.approx(months * (3 - most) / 3)
    assert s["months_before_recording_admin_most"] / s["months_after_recording_admin_most"] == pytest.approx(58 / 34)
    assert "by the same proportion either way" in s["recording_ends_text"]
    assert "25% for the face-to-face time" in s["assumption_spreads_text"]


def test_without_administrative_time_recording_stays_with_families():
    s = tu.run({"admin_share_before": 0.0, "admin_share_after": 0.0}).scalars
    assert s["recording_admin_most_share"] == 0 and s["recording_admin_most_hours"] == 0
    assert "recording can only come out of the time with families" in s["recording_ends_text"]


def test_numbers_declared_published_are_registry_figures_at_the_defaults(default):
    from test_kinds import _registry_values

    figures = _registry_values()
    for name, kind in tu.KINDS.items():
        if kind is Kind.PUBLISHED and not isinstance(default.scalars[name], str):
            assert any(math.isclose(default.scalars[name], f, rel_tol=1e-9) for f in figures), name
    # The months are a model's results under the page's assumptions; the ratio of contacts follows from the shares.
    assert tu.KINDS["months_to_threshold_after"] is Kind.MODEL
    assert tu.KINDS["recording_admin_most_hours"] is Kind.MODEL
    assert tu.KINDS["contacts_ratio"] is Kind.COMPUTED
    assert tu.KINDS["contact_hours"] is Kind.ASSUMPTION
    assert tu.KINDS.figures["caseload"] == "dfe_caseload_2017"


def test_figures_read_numbers_from_the_result_as_they_are(default):
    """helpers.results.number: a number stays as recorded (an integer an integer, for labels like "8 contacts");
    a text or a yes/no under that name is refused rather than plotted."""
    from helpers.results import number

    assert (
        number(default.scalars, "contacts_threshold") == 8
        and type(number(default.scalars, "contacts_threshold")) is int
    )
    assert number(default.params, "sw_hourly_cost") == published("cost_sw_hour_ucd2014")
    for name in ("pa_wait_verdict", "ratio_fixed"):
        with pytest.raises(TypeError, match="not a number"):
            number(default.scalars, name)


# ---------------------------------------------------------------- the period's caseload, the role's name, the brief


def test_the_caseload_is_the_pilots_period_not_todays():
    """The pilot ran in 2016-17: the caseload is England's for 2017 (the statistics' first year), not the latest."""
    from helpers.analyses.time_use_admin_support.analysis import FIGURES_USED
    from helpers.page.registry import figure

    assert "2017" in figure("dfe_caseload_2017").measure
    assert tu.PARAMETERS.defaults()["caseload"] == published("dfe_caseload_2017")
    assert {u.figure_id for u in FIGURES_USED} >= {"dfe_caseload_2017"}
    assert "dfe_caseload_2025" not in {u.figure_id for u in FIGURES_USED}
    assert "2017" in tu.run({}).scalars["caseload_source_text"]
    assert tu.run({"caseload": 20.0}).scalars["caseload_source_text"] == "the caseload this run assumes"


def _page_text() -> str:
    import json

    cells = json.loads((ROOT / "notebooks" / "time_use_admin_support.ipynb").read_text(encoding="utf-8"))["cells"]
    captions = [c["metadata"].get("mystnb", {}).get("figure", {}).get("caption", "") for c in cells]
    return "\n".join(["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"] + captions)


def test_the_intervention_is_named_as_published():
    """The evaluation's "highly skilled administrators or PAs" are personal assistants, not social work assistants
    (in English children's services, usually unqualified workers doing direct work with families)."""
    import re

    from helpers.page.cards import card_html

    default = tu.run({})
    texts = {
        "TITLE": tu.TITLE,
        "SUMMARY": tu.SUMMARY,
        "the card": card_html(tu.CARD, "time_use_admin_support"),
        "the brief": tu.brief(default.scalars, default.params).text(),
        "the page": _page_text(),
        "the package": tu.__doc__ or "",
    }
    from helpers.page.registry import load_registry

    texts["the registry's name of the study"] = " ".join(
        f.study for f in load_registry().values() if f.id.startswith("hiow_")
    )
    for where, text in texts.items():
        assert not re.search(r"social[- ]work assistant", text, re.I), where
    assert _page_text().startswith("# Personal assistants for social workers in Hampshire and the Isle of Wight")
    assert "personal assistant" in tu.TITLE.lower() and "personal assistants" in tu.SUMMARY.lower()


def test_the_page_is_in_the_readers_order_and_its_anchors_exist():
    import re

    text = _page_text()
    heads = re.findall(r"^## (.+)$", text, re.M)
    assert heads == ["In brief", "Results", "Method", "Parameters"]
    for anchor in re.findall(r"\]\(#([\w-]+)\)", tu.CARD.adds + "".join(tu.brief(tu.run({}).scalars, {}).items)):
        assert f"({anchor})=" in text, anchor


def test_the_brief_says_what_was_found_how_far_to_trust_it_and_follows_the_run(default):
    text = tu.brief(default.scalars, default.params).text()
    assert "36% [P*] to 14% [P*]" in text and "34% [P*] to 58% [P*]" in text
    assert "no comparison group" in text and "neither shows PAs caused it" in text
    # the comparison with workers without a PA is the survey's, not the shares'
    assert "one-off survey compared workers with and without a PA (80% [P*] against 10% [P*]" in text
    # the cost is read as yearly, and the break-even is a value of time, not cash, at the precision it supports
    assert "read as yearly" in text and "about £12 [M]" in text and "not cash" in text
    assert "£12.03" not in text
    assert "lengthen" not in text and "5.3 [M] months, not 9.0 [M]" in text
    assert tu.brief(default.scalars, default.params).words() <= 150
    changed = tu.run({"admin_share_after": 0.36, "family_share_after": 0.34}).scalars
    text = tu.brief(changed, {}).text()
    assert "This run replaces the evaluation's shares" in text and "extra weekly hours" not in text
    assert "break-even" not in text  # no administrative time moved: no cost sentence


@pytest.mark.parametrize(
    "params",
    [{}, {"recording_from": "admin", "recording_hours": 0.45}, {"admin_share_before": 0.0, "admin_share_after": 0.0}],
)
def test_no_phrase_the_page_glues_is_empty(params):
    """The book renders an empty glued phrase as a blank (tests/test_book.py): every text scalar says something."""
    empty = [name for name, value in tu.run(params).scalars.items() if isinstance(value, str) and not value.strip()]
    assert not empty


# ---------------------------------------------------------------- the reviewers' defects (sources, design, card)
def test_the_notes_summary_of_community_care_is_attributed_to_it_not_to_the_evaluators():
    """The support ratio, the survey and the cost were read only in the compendium's notes on a Community Care
    report: the registry names that report (secondary) as their source, and the card and the landing page's
    table name it beside the quote instead of passing it off as the evaluators' words."""
    from helpers.page.cards import card_html, evidence_table_html
    from helpers.page.registry import figure
    from helpers.page.sources import source
    from helpers.page.statements import statement

    cc = source("cc2017hiow_notes")
    assert cc.kind == "news" and cc.grade == "secondary" and cc.date == "21 March 2017"
    assert cc.document == source("domain_notes").document  # the copy the quotes are checked against
    for sid in ("hiow_cost", "hiow_found_enough_time", "hiow_ratio"):
        assert statement(sid).source == "cc2017hiow_notes", sid
    for fid in ("hiow_pa_cost_per_sw", "hiow_saving_per_sw", "hiow_sw_per_pa", "hiow_enough_time_with_pa"):
        assert figure(fid).source == "cc2017hiow_notes", fid
    table = evidence_table_html([("time_use_admin_support", tu.CARD)])
    cost_cell = table.split("<td>")[-1]
    assert "PAs cost" in cost_cell and "Community Care, 21 March 2017, as summarised in the compendium" in cost_cell
    card = card_html(tu.CARD, "time_use_admin_support")
    assert card.count("Community Care, 21 March 2017, as summarised") == 3  # the survey, the ratio, the cost
    assert "The compendium's domain notes" not in card


def test_the_design_says_which_comparison_is_before_and_after_and_which_is_one_off():
    """The time shares are before and after (no comparison group); the survey compares workers with and
    without a PA once, on another measure. Declared so, the rule still gives level 1: neither comparison has
    the other's measure, so there is no difference in differences."""
    from helpers.page.cards import card_html, evidence_table_html
    from helpers.page.evidence import level_of, rate
    from helpers.page.statements import DESIGN_FACTS

    rating = rate("hiow")
    facts = {name: f.value for name, f in rating.facts.items()}
    assert facts["comparison_group"] and facts["before_after"] and facts["separate_measures"]
    assert rating.level == 1
    assert "one-off comparison group" in rating.design and "Before and after" in rating.design
    both = dict.fromkeys(DESIGN_FACTS, False) | {
        "impact_estimate": True,
        "comparison_group": True,
        "before_after": True,
    }
    assert level_of(both) == 3 and level_of(both | {"separate_measures": True}) == 1
    assert level_of(both | {"separate_measures": True, "controls": True}) == 2
    assert rating.design in evidence_table_html([("time_use_admin_support", tu.CARD)])
    assert "one-off comparison group on another" in card_html(tu.CARD, "time_use_admin_support")
    assert "without a PA is a separate survey" in " ".join(_page_text().split())


def test_the_cards_intervention_is_no_dangling_fragment_and_the_blogs_message_is_the_blogs():
    from helpers.page.cards import card_html
    from helpers.page.statements import of

    for item in of("hiow", "intervention"):
        assert not item.quote.rstrip().endswith(":"), item.id
    practice = of("hiow", "practice")
    assert all(s.source == "msww_blog_2017" for s in practice)
    for item in practice:
        assert "not the evaluation" in tu.CARD.context[item.id]
    assert "The blog post's author, not the evaluation" in card_html(tu.CARD, "time_use_admin_support")


def test_the_contacts_ratio_is_printed_at_one_precision():
    import re

    text = _page_text()
    assert re.findall(r"contacts_ratio:\.(\d)f", text) == ["1"] * len(re.findall(r"contacts_ratio:", text))
    s = tu.run({}).scalars
    assert "1.71" not in s["ratio_text"] and "(1.7)" in s["ratio_text"]
