"""Sections 1 and 4 of the study-design page: the sample size step by step (the usual formula), and the
families to refer as the share of them who are eligible changes."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from helpers.analyses.study_design_power.parameters import PLANNED_GROUPS, Parameters
from helpers.stats.cluster_power import SampleSize, sample_size, workers_for_power_t


def planned_size(p: Parameters, icc: float | None = None, eligibility: float | None = None) -> SampleSize:
    """The usual formula's design at the page's assumptions (``icc`` or ``eligibility`` replaced if given)."""
    return sample_size(
        p.effect_size,
        p.icc if icc is None else icc,
        p.families_per_worker,
        p.alpha,
        p.power,
        p.attrition,
        p.eligibility_rate if eligibility is None else eligibility,
    )


def design_table(ss: SampleSize) -> pd.DataFrame:
    """The formula's steps, each with its value and how it is computed."""
    steps = [
        (
            "Families per group if families were independent (normal approximation)",
            ss.n_individual,
            "2 (z₁₋α/₂ + z_power)² / d²",
        ),
        ("Design effect", ss.design_effect, "1 + (m − 1) × ICC"),
        ("Families analysed per group", ss.n_per_arm, "independent × design effect, rounded up"),
        ("Social workers per group", ss.workers_per_arm, "families per group / m, rounded up"),
        (
            "Families recruited per group",
            ss.families_recruited_per_arm,
            "families per group / (1 − attrition), rounded up",
        ),
        ("Families referred (both groups)", ss.n_referred, "2 × recruited per group / eligibility rate, rounded up"),
    ]
    return pd.DataFrame([{"step": step, "value": value, "formula": formula} for step, value, formula in steps])


def sample_sizes(p: Parameters) -> tuple[dict[str, Any], pd.DataFrame, dict[str, SampleSize]]:
    """Section 1: the design the usual formula gives, without clustering, under better system conditions and
    for the three groups first planned: ``(scalars, the design table, {"ss", "ss_better"})``."""
    ss = planned_size(p)
    ss_better = planned_size(p, eligibility=p.eligibility_rate_better)
    ss_no_cluster = planned_size(p, icc=0.0)
    # The three groups first planned, each compared with Frontline: Bonferroni over the two comparisons.
    comparisons = PLANNED_GROUPS - 1
    ss_three = sample_size(
        p.effect_size,
        p.icc,
        p.families_per_worker,
        p.alpha / comparisons,
        p.power,
        p.attrition,
        p.eligibility_rate,
        n_arms=PLANNED_GROUPS,
    )
    k_t = workers_for_power_t(
        p.effect_size, p.icc, p.families_per_worker, p.alpha, p.power, start=max(2, ss.workers_per_arm - 5)
    )
    scalars = {
        "effect_size": p.effect_size,
        "icc": p.icc,
        "families_per_worker": p.families_per_worker,
        "alpha": p.alpha,
        "power_target": p.power,
        "attrition": p.attrition,
        "eligibility_rate": p.eligibility_rate,
        "eligibility_rate_better": p.eligibility_rate_better,
        "n_individual_per_arm": ss.n_individual,
        "design_effect": ss.design_effect,
        "n_per_arm_analytic": ss.n_per_arm,
        "n_per_arm_no_clustering": ss_no_cluster.n_per_arm,
        "workers_per_arm": ss.workers_per_arm,
        "workers_total": ss.workers_total,
        "workers_per_arm_t": k_t,
        "families_recruited_per_arm": ss.families_recruited_per_arm,
        "families_recruited_total": ss.families_recruited_total,
        "n_referred_required": ss.n_referred,
        "n_referred_required_better": ss_better.n_referred,
        "referral_reduction_better": 1 - ss_better.n_referred / ss.n_referred,
        "planned_groups": PLANNED_GROUPS,
        "n_referred_required_three_groups": ss_three.n_referred,
        "workers_total_three_groups": ss_three.workers_total,
    }
    return scalars, design_table(ss), {"ss": ss, "ss_better": ss_better}


def referrals_by_eligibility(recruited_total: int) -> pd.DataFrame:
    """Section 4: the families to refer, to recruit ``recruited_total``, at each eligibility rate from 5% to 100%
    (at 100% every referred family is eligible: a design without the one-worker rule)."""
    rates = np.round(np.linspace(0.05, 1.0, 96), 4)
    referred = [int(np.ceil(round(recruited_total / r, 9))) for r in rates]
    return pd.DataFrame({"eligibility_rate": rates, "referred": referred})
