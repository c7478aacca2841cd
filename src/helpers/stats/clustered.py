"""Statistics for observations nested in units (teams, RSW units, schools).

Observations of practice made in the same unit are not independent: workers
in a unit share a consultant, a clinician and case discussions. This module
holds what the notebooks need to analyse such data and to plan studies of it:

* :func:`cluster_fit`: least squares for one or more linear models (or a batch
  of data sets) with one joint cluster-robust covariance: ``CR2`` with
  Bell–McCaffrey degrees of freedom, the small-sample correction for few units,
  or ``CR1`` (statsmodels' ``cov_type="cluster"``) with ``G − 1``;
* :func:`clustered_ols`: the same for one model of a data frame, by name;
* :func:`icc_anova`: the one-way ANOVA estimator of the intraclass correlation,
  with units nested in strata (e.g. RSW and service-as-usual arms);
* :func:`design_effect`: Kish's design effect ``1 + (m̃ − 1) ρ`` for unequal
  unit sizes (``m̃ = Σ m² / Σ m``);
* :func:`standardised_difference`: Hedges' *g* with an interval obtained by
  inverting the noncentral *t* distribution, on effective sample sizes (n / design effect);
* :func:`min_detectable_effect`: the smallest standardised difference a
  two-group comparison detects with given power (:func:`two_sample_power`).

Each function is unit-tested in ``tests/test_clustered.py`` against an
independent implementation or a hand-worked example.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
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
#: The cluster-robust covariances :func:`cluster_fit` computes: ``CR2`` (the default, with Bell–McCaffrey
#: degrees of freedom) and ``CR1`` (statsmodels' ``cov_type="cluster"``, with ``G − 1``).
VCOV = ("CR2", "CR1")


@dataclass(frozen=True)
class ClusterFit:
    """Least squares for one or more linear models with one joint cluster-robust covariance.

    ``betas[j]`` are model ``j``'s coefficients; ``cov`` is the joint covariance of all of them, in that
    order (its cross blocks are what a product of coefficients from two models, an indirect effect,
    needs); ``df`` holds each coefficient's degrees of freedom for *t* tests and intervals (the same order).
    Fitted to a batch of data sets, each array has a first axis over the batch.
    """

    betas: list[np.ndarray]
    cov: np.ndarray
    df: np.ndarray
    n_groups: int
    vcov: str

    @property
    def se(self) -> np.ndarray:
        return np.sqrt(np.diagonal(self.cov, axis1=-2, axis2=-1))


def _inverse_sqrt(m: np.ndarray) -> np.ndarray:
    """The symmetric inverse square root of each positive semi-definite matrix in a stack (``… × m × m``),
    Moore–Penrose on a null space (an observation with leverage 1 in its unit)."""
    values, vectors = np.linalg.eigh(m)
    inv = np.where(values > 1e-12, 1 / np.sqrt(np.clip(values, 1e-12, None)), 0.0)
    return (vectors * inv[..., None, :]) @ np.swapaxes(vectors, -1, -2)


def _units_by_size(codes: np.ndarray, n_groups: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The units grouped by size: each group's unit codes and their rows (units × size)."""
    order = np.argsort(codes, kind="stable")
    sizes = np.bincount(codes, minlength=n_groups)
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    return [
        (units, order[starts[units][:, None] + np.arange(m)])
        for m in np.unique(sizes)
        for units in [np.flatnonzero(sizes == m)]
    ]


def _bell_mccaffrey_df(d: np.ndarray, u: np.ndarray, bread: np.ndarray) -> np.ndarray:
    """Bell–McCaffrey degrees of freedom of each coefficient (Imbens and Kolesár 2016, working model
    independent errors of equal variance): ``(Σ λ)² / Σ λ²`` with ``λ`` the eigenvalues of ``P = G′G``,
    the columns of ``G`` being ``(I − H) v_s`` with ``v_s`` = ``A_s X_s (X′X)⁻¹ e_j`` on unit ``s``'s rows.

    Written without the ``N × N`` matrix: ``P = D − U′ B U`` with ``D = diag(|v_s|²)`` (``d``: batch ×
    units × coefficients), ``U`` the ``X_s′ v_s`` (``u``: batch × units × k × coefficients) and
    ``B = (X′X)⁻¹``, so that ``tr P`` and ``tr P²`` need only ``k × k`` products.
    """
    q = np.einsum("rsij,rik,rskj->rsj", u, bread, u)  # u_s′ B u_s
    m = np.einsum("rsij,rskj->rjik", u, u)  # Σ_s u_s u_s′, one k × k per coefficient
    bm = np.einsum("rik,rjkl->rjil", bread, m)  # B M
    trace = d.sum(axis=1) - q.sum(axis=1)
    square = (d**2).sum(axis=1) - 2 * (d * q).sum(axis=1) + np.einsum("rjik,rjki->rj", bm, bm)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(square > 0, trace**2 / square, np.nan)


def _cr2_scores(
    X: np.ndarray, e: np.ndarray, bread: np.ndarray, blocks: list[tuple[np.ndarray, np.ndarray]], n_groups: int
) -> tuple[np.ndarray, np.ndarray]:
    """The units' CR2 scores ``X_s′ A_s e_s`` (``A_s = (I − H_ss)^(−1/2)``) and each coefficient's
    Bell–McCaffrey degrees of freedom, for a batch (``X``: batch × n × k)."""
    r, _, k = X.shape
    scores = np.zeros((r, n_groups, k))
    d = np.zeros((r, n_groups, k))
    u = np.zeros((r, n_groups, k, k))
    for units, rows in blocks:
        xs = X[:, rows]  # batch × units × m × k
        hat = xs @ bread[:, None] @ np.swapaxes(xs, -1, -2)
        a = _inverse_sqrt(np.eye(rows.shape[1]) - hat)
        scores[:, units] = np.einsum("rsmk,rsmn,rsn->rsk", xs, a, e[:, rows])
        v = a @ xs @ bread[:, None]  # batch × units × m × coefficients: v_s for each coefficient
        d[:, units] = (v**2).sum(axis=2)
        u[:, units] = np.swapaxes(xs, -1, -2) @ v
    return scores, _bell_mccaffrey_df(d, u, bread)


def _fit_model(
    X: np.ndarray, y: np.ndarray, codes: np.ndarray, n_groups: int, blocks: list, vcov: str
) -> tuple[np.ndarray, ...]:
    """One model fitted to a batch (``X``: batch × n × k, ``y``: batch × n): coefficients, ``(X′X)⁻¹``, the
    units' scores, degrees of freedom, the CR1 scale, and which data sets could be estimated."""
    r, n, k = X.shape
    ok = (np.linalg.matrix_rank(X) == k) & (n_groups >= 2) & (n > k)
    xtx = np.swapaxes(X, -1, -2) @ X
    xtx[~ok] = np.eye(k)  # a placeholder so that the batch inverts (NaN later)
    bread = np.linalg.inv(xtx)
    beta = np.einsum("rij,rnj,rn->ri", bread, X, y)
    resid = y - np.einsum("rnk,rk->rn", X, beta)
    if vcov == "CR2":
        scores, df = _cr2_scores(X, resid, bread, blocks, n_groups)
        scale = np.ones(k)
    else:
        scores = np.zeros((n_groups, r, k))
        np.add.at(scores, codes, np.moveaxis(X * resid[..., None], 1, 0))
        scores = np.moveaxis(scores, 0, 1)
        df = np.full((r, k), n_groups - 1.0)
        scale = np.full(k, np.sqrt(n_groups / (n_groups - 1) * (n - 1) / (n - k)) if n > k and n_groups > 1 else 1.0)
    return beta, bread, scores, df, scale, ok


def cluster_fit(
    designs: Sequence[np.ndarray], outcomes: Sequence[np.ndarray], groups: Sequence | np.ndarray, vcov: str = "CR2"
) -> ClusterFit | None:
    """Least squares of each outcome on its design, with one joint cluster-robust covariance, in numpy.

    Model ``j`` (``designs[j]``, ``n × k_j``, including its constant) gives ``β_j``. The joint covariance is
    the sandwich ``B M B``, ``B`` the block diagonal of the ``(X_j′X_j)⁻¹`` and ``M = Σ_s c_s c_s′`` over
    the units ``s`` of the stacked scores ``c_s = (X_js′ A_js e_js)_j``:

    * ``CR2`` (the default): ``A_js = (I − H_js)^(−1/2)``, the inverse square root of one minus the unit's
      block of model ``j``'s hat matrix (Bell and McCaffrey 2002), which removes the downward bias of the
      usual sandwich with few units; *t* tests use each coefficient's Bell–McCaffrey degrees of freedom
      (:func:`_bell_mccaffrey_df`). With one observation per unit it is HC2. Recommended with fewer than
      about 40 units (Imbens and Kolesár 2016; Pustejovsky and Tipton 2018).
    * ``CR1``: ``A = I``, each model's block scaled by ``G/(G−1) × (n−1)/(n−k_j)`` (a cross block by the
      geometric mean), as statsmodels' ``cov_type="cluster"``; ``G − 1`` degrees of freedom.

    A batch of data sets with the same units (``groups``, length ``n``) is fitted at once when each design
    is ``batch × n × k_j`` and each outcome ``batch × n``: every result then has a first axis over the batch,
    NaN for a data set whose models cannot be estimated. One data set gives ``None`` instead, if a design is
    rank-deficient or has no more rows than columns, or there are fewer than two units.
    """
    if vcov not in VCOV:
        raise ValueError(f"vcov {vcov!r}: expected one of {', '.join(VCOV)}")
    batched = np.ndim(designs[0]) == 3
    codes, uniques = pd.factorize(np.asarray(groups))
    n_groups = len(uniques)
    blocks = _units_by_size(codes, n_groups) if vcov == "CR2" else []
    fits = [
        _fit_model(
            np.asarray(X, dtype=float).reshape((-1, *np.shape(X)[-2:])),
            np.asarray(y, dtype=float).reshape((-1, np.shape(y)[-1])),
            codes,
            n_groups,
            blocks,
            vcov,
        )
        for X, y in zip(designs, outcomes, strict=True)
    ]
    ok = np.logical_and.reduce([f[5] for f in fits])
    if not (batched or ok[0]):
        return None
    sizes = [f[1].shape[-1] for f in fits]
    bread = np.zeros((len(ok), sum(sizes), sum(sizes)))
    for at, size, f in zip(np.cumsum([0, *sizes]), sizes, fits, strict=False):
        bread[:, at : at + size, at : at + size] = f[1]
    stacked = np.concatenate([f[2] for f in fits], axis=-1)
    root = np.concatenate([f[4] for f in fits])
    cov = bread @ (np.swapaxes(stacked, -1, -2) @ stacked) @ bread * np.outer(root, root)
    betas, df = [f[0] for f in fits], np.concatenate([f[3] for f in fits], axis=-1)
    if batched:
        cov[~ok], df[~ok] = np.nan, np.nan
        for b in betas:
            b[~ok] = np.nan
        return ClusterFit(betas, cov, df, n_groups, vcov)
    return ClusterFit([b[0] for b in betas], cov[0], df[0], n_groups, vcov)


@dataclass(frozen=True)
class ClusteredOLS:
    """One model's coefficients, their cluster-robust covariance and degrees of freedom, by name, with
    *t* tests and intervals (:func:`clustered_ols`)."""

    params: pd.Series
    cov: pd.DataFrame
    df: pd.Series
    n_groups: int
    vcov: str

    @property
    def bse(self) -> pd.Series:
        return pd.Series(np.sqrt(np.diag(self.cov.to_numpy())), index=self.params.index)

    @property
    def pvalues(self) -> pd.Series:
        """Two-sided *t* tests of each coefficient against zero, on its degrees of freedom."""
        return pd.Series(2 * sps.t.sf(np.abs(self.params / self.bse), self.df), index=self.params.index)

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """*t* intervals at level ``1 − alpha`` (columns 0 and 1, low and high, as statsmodels gives them)."""
        half = sps.t.ppf(1 - alpha / 2, self.df) * self.bse
        return pd.DataFrame({0: self.params - half, 1: self.params + half})


def clustered_ols(
    frame: pd.DataFrame, outcome: str, predictors: Sequence[str], groups: str, vcov: str = "CR2"
) -> ClusteredOLS:
    """OLS of ``outcome`` on a constant and ``predictors`` with unit-clustered standard errors
    (:func:`cluster_fit`: ``CR2`` with Bell–McCaffrey degrees of freedom by default, or ``CR1`` with
    ``G − 1``). Assumes observations in different units are independent."""
    _reject_missing(_frame_columns(frame, [outcome, *predictors, groups]))
    names = ["const", *predictors]
    X = np.column_stack([np.ones(len(frame)), frame[list(predictors)].to_numpy(dtype=float)])
    fit = cluster_fit([X], [frame[outcome].to_numpy(dtype=float)], frame[groups].to_numpy(), vcov)
    if fit is None:
        raise ValueError(
            f"the regression of {outcome!r} on {', '.join(map(repr, predictors))} cannot be estimated: a predictor "
            f"does not vary, predictors are collinear, or there are fewer than two {groups!r} units"
        )
    return ClusteredOLS(
        pd.Series(fit.betas[0], index=names),
        pd.DataFrame(fit.cov, index=names, columns=names),
        pd.Series(fit.df, index=names),
        fit.n_groups,
        vcov,
    )


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


def _degrees_of_freedom(df: float | None, n1: float, n2: float) -> float:
    """``df`` if given (a positive number), else ``n1 + n2 − 2``."""
    if df is None:
        return n1 + n2 - 2
    if not df > 0:
        raise ValueError(f"degrees of freedom df={df!r} must be positive")
    return float(df)


def smd_interval(d: float, n1: float, n2: float, level: float = 0.95, df: float | None = None) -> tuple[float, float]:
    """Interval for a standardised mean difference ``d`` by inverting the noncentral *t*
    distribution (exact for independent normal observations with a common SD).

    ``t = d √(n1 n2 / (n1 + n2))`` on ``n1 + n2 − 2`` degrees of freedom, or ``df`` (for units
    compared, the number of units minus two); the limits are the noncentrality parameters that put
    ``t`` at the upper and lower tail, rescaled. Sample sizes may be non-integer (effective sample sizes).
    """
    if not 0 < level < 1:
        raise ValueError(f"level {level!r} must be in (0, 1)")
    if n1 <= 1 or n2 <= 1:
        raise ValueError(f"each group needs an effective size above 1: got n1={n1!r}, n2={n2!r}")
    scale = math.sqrt(n1 * n2 / (n1 + n2))
    df = _degrees_of_freedom(df, n1, n2)
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
    df: float | None = None,
) -> StandardisedDifference:
    """Hedges' g (mean of ``y1`` minus mean of ``y2`` over the pooled within-group SD, times J)
    with a noncentral-*t* interval on effective sample sizes ``n / design effect``.

    With design effects of 1 this is the usual interval for independent observations; larger
    design effects widen it for clustering (an approximation that treats the clustered sample
    as a smaller independent one). The correction J uses the effective degrees of freedom; the limits
    use them too, or ``df`` when given (for units compared, the number of units minus two).
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
    low, high = smd_interval(d, e1, e2, level, df)
    return StandardisedDifference(
        j * d, j * low, j * high, level, float(d), pooled, n1, n2, design_effect1, design_effect2
    )


# ------------------------------------------------------------------ power
def two_sample_power(d: float, n1: float, n2: float, alpha: float = 0.05, df: float | None = None) -> float:
    """Power of a two-sided two-sample *t* test at level ``alpha`` against a true standardised
    difference ``d``: ``P(T > c) + P(T < −c)`` with ``T`` noncentral *t* on ``n1 + n2 − 2`` degrees of
    freedom (or ``df``) and noncentrality ``d √(n1 n2 / (n1 + n2))`` (scipy). Sample sizes may be non-integer.

    scipy's noncentral *t* can return nan far in a tail (where statsmodels' power then fails too);
    there the tail probability is taken as 0, or from the normal approximation for the main tail.
    """
    df = _degrees_of_freedom(df, n1, n2)
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
    n1: float,
    n2: float,
    alpha: float = 0.05,
    power: float = 0.8,
    design_effect: float = 1.0,
    df: float | None = None,
) -> float:
    """Smallest standardised difference (Cohen's d) that a two-sided two-sample *t* test at
    level ``alpha`` detects with probability ``power`` (:func:`two_sample_power`), on effective
    sizes ``n / design_effect``.

    Assumes normal outcomes with a common SD in both groups; clustering enters through the design
    effect and through ``df`` where whole units are compared (the units minus two: the *t* test of
    unit means), which with few units matters as much as the design effect.
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
        return two_sample_power(d, e1, e2, alpha, df) - power

    upper = 1.0
    while shortfall(upper) < 0:
        upper *= 2
    return float(optimize.brentq(shortfall, 1e-9, upper, xtol=1e-12))
