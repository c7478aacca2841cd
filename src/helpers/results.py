"""The result every analysis returns, and plain scalars for glue and ``results.json``.

Recorded precision
------------------
Every float an analysis returns as a scalar is recorded at :data:`SIGNIFICANT_DIGITS`
significant digits (:func:`recorded`): that is what the notebook glues, what
``results.json`` and a sweep's table hold, and so what nbval, the glue-vs-``run()``
contract test, the sweep-equals-run test and the reproduction checks compare.

Why eight: BLAS libraries pick their kernels from the CPU, and the same code gives
floats that differ in the last digits from one machine to another (measured here:
at most 4e-14 relative, across OpenBLAS's Haswell, Prescott and Sandybridge kernels
and one or two threads). Eight significant digits is six orders of magnitude coarser
than that, so every machine records the same digits (a value would have to fall within
about 1e-14 of a rounding boundary to differ: for the few hundred numbers in the book,
about one chance in ten thousand per run). It is also finer than anything the numbers
mean: the book prints at most four significant digits (a rate ratio to two decimals, a
p-value to two or three significant digits), the published inputs have two or three, and
the largest sum of money, a few million pounds, keeps every pound. A real change in the
sixth significant digit changes what is recorded, and the tests fail.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from helpers.page.reproduce import FigureUse, ReproductionCheck

Scalar = int | float | str | bool
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
#: Significant digits at which every float result is recorded (see the module's docstring).
SIGNIFICANT_DIGITS = 8


def recorded(value: float, digits: int | None = None) -> float:
    """``value`` rounded to ``digits`` (default :data:`SIGNIFICANT_DIGITS`) significant digits,
    as the compendium records it.

    Decimal rounding of the exact binary value (``format(value, ".8g")``), so the result is
    the same on every machine for the same input, and its ``repr`` is short (``1.021668``).
    """
    return float(format(value, f".{digits or SIGNIFICANT_DIGITS}g"))


def plain(value: Any) -> Scalar:
    """A plain Python scalar (numpy scalars converted), so that glue's text form
    (``repr``) round-trips exactly and formats with a spec (``np.float64(…)`` would not).
    Floats are rounded to the recorded precision (:func:`recorded`)."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        out = float(value)
        if not math.isfinite(out):
            raise ValueError(f"result value {value!r} is not finite")
        return recorded(out)
    if isinstance(value, str):
        return value
    raise TypeError(f"result value {value!r} of type {type(value).__name__} is not a scalar")


def number(values: Mapping[str, Scalar], name: str) -> float:
    """A number among a result's scalars or parameters, as it is (an integer stays an integer), typed for
    arithmetic and plotting; a text or a yes/no under that name is a ``TypeError``."""
    value = values[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name!r} is {value!r}, not a number")
    return value


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
        self.params = dict(self.params)  # validated parameters, as plain data
        self.scalars = scalars_from(self.scalars)

    def __getitem__(self, name: str) -> Scalar:
        return self.scalars[name]


@dataclass
class Section:
    """What one section of a page states: its scalars (glued), tables, and data for its figures.

    An analysis's ``run()`` calls one function per section of its page, in page order, each
    returning a ``Section``, and builds its :class:`AnalysisResult` from :meth:`joined`.
    """

    scalars: dict[str, Any]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def joined(cls, sections: Sequence[Section]) -> Section:
        """The sections in order as one; a name given by two sections is an error, not overwritten."""
        out = cls({})
        for section in sections:
            for mine, theirs in (
                (out.scalars, section.scalars),
                (out.tables, section.tables),
                (out.data, section.data),
            ):
                repeated = sorted(set(mine) & set(theirs))
                if repeated:
                    raise ValueError(f"sections of a page repeat the names {', '.join(repeated)}")
                mine.update(theirs)
        return out


def scalars_from(values: Mapping[str, Any]) -> dict[str, Scalar]:
    """Check names (lower_snake_case, usable as glue keys) and convert values to plain scalars."""
    out: dict[str, Scalar] = {}
    for name, value in values.items():
        if not _NAME.match(name):
            raise ValueError(f"result name {name!r} is not lower_snake_case")
        out[name] = plain(value)
    return out
