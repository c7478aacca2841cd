"""The compendium's one plot theme, and plots shared by several notebooks.

Colours come from seaborn's ``colorblind`` palette (Okabe–Ito-like, safe
for the common forms of colour-vision deficiency); every axis is labelled
with its unit. Captions and alt text are set on the notebook cell
(``mystnb.figure.caption`` and ``mystnb.image.alt``) so that the book shows them.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.ticker import Formatter, FuncFormatter, PercentFormatter

from helpers.page.text import gbp_tick

Colour = tuple[float, float, float]

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


POUNDS = FuncFormatter(gbp_tick)
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
    x_formatter: Formatter | None = None,
    y_formatter: Formatter | None = None,
) -> plt.Figure:
    """A small figure of how a headline moves with the one assumption it depends on most.

    ``table`` is :func:`helpers.stats.sensitivity.vary` output (``value``, ``outcome``). The assumption's
    base value is marked with a vertical dotted line and, if given, the threshold at which the
    headline's conclusion changes with a dashed horizontal line (line styles, not colour alone).
    """
    fig, ax = plt.subplots(figsize=(5.5, 3.2))
    ax.plot(table["value"], table["outcome"], color=COLOURS["primary"], lw=2, label=outcome_label)
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


def interval_plot(
    ax: plt.Axes,
    labels: Sequence[str],
    estimates: Sequence[float],
    lows: Sequence[float],
    highs: Sequence[float],
    *,
    colours: Sequence[Colour] | Colour = COLOURS["primary"],
    emphasis: Sequence[bool] | None = None,
    label: str | None = None,
    marker_size: float = 8,
) -> np.ndarray:
    """Intervals with their estimates, one row per label, the first on top (a "forest" plot).

    ``emphasis`` draws the rows marked ``True`` thicker in ``colours`` and the others in the
    reference grey (the chosen method among alternatives); ``label`` names the markers in a
    legend. Returns the rows' y positions, for marks added on top.
    """
    n = len(labels)
    y = np.arange(n)[::-1].astype(float)
    one_colour = all(isinstance(c, int | float) for c in colours)  # an RGB(A) tuple, not one per row
    row_colours = [colours] * n if one_colour else list(colours)
    widths = [3.0] * n
    if emphasis is not None:
        row_colours = [c if e else COLOURS["reference"] for c, e in zip(row_colours, emphasis, strict=True)]
        widths = [3.0 if e else 2.0 for e in emphasis]
    for yi, lo, hi, colour, width in zip(y, lows, highs, row_colours, widths, strict=True):
        ax.plot([lo, hi], [yi, yi], color=colour, lw=width, solid_capstyle="butt")
    ax.scatter(estimates, y, color=row_colours, s=marker_size**2, zorder=3, label=label)
    ax.set_yticks(y, list(labels))
    ax.set_ylim(-0.6, n - 1 + 1.1)
    return y


def mark_value(
    ax: plt.Axes,
    x: float,
    text: str,
    *,
    colour: Colour = COLOURS["reference"],
    style: str = ":",
    y: float | None = None,
) -> None:
    """A vertical line at ``x`` with a short label beside it (a target, a published value, no
    difference); by default the label sits at the top of the rows of :func:`interval_plot`."""
    ax.axvline(x, color=colour, ls=style, lw=1.5)
    top = ax.get_ylim()[1] - 0.55 if y is None else y
    ax.text(
        x,
        top,
        f" {text}",
        color=colour,
        fontsize=9,
        va="bottom" if y is None else "center",
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1},
    )
