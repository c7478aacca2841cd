"""The user's own case records: the file's layout (``RECORDS_SCHEMA``) and the checks across rows."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa

from helpers.analyses.link_worker_monitoring.parameters import PARAMETERS
from helpers.inputs.records import MAX_PROBLEMS_SHOWN, YES_NO, RecordsError, categorical, file_lines, read_records

#: The two groups compared, as the tables and figures name them.
WITH, WITHOUT = "with the link worker", "without the link worker"

#: Plausibility limit of own records: professionals involved with one case (a value beyond it
#: is refused by name, not analysed).
MAX_PROFESSIONALS = 100

RECORDS_SCHEMA = pa.DataFrameSchema(
    {
        "case_id": pa.Column(str, pa.Check.str_length(min_value=1), unique=True),
        "centre": pa.Column(str, pa.Check.str_length(min_value=1)),
        "link_worker": categorical(YES_NO),
        "professionals": pa.Column(
            int,
            [
                pa.Check.ge(0, error="is negative (must be 0 or more)"),
                pa.Check.le(
                    MAX_PROFESSIONALS,
                    error=f"is more than {MAX_PROFESSIONALS} professionals (must be {MAX_PROFESSIONALS} or less)",
                ),
            ],
            coerce=True,
        ),
        "programme": pa.Column(str, required=False, nullable=True),
    },
    strict=True,
)


def check_records(frame: pd.DataFrame, min_cell_count: int, source: str) -> None:
    """Checks across rows that a schema cannot express; raise :class:`RecordsError` naming what is wrong.

    * the link worker is based in a centre or not: ``link_worker`` is the same for every case of a centre;
    * both groups are present, each with at least ``min_cell_count`` cases;
    * each group has at least one professional involved in some case (otherwise the rate ratio is
      not defined).
    """
    problems: list[str] = []
    # Centres with both answers, found at once (one group per centre would take minutes for many centres).
    both = frame.groupby("centre", sort=True)["link_worker"].nunique()
    for centre in both.index[both.to_numpy() > 1][:MAX_PROBLEMS_SHOWN]:
        rows = frame.index[(frame["centre"] == centre).to_numpy()]
        problems.append(
            f"column 'link_worker': centre {centre!r} has both 'yes' and 'no' "
            f"(file lines {file_lines(rows)}); "
            "the link worker is either based in a centre or not, so every case of a centre must agree"
        )
    if (both > 1).sum() > MAX_PROBLEMS_SHOWN:
        problems.append(f"and {(both > 1).sum() - MAX_PROBLEMS_SHOWN} more centres with both 'yes' and 'no'")
    groups = {"yes": WITH, "no": WITHOUT}
    for code, label in groups.items():
        rows = frame[frame["link_worker"] == code]
        if len(rows) < min_cell_count:
            problems.append(
                f"column 'link_worker': {len(rows)} case(s) {label} ('{code}'); the comparison needs at least "
                f"min_cell_count = {min_cell_count} cases in each group"
            )
        elif rows["professionals"].sum() == 0:
            problems.append(
                f"column 'professionals': every case {label} has 0 professionals involved, so the rate ratio is "
                "not defined"
            )
    if problems:
        raise RecordsError(source, problems)


def load_records(path: str | Path, min_cell_count: int) -> pd.DataFrame:
    """Read and validate the user's own records (schema, then the checks across rows)."""
    frame = read_records(path, RECORDS_SCHEMA)
    check_records(frame, min_cell_count, str(path))
    return frame


def check_inputs(params: Mapping[str, Any]) -> None:
    """Validate the parameters and, when ``data_path`` is set, the records file (before a kernel starts)."""
    p = PARAMETERS.validate(params)
    if p.data_path:
        from helpers.analyses.link_worker_monitoring.bands import audited_bands

        audited_bands(load_records(p.data_path, p.min_cell_count), p.min_cell_count, p.data_path)
