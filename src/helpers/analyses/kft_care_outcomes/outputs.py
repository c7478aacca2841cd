"""What each of the KFT page's results is: a description and a unit (``results.json``; helpers.outputs)."""

from __future__ import annotations

from helpers.outputs import FLAG, GBP, P_VALUE, PERCENT, PROBABILITY, PROPORTION, RATIO, TEXT, declare, echo

from .parameters import PARAMETERS

_TOP = "the unit of the input named by design_top_input"

OUTPUTS = declare(
    {
        "n_referred": echo(PARAMETERS, "n_referred"),
        "n_entered_care": echo(PARAMETERS, "n_entered_care"),
        "n_at_home": ("Referred children who stayed at home: referred minus entered care", "children"),
        "home_rate": ("Share of referred children who stayed at home", PROPORTION),
        "care_rate": ("Share of referred children who entered care", PROPORTION),
        "home_pct_published": ("The report's published percentage of referred children who stayed at home", PERCENT),
        "care_pct_published": ("The report's published percentage of referred children who entered care", PERCENT),
        "home_rate_reproduction": (
            "Whether the share at home, rounded as published, reproduces the published percentage "
            "(reproduced, not reproduced, or not applicable when the counts were changed)",
            TEXT,
        ),
        "care_rate_reproduction": (
            "Whether the share in care, rounded as published, reproduces the published percentage",
            TEXT,
        ),
        "ci_level": echo(PARAMETERS, "ci_level", PROPORTION),
        "ci_method_label": ("Name of the interval method used for the share at home", TEXT),
        "target_home_rate": echo(PARAMETERS, "target_home_rate", PROPORTION),
        "alpha": echo(PARAMETERS, "alpha", PROBABILITY),
        "p_value_vs_target": (
            "P-value of the one-sided exact binomial test of the share at home against the target (a true rate at "
            "or below the target)",
            P_VALUE,
        ),
        "p_value_text": ("The p-value against the target as the page writes it", TEXT),
        "target_verdict": ("Whether the share at home exceeds the target and what the test concludes", TEXT),
        "counterfactual_care_rate": echo(PARAMETERS, "counterfactual_care_rate", PROPORTION),
        "children_diverted": (
            "Children assumed diverted from care: referred times the assumed counterfactual care rate, minus "
            "those who entered care",
            "children",
        ),
        "weeks_in_care_avoided": echo(PARAMETERS, "weeks_in_care_avoided"),
        "weekly_cost_foster": echo(PARAMETERS, "weekly_cost_foster"),
        "weekly_cost_foster_text": ("Foster care's weekly cost as the page writes it", TEXT),
        "weekly_cost_residential": echo(PARAMETERS, "weekly_cost_residential"),
        "weekly_cost_residential_text": ("A children's home's weekly cost as the page writes it", TEXT),
        "share_residential": echo(PARAMETERS, "share_residential", PROPORTION),
        "weekly_cost_mix": (
            "Weekly cost of an avoided placement, foster care and children's homes weighted by share_residential",
            "GBP per week",
        ),
        "gross_saving_base": ("Cost of care avoided before the service's cost, with every input at its base", GBP),
        "service_cost_total": ("Cost of the service for every referred child", GBP),
        "net_saving_base": ("Net cost avoided (care avoided minus the service's cost), every input at its base", GBP),
        "net_saving_mean": ("Mean net cost avoided across the probabilistic sensitivity analysis's draws", GBP),
        "net_saving_low": (
            "Lower end of the central ci_level range of the net cost avoided across the sensitivity draws",
            GBP,
        ),
        "net_saving_high": (
            "Upper end of the central ci_level range of the net cost avoided across the sensitivity draws",
            GBP,
        ),
        "prob_net_saving_positive": (
            "Share of the sensitivity analysis's draws in which the net cost avoided is positive",
            PROPORTION,
        ),
        "net_saving_base_text": ("The base net cost avoided as the page writes it (pounds, rounded)", TEXT),
        "breakeven_care_rate": (
            "The counterfactual share of referred children entering care at which the net saving is zero (above 1: "
            "no share breaks even)",
            PROPORTION,
        ),
        "breakeven_reachable": ("Whether some counterfactual share of entering care makes the net saving zero", FLAG),
        "breakeven_text": ("Where the net saving turns positive, in words", TEXT),
        "psa_share_text": (
            "Why the share of sensitivity draws showing a saving follows from the assumed counterfactual rate (words)",
            TEXT,
        ),
        "rate_above_breakeven": (
            "Share of the sensitivity analysis's assumed distribution of the counterfactual care rate that lies "
            "above the break-even rate (exact, not simulated)",
            PROPORTION,
        ),
        "net_saving_mean_text": ("The mean net cost avoided as the page writes it", TEXT),
        "net_saving_low_text": ("The lower end of the net cost avoided's range as the page writes it", TEXT),
        "net_saving_high_text": ("The upper end of the net cost avoided's range as the page writes it", TEXT),
        "service_cost_per_child_text": ("The assumed service cost per child as the page writes it", TEXT),
        "psa_draws": echo(PARAMETERS, "psa_draws", "draws"),
        "psa_cv": echo(PARAMETERS, "psa_cv", RATIO),
        "tornado_top_input": ("The cost input whose range moves the net cost avoided most (tornado)", TEXT),
        "children_per_family": (
            "Assumed children per family among those referred (design-effect base case)",
            "children",
        ),
        "within_family_icc": (
            "Assumed correlation of outcomes between siblings (intra-class correlation, design-effect base case)",
            PROPORTION,
        ),
        "design_effect_base": (
            "Design effect of siblings referred together, at the assumed children per family and correlation",
            RATIO,
        ),
        "home_rate_ci_low_deff": (
            "Lower limit of the interval for the share at home on the effective numbers (counts divided by the base "
            "design effect)",
            PROPORTION,
        ),
        "home_rate_ci_high_deff": (
            "Upper limit of the interval for the share at home on the effective numbers (counts divided by the base "
            "design effect)",
            PROPORTION,
        ),
        "p_value_design_effect": ("The test against the target allowing for the base design effect", P_VALUE),
        "p_value_design_effect_text": ("That p-value as the page writes it", TEXT),
        "design_top_input": ("The design-effect assumption the verdict depends on most (its name)", TEXT),
        "design_worst_p_value": ("Largest p-value against the target as that assumption moves over its range", P_VALUE),
        "design_verdict_survives": ("True when the test's verdict holds over that whole range", FLAG),
        "design_verdict_words": ("Whether the verdict holds or changes, in a word", TEXT),
        "design_top_label": ("The design-effect assumption the verdict depends on most, in words", TEXT),
        "design_range_low": ("Lowest value of that assumption in its plausible range", _TOP),
        "design_range_high": ("Highest value of that assumption in its plausible range", _TOP),
        "design_worst_p_text": ("The largest p-value over that range, in words", TEXT),
        "design_dependence_text": ("What the test's verdict depends on, in sentences", TEXT),
        "breaking_design_effect": ("Smallest design effect at which the test would no longer reject the target", RATIO),
        "breaking_group_size": (
            "Sibling group size, all sharing one outcome, that gives that design effect (rounded up)",
            "children",
        ),
        "min_home_for_target": (
            "Smallest number at home that would have met the target with significance at alpha",
            "children",
        ),
        "min_home_rate_for_target": ("That number as a share of the referred children", PROPORTION),
    }
)
