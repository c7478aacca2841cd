"""The KFT page's figures, drawn from an :class:`~helpers.results.AnalysisResult`."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from helpers.analyses.kft_care_outcomes.design import DESIGN_INPUTS
from helpers.page.plotting import (
    COLOURS,
    PERCENT,
    POUNDS,
    dependence_plot,
    distribution_plot,
    interval_plot,
    mark_value,
    tornado_plot,
)
from helpers.results import AnalysisResult


def plot_share_at_home(result: AnalysisResult) -> plt.Figure:
    """The share at home with its interval by each method, the target, and the published share."""
    s, table = result.scalars, result.tables["intervals"]
    fig, ax = plt.subplots(figsize=(7.5, 3.2))
    interval_plot(
        ax,
        [f"{lab} ({s['ci_level']:.0%})" for lab in table["label"]],
        [float(s["home_rate"])] * len(table),
        table["low"],
        table["high"],
        emphasis=list(table["label"] == s["ci_method_label"]),
    )
    mark_value(ax, float(s["target_home_rate"]), "target", colour=COLOURS["negative"], style="--")
    mark_value(ax, float(s["home_pct_published"]) / 100, "published", colour=COLOURS["secondary"], style=":")
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
    ax.axvline(float(s["n_at_home"]), color=COLOURS["negative"], lw=2, label=f"observed: {s['n_at_home']} at home")
    ax.set_xlabel(f"Children at home out of {s['n_referred']} (count)")
    ax.set_ylabel("Probability if the true rate were the target")
    ax.legend(loc="upper left", fontsize=9)
    fig.tight_layout()
    return fig


def plot_breakeven(result: AnalysisResult) -> plt.Figure:
    """The net saving at every counterfactual rate of entering care, with where it breaks even, the share
    who entered care with the units, and the rate the page's illustration assumes (each line labelled)."""
    s, table = result.scalars, result.tables["breakeven"]
    fig, ax = plt.subplots(figsize=(7.5, 4.0))
    ax.plot(table["counterfactual_care_rate"], table["net_saving"], color=COLOURS["primary"], lw=2)
    ax.axhline(0, color=COLOURS["reference"], lw=1)
    ax.xaxis.set_major_formatter(PERCENT)
    ax.yaxis.set_major_formatter(POUNDS)
    ax.set_xlim(0, 1)
    top = float(table["net_saving"].max())
    marks = [
        (float(s["care_rate"]), "entered care with the units", COLOURS["reference"], ":"),
        (float(s["counterfactual_care_rate"]), "the illustration's assumption", COLOURS["positive"], "-."),
    ]
    if s["breakeven_reachable"]:
        marks.append((float(s["breakeven_care_rate"]), "break-even", COLOURS["negative"], "--"))
    for i, (x, text, colour, style) in enumerate(sorted(marks)):
        mark_value(ax, x, text, colour=colour, style=style, y=top * (0.95 - 0.13 * i))
    ax.set_xlabel("Share who would have entered care without the units (%)")
    ax.set_ylabel("Net saving across the referred cohort (£)")
    fig.tight_layout()
    return fig


def plot_psa(result: AnalysisResult) -> plt.Figure:
    return distribution_plot(result.data["psa"]["outcome"].to_numpy(), "Net saving across the referred cohort (£)")


def plot_tornado(result: AnalysisResult) -> plt.Figure:
    return tornado_plot(result.tables["tornado"], "Net saving across the referred cohort (£)")


def plot_design_dependence(result: AnalysisResult) -> plt.Figure:
    """The test's p-value as the clustering assumption it depends on most moves over its plausible range."""
    s = result.scalars
    label = DESIGN_INPUTS[str(s["design_top_input"])][3]
    fig = dependence_plot(
        result.tables["design_dependence"],
        label,
        "p-value against the target",
        base=result.data["design_base"],
        threshold=float(s["alpha"]),
        threshold_label=f"significance level ({s['alpha']:g})",
    )
    ax = fig.axes[0]
    ax.set_yscale("log")
    fig.tight_layout()
    return fig
