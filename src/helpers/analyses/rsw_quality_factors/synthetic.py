"""The synthetic reconstruction: observations of direct practice generated from a seed by a model
that follows the published causal story (each path with its own effect-size parameter)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .framework import BINARY, DISCUSSION_REFERENCE, SCALE_MAX, SCALE_MIN, SKILL_GROUPS, SKILLS, calibrate_discussion
from .parameters import Parameters


def discussion_calibration(p: Parameters) -> tuple[float, float]:
    """The discussion score's intercept and residual SD in RSW units (:func:`calibrate_discussion`)."""
    found = calibrate_discussion(p.effect_clinician_on_discussion, p.p_clinician_rsw)
    if found is None:  # validation refuses such parameters (a constraint of Parameters)
        raise ValueError("the discussion scores cannot be calibrated to the published split")
    return found


def generator_truth(p: Parameters) -> dict[str, float]:
    """The generator's own parameters in the units the analysis estimates."""
    d0, sd_d = discussion_calibration(p)
    indirect = p.effect_clinician_on_discussion * p.effect_discussion
    return {
        "training": p.effect_training,
        "csw": p.effect_csw,
        "discussion": p.effect_discussion,
        "clinician": p.effect_clinician_direct,
        "clinician_on_discussion": p.effect_clinician_on_discussion,
        "indirect": indirect,
        "total_clinician": p.effect_clinician_direct + indirect,
        "discussion_intercept": d0,
        "discussion_sd": sd_d,
    }


def simulate_arrays(
    p: Parameters, rng: np.random.Generator, *, bounded: bool = True, size: int | None = None
) -> dict[str, np.ndarray]:
    """The generator itself (see :func:`simulate_observations`), as arrays: one reconstruction, or with
    ``size`` that many at once (each array gains a first axis of that length; ``unit``, each observation's
    unit, is the same in all of them, and so are the units' sizes)."""
    r = 1 if size is None else size
    n, n_units = p.n_observations, p.n_units
    n_rsw_units = round(p.share_rsw_units * n_units)
    unit = np.arange(n) % n_units  # observations spread over the units as evenly as possible
    arms = np.r_[np.ones(n_rsw_units, int), np.zeros(n_units - n_rsw_units, int)]
    rsw = rng.permuted(np.tile(arms, (r, 1)), axis=1)[:, unit]  # which units are RSW units: at random

    def draw(p_rsw: float, p_sau: float) -> np.ndarray:
        return (rng.random((r, n)) < np.where(rsw == 1, p_rsw, p_sau)).astype(int)

    training = draw(p.p_training_rsw, p.p_training_sau)
    csw = draw(p.p_csw_rsw, p.p_csw_sau)
    clinician = draw(p.p_clinician_rsw, p.p_clinician_sau)
    d0, sd_d = discussion_calibration(p)
    discussion = d0 + p.effect_clinician_on_discussion * clinician + rng.normal(0, sd_d, (r, n))
    if bounded:
        discussion = np.clip(np.round(discussion, 2), SCALE_MIN, SCALE_MAX)
    unit_effect = rng.normal(0, p.unit_sd, (r, n_units))
    quality = (
        p.baseline_quality
        + p.effect_training * training
        + p.effect_csw * csw
        + p.effect_discussion * (discussion - DISCUSSION_REFERENCE)
        + p.effect_clinician_direct * clinician
        + unit_effect[:, unit]
        + rng.normal(0, p.residual_sd, (r, n))
    )
    group_of = {s: g for g, members in SKILL_GROUPS.items() for s in members}
    group_dev = {g: rng.normal(0, p.skill_group_sd, (r, n)) for g in SKILL_GROUPS}
    deviations = np.stack([group_dev[group_of[s]] + rng.normal(0, p.skill_item_sd, (r, n)) for s in SKILLS], axis=-1)
    deviations -= deviations.mean(axis=-1, keepdims=True)
    skills = quality[..., None] + deviations
    if bounded:
        skills = np.clip(np.round(skills), SCALE_MIN, SCALE_MAX)
    out = {
        "rsw": rsw,
        "systemic_training": training,
        "csw_programme": csw,
        "clinician_present": clinician,
        "discussion_quality": discussion,
        "skills": skills,
    }
    if size is None:
        out = {k: v[0] for k, v in out.items()}
    return {"unit": unit, **out}


def simulate_observations(p: Parameters, *, bounded: bool = True, seed: int | None = None) -> pd.DataFrame:
    """Synthetic observations of direct practice, nested in units, from validated parameters.

    Units: ``round(share_rsw_units × n_units)`` RSW units (chosen at random), the rest service as
    usual (SAU); observations are spread over the units as evenly as possible.
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
    rng = np.random.default_rng(p.seed if seed is None else seed)
    a = simulate_arrays(p, rng, bounded=bounded)
    n, n_units = p.n_observations, p.n_units
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
