"""Reproduction checks: rounding as printed, statuses, loud failure."""

from __future__ import annotations

import pytest

from helpers.page.reproduce import FigureUse, ReproductionError, check, checks_table, require, round_half_up


@pytest.mark.parametrize(
    "value, decimals, expected", [(78.5, 0, 79), (79.49, 0, 79), (0.125, 2, 0.13), (2.5, 0, 3), (-2.5, 0, -3)]
)
def test_round_half_up_as_reports_print(value, decimals, expected):
    assert round_half_up(value, decimals) == expected


def test_kft_share_is_reproduced_from_counts():
    c = check("kft_home_pct", 100 * 94 / 119)
    assert c.status == "reproduced" and c.rounded == 79


def test_a_wrong_value_is_not_reproduced_and_require_fails_loudly():
    c = check("kft_home_pct", 100 * 93 / 119)  # 78.15 rounds to 78, not 79
    assert c.status == "not reproduced"
    with pytest.raises(ReproductionError, match=r"kft_home_pct: computed 78\.15, rounds to 78, published 79"):
        require([c])


def test_not_applicable_when_inputs_changed():
    c = check("kft_home_pct", 50.0, applicable=False, reason="counts changed")
    assert c.status == "not applicable"
    require([c])  # does not raise
    assert "counts changed" in checks_table([c]).loc[0, "status"]


def test_figure_use_validates_role_and_id():
    with pytest.raises(ValueError, match="role"):
        FigureUse("kft_home_pct", "guessed")
    with pytest.raises(Exception, match="no published figure"):
        FigureUse("nope", "input")
