"""Records: the columns a user's records file must have (``RECORDS_SCHEMA``), and the checks that
make valid records (or a synthetic reconstruction) usable for this analysis."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from helpers.inputs.records import (
    ONE_ZERO,
    RecordsError,
    categorical,
    file_lines,
    read_records,
    require_shown_sizes,
)
from helpers.params import ParameterError

from .framework import BINARY, COLUMNS, FACTORS, MIN_UNITS, SCALE_MAX, SCALE_MIN, SKILLS


def _binary() -> pa.Column:
    return categorical(ONE_ZERO, int, error="is not 0 or 1 (0 = no, 1 = yes)")


def _score() -> pa.Column:
    return pa.Column(
        float,
        pa.Check.in_range(SCALE_MIN, SCALE_MAX, error=f"is outside the scale {SCALE_MIN} to {SCALE_MAX}"),
        coerce=True,
    )


#: Most observed sessions an own-records file may hold: the analysis (a cluster bootstrap of the mediation
#: paths, a mixed model) takes about 15 seconds at this size, and a larger file is refused before it starts
#: (far beyond an evaluation's few hundred observed sessions).
MAX_OBSERVATIONS = 10_000

RECORDS_SCHEMA = pa.DataFrameSchema(
    {
        "observation_id": pa.Column(str, pa.Check.str_length(min_value=1), unique=True),
        "unit_id": pa.Column(str, pa.Check.str_length(min_value=1)),
        **{name: _binary() for name in BINARY},
        "discussion_quality": _score(),
        **{name: _score() for name in SKILLS},
    },
    strict=True,
    ordered=False,
)


def design_problems(frame: pd.DataFrame) -> list[str]:
    """Problems that make valid records unusable for this analysis (each unit in one arm,
    enough units in each arm, every factor varying)."""
    problems: list[str] = []
    arms = frame.groupby("unit_id")["rsw"].nunique()
    for unit in arms.index[arms > 1]:
        rows = np.flatnonzero(frame["unit_id"].to_numpy() == unit)
        problems.append(
            f"column 'rsw': unit {unit!r} has both RSW (1) and service-as-usual (0) observations at "
            f"file line(s) {file_lines(rows)}; each unit must be in one arm"
        )
    if problems:
        return problems
    unit_arm = frame.groupby("unit_id")["rsw"].first()
    for arm, label in ((1, "RSW"), (0, "service-as-usual")):
        k = int((unit_arm == arm).sum())
        if k < 2:
            problems.append(f"column 'rsw': {k} {label} unit(s); the comparison needs at least 2 units in each arm")
    if len(unit_arm) < MIN_UNITS:
        problems.append(f"column 'unit_id': {len(unit_arm)} units; the regression needs at least {MIN_UNITS}")
    for name in FACTORS:
        if frame[name].nunique() < 2:
            problems.append(f"column {name!r}: every value is {frame[name].iloc[0]:g}; the regression needs it to vary")
    return problems


#: The parameters that decide, in the synthetic reconstruction, what each checked column looks like.
_COLUMN_PARAMS: dict[str, tuple[str, ...]] = {
    "systemic_training": ("p_training_rsw", "p_training_sau"),
    "csw_programme": ("p_csw_rsw", "p_csw_sau"),
    "clinician_present": ("p_clinician_rsw", "p_clinician_sau"),
    "discussion_quality": ("effect_clinician_on_discussion",),
    "rsw": ("share_rsw_units", "n_units"),
    "unit_id": ("n_units",),
}


def check_synthetic(p: Mapping[str, Any], frame: pd.DataFrame) -> None:
    """Refuse a synthetic reconstruction that cannot be analysed (see :func:`design_problems`) with a
    :class:`ParameterError` naming the parameters to change, rather than a failure inside the regression."""
    problems = design_problems(frame)
    if not problems:
        return
    names: list[str] = []
    for problem in problems:
        column = re.match(r"column '(\w+)'", problem)
        for name in _COLUMN_PARAMS.get(column.group(1) if column else "", ()):
            if name not in names:
                names.append(name)
    everything = [*names, "n_observations", "seed"]
    values = ", ".join(f"{n} = {p[n]!r}" for n in everything)
    change = (
        f"change {', '.join(repr(n) for n in names)} (or n_observations or seed)"
        if names
        else "change n_observations or seed"
    )
    raise ParameterError(
        f"the synthetic reconstruction cannot be analysed ({'; '.join(problems)}) with {values}: {change}",
        everything[0],
    )


def load_records(path: str | Path) -> pd.DataFrame:
    """Read and validate a user's records; raise :class:`RecordsError` naming every problem."""
    frame = read_records(path, RECORDS_SCHEMA, max_rows=MAX_OBSERVATIONS)
    problems = design_problems(frame)
    if problems:
        raise RecordsError(str(path), problems)
    return frame[list(COLUMNS)]


def check_arm_sizes(frame: pd.DataFrame, min_cell_count: int, source: str) -> None:
    """Each arm's number of observations is shown (text and tables): with own records it must not
    itself be a small count."""
    sizes = frame["rsw"].value_counts()
    require_shown_sizes(
        {label: int(sizes.get(arm, 0)) for arm, label in ((1, "RSW (rsw = 1)"), (0, "service as usual (rsw = 0)"))},
        column="rsw",
        group="arm",
        unit="observation",
        min_cell_count=min_cell_count,
        source=source,
    )


def check_inputs(params: Mapping[str, Any]) -> None:
    """Validate the records file (if any) before a kernel starts (``compendium run``)."""
    if params.get("data_path"):
        frame = load_records(params["data_path"])
        check_arm_sizes(frame, int(params.get("min_cell_count", 5)), str(params["data_path"]))
