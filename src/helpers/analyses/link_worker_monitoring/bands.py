"""Cases by the number of professionals involved: bands, merged where sparse (own records)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from helpers.analyses.link_worker_monitoring.records import WITH, WITHOUT

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
