"""Statistics in helpers.stats.clustered, each against an independent implementation or a hand-worked example."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import stats as sps
from statsmodels.stats.mediation import Mediation
from statsmodels.stats.power import TTestIndPower

from helpers.stats.clustered import (
    clustered_ols,
    design_effect,
    hedges_j,
    icc_anova,
    mediation_bootstrap,
    min_detectable_effect,
    smd_interval,
    standardised_difference,
    two_sample_power,
)


def clustered_data(n_units=30, per_unit=4, unit_sd=0.5, seed=1):
    rng = np.random.default_rng(seed)
    unit = np.repeat(np.arange(n_units), per_unit)
    x1 = rng.normal(size=unit.size)
    x2 = (rng.random(unit.size) < 0.4).astype(int)
    y = 1 + 0.5 * x1 - 0.3 * x2 + rng.normal(0, unit_sd, n_units)[unit] + rng.normal(size=unit.size)
    return pd.DataFrame({"y": y, "x1": x1, "x2": x2, "unit": unit})


# ------------------------------------------------------------------ clustered OLS
def test_clustered_ols_matches_the_sandwich_by_hand():
    df = clustered_data()
    fit = clustered_ols(df, "y", ["x1", "x2"], "unit")
    X = np.column_stack([np.ones(len(df)), df["x1"], df["x2"]])
    y = df["y"].to_numpy()
    beta = np.linalg.solve(X.T @ X, X.T @ y)
    u = y - X @ beta
    bread = np.linalg.inv(X.T @ X)
    meat = sum(
        np.outer(X[df["unit"] == g].T @ u[df["unit"] == g], X[df["unit"] == g].T @ u[df["unit"] == g])
        for g in df["unit"].unique()
    )
    n, k, G = len(df), X.shape[1], df["unit"].nunique()
    cov = bread @ meat @ bread * G / (G - 1) * (n - 1) / (n - k)
    se = np.sqrt(np.diag(cov))
    np.testing.assert_allclose(fit.params.to_numpy(), beta, rtol=1e-10)
    np.testing.assert_allclose(fit.bse.to_numpy(), se, rtol=1e-10)
    tcrit = sps.t.ppf(0.975, G - 1)  # t on G - 1 degrees of freedom
    np.testing.assert_allclose(
        fit.conf_int(alpha=0.05).to_numpy(), np.column_stack([beta - tcrit * se, beta + tcrit * se]), rtol=1e-10
    )


# ------------------------------------------------------------------ design effect and ICC
def test_design_effect_hand_worked():
    assert design_effect([4, 4, 4], 0.1) == pytest.approx(1.3)  # 1 + (4 - 1) x 0.1
    # unequal sizes: m~ = (2² + 4²) / (2 + 4) = 10/3, so 1 + (10/3 - 1) x 0.1
    assert design_effect([2, 4], 0.1) == pytest.approx(1 + (10 / 3 - 1) * 0.1)
    assert design_effect([1] * 10, 0.5) == 1.0
    with pytest.raises(ValueError, match=r"unit sizes must be positive: got 0, -1 \(at position\(s\) 1, 2\)"):
        design_effect([2, 0, -1], 0.1)
    with pytest.raises(ValueError, match=r"unit sizes: none given"):
        design_effect([], 0.1)
    with pytest.raises(ValueError, match=r"intraclass correlation 1\.0 must be in \[0, 1\)"):
        design_effect([2, 2], 1.0)


def test_effective_size_errors_give_the_sizes():
    with pytest.raises(ValueError, match=r"n1=1\.0, n2=5\.0"):
        smd_interval(0.3, 1.0, 5.0)
    with pytest.raises(ValueError, match=r"n1=4, n2=40 with design_effect=4\.0, effective sizes 1 and 10"):
        min_detectable_effect(4, 40, design_effect=4.0)


def test_icc_anova_names_a_unit_in_two_strata():
    with pytest.raises(ValueError, match=r"unit\(s\) 'b' lie in more than one"):
        icc_anova([1, 2, 3, 4, 5, 6], ["a", "a", "b", "b", "c", "c"], [0, 0, 0, 1, 1, 1])


def test_missing_values_are_refused_naming_the_column_and_count():
    df = clustered_data()
    with pytest.raises(ValueError, match=r"column 'x1' has 2 missing values \(of 120\)"):
        clustered_ols(df.assign(x1=df["x1"].where(df.index > 1)), "y", ["x1", "x2"], "unit")
    with pytest.raises(ValueError, match=r"column 'unit' has 1 missing value \(of 120\)"):
        clustered_ols(df.assign(unit=df["unit"].where(df.index != 5)), "y", ["x1", "x2"], "unit")
    with pytest.raises(ValueError, match=r"groups \(column 'unit'\) has 1 missing value"):
        icc_anova(df["y"], df["unit"].where(df.index != 0))
    with pytest.raises(ValueError, match=r"^y has 1 missing value"):
        icc_anova([1.0, np.nan, 3.0, 4.0], ["a", "a", "b", "b"])
    with pytest.raises(ValueError, match=r"strata has 1 missing value"):
        icc_anova([1.0, 2.0, 3.0, 4.0], ["a", "a", "b", "b"], [0, 0, None, 1])


def test_icc_anova_hand_worked():
    # Two units of two: unit means 2 and 5, grand mean 3.5.
    y, g = [1, 3, 4, 6], ["a", "a", "b", "b"]
    msw = ((1 - 2) ** 2 + (3 - 2) ** 2 + (4 - 5) ** 2 + (6 - 5) ** 2) / (4 - 2)  # = 2
    msb = (2 * (2 - 3.5) ** 2 + 2 * (5 - 3.5) ** 2) / (2 - 1)  # = 9
    assert icc_anova(y, g) == pytest.approx((msb - msw) / (msb + (2 - 1) * msw))  # 7/11


def test_icc_anova_is_truncated_at_zero():
    assert icc_anova([1, 5, 1, 5], ["a", "a", "b", "b"]) == 0.0


def test_icc_anova_matches_reml_on_balanced_data():
    # For balanced data the ANOVA estimator equals the REML estimate when it is positive.
    df = clustered_data(n_units=60, per_unit=5, unit_sd=0.7, seed=3)
    df["arm"] = (df["unit"] % 2).astype(int)
    df["y"] += 2 * df["arm"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = smf.mixedlm("y ~ C(arm)", df, groups=df["unit"]).fit(reml=True)
    tau2, sigma2 = float(fit.cov_re.iloc[0, 0]), float(fit.scale)
    assert icc_anova(df["y"], df["unit"], df["arm"]) == pytest.approx(tau2 / (tau2 + sigma2), rel=1e-4)


def test_icc_anova_removes_stratum_differences():
    df = clustered_data(n_units=40, per_unit=3, unit_sd=0.0, seed=5)
    df["arm"] = (df["unit"] < 20).astype(int)
    shifted = df["y"] + 10 * df["arm"]
    assert icc_anova(shifted, df["unit"], df["arm"]) == pytest.approx(icc_anova(df["y"], df["unit"], df["arm"]))
    assert icc_anova(shifted, df["unit"]) > 0.9  # without strata, the arm difference looks like clustering


# ------------------------------------------------------------------ effect sizes
def test_hedges_j_exact_and_approximation():
    # J(10) = Γ(5) / (√5 Γ(4.5)) = 24 / (2.2360680 × 11.6317284) = 0.92274
    assert hedges_j(10) == pytest.approx(24 / (math.sqrt(5) * math.gamma(4.5)), rel=1e-12)
    assert round(hedges_j(10), 4) == 0.9227
    for df in (20, 65, 200):
        assert hedges_j(df) == pytest.approx(1 - 3 / (4 * df - 1), abs=2e-4)


@pytest.mark.parametrize("seed", range(8))
def test_smd_interval_excludes_zero_exactly_when_the_t_test_rejects(seed):
    rng = np.random.default_rng(seed)
    a, b = rng.normal(0.5, 1, 15 + seed), rng.normal(0, 1, 20)
    es = standardised_difference(a, b, 0.95)
    p = sps.ttest_ind(a, b, equal_var=True).pvalue
    assert (es.low > 0 or es.high < 0) == (p < 0.05)
    # the t statistic on the boundary: at the limit for d, the noncentral t puts t exactly in the tail
    n1, n2 = a.size, b.size
    t = es.d * math.sqrt(n1 * n2 / (n1 + n2))
    low, high = smd_interval(es.d, n1, n2, 0.95)
    assert sps.nct.cdf(t, n1 + n2 - 2, low * math.sqrt(n1 * n2 / (n1 + n2))) == pytest.approx(0.975, abs=1e-8)
    assert sps.nct.cdf(t, n1 + n2 - 2, high * math.sqrt(n1 * n2 / (n1 + n2))) == pytest.approx(0.025, abs=1e-8)


def test_smd_interval_agrees_with_the_large_sample_normal_interval():
    # Hedges & Olkin: var(d) ≈ (n1 + n2)/(n1 n2) + d²/(2 (n1 + n2))
    d, n1, n2 = 0.4, 2000, 3000
    se = math.sqrt((n1 + n2) / (n1 * n2) + d * d / (2 * (n1 + n2)))
    low, high = smd_interval(d, n1, n2, 0.95)
    assert low == pytest.approx(d - 1.959964 * se, abs=2e-3)
    assert high == pytest.approx(d + 1.959964 * se, abs=2e-3)


def test_smd_interval_coverage_by_simulation():
    rng = np.random.default_rng(11)
    delta, hits, reps = 0.6, 0, 600
    for _ in range(reps):
        a, b = rng.normal(delta, 1, 12), rng.normal(0, 1, 18)
        low, high = smd_interval(standardised_difference(a, b, 0.9).d, 12, 18, 0.9)
        hits += low <= delta <= high
    assert abs(hits / reps - 0.9) < 0.037  # 3 binomial SEs of 0.0122


def test_standardised_difference_hand_worked_and_design_effect_widens():
    a, b = [3, 4, 5, 4], [2, 3, 2, 1]
    # means 4 and 2; variances 2/3 and 2/3; pooled SD √(2/3); d = 2 / 0.8165 = 2.449
    es = standardised_difference(a, b, 0.95)
    assert es.d == pytest.approx(2 / math.sqrt(2 / 3))
    assert es.g == pytest.approx(hedges_j(6) * es.d)
    wide = standardised_difference(a * 3, b * 3, 0.95, design_effect1=3.0, design_effect2=3.0)
    narrow = standardised_difference(a * 3, b * 3, 0.95)
    assert wide.high - wide.low > narrow.high - narrow.low
    assert wide.n1_effective == pytest.approx(4.0)


# ------------------------------------------------------------------ power
@pytest.mark.parametrize(
    "d, n1, n2, alpha",
    [(0.5, 64, 64, 0.05), (0.8, 36, 31, 0.05), (0.3, 20.5, 40.2, 0.01), (1.2, 10, 12, 0.1), (0.0, 30, 30, 0.05)],
)
def test_power_matches_statsmodels(d, n1, n2, alpha):
    expected = TTestIndPower().power(effect_size=d, nobs1=n1, alpha=alpha, ratio=n2 / n1, alternative="two-sided")
    assert two_sample_power(d, n1, n2, alpha) == pytest.approx(float(expected), abs=1e-10)


def test_power_is_finite_where_scipy_and_statsmodels_give_nan():
    # n = 265 split 36:31 at d = 1: scipy's noncentral t cdf is nan far in the lower tail
    n1, n2 = 265 * 36 / 67, 265 * 31 / 67
    assert two_sample_power(1.0, n1, n2) == pytest.approx(1.0, abs=1e-9)
    share = 36 / 67
    mdes = [min_detectable_effect(n * share, n * (1 - share)) for n in range(20, 401)]
    assert all(m > 0 for m in mdes) and all(np.diff(mdes) < 0)  # positive, falling with n


@pytest.mark.parametrize("n1, n2, alpha, power", [(64, 64, 0.05, 0.8), (36, 31, 0.05, 0.8), (20, 40, 0.01, 0.9)])
def test_mde_has_the_stated_power(n1, n2, alpha, power):
    d = min_detectable_effect(n1, n2, alpha, power)
    assert TTestIndPower().power(effect_size=d, nobs1=n1, alpha=alpha, ratio=n2 / n1) == pytest.approx(power, abs=1e-8)
    # a little above the normal approximation (z_{1-α/2} + z_power) √(1/n1 + 1/n2)
    normal = (sps.norm.ppf(1 - alpha / 2) + sps.norm.ppf(power)) * math.sqrt(1 / n1 + 1 / n2)
    assert normal < d < normal * 1.05


def test_mde_classic_example():
    # 64 per group detect d = 0.5 with 80% power at the 5% level (Cohen 1988): the MDE is just under 0.5.
    assert 0.49 < min_detectable_effect(64, 64) < 0.5


def test_mde_with_a_design_effect_is_the_mde_of_the_effective_sample():
    assert min_detectable_effect(40, 30, design_effect=1.6) == pytest.approx(min_detectable_effect(25, 18.75))


# ------------------------------------------------------------------ mediation
def mediation_data(n_units=40, per_unit=5, seed=2, unit_sd=0.0):
    rng = np.random.default_rng(seed)
    unit = np.repeat(np.arange(n_units), per_unit)
    x = (rng.random(unit.size) < 0.5).astype(float)
    c = rng.normal(size=unit.size)
    m = 0.8 * x + 0.3 * c + rng.normal(0, unit_sd, n_units)[unit] + rng.normal(size=unit.size)
    y = 0.5 * m + 0.2 * x - 0.4 * c + rng.normal(0, unit_sd, n_units)[unit] + rng.normal(size=unit.size)
    return pd.DataFrame({"x": x, "m": m, "y": y, "c": c, "unit": unit, "arm": unit % 2})


def test_mediation_total_is_direct_plus_indirect_and_matches_ols():
    df = mediation_data()
    med = mediation_bootstrap(
        df, "x", "m", "y", ["c"], groups="unit", strata="arm", n_boot=300, rng=np.random.default_rng(0)
    )
    assert med.total == pytest.approx(med.direct + med.indirect, abs=1e-12)
    np.testing.assert_allclose(med.draws["total"], med.draws["direct"] + med.draws["indirect"], atol=1e-12)
    a = sm.OLS(df["m"], sm.add_constant(df[["x", "c"]])).fit().params["x"]
    out = sm.OLS(df["y"], sm.add_constant(df[["x", "m", "c"]])).fit().params
    total = sm.OLS(df["y"], sm.add_constant(df[["x", "c"]])).fit().params["x"]
    assert med.a == pytest.approx(a) and med.b == pytest.approx(out["m"])
    assert med.indirect == pytest.approx(a * out["m"]) and med.direct == pytest.approx(out["x"])
    assert med.total == pytest.approx(total)
    assert med.indirect_ci[0] < med.indirect < med.indirect_ci[1]
    assert med.proportion_mediated == pytest.approx(med.indirect / med.total)


def test_mediation_agrees_with_statsmodels_mediation():
    # statsmodels' Mediation (quasi-Bayesian simulation; slow, so few draws): same estimands.
    df = mediation_data(n_units=50, per_unit=4, seed=7)
    outcome = sm.OLS.from_formula("y ~ x + m + c", df)
    mediator = sm.OLS.from_formula("m ~ x + c", df)
    summary = Mediation(outcome, mediator, "x", "m").fit(n_rep=50, rng=np.random.default_rng(1)).summary()
    ours = mediation_bootstrap(df, "x", "m", "y", ["c"], n_boot=500, rng=np.random.default_rng(1))
    assert ours.indirect == pytest.approx(summary.loc["ACME (average)", "Estimate"], abs=0.03)
    assert ours.direct == pytest.approx(summary.loc["ADE (average)", "Estimate"], abs=0.03)
    assert ours.total == pytest.approx(summary.loc["Total effect", "Estimate"], abs=0.03)


def test_bootstrap_spread_of_the_indirect_effect_agrees_with_the_delta_method():
    # Sobel's first-order SE of a·b: √(a² se_b² + b² se_a²); the bootstrap SE should be close in a large sample.
    df = mediation_data(n_units=500, per_unit=4, seed=8)
    a_fit = sm.OLS(df["m"], sm.add_constant(df[["x", "c"]])).fit()
    b_fit = sm.OLS(df["y"], sm.add_constant(df[["x", "m", "c"]])).fit()
    a, b = a_fit.params["x"], b_fit.params["m"]
    sobel = np.sqrt(a**2 * b_fit.bse["m"] ** 2 + b**2 * a_fit.bse["x"] ** 2)
    med = mediation_bootstrap(df, "x", "m", "y", ["c"], n_boot=1500, rng=np.random.default_rng(2))
    assert med.draws["indirect"].std() == pytest.approx(sobel, rel=0.1)
    lo, hi = med.indirect_ci
    assert lo == pytest.approx(a * b - 1.96 * sobel, abs=0.3 * sobel)
    assert hi == pytest.approx(a * b + 1.96 * sobel, abs=0.3 * sobel)


def test_cluster_bootstrap_is_wider_than_the_row_bootstrap_when_units_matter():
    df = mediation_data(n_units=30, per_unit=8, seed=4, unit_sd=1.5)
    # the treatment is assigned by unit, so clustering matters for every path
    df["x"] = (df["unit"] % 2).astype(float)
    by_unit = mediation_bootstrap(df, "x", "m", "y", ["c"], groups="unit", n_boot=1000, rng=np.random.default_rng(3))
    by_row = mediation_bootstrap(df, "x", "m", "y", ["c"], n_boot=1000, rng=np.random.default_rng(3))

    def width(ci):
        return ci[1] - ci[0]

    assert width(by_unit.total_ci) > 1.5 * width(by_row.total_ci)


def test_mediation_is_reproducible_and_rejects_a_constant_treatment():
    df = mediation_data()
    one = mediation_bootstrap(df, "x", "m", "y", ["c"], groups="unit", n_boot=200, rng=np.random.default_rng(5))
    two = mediation_bootstrap(df, "x", "m", "y", ["c"], groups="unit", n_boot=200, rng=np.random.default_rng(5))
    assert one.indirect_ci == two.indirect_ci
    with pytest.raises(ValueError, match="cannot be estimated"):
        mediation_bootstrap(df.assign(x=1.0), "x", "m", "y", ["c"], n_boot=200)


@pytest.mark.parametrize("column", ["x", "m", "y", "c", "unit", "arm"])
def test_mediation_refuses_missing_values_naming_the_column(column):
    df = mediation_data()
    df[column] = df[column].astype(float).where(df.index % 7 != 0)
    n = int(df[column].isna().sum())
    with pytest.raises(ValueError, match=rf"column '{column}' has {n} missing values"):
        mediation_bootstrap(df, "x", "m", "y", ["c"], groups="unit", strata="arm", n_boot=200)
