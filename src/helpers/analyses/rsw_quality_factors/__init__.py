"""Reclaiming Social Work (RSW): what predicts the quality of direct practice.

Published (Reclaiming Social Work evaluation, Bostock et al. 2017): 67 coded
observations of direct practice compared RSW units with service as usual
(SAU); practice quality was significantly higher in RSW units, the highest
seen in over 500 recordings coded with the same framework across 7 local
authorities. Four factors had a statistically significant impact on the
quality of practice: training in systemic practice, the consultant social
worker (CSW) development programme, the quality of group systemic case
discussion (a very strong relationship), and the presence of clinicians in
case discussions (which predicted both the quality of the discussion and the
quality of practice). The coding framework scores seven skills. The report's
coefficients, means and standard deviations are not public.

So the case-level analysis runs on a **synthetic reconstruction**
(:func:`simulate_observations`): observations nested in units, generated
from a seed by a model that follows the published causal story, each path
with its own effect-size parameter. The effect sizes are assumptions, not the
report's estimates. The one published distribution it is calibrated to is
the split of observed case discussions into non-systemic, "green shoots" and
systemic (Bostock et al. 2019). Users can run the same analysis on their own
records (``data_path``).

The analysis:

1. RSW vs service as usual: difference in mean practice quality (OLS with
   unit-clustered standard errors) and Hedges' g with a noncentral-t interval
   on effective sample sizes;
2. practice quality on the four factors: OLS with unit-clustered (CR1)
   standard errors, with a random-intercept mixed model as a check;
3. the clinician's effect through discussion quality: product-of-coefficients
   mediation with a cluster bootstrap (direct, indirect, total);
4. the correlations of the seven skills and their grouping;
5. the minimum detectable effect of a study of this size (on the design's
   split, not one draw's), and which of its assumptions it depends on most
   (:func:`mde_dependence`: ``sensitivity.tornado``, then ``vary`` and
   ``crossings`` against a large difference);
6. what the synthetic reconstruction shows across ``n_replicates``
   reconstructions, not one (:func:`reconstructions`, ``helpers.stats.replicates``):
   median, central range, coverage of the generator's values and detection
   rate of the four coefficients and of the indirect effect, each analysed
   cheaply (:func:`one_reconstruction`); how often a study like it would find
   each factor (:func:`factor_power`) comes from the same reconstructions.
   ``n_replicates`` replaced the earlier ``n_sims`` (the number of simulated
   studies of that power estimate), which is now refused as an unknown name.

With the user's records there is one data set and nothing to replicate: no
``rep_*`` values and no factor power are computed.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pandera.pandas as pa
import seaborn as sns
from scipy import optimize
from scipy import stats as sps
from scipy.cluster import hierarchy
from scipy.spatial.distance import squareform

from helpers.page import kinds
from helpers.stats import replicates
from helpers.stats.clustered import (
    clustered_ols,
    design_effect,
    icc_anova,
    mediation_bootstrap,
    min_detectable_effect,
    product_interval,
    stacked_cr1,
    standardised_difference,
)
from helpers.params import Constraint, ParamSpec, ParameterError, ParameterSet, param
from helpers.engine.paths import sha256_file
from helpers.page.plotting import COLOURS, DIVERGING
from helpers.inputs.records import RecordsError, read_records
from helpers.page.registry import published, registry_input
from helpers.page.reproduce import FigureUse
from helpers.results import AnalysisResult
from helpers.stats.sensitivity import Uncertain, most_influential
from helpers.stats.proportions import format_p
from helpers.inputs.suppression import MARKER, suppress

TITLE = "Reclaiming Social Work: what predicts the quality of direct practice"
SUMMARY = (
    f"RSW (2017): RSW vs service as usual over {published('rsw_practice_observations')} observations, the "
    f"{published('rsw_significant_factors')} factors behind practice quality, the clinician's effect through case "
    "discussion, skill correlations, minimum detectable effect (synthetic reconstruction or your own records)"
)

# ------------------------------------------------------------------ the coding framework
#: The seven skills of the coding framework (Whittaker et al. 2017), as CSV column names.
SKILLS: tuple[str, ...] = (
    "empathy",
    "collaboration",
    "autonomy",
    "evocation",
    "purposefulness",
    "child_focus",
    "clarity_about_concerns",
)
SKILL_LABELS: dict[str, str] = {
    "empathy": "Empathy",
    "collaboration": "Collaboration",
    "autonomy": "Autonomy",
    "evocation": "Evocation",
    "purposefulness": "Purposefulness",
    "child_focus": "Child focus",
    "clarity_about_concerns": "Clarity about concerns",
}
#: The framework's three groups of skills. The group names are published; which skill sits in which
#: group is our reading of the framework (relationship building: empathy, collaboration, autonomy;
#: good authority: purposefulness, child focus, clarity about concerns; evocation on its own).
SKILL_GROUPS: dict[str, tuple[str, ...]] = {
    "relationship building": ("empathy", "collaboration", "autonomy"),
    "good authority": ("purposefulness", "child_focus", "clarity_about_concerns"),
    "evocation": ("evocation",),
}
#: The scale each skill (and the case discussion) is scored on (an assumption for this evaluation).
SCALE_MIN, SCALE_MAX = 1, 5
#: The discussion score at which the effect of discussion quality is centred (the scale's midpoint).
DISCUSSION_REFERENCE = (SCALE_MIN + SCALE_MAX) / 2
#: Assumed bands of the discussion score that correspond to the published ratings
#: non-systemic (below the first edge), green shoots, systemic (at or above the second edge).
BAND_EDGES = (2.5, 3.5)
BANDS: tuple[str, ...] = ("non-systemic", "green shoots", "systemic")
BAND_IDS = {
    "non-systemic": "rsw_discussions_nonsystemic",
    "green shoots": "rsw_discussions_green_shoots",
    "systemic": "rsw_discussions_systemic",
}

FACTORS: tuple[str, ...] = ("systemic_training", "csw_programme", "discussion_quality", "clinician_present")
FACTOR_LABELS: dict[str, str] = {
    "systemic_training": "Trained in systemic practice",
    "csw_programme": "In the CSW development programme",
    "discussion_quality": "Case-discussion quality (per point)",
    "clinician_present": "Clinician in case discussion",
}
FACTOR_PROSE = {
    "systemic_training": "systemic training",
    "csw_programme": "the CSW programme",
    "discussion_quality": "case-discussion quality",
    "clinician_present": "a clinician in case discussion",
}
FACTOR_KEYS = {
    "systemic_training": "training",
    "csw_programme": "csw",
    "discussion_quality": "discussion",
    "clinician_present": "clinician",
}
BINARY: tuple[str, ...] = ("rsw", "systemic_training", "csw_programme", "clinician_present")
COLUMNS: tuple[str, ...] = ("observation_id", "unit_id", *BINARY, "discussion_quality", *SKILLS)
#: The regression needs more units than coefficients (constant + four factors) for its clustered covariance.
MIN_UNITS = 6


def _share(name: str) -> float:
    return published(name) / sum(published(i) for i in BAND_IDS.values())


# ------------------------------------------------------------------ calibration
@lru_cache(maxsize=256)
def calibrate_discussion(effect_clinician_on_discussion: float, p_clinician_rsw: float) -> tuple[float, float] | None:
    """Intercept and residual SD of the discussion score in RSW units such that, with clinicians
    present in a share ``p_clinician_rsw`` of discussions, the expected shares of discussions in the
    three bands equal the published split (Bostock et al. 2019). ``None`` if no such pair exists.

    Model: discussion = d0 + effect × clinician + N(0, sd²); bands cut at :data:`BAND_EDGES`.
    """
    low_share = _share("rsw_discussions_nonsystemic")
    high_share = _share("rsw_discussions_systemic")
    a, pc = effect_clinician_on_discussion, p_clinician_rsw
    lo_edge, hi_edge = BAND_EDGES

    def shares(d0: float, sd: float) -> tuple[float, float]:
        below = (1 - pc) * sps.norm.cdf(lo_edge, d0, sd) + pc * sps.norm.cdf(lo_edge, d0 + a, sd)
        above = (1 - pc) * sps.norm.sf(hi_edge, d0, sd) + pc * sps.norm.sf(hi_edge, d0 + a, sd)
        return below, above

    def residuals(x: np.ndarray) -> np.ndarray:
        below, above = shares(x[0], float(np.exp(x[1])))
        return np.array([below - low_share, above - high_share])

    z_lo, z_hi = sps.norm.ppf(low_share), sps.norm.ppf(1 - high_share)
    sd0 = (hi_edge - lo_edge) / (z_hi - z_lo)
    start = np.array([lo_edge - z_lo * sd0 - a * pc, np.log(sd0)])
    fit = optimize.least_squares(residuals, start, xtol=1e-14, ftol=1e-14, gtol=1e-14)
    if np.max(np.abs(fit.fun)) > 1e-9:
        return None
    return float(fit.x[0]), float(np.exp(fit.x[1]))


def _calibrates(p: Mapping[str, Any]) -> bool:
    return calibrate_discussion(p["effect_clinician_on_discussion"], p["p_clinician_rsw"]) is not None


def _factor_varies(key: str):
    """Whether a binary factor can vary: its shares in the two arms are not both 0 nor both 1."""

    def holds(p: Mapping[str, Any]) -> bool:
        pair = {p[f"p_{key}_rsw"], p[f"p_{key}_sau"]}
        return pair != {0.0} and pair != {1.0}

    return holds


def _both_arms(p: Mapping[str, Any]) -> bool:
    k = round(p["share_rsw_units"] * p["n_units"])
    return 2 <= k <= p["n_units"] - 2


# ------------------------------------------------------------------ parameters
_EFFECT = dict(minimum=-4.0, maximum=4.0, unit="points on the 1–5 scale")


class Parameters(
    ParameterSet,
    constraints=(
        Constraint(
            ("n_units", "n_observations"),
            lambda p: p["n_units"] <= p["n_observations"],
            "at most n_observations (each unit needs an observation)",
        ),
        Constraint(
            ("share_rsw_units", "n_units"),
            _both_arms,
            "a share that gives at least 2 RSW units and 2 service-as-usual units",
        ),
        Constraint(
            ("effect_clinician_on_discussion", "p_clinician_rsw"),
            _calibrates,
            "an effect for which the discussion scores can be calibrated to the published split of "
            "non-systemic, green-shoots and systemic discussions (try a smaller effect)",
        ),
        *(
            Constraint(
                (f"p_{key}_rsw", f"p_{key}_sau"),
                _factor_varies(key),
                f"shares that are not both 0 and not both 1, so that {prose} varies (the regression needs "
                "every factor to vary)",
            )
            for key, prose in (
                ("training", "systemic training"),
                ("csw", "the CSW programme"),
                ("clinician", "a clinician in case discussion"),
            )
        ),
    ),
):
    """This analysis's parameters, in notebook order (validated values: ``PARAMETERS.validate``)."""

    n_observations: int = param(
        published("rsw_practice_observations"),
        f"Observations of direct practice in the synthetic reconstruction (published: "
        f"{published('rsw_practice_observations')})",
        minimum=10,
        maximum=200_000,
        unit="observations",
    )
    n_units: int = param(
        20,
        "Units (RSW units and service-as-usual teams) the observations are nested in (assumption; not published)",
        minimum=MIN_UNITS,
        maximum=20_000,
        unit="units",
    )
    share_rsw_units: float = param(
        0.5,
        "Share of the units that are RSW units (assumption; the report's split is not public)",
        minimum=0,
        maximum=1,
        minimum_exclusive=True,
        maximum_exclusive=True,
    )
    p_training_rsw: float = param(
        0.8, "Share of observed workers trained in systemic practice, RSW units (assumption)", minimum=0, maximum=1
    )
    p_training_sau: float = param(
        0.2,
        "Share of observed workers trained in systemic practice, service as usual (assumption)",
        minimum=0,
        maximum=1,
    )
    p_csw_rsw: float = param(
        0.3, "Share of observed workers in the CSW development programme, RSW units (assumption)", minimum=0, maximum=1
    )
    p_csw_sau: float = param(
        0.0,
        "Share of observed workers in the CSW development programme, service as usual (assumption)",
        minimum=0,
        maximum=1,
    )
    p_clinician_rsw: float = param(
        0.7, "Share of case discussions with a clinician present, RSW units (assumption)", minimum=0, maximum=1
    )
    p_clinician_sau: float = param(
        0.1, "Share of case discussions with a clinician present, service as usual (assumption)", minimum=0, maximum=1
    )
    baseline_quality: float = param(
        2.6,
        "Expected practice quality without any of the four factors, with a "
        "case discussion at the scale's midpoint (assumption)",
        minimum=1,
        maximum=5,
        unit="points on the 1–5 scale",
    )
    effect_training: float = param(
        0.3, "Effect of systemic training on practice quality (assumption, not the report's estimate)", **_EFFECT
    )
    effect_csw: float = param(
        0.35, "Effect of the CSW development programme on practice quality (assumption)", **_EFFECT
    )
    effect_discussion: float = param(
        0.45, "Effect of one point of case-discussion quality on practice quality (assumption)", **_EFFECT
    )
    effect_clinician_on_discussion: float = param(
        0.8, "Effect of a clinician's presence on case-discussion quality (assumption)", **_EFFECT
    )
    effect_clinician_direct: float = param(
        0.15,
        "Effect of a clinician's presence on practice quality other than through the discussion (assumption)",
        **_EFFECT,
    )
    residual_sd: float = param(
        0.35,
        "SD of practice quality between observations, given the factors and the unit (assumption)",
        minimum=0,
        maximum=3,
        minimum_exclusive=True,
        unit="points",
    )
    unit_sd: float = param(
        0.15,
        "SD of practice quality between units, given the factors (assumption)",
        minimum=0,
        maximum=3,
        unit="points",
    )
    skill_group_sd: float = param(
        0.4,
        "SD of each skill group's deviation from an observation's practice "
        "quality (assumption; makes skills within a group correlate more)",
        minimum=0,
        maximum=3,
        unit="points",
    )
    skill_item_sd: float = param(
        0.4,
        "SD of each skill's own deviation before rounding to the scale (assumption)",
        minimum=0,
        maximum=3,
        unit="points",
    )
    ci_level: float = param(0.95, "Confidence level of every interval", minimum=0.5, maximum=1, maximum_exclusive=True)
    n_boot: int = param(2000, "Cluster-bootstrap resamples for the mediation intervals", minimum=200, maximum=200_000)
    power: float = param(0.8, "Power for the minimum detectable effect", minimum=0.5, maximum=1, maximum_exclusive=True)
    alpha: float = param(
        0.05,
        "Two-sided significance level of the tests and of the minimum detectable effect",
        minimum=0,
        maximum=0.5,
        minimum_exclusive=True,
    )
    mde_icc: float = param(
        0.1,
        "Assumed intraclass correlation of practice quality within units, for the "
        "minimum detectable effect (assumption)",
        minimum=0,
        maximum=1,
        maximum_exclusive=True,
    )
    n_replicates: int = param(
        1000,
        "Synthetic reconstructions (R) the page's synthetic results are summarised "
        "across: each is a simulated study of this design, also used for how often each factor would be found "
        "significant (replaces n_sims)",
        minimum=10,
        maximum=100_000,
        unit="reconstructions",
    )
    data_path: str = param(
        "", "Your own records (CSV; see the page for the columns); '' uses the synthetic reconstruction", is_path=True
    )
    min_cell_count: int = param(
        5, "Counts below this from your own records are suppressed", minimum=1, maximum=1000, unit="observations"
    )
    seed: int = param(
        2017,
        "Seed of the random number generator (reconstruction, bootstrap, simulations)",
        minimum=0,
        maximum=2**32 - 1,
    )


PARAMETERS = ParamSpec.of(Parameters)


# ------------------------------------------------------------------ the synthetic reconstruction
def generator_truth(p: Mapping[str, Any]) -> dict[str, float]:
    """The generator's own parameters in the units the analysis estimates."""
    d0, sd_d = calibrate_discussion(p["effect_clinician_on_discussion"], p["p_clinician_rsw"])
    indirect = p["effect_clinician_on_discussion"] * p["effect_discussion"]
    return {
        "training": p["effect_training"],
        "csw": p["effect_csw"],
        "discussion": p["effect_discussion"],
        "clinician": p["effect_clinician_direct"],
        "clinician_on_discussion": p["effect_clinician_on_discussion"],
        "indirect": indirect,
        "total_clinician": p["effect_clinician_direct"] + indirect,
        "discussion_intercept": d0,
        "discussion_sd": sd_d,
    }


def _simulate_arrays(p: Mapping[str, Any], rng: np.random.Generator, *, bounded: bool = True) -> dict[str, np.ndarray]:
    """The generator itself (see :func:`simulate_observations`), as arrays."""
    n, n_units = p["n_observations"], p["n_units"]
    n_rsw_units = round(p["share_rsw_units"] * n_units)
    unit_rsw = rng.permutation(np.r_[np.ones(n_rsw_units, int), np.zeros(n_units - n_rsw_units, int)])
    unit = rng.permutation(np.arange(n) % n_units)
    rsw = unit_rsw[unit]

    def draw(p_rsw: float, p_sau: float) -> np.ndarray:
        return (rng.random(n) < np.where(rsw == 1, p_rsw, p_sau)).astype(int)

    training = draw(p["p_training_rsw"], p["p_training_sau"])
    csw = draw(p["p_csw_rsw"], p["p_csw_sau"])
    clinician = draw(p["p_clinician_rsw"], p["p_clinician_sau"])
    d0, sd_d = calibrate_discussion(p["effect_clinician_on_discussion"], p["p_clinician_rsw"])
    discussion = d0 + p["effect_clinician_on_discussion"] * clinician + rng.normal(0, sd_d, n)
    if bounded:
        discussion = np.clip(np.round(discussion, 2), SCALE_MIN, SCALE_MAX)
    unit_effect = rng.normal(0, p["unit_sd"], n_units)
    quality = (
        p["baseline_quality"]
        + p["effect_training"] * training
        + p["effect_csw"] * csw
        + p["effect_discussion"] * (discussion - DISCUSSION_REFERENCE)
        + p["effect_clinician_direct"] * clinician
        + unit_effect[unit]
        + rng.normal(0, p["residual_sd"], n)
    )
    group_of = {s: g for g, members in SKILL_GROUPS.items() for s in members}
    group_dev = {g: rng.normal(0, p["skill_group_sd"], n) for g in SKILL_GROUPS}
    deviations = np.column_stack([group_dev[group_of[s]] + rng.normal(0, p["skill_item_sd"], n) for s in SKILLS])
    deviations -= deviations.mean(axis=1, keepdims=True)
    skills = quality[:, None] + deviations
    if bounded:
        skills = np.clip(np.round(skills), SCALE_MIN, SCALE_MAX)
    return {
        "unit": unit,
        "rsw": rsw,
        "systemic_training": training,
        "csw_programme": csw,
        "clinician_present": clinician,
        "discussion_quality": discussion,
        "skills": skills,
    }


def simulate_observations(p: Mapping[str, Any], *, bounded: bool = True, seed: int | None = None) -> pd.DataFrame:
    """Synthetic observations of direct practice, nested in units, from validated parameters.

    Units: ``round(share_rsw_units × n_units)`` RSW units (chosen at random), the rest service as
    usual (SAU); observations are spread over the units as evenly as possible, in random order.
    Each observation, given its arm, independently has systemic training, the CSW programme and a
    clinician in its case discussion with the arm's probabilities. Then

    * discussion quality = d0 + effect_clinician_on_discussion × clinician + N(0, sd²), with d0 and sd
      calibrated (:func:`calibrate_discussion`) to the published split of case discussions;
    * practice quality (latent) = baseline + effect_training × training + effect_csw × CSW
      + effect_discussion × (discussion − midpoint) + effect_clinician_direct × clinician
      + unit effect N(0, unit_sd²) + N(0, residual_sd²);
    * each skill = practice quality + its group's deviation N(0, skill_group_sd²) + its own
      N(0, skill_item_sd²), the deviations centred so that the seven skills average to the practice
      quality exactly.

    With ``bounded`` (the default), scores are put on the coding scale: the discussion score is
    clipped to [1, 5] and each skill rounded to a whole point and clipped to [1, 5], as coders
    score them; practice quality is then the mean of the seven recorded skills. With
    ``bounded=False`` the scores stay continuous and unclipped, so practice quality follows the
    linear model exactly (used to check that estimates recover the parameters).
    """
    rng = np.random.default_rng(p["seed"] if seed is None else seed)
    a = _simulate_arrays(p, rng, bounded=bounded)
    n, n_units = p["n_observations"], p["n_units"]
    frame = pd.DataFrame(
        {
            "observation_id": [f"obs{i + 1:0{len(str(n))}d}" for i in range(n)],
            "unit_id": [f"unit{u + 1:0{len(str(n_units))}d}" for u in a["unit"]],
            **{name: a[name] for name in (*BINARY, "discussion_quality")},
        }
    )
    for j, s in enumerate(SKILLS):
        frame[s] = a["skills"][:, j]
    return frame


# ------------------------------------------------------------------ own records
def _binary() -> pa.Column:
    return pa.Column(int, pa.Check.isin([0, 1], error="is not 0 or 1 (0 = no, 1 = yes)"), coerce=True)


def _score() -> pa.Column:
    return pa.Column(
        float,
        pa.Check.in_range(SCALE_MIN, SCALE_MAX, error=f"is outside the scale {SCALE_MIN} to {SCALE_MAX}"),
        coerce=True,
    )


SCHEMA = pa.DataFrameSchema(
    {
        "observation_id": pa.Column(str, pa.Check.str_length(min_value=1), unique=True),
        "unit_id": pa.Column(str, pa.Check.str_length(min_value=1)),
        **{name: _binary() for name in BINARY},
        "discussion_quality": _score(),
        **{name: _score() for name in SKILLS},
    },
    strict=True,
    ordered=False,
)


def _lines(rows: np.ndarray | list[int], limit: int = 5) -> str:
    rows = list(rows)
    shown = ", ".join(str(r + 2) for r in rows[:limit])
    return shown + (f" and {len(rows) - limit} more" if len(rows) > limit else "")


def design_problems(frame: pd.DataFrame) -> list[str]:
    """Problems that make valid records unusable for this analysis (each unit in one arm,
    enough units in each arm, every factor varying)."""
    problems: list[str] = []
    arms = frame.groupby("unit_id")["rsw"].nunique()
    for unit in arms.index[arms > 1]:
        rows = np.flatnonzero(frame["unit_id"].to_numpy() == unit)
        problems.append(
            f"column 'rsw': unit {unit!r} has both RSW (1) and service-as-usual (0) observations at "
            f"file line(s) {_lines(rows)}; each unit must be in one arm"
        )
    if problems:
        return problems
    unit_arm = frame.groupby("unit_id")["rsw"].first()
    for arm, label in ((1, "RSW"), (0, "service-as-usual")):
        k = int((unit_arm == arm).sum())
        if k < 2:
            problems.append(f"column 'rsw': {k} {label} unit(s); the comparison needs at least 2 units in each arm")
    if len(unit_arm) < MIN_UNITS:
        problems.append(f"column 'unit_id': {len(unit_arm)} units; the regression needs at least {MIN_UNITS}")
    for name in FACTORS:
        if frame[name].nunique() < 2:
            problems.append(f"column {name!r}: every value is {frame[name].iloc[0]:g}; the regression needs it to vary")
    return problems


#: The parameters that decide, in the synthetic reconstruction, what each checked column looks like.
_COLUMN_PARAMS: dict[str, tuple[str, ...]] = {
    "systemic_training": ("p_training_rsw", "p_training_sau"),
    "csw_programme": ("p_csw_rsw", "p_csw_sau"),
    "clinician_present": ("p_clinician_rsw", "p_clinician_sau"),
    "discussion_quality": ("effect_clinician_on_discussion",),
    "rsw": ("share_rsw_units", "n_units"),
    "unit_id": ("n_units",),
}


def check_synthetic(p: Mapping[str, Any], frame: pd.DataFrame) -> None:
    """Refuse a synthetic reconstruction that cannot be analysed (see :func:`design_problems`) with a
    :class:`ParameterError` naming the parameters to change, rather than a failure inside the regression."""
    problems = design_problems(frame)
    if not problems:
        return
    names: list[str] = []
    for problem in problems:
        column = re.match(r"column '(\w+)'", problem)
        for name in _COLUMN_PARAMS.get(column.group(1) if column else "", ()):
            if name not in names:
                names.append(name)
    everything = [*names, "n_observations", "seed"]
    values = ", ".join(f"{n} = {p[n]!r}" for n in everything)
    change = (
        f"change {', '.join(repr(n) for n in names)} (or n_observations or seed)"
        if names
        else "change n_observations or seed"
    )
    raise ParameterError(
        f"the synthetic reconstruction cannot be analysed ({'; '.join(problems)}) with {values}: {change}",
        everything[0],
    )


def load_records(path: str | Path) -> pd.DataFrame:
    """Read and validate a user's records; raise :class:`RecordsError` naming every problem."""
    frame = read_records(path, SCHEMA)
    problems = design_problems(frame)
    if problems:
        raise RecordsError(str(path), problems)
    return frame[list(COLUMNS)]


def check_arm_sizes(frame: pd.DataFrame, min_cell_count: int, source: str) -> None:
    """Each arm's number of observations is shown (text and tables): with own records it must not
    itself be a small count."""
    sizes = frame["rsw"].value_counts()
    small = [
        f"{label} has {int(sizes.get(arm, 0))}"
        for arm, label in ((1, "RSW (rsw = 1)"), (0, "service as usual (rsw = 0)"))
        if 0 < sizes.get(arm, 0) < min_cell_count
    ]
    if small:
        raise RecordsError(
            source,
            [
                f"column 'rsw': arm {', '.join(small)} observation(s); each arm's number of observations is shown, so "
                f"each needs at least min_cell_count = {min_cell_count} (or lower min_cell_count)"
            ],
        )


def check_inputs(params: Mapping[str, Any]) -> None:
    """Validate the records file (if any) before a kernel starts (``compendium run``)."""
    if params.get("data_path"):
        frame = load_records(params["data_path"])
        check_arm_sizes(frame, int(params.get("min_cell_count", 5)), str(params["data_path"]))


# ------------------------------------------------------------------ analysis pieces
def add_practice_quality(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["practice_quality"] = out[list(SKILLS)].mean(axis=1)
    return out


def discussion_band(score: pd.Series) -> pd.Series:
    lo, hi = BAND_EDGES
    return pd.Series(np.where(score < lo, BANDS[0], np.where(score < hi, BANDS[1], BANDS[2])), index=score.index)


def _interval_text(low: float, high: float, digits: int = 2) -> str:
    return f"{low:.{digits}f} to {high:.{digits}f}"


def _pathway(indirect: float, direct: float) -> str:
    """How a clinician's association with practice quality splits, in words."""
    if indirect > 0 and direct <= 0:
        return "only through a better discussion"
    if indirect > 0 and indirect >= direct:
        return "mostly through a better discussion"
    if indirect > 0:
        return "partly through a better discussion and more by other routes"
    return "not through a better discussion"


def _excludes_zero(low: float, high: float) -> bool:
    return low > 0 or high < 0


def skill_grouping(frame: pd.DataFrame) -> dict[str, Any]:
    """Spearman correlations of the seven skills; mean correlation within and between the framework's
    groups; and whether average-linkage clustering on 1 − correlation into three clusters finds the
    framework's groups."""
    corr = frame[list(SKILLS)].corr(method="spearman")
    group_of = {s: gname for gname, members in SKILL_GROUPS.items() for s in members}
    within, between = [], []
    for i, a in enumerate(SKILLS):
        for b in SKILLS[i + 1 :]:
            (within if group_of[a] == group_of[b] else between).append(float(corr.loc[a, b]))
    distance = squareform(1 - corr.to_numpy(), checks=False)
    clusters = hierarchy.fcluster(
        hierarchy.linkage(distance, method="average"), t=len(SKILL_GROUPS), criterion="maxclust"
    )
    found = {frozenset(s for s, c in zip(SKILLS, clusters) if c == k) for k in set(clusters)}
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


def one_reconstruction(p: Mapping[str, Any]) -> replicates.OneReconstruction:
    """One synthetic study of the parameters' design (bounded scores, as in the body), analysed cheaply.

    From one generator it draws a reconstruction (:func:`_simulate_arrays`) and fits, in numpy
    (:func:`helpers.stats.clustered.stacked_cr1`), the same two models as the body: practice quality on
    the four factors (the outcome model) and discussion quality on a clinician, training and the
    CSW programme (the mediator model), with one joint unit-clustered (CR1) covariance. The four
    coefficients get *t* intervals on ``G − 1`` degrees of freedom, as :func:`clustered_ols` gives;
    the indirect effect (clinician on discussion × discussion on practice) gets a Monte Carlo
    interval from the joint covariance (:func:`helpers.stats.clustered.product_interval`) instead of the
    body's cluster bootstrap, which would be too slow to repeat. A reconstruction in which a factor
    does not vary cannot be analysed: its estimates are NaN (counted as not estimable).
    """
    level = p["ci_level"]
    crit = float(sps.t.ppf(0.5 + level / 2, p["n_units"] - 1))
    nan = {name: replicates.Estimate(np.nan, np.nan, np.nan) for name in REPLICATE_ESTIMATES}

    def one(rng: np.random.Generator) -> dict[str, replicates.Estimate]:
        a = _simulate_arrays(p, rng)
        n = p["n_observations"]
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


def reconstructions(p: Mapping[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n_replicates`` synthetic reconstructions (:func:`one_reconstruction`), from generators spawned
    from ``seed``: the draws (one row per reconstruction and estimate) and their summary against the
    generator's values (:func:`generator_truth`; coverage) and no effect (0; detection)."""
    truth = generator_truth(p)
    draws = replicates.across(one_reconstruction(p), p["n_replicates"], p["seed"])
    summary = replicates.summarise(
        draws,
        truth={k: truth[k] for k in REPLICATE_ESTIMATES},
        null={k: 0.0 for k in REPLICATE_ESTIMATES},
        level=p["ci_level"],
    )
    summary.insert(1, "label", summary["estimate"].map(REPLICATE_LABELS))
    return draws, summary


def factor_power(draws: pd.DataFrame, p: Mapping[str, Any]) -> dict[str, float]:
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
            f"none of the n_replicates = {p['n_replicates']} reconstructions could be analysed: in each, a factor "
            "did not vary; raise n_replicates or make the factors vary more (p_training_*, p_csw_*, p_clinician_* "
            "for RSW and service as usual)"
        )
    wide = wide[ok]
    df = p["n_units"] - 1
    se = (wide["high"][keys] - wide["low"][keys]) / (2 * sps.t.ppf(0.5 + p["ci_level"] / 2, df))
    hits = (wide["value"][keys].abs() > sps.t.ppf(1 - p["alpha"] / 2, df) * se).to_numpy()
    m = len(hits)
    out = {f"power_{k}": float(hits[:, j].mean()) for j, k in enumerate(keys)}
    out["power_all_four"] = float(hits.all(axis=1).mean())
    out["power_all_four_mcse"] = float(np.sqrt(out["power_all_four"] * (1 - out["power_all_four"]) / m))
    out["n_replicates_estimable"] = m
    return out


def _arm_counts(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """2 x 2 (or 3 x 2) count tables of each factor by arm."""
    arm = frame["rsw"].map({1: "RSW", 0: "service as usual"})
    tables = {}
    for name, label in (
        ("systemic_training", "trained in systemic practice"),
        ("csw_programme", "in the CSW programme"),
        ("clinician_present", "clinician in case discussion"),
    ):
        t = pd.crosstab(frame[name].map({1: f"{label}: yes", 0: f"{label}: no"}), arm)
        tables[label] = t.reindex(
            index=[f"{label}: yes", f"{label}: no"], columns=["RSW", "service as usual"], fill_value=0
        )
    band = pd.crosstab(discussion_band(frame["discussion_quality"]).map(lambda b: f"discussion {b}"), arm)
    tables["discussion band"] = band.reindex(
        index=[f"discussion {b}" for b in BANDS], columns=["RSW", "service as usual"], fill_value=0
    )
    return tables


#: Each arm's number of observations (the column totals of every factor's table) is shown in the text.
_ARMS_SHOWN = ("column totals", "grand total")


def description_table(frame: pd.DataFrame, threshold: int | None) -> tuple[pd.DataFrame, str]:
    """Observations by factor and arm, as text, with small counts suppressed when ``threshold`` is given
    (own records). Each factor's table is suppressed on its own (its rows partition the arm)."""
    tables = _arm_counts(frame)
    columns = ["RSW", "service as usual"]
    blocks, notes, hidden_totals = [], [], set()
    primary = secondary = 0
    for t in tables.values():
        if threshold is None:
            blocks.append(t.astype(str))
            continue
        s = suppress(t, threshold, known=_ARMS_SHOWN)
        blocks.append(s.display.loc[t.index, columns])
        total_row = s.display.loc["Total", columns]
        hidden_totals |= {c for c in columns if total_row[c] == MARKER}
        primary += s.primary
        secondary += s.secondary
        notes.append(s)
    n_arm = frame["rsw"].map({1: "RSW", 0: "service as usual"}).value_counts().reindex(columns, fill_value=0)
    all_row = pd.DataFrame(
        [[MARKER if c in hidden_totals else str(int(n_arm[c])) for c in columns]],
        index=["all observations"],
        columns=columns,
    )
    table = pd.concat([*blocks, all_row])
    table.index.name = "observations"
    table = table.reset_index()
    if threshold is None:
        note = "Synthetic records: nothing to protect, so no count is suppressed."
    elif primary == 0:
        note = f"No count in this table is below {threshold}, so nothing is suppressed."
    else:
        note = f"Counts from 1 to {threshold - 1} are suppressed ({MARKER})"
        if secondary:
            note += f", and {secondary} further cell{'s' * (secondary != 1)} so that they cannot be worked out from the totals"
        note += "."
    return table, note


def arm_summary(frame: pd.DataFrame, threshold: int | None) -> pd.DataFrame:
    """Practice quality by arm: n, units, mean and SD (hidden where n is below the threshold)."""
    rows = []
    for arm, label in ((1, "RSW"), (0, "service as usual")):
        q = frame.loc[frame["rsw"] == arm, "practice_quality"]
        small = threshold is not None and 0 < len(q) < threshold
        rows.append(
            {
                "arm": label,
                "observations": MARKER if small else str(len(q)),
                "units": str(frame.loc[frame["rsw"] == arm, "unit_id"].nunique()),
                "mean practice quality": MARKER if small else f"{q.mean():.2f}",
                "SD": MARKER if small else f"{q.std(ddof=1):.2f}",
            }
        )
    return pd.DataFrame(rows)


# ------------------------------------------------------------------ what the detectable difference depends on
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


def mde_inputs(p: Mapping[str, Any], share_rsw: float, cluster_size: float) -> list[Uncertain]:
    """The minimum detectable effect's assumptions as uncertain inputs: the intraclass correlation
    (assumed, coefficient of variation 0.5), the size-weighted number of observations per unit (the
    number of units was not published; CV 0.3) and the share of observations in RSW units (the
    report's split was not published; CV 0.2). Bases: the page's values."""
    return [
        Uncertain("icc", p["mde_icc"], 0.5, "share", _DEPENDENCE_LABELS["icc"]),
        Uncertain("cluster_size", cluster_size, 0.3, "positive", _DEPENDENCE_LABELS["cluster_size"]),
        Uncertain("share_rsw", share_rsw, 0.2, "share", _DEPENDENCE_LABELS["share_rsw"]),
    ]


def mde_model(p: Mapping[str, Any], n_observations: int):
    """The minimum detectable effect (standard deviations) as a vectorised function of the inputs of
    :func:`mde_inputs` (design effect ``1 + (m̃ − 1) ρ``, cluster size at least 1); NaN where an arm's
    effective size is too small for the test."""

    def one(icc: float, m: float, share: float) -> float:
        deff = 1 + (max(m, 1.0) - 1) * icc
        try:
            return min_detectable_effect(
                n_observations * share, n_observations * (1 - share), p["alpha"], p["power"], deff
            )
        except ValueError:  # an arm too small to test at all: no detectable difference
            return float("nan")

    def model(d: Mapping[str, np.ndarray]) -> np.ndarray:
        return np.vectorize(one, otypes=[float])(d["icc"], d["cluster_size"], d["share_rsw"])

    return model


def mde_dependence(p: Mapping[str, Any], n_observations: int, share_rsw: float, cluster_size: float) -> dict[str, Any]:
    """Which assumption the minimum detectable effect depends on most (:func:`sensitivity.tornado`),
    the effect as that assumption moves over its plausible range (:func:`sensitivity.vary`), and where
    it crosses :data:`LARGE_DIFFERENCE` (:func:`sensitivity.crossings`)."""
    return most_influential(
        mde_model(p, n_observations), mde_inputs(p, share_rsw, cluster_size), PLAUSIBLE_RANGE, LARGE_DIFFERENCE
    )


def _dependence_text(dep: Mapping[str, Any]) -> tuple[str, str]:
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
        body += (
            f" {'Above' if rising else 'Below'} {where:.2f} the study would no longer detect even a large "
            f"difference ({LARGE_DIFFERENCE:g} standard deviations) with the chosen power."
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


# ------------------------------------------------------------------ what kind of number each scalar is
_FACTOR_ONE_DRAW = [f"coef_{k}{s}" for k in FACTOR_KEYS.values() for s in ("", "_ci_low", "_ci_high")]
#: The kind of every numeric scalar (helpers.page.kinds): single-draw synthetic values are ``one_draw`` and may
#: appear in the body only, labelled as one draw; ``rep_*`` (across reconstructions) are synthetic.
KINDS = kinds.declare(
    published=[
        "practice_observations_published",
        "significant_factors_published",
        "coded_skills_published",
        "recordings_compared_published",
        "las_compared_published",
        "local_authorities_published",
        "discussions_nonsystemic_published",
        "discussions_green_shoots_published",
        "discussions_systemic_published",
        "n_skills",
    ],
    computed=["discussions_published_total"],
    synthetic=[
        "power_training",
        "power_csw",
        "power_discussion",
        "power_clinician",
        "power_all_four",
        "power_all_four_mcse",
        "n_replicates_estimable",
        "replicate_mcse_max",
    ],
    assumption=[
        "scale_min",
        "scale_max",
        "band_low_edge",
        "band_high_edge",
        "discussion_intercept",
        "discussion_sd",
        "n_observations",
        "n_units",
        "n_rsw_units",
        "n_sau_units",
        "ci_level",
        "alpha",
        "assumed_training",
        "assumed_csw",
        "assumed_discussion",
        "assumed_clinician",
        "assumed_clinician_on_discussion",
        "assumed_indirect",
        "assumed_total_clinician",
        "n_boot",
        "power",
        "mde_icc",
        "mde_design_effect",
        "mde_cluster_size",
        "mde_share_rsw",
        "min_detectable_effect",
        "min_detectable_effect_independent",
        "mde_vary_low",
        "mde_vary_high",
        "mde_at_vary_low",
        "mde_at_vary_high",
        "large_difference",
        "mde_flip_at",
        "min_cell_count",
    ],
    one_draw=[
        "n_rsw",
        "n_sau",
        "mean_quality_rsw",
        "mean_quality_sau",
        "rsw_vs_sau_difference",
        "rsw_vs_sau_difference_ci_low",
        "rsw_vs_sau_difference_ci_high",
        "hedges_g",
        "hedges_g_ci_low",
        "hedges_g_ci_high",
        "icc_estimate",
        "design_effect_rsw",
        "design_effect_sau",
        *_FACTOR_ONE_DRAW,
        "n_significant_factors",
        "clinician_on_discussion",
        "discussion_on_quality_given_clinician",
        "indirect_effect_clinician",
        "indirect_effect_clinician_ci_low",
        "indirect_effect_clinician_ci_high",
        "direct_effect_clinician",
        "direct_effect_clinician_ci_low",
        "direct_effect_clinician_ci_high",
        "total_effect_clinician",
        "total_effect_clinician_ci_low",
        "total_effect_clinician_ci_high",
        "proportion_mediated",
        "n_boot_failed",
        "skill_corr_within",
        "skill_corr_between",
        "skill_corr_min",
        "skill_corr_max",
        "pooled_sd",
        "min_detectable_effect_points",
    ],
)


# ------------------------------------------------------------------ the analysis
def run(params: Mapping[str, Any]) -> AnalysisResult:
    """The whole analysis for validated parameters."""
    p = PARAMETERS.validate(params)
    own = bool(p["data_path"])
    inputs = registry_input()
    if own:
        records = load_records(p["data_path"])
        check_arm_sizes(records, p["min_cell_count"], p["data_path"])
        inputs[p["data_path"]] = sha256_file(Path(p["data_path"]))
        source_text = f"your own records ({Path(p['data_path']).name})"
    else:
        records = simulate_observations(p)
        check_synthetic(p, records)
        source_text = f"a synthetic reconstruction (seed {p['seed']})"
    frame = add_practice_quality(records)
    level, alpha = p["ci_level"], p["alpha"]
    seeds = np.random.SeedSequence([p["seed"], 2])
    truth = generator_truth(p)

    # 1. RSW vs service as usual.
    rsw_fit = clustered_ols(frame, "practice_quality", ["rsw"], "unit_id")
    diff = float(rsw_fit.params["rsw"])
    diff_lo, diff_hi = (float(x) for x in rsw_fit.conf_int(alpha=1 - level).loc["rsw"])
    icc = icc_anova(frame["practice_quality"], frame["unit_id"], frame["rsw"])
    sizes = frame.groupby("unit_id").agg(m=("rsw", "size"), rsw=("rsw", "first"))
    deff_rsw = design_effect(sizes.loc[sizes["rsw"] == 1, "m"], icc)
    deff_sau = design_effect(sizes.loc[sizes["rsw"] == 0, "m"], icc)
    q_rsw = frame.loc[frame["rsw"] == 1, "practice_quality"]
    q_sau = frame.loc[frame["rsw"] == 0, "practice_quality"]
    g = standardised_difference(q_rsw, q_sau, level, deff_rsw, deff_sau)

    # 2. The four factors.
    fit = clustered_ols(frame, "practice_quality", FACTORS, "unit_id")
    ci = fit.conf_int(alpha=1 - level)
    coef_rows = []
    scalars_coef: dict[str, Any] = {}
    for f in FACTORS:
        k = FACTOR_KEYS[f]
        est, lo, hi = float(fit.params[f]), float(ci.loc[f, 0]), float(ci.loc[f, 1])
        scalars_coef[f"coef_{k}"] = est
        scalars_coef[f"coef_{k}_ci_low"] = lo
        scalars_coef[f"coef_{k}_ci_high"] = hi
        scalars_coef[f"p_{k}_text"] = format_p(float(fit.pvalues[f]))
        coef_rows.append(
            {
                "factor": FACTOR_LABELS[f],
                "key": k,
                "estimate": est,
                "low": lo,
                "high": hi,
                "p": float(fit.pvalues[f]),
                "assumed": truth[k],
            }
        )
    coefs = pd.DataFrame(coef_rows)
    significant = [FACTOR_PROSE[f] for f in FACTORS if float(fit.pvalues[f]) < alpha]
    mixed = mixed_model_check(frame, level)

    # 3. Mediation of the clinician's effect through discussion quality.
    med = mediation_bootstrap(
        frame,
        "clinician_present",
        "discussion_quality",
        "practice_quality",
        ["systemic_training", "csw_programme"],
        groups="unit_id",
        strata="rsw",
        n_boot=p["n_boot"],
        level=level,
        rng=np.random.default_rng(seeds),
    )
    mediation = pd.DataFrame(
        [
            {
                "effect": "total",
                "estimate": med.total,
                "low": med.total_ci[0],
                "high": med.total_ci[1],
                "assumed": truth["total_clinician"],
            },
            {
                "effect": "direct",
                "estimate": med.direct,
                "low": med.direct_ci[0],
                "high": med.direct_ci[1],
                "assumed": truth["clinician"],
            },
            {
                "effect": "indirect (through discussion)",
                "estimate": med.indirect,
                "low": med.indirect_ci[0],
                "high": med.indirect_ci[1],
                "assumed": truth["indirect"],
            },
        ]
    )

    # 4. Skills: correlations and grouping.
    skills = skill_grouping(frame)
    corr = skills["correlations"]

    # 5. Minimum detectable effect and how often each factor would be found.
    n_rsw, n_sau = int(len(q_rsw)), int(len(q_sau))
    unit_sizes = sizes["m"].to_numpy()
    mde_deff = design_effect(unit_sizes, p["mde_icc"])
    # The design's split: with own records, the records'; synthetic, the generator's expected split (the
    # share of units that are RSW units), not one draw's, so that the detectable difference is a property
    # of the assumed design rather than of the seed.
    plan_share = n_rsw / len(frame) if own else round(p["share_rsw_units"] * p["n_units"]) / p["n_units"]
    plan_rsw, plan_sau = len(frame) * plan_share, len(frame) * (1 - plan_share)
    mde = min_detectable_effect(plan_rsw, plan_sau, alpha, p["power"], mde_deff)
    mde_independent = min_detectable_effect(plan_rsw, plan_sau, alpha, p["power"], 1.0)
    if own:  # the user's records are one data set: there is nothing to replicate
        draws, rep_summary, power, rep_scalars = None, None, {}, {}
    else:
        draws, rep_summary = reconstructions(p)
        power = factor_power(draws, p)
        rep_scalars = replicates.scalars(rep_summary)
    m_tilde = float((unit_sizes**2).sum() / unit_sizes.sum())
    dep = mde_dependence(p, len(frame), plan_share, m_tilde)
    dep_body, dep_summary = _dependence_text(dep)

    # Calibration: the published split of case discussions and what the generator implies.
    published_counts = {b: published(BAND_IDS[b]) for b in BANDS}
    n_disc = sum(published_counts.values())
    d0, sd_d = truth["discussion_intercept"], truth["discussion_sd"]
    pc, a = p["p_clinician_rsw"], p["effect_clinician_on_discussion"]
    lo_edge, hi_edge = BAND_EDGES

    def mix_cdf(x: float) -> float:
        return float((1 - pc) * sps.norm.cdf(x, d0, sd_d) + pc * sps.norm.cdf(x, d0 + a, sd_d))

    expected = {
        BANDS[0]: mix_cdf(lo_edge),
        BANDS[1]: mix_cdf(hi_edge) - mix_cdf(lo_edge),
        BANDS[2]: 1 - mix_cdf(hi_edge),
    }
    rsw_bands = discussion_band(frame.loc[frame["rsw"] == 1, "discussion_quality"]).value_counts()
    calibration = pd.DataFrame(
        [
            {
                "rating": b,
                "published count": published_counts[b],
                "published share": published_counts[b] / n_disc,
                "expected share (generator)": expected[b],
                "share in these RSW observations": rsw_bands.get(b, 0) / max(n_rsw, 1),
            }
            for b in BANDS
        ]
    )

    threshold = p["min_cell_count"] if own else None
    if own:  # the shares of RSW observations by band times n_rsw are the description table's counts
        band_hidden = suppress(_arm_counts(frame)["discussion band"], threshold, known=_ARMS_SHOWN).mask["RSW"]
        calibration["share in these RSW observations"] = [
            MARKER if band_hidden[f"discussion {b}"] else v
            for b, v in zip(BANDS, calibration["share in these RSW observations"])
        ]
    described, suppression_note = description_table(frame, threshold)
    arms = arm_summary(frame, threshold)

    verdict_rsw = (
        "higher in RSW units than in service as usual" if diff > 0 else "lower in RSW units than in service as usual"
    ) + (
        ", and the interval excludes no difference"
        if _excludes_zero(diff_lo, diff_hi)
        else ", but the interval includes no difference"
    )
    n_sig = len(significant)
    scalars: dict[str, Any] = {
        "data_source": "own records" if own else "synthetic",
        "data_source_text": source_text,
        "practice_observations_published": published("rsw_practice_observations"),
        "significant_factors_published": published("rsw_significant_factors"),
        "coded_skills_published": published("rsw_coded_skills"),
        "recordings_compared_published": published("rsw_recordings_compared"),
        "las_compared_published": published("rsw_las_compared"),
        "local_authorities_published": published("rsw_local_authorities"),
        "discussions_nonsystemic_published": published_counts[BANDS[0]],
        "discussions_green_shoots_published": published_counts[BANDS[1]],
        "discussions_systemic_published": published_counts[BANDS[2]],
        "discussions_published_total": n_disc,
        "n_skills": len(SKILLS),
        "scale_min": SCALE_MIN,
        "scale_max": SCALE_MAX,
        "band_low_edge": BAND_EDGES[0],
        "band_high_edge": BAND_EDGES[1],
        "discussion_intercept": d0,
        "discussion_sd": sd_d,
        "n_observations": len(frame),
        "n_units": int(frame["unit_id"].nunique()),
        "n_rsw": n_rsw,
        "n_sau": n_sau,
        "n_rsw_units": int((sizes["rsw"] == 1).sum()),
        "n_sau_units": int((sizes["rsw"] == 0).sum()),
        "ci_level": level,
        "alpha": alpha,
        "mean_quality_rsw": float(q_rsw.mean()),
        "mean_quality_sau": float(q_sau.mean()),
        "rsw_vs_sau_difference": diff,
        "rsw_vs_sau_difference_ci_low": diff_lo,
        "rsw_vs_sau_difference_ci_high": diff_hi,
        "rsw_vs_sau_p_text": format_p(float(rsw_fit.pvalues["rsw"])),
        "rsw_vs_sau_verdict": verdict_rsw,
        "hedges_g": g.g,
        "hedges_g_ci_low": g.low,
        "hedges_g_ci_high": g.high,
        "icc_estimate": icc,
        "design_effect_rsw": deff_rsw,
        "design_effect_sau": deff_sau,
        **scalars_coef,
        "n_significant_factors": n_sig,
        "significant_factors_text": (", ".join(significant[:-1]) + " and " + significant[-1])
        if n_sig > 1
        else (significant[0] if significant else "none of them"),
        "assumed_training": truth["training"],
        "assumed_csw": truth["csw"],
        "assumed_discussion": truth["discussion"],
        "assumed_clinician": truth["clinician"],
        "assumed_clinician_on_discussion": truth["clinician_on_discussion"],
        "assumed_indirect": truth["indirect"],
        "assumed_total_clinician": truth["total_clinician"],
        "clinician_on_discussion": med.a,
        "discussion_on_quality_given_clinician": med.b,
        "indirect_effect_clinician": med.indirect,
        "indirect_effect_clinician_ci_low": med.indirect_ci[0],
        "indirect_effect_clinician_ci_high": med.indirect_ci[1],
        "direct_effect_clinician": med.direct,
        "direct_effect_clinician_ci_low": med.direct_ci[0],
        "direct_effect_clinician_ci_high": med.direct_ci[1],
        "total_effect_clinician": med.total,
        "total_effect_clinician_ci_low": med.total_ci[0],
        "total_effect_clinician_ci_high": med.total_ci[1],
        "clinician_pathway_text": _pathway(med.indirect, med.direct),
        # The split the synthetic records were generated with: finding it again is no finding.
        "assumed_pathway_text": _pathway(truth["indirect"], truth["clinician"]),
        "clinician_split_text": (
            "Your own records were not generated by the page, so the split below is estimated from them; it "
            "rests on the mediation analysis's own assumptions (below)."
            if own
            else f"How that association splits is set here by assumption: the generator gives a clinician an indirect "
            f"effect of {truth['indirect']:.2f} points through the discussion and {truth['clinician']:.2f} by "
            f"other routes, that is {_pathway(truth['indirect'], truth['clinician'])}, so finding the split again "
            "checks the method, not clinicians."
        ),
        "proportion_mediated": med.proportion_mediated if np.isfinite(med.proportion_mediated) else 0.0,
        "n_boot": p["n_boot"],
        "n_boot_failed": med.n_failed,
        "skill_corr_within": skills["within"],
        "skill_corr_between": skills["between"],
        "skill_corr_min": skills["min"],
        "skill_corr_max": skills["max"],
        "grouping_verdict": "recovers the three groups of the framework"
        if skills["recovers"]
        else "does not recover the three groups of the framework",
        "grouping_found_text": skills["found_text"],
        "power": p["power"],
        "mde_icc": p["mde_icc"],
        "mde_design_effect": mde_deff,
        "mde_cluster_size": m_tilde,
        "min_detectable_effect": mde,
        "min_detectable_effect_independent": mde_independent,
        "min_detectable_effect_points": mde * g.pooled_sd,
        "pooled_sd": g.pooled_sd,
        **power,
        **rep_scalars,
        **({} if own else {"replicate_mcse_max": 0.5 / np.sqrt(p["n_replicates"])}),
        "replicates_text": (
            "Your own records are one data set, not a reconstruction: there are no replicates, so the statements "
            "below about reconstructions do not apply to them (the body states your records' estimates)."
            if own
            else "Summarised across many synthetic reconstructions (each a new draw of the records "
            "from the same assumptions)."
        ),
        "mde_depends_on_text": dep["label"],
        "mde_dependence_text": dep_body,
        "mde_dependence_summary": dep_summary,
        "mde_vary_low": dep["low"],
        "mde_vary_high": dep["high"],
        "mde_at_vary_low": float(dep["table"]["outcome"].iloc[0]),
        "mde_at_vary_high": float(dep["table"]["outcome"].iloc[-1]),
        "large_difference": LARGE_DIFFERENCE,
        "mde_share_rsw": plan_share,
        **({"mde_flip_at": dep["flips"][0]} if dep["flips"] else {}),
        "mixed_model_converged": "converged" if bool(mixed["converged"].all()) else "did not converge",
    }
    scalars["min_cell_count"] = p["min_cell_count"]
    scalars["suppression_note"] = suppression_note
    figures_used = [
        FigureUse("rsw_practice_observations", "input"),
        FigureUse("rsw_significant_factors", "quoted"),
        FigureUse("rsw_coded_skills", "quoted"),
        FigureUse("rsw_recordings_compared", "quoted"),
        FigureUse("rsw_las_compared", "quoted"),
        FigureUse("rsw_local_authorities", "quoted"),
        *[FigureUse(BAND_IDS[b], "input") for b in BANDS],
    ]
    return AnalysisResult(
        notebook="rsw_quality_factors",
        params=p,
        scalars=scalars,
        tables={
            "coefficients": coefs,
            "mixed": mixed,
            "mediation": mediation,
            "correlations": corr,
            "calibration": calibration,
            "description": described,
            "arms": arms,
            "mde_tornado": dep["tornado"],
            "mde_dependence": dep["table"],
            **({} if own else {"replicates": draws, "replicate_summary": rep_summary}),
        },
        data={
            "frame": frame,
            "mediation": med,
            "suppression_note": suppression_note,
            "own": own,
            "dependence": dep,
            "n_rsw": n_rsw,
            "n_sau": n_sau,
            "unit_sizes": unit_sizes,
            "hedges": g,
        },
        figures_used=figures_used,
        inputs=inputs,
    )


# ------------------------------------------------------------------ tables for the page
def coefficient_table(result: AnalysisResult) -> pd.DataFrame:
    c, m = result.tables["coefficients"], result.tables["mixed"]
    level = result.params["ci_level"]
    out = pd.DataFrame(
        {
            "factor": c["factor"],
            "estimate (clustered OLS)": c["estimate"].map("{:.2f}".format),
            f"{level:.0%} interval": [_interval_text(lo, hi) for lo, hi in zip(c["low"], c["high"])],
            "p": c["p"].map(lambda x: format_p(x).removeprefix("p ").removeprefix("= ")),
            "mixed model estimate": m["estimate"].map("{:.2f}".format).to_numpy(),
            f"mixed model {level:.0%} interval": [_interval_text(lo, hi) for lo, hi in zip(m["low"], m["high"])],
        }
    )
    if not result.data["own"]:
        out["assumed in the generator"] = c["assumed"].map("{:.2f}".format)
    return out


def mediation_table(result: AnalysisResult) -> pd.DataFrame:
    t = result.tables["mediation"]
    level = result.params["ci_level"]
    out = pd.DataFrame(
        {
            "effect of a clinician in case discussion": t["effect"],
            "estimate": t["estimate"].map("{:.2f}".format),
            f"{level:.0%} cluster-bootstrap interval": [_interval_text(lo, hi) for lo, hi in zip(t["low"], t["high"])],
        }
    )
    if not result.data["own"]:
        out["assumed in the generator"] = t["assumed"].map("{:.2f}".format)
    return out


def calibration_table(result: AnalysisResult) -> pd.DataFrame:
    t = result.tables["calibration"].copy()
    for col in ("published share", "expected share (generator)", "share in these RSW observations"):
        t[col] = t[col].map(lambda v: v if v == MARKER else f"{v:.0%}")
    if result.data["own"]:
        t = t.drop(columns=["expected share (generator)"]).rename(
            columns={"share in these RSW observations": "share in your RSW observations"}
        )
    return t


# ------------------------------------------------------------------ figures
def plot_arms(result: AnalysisResult) -> plt.Figure:
    """Practice quality by arm (box plots without individual outliers), with the means."""
    frame = result.data["frame"].assign(arm=lambda d: d["rsw"].map({1: "RSW units", 0: "Service as usual"}))
    order = ["RSW units", "Service as usual"]
    fig, ax = plt.subplots(figsize=(7.0, 3.4))
    sns.boxplot(
        data=frame,
        y="arm",
        x="practice_quality",
        order=order,
        hue="arm",
        hue_order=order,
        palette=[COLOURS["primary"], COLOURS["secondary"]],
        showfliers=False,
        width=0.5,
        ax=ax,
        legend=False,
    )
    means = frame.groupby("arm")["practice_quality"].mean().reindex(order)
    ax.plot(means.to_numpy(), np.arange(len(order)), "D", color="white", mec="black", ms=7, label="mean")
    ax.set_xlim(SCALE_MIN, SCALE_MAX)
    ax.set_xlabel(f"Practice quality (mean of the seven skills, {SCALE_MIN}–{SCALE_MAX} scale)")
    ax.set_ylabel("")
    ax.legend(loc="lower right", fontsize=9)
    fig.tight_layout()
    return fig


def plot_coefficients(result: AnalysisResult) -> plt.Figure:
    """The four factors' coefficients with intervals (and, for synthetic data, the assumed values)."""
    c = result.tables["coefficients"].iloc[::-1].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(7.5, 3.4))
    y = np.arange(len(c))
    ax.hlines(y, c["low"], c["high"], color=COLOURS["primary"], lw=3)
    ax.plot(
        c["estimate"],
        y,
        "o",
        color=COLOURS["primary"],
        ms=8,
        label=f"estimate, {result.params['ci_level']:.0%} interval",
    )
    if not result.data["own"]:
        ax.plot(
            c["assumed"], y, "D", mfc="none", mec=COLOURS["negative"], ms=9, mew=1.8, label="assumed in the generator"
        )
    ax.axvline(0, color=COLOURS["reference"], lw=1)
    ax.set_yticks(y, c["factor"])
    ax.set_xlabel("Change in practice quality (points on the 1–5 scale)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2, fontsize=9)
    fig.tight_layout()
    return fig


def plot_mediation(result: AnalysisResult) -> plt.Figure:
    """Total, direct and indirect effects of a clinician's presence, with intervals."""
    t = result.tables["mediation"].iloc[::-1].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(7.5, 3.0))
    y = np.arange(len(t))
    colours = [COLOURS["positive"], COLOURS["secondary"], COLOURS["primary"]]
    ax.hlines(y, t["low"], t["high"], color=colours, lw=3)
    ax.scatter(
        t["estimate"], y, color=colours, s=60, zorder=3, label=f"estimate, {result.params['ci_level']:.0%} interval"
    )
    if not result.data["own"]:
        ax.plot(
            t["assumed"], y, "D", mfc="none", mec=COLOURS["negative"], ms=9, mew=1.8, label="assumed in the generator"
        )
    ax.axvline(0, color=COLOURS["reference"], lw=1)
    ax.set_yticks(y, [e.capitalize() for e in t["effect"]])
    ax.set_xlabel("Effect of a clinician in case discussion on practice quality (points)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=2, fontsize=9)
    fig.tight_layout()
    return fig


def plot_skill_correlations(result: AnalysisResult) -> plt.Figure:
    """Spearman correlations of the seven skills, ordered by the framework's groups."""
    order = [s for members in SKILL_GROUPS.values() for s in members]
    corr = result.tables["correlations"].loc[order, order]
    labels = [SKILL_LABELS[s] for s in order]
    fig, ax = plt.subplots(figsize=(7.0, 5.8))
    sns.heatmap(
        corr,
        vmin=-1,
        vmax=1,
        center=0,
        cmap=DIVERGING,
        annot=True,
        fmt=".2f",
        square=True,
        xticklabels=labels,
        yticklabels=labels,
        cbar_kws={"label": "Spearman correlation"},
        ax=ax,
    )
    edge = 0
    for members in SKILL_GROUPS.values():
        ax.add_patch(plt.Rectangle((edge, edge), len(members), len(members), fill=False, ec="black", lw=2))
        edge += len(members)
    ax.set_xlabel("Skill (boxes: relationship building, good authority, evocation)")
    ax.set_ylabel("Skill")
    fig.tight_layout()
    return fig


def plot_mde(result: AnalysisResult) -> plt.Figure:
    """Minimum detectable standardised difference by number of observations, for several ICCs,
    with the RSW/SAU split and unit size of the data."""
    s = result.scalars
    share = s["mde_share_rsw"]
    m_tilde = s["mde_cluster_size"]
    ns = np.unique(np.r_[np.linspace(20, 400, 77).round(), s["n_observations"]]).astype(int)
    fig, ax = plt.subplots(figsize=(7.5, 4.0))
    iccs = sorted({0.0, s["mde_icc"], min(2 * s["mde_icc"], 0.9)} if s["mde_icc"] > 0 else {0.0, 0.1, 0.2})
    for colour, icc in zip((COLOURS["reference"], COLOURS["primary"], COLOURS["secondary"]), iccs):
        deff = 1 + (m_tilde - 1) * icc
        values = []
        for n in ns:
            n1, n2 = n * share, n * (1 - share)
            values.append(
                min_detectable_effect(n1, n2, s["alpha"], s["power"], deff) if min(n1, n2) / deff > 2 else np.nan
            )
        ax.plot(ns, values, color=colour, lw=2, label=f"ICC {icc:.2f}")
    ax.axvline(s["n_observations"], color=COLOURS["negative"], ls="--", lw=1.2)
    ax.plot(
        [s["n_observations"]],
        [s["min_detectable_effect"]],
        "o",
        color=COLOURS["negative"],
        label=f"{s['n_observations']} observations, ICC {s['mde_icc']:.2f}",
    )
    ax.set_xlabel("Observations of practice (count)")
    ax.set_ylabel("Minimum detectable difference\n(standard deviations)")
    ax.set_ylim(0, None)
    ax.legend(fontsize=9)
    fig.tight_layout()
    return fig


def plot_replicates(result: AnalysisResult) -> plt.Figure:
    """Each key estimate across the synthetic reconstructions: every reconstruction's estimate (dots), the
    median and central range (bar), and the value the generator was given (diamond)."""
    draws, summary = result.tables["replicates"], result.tables["replicate_summary"]
    order = list(REPLICATE_ESTIMATES)[::-1]
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    rng = np.random.default_rng(0)  # jitter only
    for y, name in enumerate(order):
        values = draws.loc[draws["estimate"] == name, "value"].dropna().to_numpy()
        ax.plot(values, y + rng.uniform(-0.18, 0.18, len(values)), ".", color=COLOURS["reference"], ms=2, alpha=0.35)
        row = summary.set_index("estimate").loc[name]
        ax.hlines(y, row["range_low"], row["range_high"], color=COLOURS["primary"], lw=3.5)
        ax.plot(
            row["median"],
            y,
            "o",
            color=COLOURS["primary"],
            ms=8,
            label=f"median and central {result.params['ci_level']:.0%} range" if y == 0 else None,
        )
        ax.plot(
            row["truth"],
            y,
            "D",
            mfc="none",
            mec=COLOURS["negative"],
            ms=9,
            mew=1.8,
            label="value given to the generator" if y == 0 else None,
        )
    ax.axvline(0, color=COLOURS["reference"], lw=1)
    ax.set_yticks(range(len(order)), [REPLICATE_LABELS[n] for n in order])
    ax.set_xlabel("Estimate in each reconstruction (points on the 1–5 scale)")
    fig.legend(loc="lower center", ncol=2, fontsize=9)
    fig.tight_layout(rect=(0, 0.09, 1, 1))
    return fig


def plot_dependence(result: AnalysisResult) -> plt.Figure:
    """The minimum detectable difference as its most influential assumption moves over its plausible range."""
    from helpers.page.plotting import dependence_plot

    dep = result.data["dependence"]
    return dependence_plot(
        dep["table"],
        dep["label"].capitalize() + " (assumed)",
        "Minimum detectable difference\n(standard deviations)",
        base=dep["base"],
        threshold=LARGE_DIFFERENCE,
        threshold_label=f"a large difference ({LARGE_DIFFERENCE:g} SD)",
    )
