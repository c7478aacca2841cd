"""Many synthetic reconstructions at once: each drawn from its own seed and analysed by the Poisson model in
closed form (arrays, not one statsmodels fit per draw), to judge the rate ratio and its intervals across
draws rather than from one."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.analyses.frontline_visits.model import cluster_df, critical
from helpers.analyses.frontline_visits.parameters import Parameters
from helpers.analyses.frontline_visits.synthetic import draw_route, latent_variances
from helpers.stats.replicates import draws_from_arrays, replicate_generators

#: The central range of the estimates across reconstructions: the middle 95 % of them.
REPLICATE_RANGE_LEVEL = 0.95


def draw_replicates(
    means: tuple[float, float],
    *,
    n_workers_per_group: int,
    cases_per_worker: int,
    case_months: float,
    dispersion: float,
    icc: float,
    n: int,
    seed: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Visits and months open of ``n`` synthetic reconstructions of the Frontline and other routes.

    Each reconstruction is drawn from its own generator spawned from ``seed``
    (:func:`helpers.stats.replicates.replicate_generators`) with the same model as
    :func:`~helpers.analyses.frontline_visits.synthetic.simulate_visits`
    (:func:`~helpers.analyses.frontline_visits.synthetic.draw_route`; the number of workers per case and
    failed attempts, which the rate ratio does not use, are not drawn). Returns ``(visits, months)``, each of shape
    ``(n, 2, n_workers_per_group, cases_per_worker)``: reconstruction, route (0 Frontline, 1 other),
    worker, case.
    """
    s2b, s2e = latent_variances(dispersion, icc)
    shape = (n, 2, n_workers_per_group, cases_per_worker)
    visits, months = np.empty(shape), np.empty(shape)
    for i, rng in enumerate(replicate_generators(seed, n)):
        for g, mean in enumerate(means):
            m, v = draw_route(rng, mean, n_workers_per_group, cases_per_worker, case_months, s2b, s2e)
            months[i, g] = m.reshape(n_workers_per_group, cases_per_worker)
            visits[i, g] = v.reshape(n_workers_per_group, cases_per_worker)
    return visits, months


@dataclass(frozen=True)
class PoissonRateRatios:
    """The Poisson rate ratio of Frontline vs other routes and three standard errors of its log, one
    value per reconstruction."""

    log_rate_ratio: np.ndarray
    se_model: np.ndarray  #: model-based: every case independent, variance = mean
    se_quasi: np.ndarray  #: model-based times the Pearson dispersion: over-dispersion, no clustering
    se_cluster: np.ndarray  #: cluster-robust (sandwich) by worker: over-dispersion and clustering

    def interval(
        self, se: np.ndarray, level: float, df: float | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rate ratio and its Wald interval on the log scale, transformed back: normal, or with ``df`` a t
        distribution with that many degrees of freedom (:func:`~helpers.analyses.frontline_visits.model.critical`)."""
        z = critical(level, df)
        b = self.log_rate_ratio
        return np.exp(b), np.exp(b - z * se), np.exp(b + z * se)


def poisson_rate_ratios(visits: np.ndarray, months: np.ndarray) -> PoissonRateRatios:
    """The Poisson GLM of visits on a two-level route with a log(months open) offset, in closed form,
    for many reconstructions at once.

    ``visits`` and ``months`` have shape ``(..., 2, G, m)`` (route: 0 Frontline, 1 other; ``G``
    workers of ``m`` cases per route). With one binary covariate the maximum-likelihood fitted rate of
    each route is its visits over its months, ``Y_g / T_g``, so the rate ratio is the ratio of the two
    routes' visits per month open. The model-based variance of the log ratio is ``1/Y_f + 1/Y_o``; the
    quasi-Poisson variance multiplies it by Pearson's chi-square over ``N - 2``; the cluster-robust
    variance by worker is ``sum_j r_j^2 / Y_g^2`` summed over both routes' workers (``r_j`` the sum of a
    worker's residuals ``y - mu``), times statsmodels' small-sample factor
    ``G'/(G'-1) (N-1)/(N-2)`` for ``G'`` workers and ``N`` cases in all. A route without visits gives NaN.
    """
    visits, months = np.asarray(visits, float), np.asarray(months, float)
    n_workers, per_worker = visits.shape[-2], visits.shape[-1]
    clusters, n_cases, k = 2 * n_workers, 2 * n_workers * per_worker, 2
    total = visits.sum(axis=(-2, -1))
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = total / months.sum(axis=(-2, -1))
        log_rr = np.log(rate[..., 0]) - np.log(rate[..., 1])
        mu = rate[..., None, None] * months
        resid = visits - mu
        var_model = (1 / total).sum(axis=-1)
        pearson = (resid**2 / mu).sum(axis=(-3, -2, -1)) / (n_cases - k)
        worker_sums = resid.sum(axis=-1)
        correction = clusters / (clusters - 1) * (n_cases - 1) / (n_cases - k)
        var_cluster = correction * ((worker_sums**2).sum(axis=-1) / total**2).sum(axis=-1)
    bad = ~(total > 0).all(axis=-1)
    nan = np.where(bad, np.nan, 1.0)
    return PoissonRateRatios(
        log_rr * nan, np.sqrt(var_model) * nan, np.sqrt(var_model * pearson) * nan, np.sqrt(var_cluster) * nan
    )


def replicate_draws(p: Parameters, n_workers_per_group: int | None = None) -> pd.DataFrame:
    """The key estimates of ``p.n_replicates`` reconstructions with ``n_workers_per_group`` workers per route
    (default: the page's ``p.n_workers_per_group``; long table of :func:`helpers.stats.replicates.across`): the
    rate ratio with worker-clustered intervals (a t distribution with one degree of freedom fewer than the workers,
    the usual allowance for few clusters), quasi-Poisson and model-based intervals (normal), the factor by which
    clustering widens the standard error, and each route's share of cases reaching the contact threshold (values
    only)."""
    workers = p.n_workers_per_group if n_workers_per_group is None else n_workers_per_group
    visits, months = draw_replicates(
        (p.mean_visits_frontline, p.mean_visits_other),
        n_workers_per_group=workers,
        cases_per_worker=p.cases_per_worker,
        case_months=p.case_months,
        dispersion=p.dispersion,
        icc=p.icc,
        n=p.n_replicates,
        seed=p.seed,
    )
    fit = poisson_rate_ratios(visits, months)
    level = p.ci_level
    inflation = fit.se_cluster / fit.se_quasi
    shares = (visits >= p.contact_threshold).mean(axis=(-2, -1))
    return draws_from_arrays(
        {
            "rate_ratio": fit.interval(fit.se_cluster, level, df=cluster_df(2 * workers)),
            "rate_ratio_quasi": fit.interval(fit.se_quasi, level),
            "rate_ratio_model_se": fit.interval(fit.se_model, level),
            "cluster_se_inflation": (inflation, inflation, inflation),
            "share_reaching_threshold_frontline": (shares[:, 0], shares[:, 0], shares[:, 0]),
            "share_reaching_threshold_other": (shares[:, 1], shares[:, 1], shares[:, 1]),
        }
    )
