"""What a study of this size can show: power for a rate ratio, the detectable ratio, the cases a ratio
needs, and which assumption the detectable ratio depends on most."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from scipy import optimize
from scipy import stats as sps
from statsmodels.stats.rates import power_negbin_ratio_2indep

from helpers.analyses.link_worker_monitoring.parameters import Parameters
from helpers.stats.sensitivity import Uncertain, most_influential


def power_for_ratio(
    rate_ratio: float, mean_without: float, n_with: float, n_without: float, dispersion: float, alpha: float
) -> float:
    """Power of the two-sided Wald test of equal means (rate ratio 1) when the true ratio is ``rate_ratio``
    (statsmodels ``power_negbin_ratio_2indep``, variance under the alternative: Zhu & Lakkis 2014)."""
    if rate_ratio == 1:
        return alpha
    return float(
        power_negbin_ratio_2indep(
            mean_without * rate_ratio,
            mean_without,
            n_with,
            nobs_ratio=n_without / n_with,
            alpha=alpha,
            dispersion=dispersion,
            method_var="alt",
            return_results=False,
        )
    )


def log_ratio_variance(
    rate_ratio: float, mean_without: float, n_with: float, n_without: float, dispersion: float
) -> float:
    """``Var(log R̂)`` under the alternative, cases independent: ``(1/(Rμ₀) + α)/n₁ + (1/μ₀ + α)/n₀`` (the
    variance :func:`power_for_ratio` uses)."""
    return (1 / (rate_ratio * mean_without) + dispersion) / n_with + (1 / mean_without + dispersion) / n_without


def power_between_centres(
    rate_ratio: float,
    mean_without: float,
    n_with: float,
    n_without: float,
    dispersion: float,
    alpha: float,
    design_effect: float,
    df: int,
) -> float:
    """Power of the two-sided test of no difference when cases are alike within centres and the test, to
    allow for that, can only compare centres: the variance of :func:`log_ratio_variance` times the design
    effect, and the statistic referred to a t distribution with ``df`` degrees of freedom (centres − 2)
    instead of the normal. Under the alternative the statistic is noncentral t with noncentrality
    ``|log R| / se``. With many centres this is :func:`power_for_ratio` with each group's cases divided by
    the design effect; with few it is much lower, because the spread between centres is estimated from few."""
    if df < 1:
        raise ValueError(f"df={df!r}: a comparison between centres needs at least 3 centres (1 degree of freedom)")
    if rate_ratio == 1:
        return alpha
    se = float(np.sqrt(design_effect * log_ratio_variance(rate_ratio, mean_without, n_with, n_without, dispersion)))
    ncp = abs(float(np.log(rate_ratio))) / se
    crit = float(sps.t.ppf(1 - alpha / 2, df))
    # The far tail as the upper tail of the mirrored statistic: scipy's nct.cdf far below 0 can return NaN.
    far = float(np.nan_to_num(sps.nct.sf(crit, df, -ncp)))
    return float(sps.nct.sf(crit, df, ncp)) + far


def detectable_ratio(
    mean_without: float,
    n_with: float,
    n_without: float,
    dispersion: float,
    alpha: float,
    power: float,
    *,
    design_effect: float = 1.0,
    df: int | None = None,
) -> float:
    """The smallest rate ratio above 1 that the test detects with the given power: by the normal
    approximation (:func:`power_for_ratio`, each group's cases divided by ``design_effect``), or, given
    ``df``, by the test between centres (:func:`power_between_centres`)."""

    def f(r: float) -> float:
        if df is None:
            achieved = power_for_ratio(
                r, mean_without, n_with / design_effect, n_without / design_effect, dispersion, alpha
            )
        else:
            achieved = power_between_centres(r, mean_without, n_with, n_without, dispersion, alpha, design_effect, df)
        return achieved - power

    high = 2.0
    while f(high) < 0:
        high *= 2
        if high > 1e6:
            raise ValueError("no detectable rate ratio below 1e6")
    return float(optimize.brentq(f, 1 + 1e-9, high, xtol=1e-10))


def cases_needed(
    rate_ratio: float, mean_without: float, share_with: float, dispersion: float, alpha: float, power: float
) -> int | None:
    """The smallest total number of cases, split as ``share_with`` : ``1 − share_with``, at which the test
    detects ``rate_ratio`` with the given power (``None`` for a ratio of 1, which no study detects)."""
    if rate_ratio == 1:
        return None

    def f(n: float) -> float:
        return (
            power_for_ratio(rate_ratio, mean_without, n * share_with, n * (1 - share_with), dispersion, alpha) - power
        )

    low, high = 2.0, 4.0
    while f(high) < 0:
        low, high = high, high * 2
        if high > 1e9:
            return None
    if f(low) >= 0:
        n = low
    else:
        n = optimize.brentq(f, low, high, xtol=1e-6)
    total = int(np.ceil(n - 1e-9))
    return max(total, 2)


# ---------------------------------------------------------------- what the detectable ratio depends on
#: The plausible range over which the detectable ratio's most influential assumption is varied.
PLAUSIBLE_RANGE: dict[str, tuple[float, float]] = {
    "mean_without": (0.5, 4.0),
    "dispersion": (0.0, 1.5),
    "share_link": (0.2, 0.8),
}
DEPENDENCE_LABELS = {
    "mean_without": "mean number of professionals per case without the link worker",
    "dispersion": "dispersion of the counts between families",
    "share_link": "share of cases in the link worker's centres",
}
AXIS_LABELS = {
    "mean_without": "Mean professionals per case without\nthe link worker (assumed)",
    "dispersion": "Dispersion of the counts (assumed)",
    "share_link": "Share of cases with the link worker (assumed)",
}


def mdrr_inputs(mean_without: float, dispersion: float, share_link: float) -> list[Uncertain]:
    """The detectable ratio's assumptions as uncertain inputs (bases: the planning values; spreads, as
    coefficients of variation: mean 0.3, dispersion 0.5, split 0.2; none of them was published)."""
    return [
        Uncertain("mean_without", mean_without, 0.3, "positive", DEPENDENCE_LABELS["mean_without"]),
        Uncertain("dispersion", dispersion, 0.5, "positive", DEPENDENCE_LABELS["dispersion"]),
        Uncertain("share_link", share_link, 0.2, "share", DEPENDENCE_LABELS["share_link"]),
    ]


def mdrr_model(p: Parameters, n_cases: int) -> Callable[[Mapping[str, np.ndarray]], np.ndarray]:
    """The detectable rate ratio as a vectorised function of the inputs of :func:`mdrr_inputs`."""

    def one(mean: float, dispersion: float, share: float) -> float:
        n_with = n_cases * share
        if mean <= 0 or n_with <= 0 or n_with >= n_cases:
            return float("nan")
        return detectable_ratio(mean, n_with, n_cases - n_with, max(dispersion, 0.0), p.alpha, p.power)

    def model(d: Mapping[str, np.ndarray]) -> np.ndarray:
        return np.vectorize(one, otypes=[float])(d["mean_without"], d["dispersion"], d["share_link"])

    return model


def mdrr_dependence(
    p: Parameters, n_cases: int, mean_without: float, dispersion: float, share_link: float
) -> dict[str, Any]:
    """Which assumption the detectable ratio depends on most (:func:`sensitivity.tornado`), the ratio as it
    moves over its plausible range (:func:`sensitivity.vary`) and where the ratio crosses the assumed
    ratio, the point at which a study this size starts or stops detecting it (:func:`sensitivity.crossings`)."""
    return most_influential(
        mdrr_model(p, n_cases), mdrr_inputs(mean_without, dispersion, share_link), PLAUSIBLE_RANGE, p.rate_ratio
    )


def dependence_text(dep: Mapping[str, Any], assumed: float, power: float) -> tuple[str, str]:
    """What the detectable ratio depends on most, and whether the conclusion changes over its range (a
    sentence with numbers for the body, one without for the summary)."""
    t = dep["table"]
    at_lo, at_hi = float(t["outcome"].iloc[0]), float(t["outcome"].iloc[-1])
    body = (
        f"Of the assumptions behind it, the detectable ratio depends most on the {dep['label']}: from "
        f"{dep['low']:g} to {dep['high']:g}, it runs from {at_lo:.2f} to {at_hi:.2f}."
    )
    if dep["flips"]:
        body += (
            f" At {dep['flips'][0]:.2f} it equals the assumed ratio of {assumed:.2f}: on one side of that point a "
            f"study this size would detect the assumed difference with {power:.0%} power, on the other it would not."
        )
        rising = float(t["outcome"].iloc[-1]) > float(t["outcome"].iloc[0])
        summary = (
            f"{'below' if rising else 'above'} the value in brackets the assumed difference would be detected "
            "reliably, and beyond it not"
        )
    elif np.nanmin(t["outcome"]) > assumed:
        body += (
            f" Over the whole range it stays above the assumed ratio of {assumed:.2f}: a study this size would not "
            "reliably detect it."
        )
        summary = "over the whole range a study this size would not reliably detect the assumed difference"
    else:
        body += (
            f" Over the whole range it stays below the assumed ratio of {assumed:.2f}: the assumed difference would "
            "be detected reliably."
        )
        summary = "over the whole range the assumed difference would be detected reliably"
    return body, summary
