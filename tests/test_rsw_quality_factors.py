"""RSW quality factors: the generator recovers its parameters, the analysis follows from its inputs,
and bad records files are refused with clear errors."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats as sps

from helpers.analyses import rsw_quality_factors as rsw
from helpers.engine import cli
from helpers.inputs.records import RecordsError
from helpers.inputs.suppression import MARKER
from helpers.page.registry import published
from helpers.params import ParameterError
from helpers.stats.clustered import clustered_ols, icc_anova, min_detectable_effect
from helpers.stats.mediation import mediation_bootstrap

REQUIRED = [
    *[f"coef_{k}{s}" for k in ("training", "csw", "discussion", "clinician") for s in ("", "_ci_low", "_ci_high")],
    "indirect_effect_clinician",
    "indirect_effect_clinician_ci_low",
    "indirect_effect_clinician_ci_high",
    "rsw_vs_sau_difference",
    "min_detectable_effect",
]


@pytest.fixture(scope="module")
def default():
    return rsw.run({"n_replicates": 300, "n_boot": 300})


def large(**changes):
    return rsw.PARAMETERS.validate({"n_observations": 200_000, "n_units": 20_000, **changes})


# ------------------------------------------------------------------ parameters and registry
def test_defaults_come_from_the_registry():
    assert rsw.PARAMETERS.defaults()["n_observations"] == published("rsw_practice_observations")
    assert len(rsw.SKILLS) == published("rsw_coded_skills")
    assert sum(published(i) for i in rsw.BAND_IDS.values()) == published("rsw_case_discussion_observations")
    assert {s for members in rsw.SKILL_GROUPS.values() for s in members} == set(rsw.SKILLS)


def test_required_results_are_present(default):
    assert set(REQUIRED) <= set(default.scalars)
    s = default.scalars
    for key in ("training", "csw", "discussion", "clinician"):
        assert s[f"coef_{key}_ci_low"] < s[f"coef_{key}"] < s[f"coef_{key}_ci_high"]
    assert (
        s["indirect_effect_clinician_ci_low"] < s["indirect_effect_clinician"] < s["indirect_effect_clinician_ci_high"]
    )


def test_parameter_rules_name_the_parameter():
    with pytest.raises(ParameterError, match="'n_units'"):
        rsw.PARAMETERS.validate({"n_units": 100, "n_observations": 50})
    with pytest.raises(ParameterError, match="'share_rsw_units'"):
        rsw.PARAMETERS.validate({"share_rsw_units": 0.05})
    with pytest.raises(ParameterError, match=r"'effect_clinician_on_discussion'.*published split"):
        rsw.PARAMETERS.validate({"effect_clinician_on_discussion": 4.0})


@pytest.mark.parametrize("key", ["training", "csw", "clinician"])
@pytest.mark.parametrize("share", [0.0, 1.0])
def test_a_factor_that_cannot_vary_is_refused_naming_its_shares(key, share):
    with pytest.raises(
        ParameterError, match=rf"'p_{key}_rsw' = {share}.*p_{key}_sau = {share}.*not both 0 and not both 1"
    ):
        rsw.PARAMETERS.validate({f"p_{key}_rsw": share, f"p_{key}_sau": share})
    rsw.PARAMETERS.validate({f"p_{key}_rsw": share, f"p_{key}_sau": 0.5})  # one arm fixed is fine


def test_a_synthetic_reconstruction_in_which_a_factor_does_not_vary_names_the_parameters():
    # allowed shares, but with 67 observations no one is in the CSW programme
    with pytest.raises(
        ParameterError,
        match=r"column 'csw_programme': every value is 0.*change 'p_csw_rsw', "
        r"'p_csw_sau' \(or n_observations or seed\)",
    ) as err:
        rsw.run({"p_csw_rsw": 0.001, "p_csw_sau": 0.0, "n_replicates": 10, "n_boot": 200})
    assert err.value.name == "p_csw_rsw"


def test_n_replicates_has_a_minimum_and_unanalysable_reconstructions_are_refused():
    with pytest.raises(ParameterError, match="'n_replicates'"):
        rsw.PARAMETERS.validate({"n_replicates": 0})
    # The old name is refused by name, listing the new one.
    with pytest.raises(ParameterError, match=r"unknown parameter 'n_sims'.*n_replicates"):
        rsw.PARAMETERS.validate({"n_sims": 10})
    p = rsw.PARAMETERS.validate({"p_csw_rsw": 1e-6, "p_csw_sau": 0.0, "n_replicates": 10})
    _, summary, tests = rsw.reconstructions(p)
    assert (summary["n_estimable"] == 0).all()
    with pytest.raises(ValueError, match=r"none of the n_replicates = 10 reconstructions could be analysed"):
        rsw.factor_power(tests, p)


# ------------------------------------------------------------------ calibration and generator
@pytest.mark.parametrize("effect, share", [(0.8, 0.7), (0.0, 0.5), (1.5, 0.3), (-0.5, 0.9)])
def test_calibration_gives_the_published_split(effect, share):
    d0, sd = rsw.calibrate_discussion(effect, share)
    rng = np.random.default_rng(0)
    clinician = rng.random(400_000) < share
    scores = d0 + effect * clinician + rng.normal(0, sd, clinician.size)
    observed = rsw.discussion_band(pd.Series(scores)).value_counts(normalize=True)
    total = published("rsw_case_discussion_observations")
    for band, fid in rsw.BAND_IDS.items():
        assert observed[band] == pytest.approx(published(fid) / total, abs=0.004)


def test_generator_recovers_its_own_parameters_on_a_large_sample():
    p = large()
    df = rsw.add_practice_quality(rsw.simulate_observations(p, bounded=False))
    truth = rsw.generator_truth(p)
    fit = sm.OLS(df["practice_quality"], sm.add_constant(df[list(rsw.FACTORS)])).fit()
    for factor in rsw.FACTORS:
        key = rsw.FACTOR_KEYS[factor]
        assert abs(fit.params[factor] - truth[key]) < 4 * fit.bse[factor] + 1e-3, factor
        assert fit.bse[factor] < 0.01
    # the intercept: baseline at the discussion midpoint
    assert fit.params["const"] - p["baseline_quality"] + p[
        "effect_discussion"
    ] * rsw.DISCUSSION_REFERENCE == pytest.approx(0, abs=0.02)
    # the clinician's effect on the discussion, and the discussion's spread
    a_fit = sm.OLS(df["discussion_quality"], sm.add_constant(df[["clinician_present"]])).fit()
    assert a_fit.params["clinician_present"] == pytest.approx(p["effect_clinician_on_discussion"], abs=0.01)
    assert np.sqrt(a_fit.scale) == pytest.approx(truth["discussion_sd"], abs=0.01)
    # unit and residual variation: the ICC of the residuals and the within-unit SD
    resid = fit.resid
    icc = p["unit_sd"] ** 2 / (p["unit_sd"] ** 2 + p["residual_sd"] ** 2)
    assert icc_anova(resid, df["unit_id"]) == pytest.approx(icc, abs=0.02)
    within = resid - resid.groupby(df["unit_id"]).transform("mean")
    m = df.groupby("unit_id").size().mean()
    assert np.sqrt((within**2).sum() / (len(df) - df["unit_id"].nunique())) == pytest.approx(p["residual_sd"], abs=0.01)
    assert m == 10
    # the arms' probabilities
    for arm, suffix in ((1, "rsw"), (0, "sau")):
        part = df[df["rsw"] == arm]
        assert part["systemic_training"].mean() == pytest.approx(p[f"p_training_{suffix}"], abs=0.01)
        assert part["csw_programme"].mean() == pytest.approx(p[f"p_csw_{suffix}"], abs=0.01)
        assert part["clinician_present"].mean() == pytest.approx(p[f"p_clinician_{suffix}"], abs=0.01)


def test_generator_recovers_the_indirect_effect_and_mediation_splits_exactly():
    p = large(n_observations=60_000, n_units=6_000)
    df = rsw.add_practice_quality(rsw.simulate_observations(p, bounded=False))
    med = mediation_bootstrap(
        df,
        "clinician_present",
        "discussion_quality",
        "practice_quality",
        ["systemic_training", "csw_programme"],
        groups="unit_id",
        strata="rsw",
        n_boot=200,
        rng=np.random.default_rng(1),
    )
    truth = rsw.generator_truth(p)
    assert med.indirect == pytest.approx(truth["indirect"], abs=0.02)
    assert med.direct == pytest.approx(truth["clinician"], abs=0.02)
    assert med.total == pytest.approx(truth["total_clinician"], abs=0.03)
    assert med.total == pytest.approx(med.direct + med.indirect, abs=1e-12)


def test_bounded_scores_are_on_the_scale_and_still_close():
    p = large(n_observations=100_000, n_units=10_000)
    raw = rsw.simulate_observations(p)
    skills = raw[list(rsw.SKILLS)].to_numpy()
    assert skills.min() >= rsw.SCALE_MIN and skills.max() <= rsw.SCALE_MAX
    assert np.array_equal(skills, np.round(skills))  # whole points, as coded
    assert raw["discussion_quality"].between(rsw.SCALE_MIN, rsw.SCALE_MAX).all()
    df = rsw.add_practice_quality(raw)
    fit = sm.OLS(df["practice_quality"], sm.add_constant(df[list(rsw.FACTORS)])).fit()
    truth = rsw.generator_truth(p)
    for factor in rsw.FACTORS:
        assert fit.params[factor] == pytest.approx(truth[rsw.FACTOR_KEYS[factor]], abs=0.03), factor
    # RSW discussions fall in the published bands (clipping at the scale ends does not move a band)
    bands = rsw.discussion_band(df.loc[df["rsw"] == 1, "discussion_quality"]).value_counts(normalize=True)
    total = published("rsw_case_discussion_observations")
    for band, fid in rsw.BAND_IDS.items():
        assert bands[band] == pytest.approx(published(fid) / total, abs=0.01)


def test_skills_group_as_the_framework_on_a_large_sample():
    p = large(n_observations=20_000, n_units=2_000)
    grouping = rsw.skill_grouping(rsw.simulate_observations(p))
    assert grouping["recovers"]
    assert grouping["within"] > grouping["between"] + 0.05
    # without group deviations there is no grouping to find
    flat = rsw.skill_grouping(rsw.simulate_observations(p.replace(skill_group_sd=0.0)))
    assert flat["within"] == pytest.approx(flat["between"], abs=0.02)
    assert not flat["recovers"]


def test_same_seed_same_results_and_another_seed_differs():
    a = rsw.run({"n_replicates": 10, "n_boot": 200})
    b = rsw.run({"n_replicates": 10, "n_boot": 200})
    c = rsw.run({"n_replicates": 10, "n_boot": 200, "seed": 1})
    assert a.scalars == b.scalars
    assert a.scalars["coef_discussion"] != c.scalars["coef_discussion"]


def test_statistics_follow_from_the_data(default):
    df = default.data["frame"]
    s = default.scalars
    q = df.groupby("rsw")["practice_quality"].mean()
    assert s["rsw_vs_sau_difference"] == pytest.approx(q[1] - q[0])
    assert s["n_observations"] == len(df) == s["n_rsw"] + s["n_sau"]
    assert df["practice_quality"].to_numpy() == pytest.approx(df[list(rsw.SKILLS)].mean(axis=1).to_numpy())
    assert s["total_effect_clinician"] == pytest.approx(s["direct_effect_clinician"] + s["indirect_effect_clinician"])
    assert s["coef_clinician"] == pytest.approx(s["direct_effect_clinician"])  # same model, same covariates
    assert s["min_detectable_effect"] > s["min_detectable_effect_independent"]  # clustering costs power


def test_more_clustering_raises_the_minimum_detectable_effect():
    low = rsw.run({"mde_icc": 0.0, "n_replicates": 10, "n_boot": 200}).scalars
    high = rsw.run({"mde_icc": 0.3, "n_replicates": 10, "n_boot": 200}).scalars
    # Without clustering the design effect is 1, but the units were still compared: their degrees of freedom.
    half = low["n_observations"] / 2
    assert low["min_detectable_effect"] == pytest.approx(
        min_detectable_effect(half, half, 0.05, 0.8, 1.0, df=low["n_units"] - 2), rel=1e-7
    )
    assert low["min_detectable_effect"] > low["min_detectable_effect_independent"]
    assert high["min_detectable_effect"] > low["min_detectable_effect"]


def test_the_detectable_difference_is_tested_on_the_units_degrees_of_freedom(default):
    """Issue 22: 20 units compared whole give a t test on 18 degrees of freedom: 0.81 standard deviations, not the
    0.78 of the observations' degrees of freedom."""
    s = default.scalars
    assert s["mde_df"] == s["n_units"] - 2 == 18
    assert f"{s['min_detectable_effect']:.2f}" == "0.81"
    assert f"{s['min_detectable_effect_observation_df']:.2f}" == "0.78"
    e = s["n_observations"] * s["mde_share_rsw"] / s["mde_design_effect"]  # equal arms: effective size of each
    assert s["min_significant_difference"] == pytest.approx(float(sps.t.isf(0.025, 18)) * np.sqrt(2 / e), rel=1e-7)


def test_power_simulation_tracks_effect_size():
    none = rsw.run({"effect_training": 0.0, "n_replicates": 100, "n_boot": 200}).scalars
    big = rsw.run({"effect_training": 1.5, "n_replicates": 100, "n_boot": 200}).scalars
    assert none["power_training"] < 0.15  # about alpha
    assert big["power_training"] > 0.95


# ------------------------------------------------------------------ own records
def write_records(tmp_path, frame, name="records.csv"):
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


def synthetic_records(**changes):
    return rsw.simulate_observations(rsw.PARAMETERS.validate(changes))


def test_own_records_run_the_same_analysis(tmp_path):
    path = write_records(tmp_path, synthetic_records())
    own = rsw.run({"data_path": str(path), "n_replicates": 10, "n_boot": 300})
    synthetic = rsw.run({"n_replicates": 10, "n_boot": 300})
    for key in REQUIRED:
        if key == "min_detectable_effect":  # own records: their own split; synthetic: the design's expected split
            continue
        assert own.scalars[key] == pytest.approx(synthetic.scalars[key], abs=1e-9), key
    assert own.scalars["mde_share_rsw"] == pytest.approx(own.scalars["n_rsw"] / own.scalars["n_observations"])
    assert own.scalars["data_source"] == "own records" and "records.csv" in own.scalars["data_source_text"]
    assert str(path) in own.inputs
    assert "assumed in the generator" not in rsw.coefficient_table(own).columns
    # Own records were not generated by the page: no split is said to be put in by assumption.
    assert "set here by assumption" in synthetic.scalars["clinician_split_text"]
    assert "estimated from them" in own.scalars["clinician_split_text"]


def test_small_counts_from_own_records_are_suppressed(tmp_path):
    frame = synthetic_records()
    path = write_records(tmp_path, frame)
    own = rsw.run({"data_path": str(path), "n_replicates": 10, "n_boot": 200, "min_cell_count": 5})
    table = own.tables["description"].set_index("observations")
    counts = pd.crosstab(frame["clinician_present"], frame["rsw"])
    small = counts[(counts > 0) & (counts < 5)].stack()
    assert len(small) > 0  # the default synthetic data have a small cell to protect
    assert (table == MARKER).to_numpy().sum() >= 2 * len(small)  # each with its complement
    for (clin, arm), _ in small.items():
        label = f"clinician in case discussion: {'yes' if clin else 'no'}"
        assert table.loc[label, "RSW" if arm else "service as usual"] == MARKER
    assert "suppressed" in own.data["suppression_note"]
    # the synthetic page does not suppress
    assert (rsw.run({"n_replicates": 10, "n_boot": 200}).tables["description"] == MARKER).to_numpy().sum() == 0


def test_a_small_arm_is_refused_by_name(tmp_path):
    frame = synthetic_records()
    sau_units = frame.loc[frame["rsw"] == 0, "unit_id"].unique()[:2]
    small = pd.concat([frame[frame["rsw"] == 1], frame[frame["unit_id"].isin(sau_units)].groupby("unit_id").head(2)])
    small = small.assign(clinician_present=lambda d: np.where(d.index % 2 == 0, 1, 0))
    path = write_records(tmp_path, small)
    # The arm's size is shown in the text (n_sau), so an arm below min_cell_count is refused, not shown.
    with pytest.raises(
        RecordsError, match=r"arm service as usual \(rsw = 0\) has 4 observation\(s\).*min_cell_count = 5"
    ):
        rsw.run({"data_path": str(path), "n_replicates": 10, "n_boot": 200, "min_cell_count": 5})
    with pytest.raises(RecordsError, match="min_cell_count = 5"):
        rsw.check_inputs({"data_path": str(path), "min_cell_count": 5})
    own = rsw.run({"data_path": str(path), "n_replicates": 10, "n_boot": 200, "min_cell_count": 4})
    assert own.tables["arms"].set_index("arm").loc["service as usual", "observations"] == "4"


def _problems(tmp_path, frame=None, text=None):
    path = tmp_path / "bad.csv"
    if text is not None:
        path.write_text(text)
    else:
        frame.to_csv(path, index=False)
    with pytest.raises(RecordsError) as err:
        rsw.check_inputs({"data_path": str(path)})
    assert str(path) in str(err.value).splitlines()[0]
    return "\n".join(err.value.problems)


def _good():
    return synthetic_records().astype(dict.fromkeys(rsw.COLUMNS, object))


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda d: d.drop(columns=["empathy"]), "missing column(s) 'empathy'"),
        (lambda d: d.assign(notes="x"), "unexpected column(s) 'notes'"),
        (
            lambda d: d.assign(**{"autonomy": d["autonomy"].where(d.index != 2, "high")}),
            "column 'autonomy': value is not a number at file line(s) 4 (value(s) 'high')",
        ),
        (
            lambda d: d.assign(**{"child_focus": d["child_focus"].where(d.index != 0, 6)}),
            "column 'child_focus': value is outside the scale 1 to 5 at file line(s) 2",
        ),
        (
            lambda d: d.assign(**{"discussion_quality": d["discussion_quality"].where(d.index != 5, 0.5)}),
            "column 'discussion_quality': value is outside the scale 1 to 5 at file line(s) 7",
        ),
        (
            lambda d: d.assign(**{"csw_programme": d["csw_programme"].where(d.index != 1, 2)}),
            "column 'csw_programme': value is not 0 or 1 (0 = no, 1 = yes) at file line(s) 3 (value(s) 2)",
        ),
        (
            lambda d: d.assign(**{"rsw": d["rsw"].where(d.index != 3, "perhaps")}),
            "column 'rsw': value is not a whole number at file line(s) 5 (value(s) 'perhaps')",
        ),
        (
            lambda d: d.assign(**{"empathy": d["empathy"].where(d.index != 4, None)}),
            "column 'empathy': value is empty at file line(s) 6",
        ),
        (
            lambda d: d.assign(**{"observation_id": d["observation_id"].where(d.index != 1, d["observation_id"][0])}),
            "column 'observation_id': value is duplicated (must be unique) at file line(s) 2, 3",
        ),
        (lambda d: d.assign(**{"rsw": d["rsw"].where(d.index != 0, 1 - d["rsw"][0])}), "column 'rsw': unit 'unit"),
        (
            lambda d: d.assign(csw_programme=0),
            "column 'csw_programme': every value is 0; the regression needs it to vary",
        ),
        (
            lambda d: d[d["unit_id"].isin(d.loc[d["rsw"] == 1, "unit_id"].unique()[:1]) | (d["rsw"] == 0)],
            "column 'rsw': 1 RSW unit(s); the comparison needs at least 2 units in each arm",
        ),
        (
            lambda d: d[
                d["unit_id"].isin(d["unit_id"].unique()[:0])
                | d["unit_id"].isin(
                    list(d.loc[d["rsw"] == 1, "unit_id"].unique()[:2])
                    + list(d.loc[d["rsw"] == 0, "unit_id"].unique()[:2])
                )
            ],
            "column 'unit_id': 4 units; the regression needs at least 6",
        ),
    ],
)
def test_each_kind_of_bad_file_is_refused_with_a_clear_error(tmp_path, change, expected):
    assert expected in _problems(tmp_path, change(_good()))


def test_an_empty_or_unreadable_file_is_refused(tmp_path):
    assert "no data rows" in _problems(tmp_path, text=",".join(rsw.COLUMNS) + "\n")
    assert "not a readable CSV file" in _problems(tmp_path, text="")


def test_several_problems_are_reported_together(tmp_path):
    bad = _good()
    bad.loc[0, "empathy"] = 9
    bad.loc[1, "clinician_present"] = "maybe"
    text = _problems(tmp_path, bad)
    assert "'empathy'" in text and "'clinician_present'" in text


def test_compendium_run_refuses_a_bad_file_before_a_kernel_starts(tmp_path, runs_tmp, capsys):
    bad = _good()
    bad.loc[0, "evocation"] = 0
    path = write_records(tmp_path, bad, "bad.csv")
    code = cli.main(["run", "rsw_quality_factors", "-p", "data_path", str(path), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2
    assert "column 'evocation': value is outside the scale 1 to 5 at file line(s) 2" in err
    assert not runs_tmp.exists() or not any(runs_tmp.rglob("*.ipynb"))


def test_the_split_of_the_clinician_effect_is_named_as_the_generators_assumption(default):
    """The summary must not present the recovered split as a finding: it names the split put in."""
    s = default.scalars
    assert s["assumed_indirect"] == pytest.approx(
        default.params["effect_clinician_on_discussion"] * default.params["effect_discussion"]
    )
    assert s["assumed_clinician"] == default.params["effect_clinician_direct"]
    assert s["assumed_pathway_text"] == "mostly through a better discussion"  # 0.36 indirect against 0.15 direct
    flipped = rsw.generator_truth(rsw.PARAMETERS.validate({**default.params, "effect_clinician_direct": 0.6}))
    assert (
        rsw.pathway(flipped["indirect"], flipped["clinician"])
        == "partly through a better discussion and more by other routes"
    )


# ------------------------------------------------------------------ the replicates: cheap fits against statsmodels
from helpers.stats import replicates as reps  # noqa: E402
from helpers.stats.clustered import cluster_fit  # noqa: E402
from helpers.stats.mediation import product_interval, sobel_se  # noqa: E402


def _designs(p, rng):
    a = rsw.simulate_arrays(p, rng)
    quality = a["skills"].mean(axis=1)
    const = np.ones(len(quality))
    x_out = np.column_stack([const, *(a[f] for f in rsw.FACTORS)]).astype(float)
    x_med = np.column_stack([const, a["clinician_present"], a["systemic_training"], a["csw_programme"]]).astype(float)
    return a, quality, x_out, x_med


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_stacked_cr1_equals_statsmodels_cluster_covariance(seed):
    p = rsw.PARAMETERS.validate({})
    a, quality, x_out, x_med = _designs(p, np.random.default_rng(seed))
    fit = cluster_fit([x_out, x_med], [quality, a["discussion_quality"]], a["unit"], vcov="CR1")
    (b_out, b_med), cov = fit.betas, fit.cov
    k = x_out.shape[1]
    for X, y, b, block in ((x_out, quality, b_out, cov[:k, :k]), (x_med, a["discussion_quality"], b_med, cov[k:, k:])):
        fit = sm.OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": a["unit"]}, use_t=True)
        np.testing.assert_allclose(b, fit.params, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(block, fit.cov_params(), rtol=1e-8, atol=1e-14)


def test_stacked_cr1_cross_covariance_equals_a_stacked_statsmodels_regression():
    """Without small-sample corrections, the joint sandwich of two models is the cluster covariance of one
    regression of the stacked outcomes on the block-diagonal design (statsmodels, an independent route)."""
    p = rsw.PARAMETERS.validate({})
    a, quality, x_out, x_med = _designs(p, np.random.default_rng(7))
    n, k1, k2 = len(quality), x_out.shape[1], x_med.shape[1]
    big = np.zeros((2 * n, k1 + k2))
    big[:n, :k1], big[n:, k1:] = x_out, x_med
    fit = sm.OLS(np.r_[quality, a["discussion_quality"]], big).fit(
        cov_type="cluster", cov_kwds={"groups": np.r_[a["unit"], a["unit"]], "use_correction": False}
    )
    cov = cluster_fit([x_out, x_med], [quality, a["discussion_quality"]], a["unit"], vcov="CR1").cov
    g = len(np.unique(a["unit"]))
    c = np.r_[np.full(k1, g / (g - 1) * (n - 1) / (n - k1)), np.full(k2, g / (g - 1) * (n - 1) / (n - k2))]
    np.testing.assert_allclose(cov / np.sqrt(np.outer(c, c)), fit.cov_params(), rtol=1e-8, atol=1e-14)


@pytest.mark.parametrize("vcov", ["CR1", "CR2"])
def test_cluster_fit_refuses_a_rank_deficient_design(vcov):
    X = np.column_stack([np.ones(10), np.zeros(10)])
    assert cluster_fit([X], [np.arange(10.0)], np.arange(10) % 3, vcov) is None


def test_product_interval_agrees_with_the_delta_method_when_both_paths_are_precise():
    rng = np.random.default_rng(5)
    cov = np.array([[0.001, 0.0002], [0.0002, 0.0004]])
    lo, hi = product_interval(2.0, 1.5, cov, 0.95, rng, 400_000)
    se = sobel_se(2.0, 1.5, cov)
    assert se == pytest.approx(np.sqrt(1.5**2 * 0.001 + 2.0**2 * 0.0004 + 2 * 3.0 * 0.0002))
    assert lo == pytest.approx(3.0 - 1.959964 * se, abs=0.004)
    assert hi == pytest.approx(3.0 + 1.959964 * se, abs=0.004)
    # A product near zero is skewed: the Monte Carlo interval is not symmetric, as the delta method's is.
    lo, hi = product_interval(0.1, 1.0, np.diag([0.01, 0.25]), 0.95, np.random.default_rng(6), 200_000)
    assert abs((hi - 0.1) - (0.1 - lo)) > 0.01


def test_one_reconstruction_matches_the_bodys_analysis():
    """The cheap replicate gives the body's clustered-OLS (CR2) coefficients and intervals on the same draw,
    and the clinician's total association is the body's total effect."""
    p = rsw.PARAMETERS.validate({})
    one = rsw.one_reconstruction(p)
    for seed in (11, 12):
        est = one(np.random.default_rng(seed))
        a, quality, _, _ = _designs(p, np.random.default_rng(seed))
        frame = pd.DataFrame({"unit_id": a["unit"], "practice_quality": quality, **{f: a[f] for f in rsw.FACTORS}})
        fit = clustered_ols(frame, "practice_quality", rsw.FACTORS, "unit_id")
        ci = fit.conf_int(alpha=0.05)
        for f in rsw.FACTORS:
            k = rsw.FACTOR_KEYS[f]
            assert est[k].value == pytest.approx(float(fit.params[f]), rel=1e-9)
            assert (est[k].low, est[k].high) == pytest.approx((float(ci.loc[f, 0]), float(ci.loc[f, 1])), rel=1e-7)
        med = sm.OLS(
            a["discussion_quality"],
            sm.add_constant(
                np.column_stack([a["clinician_present"], a["systemic_training"], a["csw_programme"]]).astype(float)
            ),
        ).fit()
        assert est["indirect"].value == pytest.approx(float(med.params[1]) * float(fit.params["discussion_quality"]))
        assert est["indirect"].low < est["indirect"].value < est["indirect"].high
        frame["discussion_quality"] = a["discussion_quality"]
        total = clustered_ols(
            frame, "practice_quality", ["clinician_present", "systemic_training", "csw_programme"], "unit_id"
        )
        assert est["total"].value == pytest.approx(float(total.params["clinician_present"]), rel=1e-9)
        tci = total.conf_int(alpha=0.05).loc["clinician_present"]
        assert (est["total"].low, est["total"].high) == pytest.approx((float(tci[0]), float(tci[1])), rel=1e-7)


def test_reconstructions_cover_the_generators_values_and_power_is_the_replicates_detection():
    p = rsw.PARAMETERS.validate({"n_replicates": 400})
    draws, summary, tests = rsw.reconstructions(p)
    truth = rsw.generator_truth(p)
    s = summary.set_index("estimate")
    assert list(s.index) == list(rsw.REPLICATE_ESTIMATES)
    for k in rsw.REPLICATE_ESTIMATES:
        assert s.loc[k, "truth"] == pytest.approx(truth[k if k != "total" else "total_clinician"])
        # Coverage near the nominal level (CR2 with Bell-McCaffrey degrees of freedom), within Monte Carlo error.
        assert 0.88 <= s.loc[k, "coverage"] <= 0.99, k
        assert abs(s.loc[k, "median"] - truth[k if k != "total" else "total_clinician"]) < 0.05, k
    power = rsw.factor_power(tests, p)
    for f in rsw.FACTORS:  # at alpha = 1 - ci_level, significance is the interval excluding 0
        k = rsw.FACTOR_KEYS[f]
        assert power[f"power_{k}"] == pytest.approx(s.loc[k, "detection"], abs=1e-12)
    # An independent check of the significance rule: refit a few replicates with statsmodels p-values.
    wide = draws.pivot(index="replicate", columns="estimate", values="value")
    assert len(wide) == 400 and power["n_replicates_estimable"] == 400
    # alpha other than 1 - ci_level: power follows alpha, not the interval's level
    p2 = rsw.PARAMETERS.validate({"n_replicates": 400, "alpha": 0.2})
    assert rsw.factor_power(tests, p2)["power_clinician"] > power["power_clinician"]


def _frames_of_the_first_block(p):
    """The reconstructions of :func:`reconstructions`' first block, redrawn from its stream, as data frames."""
    from helpers.analyses.rsw_quality_factors.replication import BLOCK

    rng = reps.replicate_generators(p["seed"], 1)[0]
    a = rsw.simulate_arrays(rsw.PARAMETERS.validate(dict(p)), rng, size=min(BLOCK, p["n_replicates"]))
    for i in range(len(a["rsw"])):
        frame = pd.DataFrame({"unit_id": a["unit"], **{f: a[f][i] for f in (*rsw.FACTORS, "rsw")}})
        yield frame.assign(practice_quality=a["skills"][i].mean(axis=1))


def test_power_at_another_alpha_matches_the_bodys_p_values_in_each_way_of_testing():
    """Each reconstruction's p-values (analysed all at once) are the body's clustered_ols p-values of that
    reconstruction, fitted one data frame at a time: the four together, the clinician's total association and
    its association with the discussion, and each factor alone."""
    p = rsw.PARAMETERS.validate({"n_replicates": 30, "alpha": 0.1})
    _, _, tests = rsw.reconstructions(p)
    rows = []
    for frame in _frames_of_the_first_block(p):
        together = clustered_ols(frame, "practice_quality", rsw.FACTORS, "unit_id").pvalues
        covs = ["clinician_present", "systemic_training", "csw_programme"]
        rows.append(
            {
                **{rsw.FACTOR_KEYS[f]: together[f] for f in rsw.FACTORS},
                "clinician_total": clustered_ols(frame, "practice_quality", covs, "unit_id").pvalues.iloc[1],
                "clinician_on_discussion": clustered_ols(frame, "discussion_quality", covs, "unit_id").pvalues.iloc[1],
                **{
                    f"{rsw.FACTOR_KEYS[f]}_alone": clustered_ols(frame, "practice_quality", [f], "unit_id").pvalues[f]
                    for f in rsw.FACTORS
                },
            }
        )
    expected = pd.DataFrame(rows)[list(rsw.TESTS)]
    np.testing.assert_allclose(tests.to_numpy(), expected.to_numpy(), rtol=1e-7, atol=1e-12)
    power = rsw.factor_power(tests, p)
    hits = expected < 0.1
    for name, names in rsw.ESTIMANDS.items():
        key = "power_all_four" + ("" if name == "together" else f"_{name}")
        assert power[key] == pytest.approx(hits[list(names)].all(axis=1).mean())
        share = power[key]
        assert power[f"{key}_mcse"] == pytest.approx(np.sqrt(max(share * (1 - share), (1 / 30) * (29 / 30)) / 30))


def test_the_summary_states_replicates_not_one_draw(default):
    s = default.scalars
    assert s["rep_n"] == default.params["n_replicates"]
    for k in rsw.REPLICATE_ESTIMATES:
        for col in ("median", "range_low", "range_high", "coverage", "detection"):
            assert f"rep_{k}_{col}" in s
    summary = default.tables["replicate_summary"].set_index("estimate")
    assert s["rep_indirect_median"] == pytest.approx(summary.loc["indirect", "median"], rel=1e-7)
    # The one draw's estimate is not the replicate median.
    assert s["rep_indirect_median"] != s["indirect_effect_clinician"]
    assert set(default.tables["replicates"]["replicate"]) == set(range(default.params["n_replicates"]))


def test_own_records_have_no_replicates(tmp_path):
    path = write_records(tmp_path, synthetic_records())
    own = rsw.run({"data_path": str(path), "n_replicates": 10, "n_boot": 300})
    assert not any(k.startswith("rep_") or k.startswith("power_") for k in own.scalars)
    assert "replicates" not in own.tables


def test_mde_dependence_is_found_with_the_sensitivity_machinery(default):
    dep = default.data["dependence"]
    s = default.scalars
    # The model at the base values is the page's headline.
    assert dep["tornado"].attrs["base_outcome"] == pytest.approx(s["min_detectable_effect"], rel=1e-6)
    assert dep["input"] == dep["tornado"]["input"].iloc[0]
    t = dep["table"]
    assert s["mde_at_vary_low"] == pytest.approx(t["outcome"].iloc[0], rel=1e-7)
    assert s["mde_at_vary_high"] == pytest.approx(t["outcome"].iloc[-1], rel=1e-7)
    # The flip point is where the detectable difference equals a large difference (checked by recomputing).
    if "mde_flip_at" in s:
        model = rsw.mde_model(
            rsw.PARAMETERS.validate(default.params), s["n_observations"], s["n_units"], s["mde_cluster_size"]
        )
        point = {
            "icc": np.array([default.params["mde_icc"]]),
            "cluster_size": np.array([s["mde_cluster_size"]]),
            "share_rsw": np.array([s["mde_share_rsw"]]),
        }
        point[dep["input"]] = np.array([s["mde_flip_at"]])
        assert model(point)[0] == pytest.approx(rsw.LARGE_DIFFERENCE, abs=5e-3)  # linear interpolation on the grid
    # More clustering, larger detectable difference: the ICC moves the headline up.
    assert dep["input"] != "icc" or s["mde_at_vary_high"] > s["mde_at_vary_low"]


def test_kinds_cover_every_number_and_published_ones_are_registry_figures(default):
    from helpers.page import kinds

    numbers = [
        k
        for k, v in default.scalars.items()
        if isinstance(v, (int, float)) and not isinstance(v, bool) and not k.startswith("rep_")
    ]
    assert not [k for k in numbers if k not in rsw.KINDS]
    registry = {
        "n_skills": "rsw_coded_skills",
        "n_observations": "rsw_practice_observations",
        "discussions_nonsystemic_published": "rsw_discussions_nonsystemic",
        "discussions_green_shoots_published": "rsw_discussions_green_shoots",
        "discussions_systemic_published": "rsw_discussions_systemic",
    }
    for name, kind in rsw.KINDS.items():
        if kind is kinds.Kind.PUBLISHED:
            figure = registry.get(name, "rsw_" + name.removesuffix("_published"))
            assert default.scalars[name] == published(figure), name
    # One draw's estimates may not be stated in a summary; the replicate summaries may.
    for name in ("indirect_effect_clinician", "coef_discussion", "mean_quality_rsw", "n_rsw"):
        with pytest.raises(kinds.KindError, match="one synthetic draw"):
            kinds.summary_kind("rsw_quality_factors", name)
    assert kinds.summary_kind("rsw_quality_factors", "rep_indirect_median") is kinds.Kind.SYNTHETIC
    assert kinds.summary_kind("rsw_quality_factors", "power_all_four") is kinds.Kind.SYNTHETIC


def test_the_detectable_difference_is_the_designs_not_one_draws():
    a = rsw.run({"seed": 1, "n_replicates": 10, "n_boot": 200}).scalars
    b = rsw.run({"seed": 2, "n_replicates": 10, "n_boot": 200}).scalars
    assert a["min_detectable_effect"] == b["min_detectable_effect"]


@pytest.mark.parametrize("seed", [21, 23])
def test_the_replicates_indirect_interval_agrees_with_the_bodys_cluster_bootstrap(seed):
    """The cheap Monte Carlo interval (joint cluster-robust covariance) is close to the slow cluster bootstrap
    the body uses on one draw, and the point estimate is the same product of coefficients."""
    p = rsw.PARAMETERS.validate({})
    est = rsw.one_reconstruction(p)(np.random.default_rng(seed))["indirect"]
    a = rsw.simulate_arrays(p, np.random.default_rng(seed))
    frame = pd.DataFrame(
        {
            "unit_id": a["unit"],
            "rsw": a["rsw"],
            "practice_quality": a["skills"].mean(axis=1),
            **{f: a[f] for f in rsw.FACTORS},
        }
    )
    boot = mediation_bootstrap(
        frame,
        "clinician_present",
        "discussion_quality",
        "practice_quality",
        ["systemic_training", "csw_programme"],
        groups="unit_id",
        strata="rsw",
        n_boot=2000,
        rng=np.random.default_rng(1),
    )
    assert est.value == pytest.approx(boot.indirect, rel=1e-9)
    assert (est.low, est.high) == pytest.approx(boot.indirect_ci, abs=0.05)


# ------------------------------------------------------------------ what the report tested (issue 22, class 4)
def test_the_estimand_matters_the_clinicians_total_association_is_found_far_more_often_than_its_direct_effect():
    """The report's words suggest the clinician's total association; the generator makes its direct effect small
    by assumption. With no direct effect at all the direct test is found at about alpha, while the total
    association, carried by the discussion, is still found in most reconstructions."""
    p = rsw.PARAMETERS.validate({"n_replicates": 500, "effect_clinician_direct": 0.0})
    _, summary, tests = rsw.reconstructions(p)
    power = rsw.factor_power(tests, p)
    assert power["power_clinician"] == pytest.approx(p["alpha"], abs=4 * np.sqrt(0.05 * 0.95 / 500))
    assert power["power_clinician_total"] > 0.4  # about half, against alpha for the direct effect
    assert power["power_all_four_total"] > 3 * power["power_all_four"]
    assert power["power_all_four"] <= min(power[f"power_{k}"] for k in ("training", "csw", "discussion", "clinician"))
    # the summary's detection of the total is the same test's share (alpha = 1 - ci_level)
    total = summary.set_index("estimate").loc["total"]
    assert total["detection"] == pytest.approx(power["power_clinician_total"])


def test_the_power_table_prints_each_share_by_the_precision_rule(default):
    from helpers.stats import montecarlo

    table = rsw.power_table(default).set_index("found significant")
    s = default.scalars
    together, total, _ = list(rsw.ESTIMAND_LABELS.values())
    assert table.loc["all four", together] == montecarlo.text(s["power_all_four"], s["power_all_four_mcse"], "percent")
    assert table.loc["all four", total] == s["power_all_four_total_text"]
    assert table.loc["a clinician in case discussion", total] == s["power_clinician_both_text"]
    # 300 reconstructions support shares to ten points only, 10,000 (the default) to one
    # (a share near all of them has a small error: 300 of 300, or 299, is ">99%")
    assert all(re.fullmatch(r"[<>]?\d*0%|>99%", v) for v in table[together]), list(table[together])
    assert montecarlo.text(0.0637, np.sqrt(0.0637 * 0.9363 / 10_000), "percent") == "6%"


def test_bootstrap_limits_carry_no_more_digits_than_their_monte_carlo_error(default):
    from helpers.stats import montecarlo

    s = default.scalars  # 300 resamples: the limits' errors support one decimal at most
    for effect in ("indirect", "direct", "total"):
        key = f"{effect}_effect_clinician"
        low = montecarlo.text(s[f"{key}_ci_low"], s[f"{key}_ci_low_mcse"])
        high = montecarlo.text(s[f"{key}_ci_high"], s[f"{key}_ci_high_mcse"])
        assert s[f"{key}_ci_text"] == f"{low} to {high}"
        assert s[f"{key}_ci_low_mcse"] > 0.005 and len(low.split(".")[-1]) <= 1
    shown = rsw.mediation_table(default).iloc[:, 2]
    assert list(shown) == [s[f"{e}_effect_clinician_ci_text"] for e in ("total", "direct", "indirect")]


# ------------------------------------------------------------------ the brief follows the run (issues 21, 23)
def _brief_text(scalars, params):
    return rsw.brief(scalars, params).text()


def test_the_brief_on_the_reconstruction_states_what_was_found_how_far_to_trust_it_and_what_the_page_adds(default):
    text = _brief_text(default.scalars, default.params)
    assert "significantly better in RSW units than in service as usual" in text
    assert "unadjusted" in text and "the lowest level of the Maryland Scientific Methods Scale" in text
    assert "total association" in text
    assert "[1]" not in text  # no single synthetic draw is stated
    s = default.scalars
    for name in ("power_all_four", "power_all_four_total", "power_all_four_alone"):
        assert f"{s[f'{name}_text']} [S]" in text
    assert rsw.brief(default.scalars, default.params).words() <= 150
    # The shares follow from the page's assumed effects: the brief says so, says that larger real effects are
    # found more often, and draws no wider conclusion (chance or selective reporting are the body's to weigh).
    power = text.split("finds all four")[0].rsplit("\n", 1)[-1]
    assert power.startswith("- Under the page's assumed effects") and "with larger real effects, more often" in text
    assert "selective reporting" not in text and "could explain" not in text
    # The detectable difference names the unpublished assumptions it rests on, and how far it moves with them.
    assert f"assuming {s['n_units']} [A] units and an intra-class correlation of {s['mde_icc']:.2f} [A]" in text
    assert f"{s['mde_range_low']:.2f} [M] to {s['mde_range_high']:.2f} [M] for {s['mde_units_low']} [A] to" in text
    # The reading of "all four significant" follows the run: common findings are not called rare.
    common = {**default.scalars, "power_all_four": 0.8, "power_all_four_mcse": 0.01}
    text = _brief_text(common, default.params)
    assert "only" not in text.split("finds all four")[1].split("[S]")[0]


def test_the_detectable_difference_is_shown_over_the_units_and_correlations_the_report_does_not_give(default):
    """The headline is one cell of the grid (the page's units and ICC); every cell agrees with a power calculation
    written here from the noncentral t; the range of units runs from the registry's figures and holds the run's."""
    s, grid = default.scalars, default.tables["mde_grid"]
    at = grid[(grid["units"] == s["n_units"]) & (grid["icc"] == s["mde_icc"])]["mde"]
    assert float(at.iloc[0]) == pytest.approx(s["min_detectable_effect"], rel=1e-9)
    assert (s["mde_units_low"], s["mde_units_high"]) == (
        2 * published("rsw_local_authorities"),
        published("rsw_consultant_social_workers"),
    )
    assert s["mde_range_low"] == pytest.approx(grid["mde"].min()) and s["mde_range_high"] == pytest.approx(
        grid["mde"].max()
    )

    def by_hand(units, icc, n=67, alpha=0.05, power=0.8):
        sizes = np.bincount(np.arange(n) % units)
        m = (sizes**2).sum() / n
        e = n / 2 / (1 + (m - 1) * icc)  # each arm's effective size (half the units, half the observations)
        df, crit = units - 2, sps.t.isf(alpha / 2, units - 2)

        def short(d):
            nc = d / np.sqrt(2 / e)
            return sps.nct.sf(crit, df, nc) + sps.nct.cdf(-crit, df, nc) - power

        from scipy.optimize import brentq

        return brentq(short, 0.05, 2)

    for units, icc in ((10, 0.3), (50, 0.0), (30, 0.2)):
        cell = grid[(grid["units"] == units) & (grid["icc"] == icc)]["mde"]
        assert float(cell.iloc[0]) == pytest.approx(by_hand(units, icc), abs=1e-4), (units, icc)
    # the range holds the run's own number of units, and never more units than observations
    assert rsw.units_range(60, 67) == (10, 60) and rsw.units_range(8, 30) == (8, 30)
    assert (
        "20 units the page assumes" in s["units_basis_text"]
        and "as many as the consultant social workers" in s["mde_range_text"]
    )


def test_the_dependence_makes_no_threshold_claim_where_the_detectable_difference_is_about_a_large_one(default):
    """A detectable difference within rounding of a large difference is said to be about one, not to be past a
    threshold; one clearly past it names where the conclusion changes."""
    from helpers.analyses.rsw_quality_factors import power as power_module

    dep = dict(default.data["dependence"])
    assert dep["flips"], "the default's most influential assumption crosses a large difference"
    tornado = dep["tornado"].copy()
    tornado.attrs = {**dep["tornado"].attrs, "base_outcome": rsw.LARGE_DIFFERENCE + 0.01}
    body, _ = power_module.dependence_text({**dep, "tornado": tornado})
    assert "about a large difference" in body and "already" not in body and "turns on this assumption" in body
    tornado.attrs = {**dep["tornado"].attrs, "base_outcome": rsw.LARGE_DIFFERENCE + 3 * rsw.NEAR}
    body, _ = power_module.dependence_text({**dep, "tornado": tornado})
    assert f"about {dep['flips'][0]:.1f} it would no longer reliably detect a large difference" in body


def test_one_draws_words_say_so_and_never_rule_a_route_out_on_an_interval_that_includes_it(default):
    """The RSW comparison and the clinician's split are one synthetic draw's, said in plain words; a direct effect
    whose interval includes zero (and the generator's own value) is left open, never "only through"."""
    s = default.scalars
    assert s["rsw_vs_sau_verdict"].startswith("So in this one synthetic draw, practice was ")
    assert "excludes no" not in s["rsw_vs_sau_verdict"]
    # the draw in which the reviewer read "only through": direct −0.03 (−0.30 to 0.30) holds the generator's 0.15
    text = rsw.estimated_pathway((0.58, 0.31, 0.83), (-0.03, -0.30, 0.30), "this draw")
    assert "only" not in text and "this draw cannot tell" in text
    assert text.startswith("So, in this draw, a clinician goes with practice quality higher")
    assert "neither interval" in rsw.estimated_pathway((0.5, 0.2, 0.8), (0.4, 0.1, 0.7))
    assert "other than the discussion" in rsw.estimated_pathway((0.1, -0.1, 0.3), (0.4, 0.1, 0.7))
    assert "both intervals include zero" in rsw.estimated_pathway((0.1, -0.1, 0.3), (0.1, -0.2, 0.4))
    for ci in ((0.2, 0.5), (-0.1, 0.3)):
        verdict = rsw.comparison_verdict(0.3, *ci, own=False)
        assert ("found a difference" in verdict) == (ci[0] > 0) and "excludes no" not in verdict


def test_the_brief_on_your_records_says_nothing_synthetic_and_marks_your_numbers(tmp_path):
    path = write_records(tmp_path, synthetic_records(seed=5))
    own = rsw.run({"data_path": str(path), "n_boot": 300})
    assert own.scalars["own_records"] is True
    brief = rsw.brief(own.scalars, own.params)
    text = brief.text()
    for word in ("synthetic", "reconstruct", "assumed", "generator"):
        assert word not in text.lower()
    s = own.scalars
    assert f"{s['n_observations']} [D] observations in {s['n_units']} [D] units" in text
    assert f"{s['rsw_vs_sau_difference']:.2f} [D]" in text and f"{s['min_detectable_effect']:.2f} [D]" in text
    assert brief.words() <= 150
    # the synthetic run's n_observations is the published count, marked P
    assert "67 observations [P]" in _brief_text(rsw.run({"n_replicates": 10, "n_boot": 200}).scalars, {})


def test_the_brief_derives_the_evidence_level_from_the_design_facts(monkeypatch):
    from helpers.analyses.rsw_quality_factors import summary
    from helpers.page import evidence

    rating = rsw.CARD.rating()
    assert rating.level == 1 and "the lowest level" in summary._trust()
    monkeypatch.setattr(type(rsw.CARD), "rating", lambda self: evidence.Rating("rsw", 2, rating.facts))
    assert "the lowest level" not in summary._trust() and "a level shown on the card" in summary._trust()


# ------------------------------------------------------------------ the notebook follows the run (issue 23)
def _notebook_cells():
    import json

    from helpers.engine.paths import NOTEBOOKS

    return json.loads((NOTEBOOKS / "rsw_quality_factors.ipynb").read_text(encoding="utf-8"))["cells"]


_GLUED = re.compile(r"\{(?:glue:text|glue)\}`([a-z_0-9]+)")


def _glued_keys(cell):
    meta = json.dumps(cell["metadata"])
    return set(_GLUED.findall("".join(cell["source"]))) | set(_GLUED.findall(meta))


def test_a_page_on_your_records_without_its_synthetic_only_cells_glues_every_key_it_names(tmp_path):
    """Cells left out of a run on the user's records (tag synthetic-only) hold every key that only the
    reconstruction has; every other cell names only keys that a run on records glues."""
    path = write_records(tmp_path, synthetic_records())
    own = set(rsw.run({"data_path": str(path), "n_boot": 300}).scalars) | {"provenance"}
    cells = _notebook_cells()
    kept = [c for c in cells if "synthetic-only" not in c["metadata"].get("tags", [])]
    missing = {k for c in kept for k in _glued_keys(c)} - own
    assert not missing, f"cells kept on your records name keys a run on records does not glue: {sorted(missing)}"
    assert len(kept) < len(cells)
    text = "\n".join("".join(c["source"]) for c in kept if c["cell_type"] == "markdown").lower()
    assert "synthetic reconstruction" not in text and "one synthetic draw" not in text
    # no figure or table of the reconstructions is drawn on your records
    drawn = "\n".join("".join(c["source"]) for c in kept if c["cell_type"] == "code")
    assert "plot_power" not in drawn and "plot_replicates" not in drawn and "calibration_table" not in drawn


def test_the_cards_links_lead_to_targets_on_the_page():
    text = "\n".join("".join(c["source"]) for c in _notebook_cells() if c["cell_type"] == "markdown")
    for anchor in re.findall(r"\]\(#([a-z0-9-]+)\)", rsw.CARD.adds + rsw.CARD.would_change):
        assert f"({anchor})=" in text


def test_the_page_reads_card_brief_results_method_parameters():
    order = [c["id"] for c in _notebook_cells()]
    assert order.index("rsw-card") < order.index("rsw-brief") < order.index("rsw-results")
    headings = [
        line
        for c in _notebook_cells()
        if c["cell_type"] == "markdown"
        for line in "".join(c["source"]).splitlines()
        if line.startswith("## ")
    ]
    assert headings == ["## In brief", "## Results", "## Method", "## Parameters"]
