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


def comparison_verdict(difference: float, low: float, high: float, own: bool) -> str:
    """How practice compared between RSW units and service as usual in these records, and whether the interval
    (``low`` to ``high``) includes zero, in a plain sentence that says whose records they are (one synthetic draw,
    or the user's)."""
    return (
        ("So in your records" if own else "So in this one synthetic draw")
        + f", practice was {'higher' if difference > 0 else 'lower'} in RSW units than in service as usual"
        + (
            ", and the interval does not include zero: the comparison found a difference"
            if excludes_zero(low, high)
            else ", but the interval includes zero: the comparison cannot tell the difference from none"
        )
    )


def estimated_pathway(
    indirect: tuple[float, float, float], direct: tuple[float, float, float], sample: str = "this sample"
) -> str:
    """How an estimated clinician association with practice quality splits, in words that claim no more than
    the intervals (each of ``indirect`` and ``direct`` is estimate, low, high): a route is named when its
    interval does not include zero; a route whose interval includes zero is left open (``sample`` cannot
    tell), never ruled out, so the words never say "only through" on an interval that includes other values.
    A sentence that names whose records it is about ("So, in this draw, a clinician goes with ...")."""
    ind, dirc = excludes_zero(*indirect[1:]), excludes_zero(*direct[1:])
    return f"So, in {sample}, a clinician goes with {_routes(indirect, direct, ind, dirc, sample)}."


def _routes(
    indirect: tuple[float, float, float], direct: tuple[float, float, float], ind: bool, dirc: bool, sample: str
) -> str:
    """The routes of :func:`estimated_pathway`, after "a clinician goes with"."""

    def way(estimate: float) -> str:
        return "higher" if estimate > 0 else "lower"

    if ind and dirc:
        return (
            f"practice quality {way(indirect[0])} through the discussion and {way(direct[0])} by other routes "
            "(neither interval includes zero)"
        )
    if ind:
        return (
            f"practice quality {way(indirect[0])} through the discussion (its interval does not include zero); "
            f"whether also by other routes, {sample} cannot tell (the direct effect's interval includes zero)"
        )
    if dirc:
        return (
            f"practice quality {way(direct[0])} by routes other than the discussion (the direct effect's interval "
            f"does not include zero); whether through the discussion too, {sample} cannot tell"
        )
    return f"practice quality by neither route in a way {sample} can tell from none (both intervals include zero)"


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
