"""Every number in a summary carries a mark of its kind, generated from the analysis's own declaration.

Summaries are the landing page's "Headline findings" and each notebook's "In brief" (tests/summaries.py).
A number is written there as ``{num}`key:spec``` (the book's ``kind_marks`` extension adds the mark); a
``{glue:text}`` whose glued value is a number is a number without its mark, and fails here. Phrases
(glued strings) stay ``{glue:text}``. The declarations are checked against what the numbers are: a number
declared published equals a figure in the registry.
"""

from __future__ import annotations

import functools
import math
import re
from pathlib import PurePosixPath

import nbformat
import pytest

from helpers.engine import catalog
from helpers.engine.paths import NOTEBOOKS as NB_DIR
from helpers.page import kinds
from helpers.page.glue import read_glued
from helpers.page.kinds import Kind, KindError
from helpers.page.registry import load_registry
from summaries import NOTEBOOKS, in_brief, intro_summary

ROLE = re.compile(r"\{(?P<name>glue:text|num)\}`(?P<body>[^`]+)`")


def _stem_key(body: str, default_stem: str) -> tuple[str, str]:
    key = body.rsplit(":", 1)[0] if body.count(":") % 2 == 1 else body
    if "::" in key:
        path, key = key.split("::", 1)
        return PurePosixPath(path).stem, key
    return default_stem, key


@functools.cache
def glued(stem: str) -> dict:
    return read_glued(nbformat.read(NB_DIR / f"{stem}.ipynb", as_version=4))


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def mark_problems(markdown: str, default_stem: str, values=glued) -> list[str]:
    """Numbers in ``markdown`` without their kind mark, and marks that cannot be given."""
    problems = []
    for m in ROLE.finditer(markdown):
        stem, key = _stem_key(m.group("body"), default_stem)
        value = values(stem).get(key)
        if value is None:
            problems.append(f"{m.group(0)}: {stem} glues no {key!r}")
        elif m.group("name") == "glue:text" and _is_number(value):
            problems.append(f"{m.group(0)} = {value!r} is a number without its kind mark: write {{num}}")
        elif m.group("name") == "num":
            try:
                kinds.summary_kind(stem, key)
            except KindError as exc:
                problems.append(f"{m.group(0)}: {exc}")
    return problems


SUMMARIES = [("book/intro.md", "intro", intro_summary)] + [
    (f"notebooks/{nb.name}", nb.stem, functools.partial(in_brief, nb)) for nb in NOTEBOOKS
]


@pytest.mark.parametrize("page,stem,summary", SUMMARIES, ids=[s[0] for s in SUMMARIES])
def test_every_summary_number_carries_its_kind(page, stem, summary):
    problems = mark_problems(summary(), stem)
    assert not problems, f"{page}:\n" + "\n".join(problems)


def test_the_mark_check_fails_on_an_unmarked_number_and_on_one_draw(monkeypatch):
    values = {"x": {"n": 119, "share": 0.79, "verdict": "met", "draw": 1.19}}.get
    monkeypatch.setattr(
        kinds, "declared", lambda stem: kinds.declare(published=["n"], computed=["share"], one_draw=["draw"])
    )
    assert mark_problems("{glue:text}`verdict` {num}`n:d` {num}`share:.0%`", "x", values) == []
    assert len(mark_problems("Of {glue:text}`n:d` children", "x", values)) == 1
    assert "one synthetic draw" in mark_problems("{num}`draw:.2f`", "x", values)[0]
    assert "no declared kind" in mark_problems("{num}`verdict`", "x", values)[0]
    assert "glues no" in mark_problems("{num}`missing:.2f`", "x", values)[0]


def _registry_values() -> list[float]:
    out = []
    for fig in load_registry().values():
        try:
            out.append(float(fig.value))
            if fig.is_percent:
                out.append(fig.as_share())
        except ValueError:
            continue
    return out


@pytest.mark.parametrize("stem", catalog.stems())
def test_numbers_declared_published_are_registry_figures(stem):
    figures = _registry_values()
    values = glued(stem)
    declared = kinds.declared(stem)
    wrong = [
        f"{name} = {values[name]!r}"
        for name, kind in declared.items()
        if kind is Kind.PUBLISHED
        and _is_number(values.get(name))
        and not any(math.isclose(values[name], f, rel_tol=1e-9, abs_tol=1e-12) for f in figures)
    ]
    assert not wrong, f"{stem}: declared published but no registry figure has the value: {wrong}"


@pytest.mark.parametrize("stem", catalog.stems())
def test_every_declared_name_is_a_scalar_the_page_glues(stem):
    missing = sorted(set(kinds.declared(stem)) - set(glued(stem)))
    assert not missing, f"{stem}: KINDS names scalars the notebook does not glue: {missing}"


def test_declare_and_lookup():
    table = kinds.declare(published=["a"], assumption=["b"], one_draw=["c"])
    assert table == {"a": Kind.PUBLISHED, "b": Kind.ASSUMPTION, "c": Kind.ONE_DRAW}
    with pytest.raises(ValueError, match="declared both published and computed"):
        kinds.declare(published=["a"], computed=["a"])
    assert [k.letter for k in kinds.SUMMARY_KINDS] == ["P", "C", "S", "A"]
    assert len({k.label for k in Kind}) == len(Kind)


def test_lookup_by_module(monkeypatch):
    monkeypatch.setattr(kinds, "declared", lambda stem: {"a": Kind.COMPUTED, "d": Kind.ONE_DRAW})
    assert kinds.kind_of("x", "a") is Kind.COMPUTED
    assert kinds.kind_of("x", "rep_rate_ratio_median") is Kind.SYNTHETIC
    with pytest.raises(KindError, match=r"'b' has no declared kind.*helpers\.analyses\.x"):
        kinds.kind_of("x", "b")
    with pytest.raises(KindError, match="one synthetic draw"):
        kinds.summary_kind("x", "d")
