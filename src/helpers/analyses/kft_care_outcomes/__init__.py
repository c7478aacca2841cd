"""Keeping Families Together (KFT): care outcomes of children and young people referred as at high risk of care.

Published (Reclaiming Social Work evaluation, Bostock et al. 2017): of 119
children referred from multi-agency resource panels as at high risk of care,
79 % remained at home and 25 (21 %) subsequently received some form of care,
against the units' target of keeping 50 % at home safely.

The analysis works from these published aggregates alone (no case-level data
are needed):

1. reproduce the published shares from the published counts;
2. an interval for the share at home (Wilson, Clopper–Pearson or Jeffreys);
3. a one-sided exact binomial test of the share at home against the target,
   and the smallest number at home that would have met the target with
   significance;
4. an *illustrative* cost-avoidance model under stated assumptions, with a
   probabilistic sensitivity analysis (PSA) and a one-way tornado analysis.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from helpers.lazy import lazy_exports
from helpers.page import kinds

from .card import CARD
from .parameters import PARAMETERS, SUMMARY, TITLE, Parameters

if TYPE_CHECKING:
    from .analysis import run
    from .cost import (
        COST_INPUT_LABELS,
        COST_SHARES,
        breakeven_care_rate,
        children_diverted,
        cost_avoidance,
        cost_inputs,
        cost_model,
        net_saving_by_counterfactual,
        weekly_cost,
    )
    from .design import (
        DESIGN_INPUTS,
        breaking_design_effect,
        clustering_dependence,
        design_dependence,
        design_effect,
        design_inputs,
        design_model,
        p_value_with_design_effect,
    )
    from .figures import (
        plot_breakeven,
        plot_design_dependence,
        plot_null_distribution,
        plot_psa,
        plot_share_at_home,
        plot_tornado,
    )
    from .summary import brief, landing
    from .target import compare_with_target, reproduce_shares, share_interval, smallest_meeting_target

# Loaded on first use (helpers.lazy): `compendium list` and `params` need only the above.
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "run": "analysis",
        "brief": "summary",
        "landing": "summary",
        "COST_INPUT_LABELS": "cost",
        "COST_SHARES": "cost",
        "children_diverted": "cost",
        "cost_avoidance": "cost",
        "breakeven_care_rate": "cost",
        "net_saving_by_counterfactual": "cost",
        "cost_inputs": "cost",
        "cost_model": "cost",
        "weekly_cost": "cost",
        "DESIGN_INPUTS": "design",
        "breaking_design_effect": "design",
        "clustering_dependence": "design",
        "design_dependence": "design",
        "design_effect": "design",
        "design_inputs": "design",
        "design_model": "design",
        "p_value_with_design_effect": "design",
        "plot_breakeven": "figures",
        "plot_design_dependence": "figures",
        "plot_null_distribution": "figures",
        "plot_psa": "figures",
        "plot_share_at_home": "figures",
        "plot_tornado": "figures",
        "compare_with_target": "target",
        "reproduce_shares": "target",
        "share_interval": "target",
        "smallest_meeting_target": "target",
    },
)

__all__ = [
    "CARD",
    "COST_INPUT_LABELS",
    "COST_SHARES",
    "DESIGN_INPUTS",
    "KINDS",
    "PARAMETERS",
    "SUMMARY",
    "TITLE",
    "Parameters",
    "breakeven_care_rate",
    "breaking_design_effect",
    "brief",
    "children_diverted",
    "clustering_dependence",
    "compare_with_target",
    "cost_avoidance",
    "cost_inputs",
    "cost_model",
    "design_dependence",
    "design_effect",
    "design_inputs",
    "design_model",
    "landing",
    "net_saving_by_counterfactual",
    "p_value_with_design_effect",
    "plot_breakeven",
    "plot_design_dependence",
    "plot_null_distribution",
    "plot_psa",
    "plot_share_at_home",
    "plot_tornado",
    "reproduce_shares",
    "run",
    "share_interval",
    "smallest_meeting_target",
    "weekly_cost",
]


#: The kind of every number the page states (helpers.page.kinds): the counts and the target were published; the
#: shares, the interval, the test and what it would take to change its verdict are computed from them; the cost
#: model and the allowance for siblings are models under stated assumptions; the rest are the page's choices.
KINDS = kinds.declare(
    published={
        "n_referred": "kft_n_referred",
        "n_entered_care": "kft_n_entered_care",
        "home_pct_published": "kft_home_pct",
        "care_pct_published": "kft_care_pct",
        "target_home_rate": "kft_target_home_pct",
        "weekly_cost_foster": "cost_foster_week_pssru2017",
        "weekly_cost_foster_text": "cost_foster_week_pssru2017",
        "weekly_cost_residential": "cost_childrens_home_week_dfe2016",
        "weekly_cost_residential_text": "cost_childrens_home_week_dfe2016",
    },
    # (target_verdict is a phrase ending in the test's p-value, so it carries the p-value's mark)
    computed=[
        "target_verdict",
        "p_value_text",
        "breaking_group_size",
        "n_at_home",
        "home_rate",
        "care_rate",
        "home_rate_ci_low",
        "home_rate_ci_high",
        "p_value_vs_target",
        "min_home_for_target",
        "min_home_rate_for_target",
        "breaking_design_effect",
    ],
    model=[
        "children_diverted",
        "weekly_cost_mix",
        "gross_saving_base",
        "service_cost_total",
        "net_saving_base",
        "net_saving_base_text",
        "breakeven_care_rate",
        "breakeven_text",
        "net_saving_mean",
        "net_saving_low",
        "net_saving_high",
        "prob_net_saving_positive",
        "net_saving_mean_text",
        "net_saving_low_text",
        "net_saving_high_text",
        "prob_net_saving_positive_text",
        "p_value_design_effect",
        "p_value_design_effect_text",
        "home_rate_ci_low_deff",
        "home_rate_ci_high_deff",
        "rate_above_breakeven",
        "psa_share_text",
        "design_worst_p_value",
        "design_worst_p_text",
    ],
    assumption=[
        "ci_level",
        "alpha",
        "counterfactual_care_rate",
        "weeks_in_care_avoided",
        "share_residential",
        "psa_cv",
        "children_per_family",
        "within_family_icc",
        "design_effect_base",
        "design_range_low",
        "design_range_high",
        "service_cost_per_child_text",
    ],
    setting=["psa_draws"],
    # The shares and their interval are computed from the two counts alone: a run with another target keeps
    # them computed from published figures (the test against the target becomes the run's model result).
    # The recomputed shares print as the report's 79% and 21%: a published figure restated keeps its mark.
    restates={"home_rate": "kft_home_pct", "care_rate": "kft_care_pct"},
    inputs=dict.fromkeys(
        ("n_at_home", "home_rate", "care_rate", "home_rate_ci_low", "home_rate_ci_high"),
        ("n_referred", "n_entered_care"),
    ),
)
