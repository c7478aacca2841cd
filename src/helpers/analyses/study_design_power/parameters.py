"""The study-design page's title, summary, the published figures it starts from, and its declared
parameters (in notebook order)."""

from __future__ import annotations

from helpers.page.registry import published
from helpers.params import Constraint, ParameterSet, ParamSpec, param

#: Published figures the page starts from: the motivational-interviewing trial's size (Forrester et al., 2018)
#: and what the Frontline evaluation planned and reported (Dartington, 2018).
MI_WORKERS = int(published("forrester2018_mi_workers_a") + published("forrester2018_mi_workers_b"))
MI_FAMILIES = int(published("forrester2018_mi_families_a") + published("forrester2018_mi_families_b"))
MI_FAMILIES_PER_WORKER = MI_FAMILIES / MI_WORKERS
PLANNED_GROUPS = int(published("frontline_planned_groups"))
WORKERS_LOW = int(published("frontline_workers_per_case_low"))
WORKERS_HIGH = int(published("frontline_workers_per_case_high"))

TITLE = "Study design: how many social workers and families a comparison of training routes would need"
SUMMARY = (
    "A planner for a study like the Frontline evaluation (Dartington, 2018): families per arm with the design "
    "effect, workers and referred families given attrition and eligibility, the smallest design that reaches the "
    "target power by simulation under a family-level analysis with worker-clustered (CR2) errors, against "
    "unweighted worker means; power curves by ICC"
)


class Parameters(
    ParameterSet,
    constraints=(
        Constraint(("power", "alpha"), lambda p: p["power"] > p["alpha"], "more than alpha"),
        Constraint(
            ("eligibility_rate_better", "eligibility_rate"),
            lambda p: p["eligibility_rate_better"] >= p["eligibility_rate"],
            "at least eligibility_rate (better conditions cannot make fewer families eligible)",
        ),
    ),
):
    """This analysis's parameters, in notebook order (validated values: ``PARAMETERS.validate``)."""

    effect_size: float = param(
        0.3,
        "Standardised difference in the family outcome between the arms (Cohen's d; assumption)",
        minimum=0,
        maximum=3,
        minimum_exclusive=True,
        unit="SD",
    )
    icc: float = param(
        0.05,
        "Intra-class correlation of the family outcome within workers (share of its variance between "
        "workers; assumption)",
        minimum=0,
        maximum=1,
        maximum_exclusive=True,
    )
    families_per_worker: int = param(
        3,
        f"Families analysed per worker (assumption; the motivational-interviewing trial had about "
        f"{MI_FAMILIES_PER_WORKER:.1f})",
        minimum=1,
        maximum=200,
        unit="families",
    )
    alpha: float = param(0.05, "Two-sided significance level", minimum=0, maximum=0.5, minimum_exclusive=True)
    power: float = param(0.8, "Power the design aims for", minimum=0.5, maximum=1, maximum_exclusive=True)
    attrition: float = param(
        0.2, "Share of recruited families lost before the outcome is measured (assumption)", minimum=0, maximum=0.95
    )
    eligibility_rate: float = param(
        0.25,
        "Share of referred families who keep one social worker throughout, and so are eligible (assumption; "
        f"nothing published: {WORKERS_LOW} or {WORKERS_HIGH} workers are typically involved in a case)",
        minimum=0,
        maximum=1,
        minimum_exclusive=True,
    )
    eligibility_rate_better: float = param(
        0.6,
        "Eligibility under better system conditions, where most families keep one worker (assumption)",
        minimum=0,
        maximum=1,
        minimum_exclusive=True,
    )
    n_sims: int = param(
        10_000,
        "Simulated trials in each Monte Carlo power check (enough for whole percentage points: each simulated power "
        "is printed to the precision its Monte Carlo error supports)",
        minimum=100,
        maximum=10_000_000,
        unit="trials",
    )
    show_progress: bool = param(False, "Show a progress bar (on stderr) while simulating")
    seed: int = param(2018, "Seed of the Monte Carlo simulation", minimum=0, maximum=2**32 - 1)


PARAMETERS = ParamSpec.of(Parameters)
