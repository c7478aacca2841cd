"""Statistics shared by the notebooks: intervals and tests for proportions.

Estimation is delegated to statsmodels and scipy; this module fixes the
names, the defaults and what each method assumes, so that every notebook
says the same thing about the same test. Each function is unit-tested in
``tests/test_stats.py`` against an independent implementation.

scipy and statsmodels are imported by the functions that compute with them, not here: an
analysis's parameters name :data:`CI_METHODS`, and ``compendium params``, or the parent process
of a run or a sweep, should not wait a second for scipy.stats to load for a list of names.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Interval methods for a binomial proportion: our name -> (statsmodels name, label for prose).
CI_METHODS: dict[str, tuple[str, str]] = {
    "wilson": ("wilson", "Wilson score"),
    "clopper-pearson": ("beta", "Clopper–Pearson exact"),
    "jeffreys": ("jeffreys", "Jeffreys"),
}


@dataclass(frozen=True)
class Interval:
    low: float
    high: float
    level: float
    method: str

    @property
    def label(self) -> str:
        return CI_METHODS[self.method][1]


def proportion_ci(successes: int, n: int, level: float = 0.95, method: str = "wilson") -> Interval:
    """Two-sided interval for a binomial proportion ``successes / n``.

    Methods: ``wilson`` (score interval; good coverage for small n and
    proportions near 0 or 1), ``clopper-pearson`` (inverts exact binomial
    tests; conservative), ``jeffreys`` (equal-tailed Beta(1/2, 1/2) posterior
    interval, with the boundary modification of Brown, Cai & DasGupta (2001): the
    lower limit is 0 when there are no successes and the upper limit 1 when all
    are successes, so the interval always contains the observed share). All assume
    independent trials with a common probability.
    """
    if method not in CI_METHODS:
        raise ValueError(f"ci method {method!r} is not one of {', '.join(CI_METHODS)}")
    if not 0 < level < 1:
        raise ValueError(f"confidence level {level!r} must be in (0, 1)")
    if n <= 0 or not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n and n > 0, got successes={successes}, n={n}")
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(successes, n, alpha=1 - level, method=CI_METHODS[method][0])
    if method == "jeffreys":
        low = 0.0 if successes == 0 else low
        high = 1.0 if successes == n else high
    # Guard against rounding error at the boundaries (e.g. Wilson's lower limit 4e-19 at 0 of n).
    share = successes / n
    low, high = min(max(float(low), 0.0), share), max(min(float(high), 1.0), share)
    return Interval(low, high, level, method)


def binomial_test_greater(successes: int, n: int, p0: float) -> float:
    """One-sided exact binomial test of H0: p <= p0 against H1: p > p0; returns the p-value
    P(X >= successes | n, p0)."""
    from scipy import stats as sps

    return float(sps.binomtest(successes, n, p0, alternative="greater").pvalue)


def min_successes_significant(n: int, p0: float, alpha: float) -> int | None:
    """Smallest number of successes out of ``n`` for which the one-sided exact test
    against ``p0`` is significant at level ``alpha`` (``None`` if even ``n`` is not)."""
    from scipy import stats as sps

    k = np.arange(n + 1)
    pvalues = sps.binom.sf(k - 1, n, p0)  # P(X >= k)
    hits = np.nonzero(pvalues <= alpha)[0]
    return int(hits[0]) if hits.size else None


def format_p(p: float, floor: float = 0.001) -> str:
    """A p-value for prose: ``p = 0.034`` or ``p < 0.001``."""
    if p < floor:
        return f"p < {floor:g}"
    return f"p = {p:.3f}" if p < 0.1 else f"p = {p:.2f}"
