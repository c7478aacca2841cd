"""The summaries of the synthetic pages rsw_quality_factors and link_worker_monitoring ("In brief" and their
paragraphs on the landing page) state no single synthetic draw: every number is a {num} role whose kind is
declared and may appear in a summary, and no number is glued there without its mark."""

from __future__ import annotations

import json
import re

import pytest

from helpers import kinds
from helpers.paths import ROOT

STEMS = ("rsw_quality_factors", "link_worker_monitoring")
_ROLE = re.compile(r"\{(?P<name>[a-z:]+)\}`(?P<body>[^`]*)`")
#: A glue:text role with a numeric format (``key:.2f``, ``key:d``, ``key:.0%``...) is a number without a mark.
_NUMERIC_SPEC = re.compile(r":[,.]?\d*[dfg%]$|:,d$|:g$")


def in_brief(stem: str) -> str:
    cells = json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))["cells"]
    text = "".join(cells[0]["source"])
    start = text.index("## In brief")
    return text[start:text.index("**What this page cannot show.**", start)]


TITLES = {"rsw_quality_factors": "**What predicts good direct practice in Reclaiming Social Work**",
          "link_worker_monitoring": "**A link social worker in children's centres**"}


def landing_paragraph(stem: str) -> str:
    text = (ROOT / "book" / "intro.md").read_text(encoding="utf-8")
    start = text.index(TITLES[stem])
    return text[start:text.index("\n\n", start)]


def roles(text: str, stem: str) -> list[tuple[str, str, str]]:
    """(role, key, spec) of each num and glue role in ``text``."""
    out = []
    for m in _ROLE.finditer(text):
        if m.group("name") not in ("num", "glue:text", "glue"):
            continue
        body = m.group("body").split("::", 1)[-1]
        key, _, spec = body.partition(":")
        out.append((m.group("name"), key, spec))
    return out


def check(text: str, stem: str) -> list[str]:
    problems = []
    for role, key, spec in roles(text, stem):
        if role == "num":
            try:
                kinds.summary_kind(stem, key)
            except kinds.KindError as err:
                problems.append(str(err))
        elif spec and spec != "s" and _NUMERIC_SPEC.search(":" + spec):
            problems.append(f"{key!r} is glued as a number ({spec}) without its kind mark: use {{num}}")
    return problems


@pytest.mark.parametrize("stem", STEMS)
def test_in_brief_states_no_single_draw_and_marks_every_number(stem):
    assert not check(in_brief(stem), stem)
    # It states the summaries across reconstructions.
    assert any(key.startswith("rep_") for _, key, _ in roles(in_brief(stem), stem))


@pytest.mark.parametrize("stem", STEMS)
def test_landing_paragraph_states_no_single_draw_and_marks_every_number(stem):
    text = landing_paragraph(stem)
    assert not check(text, stem)
    assert any(key.startswith("rep_") for _, key, _ in roles(text, stem))


def test_the_check_fails_when_broken():
    assert check("a {num}`indirect_effect_clinician:.2f` draw", "rsw_quality_factors")
    assert check("a {glue:text}`rep_indirect_median:.2f` number", "rsw_quality_factors")
    assert check("a {num}`no_such_key` number", "link_worker_monitoring")
    assert not check("a {num}`rep_indirect_median:.2f` and {glue:text}`mde_depends_on_text`", "rsw_quality_factors")
