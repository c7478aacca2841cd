"""The page's figures: the funnel plot of local authorities, the benchmark's dependence on its
assumptions, and the workforce series."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import FuncFormatter

from helpers.page.plotting import COLOURS, PERCENT, dependence_plot
from helpers.results import AnalysisResult

from .local_authorities import FUNNEL_COVERAGES, funnel_limits
from .model import BENCHMARK_LABELS, RATIO_THRESHOLD

#: The benchmark figure's line: the ratio the page states beside its model.
BENCHMARK_LINE_LABEL = "DfE's share ÷ the turnover-only model's share"
#: Range of the number of children looked after drawn in the funnel plot when no local-authority rows are read.
FUNNEL_RANGE_DEFAULT = (10, 3000)


def funnel_has_authorities(result: AnalysisResult) -> bool:
    """Whether the funnel plot would show any authority: a plot of limits alone shows nothing, so the
    page leaves it out (and says why) when no local-authority rows were read."""
    la = result.data["la"]
    return la is not None and not la.empty


def plot_funnel(result: AnalysisResult) -> plt.Figure:
    """Funnel plot: each authority's share against its number of children looked after, with the
    95% and 99.8% limits around England's share, and the turnover-only model's share."""
    d = result.data
    p0, la = d["england_share"], d["la"]
    lo_n, hi_n = (
        FUNNEL_RANGE_DEFAULT if la is None or la.empty else (max(2, int(la["total"].min())), int(la["total"].max()))
    )
    n = np.unique(np.geomspace(lo_n, hi_n * 1.05, 300).round().astype(int))
    fig, ax = plt.subplots(figsize=(7.5, 4.5))
    for coverage, style in zip(FUNNEL_COVERAGES, ("--", ":"), strict=True):
        lo, hi = funnel_limits(p0, n, coverage)
        ax.plot(n, lo, style, color=COLOURS["reference"], lw=1.2, label=f"{100 * coverage:g}% limits")
        ax.plot(n, hi, style, color=COLOURS["reference"], lw=1.2)
    ax.axhline(p0, color=COLOURS["primary"], lw=1.5, label=f"England {result.scalars['cla_year']}: {p0:.0%}")
    ax.axhline(
        d["model_share"],
        color=COLOURS["negative"],
        lw=1.5,
        ls="-.",
        label=f"turnover-only model: {d['model_share']:.1%}",
    )
    if la is not None and not la.empty:
        outside = la["outside_998"].to_numpy()
        ax.scatter(
            la["total"][~outside],
            la["share"][~outside],
            s=14,
            color=COLOURS["primary"],
            alpha=0.6,
            label="local authority",
        )
        ax.scatter(
            la["total"][outside],
            la["share"][outside],
            s=18,
            color=COLOURS["secondary"],
            label="outside the 99.8% limits",
        )
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x:,.0f}"))
    ax.set_xlabel("Children looked after on 31 March in the local authority (count, log scale)")
    ax.set_ylabel("Share with 3 or more social workers (%)")
    ax.yaxis.set_major_formatter(PERCENT)
    ax.set_ylim(0, max(0.7, float(la["share"].max()) + 0.05) if la is not None and not la.empty else 0.7)
    # below the axes, never over an authority's dot
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize=8, ncol=3, frameon=False)
    fig.tight_layout()
    return fig


def plot_workforce(result: AnalysisResult) -> plt.Figure:
    """England's caseload, turnover and agency-worker rate by year, with the middle half of
    local authorities when the files were read."""
    wf, spread = result.data["workforce"], result.data["la_spread"]
    panels = (
        ("caseload_fte", "Caseload (cases per FTE)"),
        ("turnover_rate_fte", "Turnover (%)"),
        ("agency_rate_fte", "Agency workers (%)"),
    )
    fig, axes = plt.subplots(1, 3, figsize=(9.5, 3.4), sharex=True)
    years = wf["year"].to_numpy()
    for ax, (column, label) in zip(axes, panels, strict=True):
        if spread is not None:
            ax.fill_between(
                spread.index,
                spread[(column, 0.25)],
                spread[(column, 0.75)],
                color=COLOURS["primary"],
                alpha=0.18,
                lw=0,
                label="middle half of authorities",
            )
        ax.plot(years, wf[column], "o", color=COLOURS["primary"], ms=5, label="England")
        for run in np.split(np.arange(len(years)), np.where(np.diff(years) != 1)[0] + 1):
            if len(run) > 1:  # join consecutive years only: a line across a gap would invent the years between
                ax.plot(years[run], wf[column].to_numpy()[run], "-", color=COLOURS["primary"])
        ax.set_title(label, fontsize=10)
        ax.set_xlabel("Year (30 September)")
        ax.set_ylim(0, ax.get_ylim()[1] * 1.1)  # from zero: a fall of a few points must not look like a collapse
        ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True, nbins=5))
    axes[0].legend(loc="best", fontsize=8)
    fig.tight_layout()
    return fig


def plot_benchmark_dependence(result: AnalysisResult) -> plt.Figure:
    """The published share over the turnover-only share, as the assumption it depends on most moves."""
    top = str(result.scalars["benchmark_top_input"])
    table = result.tables["benchmark_dependence"]
    fig = dependence_plot(
        table,
        BENCHMARK_LABELS[top] + (" (%)" if top == "turnover_rate" else " (ratio)"),
        "DfE's share ÷ model's share\n(times)",
        base=result.data["benchmark_base"],
        threshold=RATIO_THRESHOLD,
        threshold_label=f"{RATIO_THRESHOLD:g} times: below it, leaving at random explains half or more",
        x_formatter=PERCENT if top == "turnover_rate" else None,
    )
    ax = fig.axes[0]
    ax.lines[0].set_label(BENCHMARK_LINE_LABEL)  # the line is the ratio the page states, not "the headline"
    ax.set_ylim(0, None)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.28), fontsize=8, ncol=1, frameon=False)
    fig.set_size_inches(6, 4.2)
    fig.tight_layout()
    return fig
