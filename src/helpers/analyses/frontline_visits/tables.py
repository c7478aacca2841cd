"""The page's tables made from a result: calibration, cases reaching the threshold, workers involved, and how
each kind of interval behaves across the reconstructions."""

from __future__ import annotations

import pandas as pd

from helpers.analyses.frontline_visits.phrases import approximate_percent
from helpers.inputs.suppression import Suppressed
from helpers.results import AnalysisResult
from helpers.stats import montecarlo
from helpers.stats.sensitivity import tornado_table

#: How the sensitivity table writes each assumption's values: the cases per worker are whole cases.
SENSITIVITY_VALUES = {
    "icc": lambda v: f"{v:.2f}",
    "dispersion": lambda v: f"{v:.2f}",
    "cases_per_worker": lambda v: f"{v:.0f}",
}


def calibration_table(result: AnalysisResult) -> pd.DataFrame:
    """Published figure, the value the generator was asked for, and what the one synthetic reconstruction analysed
    in full gives (one draw)."""
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
    return pd.DataFrame(rows, columns=["quantity", "published", "requested (parameters)", "one synthetic draw"])


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
    ratio and how often it detects a difference, each printed to the precision its Monte Carlo error supports
    (:mod:`helpers.stats.montecarlo`) with that error beside it. (The median and central range of the rate ratio
    are the same for every row; the text states them.)"""
    perf = interval_performance(result)

    def share(p: float, se: float) -> str:
        return f"{montecarlo.text(p, se, 'percent')} ({montecarlo.error_text(se, 'percent')})"

    return pd.DataFrame(
        {
            "interval": perf["interval"],
            "covers the calibrated ratio (Monte Carlo error)": [
                share(p, e) for p, e in zip(perf["coverage"], perf["coverage_mcse"], strict=True)
            ],
            "detects a difference (Monte Carlo error)": [
                share(p, e) for p, e in zip(perf["detection"], perf["detection_mcse"], strict=True)
            ],
        }
    )


def size_table(result: AnalysisResult) -> pd.DataFrame:
    """The rate ratio across the reconstructions at each study size the page considers: its median and central
    range, how often the clustered interval covers the calibrated ratio and detects a difference (each printed by
    the Monte Carlo precision rule), and the detection rate by the large-sample formula."""
    t = result.tables["by_size"]
    level = float(result.scalars["replicate_range_level"])

    def mc(v: float, se: float, style: str = "ratio") -> str:
        return montecarlo.text(v, se, style)

    return pd.DataFrame(
        {
            "workers per route": t["workers_per_route"],
            "cases per route": t["cases_per_route"],
            "median rate ratio": [mc(v, e) for v, e in zip(t["median"], t["median_mcse"], strict=True)],
            f"central {level:.0%} range": [
                f"{mc(lo, elo)} to {mc(hi, ehi)}"
                for lo, elo, hi, ehi in zip(
                    t["range_low"], t["range_low_mcse"], t["range_high"], t["range_high_mcse"], strict=True
                )
            ],
            "clustered interval covers the calibrated ratio": [
                mc(v, e, "percent") for v, e in zip(t["coverage"], t["coverage_mcse"], strict=True)
            ],
            "detects a difference (simulated)": [
                mc(v, e, "percent") for v, e in zip(t["detection"], t["detection_mcse"], strict=True)
            ],
            "detects a difference (formula)": [f"{v:.0%}" for v in t["detection_formula"]],
        }
    )


def sensitivity_table(result: AnalysisResult) -> pd.DataFrame:
    """What else the detection rate depends on, for readers: each assumption's low and high values (whole cases
    per worker), the detection rate by the formula at each as a percentage (">99%" rather than "100%": it is an
    approximation) and the swing in percentage points."""
    raw = result.tables["tornado"]
    table = tornado_table(raw, values=SENSITIVITY_VALUES, outcome=approximate_percent)
    table["swing"] = [f"{v * 100:.0f} points" for v in raw["swing"]]
    return table.rename(columns={"headline at low": "detection at low", "headline at high": "detection at high"})
