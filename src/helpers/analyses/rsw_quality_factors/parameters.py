"""The page's parameters (``Parameters``, in notebook order) and the rules across them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from helpers.page.registry import published
from helpers.params import Constraint, ParameterSet, ParamSpec, param

from .framework import MIN_UNITS, calibrate_discussion


def _calibrates(p: Mapping[str, Any]) -> bool:
    return calibrate_discussion(p["effect_clinician_on_discussion"], p["p_clinician_rsw"]) is not None


def _factor_varies(key: str) -> Callable[[Mapping[str, Any]], bool]:
    """Whether a binary factor can vary: its shares in the two arms are not both 0 nor both 1."""

    def holds(p: Mapping[str, Any]) -> bool:
        pair = {p[f"p_{key}_rsw"], p[f"p_{key}_sau"]}
        return pair != {0.0} and pair != {1.0}

    return holds


def _both_arms(p: Mapping[str, Any]) -> bool:
    k = round(p["share_rsw_units"] * p["n_units"])
    return 2 <= k <= p["n_units"] - 2


#: The options every effect-size parameter shares.
_EFFECT: dict[str, Any] = {"minimum": -4.0, "maximum": 4.0, "unit": "points on the 1–5 scale"}


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
        int(published("rsw_practice_observations")),
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
    n_boot: int = param(
        20_000,
        "Cluster-bootstrap resamples for the mediation intervals (enough for their limits to two decimals; "
        "each limit is printed to the precision its Monte Carlo error supports)",
        minimum=200,
        maximum=200_000,
    )
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
        10_000,
        "Simulated studies (R) of this design that the page's synthetic results are summarised across, also "
        "used for how often each factor would be found significant (replaces n_sims; enough for those shares to "
        "the whole percentage point)",
        minimum=10,
        maximum=100_000,
        unit="simulated studies",
    )
    data_path: str = param(
        "", "Your own records (CSV; see the page for the columns); '' uses the synthetic reconstruction", is_path=True
    )
    min_cell_count: int = param(
        5, "Counts below this from your own records are suppressed", minimum=1, maximum=1000, unit="observations"
    )
    seed: int = param(
        2017,
        "Seed of the random number generator (synthetic records, bootstrap, simulations)",
        minimum=0,
        maximum=2**32 - 1,
    )


PARAMETERS = ParamSpec.of(Parameters)
