"""The case records the page analyses (:func:`case_records`): the user's own records, read against the schema of
the CSV file (:data:`RECORDS_SCHEMA`) and the checks beyond it that refuse, by column and file line, records the
page cannot analyse; or else the synthetic reconstruction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from helpers.analyses.frontline_visits.parameters import CONTACT_THRESHOLD, ROUTES, Parameters
from helpers.analyses.frontline_visits.synthetic import reconstruction
from helpers.engine.paths import sha256_file
from helpers.inputs.records import RecordsError, categorical, file_lines, read_records, require_shown_sizes
from helpers.page.registry import registry_input

#: Plausibility limits of own records (values beyond them are refused by name, not analysed): visits
#: or unsuccessful attempts to one case (more than one a day for over twenty years), months a case is
#: open (a childhood and more), and social workers involved in one case.
MAX_VISITS = 10_000
MAX_MONTHS_OPEN = 300
MIN_MONTHS_OPEN = 0.01
MAX_WORKERS_PER_CASE = 100


#: The columns of the user's own case records and their rules (:func:`load_records`).
RECORDS_SCHEMA = pa.DataFrameSchema(
    {
        "case_id": pa.Column(str, pa.Check.str_length(min_value=1), unique=True),
        "worker_id": pa.Column(str, pa.Check.str_length(min_value=1)),
        "training_route": categorical(ROUTES),
        "months_open": pa.Column(
            float,
            [
                pa.Check.ge(
                    MIN_MONTHS_OPEN,
                    error=f"is less than {MIN_MONTHS_OPEN} months "
                    f"(must be {MIN_MONTHS_OPEN} or more: a case is open some hours)",
                ),
                pa.Check(np.isfinite, element_wise=True, error="is not a finite number"),
                pa.Check.le(
                    MAX_MONTHS_OPEN, error=f"is more than {MAX_MONTHS_OPEN} months (must be {MAX_MONTHS_OPEN} or less)"
                ),
            ],
            coerce=True,
        ),
        "visits": pa.Column(
            int,
            [
                pa.Check.ge(0, error="is negative (must be 0 or more)"),
                pa.Check.le(MAX_VISITS, error=f"is more than {MAX_VISITS} visits (must be {MAX_VISITS} or less)"),
            ],
            coerce=True,
        ),
        "unsuccessful_visits": pa.Column(
            "Int64",
            [
                pa.Check.ge(0, error="is negative (must be 0 or more)"),
                pa.Check.le(MAX_VISITS, error=f"is more than {MAX_VISITS} attempts (must be {MAX_VISITS} or less)"),
            ],
            required=False,
            nullable=True,
            coerce=True,
        ),
        "n_workers": pa.Column(
            "Int64",
            [
                pa.Check.ge(1, error="is less than 1 (must be 1 or more)"),
                pa.Check.le(
                    MAX_WORKERS_PER_CASE,
                    error=f"is more than {MAX_WORKERS_PER_CASE} workers (must be {MAX_WORKERS_PER_CASE} or less)",
                ),
            ],
            required=False,
            nullable=True,
            coerce=True,
        ),
    },
    strict=True,
)


def load_records(path: str | Path) -> pd.DataFrame:
    """Read and validate the user's case records; raise :class:`RecordsError` naming the column and
    the first offending file lines. Beyond the schema, each worker must have one training route,
    the comparison needs cases of both Frontline and other routes from at least two workers each,
    and each route present needs at least one case with a visit (else its rate ratio is not defined)."""
    df = read_records(path, RECORDS_SCHEMA)
    problems: list[str] = []
    routes_per_worker = df.groupby("worker_id")["training_route"].nunique()
    mixed = routes_per_worker.index[routes_per_worker > 1]
    if len(mixed):
        rows = df.index[df["worker_id"].isin(mixed)]
        problems.append(
            f"column 'training_route': worker(s) {', '.join(repr(w) for w in mixed[:5])} have more than one "
            f"training route (a worker has one route) at file line(s) {file_lines(rows)}"
        )
    for route in ("frontline", "other"):
        n = df.loc[df["training_route"] == route, "worker_id"].nunique()
        if n < 2:
            problems.append(
                f"column 'training_route': {n} worker(s) with route {route!r}; the comparison needs cases "
                f"from at least 2 workers on each of 'frontline' and 'other'"
            )
    for route in ROUTES:
        rows = df.index[df["training_route"] == route]
        if len(rows) and (df.loc[rows, "visits"] == 0).all():
            problems.append(
                f"column 'visits': every case with training route {route!r} has 0 visits (file line(s) "
                f"{file_lines(rows)}); the visit rate of a route, and so its rate ratio, needs at least one "
                f"case with 1 or more visits in each route"
            )
    if problems:
        raise RecordsError(str(path), problems)
    return df


def check_group_sizes(df: pd.DataFrame, min_cell_count: int, source: str) -> None:
    """Each route's number of cases is shown: with own records it must not itself be a small count."""
    sizes = df["training_route"].value_counts()
    require_shown_sizes(
        {repr(r): int(sizes.get(r, 0)) for r in ROUTES},
        column="training_route",
        group="route",
        unit="case",
        min_cell_count=min_cell_count,
        source=source,
    )


def check_inputs(params: Mapping[str, Any]) -> None:
    """Validate the records file (if any) before a kernel starts (``compendium run``)."""
    if params.get("data_path"):
        from helpers.analyses.frontline_visits.descriptives import check_disclosure

        df = load_records(params["data_path"])
        k = int(params.get("min_cell_count", 5))
        check_group_sizes(df, k, str(params["data_path"]))
        check_disclosure(df, k, int(params.get("contact_threshold", CONTACT_THRESHOLD)), str(params["data_path"]))


@dataclass(frozen=True)
class CaseRecords:
    """The cases the page analyses: the user's own records (checked) or the synthetic reconstruction."""

    cases: pd.DataFrame
    own: bool
    source: str  #: "your own records" or "the synthetic reconstruction"
    inputs: dict[str, str]  #: input files and their digests
    routes: list[str]  #: the routes present, in :data:`ROUTES` order
    by_route: dict[str, pd.DataFrame]
    path: str = ""  #: the records file (own records), as given


def case_records(p: Parameters) -> CaseRecords:
    """Read and check the user's records (``data_path``), or draw the synthetic reconstruction."""
    inputs = registry_input()
    if p.data_path:
        df = load_records(p.data_path)
        check_group_sizes(df, p.min_cell_count, p.data_path)
        inputs[p.data_path] = sha256_file(Path(p.data_path))
        source = "your own records"
    else:
        df = reconstruction(p)
        source = "the synthetic reconstruction"
    routes = [r for r in ROUTES if (df["training_route"] == r).any()]
    by_route = {r: df[df["training_route"] == r] for r in routes}
    return CaseRecords(df, bool(p.data_path), source, inputs, routes, by_route, p.data_path)
