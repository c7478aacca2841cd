"""What a study of this size could detect: the minimum detectable difference's assumptions, the
one it depends on most and where its conclusion changes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from helpers.page.registry import published
from helpers.stats.clustered import design_effect, min_detectable_effect
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


#: The intraclass correlations the detectable difference is shown at: the plausible range (:data:`PLAUSIBLE_RANGE`).
ICC_GRID = (0.0, 0.05, 0.1, 0.2, 0.3)
#: Within this many standard deviations of :data:`LARGE_DIFFERENCE`, the detectable difference is "about" a large
#: difference: closer than rounding and the assumptions allow a conclusion either way.
NEAR = 0.05


def units_range(n_units: int, n_observations: int) -> tuple[int, int]:
    """The numbers of units a study of the report's size may have compared (the report does not say): from one RSW
    unit and one service-as-usual team in each local authority (twice ``rsw_local_authorities``) to one unit for
    each consultant social worker the project recruited, each leading an RSW unit
    (``rsw_consultant_social_workers``), always including the run's ``n_units`` and never more units than
    observations."""
    low = min(2 * int(published("rsw_local_authorities")), n_units)
    high = min(max(int(published("rsw_consultant_social_workers")), n_units), n_observations)
    return low, max(high, low)


def even_sizes(n_observations: int, n_units: int) -> np.ndarray:
    """The units' sizes when ``n_observations`` are spread over ``n_units`` as evenly as possible (as the
    generator spreads them)."""
    return np.bincount(np.arange(n_observations) % n_units, minlength=n_units)


def mde_grid(
    p: Parameters, n_observations: int, designs: Mapping[int, tuple[np.ndarray, float]], iccs: tuple[float, ...]
) -> pd.DataFrame:
    """The minimum detectable effect (standard deviations) for each design (number of units: the units' sizes
    and the share of observations in RSW units) and intraclass correlation, tested on the units' degrees of
    freedom (:func:`unit_df`). Columns ``units``, ``icc``, ``mde``; NaN where an arm is too small to test."""
    rows = []
    for units, (sizes, share) in sorted(designs.items()):
        for icc in iccs:
            try:
                mde = min_detectable_effect(
                    n_observations * share,
                    n_observations * (1 - share),
                    p.alpha,
                    p.power,
                    design_effect(sizes, icc),
                    unit_df(units),
                )
            except ValueError:  # an arm too small to test at all
                mde = float("nan")
            rows.append({"units": units, "icc": icc, "mde": mde})
    return pd.DataFrame(rows)


def synthetic_designs(p: Parameters, n_observations: int) -> dict[int, tuple[np.ndarray, float]]:
    """The designs the detectable difference is shown for on a reconstruction: from the low to the high end of
    :func:`units_range` in five even steps and the run's own ``n_units``, each with the observations spread
    evenly and ``share_rsw_units`` of the units (rounded) in RSW units; designs with fewer than two units in an
    arm are left out."""
    low, high = units_range(p.n_units, n_observations)
    counts = {round(float(u)) for u in np.linspace(low, high, 5)} | {p.n_units}
    designs: dict[int, tuple[np.ndarray, float]] = {}
    for u in sorted(counts):
        k = round(p.share_rsw_units * u)
        if 2 <= k <= u - 2:
            designs[u] = (even_sizes(n_observations, u), k / u)
    return designs


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
        if abs(float(dep["tornado"].attrs["base_outcome"]) - LARGE_DIFFERENCE) < NEAR:
            # the page's value sits at the crossing: within rounding, so no conclusion either way
            body += (
                f" At the page's assumed {dep['base']:.3g} the detectable difference is about a large difference "
                f"({LARGE_DIFFERENCE:g} standard deviations), so whether a study like this could reliably detect "
                "a large difference turns on this assumption, which the report does not give."
            )
        else:
            body += (
                f" {'Above' if rising else 'Below'} about {where:.1f} it would no longer reliably detect a large "
                f"difference ({LARGE_DIFFERENCE:g} standard deviations); the page assumes {dep['base']:.3g}."
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
