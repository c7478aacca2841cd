"""The analysis's building blocks: practice quality, discussion bands, unit sizes, the skills'
grouping, the mixed-model check and the words for a clinician's pathway."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
from scipy.cluster import hierarchy
from scipy.spatial.distance import squareform

from .framework import BAND_EDGES, BANDS, FACTORS, SKILL_GROUPS, SKILL_LABELS, SKILLS


def add_practice_quality(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["practice_quality"] = out[list(SKILLS)].mean(axis=1)
    return out


def discussion_band(score: pd.Series) -> pd.Series:
    lo, hi = BAND_EDGES
    return pd.Series(np.where(score < lo, BANDS[0], np.where(score < hi, BANDS[1], BANDS[2])), index=score.index)


def interval_text(low: float, high: float, digits: int = 2) -> str:
    return f"{low:.{digits}f} to {high:.{digits}f}"


def pathway(indirect: float, direct: float) -> str:
    """How a clinician's association with practice quality splits, in words."""
    if indirect > 0 and direct <= 0:
        return "only through a better discussion"
    if indirect > 0 and indirect >= direct:
        return "mostly through a better discussion"
    if indirect > 0:
        return "partly through a better discussion and more by other routes"
    return "not through a better discussion"


def excludes_zero(low: float, high: float) -> bool:
    return low > 0 or high < 0


def skill_grouping(frame: pd.DataFrame) -> dict[str, Any]:
    """Spearman correlations of the seven skills; mean correlation within and between the framework's
    groups; and whether average-linkage clustering on 1 − correlation into three clusters finds the
    framework's groups."""
    corr = frame[list(SKILLS)].corr(method="spearman")
    group_of = {s: gname for gname, members in SKILL_GROUPS.items() for s in members}
    within: list[float] = []
    between: list[float] = []
    for i, a in enumerate(SKILLS):
        for b in SKILLS[i + 1 :]:
            (within if group_of[a] == group_of[b] else between).append(float(corr.loc[a, b]))
    distance = squareform(1 - corr.to_numpy(), checks=False)
    clusters = hierarchy.fcluster(
        hierarchy.linkage(distance, method="average"), t=len(SKILL_GROUPS), criterion="maxclust"
    )
    found = {frozenset(s for s, c in zip(SKILLS, clusters, strict=True) if c == k) for k in set(clusters)}
    framework = {frozenset(m) for m in SKILL_GROUPS.values()}
    found_groups = sorted(sorted(SKILLS.index(s) for s in grp) for grp in found)
    return {
        "correlations": corr,
        "within": float(np.mean(within)),
        "between": float(np.mean(between)),
        "min": float(min(within + between)),
        "max": float(max(within + between)),
        "recovers": found == framework,
        "found_text": "; ".join(", ".join(SKILL_LABELS[SKILLS[i]].lower() for i in grp) for grp in found_groups),
    }


def mixed_model_check(frame: pd.DataFrame, level: float) -> pd.DataFrame:
    """The four-factor regression as a random-intercept mixed model (REML), for comparison."""
    import statsmodels.formula.api as smf
    from statsmodels.tools.sm_exceptions import ConvergenceWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", UserWarning)
        fit = smf.mixedlm("practice_quality ~ " + " + ".join(FACTORS), frame, groups=frame["unit_id"]).fit(reml=True)
    ci = fit.conf_int(alpha=1 - level)
    return pd.DataFrame(
        {"estimate": fit.fe_params[list(FACTORS)], "low": ci.loc[list(FACTORS), 0], "high": ci.loc[list(FACTORS), 1]}
    ).assign(converged=bool(fit.converged))


def unit_sizes(frame: pd.DataFrame) -> pd.DataFrame:
    """Each unit's number of observations (``m``) and arm (``rsw``)."""
    return frame.groupby("unit_id").agg(m=("rsw", "size"), rsw=("rsw", "first"))
