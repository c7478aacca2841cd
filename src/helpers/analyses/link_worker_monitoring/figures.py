"""The page's figures: professionals involved by group, the rate ratio against no difference and the
detectable ratio, power by study size, the estimate across reconstructions, and what the detectable ratio
depends on most."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from helpers.analyses.link_worker_monitoring.power import AXIS_LABELS
from helpers.analyses.link_worker_monitoring.records import WITH, WITHOUT
from helpers.page.plotting import COLOURS, PERCENT, dependence_plot, interval_plot, mark_value
from helpers.results import AnalysisResult, number


def plot_professionals(result: AnalysisResult) -> plt.Figure:
    """Share of cases by number of professionals involved, with and without the link worker.

    For own records, bands whose counts are suppressed in the table are left out of the figure too."""
    counts = result.data["band_counts"]
    mask = result.data["band_mask"]
    shares = counts / counts.sum(axis=0)
    fig, ax = plt.subplots()
    x = np.arange(len(counts))
    width = 0.4
    for i, (col, colour) in enumerate(((WITH, COLOURS["primary"]), (WITHOUT, COLOURS["secondary"]))):
        values = shares[col].to_numpy(dtype=float)
        if mask is not None:
            values = np.where(mask[col].to_numpy(), np.nan, values)
        ax.bar(x + (i - 0.5) * width, values, width=width, color=colour, label=f"Cases {col}")
    ax.set_xticks(x, counts.index)
    ax.yaxis.set_major_formatter(PERCENT)
    ax.set_xlabel("Professionals involved with the case (count)")
    ax.set_ylabel("Share of the group's cases (%)")
    ax.legend(loc="upper right", fontsize=9)
    fig.tight_layout()
    return fig


def plot_rate_ratio(result: AnalysisResult) -> plt.Figure:
    """The estimated rate ratio with its interval, against no difference, the detectable ratio and
    (synthetic records) the true ratio of the reconstruction, on a log scale."""
    s = result.scalars
    low, high, mdrr = number(s, "rr_ci_low"), number(s, "rr_ci_high"), number(s, "mdrr")
    fig, ax = plt.subplots(figsize=(7.5, 2.6))
    interval_plot(
        ax,
        [""],
        [number(s, "rate_ratio_est")],
        [low],
        [high],
        label=f"estimate with {number(s, 'ci_level'):.0%} interval",
        marker_size=9,
    )
    ax.set_ylim(-0.6, 0.6)
    ax.set_yticks([])
    mark_value(ax, 1, "no difference", style="--", y=0.42)
    mark_value(ax, mdrr, f"detectable at {number(s, 'power_target'):.0%} power", colour=COLOURS["negative"], y=-0.42)
    true_ratio = number(s, "true_rate_ratio") if s["is_synthetic"] else 1
    if s["is_synthetic"]:
        mark_value(ax, true_ratio, "true ratio (synthetic)", colour=COLOURS["positive"], style="-", y=0.25)
    ax.set_xscale("log")
    lo, hi = min(low, 1, true_ratio) / 1.2, max(high, mdrr, true_ratio) * 1.4
    ax.set_xlim(lo, hi)
    ticks = [t for t in (0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 6, 8) if lo <= t <= hi]
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.minorticks_off()
    ax.set_xlabel("Rate ratio: mean professionals with ÷ without the link worker (log scale)")
    ax.legend(loc="upper right", fontsize=9)
    fig.tight_layout()
    return fig


def plot_power(result: AnalysisResult) -> plt.Figure:
    """Power to detect each rate ratio with the study's number of cases, and with two and four times as many."""
    s, curve = result.scalars, result.data["power_curve"]
    target, assumed = number(s, "power_target"), number(s, "assumed_rate_ratio")
    fig, ax = plt.subplots()
    styles = {1: ("-", COLOURS["primary"]), 2: ("--", COLOURS["secondary"]), 4: (":", COLOURS["positive"])}
    for m in result.data["multiples"]:
        ls, colour = styles.get(m, ("-", COLOURS["reference"]))
        label = f"{s['n_cases']} cases (this study)" if m == 1 else f"{m * s['n_cases']} cases ({m}×)"
        ax.plot(curve["rate_ratio"], curve[f"power_x{m}"], ls=ls, color=colour, lw=2.2, label=label)
    ax.axhline(target, color=COLOURS["reference"], lw=1, ls="--")
    ax.plot(s["mdrr"], target, "o", color=COLOURS["primary"], ms=7)
    ax.axvline(assumed, color=COLOURS["negative"], lw=1.2, ls="-.")
    ax.text(assumed, 0.03, " assumed ratio", color=COLOURS["negative"], fontsize=9)
    ax.set_xlim(1, curve["rate_ratio"].max())
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(PERCENT)
    ax.set_xlabel("True rate ratio: mean professionals with ÷ without the link worker")
    ax.set_ylabel("Power of the two-sided test (%)")
    ax.legend(loc="lower right", fontsize=9)
    fig.tight_layout()
    return fig


def plot_replicates(result: AnalysisResult) -> plt.Figure:
    """The estimated rate ratio across the synthetic reconstructions, with the assumed ratio and no difference."""
    draws = result.tables["replicates"]
    row = result.tables["replicate_summary"].iloc[0]
    values = draws["value"].dropna().to_numpy()
    fig, ax = plt.subplots(figsize=(7.0, 3.2))
    bins = np.exp(np.linspace(np.log(values.min()), np.log(values.max()), 40))
    ax.hist(values, bins=bins.tolist(), color=COLOURS["primary"], alpha=0.7, label="estimate in each reconstruction")
    ax.axvspan(
        row["range_low"],
        row["range_high"],
        color=COLOURS["primary"],
        alpha=0.12,
        label=f"central {result.params['ci_level']:.0%} range",
    )
    ax.axvline(row["truth"], color=COLOURS["negative"], lw=1.8, label="assumed ratio (given to the generator)")
    ax.axvline(1, color=COLOURS["reference"], lw=1.2, ls="--", label="no difference")
    ax.set_xscale("log")
    ticks = [t for t in (0.5, 0.75, 1, 1.5, 2, 3, 4) if bins[0] <= t <= bins[-1] or t == 1]
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.minorticks_off()
    ax.set_xlabel("Estimated rate ratio (log scale)")
    ax.set_ylabel("Reconstructions (count)")
    ax.legend(fontsize=8, loc="upper right")
    fig.tight_layout()
    return fig


def plot_dependence(result: AnalysisResult) -> plt.Figure:
    """The detectable rate ratio as its most influential assumption moves over its plausible range."""
    dep = result.data["dependence"]
    return dependence_plot(
        dep["table"],
        AXIS_LABELS[dep["input"]],
        f"Rate ratio detectable\nwith {result.params['power']:.0%} power",
        base=dep["base"],
        threshold=number(result.params, "rate_ratio"),
        threshold_label="the assumed ratio",
        line_label="smallest detectable ratio",
    )
