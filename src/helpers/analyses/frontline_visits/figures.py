"""The page's figures, each drawn from a result (:func:`~helpers.analyses.frontline_visits.run`)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from helpers.analyses.frontline_visits.parameters import ROUTE_LABELS
from helpers.analyses.frontline_visits.tables import interval_performance
from helpers.inputs.suppression import MARKER, Suppressed
from helpers.page.plotting import COLOURS, PALETTE, PERCENT, interval_plot, mark_value
from helpers.results import AnalysisResult

ROUTE_COLOURS: dict[str, tuple[float, float, float]] = {
    "frontline": COLOURS["primary"],
    "other": COLOURS["secondary"],
    "experienced": PALETTE[4],
}


def _palette(routes: list[str]) -> dict[str, tuple[float, float, float]]:
    return {ROUTE_LABELS[r]: ROUTE_COLOURS[r] for r in routes}


def _labelled(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out["route"] = out["training_route"].map(ROUTE_LABELS)
    return out


def plot_visit_distribution(result: AnalysisResult) -> plt.Figure:
    """Visits per case by route (share of the route's cases at each count), with the contact
    threshold. With own records, counts below ``min_cell_count`` (and their complements) are
    left out of the plot."""
    hist: Suppressed = result.data["visit_hist"]
    routes, s = result.data["routes"], result.scalars
    raw: pd.DataFrame = result.data["visit_counts"]
    counts = raw.where(~hist.mask)  # hidden cells become NaN: gaps in the steps
    totals = raw.sum(axis=1)
    fig, ax = plt.subplots(figsize=(7.5, 4.0))
    binned = result.data["own_records"]
    labels = [str(c) for c in hist.mask.columns]
    # Synthetic: one column per count (position = count). Own records: merged bins, one position each.
    x = np.arange(len(labels), dtype=float) if binned else np.asarray(hist.mask.columns, float)
    for r in routes:
        label = ROUTE_LABELS[r]
        share = 100 * counts.loc[label].to_numpy(float) / totals[label]
        ax.step(x, share, where="mid", color=ROUTE_COLOURS[r], lw=1.8, label=label)
    top = int(x.max())
    cut = int(s["contact_threshold"])
    if binned:  # the bin that starts at the threshold
        cut = next(k for k, label in enumerate(labels) if label.split("\u2013")[0].split(" ")[0] == str(cut))
    ax.axvline(cut - 0.5, color=COLOURS["reference"], ls="--", lw=1.3)
    ax.text(
        cut - 0.3,
        ax.get_ylim()[1] * 0.97,
        f" {s['contact_threshold']} or more visits",
        color=COLOURS["reference"],
        va="top",
        fontsize=9,
    )
    if hist.mask.to_numpy().any():
        ax.text(
            0.99,
            0.80,
            f"routes with counts below {result.data['min_cell_count']} not shown",
            transform=ax.transAxes,
            ha="right",
            fontsize=8,
            color=COLOURS["reference"],
        )
    ax.set_xlim(-0.5, top + 0.5)
    ax.set_ylim(
        0, max(1.0, float(np.nan_to_num(100 * counts.to_numpy(float) / totals.to_numpy()[:, None]).max())) * 1.08
    )
    if binned:
        ax.set_xticks(x, labels, rotation=45 if len(labels) > 8 else 0, fontsize=8)
        ax.set_xlabel(
            f"Visits to the family during the case (merged so that no bar holds fewer than "
            f"{result.data['min_cell_count']} cases)"
        )
    else:
        ax.set_xlabel(f"Visits to the family during the case (count; the last step is {top} or more)")
    ax.set_ylabel("Cases in the route (%)")
    ax.legend(loc="upper right", fontsize=9)
    fig.tight_layout()
    return fig


def plot_visits_per_month(result: AnalysisResult) -> plt.Figure:
    """Each case's visits per month by route, with the published about-once-a-month line."""
    df, routes = _labelled(result.data["cases"]), result.data["routes"]
    df["visits_per_month"] = df["visits"] / df["months_open"]
    s = result.scalars
    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    order = [ROUTE_LABELS[r] for r in routes]
    sns.boxplot(
        data=df,
        x="visits_per_month",
        y="route",
        hue="route",
        order=order,
        hue_order=order,
        palette=_palette(routes),
        legend=False,
        showfliers=False,
        width=0.5,
        whis=(10, 90),
        ax=ax,
    )
    if not result.data["own_records"]:  # individual cases are shown only when they are synthetic
        sns.stripplot(
            data=df,
            x="visits_per_month",
            y="route",
            order=order,
            color=COLOURS["reference"],
            size=2,
            alpha=0.35,
            jitter=0.2,
            ax=ax,
        )
    published = float(s["published_visits_per_month"])
    ax.axvline(published, color=COLOURS["negative"], ls=":", lw=1.5)
    ax.text(
        published,
        -0.45,
        " published: about once a month",
        color=COLOURS["negative"],
        fontsize=9,
        va="bottom",
    )
    ax.set_xlabel("Visits per month open (visits/month)")
    ax.set_ylabel("")
    fig.tight_layout()
    return fig


def plot_worker_rates(result: AnalysisResult) -> plt.Figure:
    """Each worker's visits per month, sorted within route: the spread between workers."""
    wr, routes = result.data["worker_rates"].copy(), result.data["routes"]
    wr["route"] = wr["training_route"].map(ROUTE_LABELS)
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    start = 0
    for r in routes:
        d = wr[wr["training_route"] == r].sort_values("visits_per_month")
        x = np.arange(start, start + len(d))
        ax.scatter(x, d["visits_per_month"], s=14, color=ROUTE_COLOURS[r], label=ROUTE_LABELS[r])
        rate = d["visits"].sum() / d["months"].sum()
        ax.hlines(rate, x[0], x[-1], color=ROUTE_COLOURS[r], lw=1.5)
        start += len(d) + 3
    ax.set_xticks([])
    ax.set_xlabel("Social workers, sorted by visit rate within route")
    ax.set_ylabel("Worker's visits per month (visits/month)")
    ax.legend(loc="upper left", fontsize=9)
    fig.tight_layout()
    return fig


def plot_rate_ratios(result: AnalysisResult) -> plt.Figure:
    """The Frontline vs other rate ratio and its interval under each model and standard error; the
    method the page reports is drawn thick, with the ratio of the published averages marked."""
    table, s = result.tables["rate_ratios"], result.scalars
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    interval_plot(
        ax,
        [m.replace(", ", "\n", 1) for m in table["method"]],
        table["rate ratio"],
        table["low"],
        table["high"],
        emphasis=list(table["method"] == s["rate_ratio_method"]),
        marker_size=7,
    )
    ax.axvline(1.0, color=COLOURS["reference"], lw=1)
    if "published_visits_ratio" in s:
        mark_value(ax, float(s["published_visits_ratio"]), "ratio of published averages", colour=COLOURS["secondary"])
    right = max(table["high"].max(), s.get("published_visits_ratio", 0.0))
    ax.set_xlim(min(0.97, table["low"].min() * 0.97), right + 0.25 * (right - min(1.0, table["low"].min())))
    ax.set_xlabel(f"Visit rate ratio, Frontline vs other routes ({s['ci_level']:.0%} interval)")
    fig.tight_layout()
    return fig


def plot_threshold_shares(result: AnalysisResult) -> plt.Figure:
    """Share of cases reaching the contact threshold by route, with cluster-adjusted intervals."""
    shares, routes, s = result.data["shares"], result.data["routes"], result.scalars
    fig, ax = plt.subplots(figsize=(7.0, 2.6 + 0.3 * len(routes)))
    y = np.arange(len(routes))[::-1]
    for yi, r in zip(y, routes, strict=True):
        if r in result.data["shares_hidden"]:
            ax.text(
                0.01,
                yi,
                f"{MARKER} suppressed: a count is below {result.data['min_cell_count']}",
                va="center",
                fontsize=9,
                color=COLOURS["reference"],
            )
            continue
        share, lo, hi, _ = shares[r]
        ax.barh(yi, share, color=ROUTE_COLOURS[r], height=0.55)
        ax.plot([lo, hi], [yi, yi], color="black", lw=1.5)
    ax.set_yticks(y, [ROUTE_LABELS[r] for r in routes])
    ax.set_ylim(-0.6, len(routes) - 0.4)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PERCENT)
    ax.set_xlabel(f"Cases with {s['contact_threshold']} or more visits (%)")
    fig.tight_layout()
    return fig


def plot_replicates(result: AnalysisResult) -> plt.Figure:
    """Left: the rate ratio of every reconstruction, with the calibrated ratio, no difference and the one
    draw analysed in full. Right: how often each kind of interval covers the calibrated ratio, with its
    Monte Carlo interval, against the nominal level."""
    s = result.scalars
    draws = result.tables["replicates"]
    values = draws.loc[draws["estimate"] == "rate_ratio", "value"].dropna()
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(8.5, 3.4), gridspec_kw={"width_ratios": [1.3, 1]})
    ax.hist(values, bins=40, color=COLOURS["primary"], alpha=0.85)
    ax.axvline(s["rate_ratio_requested"], color=COLOURS["secondary"], ls="--", lw=1.5, label="calibrated ratio")
    ax.axvline(1.0, color=COLOURS["reference"], ls="-", lw=1, label="no difference")
    ax.axvline(s["rate_ratio_poisson"], color=COLOURS["negative"], ls=":", lw=1.5, label="the one draw analysed below")
    ax.set_xlabel("Visit rate ratio, Frontline vs other routes")
    ax.set_ylabel("Reconstructions (count)")
    ax.set_ylim(0, ax.get_ylim()[1] * 1.45)  # room above the bars for the legend
    ax.legend(fontsize=8, loc="upper left", ncols=1, frameon=True)
    table = interval_performance(result)
    y = np.arange(len(table))[::-1]
    cov, se = table["coverage"], table["coverage_mcse"]
    bx.barh(y, cov, color=[COLOURS["primary"], COLOURS["secondary"], COLOURS["reference"]], height=0.55)
    bx.errorbar(cov, y, xerr=1.96 * se, fmt="none", color="black", capsize=3, lw=1)
    bx.axvline(s["ci_level"], color=COLOURS["negative"], ls="--", lw=1.2)
    bx.text(s["ci_level"], y.max() + 0.45, " nominal", color=COLOURS["negative"], fontsize=8, va="bottom")
    bx.set_yticks(y, [label.split(" (")[0].replace(", ", "\n") for label in table["interval"]], fontsize=8)
    bx.set_xlim(0, 1)
    bx.set_ylim(-0.6, y.max() + 0.9)
    bx.xaxis.set_major_formatter(PERCENT)
    bx.set_xlabel("Intervals covering the calibrated ratio (%)")
    fig.tight_layout()
    return fig


def plot_by_study_size(result: AnalysisResult) -> plt.Figure:
    """Left: the central range of the rate ratio across the reconstructions at each study size, with its median,
    the ratio of the published averages and no difference. Right: how often a difference of the published size
    would be detected against the workers per route, by the formula (line) and simulated at each size (dots with
    their Monte Carlo error bars), with the conventional target."""
    s, t, curve = result.scalars, result.tables["by_size"], result.tables["detection_curve"]
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(9.0, 3.6), gridspec_kw={"width_ratios": [1, 1.15]})
    labels = [f"{w} workers,\n{c} cases" for w, c in zip(t["workers_per_route"], t["cases_per_route"], strict=True)]
    interval_plot(ax, labels, t["median"], t["range_low"], t["range_high"], marker_size=6)
    ax.axvline(1.0, color=COLOURS["reference"], lw=1)
    mark_value(ax, float(s["published_visits_ratio"]), "ratio of published averages", colour=COLOURS["secondary"])
    ax.set_xlabel(f"Rate ratio: central {float(s['replicate_range_level']):.0%} of reconstructions")
    ax.set_ylabel("Per route")
    bx.plot(curve["value"], curve["outcome"], color=COLOURS["primary"], lw=2, label="formula")
    bx.errorbar(
        t["workers_per_route"],
        t["detection"],
        yerr=1.96 * t["detection_mcse"],
        fmt="o",
        color="black",
        ms=4,
        capsize=2,
        label="simulated",
    )
    bx.axhline(float(s["detection_target"]), color=COLOURS["negative"], ls="--", lw=1.2, label="conventional target")
    bx.axvspan(
        float(s["size_small_workers"]),
        float(s["size_large_workers"]),
        color=COLOURS["reference"],
        alpha=0.12,
        lw=0,
        label="sizes the page considers",
    )
    bx.set_ylim(0, 1.02)
    bx.yaxis.set_major_formatter(PERCENT)
    bx.set_xlabel("Social workers per route")
    bx.set_ylabel("Difference detected (%)")
    bx.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig
