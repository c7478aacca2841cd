"""What a synthetic reconstruction shows across many draws, not one.

A synthetic page draws its records from a seed. One draw is one possible
sample; what the reconstruction shows is judged across ``R`` of them. An
analysis supplies a function that draws one reconstruction and returns its key
estimates, each with an interval; :func:`across` evaluates it for ``R``
independent seeds (spawned from the page's seed, so the replicates do not
depend on the order they are run in) and :func:`summarise` reports, for each
estimate:

* the **median** and the **central range** (the 2.5th and 97.5th percentiles
  for a 95 % range) of the estimates across reconstructions;
* **coverage**: the share of reconstructions whose interval contains the value
  the reconstruction was calibrated to (its "truth");
* **detection**: the share whose interval excludes the null value (no
  difference), the power of the analysis under the reconstruction's
  assumptions.

Coverage and detection are proportions of ``R`` draws, so they carry a Monte
Carlo standard error of ``sqrt(p (1 - p) / R)``; :func:`summarise` reports it,
and the Monte Carlo standard errors of the median and of the central range's
ends from the order-statistic (binomial) intervals of those quantiles
(:mod:`helpers.stats.montecarlo`, whose rule says how many digits each may show).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.stats import montecarlo
from helpers.stats.montecarlo import mcse_of_quantile, mcse_of_share


@dataclass(frozen=True)
class Estimate:
    """One key estimate of one reconstruction, with its interval."""

    value: float
    low: float
    high: float


#: Draws one reconstruction from the generator and returns its key estimates by name.
OneReconstruction = Callable[[np.random.Generator], Mapping[str, Estimate]]


def replicate_generators(seed: int, n: int) -> list[np.random.Generator]:
    """``n`` independent generators spawned from ``seed`` (NumPy ``SeedSequence.spawn``)."""
    if n < 1:
        raise ValueError(f"n_replicates = {n} is not allowed: at least 1 reconstruction is needed")
    return [np.random.default_rng(child) for child in np.random.SeedSequence(seed).spawn(n)]


def across(one: OneReconstruction, n: int, seed: int) -> pd.DataFrame:
    """Evaluate ``one`` on ``n`` independent reconstructions.

    Returns a long table with one row per reconstruction and estimate:
    ``replicate``, ``estimate``, ``value``, ``low``, ``high``. A reconstruction
    whose estimate is not finite (a model that cannot be fitted to that draw)
    is kept with NaN values and counted by :func:`summarise` as not estimable.
    """
    rows = []
    for i, rng in enumerate(replicate_generators(seed, n)):
        for name, est in one(rng).items():
            rows.append(
                {
                    "replicate": i,
                    "estimate": name,
                    "value": float(est.value),
                    "low": float(est.low),
                    "high": float(est.high),
                }
            )
    return pd.DataFrame(rows, columns=["replicate", "estimate", "value", "low", "high"])


def summarise(
    draws: pd.DataFrame,
    truth: Mapping[str, float],
    null: Mapping[str, float],
    level: float = 0.95,
) -> pd.DataFrame:
    """Summarise :func:`across` output, one row per estimate.

    ``truth`` gives each estimate's calibrated value (for coverage) and ``null``
    its no-difference value (for detection); an estimate missing from either
    gets NaN there. Columns: ``estimate``, ``n`` (reconstructions),
    ``n_estimable``, ``median``, ``median_mcse``, ``range_low``, ``range_high``
    (the central ``level`` range), ``truth``, ``coverage``, ``coverage_mcse``,
    ``null``, ``detection``, ``detection_mcse``.
    """
    if not 0 < level < 1:
        raise ValueError(f"level = {level} is not allowed: a central range needs 0 < level < 1")
    tail = (1 - level) / 2
    rows = []
    for name, group in draws.groupby("estimate", sort=False):
        ok = group[np.isfinite(group[["value", "low", "high"]]).all(axis=1)]
        n_ok = len(ok)
        values = ok["value"].to_numpy()
        t = float(truth.get(name, np.nan))
        z = float(null.get(name, np.nan))
        cov = float(((ok["low"] <= t) & (t <= ok["high"])).mean()) if n_ok and np.isfinite(t) else float("nan")
        det = float(((ok["low"] > z) | (ok["high"] < z)).mean()) if n_ok and np.isfinite(z) else float("nan")
        rows.append(
            {
                "estimate": name,
                "n": int(group["replicate"].nunique()),
                "n_estimable": n_ok,
                "median": float(np.median(values)) if n_ok else float("nan"),
                "median_mcse": mcse_of_quantile(values, 0.5),
                "range_low": float(np.quantile(values, tail)) if n_ok else float("nan"),
                "range_low_mcse": mcse_of_quantile(values, tail),
                "range_high": float(np.quantile(values, 1 - tail)) if n_ok else float("nan"),
                "range_high_mcse": mcse_of_quantile(values, 1 - tail),
                "truth": t,
                "coverage": cov,
                "coverage_mcse": mcse_of_share(cov, n_ok) if np.isfinite(cov) else float("nan"),
                "null": z,
                "detection": det,
                "detection_mcse": mcse_of_share(det, n_ok) if np.isfinite(det) else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def scalars(summary: pd.DataFrame, prefix: str = "rep_") -> dict[str, float | int]:
    """The summary as flat scalars for gluing and ``results.json``.

    For an estimate ``x``: ``rep_x_median``, ``rep_x_median_mcse``, ``rep_x_range_low``,
    ``rep_x_range_high``, ``rep_x_truth``, ``rep_x_coverage``, ``rep_x_coverage_mcse``,
    ``rep_x_detection``, ``rep_x_detection_mcse``, ``rep_x_n_estimable`` (NaN columns are
    left out); and ``rep_n`` the number of reconstructions.
    """
    out: dict[str, float | int] = {}
    columns = [
        "median",
        "median_mcse",
        "range_low",
        "range_low_mcse",
        "range_high",
        "range_high_mcse",
        "truth",
        "coverage",
        "coverage_mcse",
        "detection",
        "detection_mcse",
    ]
    for row in summary.itertuples(index=False):
        for col in columns:
            value = getattr(row, col)
            if np.isfinite(value):
                out[f"{prefix}{row.estimate}_{col}"] = float(value)
        out[f"{prefix}{row.estimate}_n_estimable"] = int(row.n_estimable)
    if len(summary):
        out[f"{prefix}n"] = int(summary["n"].max())
    return out


def draws_from_arrays(estimates: Mapping[str, tuple[np.ndarray, np.ndarray, np.ndarray]]) -> pd.DataFrame:
    """The long table of :func:`across` from estimates computed for all reconstructions at once.

    ``estimates`` maps each estimate's name to three arrays of length ``R`` (value, low, high), in
    reconstruction order: for analyses that draw and estimate every reconstruction vectorised
    instead of calling a one-reconstruction function ``R`` times.
    """
    frames = []
    for name, (value, low, high) in estimates.items():
        value = np.asarray(value, dtype=float)
        frames.append(
            pd.DataFrame(
                {
                    "replicate": np.arange(value.size),
                    "estimate": name,
                    "value": value,
                    "low": np.asarray(low, dtype=float),
                    "high": np.asarray(high, dtype=float),
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=["replicate", "estimate", "value", "low", "high"])
    return pd.concat(frames, ignore_index=True).sort_values(["replicate"], kind="stable").reset_index(drop=True)


def display_table(
    summary: pd.DataFrame, labels: Mapping[str, str] | None = None, digits: int = 2, level: float = 0.95
) -> pd.DataFrame:
    """:func:`summarise` output as text for a page: each estimate's value given to the generator (to ``digits``
    decimals), and its median, central range, coverage and detection, each a simulated number printed at the
    precision its Monte Carlo standard error supports (:func:`helpers.stats.montecarlo.text`; the shares with
    that error beside them)."""
    labels = labels or {}

    def number(v: float, se: float) -> str:
        return "" if not np.isfinite(v) else montecarlo.text(v, se if np.isfinite(se) else 0.0, "number")

    def share(p: float, se: float) -> str:
        if not np.isfinite(p):
            return ""
        return f"{montecarlo.text(p, se, 'percent')} ({montecarlo.error_text(se, 'percent')})"

    return pd.DataFrame(
        {
            "estimate": [labels.get(e, e) for e in summary["estimate"]],
            "value given to the generator": summary["truth"].map(lambda v: f"{v:.{digits}f}"),
            "median": [number(v, se) for v, se in zip(summary["median"], summary["median_mcse"], strict=True)],
            f"central {level:.0%} range": [
                f"{number(lo, lo_se)} to {number(hi, hi_se)}"
                for lo, lo_se, hi, hi_se in zip(
                    summary["range_low"],
                    summary["range_low_mcse"],
                    summary["range_high"],
                    summary["range_high_mcse"],
                    strict=True,
                )
            ],
            "coverage": [share(p, se) for p, se in zip(summary["coverage"], summary["coverage_mcse"], strict=True)],
            "detection (interval does not include the no-effect value)": [
                share(p, se) for p, se in zip(summary["detection"], summary["detection_mcse"], strict=True)
            ],
            "reconstructions analysed": [
                f"{k:,d} of {n:,d}" for k, n in zip(summary["n_estimable"], summary["n"], strict=True)
            ],
        }
    )
