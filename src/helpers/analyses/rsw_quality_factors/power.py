"""What a study of this size could detect: the minimum detectable difference's assumptions, the
one it depends on most and where its conclusion changes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from helpers.stats.clustered import min_detectable_effect
from helpers.stats.sensitivity import Uncertain, most_influential

from .parameters import Parameters

#: A "large" standardised difference by the usual convention (Cohen 1988): the benchmark at which the
#: conclusion "a study this size detects a large difference" changes.
LARGE_DIFFERENCE = 0.8
#: The plausible range over which the detectable difference's most influential assumption is varied.
PLAUSIBLE_RANGE: dict[str, tuple[float, float]] = {
    "icc": (0.0, 0.3),
    "cluster_size": (1.0, 10.0),
    "share_rsw": (0.2, 0.8),
}
_DEPENDENCE_LABELS = {
    "icc": "intraclass correlation within units",
    "cluster_size": "observations per unit (size-weighted average)",
    "share_rsw": "share of observations in RSW units",
}


def mde_inputs(p: Parameters, share_rsw: float, cluster_size: float) -> list[Uncertain]:
    """The minimum detectable effect's assumptions as uncertain inputs: the intraclass correlation
    (assumed, coefficient of variation 0.5), the size-weighted number of observations per unit (the
    number of units was not published; CV 0.3) and the share of observations in RSW units (the
    report's split was not published; CV 0.2). Bases: the page's values."""
    return [
        Uncertain("icc", p.mde_icc, 0.5, "share", _DEPENDENCE_LABELS["icc"]),
        Uncertain("cluster_size", cluster_size, 0.3, "positive", _DEPENDENCE_LABELS["cluster_size"]),
        Uncertain("share_rsw", share_rsw, 0.2, "share", _DEPENDENCE_LABELS["share_rsw"]),
    ]


def unit_df(n_units: float) -> float:
    """The degrees of freedom of a comparison of two arms of whole units: the units minus two (the *t* test
    of unit means), at least one."""
    return max(float(n_units) - 2, 1.0)


def mde_model(
    p: Parameters, n_observations: int, n_units: int, cluster_size: float
) -> Callable[[Mapping[str, np.ndarray]], np.ndarray]:
    """The minimum detectable effect (standard deviations) as a vectorised function of the inputs of
    :func:`mde_inputs` (design effect ``1 + (m̃ − 1) ρ``, cluster size at least 1), tested on the units'
    degrees of freedom (:func:`unit_df`): ``n_units`` at the page's ``cluster_size``, proportionally more
    units when they are smaller. NaN where an arm's effective size is too small for the test."""

    def one(icc: float, m: float, share: float) -> float:
        m = max(m, 1.0)
        deff = 1 + (m - 1) * icc
        df = unit_df(n_units * cluster_size / m)
        try:
            return min_detectable_effect(
                n_observations * share, n_observations * (1 - share), p.alpha, p.power, deff, df
            )
        except ValueError:  # an arm too small to test at all: no detectable difference
            return float("nan")

    def model(d: Mapping[str, np.ndarray]) -> np.ndarray:
        return np.vectorize(one, otypes=[float])(d["icc"], d["cluster_size"], d["share_rsw"])

    return model


def mde_dependence(
    p: Parameters, n_observations: int, n_units: int, share_rsw: float, cluster_size: float
) -> dict[str, Any]:
    """Which assumption the minimum detectable effect depends on most (:func:`sensitivity.tornado`),
    the effect as that assumption moves over its plausible range (:func:`sensitivity.vary`), and where
    it crosses :data:`LARGE_DIFFERENCE` (:func:`sensitivity.crossings`)."""
    return most_influential(
        mde_model(p, n_observations, n_units, cluster_size),
        mde_inputs(p, share_rsw, cluster_size),
        PLAUSIBLE_RANGE,
        LARGE_DIFFERENCE,
    )


def dependence_text(dep: Mapping[str, Any]) -> tuple[str, str]:
    """Two sentences: what the detectable difference depends on most and where its conclusion changes
    (the first with numbers, for the body; the second without, for the summary)."""
    t = dep["table"]
    at_lo, at_hi = float(t["outcome"].iloc[0]), float(t["outcome"].iloc[-1])
    body = (
        f"Of the assumptions behind it, the detectable difference depends most on the {dep['label']}: from "
        f"{dep['low']:g} to {dep['high']:g}, it runs from {at_lo:.2f} to {at_hi:.2f} standard deviations."
    )
    if dep["flips"]:
        where = dep["flips"][0]
        rising = at_hi > at_lo
        beyond = (dep["base"] > where) == rising  # the page's own value is already past the crossing
        body += (
            f" {'Above' if rising else 'Below'} {where:.2f} the study would no longer detect even a large "
            f"difference ({LARGE_DIFFERENCE:g} standard deviations) with the chosen power"
            + (
                f", and the page's assumed {dep['base']:.3g} is already {'above' if rising else 'below'} it."
                if beyond
                else "."
            )
        )
        summary = (
            f"{'above' if rising else 'below'} the value in brackets not even a large difference would be "
            "detected reliably"
        )
    elif max(at_lo, at_hi) <= LARGE_DIFFERENCE:
        body += " Over the whole range it would detect a large difference."
        summary = "over the whole range a large difference would still be detected"
    else:
        body += " Over the whole range it would not reliably detect even a large difference."
        summary = "over the whole range not even a large difference would be detected reliably"
    return body, summary
