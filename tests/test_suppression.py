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
    for line, total_hidden in [(hidden[i, :], s.display.iloc[i, -1] == MARKER) for i in range(values.shape[0])] + \
                              [(hidden[:, j], s.display.iloc[-1, j] == MARKER) for j in range(values.shape[1])]:
        assert line.sum() != 1 or total_hidden, "a single hidden cell in a line with a visible total"
