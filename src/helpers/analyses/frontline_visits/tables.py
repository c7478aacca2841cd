"""The page's tables made from a result: calibration, cases reaching the threshold, workers involved, and how
each kind of interval behaves across the reconstructions."""

from __future__ import annotations

import pandas as pd

from helpers.inputs.suppression import Suppressed
from helpers.results import AnalysisResult


def calibration_table(result: AnalysisResult) -> pd.DataFrame:
    """Published figure, the value the generator was asked for, and what the synthetic sample gives."""
    s, p = result.scalars, result.params
    rows = [
        (
            "Mean visits per case, Frontline",
            s["published_visits_frontline"],
            p["mean_visits_frontline"],
            s["mean_visits_frontline_observed"],
        ),
        (
            "Mean visits per case, other routes",
            s["published_visits_other"],
            p["mean_visits_other"],
            s["mean_visits_other_observed"],
        ),
        (
            "Visits per month, all cases",
            s["published_visits_per_month"],
            (float(p["mean_visits_frontline"]) + float(p["mean_visits_other"])) / 2 / float(p["case_months"]),
            s["visits_per_month_all"],
        ),
    ]
    if "share_cases_typical_workers" in s:
        rows.append(
            (
                f"Share of cases with {s['published_workers_low']} or {s['published_workers_high']} workers",
                "typical",
                1 - float(p["share_single_worker"]),
                s["share_cases_typical_workers"],
            )
        )
    return pd.DataFrame(rows, columns=["quantity", "published", "requested (parameters)", "synthetic sample"])


def threshold_table(result: AnalysisResult) -> pd.DataFrame:
    sup: Suppressed = result.data["threshold_counts"]
    return sup.display.reset_index()


def workers_table(result: AnalysisResult) -> pd.DataFrame | None:
    sup: Suppressed | None = result.data["workers_table"]
    return None if sup is None else sup.display.reset_index()


REPLICATE_LABELS: dict[str, str] = {
    "rate_ratio": "Poisson, worker-clustered SE",
    "rate_ratio_quasi": "Quasi-Poisson SE (over-dispersion, no clustering)",
    "rate_ratio_model_se": "Poisson, model-based SE (neither)",
}


def interval_performance(result: AnalysisResult) -> pd.DataFrame:
    """Per kind of interval: coverage of the calibrated ratio and detection of a difference across the
    reconstructions, with their Monte Carlo standard errors (numbers, for the figure and the table)."""
    rep = result.tables["replicate_summary"].set_index("estimate")
    rows = []
    for key, label in REPLICATE_LABELS.items():
        r = rep.loc[key]
        rows.append(
            {
                "interval": label,
                "coverage": r["coverage"],
                "coverage_mcse": r["coverage_mcse"],
                "detection": r["detection"],
                "detection_mcse": r["detection_mcse"],
            }
        )
    return pd.DataFrame(rows)


def replicate_table(result: AnalysisResult) -> pd.DataFrame:
    """How each kind of interval behaves across the reconstructions: how often it covers the calibrated
    ratio and how often it detects a difference, each with its Monte Carlo standard error. (The median and
    central range of the rate ratio are the same for every row; the text states them.)"""
    perf = interval_performance(result)

    def share(p: float, se: float) -> str:
        return f"{p:.1%} (± {se:.1%})"

    return pd.DataFrame(
        {
            "interval": perf["interval"],
            "covers the calibrated ratio (MC error)": [
                share(p, e) for p, e in zip(perf["coverage"], perf["coverage_mcse"], strict=True)
            ],
            "detects a difference (MC error)": [
                share(p, e) for p, e in zip(perf["detection"], perf["detection_mcse"], strict=True)
            ],
        }
    )
