"""Cases by the number of professionals involved: bands, merged where sparse (own records)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from helpers.analyses.link_worker_monitoring.records import WITH, WITHOUT
from helpers.inputs.records import RecordsError
from helpers.inputs.suppression import MARKER, Suppressed, range_row, small_ranges_determined, suppress

Band = tuple[int, int | None]
#: Bands of "professionals involved": (lowest, highest) with ``None`` for "or more".
BANDS: tuple[Band, ...] = ((0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (5, None))


def band_label(band: Band) -> str:
    """A band as the tables show it: ``2``, ``0–3``, ``5 or more``."""
    lo, hi = band
    if hi is None:
        return f"{lo} or more"
    return str(lo) if lo == hi else f"{lo}–{hi}"


def merge_bands(values: np.ndarray, threshold: int, bands: Sequence[Band] = BANDS) -> list[Band]:
    """Merge adjacent bands until no band's total is between 1 and ``threshold − 1``.

    Small-cell suppression hides small cells but not a small *total*; merging sparse bands first (the
    top band into the one below it, any other into the one above it) keeps every band total either 0
    or at least ``threshold``, so the totals cannot identify a handful of cases.
    """
    bands = list(bands)

    def total(band: Band) -> int:
        lo, hi = band
        return int(((values >= lo) & ((values <= hi) if hi is not None else True)).sum())

    while len(bands) > 1:
        small = [i for i, b in enumerate(bands) if 0 < total(b) < threshold]
        if not small:
            break
        i = small[0]
        j = i - 1 if i == len(bands) - 1 else i + 1
        a, b = sorted((i, j))
        bands[a : b + 1] = [(bands[a][0], bands[b][1])]
    return bands


def band_counts(frame: pd.DataFrame, bands: Sequence[Band] = BANDS) -> pd.DataFrame:
    """Cases by band of professionals involved (rows) and group (columns)."""
    values = frame["professionals"].to_numpy()
    groups = frame["link_worker"].to_numpy()
    rows = []
    for lo, hi in bands:
        inside = (values >= lo) & ((values <= hi) if hi is not None else True)
        rows.append({WITH: int((inside & (groups == "yes")).sum()), WITHOUT: int((inside & (groups == "no")).sum())})
    table = pd.DataFrame(rows, index=pd.Index([band_label(b) for b in bands], name="professionals involved"))
    return table


def _shown_equations(fine: pd.DataFrame, bands: Sequence[Band], sup: Suppressed) -> list[np.ndarray]:
    """Every number the page shows from own records, as an equation in ``fine`` (groups x values): each
    cell and band total of the table not hidden, each group's number of cases (shown in the text), and
    each group's sum and sum of squares (its mean and variance, in the summary table, times its size)."""
    equations = []
    groups = list(fine.index)
    for band in bands:
        lo, hi = band[0], band[1] if band[1] is not None else np.inf
        row = sup.display.loc[band_label(band)]
        equations += [range_row(fine, [g], lo, hi) for g in groups if row[g] != MARKER]
        if row["Total"] != MARKER:
            equations.append(range_row(fine, groups, lo, hi))
    for g in groups:
        equations += [range_row(fine, [g], -np.inf, np.inf, power) for power in (0, 1, 2)]
    return equations


def audited_bands(frame: pd.DataFrame, min_cell_count: int, source: str) -> tuple[pd.DataFrame, Suppressed]:
    """Own records: the bands (:func:`merge_bands`) and their suppressed table, read with everything else
    the page shows (each group's size, mean and variance): while those numbers together fix a count from
    1 to ``min_cell_count - 1`` (:func:`~helpers.inputs.suppression.small_ranges_determined`), the band
    holding it is merged with its neighbour. Records whose groups' sizes, means and variances alone give
    such a count away are refused (:class:`~helpers.inputs.records.RecordsError`)."""
    values = frame["professionals"].to_numpy()
    labels = np.where(frame["link_worker"].to_numpy() == "yes", WITH, WITHOUT)
    fine = pd.crosstab(pd.Series(labels, name="group"), pd.Series(values, name="professionals"))
    bands = merge_bands(values, min_cell_count)
    while True:
        counts = band_counts(frame, bands)
        sup = suppress(counts, min_cell_count, known=("column totals", "grand total"))
        leaks = small_ranges_determined(fine, _shown_equations(fine, bands, sup), min_cell_count)
        if not leaks:
            return counts, sup
        if len(bands) == 1:
            raise RecordsError(
                source,
                [
                    "column 'professionals': the cases are so alike that each group's number of cases, mean and "
                    f"variance, which the page shows, would reveal a count below min_cell_count = {min_cell_count}; "
                    "add cases or lower min_cell_count"
                ],
            )
        lo = leaks[0][1]
        i = next(
            k for k, (start, _) in enumerate(bands) if start <= lo and (k + 1 == len(bands) or bands[k + 1][0] > lo)
        )
        j = i - 1 if i == len(bands) - 1 else i + 1
        a, b = sorted((i, j))
        bands[a : b + 1] = [(bands[a][0], bands[b][1])]
