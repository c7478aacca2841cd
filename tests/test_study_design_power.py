"""Study design: the sample-size formula against a hand-worked example, the analytic power against
independent implementations, and the Monte Carlo power against the analytic power."""

from __future__ import annotations

import contextlib
import json
import math
import re

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import linalg
from scipy import stats as sps
from statsmodels.stats.power import NormalIndPower, TTestIndPower

from helpers.analyses import study_design_power as sdp
from helpers.engine.paths import ROOT
from helpers.page.registry import published
from helpers.params import ParameterError
from helpers.stats import cluster_power as cp
from helpers.stats import montecarlo
from summaries import raw_simulated_numbers

REQUIRED = ["design_effect", "n_per_arm_analytic", "n_referred_required", "power_simulated"]


@pytest.fixture(scope="module")
def default():
    return sdp.run({})


# ---------------------------------------------------------------- the sample-size formula
def test_hand_worked_example():
    """d = 0.3, alpha = 0.05, power = 0.8, 3 families per worker, ICC = 0.05, 20 % attrition,
    a quarter of referred families eligible.

    z(0.975) = 1.959964, z(0.8) = 0.841621, sum 2.801585, squared 7.848879;
    families per arm if independent: 2 x 7.848879 / 0.09 = 174.4195;
    design effect 1 + (3 - 1) x 0.05 = 1.1; 174.4195 x 1.1 = 191.86 -> 192 per arm;
    workers per arm 192 / 3 = 64; recruited per arm 192 / 0.8 = 240; referred 2 x 240 / 0.25 = 1920.
    """
    ss = cp.sample_size(0.3, 0.05, 3, 0.05, 0.8, attrition=0.2, eligibility_rate=0.25)
    assert ss.n_individual == pytest.approx(174.4195, abs=1e-4)
    assert ss.design_effect == pytest.approx(1.1)
    assert (ss.n_per_arm, ss.workers_per_arm, ss.families_recruited_per_arm, ss.n_referred) == (192, 64, 240, 1920)
    assert ss.workers_total == 128 and ss.families_recruited_total == 480


def test_rounding_is_upward_and_free_of_floating_noise():
    # d = 0.5, power 0.8, alpha 0.05: 62.79 independent; m = 5, ICC = 0.1: deff 1.4 -> 87.9 -> 88.
    ss = cp.sample_size(0.5, 0.1, 5, 0.05, 0.8)
    assert ss.n_per_arm == 88 and ss.workers_per_arm == 18 and ss.n_referred == 176
    assert cp._ceil(192.00000000003) == 192 and cp._ceil(192.001) == 193


def test_independent_size_matches_statsmodels():
    # The textbook formula ignores the (negligible) chance of rejecting in the wrong direction:
    # it is the one-sided normal-test size at alpha / 2, and a hair above statsmodels' two-sided size.
    for d, alpha, power in ((0.3, 0.05, 0.8), (0.5, 0.01, 0.9), (0.2, 0.1, 0.7)):
        one_sided = NormalIndPower().solve_power(
            effect_size=d, alpha=alpha / 2, power=power, ratio=1.0, alternative="larger"
        )
        two_sided = NormalIndPower().solve_power(effect_size=d, alpha=alpha, power=power, ratio=1.0)
        n = cp.n_individual_per_arm(d, alpha, power)
        assert n == pytest.approx(one_sided, rel=1e-6)
        assert two_sided < n < two_sided * 1.001


def test_design_effect():
    assert cp.design_effect(1, 0.3) == 1.0
    assert cp.design_effect(10, 0.0) == 1.0
    assert cp.design_effect(10, 0.1) == pytest.approx(1.9)


def test_bad_sample_size_inputs():
    with pytest.raises(ValueError, match=r"attrition=1\.0 must be in \[0, 1\) and eligibility_rate=1\.0 in \(0, 1\]"):
        cp.sample_size(0.3, 0.05, 3, 0.05, 0.8, attrition=1.0)
    with pytest.raises(ValueError, match=r"attrition=0\.0 must be in \[0, 1\) and eligibility_rate=0\.0 in \(0, 1\]"):
        cp.sample_size(0.3, 0.05, 3, 0.05, 0.8, eligibility_rate=0.0)
    for d in (0.0, -0.2):
        with pytest.raises(ValueError, match=rf"effect_size={d!r} must be greater than 0"):
            cp.sample_size(d, 0.05, 3, 0.05, 0.8)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (
            {"recruited_per_worker": np.array([3, 3, 3]), "workers_per_arm": 4},
            r"recruited_per_worker has 3 workers but workers_per_arm=4",
        ),
        ({"workers_per_arm": None}, r"recruited_per_worker=3 is a single number: give workers_per_arm"),
        ({"icc": 1.0}, r"icc=1\.0 must be in \[0, 1\)"),
        ({"icc": -0.1}, r"icc=-0\.1 must be in \[0, 1\)"),
        ({"attrition": 1.0}, r"attrition=1\.0 must be in \[0, 1\)"),
        ({"attrition": -0.5}, r"attrition=-0\.5 must be in \[0, 1\)"),
        ({"n_sims": 0}, r"n_sims=0 must be at least 1"),
        ({"alpha": 0.0}, r"alpha=0\.0 must be in \(0, 1\)"),
        ({"alpha": 1.5}, r"alpha=1\.5 must be in \(0, 1\)"),
    ],
)
def test_bad_simulation_inputs_are_refused_naming_the_argument(kwargs, message):
    args = {"effect_size": 0.3, "icc": 0.05, "recruited_per_worker": 3, "workers_per_arm": 4, "n_sims": 10, **kwargs}
    with pytest.raises(ValueError, match=message):
        cp.simulate_power(**args)
    # an array of the right length is fine
    cp.simulate_power(0.3, 0.05, np.array([3, 3, 3, 3]), 4, n_sims=10)


# ---------------------------------------------------------------- analytic power
def test_normal_power_at_the_formula_size_is_the_target():
    ss = cp.sample_size(0.3, 0.0, 1, 0.05, 0.8)
    exact_n = ss.n_individual
    # With one family per worker and ICC 0 the design is individually randomised.
    assert cp.power_normal(0.3, 0.0, 1, exact_n, 0.05) == pytest.approx(0.8, abs=1e-3)
    assert cp.power_normal(0.3, 0.0, 1, ss.workers_per_arm, 0.05) >= 0.8


@pytest.mark.parametrize("d, icc, m, k", [(0.3, 0.05, 3, 64), (0.5, 0.1, 4, 10), (0.8, 0.2, 2, 5)])
def test_cluster_t_power_matches_statsmodels(d, icc, m, k):
    # Worker means have variance icc + (1 - icc)/m: the t-test on them is a two-sample t-test
    # with effect size d / sqrt(that variance) and k per group.
    es = d / math.sqrt(icc + (1 - icc) / m)
    expected = TTestIndPower().power(effect_size=es, nobs1=k, alpha=0.05, ratio=1.0, alternative="two-sided")
    assert cp.power_cluster_t(d, icc, m, k, 0.05) == pytest.approx(expected, rel=1e-6)


def test_workers_for_power_t_is_the_smallest_enough():
    k = cp.workers_for_power_t(0.3, 0.05, 3, 0.05, 0.8)
    assert cp.power_cluster_t(0.3, 0.05, 3, k, 0.05) >= 0.8 > cp.power_cluster_t(0.3, 0.05, 3, k - 1, 0.05)


# ---------------------------------------------------------------- the Monte Carlo check
def test_vectorised_t_test_matches_scipy_trial_by_trial():
    rng = np.random.default_rng(4)
    sums, counts = cp.simulate_families(0.4, 0.1, np.array([1, 2, 3, 2, 1, 3]), 0.4, 50, rng)
    with np.errstate(invalid="ignore", divide="ignore"):
        means, valid = sums / counts, counts > 0
    t, p = cp.cluster_t_test(means, valid)
    checked = 0
    for i in range(50):
        a, b = means[i, 0][valid[i, 0]], means[i, 1][valid[i, 1]]
        if len(a) < 2 or len(b) < 2:
            assert np.isnan(p[i])
            continue
        ref = sps.ttest_ind(b, a, equal_var=True)
        assert (t[i], p[i]) == pytest.approx((ref.statistic, ref.pvalue), rel=1e-9)
        checked += 1
    assert checked > 30


def test_simulated_worker_means_have_the_intended_variance():
    rng = np.random.default_rng(8)
    sums, counts = cp.simulate_families(0.5, 0.2, np.full(5, 4), 0.0, 20000, rng)
    means = sums / counts
    assert (counts == 4).all()
    assert means[:, 1].mean() - means[:, 0].mean() == pytest.approx(0.5, abs=0.01)
    assert means[:, 0].var() == pytest.approx(0.2 + 0.8 / 4, rel=0.03)


@pytest.mark.parametrize("d, icc, m, k", [(0.3, 0.05, 3, 64), (0.5, 0.1, 4, 10), (0.6, 0.2, 2, 6)])
def test_simulated_power_matches_the_exact_power(d, icc, m, k):
    sim = cp.simulate_power(d, icc, m, k, alpha=0.05, n_sims=20000, seed=17)
    exact = cp.power_cluster_t(d, icc, m, k, 0.05)
    assert abs(sim.power - exact) < 4 * math.sqrt(exact * (1 - exact) / sim.n_sims)


def test_simulated_size_under_the_null_is_alpha():
    sim = cp.simulate_power(0.0, 0.1, 3, 8, alpha=0.05, n_sims=40000, seed=2)
    assert abs(sim.power - 0.05) < 4 * math.sqrt(0.05 * 0.95 / 40000)


def test_simulation_is_seeded_chunked_and_reports_progress():
    a = cp.simulate_power(0.3, 0.05, 3, 20, n_sims=3000, seed=5, chunk=3000)
    b = cp.simulate_power(0.3, 0.05, 3, 20, n_sims=3000, seed=5, chunk=3000)
    assert a == b
    seen = []
    c = cp.simulate_power(0.3, 0.05, 3, 20, n_sims=2500, seed=5, chunk=1000, progress=seen.append)
    assert seen == [1000, 2000, 2500] and c.n_sims == 2500


def test_attrition_lowers_the_simulated_power():
    full = cp.simulate_power(0.3, 0.05, 4, 40, n_sims=20000, seed=9)
    lost = cp.simulate_power(0.3, 0.05, 4, 40, attrition=0.5, n_sims=20000, seed=9)
    assert lost.power < full.power - 0.05


# ---------------------------------------------------------------- the family-level analysis (CR2)
def _explicit_cr2(y: np.ndarray, arm: np.ndarray, worker: np.ndarray) -> tuple[float, float, float]:
    """The family-level test written out with matrices, as Bell and McCaffrey define it: OLS of y on the arm,
    CR2 adjustment (I - H_gg)^(-1/2) of each worker's residuals, the sandwich, and the Satterthwaite degrees of
    freedom of the arm coefficient's variance under a working model of independent families."""
    X = np.column_stack([np.ones_like(y), arm])
    bread = np.linalg.inv(X.T @ X)
    beta = bread @ X.T @ y
    H = X @ bread @ X.T
    resid = y - X @ beta
    eye = np.eye(len(y))
    meat, qs = np.zeros((2, 2)), []
    for g in np.unique(worker):
        idx = np.flatnonzero(worker == g)
        adjust = np.real(linalg.inv(linalg.sqrtm(eye[np.ix_(idx, idx)] - H[np.ix_(idx, idx)])))
        u = X[idx].T @ adjust @ resid[idx]
        meat += np.outer(u, u)
        qs.append(np.array([0.0, 1.0]) @ bread @ X[idx].T @ adjust @ (eye - H)[idx, :])
    V = bread @ meat @ bread
    M = sum(np.outer(q, q) for q in qs)
    df = np.trace(M) ** 2 / np.trace(M @ M)
    t = beta[1] / math.sqrt(V[1, 1])
    return float(t), float(2 * sps.t.sf(abs(t), df)), float(df)


def test_the_family_level_test_equals_the_matrix_computation_trial_by_trial():
    rng = np.random.default_rng(12)
    checked = 0
    for _ in range(25):
        sizes = rng.integers(0, 5, (2, 6))
        if ((sizes > 0).sum(axis=1) < 2).any():
            continue
        ys, arms, workers = [], [], []
        sums, counts = np.zeros((1, 2, 6)), np.zeros((1, 2, 6))
        for a in range(2):
            for w in range(6):
                y = 0.3 * a + rng.normal() * 0.4 + rng.normal(size=sizes[a, w])
                ys += list(y)
                arms += [a] * sizes[a, w]
                workers += [10 * a + w] * sizes[a, w]
                sums[0, a, w], counts[0, a, w] = y.sum(), sizes[a, w]
        expected = _explicit_cr2(np.array(ys), np.array(arms, float), np.array(workers))
        got = [float(x[0]) for x in cp.family_cr2_test(sums, counts)]
        assert got == pytest.approx(expected, rel=1e-9)
        checked += 1
    assert checked > 15


@settings(max_examples=40, deadline=None)
@given(
    k=st.integers(2, 12),
    m=st.integers(1, 6),
    seed=st.integers(0, 2**16),
)
def test_with_equal_families_per_worker_the_family_level_test_is_the_t_test_on_worker_means(k, m, seed):
    sums, counts = cp.simulate_families(0.3, 0.1, np.full(k, m), 0.0, 5, np.random.default_rng(seed))
    t1, p1, df = cp.family_cr2_test(sums, counts)
    t2, p2 = cp.cluster_t_test(sums / counts, counts > 0)
    assert np.allclose(t1, t2, rtol=1e-9) and np.allclose(p1, p2, rtol=1e-9)
    assert np.allclose(df, 2 * k - 2)


def test_an_arm_with_fewer_than_two_workers_left_is_not_tested():
    counts = np.array([[[3, 0, 0], [2, 2, 1]]], float)
    t, p, df = cp.family_cr2_test(np.ones_like(counts), counts)
    assert np.isnan(t).all() and np.isnan(p).all() and np.isnan(df).all()


def test_simulating_workers_sums_is_simulating_every_family():
    """Each worker's count kept and summed outcome, drawn directly, have the distribution of drawing every
    family (an independent family-by-family simulation, written here)."""
    d, icc, attrition, n = 0.4, 0.2, 0.3, 40_000
    recruited = np.array([1, 3, 5])
    sums, counts = cp.simulate_families(d, icc, recruited, attrition, n, np.random.default_rng(3))
    rng = np.random.default_rng(4)
    worker = rng.normal(0, math.sqrt(icc), (n, 2, 3, 1))
    family = rng.normal(0, math.sqrt(1 - icc), (n, 2, 3, 5))
    slot = np.arange(5) < recruited[:, None]
    kept = slot & (rng.random((n, 2, 3, 5)) >= attrition)
    ref_sums = np.where(kept, np.array([0.0, d])[None, :, None, None] + worker + family, 0).sum(axis=3)
    ref_counts = kept.sum(axis=3)
    for ours, theirs in ((sums, ref_sums), (counts, ref_counts)):
        assert ours.mean(axis=0) == pytest.approx(theirs.mean(axis=0), abs=0.03)
        assert ours.var(axis=0) == pytest.approx(theirs.var(axis=0), rel=0.05, abs=0.02)
    assert (counts <= recruited).all()


def test_the_family_level_test_keeps_its_size_with_few_workers():
    """Under no difference, with families lost at random and only five workers per arm, the CR2 test with its
    Satterthwaite degrees of freedom rejects at the nominal rate (the usual clustered errors with t(G - 1) reject
    about seven times in a hundred)."""
    sim = cp.simulate_power(0.0, 0.05, 4, 5, alpha=0.05, attrition=0.2, n_sims=40_000, seed=6, analysis="families")
    assert abs(sim.power - 0.05) < 4 * math.sqrt(0.05 * 0.95 / 40_000)


def test_the_planned_analysis_power_agrees_with_an_independent_simulation(default):
    """The page's claim about the formula's design (128 workers, a fifth of families lost): its simulated power
    under the family-level analysis agrees with trials simulated here family by family and analysed by
    statsmodels (OLS with standard errors clustered by worker, t with workers - 1 df), and is clearly above the
    power of unweighted worker means."""
    s = default.scalars
    k, recruited = s["workers_per_arm"], s["families_recruited_per_arm"]
    per_worker = cp.families_per_worker_split(recruited, k)
    arm = np.repeat([0.0, 1.0], recruited)
    worker = np.concatenate([np.repeat(np.arange(k), per_worker), k + np.repeat(np.arange(k), per_worker)])
    rng = np.random.default_rng(77)
    n, rejections = 3000, 0
    for _ in range(n):
        u = rng.normal(0, math.sqrt(s["icc"]), 2 * k)
        y = s["effect_size"] * arm + u[worker] + rng.normal(0, math.sqrt(1 - s["icc"]), arm.size)
        kept = rng.random(arm.size) >= s["attrition"]
        X = sm.add_constant(arm[kept])
        fit = sm.OLS(y[kept], X).fit(cov_type="cluster", cov_kwds={"groups": worker[kept]}, use_t=True)
        rejections += fit.pvalues[1] <= s["alpha"]
    independent = rejections / n
    se = math.hypot(s["power_simulated_mcse"], math.sqrt(independent * (1 - independent) / n))
    assert abs(s["power_simulated"] - independent) < 4 * se
    gap = s["power_simulated"] - s["power_simulated_worker_means"]
    assert gap > 4 * math.hypot(s["power_simulated_mcse"], s["power_simulated_worker_means_mcse"])


# ---------------------------------------------------------------- the notebook's analysis
def test_required_results_and_hand_worked_defaults(default):
    s = default.scalars
    assert set(REQUIRED) <= set(s)
    # The defaults are the hand-worked example above.
    assert (s["design_effect"], s["n_per_arm_analytic"], s["n_referred_required"]) == (pytest.approx(1.1), 192, 1920)
    assert s["workers_total"] == 128
    assert s["power_check_verdict"] == "agrees with"


def test_verdicts_follow_from_the_monte_carlo_errors(default):
    s = default.scalars
    table = default.tables["power"].set_index("method")
    assert (
        s["power_simulated"]
        == table.loc["Simulated: families lost at random, family-level analysis (planned)", "power"]
    )
    z = (s["power_simulated_no_attrition"] - s["power_exact_t"]) / s["power_simulated_no_attrition_mcse"]
    assert s["power_check_verdict"] == ("agrees with" if abs(z) < 3 else "differs from")
    # Recruiting for attrition and counting every family once: losing families at random costs the planned
    # analysis little, and the unweighted worker means clearly more.
    lost = (s["power_simulated"] - s["power_simulated_no_attrition"]) / math.hypot(
        s["power_simulated_mcse"], s["power_simulated_no_attrition_mcse"]
    )
    assert s["attrition_verdict"] == ("drops to" if lost < -2 else "rises to" if lost > 2 else "stays at about")
    assert s["curve_verdict"] == "lie on"
    # heavy attrition: the worker means lose much more power than the family-level analysis
    heavy = sdp.run({"attrition": 0.5, "n_sims": 4000}).scalars
    assert heavy["power_simulated_worker_means"] < heavy["power_simulated"] - 0.03


def test_published_inputs(default):
    s = default.scalars
    assert s["mi_workers"] == published("forrester2018_mi_workers_a") + published("forrester2018_mi_workers_b")
    assert s["mi_families"] == published("forrester2018_mi_families_a") + published("forrester2018_mi_families_b")
    assert s["planned_groups"] == published("frontline_planned_groups")
    # The MI trial's power: normal approximation at its own size.
    k, m = s["mi_workers"] / 2, s["mi_families"] / s["mi_workers"]
    se = math.sqrt(2 * (0.05 + 0.95 / m) / k)
    assert s["mi_power"] == pytest.approx(sps.norm.cdf(0.3 / se - sps.norm.ppf(0.975)), abs=1e-3)


def test_better_system_conditions_need_fewer_referrals(default):
    s = default.scalars
    assert s["n_referred_required_better"] == math.ceil(2 * s["families_recruited_per_arm"] / 0.6)
    assert s["n_referred_required_better"] < s["n_referred_required"]
    ref = default.tables["referral"]
    assert (np.diff(ref["referred"].to_numpy()) <= 0).all()
    # Every referred family eligible (no one-worker rule): the referrals are the families recruited.
    assert (
        ref["referred"].iloc[-1] == s["families_recruited_total_recommended"] and ref["eligibility_rate"].iloc[-1] == 1
    )


def test_run_is_seeded():
    a = sdp.run({"n_sims": 1000})
    assert sdp.run({"n_sims": 1000}).scalars == a.scalars
    assert sdp.run({"n_sims": 1000, "seed": 3}).scalars["power_simulated"] != a.scalars["power_simulated"]


def test_constraints_name_the_parameter():
    with pytest.raises(
        ParameterError, match=r"parameter 'eligibility_rate_better' = 0\.1 is not allowed with eligibility_rate = 0\.25"
    ):
        sdp.run({"eligibility_rate_better": 0.1})
    with pytest.raises(ParameterError, match=r"parameter 'icc' = 1\.0"):
        sdp.run({"icc": 1.0})


# ---------------------------------------------------------------- the design recommended
def test_search_without_attrition_lands_on_the_exact_t_answer():
    """With no attrition and equal clusters the simulated power estimates the exact (noncentral t) power, so
    the simulated search must land within Monte Carlo error of workers_for_power_t, from above or below."""
    d, icc, m, alpha, target = 0.4, 0.1, 4, 0.05, 0.8
    k_t = cp.workers_for_power_t(d, icc, m, alpha, target)
    for start in (2, k_t + 6):
        found = cp.workers_for_power_simulated(
            d, icc, m, alpha, target, 0.0, n_sims=20000, seed=4, start=start, analysis="families"
        )
        assert abs(found.workers_per_arm - k_t) <= 1
        assert found.recruited_per_arm == found.workers_per_arm * m
        assert found.simulated.power >= target


def test_the_recommended_design_is_the_smallest_that_reaches_the_target_by_simulation(default):
    s = default.scalars
    k, m, a = s["workers_per_arm_recommended"], s["families_per_worker"], s["attrition"]
    assert s["power_simulated_recommended"] >= s["power_target"]
    # One worker fewer per group, simulated the same way, falls short: the design is the smallest.
    fewer = math.ceil((k - 1) * m / (1 - a))
    short = cp.simulate_power(
        s["effect_size"],
        s["icc"],
        cp.families_per_worker_split(fewer, k - 1),
        alpha=s["alpha"],
        attrition=a,
        n_sims=s["n_sims"],
        seed=2018 + 1,
        analysis="families",
    )
    assert short.power < s["power_target"]
    assert s["families_recruited_total_recommended"] == 2 * math.ceil(k * m / (1 - a))
    assert s["n_referred_recommended"] == math.ceil(s["families_recruited_total_recommended"] / s["eligibility_rate"])
    assert s["n_referred_recommended_better"] == math.ceil(
        s["families_recruited_total_recommended"] / s["eligibility_rate_better"]
    )
    # The unweighted worker means need more workers for the same target.
    assert s["workers_total_worker_means"] > s["workers_total_recommended"]


def test_the_search_error_is_the_spread_of_the_search_across_seeds():
    """The Monte Carlo error the page gives the recommended design is the spread of where the search stops when
    only the seed changes (within a factor of two, over forty seeds)."""
    args = (0.3, 0.05, 3, 0.05, 0.8, 0.2)
    found = [
        cp.workers_for_power_simulated(*args, n_sims=1000, seed=seed, start=64, analysis="families")
        for seed in range(40)
    ]
    spread = float(np.std([f.workers_per_arm for f in found], ddof=1))
    predicted = float(np.mean([f.workers_mcse for f in found]))
    assert predicted / 2 < spread < predicted * 2


def test_the_page_says_whether_the_formula_is_about_right(default):
    s = default.scalars
    gap = (s["power_simulated"] - s["power_target"]) / s["power_simulated_recommended_mcse"]
    expected = "is about right" if abs(gap) < 2 else "falls short" if gap < 0 else "is more than enough"
    assert s["formula_verdict"] == expected
    assert ("about right" in s["normal_approximation_note"]) == (expected == "is about right")
    # A large difference with many families per worker: the formula's two workers per group, with t on two degrees
    # of freedom, fall far short, and the page says so and recommends more.
    e = sdp.run({"effect_size": 1.0, "icc": 0.0, "attrition": 0.0, "families_per_worker": 10, "n_sims": 2000}).scalars
    assert e["formula_verdict"] == "falls short" and "larger" in e["normal_approximation_note"]
    assert e["workers_per_arm_recommended"] > e["workers_per_arm"]
    assert e["power_simulated_recommended"] >= e["power_target"]


# ---------------------------------------------------------------- what the page says
def test_every_simulated_number_is_printed_by_the_precision_rule(default):
    """The recommended design, the simulated powers and everything scaled by the design's margin are printed by
    the one Monte Carlo precision rule: in templates by an mc spec, in the body as the glued ``_text``."""
    assert raw_simulated_numbers("study_design_power", default.scalars) == []
    s = default.scalars
    for name in ("workers_total_recommended", "n_referred_recommended", "power_simulated"):
        style = "percent" if name.startswith("power") else "count"
        assert s[f"{name}_text"] == montecarlo.text(s[name], s[f"{name}_mcse"], style)
    # The design's error is large enough that the workers are printed to the nearest ten.
    assert s["workers_total_recommended_text"].endswith("0") and s["workers_total_recommended_mcse"] > 0.5


def test_the_design_numbers_are_model_results_and_the_inputs_assumptions(default):
    from helpers.page.kinds import Kind, resolve

    for name in ("workers_total_recommended", "n_referred_recommended", "power_simulated", "mi_power"):
        assert resolve("study_design_power", name) is Kind.MODEL, name
    for name in ("effect_size", "icc", "eligibility_rate", "attrition"):
        assert resolve("study_design_power", name) is Kind.ASSUMPTION, name
    for name in ("n_sims", "designs_simulated"):
        assert resolve("study_design_power", name) is Kind.SETTING, name


def test_the_page_claims_no_more_than_its_analysis(default):
    """The eligibility rule is the study's, and other allocations avoid it; the trial's sizes are the notes' (a
    secondary source), which list families without saying they were allocated or followed, so the brief says
    neither, and its power assumes every family analysed; the title and card promise what the page shows, not a
    reason it does not give."""
    text = sdp.brief(default.scalars, default.params).text()
    assert "was the evaluation's" in text and "by first worker or by team" in text
    trial = text[text.index("motivational-interviewing") :]
    assert "secondary" in trial and "if all were analysed" in trial
    assert "allocat" not in trial and "followed" not in text
    assert "could not measure impact" not in sdp.TITLE and not sdp.CARD.question.lower().startswith("why")
    cells = json.loads((ROOT / "notebooks" / "study_design_power.ipynb").read_text(encoding="utf-8"))["cells"]
    body = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert "followed" not in body and "condition of evaluating the impact" not in body
    assert body.startswith("# Study design: how many social workers and families")


# ---------------------------------------------------------------- what the headline depends on
def test_the_tornado_finds_eligibility_and_the_referrals_follow_its_inverse(default):
    s, torn = default.scalars, default.tables["tornado"]
    assert torn["swing"].is_monotonic_decreasing and s["dependence_input"] == torn.loc[0, "input"]
    assert "effect_size" not in set(torn["input"])  # the difference to detect is a choice, not varied
    # At the page's assumptions the model gives the recommended design's referrals.
    assert torn.attrs["base_outcome"] == pytest.approx(s["n_referred_recommended"], rel=1e-9)
    if s["dependence_input"] == "eligibility_rate":
        table = default.tables["dependence"]
        # Referrals = 2 x recruited / eligibility, rounded up: independent of the model's code.
        recruited = s["families_recruited_total_recommended"]
        expected = np.ceil(np.round(recruited / table["value"], 9))
        assert np.allclose(table["outcome"], expected, rtol=2e-3, atol=1.5)
        assert s["dependence_referrals_at_low"] > s["n_referred_recommended"] > s["dependence_referrals_at_high"]


def test_one_range_for_the_assumption_the_headline_depends_on_most(default):
    """The text, the brief and the sensitivity table state one range for the top assumption: the tornado's own
    (the 10th to 90th percentiles of its assumed spread), with the referrals the table gives at its ends."""
    s, torn = default.scalars, default.tables["tornado"]
    top = torn.iloc[0]

    def same(a: float, b: float) -> bool:  # scalars are recorded to 8 significant digits
        return a == pytest.approx(b, rel=1e-7)

    assert same(s["dependence_range_low"], top["low_value"]) and same(s["dependence_range_high"], top["high_value"])
    assert same(s["dependence_referrals_at_low"], top["outcome_low"])
    assert same(s["dependence_referrals_at_high"], top["outcome_high"])
    u = next(u for u in sdp.headline_inputs(sdp.PARAMETERS.validate({})) if u.name == s["dependence_input"])
    assert top["low_value"] == u.quantile(0.1) and top["high_value"] == u.quantile(0.9)
    grid = default.tables["dependence"]["value"]
    assert grid.iloc[0] == pytest.approx(top["low_value"]) and grid.iloc[-1] == pytest.approx(top["high_value"])
    shown = sdp.headline_table(default).iloc[0]
    assert s["dependence_range_text"] == f"{shown['low value']} to {shown['high value']}"
    assert s["dependence_referrals_at_low_text"] == shown["referrals at low"]
    text = sdp.brief(default.scalars, default.params).text()
    assert s["dependence_range_text"] in text and "assumed range" in text


def test_the_sensitivity_table_is_written_for_readers(default):
    """Shares as percentages, the ICC to two figures, families per worker in whole families (the model is
    evaluated at them), referrals by the precision rule."""
    table = sdp.headline_table(default).set_index("assumption")
    families = table.loc["number of families per worker"]
    assert re.fullmatch(r"\d+", families["low value"]) and re.fullmatch(r"\d+", families["high value"])
    for label in ("share of referred families who keep one social worker", "share of families lost before follow-up"):
        assert all(re.fullmatch(r"\d{1,3}%", v) for v in table.loc[label, ["low value", "high value"]])
    assert re.fullmatch(r"0\.\d{2,3}", table.loc["intra-class correlation", "low value"])
    raw = default.tables["tornado"].set_index("input").loc["families_per_worker"]
    assert raw["low_value"] == round(raw["low_value"]) and raw["high_value"] == round(raw["high_value"])


def test_the_trial_comparison_states_computed_multiples(default):
    """Not "several times": the design's workers and recruited families over the trial's, by the precision rule."""
    s = default.scalars
    assert s["mi_workers_multiple"] == pytest.approx(s["workers_total_recommended"] / s["mi_workers"])
    assert s["mi_families_multiple"] == pytest.approx(s["families_recruited_total_recommended"] / s["mi_families"])
    assert s["mi_workers_multiple_text"] == montecarlo.text(
        s["mi_workers_multiple"], s["workers_total_recommended_mcse"] / s["mi_workers"], "ratio"
    )
    cells = json.loads((ROOT / "notebooks" / "study_design_power.ipynb").read_text(encoding="utf-8"))["cells"]
    body = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert "several times" not in body and "mi_workers_multiple_text" in body and "mi_families_multiple_text" in body
    assert "{cite:p}`bell2002bias`" in body


def test_the_dependence_moves_the_expected_way():
    p = sdp.PARAMETERS.validate({})
    model = sdp.headline_model(p, 1.0)
    base = {
        "icc": np.array([0.05]),
        "attrition": np.array([0.2]),
        "eligibility_rate": np.array([0.25]),
        "families_per_worker": np.array([3.0]),
    }
    assert model(base)[0] == cp.sample_size(0.3, 0.05, 3, 0.05, 0.8, 0.2, 0.25).n_referred
    assert model({**base, "icc": np.array([0.2])})[0] > model(base)[0]
    assert model({**base, "attrition": np.array([0.4])})[0] > model(base)[0]
    assert model({**base, "eligibility_rate": np.array([0.5])})[0] < model(base)[0]


def test_kinds_cover_every_number_and_published_ones_are_registry_figures(default):
    from helpers.page.kinds import Kind
    from helpers.page.registry import load_registry

    s = default.scalars
    numbers = [k for k, v in s.items() if isinstance(v, (int, float)) and not isinstance(v, bool)]
    assert not [k for k in numbers if k not in sdp.KINDS]
    assert set(sdp.KINDS) <= set(s)
    figures = []
    for f in load_registry().values():
        with contextlib.suppress(TypeError, ValueError):
            figures.append(float(f.value))
    for name, kind in sdp.KINDS.items():
        if kind is Kind.PUBLISHED:
            assert any(math.isclose(float(s[name]), f) for f in figures), name
    # Sums of published figures are computed, with the arithmetic checked here.
    assert s["mi_workers"] == published("forrester2018_mi_workers_a") + published("forrester2018_mi_workers_b")
    assert sdp.KINDS["mi_workers"] is Kind.COMPUTED


def test_the_dependence_figure_draws(default):
    import matplotlib.pyplot as plt

    fig = sdp.plot_dependence(default)
    assert fig.axes
    plt.close(fig)


def test_the_workers_depend_most_on_the_clustering_not_on_eligibility(default):
    torn = default.tables["tornado_workers"]
    assert torn.attrs["base_outcome"] == pytest.approx(default.scalars["workers_total_recommended"])
    # In the formula, the workers needed do not depend on attrition or eligibility at all.
    swing = torn.set_index("input")["swing"]
    assert swing["eligibility_rate"] == 0 and swing["attrition"] == 0
    assert default.scalars["workers_dependence_label"] in ("intra-class correlation", "number of families per worker")
