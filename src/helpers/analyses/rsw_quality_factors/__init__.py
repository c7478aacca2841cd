"""Reclaiming Social Work (RSW): what predicts the quality of direct practice.

Published (Reclaiming Social Work evaluation, Bostock et al. 2017): 67 coded
observations of direct practice compared RSW units with service as usual
(SAU); practice quality was significantly higher in RSW units, the highest
seen in over 500 recordings coded with the same framework across 7 local
authorities. Four factors had a statistically significant impact on the
quality of practice: training in systemic practice, the consultant social
worker (CSW) development programme, the quality of group systemic case
discussion (a very strong relationship), and the presence of clinicians in
case discussions (which predicted both the quality of the discussion and the
quality of practice). The coding framework scores seven skills. The report's
coefficients, means and standard deviations are not public.

So the case-level analysis runs on a **synthetic reconstruction**
(:func:`simulate_observations`): observations nested in units, generated
from a seed by a model that follows the published causal story, each path
with its own effect-size parameter. The effect sizes are assumptions, not the
report's estimates. The one published distribution it is calibrated to is
the split of observed case discussions into non-systemic, "green shoots" and
systemic (Bostock et al. 2019). Users can run the same analysis on their own
records (``data_path``).

The analysis (few units: every interval and test allows for it):

1. RSW vs service as usual: difference in mean practice quality (OLS with
   unit-clustered CR2 standard errors and Bell–McCaffrey degrees of freedom)
   and Hedges' g with a noncentral-t interval on effective sample sizes and
   the units' degrees of freedom;
2. practice quality on the four factors: OLS with CR2 standard errors, with a
   random-intercept mixed model as a check;
3. the clinician's effect through discussion quality: product-of-coefficients
   mediation with a cluster bootstrap (direct, indirect, total), each limit
   printed to the precision its Monte Carlo error supports;
4. the correlations of the seven skills and their grouping;
5. the minimum detectable effect of a study of this size (on the design's
   split, not one draw's; a t test on the units' degrees of freedom), and
   which of its assumptions it depends on most (:func:`mde_dependence`:
   ``sensitivity.tornado``, then ``vary`` and ``crossings`` against a large
   difference);
6. what the synthetic reconstruction shows across ``n_replicates``
   reconstructions, not one (:func:`reconstructions`, ``helpers.stats.replicates``):
   median, central range, coverage of the generator's values and detection
   rate of the four coefficients, the clinician's indirect effect and its total
   association, each analysed cheaply and all at once (:func:`analyse`); and how
   often a study like it would find each factor and all four, in each of three
   ways of testing them that the report's words allow (:data:`ESTIMANDS`:
   together, with the clinician's total association, or one by one;
   :func:`factor_power`), from the same reconstructions. ``n_replicates``
   replaced the earlier ``n_sims``, which is now refused as an unknown name.

With the user's records there is one data set and nothing to replicate: no
``rep_*`` values and no factor power are computed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from helpers.lazy import lazy_exports
from helpers.page import kinds
from helpers.page.registry import published

from .card import CARD
from .framework import FACTOR_KEYS
from .parameters import PARAMETERS, Parameters

if TYPE_CHECKING:
    from .analysis import FIGURES_USED, run
    from .figures import (
        plot_arms,
        plot_coefficients,
        plot_dependence,
        plot_mde,
        plot_mediation,
        plot_power,
        plot_replicates,
        plot_skill_correlations,
    )
    from .framework import (
        BAND_EDGES,
        BAND_IDS,
        BANDS,
        BINARY,
        COLUMNS,
        DISCUSSION_REFERENCE,
        FACTOR_LABELS,
        FACTOR_PROSE,
        FACTORS,
        MIN_UNITS,
        SCALE_MAX,
        SCALE_MIN,
        SKILL_GROUPS,
        SKILL_LABELS,
        SKILLS,
        calibrate_discussion,
    )
    from .model import (
        add_practice_quality,
        comparison_verdict,
        discussion_band,
        estimated_pathway,
        mixed_model_check,
        pathway,
        skill_grouping,
    )
    from .power import (
        ICC_GRID,
        LARGE_DIFFERENCE,
        NEAR,
        PLAUSIBLE_RANGE,
        mde_dependence,
        mde_grid,
        mde_inputs,
        mde_model,
        synthetic_designs,
        unit_df,
        units_range,
    )
    from .records import RECORDS_SCHEMA, check_arm_sizes, check_inputs, check_synthetic, design_problems, load_records
    from .replication import (
        ESTIMAND_LABELS,
        ESTIMANDS,
        REPLICATE_ESTIMATES,
        REPLICATE_LABELS,
        TESTS,
        analyse,
        factor_power,
        one_reconstruction,
        reconstructions,
    )
    from .summary import brief, landing
    from .synthetic import generator_truth, simulate_arrays, simulate_observations
    from .tables import (
        arms_table,
        calibration_table,
        coefficient_table,
        description_table,
        mde_units_table,
        mediation_table,
        power_table,
    )

# Loaded on first use (helpers.lazy): `compendium list` and `params` need only the above.
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "brief": "summary",
        "landing": "summary",
        "FIGURES_USED": "analysis",
        "run": "analysis",
        "plot_arms": "figures",
        "plot_coefficients": "figures",
        "plot_dependence": "figures",
        "plot_mde": "figures",
        "plot_mediation": "figures",
        "plot_power": "figures",
        "plot_replicates": "figures",
        "plot_skill_correlations": "figures",
        "BANDS": "framework",
        "BAND_EDGES": "framework",
        "BAND_IDS": "framework",
        "BINARY": "framework",
        "COLUMNS": "framework",
        "DISCUSSION_REFERENCE": "framework",
        "FACTORS": "framework",
        "FACTOR_LABELS": "framework",
        "FACTOR_PROSE": "framework",
        "MIN_UNITS": "framework",
        "SCALE_MAX": "framework",
        "SCALE_MIN": "framework",
        "SKILLS": "framework",
        "SKILL_GROUPS": "framework",
        "SKILL_LABELS": "framework",
        "calibrate_discussion": "framework",
        "add_practice_quality": "model",
        "discussion_band": "model",
        "comparison_verdict": "model",
        "estimated_pathway": "model",
        "mixed_model_check": "model",
        "pathway": "model",
        "skill_grouping": "model",
        "ICC_GRID": "power",
        "LARGE_DIFFERENCE": "power",
        "NEAR": "power",
        "PLAUSIBLE_RANGE": "power",
        "mde_dependence": "power",
        "mde_grid": "power",
        "mde_inputs": "power",
        "mde_model": "power",
        "synthetic_designs": "power",
        "unit_df": "power",
        "units_range": "power",
        "RECORDS_SCHEMA": "records",
        "check_arm_sizes": "records",
        "check_inputs": "records",
        "check_synthetic": "records",
        "design_problems": "records",
        "load_records": "records",
        "ESTIMANDS": "replication",
        "ESTIMAND_LABELS": "replication",
        "TESTS": "replication",
        "analyse": "replication",
        "REPLICATE_ESTIMATES": "replication",
        "REPLICATE_LABELS": "replication",
        "factor_power": "replication",
        "one_reconstruction": "replication",
        "reconstructions": "replication",
        "generator_truth": "synthetic",
        "simulate_arrays": "synthetic",
        "simulate_observations": "synthetic",
        "arms_table": "tables",
        "calibration_table": "tables",
        "coefficient_table": "tables",
        "description_table": "tables",
        "mde_units_table": "tables",
        "mediation_table": "tables",
        "power_table": "tables",
    },
)

TITLE = "Reclaiming Social Work: what predicts the quality of direct practice"


SUMMARY = (
    f"RSW (2017): RSW vs service as usual over {published('rsw_practice_observations')} observations, the "
    f"{published('rsw_significant_factors')} factors behind practice quality, the clinician's effect through case "
    "discussion, skill correlations, minimum detectable effect (synthetic reconstruction or your own records)"
)


# ------------------------------------------------------------------ what kind of number each scalar is
_FACTOR_ONE_DRAW = [f"coef_{k}{s}" for k in FACTOR_KEYS.values() for s in ("", "_ci_low", "_ci_high")]
_CLINICIAN_ONE_DRAW = [
    f"{e}_effect_clinician{s}" for e in ("indirect", "direct", "total") for s in ("", "_ci_low", "_ci_high")
]
_ONE_DRAW = [
    "n_rsw",
    "n_sau",
    "mean_quality_rsw",
    "mean_quality_sau",
    "rsw_vs_sau_difference",
    "rsw_vs_sau_difference_ci_low",
    "rsw_vs_sau_difference_ci_high",
    "rsw_vs_sau_p_text",
    "rsw_vs_sau_df",
    "hedges_g",
    "hedges_g_ci_low",
    "hedges_g_ci_high",
    "icc_estimate",
    "design_effect_rsw",
    "design_effect_sau",
    *_FACTOR_ONE_DRAW,
    "n_significant_factors",
    "factor_df_low",
    "factor_df_high",
    "clinician_on_discussion",
    "discussion_on_quality_given_clinician",
    *_CLINICIAN_ONE_DRAW,
    "skill_corr_within",
    "skill_corr_between",
    "skill_corr_min",
    "skill_corr_max",
    "pooled_sd",
    "min_detectable_effect_points",
]
#: Model results under the page's stated assumptions (the detectable difference and what it depends on).
_MODEL = [
    "discussion_intercept",
    "discussion_sd",
    "mde_design_effect",
    "mde_cluster_size",
    "mde_df",
    "min_detectable_effect",
    "min_detectable_effect_observation_df",
    "min_detectable_effect_independent",
    "min_significant_difference",
    "mde_at_vary_low",
    "mde_at_vary_high",
    "mde_flip_at",
    "mde_range_low",
    "mde_range_high",
]
_POWER = [
    f"power_{name}"
    for name in (
        "training",
        "csw",
        "discussion",
        "clinician",
        "clinician_total",
        "clinician_on_discussion",
        "clinician_both",
        "training_alone",
        "csw_alone",
        "discussion_alone",
        "clinician_alone",
        "all_four",
        "all_four_total",
        "all_four_alone",
    )
]


#: The kind of every numeric scalar (helpers.page.kinds): single-draw synthetic values are ``one_draw`` and may
#: appear in the body only, labelled as one draw; ``rep_*`` (across reconstructions) and the shares of them that
#: find each factor (``power_*``) are synthetic; Monte Carlo errors and counts of draws are settings. In a run on
#: the user's own records, everything computed from them (``records``) is theirs (D).
KINDS = kinds.declare(
    published={
        "practice_observations_published": "rsw_practice_observations",
        "significant_factors_published": "rsw_significant_factors",
        "coded_skills_published": "rsw_coded_skills",
        "recordings_compared_published": "rsw_recordings_compared",
        "las_compared_published": "rsw_las_compared",
        "local_authorities_published": "rsw_local_authorities",
        "discussions_nonsystemic_published": "rsw_discussions_nonsystemic",
        "discussions_green_shoots_published": "rsw_discussions_green_shoots",
        "discussions_systemic_published": "rsw_discussions_systemic",
        "n_skills": "rsw_coded_skills",
        "n_observations": "rsw_practice_observations",
    },
    computed=["discussions_published_total"],
    model=_MODEL,
    synthetic=_POWER,
    assumption=[
        "scale_min",
        "scale_max",
        "band_low_edge",
        "band_high_edge",
        "n_units",
        "n_rsw_units",
        "n_sau_units",
        "ci_level",
        "alpha",
        "assumed_training",
        "assumed_csw",
        "assumed_discussion",
        "assumed_clinician",
        "assumed_clinician_on_discussion",
        "assumed_indirect",
        "assumed_total_clinician",
        "power",
        "mde_icc",
        "mde_share_rsw",
        "mde_vary_low",
        "mde_vary_high",
        "mde_units_low",
        "mde_units_high",
        "mde_icc_low",
        "mde_icc_high",
        "large_difference",
        "min_cell_count",
    ],
    setting=[
        "n_boot",
        "n_boot_failed",
        "n_replicates_estimable",
        "bootstrap_mcse_max",
        *[f"{name}_mcse" for name in _POWER],
        *[f"{e}_effect_clinician_ci_{side}_mcse" for e in ("indirect", "direct", "total") for side in ("low", "high")],
    ],
    one_draw=_ONE_DRAW,
    records=[
        *_ONE_DRAW,
        *[m for m in _MODEL if m not in ("discussion_intercept", "discussion_sd")],
        "n_observations",
        "n_units",
        "n_rsw_units",
        "n_sau_units",
        "mde_share_rsw",
        "mde_units_low",
        "mde_units_high",
    ],
)


__all__ = [
    "BANDS",
    "BAND_EDGES",
    "BAND_IDS",
    "BINARY",
    "CARD",
    "COLUMNS",
    "DISCUSSION_REFERENCE",
    "ESTIMANDS",
    "ESTIMAND_LABELS",
    "FACTORS",
    "FACTOR_KEYS",
    "FACTOR_LABELS",
    "FACTOR_PROSE",
    "FIGURES_USED",
    "ICC_GRID",
    "KINDS",
    "LARGE_DIFFERENCE",
    "MIN_UNITS",
    "NEAR",
    "PARAMETERS",
    "PLAUSIBLE_RANGE",
    "RECORDS_SCHEMA",
    "REPLICATE_ESTIMATES",
    "REPLICATE_LABELS",
    "SCALE_MAX",
    "SCALE_MIN",
    "SKILLS",
    "SKILL_GROUPS",
    "SKILL_LABELS",
    "SUMMARY",
    "TESTS",
    "TITLE",
    "Parameters",
    "add_practice_quality",
    "analyse",
    "arms_table",
    "brief",
    "calibrate_discussion",
    "calibration_table",
    "check_arm_sizes",
    "check_inputs",
    "check_synthetic",
    "coefficient_table",
    "comparison_verdict",
    "description_table",
    "design_problems",
    "discussion_band",
    "estimated_pathway",
    "factor_power",
    "generator_truth",
    "landing",
    "load_records",
    "mde_dependence",
    "mde_grid",
    "mde_inputs",
    "mde_model",
    "mde_units_table",
    "mediation_table",
    "mixed_model_check",
    "one_reconstruction",
    "pathway",
    "plot_arms",
    "plot_coefficients",
    "plot_dependence",
    "plot_mde",
    "plot_mediation",
    "plot_power",
    "plot_replicates",
    "plot_skill_correlations",
    "power_table",
    "reconstructions",
    "run",
    "simulate_arrays",
    "simulate_observations",
    "skill_grouping",
    "synthetic_designs",
    "unit_df",
    "units_range",
]
