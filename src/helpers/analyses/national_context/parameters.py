"""The page's parameters: where the official files are, the suppression threshold, the turnover
rate of the turnover-only model, the workforce year set beside each year of children, and the
confidence level of the correlations."""

from __future__ import annotations

from helpers.page.registry import published, published_share
from helpers.params import ParameterSet, ParamSpec, param


class Parameters(ParameterSet):
    """This analysis's parameters, in notebook order (validated values: ``PARAMETERS.validate``)."""

    dfe_data_dir: str = param(
        "",
        "Folder holding DfE's la_cla_swcount.csv and csww_indicators_<years>.csv, and optionally its file of "
        "children looked after per 10,000 children (explore education statistics downloads), for the "
        "local-authority analysis; '' uses England figures from the registry",
        is_path=True,
        path_kind="dir",
    )
    min_cell_count: int = param(
        5,
        "Counts of children read from dfe_data_dir below this are suppressed ([c]) in tables and figures, "
        "with the cells that would reveal them",
        minimum=1,
        maximum=1000,
        unit="children",
    )
    turnover_rate: float = param(
        published_share("dfe_turnover_2024"),
        f"Annual turnover of social workers used by the turnover-only model (published: England, year to "
        f"30 September 2024, {published('dfe_turnover_2024')}%)",
        minimum=0,
        maximum=1,
        minimum_exclusive=True,
        maximum_exclusive=True,
    )
    workforce_year_offset: int = param(
        0,
        "Workforce census set beside each children-looked-after year in the local-authority comparison: "
        "0 = 30 September of the same reporting year, -1 = the year before",
        minimum=-1,
        maximum=0,
        unit="years",
    )
    ci_level: float = param(
        0.95, "Confidence level of the correlation intervals", minimum=0.5, maximum=1, maximum_exclusive=True
    )


PARAMETERS = ParamSpec.of(Parameters)
