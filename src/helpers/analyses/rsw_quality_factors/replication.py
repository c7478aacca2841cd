"""Across many synthetic reconstructions: each a new draw of the records from the same assumptions,
analysed cheaply (:func:`one_reconstruction`); their summary against the generator's values, and how
often a study like it would find each factor (:func:`factor_power`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as sps

from helpers.stats import replicates
from helpers.stats.clustered import product_interval, stacked_cr1

from .framework import FACTOR_KEYS, FACTOR_LABELS, FACTORS
from .parameters import Parameters
from .synthetic import generator_truth, simulate_arrays

#: The estimates each synthetic reconstruction reports (names as in ``generator_truth``): the four
#: factors' coefficients and the clinician's indirect effect through the discussion.
REPLICATE_ESTIMATES: tuple[str, ...] = ("training", "csw", "discussion", "clinician", "indirect")
REPLICATE_LABELS: dict[str, str] = {
    "training": FACTOR_LABELS["systemic_training"],
    "csw": FACTOR_LABELS["csw_programme"],
    "discussion": FACTOR_LABELS["discussion_quality"],
    "clinician": "Clinician, other than through the discussion",
    "indirect": "Clinician, through a better discussion (indirect)",
}
#: Monte Carlo draws of the indirect effect's interval in each reconstruction.
PRODUCT_DRAWS = 4000


def one_reconstruction(p: Parameters) -> replicates.OneReconstruction:
    """One synthetic study of the parameters' design (bounded scores, as in the body), analysed cheaply.

    From one generator it draws a reconstruction (:func:`simulate_arrays`) and fits, in numpy
    (:func:`helpers.stats.clustered.stacked_cr1`), the same two models as the body: practice quality on
    the four factors (the outcome model) and discussion quality on a clinician, training and the
    CSW programme (the mediator model), with one joint unit-clustered (CR1) covariance. The four
    coefficients get *t* intervals on ``G − 1`` degrees of freedom, as :func:`clustered_ols` gives;
    the indirect effect (clinician on discussion × discussion on practice) gets a Monte Carlo
    interval from the joint covariance (:func:`helpers.stats.clustered.product_interval`) instead of the
    body's cluster bootstrap, which would be too slow to repeat. A reconstruction in which a factor
    does not vary cannot be analysed: its estimates are NaN (counted as not estimable).
    """
    level = p.ci_level
    crit = float(sps.t.ppf(0.5 + level / 2, p.n_units - 1))
    nan = {name: replicates.Estimate(np.nan, np.nan, np.nan) for name in REPLICATE_ESTIMATES}

    def one(rng: np.random.Generator) -> dict[str, replicates.Estimate]:
        a = simulate_arrays(p, rng)
        n = p.n_observations
        quality = a["skills"].mean(axis=1)
        const = np.ones(n)
        x_out = np.column_stack([const, *(a[f] for f in FACTORS)]).astype(float)
        x_med = np.column_stack([const, a["clinician_present"], a["systemic_training"], a["csw_programme"]]).astype(
            float
        )
        if any(np.ptp(x_out[:, j]) == 0 for j in range(1, x_out.shape[1])):
            return nan
        fit = stacked_cr1([x_out, x_med], [quality, a["discussion_quality"]], a["unit"])
        if fit is None:
            return nan
        (b_out, b_med), cov = fit
        out: dict[str, replicates.Estimate] = {}
        for j, f in enumerate(FACTORS, start=1):
            se = float(np.sqrt(cov[j, j]))
            out[FACTOR_KEYS[f]] = replicates.Estimate(float(b_out[j]), b_out[j] - crit * se, b_out[j] + crit * se)
        i_b = 1 + FACTORS.index("discussion_quality")  # discussion on practice, outcome model
        i_a = len(b_out) + 1  # clinician on discussion, mediator model
        pair = cov[np.ix_([i_a, i_b], [i_a, i_b])]
        a_hat, b_hat = float(b_med[1]), float(b_out[i_b])
        lo, hi = product_interval(a_hat, b_hat, pair, level, rng, PRODUCT_DRAWS)
        out["indirect"] = replicates.Estimate(a_hat * b_hat, lo, hi)
        return out

    return one


def reconstructions(p: Parameters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n_replicates`` synthetic reconstructions (:func:`one_reconstruction`), from generators spawned
    from ``seed``: the draws (one row per reconstruction and estimate) and their summary against the
    generator's values (:func:`generator_truth`; coverage) and no effect (0; detection)."""
    truth = generator_truth(p)
    draws = replicates.across(one_reconstruction(p), p.n_replicates, p.seed)
    summary = replicates.summarise(
        draws,
        truth={k: truth[k] for k in REPLICATE_ESTIMATES},
        null=dict.fromkeys(REPLICATE_ESTIMATES, 0.0),
        level=p.ci_level,
    )
    summary.insert(1, "label", summary["estimate"].map(REPLICATE_LABELS))
    return draws, summary


def factor_power(draws: pd.DataFrame, p: Parameters) -> dict[str, float]:
    """How often each factor's clustered-OLS coefficient is significant at ``alpha`` (two-sided *t*
    test on ``G − 1`` degrees of freedom), and all four at once, across the reconstructions of
    :func:`reconstructions` (the same loop, not a second simulation). Each reconstruction's interval
    is a symmetric *t* interval at ``ci_level``, so its standard error is recovered from its width.
    Reconstructions in which a factor does not vary are left out (counted); if none can be analysed,
    a :class:`ValueError` names ``n_replicates``."""
    keys = [FACTOR_KEYS[f] for f in FACTORS]
    wide = draws[draws["estimate"].isin(keys)].pivot(index="replicate", columns="estimate")
    ok = np.isfinite(wide["value"][keys]).all(axis=1)
    if not ok.any():
        raise ValueError(
            f"none of the n_replicates = {p.n_replicates} reconstructions could be analysed: in each, a factor "
            "did not vary; raise n_replicates or make the factors vary more (p_training_*, p_csw_*, p_clinician_* "
            "for RSW and service as usual)"
        )
    wide = wide[ok]
    df = p.n_units - 1
    se = (wide["high"][keys] - wide["low"][keys]) / (2 * sps.t.ppf(0.5 + p.ci_level / 2, df))
    hits = (wide["value"][keys].abs() > sps.t.ppf(1 - p.alpha / 2, df) * se).to_numpy()
    m = len(hits)
    out = {f"power_{k}": float(hits[:, j].mean()) for j, k in enumerate(keys)}
    out["power_all_four"] = float(hits.all(axis=1).mean())
    out["power_all_four_mcse"] = float(np.sqrt(out["power_all_four"] * (1 - out["power_all_four"]) / m))
    out["n_replicates_estimable"] = m
    return out
