"""KFT care outcomes: the analysis follows from its parameters."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from helpers.analyses import kft_care_outcomes as kft
from helpers.page.registry import published
from helpers.params import ParameterError
from helpers.results import recorded

REQUIRED = [
    "n_referred",
    "n_entered_care",
    "n_at_home",
    "home_rate",
    "home_rate_ci_low",
    "home_rate_ci_high",
    "p_value_vs_target",
    "net_saving_mean",
]


@pytest.fixture(scope="module")
def default():
    return kft.run({})


def test_defaults_come_from_the_registry():
    d = kft.PARAMETERS.defaults()
    assert d["n_referred"] == published("kft_n_referred")
    assert d["n_entered_care"] == published("kft_n_entered_care")
    assert d["target_home_rate"] == published("kft_target_home_pct") / 100
    assert d["weekly_cost_foster"] == published("cost_foster_week_pssru2017")
    assert d["weekly_cost_residential"] == published("cost_childrens_home_week_dfe2016")


def test_published_counts_reproduce_the_published_shares(default):
    s = default.scalars
    assert s["n_at_home"] == 119 - 25
    assert s["home_rate"] == recorded(94 / 119)
    assert s["home_rate_reproduction"] == "reproduced" and s["care_rate_reproduction"] == "reproduced"
    assert round(100 * s["home_rate"]) == s["home_pct_published"]


def test_required_results_are_present(default):
    assert set(REQUIRED) <= set(default.scalars)


def test_interval_and_test_follow_the_parameters():
    r = kft.run({"ci_method": "clopper-pearson", "ci_level": 0.9, "target_home_rate": 0.75})
    s = r.scalars
    assert s["home_rate_ci_low"] == pytest.approx(sps.beta.ppf(0.05, 94, 26))
    assert s["home_rate_ci_high"] == pytest.approx(sps.beta.ppf(0.95, 95, 25))
    assert s["p_value_vs_target"] == pytest.approx(sps.binom.sf(93, 119, 0.75))
    assert "cannot rule out" in s["target_verdict"]  # 79% vs a 75% target: not significant
    assert s["min_home_for_target"] == next(k for k in range(120) if sps.binom.sf(k - 1, 119, 0.75) <= 0.05)


def test_changed_counts_make_the_reproduction_not_applicable():
    s = kft.run({"n_referred": 200, "n_entered_care": 120}).scalars
    assert s["home_rate_reproduction"] == "not applicable"
    assert s["home_rate"] == 0.4
    assert s["target_verdict"].startswith("does not exceed the target")


def test_cost_model_matches_the_formula(default):
    p, s = default.params, default.scalars
    diverted = 119 * p["counterfactual_care_rate"] - 25
    weekly = 0.8 * 646 + 0.2 * 3000
    expected = diverted * 52 * weekly - 119 * p["service_cost_per_child"]
    assert s["children_diverted"] == pytest.approx(diverted)
    assert s["net_saving_base"] == pytest.approx(expected)
    assert s["net_saving_low"] < s["net_saving_mean"] < s["net_saving_high"]


def test_one_weekly_cost_serves_the_base_case_and_the_model(default):
    assert kft.weekly_cost(646.0, 3000.0, 0.2) == pytest.approx(0.8 * 646 + 0.2 * 3000)
    assert kft.weekly_cost(np.array([646.0, 646.0]), 3000.0, np.array([0.0, 1.0])).tolist() == [646.0, 3000.0]
    p, s = default.params, default.scalars
    assert s["weekly_cost_mix"] == pytest.approx(
        kft.weekly_cost(p["weekly_cost_foster"], p["weekly_cost_residential"], p["share_residential"])
    )
    assert s["gross_saving_base"] - s["service_cost_total"] == pytest.approx(s["net_saving_base"])


def test_psa_is_seeded_and_shrinks_to_the_base_case():
    a, b = kft.run({"seed": 5}), kft.run({"seed": 5})
    assert a.scalars == b.scalars
    assert kft.run({"seed": 6}).scalars["net_saving_mean"] != a.scalars["net_saving_mean"]
    tight = kft.run({"psa_cv": 0.0}).scalars
    assert tight["net_saving_mean"] == pytest.approx(tight["net_saving_base"])
    assert tight["net_saving_low"] == pytest.approx(tight["net_saving_base"])


def test_no_diversion_means_no_saving():
    s = kft.run({"counterfactual_care_rate": 25 / 119, "psa_cv": 0.0}).scalars
    assert s["children_diverted"] == pytest.approx(0, abs=1e-9)
    assert s["net_saving_base"] == pytest.approx(-119 * 5000.0)


def test_more_entering_care_than_referred_is_refused():
    with pytest.raises(ParameterError, match="parameter 'n_entered_care' = 130 is not allowed with n_referred = 119"):
        kft.run({"n_entered_care": 130})


def test_figures_are_drawn(default):
    import matplotlib.pyplot as plt

    for plot in (kft.plot_share_at_home, kft.plot_null_distribution, kft.plot_psa, kft.plot_tornado):
        fig = plot(default)
        for ax in fig.axes:
            assert ax.get_xlabel(), plot.__name__
        plt.close(fig)
    assert np.isclose(default.data["null_distribution"]["pmf"].sum(), 1)


# ---------------------------------------------------------------- what the test depends on (design effect)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 400), frac=st.floats(0, 1), p0=st.floats(0.01, 0.99))
def test_design_effect_one_is_the_exact_binomial_test(n, frac, p0):
    k = round(frac * n)
    expected = sps.binomtest(k, n, p0, alternative="greater").pvalue
    assert float(kft.p_value_with_design_effect(k, n, p0, 1.0)) == pytest.approx(expected, rel=1e-9, abs=1e-15)


@pytest.mark.parametrize("d", [2, 3, 5])
def test_a_whole_design_effect_is_the_exact_test_on_the_effective_counts(d):
    # d times the children, each family of d sharing one outcome: the information of 94 of 119 children.
    expected = sps.binomtest(94, 119, 0.5, alternative="greater").pvalue
    assert float(kft.p_value_with_design_effect(94 * d, 119 * d, 0.5, float(d))) == pytest.approx(expected, rel=1e-9)


def test_design_effect_by_hand():
    assert float(kft.design_effect(1.5, 0.5)) == pytest.approx(1.25)
    assert float(kft.design_effect(3.0, 1.0)) == pytest.approx(3.0)  # families of three, identical outcomes
    assert float(kft.design_effect(0.8, 0.5)) == 1.0  # a family has at least one child


def test_the_verdict_survives_clustering_at_the_published_counts(default):
    s = default.scalars
    assert s["design_verdict_survives"] is True and s["design_verdict_words"] == "holds"
    assert s["p_value_design_effect"] > s["p_value_vs_target"]  # clustering weakens the evidence
    assert s["design_worst_p_value"] < s["alpha"]
    # The breaking design effect puts the p-value exactly at alpha, and it is far outside the plausible range.
    b = s["breaking_design_effect"]
    assert float(kft.p_value_with_design_effect(94, 119, 0.5, b)) == pytest.approx(s["alpha"], rel=1e-6)
    assert b > 1 + (default.tables["design_dependence"]["value"].max() - 1) * 1.0
    table = default.tables["design_tornado"]
    assert set(table["input"]) == set(kft.DESIGN_INPUTS) and table["swing"].is_monotonic_decreasing
    assert "verdict survives" in s["design_dependence_text"]


def test_a_marginal_result_changes_with_clustering():
    # 69 of 119 at home is just significant with independent outcomes; a little clustering undoes it.
    r = kft.run({"n_entered_care": 119 - 69})
    s = r.scalars
    assert s["p_value_vs_target"] <= s["alpha"] < s["p_value_design_effect"]
    assert s["design_verdict_survives"] is False and "verdict changes" in s["design_dependence_text"]
    assert 1 < s["breaking_design_effect"] < s["design_effect_base"]


def test_numbers_declared_published_are_registry_figures_at_the_defaults(default):
    from helpers.page.kinds import Kind
    from test_kinds import _registry_values

    figures = _registry_values()
    for name, kind in kft.KINDS.items():
        if kind is Kind.PUBLISHED:
            value = default.scalars[name]
            if isinstance(value, str):  # a published amount as the page writes it: the figure's digits in it
                assert any(f"{f:,.0f}" in value for f in figures if float(f).is_integer()), name
            else:
                assert any(math.isclose(value, f, rel_tol=1e-9) for f in figures), name
    assert kft.KINDS["net_saving_base"] is Kind.MODEL and kft.KINDS["p_value_design_effect"] is Kind.MODEL


# ---------------------------------------------------------------- the reviewers' defects (cost table, card, PSA)
def _notebook_cells() -> list[dict]:
    import json

    from helpers.engine.paths import NOTEBOOKS

    return json.loads((NOTEBOOKS / "kft_care_outcomes.ipynb").read_text(encoding="utf-8"))["cells"]


def _markdown(cid: str) -> str:
    return next("".join(c["source"]) for c in _notebook_cells() if c.get("id") == cid)


def test_every_value_in_the_cost_models_table_is_filled_from_the_run(default):
    """The table's "value used" column shows each input's value in this run: a glued number, never a
    parameter's name in place of its value (a table of literal `parameter x` cells fails)."""
    import re

    text = _markdown("791ecead")
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| input")]
    assert len(rows) == len(kft.COST_INPUT_LABELS)
    for row in rows:
        value = row.split("|")[2].strip()
        role = re.fullmatch(r"\{glue:text\}`(\w+)(:[^`]*)?`", value)
        assert role, f"cost table: {row!r} shows no value from the run"
        assert role.group(1) in default.scalars, role.group(1)
    assert default.scalars["weekly_cost_foster_text"] == "£646"
    assert default.scalars["weekly_cost_residential_text"] == "£3,000"
    changed = kft.run({"weekly_cost_foster": 700.0, "share_residential": 0.3}).scalars
    assert changed["weekly_cost_foster_text"] == "£700" and changed["share_residential"] == 0.3


def test_the_net_saving_at_the_assumed_rate_carries_two_significant_figures(default):
    # 1.41 million at the defaults: a result of plain assumptions supports no third figure
    assert default.scalars["net_saving_base"] == pytest.approx(1.41e6, rel=0.01)
    assert default.scalars["net_saving_base_text"] == "£1.4 million"


def test_the_share_of_draws_showing_a_saving_is_said_to_follow_from_the_assumed_rate(default):
    """The share of PSA draws above zero mostly restates where the unmeasured rate was centred: the page
    says so beside it, with the share of that assumed spread above break-even (checked here against a Beta
    distribution with the same mean and coefficient of variation, written afresh)."""
    s = default.scalars
    m, cv = s["counterfactual_care_rate"], s["psa_cv"]
    var = (cv * m) ** 2
    total = m * (1 - m) / var - 1
    expected = sps.beta(m * total, (1 - m) * total).sf(s["breakeven_care_rate"])
    assert s["rate_above_breakeven"] == pytest.approx(expected, rel=1e-7)
    assert f"drawn around {m:.0%}" in s["psa_share_text"] and f"{expected:.0%} of that" in s["psa_share_text"]
    text = _markdown("791ecead")
    assert "prob_net_saving_positive_text" in text
    assert text.index("psa_share_text") > text.index("prob_net_saving_positive_text")
    assert "not evidence that the units save money" in " ".join(text.split())
    low = kft.run({"counterfactual_care_rate": 0.2}).scalars
    assert "drawn around 20%" in low["psa_share_text"] and low["rate_above_breakeven"] < 0.5


def test_the_interval_allowing_for_siblings_is_wilsons_on_the_effective_numbers(default):
    s = default.scalars
    deff = s["design_effect_base"]
    n, x = s["n_referred"] / deff, s["n_at_home"] / deff
    z = sps.norm.ppf(0.975)
    centre = (x + z**2 / 2) / (n + z**2)
    half = z * math.sqrt(x * (n - x) / n + z**2 / 4) / (n + z**2)
    assert s["home_rate_ci_low_deff"] == pytest.approx(centre - half, rel=1e-7)
    assert s["home_rate_ci_high_deff"] == pytest.approx(centre + half, rel=1e-7)
    assert s["home_rate_ci_low_deff"] < s["home_rate_ci_low"] < s["home_rate_ci_high"] < s["home_rate_ci_high_deff"]
    assert "not adjusted for siblings" in _markdown("4f726319")


def test_the_follow_up_period_is_said_to_be_unpublished(default):
    limits = kft.brief(default.scalars, default.params).limits
    assert "no follow-up period" in limits
    assert "follow-up period it does not publish" in _markdown("bc6ff779")
    assert "how long children were followed" in " ".join(_markdown("beecb69b").split())


def test_the_cards_quotes_stand_alone_or_are_introduced():
    """A quote that would mislead alone is introduced in the compendium's words: the recommendation is about
    the RSW model as a whole, the families' appreciation covers both KFT and RSW, and no quote opens on a word
    that points back to a sentence the card does not show."""
    from helpers.page.cards import card_html
    from helpers.page.statements import of, statement

    for sid in kft.CARD.context:
        assert statement(sid).evaluation == "kft", sid
    recommendation = next(s for s in of("kft", "practice") if s.quote.startswith("Other authorities"))
    assert "as a whole" in kft.CARD.context[recommendation.id]
    for item in of("kft", "practice") + of("kft", "finding"):
        assert not item.quote.startswith("Again"), item.id
        if item.quote[0].islower():  # a fragment: introduced by the compendium's words
            assert item.id in kft.CARD.context, item.id
    html = card_html(kft.CARD, "kft_care_outcomes")
    assert "as a whole" in html and "Again," not in html


@pytest.mark.parametrize(
    ("amount", "step", "expected"),
    [
        (1_412_345.0, None, "£1.4 million"),
        (353_456.0, None, "£350,000"),
        (12.034, 1, "£12"),
        (-1_412_345.0, None, "−£1.4 million"),
    ],
)
def test_pounds_to_two_significant_figures(amount, step, expected):
    from helpers.page.text import gbp

    assert gbp(amount, step, significant=2) == expected
    with pytest.raises(ValueError, match="significant=0"):
        gbp(amount, significant=0)
