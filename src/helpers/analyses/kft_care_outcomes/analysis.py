"""The kft_care_outcomes analysis: ``run()`` (and what it needs), loaded on first use of the package's ``run``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from helpers.analyses.kft_care_outcomes.cost import cost_avoidance, net_saving_by_counterfactual
from helpers.analyses.kft_care_outcomes.design import clustering_dependence
from helpers.analyses.kft_care_outcomes.parameters import PARAMETERS
from helpers.analyses.kft_care_outcomes.target import (
    compare_with_target,
    reproduce_shares,
    share_interval,
    smallest_meeting_target,
)
from helpers.page.registry import registry_input
from helpers.page.reproduce import FigureUse
from helpers.results import AnalysisResult


def run(params: Mapping[str, Any]) -> AnalysisResult:
    """The whole analysis for validated parameters, section by section in page order."""
    p = PARAMETERS.validate(params)
    shares, checks = reproduce_shares(p)  # 1. the published shares from the published counts
    interval, intervals = share_interval(p)  # 2. an interval for the share at home
    test, null = compare_with_target(p)  # 3. the exact test against the target,
    smallest, k_min = smallest_meeting_target(p)  # and the fewest at home that would have met it
    design, design_figures = clustering_dependence(p, float(test["p_value_vs_target"]))  # what the test rests on
    cost, draws, swings = cost_avoidance(p)  # 4. illustrative cost avoidance
    return AnalysisResult(
        notebook="kft_care_outcomes",
        params=dict(p),
        scalars={**shares, **interval, **test, **cost, **design, **smallest},  # the order results.json has had
        tables={
            "intervals": intervals,
            "tornado": swings,
            "breakeven": net_saving_by_counterfactual(p),
            "design_tornado": design_figures["design_tornado"],
            "design_dependence": design_figures["design_dependence"],
        },
        data={
            "null_distribution": null,
            "psa": draws,
            "min_home_for_target": k_min,
            "design_base": design_figures["design_base"],
        },
        checks=checks,
        figures_used=[
            FigureUse("kft_n_referred", "input"),
            FigureUse("kft_n_entered_care", "input"),
            FigureUse("kft_home_pct", "reproduced", checks[0].status),
            FigureUse("kft_care_pct", "reproduced", checks[1].status),
            FigureUse("kft_target_home_pct", "input"),
            FigureUse("cost_foster_week_pssru2017", "input"),
            FigureUse("cost_childrens_home_week_dfe2016", "input"),
        ],
        inputs=registry_input(),
    )
