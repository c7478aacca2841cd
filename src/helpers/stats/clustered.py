"""Statistics for observations nested in units (teams, RSW units, schools).

Observations of practice made in the same unit are not independent: workers
in a unit share a consultant, a clinician and case discussions. This module
holds what the notebooks need to analyse such data and to plan studies of it:

* :func:`clustered_ols`: ordinary least squares with unit-clustered (CR1)
  standard errors and *t* intervals on G − 1 degrees of freedom (statsmodels);
* :func:`icc_anova`: the one-way ANOVA estimator of the intraclass correlation,
  with units nested in strata (e.g. RSW and service-as-usual arms);
* :func:`design_effect`: Kish's design effect ``1 + (m̃ − 1) ρ`` for unequal
  unit sizes (``m̃ = Σ m² / Σ m``);
* :func:`standardised_difference`: Hedges' *g* with an interval obtained by
  inverting the noncentral *t* distribution, on effective sample sizes (n / design effect);
* :func:`min_detectable_effect`: the smallest standardised difference a
  two-group comparison detects with given power (the noncentral *t* power of
  :func:`two_sample_power`, on effective sample sizes);
* :func:`mediation_bootstrap`: product-of-coefficients mediation (linear
  models) with a cluster bootstrap that resamples whole units within strata.

Each function is unit-tested in ``tests/test_clustered.py`` against an
independent implementation or a hand-worked example.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import optimize
from scipy import stats as sps
from scipy.special import gammaln

from helpers.engine.wording import plural


# ------------------------------------------------------------------ checks
def _reject_missing(columns: dict[str, pd.Series]) -> None:
    """Raise a :class:`ValueError` naming each column (label -> values) with missing values and how many."""
    missing = {label: int(pd.isna(values).sum()) for label, values in columns.items()}
    bad = [f"{label} has {plural(n, 'missing value')} (of {len(columns[label])})" for label, n in missing.items() if n]
    if bad:
        raise ValueError("; ".join(bad) + ": remove or fill the missing values first")


def _frame_columns(frame: pd.DataFrame, names: Sequence[str | None]) -> dict[str, pd.Series]:
    return {f"column {name!r}": frame[name] for name in dict.fromkeys(n for n in names if n is not None)}


def _argument(values: Sequence, argument: str) -> tuple[str, pd.Series]:
    name = getattr(values, "name", None)
    label = f"{argument} (column {name!r})" if name is not None else argument
    return label, pd.Series(np.asarray(values, dtype=object) if not isinstance(values, pd.Series) else values)


# ------------------------------------------------------------------ regression
def clustered_ols(frame: pd.DataFrame, outcome: str, predictors: Sequence[str], groups: str):
    """OLS of ``outcome`` on a constant and ``predictors`` with CR1 cluster-robust standard errors.

    statsmodels' cluster covariance with its small-sample correction
    ``G/(G−1) × (N−1)/(N−k)``; with ``use_t=True`` intervals and tests use the
    *t* distribution on ``G − 1`` degrees of freedom. Assumes observations in
    different units are independent; with few units (fewer than about 40) the
    standard errors can still be somewhat too small.
    """
    _reject_missing(_frame_columns(frame, [outcome, *predictors, groups]))
    X = sm.add_constant(frame[list(predictors)].astype(float), has_constant="add")
    codes = pd.factorize(frame[groups])[0]
    return sm.OLS(frame[outcome].astype(float), X).fit(cov_type="cluster", cov_kwds={"groups": codes}, use_t=True)


# ------------------------------------------------------------------ clustering
def design_effect(sizes: Sequence[float] | np.ndarray, icc: float) -> float:
    """Kish's design effect for a mean over units of unequal sizes: ``1 + (m̃ − 1) ρ``,
    with ``m̃ = Σ m² / Σ m`` (equal to the common size when sizes are equal)."""
    m = np.asarray(sizes, dtype=float)
    if m.size == 0:
        raise ValueError("unit sizes: none given; need at least one unit with a positive size")
    if not (m > 0).all():
        at = np.flatnonzero(~(m > 0))
        more = f" and {at.size - 5} more" if at.size > 5 else ""
        raise ValueError(
            f"unit sizes must be positive: got {', '.join(f'{x:g}' for x in m[at[:5]])}{more} "
            f"(at position(s) {', '.join(str(i) for i in at[:5])}{more})"
        )
    if not 0 <= icc < 1:
        raise ValueError(f"intraclass correlation {icc!r} must be in [0, 1)")
    m_tilde = float((m**2).sum() / m.sum())
    return 1.0 + (m_tilde - 1.0) * icc


def icc_anova(y: Sequence[float], groups: Sequence, strata: Sequence | None = None) -> float:
    """One-way ANOVA estimator of the intraclass correlation, truncated at 0.

    Units (``groups``) may be nested in ``strata`` (each unit in one stratum);
    stratum means are removed first, so a difference between strata is not
    counted as clustering. With ``S`` strata, ``G`` units and ``N`` observations:

    ``MSW = Σ (y − ȳ_unit)² / (N − G)``,
    ``MSB = Σ m (ȳ_unit − ȳ_stratum)² / (G − S)``,
    ``n0 = (N − Σ_s Σ_units m² / N_s) / (G − S)``,
    ``ρ = (MSB − MSW) / (MSB + (n0 − 1) MSW)``.
    """
    _reject_missing(
        dict(_argument(v, a) for v, a in ((y, "y"), (groups, "groups"), (strata, "strata")) if v is not None)
    )
    frame = pd.DataFrame({"y": np.asarray(y, float), "g": np.asarray(groups)})
    frame["s"] = 0 if strata is None else np.asarray(strata)
    n_strata_of_unit = frame.groupby("g")["s"].nunique()
    if n_strata_of_unit.max() > 1:
        units = n_strata_of_unit.index[n_strata_of_unit > 1]
        shown = ", ".join(repr(u) for u in units[:5]) + (f" and {len(units) - 5} more" if len(units) > 5 else "")
        raise ValueError(f"each unit must lie in one stratum: unit(s) {shown} lie in more than one")
    n = len(frame)
    unit = frame.groupby("g").agg(m=("y", "size"), mean=("y", "mean"), s=("s", "first"))
    n_units, n_strata = len(unit), frame["s"].nunique()
    if n_units - n_strata < 1 or n - n_units < 1:
        raise ValueError("need more units than strata and more observations than units")
    stratum_mean = frame.groupby("s")["y"].mean()
    stratum_n = frame.groupby("s")["y"].size()
    ssw = float(((frame["y"] - frame["g"].map(unit["mean"])) ** 2).sum())
    ssb = float((unit["m"] * (unit["mean"] - unit["s"].map(stratum_mean)) ** 2).sum())
    msw = ssw / (n - n_units)
    msb = ssb / (n_units - n_strata)
    n0 = (n - float((unit["m"] ** 2 / unit["s"].map(stratum_n)).sum())) / (n_units - n_strata)
    denominator = msb + (n0 - 1) * msw
    if denominator <= 0:
        return 0.0
    return max(0.0, (msb - msw) / denominator)


# ------------------------------------------------------------------ effect sizes
def hedges_j(df: float) -> float:
    """Hedges' exact small-sample correction ``J = Γ(df/2) / (√(df/2) Γ((df−1)/2))``."""
    return float(math.exp(gammaln(df / 2) - gammaln((df - 1) / 2)) / math.sqrt(df / 2))


def smd_interval(d: float, n1: float, n2: float, level: float = 0.95) -> tuple[float, float]:
    """Interval for a standardised mean difference ``d`` by inverting the noncentral *t*
    distribution (exact for independent normal observations with a common SD).

    ``t = d √(n1 n2 / (n1 + n2))`` on ``n1 + n2 − 2`` degrees of freedom; the limits are
    the noncentrality parameters that put ``t`` at the upper and lower tail, rescaled.
    Sample sizes may be non-integer (effective sample sizes).
    """
    if not 0 < level < 1:
        raise ValueError(f"level {level!r} must be in (0, 1)")
    if n1 <= 1 or n2 <= 1:
        raise ValueError(f"each group needs an effective size above 1: got n1={n1!r}, n2={n2!r}")
    scale = math.sqrt(n1 * n2 / (n1 + n2))
    df = n1 + n2 - 2
    t = d * scale

    def cdf(lam: float) -> float:
        # scipy's noncentral t can return nan far in its tails: there the value is 1 (lam << t) or 0
        value = float(sps.nct.cdf(t, df, lam))
        return value if np.isfinite(value) else (1.0 if lam < t else 0.0)

    def solve(tail: float) -> float:
        def f(lam: float) -> float:  # decreasing in lam
            return cdf(lam) - tail

        # bracket around the normal approximation lam ≈ t ± z √(1 + t²/(2 df)), widened until it holds
        step = (abs(sps.norm.ppf(tail)) + 1) * math.sqrt(1 + t * t / (2 * df)) + 1
        lo, hi = t - step, t + step
        while f(lo) < 0:
            lo -= step
        while f(hi) > 0:
            hi += step
        return float(optimize.brentq(f, lo, hi, xtol=1e-10))

    alpha = 1 - level
    return solve(1 - alpha / 2) / scale, solve(alpha / 2) / scale


@dataclass(frozen=True)
class StandardisedDifference:
    """Hedges' g for group 1 minus group 2, with its interval."""

    g: float
    low: float
    high: float
    level: float
    d: float  # Cohen's d (pooled within-group SD), before the small-sample correction
    pooled_sd: float
    n1: int
    n2: int
    design_effect1: float
    design_effect2: float

    @property
    def n1_effective(self) -> float:
        return self.n1 / self.design_effect1

    @property
    def n2_effective(self) -> float:
        return self.n2 / self.design_effect2


def standardised_difference(
    y1: Sequence[float],
    y2: Sequence[float],
    level: float = 0.95,
    design_effect1: float = 1.0,
    design_effect2: float = 1.0,
) -> StandardisedDifference:
    """Hedges' g (mean of ``y1`` minus mean of ``y2`` over the pooled within-group SD, times J)
    with a noncentral-*t* interval on effective sample sizes ``n / design effect``.

    With design effects of 1 this is the usual interval for independent observations; larger
    design effects widen it for clustering (an approximation that treats the clustered sample
    as a smaller independent one). The correction J and the limits use the effective degrees
    of freedom.
    """
    a, b = np.asarray(y1, float), np.asarray(y2, float)
    n1, n2 = a.size, b.size
    if n1 < 2 or n2 < 2:
        raise ValueError("each group needs at least two observations")
    pooled = math.sqrt(((n1 - 1) * a.var(ddof=1) + (n2 - 1) * b.var(ddof=1)) / (n1 + n2 - 2))
    if pooled == 0:
        raise ValueError("the outcome does not vary within groups")
    d = (a.mean() - b.mean()) / pooled
    e1, e2 = n1 / design_effect1, n2 / design_effect2
    j = hedges_j(e1 + e2 - 2)
    low, high = smd_interval(d, e1, e2, level)
    return StandardisedDifference(
        j * d, j * low, j * high, level, float(d), pooled, n1, n2, design_effect1, design_effect2
    )


# ------------------------------------------------------------------ power
def two_sample_power(d: float, n1: float, n2: float, alpha: float = 0.05) -> float:
    """Power of a two-sided two-sample *t* test at level ``alpha`` against a true standardised
    difference ``d``: ``P(T > c) + P(T < −c)`` with ``T`` noncentral *t* on ``n1 + n2 − 2`` degrees of
    freedom and noncentrality ``d √(n1 n2 / (n1 + n2))`` (scipy). Sample sizes may be non-integer.

    scipy's noncentral *t* can return nan far in a tail (where statsmodels' power then fails too);
    there the tail probability is taken as 0, or from the normal approximation for the main tail.
    """
    df = n1 + n2 - 2
    nc = abs(d) * math.sqrt(n1 * n2 / (n1 + n2))
    crit = float(sps.t.isf(alpha / 2, df))
    upper = float(sps.nct.sf(crit, df, nc))
    if not np.isfinite(upper):
        upper = float(sps.norm.sf(crit - nc))
    lower = float(sps.nct.cdf(-crit, df, nc))
    if not np.isfinite(lower):
        lower = 0.0  # at most alpha / 2 for nc >= 0, and nan only where it is vanishingly small
    return min(1.0, upper + lower)


def min_detectable_effect(
    n1: float, n2: float, alpha: float = 0.05, power: float = 0.8, design_effect: float = 1.0
) -> float:
    """Smallest standardised difference (Cohen's d) that a two-sided two-sample *t* test at
    level ``alpha`` detects with probability ``power`` (:func:`two_sample_power`), on effective
    sizes ``n / design_effect``.

    Assumes normal outcomes with a common SD in both groups; clustering enters only through
    the design effect.
    """
    e1, e2 = float(n1) / design_effect, float(n2) / design_effect
    if e1 <= 1 or e2 <= 1:
        raise ValueError(
            f"each group needs an effective size above 1: got n1={n1!r}, n2={n2!r} with "
            f"design_effect={design_effect!r}, effective sizes {e1:.3g} and {e2:.3g}"
        )
    if not 0 < alpha < 1 or not alpha < power < 1:
        raise ValueError(f"need 0 < alpha < power < 1, got alpha={alpha!r}, power={power!r}")

    def shortfall(d: float) -> float:
        return two_sample_power(d, e1, e2, alpha) - power

    upper = 1.0
    while shortfall(upper) < 0:
        upper *= 2
    return float(optimize.brentq(shortfall, 1e-9, upper, xtol=1e-12))


# ------------------------------------------------------------------ mediation
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


def _ols_coefs(X: np.ndarray, y: np.ndarray) -> np.ndarray | None:
    coef, _, rank, _ = np.linalg.lstsq(X, y, rcond=None)
    return coef if rank == X.shape[1] else None


def _paths(frame_values: np.ndarray) -> tuple[float, float, float, float, float] | None:
    """``frame_values`` columns: treatment, mediator, outcome, covariates..."""
    n = frame_values.shape[0]
    t, m, y, covs = frame_values[:, 0], frame_values[:, 1], frame_values[:, 2], frame_values[:, 3:]
    one = np.ones((n, 1))
    x_med = np.column_stack([one, t, covs])
    x_out = np.column_stack([one, t, m, covs])
    a_fit = _ols_coefs(x_med, m)
    out_fit = _ols_coefs(x_out, y)
    tot_fit = _ols_coefs(x_med, y)
    if a_fit is None or out_fit is None or tot_fit is None:
        return None
    a, b, direct, total = a_fit[1], out_fit[2], out_fit[1], tot_fit[1]
    return float(a), float(b), float(a * b), float(direct), float(total)


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
    treatment does not vary) are discarded and counted in ``n_failed``.

    The causal reading (the indirect effect is the part of the treatment's effect carried by
    the mediator) assumes no unmeasured confounding of treatment–mediator, treatment–outcome and
    mediator–outcome relations, and no treatment–mediator interaction.
    """
    cols = [treatment, mediator, outcome, *covariates]
    _reject_missing(_frame_columns(frame, [*cols, groups, strata]))
    rng = np.random.default_rng() if rng is None else rng
    values = frame[cols].to_numpy(dtype=float)
    point = _paths(values)
    if point is None:
        raise ValueError(
            "the mediation models cannot be estimated: a predictor does not vary or predictors are collinear"
        )
    a, b, indirect, direct, total = point

    if groups is None:
        members = [np.array([i]) for i in range(len(frame))]
        unit_strata = np.zeros(len(frame), int) if strata is None else pd.factorize(frame[strata])[0]
    else:
        codes = pd.factorize(frame[groups])[0]
        members = [np.flatnonzero(codes == g) for g in range(codes.max() + 1)]
        if strata is None:
            unit_strata = np.zeros(len(members), int)
        else:
            s = pd.factorize(frame[strata])[0]
            unit_strata = np.array([s[idx[0]] for idx in members])
    by_stratum = [np.flatnonzero(unit_strata == k) for k in np.unique(unit_strata)]

    draws = []
    failed = 0
    for _ in range(n_boot):
        chosen = np.concatenate([rng.choice(units, size=units.size, replace=True) for units in by_stratum])
        idx = np.concatenate([members[u] for u in chosen])
        est = _paths(values[idx])
        if est is None:
            failed += 1
            continue
        draws.append(est[2:])
    if len(draws) < 0.9 * n_boot:
        raise ValueError(f"the mediation models could not be estimated in {failed} of {n_boot} bootstrap resamples")
    table = pd.DataFrame(draws, columns=["indirect", "direct", "total"])
    tail = (1 - level) / 2

    def ci(col: str) -> tuple[float, float]:
        lo, hi = np.quantile(table[col], [tail, 1 - tail])
        return float(lo), float(hi)

    return MediationResult(
        a, b, indirect, direct, total, ci("indirect"), ci("direct"), ci("total"), level, n_boot, failed, table
    )


# ------------------------------------------------------------------ cheap fits for many reconstructions
def stacked_cr1(
    designs: Sequence[np.ndarray],
    outcomes: Sequence[np.ndarray],
    groups: np.ndarray,
) -> tuple[list[np.ndarray], np.ndarray] | None:
    """OLS of each outcome on its design, with one joint cluster-robust (CR1) covariance, in numpy.

    The fast counterpart of :func:`clustered_ols` for many synthetic reconstructions. Model ``j``
    (``designs[j]``, ``n × k_j``, including its constant) gives coefficients ``β_j``; the joint
    covariance of all the coefficients is the sandwich ``B M B`` with ``B`` the block-diagonal of the
    ``(X_jᵀX_j)⁻¹`` and ``M = Σ_g s_g s_gᵀ`` over the units ``g`` of the stacked scores
    ``s_g = (X_jgᵀ e_jg)_j``. Each model's diagonal block is scaled by its CR1 correction
    ``c_j = G/(G−1) × (n−1)/(n−k_j)`` (so it equals statsmodels' ``cov_type="cluster"``), a
    cross block by ``√(c_i c_j)``. The cross blocks are what a product of coefficients from two
    models (an indirect effect) needs. ``None`` if a design is rank-deficient.
    """
    codes, uniques = pd.factorize(np.asarray(groups))
    n_groups = len(uniques)
    betas, breads, scores, scale = [], [], [], []
    for X, y in zip(designs, outcomes, strict=True):
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        n, k = X.shape
        if np.linalg.matrix_rank(X) < k or n_groups < 2 or n <= k:
            return None
        xtx_inv = np.linalg.inv(X.T @ X)
        beta = xtx_inv @ (X.T @ y)
        resid = y - X @ beta
        s = np.zeros((n_groups, k))
        np.add.at(s, codes, X * resid[:, None])
        betas.append(beta)
        breads.append(xtx_inv)
        scores.append(s)
        scale.append(np.full(k, np.sqrt(n_groups / (n_groups - 1) * (n - 1) / (n - k))))
    stacked = np.hstack(scores)
    size = stacked.shape[1]
    bread = np.zeros((size, size))
    at = 0
    for b in breads:
        bread[at : at + len(b), at : at + len(b)] = b
        at += len(b)
    root = np.concatenate(scale)
    cov = bread @ (stacked.T @ stacked) @ bread * np.outer(root, root)
    return betas, cov


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
    Cheap enough to run once per reconstruction, where a cluster bootstrap of each is not.
    """
    draws = rng.multivariate_normal([a, b], cov, size=n_draws)
    products = draws[:, 0] * draws[:, 1]
    tail = (1 - level) / 2
    lo, hi = np.quantile(products, [tail, 1 - tail])
    return float(lo), float(hi)


def sobel_se(a: float, b: float, cov: np.ndarray) -> float:
    """Delta-method (Sobel) standard error of ``a × b`` with the estimates' joint covariance
    (``a`` first): ``√(b² V_aa + a² V_bb + 2ab V_ab)``."""
    return float(np.sqrt(b * b * cov[0, 0] + a * a * cov[1, 1] + 2 * a * b * cov[0, 1]))
