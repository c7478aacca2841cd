"""The count models of visits: Poisson and negative binomial (NB2) regressions on the training route with a
log(months open) offset, each with model-based and worker-clustered standard errors; the rate ratio and
its interval; and the tests of overdispersion."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats as sps
from statsmodels.discrete.discrete_model import NegativeBinomial
from statsmodels.tools.sm_exceptions import ConvergenceWarning

from helpers.inputs.records import RecordsError

_Workers = TypeVar("_Workers", int, float, np.ndarray)

METHOD_LABELS: dict[str, str] = {
    "poisson": "Poisson, model-based SE",
    "poisson_cluster": "Poisson, cluster-robust SE (by worker)",
    "nb": "Negative binomial, model-based SE",
    "nb_cluster": "Negative binomial, cluster-robust SE (by worker)",
}


class Fitted(Protocol):
    """What this module reads of a fitted statsmodels model: its coefficients and their standard errors."""

    params: Any
    bse: Any


@dataclass(frozen=True)
class RateRatio:
    method: str
    estimate: float
    low: float
    high: float
    p_value: float


@dataclass(frozen=True)
class CountModels:
    """The four fits of :func:`fit_models` (keys of :data:`METHOD_LABELS`), the names of the coefficients
    (``const``, then the routes compared with 'other'), and the data they were fitted to."""

    fits: dict[str, Any]
    names: list[str]
    y: np.ndarray  #: visits
    X: np.ndarray  #: design matrix
    offset: np.ndarray  #: log months open


def _design(df: pd.DataFrame) -> tuple[np.ndarray, list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Design matrix (constant + route dummies, 'other' as reference), names, y, log months, worker codes."""
    present = [r for r in ("frontline", "experienced") if (df["training_route"] == r).any()]
    X = np.column_stack([np.ones(len(df))] + [(df["training_route"] == r).to_numpy(float) for r in present])
    names = ["const", *present]
    groups = pd.factorize(df["worker_id"])[0]
    return X, names, df["visits"].to_numpy(float), np.log(df["months_open"].to_numpy(float)), groups


class NotConverged(RuntimeError):
    """A count model whose maximum-likelihood fit did not converge (on own records, refused by name)."""


def fit_models(df: pd.DataFrame) -> CountModels:
    """Poisson GLM and NB2 regression of visits on route with a log(months open) offset.

    Each is fitted twice: with model-based standard errors and with cluster-robust
    (sandwich) standard errors by worker (statsmodels ``cov_type='cluster'``, with its
    small-sample correction G/(G-1) x (N-1)/(N-K)). The NB2 dispersion is estimated by
    maximum likelihood (``statsmodels.discrete.NegativeBinomial``).
    """
    X, names, y, offset, groups = _design(df)
    cluster = {"cov_type": "cluster", "cov_kwds": {"groups": groups}}
    poisson = sm.GLM(y, X, family=sm.families.Poisson(), offset=offset)
    nb = NegativeBinomial(y, X, offset=offset, loglike_method="nb2")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", ConvergenceWarning)
            fits = {
                "poisson": poisson.fit(),
                "poisson_cluster": poisson.fit(**cluster),
                "nb": nb.fit(disp=0, maxiter=200),
                "nb_cluster": nb.fit(disp=0, maxiter=200, **cluster),
            }
    except ConvergenceWarning:
        raise NotConverged("the count models' maximum-likelihood fit did not converge") from None
    for key in ("nb", "nb_cluster"):
        if not fits[key].mle_retvals.get("converged", True):
            raise NotConverged("the negative binomial model did not converge")
    return CountModels(fits, names, y, X, offset)


def check_fitted(models: CountModels, source: str) -> None:
    """Refuse records from which a model cannot estimate the route's standard error (e.g. a single case with
    a visit per route: the models' information matrix is singular), naming ``source``.

    Only the route's coefficient (index 1) matters here: the intercept's cluster-robust variance can be zero in
    exact arithmetic (identical workers), and then its square root is 0 or NaN by the BLAS kernel."""
    unfitted = [k for k, f in models.fits.items() if not np.isfinite(np.asarray(f.bse)[1])]
    if unfitted:
        raise RecordsError(
            source,
            [
                f"column 'visits': the {', '.join(METHOD_LABELS[k] for k in unfitted)} model(s) cannot estimate a "
                "standard error for the training route from these records (too few cases with visits to estimate "
                "a rate and its spread); more cases with one or more visits in each route are needed"
            ],
        )


def cluster_df(workers: _Workers) -> _Workers:
    """Degrees of freedom of a test with cluster-robust standard errors by worker: the number of workers less
    one (statsmodels' choice with ``use_t``; Cameron and Miller's usual allowance for few clusters)."""
    return workers - 1


def critical(level: float, df: float | None = None) -> float:
    """The two-sided critical value of a ``level`` interval: normal, or t with ``df`` degrees of freedom."""
    q = 0.5 + level / 2
    return float(sps.norm.ppf(q) if df is None else sps.t.ppf(q, df))


def rate_ratio(
    fit: Fitted, names: list[str], level: float, route: str = "frontline", method: str = "", df: float | None = None
) -> RateRatio:
    """exp(coefficient) of ``route`` vs 'other', with a Wald interval on the log scale and its p-value: normal, or,
    with ``df``, referred to a t distribution with ``df`` degrees of freedom (for cluster-robust errors,
    :func:`cluster_df`)."""
    i = names.index(route)
    beta, se = float(np.asarray(fit.params)[i]), float(np.asarray(fit.bse)[i])
    z = critical(level, df)
    stat = abs(beta / se)
    p = float(2 * (sps.norm.sf(stat) if df is None else sps.t.sf(stat, df)))
    return RateRatio(method, math.exp(beta), math.exp(beta - z * se), math.exp(beta + z * se), p)


def overdispersion_lr_test(ll_poisson: float, ll_nb: float) -> tuple[float, float]:
    """Likelihood-ratio test of alpha = 0 (Poisson) against NB2. alpha = 0 is on the boundary of the
    parameter space, so the statistic is a 50:50 mixture of chi-square(0) and chi-square(1): the
    p-value is half the chi-square(1) tail."""
    lr = max(2 * (ll_nb - ll_poisson), 0.0)
    return lr, 0.5 * float(sps.chi2.sf(lr, 1))


def cameron_trivedi_test(y: np.ndarray, mu: np.ndarray) -> tuple[float, float, float]:
    """Cameron & Trivedi (1990) regression test of overdispersion: OLS without a constant of
    ((y - mu)^2 - y) / mu on mu (the NB2 alternative). Returns (coefficient, t, one-sided p for
    coefficient > 0)."""
    aux = ((y - mu) ** 2 - y) / mu
    fit = sm.OLS(aux, mu[:, None]).fit()
    t = float(fit.tvalues[0])
    return float(fit.params[0]), t, float(sps.t.sf(t, fit.df_resid))
