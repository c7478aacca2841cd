"""What the KFT page's test depends on: independence of the children's outcomes.

The exact test treats every child's outcome as independent. Children referred with brothers or sisters
tend to share an outcome (siblings are usually kept at home or taken into care together), so each child
adds less information than an independent one: a design effect 1 + (m − 1) × ICC, with m the children
per family among those referred and ICC the within-family correlation of outcomes. The evaluation
published neither, so both are assumptions with wide spreads (base, coefficient of variation).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy import special
from scipy.optimize import brentq

from helpers.analyses.kft_care_outcomes.parameters import Parameters
from helpers.stats.proportions import format_p, proportion_ci
from helpers.stats.sensitivity import Model, Uncertain, depends_most

#: name: (base, coefficient of variation, kind, label).
DESIGN_INPUTS: dict[str, tuple[float, float, Literal["positive", "share"], str]] = {
    "children_per_family": (1.5, 0.25, "positive", "Children per family among those referred"),
    "within_family_icc": (0.5, 0.5, "share", "Within-family correlation of outcomes (ICC)"),
}


def design_effect(children_per_family: ArrayLike, icc: ArrayLike) -> np.ndarray:
    """Kish's design effect for clusters of mean size ``children_per_family`` (vectorised; a family has at
    least one child, so sizes below 1 count as 1)."""
    return 1 + (np.maximum(np.asarray(children_per_family, dtype=float), 1.0) - 1) * np.asarray(icc, dtype=float)


def p_value_with_design_effect(successes: int, n: int, p0: float, deff: ArrayLike) -> np.ndarray:
    """One-sided exact binomial p-value P(X >= successes) on the effective sample (n / deff, successes / deff),
    vectorised over ``deff``: I_{p0}(k, n − k + 1), the regularised incomplete beta function, which is the
    binomial tail for whole numbers and extends it to effective counts that are not whole. At deff = 1 it
    is the exact binomial test."""
    d = np.asarray(deff, dtype=float)
    k, m = successes / d, n / d
    if successes == 0:
        return np.ones_like(d)
    return special.betainc(k, m - k + 1, p0)


def design_model(successes: int, n: int, p0: float) -> Model:
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


def _lower_first(label: str) -> str:
    return label[0].lower() + label[1:]


def _dependence_text(
    p_value: float, alpha: float, top: Uncertain, span: str, worst_p: float, survives: bool, breaking: float | None
) -> str:
    """The paragraph saying what the test's verdict depends on."""
    if p_value > alpha:
        return (
            "The test is not significant even with independent outcomes, and clustering of siblings "
            "could only weaken it further."
        )
    return (
        f"The test assumes that each child's outcome is independent; siblings referred together tend to "
        f"share one. Of the two assumptions behind a design effect, it depends more on the "
        f"{_lower_first(top.label)} (found by moving each in turn). Varied over "
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


def clustering_dependence(p: Parameters, p_value: float) -> tuple[dict[str, Any], dict[str, Any]]:
    """How far the test's verdict (``p_value`` with independent outcomes) rests on independence:
    ``(scalars, {"design_tornado", "design_dependence", "design_base"})``."""
    home, n, target, alpha = p.n_referred - p.n_entered_care, p.n_referred, p.target_home_rate, p.alpha
    dep = design_dependence(home, n, target, alpha)
    base_deff = float(design_effect(*(DESIGN_INPUTS[k][0] for k in DESIGN_INPUTS)))
    base_p = float(p_value_with_design_effect(home, n, target, base_deff))
    breaking = breaking_design_effect(home, n, target, alpha)
    top: Uncertain = dep["top"]
    worst_p = float(dep["table"]["outcome"].max())
    survives = not dep["flips"] and worst_p <= alpha
    values = dep["table"]["value"]
    span = "all of 0 to 1" if top.kind == "share" else f"{values.iloc[0]:.2g} to {values.iloc[-1]:.2g}"
    # The interval for the share at home on the same effective numbers (the counts divided by the design effect).
    adjusted = proportion_ci(home / base_deff, n / base_deff, p.ci_level, p.ci_method)  # type: ignore[arg-type]
    scalars: dict[str, Any] = {
        "children_per_family": DESIGN_INPUTS["children_per_family"][0],
        "within_family_icc": DESIGN_INPUTS["within_family_icc"][0],
        "design_effect_base": base_deff,
        "p_value_design_effect": base_p,
        "p_value_design_effect_text": format_p(base_p),
        "home_rate_ci_low_deff": adjusted.low,
        "home_rate_ci_high_deff": adjusted.high,
        "design_top_input": top.name,
        "design_worst_p_value": worst_p,
        "design_verdict_survives": survives,
        "design_verdict_words": "holds" if survives else "changes",
        "design_top_label": _lower_first(top.label),
        "design_range_low": float(values.iloc[0]),
        "design_range_high": float(values.iloc[-1]),
        "design_worst_p_text": _p_words(worst_p),
        "design_dependence_text": _dependence_text(p_value, alpha, top, span, worst_p, survives, breaking),
    }
    if breaking is not None:
        scalars["breaking_design_effect"] = breaking
        scalars["breaking_group_size"] = math.ceil(breaking)
    figures = {
        "design_tornado": dep["tornado"],
        "design_dependence": dep["table"],
        "design_base": float(DESIGN_INPUTS[top.name][0]),
    }
    return scalars, figures
