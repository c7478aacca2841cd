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
    cluster_fit,
    clustered_ols,
    design_effect,
    hedges_j,
    icc_anova,
    min_detectable_effect,
    smd_interval,
    standardised_difference,
    two_sample_power,
)
from helpers.stats.mediation import mediation_bootstrap, product_interval, product_intervals, sobel_se


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
    fit = clustered_ols(df, "y", ["x1", "x2"], "unit", vcov="CR1")
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


# ------------------------------------------------------------------ CR2 and Bell–McCaffrey degrees of freedom
def dense_cr2(X, y, groups):
    """CR2 and Bell–McCaffrey degrees of freedom written out directly from their definitions (Bell and
    McCaffrey 2002; Imbens and Kolesár 2016): scipy's matrix square root of each unit's block of I − H, the
    N × G matrix G of the degrees of freedom and its eigenvalues. An independent check of cluster_fit."""
    from scipy.linalg import sqrtm

    n, k = X.shape
    bread = np.linalg.inv(X.T @ X)
    beta = bread @ X.T @ y
    e = y - X @ beta
    hat = X @ bread @ X.T
    meat, adjust = np.zeros((k, k)), {}
    for g in np.unique(groups):
        idx = np.flatnonzero(groups == g)
        a = np.linalg.inv(np.real(sqrtm(np.eye(idx.size) - hat[np.ix_(idx, idx)])))
        adjust[g] = (idx, a)
        score = X[idx].T @ a @ e[idx]
        meat += np.outer(score, score)
    dfs = []
    for j in range(k):
        ell = np.eye(k)[j]
        cols = [(np.eye(n) - hat)[:, idx] @ a @ X[idx] @ bread @ ell for idx, a in adjust.values()]
        lam = np.linalg.eigvalsh(np.column_stack(cols).T @ np.column_stack(cols))
        dfs.append(lam.sum() ** 2 / (lam**2).sum())
    return beta, bread @ meat @ bread, np.array(dfs)


def unbalanced_clusters(seed, n=47, n_groups=11):
    rng = np.random.default_rng(seed)
    unit = rng.integers(0, n_groups, n)
    X = np.column_stack([np.ones(n), rng.normal(size=n), (unit % 2).astype(float), rng.random(n) < 0.3])
    y = X @ [1.0, 0.5, 0.3, -0.2] + rng.normal(size=n_groups)[unit] + rng.normal(size=n)
    return X, y, unit


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_cr2_and_its_degrees_of_freedom_equal_their_definitions(seed):
    X, y, unit = unbalanced_clusters(seed)
    beta, cov, df = dense_cr2(X, y, unit)
    fit = cluster_fit([X], [y], unit)
    np.testing.assert_allclose(fit.betas[0], beta, rtol=1e-10)
    np.testing.assert_allclose(fit.cov, cov, rtol=1e-8, atol=1e-14)
    np.testing.assert_allclose(fit.df, df, rtol=1e-8)
    assert (fit.df < len(np.unique(unit)) - 1).all()  # fewer degrees of freedom than the G - 1 of CR1


def test_cr2_with_one_observation_per_unit_is_hc2():
    X, y, _ = unbalanced_clusters(4)
    fit = cluster_fit([X], [y], np.arange(len(y)))
    np.testing.assert_allclose(fit.cov, sm.OLS(y, X).fit(cov_type="HC2").cov_params(), rtol=1e-9)


@pytest.mark.parametrize("n1, n0", [(7, 13), (12, 12), (5, 30)])
def test_bell_mccaffrey_degrees_of_freedom_of_a_two_group_comparison(n1, n0):
    """Imbens and Kolesár (2016): with one observation per unit, the degrees of freedom of a difference in
    two means are (N0 + N1)² (N0 − 1)(N1 − 1) / (N1² (N1 − 1) + N0² (N0 − 1))."""
    d = np.r_[np.ones(n1), np.zeros(n0)]
    X = np.column_stack([np.ones(n1 + n0), d])
    y = np.random.default_rng(n1).normal(size=n1 + n0)
    fit = cluster_fit([X], [y], np.arange(n1 + n0))
    published = (n0 + n1) ** 2 * (n0 - 1) * (n1 - 1) / (n1**2 * (n1 - 1) + n0**2 * (n0 - 1))
    assert fit.df[1] == pytest.approx(published, rel=1e-10)


def test_cr2_of_an_arm_difference_between_equal_units_is_welch_on_unit_means():
    """Whole units in two arms, equal sizes: the CR2 variance of the arm difference is s1²/G1 + s0²/G0 of the
    unit means (hand-worked in the module's tests), and its degrees of freedom the two-group formula in units."""
    rng = np.random.default_rng(8)
    g1, g0, m = 6, 9, 4
    unit = np.repeat(np.arange(g1 + g0), m)
    arm = (unit < g1).astype(float)
    y = 2 + 0.5 * arm + rng.normal(size=g1 + g0)[unit] + rng.normal(size=unit.size)
    fit = clustered_ols(pd.DataFrame({"y": y, "arm": arm, "unit": unit}), "y", ["arm"], "unit")
    means = pd.Series(y).groupby(unit).mean().to_numpy()
    welch = means[:g1].var(ddof=1) / g1 + means[g1:].var(ddof=1) / g0
    assert fit.bse["arm"] ** 2 == pytest.approx(welch, rel=1e-10)
    assert fit.df["arm"] == pytest.approx((g0 + g1) ** 2 * (g0 - 1) * (g1 - 1) / (g1**2 * (g1 - 1) + g0**2 * (g0 - 1)))
    t = fit.params["arm"] / fit.bse["arm"]
    assert fit.pvalues["arm"] == pytest.approx(2 * sps.t.sf(abs(t), fit.df["arm"]))
    high = fit.conf_int(0.1).loc["arm", 1]
    assert high - fit.params["arm"] == pytest.approx(sps.t.ppf(0.95, fit.df["arm"]) * fit.bse["arm"])


def test_cr1_of_cluster_fit_is_statsmodels_cluster_covariance():
    X, y, unit = unbalanced_clusters(5)
    fit = cluster_fit([X], [y], unit, vcov="CR1")
    expected = sm.OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": unit}, use_t=True)
    np.testing.assert_allclose(fit.cov, expected.cov_params(), rtol=1e-9)
    assert (fit.df == len(np.unique(unit)) - 1).all()


def test_a_batch_is_fitted_as_its_data_sets_one_by_one_and_an_unestimable_one_is_nan():
    data = [unbalanced_clusters(seed, n_groups=11) for seed in (11, 12, 13)]
    unit = data[0][2]
    X = np.stack([d[0] for d in data])
    y = np.stack([d[1] for d in data])
    X[2, :, 3] = 0.0  # a factor that does not vary: this data set cannot be estimated
    batch = cluster_fit([X, X[..., :2]], [y, y], unit)
    for i in range(2):
        one = cluster_fit([X[i], X[i, :, :2]], [y[i], y[i]], unit)
        np.testing.assert_allclose(batch.cov[i], one.cov, rtol=1e-9, atol=1e-14)
        np.testing.assert_allclose(batch.df[i], one.df, rtol=1e-9)
        np.testing.assert_allclose(batch.betas[1][i], one.betas[1], rtol=1e-10)
    assert np.isnan(batch.cov[2]).all() and np.isnan(batch.df[2]).all()
    assert cluster_fit([X[2]], [y[2]], unit) is None


def test_cluster_fit_refuses_an_unknown_covariance():
    X, y, unit = unbalanced_clusters(6)
    with pytest.raises(ValueError, match=r"vcov 'CR3': expected one of CR2, CR1"):
        cluster_fit([X], [y], unit, vcov="CR3")
    with pytest.raises(ValueError, match=r"regression of 'y' on 'x'.*cannot be estimated"):
        clustered_ols(pd.DataFrame({"y": y, "x": 1.0, "unit": unit}), "y", ["x"], "unit")


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


@pytest.mark.parametrize("g1, g0, m, icc", [(10, 10, 3.35, 0.1), (6, 14, 5, 0.3), (15, 15, 2, 0.0)])
def test_mde_on_the_units_degrees_of_freedom_is_the_mde_of_a_t_test_of_unit_means(g1, g0, m, icc):
    """Units of m observations compared whole: the t test of the unit means has G − 2 degrees of freedom, and
    a difference of d observation-level SDs is d / √(ICC + (1 − ICC)/m) SDs of a unit mean (statsmodels'
    power of the two-sample t test on the units, an independent route)."""
    deff = 1 + (m - 1) * icc
    d = min_detectable_effect(g1 * m, g0 * m, 0.05, 0.8, deff, df=g1 + g0 - 2)
    in_unit_sds = d / math.sqrt(icc + (1 - icc) / m)
    assert TTestIndPower().power(effect_size=in_unit_sds, nobs1=g1, alpha=0.05, ratio=g0 / g1) == pytest.approx(
        0.8, abs=1e-8
    )
    assert d > min_detectable_effect(g1 * m, g0 * m, 0.05, 0.8, deff)  # fewer degrees of freedom, less power


def test_the_rsw_design_detects_point_eight_one_on_the_units_degrees_of_freedom():
    # 67 observations, 20 units (7 of 4 and 13 of 3: m~ = 229/67), ICC 0.1, half the units RSW (issue 22).
    deff = design_effect([4] * 7 + [3] * 13, 0.1)
    assert round(min_detectable_effect(33.5, 33.5, 0.05, 0.8, deff, df=18), 2) == 0.81
    assert round(min_detectable_effect(33.5, 33.5, 0.05, 0.8, deff), 2) == 0.78  # the observations' df overstate it


@pytest.mark.parametrize("seed", [1, 2])
def test_smd_interval_on_given_degrees_of_freedom_excludes_zero_exactly_when_that_t_test_rejects(seed):
    rng = np.random.default_rng(seed)
    n1, n2, df = 14.0, 11.0, 9.0
    for d in rng.uniform(0.2, 1.6, 20):
        low = smd_interval(d, n1, n2, 0.95, df=df)[0]
        t = d * math.sqrt(n1 * n2 / (n1 + n2))
        assert (low > 0) == (2 * sps.t.sf(t, df) < 0.05)
    wide, narrow = smd_interval(0.8, n1, n2, 0.95, df=df), smd_interval(0.8, n1, n2, 0.95)
    assert wide[1] - wide[0] > narrow[1] - narrow[0]
    with pytest.raises(ValueError, match=r"degrees of freedom df=0 must be positive"):
        smd_interval(0.8, n1, n2, 0.95, df=0)


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


def test_the_bootstrap_limits_monte_carlo_error_is_how_far_another_seed_moves_them():
    """limits_mcse (order statistics of one bootstrap) against the spread of the limits over independent
    bootstraps of the same data (the definition of a Monte Carlo error)."""
    df = mediation_data(n_units=20, per_unit=4, seed=9)
    runs = [
        mediation_bootstrap(df, "x", "m", "y", ["c"], groups="unit", n_boot=800, rng=np.random.default_rng(s))
        for s in range(40)
    ]
    spread = np.std([r.indirect_ci[0] for r in runs], ddof=1)
    assert np.mean([r.limits_mcse("indirect")[0] for r in runs]) == pytest.approx(spread, rel=0.35)


def test_product_intervals_of_a_batch_agree_with_the_delta_method_and_skip_what_is_not_finite():
    cov = np.array([[0.001, 0.0002], [0.0002, 0.0004]])
    a, b = np.array([2.0, 2.0, np.nan]), np.array([1.5, 1.5, 1.0])
    lo, hi = product_intervals(a, b, np.stack([cov, cov, cov]), 0.95, np.random.default_rng(3), 200_000)
    se = sobel_se(2.0, 1.5, cov)
    np.testing.assert_allclose(lo[:2], 3.0 - 1.959964 * se, atol=0.005)
    np.testing.assert_allclose(hi[:2], 3.0 + 1.959964 * se, atol=0.005)
    assert lo[0] != lo[1]  # each product has its own draws
    assert np.isnan(lo[2]) and np.isnan(hi[2])
    one = product_interval(2.0, 1.5, cov, 0.95, np.random.default_rng(3), 200_000)
    assert one == pytest.approx((lo[0], hi[0]))  # the same draws: one product is a batch of one
