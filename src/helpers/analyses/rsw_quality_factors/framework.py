"""The coding framework and the published split it is calibrated to: skills, scale, discussion
bands and the four factors, with their labels."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import optimize
from scipy import stats as sps

from helpers.page.registry import published

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


def expected_band_shares(d0: float, sd: float, effect: float, p_clinician: float) -> dict[str, float]:
    """The shares of RSW discussions in each band that the generator implies (for the calibration table)."""
    lo_edge, hi_edge = BAND_EDGES

    def mix_cdf(x: float) -> float:
        return float((1 - p_clinician) * sps.norm.cdf(x, d0, sd) + p_clinician * sps.norm.cdf(x, d0 + effect, sd))

    return {
        BANDS[0]: mix_cdf(lo_edge),
        BANDS[1]: mix_cdf(hi_edge) - mix_cdf(lo_edge),
        BANDS[2]: 1 - mix_cdf(hi_edge),
    }
