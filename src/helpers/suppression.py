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
* **audit**: the line rule is necessary but not sufficient: a hidden cell can
  still follow from several lines together, or through the totals row and
  column (which add up to the grand total). So the table's equations are
  solved for the hidden entries (:func:`exactly_determined`), and while any
  hidden cell or total can be worked out exactly, one more cell is hidden
  (the smallest visible non-zero count in its row or column, else another
  cell or total) and the line rule runs again.

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


def _complementary(
    values: np.ndarray, hidden: np.ndarray, row_total_hidden: np.ndarray, col_total_hidden: np.ndarray
) -> None:
    """Add secondary suppressions (in place) until no row or column has exactly one hidden cell.

    A line whose single hidden cell has no other non-zero cell to pair with gets its total hidden.
    """
    n_rows, n_cols = values.shape
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


def exactly_determined(
    hidden: np.ndarray, row_total_hidden: np.ndarray, col_total_hidden: np.ndarray, grand_hidden: bool
) -> list[tuple]:
    """Hidden entries whose value follows exactly from the visible ones.

    The table's equations (each row and column adds up to its total; the row totals and the
    column totals each add up to the grand total) are written over the hidden entries only; an
    entry is determined when every solution gives it the same value, i.e. when the null space of
    the equations is zero in its coordinate. Entries are ``("cell", i, j)``, ``("row", i)``,
    ``("col", j)`` and ``("grand",)``.
    """
    from scipy.linalg import null_space

    n_rows, n_cols = hidden.shape
    unknowns: list[tuple] = [("cell", i, j) for i in range(n_rows) for j in range(n_cols) if hidden[i, j]]
    unknowns += [("row", i) for i in range(n_rows) if row_total_hidden[i]]
    unknowns += [("col", j) for j in range(n_cols) if col_total_hidden[j]]
    if grand_hidden:
        unknowns.append(("grand",))
    if not unknowns:
        return []
    index = {u: k for k, u in enumerate(unknowns)}
    equations = []

    def equation(terms: list[tuple[tuple, int]]) -> None:
        a = np.zeros(len(unknowns))
        for unknown, sign in terms:
            if unknown in index:
                a[index[unknown]] += sign
        equations.append(a)

    for i in range(n_rows):
        equation([(("cell", i, j), 1) for j in range(n_cols)] + [(("row", i), -1)])
    for j in range(n_cols):
        equation([(("cell", i, j), 1) for i in range(n_rows)] + [(("col", j), -1)])
    equation([(("row", i), 1) for i in range(n_rows)] + [(("grand",), -1)])
    equation([(("col", j), 1) for j in range(n_cols)] + [(("grand",), -1)])
    basis = null_space(np.array(equations))
    free = np.abs(basis).max(axis=1) > 1e-9 if basis.size else np.zeros(len(unknowns), bool)
    return [u for u, is_free in zip(unknowns, free) if not is_free]


def _next_to_hide(
    leak: tuple, values: np.ndarray, hidden: np.ndarray, row_total_hidden: np.ndarray, col_total_hidden: np.ndarray,
    grand_hidden: bool,
) -> tuple:
    """What to hide so that ``leak`` can no longer be worked out: the smallest visible non-zero
    cell in its row or column, else the smallest visible non-zero cell anywhere, else the total
    of its row or column, else the grand total, else another total. (Zeros are never hidden: as in the line rule, a zero may be
    known to be zero.)"""
    n_rows, n_cols = values.shape
    rows = [leak[1]] if leak[0] in ("cell", "row") else []
    cols = [leak[2]] if leak[0] == "cell" else [leak[1]] if leak[0] == "col" else []
    near = np.zeros_like(hidden)
    near[rows, :] = True
    near[:, cols] = True
    visible = ~hidden
    for pool in (near & visible & (values > 0), visible & (values > 0)):
        if pool.any():
            masked = np.where(pool, values, np.inf)
            i, j = np.unravel_index(np.argmin(masked), values.shape)
            return ("cell", int(i), int(j))
    own = [("row", i) for i in rows if not row_total_hidden[i]] + [("col", j) for j in cols if not col_total_hidden[j]]
    if own:
        return own[0]
    if not grand_hidden:
        return ("grand",)
    totals = [("row", i) for i in range(n_rows) if not row_total_hidden[i]]
    totals += [("col", j) for j in range(n_cols) if not col_total_hidden[j]]
    return totals[0] if totals else ("grand",)


def _protect(values: np.ndarray, primary: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """Secondary suppression by the line rule, then the audit, until no hidden cell can be worked out.

    (A hidden total that can be worked out is no disclosure by itself: a cell could only be
    worked out from it if the cell were determined too. Each round hides one more entry; once
    every total is hidden no cell is determined, since adding the same amount to a cell, its row
    and column totals and the grand total keeps every equation, so the loop ends.)"""
    hidden = primary.copy()
    row_total_hidden = np.zeros(values.shape[0], bool)
    col_total_hidden = np.zeros(values.shape[1], bool)
    grand_hidden = False
    while True:
        _complementary(values, hidden, row_total_hidden, col_total_hidden)
        leaks = [u for u in exactly_determined(hidden, row_total_hidden, col_total_hidden, grand_hidden) if u[0] == "cell"]
        if not leaks:
            return hidden, row_total_hidden, col_total_hidden, grand_hidden
        what = _next_to_hide(leaks[0], values, hidden, row_total_hidden, col_total_hidden, grand_hidden)
        if what == ("grand",) and grand_hidden:  # cannot happen: with every total hidden, no cell is determined
            raise AssertionError("small-cell suppression made no progress")
        if what[0] == "cell":
            hidden[what[1], what[2]] = True
        elif what[0] == "row":
            row_total_hidden[what[1]] = True
        elif what[0] == "col":
            col_total_hidden[what[1]] = True
        else:
            grand_hidden = True


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
    if totals and primary.any():
        hidden, row_total_hidden, col_total_hidden, grand_hidden = _protect(values, primary)
    else:
        hidden = primary
        row_total_hidden, col_total_hidden, grand_hidden = np.zeros(values.shape[0], bool), np.zeros(values.shape[1], bool), False
    display = counts.astype(object).astype(str).where(~hidden, MARKER)
    if totals:
        row_totals = counts.sum(axis=1).astype(str).where(~row_total_hidden, MARKER)
        display["Total"] = row_totals
        col_totals = counts.sum(axis=0).astype(str).where(~col_total_hidden, MARKER)
        grand = MARKER if grand_hidden else str(int(values.sum()))
        display.loc["Total"] = [*col_totals.tolist(), grand]
    mask = pd.DataFrame(hidden, index=counts.index, columns=counts.columns)
    return Suppressed(display, mask, int(primary.sum()), int(hidden.sum() - primary.sum()), threshold)
