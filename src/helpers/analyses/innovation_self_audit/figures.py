"""The page's figures: the scores by theme, how the gap to the weakest theme moves with the scale's
spacing, and every item's rating."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import BoundaryNorm, ListedColormap

from helpers.page.plotting import COLOURS, SEQUENTIAL, dependence_plot
from helpers.results import AnalysisResult

from .items import MAX_RATING, MIN_RATING, SCALE


def plot_heatmap(result: AnalysisResult) -> plt.Figure:
    """Every item's rating, one row per theme, items in the report's order."""
    themes, table = result.data["themes"], result.tables["items"]
    width = int(table.groupby("theme").size().max())
    grid = np.full((len(themes), width), np.nan)
    fig, ax = plt.subplots(figsize=(8.6, 1.3 * len(themes) + 1.6), layout="constrained")
    cmap = ListedColormap(plt.get_cmap(SEQUENTIAL, len(SCALE))(np.arange(len(SCALE)))).with_extremes(bad=(1, 1, 1, 0))
    norm = BoundaryNorm(np.arange(MIN_RATING - 0.5, MAX_RATING + 1), cmap.N)
    cells = []
    for r, theme in enumerate(themes):
        for c, (_, row) in enumerate(table[table["theme"] == theme.id].iterrows()):
            grid[r, c] = row["rating"]
            cells.append((r, c, row))
    image = ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, norm=norm, aspect="auto")
    for r, c, row in cells:
        dark = row["rating"] <= (MIN_RATING + MAX_RATING) / 2
        ax.text(
            c,
            r,
            textwrap.fill(row["label"], 15) + f"\n{row['rating']}: {row['level']}",
            ha="center",
            va="center",
            fontsize=8,
            linespacing=1.15,
            color="white" if dark else "black",
        )
    ax.set_yticks(range(len(themes)), [textwrap.fill(t.title, 16) for t in themes], fontsize=9)
    ax.set_xticks(range(width), [str(k + 1) for k in range(width)])
    ax.set_xlabel("Item, in the report's order (number within the theme)")
    ax.set_xticks(np.arange(-0.5, width), minor=True)
    ax.set_yticks(np.arange(-0.5, len(themes)), minor=True)
    ax.grid(False)
    ax.grid(which="minor", color="white", lw=3)
    ax.tick_params(which="minor", length=0)
    bar = fig.colorbar(
        image, ax=ax, orientation="horizontal", ticks=[lv.rating for lv in SCALE], fraction=0.05, pad=0.02, aspect=40
    )
    bar.ax.set_xticklabels([f"{lv.rating}: {lv.label}" for lv in SCALE], fontsize=9)
    bar.set_label("Rating (scale points)")
    return fig


def plot_theme_scores(result: AnalysisResult) -> plt.Figure:
    """Mean rating by theme (bars) with each item's rating (dots) and the overall mean (line)."""
    themes, table, by = result.data["themes"], result.tables["items"], result.tables["themes"]
    fig, ax = plt.subplots(figsize=(8, 0.9 * len(themes) + 1.4))
    y = np.arange(len(themes))[::-1]
    ax.barh(y, by["mean_rating"], color=COLOURS["primary"], alpha=0.35, height=0.6, label="theme mean")
    for yi, theme in zip(y, themes, strict=True):
        ratings = table.loc[table["theme"] == theme.id, "rating"].to_numpy()
        # equal ratings are spread vertically, evenly about the bar's centre, so that each dot is visible
        offsets = np.zeros(len(ratings))
        for value in np.unique(ratings):
            same = np.flatnonzero(ratings == value)
            offsets[same] = (np.arange(len(same)) - (len(same) - 1) / 2) * 0.13
        ax.plot(
            ratings,
            yi + offsets,
            "o",
            color=COLOURS["primary"],
            ms=6,
            mec="white",
            mew=0.8,
            label="an item's rating" if yi == y[0] else None,
        )
    ax.axvline(
        float(result.scalars["overall_mean_rating"]),
        color=COLOURS["reference"],
        ls="--",
        lw=1.5,
        label="mean of all items",
    )
    ax.set_yticks(y, [textwrap.fill(t.title, 24) for t in themes])
    ax.set_xlim(MIN_RATING - 0.2, MAX_RATING + 0.2)
    ax.set_xticks([lv.rating for lv in SCALE], [f"{lv.rating}\n{lv.label}" for lv in SCALE])
    ax.set_xlabel("Rating (scale points)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.27), ncol=3, fontsize=9)
    fig.tight_layout()
    return fig


def plot_scoring_dependence(result: AnalysisResult) -> plt.Figure:
    """The gap between the weakest theme and the next, as the spacing of the scale moves."""
    fig = dependence_plot(
        result.tables["scoring_dependence"],
        "Spacing of the rating scale (power; 1 = equal steps)",
        "Gap to the next-weakest\ntheme (share of maximum)",
        base=1.0,
        threshold=0.0,
        threshold_label="below: another theme is the weakest",
        line_label="gap to the next-weakest theme",
    )
    ax = fig.axes[0]
    ax.set_xscale("log")
    ax.set_xticks([0.5, 0.75, 1, 1.5, 2], ["0.5", "0.75", "1", "1.5", "2"])
    ax.minorticks_off()
    fig.tight_layout()
    return fig
