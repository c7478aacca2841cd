"""The count regression of professionals involved on the link worker's presence: statsmodels' maximum
likelihood fit, and the same fit in closed form for many reconstructions."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from scipy import stats as sps

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


class _Groups(NamedTuple):
    """What the NB2 profile likelihood of each reconstruction needs (one row per reconstruction): how many
    cases have more than k professionals (``above[:, k]``), and each group's cases, total and mean."""

    above: np.ndarray
    n: np.ndarray  # cases: columns with, without
    total: np.ndarray  # professionals: columns with, without
    mean: np.ndarray


def _groups(y: np.ndarray, link: np.ndarray) -> _Groups:
    top = int(y.max()) if y.size else 0
    above = (y[:, :, None] > np.arange(max(top, 1))).sum(axis=1)
    n = np.stack([link.sum(axis=1), (~link).sum(axis=1)], axis=1).astype(float)
    total = np.stack([np.where(link, y, 0).sum(axis=1), np.where(link, 0, y).sum(axis=1)], axis=1)
    return _Groups(above, n, total, total / n)


def _nb2_profile(log_alpha: np.ndarray, g: _Groups) -> np.ndarray:
    """NB2 log-likelihood of each reconstruction at its two group means (the maximum-likelihood means for any
    α), for one α per row, without the terms free of α. ``Σᵢ [ln Γ(yᵢ + s) − ln Γ(s)] = Σₖ (cases with
    more than k) ln(s + k)`` with ``s = 1/α``, so each evaluation costs the largest count, not the cases."""
    size = np.exp(-log_alpha)[:, None]
    gamma_part = np.sum(g.above * np.log(size + np.arange(g.above.shape[1])), axis=1)
    share = size / (size + g.mean)
    return gamma_part + np.sum(g.n * size * np.log(share) + g.total * np.log1p(-share), axis=1)


#: The search interval of log α (α from about 8e-7 to 8,100) and its tolerance.
_LOG_ALPHA_BOUNDS, _LOG_ALPHA_TOL = (-14.0, 9.0), 1e-10


def _nb2_dispersion(y: np.ndarray, link: np.ndarray) -> np.ndarray:
    """The maximum-likelihood NB2 α of each row (golden-section search on log α, all rows at once); 0 where the
    counts are not overdispersed (``Σ[(y − μ)² − y] ≤ 0``) or α̂ is below :data:`DISPERSION_FLOOR`. Each row
    has professionals in both groups."""
    g = _groups(y, link)
    mu = np.where(link, g.mean[:, :1], g.mean[:, 1:])
    over = np.sum((y - mu) ** 2 - y, axis=1) > 0
    alpha = np.zeros(y.shape[0])
    if not over.any():
        return alpha
    g = _Groups(*(part[over] for part in g))
    invphi = (np.sqrt(5) - 1) / 2
    a, b = np.full(g.n.shape[0], _LOG_ALPHA_BOUNDS[0]), np.full(g.n.shape[0], _LOG_ALPHA_BOUNDS[1])
    c, d = b - invphi * (b - a), a + invphi * (b - a)
    fc, fd = _nb2_profile(c, g), _nb2_profile(d, g)
    while np.max(b - a) > _LOG_ALPHA_TOL:
        left = fc > fd  # the maximum lies in [a, d]
        a, b = np.where(left, a, c), np.where(left, d, b)
        c_new, d_new = b - invphi * (b - a), a + invphi * (b - a)
        fc, fd = np.where(left, _nb2_profile(c_new, g), fd), np.where(left, fc, _nb2_profile(d_new, g))
        c, d = np.where(left, c_new, d), np.where(left, c, d_new)
    found = np.exp((a + b) / 2)
    alpha[over] = np.where(found < DISPERSION_FLOOR, 0.0, found)
    return alpha


def fast_count_fits(
    professionals: np.ndarray, link: np.ndarray, model: str, level: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`fast_count_fit` for many reconstructions at once: ``professionals`` and ``link`` are arrays of
    reconstructions by cases; returns the rate ratios, the interval ends and the dispersions, one per row."""
    y = np.atleast_2d(np.asarray(professionals, dtype=float))
    link = np.atleast_2d(np.asarray(link, dtype=bool))
    n1, n0 = link.sum(axis=1), (~link).sum(axis=1)
    s1, s0 = np.where(link, y, 0).sum(axis=1), np.where(link, 0, y).sum(axis=1)
    ok = (s1 > 0) & (s0 > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        mu1, mu0 = s1 / n1, s0 / n0
    alpha = np.zeros(y.shape[0])
    if model == "negative-binomial" and ok.any():
        alpha[ok] = _nb2_dispersion(y[ok], link[ok])
    z = sps.norm.ppf(0.5 + level / 2)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        var = (1 + alpha * mu1) / (n1 * mu1) + (1 + alpha * mu0) / (n0 * mu0)
        ratio = mu1 / mu0
        half = z * np.sqrt(var)
        low, high = ratio * np.exp(-half), ratio * np.exp(half)
    nan = np.full(y.shape[0], np.nan)
    return np.where(ok, ratio, nan), np.where(ok, low, nan), np.where(ok, high, nan), np.where(ok, alpha, nan)


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
    rr, lo, hi, alpha = fast_count_fits(professionals, link, model, level)
    return float(rr[0]), float(lo[0]), float(hi[0]), float(alpha[0])


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
