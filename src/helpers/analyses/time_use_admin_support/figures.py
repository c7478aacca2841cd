"""The page's figures: the working week before and after, contacts accumulating against the threshold,
months to the threshold by caseload, the break-even hourly cost, and what the months depend on most."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import FormatStrFormatter

from helpers.analyses.time_use_admin_support.dependence import HIGH_END, LOW_END
from helpers.page.plotting import COLOURS, POUNDS, tornado_plot
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
    ax.text(horizon, threshold, f"{threshold} contacts ", ha="right", va="top", color=COLOURS["reference"], fontsize=9)
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
    time, against the PA's cost per social worker: where the lines cross, the PA pays for itself. The
    published saving is placed on the value line under both readings (gross and net of the PA's cost)."""
    d = result.data
    hours_year = d["admin_hours_moved_year"]
    hourly_cost, pa_cost = number(result.params, "sw_hourly_cost"), number(result.params, "pa_cost_per_sw")
    implied: dict[str, float] = d["implied_hourly_value"]
    marks = [hourly_cost] + ([d["break_even"]] if d["break_even"] is not None else []) + list(implied.values())
    top = 1.6 * max(marks)
    rates = np.linspace(0, top, 200)
    fig, ax = plt.subplots(figsize=(7.0, 5.2))
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
        hourly_cost, ax.get_ylim()[1] * 0.03, " hourly cost used", va="bottom", color=COLOURS["reference"], fontsize=9
    )
    saving = published("hiow_saving_per_sw")
    readings = {
        "gross": ("D", saving, "Published saving read as gross (the page's reading)"),
        "net": ("s", saving + published("hiow_pa_cost_per_sw"), "Published saving read as net of the PA cost"),
    }
    for reading, value in implied.items():
        marker, worth, label = readings[reading]
        ax.plot(value, worth, marker, color=COLOURS["positive"], ms=7, label=label, ls="none")
    ax.set_xlim(0, top)
    ax.set_ylim(0, None)
    ax.xaxis.set_major_formatter(POUNDS)
    ax.yaxis.set_major_formatter(POUNDS)
    ax.set_xlabel("Hourly cost of a social worker's time (£ per hour)")
    ax.set_ylabel("Per social worker per year (£)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.17), ncol=1, fontsize=9)
    fig.tight_layout()
    return fig


def plot_tornado(result: AnalysisResult) -> plt.Figure:
    """What the months to the contact threshold with PA support depend on: each assumption moved alone to the
    ends of its assumed spread, within what the published shares allow."""
    threshold = number(result.scalars, "contacts_threshold")
    fig = tornado_plot(
        result.tables["tornado"],
        f"Months until {threshold} contacts with PA support (months)",
        formatter=FormatStrFormatter("%g"),
        low_label=LOW_END,
        high_label=HIGH_END,
    )
    fig.axes[0].set_xlim(0, None)  # months from zero: the bars' lengths compare with the whole wait
    return fig
