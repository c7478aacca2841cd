"""Statistics in helpers.stats.proportions, each against an independent implementation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from helpers.stats.proportions import binomial_test_greater, format_p, min_successes_significant, proportion_ci


def wilson_by_hand(k, n, level):
    z = sps.norm.ppf(1 - (1 - level) / 2)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def clopper_pearson_by_hand(k, n, level):
    a = 1 - level
    low = 0.0 if k == 0 else sps.beta.ppf(a / 2, k, n - k + 1)
    high = 1.0 if k == n else sps.beta.ppf(1 - a / 2, k + 1, n - k)
    return low, high


def jeffreys_by_hand(k, n, level):
    a = 1 - level
    low = 0.0 if k == 0 else sps.beta.ppf(a / 2, k + 0.5, n - k + 0.5)
    high = 1.0 if k == n else sps.beta.ppf(1 - a / 2, k + 0.5, n - k + 0.5)
    return low, high


BY_HAND = {"wilson": wilson_by_hand, "clopper-pearson": clopper_pearson_by_hand, "jeffreys": jeffreys_by_hand}


@pytest.mark.parametrize("method", BY_HAND)
@pytest.mark.parametrize("k, n, level", [(94, 119, 0.95), (0, 10, 0.95), (10, 10, 0.9), (3, 40, 0.99), (1, 1, 0.8)])
def test_interval_matches_independent_formula(method, k, n, level):
    iv = proportion_ci(k, n, level, method)
    low, high = BY_HAND[method](k, n, level)
    assert iv.low == pytest.approx(low, abs=1e-9)
    assert iv.high == pytest.approx(high, abs=1e-9)


def test_kft_wilson_interval_worked_example():
    # 94 of 119, 95%: worked by hand from the Wilson formula (z = 1.959964).
    iv = proportion_ci(94, 119, 0.95, "wilson")
    assert (round(iv.low, 4), round(iv.high, 4)) == (0.7082, 0.8535)


def test_methods_differ():
    lows = {m: proportion_ci(94, 119, 0.95, m).low for m in BY_HAND}
    assert len(set(lows.values())) == 3


@settings(max_examples=200)
@given(n=st.integers(1, 500), data=st.data(), level=st.floats(0.5, 0.999), method=st.sampled_from(list(BY_HAND)))
def test_interval_properties(n, data, level, method):
    k = data.draw(st.integers(0, n))
    iv = proportion_ci(k, n, level, method)
    assert 0 <= iv.low <= k / n <= iv.high <= 1
    wider = proportion_ci(k, n, min(level + 0.0005, 0.9999), method)
    assert wider.low <= iv.low + 1e-12 and wider.high >= iv.high - 1e-12


@pytest.mark.parametrize("bad", [{"successes": 5, "n": 4}, {"successes": -1, "n": 4}, {"successes": 0, "n": 0}])
def test_interval_rejects_impossible_counts(bad):
    with pytest.raises(ValueError):
        proportion_ci(level=0.95, method="wilson", **bad)


def test_interval_rejects_unknown_method():
    with pytest.raises(ValueError, match="not one of"):
        proportion_ci(5, 10, 0.95, "wald")


def upper_tail_by_hand(k, n, p):
    return sum(math.comb(n, j) * p**j * (1 - p) ** (n - j) for j in range(k, n + 1))


@pytest.mark.parametrize("k, n, p", [(94, 119, 0.5), (60, 119, 0.5), (5, 10, 0.3), (0, 7, 0.2), (7, 7, 0.9)])
def test_binomial_test_is_the_exact_upper_tail(k, n, p):
    assert binomial_test_greater(k, n, p) == pytest.approx(upper_tail_by_hand(k, n, p), rel=1e-9, abs=1e-15)


@pytest.mark.parametrize(
    "n, p, alpha", [(119, 0.5, 0.05), (119, 0.6, 0.01), (20, 0.5, 0.05), (3, 0.5, 0.05), (50, 0.9, 0.1)]
)
def test_min_successes_is_the_smallest_significant_count(n, p, alpha):
    brute = next((k for k in range(n + 1) if upper_tail_by_hand(k, n, p) <= alpha), None)
    assert min_successes_significant(n, p, alpha) == brute


def test_min_successes_kft_worked_example():
    # P(X >= 69 | 119, 0.5) = 0.0499 <= 0.05 < P(X >= 68) = 0.0674
    assert min_successes_significant(119, 0.5, 0.05) == 69
    assert upper_tail_by_hand(69, 119, 0.5) < 0.05 < upper_tail_by_hand(68, 119, 0.5)


def test_format_p():
    assert format_p(6.7e-11) == "p < 0.001"
    assert format_p(0.0342) == "p = 0.034"
    assert format_p(0.005) == "p = 0.005" and format_p(0.001) == "p = 0.001"
    assert format_p(0.5) == "p = 0.50"
    assert np.isclose(float(format_p(0.04).split("= ")[1]), 0.04)


def test_montecarlo_texts_print_each_simulated_number_by_the_rule_and_need_its_error():
    from helpers.stats import montecarlo

    scalars = {"power": 0.7902, "power_mcse": 0.0041, "workers": 132, "workers_mcse": 1.4, "ratio": 1.5585}
    texts = montecarlo.texts(scalars, {"power": "percent", "workers": "count"})
    assert texts == {"power_text": "79%", "workers_text": "130"}
    assert montecarlo.texts({"x": 1.1349, "x_mcse": 0.004}, {"x": "ratio"}) == {"x_text": "1.13"}
    with pytest.raises(KeyError, match="ratio: a simulated number needs its Monte Carlo error, ratio_mcse"):
        montecarlo.texts(scalars, {"ratio": "ratio"})


def test_a_share_of_all_or_none_of_the_draws_is_printed_as_more_or_less_than_its_unit_never_as_100_or_0():
    """A simulated share at 100% (or 0%) would claim that every draw goes that way: it is printed as
    ">99%" ("<1%") at the finest unit, and to the unit its error allows with few draws."""
    from helpers.stats import montecarlo

    assert montecarlo.text(0.9999, 0.0001, "percent") == ">99%"
    assert montecarlo.text(1.0, montecarlo.mcse_of_share(1.0, 10_000), "percent") == ">99%"
    assert montecarlo.text(0.0, montecarlo.mcse_of_share(0.0, 10_000), "percent") == "<1%"
    # forty of forty draws: one draw the other way would be 97.5%, an error of 2.5 points, so ten-point steps
    assert montecarlo.mcse_of_share(1.0, 40) == pytest.approx(math.sqrt(0.025 * 0.975 / 40))
    assert montecarlo.text(1.0, montecarlo.mcse_of_share(1.0, 40), "percent") == ">90%"
    # shares inside the range, and percentages that are not shares, are unchanged
    assert montecarlo.text(0.9896, 0.001, "percent") == "99%" and montecarlo.text(0.0637, 0.0024, "percent") == "6%"
    assert montecarlo.text(1.2, 0.001, "percent") == "120%"
    # the error is written to one figure after rounding: 0.0099995 points is 0.01, not 0.010
    assert montecarlo.error_text(9.9995e-05, "percent") == "± 0.01 points"
