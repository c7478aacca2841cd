"""The compendium's one plot theme, and plots shared by several notebooks.

Colours come from seaborn's ``colorblind`` palette (Okabe–Ito-like, safe
for the common forms of colour-vision deficiency); every axis is labelled
with its unit. Captions and alt text are set on the notebook cell
(``mystnb.figure.caption`` and ``mystnb.image.alt``) so that the book shows them.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.ticker import FuncFormatter, PercentFormatter

PALETTE: list[tuple[float, float, float]] = sns.color_palette("colorblind")
#: Named roles, so the same thing has the same colour on every page.
COLOURS: dict[str, tuple[float, float, float]] = {
    "primary": PALETTE[0],  # blue
    "secondary": PALETTE[1],  # orange
    "positive": PALETTE[2],  # green
    "negative": PALETTE[3],  # vermillion
    "reference": (0.35, 0.35, 0.35),  # grey: targets, published values
}
SEQUENTIAL = "viridis"  # colour-blind-safe sequential map for heatmaps
DIVERGING = "vlag"


def use_theme() -> None:
    """Apply the compendium's theme (call once at the top of a notebook)."""
    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE, font_scale=1.0)
    plt.rcParams.update(
        {
            "figure.figsize": (7.0, 4.0),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "axes.titleweight": "bold",
            "axes.titlesize": 12,
            "axes.labelsize": 11,
            "legend.frameon": False,
            "svg.hashsalt": "compendium",  # deterministic SVG ids
        }
    )


def pounds(x: float, _pos: int | None = None) -> str:
    """Tick label in pounds sterling: £1.2m, £350k, £900."""
    sign = "−" if x < 0 else ""
    x = abs(x)
    if x >= 1e6:
        return f"{sign}£{x / 1e6:.1f}m"
    if x >= 1e3:
        return f"{sign}£{x / 1e3:.0f}k"
    return f"{sign}£{x:.0f}"


POUNDS = FuncFormatter(pounds)
PERCENT = PercentFormatter(xmax=1.0, decimals=0)


def tornado_plot(table: pd.DataFrame, outcome_label: str, *, formatter: FuncFormatter = POUNDS) -> plt.Figure:
    """Horizontal bars from :func:`helpers.stats.sensitivity.tornado`: each input's low and high outcome
    around the base outcome, the largest swing on top."""
    base = table.attrs["base_outcome"]
    order = table.iloc[::-1]
    fig, ax = plt.subplots(figsize=(7.5, 0.55 * len(table) + 1.4))
    y = np.arange(len(order))
    ax.barh(y, order["outcome_low"] - base, left=base, color=COLOURS["negative"], label="input at its 10th percentile")
    ax.barh(y, order["outcome_high"] - base, left=base, color=COLOURS["primary"], label="input at its 90th percentile")
    ax.axvline(base, color=COLOURS["reference"], lw=1)
    ax.set_yticks(y, order["label"])
    ax.xaxis.set_major_formatter(formatter)
    ax.set_xlabel(outcome_label)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18 - 0.6 / len(table)), ncol=2, fontsize=9)
    fig.tight_layout()
    return fig


def distribution_plot(
    values: np.ndarray, label: str, *, reference: float = 0.0, formatter: FuncFormatter = POUNDS
) -> plt.Figure:
    """Histogram of simulated values with a reference line (e.g. break-even at zero)."""
    fig, ax = plt.subplots()
    sns.histplot(values, bins=50, color=COLOURS["primary"], ax=ax)
    ax.axvline(reference, color=COLOURS["reference"], ls="--", lw=1.2)
    ax.xaxis.set_major_formatter(formatter)
    ax.set_xlabel(label)
    ax.set_ylabel("Simulated draws (count)")
    fig.tight_layout()
    return fig


def dependence_plot(
    table: pd.DataFrame,
    input_label: str,
    outcome_label: str,
    *,
    base: float | None = None,
    threshold: float | None = None,
    threshold_label: str = "where the conclusion changes",
    x_formatter: FuncFormatter | None = None,
    y_formatter: FuncFormatter | None = None,
) -> plt.Figure:
    """A small figure of how a headline moves with the one assumption it depends on most.

    ``table`` is :func:`helpers.stats.sensitivity.vary` output (``value``, ``outcome``). The assumption's
    base value is marked with a vertical dotted line and, if given, the threshold at which the
    headline's conclusion changes with a dashed horizontal line (line styles, not colour alone).
    """
    fig, ax = plt.subplots(figsize=(5.5, 3.2))
    ax.plot(table["value"], table["outcome"], color=COLOURS["primary"], lw=2, label="headline")
    if threshold is not None:
        ax.axhline(threshold, color=COLOURS["negative"], ls="--", lw=1.2, label=threshold_label)
    if base is not None:
        ax.axvline(base, color=COLOURS["reference"], ls=":", lw=1.2, label="the page's assumption")
    if x_formatter is not None:
        ax.xaxis.set_major_formatter(x_formatter)
    if y_formatter is not None:
        ax.yaxis.set_major_formatter(y_formatter)
    ax.set_xlabel(input_label)
    ax.set_ylabel(outcome_label)
    ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    return fig
