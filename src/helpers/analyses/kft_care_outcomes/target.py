"""Sections 1 to 3 of the KFT page: the published shares reproduced from the published counts, an interval
for the share at home, and the one-sided exact test against the units' target."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from helpers.analyses.kft_care_outcomes.parameters import Parameters
from helpers.page import reproduce
from helpers.page.registry import published
from helpers.page.reproduce import ReproductionCheck
from helpers.stats.proportions import (
    CI_METHODS,
    binomial_test_greater,
    format_p,
    min_successes_significant,
    proportion_ci,
)


def reproduce_shares(p: Parameters) -> tuple[dict[str, Any], list[ReproductionCheck]]:
    """The shares at home and in care, checked against the published percentages when the counts are
    the published ones: ``(scalars, checks)``."""
    n, care = p.n_referred, p.n_entered_care
    home = n - care
    home_rate, care_rate = home / n, care / n
    published_inputs = n == published("kft_n_referred") and care == published("kft_n_entered_care")
    why = "" if published_inputs else "the counts differ from the published 119 and 25"
    checks = [
        reproduce.check("kft_home_pct", 100 * home_rate, applicable=published_inputs, reason=why),
        reproduce.check("kft_care_pct", 100 * care_rate, applicable=published_inputs, reason=why),
    ]
    reproduce.require(checks)
    scalars = {
        "n_referred": n,
        "n_entered_care": care,
        "n_at_home": home,
        "home_rate": home_rate,
        "care_rate": care_rate,
        "home_pct_published": published("kft_home_pct"),
        "care_pct_published": published("kft_care_pct"),
        "home_rate_reproduction": checks[0].status,
        "care_rate_reproduction": checks[1].status,
    }
    return scalars, checks


def share_interval(p: Parameters) -> tuple[dict[str, Any], pd.DataFrame]:
    """The interval for the share at home by every method (for the figure) and the chosen one (for the
    prose): ``(scalars, table of intervals)``."""
    home, n = p.n_referred - p.n_entered_care, p.n_referred
    intervals = {m: proportion_ci(home, n, p.ci_level, m) for m in CI_METHODS}
    ci = intervals[p.ci_method]
    table = pd.DataFrame(
        [{"method": m, "label": iv.label, "low": iv.low, "high": iv.high} for m, iv in intervals.items()]
    )
    scalars = {
        "ci_level": p.ci_level,
        "ci_method_label": ci.label,
        "home_rate_ci_low": ci.low,
        "home_rate_ci_high": ci.high,
    }
    return scalars, table


def _target_verdict(home_rate: float, target: float, p_value: float, alpha: float) -> str:
    p_text = format_p(p_value)
    if home_rate <= target:
        return f"does not exceed the target ({p_text} in a one-sided exact binomial test)"
    if p_value <= alpha:
        return (
            f"exceeds the target, and a one-sided exact binomial test rejects a true rate at or below "
            f"the target ({p_text})"
        )
    return (
        f"exceeds the target, but a one-sided exact binomial test cannot rule out a true rate at or "
        f"below the target ({p_text})"
    )


def compare_with_target(p: Parameters) -> tuple[dict[str, Any], pd.DataFrame]:
    """The one-sided exact binomial test of the share at home against the target:
    ``(scalars, the distribution of the number at home if the true rate were the target)``."""
    n, target, alpha = p.n_referred, p.target_home_rate, p.alpha
    home = n - p.n_entered_care
    p_value = binomial_test_greater(home, n, target)
    ks = np.arange(n + 1)
    null = pd.DataFrame({"k": ks, "pmf": sps.binom.pmf(ks, n, target)})
    scalars = {
        "target_home_rate": target,
        "alpha": alpha,
        "p_value_vs_target": p_value,
        "p_value_text": format_p(p_value),
        "target_verdict": _target_verdict(home / n, target, p_value, alpha),
    }
    return scalars, null


def smallest_meeting_target(p: Parameters) -> tuple[dict[str, Any], int | None]:
    """The smallest number at home that would have met the target with significance, and its share (no
    scalars, and None, if not even all of them would): ``(scalars, that number)``."""
    k_min = min_successes_significant(p.n_referred, p.target_home_rate, p.alpha)
    if k_min is None:
        return {}, None
    return {"min_home_for_target": k_min, "min_home_rate_for_target": k_min / p.n_referred}, k_min
