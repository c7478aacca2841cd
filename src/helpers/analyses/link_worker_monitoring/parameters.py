"""The page's parameters: the synthetic reconstruction's assumptions, the count model, the power
calculation, the replicates and the user's own records."""

from __future__ import annotations

from helpers.page.registry import published
from helpers.params import ParameterSet, ParamSpec, param

COUNT_MODELS = {"negative-binomial": "negative binomial (NB2) regression", "poisson": "Poisson regression"}


class Parameters(ParameterSet):
    """This analysis's parameters, in notebook order (validated values: ``PARAMETERS.validate``)."""

    n_cases: int = param(
        int(published("link_cases")),
        f"Family support cases in the synthetic reconstruction (published: {published('link_cases')} cases)",
        minimum=4,
        maximum=1_000_000,
        unit="cases",
    )
    share_link: float = param(
        0.5,
        "Share of the synthetic cases in centres where the link worker was based (plain assumption; the split was "
        "not published)",
        minimum=0,
        maximum=1,
        minimum_exclusive=True,
        maximum_exclusive=True,
    )
    mean_without: float = param(
        1.5,
        "Mean number of professionals involved per case in centres without the link worker "
        "(plain assumption: synthetic reconstruction and power calculation)",
        minimum=0,
        maximum=100,
        minimum_exclusive=True,
        unit="professionals per case",
    )
    rate_ratio: float = param(
        1.5,
        "Ratio of the mean with the link worker to the mean without: the true ratio in the synthetic "
        "reconstruction, and the difference to detect in the power calculation (plain assumption; "
        "the study says only that more professionals were involved, so a ratio of 1 or less runs against it and the "
        "page says so)",
        minimum=0,
        maximum=20,
        minimum_exclusive=True,
    )
    dispersion: float = param(
        0.3,
        "Negative binomial dispersion α of professionals involved (variance = mean + α × mean²; 0 is Poisson) "
        "(plain assumption: synthetic reconstruction and power calculation)",
        minimum=0,
        maximum=10,
    )
    centre_icc: float = param(
        0.05,
        "Intra-class correlation of professionals involved between cases of the same centre, for the allowance for "
        "clustering in the power calculation (plain assumption; nothing published measures it, and the count model "
        "treats cases as independent)",
        minimum=0,
        maximum=1,
        maximum_exclusive=True,
    )
    count_model: str = param("negative-binomial", "Count regression fitted to the cases", choices=tuple(COUNT_MODELS))
    ci_level: float = param(
        0.95, "Confidence level of the interval for the rate ratio", minimum=0.5, maximum=1, maximum_exclusive=True
    )
    alpha: float = param(
        0.05,
        "Two-sided significance level of the test and of the power calculation",
        minimum=0,
        maximum=0.5,
        minimum_exclusive=True,
    )
    power: float = param(
        0.8,
        "Power at which the detectable difference is computed",
        minimum=0,
        maximum=1,
        minimum_exclusive=True,
        maximum_exclusive=True,
    )
    n_replicates: int = param(
        10_000,
        "Synthetic reconstructions (R) the page's synthetic results are summarised across, each a new draw "
        "of the cases from the same assumptions",
        minimum=10,
        maximum=100_000,
        unit="reconstructions",
    )
    seed: int = param(
        2007,
        "Seed of the random number generator (synthetic reconstruction and its replicates)",
        minimum=0,
        maximum=2**32 - 1,
    )
    data_path: str = param(
        "",
        "Your own case records (CSV: case_id, centre, link_worker yes/no, professionals, optional programme); "
        "'' uses the synthetic reconstruction",
        is_path=True,
    )
    min_cell_count: int = param(
        5,
        "Smallest count shown in tables from your own records; smaller counts are suppressed, and each "
        "group must hold at least this many cases",
        minimum=1,
        maximum=1000,
        unit="cases",
    )


PARAMETERS = ParamSpec.of(Parameters)


#: The published figures the page quotes, by the name it glues them under.
PUBLISHED = {
    "link_cases_published": "link_cases",
    "link_programmes_published": "link_programmes",
    "link_months_published": "link_months",
    "link_centres_published": "link_children_centres",
    "link_meeting_professionals_published": "link_meeting_professionals",
    "link_worker_cases_held_published": "link_worker_cases_held",
    "link_interviews_early_published": "link_interviews_early",
    "link_interviews_late_published": "link_interviews_late",
    "link_interviews_early_months_published": "link_interviews_early_months",
    "link_interviews_late_months_published": "link_interviews_late_months",
}
