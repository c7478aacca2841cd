"""The "In brief" of the synthetic pages rsw_quality_factors and link_worker_monitoring states what the
reconstruction shows across many draws, never one. (Their paragraphs on the landing page say what the
evaluations found, in their own words and figures, and state no reconstruction's result.)

tests/test_kinds.py checks every summary number's mark (and refuses a one-draw value there); this checks
that these two pages' summaries state a summary across reconstructions (a synthetic number: ``rep_*``, or a
share of reconstructions such as a simulated power) at all, and no one-draw value.
"""

from __future__ import annotations

import re

import pytest

from helpers.engine.paths import ROOT
from helpers.page import kinds
from summaries import in_brief

STEMS = ("rsw_quality_factors", "link_worker_monitoring")
_ROLE = re.compile(r"\{(?P<name>num|glue:text)\}`(?P<body>[^`]*)`")


def keys(text: str) -> list[str]:
    return [m.group("body").split("::", 1)[-1].split(":", 1)[0] for m in _ROLE.finditer(text)]


def one_draw_keys(text: str, stem: str) -> list[str]:
    return [k for k in keys(text) if kinds.declared(stem).get(k) is kinds.Kind.ONE_DRAW]


@pytest.mark.parametrize("stem", STEMS)
def test_the_summary_states_replicates_and_no_single_draw(stem):
    where = "in brief"
    text = in_brief(ROOT / "notebooks" / f"{stem}.ipynb")
    declared = kinds.declared(stem)
    across = [k for k in keys(text) if k.startswith("rep_") or declared.get(k) is kinds.Kind.SYNTHETIC]
    assert across, f"{stem} {where}: no summary across reconstructions"
    assert not one_draw_keys(text, stem), f"{stem} {where}: states one draw: {one_draw_keys(text, stem)}"


def test_the_check_fails_when_broken():
    assert one_draw_keys("a {num}`indirect_effect_clinician:.2f` draw", "rsw_quality_factors")
    assert one_draw_keys(
        "a {glue:text}`../notebooks/link_worker_monitoring.ipynb::rate_ratio_est:.2f`", "link_worker_monitoring"
    )
    assert not one_draw_keys("a {num}`rep_indirect_median:.2f`", "rsw_quality_factors")
    assert kinds.declared("rsw_quality_factors").get("power_all_four") is kinds.Kind.SYNTHETIC
