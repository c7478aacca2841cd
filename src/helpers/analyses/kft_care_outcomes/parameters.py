"""The KFT page's title, summary and declared parameters (in notebook order)."""

from __future__ import annotations

from helpers.page.registry import published, published_share
from helpers.params import Constraint, ParameterSet, ParamSpec, param
from helpers.stats.proportions import CI_METHODS

TITLE = "Keeping Families Together: care outcomes against the units' target"
SUMMARY = (
    f"KFT units (RSW, 2017): share of {published('kft_n_referred')} referred children and young people kept at home, "
    "its interval, "
    f"the test against the {published('kft_target_home_pct')}% target, illustrative cost avoidance"
)


class Parameters(
    ParameterSet,
    constraints=(
        Constraint(
            ("n_entered_care", "n_referred"),
            lambda p: p["n_entered_care"] <= p["n_referred"],
            "at most n_referred (children entering care are among those referred)",
        ),
    ),
):
    """This analysis's parameters, in notebook order (validated values: ``PARAMETERS.validate``)."""

    n_referred: int = param(
        int(published("kft_n_referred")),
        f"Children referred to the KFT units as at high risk of care (published: {published('kft_n_referred')})",
        minimum=1,
        maximum=1_000_000,
        unit="children",
    )
    n_entered_care: int = param(
        int(published("kft_n_entered_care")),
        f"Referred children who subsequently received some form of care (published: {published('kft_n_entered_care')})",
        minimum=0,
        maximum=1_000_000,
        unit="children",
    )
    target_home_rate: float = param(
        published_share("kft_target_home_pct"),
        f"The units' target share of referred children kept at home (published: {published('kft_target_home_pct')}%)",
        minimum=0,
        maximum=1,
        minimum_exclusive=True,
        maximum_exclusive=True,
    )
    ci_level: float = param(
        0.95, "Confidence level of the interval for the share at home", minimum=0.5, maximum=1, maximum_exclusive=True
    )
    ci_method: str = param("wilson", "Interval method for the share at home", choices=tuple(CI_METHODS))
    alpha: float = param(
        0.05,
        "Significance level of the one-sided exact binomial test against the target",
        minimum=0,
        maximum=0.5,
        minimum_exclusive=True,
    )
    counterfactual_care_rate: float = param(
        0.5,
        "Assumed share of the referred children who would have entered care without the units (plain "
        "assumption: nothing published measures it, and the units' target is not an estimate of it; the page "
        "shows the net saving at every value and where it breaks even)",
        minimum=0,
        maximum=1,
    )
    weeks_in_care_avoided: float = param(
        52.0,
        "Assumed weeks in care avoided for each child diverted from care (plain assumption)",
        minimum=0,
        maximum=1040,
        minimum_exclusive=True,
        unit="weeks",
    )
    weekly_cost_foster: float = param(
        float(published("cost_foster_week_pssru2017")),
        f"Foster care, cost per child per week (PSSRU Unit Costs 2017: £{published('cost_foster_week_pssru2017')})",
        minimum=0,
        maximum=100_000,
        unit="GBP per week",
    )
    weekly_cost_residential: float = param(
        float(published("cost_childrens_home_week_dfe2016")),
        "Children's home, cost per child per week "
        f"(DfE 2016, UIN 49075: about £{published('cost_childrens_home_week_dfe2016'):,})",
        minimum=0,
        maximum=100_000,
        unit="GBP per week",
    )
    share_residential: float = param(
        0.2,
        "Assumed share of avoided placements that would have been in children's homes rather than foster care "
        "(plain assumption)",
        minimum=0,
        maximum=1,
    )
    service_cost_per_child: float = param(
        5000.0,
        "Assumed extra cost of the KFT service per referred child (plain assumption; no published figure)",
        minimum=0,
        maximum=1_000_000,
        unit="GBP per child",
    )
    psa_draws: int = param(10_000, "Draws in the probabilistic sensitivity analysis", minimum=100, maximum=2_000_000)
    psa_cv: float = param(
        0.25,
        "Coefficient of variation given to every uncertain cost-model input in the sensitivity analyses "
        "(an assumption: no published figure gives these spreads)",
        minimum=0,
        maximum=2,
    )
    seed: int = param(2017, "Seed of the random number generator (sensitivity analysis)", minimum=0, maximum=2**32 - 1)


PARAMETERS = ParamSpec.of(Parameters)
