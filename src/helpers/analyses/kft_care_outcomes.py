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

import math
from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy import special
from scipy import stats as sps

from helpers.page import reproduce
from helpers.params import Constraint, ParamSpec, ParameterSet, param
from helpers.page import kinds
from helpers.page.plotting import COLOURS, PERCENT, dependence_plot, distribution_plot, tornado_plot
from helpers.page.registry import published, published_share, registry_input
from helpers.page.reproduce import FigureUse
from helpers.results import AnalysisResult
from helpers.stats.sensitivity import Uncertain, depends_most, psa, tornado
from helpers.page.text import gbp
from helpers.stats.proportions import (
    CI_METHODS,
    binomial_test_greater,
    format_p,
    min_successes_significant,
    proportion_ci,
)

TITLE = "Keeping Families Together: care outcomes against the units' target"
SUMMARY = (
    f"KFT units (RSW, 2017): share of {published('kft_n_referred')} referred children and young people kept at home, its interval, "
    f"the test against the {published('kft_target_home_pct')}% target, illustrative cost avoidance"
)


class Parameters(
    ParameterSet,
    constraints=(
        Constraint(
            ("n_entered_care", "n_referred"),
            lambda p: p["n_entered_care"] <= p["n_referred"],
            "at most n_referred (children entering care are among those referred)",
        ),
    ),
):
    """This analysis's parameters, in notebook order (validated values: ``PARAMETERS.validate``)."""

    n_referred: int = param(
        published("kft_n_referred"),
        f"Children referred to the KFT units as at high risk of care (published: {published('kft_n_referred')})",
        minimum=1,
        maximum=1_000_000,
        unit="children",
    )
    n_entered_care: int = param(
        published("kft_n_entered_care"),
        f"Referred children who subsequently received some form of care (published: {published('kft_n_entered_care')})",
        minimum=0,
        maximum=1_000_000,
        unit="children",
    )
    target_home_rate: float = param(
        published_share("kft_target_home_pct"),
        f"The units' target share of referred children kept at home (published: {published('kft_target_home_pct')}%)",
        minimum=0,
        maximum=1,
        minimum_exclusive=True,
        maximum_exclusive=True,
    )
    ci_level: float = param(
        0.95, "Confidence level of the interval for the share at home", minimum=0.5, maximum=1, maximum_exclusive=True
    )
    ci_method: str = param("wilson", "Interval method for the share at home", choices=tuple(CI_METHODS))
    alpha: float = param(
        0.05,
        "Significance level of the one-sided exact binomial test against the target",
        minimum=0,
        maximum=0.5,
        minimum_exclusive=True,
    )
    counterfactual_care_rate: float = param(
        1 - published_share("kft_target_home_pct"),
        "Assumed share who would have entered care without the units (assumption: the complement of the units' own target)",
        minimum=0,
        maximum=1,
    )
    weeks_in_care_avoided: float = param(
        52.0,
        "Assumed weeks in care avoided for each child diverted from care (plain assumption)",
        minimum=0,
        maximum=1040,
        minimum_exclusive=True,
        unit="weeks",
    )
    weekly_cost_foster: float = param(
        float(published("cost_foster_week_pssru2017")),
        f"Foster care, cost per child per week (PSSRU Unit Costs 2017: £{published('cost_foster_week_pssru2017')})",
        minimum=0,
        maximum=100_000,
        unit="GBP per week",
    )
    weekly_cost_residential: float = param(
        float(published("cost_childrens_home_week_dfe2016")),
        f"Children's home, cost per child per week (DfE 2016, UIN 49075: about £{published('cost_childrens_home_week_dfe2016'):,})",
        minimum=0,
        maximum=100_000,
        unit="GBP per week",
    )
    share_residential: float = param(
        0.2,
        "Assumed share of avoided placements that would have been in children's homes rather than foster care (plain assumption)",
        minimum=0,
        maximum=1,
    )
    service_cost_per_child: float = param(
        5000.0,
        "Assumed extra cost of the KFT service per referred child (plain assumption; no published figure)",
        minimum=0,
        maximum=1_000_000,
        unit="GBP per child",
    )
    psa_draws: int = param(10_000, "Draws in the probabilistic sensitivity analysis", minimum=100, maximum=2_000_000)
    psa_cv: float = param(
        0.25,
        "Coefficient of variation of each uncertain cost-model input in the sensitivity analyses",
        minimum=0,
        maximum=2,
    )
    seed: int = param(2017, "Seed of the random number generator (sensitivity analysis)", minimum=0, maximum=2**32 - 1)


PARAMETERS = ParamSpec.of(Parameters)

#: Labels for the cost model's uncertain inputs (tornado plot rows).
COST_INPUT_LABELS: dict[str, str] = {
    "counterfactual_care_rate": "Share who would have entered care",
    "weeks_in_care_avoided": "Weeks in care avoided per child",
    "weekly_cost_foster": "Foster care cost per week",
    "weekly_cost_residential": "Children's home cost per week",
    "share_residential": "Share of placements in children's homes",
    "service_cost_per_child": "Service cost per child",
}
COST_SHARES = ("counterfactual_care_rate", "share_residential")


def cost_model(n_referred: int, n_entered_care: int):
    """The net-saving model for the observed counts, vectorised over the uncertain inputs.

    children diverted = n_referred × counterfactual_care_rate − n_entered_care
    weekly cost       = (1 − share_residential) × foster + share_residential × children's home
    net saving        = diverted × weeks avoided × weekly cost − n_referred × service cost per child
    """

    def model(x: Mapping[str, np.ndarray]) -> np.ndarray:
        diverted = n_referred * x["counterfactual_care_rate"] - n_entered_care
        weekly = (1 - x["share_residential"]) * x["weekly_cost_foster"] + x["share_residential"] * x[
            "weekly_cost_residential"
        ]
        return diverted * x["weeks_in_care_avoided"] * weekly - n_referred * x["service_cost_per_child"]

    return model


def cost_inputs(p: Mapping[str, Any]) -> list[Uncertain]:
    return [
        Uncertain(name, float(p[name]), float(p["psa_cv"]), "share" if name in COST_SHARES else "positive", label)
        for name, label in COST_INPUT_LABELS.items()
    ]


# ---------------------------------------------------------------- what the test depends on
#: The exact test treats every child's outcome as independent. Children referred with brothers or sisters
#: tend to share an outcome (siblings are usually kept at home or taken into care together), so each child
#: adds less information than an independent one: a design effect 1 + (m − 1) × ICC, with m the children
#: per family among those referred and ICC the within-family correlation of outcomes. The evaluation
#: published neither, so both are assumptions with wide spreads (base, coefficient of variation).
DESIGN_INPUTS = {
    "children_per_family": (1.5, 0.25, "positive", "Children per family among those referred"),
    "within_family_icc": (0.5, 0.5, "share", "Within-family correlation of outcomes (ICC)"),
}


def design_effect(children_per_family, icc):
    """Kish's design effect for clusters of mean size ``children_per_family`` (vectorised; a family has at
    least one child, so sizes below 1 count as 1)."""
    return 1 + (np.maximum(np.asarray(children_per_family, dtype=float), 1.0) - 1) * np.asarray(icc, dtype=float)


def p_value_with_design_effect(successes: int, n: int, p0: float, deff):
    """One-sided exact binomial p-value P(X >= successes) on the effective sample (n / deff, successes / deff),
    vectorised over ``deff``: I_{p0}(k, n − k + 1), the regularised incomplete beta function, which is the
    binomial tail for whole numbers and extends it to effective counts that are not whole. At deff = 1 it
    is the exact binomial test."""
    d = np.asarray(deff, dtype=float)
    k, m = successes / d, n / d
    if successes == 0:
        return np.ones_like(d)
    return special.betainc(k, m - k + 1, p0)


def design_model(successes: int, n: int, p0: float):
    def model(x: Mapping[str, np.ndarray]) -> np.ndarray:
        return p_value_with_design_effect(
            successes, n, p0, design_effect(x["children_per_family"], x["within_family_icc"])
        )

    return model


def design_inputs() -> list[Uncertain]:
    return [Uncertain(name, base, cv, kind, label) for name, (base, cv, kind, label) in DESIGN_INPUTS.items()]


def breaking_design_effect(successes: int, n: int, p0: float, alpha: float) -> float | None:
    """The design effect at which the one-sided test stops being significant at ``alpha`` (None if it is not
    significant even with independent outcomes, or stays significant up to one cluster of everyone)."""
    from scipy.optimize import brentq

    def f(d: float) -> float:
        return float(p_value_with_design_effect(successes, n, p0, d)) - alpha

    if f(1.0) > 0 or f(float(n)) <= 0:
        return None
    return float(brentq(f, 1.0, float(n), xtol=1e-9))


def design_dependence(successes: int, n: int, p0: float, alpha: float) -> dict[str, Any]:
    """Tornado over the clustering assumptions, the top one varied over the central 95% of its spread."""
    model, inputs = design_model(successes, n, p0), design_inputs()

    def grid(top: Uncertain) -> np.ndarray:
        lo, hi = (0.0, 1.0) if top.kind == "share" else (max(1.0, top.quantile(0.025)), top.quantile(0.975))
        return np.linspace(lo, hi, 101)

    return depends_most(model, inputs, grid, alpha)


def _p_words(p: float) -> str:
    """A p-value in words for a sentence: ``below 0.001`` or ``0.034``."""
    text = format_p(p)
    return "below " + text.removeprefix("p < ") if text.startswith("p < ") else text.removeprefix("p = ")


def _target_verdict(home_rate: float, target: float, p_value: float, alpha: float) -> str:
    p_text = format_p(p_value)
    if home_rate <= target:
        return f"does not exceed the target ({p_text} in a one-sided exact binomial test)"
    if p_value <= alpha:
        return (
            f"exceeds the target, and a one-sided exact binomial test rejects a true rate at or below "
            f"the target ({p_text})"
        )
    return (
        f"exceeds the target, but a one-sided exact binomial test cannot rule out a true rate at or "
        f"below the target ({p_text})"
    )


def run(params: Mapping[str, Any]) -> AnalysisResult:
    """The whole analysis for validated parameters."""
    p = PARAMETERS.validate(params)
    n, care = p["n_referred"], p["n_entered_care"]
    home = n - care
    home_rate, care_rate = home / n, care / n

    # 1. Reproduce the published shares from the published counts.
    published_inputs = n == published("kft_n_referred") and care == published("kft_n_entered_care")
    why = "" if published_inputs else "the counts differ from the published 119 and 25"
    checks = [
        reproduce.check("kft_home_pct", 100 * home_rate, applicable=published_inputs, reason=why),
        reproduce.check("kft_care_pct", 100 * care_rate, applicable=published_inputs, reason=why),
    ]
    reproduce.require(checks)

    # 2. Interval for the share at home (every method, for the figure; the chosen one for the prose).
    intervals = {m: proportion_ci(home, n, p["ci_level"], m) for m in CI_METHODS}
    ci = intervals[p["ci_method"]]
    ci_table = pd.DataFrame(
        [{"method": m, "label": iv.label, "low": iv.low, "high": iv.high} for m, iv in intervals.items()]
    )

    # 3. Exact one-sided test against the target.
    target, alpha = p["target_home_rate"], p["alpha"]
    p_value = binomial_test_greater(home, n, target)
    k_min = min_successes_significant(n, target, alpha)
    ks = np.arange(n + 1)
    null = pd.DataFrame({"k": ks, "pmf": sps.binom.pmf(ks, n, target)})

    # What the test depends on: independence of outcomes (a design effect for siblings).
    dep = design_dependence(home, n, target, alpha)
    base_deff = float(design_effect(*(DESIGN_INPUTS[k][0] for k in DESIGN_INPUTS)))
    base_p = float(p_value_with_design_effect(home, n, target, base_deff))
    breaking = breaking_design_effect(home, n, target, alpha)
    top = dep["top"]
    worst_p = float(dep["table"]["outcome"].max())
    survives = not dep["flips"] and worst_p <= alpha
    values = dep["table"]["value"]
    span = "all of 0 to 1" if top.kind == "share" else f"{values.iloc[0]:.2g} to {values.iloc[-1]:.2g}"
    if p_value > alpha:
        dep_text = (
            "The test is not significant even with independent outcomes, and clustering of siblings "
            "could only weaken it further."
        )
    else:
        dep_text = (
            f"The test assumes that each child's outcome is independent; siblings referred together tend to "
            f"share one. Of the two assumptions behind a design effect, it depends more on the "
            f"{top.label[0].lower() + top.label[1:]} (found by moving each in turn). Varied over "
            f"{span}, "
            f"the largest p-value is {format_p(worst_p)}, so the "
            + ("verdict survives" if survives else "verdict changes inside that range")
            + (
                f"; it would change only with a design effect above {breaking:.1f}, as if every child came in a "
                f"group of about {math.ceil(breaking)} siblings who all shared one outcome."
                if breaking is not None
                else "."
            )
        )

    # 4. Illustrative cost avoidance.
    model = cost_model(n, care)
    inputs = cost_inputs(p)
    base = {u.name: np.array([u.base]) for u in inputs}
    diverted = n * p["counterfactual_care_rate"] - care
    weekly_mix = (1 - p["share_residential"]) * p["weekly_cost_foster"] + p["share_residential"] * p[
        "weekly_cost_residential"
    ]
    gross = diverted * p["weeks_in_care_avoided"] * weekly_mix
    service_total = n * p["service_cost_per_child"]
    net_base = float(model(base)[0])
    rng = np.random.default_rng(p["seed"])
    draws = psa(model, inputs, p["psa_draws"], rng)
    tail = (1 - p["ci_level"]) / 2
    lo, hi = np.quantile(draws["outcome"], [tail, 1 - tail])
    swings = tornado(model, inputs)

    scalars = {
        "n_referred": n,
        "n_entered_care": care,
        "n_at_home": home,
        "home_rate": home_rate,
        "care_rate": care_rate,
        "home_pct_published": published("kft_home_pct"),
        "care_pct_published": published("kft_care_pct"),
        "home_rate_reproduction": checks[0].status,
        "care_rate_reproduction": checks[1].status,
        "ci_level": p["ci_level"],
        "ci_method_label": ci.label,
        "home_rate_ci_low": ci.low,
        "home_rate_ci_high": ci.high,
        "target_home_rate": target,
        "alpha": alpha,
        "p_value_vs_target": p_value,
        "p_value_text": format_p(p_value),
        "target_verdict": _target_verdict(home_rate, target, p_value, alpha),
        "counterfactual_care_rate": p["counterfactual_care_rate"],
        "children_diverted": diverted,
        "weeks_in_care_avoided": p["weeks_in_care_avoided"],
        "weekly_cost_mix": weekly_mix,
        "gross_saving_base": gross,
        "service_cost_total": service_total,
        "net_saving_base": net_base,
        "net_saving_mean": float(draws["outcome"].mean()),
        "net_saving_low": float(lo),
        "net_saving_high": float(hi),
        "prob_net_saving_positive": float((draws["outcome"] > 0).mean()),
        "net_saving_base_text": gbp(net_base),
        "net_saving_mean_text": gbp(float(draws["outcome"].mean())),
        "net_saving_low_text": gbp(float(lo)),
        "net_saving_high_text": gbp(float(hi)),
        "service_cost_per_child_text": gbp(p["service_cost_per_child"]),
        "psa_draws": p["psa_draws"],
        "psa_cv": p["psa_cv"],
        "tornado_top_input": str(swings.loc[0, "label"]).lower(),
        "children_per_family": DESIGN_INPUTS["children_per_family"][0],
        "within_family_icc": DESIGN_INPUTS["within_family_icc"][0],
        "design_effect_base": base_deff,
        "p_value_design_effect": base_p,
        "p_value_design_effect_text": format_p(base_p),
        "design_top_input": top.name,
        "design_worst_p_value": worst_p,
        "design_verdict_survives": survives,
        "design_verdict_words": "holds" if survives else "changes",
        "design_top_label": top.label[0].lower() + top.label[1:],
        "design_range_low": float(values.iloc[0]),
        "design_range_high": float(values.iloc[-1]),
        "design_worst_p_text": _p_words(worst_p),
        "design_dependence_text": dep_text,
    }
    if breaking is not None:
        scalars["breaking_design_effect"] = breaking
        scalars["breaking_group_size"] = math.ceil(breaking)
    if k_min is not None:  # None: not even n at home would be significant (tiny n)
        scalars["min_home_for_target"] = k_min
        scalars["min_home_rate_for_target"] = k_min / n
    return AnalysisResult(
        notebook="kft_care_outcomes",
        params=p,
        scalars=scalars,
        tables={
            "intervals": ci_table,
            "tornado": swings,
            "design_tornado": dep["tornado"],
            "design_dependence": dep["table"],
        },
        data={
            "null_distribution": null,
            "psa": draws,
            "min_home_for_target": k_min,
            "design_base": float(DESIGN_INPUTS[top.name][0]),
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


#: The kind of every number the page states (helpers.page.kinds): the counts and the target were published; the
#: shares, the interval, the test and what it would take to change its verdict are computed from them alone;
#: the rest rests on assumptions (the cost model, the clustering of siblings) or on the page's own choices.
KINDS = kinds.declare(
    published=["n_referred", "n_entered_care", "home_pct_published", "care_pct_published", "target_home_rate"],
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
    assumption=[
        "ci_level",
        "alpha",
        "counterfactual_care_rate",
        "children_diverted",
        "weeks_in_care_avoided",
        "weekly_cost_mix",
        "gross_saving_base",
        "service_cost_total",
        "net_saving_base",
        "net_saving_mean",
        "net_saving_low",
        "net_saving_high",
        "prob_net_saving_positive",
        "psa_draws",
        "psa_cv",
        "children_per_family",
        "within_family_icc",
        "design_effect_base",
        "p_value_design_effect",
        "design_worst_p_value",
        "design_worst_p_text",
        "design_range_low",
        "design_range_high",
        "p_value_design_effect_text",
        "net_saving_base_text",
        "net_saving_mean_text",
        "net_saving_low_text",
        "net_saving_high_text",
        "service_cost_per_child_text",
    ],
)


# ---------------------------------------------------------------- figures
def plot_share_at_home(result: AnalysisResult) -> plt.Figure:
    """The share at home with its interval by each method, the target, and the published share."""
    s, table = result.scalars, result.tables["intervals"]
    fig, ax = plt.subplots(figsize=(7.5, 3.2))
    y = np.arange(len(table))[::-1]
    chosen = table["label"] == s["ci_method_label"]
    for yi, (_, row), is_chosen in zip(y, table.iterrows(), chosen):
        colour = COLOURS["primary"] if is_chosen else COLOURS["reference"]
        ax.plot([row["low"], row["high"]], [yi, yi], color=colour, lw=3 if is_chosen else 2, solid_capstyle="butt")
        ax.plot(s["home_rate"], yi, "o", color=colour, ms=8)
    ax.axvline(s["target_home_rate"], color=COLOURS["negative"], ls="--", lw=1.5)
    ax.text(s["target_home_rate"], y.max() + 0.55, " target", color=COLOURS["negative"], va="bottom", fontsize=9)
    ax.axvline(s["home_pct_published"] / 100, color=COLOURS["secondary"], ls=":", lw=1.5)
    ax.text(
        s["home_pct_published"] / 100, y.max() + 0.55, " published", color=COLOURS["secondary"], va="bottom", fontsize=9
    )
    ax.set_yticks(y, [f"{lab} ({s['ci_level']:.0%})" for lab in table["label"]])
    ax.set_ylim(-0.6, y.max() + 1.1)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PERCENT)
    ax.set_xlabel("Share of referred children who remained at home (%)")
    fig.tight_layout()
    return fig


def plot_null_distribution(result: AnalysisResult) -> plt.Figure:
    """Numbers at home expected if the true rate were exactly the target; the region that would
    meet the target with significance, and what was observed."""
    s, null = result.scalars, result.data["null_distribution"]
    k_min = result.data["min_home_for_target"]
    significant = null["k"] >= k_min if k_min is not None else np.zeros(len(null), bool)
    fig, ax = plt.subplots()
    ax.bar(
        null["k"][~significant],
        null["pmf"][~significant],
        width=1.0,
        color=COLOURS["reference"],
        alpha=0.6,
        label=f"not significant at α = {s['alpha']:g}",
    )
    ax.bar(
        null["k"][significant],
        null["pmf"][significant],
        width=1.0,
        color=COLOURS["primary"],
        label="significant: meets the target",
    )
    ax.axvline(s["n_at_home"], color=COLOURS["negative"], lw=2, label=f"observed: {s['n_at_home']} at home")
    ax.set_xlabel(f"Children at home out of {s['n_referred']} (count)")
    ax.set_ylabel("Probability if the true rate were the target")
    ax.legend(loc="upper left", fontsize=9)
    fig.tight_layout()
    return fig


def plot_psa(result: AnalysisResult) -> plt.Figure:
    return distribution_plot(result.data["psa"]["outcome"].to_numpy(), "Net saving across the referred cohort (£)")


def plot_tornado(result: AnalysisResult) -> plt.Figure:
    return tornado_plot(result.tables["tornado"], "Net saving across the referred cohort (£)")


def plot_design_dependence(result: AnalysisResult) -> plt.Figure:
    """The test's p-value as the clustering assumption it depends on most moves over its plausible range."""
    s = result.scalars
    label = DESIGN_INPUTS[s["design_top_input"]][3]
    fig = dependence_plot(
        result.tables["design_dependence"],
        label,
        "p-value against the target",
        base=result.data["design_base"],
        threshold=s["alpha"],
        threshold_label=f"significance level ({s['alpha']:g})",
    )
    ax = fig.axes[0]
    ax.set_yscale("log")
    fig.tight_layout()
    return fig
