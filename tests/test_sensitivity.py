"""Probabilistic and one-way sensitivity analysis."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.stats.sensitivity import Uncertain, psa, tornado


@settings(max_examples=50, deadline=None)
@given(base=st.floats(1, 1e5), cv=st.floats(0.05, 1.5))
def test_positive_inputs_have_the_requested_mean_and_cv(base, cv):
    dist = Uncertain("x", base, cv)._dist()
    assert dist.mean() == pytest.approx(base, rel=1e-9)
    assert dist.std() / dist.mean() == pytest.approx(cv, rel=1e-9)


@settings(max_examples=50, deadline=None)
@given(base=st.floats(0.02, 0.98), cv=st.floats(0.01, 2))
def test_share_inputs_have_the_requested_mean_and_capped_spread(base, cv):
    dist = Uncertain("s", base, cv, "share")._dist()
    assert dist.mean() == pytest.approx(base, rel=1e-9)
    expected_sd = min(cv * base, np.sqrt(0.95 * base * (1 - base)))
    assert dist.std() == pytest.approx(expected_sd, rel=1e-6)
    assert dist.support() == (0, 1)


def test_degenerate_inputs_are_constant():
    rng = np.random.default_rng(0)
    for u in (Uncertain("a", 5.0, 0.0), Uncertain("b", 0.0, 0.3), Uncertain("c", 1.0, 0.3, "share")):
        assert np.all(u.sample(rng, 10) == u.base) and u.quantile(0.9) == u.base


def model(x):
    return x["a"] * 2 + x["b"] * 10


INPUTS = [Uncertain("a", 100.0, 0.2, label="A"), Uncertain("b", 50.0, 0.3, label="B")]


def test_psa_is_reproducible_by_seed_and_vectorised():
    one = psa(model, INPUTS, 5000, np.random.default_rng(1))
    two = psa(model, INPUTS, 5000, np.random.default_rng(1))
    assert one.equals(two)
    assert np.allclose(one["outcome"], one["a"] * 2 + one["b"] * 10)
    assert one["outcome"].mean() == pytest.approx(
        700, rel=0.02
    )  # linear model: mean of the output = output at the means


def test_tornado_orders_by_swing_and_uses_quantiles():
    table = tornado(model, INPUTS)
    assert list(table["input"]) == ["b", "a"]  # b's swing: 10 x (q90 - q10) of Gamma(50, cv .3) > a's
    row = table.set_index("input").loc["a"]
    assert row["outcome_low"] == pytest.approx(2 * INPUTS[0].quantile(0.1) + 500)
    assert row["swing"] == pytest.approx(2 * (INPUTS[0].quantile(0.9) - INPUTS[0].quantile(0.1)))
    assert table.attrs["base_outcome"] == 700


def test_tornado_keeps_an_input_within_its_bounds_and_says_so():
    """A quantile outside the values the model allows is moved in to the bound; the others are untouched."""
    ceiling = INPUTS[0].quantile(0.5)
    table = tornado(model, INPUTS, bounds={"a": (-np.inf, ceiling)}).set_index("input")
    assert table.loc["a", "low_value"] == pytest.approx(INPUTS[0].quantile(0.1))
    assert table.loc["a", "high_value"] == pytest.approx(ceiling)
    assert table.loc["a", "outcome_high"] == pytest.approx(2 * ceiling + 500)
    assert bool(table.loc["a", "bounded"]) and not bool(table.loc["b", "bounded"])
    assert table.loc["b", "high_value"] == pytest.approx(INPUTS[1].quantile(0.9))
    assert not tornado(model, INPUTS)["bounded"].any()


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError, match="share"):
        Uncertain("s", 1.5, 0.2, "share")._dist()
    with pytest.raises(ValueError, match="positive"):
        Uncertain("x", -3.0, 0.2)._dist()


# --- vary and crossings: the headline's dependence on its most influential assumption ---------------

import pandas as pd  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from helpers.stats.sensitivity import Uncertain, crossings, vary  # noqa: E402


def test_vary_moves_one_input_and_holds_the_others_at_base():
    inputs = [Uncertain("a", 2.0, 0.1), Uncertain("b", 3.0, 0.1)]
    table = vary(lambda x: x["a"] * x["b"], inputs, "a", [0.0, 1.0, 2.0])
    assert table["outcome"].tolist() == [0.0, 3.0, 6.0]
    with pytest.raises(ValueError, match="input 'c' is not one of the model's inputs: a, b"):
        vary(lambda x: x["a"], inputs, "c", [1.0])


@settings(max_examples=60, deadline=None)
@given(st.floats(0.1, 10), st.floats(-10, 10), st.floats(-5, 5))
def test_crossings_find_the_root_of_a_line(slope, intercept, threshold):
    grid = np.linspace(-20, 20, 81)
    table = vary(lambda x: slope * x["a"] + intercept, [Uncertain("a", 0.0, 0.0)], "a", grid)
    root = (threshold - intercept) / slope
    found = crossings(table, threshold)
    if -20 < root < 20:
        assert len(found) == 1 and found[0] == pytest.approx(root, abs=1e-9)
    elif not -20 <= root <= 20:
        assert found == []


def test_crossings_of_a_curve_that_stays_on_one_side_are_empty():
    table = pd.DataFrame({"value": [0, 1, 2], "outcome": [1.0, 2.0, 1.5]})
    assert crossings(table, 0.5) == []
    assert crossings(table, 1.75) == [pytest.approx(0.75), pytest.approx(2 - 0.25 / 0.5 * 1)]


def test_most_influential_ranks_varies_and_finds_the_flip():
    from helpers.stats.sensitivity import Uncertain, most_influential

    inputs = [Uncertain("a", 1.0, 0.1, label="small one"), Uncertain("b", 2.0, 0.5, label="big one")]

    def model(d):  # b's spread moves the output most
        return 3 * d["a"] + 2 * d["b"]

    dep = most_influential(model, inputs, {"a": (0.0, 2.0), "b": (0.0, 4.0)}, threshold=9.0, points=5)
    assert dep["input"] == "b" and dep["label"] == "big one" and dep["base"] == 2.0
    assert list(dep["table"]["value"]) == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert list(dep["table"]["outcome"]) == [3.0, 5.0, 7.0, 9.0, 11.0]
    assert dep["flips"] == [3.0]  # 3 + 2b = 9
    assert most_influential(model, inputs, {"a": (0.0, 2.0), "b": (0.0, 4.0)}, threshold=20.0)["flips"] == []


def test_tornado_table_shows_labels_and_keeps_the_order():
    from helpers.stats.sensitivity import tornado_table

    inputs = [Uncertain("a", 2.0, 0.5, label="first thing"), Uncertain("b", 3.0, 0.1, label="second thing")]
    raw = tornado(lambda x: x["a"] * x["b"], inputs)
    shown = tornado_table(raw)
    assert shown["assumption"].tolist() == ["first thing", "second thing"]
    assert shown["swing"].tolist() == raw["swing"].tolist()
    assert "input" not in shown.columns


def test_tornado_table_writes_numbers_for_readers():
    from helpers.stats.sensitivity import tornado_table

    inputs = [Uncertain("n", 5.0, 0.4, "count", "cases"), Uncertain("s", 0.25, 0.4, "share", "share")]
    raw = tornado(lambda x: x["n"] * x["s"], inputs)
    shown = tornado_table(
        raw, values={"s": lambda v: f"{v:.0%}", "n": lambda v: f"{v:.0f}"}, outcome=lambda v: f"{v:.1f}"
    )
    row = shown.set_index("assumption")
    assert row.loc["share", "low value"] == f"{raw.set_index('input').loc['s', 'low_value']:.0%}"
    assert all(isinstance(v, str) for v in shown["headline at low"])


def test_a_count_is_moved_to_whole_numbers_of_at_least_one():
    """A count's percentiles, and its draws, are whole numbers (a worker holds 3 cases, not 2.669), and never
    fewer than one; the Gamma percentiles are rounded to the nearest."""
    u = Uncertain("cases", 5.0, 0.4, "count")
    positive = Uncertain("cases", 5.0, 0.4, "positive")
    for q in (0.025, 0.1, 0.5, 0.9, 0.975):
        assert u.quantile(q) == max(1.0, round(positive.quantile(q)))
    assert Uncertain("cases", 1.0, 0.9, "count").quantile(0.01) == 1.0
    draws = u.sample(np.random.default_rng(1), 1000)
    assert np.all(draws == np.round(draws)) and draws.min() >= 1
    row = tornado(lambda x: x["cases"] * 1.0, [u]).iloc[0]
    assert row["low_value"] == round(positive.quantile(0.1)) and row["outcome_high"] == round(positive.quantile(0.9))


def test_depends_most_moves_the_top_input_over_its_grid():
    from helpers.stats.sensitivity import central_range, depends_most

    inputs = [Uncertain("a", 2.0, 0.5, label="big"), Uncertain("b", 3.0, 0.05, label="small")]
    dep = depends_most(lambda x: x["a"] * x["b"] - 6.0, inputs, lambda u: central_range(u, 11), threshold=0.0)
    assert dep["top"].name == "a"
    assert dep["table"]["value"].tolist() == pytest.approx(central_range(inputs[0], 11).tolist())
    assert dep["flips"] == [pytest.approx(2.0, rel=1e-9)]  # a * 3 - 6 crosses zero at a = 2
    assert depends_most(lambda x: x["a"], inputs)["flips"] == []
