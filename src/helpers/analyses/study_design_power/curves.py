"""Section 3 of the study-design page: power curves for several intra-class correlations (exact t: with every
worker keeping the same number of families, the planned family-level analysis is the t-test on worker means), with
simulated points at the chosen one."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from helpers.analyses.study_design_power.parameters import Parameters
from helpers.stats.cluster_power import power_cluster_t, simulate_power

#: ICCs drawn in the power curves (method constants: a spread of values seen for clustered
#: outcomes in social and health services; the chosen ICC is always added).
CURVE_ICCS: tuple[float, ...] = (0.0, 0.02, 0.05, 0.1, 0.2)


def _curve_workers(k_needed: int) -> np.ndarray:
    """Workers per arm along the power curves: from 2 to well past the planned design."""
    top = max(20, int(np.ceil(1.6 * k_needed)))
    return np.unique(np.linspace(2, top, min(60, top - 1)).round().astype(int))


def _simulated_points(p: Parameters, ks: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """Six simulated trials' power (with Monte Carlo intervals) along the curve at the chosen ICC."""
    d, icc, m, alpha = p.effect_size, p.icc, p.families_per_worker, p.alpha
    sim_ks = np.unique(np.linspace(max(3, ks.min()), ks.max(), 6).round().astype(int))
    points = []
    for kk in sim_ks:
        s_k = simulate_power(
            d, icc, m, int(kk), alpha=alpha, n_sims=p.n_sims, seed=rng, progress=p.show_progress, analysis="families"
        )
        lo, hi = s_k.interval(0.95)
        points.append(
            {
                "workers_per_arm": int(kk),
                "families_per_arm": int(kk) * m,
                "power": s_k.power,
                "low": lo,
                "high": hi,
                "analytic": power_cluster_t(d, icc, m, int(kk), alpha),
            }
        )
    return pd.DataFrame(points)


def power_curves(
    p: Parameters, workers_per_arm: int, rng: np.random.Generator
) -> tuple[dict[str, Any], pd.DataFrame, pd.DataFrame]:
    """The exact power along workers per arm (to well past ``workers_per_arm``) for each ICC, and simulated
    points at the chosen ICC drawn from ``rng``, with how far the worst lies from its curve in Monte Carlo
    standard errors (as a verdict): ``(scalars, curves, simulated points)``."""
    d, m, alpha = p.effect_size, p.families_per_worker, p.alpha
    iccs = sorted(set(CURVE_ICCS) | {p.icc})
    ks = _curve_workers(workers_per_arm)
    curves = pd.DataFrame(
        [
            {"icc": r, "workers_per_arm": kk, "families_per_arm": kk * m, "power": power_cluster_t(d, r, m, kk, alpha)}
            for r in iccs
            for kk in ks
        ]
    )
    sim_points = _simulated_points(p, ks, rng)
    analytic = sim_points["analytic"]
    worst_gap = float(
        ((sim_points["power"] - analytic).abs() / np.sqrt(analytic * (1 - analytic) / p.n_sims).clip(lower=1e-9)).max()
    )
    scalars = {"curve_verdict": "lie on" if worst_gap < 3 else "do not lie on"}
    return scalars, curves, sim_points
