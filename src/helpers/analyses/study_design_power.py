"""A study-design planner: why the Frontline evaluation could not measure impact, and what would.

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
target (:func:`helpers.stats.cluster_power.workers_for_power_simulated`), and says when
the normal approximation falls short; draws power
curves for several ICCs; and sets the numbers against a comparable trial that did
recruit workers and families (the motivational-interviewing trial of Forrester et
al., 2018).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter
import numpy as np
import pandas as pd
from scipy import stats as sps

from helpers.stats.cluster_power import (
    families_per_worker_split,
    power_cluster_t,
    power_normal,
    sample_size,
    simulate_power,
    workers_for_power_simulated,
    workers_for_power_t,
)
from helpers.page import kinds
from helpers.params import Constraint, ParamSpec, ParameterSet, param
from helpers.page.plotting import COLOURS, PALETTE, PERCENT, dependence_plot
from helpers.page.registry import published, registry_input
from helpers.page.reproduce import FigureUse
from helpers.results import AnalysisResult
from helpers.stats.sensitivity import Uncertain, central_range, depends_most

_MI_WORKERS = published("forrester2018_mi_workers_a") + published("forrester2018_mi_workers_b")
_MI_FAMILIES = published("forrester2018_mi_families_a") + published("forrester2018_mi_families_b")
_MI_FAMILIES_PER_WORKER = _MI_FAMILIES / _MI_WORKERS
_PLANNED_GROUPS = published("frontline_planned_groups")
_WORKERS_LOW = published("frontline_workers_per_case_low")
_WORKERS_HIGH = published("frontline_workers_per_case_high")

#: ICCs drawn in the power curves (method constants: a spread of values seen for clustered
#: outcomes in social and health services; the chosen ICC is always added).
CURVE_ICCS: tuple[float, ...] = (0.0, 0.02, 0.05, 0.1, 0.2)

TITLE = "Study design: how many workers and families an evaluation of Frontline would need"
SUMMARY = (
    "Frontline evaluation (Dartington, 2018): families per arm with the design effect, workers and referred "
    "families given attrition and eligibility, vectorised Monte Carlo power check, the smallest design that "
    "reaches the target power by simulation, power curves by ICC"
)


class Parameters(
    ParameterSet,
    constraints=(
        Constraint(("power", "alpha"), lambda p: p["power"] > p["alpha"], "more than alpha"),
        Constraint(
            ("eligibility_rate_better", "eligibility_rate"),
            lambda p: p["eligibility_rate_better"] >= p["eligibility_rate"],
            "at least eligibility_rate (better conditions cannot make fewer families eligible)",
        ),
    ),
):
    """This analysis's parameters, in notebook order (validated values: ``PARAMETERS.validate``)."""

    effect_size: float = param(
        0.3,
        "Standardised difference in the family outcome between the arms (Cohen's d; assumption)",
        minimum=0,
        maximum=3,
        minimum_exclusive=True,
        unit="SD",
    )
    icc: float = param(
        0.05,
        "Intra-class correlation of the family outcome within workers (share of its variance between "
        "workers; assumption)",
        minimum=0,
        maximum=1,
        maximum_exclusive=True,
    )
    families_per_worker: int = param(
        3,
        f"Families analysed per worker (assumption; the motivational-interviewing trial had about "
        f"{_MI_FAMILIES_PER_WORKER:.1f})",
        minimum=1,
        maximum=200,
        unit="families",
    )
    alpha: float = param(0.05, "Two-sided significance level", minimum=0, maximum=0.5, minimum_exclusive=True)
    power: float = param(0.8, "Power the design aims for", minimum=0.5, maximum=1, maximum_exclusive=True)
    attrition: float = param(
        0.2, "Share of recruited families lost before the outcome is measured (assumption)", minimum=0, maximum=0.95
    )
    eligibility_rate: float = param(
        0.25,
        "Share of referred families who keep one social worker throughout, and so are eligible (assumption; "
        f"nothing published: {_WORKERS_LOW} or {_WORKERS_HIGH} workers are typically involved in a case)",
        minimum=0,
        maximum=1,
        minimum_exclusive=True,
    )
    eligibility_rate_better: float = param(
        0.6,
        "Eligibility under better system conditions, where most families keep one worker (assumption)",
        minimum=0,
        maximum=1,
        minimum_exclusive=True,
    )
    n_sims: int = param(
        4000, "Simulated trials in each Monte Carlo power check", minimum=100, maximum=10_000_000, unit="trials"
    )
    show_progress: bool = param(False, "Show a progress bar (on stderr) while simulating")
    seed: int = param(2018, "Seed of the Monte Carlo simulation", minimum=0, maximum=2**32 - 1)


PARAMETERS = ParamSpec.of(Parameters)


#: The kind of every number the page glues (helpers.page.kinds). The page reconstructs no records: its numbers
#: are published figures, sums of them, and what the planner computes under the stated assumptions
#: (an illustration of what a study would need, so ``assumption``).
KINDS = kinds.declare(
    published=["planned_groups", "published_workers_low", "published_workers_high"],
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
        "families_analysed_per_arm_recommended",
        "families_recruited_total_recommended",
        "n_referred_recommended",
        "n_referred_recommended_better",
        "referral_reduction_better_recommended",
        "power_simulated_recommended",
        "power_simulated_recommended_ci_low",
        "power_simulated_recommended_ci_high",
        "designs_simulated",
        "power_analytic",
        "power_exact_t",
        "power_simulated",
        "power_simulated_ci_low",
        "power_simulated_ci_high",
        "power_simulated_no_attrition",
        "power_check_z",
        "attrition_check_z",
        "curve_check_max_z",
        "n_sims",
        "mi_power",
        "mi_min_detectable_effect",
        "dependence_base",
        "dependence_range_low",
        "dependence_range_high",
        "dependence_referrals_at_low",
        "dependence_referrals_at_high",
        "dependence_referrals_min",
        "dependence_referrals_max",
        "simulation_margin",
    ],
)


def _curve_workers(k_needed: int) -> np.ndarray:
    """Workers per arm along the power curves: from 2 to well past the planned design."""
    top = max(20, int(np.ceil(1.6 * k_needed)))
    return np.unique(np.linspace(2, top, min(60, top - 1)).round().astype(int))


# ---------------------------------------------------------------- what the headline depends on
def headline_inputs(p: Mapping[str, Any]) -> list[Uncertain]:
    """The planner's assumptions about the world, each with its base (the parameter) and a plausible spread:
    the intra-class correlation (coefficient of variation 0.6: values reported for family outcomes
    clustered in practitioners range over an order of magnitude), the share of families lost (0.4), the
    share of referred families eligible (0.4: nothing is published, only that two or three workers are
    typically involved in a case) and the families each worker brings (0.3). The effect size is not among
    them: it is the difference the study is asked to detect, a choice rather than a fact about the world."""
    return [
        Uncertain("icc", p["icc"], 0.6, "share", "intra-class correlation"),
        Uncertain("attrition", p["attrition"], 0.4, "share", "share of families lost before follow-up"),
        Uncertain(
            "eligibility_rate",
            p["eligibility_rate"],
            0.4,
            "share",
            "share of referred families who keep one social worker",
        ),
        Uncertain("families_per_worker", p["families_per_worker"], 0.3, "positive", "number of families per worker"),
    ]


def headline_model(p: Mapping[str, Any], margin: float, outcome: str = "n_referred"):
    """A headline number as a vectorised function of the assumptions: the usual formula's ``outcome``
    (an attribute of :func:`helpers.stats.cluster_power.sample_size`: ``n_referred`` or ``workers_total``;
    families per worker rounded to a whole number) times ``margin``, the simulated design's value over the
    formula's at the page's assumptions."""

    def one(icc: float, attrition: float, eligibility: float, per_worker: float) -> float:
        m = max(1, int(round(per_worker)))
        design = sample_size(
            p["effect_size"],
            min(max(icc, 0.0), 0.999),
            m,
            p["alpha"],
            p["power"],
            min(max(attrition, 0.0), 0.95),
            min(max(eligibility, 1e-3), 1.0),
        )
        return getattr(design, outcome) * margin

    vectorised = np.vectorize(one, otypes=[float])

    def model(x: Mapping[str, np.ndarray]) -> np.ndarray:
        return vectorised(x["icc"], x["attrition"], x["eligibility_rate"], x["families_per_worker"])

    return model


def headline_dependence(
    p: Mapping[str, Any], margin: float, outcome: str = "n_referred", points: int = 41
) -> dict[str, Any]:
    """Which assumption a headline number depends on most (:func:`helpers.stats.sensitivity.tornado`) and the
    number over that assumption's plausible range (2.5th to 97.5th percentile, :func:`vary`)."""
    inputs = headline_inputs(p)
    model = headline_model(p, margin, outcome)
    dep = depends_most(model, inputs, lambda u: central_range(u, points))
    top = dep["top"]
    return {
        "tornado": dep["tornado"],
        "input": top,
        "low": top.quantile(0.025),
        "high": top.quantile(0.975),
        "table": dep["table"],
    }


def run(params: Mapping[str, Any]) -> AnalysisResult:
    """The whole analysis for validated parameters."""
    p = PARAMETERS.validate(params)
    d, icc, m, alpha, target = p["effect_size"], p["icc"], p["families_per_worker"], p["alpha"], p["power"]
    rng = np.random.default_rng(p["seed"])

    # 1. Analytic sample size.
    ss = sample_size(d, icc, m, alpha, target, p["attrition"], p["eligibility_rate"])
    ss_better = sample_size(d, icc, m, alpha, target, p["attrition"], p["eligibility_rate_better"])
    ss_no_cluster = sample_size(d, 0.0, m, alpha, target, p["attrition"], p["eligibility_rate"])
    # The three groups first planned, each compared with Frontline: Bonferroni over the two comparisons.
    comparisons = _PLANNED_GROUPS - 1
    ss_three = sample_size(
        d, icc, m, alpha / comparisons, target, p["attrition"], p["eligibility_rate"], n_arms=_PLANNED_GROUPS
    )
    k = ss.workers_per_arm
    k_t = workers_for_power_t(d, icc, m, alpha, target, start=max(2, k - 5))

    # 2. Power of the planned design: analytic, and simulated family by family with attrition.
    recruited = families_per_worker_split(ss.families_recruited_per_arm, k)
    sim = simulate_power(
        d,
        icc,
        recruited,
        alpha=alpha,
        attrition=p["attrition"],
        n_sims=p["n_sims"],
        seed=rng,
        progress=p["show_progress"],
    )
    sim_low, sim_high = sim.interval(0.95)
    sim_full = simulate_power(
        d, icc, m, k, alpha=alpha, attrition=0.0, n_sims=p["n_sims"], seed=rng, progress=p["show_progress"]
    )
    p_normal = power_normal(d, icc, m, k, alpha)
    p_t = power_cluster_t(d, icc, m, k, alpha)
    # Monte Carlo check of the exact power without attrition: z-score of the difference.
    z_check = (sim_full.power - p_t) / max(sim_full.mc_se, 1e-12)
    # What attrition does to the simulated power: z-score of the difference of the two simulations.
    z_attrition = (sim.power - sim_full.power) / max(float(np.hypot(sim.mc_se, sim_full.mc_se)), 1e-12)

    # The design recommended: the smallest whose simulated power, families lost at random, reaches the
    # target (the normal approximation ignores the t distribution's few degrees of freedom and the unequal
    # numbers of families attrition leaves). Its own seed, so the draws above are unchanged.
    rec = workers_for_power_simulated(
        d, icc, m, alpha, target, p["attrition"], n_sims=p["n_sims"], seed=p["seed"] + 1, start=k
    )
    rec_low, rec_high = rec.simulated.interval(0.95)
    rec_referred = int(np.ceil(round(2 * rec.recruited_per_arm / p["eligibility_rate"], 9)))
    rec_referred_better = int(np.ceil(round(2 * rec.recruited_per_arm / p["eligibility_rate_better"], 9)))
    normal_short = sim.power < target

    # 3. Power curves for several ICCs (analytic), with simulated points at the chosen ICC.
    iccs = sorted(set(CURVE_ICCS) | {icc})
    ks = _curve_workers(k)
    curves = pd.DataFrame(
        [
            {"icc": r, "workers_per_arm": kk, "families_per_arm": kk * m, "power": power_cluster_t(d, r, m, kk, alpha)}
            for r in iccs
            for kk in ks
        ]
    )
    sim_ks = np.unique(np.linspace(max(3, ks.min()), ks.max(), 6).round().astype(int))
    points = []
    for kk in sim_ks:
        s_k = simulate_power(d, icc, m, int(kk), alpha=alpha, n_sims=p["n_sims"], seed=rng, progress=p["show_progress"])
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
    sim_points = pd.DataFrame(points)
    worst_gap = float(
        (
            (sim_points["power"] - sim_points["analytic"]).abs()
            / np.sqrt(sim_points["analytic"] * (1 - sim_points["analytic"]) / p["n_sims"]).clip(lower=1e-9)
        ).max()
    )

    # 4. Referred families by eligibility rate.
    rates = np.round(np.linspace(0.05, 1.0, 96), 4)
    referral = pd.DataFrame(
        {
            "eligibility_rate": rates,
            "referred": [sample_size(d, icc, m, alpha, target, p["attrition"], r).n_referred for r in rates],
        }
    )

    # 5. A comparable trial that did recruit: what could it detect?
    mi_per_arm_workers = _MI_WORKERS / 2
    mi_m = _MI_FAMILIES_PER_WORKER
    mi_power = power_normal(d, icc, mi_m, mi_per_arm_workers, alpha)
    z_sum = sps.norm.ppf(1 - alpha / 2) + sps.norm.ppf(target)
    mi_mde = float(z_sum * np.sqrt(2 * (icc + (1 - icc) / mi_m) / mi_per_arm_workers))

    design = pd.DataFrame(
        [
            {
                "step": "Families per group if families were independent (normal approximation)",
                "value": ss.n_individual,
                "formula": "2 (z₁₋α/₂ + z_power)² / d²",
            },
            {"step": "Design effect", "value": ss.design_effect, "formula": "1 + (m − 1) × ICC"},
            {
                "step": "Families analysed per group",
                "value": ss.n_per_arm,
                "formula": "independent × design effect, rounded up",
            },
            {
                "step": "Social workers per group",
                "value": ss.workers_per_arm,
                "formula": "families per group / m, rounded up",
            },
            {
                "step": "Families recruited per group",
                "value": ss.families_recruited_per_arm,
                "formula": "families per group / (1 − attrition), rounded up",
            },
            {
                "step": "Families referred (both groups)",
                "value": ss.n_referred,
                "formula": "2 × recruited per group / eligibility rate, rounded up",
            },
        ]
    )
    power_table = pd.DataFrame(
        [
            {
                "method": "Normal approximation (the sample-size formula)",
                "power": p_normal,
                "low": np.nan,
                "high": np.nan,
            },
            {
                "method": "Exact: cluster-level t-test, no attrition (noncentral t)",
                "power": p_t,
                "low": np.nan,
                "high": np.nan,
            },
            {
                "method": "Simulated: no attrition",
                "power": sim_full.power,
                "low": sim_full.interval()[0],
                "high": sim_full.interval()[1],
            },
            {
                "method": "Simulated: families lost at random (the planned design)",
                "power": sim.power,
                "low": sim_low,
                "high": sim_high,
            },
        ]
    )

    # 6. What the headline depends on most, over its plausible range.
    margin = rec_referred / ss.n_referred
    dep = headline_dependence(p, margin)
    dep_workers = headline_dependence(p, rec.workers_per_arm / ss.workers_per_arm, "workers_total", points=2)
    top: Uncertain = dep["input"]
    referrals_over_range = dep["table"]["outcome"]

    scalars = {
        "effect_size": d,
        "icc": icc,
        "families_per_worker": m,
        "alpha": alpha,
        "power_target": target,
        "attrition": p["attrition"],
        "eligibility_rate": p["eligibility_rate"],
        "eligibility_rate_better": p["eligibility_rate_better"],
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
        "planned_groups": _PLANNED_GROUPS,
        "n_referred_required_three_groups": ss_three.n_referred,
        "workers_total_three_groups": ss_three.workers_total,
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
        "curve_check_max_z": worst_gap,
        "curve_verdict": "lie on" if worst_gap < 3 else "do not lie on",
        "n_sims": p["n_sims"],
        "mi_workers": _MI_WORKERS,
        "mi_families": _MI_FAMILIES,
        "mi_families_per_worker": mi_m,
        "mi_power": mi_power,
        "mi_min_detectable_effect": mi_mde,
        "published_workers_low": _WORKERS_LOW,
        "published_workers_high": _WORKERS_HIGH,
        "dependence_input": top.name,
        "dependence_label": top.label,
        "dependence_base": float(top.base),
        "dependence_range_low": dep["low"],
        "dependence_range_high": dep["high"],
        "dependence_referrals_at_low": float(referrals_over_range.iloc[0]),
        "dependence_referrals_at_high": float(referrals_over_range.iloc[-1]),
        "dependence_referrals_min": float(referrals_over_range.min()),
        "dependence_referrals_max": float(referrals_over_range.max()),
        "dependence_second_label": str(dep["tornado"].loc[1, "label"]),
        "workers_dependence_label": dep_workers["input"].label,
        "simulation_margin": margin,
    }
    return AnalysisResult(
        notebook="study_design_power",
        params=p,
        scalars=scalars,
        tables={
            "design": design,
            "power": power_table,
            "curves": curves,
            "sim_points": sim_points,
            "referral": referral,
            "tornado": dep["tornado"],
            "dependence": dep["table"],
            "tornado_workers": dep_workers["tornado"],
        },
        data={"ss": ss, "ss_better": ss_better},
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


# ---------------------------------------------------------------- figures
def plot_power_curves(result: AnalysisResult) -> plt.Figure:
    """Exact power of the cluster-level t-test against families per arm, one line per ICC, with the
    simulated points (and their Monte Carlo intervals) at the chosen ICC."""
    s, curves, pts = result.scalars, result.tables["curves"], result.tables["sim_points"]
    fig, ax = plt.subplots(figsize=(7.5, 4.4))
    iccs = sorted(curves["icc"].unique())
    colours = dict(zip(iccs, [PALETTE[i % len(PALETTE)] for i in range(len(iccs))]))
    for r in iccs:
        c = curves[curves["icc"] == r]
        chosen = r == s["icc"]
        ax.plot(
            c["families_per_arm"],
            c["power"],
            color=colours[r],
            lw=2.6 if chosen else 1.4,
            label=f"ICC {r:g}" + (" (chosen)" if chosen else ""),
        )
    ax.errorbar(
        pts["families_per_arm"],
        pts["power"],
        yerr=[pts["power"] - pts["low"], pts["high"] - pts["power"]],
        fmt="o",
        color="black",
        ms=4,
        capsize=2,
        label="simulated, chosen ICC",
    )
    ax.axhline(s["power_target"], color=COLOURS["reference"], ls="--", lw=1)
    ax.axvline(s["workers_per_arm"] * s["families_per_worker"], color=COLOURS["reference"], ls=":", lw=1)
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(PERCENT)
    ax.set_xlabel(f"Families analysed per group ({s['families_per_worker']} per worker)")
    ax.set_ylabel("Power (%)")
    ax.legend(loc="lower right", fontsize=9)
    fig.tight_layout()
    return fig


def plot_referrals(result: AnalysisResult) -> plt.Figure:
    """Families that must be referred against the share of them who keep one social worker."""
    s, ref = result.scalars, result.tables["referral"]
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    ax.plot(ref["eligibility_rate"], ref["referred"], color=COLOURS["primary"], lw=2)
    for rate, n, label, colour in (
        (s["eligibility_rate"], s["n_referred_required"], "assumed eligibility", COLOURS["negative"]),
        (
            s["eligibility_rate_better"],
            s["n_referred_required_better"],
            "better system conditions",
            COLOURS["positive"],
        ),
    ):
        ax.plot(rate, n, "o", color=colour, ms=8)
        ax.annotate(f"{label}: {n:,}", (rate, n), xytext=(8, 8), textcoords="offset points", color=colour, fontsize=9)
    ax.axhline(s["families_recruited_total"], color=COLOURS["reference"], ls="--", lw=1)
    ax.text(
        1.0,
        s["families_recruited_total"],
        "families to recruit",
        ha="right",
        va="bottom",
        fontsize=9,
        color=COLOURS["reference"],
    )
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_xlim(0, 1.02)
    ax.xaxis.set_major_formatter(PERCENT)
    ax.set_xlabel("Referred families who keep one social worker throughout (%)")
    ax.set_ylabel("Families to refer (count, log scale)")
    fig.tight_layout()
    return fig


def plot_dependence(result: AnalysisResult) -> plt.Figure:
    """The referred families the recommended design needs over the plausible range of the assumption they
    depend on most."""
    s = result.scalars
    short = {
        "eligibility_rate": "Referred families eligible (assumption)",
        "icc": "Intra-class correlation (assumption)",
        "attrition": "Families lost before follow-up (assumption)",
        "families_per_worker": "Families per worker (assumption)",
    }[s["dependence_input"]]
    fig = dependence_plot(
        result.tables["dependence"],
        short,
        "Families to refer (count)",
        base=s["dependence_base"],
        x_formatter=PERCENT if s["dependence_input"] != "families_per_worker" else None,
        y_formatter=FuncFormatter(lambda v, _pos: f"{v:,.0f}"),
    )
    return fig
