"""Section 2 of the study-design page: the formula's design checked by simulation, with families lost at random,
under the planned analysis and under an analysis of unweighted worker means; and the design recommended: the
smallest whose simulated power, under the planned analysis, reaches the target.

The planned analysis is the family-level comparison with worker-clustered (CR2) standard errors
(:func:`helpers.stats.cluster_power.family_cr2_test`): every retained family counts once. An analysis that
compares the workers' mean outcomes, every worker alike however many families they kept, throws that
information away when families are lost at random; the page shows what it would cost, in power at the formula's
design and in the workers it would need."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from helpers.analyses.study_design_power.parameters import Parameters
from helpers.results import AnalysisResult
from helpers.stats import montecarlo
from helpers.stats.cluster_power import (
    Analysis,
    SampleSize,
    SimulatedDesign,
    SimulatedPower,
    families_per_worker_split,
    power_cluster_t,
    power_normal,
    simulate_power,
    workers_for_power_simulated,
)

#: The analysis the page plans with, and the one it is compared with.
PLANNED: Analysis = "families"
COMPARED: Analysis = "worker_means"
#: How far (in Monte Carlo standard errors) a simulated power may lie from the exact power before the page says
#: they differ.
AGREEMENT_Z = 3.0


def _power_row(method: str, power: float, mcse: float = np.nan) -> dict[str, Any]:
    return {"method": method, "power": power, "Monte Carlo error": mcse}


def _agreement(sim: SimulatedPower, exact: float) -> str:
    """Whether a simulated power agrees with an exact one, within :data:`AGREEMENT_Z` Monte Carlo errors."""
    z = (sim.power - exact) / max(sim.mc_se, 1e-12)
    return "agrees with" if abs(z) < AGREEMENT_Z else "differs from"


def planned_power(
    p: Parameters, ss: SampleSize, rng: np.random.Generator
) -> tuple[dict[str, Any], pd.DataFrame, SimulatedPower]:
    """The formula's design checked: normal approximation, exact t without attrition, and simulations drawn from
    ``rng`` (without attrition; with attrition under the planned analysis and, on the same simulated families,
    under unweighted worker means): ``(scalars, the power table, the planned analysis's simulation)``."""
    d, icc, m, alpha, k = p.effect_size, p.icc, p.families_per_worker, p.alpha, ss.workers_per_arm
    recruited = families_per_worker_split(ss.families_recruited_per_arm, k)
    seed = int(rng.integers(2**32))  # the same families for both analyses (common random numbers)
    runs = {
        a: simulate_power(
            d,
            icc,
            recruited,
            alpha=alpha,
            attrition=p.attrition,
            n_sims=p.n_sims,
            seed=seed,
            analysis=a,
            progress=p.show_progress,
        )
        for a in (PLANNED, COMPARED)
    }
    sim, sim_means = runs[PLANNED], runs[COMPARED]
    # Without attrition every worker keeps m families, and the two analyses are the same test.
    sim_full = simulate_power(
        d, icc, m, k, alpha=alpha, attrition=0.0, n_sims=p.n_sims, seed=rng, progress=p.show_progress, analysis=PLANNED
    )
    p_normal = power_normal(d, icc, m, k, alpha)
    p_t = power_cluster_t(d, icc, m, k, alpha)
    table = pd.DataFrame(
        [
            _power_row("Normal approximation (the sample-size formula)", p_normal),
            _power_row("Exact: no families lost (noncentral t)", p_t),
            _power_row("Simulated: no families lost (either analysis)", sim_full.power, sim_full.mc_se),
            _power_row("Simulated: families lost at random, family-level analysis (planned)", sim.power, sim.mc_se),
            _power_row("Simulated: families lost at random, unweighted worker means", sim_means.power, sim_means.mc_se),
        ]
    )
    # What attrition does to the planned analysis's power: the two simulations' difference in their errors.
    z_attrition = (sim.power - sim_full.power) / max(float(np.hypot(sim.mc_se, sim_full.mc_se)), 1e-12)
    scalars = {
        "power_analytic": p_normal,
        "power_exact_t": p_t,
        "power_simulated": sim.power,
        "power_simulated_mcse": sim.mc_se,
        "power_simulated_worker_means": sim_means.power,
        "power_simulated_worker_means_mcse": sim_means.mc_se,
        "power_simulated_no_attrition": sim_full.power,
        "power_simulated_no_attrition_mcse": sim_full.mc_se,
        "power_check_verdict": _agreement(sim_full, p_t),
        "attrition_verdict": "drops to" if z_attrition < -2 else ("rises to" if z_attrition > 2 else "stays at about"),
    }
    return scalars, table, sim


def _referred(recruited_per_arm: int, eligibility_rate: float) -> int:
    return int(np.ceil(round(2 * recruited_per_arm / eligibility_rate, 9)))


def _search(p: Parameters, ss: SampleSize, analysis: Analysis) -> SimulatedDesign:
    """The smallest design reaching the target power by simulation under ``analysis``, searched from the
    formula's design ``ss`` (its own seed, so the formula's design's draws are unchanged)."""
    return workers_for_power_simulated(
        p.effect_size,
        p.icc,
        p.families_per_worker,
        p.alpha,
        p.power,
        p.attrition,
        n_sims=p.n_sims,
        seed=p.seed + 1,
        start=ss.workers_per_arm,
        analysis=analysis,
    )


def recommended_design(p: Parameters, ss: SampleSize, simulated_power: float) -> dict[str, Any]:
    """The smallest design whose simulated power under the planned analysis, families lost at random, reaches
    the target, and whether the formula's design (``simulated_power``) fell short; with the Monte Carlo error of
    each number the search gives (another seed could stop it a worker or so either side); and the workers an
    analysis of unweighted worker means would need instead."""
    m = p.families_per_worker
    rec = _search(p, ss, PLANNED)
    means = _search(p, ss, COMPARED)
    k, se_k = rec.workers_per_arm, rec.workers_mcse
    per_worker_recruited = rec.recruited_per_arm / k  # recruited families per worker, for the errors below
    rec_referred = _referred(rec.recruited_per_arm, p.eligibility_rate)
    rec_referred_better = _referred(rec.recruited_per_arm, p.eligibility_rate_better)
    # Within two Monte Carlo errors of the target, the formula's design is "about right".
    gap = (simulated_power - p.power) / max(rec.simulated.mc_se, 1e-12)
    scalars = {
        "workers_per_arm_recommended": k,
        "workers_total_recommended": 2 * k,
        "workers_total_recommended_mcse": 2 * se_k,
        "families_analysed_per_arm_recommended": k * m,
        "families_recruited_total_recommended": 2 * rec.recruited_per_arm,
        "families_recruited_total_recommended_mcse": 2 * per_worker_recruited * se_k,
        "n_referred_recommended": rec_referred,
        "n_referred_recommended_mcse": 2 * per_worker_recruited * se_k / p.eligibility_rate,
        "n_referred_recommended_better": rec_referred_better,
        "n_referred_recommended_better_mcse": 2 * per_worker_recruited * se_k / p.eligibility_rate_better,
        "referral_reduction_better_recommended": 1 - rec_referred_better / rec_referred,
        "power_simulated_recommended": rec.simulated.power,
        "power_simulated_recommended_mcse": rec.simulated.mc_se,
        "designs_simulated": rec.tried + means.tried,
        "workers_total_worker_means": 2 * means.workers_per_arm,
        "workers_total_worker_means_mcse": 2 * means.workers_mcse,
        "formula_verdict": ("is about right" if abs(gap) < 2 else "falls short" if gap < 0 else "is more than enough"),
        "normal_approximation_note": (
            "The usual formula's design is within two Monte Carlo errors of the target power when checked by "
            "simulation: for this analysis the formula is about right, and the search settles close to it."
            if abs(gap) < 2
            else "The usual formula falls short: the design it gives does not reach the target power when checked "
            "by simulation, so the design recommended here is larger."
            if gap < 0
            else "The usual formula gives more than enough: its design exceeds the target power when checked by "
            "simulation, so the design recommended here is smaller."
        ),
    }
    return scalars


def power_table(result: AnalysisResult) -> pd.DataFrame:
    """The formula's design's power by each method, for the page: exact values to a tenth of a point, simulated ones
    to the precision their Monte Carlo error supports (:mod:`helpers.stats.montecarlo`), with that error."""
    t = result.tables["power"]
    power, error = [], []
    for value, se in zip(t["power"], t["Monte Carlo error"], strict=True):
        simulated = bool(np.isfinite(se))
        power.append(montecarlo.text(value, se, "percent") if simulated else f"{value:.1%}")
        error.append(montecarlo.error_text(se, "percent") if simulated else "exact")
    return pd.DataFrame({"method": t["method"], "power": power, "Monte Carlo error": error})
