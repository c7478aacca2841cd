"""Small-cell suppression: primary and secondary (complementary) suppression."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from helpers.suppression import MARKER, suppress


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


def test_a_small_total_is_itself_suppressed():
    # Cells of 1 and 2 are hidden; their row total, 3, would reveal a small count.
    s = suppress(table([[1, 2, 0], [10, 20, 30]]))
    assert s.display.loc["r0", "Total"] == MARKER
    # ... and then the total column has two hidden members (3 and its complement), not one.
    assert (s.display["Total"] == MARKER).sum() == 2


def test_threshold_is_a_parameter():
    assert suppress(table([[6, 20], [30, 40]]), threshold=10).primary == 1
    with pytest.raises(ValueError, match="at least 1"):
        suppress(table([[1]]), threshold=0)
    with pytest.raises(ValueError, match="non-negative"):
        suppress(table([[-1, 2]]))


@settings(max_examples=200, deadline=None)
@given(arrays(np.int64, st.tuples(st.integers(1, 5), st.integers(1, 5)), elements=st.integers(0, 30)))
def test_no_hidden_count_can_be_recovered_from_its_line(values):
    s = suppress(pd.DataFrame(values))
    shown = s.display.to_numpy()
    hidden = shown == MARKER
    full = np.zeros((values.shape[0] + 1, values.shape[1] + 1), dtype=int)
    full[:-1, :-1] = values
    full[:-1, -1], full[-1, :-1], full[-1, -1] = values.sum(axis=1), values.sum(axis=0), values.sum()
    small = (full > 0) & (full < 5)
    assert (hidden >= small).all(), "every small count, totals included, is hidden"
    for i in range(full.shape[0]):
        assert hidden[i, :].sum() != 1 or full[i, hidden[i, :]].sum() == 0, f"row {i}: one hidden member"
    for j in range(full.shape[1]):
        assert hidden[:, j].sum() != 1 or full[hidden[:, j], j].sum() == 0, f"column {j}: one hidden member"
