"""Link social worker: synthetic reconstruction, count regression, power, own records and their errors.

Statistics are checked against independent implementations: the Poisson rate ratio and its Wald
interval in closed form; the NB2 dispersion by maximising the profile likelihood with scipy and the
NB2 standard error from the Fisher information; the power formula written out, and by simulation.
"""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, special
from scipy import stats as sps
from statsmodels.stats.rates import power_negbin_ratio_2indep

from helpers.analyses import link_worker_monitoring as lw
from helpers.engine import runner
from helpers.engine.paths import NOTEBOOKS
from helpers.inputs.records import RecordsError
from helpers.page.registry import published
from helpers.params import ParameterError
from helpers.stats import montecarlo

HEADER = "case_id,centre,link_worker,professionals"


@pytest.fixture(scope="module")
def default():
    return lw.run({})


def _frame(with_counts, without_counts):
    rows = [("yes", y) for y in with_counts] + [("no", y) for y in without_counts]
    return pd.DataFrame(
        {
            "case_id": [f"c{i}" for i in range(len(rows))],
            "centre": ["L" if g == "yes" else "O" for g, _ in rows],
            "link_worker": [g for g, _ in rows],
            "professionals": [y for _, y in rows],
        }
    )


def _write(tmp_path, text, name="records.csv"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def _good_text(n_per_group=12, seed=3):
    rng = np.random.default_rng(seed)
    lines = [HEADER]
    for i in range(n_per_group):
        lines.append(f"a{i},North,yes,{rng.poisson(2.0)}")
        lines.append(f"b{i},South,no,{rng.poisson(1.2)}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- parameters and defaults
def test_defaults_come_from_the_registry(default):
    assert lw.PARAMETERS.defaults()["n_cases"] == published("link_cases")
    s = default.scalars
    assert s["n_cases"] == published("link_cases") == s["n_with"] + s["n_without"]
    assert s["link_months_published"] == published("link_months")
    assert s["is_synthetic"] is True and "synthetic" in s["data_source_text"]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"share_link": 1.0}, "parameter 'share_link' = 1.0 is not allowed: expected a number in (0, 1)"),
        (
            {"count_model": "zip"},
            "parameter 'count_model' = 'zip' is not allowed: expected one of negative-binomial, poisson",
        ),
        ({"dispersion": -0.1}, "parameter 'dispersion' = -0.1 is not allowed"),
        ({"power": 1.0}, "parameter 'power' = 1.0 is not allowed"),
        ({"n_cases": 3}, "parameter 'n_cases' = 3 is not allowed"),
        (
            {"data_path": "/no/such/file.csv"},
            "parameter 'data_path' = '/no/such/file.csv' is not allowed (no such file)",
        ),
        ({"min_cell_count": 0}, "parameter 'min_cell_count' = 0 is not allowed"),
    ],
)
def test_bad_parameters_are_refused(params, message):
    with pytest.raises(ParameterError) as err:
        lw.run(params)
    assert message in str(err.value)


# ---------------------------------------------------------------- synthetic reconstruction
def test_synthesis_is_seeded_and_has_the_published_design():
    a = lw.synthesise_cases(79, 0.5, 1.5, 1.5, 0.3, np.random.default_rng(1))
    b = lw.synthesise_cases(79, 0.5, 1.5, 1.5, 0.3, np.random.default_rng(1))
    c = lw.synthesise_cases(79, 0.5, 1.5, 1.5, 0.3, np.random.default_rng(2))
    pd.testing.assert_frame_equal(a, b)
    assert not a["professionals"].equals(c["professionals"])
    assert len(a) == 79 and a["case_id"].is_unique
    assert (a["link_worker"] == "yes").sum() == round(79 * 0.5)
    assert a["programme"].nunique() == published("link_programmes")
    link_centres = a.loc[a["link_worker"] == "yes", "centre"].unique()
    assert len(link_centres) == published("link_children_centres")  # one centre with the link worker per programme
    assert (a.groupby("centre")["link_worker"].nunique() == 1).all()
    lw.check_records(a, 5, "synthetic")  # the synthetic cases pass the own-records checks


def test_split_keeps_both_groups():
    f = lw.synthesise_cases(10, 0.01, 1.0, 1.0, 0.0, np.random.default_rng(0))
    assert (f["link_worker"] == "yes").sum() == 1 and (f["link_worker"] == "no").sum() == 9


def test_large_synthetic_samples_recover_the_generator():
    mu0, ratio, alpha = 1.5, 1.8, 0.4
    f = lw.synthesise_cases(40_000, 0.5, mu0, ratio, alpha, np.random.default_rng(11))
    with_ = f.loc[f["link_worker"] == "yes", "professionals"]
    without = f.loc[f["link_worker"] == "no", "professionals"]
    assert without.mean() == pytest.approx(mu0, rel=0.03)
    assert with_.mean() / without.mean() == pytest.approx(ratio, rel=0.04)
    # NB2 variance: mu + alpha mu^2
    assert without.var() == pytest.approx(mu0 + alpha * mu0**2, rel=0.06)
    fit = lw.fit_count_model(f, "negative-binomial")
    assert fit.dispersion == pytest.approx(alpha, rel=0.1)
    assert fit.low < ratio < fit.high


def test_zero_dispersion_is_poisson():
    f = lw.synthesise_cases(40_000, 0.5, 2.0, 1.0, 0.0, np.random.default_rng(5))
    assert f["professionals"].var() == pytest.approx(f["professionals"].mean(), rel=0.04)


# ---------------------------------------------------------------- count regression
def test_poisson_rate_ratio_and_interval_by_hand():
    # with: 0,1,2,3,4 (total 10, mean 2); without: 0,1,1,0,3 (total 5, mean 1).
    # Poisson MLE with a binary covariate: RR = 2/1; se(log RR) = sqrt(1/10 + 1/5).
    fit = lw.fit_count_model(_frame([0, 1, 2, 3, 4], [0, 1, 1, 0, 3]), "poisson", 0.95)
    se = math.sqrt(1 / 10 + 1 / 5)
    z = sps.norm.ppf(0.975)
    assert fit.rate_ratio == pytest.approx(2.0, rel=1e-6)
    assert fit.low == pytest.approx(2 * math.exp(-z * se), rel=1e-5)
    assert fit.high == pytest.approx(2 * math.exp(z * se), rel=1e-5)
    assert fit.p_value == pytest.approx(2 * sps.norm.sf(math.log(2) / se), rel=1e-5)
    assert fit.dispersion is None and fit.converged


def _nb2_loglik(alpha, y, mu):
    r = 1 / alpha
    return np.sum(
        special.gammaln(y + r)
        - special.gammaln(r)
        - special.gammaln(y + 1)
        + r * np.log(r / (r + mu))
        + y * np.log(mu / (r + mu))
    )


def test_negative_binomial_against_an_independent_fit():
    f = lw.synthesise_cases(400, 0.4, 1.5, 1.6, 0.5, np.random.default_rng(7))
    link = (f["link_worker"] == "yes").to_numpy()
    y = f["professionals"].to_numpy(float)
    m1, m0 = y[link].mean(), y[~link].mean()
    n1, n0 = link.sum(), (~link).sum()
    # With a binary covariate the NB2 MLE of each group's mean is the group mean, for any alpha, so alpha
    # maximises the profile likelihood with the group means plugged in.
    mu = np.where(link, m1, m0)
    alpha_hat = optimize.minimize_scalar(
        lambda a: -_nb2_loglik(a, y, mu), bounds=(1e-6, 10), method="bounded", options={"xatol": 1e-10}
    ).x
    # Fisher information for log(mean) in NB2 is n mu / (1 + alpha mu), orthogonal to alpha.
    se = math.sqrt((1 / m1 + alpha_hat) / n1 + (1 / m0 + alpha_hat) / n0)
    z = sps.norm.ppf(0.95)
    fit = lw.fit_count_model(f, "negative-binomial", 0.90)
    assert fit.rate_ratio == pytest.approx(m1 / m0, rel=1e-5)
    assert fit.dispersion == pytest.approx(alpha_hat, rel=1e-4)
    assert fit.low == pytest.approx(m1 / m0 * math.exp(-z * se), rel=1e-4)
    assert fit.high == pytest.approx(m1 / m0 * math.exp(z * se), rel=1e-4)
    assert fit.converged


def test_negative_binomial_interval_is_wider_than_poisson_when_overdispersed():
    f = lw.synthesise_cases(300, 0.5, 1.5, 1.5, 1.0, np.random.default_rng(9))
    nb, po = lw.fit_count_model(f, "negative-binomial"), lw.fit_count_model(f, "poisson")
    assert nb.rate_ratio == pytest.approx(po.rate_ratio, rel=1e-5)
    assert (nb.high / nb.low) > (po.high / po.low)


def test_unknown_model_is_refused():
    with pytest.raises(ValueError, match=r"count model 'ols'"):
        lw.fit_count_model(_frame([1, 2], [1, 0]), "ols")


# ---------------------------------------------------------------- power
def _power_by_formula(ratio, mu0, n1, n0, k, alpha):
    """Wald test of log(rate ratio), variance under the alternative (written out independently)."""
    var = (1 / mu0 + k) / n0 + (1 / (mu0 * ratio) + k) / n1
    d, z = abs(math.log(ratio)) / math.sqrt(var), sps.norm.ppf(1 - alpha / 2)
    return sps.norm.cdf(d - z) + sps.norm.cdf(-d - z)


@pytest.mark.parametrize(
    "args", [(1.5, 1.5, 40, 39, 0.3, 0.05), (1.2, 2.0, 100, 50, 0.0, 0.05), (0.7, 3.0, 30, 30, 1.0, 0.1)]
)
def test_power_against_the_formula(args):
    assert lw.power_for_ratio(*args) == pytest.approx(_power_by_formula(*args), rel=1e-9)


def test_power_at_no_difference_is_alpha():
    assert lw.power_for_ratio(1.0, 1.5, 40, 39, 0.3, 0.05) == 0.05


def test_detectable_ratio_has_the_target_power_and_behaves():
    r = lw.detectable_ratio(1.5, 40, 39, 0.3, 0.05, 0.8)
    assert _power_by_formula(r, 1.5, 40, 39, 0.3, 0.05) == pytest.approx(0.8, abs=1e-8)
    assert lw.detectable_ratio(1.5, 160, 156, 0.3, 0.05, 0.8) < r  # more cases: smaller detectable difference
    assert lw.detectable_ratio(1.5, 40, 39, 1.0, 0.05, 0.8) > r  # more dispersion: larger
    assert lw.detectable_ratio(1.5, 40, 39, 0.3, 0.05, 0.9) > r  # more power: larger


def test_detectable_ratio_by_simulation():
    """At the detectable ratio, a Poisson Wald test (closed form) rejects in about 80 % of simulated studies."""
    mu0, n1, n0 = 1.5, 40, 39
    r = lw.detectable_ratio(mu0, n1, n0, 0.0, 0.05, 0.8)
    rng = np.random.default_rng(123)
    sims = 4000
    y1 = rng.poisson(mu0 * r, size=(sims, n1)).sum(axis=1)
    y0 = rng.poisson(mu0, size=(sims, n0)).sum(axis=1)
    ok = (y1 > 0) & (y0 > 0)
    z = np.log((y1[ok] / n1) / (y0[ok] / n0)) / np.sqrt(1 / y1[ok] + 1 / y0[ok])
    rejected = (np.abs(z) > sps.norm.ppf(0.975)).mean()
    assert rejected == pytest.approx(0.8, abs=0.03)


def test_cases_needed():
    n = lw.cases_needed(1.5, 1.5, 0.5, 0.3, 0.05, 0.8)
    assert lw.power_for_ratio(1.5, 1.5, n / 2, n / 2, 0.3, 0.05) >= 0.8
    assert lw.power_for_ratio(1.5, 1.5, (n - 1) / 2, (n - 1) / 2, 0.3, 0.05) < 0.8
    assert lw.cases_needed(1.0, 1.5, 0.5, 0.3, 0.05, 0.8) is None


def test_run_reports_what_the_study_can_show(default):
    s, p = default.scalars, default.params
    assert s["mdrr"] == pytest.approx(
        lw.detectable_ratio(p["mean_without"], s["n_with"], s["n_without"], p["dispersion"], p["alpha"], p["power"])
    )
    assert s["mdd_professionals"] == pytest.approx(p["mean_without"] * (s["mdrr"] - 1))
    assert s["power_at_assumed"] == pytest.approx(_power_by_formula(1.5, 1.5, s["n_with"], s["n_without"], 0.3, 0.05))
    assert s["cases_needed_for_assumed"] > s["n_cases"]  # the assumed difference needs a bigger study
    assert s["rr_ci_low"] < s["rate_ratio_est"] < s["rr_ci_high"]
    assert s["interval_verdict"].startswith("includes" if s["rr_ci_low"] < 1 < s["rr_ci_high"] else "excludes")
    none = lw.run({"rate_ratio": 1.0}).scalars
    assert none["power_at_assumed"] == 0.05 and "cases_needed_for_assumed" not in none


def test_synthetic_run_is_seeded(default):
    assert lw.run({}).scalars == default.scalars
    assert lw.run({"seed": 1}).scalars["rate_ratio_est"] != default.scalars["rate_ratio_est"]


# ---------------------------------------------------------------- own records
def test_own_records_are_used_and_hashed(tmp_path):
    path = _write(tmp_path, _good_text())
    r = lw.run({"data_path": path})
    s = r.scalars
    assert s["is_synthetic"] is False and s["data_source_text"] == "your records (records.csv)"
    assert s["n_with"] == s["n_without"] == 12 and s["n_centres"] == 2
    assert path in r.inputs and "true_rate_ratio" not in s
    frame = lw.load_records(path, 5)
    assert s["mean_with"] == pytest.approx(frame.loc[frame["link_worker"] == "yes", "professionals"].mean())
    assert s["planning_source_text"] == "the estimates from your records"
    lw.check_inputs({"data_path": path})  # no error


def test_optional_programme_column_is_accepted(tmp_path):
    text = _good_text().replace(HEADER, HEADER + ",programme")
    text = "\n".join(line + (",P1" if i else "") for i, line in enumerate(text.strip().splitlines())) + "\n"
    assert lw.run({"data_path": _write(tmp_path, text)}).scalars["n_cases"] == 24


def test_tables_from_own_records_are_suppressed(tmp_path):
    r = lw.run({"data_path": _write(tmp_path, _good_text())})
    table = r.tables["bands"]
    assert "[c]" in table.to_numpy()
    assert "suppressed" in r.scalars["table_note"]
    assert r.data["band_mask"] is not None
    counts = r.data["band_counts"]
    totals = counts.sum(axis=1)
    assert ((totals == 0) | (totals >= 5)).all()  # sparse bands merged: no small band total is shown


def test_merge_bands():
    values = np.array([0] * 6 + [1] * 6 + [2] * 2 + [3] * 1 + [7] * 3)
    bands = lw.merge_bands(values, 5)
    assert [lw.band_label(b) for b in bands] == ["0", "1", "2 or more"]
    assert lw.merge_bands(values, 1) == list(lw.BANDS)
    assert [lw.band_label(b) for b in lw.merge_bands(np.array([0, 0, 3, 3, 3, 3, 3]), 5)] == [
        "0–3",
        "4",
        "5 or more",
    ]  # 0 (2 cases) absorbs empty 1 and 2, then 3


@pytest.mark.parametrize(
    "body, expected",
    [
        ("case_id,centre,professionals\na,X,1\n", "missing column(s) 'link_worker'"),
        (f"{HEADER},notes\na,X,yes,1,hi\n", "unexpected column(s) 'notes'"),
        (f"{HEADER}\na,X,maybe,1\n", "column 'link_worker': value is not one of ['yes', 'no'] at file line(s) 2"),
        (f"{HEADER}\na,X,yes,two\n", "column 'professionals': value is not a whole number at file line(s) 2"),
        (f"{HEADER}\na,X,yes,1.5\n", "column 'professionals': value is not a whole number at file line(s) 2"),
        (f"{HEADER}\na,X,yes,-1\n", "column 'professionals': value is negative (must be 0 or more) at file line(s) 2"),
        (f"{HEADER}\na,X,yes,\n", "column 'professionals': value is empty at file line(s) 2"),
        (
            f"{HEADER}\na,X,yes,1\na,Y,no,2\n",
            "column 'case_id': value is duplicated (must be unique) at file line(s) 2, 3",
        ),
        (f"{HEADER}\n", "the file has no data rows"),
        ("", "not a readable CSV file"),
    ],
)
def test_each_kind_of_bad_records_file(tmp_path, body, expected):
    path = _write(tmp_path, body)
    with pytest.raises(RecordsError) as err:
        lw.check_inputs({"data_path": path})
    assert str(path) in str(err.value).splitlines()[0]
    assert any(expected in p for p in err.value.problems), err.value.problems


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "records.csv"
    path.write_bytes(b"\xff\xfe\x00\x01\x89PNG\x00\x00")
    with pytest.raises(RecordsError, match=r"not a readable CSV file|failed validation"):
        lw.check_inputs({"data_path": str(path)})


def test_a_centre_cannot_both_have_and_not_have_the_link_worker(tmp_path):
    text = _good_text() + "z1,North,no,2\n"
    with pytest.raises(RecordsError) as err:
        lw.check_inputs({"data_path": _write(tmp_path, text)})
    assert any("centre 'North' has both 'yes' and 'no'" in p for p in err.value.problems)


def test_each_group_needs_enough_cases(tmp_path):
    text = HEADER + "\n" + "".join(f"a{i},North,yes,1\n" for i in range(8)) + "b1,South,no,1\nb2,South,no,0\n"
    path = _write(tmp_path, text)
    with pytest.raises(RecordsError) as err:
        lw.check_inputs({"data_path": path})
    assert any(
        "2 case(s) without the link worker ('no'); the comparison needs at least min_cell_count = 5" in p
        for p in err.value.problems
    )
    # Allowed with a lower threshold; at 2 the group's size and mean would fix its split (one case each at 0
    # and 1: a count of 1), so the records are refused for that instead.
    lw.check_inputs({"data_path": path, "min_cell_count": 1})
    with pytest.raises(RecordsError, match="would reveal a count below min_cell_count = 2"):
        lw.check_inputs({"data_path": path, "min_cell_count": 2})


def test_a_group_with_no_professionals_at_all_is_refused(tmp_path):
    text = (
        HEADER
        + "\n"
        + "".join(f"a{i},North,yes,1\n" for i in range(6))
        + "".join(f"b{i},South,no,0\n" for i in range(6))
    )
    with pytest.raises(RecordsError) as err:
        lw.check_inputs({"data_path": _write(tmp_path, text)})
    assert any("every case without the link worker has 0 professionals involved" in p for p in err.value.problems)


def test_bad_records_stop_a_run_before_anything_is_written(tmp_path, runs_tmp):
    path = _write(tmp_path, f"{HEADER}\na,X,maybe,1\n")
    with pytest.raises(RecordsError):
        runner.execute("link_worker_monitoring", {"data_path": path}, progress=False)
    assert not runs_tmp.exists() or not any(runs_tmp.rglob("*.ipynb"))


# ---------------------------------------------------------------- results and figures
def test_hidden_bands_are_not_drawn_for_own_records(tmp_path):
    import matplotlib.pyplot as plt

    own = lw.run({"data_path": _write(tmp_path, _good_text(n_per_group=40))})
    mask = own.data["band_mask"][[lw.WITH, lw.WITHOUT]].to_numpy()
    assert mask.any() and not mask.all()
    fig = lw.plot_professionals(own)
    heights = np.array([b.get_height() for b in fig.axes[0].patches], float).reshape(2, -1).T
    assert np.array_equal(np.isnan(heights), mask)  # a bar is left out exactly where its count is hidden
    plt.close(fig)


def test_figures_are_drawn(default, tmp_path):
    import matplotlib.pyplot as plt

    own = lw.run({"data_path": _write(tmp_path, _good_text())})
    for result in (default, own):
        plots = [lw.plot_professionals, lw.plot_rate_ratio, lw.plot_power, lw.plot_dependence]
        for plot in plots + ([lw.plot_replicates] if result.data["synthetic"] else []):
            fig = plot(result)
            for ax in fig.axes:
                assert ax.get_xlabel(), plot.__name__
            plt.close(fig)
    # the dependence figure's line is named for what it shows, as the page calls it (not "headline")
    fig = lw.plot_dependence(default)
    assert "smallest detectable ratio" in [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    plt.close(fig)


# ---------------------------------------------------------------- many reconstructions
from helpers.page import kinds  # noqa: E402


@pytest.mark.parametrize("model", ["negative-binomial", "poisson"])
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_fast_count_fit_equals_the_statsmodels_fit(model, seed):
    """The closed-form replicate fit gives statsmodels' rate ratio, Wald interval and NB2 dispersion."""
    cases = lw.synthesise_cases(79, 0.5, 1.5, 1.5, 0.3, np.random.default_rng(seed))
    slow = lw.fit_count_model(cases, model, 0.9)
    rr, lo, hi, alpha = lw.fast_count_fit(
        cases["professionals"].to_numpy(), (cases["link_worker"] == "yes").to_numpy(), model, 0.9
    )
    assert (rr, lo, hi) == pytest.approx((slow.rate_ratio, slow.low, slow.high), rel=1e-6)
    assert alpha == pytest.approx(slow.dispersion or 0.0, rel=1e-5, abs=1e-9)


def test_fast_count_fit_at_the_boundary_and_with_an_empty_group():
    under = np.array([1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1, 1])  # less variable than Poisson
    link = np.arange(12) < 6
    frame = _frame(under[link], under[~link])
    slow = lw.fit_count_model(frame, "negative-binomial")
    assert slow.at_boundary
    rr, lo, hi, alpha = lw.fast_count_fit(under, link, "negative-binomial", 0.95)
    assert alpha == 0.0 and (rr, lo, hi) == pytest.approx((slow.rate_ratio, slow.low, slow.high), rel=1e-9)
    assert all(np.isnan(lw.fast_count_fit(np.r_[np.zeros(6), under[6:]], link, "poisson", 0.95)))


def test_reconstructions_cover_the_assumed_ratio_and_detect_as_often_as_the_power_formula_says():
    p = lw.PARAMETERS.validate({"n_replicates": 2000})
    _, summary = lw.reconstructions(p)
    row = summary.iloc[0]
    assert row["estimate"] == "rate_ratio" and row["n"] == 2000
    assert row["coverage"] == pytest.approx(0.95, abs=4 * row["coverage_mcse"] + 0.01)
    assert row["median"] == pytest.approx(1.5, abs=0.05)
    # Detection at the assumed ratio is the simulated power: close to the formula's (an approximation).
    formula = lw.power_for_ratio(1.5, 1.5, 40, 39, 0.3, 0.05)
    assert row["detection"] == pytest.approx(formula, abs=4 * row["detection_mcse"] + 0.04)
    # No difference: detection is the false-positive rate, about alpha.
    _, null = lw.reconstructions(lw.PARAMETERS.validate({"n_replicates": 2000, "rate_ratio": 1.0}))
    assert null.iloc[0]["detection"] < 0.09


def test_the_summary_states_replicates_not_one_draw(default):
    s = default.scalars
    assert s["rep_n"] == default.params["n_replicates"]
    for col in ("median", "range_low", "range_high", "coverage", "detection", "coverage_mcse", "detection_mcse"):
        assert f"rep_rate_ratio_{col}" in s
    assert s["rep_rate_ratio_median"] != s["rate_ratio_est"]
    assert len(default.tables["replicates"]) == default.params["n_replicates"]


def test_own_records_have_no_replicates(tmp_path):
    r = lw.run({"data_path": _write(tmp_path, _good_text())})
    assert not any(k.startswith("rep_") for k in r.scalars)
    assert "replicates" not in r.tables and "replicate_summary" not in r.tables


def test_kinds_cover_every_number_and_published_ones_are_registry_figures(default):
    numbers = [
        k
        for k, v in default.scalars.items()
        if isinstance(v, (int, float)) and not isinstance(v, bool) and not k.startswith("rep_")
    ]
    assert not [k for k in numbers if k not in lw.KINDS]
    for name, figure in lw.KINDS.figures.items():
        assert default.scalars[name] == published(figure), name
    assert kinds.summary_kind("link_worker_monitoring", "rep_rate_ratio_median") is kinds.Kind.SYNTHETIC
    with pytest.raises(kinds.KindError, match="one synthetic draw"):
        kinds.summary_kind("link_worker_monitoring", "rate_ratio_est")


def test_mdrr_dependence_is_found_with_the_sensitivity_machinery(default):
    dep = default.data["dependence"]
    s = default.scalars
    assert dep["tornado"].attrs["base_outcome"] == pytest.approx(s["mdrr"], rel=1e-6)
    assert dep["input"] == dep["tornado"]["input"].iloc[0]
    t = dep["table"]
    assert s["mdrr_at_vary_low"] == pytest.approx(t["outcome"].iloc[0], rel=1e-7)
    # Within the plausible range the detectable ratio never reaches the assumed 1.5 for 79 cases at dispersion 0.3:
    # the summary says so.
    assert ("mdrr_flip_at" in s) == bool(dep["flips"])
    if not dep["flips"]:
        assert t["outcome"].min() > s["assumed_rate_ratio"]
        assert "would not reliably detect" in s["mdrr_dependence_summary"]
    # A larger assumed ratio is detected over part of the range: the flip point has the assumed ratio as its ratio.
    big = lw.run({"rate_ratio": 2.0})
    if "mdrr_flip_at" in big.scalars:
        d = big.data["dependence"]
        model = lw.mdrr_model(lw.PARAMETERS.validate(big.params), big.scalars["n_cases"])
        point = {"mean_without": np.array([1.5]), "dispersion": np.array([0.3]), "share_link": np.array([40 / 79])}
        point[d["input"]] = np.array([big.scalars["mdrr_flip_at"]])
        assert model(point)[0] == pytest.approx(2.0, abs=5e-3)


def test_the_replicate_table_shows_the_summary(default):
    from helpers.stats.replicates import display_table

    summary = default.tables["replicate_summary"]
    t = display_table(summary, {"rate_ratio": "rate ratio"}, level=0.95)
    row, s = t.iloc[0], summary.iloc[0]
    assert row["estimate"] == "rate ratio" and row["value given to the generator"] == "1.50"
    # every simulated number at the precision its Monte Carlo error supports (helpers.stats.montecarlo)
    median = default.scalars["rep_rate_ratio_median_text"]
    assert row["median"] == montecarlo.text(s["median"], s["median_mcse"]) == median
    low, high = (montecarlo.text(s[f"range_{e}"], s[f"range_{e}_mcse"]) for e in ("low", "high"))
    assert row["central 95% range"] == f"{low} to {high}"
    cov = montecarlo.text(s["coverage"], s["coverage_mcse"], "percent")
    assert row["coverage"] == f"{cov} ({montecarlo.error_text(s['coverage_mcse'], 'percent')})"
    assert row["reconstructions analysed"] == "10,000 of 10,000"


# ---------------------------------------------------------------- the page: marks, precision, the narrative of the run
STEM = "link_worker_monitoring"


@pytest.fixture(scope="module")
def own(tmp_path_factory):
    path = tmp_path_factory.mktemp("own") / "centre_cases.csv"
    path.write_text(_good_text(n_per_group=20, seed=8))
    return lw.run({"data_path": str(path)})


def test_fast_count_fits_gives_each_reconstruction_its_own_fit():
    """All reconstructions at once equal each fitted alone, and statsmodels, whatever the mix of rows (over- and
    underdispersed, an empty group)."""
    rng = np.random.default_rng(4)
    rows = [lw.synthesise_cases(79, 0.5, 1.5, 1.5, a, np.random.default_rng(i)) for i, a in enumerate((0.3, 0, 1))]
    y = np.array([r["professionals"].to_numpy() for r in rows] + [rng.poisson(1.0, 79)])
    link = np.array([(r["link_worker"] == "yes").to_numpy() for r in rows] + [np.arange(79) < 40])
    y[-1][link[-1]] = 0  # no professional at all with the link worker: not estimable
    fits = lw.fast_count_fits(y, link, "negative-binomial", 0.95)
    for i, frame in enumerate(rows):
        slow = lw.fit_count_model(frame, "negative-binomial", 0.95)
        one = lw.fast_count_fit(y[i], link[i], "negative-binomial", 0.95)
        assert [f[i] for f in fits] == pytest.approx(list(one), rel=1e-7)  # (the likelihood is flat at its top)
        assert (fits[0][i], fits[1][i], fits[2][i]) == pytest.approx((slow.rate_ratio, slow.low, slow.high), rel=1e-6)
    assert all(np.isnan(f[-1]) for f in fits)


def test_simulated_numbers_are_printed_at_the_precision_their_monte_carlo_error_supports(default):
    s = default.scalars
    styles = {"median": "ratio", "range_low": "ratio", "range_high": "ratio", "coverage": "percent"}
    for name, style in {**styles, "detection": "percent"}.items():
        key = f"rep_rate_ratio_{name}"
        assert s[f"{key}_text"] == montecarlo.text(s[key], s[f"{key}_mcse"], style), key
    # The brief states the detection rate by the rule too (the {...:mc%} spec), not to a typed precision.
    assert f"{s['rep_rate_ratio_detection_text']} [S]" in lw.brief(s, default.params).text()
    # Fewer reconstructions support fewer digits: 200 give shares to ten points.
    few = lw.run({"n_replicates": 200})
    assert re.fullmatch(r"\d?0%", few.scalars["rep_rate_ratio_detection_text"])


def test_the_detectable_ratio_allows_for_cases_of_a_centre_being_alike(default):
    """Design effect 1 + (m − 1)ρ, and the detectable ratio with each group's cases divided by it, recomputed
    with statsmodels directly; no clustering, no allowance."""
    s, p = default.scalars, default.params
    m = s["n_cases"] / s["n_centres"]
    deff = 1 + (m - 1) * p["centre_icc"]
    assert s["design_effect_centre"] == pytest.approx(deff, rel=1e-12)

    def power(r):
        return power_negbin_ratio_2indep(
            1.5 * r,
            1.5,
            s["n_with"] / deff,
            nobs_ratio=s["n_without"] / s["n_with"],
            alpha=0.05,
            dispersion=0.3,
            method_var="alt",
            return_results=False,
        )

    assert power(s["mdrr_clustered"]) == pytest.approx(0.8, abs=1e-6)
    assert s["mdrr_clustered"] > s["mdrr"]
    flat = lw.run({"centre_icc": 0.0, "n_replicates": 10})
    assert flat.scalars["mdrr_clustered"] == pytest.approx(flat.scalars["mdrr"], rel=1e-9)


def test_a_ratio_against_the_published_finding_is_labelled(default):
    """The evaluation reported more professionals where the link worker was based: an assumed ratio of one or
    less is a scenario against it, and the page and the brief say so."""
    assert default.scalars["assumed_ratio_agrees"] is True
    assert "against" not in lw.brief(default.scalars, default.params).text()
    low = lw.run({"rate_ratio": 0.8, "n_replicates": 50})
    assert low.scalars["assumed_ratio_agrees"] is False
    assert "runs against the evaluation's finding" in low.scalars["assumed_direction_text"]
    assert "(against the finding)" in lw.brief(low.scalars, low.params).text()


def test_the_number_of_cases_keeps_its_published_mark_until_it_is_changed(default, own):
    assert kinds.resolve(STEM, "n_cases", default.scalars["n_cases"]) is kinds.Kind.PUBLISHED
    assert kinds.resolve(STEM, "n_cases", 100) is kinds.Kind.ASSUMPTION
    assert kinds.resolve(STEM, "n_cases", own.scalars["n_cases"], own_records=True) is kinds.Kind.RECORDS
    assert kinds.resolve(STEM, "seed") is kinds.Kind.SETTING  # a setting of the computation: unmarked
    assert kinds.resolve(STEM, "mdrr") is kinds.Kind.MODEL  # a model's result under stated assumptions


def test_the_brief_on_own_records_states_their_counts_marked_as_theirs_and_no_synthetic_wording(own):
    s = own.scalars
    assert s["own_records"] is True
    text = lw.brief(s, own.params).text()
    assert not re.search(r"synthetic|reconstruct|rebuilt|invented|assum", text, re.I), text
    # the counts it prints are the file's own, each marked D
    frame = pd.read_csv(own.params["data_path"])
    n_with, n_without = int((frame["link_worker"] == "yes").sum()), int((frame["link_worker"] == "no").sum())
    assert f"{s['mean_with']:.2f} [D] professionals each ({n_with} [D] cases)" in text
    assert f"({n_without} [D])" in text and "centre_cases.csv" in text
    assert lw.brief(s, own.params).words() <= 150


def _cells():
    return json.loads((NOTEBOOKS / f"{STEM}.ipynb").read_text(encoding="utf-8"))["cells"]


def _glued_keys(cell) -> set[str]:
    text = "".join(cell["source"]) + json.dumps(cell["metadata"].get("mystnb", {}))
    return {m.split(":")[0] for m in re.findall(r"\{glue:text\}`([^`]+)`", text)}


def test_the_page_without_its_synthetic_only_cells_is_true_of_own_records(own):
    """A run on the user's records leaves out the cells tagged synthetic-only: what remains glues only what that
    run computes and says nothing synthetic; what is left out is what only a reconstruction has."""
    kept = [c for c in _cells() if "synthetic-only" not in c["metadata"].get("tags", [])]
    dropped = [c for c in _cells() if "synthetic-only" in c["metadata"].get("tags", [])]
    assert dropped, "no cell is tagged synthetic-only"
    missing = set().union(*(_glued_keys(c) for c in kept)) - set(own.scalars)
    assert not missing, f"kept cells glue what a run on own records does not have: {missing}"
    # (the Parameters section, last, describes every parameter, those of the reconstruction among them)
    body = kept[: next(i for i, c in enumerate(kept) if "## Parameters" in "".join(c["source"]))]
    for cell in body:
        if cell["cell_type"] == "markdown":
            prose = re.sub(r"`[^`]*`|\(#[^)]*\)|\(link-[a-z-]+\)=", "", "".join(cell["source"]))
            assert not re.search(r"\bsynthetic\b|reconstruction|one draw|another seed", prose, re.I), prose[:200]
    assert any(k.startswith("rep_") for c in dropped for k in _glued_keys(c))


def test_the_card_links_a_target_on_the_page():
    anchors = re.findall(r"\(#([a-z0-9-]+)\)", lw.CARD.adds)
    text = "".join("".join(c["source"]) for c in _cells() if c["cell_type"] == "markdown")
    assert anchors and all(f"({a})=" in text for a in anchors)


# ---------------------------------------------------------------- few centres, the brief's wording, the card
def _power_between_centres_by_integral(r, mu0, n1, n0, alpha_nb, alpha, deff, df):
    """An independent computation: the two-sided test's power with the statistic (Z + δ)/√(W/df), Z standard
    normal and W chi-square on df, written as an integral over W (scipy.integrate), not scipy's noncentral t."""
    from scipy import integrate

    var = (1 / (r * mu0) + alpha_nb) / n1 + (1 / mu0 + alpha_nb) / n0
    delta = math.log(r) / math.sqrt(deff * var)
    crit = sps.t.ppf(1 - alpha / 2, df)

    def inner(w):
        s = crit * math.sqrt(w / df)
        return (sps.norm.sf(s - delta) + sps.norm.cdf(-s - delta)) * sps.chi2.pdf(w, df)

    return integrate.quad(inner, 0, np.inf, limit=200)[0]


@pytest.mark.parametrize("df", [1, 2, 5, 40])
def test_power_between_centres_against_an_independent_integral(df):
    args = (1.5, 40, 39, 0.3, 0.05, 1.9375, df)
    for r in (1.3, 2.0, 4.5, 12.0):
        got = lw.power_between_centres(r, *args)
        assert got == pytest.approx(_power_between_centres_by_integral(r, *args), abs=1e-6)


def test_the_detectable_ratio_between_few_centres_is_solved_independently_and_tends_to_the_normal_one(default):
    """With the reconstruction's 4 centres a test that allows for them has 2 degrees of freedom: the page's ratio
    is where the independent integral reaches the target power; with many centres it tends to the normal figure."""
    s = default.scalars
    assert s["n_centres"] == 4 and s["centre_df"] == 2
    deff = s["design_effect_centre"]

    def gap(r):
        return _power_between_centres_by_integral(r, 1.5, s["n_with"], s["n_without"], 0.3, 0.05, deff, 2) - 0.8

    assert s["mdrr_few_centres"] == pytest.approx(optimize.brentq(gap, 1.01, 50, xtol=1e-10), rel=1e-6)
    assert s["mdrr_few_centres"] > 2 * s["mdrr_clustered"] - 1  # far above the normal approximation's figure
    assert f"{s['mdrr_few_centres']:.1f}" in s["few_centres_text"] and "optimistic" in s["few_centres_text"]
    many = lw.detectable_ratio(1.5, s["n_with"], s["n_without"], 0.3, 0.05, 0.8, design_effect=deff, df=10**6)
    assert many == pytest.approx(s["mdrr_clustered"], rel=1e-4)
    with pytest.raises(ValueError, match="at least 3 centres"):
        lw.power_between_centres(2.0, 1.5, 40, 39, 0.3, 0.05, deff, 0)


def test_with_two_centres_the_page_says_no_test_can_allow_for_them(own):
    """The user's records hold two centres: no degrees of freedom are left, no ratio is stated, and the brief and
    the body say that no test can allow for cases of a centre being alike."""
    s = own.scalars
    assert s["n_centres"] == 2 and s["centre_df"] == 0 and "mdrr_few_centres" not in s
    assert "no reliable test of the difference exists" in s["few_centres_text"]
    assert "with 2 [D] centres, no test could allow for cases of a centre being alike" in lw.brief(s, own.params).text()


def test_the_brief_says_what_simulated_studies_found_in_plain_words(default):
    """One power figure in the brief (the simulated one, by the precision rule), as a share of studies that found a
    clear difference; the detectable ratio is said to rest on assumed values; the interviews' timing is given."""
    s = default.scalars
    text = lw.brief(s, default.params).text()
    assert f"only {s['rep_rate_ratio_detection_text']} [S] found a clear difference (p < 0.05 [A])" in text
    assert "ruled out" not in text and f"{s['power_at_assumed']:.0%}" not in text
    assert text.count("Under assumed values") == 1
    assert "4 [P] about 3 [P] months in, 11 [P] about 11 [P] months in" in text
    assert s["detection_p"] == pytest.approx(1 - default.params["ci_level"])
    # The body reconciles the two figures where the formula's is given.
    assert s["rep_rate_ratio_detection_text"] in s["power_simulated_note"] and "formula" in s["power_simulated_note"]
    other = lw.run({"ci_level": 0.9, "n_replicates": 20})
    assert "(p < 0.1 [A])" in lw.brief(other.scalars, other.params).text()
    assert "not by the test's level" in other.scalars["power_simulated_note"]


def test_the_landing_paragraph_says_its_detection_claim_rests_on_assumptions(default):
    assert "under the page's assumptions, a comparison that size detects only large differences" in lw.landing(
        default.scalars
    )


def test_the_card_keeps_findings_and_caveats_out_of_design_and_size():
    """Design and size shows the design and its size (all 15 interviews, 4 and 11); the casework finding is under
    what it found and the evaluators' caveat in a row of its own; the landing table's size counts every interview."""
    from helpers.page.cards import card_html, evidence_table_html
    from helpers.page.registry import figure

    rows = dict(re.findall(r'<th scope="row">([^<]+)</th><td>(.*?)</td></tr>', card_html(lw.CARD, STEM)))
    design = rows["Design and size"]
    assert "incompatible" not in design and "While a small evaluation" not in design
    assert "incompatible with a community social work role" in rows["What it found"]
    assert "While a small evaluation" in rows["Caveats"]
    assert (
        figure("link_interviews").value == figure("link_interviews_early").value + figure("link_interviews_late").value
    )
    assert figure("link_interviews").evidence == "inferred"
    assert "15 interviews" in design and "4 interviews" in design and "11 interviews" in design
    landing = evidence_table_html([(STEM, lw.CARD)])
    assert re.search(r"79 cases.*15 interviews", landing)
