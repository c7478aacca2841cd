"""The page's figures."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from helpers.page.plotting import COLOURS, DIVERGING, Colour, dependence_plot, interval_plot, mark_value
from helpers.results import AnalysisResult
from helpers.stats.clustered import min_detectable_effect

from .framework import SCALE_MAX, SCALE_MIN, SKILL_GROUPS, SKILL_LABELS
from .power import LARGE_DIFFERENCE, unit_df
from .replication import ESTIMAND_LABELS, REPLICATE_ESTIMATES, REPLICATE_LABELS
from .tables import power_table

#: At most this many reconstructions are drawn as dots per row (a random sample; more would hide the summary).
REPLICATE_DOTS = 400
#: How the values given to the generator are marked on the figures (open diamonds).
_ASSUMED_MARK: dict[str, Any] = {
    "marker": "D",
    "mfc": "none",
    "mec": COLOURS["negative"],
    "ms": 9,
    "mew": 1.8,
    "ls": "none",
}


def plot_arms(result: AnalysisResult) -> plt.Figure:
    """Practice quality by arm (box plots without individual outliers), with the means."""
    frame = result.data["frame"].assign(arm=lambda d: d["rsw"].map({1: "RSW units", 0: "Service as usual"}))
    order = ["RSW units", "Service as usual"]
    fig, ax = plt.subplots(figsize=(7.0, 3.4))
    sns.boxplot(
        data=frame,
        y="arm",
        x="practice_quality",
        order=order,
        hue="arm",
        hue_order=order,
        palette=[COLOURS["primary"], COLOURS["secondary"]],
        showfliers=False,
        width=0.5,
        ax=ax,
        legend=False,
    )
    means = frame.groupby("arm")["practice_quality"].mean().reindex(order)
    ax.plot(means.to_numpy(), np.arange(len(order)), "D", color="white", mec="black", ms=7, label="mean")
    ax.set_xlim(SCALE_MIN, SCALE_MAX)
    ax.set_xlabel(f"Practice quality (mean of the seven skills, {SCALE_MIN}–{SCALE_MAX} scale)")
    ax.set_ylabel("")
    ax.legend(loc="lower right", fontsize=9)
    fig.tight_layout()
    return fig


def _effects_figure(
    result: AnalysisResult,
    table: pd.DataFrame,
    labels: list[str],
    colours: list[Colour],
    xlabel: str,
    size: tuple[float, float],
    legend_y: float,
) -> plt.Figure:
    """Estimates with intervals, one row per effect (first on top), the values given to the generator as
    open diamonds (synthetic records only), and the line of no effect."""
    fig, ax = plt.subplots(figsize=size)
    level = result.params["ci_level"]
    y = interval_plot(
        ax,
        labels,
        table["estimate"],
        table["low"],
        table["high"],
        colours=colours,
        label=f"estimate, {level:.0%} interval",
    )
    if not result.data["own"]:
        ax.plot(table["assumed"], y, **_ASSUMED_MARK, label="assumed in the generator")
    mark_value(ax, 0, "no effect", style="-")
    ax.set_xlabel(xlabel)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, legend_y), ncol=2, fontsize=9)
    fig.tight_layout()
    return fig


def plot_coefficients(result: AnalysisResult) -> plt.Figure:
    """The four factors' coefficients with intervals (and, for synthetic data, the assumed values)."""
    c = result.tables["coefficients"]
    return _effects_figure(
        result,
        c,
        list(c["factor"]),
        [COLOURS["primary"]] * len(c),
        "Change in practice quality (points on the 1–5 scale)",
        (7.5, 3.4),
        -0.22,
    )


def plot_mediation(result: AnalysisResult) -> plt.Figure:
    """Total, direct and indirect effects of a clinician's presence, with intervals."""
    t = result.tables["mediation"]
    return _effects_figure(
        result,
        t,
        [e.capitalize() for e in t["effect"]],
        [COLOURS["primary"], COLOURS["secondary"], COLOURS["positive"]],
        "Effect of a clinician in case discussion on practice quality (points)",
        (7.5, 3.0),
        -0.25,
    )


def plot_skill_correlations(result: AnalysisResult) -> plt.Figure:
    """Spearman correlations of the seven skills, ordered by the framework's groups."""
    order = [s for members in SKILL_GROUPS.values() for s in members]
    corr = result.tables["correlations"].loc[order, order]
    labels = [SKILL_LABELS[s] for s in order]
    fig, ax = plt.subplots(figsize=(7.0, 5.8))
    sns.heatmap(
        corr,
        vmin=-1,
        vmax=1,
        center=0,
        cmap=DIVERGING,
        annot=True,
        fmt=".2f",
        square=True,
        xticklabels=labels,
        yticklabels=labels,
        cbar_kws={"label": "Spearman correlation"},
        ax=ax,
    )
    edge = 0
    for members in SKILL_GROUPS.values():
        ax.add_patch(plt.Rectangle((edge, edge), len(members), len(members), fill=False, ec="black", lw=2))
        edge += len(members)
    ax.set_xlabel("Skill (boxes: relationship building, good authority, evocation)")
    ax.set_ylabel("Skill")
    fig.tight_layout()
    return fig


def plot_mde(result: AnalysisResult) -> plt.Figure:
    """Minimum detectable standardised difference by number of observations, for several ICCs,
    with the RSW/SAU split and unit size of the data."""
    s = result.scalars
    share, m_tilde, icc0 = float(s["mde_share_rsw"]), float(s["mde_cluster_size"]), float(s["mde_icc"])
    n_obs, alpha, power = int(s["n_observations"]), float(s["alpha"]), float(s["power"])
    units_per_observation = float(s["n_units"]) / n_obs  # units of the same size as the study's
    ns = np.unique(np.r_[np.linspace(20, 400, 77).round(), n_obs]).astype(int)
    fig, ax = plt.subplots(figsize=(7.5, 4.0))
    iccs = sorted({0.0, icc0, min(2 * icc0, 0.9)} if icc0 > 0 else {0.0, 0.1, 0.2})
    for colour, icc in zip((COLOURS["reference"], COLOURS["primary"], COLOURS["secondary"]), iccs, strict=False):
        deff = 1 + (m_tilde - 1) * icc
        values = []
        for n in ns:
            n1, n2 = n * share, n * (1 - share)
            df = unit_df(n * units_per_observation)
            values.append(min_detectable_effect(n1, n2, alpha, power, deff, df) if min(n1, n2) / deff > 2 else np.nan)
        ax.plot(ns, values, color=colour, lw=2, label=f"ICC {icc:.2f}")
    ax.axvline(n_obs, color=COLOURS["negative"], ls="--", lw=1.2)
    ax.plot(
        [n_obs],
        [float(s["min_detectable_effect"])],
        "o",
        color=COLOURS["negative"],
        label=f"{n_obs} observations, ICC {icc0:.2f}",
    )
    ax.set_xlabel("Observations of practice (count)")
    ax.set_ylabel("Minimum detectable difference\n(standard deviations)")
    ax.set_ylim(0, None)
    ax.legend(fontsize=9)
    fig.tight_layout()
    return fig


def plot_replicates(result: AnalysisResult) -> plt.Figure:
    """Each key estimate across the synthetic reconstructions: every reconstruction's estimate (dots), the
    median and central range (bar), and the value the generator was given (diamond)."""
    draws, summary = result.tables["replicates"], result.tables["replicate_summary"]
    order = list(REPLICATE_ESTIMATES)[::-1]
    fig, ax = plt.subplots(figsize=(7.5, 4.4))
    rng = np.random.default_rng(0)  # the sample of dots shown, and their jitter
    for y, name in enumerate(order):
        values = draws.loc[draws["estimate"] == name, "value"].dropna().to_numpy()
        values = rng.choice(values, min(REPLICATE_DOTS, values.size), replace=False)
        ax.plot(values, y + rng.uniform(-0.3, 0.3, len(values)), ".", color=COLOURS["reference"], ms=2, alpha=0.4)
        row = summary.set_index("estimate").loc[name]
        ax.hlines(y, row["range_low"], row["range_high"], color=COLOURS["primary"], lw=3.5)
        ax.plot(
            row["median"],
            y,
            "o",
            color=COLOURS["primary"],
            ms=8,
            label=f"median and central {result.params['ci_level']:.0%} range" if y == 0 else None,
        )
        ax.plot(row["truth"], y, **_ASSUMED_MARK, label="value given to the generator" if y == 0 else None)
    ax.axvline(0, color=COLOURS["reference"], lw=1)
    ax.set_yticks(range(len(order)), [REPLICATE_LABELS[n] for n in order])
    ax.set_xlabel("Estimate in each reconstruction (points on the 1–5 scale)")
    fig.legend(loc="lower center", ncol=2, fontsize=9)
    fig.tight_layout(rect=(0, 0.09, 1, 1))
    return fig


def plot_dependence(result: AnalysisResult) -> plt.Figure:
    """The minimum detectable difference as its most influential assumption moves over its plausible range."""
    dep = result.data["dependence"]
    return dependence_plot(
        dep["table"],
        dep["label"].capitalize() + " (assumed)",
        "Minimum detectable difference\n(standard deviations)",
        base=dep["base"],
        threshold=LARGE_DIFFERENCE,
        threshold_label=f"a large difference ({LARGE_DIFFERENCE:g} SD)",
    )


def plot_power(result: AnalysisResult) -> plt.Figure:
    """How often a study of this design finds each factor and all four, in each way of testing them: grouped
    horizontal bars, each labelled with its share as the power table prints it."""
    table = power_table(result)
    columns = list(ESTIMAND_LABELS.values())
    colours = [COLOURS["primary"], COLOURS["secondary"], COLOURS["positive"]]
    fig, ax = plt.subplots(figsize=(7.5, 4.6))
    rows = np.arange(len(table))[::-1]
    height = 0.26
    for j, (column, colour) in enumerate(zip(columns, colours, strict=True)):
        # bars as printed: ">99%" at 99, "<10%" at 0 (the label beside each bar says which)
        shares = [0.0 if v.startswith("<") else float(v.lstrip(">").rstrip("%")) for v in table[column]]
        y = rows + (1 - j) * height
        ax.barh(y, shares, height=height * 0.92, color=colour, label=column)
        for yy, share, text in zip(y, shares, table[column], strict=True):
            ax.text(share + 1, yy, text, va="center", fontsize=8)
    ax.set_yticks(rows, [label[0].upper() + label[1:] for label in table["found significant"]])
    ax.set_xlim(0, 112)
    ax.set_xticks(range(0, 101, 20), [f"{x}%" for x in range(0, 101, 20)])
    ax.set_xlabel("Share of reconstructions in which the test is significant (per cent)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.45, -0.16), ncol=1, fontsize=9, frameon=False)
    fig.tight_layout()
    return fig
