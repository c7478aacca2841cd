"""The count regression of professionals involved on the link worker's presence: statsmodels' maximum
likelihood fit, and the same fit in closed form for many reconstructions."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize
from scipy import stats as sps
from scipy.special import gammaln

from helpers.analyses.link_worker_monitoring.parameters import COUNT_MODELS

#: Below this, an estimated NB2 dispersion is treated as 0 (no overdispersion: the Poisson model).
DISPERSION_FLOOR = 1e-3
#: The quasi-Newton estimate of the dispersion is refined by Newton's method only from here up.
NEWTON_FROM = 0.01


@dataclass(frozen=True)
class CountFit:
    """A count regression of professionals involved on the link worker's presence."""

    model: str
    rate_ratio: float
    low: float
    high: float
    p_value: float
    dispersion: float | None  # NB2 α (None for Poisson)
    level: float
    converged: bool
    at_boundary: bool = False  # NB2 requested, but α̂ is 0: the fit is the Poisson fit


def _finite(res: Any) -> bool:
    """Whether a statsmodels fit has finite estimates and standard errors."""
    return bool(np.all(np.isfinite(res.params)) and np.all(np.isfinite(res.bse)))


def fit_count_model(frame: pd.DataFrame, model: str = "negative-binomial", level: float = 0.95) -> CountFit:
    """Fit ``professionals ~ link worker present`` by maximum likelihood (statsmodels) and return the
    rate ratio ``exp(β)`` with its Wald interval ``exp(β ± z·se)`` and two-sided Wald p-value.

    Poisson assumes the variance equals the mean; NB2 lets it be ``μ + αμ²`` and estimates α. When the
    estimate of α is at its boundary (below ``DISPERSION_FLOOR``: no overdispersion, or
    underdispersion), NB2 reduces to Poisson and the Poisson fit is returned with ``at_boundary`` set.
    Both assume independent cases (no clustering within centres or families).
    """
    import statsmodels.api as sm
    from statsmodels.discrete.discrete_model import NegativeBinomial, Poisson

    if model not in COUNT_MODELS:
        raise ValueError(f"count model {model!r} is not one of {', '.join(COUNT_MODELS)}")
    y = frame["professionals"].to_numpy(dtype=float)
    x = sm.add_constant((frame["link_worker"] == "yes").to_numpy(dtype=float), has_constant="add")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # boundary fits are detected below and reported, not written to stderr
        res = Poisson(y, x).fit(disp=0, maxiter=200)
        converged = bool(res.mle_retvals.get("converged", True)) and _finite(res)
        dispersion, at_boundary = None, False
        # The closed form first (sufficient statistics: each group's sum of y and of y squared): counts that are
        # not overdispersed have their NB2 maximum at alpha = 0, so the NB2 fit is not attempted.
        if model == "negative-binomial" and _overdispersion(frame) > 0:
            nb = NegativeBinomial(y, x, loglike_method="nb2")
            first = nb.fit(start_params=np.append(res.params, 0.1), disp=0, maxiter=1000, method="bfgs")
            if _finite(first) and first.params[-1] >= DISPERSION_FLOOR:
                # Newton's steps from an alpha near 0 can cross it, and statsmodels' NB2 Hessian at a negative
                # alpha costs minutes (scipy's polygamma at large negative arguments): refine only away from 0.
                refined = (
                    nb.fit(start_params=first.params, disp=0, maxiter=100, method="newton")
                    if first.params[-1] >= NEWTON_FROM
                    else first
                )
                res = refined if _finite(refined) and refined.params[-1] >= DISPERSION_FLOOR else first
                converged = bool(res.mle_retvals.get("converged", True))
                dispersion = float(res.params[-1])
            else:
                dispersion, at_boundary = 0.0, True
        elif model == "negative-binomial":
            dispersion, at_boundary = 0.0, True
    beta, se = float(res.params[1]), float(res.bse[1])
    z = sps.norm.ppf(0.5 + level / 2)
    return CountFit(
        model,
        float(np.exp(beta)),
        float(np.exp(beta - z * se)),
        float(np.exp(beta + z * se)),
        float(2 * sps.norm.sf(abs(beta / se))),
        dispersion,
        level,
        converged,
        at_boundary,
    )


def _overdispersion(frame: pd.DataFrame) -> float:
    """``Σ[(y − μ_g)² − y]`` over both groups (``μ_g`` each group's mean): positive when the counts vary
    more than a Poisson model allows. At or below 0 the NB2 likelihood is highest at alpha = 0."""
    y = frame["professionals"].to_numpy(dtype=float)
    link = (frame["link_worker"] == "yes").to_numpy()
    return float(sum(np.sum((y[g] - y[g].mean()) ** 2 - y[g]) for g in (link, ~link) if g.any()))


def _nb2_profile(alpha: float, y0: np.ndarray, y1: np.ndarray) -> float:
    """NB2 log-likelihood of the two groups at their means (the maximum-likelihood means for any α)."""
    size = 1 / alpha
    ll = 0.0
    for y in (y0, y1):
        mu = y.mean()
        ll += float(
            np.sum(
                gammaln(y + size)
                - gammaln(size)
                - gammaln(y + 1)
                + size * np.log(size / (size + mu))
                + y * np.log(mu / (size + mu))
            )
        )
    return ll


def fast_count_fit(
    professionals: np.ndarray, link: np.ndarray, model: str, level: float
) -> tuple[float, float, float, float]:
    """The rate ratio, its Wald interval and the NB2 dispersion of :func:`fit_count_model`, in closed form.

    With one yes/no explanatory variable the maximum-likelihood means of both models are the two group
    means, so the rate ratio is their ratio. Poisson: ``Var(log R̂) = 1/Σy₁ + 1/Σy₀``. NB2: α̂
    maximises the likelihood at those means (a one-dimensional search; α̂ is 0 when the counts are not
    overdispersed, ``Σ[(y − μ)² − y] ≤ 0``, and then, as in :func:`fit_count_model`, the Poisson fit is
    used below :data:`DISPERSION_FLOOR`), and ``Var(log R̂) = Σ_g (1 + α̂μ_g)/(n_g μ_g)``: at the maximum
    the means and α are orthogonal. Returns NaN for a group with no professionals at all.
    """
    y = np.asarray(professionals, dtype=float)
    link = np.asarray(link, dtype=bool)
    y1, y0 = y[link], y[~link]
    if y1.sum() == 0 or y0.sum() == 0:
        nan = float("nan")
        return nan, nan, nan, nan
    mu1, mu0 = y1.mean(), y0.mean()
    alpha = 0.0
    if model == "negative-binomial":
        over = np.sum((y1 - mu1) ** 2 - y1) + np.sum((y0 - mu0) ** 2 - y0)
        if over > 0:
            fit = optimize.minimize_scalar(
                lambda t: -_nb2_profile(float(np.exp(t)), y0, y1),
                bounds=(-14, 9),
                method="bounded",
                options={"xatol": 1e-10},
            )
            alpha = float(np.exp(fit.x))
        if alpha < DISPERSION_FLOOR:
            alpha = 0.0
    var = (1 + alpha * mu1) / (len(y1) * mu1) + (1 + alpha * mu0) / (len(y0) * mu0)
    z = sps.norm.ppf(0.5 + level / 2)
    ratio = mu1 / mu0
    half = z * np.sqrt(var)
    return float(ratio), float(ratio * np.exp(-half)), float(ratio * np.exp(half)), alpha


def dispersion_note(fit: CountFit) -> str:
    """What the fitted model assumes, or found, about the variance of the counts (a sentence)."""
    if fit.model == "poisson":
        return "The Poisson model assumes the variance of the counts equals their mean."
    if fit.at_boundary:
        return (
            "The counts show no overdispersion (the estimated dispersion is at zero), so the negative "
            "binomial model reduces to the Poisson model and its interval is the Poisson interval."
        )
    return (
        f"The estimated dispersion is {fit.dispersion:.2f}: the variance of the counts is their mean plus "
        f"{fit.dispersion:.2f} times its square."
    )
