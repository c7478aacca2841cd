"""The result every analysis returns, and plain scalars for glue and ``results.json``."""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .reproduce import FigureUse, ReproductionCheck

Scalar = int | float | str | bool
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def plain(value: Any) -> Scalar:
    """A plain Python scalar (numpy scalars converted), so that glue's text form
    (``repr``) round-trips exactly and formats with a spec (``np.float64(…)`` would not)."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        out = float(value)
        if not math.isfinite(out):
            raise ValueError(f"result value {value!r} is not finite")
        return out
    if isinstance(value, str):
        return value
    raise TypeError(f"result value {value!r} of type {type(value).__name__} is not a scalar")


@dataclass
class AnalysisResult:
    """What an analysis computes.

    ``scalars`` are every number or phrase the notebook glues into its prose and
    that ``compendium run`` writes to ``results.json``; ``tables`` and ``data`` feed
    the figures; ``checks`` and ``figures_used`` record how published figures were
    used; ``inputs`` maps each data file read to its SHA-256.
    """

    notebook: str
    params: dict[str, Scalar]
    scalars: dict[str, Scalar]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    checks: list[ReproductionCheck] = field(default_factory=list)
    figures_used: list[FigureUse] = field(default_factory=list)
    inputs: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.scalars = scalars_from(self.scalars)

    def __getitem__(self, name: str) -> Scalar:
        return self.scalars[name]


def scalars_from(values: Mapping[str, Any]) -> dict[str, Scalar]:
    """Check names (lower_snake_case, usable as glue keys) and convert values to plain scalars."""
    out: dict[str, Scalar] = {}
    for name, value in values.items():
        if not _NAME.match(name):
            raise ValueError(f"result name {name!r} is not lower_snake_case")
        out[name] = plain(value)
    return out
