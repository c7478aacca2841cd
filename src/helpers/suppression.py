"""Small-cell suppression for tables computed from users' own records.

Counts from a user's own records (``data_path``, ``dfe_data_dir``) may
identify children or families when they are small. Before such a table is
shown:

* **primary suppression**: every count ``0 < n < threshold`` is hidden;
* **secondary (complementary) suppression**: in any row or column of the
  table that still has exactly one hidden cell, that cell could be worked out
  from the row's or column's total, so the smallest other non-zero count in
  that line is hidden too; this repeats until no line has a single hidden cell.
  If a line has no other cell to hide, its total is hidden.

Hidden cells are shown as ``[c]`` (the symbol DfE uses for confidential
data), and :attr:`Suppressed.note` says so in words for the line under the
table. Derived values (shares, rates) must be hidden where their counts are:
use :attr:`Suppressed.mask`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

MARKER = "[c]"


@dataclass(frozen=True)
class Suppressed:
    """A count table after suppression."""

    display: pd.DataFrame  # counts as text, hidden cells as MARKER, with totals if requested
    mask: pd.DataFrame  # True where a count is hidden (same shape as the input counts)
    primary: int
    secondary: int
    threshold: int

    @property
    def note(self) -> str:
        if not self.primary:
            return f"No count in this table is below {self.threshold}, so nothing is suppressed."
        text = f"Counts from 1 to {self.threshold - 1} are suppressed ({MARKER})"
        if self.secondary:
            text += f", and {self.secondary} further cell{'s' * (self.secondary != 1)} so that they cannot be worked out from the totals"
        return text + "."


def _complementary(values: np.ndarray, hidden: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Add secondary suppressions until no row or column has exactly one hidden cell.

    Returns the mask, and which row and column totals had to be hidden.
    """
    hidden = hidden.copy()
    n_rows, n_cols = values.shape
    row_total_hidden = np.zeros(n_rows, bool)
    col_total_hidden = np.zeros(n_cols, bool)
    changed = True
    while changed:
        changed = False
        for axis in (1, 0):  # rows, then columns
            lines = n_rows if axis == 1 else n_cols
            for i in range(lines):
                line_hidden = hidden[i, :] if axis == 1 else hidden[:, i]
                line_values = values[i, :] if axis == 1 else values[:, i]
                if line_hidden.sum() != 1:
                    continue
                candidates = np.where(~line_hidden & (line_values > 0))[0]
                if candidates.size == 0:
                    (row_total_hidden if axis == 1 else col_total_hidden)[i] = True
                    continue
                j = candidates[np.argmin(line_values[candidates])]
                if axis == 1:
                    hidden[i, j] = True
                else:
                    hidden[j, i] = True
                changed = True
    return hidden, row_total_hidden, col_total_hidden


def suppress(counts: pd.DataFrame, threshold: int = 5, *, totals: bool = True) -> Suppressed:
    """Suppress small counts in a table of non-negative integer counts (rows x columns).

    With ``totals=True`` a "Total" row and column are added to the display (hidden where needed).
    """
    if threshold < 1:
        raise ValueError(f"suppression threshold {threshold} must be at least 1")
    values = counts.to_numpy()
    if not np.issubdtype(values.dtype, np.number) or (values < 0).any():
        raise ValueError("suppression needs a table of non-negative counts")
    primary = (values > 0) & (values < threshold)
    hidden, row_total_hidden, col_total_hidden = _complementary(values, primary) if totals else (primary, None, None)
    display = counts.astype(object).astype(str).where(~hidden, MARKER)
    if totals:
        row_totals = counts.sum(axis=1).astype(str).where(~row_total_hidden, MARKER)
        display["Total"] = row_totals
        col_totals = counts.sum(axis=0).astype(str).where(~col_total_hidden, MARKER)
        grand = str(int(values.sum()))
        display.loc["Total"] = [*col_totals.tolist(), grand]
    mask = pd.DataFrame(hidden, index=counts.index, columns=counts.columns)
    return Suppressed(display, mask, int(primary.sum()), int(hidden.sum() - primary.sum()), threshold)
