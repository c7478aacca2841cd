"""What the detection rate depends on: how often a difference of the calibrated size would be detected, by a
large-sample formula, over the range of study sizes the page considers, and which of the reconstruction's other
assumptions moves it most."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import stats as sps

from helpers.analyses.frontline_visits.model import cluster_df
from helpers.analyses.frontline_visits.parameters import Parameters
from helpers.analyses.frontline_visits.synthetic import MONTHS_RANGE
from helpers.stats.sensitivity import Uncertain, tornado

#: The conventional power a study aims for: the detection rate below which the page says a difference of
#: the published size would often be missed (a method constant, not a published figure).
DETECTION_TARGET = 0.8
#: Second moment of a case's months open over the case window (uniform on :data:`MONTHS_RANGE`).
_MONTHS_SECOND_MOMENT = (MONTHS_RANGE[0] ** 2 + MONTHS_RANGE[0] * MONTHS_RANGE[1] + MONTHS_RANGE[1] ** 2) / 3


def expected_se_log_rate_ratio(inputs: Mapping[str, ArrayLike]) -> np.ndarray:
    """Large-sample standard error of the log rate ratio under the reconstruction's model, vectorised.

    ``inputs``: ``mean_visits_frontline``, ``mean_visits_other``, ``dispersion``, ``icc``,
    ``n_workers_per_group``, ``cases_per_worker``. A worker's summed residual over ``m`` cases of a
    route with mean ``mu`` has variance ``m (mu + alpha mu^2 E[u^2]) + m (m - 1) mu^2 (exp(sigma_b^2) - 1)``
    (``u`` the case's months open over the window), and the log of the route's rate has variance
    that over ``G m^2 mu^2``; the two routes add. The case window does not enter: the means are per
    window.
    """
    alpha = np.asarray(inputs["dispersion"], float)
    icc = np.asarray(inputs["icc"], float)
    g = np.asarray(inputs["n_workers_per_group"], float)
    m = np.asarray(inputs["cases_per_worker"], float)
    between = np.expm1(icc * np.log1p(alpha))
    var = 0.0
    for key in ("mean_visits_frontline", "mean_visits_other"):
        mu = np.asarray(inputs[key], float)
        worker = m * (mu + alpha * mu**2 * _MONTHS_SECOND_MOMENT) + m * (m - 1) * mu**2 * between
        var = var + worker / (g * m**2 * mu**2)
    return np.sqrt(var)


def expected_detection(inputs: Mapping[str, ArrayLike], level: float = 0.95) -> np.ndarray:
    """How often a two-sided Wald test at ``1 - level`` would detect the calibrated rate ratio, vectorised over
    ``inputs``: the log ratio over :func:`expected_se_log_rate_ratio` is taken as normal with unit variance, and
    compared with the critical value of a t distribution with one degree of freedom fewer than the workers of
    both routes (the reference of the page's cluster-robust test, :func:`~.model.cluster_df`)."""
    se = expected_se_log_rate_ratio(inputs)
    shift = (
        np.abs(
            np.log(np.asarray(inputs["mean_visits_frontline"], float) / np.asarray(inputs["mean_visits_other"], float))
        )
        / se
    )
    workers = 2 * np.asarray(inputs["n_workers_per_group"], float)
    z = sps.t.ppf(0.5 + level / 2, cluster_df(workers))
    return sps.norm.cdf(shift - z) + sps.norm.cdf(-shift - z)


def detection_inputs(p: Parameters) -> list[Uncertain]:
    """The reconstruction's assumptions, other than its size, that how often a difference would be detected
    depends on, each with its base (the parameter) and a plausible spread (a coefficient of variation of 0.5 for
    the dispersion and the intra-class correlation, which nothing published pins down, and 0.4 for the cases per
    worker, not published either). The number of workers per route is not among them: the page shows the whole
    range it considers instead (:func:`detection_by_size`)."""
    return [
        Uncertain("icc", p.icc, 0.5, "share", "intra-class correlation of visit rates within workers"),
        Uncertain("dispersion", p.dispersion, 0.5, "positive", "dispersion of visit rates between cases"),
        Uncertain("cases_per_worker", p.cases_per_worker, 0.4, "count", "number of cases per worker"),
    ]


def _fixed(p: Parameters) -> dict[str, float]:
    return {
        "mean_visits_frontline": p.mean_visits_frontline,
        "mean_visits_other": p.mean_visits_other,
        "icc": p.icc,
        "dispersion": p.dispersion,
        "cases_per_worker": p.cases_per_worker,
    }


def detection_dependence(p: Parameters) -> dict[str, Any]:
    """Which assumption other than the study's size the detection rate depends on most, at the page's largest
    study (``n_workers_per_group`` workers per route; :func:`helpers.stats.sensitivity.tornado`)."""
    fixed = {**_fixed(p), "n_workers_per_group": p.n_workers_per_group}
    inputs = detection_inputs(p)

    def model(x: Mapping[str, np.ndarray]) -> np.ndarray:
        return expected_detection({**fixed, **x}, p.ci_level)

    torn = tornado(model, inputs)
    return {"tornado": torn, "base": float(torn.attrs["base_outcome"]), "label": str(torn.loc[0, "label"])}


#: The most workers per route :func:`workers_for_target` looks at (the parameters' largest study is 5,000).
MOST_WORKERS = 100_000


def workers_for_target(p: Parameters, target: float = DETECTION_TARGET) -> int | None:
    """The smallest whole number of workers per route (from 2) whose detection rate by the formula reaches
    ``target`` (None if even :data:`MOST_WORKERS` do not): a study cannot have part of a worker, so the number is
    rounded up, never to the nearest."""
    workers = np.arange(2, MOST_WORKERS + 1)
    detection = np.asarray(expected_detection({**_fixed(p), "n_workers_per_group": workers}, p.ci_level), float)
    reached = np.flatnonzero(detection >= target)
    return int(workers[reached[0]]) if reached.size else None


def detection_by_size(p: Parameters, sizes: Sequence[int], points: int = 120) -> dict[str, Any]:
    """The detection rate by the formula against the workers per route, from 2 to twice the largest study the
    page considers (``curve``: ``value``, ``outcome``), at each of ``sizes`` (``at_sizes``), and the smallest
    whole number of workers per route at which it reaches :data:`DETECTION_TARGET` (``workers_for_target``: None
    if it never does, :func:`workers_for_target`)."""
    grid = np.unique(np.r_[np.linspace(2, 2 * max(p.n_workers_per_group, 2), points), np.asarray(sizes, float)])

    def at(workers: np.ndarray) -> np.ndarray:
        return np.asarray(expected_detection({**_fixed(p), "n_workers_per_group": workers}, p.ci_level), float)

    curve = pd.DataFrame({"value": grid, "outcome": at(grid)})
    return {
        "curve": curve,
        "at_sizes": dict(zip(sizes, at(np.asarray(sizes, float)).tolist(), strict=True)),
        "workers_for_target": workers_for_target(p),
    }
