"""Benchmark: the vectorised Monte Carlo power check against a naive loop that refits a model per trial.

    .venv/bin/python benchmarks/power_simulation.py [--naive-trials 400] [--fast-trials 20000]
                                                    [--model gee|mixedlm] [--attrition 0] [--seed 1]
                                                    [--analysis families|worker_means]

Both simulate the study_design_power notebook's planned design (default parameters:
workers per arm and families per worker from the analytic sample size) from the same
data-generating process: a worker effect with variance ICC, family residuals with
variance 1 - ICC, the effect size between arms, and optionally families lost at random.

* fast: :func:`helpers.stats.cluster_power.simulate_power`, every trial simulated in numpy arrays
  and analysed in closed form, by the page's planned family-level analysis with worker-clustered
  (CR2) standard errors (``--analysis families``, the default) or by the t-test on worker means;
* naive: one trial at a time, a data frame of families, and a model refitted per trial
  (statsmodels GEE with an exchangeable working correlation and robust standard errors,
  or a linear mixed model fitted by REML), its Wald test of the arm coefficient.

With equal numbers of families per worker (no attrition) the GEE/mixed-model estimate of
the arm difference is the difference of the worker means, and its Wald test is the large-
sample version of the cluster-level t-test (which the family-level analysis then equals), so
the two should give the same power within Monte Carlo error. With families lost at random
(``--attrition 0.2``) the GEE and mixed model weight workers by the families they kept, as the
family-level analysis does, and the unweighted worker means fall behind. The script reports
the time per trial of each, the speed-up (target: at least 20x) and the two powers with the
z-score of their difference (target: |z| < 3).
It exits with status 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
import warnings

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from statsmodels.genmod.cov_struct import Exchangeable
from statsmodels.genmod.families import Gaussian

from helpers.analyses import study_design_power as design
from helpers.stats.cluster_power import families_per_worker_split, power_cluster_t, sample_size, simulate_power


def naive_power(
    effect_size: float,
    icc: float,
    recruited: np.ndarray,
    attrition: float,
    alpha: float,
    n_trials: int,
    rng: np.random.Generator,
    model: str,
) -> tuple[float, int]:
    """One trial at a time: simulate families, refit the model, test the arm coefficient."""
    k = recruited.size
    arm = np.repeat([0, 1], recruited.sum())
    worker = np.concatenate([np.repeat(np.arange(k), recruited), k + np.repeat(np.arange(k), recruited)])
    rejections, failed = 0, 0
    for _ in range(n_trials):
        u = rng.normal(0, math.sqrt(icc), 2 * k)
        y = effect_size * arm + u[worker] + rng.normal(0, math.sqrt(1 - icc), arm.size)
        kept = rng.random(arm.size) >= attrition
        df = pd.DataFrame({"y": y, "arm": arm, "worker": worker})[kept]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                if model == "gee":
                    fit = smf.gee(
                        "y ~ arm", groups="worker", data=df, cov_struct=Exchangeable(), family=Gaussian()
                    ).fit()
                else:
                    fit = smf.mixedlm("y ~ arm", df, groups=df["worker"]).fit(reml=True)
                p = float(fit.pvalues["arm"])
            except Exception:  # a fit that fails counts as not rejecting, and is reported
                failed += 1
                continue
        rejections += p <= alpha
    return rejections / n_trials, failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--naive-trials", type=int, default=400)
    parser.add_argument("--fast-trials", type=int, default=20_000)
    parser.add_argument("--model", choices=("gee", "mixedlm"), default="gee")
    parser.add_argument(
        "--attrition",
        type=float,
        default=0.0,
        help="share of families lost at random (default 0: equal families per worker)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--analysis", choices=("families", "worker_means"), default="families")
    args = parser.parse_args(argv)

    p = design.PARAMETERS.defaults()
    d, icc, m, alpha = p["effect_size"], p["icc"], p["families_per_worker"], p["alpha"]
    ss = sample_size(d, icc, m, alpha, p["power"], args.attrition, p["eligibility_rate"])
    k = ss.workers_per_arm
    recruited = families_per_worker_split(ss.families_recruited_per_arm, k)
    print(
        f"design: effect size {d}, ICC {icc}, {k} workers per arm, recruited families per worker "
        f"{sorted(set(recruited.tolist()))}, attrition {args.attrition}, alpha {alpha}"
    )
    if args.attrition == 0:
        print(f"exact power of the cluster-level t-test (noncentral t): {power_cluster_t(d, icc, m, k, alpha):.4f}")

    rng = np.random.default_rng(args.seed)
    kwargs = {"alpha": alpha, "attrition": args.attrition, "analysis": args.analysis}
    simulate_power(d, icc, recruited, n_sims=200, seed=rng, **kwargs)  # warm-up
    t0 = time.perf_counter()
    fast = simulate_power(d, icc, recruited, n_sims=args.fast_trials, seed=rng, **kwargs)
    t_fast = time.perf_counter() - t0

    t0 = time.perf_counter()
    naive, failed = naive_power(d, icc, recruited, args.attrition, alpha, args.naive_trials, rng, args.model)
    t_naive = time.perf_counter() - t0

    per_fast, per_naive = t_fast / args.fast_trials, t_naive / args.naive_trials
    speedup = per_naive / per_fast
    se_fast = math.sqrt(fast.power * (1 - fast.power) / args.fast_trials)
    se_naive = math.sqrt(naive * (1 - naive) / args.naive_trials)
    z = (fast.power - naive) / math.sqrt(se_fast**2 + se_naive**2)
    print(f"{'method':<44}{'trials':>8}{'seconds':>10}{'ms/trial':>11}{'power':>8}{'MC SE':>8}")
    print(
        f"{'vectorised, ' + args.analysis.replace('_', ' '):<44}{args.fast_trials:>8}{t_fast:>10.2f}"
        f"{1000 * per_fast:>11.4f}"
        f"{fast.power:>8.3f}{se_fast:>8.3f}"
    )
    label = "naive loop, GEE exchangeable refit" if args.model == "gee" else "naive loop, mixed model (REML) refit"
    print(f"{label:<44}{args.naive_trials:>8}{t_naive:>10.2f}{1000 * per_naive:>11.4f}{naive:>8.3f}{se_naive:>8.3f}")
    if failed:
        print(f"naive fits that failed (counted as not rejecting): {failed}")
    print(f"speed-up per trial: {speedup:.0f}x (target >= 20x)")
    print(f"power difference: {fast.power - naive:+.3f}, z = {z:+.2f} (target |z| < 3)")
    ok = speedup >= 20 and abs(z) < 3
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
