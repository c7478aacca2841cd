"""Frontline visits: the generator is calibrated, the schema refuses every kind of bad file,
and the count models agree with independent computations."""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import optimize, special
from scipy import stats as sps
from statsmodels.stats.proportion import proportion_confint

from helpers.analyses import frontline_visits as fv
from helpers.engine.paths import ROOT
from helpers.inputs.records import RecordsError
from helpers.page import kinds
from helpers.page.registry import load_registry, published
from helpers.params import ParameterError
from helpers.stats import replicates
from helpers.stats.replicates import Estimate
from summaries import in_brief, raw_simulated_numbers

REQUIRED = [
    "rate_ratio",
    "rate_ratio_ci_low",
    "rate_ratio_ci_high",
    "mean_visits_frontline_observed",
    "mean_visits_other_observed",
    "share_reaching_threshold_frontline",
    "share_reaching_threshold_other",
]
HEADER = "case_id,worker_id,training_route,months_open,visits"


@pytest.fixture(scope="module")
def default():
    return fv.run({})


@pytest.fixture(scope="module")
def large():
    """A large synthetic sample: many workers, many cases each."""
    return fv.simulate_visits(
        {"frontline": 16.0, "other": 12.0},
        n_workers_per_group=3000,
        cases_per_worker=10,
        case_months=14.0,
        dispersion=0.4,
        icc=0.25,
        share_single_worker=0.2,
        unsuccessful_share=0.3,
        seed=11,
    )


# ---------------------------------------------------------------- parameters and results
def test_defaults_come_from_the_registry():
    d = fv.PARAMETERS.defaults()
    assert d["mean_visits_frontline"] == published("frontline_visits_frontline")
    assert d["mean_visits_other"] == published("frontline_visits_other")
    assert d["contact_threshold"] == published("forrester_contacts_threshold")
    # The default window makes the pooled rate the published "about once a month".
    pooled = (d["mean_visits_frontline"] + d["mean_visits_other"]) / 2 / d["case_months"]
    assert pooled == published("frontline_visits_per_month")


def test_required_results_are_present_and_seeded(default):
    assert set(REQUIRED) <= set(default.scalars)
    assert fv.run({}).scalars == default.scalars
    assert fv.run({"seed": 7}).scalars["rate_ratio"] != default.scalars["rate_ratio"]


def test_bad_parameters_are_refused():
    with pytest.raises(ParameterError, match=r"parameter 'icc' = 1\.5"):
        fv.run({"icc": 1.5})
    with pytest.raises(ParameterError, match=r"parameter 'data_path' = '/no/such\.csv' is not allowed"):
        fv.run({"data_path": "/no/such.csv"})


def test_third_group_is_added_on_request():
    s = fv.run({"include_experienced": True, "mean_visits_experienced": 20.0, "n_workers_per_group": 10}).scalars
    assert {"mean_visits_experienced_observed", "rate_ratio_experienced"} <= set(s)
    assert s["n_workers_total"] == 30


# ---------------------------------------------------------------- calibration of the generator
def test_large_samples_reproduce_the_requested_means(large):
    for route, mean in (("frontline", 16.0), ("other", 12.0)):
        d = large[large["training_route"] == route]
        assert d["visits"].mean() == pytest.approx(mean, rel=0.02)
        # Per month: the mean over cases of visits is the requested mean times months / window.
        assert d["visits"].sum() / d["months_open"].sum() == pytest.approx(mean / 14.0, rel=0.02)
    assert large["months_open"].between(7.0, 21.0).all()
    assert large["months_open"].mean() == pytest.approx(14.0, rel=0.01)


def _latent_moments(df: pd.DataFrame, means: dict, window: float) -> tuple[float, float]:
    """Method-of-moments estimates of (dispersion alpha, latent ICC), independent of the generator:
    with m_i = E[Y_i], r_i = Y_i / m_i has E[(r_i - 1)^2 - 1/m_i] = alpha and, for two cases of the
    same worker, E[(r_i - 1)(r_j - 1)] = exp(sigma_b^2) - 1."""
    m = df["training_route"].map(means) * df["months_open"] / window
    r = (df["visits"] / m).to_numpy() - 1
    alpha = float(np.mean(r**2 - 1 / m.to_numpy()))
    codes = pd.factorize(df["worker_id"])[0]
    s = np.bincount(codes, weights=r)
    ss = np.bincount(codes, weights=r**2)
    n = np.bincount(codes)
    pair_sum = np.sum((s**2 - ss) / 2)  # sum over within-worker pairs of r_i r_j
    pairs = np.sum(n * (n - 1) / 2)
    cov = pair_sum / pairs
    return alpha, math.log1p(cov) / math.log1p(alpha)


def test_large_samples_reproduce_the_requested_dispersion_and_icc(large):
    alpha, icc = _latent_moments(large, {"frontline": 16.0, "other": 12.0}, 14.0)
    assert alpha == pytest.approx(0.4, abs=0.03)
    assert icc == pytest.approx(0.25, abs=0.04)


@pytest.mark.parametrize("icc", [0.0, 0.5])
def test_the_icc_parameter_moves_the_estimate(icc):
    df = fv.simulate_visits(
        {"frontline": 16.0, "other": 12.0},
        n_workers_per_group=2000,
        cases_per_worker=8,
        case_months=14.0,
        dispersion=0.4,
        icc=icc,
        seed=3,
    )
    _, est = _latent_moments(df, {"frontline": 16.0, "other": 12.0}, 14.0)
    assert est == pytest.approx(icc, abs=0.05)


def test_count_scale_icc_matches_a_one_way_anova_estimate(monkeypatch):
    # Every case open for exactly the window: the ICC of the counts by one-way ANOVA.
    import helpers.analyses.frontline_visits.synthetic as synthetic  # a submodule is an attribute once imported

    monkeypatch.setattr(synthetic, "MONTHS_RANGE", (1.0, 1.0))  # the generator's module reads it
    n = 6
    df = fv.simulate_visits(
        {"frontline": 16.0},
        n_workers_per_group=6000,
        cases_per_worker=n,
        case_months=14.0,
        dispersion=0.8,
        icc=0.6,
        seed=5,
    )
    assert (df["months_open"] == 14.0).all()
    y = df["visits"].to_numpy(float).reshape(-1, n)
    msb = n * np.var(y.mean(axis=1), ddof=1)
    msw = np.sum((y - y.mean(axis=1, keepdims=True)) ** 2) / (y.shape[0] * (n - 1))
    anova_icc = (msb - msw) / (msb + (n - 1) * msw)
    assert anova_icc == pytest.approx(fv.count_scale_icc(16.0, 0.8, 0.6), abs=0.03)


def test_workers_per_case_and_unsuccessful_attempts(large):
    nw = large["n_workers"]
    assert (nw == 1).mean() == pytest.approx(0.2, abs=0.01)
    assert set(nw.unique()) == {1, 2, 3}
    assert (nw == 2).mean() == pytest.approx((nw == 3).mean(), abs=0.01)
    share = large["unsuccessful_visits"].sum() / (large["unsuccessful_visits"].sum() + large["visits"].sum())
    assert share == pytest.approx(0.3, abs=0.005)
    assert (large.loc[large["visits"] == 0, "unsuccessful_visits"] == 0).all()


def test_large_sample_rate_ratio_recovers_the_requested_ratio():
    # One large draw (its ratio and interval; the fewest reconstructions allowed, which do not enter them).
    s = fv.run({"n_workers_per_group": 600, "cases_per_worker": 6, "seed": 1, "n_replicates": 20}).scalars
    assert s["rate_ratio"] == pytest.approx(16 / 12, rel=0.04)
    assert s["rate_ratio_ci_low"] < 16 / 12 < s["rate_ratio_ci_high"]


# ---------------------------------------------------------------- statistics against independent computations
@pytest.fixture(scope="module")
def small():
    from page_scenarios import frontline_cases

    return frontline_cases()


def test_poisson_rate_ratio_and_cluster_robust_se_by_hand(small):
    models = fv.fit_models(small)
    fit = models.fits["poisson_cluster"]
    f, o = small[small["training_route"] == "frontline"], small[small["training_route"] == "other"]
    ratio = (f["visits"].sum() / f["months_open"].sum()) / (o["visits"].sum() / o["months_open"].sum())
    assert math.exp(fit.params[1]) == pytest.approx(ratio, rel=1e-8)
    # Sandwich by hand: bread (X'WX)^-1, meat from worker sums of scores, times G/(G-1) (N-1)/(N-K).
    X = np.column_stack([np.ones(len(small)), (small["training_route"] == "frontline").to_numpy(float)])
    mu = np.exp(X @ fit.params + np.log(small["months_open"].to_numpy()))
    bread = np.linalg.inv(X.T @ (X * mu[:, None]))
    scores = X * (small["visits"].to_numpy() - mu)[:, None]
    g = pd.factorize(small["worker_id"])[0]
    sums = np.array([scores[g == j].sum(axis=0) for j in range(g.max() + 1)])
    G, N, K = g.max() + 1, len(small), 2
    cov = G / (G - 1) * (N - 1) / (N - K) * bread @ (sums.T @ sums) @ bread
    assert np.sqrt(np.diag(cov)) == pytest.approx(np.asarray(fit.bse), rel=1e-6)
    rr = fv.rate_ratio(fit, models.names, 0.95)
    z = sps.norm.ppf(0.975)
    assert rr.low == pytest.approx(ratio * math.exp(-z * math.sqrt(cov[1, 1])), rel=1e-6)


def test_negative_binomial_mle_by_hand(small):
    models = fv.fit_models(small)
    nb = models.fits["nb"]
    y, X, off = models.y, models.X, models.offset

    def nll(theta):
        beta, alpha = theta[:-1], math.exp(theta[-1])
        mu = np.exp(X @ beta + off)
        r = 1 / alpha
        return -np.sum(
            special.gammaln(y + r)
            - special.gammaln(r)
            - special.gammaln(y + 1)
            + r * np.log(r / (r + mu))
            + y * np.log(mu / (r + mu))
        )

    start = np.r_[np.asarray(models.fits["poisson"].params), math.log(0.5)]
    res = optimize.minimize(nll, start, method="Nelder-Mead", options={"xatol": 1e-9, "fatol": 1e-10, "maxiter": 20000})
    assert np.asarray(nb.params)[:-1] == pytest.approx(res.x[:-1], abs=1e-4)
    assert np.asarray(nb.params)[-1] == pytest.approx(math.exp(res.x[-1]), rel=1e-3)
    assert nb.llf == pytest.approx(-res.fun, abs=1e-6)


def test_overdispersion_tests_by_hand(small):
    models = fv.fit_models(small)
    y = models.y
    mu = np.asarray(models.fits["poisson"].fittedvalues)
    coef, t, p = fv.cameron_trivedi_test(y, mu)
    aux = ((y - mu) ** 2 - y) / mu
    b = np.sum(aux * mu) / np.sum(mu**2)
    resid = aux - b * mu
    se = math.sqrt(np.sum(resid**2) / (len(y) - 1) / np.sum(mu**2))
    assert coef == pytest.approx(b) and t == pytest.approx(b / se)
    assert p == pytest.approx(sps.t.sf(b / se, len(y) - 1))
    lr, p_lr = fv.overdispersion_lr_test(-100.0, -98.0)
    assert lr == 4.0 and p_lr == pytest.approx(0.5 * (1 - sps.chi2.cdf(4.0, 1)))
    assert fv.overdispersion_lr_test(-100.0, -100.5) == (0.0, 0.5)


def test_clustered_share_is_wilson_without_clustering():
    hit = np.array([1] * 30 + [0] * 20)
    share, low, high, deff = fv.clustered_share_ci(hit, np.arange(50), 0.95)
    # One case per worker: the cluster-robust variance is G/(G-1) times p(1-p)/n, so deff is G/(G-1).
    assert deff == pytest.approx(50 / 49)
    n_eff = 50 / deff
    lo, hi = proportion_confint(0.6 * n_eff, n_eff, alpha=0.05, method="wilson")
    assert (share, low, high) == pytest.approx((0.6, lo, hi))


def test_clustered_share_widens_with_clustering():
    # Workers who either all reach the threshold or all do not: n_eff is the number of workers.
    hit = np.repeat([1, 0, 1, 1, 0, 1, 0, 1, 1, 0], 5)
    groups = np.repeat(np.arange(10), 5)
    _, low, high, deff = fv.clustered_share_ci(hit, groups, 0.95)
    assert deff == pytest.approx(10 / 9 * 5)
    lo, hi = proportion_confint(0.6 * 9, 9, alpha=0.05, method="wilson")
    assert (low, high) == pytest.approx((lo, hi))


# ---------------------------------------------------------------- own records: the schema
def _write(tmp_path, text, name="records.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def _problems(tmp_path, text):
    with pytest.raises(RecordsError) as err:
        fv.load_records(_write(tmp_path, text))
    return "\n".join(err.value.problems)


def _good_rows(n_workers=2, route="frontline", start=0):
    return "".join(f"{route[0]}{start + i},{route[0]}w{i % n_workers},{route},6,{5 + i}\n" for i in range(4))


GOOD = HEADER + "\n" + _good_rows() + _good_rows(route="other")


def _add_column(body: str, name: str, values: list[str]) -> str:
    header, *rows = body.strip().split("\n")
    return "\n".join([f"{header},{name}", *[f"{r},{v}" for r, v in zip(rows, values, strict=True)]]) + "\n"


@pytest.mark.parametrize(
    "body, expected",
    [
        (
            "case_id,worker_id,training_route,visits\na,w,frontline,3\n",
            "missing column(s) 'months_open': required columns are case_id, worker_id, training_route, months_open, "
            "visits",
        ),
        (
            GOOD.replace("f0,fw0,frontline,6,5", "f0,fw0,frontline,6,five"),
            "column 'visits': value is not a whole number at file line(s) 2 (value(s) 'five')",
        ),
        (
            GOOD.replace("f0,fw0,frontline,6,5", "f0,fw0,frontline,six,5"),
            "column 'months_open': value is not a number at file line(s) 2 (value(s) 'six')",
        ),
        (
            GOOD.replace("f1,fw1,frontline,6,6", "f1,fw1,frontline,6,-6"),
            "column 'visits': value is negative (must be 0 or more) at file line(s) 3 (value(s) -6)",
        ),
        (
            GOOD.replace("f1,fw1,frontline,6,6", "f1,fw1,frontline,0,6").replace(
                "o2,ow0,other,6,7", "o2,ow0,other,-1,7"
            ),
            "column 'months_open': value is less than 0.01 months (must be 0.01 or more: a case is open some hours) "
            "at file line(s) 3, 8",
        ),
        (
            GOOD.replace("o0,ow0,other,6,5", "o0,ow0,teach-first,6,5"),
            "column 'training_route': value is not one of ['frontline', 'other', 'experienced'] at file line(s) 6 "
            "(value(s) 'teach-first')",
        ),
        (GOOD.replace("o0,", "f0,"), "column 'case_id': value is duplicated (must be unique) at file line(s) 2, 6"),
        (
            GOOD.replace("o0,ow0,", "o0,fw0,"),
            "column 'training_route': worker(s) 'fw0' have more than one training route (a worker has one route) "
            "at file line(s) 2, 4, 6",
        ),
        (HEADER + "\n" + _good_rows(), "column 'training_route': 0 worker(s) with route 'other'"),
        (
            HEADER + "\n" + _good_rows(n_workers=1) + _good_rows(route="other"),
            "column 'training_route': 1 worker(s) with route 'frontline'; the comparison needs cases from at least 2",
        ),
        (
            _add_column(GOOD, "unsuccessful_visits", ["-2"] + ["1"] * 7),
            "column 'unsuccessful_visits': value is negative (must be 0 or more) at file line(s) 2",
        ),
        (
            _add_column(GOOD, "n_workers", ["2", "2", "2", "0", "3", "3", "1", "2"]),
            "column 'n_workers': value is less than 1 (must be 1 or more) at file line(s) 5",
        ),
        (_add_column(GOOD, "notes", ["x"] * 8), "unexpected column(s) 'notes'"),
        (
            GOOD.replace("f0,fw0,frontline,6,5", "f0,fw0,frontline,6,"),
            "column 'visits': value is empty at file line(s) 2",
        ),
        (
            HEADER + "\n" + _good_rows() + "".join(f"o{i},ow{i % 2},other,6,0\n" for i in range(4)),
            "column 'visits': every case with training route 'other' has 0 visits (file line(s) 6, 7, 8, 9)",
        ),
    ],
    ids=[
        "missing-column",
        "visits-not-integer",
        "months-not-number",
        "negative-visits",
        "non-positive-months",
        "unknown-route",
        "duplicate-case",
        "worker-two-routes",
        "no-other-route",
        "one-frontline-worker",
        "negative-unsuccessful",
        "zero-workers",
        "unexpected-column",
        "empty-visits",
        "route-without-visits",
    ],
)
def test_each_kind_of_bad_file_is_named(tmp_path, body, expected):
    assert expected in _problems(tmp_path, body)


def test_a_good_file_runs_whole_and_optional_columns_may_be_empty(tmp_path):
    body = _add_column(GOOD, "n_workers", [""] * 8)
    df = fv.load_records(_write(tmp_path, body))
    assert len(df) == 8 and df["n_workers"].isna().all()


def test_own_records_give_the_same_analysis_as_the_frame(tmp_path, small):
    path = tmp_path / "mine.csv"
    small.to_csv(path, index=False)
    r = fv.run({"data_path": str(path)})
    s = r.scalars
    assert s["data_source"] == "your own records"
    assert s["n_cases"] == len(small)
    f = small[small["training_route"] == "frontline"]
    assert s["mean_visits_frontline_observed"] == pytest.approx(f["visits"].mean())
    assert s["share_reaching_threshold_frontline"] == pytest.approx((f["visits"] >= 8).mean())
    assert str(path) in r.inputs
    assert "icc" not in s  # synthetic-only values are not reported for own records


def test_tables_from_own_records_are_suppressed(tmp_path):
    # Two frontline cases below the threshold: a count of 2 must be hidden, with its complement.
    rows = [f"f{i},fw{i % 3},frontline,6,{3 + i % 2 if i < 2 else 12 + i % 3}" for i in range(12)]
    rows += [f"o{i},ow{i % 3},other,6,{3 + i % 2 if i < 6 else 12 + i % 3}" for i in range(12)]
    path = _write(tmp_path, HEADER + "\n" + "\n".join(rows) + "\n")
    r = fv.run({"data_path": str(path), "min_cell_count": 5})
    table = fv.threshold_table(r)
    assert (table == "[c]").to_numpy().sum() >= 2
    assert "suppressed" in r.scalars["suppression_note"]
    # The same records with the threshold at 1: nothing hidden.
    r1 = fv.run({"data_path": str(path), "min_cell_count": 1})
    assert not (fv.threshold_table(r1) == "[c]").to_numpy().any()


def test_synthetic_tables_are_not_suppressed(default):
    assert not (fv.threshold_table(default) == "[c]").to_numpy().any()


def test_compendium_run_refuses_a_bad_file_before_a_kernel_starts(tmp_path):
    path = _write(tmp_path, GOOD.replace("o0,ow0,other,6,5", "o0,ow0,other,6,-5"))
    runs = tmp_path / "runs"
    exe = str(Path(sys.executable).parent / "compendium")
    res = subprocess.run(
        [exe, "run", "frontline_visits", "-p", "data_path", str(path)],
        capture_output=True,
        text=True,
        env={"COMPENDIUM_RUNS": str(runs), "PATH": str(Path(sys.executable).parent)},
        timeout=300,
    )
    assert res.returncode == 2
    assert "column 'visits': value is negative (must be 0 or more) at file line(s) 6" in res.stderr
    assert not runs.exists()


def test_shares_and_histogram_cells_from_own_records_are_hidden_with_their_counts(tmp_path):
    rows = [f"f{i},fw{i % 3},frontline,6,{3 + i % 2 if i < 2 else 12 + i % 3}" for i in range(12)]
    rows += [f"o{i},ow{i % 3},other,6,{3 + i % 2 if i < 6 else 12 + i % 3}" for i in range(12)]
    path = _write(tmp_path, HEADER + "\n" + "\n".join(rows) + "\n")
    r = fv.run({"data_path": str(path), "min_cell_count": 5})
    # Two frontline cases below the threshold: the frontline share would reveal them.
    assert r.scalars["share_reaching_threshold_frontline"] == "[c]"
    assert r.scalars["share_reaching_threshold_frontline_ci_low"] == "[c]"
    hist = r.data["visit_hist"]
    raw = r.data["visit_counts"]
    # Own records: visits in merged bins, each route's count in each bin 0 or at least 5, a bin
    # starting at the threshold; the Frontline route (2 cases below it) is left out whole.
    assert (raw.to_numpy() == 0).sum() + (raw.to_numpy() >= 5).sum() == raw.size - 1
    assert hist.mask.loc["Frontline"].all() and not hist.mask.loc["Other routes"].any()
    assert any(str(c).startswith("8") for c in raw.columns)
    # The figure leaves out exactly the hidden cells: a gap (NaN) in each route's steps where the mask is True.
    fig = fv.plot_visit_distribution(r)
    for line, label in zip(fig.axes[0].lines, ["Frontline", "Other routes"], strict=False):  # then the threshold line
        y = np.asarray(line.get_ydata(), float)
        assert np.array_equal(np.isnan(y), hist.mask.loc[label].to_numpy()), label
    plt.close(fig)
    fv.plot_threshold_shares(r)
    r1 = fv.run({"data_path": str(path), "min_cell_count": 1})
    assert r1.scalars["share_reaching_threshold_frontline"] == pytest.approx(10 / 12)


def test_workers_involved_from_own_records_are_hidden_with_their_shares(tmp_path):
    # Two cases held by a single worker: the count of 2 is hidden, and so is a second count (else the
    # number of cases gives it away), and so are the shares and the mean that would reveal it.
    rng = np.random.default_rng(0)
    n_workers = [1, 1] + [2] * 17 + [3] * 17
    visits = rng.negative_binomial(3, 0.2, 36)
    rows = [f"f{i},fw{i % 3},frontline,6,{visits[i]},{n_workers[i]}" for i in range(12)]
    rows += [f"o{i},ow{i % 3},other,6,{visits[12 + i]},{n_workers[12 + i]}" for i in range(24)]
    path = _write(tmp_path, HEADER + ",n_workers\n" + "\n".join(rows) + "\n")
    r = fv.run({"data_path": str(path), "min_cell_count": 5})
    s = r.scalars
    sup = r.data["workers_table"]
    assert sup.mask.loc["1 worker", "cases"] and sup.mask.to_numpy().sum() >= 2
    table = fv.workers_table(r).set_index("workers involved")
    assert table.loc["1 worker", "cases"] == "[c]" and (table["cases"] == "[c]").sum() >= 2
    for name in ("share_cases_single_worker", "share_cases_typical_workers", "mean_workers_per_case"):
        assert s[name] == "[c]", name
    # One sentence per table, not the same sentence twice.
    note = s["suppression_note"]
    assert note.count("Counts from 1 to 4 are suppressed") == 1 and "the table of workers involved" in note
    r1 = fv.run({"data_path": str(path), "min_cell_count": 1})
    assert r1.scalars["share_cases_single_worker"] == pytest.approx(2 / 36)
    assert r1.scalars["mean_workers_per_case"] == pytest.approx(sum(n_workers) / 36)


def test_pooled_share_is_hidden_when_the_threshold_total_is_hidden(tmp_path):
    # Three cases reach 8 visits: the column total of 3 is hidden, and the pooled share would give it.
    v = [2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6, 1] + [1, 2, 3, 4, 5, 6] * 4
    v[0], v[1], v[14] = 9, 10, 11
    rows = [f"f{i},fw{i % 3},frontline,6,{v[i]}" for i in range(12)]
    rows += [f"o{i},ow{i % 3},other,6,{v[12 + i]}" for i in range(24)]
    path = _write(tmp_path, HEADER + "\n" + "\n".join(rows) + "\n")
    r = fv.run({"data_path": str(path), "min_cell_count": 5})
    assert fv.threshold_table(r).set_index("route").loc["Total", "8 or more visits"] == "[c]"
    assert r.scalars["share_reaching_threshold_all"] == "[c]"
    r1 = fv.run({"data_path": str(path), "min_cell_count": 1})
    assert r1.scalars["share_reaching_threshold_all"] == pytest.approx(3 / 36)


def test_published_threshold_is_reported_apart_from_the_parameter():
    s = fv.run({"contact_threshold": 12, "n_workers_per_group": 10}).scalars
    assert s["contact_threshold"] == 12
    assert s["published_contact_threshold"] == published("forrester_contacts_threshold") == 8


def test_aic_difference_is_never_negative():
    # Nearly Poisson records: Poisson has the lower AIC, and the difference is still reported as a size.
    s = fv.run({"dispersion": 0.001, "icc": 0.0}).scalars
    assert s["preferred_model"] == "Poisson"
    # Each AIC is recorded at eight significant digits (about 1e-4 here), the difference too.
    assert s["aic_difference"] == pytest.approx(s["aic_nb"] - s["aic_poisson"], abs=1e-3) and s["aic_difference"] > 0


def test_the_clustering_factor_is_clustering_alone():
    """cluster_se_inflation compares clustered with model-based errors of the same negative binomial model, so
    with no clustering in the records it is about one; the Poisson factor also carries the over-dispersion."""
    none = fv.run({"icc": 0.0, "n_workers_per_group": 80}).scalars
    some = fv.run({"icc": 0.3, "n_workers_per_group": 80}).scalars
    assert none["cluster_se_inflation"] == pytest.approx(1.0, abs=0.2)
    assert some["cluster_se_inflation"] > none["cluster_se_inflation"] + 0.15
    for s in (none, some):
        assert s["poisson_se_inflation"] > 2 * s["cluster_se_inflation"]  # over-dispersion on top of clustering
    default = fv.run({})
    fits = fv.fit_models(default.data["cases"]).fits
    ratio = fits["nb_cluster"].bse[1] / fits["nb"].bse[1]
    assert default.scalars["cluster_se_inflation"] == pytest.approx(ratio)
    # The published ratio is computed from the registry, not from the synthetic draw.
    assert default.scalars["published_visits_ratio"] == pytest.approx(16 / 12)


# ---------------------------------------------------------------- across many reconstructions
def _statsmodels_fits(visits: np.ndarray, months: np.ndarray):
    """Poisson GLM of one reconstruction (route, worker, case arrays) by statsmodels: model-based,
    quasi-Poisson (Pearson scale) and worker-clustered fits."""
    _, n_w, m = visits.shape
    y, t = visits.ravel(), months.ravel()
    X = np.column_stack([np.ones(y.size), np.repeat([1.0, 0.0], n_w * m)])
    groups = np.repeat(np.arange(2 * n_w), m)
    model = sm.GLM(y, X, family=sm.families.Poisson(), offset=np.log(t))
    # statsmodels' own small-sample reference for clustered errors: use_t gives t with (workers - 1) df
    clustered = model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
    return (model.fit(), model.fit(scale="X2"), clustered)


@pytest.mark.parametrize(
    "seed,icc,dispersion,workers,cases", [(1, 0.2, 0.3, 40, 5), (2, 0.0, 0.05, 3, 2), (3, 0.8, 2.0, 12, 9)]
)
def test_closed_form_poisson_matches_statsmodels(seed, icc, dispersion, workers, cases):
    visits, months = fv.draw_replicates(
        (16.0, 12.0),
        n_workers_per_group=workers,
        cases_per_worker=cases,
        case_months=14.0,
        dispersion=dispersion,
        icc=icc,
        n=3,
        seed=seed,
    )
    fit = fv.poisson_rate_ratios(visits, months)
    for i in range(3):
        model, quasi, cluster = _statsmodels_fits(visits[i], months[i])
        assert fit.log_rate_ratio[i] == pytest.approx(model.params[1], rel=1e-6, abs=1e-9)
        assert fit.se_model[i] == pytest.approx(model.bse[1], rel=1e-5)
        assert fit.se_quasi[i] == pytest.approx(quasi.bse[1], rel=1e-5)
        assert fit.se_cluster[i] == pytest.approx(cluster.bse[1], rel=1e-6)


def test_a_route_without_visits_is_not_estimable():
    visits = np.ones((2, 2, 3, 2))
    visits[1, 0] = 0  # second reconstruction: no Frontline visits
    fit = fv.poisson_rate_ratios(visits, np.ones_like(visits))
    assert np.isfinite(fit.log_rate_ratio[0]) and np.isfinite(fit.se_cluster[0])
    assert np.isnan([fit.log_rate_ratio[1], fit.se_model[1], fit.se_quasi[1], fit.se_cluster[1]]).all()


def test_the_vectorised_replicates_equal_one_statsmodels_fit_per_reconstruction():
    """The page's replicate table equals the shared loop (replicates.across) over the same spawned seeds, each
    reconstruction drawn with the same generator and fitted by statsmodels."""
    p = fv.PARAMETERS.validate({"n_replicates": 20, "n_workers_per_group": 8, "cases_per_worker": 3, "seed": 9})
    fast = fv.replicate_draws(p)
    s2b, s2e = fv.latent_variances(p["dispersion"], p["icc"])
    z = sps.norm.ppf(0.975)

    def one(rng):
        arrays = [
            fv.draw_route(rng, mean, 8, 3, p["case_months"], s2b, s2e)
            for mean in (p["mean_visits_frontline"], p["mean_visits_other"])
        ]
        months = np.stack([a[0].reshape(8, 3) for a in arrays])
        visits = np.stack([a[1].reshape(8, 3) for a in arrays]).astype(float)
        model, quasi, cluster = _statsmodels_fits(visits, months)
        b = model.params[1]
        est = lambda se: Estimate(math.exp(b), math.exp(b - z * se), math.exp(b + z * se))
        low, high = np.exp(cluster.conf_int(0.05)[1])  # statsmodels' t interval, (workers - 1) df
        return {
            "rate_ratio": Estimate(math.exp(b), low, high),
            "rate_ratio_quasi": est(quasi.bse[1]),
            "rate_ratio_model_se": est(model.bse[1]),
        }

    slow = replicates.across(one, 20, 9)
    merged = slow.merge(fast, on=["replicate", "estimate"], suffixes=("_slow", "_fast"))
    assert len(merged) == 60
    for col in ("value", "low", "high"):
        assert np.allclose(merged[f"{col}_slow"], merged[f"{col}_fast"], rtol=1e-6)


def test_the_replicates_do_not_depend_on_how_many_are_drawn():
    a = fv.replicate_draws(fv.PARAMETERS.validate({"n_replicates": 20}))
    b = fv.replicate_draws(fv.PARAMETERS.validate({"n_replicates": 40}))
    assert np.array_equal(a["value"].to_numpy(), b[b["replicate"] < 20]["value"].to_numpy())


def test_the_large_sample_standard_error_matches_the_spread_of_the_reconstructions():
    """An independent check of expected_se_log_rate_ratio: the standard deviation of the log rate ratio over
    many reconstructions (and detection within Monte Carlo error)."""
    for icc, dispersion, workers, cases in ((0.2, 0.3, 40, 5), (0.5, 1.0, 20, 10)):
        visits, months = fv.draw_replicates(
            (16.0, 12.0),
            n_workers_per_group=workers,
            cases_per_worker=cases,
            case_months=14.0,
            dispersion=dispersion,
            icc=icc,
            n=4000,
            seed=4,
        )
        fit = fv.poisson_rate_ratios(visits, months)
        x = {
            "mean_visits_frontline": 16.0,
            "mean_visits_other": 12.0,
            "dispersion": dispersion,
            "icc": icc,
            "n_workers_per_group": workers,
            "cases_per_worker": cases,
        }
        se = fv.expected_se_log_rate_ratio(x)
        assert np.std(fit.log_rate_ratio) == pytest.approx(se, rel=0.05)
        if workers >= 40:  # with few workers the sandwich errors are too small, and detect more often
            detected = np.mean(np.abs(fit.log_rate_ratio / fit.se_cluster) > sps.norm.ppf(0.975))
            assert detected == pytest.approx(fv.expected_detection(x), abs=0.03)


def test_the_summary_states_replicates_and_the_truth_is_the_calibrated_ratio(default):
    s, rep = default.scalars, default.tables["replicate_summary"].set_index("estimate")
    assert s["rep_n"] == fv.PARAMETERS.defaults()["n_replicates"]
    assert rep.loc["rate_ratio", "truth"] == pytest.approx(16 / 12) and rep.loc["rate_ratio", "null"] == 1
    draws = default.tables["replicates"]
    values = draws.loc[draws["estimate"] == "rate_ratio", "value"]
    assert s["rep_rate_ratio_median"] == pytest.approx(np.median(values), rel=1e-6)
    assert s["rep_rate_ratio_range_low"] < 16 / 12 < s["rep_rate_ratio_range_high"]
    # Clustered intervals cover the calibrated ratio far more often than intervals that ignore clustering.
    assert s["rep_rate_ratio_coverage"] > s["rep_rate_ratio_quasi_coverage"] > s["rep_rate_ratio_model_se_coverage"]
    assert abs(s["rep_rate_ratio_coverage"] - 0.95) < 0.03
    # The one draw is one of many: its estimate is not what the summary reports.
    assert s["rep_rate_ratio_median"] != pytest.approx(s["rate_ratio"], abs=0.01)


def test_the_clustering_factor_across_reconstructions_is_clustering_alone():
    none = fv.run({"icc": 0.0, "n_replicates": 400}).scalars
    some = fv.run({"icc": 0.4, "n_replicates": 400}).scalars
    assert none["rep_cluster_se_inflation_median"] == pytest.approx(1.0, abs=0.06)
    assert some["rep_cluster_se_inflation_median"] > none["rep_cluster_se_inflation_median"] + 0.15


def test_in_brief_states_no_single_draw_and_puts_the_small_study_first():
    """Every number in "In brief" is a replicate summary, a published or computed figure, a model result or an
    assumption: none is one draw. The precision it reports is across the reconstructions, at the smallest study
    size the page considers first (the number of workers behind the averages was not published), then the
    largest."""
    text = in_brief(ROOT / "notebooks" / "frontline_visits.ipynb")
    found = [m.group(1).split(":")[0] for m in re.finditer(r"\{(?:num|glue:text)\}`([^`]+)`", text)]
    keys = set(found)
    assert not [k for k in keys if fv.KINDS.get(k) is kinds.Kind.ONE_DRAW]
    assert {
        "rep_small_rate_ratio_range_low",
        "rep_small_rate_ratio_range_high",
        "rep_small_rate_ratio_detection",
        "rep_rate_ratio_range_low",
        "rep_rate_ratio_detection",
        "size_small_workers",
    } <= keys
    assert found.index("rep_small_rate_ratio_detection") < found.index("rep_rate_ratio_detection")
    assert "rate_ratio" not in keys and "cluster_se_inflation" not in keys


def test_kinds_cover_every_number_and_published_ones_are_registry_figures(default):
    s = default.scalars
    numbers = [k for k, v in s.items() if isinstance(v, (int, float)) and not isinstance(v, bool)]
    assert not [k for k in numbers if not k.startswith("rep_") and k not in fv.KINDS]
    assert set(fv.KINDS) <= set(s)
    figures = {f.value for f in load_registry().values()}
    for name, kind in fv.KINDS.items():
        if kind is kinds.Kind.PUBLISHED:
            assert any(math.isclose(float(s[name]), float(f)) for f in figures if _is_float(f)), name
    assert fv.KINDS["published_visits_ratio"] is kinds.Kind.COMPUTED
    assert s["published_visits_ratio"] == pytest.approx(
        published("frontline_visits_frontline") / published("frontline_visits_other")
    )


def _is_float(value) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def test_what_else_detection_depends_on_is_found_at_the_largest_study(default):
    s, torn = default.scalars, default.tables["tornado"]
    assert torn["swing"].is_monotonic_decreasing and s["dependence_label"] == torn.loc[0, "label"]
    assert "n_workers_per_group" not in set(torn["input"])  # the study size is shown over its whole range instead
    x = {
        "mean_visits_frontline": 16.0,
        "mean_visits_other": 12.0,
        "dispersion": s["dispersion"],
        "icc": s["icc"],
        "n_workers_per_group": s["size_large_workers"],
        "cases_per_worker": s["cases_per_worker"],
    }
    assert s["detection_expected"] == pytest.approx(float(fv.expected_detection(x)))
    # More workers, more clustering: detection moves the expected way.
    base = {**x, "dispersion": 0.3, "icc": 0.2, "n_workers_per_group": 40, "cases_per_worker": 5}
    assert fv.expected_detection({**base, "n_workers_per_group": 80}) > fv.expected_detection(base)
    assert fv.expected_detection({**base, "icc": 0.6}) < fv.expected_detection(base)


def test_the_formula_compares_with_the_t_critical_value_of_the_clustered_test():
    """Detection by the formula, computed here by hand: the shift over the standard error against the critical
    value of t with (2 x workers - 1) degrees of freedom, as the clustered test uses."""
    x = {
        "mean_visits_frontline": 16.0,
        "mean_visits_other": 12.0,
        "dispersion": 0.3,
        "icc": 0.2,
        "n_workers_per_group": 5,
        "cases_per_worker": 5,
    }
    shift = math.log(16 / 12) / float(fv.expected_se_log_rate_ratio(x))
    c = sps.t.ppf(0.975, 2 * 5 - 1)
    assert float(fv.expected_detection(x)) == pytest.approx(sps.norm.cdf(shift - c) + sps.norm.cdf(-shift - c))


def test_the_study_sizes_run_from_the_small_end_to_the_page_size(default):
    s, t = default.scalars, default.tables["by_size"]
    p = fv.PARAMETERS.defaults()
    assert list(t["workers_per_route"]) == [p["n_workers_small"], 10, 20, p["n_workers_per_group"]]
    assert s["size_small_workers"] == p["n_workers_small"] and s["size_large_workers"] == p["n_workers_per_group"]
    # Precision grows with the size of the study: narrower central ranges, more detection.
    width = t["range_high"] - t["range_low"]
    assert width.is_monotonic_decreasing and t["detection"].is_monotonic_increasing
    assert t["detection_formula"].is_monotonic_increasing
    # The small end is what the brief states; the large end is the page's reconstruction, summarised in full.
    small, large = t.iloc[0], t.iloc[-1]
    assert s["rep_small_rate_ratio_detection"] == pytest.approx(small["detection"], rel=1e-7)
    assert s["rep_small_rate_ratio_range_low"] == pytest.approx(small["range_low"], rel=1e-7)
    assert s["rep_small_rate_ratio_range_low"] < s["rep_rate_ratio_range_low"]
    assert s["rep_rate_ratio_detection"] == pytest.approx(large["detection"], rel=1e-7)
    # The formula's crossing of the target lies between the sizes that fall short of it and those that reach it.
    crossing = s["workers_for_detection_target"]
    assert s["detection_target"] == fv.DETECTION_TARGET
    below = t.loc[t["detection_formula"] < fv.DETECTION_TARGET, "workers_per_route"]
    above = t.loc[t["detection_formula"] >= fv.DETECTION_TARGET, "workers_per_route"]
    assert below.max() < crossing <= above.min()


def test_the_small_end_is_the_same_analysis_drawn_at_that_size():
    """The small end of the table is the replicate analysis run at that size (not another model), and the
    clustered intervals use t with (workers - 1) df: with 5 workers per route normal intervals would cover the
    calibrated ratio in about 90 % of reconstructions, the t intervals in about 93 %."""
    p = fv.PARAMETERS.validate({"n_replicates": 4000, "n_workers_small": 5, "n_workers_per_group": 10})
    r = fv.run(dict(p))
    draws = fv.replicate_draws(p, 5)
    clustered = draws[draws["estimate"] == "rate_ratio"]
    requested = 16 / 12
    coverage = float(((clustered["low"] <= requested) & (requested <= clustered["high"])).mean())
    assert r.scalars["rep_small_rate_ratio_coverage"] == pytest.approx(coverage)
    assert coverage > 0.915  # normal intervals: about 0.90, more than four Monte Carlo errors below


def test_own_records_have_no_replicates(tmp_path, small):
    path = tmp_path / "mine.csv"
    small.to_csv(path, index=False)
    r = fv.run({"data_path": str(path)})
    assert not [k for k in r.scalars if k.startswith("rep_") or k.startswith("dependence")]
    assert "your own records" in r.scalars["data_note"] and r.scalars["own_records"] is True
    assert "replicates" not in r.tables


#: Words that belong to the synthetic reconstruction only: a page on the user's own records must not use them.
SYNTHETIC_WORDS = re.compile(r"synthetic|reconstruct|one draw|\bdraws?\b|case_months|seed|calibrat", re.I)


def test_on_own_records_the_narrative_is_about_their_records(tmp_path, small):
    """A run on the user's records: the brief and every glued phrase say nothing synthetic and nothing about
    draws or case_months (which data_path ignores), and the records' counts and estimates are marked D."""
    path = tmp_path / "mine.csv"
    small.to_csv(path, index=False)
    r = fv.run({"data_path": str(path)})
    b = fv.brief(r.scalars, r.params)
    assert not SYNTHETIC_WORDS.search(b.text()), b.text()
    phrases = {k: v for k, v in r.scalars.items() if isinstance(v, str)}
    assert not {k: v for k, v in phrases.items() if SYNTHETIC_WORDS.search(v)}
    assert "[D]" in b.text() and "[A]" not in b.text().replace("95% [A]", "")
    for name in ("n_cases", "n_workers_total", "rate_ratio", "visits_per_month_frontline"):
        assert kinds.resolve("frontline_visits", name, r.scalars[name], own_records=True) is kinds.Kind.RECORDS
        assert kinds.resolve("frontline_visits", name, r.scalars[name]) is not kinds.Kind.RECORDS
    # The synthetic brief, by contrast, says what it is.
    synthetic = fv.brief(fv.run({"n_replicates": 40}).scalars, {})
    assert SYNTHETIC_WORDS.search(synthetic.text())


def test_a_hidden_share_is_not_printed_in_the_brief(tmp_path, small):
    """Own records whose threshold counts are small: the brief says the share is hidden instead of printing it."""
    mine = small.copy()
    other = mine.index[mine["training_route"] == "other"]
    mine.loc[other, "visits"] = mine.loc[other, "visits"].clip(upper=7)
    mine.loc[other[:2], "visits"] = 9  # two cases of other routes reach the threshold: a small count
    path = tmp_path / "mine.csv"
    mine.to_csv(path, index=False)
    r = fv.run({"data_path": str(path)})
    assert r.scalars["share_reaching_threshold_other"] == "[c]"
    text = fv.brief(r.scalars, r.params).text()
    assert "a hidden share of others" in text and "[c]" not in text


def test_cells_that_apply_to_both_kinds_of_data_use_no_synthetic_words():
    """Markdown cells not tagged synthetic-only (which a run on own records drops) read true on own records: they
    say nothing synthetic except through glued phrases that follow the run (the Parameters section describes both
    kinds of run)."""
    cells = json.loads((ROOT / "notebooks" / "frontline_visits.ipynb").read_text(encoding="utf-8"))["cells"]
    shared = [
        "".join(c["source"])
        for c in cells
        if c["cell_type"] == "markdown" and "synthetic-only" not in c["metadata"].get("tags", [])
    ]
    assert shared
    for text in shared:
        if text.startswith("## Parameters"):
            continue
        prose = re.sub(r"\{[a-z:]+\}`[^`]*`", "", text)  # glued phrases follow the run
        assert not SYNTHETIC_WORDS.search(prose), prose[:200]
    tagged = [c for c in cells if "synthetic-only" in c["metadata"].get("tags", [])]
    assert len(tagged) >= 10
    assert any("rep_" in "".join(c["source"]) for c in tagged)
    # Every cell that shows the reconstructions is tagged, and its code also skips itself on own records.
    for c in cells:
        source = "".join(c["source"])
        if c["cell_type"] == "code" and re.search(
            r"replicate_table|plot_replicates|size_table|plot_by_study_size", source
        ):
            assert "synthetic-only" in c["metadata"].get("tags", []) and 'result.data["own_records"]' in source


def test_n_replicates_is_validated():
    with pytest.raises(ParameterError, match="n_replicates"):
        fv.run({"n_replicates": 5})


def test_replicate_figures_draw(default):
    for fig in (fv.plot_replicates(default), fv.plot_by_study_size(default)):
        assert fig.axes
        plt.close(fig)


@settings(max_examples=60, deadline=None)
@given(
    counts=hnp.arrays(np.int64, (2, 3, 2), elements=st.integers(0, 40)),
    months=hnp.arrays(float, (2, 3, 2), elements=st.floats(0.5, 30.0)),
    scale=st.floats(0.1, 10.0),
)
def test_closed_form_properties(counts, months, scale):
    """Swapping the routes inverts the ratio with the same standard errors; measuring time in other units
    changes nothing."""
    assume((counts.sum(axis=(1, 2)) > 0).all())
    fit = fv.poisson_rate_ratios(counts, months)
    swapped = fv.poisson_rate_ratios(counts[::-1], months[::-1])
    rescaled = fv.poisson_rate_ratios(counts, months * scale)
    assert swapped.log_rate_ratio == pytest.approx(-fit.log_rate_ratio, abs=1e-9)
    for name in ("se_model", "se_quasi", "se_cluster"):
        assert getattr(swapped, name) == pytest.approx(getattr(fit, name), rel=1e-9, abs=1e-12)
        assert getattr(rescaled, name) == pytest.approx(getattr(fit, name), rel=1e-7, abs=1e-12)
    assert rescaled.log_rate_ratio == pytest.approx(fit.log_rate_ratio, abs=1e-9)


def test_the_coverage_verdict_follows_the_monte_carlo_error(default):
    s = default.scalars
    gap = (s["rep_rate_ratio_coverage"] - s["ci_level"]) / s["rep_rate_ratio_coverage_mcse"]
    expected = "below" if gap < -2 else "above" if gap > 2 else "within"
    assert s["coverage_verdict_text"].startswith(expected)


def test_the_page_runs_on_own_records_without_reconstructions(tmp_path, small):
    """The notebook itself (not only run()) runs on own records: the cells that show the reconstructions are
    skipped, and results.json holds no summary across draws."""
    path = tmp_path / "mine.csv"
    small.to_csv(path, index=False)
    out = tmp_path / "out"
    exe = str(Path(sys.executable).parent / "compendium")
    res = subprocess.run(
        [
            exe,
            "run",
            "frontline_visits",
            "-p",
            "data_path",
            str(path),
            "--out",
            str(out),
            "--no-cache",
            "--no-progress",
        ],
        capture_output=True,
        text=True,
        env={
            "PATH": str(Path(sys.executable).parent),
            "HOME": str(tmp_path),
            # matplotlib's font cache: the run's own (`make test` shares one) rather than one built afresh
            "MPLCONFIGDIR": os.environ.get("MPLCONFIGDIR", str(tmp_path / "mpl")),
        },
        timeout=600,
    )
    assert res.returncode == 0, res.stderr
    results = (out / "results.json").read_text(encoding="utf-8")
    assert '"rep_' not in results and "your own records" in results


def test_every_simulated_number_is_printed_by_the_precision_rule(default):
    """The brief, the landing paragraph and the body print every number that has a Monte Carlo error by the one
    precision rule (a template's mc spec, or the glued ``_text``); the rule gives the replicate range two decimals
    at the page's number of reconstructions, and fewer where its error is larger."""
    assert raw_simulated_numbers("frontline_visits", default.scalars) == []
    s = default.scalars
    assert s["rep_rate_ratio_range_low_text"] == f"{s['rep_rate_ratio_range_low']:.2f}"
    assert s["rep_rate_ratio_range_high_text"] == f"{s['rep_rate_ratio_range_high']:.2f}"
    assert len(s["rep_small_rate_ratio_range_high_text"]) < len(f"{s['rep_small_rate_ratio_range_high']:.2f}")


def test_the_precision_check_finds_a_raw_simulated_number(default, monkeypatch):
    monkeypatch.setattr(fv, "landing", lambda scalars: "from {rep_rate_ratio_range_low:.2f}")
    assert raw_simulated_numbers("frontline_visits", default.scalars) == ["template {rep_rate_ratio_range_low:.2f}"]


def test_every_number_the_shared_cells_glue_exists_in_a_run_on_own_records(tmp_path, small):
    """With the synthetic-only cells dropped, the page on the user's records misses no glued key: every key that an
    untagged Markdown cell or figure caption names is among the scalars of a run on own records."""
    path = tmp_path / "mine.csv"
    small.to_csv(path, index=False)
    scalars = fv.run({"data_path": str(path)}).scalars
    cells = json.loads((ROOT / "notebooks" / "frontline_visits.ipynb").read_text(encoding="utf-8"))["cells"]
    shared = [c for c in cells if "synthetic-only" not in c["metadata"].get("tags", [])]
    text = "\n".join("".join(c["source"]) for c in shared if c["cell_type"] == "markdown")
    text += "\n".join(json.dumps(c["metadata"].get("mystnb", {})) for c in shared)
    keys = {m.group(1).split(":")[0] for m in re.finditer(r"\{(?:glue:text|num|glue)\}`([^`]+)`", text)}
    keys -= {"provenance"}  # glued by glue_provenance
    assert keys and not sorted(keys - set(scalars))


def test_the_frontline_and_study_design_pages_agree():
    """The two pages share the Frontline evaluation's figures and one assumption: the share of cases (families)
    that keep one social worker throughout."""
    from helpers.analyses import study_design_power as sdp

    assert fv.PARAMETERS.defaults()["share_single_worker"] == sdp.PARAMETERS.defaults()["eligibility_rate"]
    for name in ("published_workers_low", "published_workers_high"):
        assert fv.KINDS.figures[name] == sdp.KINDS.figures[name]


# ---------------------------------------------------------------- what the page may say (review of the built book)
@pytest.fixture(scope="module")
def quick():
    return fv.run({"n_replicates": 400})


@pytest.mark.parametrize("icc, dispersion, cases", [(0.2, 0.3, 5), (0.05, 1.0, 3), (0.6, 0.1, 12)])
def test_workers_for_the_target_is_the_smallest_whole_number_that_reaches_it(icc, dispersion, cases):
    """Rounded up, never to the nearest: 24 workers (79.8 % by default) fall short, 25 reach the target."""
    p = fv.PARAMETERS.validate({"icc": icc, "dispersion": dispersion, "cases_per_worker": cases})
    needed = fv.workers_for_target(p)
    inputs = {k: p[k] for k in ("mean_visits_frontline", "mean_visits_other", "icc", "dispersion", "cases_per_worker")}

    def at(g: int) -> float:
        return float(fv.expected_detection({**inputs, "n_workers_per_group": g}, p.ci_level))

    assert isinstance(needed, int)
    assert at(needed) >= fv.DETECTION_TARGET > at(needed - 1)


def test_the_published_ratio_is_a_ratio_of_averages_and_the_study_sizes_are_assumed(quick):
    """The source gives averages with no time window: the brief calls their ratio a ratio of average visits and
    says the reconstructions assume equal follow-up; the card and the brief say the range of sizes is assumed."""
    from helpers.page.narrative import render

    b = fv.brief(quick.scalars, quick.params)
    text = " ".join(render(i, b.ctx, "text") for i in b.items)
    ratio = f"{quick.scalars['published_visits_ratio']:.2f}"
    assert f"ratio of average visits of {ratio}" in text and f"rate ratio of {ratio}" not in text
    assert "equal follow-up" in text and "assumes" in text
    assert "assumes" in fv.CARD.adds and "evidence allows" not in fv.CARD.adds + fv.SUMMARY
    needed = quick.scalars["workers_for_detection_target"]
    assert f"at least {needed} [M] workers" in text


def test_the_one_draw_is_placed_among_the_reconstructions(quick):
    """Where the one draw analysed in full falls, computed from the replicates (not a seed chosen to look typical)."""
    from helpers.stats import montecarlo

    s = quick.scalars
    draws = quick.tables["replicates"]
    values = draws.loc[draws["estimate"] == "rate_ratio", "value"].to_numpy()
    below = float(np.mean(values < s["rate_ratio_poisson"]))
    assert s["one_draw_share_below"] == pytest.approx(below)
    assert s["one_draw_share_below_mcse"] == pytest.approx(math.sqrt(below * (1 - below) / values.size))
    shown = montecarlo.text(below, s["one_draw_share_below_mcse"], "percent")
    assert f"above that of {shown} of the {values.size:,} reconstructions" in s["rate_ratio_caveat_text"]


def test_the_sensitivity_table_is_written_for_readers(quick):
    """Whole cases per worker (the model is evaluated at them), detection as percentages, >99% not 100%."""
    raw = quick.tables["tornado"]
    table = fv.sensitivity_table(quick).set_index("assumption")
    cases = raw.set_index("input").loc["cases_per_worker"]
    assert cases["low_value"] == round(cases["low_value"]) and cases["high_value"] == round(cases["high_value"])
    row = table.loc[cases["label"]]
    assert row["low value"] == f"{cases['low_value']:.0f}"
    for column in ("detection at low", "detection at high"):
        assert all(re.fullmatch(r"(>99|<1|\d{1,2})%", v) for v in table[column]), table[column]
    assert fv.sensitivity_table.__module__.endswith("tables")
    from helpers.analyses.frontline_visits.phrases import approximate_percent

    assert approximate_percent(0.9992) == ">99%" and approximate_percent(0.994) == "99%"
    assert approximate_percent(0.001) == "<1%" and approximate_percent(0.8301) == "83%"
