"""The page's parameters: the answers file, and how many priorities to list."""

from __future__ import annotations

from helpers.params import ParameterSet, ParamSpec, ShippedFileParam, param

from .answers import EXAMPLE_ANSWERS
from .items import N_ITEMS


class Parameters(ParameterSet):
    """This analysis's parameters, in notebook order (validated values: ``PARAMETERS.validate``)."""

    answers_path: str = param(
        EXAMPLE_ANSWERS,
        "YAML file of the service's ratings, one per audit item (default: an invented example service, not a real one)",
        is_path=True,
        kind=ShippedFileParam,
    )
    n_priorities: int = param(
        5,
        "How many of the weakest items to list as priorities (ties broken by the weaker theme, then the "
        "report's order)",
        minimum=1,
        maximum=N_ITEMS,
        unit="items",
    )


PARAMETERS = ParamSpec.of(Parameters)
