"""The page's sections, in page order: each returns its scalars and tables (and what its figures need)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from helpers.engine.paths import sha256_file
from helpers.inputs.suppression import MARKER, suppress
from helpers.page.kinds import OWN_RECORDS_KEY
from helpers.page.registry import published
from helpers.page.text import join_words
from helpers.results import Section
from helpers.stats import montecarlo, replicates
from helpers.stats.clustered import (
    clustered_ols,
    design_effect,
    icc_anova,
    min_detectable_effect,
    standardised_difference,
)
from helpers.stats.mediation import MediationResult, mediation_bootstrap
from helpers.stats.proportions import format_p

from .framework import (
    BAND_EDGES,
    BAND_IDS,
    BANDS,
    FACTOR_KEYS,
    FACTOR_LABELS,
    FACTOR_PROSE,
    FACTORS,
    SCALE_MAX,
    SCALE_MIN,
    SKILLS,
    expected_band_shares,
)
from .model import (
    add_practice_quality,
    comparison_verdict,
    discussion_band,
    estimated_pathway,
    mixed_model_check,
    pathway,
    skill_grouping,
    unit_sizes,
)
from .parameters import Parameters
from .power import (
    ICC_GRID,
    LARGE_DIFFERENCE,
    dependence_text,
    mde_dependence,
    mde_grid,
    synthetic_designs,
    unit_df,
)
from .records import check_arm_sizes, check_synthetic, load_records
from .replication import factor_power, reconstructions
from .synthetic import simulate_observations
from .tables import ARMS_SHOWN, arm_counts, arms_table, description_table


def records(p: Parameters) -> tuple[pd.DataFrame, Section, dict[str, str]]:
    """The records the page analyses, with practice quality: the user's (read and checked; their
    fingerprint, the last item, is an input of the result) or a synthetic reconstruction (checked)."""
    if p.data_path:
        found = load_records(p.data_path)
        check_arm_sizes(found, p.min_cell_count, p.data_path)
        inputs = {p.data_path: sha256_file(Path(p.data_path))}
        text = f"your own records ({Path(p.data_path).name})"
    else:
        found = simulate_observations(p)
        check_synthetic(p, found)
        inputs = {}
        text = f"a synthetic reconstruction (seed {p.seed})"
    scalars = {
        "data_source": "own records" if p.data_path else "synthetic",
        "data_source_text": text,
        OWN_RECORDS_KEY: bool(p.data_path),
        # How the body introduces the estimates of the records it analyses (one draw, or the user's records).
        "in_these_records_text": "In your records" if p.data_path else "In this one synthetic draw",
    }
    frame = add_practice_quality(found)
    return frame, Section(scalars, data={"frame": frame, "own": bool(p.data_path)}), inputs


def _calibration_table(p: Parameters, frame: pd.DataFrame, truth: dict[str, float], own: bool) -> pd.DataFrame:
    """The published split of case discussions, what the generator implies and the split in these
    RSW observations (hidden where the description table hides the count, own records)."""
    counts = {b: published(BAND_IDS[b]) for b in BANDS}
    n_disc = sum(counts.values())
    n_rsw = int((frame["rsw"] == 1).sum())
    expected = expected_band_shares(
        truth["discussion_intercept"], truth["discussion_sd"], p.effect_clinician_on_discussion, p.p_clinician_rsw
    )
    rsw_bands = discussion_band(frame.loc[frame["rsw"] == 1, "discussion_quality"]).value_counts()
    table = pd.DataFrame(
        [
            {
                "rating": b,
                "published count": counts[b],
                "published share": counts[b] / n_disc,
                "expected share (generator)": expected[b],
                "share in these RSW observations": rsw_bands.get(b, 0) / max(n_rsw, 1),
            }
            for b in BANDS
        ]
    )
    if own:  # the shares of RSW observations by band times n_rsw are the description table's counts
        band_hidden = suppress(arm_counts(frame)["discussion band"], p.min_cell_count, known=ARMS_SHOWN).mask["RSW"]
        table["share in these RSW observations"] = [
            MARKER if band_hidden[f"discussion {b}"] else v
            for b, v in zip(BANDS, table["share in these RSW observations"], strict=True)
        ]
    return table


def _published_counts() -> dict[str, Any]:
    counts = {b: published(BAND_IDS[b]) for b in BANDS}
    return {
        "practice_observations_published": published("rsw_practice_observations"),
        "significant_factors_published": published("rsw_significant_factors"),
        "coded_skills_published": published("rsw_coded_skills"),
        "recordings_compared_published": published("rsw_recordings_compared"),
        "las_compared_published": published("rsw_las_compared"),
        "local_authorities_published": published("rsw_local_authorities"),
        "discussions_nonsystemic_published": counts[BANDS[0]],
        "discussions_green_shoots_published": counts[BANDS[1]],
        "discussions_systemic_published": counts[BANDS[2]],
        "discussions_published_total": sum(counts.values()),
    }


def the_records(p: Parameters, frame: pd.DataFrame, truth: dict[str, float], own: bool) -> Section:
    """1. The synthetic reconstruction: the published figures and the split it is calibrated to, its
    design, the observations by factor and arm, and practice quality by arm."""
    sizes = unit_sizes(frame)
    threshold = p.min_cell_count if own else None
    described, suppression_note = description_table(frame, threshold)
    scalars = {
        **_published_counts(),
        "n_skills": len(SKILLS),
        "scale_min": SCALE_MIN,
        "scale_max": SCALE_MAX,
        "band_low_edge": BAND_EDGES[0],
        "band_high_edge": BAND_EDGES[1],
        "discussion_intercept": truth["discussion_intercept"],
        "discussion_sd": truth["discussion_sd"],
        "n_observations": len(frame),
        "n_units": int(frame["unit_id"].nunique()),
        "n_rsw": int((frame["rsw"] == 1).sum()),
        "n_sau": int((frame["rsw"] == 0).sum()),
        "n_rsw_units": int((sizes["rsw"] == 1).sum()),
        "n_sau_units": int((sizes["rsw"] == 0).sum()),
        "ci_level": p.ci_level,
        "alpha": p.alpha,
        "min_cell_count": p.min_cell_count,
        "suppression_note": suppression_note,
    }
    tables = {
        "calibration": _calibration_table(p, frame, truth, own),
        "description": described,
        "arms": arms_table(frame, threshold),
    }
    data = {"suppression_note": suppression_note, "n_rsw": scalars["n_rsw"], "n_sau": scalars["n_sau"]}
    return Section(scalars, tables, data)


def rsw_vs_sau(p: Parameters, frame: pd.DataFrame, own: bool) -> Section:
    """2. RSW units and service as usual: the difference in mean practice quality (OLS with
    unit-clustered standard errors) and Hedges' g on effective sample sizes."""
    level = p.ci_level
    fit = clustered_ols(frame, "practice_quality", ["rsw"], "unit_id")
    diff = float(fit.params["rsw"])
    diff_lo, diff_hi = (float(x) for x in fit.conf_int(alpha=1 - level).loc["rsw"])
    icc = icc_anova(frame["practice_quality"], frame["unit_id"], frame["rsw"])
    sizes = unit_sizes(frame)
    deff_rsw = design_effect(sizes.loc[sizes["rsw"] == 1, "m"], icc)
    deff_sau = design_effect(sizes.loc[sizes["rsw"] == 0, "m"], icc)
    q_rsw = frame.loc[frame["rsw"] == 1, "practice_quality"]
    q_sau = frame.loc[frame["rsw"] == 0, "practice_quality"]
    # Units, not observations, were compared: the interval of g uses the units' degrees of freedom.
    g = standardised_difference(q_rsw, q_sau, level, deff_rsw, deff_sau, df=len(sizes) - 2)
    verdict = comparison_verdict(diff, diff_lo, diff_hi, own)
    scalars = {
        "mean_quality_rsw": float(q_rsw.mean()),
        "mean_quality_sau": float(q_sau.mean()),
        "rsw_vs_sau_difference": diff,
        "rsw_vs_sau_difference_ci_low": diff_lo,
        "rsw_vs_sau_difference_ci_high": diff_hi,
        "rsw_vs_sau_p_text": format_p(float(fit.pvalues["rsw"])),
        "rsw_vs_sau_df": float(fit.df["rsw"]),
        "rsw_vs_sau_verdict": verdict,
        "hedges_g": g.g,
        "hedges_g_ci_low": g.low,
        "hedges_g_ci_high": g.high,
        "icc_estimate": icc,
        "design_effect_rsw": deff_rsw,
        "design_effect_sau": deff_sau,
    }
    return Section(scalars, data={"hedges": g})


def four_factors(p: Parameters, frame: pd.DataFrame, truth: dict[str, float]) -> Section:
    """3. What predicts the quality of practice: OLS on the four factors with unit-clustered (CR2)
    standard errors and Bell–McCaffrey degrees of freedom, and a random-intercept mixed model as a check."""
    fit = clustered_ols(frame, "practice_quality", FACTORS, "unit_id")
    ci = fit.conf_int(alpha=1 - p.ci_level)
    rows: list[dict[str, Any]] = []
    scalars: dict[str, Any] = {}
    for f in FACTORS:
        k = FACTOR_KEYS[f]
        est, lo, hi, p_value = float(fit.params[f]), float(ci.loc[f, 0]), float(ci.loc[f, 1]), float(fit.pvalues[f])
        scalars |= {f"coef_{k}": est, f"coef_{k}_ci_low": lo, f"coef_{k}_ci_high": hi, f"p_{k}_text": format_p(p_value)}
        rows.append(
            {
                "factor": FACTOR_LABELS[f],
                "key": k,
                "estimate": est,
                "low": lo,
                "high": hi,
                "p": p_value,
                "assumed": truth[k],
            }
        )
    significant = [FACTOR_PROSE[f] for f in FACTORS if float(fit.pvalues[f]) < p.alpha]
    mixed = mixed_model_check(frame, p.ci_level)
    scalars |= {
        "n_significant_factors": len(significant),
        "significant_factors_text": join_words(significant) if significant else "none of them",
        **{f"assumed_{k}": truth[k] for k in ("training", "csw", "discussion", "clinician")},
        "mixed_model_converged": "converged" if bool(mixed["converged"].all()) else "did not converge",
        "factor_df_low": float(fit.df[list(FACTORS)].min()),
        "factor_df_high": float(fit.df[list(FACTORS)].max()),
    }
    return Section(scalars, {"coefficients": pd.DataFrame(rows), "mixed": mixed})


def _mediation_table(med: MediationResult, truth: dict[str, float]) -> pd.DataFrame:
    """The three effects with their bootstrap limits and the limits' Monte Carlo errors."""
    rows = (
        ("total", "total", med.total, med.total_ci, truth["total_clinician"]),
        ("direct", "direct", med.direct, med.direct_ci, truth["clinician"]),
        ("indirect (through discussion)", "indirect", med.indirect, med.indirect_ci, truth["indirect"]),
    )
    return pd.DataFrame(
        [
            {
                "effect": label,
                "estimate": est,
                "low": ci[0],
                "high": ci[1],
                "low_mcse": med.limits_mcse(name)[0],
                "high_mcse": med.limits_mcse(name)[1],
                "assumed": a,
            }
            for label, name, est, ci, a in rows
        ]
    )


def _bootstrap_scalars(med: MediationResult) -> dict[str, Any]:
    """Each effect's estimate and bootstrap limits, the limits' Monte Carlo errors, and the interval as the
    page prints it (each limit to the precision its error supports, :mod:`helpers.stats.montecarlo`)."""
    out: dict[str, Any] = {}
    for name, est, ci in (
        ("indirect", med.indirect, med.indirect_ci),
        ("direct", med.direct, med.direct_ci),
        ("total", med.total, med.total_ci),
    ):
        (lo_se, hi_se), key = med.limits_mcse(name), f"{name}_effect_clinician"
        out |= {
            key: est,
            f"{key}_ci_low": ci[0],
            f"{key}_ci_high": ci[1],
            f"{key}_ci_low_mcse": lo_se,
            f"{key}_ci_high_mcse": hi_se,
            f"{key}_ci_text": f"{montecarlo.text(ci[0], lo_se)} to {montecarlo.text(ci[1], hi_se)}",
        }
    out["bootstrap_mcse_max"] = max(v for k, v in out.items() if k.endswith("_mcse"))
    out["bootstrap_error_text"] = montecarlo.error_text(out["bootstrap_mcse_max"])
    return out


def clinician_pathway(p: Parameters, frame: pd.DataFrame, truth: dict[str, float], own: bool) -> Section:
    """4. Clinicians, case discussion and practice: the clinician's effect through discussion quality
    (product-of-coefficients mediation with a cluster bootstrap: direct, indirect, total)."""
    med = mediation_bootstrap(
        frame,
        "clinician_present",
        "discussion_quality",
        "practice_quality",
        ["systemic_training", "csw_programme"],
        groups="unit_id",
        strata="rsw",
        n_boot=p.n_boot,
        level=p.ci_level,
        rng=np.random.default_rng(np.random.SeedSequence([p.seed, 2])),
    )
    assumed = pathway(truth["indirect"], truth["clinician"])
    scalars: dict[str, Any] = {
        "assumed_clinician_on_discussion": truth["clinician_on_discussion"],
        "assumed_indirect": truth["indirect"],
        "assumed_total_clinician": truth["total_clinician"],
        "clinician_on_discussion": med.a,
        "discussion_on_quality_given_clinician": med.b,
    }
    scalars |= {
        **_bootstrap_scalars(med),
        "clinician_pathway_text": estimated_pathway(
            (med.indirect, *med.indirect_ci), (med.direct, *med.direct_ci), "your records" if own else "this draw"
        ),
        # The split the synthetic records were generated with: finding it again is no finding.
        "assumed_pathway_text": assumed,
        "clinician_split_text": (
            "Your own records were not generated by the page, so the split below is estimated from them; it "
            "rests on the mediation analysis's own assumptions (below)."
            if own
            else f"How that association splits is set here by assumption: the generator gives a clinician an indirect "
            f"effect of {truth['indirect']:.2f} points through the discussion and {truth['clinician']:.2f} by "
            f"other routes, that is {assumed}, so finding the split again checks the method, not clinicians."
        ),
        "n_boot": p.n_boot,
        "n_boot_failed": med.n_failed,
    }
    return Section(scalars, {"mediation": _mediation_table(med, truth)}, {"mediation": med})


def seven_skills(frame: pd.DataFrame) -> Section:
    """5. The seven skills: their correlations and whether they group as the framework does."""
    skills = skill_grouping(frame)
    verdict = "recovers" if skills["recovers"] else "does not recover"
    scalars = {
        "skill_corr_within": skills["within"],
        "skill_corr_between": skills["between"],
        "skill_corr_min": skills["min"],
        "skill_corr_max": skills["max"],
        "grouping_verdict": f"{verdict} the three groups of the framework",
        "grouping_found_text": skills["found_text"],
    }
    return Section(scalars, {"correlations": skills["correlations"]})


def detectable_difference(p: Parameters, frame: pd.DataFrame, own: bool, pooled_sd: float) -> Section:
    """6. What a study of this size could detect: the minimum detectable effect on the design's split
    (not one draw's), and which of its assumptions it depends on most."""
    sizes = unit_sizes(frame)["m"].to_numpy()
    mde_deff = design_effect(sizes, p.mde_icc)
    # The design's split: with own records, the records'; synthetic, the generator's expected split (the
    # share of units that are RSW units), not one draw's, so that the detectable difference is a property
    # of the assumed design rather than of the seed.
    n_rsw = int((frame["rsw"] == 1).sum())
    share = n_rsw / len(frame) if own else round(p.share_rsw_units * p.n_units) / p.n_units
    plan_rsw, plan_sau = len(frame) * share, len(frame) * (1 - share)
    # Whole units were compared: the test has the units' degrees of freedom, not the observations'.
    df = unit_df(len(sizes))
    mde = min_detectable_effect(plan_rsw, plan_sau, p.alpha, p.power, mde_deff, df)
    m_tilde = float((sizes**2).sum() / sizes.sum())
    dep = mde_dependence(p, len(frame), len(sizes), share, m_tilde)
    body, summary = dependence_text(dep)
    e_rsw, e_sau = plan_rsw / mde_deff, plan_sau / mde_deff
    # The two assumptions the report does not give: how many units (the user's records give theirs) and the ICC.
    designs = {len(sizes): (sizes, share)} if own else synthetic_designs(p, len(frame))
    grid = mde_grid(p, len(frame), designs, tuple(sorted({*ICC_GRID, p.mde_icc})))
    assumed = _units_and_icc(p, len(sizes), grid, own)
    scalars = {
        "power": p.power,
        "mde_icc": p.mde_icc,
        "mde_design_effect": mde_deff,
        "mde_cluster_size": m_tilde,
        "mde_df": df,
        "min_detectable_effect": mde,
        # the same on the observations' degrees of freedom (effective sizes), which overstates what few units tell
        "min_detectable_effect_observation_df": min_detectable_effect(plan_rsw, plan_sau, p.alpha, p.power, mde_deff),
        # the smallest observed difference (standard deviations) that the test would call significant
        "min_significant_difference": float(sps.t.isf(p.alpha / 2, df) * np.sqrt(1 / e_rsw + 1 / e_sau)),
        "min_detectable_effect_independent": min_detectable_effect(plan_rsw, plan_sau, p.alpha, p.power, 1.0),
        "min_detectable_effect_points": mde * pooled_sd,
        "pooled_sd": pooled_sd,
        "mde_depends_on_text": dep["label"],
        "mde_dependence_text": body,
        "mde_dependence_summary": summary,
        "mde_vary_low": dep["low"],
        "mde_vary_high": dep["high"],
        "mde_at_vary_low": float(dep["table"]["outcome"].iloc[0]),
        "mde_at_vary_high": float(dep["table"]["outcome"].iloc[-1]),
        "large_difference": LARGE_DIFFERENCE,
        "mde_share_rsw": share,
        **({"mde_flip_at": dep["flips"][0]} if dep["flips"] else {}),
        **assumed,
    }
    tables = {"mde_tornado": dep["tornado"], "mde_dependence": dep["table"], "mde_grid": grid}
    return Section(scalars, tables, {"dependence": dep, "unit_sizes": sizes})


def _units_and_icc(p: Parameters, n_units: int, grid: pd.DataFrame, own: bool) -> dict[str, Any]:
    """The detectable difference over the numbers of units and intraclass correlations of ``grid`` (its lowest
    and highest, and the ranges), and the phrases that say what it rests on: on a reconstruction, the assumed
    number of units and ICC; on the user's records, only the ICC (their units are theirs)."""
    icc_low, icc_high = float(grid["icc"].min()), float(grid["icc"].max())
    low, high = float(np.nanmin(grid["mde"])), float(np.nanmax(grid["mde"]))
    units_low, units_high = int(grid["units"].min()), int(grid["units"].max())
    iccs = f"intraclass correlations from {icc_low:g} to {icc_high:g}"
    if own:
        basis = f"your records' {n_units} units"
        rests = (
            f"That number rests on an assumed intraclass correlation of {p.mde_icc:.2f}; with {iccs}, it runs "
            f"from {low:.2f} to {high:.2f} standard deviations (table below)."
        )
    else:
        las, csws = int(published("rsw_local_authorities")), int(published("rsw_consultant_social_workers"))
        why = (
            f" (from one RSW unit and one service-as-usual team in each of the {las} local authorities to {csws} "
            f"units in all, as many as the consultant social workers the project recruited: the RSW units alone "
            f"could number that many, so with comparison teams the real total could be larger still)"
            if (units_low, units_high) == (2 * las, csws)
            else ""
        )
        basis = (
            f"the {n_units} units the page assumes (the report does not say how many units its observations came from)"
        )
        rests = (
            f"That number rests on two assumptions the report does not give: {n_units} units and an intraclass "
            f"correlation of {p.mde_icc:.2f}. With {units_low} to {units_high} units{why} and {iccs}, it runs from "
            f"{low:.2f} to {high:.2f} standard deviations (table below)."
        )
    return {
        "mde_units_low": units_low,
        "mde_units_high": units_high,
        "mde_icc_low": icc_low,
        "mde_icc_high": icc_high,
        "mde_range_low": low,
        "mde_range_high": high,
        "units_basis_text": basis,
        "mde_range_text": rests,
    }


def across_reconstructions(p: Parameters, own: bool) -> Section:
    """7. Across many reconstructions: each key estimate's median, central range, coverage and
    detection rate, and how often a study like it would find each factor, in each way of testing the four
    (each simulated share printed to the precision its Monte Carlo error supports). The user's records are
    one data set: nothing to replicate."""
    if own:
        return Section({})
    draws, summary, tests = reconstructions(p)
    power = factor_power(tests, p)
    texts = {
        f"{name}_text": montecarlo.text(power[name], power[f"{name}_mcse"], "percent")
        for name in power
        if name.startswith("power_") and not name.endswith("_mcse")
    }
    scalars = {
        **power,
        **texts,
        "power_all_four_error_text": montecarlo.error_text(power["power_all_four_mcse"], "percent"),
        **replicates.scalars(summary),
    }
    return Section(scalars, {"replicates": draws, "replicate_summary": summary, "replicate_tests": tests})
