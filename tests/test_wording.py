"""The words messages share (helpers.engine.wording): counts with their noun in the right number, and
the closest known name to a misspelt one, as the parameter, grid, notebook and answers-file checks
use them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.analyses import kft_care_outcomes as kft
from helpers.engine.wording import did_you_mean, noun_for, plural


@pytest.mark.parametrize(
    "n, noun, expected",
    [
        (0, "point", "0 points"),
        (1, "point", "1 point"),
        (2, "point", "2 points"),
        (1, "entry", "1 entry"),
        (3, "entry", "3 entries"),
        (2, "cache entry", "2 cache entries"),
        (2, "day", "2 days"),
        (1, "further cell", "1 further cell"),
        (4, "further cell", "4 further cells"),
    ],
)
def test_a_count_takes_its_noun_in_the_right_number(n, noun, expected):
    assert plural(n, noun) == expected


@given(st.integers(0, 10**6))
def test_only_one_is_singular(n):
    assert (noun_for(n, "value") == "value") is (n == 1)
    assert noun_for(n, "child", "children") == ("child" if n == 1 else "children")


def test_the_closest_known_name_is_suggested_and_a_far_one_is_not():
    names = kft.PARAMETERS.names
    assert did_you_mean("target_hom_rate", names) == " (did you mean 'target_home_rate'?)"
    assert did_you_mean("n_refered", names) == " (did you mean 'n_referred'?)"
    assert did_you_mean("xyz", names) == ""
    assert did_you_mean(3, ["a"]) == ""


def test_an_unknown_parameter_is_refused_with_the_suggestion():
    message = str(kft.PARAMETERS.unknown("target_hom_rate"))
    assert message.startswith("unknown parameter 'target_hom_rate' (did you mean 'target_home_rate'?): expected one of")
