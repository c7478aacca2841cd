"""A study-design planner: how many social workers and families a study comparing family outcomes between social
workers' training routes would need, as the Frontline evaluation set out to do.

Published (Dartington Social Research Unit, 2018, and the 2017 blog post on the
same study): the evaluation set out to compare three groups of social workers
(Frontline trained, newly qualified, experienced) on children's and families'
outcomes, but failed to recruit enough social workers and enough *eligible*
families, those who had only one social worker over the period of support. Two or
three social workers are typically involved in a case. The report concludes that
"under the right system conditions" the impact of such innovation could be
evaluated.

For a two-arm comparison of a standardised family outcome with families clustered
in workers, the page computes the families per arm (normal approximation times the
design effect ``1 + (m - 1) ICC``), the workers, the families to recruit after
attrition and to refer given the eligibility rate; checks the design's power by a
vectorised Monte Carlo simulation (:mod:`helpers.stats.cluster_power`); recommends the
smallest design whose simulated power, with families lost at random, reaches the
target under the planned analysis, a family-level comparison with worker-clustered
(CR2) standard errors (:func:`helpers.stats.cluster_power.workers_for_power_simulated`),
and shows what an analysis of unweighted worker means would cost; draws power
curves for several ICCs; and sets the numbers against a comparable trial that did
recruit workers and families (the motivational-interviewing trial of Forrester et
al., 2018).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from helpers.lazy import lazy_exports
from helpers.page import kinds

from .card import CARD
from .parameters import PARAMETERS, SUMMARY, TITLE, Parameters

if TYPE_CHECKING:
    from .analysis import run
    from .curves import CURVE_ICCS, power_curves
    from .figures import plot_dependence, plot_power_curves, plot_referrals
    from .headline import (
        headline_dependence,
        headline_inputs,
        headline_model,
        headline_table,
        what_the_headline_depends_on,
    )
    from .power_check import planned_power, power_table, recommended_design
    from .sizes import referrals_by_eligibility, sample_sizes
    from .summary import brief, landing
    from .trial import comparable_trial, trial_multiples

# Loaded on first use (helpers.lazy): `compendium list` and `params` need only the above.
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "brief": "summary",
        "landing": "summary",
        "run": "analysis",
        "CURVE_ICCS": "curves",
        "power_curves": "curves",
        "plot_dependence": "figures",
        "plot_power_curves": "figures",
        "plot_referrals": "figures",
        "headline_dependence": "headline",
        "headline_inputs": "headline",
        "headline_model": "headline",
        "headline_table": "headline",
        "what_the_headline_depends_on": "headline",
        "planned_power": "power_check",
        "power_table": "power_check",
        "recommended_design": "power_check",
        "referrals_by_eligibility": "sizes",
        "sample_sizes": "sizes",
        "comparable_trial": "trial",
        "trial_multiples": "trial",
    },
)

__all__ = [
    "CARD",
    "CURVE_ICCS",
    "KINDS",
    "PARAMETERS",
    "SUMMARY",
    "TITLE",
    "Parameters",
    "brief",
    "comparable_trial",
    "headline_dependence",
    "headline_inputs",
    "headline_model",
    "headline_table",
    "landing",
    "planned_power",
    "plot_dependence",
    "plot_power_curves",
    "plot_referrals",
    "power_curves",
    "power_table",
    "recommended_design",
    "referrals_by_eligibility",
    "run",
    "sample_sizes",
    "trial_multiples",
    "what_the_headline_depends_on",
]


#: The kind of every number the page glues (helpers.page.kinds). The page reconstructs no records: its numbers
#: are published figures, sums of them, the planner's inputs (assumptions) and what the planner computes from
#: them, by formula or by simulation (model results under the stated assumptions, M). Simulated numbers carry
#: their Monte Carlo errors (``*_mcse``) and are printed by helpers.stats.montecarlo's rule.
KINDS = kinds.declare(
    published={
        "planned_groups": "frontline_planned_groups",
        "published_workers_low": "frontline_workers_per_case_low",
        "published_workers_high": "frontline_workers_per_case_high",
    },
    computed=["mi_workers", "mi_families", "mi_families_per_worker"],
    assumption=[
        "effect_size",
        "icc",
        "families_per_worker",
        "alpha",
        "power_target",
        "attrition",
        "eligibility_rate",
        "eligibility_rate_better",
        "dependence_base",
        "dependence_base_text",
        "dependence_range_low",
        "dependence_range_high",
        "dependence_range_text",
    ],
    model=[
        "n_individual_per_arm",
        "design_effect",
        "n_per_arm_analytic",
        "n_per_arm_no_clustering",
        "workers_per_arm",
        "workers_total",
        "workers_per_arm_t",
        "families_recruited_per_arm",
        "families_recruited_total",
        "n_referred_required",
        "n_referred_required_better",
        "referral_reduction_better",
        "n_referred_required_three_groups",
        "workers_total_three_groups",
        "workers_per_arm_recommended",
        "workers_total_recommended",
        "workers_total_recommended_mcse",
        "workers_total_recommended_text",
        "workers_total_recommended_error_text",
        "families_analysed_per_arm_recommended",
        "families_recruited_total_recommended",
        "families_recruited_total_recommended_mcse",
        "families_recruited_total_recommended_text",
        "n_referred_recommended",
        "n_referred_recommended_mcse",
        "n_referred_recommended_text",
        "n_referred_recommended_better",
        "n_referred_recommended_better_mcse",
        "n_referred_recommended_better_text",
        "referral_reduction_better_recommended",
        "workers_total_worker_means",
        "workers_total_worker_means_mcse",
        "workers_total_worker_means_text",
        "power_simulated_recommended",
        "power_simulated_recommended_mcse",
        "power_simulated_recommended_text",
        "power_analytic",
        "power_exact_t",
        "power_simulated",
        "power_simulated_mcse",
        "power_simulated_text",
        "power_simulated_error_text",
        "power_simulated_worker_means",
        "power_simulated_worker_means_mcse",
        "power_simulated_worker_means_text",
        "power_simulated_no_attrition",
        "power_simulated_no_attrition_mcse",
        "power_simulated_no_attrition_text",
        "mi_power",
        "mi_min_detectable_effect",
        "dependence_referrals_at_low",
        "dependence_referrals_at_low_mcse",
        "dependence_referrals_at_low_text",
        "dependence_referrals_at_high",
        "dependence_referrals_at_high_mcse",
        "dependence_referrals_at_high_text",
        "simulation_margin",
        "simulation_margin_mcse",
        "simulation_margin_text",
        "mi_workers_multiple",
        "mi_workers_multiple_mcse",
        "mi_workers_multiple_text",
        "mi_families_multiple",
        "mi_families_multiple_mcse",
        "mi_families_multiple_text",
    ],
    setting=["n_sims", "designs_simulated", "dependence_range_level"],
)
