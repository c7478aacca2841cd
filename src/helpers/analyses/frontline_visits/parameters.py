"""The Frontline page's parameters, the training routes, the published figures they default to, and the
kind of every number the page glues."""

from __future__ import annotations

from helpers.page import kinds
from helpers.page.registry import published
from helpers.params import Constraint, ParameterSet, ParamSpec, param

ROUTES: tuple[str, ...] = ("frontline", "other", "experienced")
ROUTE_LABELS: dict[str, str] = {"frontline": "Frontline", "other": "Other routes", "experienced": "Experienced"}

VISITS_FRONTLINE = published("frontline_visits_frontline")
VISITS_OTHER = published("frontline_visits_other")
VISITS_PER_MONTH = published("frontline_visits_per_month")
WORKERS_LOW = published("frontline_workers_per_case_low")
WORKERS_HIGH = published("frontline_workers_per_case_high")
CONTACT_THRESHOLD = published("forrester_contacts_threshold")
#: Default case window: the months over which the published averages make the pooled rate
#: the published "around once a month" (an assumption: the study's window is not published).
DEFAULT_CASE_MONTHS = float((VISITS_FRONTLINE + VISITS_OTHER) / 2 / VISITS_PER_MONTH)


class Parameters(
    ParameterSet,
    constraints=(
        Constraint(
            ("n_workers_small", "n_workers_per_group"),
            lambda p: p["n_workers_small"] <= p["n_workers_per_group"],
            "at most n_workers_per_group (the smallest study the page considers cannot be larger than the largest)",
        ),
    ),
):
    """This analysis's parameters, in notebook order (validated values: ``PARAMETERS.validate``)."""

    n_workers_per_group: int = param(
        40,
        "Synthetic: social workers per training route in the largest study the page considers, and in the one "
        "reconstruction analysed in full (the evaluation did not publish how many workers lie behind its averages; "
        "ignored with data_path)",
        minimum=2,
        maximum=5000,
        unit="workers",
    )
    n_workers_small: int = param(
        5,
        "Synthetic: social workers per training route in the smallest study the page considers (the evaluation "
        "'failed to recruit a sufficient number of social workers' and did not say how many it had; ignored with "
        "data_path)",
        minimum=2,
        maximum=5000,
        unit="workers",
    )
    cases_per_worker: int = param(
        5,
        "Synthetic: cases per worker in the study window (ignored with data_path)",
        minimum=1,
        maximum=200,
        unit="cases",
    )
    mean_visits_frontline: float = param(
        float(VISITS_FRONTLINE),
        "Synthetic: mean visits per case by Frontline-trained workers over the case window "
        f"(published: {VISITS_FRONTLINE})",
        minimum=0,
        maximum=1000,
        minimum_exclusive=True,
        unit="visits",
    )
    mean_visits_other: float = param(
        float(VISITS_OTHER),
        f"Synthetic: mean visits per case by workers trained through other routes (published: {VISITS_OTHER})",
        minimum=0,
        maximum=1000,
        minimum_exclusive=True,
        unit="visits",
    )
    include_experienced: bool = param(
        False, "Synthetic: add a third group of experienced workers, as the study first planned"
    )
    mean_visits_experienced: float = param(
        float(VISITS_OTHER),
        "Synthetic: mean visits per case by experienced workers (assumption: as other routes; nothing published)",
        minimum=0,
        maximum=1000,
        minimum_exclusive=True,
        unit="visits",
    )
    case_months: float = param(
        DEFAULT_CASE_MONTHS,
        "Synthetic: the case window over which the mean visits are counted (assumption: the window "
        f"that makes the pooled rate the published about {VISITS_PER_MONTH} visit a month; the study's window is "
        "not published)",
        minimum=0.5,
        maximum=120,
        unit="months",
    )
    dispersion: float = param(
        0.3,
        "Synthetic: NB2 dispersion alpha, the squared coefficient of variation of a case's visit rate "
        "(Var = mean + alpha mean^2; assumption)",
        minimum=0,
        maximum=5,
        minimum_exclusive=True,
    )
    icc: float = param(
        0.2,
        "Synthetic: intra-class correlation of the log visit rate within workers (share of its variance "
        "between workers; assumption)",
        minimum=0,
        maximum=1,
    )
    share_single_worker: float = param(
        0.25,
        f"Synthetic: share of cases held by one worker throughout; the rest have {WORKERS_LOW} or "
        f"{WORKERS_HIGH} (published: typically {WORKERS_LOW} or {WORKERS_HIGH}; the share is an assumption, the "
        "same as the study design page's share of families eligible)",
        minimum=0,
        maximum=1,
    )
    unsuccessful_share: float = param(
        0.25,
        "Synthetic: share of home-visit attempts that fail (assumption; the report says 'multiple' attempts)",
        minimum=0,
        maximum=0.95,
    )
    contact_threshold: int = param(
        int(CONTACT_THRESHOLD),
        f"Visits a case needs for meaningful change work (Forrester: {CONTACT_THRESHOLD} or more)",
        minimum=1,
        maximum=1000,
        unit="visits",
    )
    ci_level: float = param(0.95, "Confidence level of every interval", minimum=0.5, maximum=1, maximum_exclusive=True)
    min_cell_count: int = param(
        5,
        "Counts below this are suppressed in tables computed from your own records",
        minimum=1,
        maximum=1000,
        unit="cases",
    )
    data_path: str = param(
        "",
        "Your own case records (CSV: case_id, worker_id, training_route, months_open, visits, optional "
        "unsuccessful_visits, n_workers); empty: the synthetic reconstruction",
        is_path=True,
    )
    n_replicates: int = param(
        10_000,
        "Synthetic: reconstructions drawn at each study size, each from its own seed, to judge the rate ratio "
        "across many draws rather than one (enough for the ends of its central range to two decimals; ignored "
        "with data_path)",
        minimum=20,
        maximum=200_000,
        unit="replicates",
    )
    seed: int = param(
        2018,
        "Seed of the synthetic reconstruction (and of the reconstructions spawned from it)",
        minimum=0,
        maximum=2**32 - 1,
    )


PARAMETERS = ParamSpec.of(Parameters)


#: What the records analysed in full give: one synthetic draw, or, in a run on the user's own records, their data
#: (marked D there: ``records``).
_FROM_RECORDS = [
    "mean_visits_frontline_observed",
    "mean_visits_other_observed",
    "mean_months_open",
    "visits_per_month_frontline",
    "visits_per_month_other",
    "visits_per_month_all",
    "rate_ratio",
    "rate_ratio_ci_low",
    "rate_ratio_ci_high",
    "rate_ratio_poisson",
    "rate_ratio_poisson_naive_ci_low",
    "rate_ratio_poisson_naive_ci_high",
    "rate_ratio_poisson_cluster_ci_low",
    "rate_ratio_poisson_cluster_ci_high",
    "cluster_se_inflation",
    "poisson_se_inflation",
    "dispersion_estimate",
    "pearson_dispersion",
    "lr_overdispersion",
    "cameron_trivedi_t",
    "aic_poisson",
    "aic_nb",
    "aic_difference",
    "share_reaching_threshold_frontline",
    "share_reaching_threshold_frontline_ci_low",
    "share_reaching_threshold_frontline_ci_high",
    "share_reaching_threshold_other",
    "share_reaching_threshold_other_ci_low",
    "share_reaching_threshold_other_ci_high",
    "share_reaching_threshold_all",
    "worker_rate_p10",
    "worker_rate_p90",
    "unsuccessful_per_case",
    "unsuccessful_share_observed",
    "share_cases_with_unsuccessful",
    "share_cases_single_worker",
    "share_cases_typical_workers",
    "mean_workers_per_case",
]
#: The size of the records analysed in full: the page's choice for a reconstruction, the user's data otherwise.
_SIZE = ["n_cases", "n_workers_total", "n_workers_frontline", "n_workers_other", "n_cases_frontline", "n_cases_other"]

#: The kind of every number the page glues (helpers.page.kinds): summaries may state all but ``one_draw``.
#: ``rep_*`` scalars (across the reconstructions) are synthetic without being named here. The reconstruction's
#: inputs and sizes are assumptions; the formula's detection rates, and the number of workers at which it reaches
#: the target, are model results under them; every estimate from the one reconstruction analysed in full is one
#: draw. In a run on the user's records, their counts and estimates are D.
KINDS = kinds.declare(
    published={
        "published_visits_frontline": "frontline_visits_frontline",
        "published_visits_other": "frontline_visits_other",
        "published_visits_per_month": "frontline_visits_per_month",
        "published_workers_low": "frontline_workers_per_case_low",
        "published_workers_high": "frontline_workers_per_case_high",
        "published_contact_threshold": "forrester_contacts_threshold",
        "contact_threshold": "forrester_contacts_threshold",
    },
    computed=["published_visits_ratio"],
    synthetic=["one_draw_share_below", "one_draw_share_below_mcse"],
    model=[
        "detection_expected",
        "dependence_detection_at_low",
        "dependence_detection_at_high",
        "size_small_detection_formula",
        "size_large_detection_formula",
        "workers_for_detection_target",
        "count_icc_frontline",
        "count_icc_other",
    ],
    assumption=[
        "ci_level",
        "icc",
        "dispersion",
        "cases_per_worker",
        "case_months",
        "rate_ratio_requested",
        "detection_target",
        "replicate_range_level",
        "size_small_workers",
        "size_small_cases",
        "size_large_workers",
        "size_large_cases",
        *_SIZE,
    ],
    one_draw=_FROM_RECORDS,
    records=[*_SIZE, *_FROM_RECORDS],
)
# (The experienced group's scalars, glued only with include_experienced, are one draw too; KINDS names
# only what the committed page glues.)
