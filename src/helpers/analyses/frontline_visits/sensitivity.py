"""What the detection rate depends on: how often a difference of the calibrated size would be detected, by a
large-sample formula, and which of the reconstruction's assumptions moves it most."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats as sps

from helpers.analyses.frontline_visits.parameters import Parameters
from helpers.analyses.frontline_visits.synthetic import MONTHS_RANGE
from helpers.stats.sensitivity import Uncertain, central_range, depends_most

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
    """How often a two-sided Wald test at ``1 - level`` would detect the calibrated rate ratio
    (normal approximation with :func:`expected_se_log_rate_ratio`), vectorised over ``inputs``."""
    se = expected_se_log_rate_ratio(inputs)
    shift = (
        np.abs(
            np.log(np.asarray(inputs["mean_visits_frontline"], float) / np.asarray(inputs["mean_visits_other"], float))
        )
        / se
    )
    z = sps.norm.ppf(0.5 + level / 2)
    return sps.norm.cdf(shift - z) + sps.norm.cdf(-shift - z)


def detection_inputs(p: Parameters) -> list[Uncertain]:
    """The reconstruction's assumptions that how often a difference would be detected depends on,
    each with its base (the parameter) and a plausible spread (a coefficient of variation of 0.5 for
    the dispersion and the intra-class correlation, which nothing published pins down, and 0.4 for the
    size of the study, whose numbers of workers and cases per worker are not published)."""
    return [
        Uncertain("icc", p.icc, 0.5, "share", "intra-class correlation of visit rates within workers"),
        Uncertain("dispersion", p.dispersion, 0.5, "positive", "dispersion of visit rates between cases"),
        Uncertain("n_workers_per_group", p.n_workers_per_group, 0.4, "positive", "number of social workers per route"),
        Uncertain("cases_per_worker", p.cases_per_worker, 0.4, "positive", "number of cases per worker"),
    ]


def detection_dependence(p: Parameters, points: int = 61) -> dict[str, Any]:
    """Which assumption the detection rate depends on most (:func:`helpers.stats.sensitivity.tornado`), and the
    detection rate over that assumption's plausible range (its 2.5th to 97.5th percentile,
    :func:`helpers.stats.sensitivity.vary`), with where it crosses :data:`DETECTION_TARGET`."""
    fixed = {"mean_visits_frontline": p.mean_visits_frontline, "mean_visits_other": p.mean_visits_other}
    inputs = detection_inputs(p)

    def model(x: Mapping[str, np.ndarray]) -> np.ndarray:
        return expected_detection({**fixed, **x}, p.ci_level)

    dep = depends_most(model, inputs, lambda u: central_range(u, points), DETECTION_TARGET)
    top = dep["top"]
    return {
        "tornado": dep["tornado"],
        "table": dep["table"],
        "input": top,
        "low": top.quantile(0.025),
        "high": top.quantile(0.975),
        "crossings": dep["flips"],
        "base": float(dep["tornado"].attrs["base_outcome"]),
    }
