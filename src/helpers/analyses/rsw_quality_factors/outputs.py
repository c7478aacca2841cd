"""What each of the Reclaiming Social Work page's results is: a description and a unit (``results.json``;
helpers.outputs). Practice quality and case-discussion quality are scored on the page's 1–5 scale; RSW units
are compared with service-as-usual (SAU) teams; the regression's four factors are systemic training, the
CSW programme, case-discussion quality and a clinician in the case discussion."""

from __future__ import annotations

from helpers.outputs import PROBABILITY, PROPORTION, RATIO, REPLICATE_MCSE_MAX, TEXT, declare, echo

from .parameters import PARAMETERS

_POINTS = "points on the 1–5 scale"
_SD = "standard deviations"
_R = "correlation coefficient (−1 to 1)"
_TOP = "the unit of the assumption named by mde_depends_on_text"
_DF = "degrees of freedom"
#: The tests of one factor each that the reconstructions count (power_<test>) beyond the four in the model.
_TESTS = {
    "clinician_total": "the clinician's total association with practice quality",
    "clinician_on_discussion": "the clinician's association with case-discussion quality",
    "training_alone": "systemic training, in a model of its own",
    "csw_alone": "the CSW programme, in a model of its own",
    "discussion_alone": "case-discussion quality, in a model of its own",
    "clinician_alone": "a clinician in the case discussion, in a model of its own",
}
_FACTORS = {
    "training": "systemic training (yes against no)",
    "csw": "the CSW programme (yes against no)",
    "discussion": "case-discussion quality (per point)",
    "clinician": "a clinician in the case discussion, over and above the discussion (yes against no)",
}


def _factor_outputs() -> dict[str, tuple[str, str]]:
    """The regression's coefficient, p-value text, generator value and power for each factor."""
    out: dict[str, tuple[str, str]] = {}
    for key, words in _FACTORS.items():
        out[f"coef_{key}"] = (f"Regression coefficient of practice quality on {words}", _POINTS)
        out[f"p_{key}_text"] = (f"The p-value of the coefficient of {words} as the page writes it", TEXT)
        out[f"assumed_{key}"] = (f"The generator's effect on practice quality of {words}", _POINTS)
        out[f"power_{key}"] = (
            f"Share of the reconstructions in which the coefficient of {words} is significant at alpha",
            PROBABILITY,
        )
    return out


OUTPUTS = declare(
    {
        "data_source": ("What the observations are: synthetic or own records, in a word", TEXT),
        "data_source_text": ("What the observations are, in words", TEXT),
        "practice_observations_published": ("Published: coded observations of practice", "observations"),
        "significant_factors_published": (
            "Published: factors named as significantly associated with practice quality",
            "factors",
        ),
        "coded_skills_published": ("Published: practice skills coded", "skills"),
        "recordings_compared_published": ("Published: recordings compared (at least this many)", "recordings"),
        "las_compared_published": ("Published: local authorities the recordings came from", "local authorities"),
        "local_authorities_published": ("Published: local authorities in the evaluation", "local authorities"),
        "discussions_nonsystemic_published": ("Published: case discussions rated non-systemic", "discussions"),
        "discussions_green_shoots_published": ("Published: case discussions rated green shoots", "discussions"),
        "discussions_systemic_published": ("Published: case discussions rated systemic", "discussions"),
        "discussions_published_total": ("Published: case discussions rated in all", "discussions"),
        "n_skills": ("Practice skills scored", "skills"),
        "scale_min": ("Lowest score of the page's scale", _POINTS),
        "scale_max": ("Highest score of the page's scale", _POINTS),
        "band_low_edge": ("Upper edge of the lowest band of case-discussion quality (an assumption)", _POINTS),
        "band_high_edge": ("Upper edge of the middle band of case-discussion quality (an assumption)", _POINTS),
        "discussion_intercept": (
            "The generator's intercept of case-discussion quality, solved from the published bands",
            _POINTS,
        ),
        "discussion_sd": (
            "The generator's spread of case-discussion quality, solved from the published bands",
            _POINTS,
        ),
        "n_observations": ("Observations of practice analysed", "observations"),
        "n_units": ("Units (teams) the observations are nested in", "units"),
        "n_rsw": ("Observations in RSW units", "observations"),
        "n_sau": ("Observations in service-as-usual teams", "observations"),
        "n_rsw_units": ("RSW units", "units"),
        "n_sau_units": ("Service-as-usual teams", "units"),
        "ci_level": echo(PARAMETERS, "ci_level", PROPORTION),
        "alpha": echo(PARAMETERS, "alpha", PROBABILITY),
        "min_cell_count": echo(PARAMETERS, "min_cell_count"),
        "suppression_note": ("What the tables from the user's records suppress, in sentences", TEXT),
        "mean_quality_rsw": ("Mean practice quality in RSW units", _POINTS),
        "mean_quality_sau": ("Mean practice quality in service-as-usual teams", _POINTS),
        "rsw_vs_sau_difference": ("Mean practice quality, RSW minus service as usual (clustered by unit)", _POINTS),
        "rsw_vs_sau_p_text": ("That difference's p-value as the page writes it", TEXT),
        "rsw_vs_sau_verdict": (
            "How practice compared between the arms in these records, and whether the interval includes zero, in a "
            "sentence",
            TEXT,
        ),
        "hedges_g": ("That difference in pooled standard deviations (Hedges' g)", _SD),
        "icc_estimate": ("Estimated intra-class correlation of practice quality within units", PROPORTION),
        "design_effect_rsw": ("Design effect of clustering within units, RSW arm", RATIO),
        "design_effect_sau": ("Design effect of clustering within units, service-as-usual arm", RATIO),
        **_factor_outputs(),
        "n_significant_factors": ("Of the four factors, those significant at alpha", "factors"),
        "significant_factors_text": ("The factors significant at alpha, in words", TEXT),
        "mixed_model_converged": ("Whether the mixed model (a check) converged, in a word", TEXT),
        "assumed_clinician_on_discussion": (
            "The generator's effect of a clinician on case-discussion quality",
            _POINTS,
        ),
        "assumed_indirect": ("The generator's indirect effect of a clinician through the discussion", _POINTS),
        "assumed_total_clinician": ("The generator's total effect of a clinician on practice quality", _POINTS),
        "clinician_on_discussion": ("Estimated effect of a clinician on case-discussion quality", _POINTS),
        "discussion_on_quality_given_clinician": (
            "Estimated effect of case-discussion quality on practice quality, given a clinician",
            "points per point",
        ),
        "indirect_effect_clinician": (
            "Estimated indirect effect of a clinician on practice quality, through the discussion",
            _POINTS,
        ),
        "direct_effect_clinician": ("Estimated direct effect of a clinician on practice quality", _POINTS),
        "total_effect_clinician": ("Estimated total effect of a clinician on practice quality", _POINTS),
        "clinician_pathway_text": (
            "Which routes the clinician's estimated association goes through, claiming a route only where its "
            "interval does not include zero, in words",
            TEXT,
        ),
        "assumed_pathway_text": ("Which pathway the generator's clinician effect goes through mostly, in words", TEXT),
        "clinician_split_text": ("How the clinician's association splits and why, in sentences", TEXT),
        "proportion_mediated": ("Share of the clinician's total effect that is indirect", PROPORTION),
        "n_boot": echo(PARAMETERS, "n_boot", "resamples"),
        "n_boot_failed": ("Bootstrap resamples that could not be estimated", "resamples"),
        "skill_corr_within": ("Mean correlation of skills within a group of the framework", _R),
        "skill_corr_between": ("Mean correlation of skills in different groups", _R),
        "skill_corr_min": ("Smallest correlation between two skills", _R),
        "skill_corr_max": ("Largest correlation between two skills", _R),
        "grouping_verdict": ("Whether clustering the skills recovers the framework's groups, in words", TEXT),
        "grouping_found_text": ("The groups of skills the clustering found, in words", TEXT),
        "power": echo(PARAMETERS, "power", PROBABILITY),
        "mde_icc": echo(PARAMETERS, "mde_icc", PROPORTION),
        "mde_design_effect": ("Design effect at mde_icc and the mean unit size", RATIO),
        "mde_cluster_size": ("Mean observations per unit", "observations per unit"),
        "min_detectable_effect": ("Smallest difference between the arms detectable with the target power", _SD),
        "min_detectable_effect_independent": ("The same if the observations were independent", _SD),
        "min_detectable_effect_points": (
            "The smallest detectable difference at the pooled standard deviation",
            _POINTS,
        ),
        "pooled_sd": ("Pooled standard deviation of practice quality", _POINTS),
        "mde_depends_on_text": ("The assumption the smallest detectable difference depends on most, in words", TEXT),
        "mde_dependence_text": ("What the smallest detectable difference depends on, in sentences", TEXT),
        "mde_dependence_summary": ("Whether a large difference would be detected over that range, in words", TEXT),
        "mde_vary_low": ("Low end of that assumption's plausible range", _TOP),
        "mde_vary_high": ("High end of that assumption's plausible range", _TOP),
        "mde_at_vary_low": ("Smallest detectable difference at the low end of that range", _SD),
        "mde_at_vary_high": ("Smallest detectable difference at the high end of that range", _SD),
        "large_difference": ("A large difference by the usual convention", _SD),
        "mde_share_rsw": (
            "Share of observations in RSW units assumed for the smallest detectable difference",
            PROPORTION,
        ),
        "mde_units_low": ("Fewest units the smallest detectable difference is shown for", "units"),
        "mde_units_high": ("Most units the smallest detectable difference is shown for", "units"),
        "mde_icc_low": ("Lowest intraclass correlation it is shown for", PROPORTION),
        "mde_icc_high": ("Highest intraclass correlation it is shown for", PROPORTION),
        "mde_range_low": ("Smallest detectable difference at the most favourable of those units and correlations", _SD),
        "mde_range_high": ("Smallest detectable difference at the least favourable of them", _SD),
        "units_basis_text": (
            "The units the comparison's precision rests on (assumed, or your records'), in words",
            TEXT,
        ),
        "mde_range_text": (
            "What the smallest detectable difference rests on and its range over units and correlations, in sentences",
            TEXT,
        ),
        "mde_flip_at": ("Value of that assumption above which a large difference would not be detected reliably", _TOP),
        "power_all_four": (
            "Share of the reconstructions in which all four factors are significant at once",
            PROBABILITY,
        ),
        "power_all_four_mcse": ("Monte Carlo standard error of that share", PROBABILITY),
        "n_replicates_estimable": ("Reconstructions in which the regression could be estimated", "reconstructions"),
        "replicate_mcse_max": REPLICATE_MCSE_MAX,
        "replicates_text": ("What the summaries across reconstructions are, in a sentence", TEXT),
        "in_these_records_text": ("Which records the sections below analyse, as a sentence opening", TEXT),
        "rsw_vs_sau_df": ("Degrees of freedom of the RSW against service-as-usual test (Bell–McCaffrey)", _DF),
        "factor_df_low": ("Fewest degrees of freedom of the four factors' tests (Bell–McCaffrey)", _DF),
        "factor_df_high": ("Most degrees of freedom of the four factors' tests (Bell–McCaffrey)", _DF),
        **{
            f"{e}_effect_clinician_ci_text": (
                f"The bootstrap interval of the {e} effect of a clinician as the page writes it",
                TEXT,
            )
            for e in ("indirect", "direct", "total")
        },
        "bootstrap_mcse_max": ("Largest Monte Carlo standard error of the bootstrap interval ends", _POINTS),
        "bootstrap_error_text": ("That Monte Carlo error as the page writes it", TEXT),
        "mde_df": ("Degrees of freedom of the unit-level test the detectable difference assumes", _DF),
        "min_detectable_effect_observation_df": (
            "Smallest detectable difference on the observations' degrees of freedom (overstates what few units tell)",
            _SD,
        ),
        "min_significant_difference": ("Smallest observed difference the unit-level test would call significant", _SD),
        **{
            f"power_{test}": (
                f"Share of the reconstructions in which {words} is significant at alpha",
                PROBABILITY,
            )
            for test, words in _TESTS.items()
        },
        "power_all_four_total": (
            "Share of the reconstructions in which the four factors are significant, the clinician by its total "
            "association (and with the discussion)",
            PROBABILITY,
        ),
        "power_all_four_alone": (
            "Share of the reconstructions in which the four factors are significant, each in a model of its own",
            PROBABILITY,
        ),
        "power_clinician_both": (
            "Share of the reconstructions in which the clinician's total association and its association with the "
            "discussion are both significant",
            PROBABILITY,
        ),
    },
    replicates={
        **{
            key: (f"the regression coefficient of practice quality on {words}", _POINTS)
            for key, words in _FACTORS.items()
        },
        "indirect": ("the indirect effect of a clinician on practice quality, through the discussion", _POINTS),
        "total": ("the total association of a clinician with practice quality (direct and indirect)", _POINTS),
    },
)
