"""The study_design_power analysis: ``run()`` (and what it needs), loaded on first use of the package's ``run``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from helpers.analyses.study_design_power.curves import power_curves
from helpers.analyses.study_design_power.headline import what_the_headline_depends_on
from helpers.analyses.study_design_power.parameters import PARAMETERS
from helpers.analyses.study_design_power.power_check import planned_power, recommended_design
from helpers.analyses.study_design_power.sizes import referrals_by_eligibility, sample_sizes
from helpers.analyses.study_design_power.trial import comparable_trial, trial_multiples
from helpers.page.registry import registry_input
from helpers.page.reproduce import FigureUse
from helpers.results import AnalysisResult
from helpers.stats import montecarlo

#: Every simulated number the page's prose prints, and how (:func:`helpers.stats.montecarlo.texts`).
MC_STYLES: dict[str, str] = {
    "power_simulated": "percent",
    "power_simulated_worker_means": "percent",
    "power_simulated_no_attrition": "percent",
    "power_simulated_recommended": "percent",
    "workers_total_recommended": "count",
    "workers_total_worker_means": "count",
    "families_recruited_total_recommended": "count",
    "n_referred_recommended": "count",
    "n_referred_recommended_better": "count",
    "dependence_referrals_at_low": "count",
    "dependence_referrals_at_high": "count",
    "simulation_margin": "ratio",
    "mi_workers_multiple": "ratio",
    "mi_families_multiple": "ratio",
}


def run(params: Mapping[str, Any]) -> AnalysisResult:
    """The whole analysis for validated parameters, section by section in page order. The page opens with
    what its headline depends on most; that is computed last, from the recommended design of section 2."""
    p = PARAMETERS.validate(params)
    rng = np.random.default_rng(p.seed)  # drawn from in turn by sections 2 and 3
    sizes, design, designs = sample_sizes(p)  # 1. the sample size, step by step
    ss = designs["ss"]
    power, power_table, sim = planned_power(p, ss, rng)  # 2. checking the power by simulation
    recommended = recommended_design(p, ss, sim.power)
    curve_check, curves, sim_points = power_curves(p, ss.workers_per_arm, rng)  # 3. power curves by ICC
    referral = referrals_by_eligibility(int(recommended["families_recruited_total_recommended"]))  # 4. eligibility
    trial = comparable_trial(p) | trial_multiples(recommended)  # 5. what a trial that did recruit could detect
    headline, dependence = what_the_headline_depends_on(p, ss, recommended)
    scalars = {**sizes, **recommended, **power, **curve_check, "n_sims": p.n_sims, **trial, **headline}
    scalars.update(montecarlo.texts(scalars, MC_STYLES))  # simulated numbers as the body's prose prints them
    scalars.update(
        {
            "workers_total_recommended_error_text": montecarlo.error_text(scalars["workers_total_recommended_mcse"]),
            "power_simulated_error_text": montecarlo.error_text(scalars["power_simulated_mcse"], "percent"),
        }
    )
    return AnalysisResult(
        notebook="study_design_power",
        params=dict(p),
        scalars=scalars,
        tables={
            "design": design,
            "power": power_table,
            "curves": curves,
            "sim_points": sim_points,
            "referral": referral,
            **dependence,
        },
        data=designs,
        checks=[],
        figures_used=[
            FigureUse("frontline_planned_groups", "input"),
            FigureUse("frontline_workers_per_case_low", "quoted"),
            FigureUse("frontline_workers_per_case_high", "quoted"),
            FigureUse("forrester2018_mi_workers_a", "input"),
            FigureUse("forrester2018_mi_workers_b", "input"),
            FigureUse("forrester2018_mi_families_a", "input"),
            FigureUse("forrester2018_mi_families_b", "input"),
        ],
        inputs=registry_input(),
    )
