"""Section 2 of the study-design page: the planned design's power, analytic and simulated family by family
with families lost at random, and the design recommended: the smallest whose simulated power reaches the
target."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from helpers.analyses.study_design_power.parameters import Parameters
from helpers.stats.cluster_power import (
    SampleSize,
    SimulatedPower,
    families_per_worker_split,
    power_cluster_t,
    power_normal,
    simulate_power,
    workers_for_power_simulated,
)


def _power_row(method: str, power: float, low: float = np.nan, high: float = np.nan) -> dict[str, Any]:
    return {"method": method, "power": power, "low": low, "high": high}


def planned_power(
    p: Parameters, ss: SampleSize, rng: np.random.Generator
) -> tuple[dict[str, Any], pd.DataFrame, SimulatedPower]:
    """The formula's design checked: normal approximation, exact t, and two simulations (with and without
    attrition) drawn from ``rng``: ``(scalars, the power table, the simulation with attrition)``."""
    d, icc, m, alpha, k = p.effect_size, p.icc, p.families_per_worker, p.alpha, ss.workers_per_arm
    recruited = families_per_worker_split(ss.families_recruited_per_arm, k)
    sim = simulate_power(
        d, icc, recruited, alpha=alpha, attrition=p.attrition, n_sims=p.n_sims, seed=rng, progress=p.show_progress
    )
    sim_low, sim_high = sim.interval(0.95)
    sim_full = simulate_power(
        d, icc, m, k, alpha=alpha, attrition=0.0, n_sims=p.n_sims, seed=rng, progress=p.show_progress
    )
    p_normal = power_normal(d, icc, m, k, alpha)
    p_t = power_cluster_t(d, icc, m, k, alpha)
    # Monte Carlo check of the exact power without attrition: z-score of the difference.
    z_check = (sim_full.power - p_t) / max(sim_full.mc_se, 1e-12)
    # What attrition does to the simulated power: z-score of the difference of the two simulations.
    z_attrition = (sim.power - sim_full.power) / max(float(np.hypot(sim.mc_se, sim_full.mc_se)), 1e-12)
    table = pd.DataFrame(
        [
            _power_row("Normal approximation (the sample-size formula)", p_normal),
            _power_row("Exact: cluster-level t-test, no attrition (noncentral t)", p_t),
            _power_row("Simulated: no attrition", sim_full.power, sim_full.interval()[0], sim_full.interval()[1]),
            _power_row("Simulated: families lost at random (the planned design)", sim.power, sim_low, sim_high),
        ]
    )
    scalars = {
        "power_analytic": p_normal,
        "power_exact_t": p_t,
        "power_simulated": sim.power,
        "power_simulated_ci_low": sim_low,
        "power_simulated_ci_high": sim_high,
        "power_simulated_no_attrition": sim_full.power,
        "power_check_z": z_check,
        "power_check_verdict": "agrees with" if abs(z_check) < 3 else "differs from",
        "attrition_check_z": z_attrition,
        "attrition_verdict": "drops to" if z_attrition < -2 else ("rises to" if z_attrition > 2 else "stays at about"),
    }
    return scalars, table, sim


def _referred(recruited_per_arm: int, eligibility_rate: float) -> int:
    return int(np.ceil(round(2 * recruited_per_arm / eligibility_rate, 9)))


def recommended_design(p: Parameters, ss: SampleSize, simulated_power: float) -> dict[str, Any]:
    """The smallest design whose simulated power, families lost at random, reaches the target (the normal
    approximation ignores the t distribution's few degrees of freedom and the unequal numbers of families
    attrition leaves), searched upward from the formula's design ``ss``, and whether that design
    (``simulated_power``) fell short. Its own seed, so
    the planned design's draws are unchanged."""
    m = p.families_per_worker
    rec = workers_for_power_simulated(
        p.effect_size,
        p.icc,
        m,
        p.alpha,
        p.power,
        p.attrition,
        n_sims=p.n_sims,
        seed=p.seed + 1,
        start=ss.workers_per_arm,
    )
    rec_low, rec_high = rec.simulated.interval(0.95)
    rec_referred = _referred(rec.recruited_per_arm, p.eligibility_rate)
    rec_referred_better = _referred(rec.recruited_per_arm, p.eligibility_rate_better)
    normal_short = simulated_power < p.power
    return {
        "workers_per_arm_recommended": rec.workers_per_arm,
        "workers_total_recommended": 2 * rec.workers_per_arm,
        "families_analysed_per_arm_recommended": rec.workers_per_arm * m,
        "families_recruited_total_recommended": 2 * rec.recruited_per_arm,
        "n_referred_recommended": rec_referred,
        "n_referred_recommended_better": rec_referred_better,
        "referral_reduction_better_recommended": 1 - rec_referred_better / rec_referred,
        "power_simulated_recommended": rec.simulated.power,
        "power_simulated_recommended_ci_low": rec_low,
        "power_simulated_recommended_ci_high": rec_high,
        "designs_simulated": rec.tried,
        "normal_approximation_verdict": ("falls short of the target" if normal_short else "reaches the target"),
        "normal_approximation_note": (
            "The usual formula falls short: the design it gives does not reach the target power when checked "
            "by simulation, so the design recommended here is larger."
            if normal_short
            else "The usual formula gives a design that reaches the target power when checked by simulation."
        ),
    }
