"""What the study-design page's headline depends on most: the referrals (and the workers) the recommended
design needs, as each assumption about the world moves over a spread the page assumes around its value.

Nothing published gives these spreads: each is declared once, as a coefficient of variation in
:func:`headline_inputs`, and every range the page states (the sensitivity table, the text, the "In brief" and the
figure) is the same central :data:`RANGE_LEVEL` of it, the 10th to 90th percentiles that
:func:`helpers.stats.sensitivity.tornado` moves each assumption to."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from helpers.analyses.study_design_power.parameters import Parameters
from helpers.results import AnalysisResult
from helpers.stats import montecarlo
from helpers.stats.cluster_power import SampleSize, sample_size
from helpers.stats.sensitivity import Model, Uncertain, central_range, depends_most, tornado_table

#: The central share of each assumption's assumed spread that the page moves it over: the 10th to 90th
#: percentiles, as :func:`helpers.stats.sensitivity.tornado` does by default (one range for table and text).
RANGE_LEVEL = 0.8

#: How the page writes each assumption's values: shares as percentages, the intra-class correlation as a decimal
#: (to two significant figures), families per worker as whole families.
VALUE_FORMATS = {
    "icc": lambda v: f"{v:.2g}",
    "attrition": lambda v: f"{v:.0%}",
    "eligibility_rate": lambda v: f"{v:.0%}",
    "families_per_worker": lambda v: f"{v:.0f}",
}


def headline_inputs(p: Parameters) -> list[Uncertain]:
    """The planner's assumptions about the world, each with its base (the parameter) and a plausible spread:
    the intra-class correlation (coefficient of variation 0.6: values reported for family outcomes
    clustered in practitioners range over an order of magnitude), the share of families lost (0.4), the
    share of referred families eligible (0.4: nothing is published, only that two or three workers are
    typically involved in a case) and the families each worker brings (0.3). The effect size is not among
    them: it is the difference the study is asked to detect, a choice rather than a fact about the world."""
    return [
        Uncertain("icc", p.icc, 0.6, "share", "intra-class correlation"),
        Uncertain("attrition", p.attrition, 0.4, "share", "share of families lost before follow-up"),
        Uncertain(
            "eligibility_rate",
            p.eligibility_rate,
            0.4,
            "share",
            "share of referred families who keep one social worker",
        ),
        Uncertain("families_per_worker", p.families_per_worker, 0.3, "count", "number of families per worker"),
    ]


def headline_model(p: Parameters, margin: float, outcome: str = "n_referred") -> Model:
    """A headline number as a vectorised function of the assumptions: the usual formula's ``outcome``
    (an attribute of :func:`helpers.stats.cluster_power.sample_size`: ``n_referred`` or ``workers_total``;
    families per worker rounded to a whole number) times ``margin``, the simulated design's value over the
    formula's at the page's assumptions."""

    def one(icc: float, attrition: float, eligibility: float, per_worker: float) -> float:
        m = max(1, int(round(per_worker)))  # noqa: RUF046 (a NumPy float: round() alone need not give an int)
        design = sample_size(
            p.effect_size,
            min(max(icc, 0.0), 0.999),
            m,
            p.alpha,
            p.power,
            min(max(attrition, 0.0), 0.95),
            min(max(eligibility, 1e-3), 1.0),
        )
        return float(getattr(design, outcome)) * margin

    vectorised = np.vectorize(one, otypes=[float])

    def model(x: Mapping[str, np.ndarray]) -> np.ndarray:
        return vectorised(x["icc"], x["attrition"], x["eligibility_rate"], x["families_per_worker"])

    return model


def headline_dependence(p: Parameters, margin: float, outcome: str = "n_referred", points: int = 41) -> dict[str, Any]:
    """Which assumption a headline number depends on most (:func:`helpers.stats.sensitivity.tornado`) and the
    number over the central :data:`RANGE_LEVEL` of that assumption's assumed spread (:func:`vary`): the same
    range as the tornado's, whose ends (``low``, ``high``) and headline at them (``at_low``, ``at_high``) are the
    tornado's own."""
    inputs = headline_inputs(p)
    model = headline_model(p, margin, outcome)
    dep = depends_most(model, inputs, lambda u: central_range(u, points, RANGE_LEVEL))
    top, row = dep["top"], dep["tornado"].iloc[0]
    return {
        "tornado": dep["tornado"],
        "input": top,
        "low": float(row["low_value"]),
        "high": float(row["high_value"]),
        "at_low": float(row["outcome_low"]),
        "at_high": float(row["outcome_high"]),
        "table": dep["table"],
    }


def what_the_headline_depends_on(
    p: Parameters, ss: SampleSize, recommended: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, pd.DataFrame]]:
    """The referrals and the workers of the ``recommended`` design (the formula's ``ss`` scaled by the
    simulated design's margin over it) as the assumption each depends on most moves: ``(scalars, tables)``."""
    margin = recommended["n_referred_recommended"] / ss.n_referred
    # The recommended design's relative Monte Carlo error carries over to every number scaled by its margin.
    relative = recommended["workers_total_recommended_mcse"] / recommended["workers_total_recommended"]
    dep = headline_dependence(p, margin)
    dep_workers = headline_dependence(
        p, recommended["workers_per_arm_recommended"] / ss.workers_per_arm, "workers_total", points=2
    )
    top: Uncertain = dep["input"]
    shown = VALUE_FORMATS[top.name]
    scalars = {
        "dependence_input": top.name,
        "dependence_label": top.label,
        "dependence_base": float(top.base),
        "dependence_range_level": RANGE_LEVEL,
        "dependence_range_low": dep["low"],
        "dependence_range_high": dep["high"],
        "dependence_range_text": f"{shown(dep['low'])} to {shown(dep['high'])}",
        "dependence_base_text": shown(float(top.base)),
        "dependence_referrals_at_low": dep["at_low"],
        "dependence_referrals_at_low_mcse": dep["at_low"] * relative,
        "dependence_referrals_at_high": dep["at_high"],
        "dependence_referrals_at_high_mcse": dep["at_high"] * relative,
        "dependence_second_label": str(dep["tornado"].loc[1, "label"]),
        "workers_dependence_label": dep_workers["input"].label,
        "simulation_margin": margin,
        "simulation_margin_mcse": margin * relative,
    }
    tables = {"tornado": dep["tornado"], "dependence": dep["table"], "tornado_workers": dep_workers["tornado"]}
    return scalars, tables


def headline_table(result: AnalysisResult) -> pd.DataFrame:
    """The tornado table of the referrals for the page (:func:`helpers.stats.sensitivity.tornado_table`): each
    assumption's values as a reader writes them (:data:`VALUE_FORMATS`), the referrals printed to the precision
    the recommended design's Monte Carlo error supports (they are the formula's scaled by the simulated design's
    margin)."""
    s = result.scalars
    relative = float(s["workers_total_recommended_mcse"]) / float(s["workers_total_recommended"])
    table = tornado_table(
        result.tables["tornado"],
        values=VALUE_FORMATS,
        outcome=lambda v: montecarlo.text(v, v * relative, "count"),
    )
    return table.rename(
        columns={"headline at low": "referrals at low", "headline at high": "referrals at high", "swing": "swing"}
    )
