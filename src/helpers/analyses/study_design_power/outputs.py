"""What each of the study design page's results is: a description and a unit (``results.json``;
helpers.outputs). A "group" is one arm of the planned trial; the formula is the usual sample-size formula
(normal approximation with a design effect)."""

from __future__ import annotations

from helpers.outputs import PROBABILITY, PROPORTION, RATIO, TEXT, Z_SCORE, declare, echo

from .parameters import PARAMETERS

_TOP = "the unit of the input named by dependence_input"

OUTPUTS = declare(
    {
        "effect_size": echo(PARAMETERS, "effect_size"),
        "icc": echo(PARAMETERS, "icc", PROPORTION),
        "families_per_worker": echo(PARAMETERS, "families_per_worker"),
        "alpha": echo(PARAMETERS, "alpha", PROBABILITY),
        "power_target": ("The parameter power: the power the design must reach", PROBABILITY),
        "attrition": echo(PARAMETERS, "attrition", PROPORTION),
        "eligibility_rate": echo(PARAMETERS, "eligibility_rate", PROPORTION),
        "eligibility_rate_better": echo(PARAMETERS, "eligibility_rate_better", PROPORTION),
        "n_individual_per_arm": ("Families per group an individually randomised trial would need", "families"),
        "design_effect": ("Design effect of families clustered within workers: 1 + (m − 1) × icc", RATIO),
        "n_per_arm_analytic": ("Families to analyse per group by the formula, with clustering", "families"),
        "n_per_arm_no_clustering": ("Families to analyse per group by the formula, without clustering", "families"),
        "workers_per_arm": ("Social workers per group by the formula", "social workers"),
        "workers_total": ("Social workers in both groups by the formula", "social workers"),
        "workers_per_arm_t": (
            "Social workers per group that the exact cluster-level t-test needs for the target power",
            "social workers",
        ),
        "families_recruited_per_arm": ("Families to recruit per group, allowing for attrition", "families"),
        "families_recruited_total": ("Families to recruit in both groups, allowing for attrition", "families"),
        "n_referred_required": ("Families to refer, both groups, so that enough keep one worker (formula)", "families"),
        "n_referred_required_better": ("The same at eligibility_rate_better", "families"),
        "referral_reduction_better": ("Share of referrals saved at eligibility_rate_better", PROPORTION),
        "planned_groups": ("Groups of social workers the evaluation first planned to compare", "groups"),
        "n_referred_required_three_groups": (
            "Families to refer for the three groups first planned (each compared with Frontline, Bonferroni)",
            "families",
        ),
        "workers_total_three_groups": ("Social workers for the three groups first planned", "social workers"),
        "workers_per_arm_recommended": (
            "Social workers per group in the recommended design (the first simulated to reach the target power)",
            "social workers",
        ),
        "workers_total_recommended": ("Social workers in both groups of the recommended design", "social workers"),
        "families_analysed_per_arm_recommended": ("Families analysed per group in the recommended design", "families"),
        "families_recruited_total_recommended": (
            "Families recruited in both groups of the recommended design",
            "families",
        ),
        "n_referred_recommended": ("Families to refer for the recommended design", "families"),
        "n_referred_recommended_better": (
            "Families to refer for the recommended design at eligibility_rate_better",
            "families",
        ),
        "referral_reduction_better_recommended": (
            "Share of the recommended design's referrals saved at eligibility_rate_better",
            PROPORTION,
        ),
        "power_simulated_recommended": (
            "Simulated power of the recommended design, families lost at random",
            PROBABILITY,
        ),
        "designs_simulated": (
            "Designs simulated, one more worker per group each, to find the recommended one",
            "designs",
        ),
        "normal_approximation_verdict": ("Whether the formula's design reaches the target power, in words", TEXT),
        "normal_approximation_note": ("What the check of the formula's design found, in sentences", TEXT),
        "power_analytic": ("Power of the formula's design by the normal approximation", PROBABILITY),
        "power_exact_t": ("Power of the formula's design by the exact cluster-level t-test, no attrition", PROBABILITY),
        "power_simulated": ("Simulated power of the formula's design, families lost at random", PROBABILITY),
        "power_simulated_no_attrition": ("Simulated power of the formula's design without attrition", PROBABILITY),
        "power_simulated_worker_means": (
            "Simulated power of the formula's design, families lost at random, comparing unweighted worker means",
            PROBABILITY,
        ),
        "workers_total_worker_means": (
            "Social workers in both groups needed to reach the target power comparing unweighted worker means",
            "social workers",
        ),
        "formula_verdict": (
            "How the formula's design compares with the target power by simulation (family-level analysis), in words",
            TEXT,
        ),
        "power_check_z": (
            "Simulated power without attrition minus the exact power, in Monte Carlo standard errors",
            Z_SCORE,
        ),
        "power_check_verdict": ("Whether the simulation agrees with the exact power, in words", TEXT),
        "attrition_check_z": (
            "Simulated power with attrition minus without, in Monte Carlo standard errors",
            Z_SCORE,
        ),
        "attrition_verdict": ("What attrition does to the simulated power, in words", TEXT),
        "curve_check_max_z": (
            "Largest gap between the simulated and the exact power curve, in Monte Carlo standard errors",
            Z_SCORE,
        ),
        "curve_verdict": ("Whether the simulated points lie on the exact power curve, in words", TEXT),
        "n_sims": echo(PARAMETERS, "n_sims"),
        "mi_workers": (
            "Social workers randomised in the study of motivational interviewing (the sum of its two arms, as the "
            "compendium's notes give them: a secondary source)",
            "social workers",
        ),
        "mi_families": (
            "Families in the study of motivational interviewing (the sum of the two numbers the compendium's notes "
            "list: a secondary source)",
            "families",
        ),
        "mi_workers_multiple": ("The recommended design's social workers over that study's", RATIO),
        "mi_workers_multiple_mcse": ("Monte Carlo standard error of mi_workers_multiple", RATIO),
        "mi_families_multiple": ("The recommended design's recruited families over that study's families", RATIO),
        "mi_families_multiple_mcse": ("Monte Carlo standard error of mi_families_multiple", RATIO),
        "mi_families_per_worker": ("Families per worker in that study", "families per worker"),
        "mi_power": (
            "Power of a study of that size for a difference of effect_size, every family analysed",
            PROBABILITY,
        ),
        "mi_min_detectable_effect": ("Smallest difference a study of that size detects with the target power", "SD"),
        "published_workers_low": (
            "Published: the fewest social workers typically involved in a case",
            "social workers",
        ),
        "published_workers_high": ("Published: the most social workers typically involved in a case", "social workers"),
        "dependence_input": ("The assumption the referrals needed depend on most (its name)", TEXT),
        "dependence_label": ("The assumption the referrals needed depend on most, in words", TEXT),
        "dependence_base": ("The page's value of that assumption", _TOP),
        "dependence_range_level": (
            "Central share of each assumption's assumed spread the sensitivity analysis moves it over",
            PROPORTION,
        ),
        "dependence_range_low": ("Low end (10th percentile) of that assumption's assumed spread", _TOP),
        "dependence_range_high": ("High end (90th percentile) of that assumption's assumed spread", _TOP),
        "dependence_range_text": ("That range as the page writes it", TEXT),
        "dependence_base_text": ("The page's value of that assumption as the page writes it", TEXT),
        "dependence_referrals_at_low": (
            "Referrals the recommended design needs at the low end of that range",
            "families",
        ),
        "dependence_referrals_at_high": (
            "Referrals the recommended design needs at the high end of that range",
            "families",
        ),
        "dependence_referrals_min": ("Fewest referrals needed over that range", "families"),
        "dependence_referrals_max": ("Most referrals needed over that range", "families"),
        "dependence_second_label": ("The assumption the referrals depend on second most, in words", TEXT),
        "workers_dependence_label": ("The assumption the number of workers depends on most, in words", TEXT),
        "simulation_margin": ("The recommended design's referrals divided by the formula's", RATIO),
    }
)
