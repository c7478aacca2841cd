"""Summaries across many synthetic reconstructions (helpers.stats.replicates), checked against direct numpy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from helpers.stats import replicates as rep


def _normal_mean(rng: np.random.Generator) -> dict[str, rep.Estimate]:
    x = rng.normal(1.0, 1.0, 40)
    m, se = x.mean(), x.std(ddof=1) / np.sqrt(len(x))
    t = sps.t.ppf(0.975, len(x) - 1)
    return {"mean": rep.Estimate(m, m - t * se, m + t * se)}


def test_a_t_interval_covers_the_truth_about_95_percent_of_the_time():
    summary = rep.summarise(rep.across(_normal_mean, 2000, seed=1), truth={"mean": 1.0}, null={"mean": 0.0})
    row = summary.iloc[0]
    assert row["n"] == row["n_estimable"] == 2000
    # Exact t intervals: coverage 0.95 up to Monte Carlo error (4 standard errors).
    assert abs(row["coverage"] - 0.95) < 4 * row["coverage_mcse"]
    # Power of the two-sided t-test of mean 0 at effect 1 SD with n = 40 is essentially 1.
    # All 2000 detected: not exact, so its error is that of one draw the other way.
    assert row["detection"] == 1.0 and row["detection_mcse"] == pytest.approx(np.sqrt(1999 / 2000**3))
    assert abs(row["median"] - 1.0) < 4 * row["median_mcse"]


def test_replicates_are_reproducible_and_independent_of_each_other():
    a = rep.across(_normal_mean, 5, seed=7)
    b = rep.across(_normal_mean, 8, seed=7)
    pd.testing.assert_frame_equal(a, b.iloc[:5])  # adding replicates does not change the first ones
    assert a["value"].nunique() == 5
    with pytest.raises(ValueError, match="n_replicates = 0"):
        rep.across(_normal_mean, 0, seed=7)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.floats(-5, 5), st.floats(0, 3), st.floats(0, 3)), min_size=3, max_size=60),
    st.floats(-5, 5),
    st.floats(-5, 5),
)
def test_summary_equals_direct_computation(rows, truth, null):
    draws = pd.DataFrame(
        [{"replicate": i, "estimate": "x", "value": v, "low": v - a, "high": v + b} for i, (v, a, b) in enumerate(rows)]
    )
    s = rep.summarise(draws, {"x": truth}, {"x": null}).iloc[0]
    v = draws["value"].to_numpy()
    lo, hi = draws["low"].to_numpy(), draws["high"].to_numpy()
    assert s["median"] == pytest.approx(np.median(v))
    assert s["range_low"] == pytest.approx(np.percentile(v, 2.5))
    assert s["range_high"] == pytest.approx(np.percentile(v, 97.5))
    cov = np.mean((lo <= truth) & (truth <= hi))
    det = np.mean((lo > null) | (hi < null))
    assert s["coverage"] == pytest.approx(cov)
    assert s["detection"] == pytest.approx(det)
    # binomial, except that none or all of the draws gets the error of one draw the other way
    n = len(v)
    assert s["coverage_mcse"] == pytest.approx(np.sqrt(max(cov * (1 - cov), (1 / n) * (1 - 1 / n)) / n))


def test_a_reconstruction_that_cannot_be_estimated_is_counted_not_summarised():
    draws = pd.DataFrame(
        {
            "replicate": [0, 1, 2],
            "estimate": "x",
            "value": [1.0, np.nan, 3.0],
            "low": [0.0, np.nan, 2.0],
            "high": [2.0, np.nan, 4.0],
        }
    )
    s = rep.summarise(draws, {"x": 1.5}, {})
    assert s.loc[0, "n"] == 3 and s.loc[0, "n_estimable"] == 2
    assert s.loc[0, "median"] == 2.0 and s.loc[0, "coverage"] == 0.5
    assert np.isnan(s.loc[0, "detection"])
    out = rep.scalars(s)
    assert out["rep_n"] == 3 and out["rep_x_n_estimable"] == 2 and "rep_x_detection" not in out


def test_central_range_level_is_checked():
    with pytest.raises(ValueError, match="level = 1"):
        rep.summarise(rep.across(_normal_mean, 3, seed=1), {}, {}, level=1)


def test_the_display_table_prints_each_simulated_number_by_the_precision_rule():
    """Few reconstructions support fewer digits: the table never shows more than the Monte Carlo error allows."""
    few = rep.summarise(rep.across(_normal_mean, 40, seed=3), truth={"mean": 1.0}, null={"mean": 0.0})
    many = rep.summarise(rep.across(_normal_mean, 4000, seed=3), truth={"mean": 1.0}, null={"mean": 0.0})
    t_few, t_many = rep.display_table(few).iloc[0], rep.display_table(many).iloc[0]
    assert (
        few["range_low_mcse"].iloc[0] > 0.005 and len(t_few["central 95% range"].split(" to ")[0].split(".")[-1]) == 1
    )
    assert many["median_mcse"].iloc[0] < 0.005 and len(t_many["median"].split(".")[-1]) == 2
    assert t_few["coverage"].split(" ")[0].endswith("0%")  # forty draws: shares to ten points
    assert t_many["value given to the generator"] == "1.00"
