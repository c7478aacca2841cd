"""The study-design page's figures, drawn from an :class:`~helpers.results.AnalysisResult`."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from helpers.page.plotting import COLOURS, PALETTE, PERCENT, dependence_plot
from helpers.results import AnalysisResult
from helpers.stats import montecarlo


def plot_power_curves(result: AnalysisResult) -> plt.Figure:
    """Exact power of the cluster-level t-test against families per arm, one line per ICC, with the
    simulated points (and their Monte Carlo intervals) at the chosen ICC."""
    s, curves, pts = result.scalars, result.tables["curves"], result.tables["sim_points"]
    fig, ax = plt.subplots(figsize=(7.5, 4.4))
    iccs = sorted(curves["icc"].unique())
    colours = dict(zip(iccs, [PALETTE[i % len(PALETTE)] for i in range(len(iccs))], strict=True))
    for r in iccs:
        c = curves[curves["icc"] == r]
        chosen = r == s["icc"]
        ax.plot(
            c["families_per_arm"],
            c["power"],
            color=colours[r],
            lw=2.6 if chosen else 1.4,
            label=f"ICC {r:g}" + (" (chosen)" if chosen else ""),
        )
    ax.errorbar(
        pts["families_per_arm"],
        pts["power"],
        yerr=[pts["power"] - pts["low"], pts["high"] - pts["power"]],
        fmt="o",
        color="black",
        ms=4,
        capsize=2,
        label="simulated, chosen ICC",
    )
    ax.axhline(float(s["power_target"]), color=COLOURS["reference"], ls="--", lw=1)
    ax.axvline(int(s["workers_per_arm"]) * int(s["families_per_worker"]), color=COLOURS["reference"], ls=":", lw=1)
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(PERCENT)
    ax.set_xlabel(f"Families analysed per group ({s['families_per_worker']} per worker)")
    ax.set_ylabel("Power (%)")
    ax.legend(loc="lower right", fontsize=9)
    fig.tight_layout()
    return fig


def plot_referrals(result: AnalysisResult) -> plt.Figure:
    """Families that must be referred, for the recommended design, against the share of them who keep one social
    worker; the assumed and the better shares annotated with their referrals (printed to the precision the
    design's Monte Carlo error supports)."""
    s, ref = result.scalars, result.tables["referral"]
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    ax.plot(ref["eligibility_rate"], ref["referred"], color=COLOURS["primary"], lw=2)
    for rate, name, label, colour in (
        (s["eligibility_rate"], "n_referred_recommended", "assumed eligibility", COLOURS["negative"]),
        (
            s["eligibility_rate_better"],
            "n_referred_recommended_better",
            "better system conditions",
            COLOURS["positive"],
        ),
    ):
        n = float(s[name])
        ax.plot(rate, n, "o", color=colour, ms=8)
        text = montecarlo.text(n, float(s[f"{name}_mcse"]), "count")
        ax.annotate(
            f"{label}: about {text}", (rate, n), xytext=(8, 8), textcoords="offset points", color=colour, fontsize=9
        )
    recruited = float(s["families_recruited_total_recommended"])
    ax.axhline(recruited, color=COLOURS["reference"], ls="--", lw=1)
    ax.text(0.02, recruited, "families to recruit", ha="left", va="bottom", fontsize=9, color=COLOURS["reference"])
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_xlim(0, 1.02)
    ax.xaxis.set_major_formatter(PERCENT)
    ax.set_xlabel("Referred families who keep one social worker throughout (%)")
    ax.set_ylabel("Families to refer (count, log scale)")
    fig.tight_layout()
    return fig


def plot_dependence(result: AnalysisResult) -> plt.Figure:
    """The referred families the recommended design needs over the range the page assumes for the assumption they
    depend on most."""
    s = result.scalars
    short = {
        "eligibility_rate": "Referred families eligible (assumption)",
        "icc": "Intra-class correlation (assumption)",
        "attrition": "Families lost before follow-up (assumption)",
        "families_per_worker": "Families per worker (assumption)",
    }[str(s["dependence_input"])]
    fig = dependence_plot(
        result.tables["dependence"],
        short,
        "Families to refer (count)",
        base=float(s["dependence_base"]),
        x_formatter=PERCENT if s["dependence_input"] != "families_per_worker" else None,
        y_formatter=FuncFormatter(lambda v, _pos: f"{v:,.0f}"),
    )
    fig.axes[0].set_ylim(bottom=0)  # from zero: the fall is read at its true size
    return fig
