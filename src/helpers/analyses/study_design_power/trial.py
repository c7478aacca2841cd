"""Section 5 of the study-design page: what a comparable trial that did recruit could detect (the
motivational-interviewing trial of Forrester et al., 2018)."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats as sps

from helpers.analyses.study_design_power.parameters import (
    MI_FAMILIES,
    MI_FAMILIES_PER_WORKER,
    MI_WORKERS,
    WORKERS_HIGH,
    WORKERS_LOW,
    Parameters,
)
from helpers.stats.cluster_power import power_normal


def trial_multiples(recommended: dict[str, Any]) -> dict[str, Any]:
    """How many times the trial's social workers and families the recommended design needs, with Monte Carlo
    errors (the design's, over the trial's fixed sizes). Families: the design's recruited families over the
    trial's families."""
    workers = recommended["workers_total_recommended"] / MI_WORKERS
    families = recommended["families_recruited_total_recommended"] / MI_FAMILIES
    return {
        "mi_workers_multiple": workers,
        "mi_workers_multiple_mcse": recommended["workers_total_recommended_mcse"] / MI_WORKERS,
        "mi_families_multiple": families,
        "mi_families_multiple_mcse": recommended["families_recruited_total_recommended_mcse"] / MI_FAMILIES,
    }


def comparable_trial(p: Parameters) -> dict[str, Any]:
    """The trial's power for the page's effect size and ICC, and the smallest effect it could detect with the
    target power (normal approximation, at its own size)."""
    d, icc, alpha = p.effect_size, p.icc, p.alpha
    mi_per_arm_workers = MI_WORKERS / 2
    mi_m = MI_FAMILIES_PER_WORKER
    z_sum = sps.norm.ppf(1 - alpha / 2) + sps.norm.ppf(p.power)
    return {
        "mi_workers": MI_WORKERS,
        "mi_families": MI_FAMILIES,
        "mi_families_per_worker": mi_m,
        "mi_power": power_normal(d, icc, mi_m, mi_per_arm_workers, alpha),
        "mi_min_detectable_effect": float(z_sum * np.sqrt(2 * (icc + (1 - icc) / mi_m) / mi_per_arm_workers)),
        "published_workers_low": WORKERS_LOW,
        "published_workers_high": WORKERS_HIGH,
    }
