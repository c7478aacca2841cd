"""Mediation for observations nested in units: how much of a treatment's association with an outcome
passes through a step in between (the mediator).

* :func:`mediation_bootstrap`: product-of-coefficients mediation (linear models) with a cluster
  bootstrap that resamples whole units within strata;
* :func:`product_interval` (and :func:`product_intervals`, many at once): a Monte Carlo interval for a
  product of two estimates (an indirect effect) from their joint covariance (cheap enough to repeat for
  many synthetic reconstructions);
* :func:`sobel_se`: the delta-method (Sobel) standard error of such a product.

Each function is unit-tested in ``tests/test_clustered.py`` against an independent implementation
(statsmodels' ``Mediation``, the delta method) or a hand-worked example.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.stats.clustered import _frame_columns, _reject_missing
from helpers.stats.montecarlo import mcse_of_quantile


@dataclass(frozen=True)
class MediationResult:
    """Effects of a treatment on an outcome through a mediator (linear models).

    ``a``: treatment → mediator; ``b``: mediator → outcome given treatment;
    ``indirect = a × b``; ``direct``: treatment → outcome given the mediator;
    ``total``: treatment → outcome without the mediator (``total = direct + indirect`` exactly in OLS
    when both models adjust for the same covariates).
    """

    a: float
    b: float
    indirect: float
    direct: float
    total: float
    indirect_ci: tuple[float, float]
    direct_ci: tuple[float, float]
    total_ci: tuple[float, float]
    level: float
    n_boot: int
    n_failed: int
    draws: pd.DataFrame

    @property
    def proportion_mediated(self) -> float:
        return self.indirect / self.total if self.total != 0 else float("nan")

    def limits_mcse(self, effect: str) -> tuple[float, float]:
        """The Monte Carlo standard errors of the bootstrap interval's two limits for ``effect``
        (``indirect``, ``direct`` or ``total``): percentiles of the resamples, so another seed moves them
        by about this much (:func:`helpers.stats.montecarlo.mcse_of_quantile`)."""
        tail = (1 - self.level) / 2
        values = self.draws[effect].to_numpy()
        return mcse_of_quantile(values, tail), mcse_of_quantile(values, 1 - tail)


def _paths(values: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """The mediation paths of a batch of data sets: ``values`` batch × rows × columns (treatment, mediator,
    outcome, covariates...), ``weight`` batch × rows (1 for a row in the data set, 0 for padding). Returns
    batch × 5: ``a``, ``b``, indirect ``a b``, direct and total; NaN where a model cannot be estimated."""
    t, m, y, covs = values[..., 0], values[..., 1], values[..., 2], values[..., 3:]
    one = np.ones_like(t)
    x_med = np.concatenate([np.stack([one, t], axis=-1), covs], axis=-1) * weight[..., None]
    x_out = np.concatenate([np.stack([one, t, m], axis=-1), covs], axis=-1) * weight[..., None]

    def coefficients(X: np.ndarray, target: np.ndarray) -> np.ndarray:
        ok = np.linalg.matrix_rank(X) == X.shape[-1]
        xtx = np.swapaxes(X, -1, -2) @ X
        xtx[~ok] = np.eye(X.shape[-1])  # a placeholder so that the batch solves (NaN below)
        coef = np.linalg.solve(xtx, np.einsum("brk,br->bk", X, target * weight)[..., None])[..., 0]
        coef[~ok] = np.nan
        return coef

    a_fit, out_fit, tot_fit = coefficients(x_med, m), coefficients(x_out, y), coefficients(x_med, y)
    a, b = a_fit[:, 1], out_fit[:, 2]
    return np.stack([a, b, a * b, out_fit[:, 1], tot_fit[:, 1]], axis=-1)


def _resampling_units(frame: pd.DataFrame, groups: str | None, strata: str | None) -> tuple[np.ndarray, list]:
    """The units resampled (each a row of row numbers, padded with −1 to the largest unit's size) and the
    units of each stratum (single rows without ``groups``)."""
    if groups is None:
        members = [np.array([i]) for i in range(len(frame))]
        unit_strata = np.zeros(len(frame), int) if strata is None else pd.factorize(frame[strata])[0]
    else:
        codes = pd.factorize(frame[groups])[0]
        members = [np.flatnonzero(codes == g) for g in range(codes.max() + 1)]
        s = np.zeros(len(frame), int) if strata is None else pd.factorize(frame[strata])[0]
        unit_strata = np.array([s[idx[0]] for idx in members])
    padded = np.full((len(members), max(len(m) for m in members)), -1)
    for i, rows in enumerate(members):
        padded[i, : len(rows)] = rows
    return padded, [np.flatnonzero(unit_strata == k) for k in np.unique(unit_strata)]


def mediation_bootstrap(
    frame: pd.DataFrame,
    treatment: str,
    mediator: str,
    outcome: str,
    covariates: Sequence[str] = (),
    *,
    groups: str | None = None,
    strata: str | None = None,
    n_boot: int = 2000,
    level: float = 0.95,
    rng: np.random.Generator | None = None,
) -> MediationResult:
    """Product-of-coefficients mediation with a (cluster) bootstrap.

    Mediator model: ``mediator ~ 1 + treatment + covariates``; outcome model:
    ``outcome ~ 1 + treatment + mediator + covariates``; total: ``outcome ~ 1 + treatment + covariates``.
    Intervals are bootstrap percentiles. With ``groups``, whole units are resampled with
    replacement (within ``strata`` if given, keeping each stratum's number of units), so the
    intervals respect clustering. Resamples in which a model cannot be estimated (e.g. the
    treatment does not vary) are discarded and counted in ``n_failed``. The resamples are fitted in
    blocks, as arrays.

    The causal reading (the indirect effect is the part of the treatment's effect carried by
    the mediator) assumes no unmeasured confounding of treatment–mediator, treatment–outcome and
    mediator–outcome relations, and no treatment–mediator interaction.
    """
    cols = [treatment, mediator, outcome, *covariates]
    _reject_missing(_frame_columns(frame, [*cols, groups, strata]))
    rng = np.random.default_rng() if rng is None else rng
    values = frame[cols].to_numpy(dtype=float)
    point = _paths(values[None], np.ones((1, len(values))))[0]
    if not np.isfinite(point).all():
        raise ValueError(
            "the mediation models cannot be estimated: a predictor does not vary or predictors are collinear"
        )
    a, b, indirect, direct, total = (float(x) for x in point)
    padded, by_stratum = _resampling_units(frame, groups, strata)
    block = max(1, 4_000_000 // (padded.size * len(cols)))
    found = []
    for start in range(0, n_boot, block):
        size = min(block, n_boot - start)
        chosen = np.concatenate([units[rng.integers(0, units.size, (size, units.size))] for units in by_stratum], 1)
        rows = padded[chosen].reshape(size, -1)
        found.append(_paths(values[np.maximum(rows, 0)], (rows >= 0).astype(float))[:, 2:])
    paths = np.concatenate(found)
    kept = np.isfinite(paths).all(axis=1)
    failed = int((~kept).sum())
    if kept.sum() < 0.9 * n_boot:
        raise ValueError(f"the mediation models could not be estimated in {failed} of {n_boot} bootstrap resamples")
    table = pd.DataFrame(paths[kept], columns=["indirect", "direct", "total"])
    tail = (1 - level) / 2

    def ci(col: str) -> tuple[float, float]:
        lo, hi = np.quantile(table[col], [tail, 1 - tail])
        return float(lo), float(hi)

    return MediationResult(
        a, b, indirect, direct, total, ci("indirect"), ci("direct"), ci("total"), level, n_boot, failed, table
    )


def product_interval(
    a: float,
    b: float,
    cov: np.ndarray,
    level: float,
    rng: np.random.Generator,
    n_draws: int = 4000,
) -> tuple[float, float]:
    """Monte Carlo interval for a product of two estimates ``a × b`` (an indirect effect).

    Draws ``(a, b)`` from the bivariate normal with the estimates' joint covariance ``cov`` (2 × 2,
    ``a`` first) and returns the central ``level`` percentiles of the products (MacKinnon, Lockwood
    & Williams 2004): unlike the delta-method (Sobel) interval it follows the skew of a product.
    Cheap enough to run once per reconstruction, where a cluster bootstrap of each is not
    (:func:`product_intervals` does many at once).
    """
    lo, hi = product_intervals(np.array([a]), np.array([b]), np.asarray(cov)[None], level, rng, n_draws)
    return float(lo[0]), float(hi[0])


def product_intervals(
    a: np.ndarray,
    b: np.ndarray,
    cov: np.ndarray,
    level: float,
    rng: np.random.Generator,
    n_draws: int = 4000,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`product_interval` for many products at once (``a``, ``b``: length R; ``cov``: R × 2 × 2), in
    blocks that bound the memory used; NaN where an estimate or its covariance is not finite."""
    a, b, cov = np.asarray(a, float), np.asarray(b, float), np.asarray(cov, float)
    lo, hi = np.full(a.shape, np.nan), np.full(a.shape, np.nan)
    ok = np.flatnonzero(np.isfinite(a) & np.isfinite(b) & np.isfinite(cov).all(axis=(1, 2)))
    values, vectors = np.linalg.eigh(cov[ok])  # a square root of each covariance (semi-definite allowed)
    root = vectors * np.sqrt(np.clip(values, 0, None))[:, None, :]
    tail = (1 - level) / 2
    block = max(1, 2_000_000 // n_draws)
    for start in range(0, ok.size, block):
        part = slice(start, start + block)
        z = rng.standard_normal((ok[part].size, n_draws, 2)) @ np.swapaxes(root[part], 1, 2)
        products = (a[ok[part], None] + z[..., 0]) * (b[ok[part], None] + z[..., 1])
        lo[ok[part]], hi[ok[part]] = np.quantile(products, [tail, 1 - tail], axis=1)
    return lo, hi


def sobel_se(a: float, b: float, cov: np.ndarray) -> float:
    """Delta-method (Sobel) standard error of ``a × b`` with the estimates' joint covariance
    (``a`` first): ``√(b² V_aa + a² V_bb + 2ab V_ab)``."""
    return float(np.sqrt(b * b * cov[0, 0] + a * a * cov[1, 1] + 2 * a * b * cov[0, 1]))
