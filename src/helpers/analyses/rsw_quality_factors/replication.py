"""Across many synthetic reconstructions: each a new draw of the records from the same assumptions,
analysed cheaply (:func:`analyse`); their summary against the generator's values, and how often a study
like it would find each factor, tested in each of the ways the report's words allow (:func:`factor_power`)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy import stats as sps

from helpers.stats import replicates
from helpers.stats.clustered import cluster_fit
from helpers.stats.mediation import product_intervals
from helpers.stats.montecarlo import mcse_of_share

from .framework import FACTOR_KEYS, FACTOR_LABELS, FACTORS
from .parameters import Parameters
from .synthetic import generator_truth, simulate_arrays

#: The estimates each synthetic reconstruction reports (names as in ``generator_truth``): the four
#: factors' coefficients, the clinician's indirect effect through the discussion, and the clinician's
#: total association with practice (direct plus indirect).
REPLICATE_ESTIMATES: tuple[str, ...] = ("training", "csw", "discussion", "clinician", "indirect", "total")
REPLICATE_LABELS: dict[str, str] = {
    "training": FACTOR_LABELS["systemic_training"],
    "csw": FACTOR_LABELS["csw_programme"],
    "discussion": FACTOR_LABELS["discussion_quality"],
    "clinician": "Clinician, other than through the discussion (direct)",
    "indirect": "Clinician, through a better discussion (indirect)",
    "total": "Clinician, in all (total association)",
}
#: The ways of testing "the four factors" (each a set of tests that must all be significant), and their
#: names on the page. ``together``: one model of the four, the clinician over and above the discussion;
#: ``total``: the clinician's total association with practice (a model without the discussion) and with
#: the discussion, as the report's words ("predicted both") read; ``alone``: each factor in a model of
#: its own.
ESTIMANDS: dict[str, tuple[str, ...]] = {
    "together": ("training", "csw", "discussion", "clinician"),
    "total": ("training", "csw", "discussion", "clinician_total", "clinician_on_discussion"),
    "alone": ("training_alone", "csw_alone", "discussion_alone", "clinician_alone"),
}
ESTIMAND_LABELS: dict[str, str] = {
    "together": "together, the clinician over and above the discussion",
    "total": "the clinician's total association (and with the discussion)",
    "alone": "each factor on its own",
}
#: Every test each reconstruction makes (a two-sided *t* test on Bell–McCaffrey degrees of freedom).
TESTS: tuple[str, ...] = tuple(dict.fromkeys(t for tests in ESTIMANDS.values() for t in tests))
#: Monte Carlo draws of the indirect effect's interval in each reconstruction.
PRODUCT_DRAWS = 4000
#: Reconstructions drawn and analysed together, each block from its own random-number stream spawned from
#: the seed (so a block's reconstructions do not depend on how many blocks there are).
BLOCK = 250

Arrays = dict[str, np.ndarray]


def _designs(a: Mapping[str, np.ndarray]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The models each reconstruction fits, in order: practice on the four factors; discussion on a clinician,
    training and the CSW programme; practice on those three (the clinician's total association); and
    practice on each factor alone. Arrays: reconstructions × observations (× columns)."""
    quality = a["skills"].mean(axis=-1)
    const = np.ones(quality.shape)
    x_out = np.stack([const, *(a[f] for f in FACTORS)], axis=-1).astype(float)
    x_med = np.stack([const, a["clinician_present"], a["systemic_training"], a["csw_programme"]], axis=-1)
    alone = [np.stack([const, a[f]], axis=-1).astype(float) for f in FACTORS]
    designs = [x_out, x_med.astype(float), x_med.astype(float), *alone]
    return designs, [quality, a["discussion_quality"], quality, *[quality] * len(FACTORS)]


def analyse(p: Parameters, rng: np.random.Generator, size: int) -> tuple[dict[str, tuple[np.ndarray, ...]], Arrays]:
    """``size`` synthetic studies of the parameters' design (bounded scores, as in the body), drawn together
    from ``rng`` and analysed together: each estimate's values and interval limits, and the p-value of every
    test in :data:`TESTS` (arrays over the reconstructions).

    Each reconstruction is drawn by :func:`simulate_arrays` and fitted, in numpy, with the models of
    :func:`_designs` and one joint unit-clustered covariance (:func:`helpers.stats.clustered.cluster_fit`,
    CR2 with Bell–McCaffrey degrees of freedom, as the body's :func:`clustered_ols`). The coefficients get
    *t* intervals; the indirect effect (clinician on discussion × discussion on practice) gets a Monte Carlo
    interval from the joint covariance (:func:`helpers.stats.mediation.product_intervals`) instead of the
    body's cluster bootstrap, which would be too slow to repeat. A reconstruction in which a factor does not
    vary cannot be analysed: its estimates and p-values are NaN (counted as not estimable).
    """
    a = simulate_arrays(p, rng, size=size)
    designs, outcomes = _designs(a)
    fit = cluster_fit(designs, outcomes, a["unit"])
    assert fit is not None  # a batch marks what it cannot estimate as NaN
    beta, se, df = np.concatenate(fit.betas, axis=-1), fit.se, fit.df
    starts = np.cumsum([0, *(b.shape[-1] for b in fit.betas)])
    at = {  # position of each tested coefficient in the stacked fit
        **{FACTOR_KEYS[f]: starts[0] + j for j, f in enumerate(FACTORS, start=1)},
        "clinician_on_discussion": starts[1] + 1,
        "clinician_total": starts[2] + 1,
        **{f"{FACTOR_KEYS[f]}_alone": starts[3 + j] + 1 for j, f in enumerate(FACTORS)},
    }
    with np.errstate(invalid="ignore"):
        pvalues = {t: 2 * sps.t.sf(np.abs(beta[:, i] / se[:, i]), df[:, i]) for t, i in at.items()}
        half = sps.t.ppf(0.5 + p.ci_level / 2, df) * se

    def interval(i: int) -> tuple[np.ndarray, ...]:
        return beta[:, i], beta[:, i] - half[:, i], beta[:, i] + half[:, i]

    out = {FACTOR_KEYS[f]: interval(at[FACTOR_KEYS[f]]) for f in FACTORS}
    pair = [at["clinician_on_discussion"], at["discussion"]]
    ab = beta[:, pair[0]] * beta[:, pair[1]]
    lo, hi = product_intervals(
        beta[:, pair[0]], beta[:, pair[1]], fit.cov[:, pair][:, :, pair], p.ci_level, rng, PRODUCT_DRAWS
    )
    out["indirect"] = (ab, lo, hi)
    out["total"] = interval(at["clinician_total"])
    return out, pvalues


def one_reconstruction(p: Parameters) -> replicates.OneReconstruction:
    """One reconstruction drawn from a generator and analysed by :func:`analyse` (its estimates alone), as
    :data:`helpers.stats.replicates.OneReconstruction`."""

    def one(rng: np.random.Generator) -> dict[str, replicates.Estimate]:
        estimates, _ = analyse(p, rng, 1)
        return {k: replicates.Estimate(*(float(x[0]) for x in v)) for k, v in estimates.items()}

    return one


def reconstructions(p: Parameters) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``n_replicates`` synthetic reconstructions (:func:`analyse`), in blocks of :data:`BLOCK` drawn from
    generators spawned from ``seed``: the draws (one row per reconstruction and estimate), their summary
    against the generator's values (:func:`generator_truth`; coverage) and no effect (0; detection), and the
    p-values of every test (one row per reconstruction)."""
    truth = generator_truth(p)
    n_blocks = -(-p.n_replicates // BLOCK)
    sizes = [min(BLOCK, p.n_replicates - i * BLOCK) for i in range(n_blocks)]
    blocks = [
        analyse(p, rng, size)
        for rng, size in zip(replicates.replicate_generators(p.seed, n_blocks), sizes, strict=True)
    ]

    def joined(name: str, part: int) -> np.ndarray:
        return np.concatenate([b[0][name][part] for b in blocks])

    draws = replicates.draws_from_arrays(
        {name: (joined(name, 0), joined(name, 1), joined(name, 2)) for name in REPLICATE_ESTIMATES}
    )
    summary = replicates.summarise(
        draws,
        truth={k: truth[k if k != "total" else "total_clinician"] for k in REPLICATE_ESTIMATES},
        null=dict.fromkeys(REPLICATE_ESTIMATES, 0.0),
        level=p.ci_level,
    )
    summary.insert(1, "label", summary["estimate"].map(REPLICATE_LABELS))
    tests = pd.DataFrame({t: np.concatenate([b[1][t] for b in blocks]) for t in TESTS})
    return draws, summary, tests


def factor_power(tests: pd.DataFrame, p: Parameters) -> dict[str, float]:
    """How often each test of :func:`reconstructions` is significant at ``alpha`` (two-sided), and how often
    all four factors are, in each way of testing them (:data:`ESTIMANDS`), each share with its Monte Carlo
    standard error (``_mcse``). Reconstructions in which a factor does not vary are left out (counted); if
    none can be analysed, a :class:`ValueError` names ``n_replicates``."""
    ok = tests.notna().all(axis=1)
    if not ok.any():
        raise ValueError(
            f"none of the n_replicates = {p.n_replicates} reconstructions could be analysed: in each, a factor "
            "did not vary; raise n_replicates or make the factors vary more (p_training_*, p_csw_*, p_clinician_* "
            "for RSW and service as usual)"
        )
    hits = tests[ok] < p.alpha
    m = int(ok.sum())
    shares = {f"power_{t}": float(hits[t].mean()) for t in TESTS}
    shares |= {
        "power_all_four" + ("" if name == "together" else f"_{name}"): float(hits[list(names)].all(axis=1).mean())
        for name, names in ESTIMANDS.items()
    }
    # the clinician's part of the report's reading: its total association and its association with the discussion
    shares["power_clinician_both"] = float(hits[["clinician_total", "clinician_on_discussion"]].all(axis=1).mean())
    out: dict[str, float] = {}
    for name, share in shares.items():
        out |= {name: share, f"{name}_mcse": mcse_of_share(share, m)}
    out["n_replicates_estimable"] = m
    return out
