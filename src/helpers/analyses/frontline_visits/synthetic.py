"""The Frontline generator: a synthetic reconstruction of case records, calibrated to the published averages.

Cases are nested in workers, each with months open, a training route, visits from an overdispersed
count model whose group means are calibrated to the published averages over the case window, a
worker-level random effect with a stated intra-class correlation, the number of workers involved and
unsuccessful visit attempts (:func:`simulate_visits`). :func:`draw_route` is the model itself, shared with
the many reconstructions of :mod:`~helpers.analyses.frontline_visits.replicates`.

The ICC scale
-------------
Visits of case *i* held by worker *j* on route *g*, open :math:`t_i` months, are

.. math::

   Y_i \\mid \\lambda_i \\sim \\text{Poisson}(\\lambda_i t_i), \\quad
   \\lambda_i = \\frac{\\mu_g}{T}\\, e^{b_j + \\varepsilon_i}, \\quad
   b_j \\sim N(-\\tfrac{\\sigma_b^2}{2}, \\sigma_b^2), \\;
   \\varepsilon_i \\sim N(-\\tfrac{\\sigma_e^2}{2}, \\sigma_e^2),

where :math:`\\mu_g` is the route's mean visits over the case window :math:`T`
(``case_months``), so :math:`E[Y_i] = \\mu_g t_i / T`. The **dispersion**
:math:`\\alpha` is the squared coefficient of variation of a case's underlying
visit rate: :math:`\\sigma_b^2 + \\sigma_e^2 = \\ln(1 + \\alpha)`, which gives
:math:`\\operatorname{Var}(Y_i \\mid t_i) = m_i + \\alpha m_i^2` (the NB2 variance
function, :math:`m_i = E[Y_i]`). The **ICC** is defined on the latent log-rate
scale: the share of the variance of :math:`\\log \\lambda_i` that lies between
workers, :math:`\\rho = \\sigma_b^2 / (\\sigma_b^2 + \\sigma_e^2)`. It does not depend
on the mean. On the scale of the counts, two cases of the same worker, each open
for the case window, have correlation
:math:`\\mu_g^2 (e^{\\sigma_b^2} - 1) / (\\mu_g + \\alpha \\mu_g^2)`
(:func:`count_scale_icc`), smaller because Poisson noise is added within workers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from helpers.analyses.frontline_visits.parameters import ROUTES, WORKERS_HIGH, WORKERS_LOW, Parameters

#: Months open of a synthetic case, as a multiple of the case window: uniform on this range (mean 1).
MONTHS_RANGE: tuple[float, float] = (0.5, 1.5)


def latent_variances(dispersion: float, icc: float) -> tuple[float, float]:
    """Between-worker and within-worker variances of the log visit rate, ``(sigma_b^2, sigma_e^2)``:
    together ``ln(1 + dispersion)``, split by ``icc``."""
    total = math.log1p(dispersion)
    return icc * total, (1 - icc) * total


def count_scale_icc(mean: float, dispersion: float, icc: float) -> float:
    """Correlation of the visit counts of two cases of the same worker, each open for the case
    window with mean ``mean``: ``mean^2 (exp(sigma_b^2) - 1) / (mean + dispersion mean^2)``."""
    s2b, _ = latent_variances(dispersion, icc)
    return mean**2 * math.expm1(s2b) / (mean + dispersion * mean**2)


def draw_route(
    rng: np.random.Generator,
    mean: float,
    n_workers: int,
    cases_per_worker: int,
    case_months: float,
    s2b: float,
    s2e: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Months open and visits of one route's cases, worker by worker (each worker's cases together):
    the model of the module docstring. Used by :func:`simulate_visits` and
    :func:`~helpers.analyses.frontline_visits.replicates.draw_replicates`."""
    n_c = n_workers * cases_per_worker
    worker = np.repeat(np.arange(n_workers), cases_per_worker)
    b = rng.normal(-s2b / 2, math.sqrt(s2b), n_workers)
    e = rng.normal(-s2e / 2, math.sqrt(s2e), n_c)
    months = case_months * rng.uniform(*MONTHS_RANGE, n_c)
    rate = mean / case_months * np.exp(b[worker] + e)
    return months, rng.poisson(rate * months)


def simulate_visits(
    mean_visits: Mapping[str, float],
    *,
    n_workers_per_group: int,
    cases_per_worker: int,
    case_months: float,
    dispersion: float,
    icc: float,
    share_single_worker: float = 0.0,
    workers_typical: tuple[int, int] = (int(WORKERS_LOW), int(WORKERS_HIGH)),
    unsuccessful_share: float = 0.0,
    seed: int | np.random.Generator = 0,
) -> pd.DataFrame:
    """Synthetic case records: one row per case, columns as in
    :data:`~helpers.analyses.frontline_visits.records.RECORDS_SCHEMA`.

    ``mean_visits`` maps each training route to its mean visits over a case open
    ``case_months`` (see the module docstring for the model and the ICC scale). Cases
    are open ``case_months`` times a uniform draw on :data:`MONTHS_RANGE`; the number of
    workers involved is 1 with probability ``share_single_worker``, otherwise either
    value of ``workers_typical`` with equal probability; each home-visit attempt fails
    with probability ``unsuccessful_share``, so unsuccessful attempts are the failures
    before the case's successful visits (negative binomial).
    """
    unknown = set(mean_visits) - set(ROUTES)
    if unknown:
        raise ValueError(f"unknown training route(s) {sorted(unknown)}: expected {', '.join(ROUTES)}")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    s2b, s2e = latent_variances(dispersion, icc)
    frames = []
    worker_offset = 0
    for route, mean in mean_visits.items():
        n_w, n_c = n_workers_per_group, n_workers_per_group * cases_per_worker
        worker = np.repeat(np.arange(n_w), cases_per_worker)
        months, visits = draw_route(rng, mean, n_w, cases_per_worker, case_months, s2b, s2e)
        single = rng.random(n_c) < share_single_worker
        several = rng.choice(np.asarray(workers_typical), n_c)
        n_workers = np.where(single, 1, several)
        if unsuccessful_share > 0:
            failures = rng.negative_binomial(np.maximum(visits, 1), 1 - unsuccessful_share)
            unsuccessful = np.where(visits > 0, failures, 0)
        else:
            unsuccessful = np.zeros(n_c, int)
        frames.append(
            pd.DataFrame(
                {
                    "worker_id": [f"W{worker_offset + w + 1:04d}" for w in worker],
                    "training_route": route,
                    "months_open": months,
                    "visits": visits,
                    "unsuccessful_visits": unsuccessful,
                    "n_workers": n_workers,
                }
            )
        )
        worker_offset += n_w
    df = pd.concat(frames, ignore_index=True)
    df.insert(0, "case_id", [f"C{i + 1:05d}" for i in range(len(df))])
    return df


def reconstruction(p: Parameters) -> pd.DataFrame:
    """The one synthetic reconstruction the page analyses in full: :func:`simulate_visits` with the page's
    parameters (the experienced route only with ``include_experienced``)."""
    means = {"frontline": p.mean_visits_frontline, "other": p.mean_visits_other}
    if p.include_experienced:
        means["experienced"] = p.mean_visits_experienced
    return simulate_visits(
        means,
        n_workers_per_group=p.n_workers_per_group,
        cases_per_worker=p.cases_per_worker,
        case_months=p.case_months,
        dispersion=p.dispersion,
        icc=p.icc,
        share_single_worker=p.share_single_worker,
        unsuccessful_share=p.unsuccessful_share,
        seed=p.seed,
    )
