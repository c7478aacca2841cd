"""The page's figures: the working week before and after, contacts accumulating against the threshold,
months to the threshold by caseload, the break-even hourly cost, and what the headline depends on most."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from helpers.analyses.time_use_admin_support.dependence import ASSUMPTION_LABELS
from helpers.page.plotting import COLOURS, POUNDS, dependence_plot
from helpers.page.plotting import PERCENT as PERCENT_AXIS
from helpers.page.registry import published
from helpers.results import AnalysisResult, number

_POT_COLOURS = {"admin": COLOURS["negative"], "family": COLOURS["primary"], "other": COLOURS["reference"]}
_POT_SHORT = {"admin": "Administrative tasks", "family": "With families", "other": "Other (neither)"}


def plot_time_use(result: AnalysisResult) -> plt.Figure:
    """Stacked bars: hours per contracted week in each part of the working time, before and after."""
    hours = result.data["hours"]
    fig, ax = plt.subplots(figsize=(7.5, 3.4))
    labels = ["Before PA support", "With PA support"]
    y = np.array([1, 0])
    left = np.zeros(2)
    for pot in ("family", "admin", "other"):
        widths = np.array([hours["before"][pot], hours["after"][pot]])
        ax.barh(
            y,
            widths,
            left=left,
            color=_POT_COLOURS[pot],
            label=_POT_SHORT[pot],
            height=0.6,
            alpha=0.55 if pot == "other" else 1.0,
        )
        for yi, lo, w in zip(y, left, widths, strict=True):
            if w >= 2.5:
                ax.text(
                    lo + w / 2,
                    yi,
                    f"{w:.1f} h",
                    ha="center",
                    va="center",
                    color="white",
                    fontsize=10,
                    fontweight="bold",
                )
        left += widths
    ax.set_yticks(y, labels)
    ax.set_xlim(0, number(result.scalars, "contracted_hours"))
    ax.set_xlabel("Hours per contracted week (hours)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=3, fontsize=9)
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    return fig


def plot_cumulative_contacts(result: AnalysisResult) -> plt.Figure:
    """Contacts per family accumulating month by month, before and after, against the threshold."""
    s = result.scalars
    threshold = number(s, "contacts_threshold")
    horizon = float(
        np.ceil(1.25 * max(number(s, "months_to_threshold_before"), number(s, "months_to_threshold_after")))
    )
    months = np.linspace(0, horizon, 200)
    fig, ax = plt.subplots()
    for when, colour, label in (
        ("before", COLOURS["negative"], "Before PA support"),
        ("after", COLOURS["primary"], "With PA support"),
    ):
        rate = number(s, f"contacts_per_family_month_{when}")
        ax.plot(months, rate * months, color=colour, lw=2.2, label=f"{label}: {rate:.2f} a month")
        reach = number(s, f"months_to_threshold_{when}")
        ax.plot([reach, reach], [0, threshold], color=colour, ls=":", lw=1.3)
        ax.plot(reach, threshold, "o", color=colour, ms=7)
        ax.annotate(
            f"{reach:.1f} months", (reach, 0), textcoords="offset points", xytext=(3, 4), color=colour, fontsize=9
        )
    ax.axhline(threshold, color=COLOURS["reference"], ls="--", lw=1.2)
    ax.text(0.2, threshold, f" {threshold} contacts", va="bottom", color=COLOURS["reference"], fontsize=9)
    ax.set_xlim(0, horizon)
    ax.set_ylim(0, threshold * 1.35)
    ax.set_xlabel("Months since the case opened (months)")
    ax.set_ylabel("Contacts with the family (count)")
    ax.legend(loc="upper left", fontsize=9)
    fig.tight_layout()
    return fig


def plot_caseload(result: AnalysisResult) -> plt.Figure:
    """Months until a family reaches the threshold, by caseload, before and after."""
    s, curve = result.scalars, result.data["caseload_curve"]
    fig, ax = plt.subplots()
    ax.plot(curve["caseload"], curve["months_before"], color=COLOURS["negative"], lw=2.2, label="Before PA support")
    ax.plot(curve["caseload"], curve["months_after"], color=COLOURS["primary"], lw=2.2, label="With PA support")
    caseload = number(s, "caseload")
    ax.axvline(caseload, color=COLOURS["reference"], ls="--", lw=1.2)
    ax.text(caseload, ax.get_ylim()[1] * 0.97, " caseload used", va="top", color=COLOURS["reference"], fontsize=9)
    ax.set_xlabel("Cases per social worker (count)")
    ax.set_ylabel(f"Months until {s['contacts_threshold']} contacts (months)")
    ax.set_xlim(0, curve["caseload"].max())
    ax.set_ylim(0, None)
    ax.legend(loc="upper left", fontsize=9)
    fig.tight_layout()
    return fig


def plot_break_even(result: AnalysisResult) -> plt.Figure:
    """The value of the social worker's time moved off administration, by the hourly cost of that
    time, against the PA's cost per social worker: where the lines cross, the PA pays for itself."""
    d = result.data
    hours_year = d["admin_hours_moved_year"]
    hourly_cost, pa_cost = number(result.params, "sw_hourly_cost"), number(result.params, "pa_cost_per_sw")
    marks = [hourly_cost] + [v for v in (d["break_even"], d["implied_hourly_value"]) if v is not None]
    top = 1.6 * max(marks)
    rates = np.linspace(0, top, 200)
    fig, ax = plt.subplots(figsize=(7.0, 5.0))
    ax.plot(
        rates,
        hours_year * rates,
        color=COLOURS["primary"],
        lw=2.2,
        label="Value of the social worker's time moved off administration",
    )
    ax.axhline(pa_cost, color=COLOURS["negative"], lw=2.2, label="Cost of PA support per social worker")
    if d["break_even"] is not None:
        ax.plot(d["break_even"], pa_cost, "o", color=COLOURS["negative"], ms=8)
        ax.annotate(
            "break-even",
            (d["break_even"], pa_cost),
            textcoords="offset points",
            xytext=(6, -14),
            color=COLOURS["negative"],
            fontsize=9,
        )
    ax.axvline(hourly_cost, color=COLOURS["reference"], ls="--", lw=1.2)
    ax.text(
        hourly_cost,
        ax.get_ylim()[1] * 0.03,
        " hourly cost used",
        va="bottom",
        color=COLOURS["reference"],
        fontsize=9,
    )
    if d["implied_hourly_value"] is not None:
        ax.plot(
            d["implied_hourly_value"],
            published("hiow_saving_per_sw"),
            "D",
            color=COLOURS["secondary"],
            ms=7,
            label="Published saving per social worker (secondary source)",
        )
    ax.set_xlim(0, top)
    ax.set_ylim(0, None)
    ax.xaxis.set_major_formatter(POUNDS)
    ax.yaxis.set_major_formatter(POUNDS)
    ax.set_xlabel("Hourly cost of a social worker's time (£ per hour)")
    ax.set_ylabel("Per social worker per year (£)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=1, fontsize=9)
    fig.tight_layout()
    return fig


def plot_dependence(result: AnalysisResult) -> plt.Figure:
    """How the change in the wait for the contact threshold moves with the assumption it depends on most."""
    s = result.scalars
    top = str(s["dependence_top_input"])
    fig = dependence_plot(
        result.tables["dependence"],
        ASSUMPTION_LABELS[top] + (" (%)" if top == "recording_admin_share" else ""),
        f"Change in months to {s['contacts_threshold']} contacts\nwith PA support (months)",
        base=result.data["dependence_base"],
        threshold=0.0,
        threshold_label="no change: below, PA support shortens the wait",
        x_formatter=PERCENT_AXIS if top == "recording_admin_share" else None,
    )
    return fig
