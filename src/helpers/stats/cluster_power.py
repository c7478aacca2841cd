"""Sample size and power for a two-arm comparison of families clustered in social workers.

A family outcome is standardised (total variance 1) and split into a worker
part (variance ``icc``) and a family part (variance ``1 - icc``); the arms differ by
``effect_size`` standard deviations. Each worker holds ``m`` analysed families.

* :func:`n_individual_per_arm`: families per arm if families were independent,
  by the normal approximation ``2 (z_{1-alpha/2} + z_{power})^2 / d^2``;
* :func:`design_effect`: ``1 + (m - 1) icc`` (Donner & Klar), the factor by which
  clustering inflates the variance of an arm mean with ``m`` families per worker;
* :func:`sample_size`: families per arm, workers, families to recruit after attrition,
  and families to refer given the share who are eligible;
* :func:`power_normal` and :func:`power_cluster_t`: the power of a design with ``k``
  workers per arm, by the normal approximation and exactly for the cluster-level
  t-test (worker means are independent normal with variance ``icc + (1 - icc)/m``, so
  the pooled two-sample t statistic on worker means is noncentral t with ``2k - 2``
  degrees of freedom);
* :func:`simulate_power`: a vectorised, seeded Monte Carlo check. It simulates every
  worker of every trial (its effect, its families kept after attrition and the sum of their
  outcomes, :func:`simulate_families`), then analyses each trial, for all trials at once with
  numpy (no model is refitted per trial), by one of :data:`ANALYSES`:

  - ``"families"``: the family-level comparison of the arms' mean outcomes with
    worker-clustered standard errors, small-sample corrected (CR2, Bell and McCaffrey 2002) and
    referred to a t distribution with Bell and McCaffrey's Satterthwaite degrees of freedom
    (:func:`family_cr2_test`). Every family counts once, so a worker left with more families
    carries more weight;
  - ``"worker_means"``: the cluster-level summary t-test, a pooled-variance two-sample t on the
    worker means of retained families (:func:`cluster_t_test`), which counts every worker alike
    however many families they kept.

  With the same number of families for every worker the two are the same test (the
  family-level CR2 test is then exactly the pooled t-test on worker means, with ``2k - 2``
  degrees of freedom); when families are lost at random, the family-level analysis uses the
  information the unweighted worker means throw away.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import stats as sps

from helpers.stats.clustered import design_effect as _kish_design_effect


def _ceil(x: float) -> int:
    """Round up, ignoring floating-point noise (192.00000000003 -> 192)."""
    return math.ceil(round(x, 9))


def n_individual_per_arm(effect_size: float, alpha: float, power: float) -> float:
    """Families per arm for a two-sided test at ``alpha`` with ``power``, families independent
    (normal approximation; not rounded)."""
    z = sps.norm.ppf(1 - alpha / 2) + sps.norm.ppf(power)
    return 2 * z**2 / effect_size**2


def design_effect(families_per_worker: float, icc: float) -> float:
    """1 + (m − 1) ICC for ``m`` families per worker (the equal-size case of
    :func:`helpers.stats.clustered.design_effect`, which this calls)."""
    return _kish_design_effect([families_per_worker], icc)


@dataclass(frozen=True)
class SampleSize:
    n_individual: float  # per arm, families independent, not rounded
    design_effect: float
    n_per_arm: int  # families analysed per arm: ceil(n_individual x design effect)
    workers_per_arm: int  # ceil(n_per_arm / families per worker)
    families_recruited_per_arm: int  # ceil(n_per_arm / (1 - attrition))
    n_referred: int  # ceil(arms x recruited per arm / eligibility rate)
    n_arms: int

    @property
    def workers_total(self) -> int:
        return self.n_arms * self.workers_per_arm

    @property
    def families_recruited_total(self) -> int:
        return self.n_arms * self.families_recruited_per_arm


def sample_size(
    effect_size: float,
    icc: float,
    families_per_worker: int,
    alpha: float,
    power: float,
    attrition: float = 0.0,
    eligibility_rate: float = 1.0,
    n_arms: int = 2,
) -> SampleSize:
    """The design's numbers (see :class:`SampleSize` for the rounding at each step)."""
    if not effect_size > 0:
        raise ValueError(f"effect_size={effect_size!r} must be greater than 0 (a standardised difference to detect)")
    if not 0 <= attrition < 1 or not 0 < eligibility_rate <= 1:
        raise ValueError(
            f"attrition={attrition!r} must be in [0, 1) and eligibility_rate={eligibility_rate!r} in (0, 1]"
        )
    n_ind = n_individual_per_arm(effect_size, alpha, power)
    deff = design_effect(families_per_worker, icc)
    n_arm = _ceil(n_ind * deff)
    workers = _ceil(n_arm / families_per_worker)
    recruited = _ceil(n_arm / (1 - attrition))
    referred = _ceil(n_arms * recruited / eligibility_rate)
    return SampleSize(float(n_ind), float(deff), n_arm, workers, recruited, referred, n_arms)


def _cluster_mean_variance(icc: float, families_per_worker: float) -> float:
    return icc + (1 - icc) / families_per_worker


def power_normal(
    effect_size: float, icc: float, families_per_worker: float, workers_per_arm: float, alpha: float
) -> float:
    """Power of the two-sided z-test of the difference in arm means (normal approximation; ``workers_per_arm``
    may be an average, as for a trial with unequal arms)."""
    se = math.sqrt(2 * _cluster_mean_variance(icc, families_per_worker) / workers_per_arm)
    z = sps.norm.ppf(1 - alpha / 2)
    delta = effect_size / se
    return float(sps.norm.cdf(delta - z) + sps.norm.cdf(-delta - z))


def power_cluster_t(
    effect_size: float, icc: float, families_per_worker: float, workers_per_arm: int, alpha: float
) -> float:
    """Exact power of the two-sided pooled t-test on worker means with equal cluster sizes
    (noncentral t, ``2k - 2`` degrees of freedom)."""
    k = workers_per_arm
    if k < 2:
        return float("nan")
    df = 2 * k - 2
    ncp = effect_size / math.sqrt(2 * _cluster_mean_variance(icc, families_per_worker) / k)
    crit = sps.t.ppf(1 - alpha / 2, df)
    return float(sps.nct.sf(crit, df, ncp) + sps.nct.cdf(-crit, df, ncp))


def workers_for_power_t(
    effect_size: float,
    icc: float,
    families_per_worker: float,
    alpha: float,
    power: float,
    start: int = 2,
    limit: int = 100_000,
) -> int:
    """Smallest number of workers per arm at which the cluster-level t-test reaches ``power``."""
    k = max(2, start)
    while power_cluster_t(effect_size, icc, families_per_worker, k, alpha) < power:
        k += 1
        if k > limit:
            raise ValueError("more than the limit of workers per arm would be needed")
    return k


def families_per_worker_split(families_per_arm: int, workers_per_arm: int) -> np.ndarray:
    """Recruited families per worker when ``families_per_arm`` are shared as evenly as possible."""
    base, extra = divmod(families_per_arm, workers_per_arm)
    return np.array([base + 1] * extra + [base] * (workers_per_arm - extra), int)


def cluster_t_test(means: np.ndarray, valid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pooled-variance two-sample t-test on worker means, vectorised over trials.

    ``means`` and ``valid`` have shape ``(trials, 2, workers)``; workers with ``valid`` False
    (no family left) are left out. Returns (t, two-sided p) for each trial (arm 1 minus arm 0).
    Trials with fewer than two workers in an arm give NaN.
    """
    n = valid.sum(axis=2).astype(float)  # (trials, 2)
    x = np.where(valid, means, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = x.sum(axis=2) / n
        ss = np.where(valid, (means - mean[..., None]) ** 2, 0.0).sum(axis=2)
        df = n.sum(axis=1) - 2
        pooled = ss.sum(axis=1) / df
        se = np.sqrt(pooled * (1 / n[:, 0] + 1 / n[:, 1]))
        t = (mean[:, 1] - mean[:, 0]) / se
    ok = (n >= 2).all(axis=1)
    t = np.where(ok, t, np.nan)
    p = np.where(ok, 2 * sps.t.sf(np.abs(t), np.where(ok, df, 1)), np.nan)
    return t, p


@dataclass(frozen=True)
class SimulatedPower:
    power: float
    mc_se: float
    n_sims: int
    rejections: int

    def interval(self, level: float = 0.95) -> tuple[float, float]:
        """Wilson interval for the simulated power (Monte Carlo error only)."""
        from helpers.stats.proportions import proportion_ci

        iv = proportion_ci(self.rejections, self.n_sims, level, "wilson")
        return iv.low, iv.high


#: The analyses :func:`simulate_power` can apply to each simulated trial (see the module docstring).
ANALYSES: tuple[str, ...] = ("families", "worker_means")
Analysis = Literal["families", "worker_means"]


def family_cr2_test(sums: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The family-level comparison of two arms with worker-clustered CR2 standard errors, vectorised over
    trials: ``(t, two-sided p, degrees of freedom)`` for each trial (arm 1 minus arm 0).

    ``sums`` and ``counts`` have shape ``(trials, 2, workers)``: each worker's summed outcome and number of
    families (a worker with none is left out). The estimate is the difference of the arms' family means
    (ordinary least squares of the outcome on the arm). In arm ``a`` with ``N`` families, worker ``g``'s
    summed residual ``r_g`` is rescaled by ``(1 - n_g / N)^(-1/2)``, the CR2 adjustment, which for this
    design is exact; the variance of the arm mean is ``sum_g r_g^2 / (1 - n_g / N) / N^2``. The
    degrees of freedom are Bell and McCaffrey's Satterthwaite approximation under a working model of
    independent families: ``(sum of traces)^2 / (sum of squared Frobenius norms)`` of each arm's
    matrix ``B_gh = c_g c_h (n_g [g = h] - n_g n_h / N)``, ``c_g^2 = 1 / ((1 - n_g / N) N^2)``.
    A trial with fewer than two workers with families in an arm gives NaN.
    """
    n = np.asarray(counts, float)
    s = np.asarray(sums, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        total = n.sum(axis=2)  # (trials, 2): families per arm
        mean = s.sum(axis=2) / total
        resid = s - n * mean[..., None]  # a worker's summed residual (0 for a worker with no family)
        share = n / total[..., None]
        a = np.where(n > 0, 1.0 / ((1.0 - share) * total[..., None] ** 2), 0.0)  # c_g^2
        var = (a * resid**2).sum(axis=2)
        trace = 1.0 / total
        frob = (
            (a**2 * n**2 * (1 - share) ** 2).sum(axis=2)
            + ((a * n**2).sum(axis=2) / total) ** 2
            - (a**2 * n**4).sum(axis=2) / total**2
        )
        df = trace.sum(axis=1) ** 2 / frob.sum(axis=1)
        t = (mean[:, 1] - mean[:, 0]) / np.sqrt(var.sum(axis=1))
    ok = ((n > 0).sum(axis=2) >= 2).all(axis=1)
    t, df = np.where(ok, t, np.nan), np.where(ok, df, np.nan)
    p = np.where(ok, 2 * sps.t.sf(np.abs(t), np.where(ok, df, 1.0)), np.nan)
    return t, p, df


def simulate_families(
    effect_size: float,
    icc: float,
    recruited_per_worker: np.ndarray,
    attrition: float,
    n_sims: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Simulate ``n_sims`` two-arm trials; return each worker's summed outcome over its retained families and
    their number, each of shape ``(n_sims, 2, workers)``.

    ``recruited_per_worker`` gives each worker's recruited families (the same in both arms); each family is
    retained with probability ``1 - attrition``. A family's outcome is the arm's mean (0, or ``effect_size``)
    plus its worker's effect (variance ``icc``) plus its own residual (variance ``1 - icc``). The analyses
    need only each worker's count and sum, so these are drawn directly, from their exact distributions: the
    count kept is binomial, and the sum of ``n`` residuals is normal with variance ``n (1 - icc)``, the same
    as drawing every family (a unit test checks it against families drawn one by one) with a fraction of
    the draws.
    """
    m = np.asarray(recruited_per_worker, int)
    shape = (n_sims, 2, m.size)
    kept = rng.binomial(m, 1.0 - attrition, shape) if attrition > 0 else np.broadcast_to(m, shape).copy()
    worker = rng.normal(0.0, math.sqrt(icc), shape)
    residual = rng.standard_normal(shape) * np.sqrt(kept * (1.0 - icc))
    arm = np.array([0.0, effect_size])[None, :, None]
    return kept * (arm + worker) + residual, kept


def _p_values(analysis: str, sums: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Each simulated trial's two-sided p-value under ``analysis`` (one of :data:`ANALYSES`)."""
    if analysis == "families":
        return family_cr2_test(sums, counts)[1]
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums / counts
    return cluster_t_test(means, counts > 0)[1]


def _recruited_per_worker(recruited_per_worker: np.ndarray | int, workers_per_arm: int | None) -> np.ndarray:
    """The recruited families of each worker in an arm: ``recruited_per_worker`` as given (an array, one
    count per worker), or a single count for each of ``workers_per_arm`` workers."""
    if np.ndim(recruited_per_worker) > 0:
        recruited = np.asarray(recruited_per_worker)
        if workers_per_arm is not None and len(recruited) != workers_per_arm:
            raise ValueError(
                f"recruited_per_worker has {len(recruited)} workers but workers_per_arm="
                f"{workers_per_arm!r}: give one count per worker in an arm (or leave workers_per_arm out)"
            )
        return recruited
    if workers_per_arm is None:
        raise ValueError(
            f"recruited_per_worker={recruited_per_worker!r} is a single number: give workers_per_arm "
            "as well (or an array of recruited families per worker)"
        )
    return np.full(workers_per_arm, int(recruited_per_worker))


def simulate_power(
    effect_size: float,
    icc: float,
    recruited_per_worker: np.ndarray | int,
    workers_per_arm: int | None = None,
    *,
    alpha: float = 0.05,
    attrition: float = 0.0,
    n_sims: int = 1000,
    seed: int | np.random.Generator = 0,
    chunk: int = 2000,
    progress: bool | Callable[[int], None] = False,
    analysis: Analysis = "worker_means",
) -> SimulatedPower:
    """Monte Carlo power of a clustered two-arm design analysed by ``analysis`` (one of :data:`ANALYSES`:
    the family-level CR2 test or the cluster-level t-test on worker means).

    ``recruited_per_worker`` is an array of recruited families per worker, or an integer
    with ``workers_per_arm``. Trials are simulated in chunks of at most ``chunk`` (fewer for
    large designs, to bound memory), each chunk fully vectorised. ``progress=True`` shows a progress
    bar on stderr; a callable is called with the number of trials done after each chunk. A trial in which an arm has
    fewer than two workers with retained families counts as not rejecting. The same ``seed`` gives the same
    simulated families whatever the analysis (common random numbers).
    """
    if not 0 <= icc < 1:
        raise ValueError(f"icc={icc!r} must be in [0, 1)")
    if not 0 <= attrition < 1:
        raise ValueError(f"attrition={attrition!r} must be in [0, 1)")
    if not n_sims >= 1:
        raise ValueError(f"n_sims={n_sims!r} must be at least 1")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha={alpha!r} must be in (0, 1)")
    if analysis not in ANALYSES:
        raise ValueError(f"analysis={analysis!r}: expected one of {', '.join(repr(a) for a in ANALYSES)}")
    recruited = _recruited_per_worker(recruited_per_worker, workers_per_arm)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    bar = None
    if progress is True:
        from tqdm import tqdm

        bar = tqdm(total=n_sims, desc="simulated trials", file=sys.stderr, leave=False)
    # Keep each chunk's arrays to about four million draws, however large the design.
    per_trial = 2 * len(recruited)
    chunk = max(1, min(chunk, 4_000_000 // per_trial))
    rejections, done = 0, 0
    while done < n_sims:
        size = min(chunk, n_sims - done)
        sums, counts = simulate_families(effect_size, icc, recruited, attrition, size, rng)
        p = _p_values(analysis, sums, counts)
        rejections += int(np.sum(np.nan_to_num(p, nan=1.0) <= alpha))
        done += size
        if bar is not None:
            bar.update(size)
        elif callable(progress):
            progress(done)
    if bar is not None:
        bar.close()
    power = rejections / n_sims
    return SimulatedPower(power, math.sqrt(max(power * (1 - power), 1e-12) / n_sims), n_sims, rejections)


@dataclass(frozen=True)
class SimulatedDesign:
    """The smallest design whose simulated power, families lost at random, reaches the target."""

    workers_per_arm: int
    recruited_per_arm: int
    simulated: SimulatedPower
    tried: int  # designs simulated in the search
    #: Monte Carlo standard error of ``workers_per_arm``: how far another seed would move the design the
    #: search stops at (:func:`search_mcse`).
    workers_mcse: float = 0.0


def search_mcse(effect_size: float, icc: float, families_per_worker: float, alpha: float, k: int, mcse: float) -> float:
    """Approximate Monte Carlo standard error of the number of workers per arm at which a simulated power
    first reaches its target: the simulated power's own error ``mcse`` over the slope of the power in the
    workers per arm at ``k`` (the normal approximation's, :func:`power_normal`, a central difference).
    Another seed moves the simulated power by about ``mcse``, and so the crossing by about this many
    workers (first order; the search's common random numbers make neighbouring designs move together)."""
    slope = (
        power_normal(effect_size, icc, families_per_worker, k + 1, alpha)
        - power_normal(effect_size, icc, families_per_worker, max(k - 1, 1), alpha)
    ) / (k + 1 - max(k - 1, 1))
    return float(mcse / slope) if slope > 0 else float("inf")


def workers_for_power_simulated(
    effect_size: float,
    icc: float,
    families_per_worker: int,
    alpha: float,
    power: float,
    attrition: float = 0.0,
    *,
    n_sims: int = 1000,
    seed: int = 0,
    start: int = 2,
    limit: int = 100_000,
    analysis: Analysis = "worker_means",
) -> SimulatedDesign:
    """Smallest number of workers per arm whose design reaches ``power`` by :func:`simulate_power` with
    ``analysis``.

    Each worker is meant to keep ``families_per_worker`` analysed families, so an arm of ``k`` workers
    recruits ``ceil(k m / (1 - attrition))`` families, shared as evenly as possible, and loses each at
    random with probability ``attrition``. From ``start`` (for example the sample-size formula's answer),
    ``k`` is raised one at a time until the simulated power reaches ``power``, or, if ``start`` already
    reaches it, lowered until one worker fewer would not (or ``k`` is 2); every ``k`` is simulated with the
    same seed (common random numbers), so neighbouring designs differ by the design, not by the draw.
    """
    if not 0 < power < 1:
        raise ValueError(f"power={power!r} must be in (0, 1)")
    tried = 0

    def design(k: int) -> tuple[int, SimulatedPower]:
        nonlocal tried
        tried += 1
        recruited = _ceil(k * families_per_worker / (1 - attrition))
        sim = simulate_power(
            effect_size,
            icc,
            families_per_worker_split(recruited, k),
            alpha=alpha,
            attrition=attrition,
            n_sims=n_sims,
            seed=seed,
            analysis=analysis,
        )
        return recruited, sim

    k = max(2, start)
    recruited, sim = design(k)
    if sim.power >= power:  # the start is enough: find the smallest that is
        while k > 2:
            fewer, fewer_sim = design(k - 1)
            if fewer_sim.power < power:
                break
            k, recruited, sim = k - 1, fewer, fewer_sim
    else:
        while sim.power < power:
            k += 1
            if k > limit:
                raise ValueError(f"more than {limit} workers per arm would be needed to reach power={power!r}")
            recruited, sim = design(k)
    mcse = search_mcse(effect_size, icc, families_per_worker, alpha, k, sim.mc_se)
    return SimulatedDesign(k, recruited, sim, tried, mcse)
