"""Small-cell suppression: primary and secondary (complementary) suppression."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from helpers.inputs.suppression import MARKER, suppress


def table(rows):
    return pd.DataFrame(rows, index=[f"r{i}" for i in range(len(rows))], columns=[f"c{j}" for j in range(len(rows[0]))])


def test_nothing_to_suppress():
    s = suppress(table([[10, 20], [30, 40]]))
    assert s.primary == 0 and s.secondary == 0 and not s.mask.to_numpy().any()
    assert s.display.loc["Total", "Total"] == "100"
    assert "nothing is suppressed" in s.note


def test_primary_and_row_and_column_complements():
    s = suppress(table([[3, 20, 30], [40, 50, 60]]))
    # 3 is primary; its row then has one hidden cell -> hide 20 (the smallest other);
    # columns c0 and c1 then have one hidden cell each -> hide 40 and 50.
    assert s.mask.to_numpy().tolist() == [[True, True, False], [True, True, False]]
    assert (s.primary, s.secondary) == (1, 3)
    assert s.display.loc["r0", "c0"] == MARKER and s.display.loc["r0", "c2"] == "30"
    assert "Counts from 1 to 4 are suppressed ([c]), and 3 further cells" in s.note


def test_zero_is_not_small_and_is_not_a_complement():
    s = suppress(table([[0, 2, 9], [7, 8, 9]]))
    assert not s.mask.loc["r0", "c0"]
    assert s.mask.loc["r0", "c1"] and s.mask.loc["r0", "c2"]


def test_single_column_hides_the_total_when_nothing_else_can_be_hidden():
    s = suppress(pd.DataFrame({"n": [2]}, index=["only"]))
    assert s.display.loc["only", "Total"] == MARKER and s.display.loc["Total", "n"] == MARKER


def test_threshold_is_a_parameter():
    assert suppress(table([[6, 20], [30, 40]]), threshold=10).primary == 1
    with pytest.raises(ValueError, match="at least 1"):
        suppress(table([[1]]), threshold=0)
    with pytest.raises(ValueError, match="non-negative"):
        suppress(table([[-1, 2]]))


@settings(max_examples=200, deadline=None)
@given(arrays(np.int64, st.tuples(st.integers(1, 5), st.integers(1, 5)), elements=st.integers(0, 30)))
def test_no_hidden_cell_can_be_recovered_from_a_line_total(values):
    s = suppress(pd.DataFrame(values))
    hidden = s.mask.to_numpy()
    assert (hidden >= ((values > 0) & (values < 5))).all()  # every small count is hidden
    for line, total_hidden in [(hidden[i, :], s.display.iloc[i, -1] == MARKER) for i in range(values.shape[0])] + [
        (hidden[:, j], s.display.iloc[-1, j] == MARKER) for j in range(values.shape[1])
    ]:
        assert line.sum() != 1 or total_hidden, "a single hidden cell in a line with a visible total"


# -- exact disclosure through several lines or through the totals ------------------------------
# The line rule above (no line with a single hidden cell) is necessary but not sufficient. An
# independent audit: write the table's equations over the hidden entries (each row and column
# adds up to its total, the row totals and the column totals each add up to the grand total) and
# test, by matrix rank, whether a hidden cell's value is fixed by them (adding its unit vector to
# the equations does not raise the rank).
def _disclosed_cells(values: np.ndarray, s) -> list[tuple[int, int]]:
    n_rows, n_cols = values.shape
    hidden = s.mask.to_numpy()
    row_total = [s.display.iloc[i, -1] == MARKER for i in range(n_rows)]
    col_total = [s.display.iloc[-1, j] == MARKER for j in range(n_cols)]
    grand = s.display.iloc[-1, -1] == MARKER
    names = [("cell", i, j) for i in range(n_rows) for j in range(n_cols) if hidden[i, j]]
    names += [("row", i) for i in range(n_rows) if row_total[i]]
    names += [("col", j) for j in range(n_cols) if col_total[j]]
    names += [("grand",)] if grand else []
    if not names:
        return []
    position = {n: k for k, n in enumerate(names)}

    def equation(plus, minus):
        row = np.zeros(len(names))
        for n in plus:
            row[position[n]] += 1 if n in position else 0
        for n in minus:
            row[position[n]] -= 1 if n in position else 0
        return row

    cells = lambda i=None, j=None: [
        n for n in names if n[0] == "cell" and (i is None or n[1] == i) and (j is None or n[2] == j)
    ]
    a = np.array(
        [equation(cells(i=i), [("row", i)] if ("row", i) in position else []) for i in range(n_rows)]
        + [equation(cells(j=j), [("col", j)] if ("col", j) in position else []) for j in range(n_cols)]
        + [equation([n for n in names if n[0] == "row"], [n for n in names if n[0] == "grand"])]
        + [equation([n for n in names if n[0] == "col"], [n for n in names if n[0] == "grand"])]
    )
    rank = np.linalg.matrix_rank(a)
    out = []
    for n in cells():
        unit = np.zeros(len(names))
        unit[position[n]] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            out.append((n[1], n[2]))
    return out


@pytest.mark.parametrize(
    "values",
    [
        [[2]],  # one cell: its row and column totals, and then the grand total, would give it away
        [[2], [0]],  # the grand total minus the visible row total would give the hidden row total
        [[2, 0], [10, 20]],
        [[10, 0], [2, 1]],
        [[20, 0, 8], [6, 0, 8], [0, 8, 4], [20, 0, 10]],  # a hidden column total = grand - the others
        [[1, 10], [1, 0], [2, 5], [5, 10], [5, 2]],  # a hidden row total = grand - the others
    ],
)
def test_no_hidden_cell_can_be_worked_out_through_the_totals(values):
    values = np.array(values)
    s = suppress(pd.DataFrame(values))
    assert (s.mask.to_numpy() >= ((values > 0) & (values < 5))).all()
    assert _disclosed_cells(values, s) == []


def test_small_totals_are_hidden_and_protected():
    # An authority with 7 children, none with the characteristic: its total is as small as a cell.
    values = np.array([[0, 7], [14, 100], [30, 200]])
    s = suppress(pd.DataFrame(values), threshold=15)
    assert s.display.iloc[0, -1] == MARKER  # the row total of 7
    assert s.mask.iloc[0, 1] and s.mask.iloc[1, 0] and not s.mask.iloc[0, 0]  # 7 and 14 hidden, the zero shown
    assert _disclosed_cells(values, s) == []


def test_protection_stays_local_in_a_long_table():
    # One small count among many rows hides a few cells, not the table.
    rng = np.random.default_rng(7)
    values = rng.integers(20, 400, size=(150, 2))
    values[10] = [3, 40]
    s = suppress(pd.DataFrame(values))
    assert s.mask.to_numpy().sum() <= 6 and _disclosed_cells(values, s) == []


def test_audit_finds_what_the_line_rule_misses():
    # Before the audit, [[2]] showed the grand total 2 under two hidden totals: check the audit
    # itself would flag that (so the test above can fail).
    from helpers.inputs.suppression import exactly_determined

    hidden = np.array([[True]])
    assert exactly_determined(hidden, np.array([True]), np.array([True]), False) == [
        ("cell", 0, 0),
        ("row", 0),
        ("col", 0),
    ]
    assert exactly_determined(hidden, np.array([True]), np.array([True]), True) == []


def test_audit_does_not_hide_more_than_the_line_rule_needs():
    # The worked example above already protects every cell: the audit adds nothing.
    s = suppress(table([[3, 20, 30], [40, 50, 60]]))
    assert (s.primary, s.secondary) == (1, 3) and s.display.loc["Total", "Total"] == "203"


@settings(max_examples=150, deadline=None)
@given(
    arrays(
        np.int64,
        st.tuples(st.integers(1, 5), st.integers(1, 5)),
        elements=st.sampled_from([0, 1, 2, 3, 4, 6, 8, 10, 20, 30]),
    )
)
def test_no_hidden_cell_is_exactly_determined(values):
    s = suppress(pd.DataFrame(values))
    assert _disclosed_cells(values, s) == []


def test_a_small_total_is_itself_suppressed():
    # Cells of 1 and 2 are hidden; their row total, 3, would reveal a small count.
    s = suppress(table([[1, 2, 0], [10, 20, 30]]))
    assert s.display.loc["r0", "Total"] == MARKER
    # ... and then the total column has more than one hidden member, so the 3 cannot be worked out.
    assert (s.display["Total"] == MARKER).sum() >= 2


@pytest.mark.parametrize("totals", [True, False])
@pytest.mark.parametrize("value, shown", [(np.nan, "missing"), (-3, "-3"), (2.5, "2.5")])
def test_missing_negative_or_fractional_counts_are_refused_naming_the_cell(value, shown, totals):
    counts = pd.DataFrame({"a": [10, 20], "b": [30, value]}, index=["north", "south"])
    with pytest.raises(ValueError, match=f"non-negative counts .*: row 'south', column 'b': {shown}$"):
        suppress(counts, totals=totals)


def test_only_the_first_offending_cells_are_named():
    counts = pd.DataFrame({"a": [np.nan] * 8}, index=[f"r{i}" for i in range(8)])
    with pytest.raises(ValueError, match=r"row 'r4', column 'a': missing; and 3 more$") as err:
        suppress(counts, totals=False)
    assert "'r5'" not in str(err.value)


def test_a_column_of_text_is_refused_by_name():
    with pytest.raises(ValueError, match="column\\(s\\) 'b' hold no numbers"):
        suppress(pd.DataFrame({"a": [1], "b": ["x"]}))


def test_whole_numbers_stored_as_floats_are_accepted_unchanged():
    s = suppress(pd.DataFrame({"a": [10.0, 2.0], "b": [30.0, 40.0]}))
    assert s.primary == 1 and s.display.loc["Total", "Total"] == "82"
