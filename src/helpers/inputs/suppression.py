"""Small-cell suppression for tables computed from users' own records.

Counts from a user's own records (``data_path``, ``dfe_data_dir``) may
identify children or families when they are small. Before such a table is
shown:

* **primary suppression**: every count ``0 < n < threshold`` is hidden,
  totals included (a local authority's total of three children is as small
  as any cell);
* **secondary (complementary) suppression**: the table is read with its
  totals, as lines that each add up: every row (its cells add up to its
  total), every column, the totals row and the totals column (each adds up to
  the grand total). In any line that still has exactly one hidden entry, that
  entry could be worked out from the others, so another entry of the line is
  hidden too: the smallest non-zero cell, else the smallest non-zero total.
  This repeats until no line has a single hidden entry. Zeros are never hidden
  (a zero may be known to be zero).
* **audit**: the line rule is necessary but not sufficient: a hidden count can
  still follow from several lines together. So the table's equations are
  solved for the hidden entries (:func:`exactly_determined`), and while any
  hidden cell, or any total hidden for being small, can be worked out exactly,
  one more entry is hidden (the smallest visible non-zero cell in its row or
  column, else its row's or column's total, else the smallest visible
  non-zero cell anywhere) and the line rule runs again.

Hidden cells are shown as ``[c]`` (the symbol DfE uses for confidential
data), and :attr:`Suppressed.note` says so in words for the line under the
table. Derived values (shares, rates) must be hidden where their counts are:
use :attr:`Suppressed.mask`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
            text += (
                f", and {self.secondary} further cell{'s' * (self.secondary != 1)} "
                "so that they cannot be worked out from the totals"
            )
        return text + "."


def _augmented(values: np.ndarray) -> np.ndarray:
    """The table with its totals: row totals in the last column, column totals in the last row,
    the grand total in the corner."""
    n_rows, n_cols = values.shape
    aug = np.zeros((n_rows + 1, n_cols + 1), dtype=float)
    aug[:n_rows, :n_cols] = values
    aug[:n_rows, n_cols] = values.sum(axis=1)
    aug[n_rows, :n_cols] = values.sum(axis=0)
    aug[n_rows, n_cols] = values.sum()
    return aug


def _lines(shape: tuple[int, int]) -> list[np.ndarray]:
    """Each line of an augmented table as a boolean mask: every row and every column (the totals
    row and column included), each of which adds up (cells to their total, totals to the grand)."""
    n, m = shape
    out = []
    for i in range(n):
        line = np.zeros(shape, bool)
        line[i, :] = True
        out.append(line)
    for j in range(m):
        line = np.zeros(shape, bool)
        line[:, j] = True
        out.append(line)
    return out


def _line_rule(aug: np.ndarray, hidden: np.ndarray, public: np.ndarray | None = None) -> None:
    """Hide entries (in place) until no line of the augmented table has exactly one hidden entry.
    Entries marked ``public`` (shown elsewhere) are never chosen."""
    if public is None:
        public = np.zeros(aug.shape, bool)
    n, m = aug.shape
    is_total = np.zeros(aug.shape, bool)
    is_total[n - 1, :] = True
    is_total[:, m - 1] = True
    lines = _lines(aug.shape)
    changed = True
    while changed:
        changed = False
        for line in lines:
            if (hidden & line).sum() != 1:
                continue
            for pool in (line & ~hidden & ~is_total & (aug > 0), line & ~hidden & is_total & (aug > 0) & ~public):
                if pool.any():
                    i, j = np.unravel_index(np.argmin(np.where(pool, aug, np.inf)), aug.shape)
                    hidden[i, j] = True
                    changed = True
                    break


def _determined(hidden_aug: np.ndarray) -> np.ndarray:
    """Which hidden entries of an augmented table are fixed by its equations (a boolean mask).

    Each line adds up: the entries of a row or column other than its last sum to its last. Over
    the hidden entries only, an entry is fixed when every solution gives it the same value, i.e.
    when the null space of the equations is zero in its coordinate.
    """
    from scipy.linalg import null_space

    positions = list(zip(*np.nonzero(hidden_aug), strict=True))
    out = np.zeros(hidden_aug.shape, bool)
    if not positions:
        return out
    index = {pos: k for k, pos in enumerate(positions)}
    n, m = hidden_aug.shape
    equations = []
    for i in range(n):
        a = np.zeros(len(positions))
        for j in range(m):
            if (i, j) in index:
                a[index[(i, j)]] += -1 if j == m - 1 else 1
        equations.append(a)
    for j in range(m):
        a = np.zeros(len(positions))
        for i in range(n):
            if (i, j) in index:
                a[index[(i, j)]] += -1 if i == n - 1 else 1
        equations.append(a)
    basis = null_space(np.array(equations))
    free = np.abs(basis).max(axis=1) > 1e-9 if basis.size else np.zeros(len(positions), bool)
    for pos, is_free in zip(positions, free, strict=True):
        out[pos] = not is_free
    return out


def exactly_determined(
    hidden: np.ndarray, row_total_hidden: np.ndarray, col_total_hidden: np.ndarray, grand_hidden: bool
) -> list[tuple]:
    """Hidden entries whose value follows exactly from the visible ones, as ``("cell", i, j)``,
    ``("row", i)``, ``("col", j)`` and ``("grand",)``.

    The table's equations (each row and column adds up to its total; the row totals and the
    column totals each add up to the grand total) are written over the hidden entries only.
    """
    n_rows, n_cols = hidden.shape
    aug = np.zeros((n_rows + 1, n_cols + 1), bool)
    aug[:n_rows, :n_cols] = hidden
    aug[:n_rows, n_cols] = row_total_hidden
    aug[n_rows, :n_cols] = col_total_hidden
    aug[n_rows, n_cols] = grand_hidden
    fixed = _determined(aug)
    out: list[tuple] = [("cell", int(i), int(j)) for i, j in zip(*np.nonzero(fixed[:n_rows, :n_cols]), strict=True)]
    out += [("row", int(i)) for i in np.nonzero(fixed[:n_rows, n_cols])[0]]
    out += [("col", int(j)) for j in np.nonzero(fixed[n_rows, :n_cols])[0]]
    out += [("grand",)] if fixed[n_rows, n_cols] else []
    return out


def _next_to_hide(
    aug: np.ndarray, hidden: np.ndarray, leak: tuple[int, int], public: np.ndarray | None = None
) -> tuple[int, int] | None:
    """What to hide so that ``leak`` may no longer be worked out: the smallest visible non-zero
    cell in its row or column, else its row's or column's visible total, else the smallest
    visible non-zero cell anywhere, else any visible non-zero total."""
    n, m = aug.shape
    i, j = leak
    is_total = np.zeros(aug.shape, bool)
    is_total[n - 1, :] = True
    is_total[:, m - 1] = True
    near = np.zeros(aug.shape, bool)
    near[i, :] = True
    near[:, j] = True
    open_ = ~hidden & (aug > 0) & (~public if public is not None else True)
    for pool in (near & open_ & ~is_total, near & open_ & is_total, open_ & ~is_total, open_):
        if pool.any():
            row, col = np.unravel_index(np.argmin(np.where(pool, aug, np.inf)), aug.shape)
            return int(row), int(col)
    return None


def _public(shape: tuple[int, int], known: tuple[str, ...]) -> np.ndarray:
    """Which entries of the augmented table are shown elsewhere (``known``: "row totals",
    "column totals", "grand total"), so may never be hidden."""
    allowed = {"row totals", "column totals", "grand total"}
    if set(known) - allowed:
        raise ValueError(f"known totals {sorted(set(known) - allowed)} are not among {sorted(allowed)}")
    out = np.zeros(shape, bool)
    if "row totals" in known:
        out[:-1, -1] = True
    if "column totals" in known:
        out[-1, :-1] = True
    if "grand total" in known:
        out[-1, -1] = True
    return out


def _protect(values: np.ndarray, threshold: int, known: tuple[str, ...] = ()) -> np.ndarray:
    """The hidden entries of the augmented table: primary, the line rule, then the audit, until no
    hidden cell and no small total can be worked out. Totals in ``known`` are shown elsewhere: they
    are never hidden (and so must not be small themselves)."""
    aug = _augmented(values)
    public = _public(aug.shape, known)
    primary = (aug > 0) & (aug < threshold)
    if (primary & public).any():
        raise ValueError(f"a total shown elsewhere is below the suppression threshold {threshold}")
    hidden = primary.copy()
    sensitive = primary.copy()
    sensitive[:-1, :-1] |= True  # every hidden cell must stay hidden; hidden totals only if small
    while True:
        _line_rule(aug, hidden, public)
        leaks = np.argwhere(_determined(hidden) & sensitive & hidden)
        if not len(leaks):
            return hidden
        target = _next_to_hide(aug, hidden, tuple(leaks[0]), public)
        if target is None:  # every non-zero entry is hidden: nothing is left to work anything out from
            raise ValueError(
                "small-cell suppression could not protect the table: every count would have to be "
                "hidden (too few records for this min_cell_count)"
            )
        hidden[target] = True


#: How many offending cells an error message names.
CELLS_SHOWN = 5


def _shown(value) -> str:
    if pd.isna(value):
        return "missing"
    return repr(value.item() if isinstance(value, np.generic) else value)


def _counts(counts: pd.DataFrame) -> np.ndarray:
    """The table's values as whole numbers; a ValueError naming the row, column and value of the
    first cells that are not numbers, are missing, negative or fractional."""
    not_numbers = [
        c
        for c in counts.columns
        if not pd.api.types.is_numeric_dtype(counts[c]) or pd.api.types.is_bool_dtype(counts[c])
    ]
    if not_numbers:
        raise ValueError(
            f"suppression needs a table of non-negative counts: column(s) {', '.join(map(repr, not_numbers))} "
            "hold no numbers"
        )
    values = counts.to_numpy(dtype=float, na_value=np.nan)
    bad = ~np.isfinite(values) | (values < 0) | (values != np.round(values))
    if bad.any():
        cells = np.argwhere(bad)
        shown = [
            f"row {counts.index[i]!r}, column {counts.columns[j]!r}: {_shown(counts.iat[i, j])}"
            for i, j in cells[:CELLS_SHOWN]
        ]
        more = len(cells) - len(shown)
        raise ValueError(
            "suppression needs a table of non-negative counts (whole numbers, none missing): "
            + "; ".join(shown)
            + (f"; and {more} more" if more > 0 else "")
        )
    return values.astype(np.int64)


def suppress(
    counts: pd.DataFrame, threshold: int = 5, *, totals: bool = True, known: tuple[str, ...] = ()
) -> Suppressed:
    """Suppress small counts in a table of non-negative integer counts (rows x columns).

    With ``totals=True`` a "Total" row and column are added to the display (hidden where needed).
    ``known`` names totals the page shows elsewhere ("row totals", "column totals", "grand total",
    e.g. each group's number of cases): they are never hidden, so the protection cannot rely on them.
    """
    if threshold < 1:
        raise ValueError(f"suppression threshold {threshold} must be at least 1")
    values = _counts(counts)
    primary = (values > 0) & (values < threshold)
    if totals:
        hidden_aug = _protect(values, threshold, tuple(known))
        hidden = hidden_aug[:-1, :-1]
        row_total_hidden, col_total_hidden, grand_hidden = (
            hidden_aug[:-1, -1],
            hidden_aug[-1, :-1],
            bool(hidden_aug[-1, -1]),
        )
    else:
        hidden = primary
    display = counts.astype(object).astype(str).where(~hidden, MARKER)
    if totals:
        row_totals = counts.sum(axis=1).astype(str).where(~row_total_hidden, MARKER)
        display["Total"] = row_totals
        col_totals = counts.sum(axis=0).astype(str).where(~col_total_hidden, MARKER)
        grand = MARKER if grand_hidden else str(int(values.sum()))
        display.loc["Total"] = [*col_totals.tolist(), grand]
    mask = pd.DataFrame(hidden, index=counts.index, columns=counts.columns)
    return Suppressed(display, mask, int(primary.sum()), int(hidden.sum() - primary.sum()), threshold)


# ---------------------------------------------------------------- recoding and the joint audit
def merge_bins(counts: pd.DataFrame, threshold: int, cuts: tuple = ()) -> list[list]:
    """Adjacent columns of ``counts`` (groups x ordered values, e.g. routes x visit counts) merged
    into bins so that every group's count in every bin is 0 or at least ``threshold`` (recoding:
    nothing then needs hiding). No bin spans a cut (a bin starts at each value in ``cuts``), so
    counts on either side of a cut stay sums of whole bins. Returns the bins as lists of column
    labels, in order. A segment between cuts whose total for some group is itself from 1 to
    ``threshold - 1`` cannot be made safe: it ends as one bin, still small (the caller hides it).
    Work and memory grow with the number of columns, never with the values."""
    columns = list(counts.columns)
    values = counts.to_numpy(dtype=np.int64)

    def safe(cols: list[int]) -> bool:
        total = values[:, cols].sum(axis=1)
        return bool(((total == 0) | (total >= threshold)).all())

    segments: list[list[int]] = [[]]
    cut_set = set(cuts)
    for k, label in enumerate(columns):
        if label in cut_set and segments[-1]:
            segments.append([])
        segments[-1].append(k)
    bins: list[list[int]] = []
    for segment in segments:
        mine: list[list[int]] = []
        current: list[int] = []
        for k in segment:
            current.append(k)
            if safe(current):
                mine.append(current)
                current = []
        if current:
            if mine:
                mine[-1] = mine[-1] + current
            else:
                mine.append(current)
        while len(mine) > 1 and not safe(mine[-1]):
            last = mine.pop()
            mine[-1] = mine[-1] + last
        bins.extend(mine)
    return [[columns[k] for k in b] for b in bins]


def determined(equations: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Which ``targets`` follow exactly from the published ``equations`` (a boolean per target row).

    The unknowns are counts (one per column); each row of ``equations`` is a published number
    written as a linear combination of them (a count shown, a total, a share times its known
    denominator, a bar height times its route's size). A target (another linear combination, e.g.
    a hidden small count) can be worked out exactly when it lies in the row space of the
    equations, i.e. when it is zero on their null space. This is the attacker's arithmetic:
    adding, subtracting and scaling what is shown."""
    from scipy.linalg import null_space

    equations = np.atleast_2d(np.asarray(equations, float))
    targets = np.atleast_2d(np.asarray(targets, float))
    if equations.size == 0:
        return np.zeros(len(targets), bool)
    basis = null_space(equations)
    if basis.size == 0:
        return np.ones(len(targets), bool)
    scale = np.maximum(np.abs(targets).max(axis=1), 1.0)
    return np.abs(targets @ basis).max(axis=1) / scale < 1e-8


# ---------------------------------------------------------------- bins read with each group's mean
def bin_ranges(bins: list[list], upper: int) -> list[tuple[int, int]]:
    """Each bin's range of values as a reader sees it: from its first value to one below the next bin's
    first value (the last bin up to ``upper``, the largest value allowed)."""
    starts = [int(b[0]) for b in bins]
    return [(lo, (starts[i + 1] - 1) if i + 1 < len(starts) else upper) for i, lo in enumerate(starts)]


def sum_leaks(counts: pd.DataFrame, bins: list[list], threshold: int, upper: int) -> dict[Any, int]:
    """The groups whose bins, read with the group's size and its sum, fix a count from 1 to
    ``threshold - 1``, each with the position of a bin at fault.

    ``counts`` holds each group's (row's) cases at each value (columns: the values that occur, in
    order); ``bins`` lists the columns of each bin shown (from :func:`merge_bins`, so each group's count
    in each bin is 0 or at least ``threshold``). A page that shows a group's mean of these values and
    its size shows their product, the group's sum: one more equation, with each value as its
    coefficient. Two attacks are checked, group by group (every number shown is one group's, or a
    sum of them, so the groups can be read one at a time):

    * adding and subtracting (the audit of :func:`determined`, with the values that occur taken as
      known): the bins are a partition, so a count is fixed only when exactly one bin with cases holds
      more than one value that occurs and it holds exactly two; then both its counts are fixed;
    * counts are whole and not negative: with any whole value of a bin's range possible, the sum
      fixes a count when exactly one bin with cases spans more than one value and the sum is one
      above its least possible value, or one below its greatest (one case is then one step from the
      edge: a count of 1). Further from the edges, and with two such bins or more, the sum can be
      made in more than one way that moves every count.

    No leak is returned for a group whose counts are 0 or at least ``threshold`` everywhere it
    matters (a count fixed at 0 or at a whole bin gives nothing away).
    """
    leaks: dict[Any, int] = {}
    ranges = bin_ranges(bins, upper)
    for group in counts.index:
        row = counts.loc[group]
        totals = [int(row[b].sum()) for b in bins]
        many = [i for i, b in enumerate(bins) if totals[i] > 0 and len(b) >= 2]
        if len(many) == 1 and len(bins[many[0]]) == 2:
            cells = row[bins[many[0]]].to_numpy()
            if ((cells > 0) & (cells < threshold)).any():
                leaks[group] = many[0]
                continue
        wide = [i for i, (lo, hi) in enumerate(ranges) if totals[i] > 0 and hi > lo]
        if len(wide) == 1 and threshold > 1:
            i = wide[0]
            lo, hi = ranges[i]
            excess = int(sum((int(v) - lo) * int(row[v]) for v in bins[i]))
            if excess in (1, totals[i] * (hi - lo) - 1):
                leaks[group] = i
    return leaks


# ---------------------------------------------------------------- any page: every shown number as an equation
def range_row(fine: pd.DataFrame, groups: list, lo: float, hi: float, power: int = 0) -> np.ndarray:
    """One equation (a row over the unknowns: ``fine``'s cells, group by group) for a number shown: the
    sum over ``groups`` of the cases with a value from ``lo`` to ``hi`` (inclusive), each counted as its
    value to ``power`` (0: a count; 1: a sum, such as a mean times its group's size; 2: a sum of squares,
    such as a variance's)."""
    values = np.asarray(fine.columns, dtype=float)
    row = np.zeros(fine.size)
    for k, group in enumerate(fine.index):
        if group in groups:
            inside = (values >= lo) & (values <= hi)
            row[k * len(values) : (k + 1) * len(values)] = np.where(inside, values**power, 0.0)
    return row


def small_ranges_determined(fine: pd.DataFrame, equations: list[np.ndarray], threshold: int) -> list[tuple]:
    """The counts from 1 to ``threshold - 1`` that the shown numbers (``equations``, from
    :func:`range_row`) fix: each group's, and all groups', cases in a range of values, as ``(group, lo,
    hi)`` (``group`` None for all groups). ``fine`` holds each group's (row's) cases at each value that
    occurs (columns, in order); the unknowns are its cells (:func:`determined`)."""
    values = list(fine.columns)
    truth = fine.to_numpy(dtype=float).ravel()
    candidates, rows = [], []
    groups: list = [[g] for g in fine.index] + [list(fine.index)]
    for members in groups:
        for i, lo in enumerate(values):
            for hi in values[i:]:
                row = range_row(fine, members, lo, hi)
                if 0 < row @ truth < threshold:
                    candidates.append((members[0] if len(members) == 1 else None, lo, hi))
                    rows.append(row)
    if not rows or not equations:
        return []
    fixed = determined(np.array(equations), np.array(rows))
    return [c for c, is_fixed in zip(candidates, fixed, strict=True) if is_fixed]
