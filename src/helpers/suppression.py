"""Small-cell suppression for tables computed from users' own records.

Counts from a user's own records (``data_path``, ``dfe_data_dir``) may
identify children or families when they are small. Before such a table is
shown:

* **primary suppression**: every count ``0 < n < threshold`` is hidden;
* **secondary (complementary) suppression**: the row and column totals are
  part of the table, and a total below the threshold is hidden like any count.
  In any row or column (with its total) that still has exactly one hidden
  member, that member could be worked out from the others, so the smallest
  other non-zero member of the line is hidden too; this repeats until no line
  has a single hidden member.

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


def _complementary(table: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """Add secondary suppressions to a table *with its margins* (last row and column are totals)
    until no additive line (a row with its total, a column with its total) has exactly one
    hidden member: one hidden member of a sum can be worked out from the others."""
    hidden = hidden.copy()
    n_rows, n_cols = table.shape
    changed = True
    while changed:
        changed = False
        for axis, lines in ((1, n_rows), (0, n_cols)):
            for i in range(lines):
                line_hidden = hidden[i, :] if axis == 1 else hidden[:, i]
                if line_hidden.sum() != 1:
                    continue
                line_values = table[i, :] if axis == 1 else table[:, i]
                candidates = np.where(~line_hidden & (line_values > 0))[0]
                if candidates.size == 0:  # only zeros left: a zero cannot hide anything, hide nothing more
                    continue
                j = candidates[np.argmin(line_values[candidates])]
                if axis == 1:
                    hidden[i, j] = True
                else:
                    hidden[j, i] = True
                changed = True
    return hidden


def suppress(counts: pd.DataFrame, threshold: int = 5, *, totals: bool = True) -> Suppressed:
    """Suppress small counts in a table of non-negative integer counts (rows x columns).

    With ``totals=True`` (the default) a "Total" row and column are added to the display, and
    the totals take part in suppression: a total below the threshold is hidden like any count,
    and each row or column is checked together with its total.
    """
    if threshold < 1:
        raise ValueError(f"suppression threshold {threshold} must be at least 1")
    values = counts.to_numpy()
    if not np.issubdtype(values.dtype, np.number) or (values < 0).any():
        raise ValueError("suppression needs a table of non-negative counts")
    n_rows, n_cols = values.shape
    if totals:
        table = np.zeros((n_rows + 1, n_cols + 1), dtype=values.dtype)
        table[:n_rows, :n_cols] = values
        table[:n_rows, n_cols] = values.sum(axis=1)
        table[n_rows, :n_cols] = values.sum(axis=0)
        table[n_rows, n_cols] = values.sum()
    else:
        table = values
    primary = (table > 0) & (table < threshold)
    hidden = _complementary(table, primary) if totals else primary
    shown = pd.DataFrame(table.astype(object).astype(str))
    shown = shown.where(~hidden, MARKER)
    index = list(counts.index) + (["Total"] if totals else [])
    columns = list(counts.columns) + (["Total"] if totals else [])
    shown.index, shown.columns = index, columns
    mask = pd.DataFrame(hidden[:n_rows, :n_cols], index=counts.index, columns=counts.columns)
    return Suppressed(shown, mask, int(primary.sum()), int(hidden.sum() - primary.sum()), threshold)
