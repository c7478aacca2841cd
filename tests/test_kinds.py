"""Every number in a summary carries a mark of its kind, resolved from the analysis's own declaration.

Summaries are the cards, each page's "In brief" and its paragraph on the landing page. A generated
summary (:mod:`helpers.page.narrative`) marks every number by construction, so the checks here are that
its templates type no digit, that every field renders (a number of undeclared kind, or one synthetic
draw, is an error), and that the marks mean what the key says: a published figure keeps P (or P* when
the registry grades it secondary) wherever it is restated, a value a run put in its place is A, a
number from a user's own records is D, and simulation settings are unmarked. A page whose "In brief" is
still Markdown is checked as before: each number written ``{num}`` with a declared kind.
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
from helpers.page.landing import toc_stems
from helpers.page.narrative import Context, NarrativeError, render
from helpers.page.registry import figure
from summaries import (
    BRIEF_WORDS,
    LANDING_WORDS,
    NOTEBOOKS,
    brief,
    brief_templates,
    generated,
    in_brief,
    landing_template,
    module,
)

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
    """Numbers in a Markdown summary without their kind mark, and marks that cannot be given."""
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
                kinds.summary_kind(stem, key, value)
            except KindError as exc:
                problems.append(f"{m.group(0)}: {exc}")
    return problems


def _registry_values() -> list[float]:
    """Every registry figure's value (and its share, for a percentage): for the pages' own tests."""
    from helpers.page.registry import load_registry

    out = []
    for fig in load_registry().values():
        out.append(float(fig.value))
        if fig.is_percent:
            out.append(fig.as_share())
    return out


def typed_digits(template: str) -> list[str]:
    """Digits a template types outside its fields, glossary links and link targets."""
    text = re.sub(r"\{[^{}]*\}|\[\[[^\]]*\]\]|\]\([^)]*\)", " ", template)
    return re.findall(r"\S*\d\S*", text)


MARKDOWN_BRIEFS = [nb for nb in NOTEBOOKS if not generated(nb.stem)]
GENERATED = [nb.stem for nb in NOTEBOOKS if generated(nb.stem)]


@pytest.mark.parametrize("notebook", MARKDOWN_BRIEFS, ids=lambda p: p.name)
def test_every_markdown_summary_number_carries_its_kind(notebook):
    problems = mark_problems(in_brief(notebook), notebook.stem)
    assert not problems, f"{notebook.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("stem", GENERATED)
def test_a_generated_brief_types_no_digit_and_renders_every_number_with_its_mark(stem):
    for template in brief_templates(stem):
        assert not typed_digits(template), f"{stem}: digits typed in the brief: {typed_digits(template)}"
    text = brief(stem).text()
    for number in re.findall(r"(?<![\w.])\d[\d,.]*%?(?:\s?(?:million|children|cases))?", text):
        assert number in text  # (every field of the brief rendered: a failure would have raised)
    assert brief(stem).html().count('class="kind-mark') >= len(re.findall(r"\[[A-Z1*]{1,2}\]", text))


@pytest.mark.parametrize("stem", GENERATED)
def test_a_generated_brief_keeps_to_its_word_budget(stem):
    assert brief(stem).words() <= BRIEF_WORDS, f"{stem}: In brief has {brief(stem).words()} words"


@pytest.mark.parametrize("stem", toc_stems())
def test_each_landing_paragraph_types_no_digit_and_renders(stem):
    template = landing_template(stem)
    assert not typed_digits(template), f"{stem}: digits typed in the landing paragraph: {typed_digits(template)}"
    render(template, Context(stem, glued(stem)), "text")


def test_the_landing_page_keeps_to_its_word_budget():
    from helpers.page.landing import paragraph

    intro = (NB_DIR.parent / "book" / "intro.md").read_text(encoding="utf-8")
    prose = re.sub(r"```\{code-cell\}.*?```", " ", intro.split("---", 2)[2], flags=re.S)
    words = len(re.findall(r"[^\s#*\-]+", prose))
    words += sum(len(paragraph(stem, to="text").split()) for stem in toc_stems())
    assert words <= LANDING_WORDS, f"the landing page's prose outside its table has {words} words"


def test_the_template_checks_fail_when_broken():
    assert typed_digits("Of {n:d} children, 79% stayed") == ["79%"]
    assert typed_digits("see [[confidence interval]] and [the cost](#cost-2)") == []
    with pytest.raises(NarrativeError, match="does not have"):
        render("{missing:d}", Context("kft_care_outcomes", {}))
    with pytest.raises(NarrativeError, match="give it a format"):
        render("{n_referred}", Context("kft_care_outcomes", {"n_referred": 119}))
    with pytest.raises(NarrativeError, match="no term"):
        render("[[no such term]]", Context("kft_care_outcomes", {}))


def test_a_published_figure_keeps_its_mark_where_it_is_restated_and_a_replaced_one_is_an_assumption():
    stem = "kft_care_outcomes"
    assert kinds.resolve(stem, "n_referred", 119) is Kind.PUBLISHED
    assert kinds.resolve(stem, "n_referred", 150) is Kind.ASSUMPTION
    assert kinds.resolve(stem, "target_home_rate", 0.5) is Kind.PUBLISHED  # a percentage, as a share
    assert kinds.resolve("frontline_visits", "published_visits_frontline", 16) is Kind.PUBLISHED_SECONDARY
    assert kinds.resolve("time_use_admin_support", "pa_cost_per_sw_text", "£4,408") is Kind.PUBLISHED_SECONDARY
    assert kinds.resolve("time_use_admin_support", "pa_cost_per_sw_text", "£5,000") is Kind.ASSUMPTION
    one = render("{n_referred:d} and {n_at_home:d}", Context(stem, {"n_referred": 119, "n_at_home": 94}), "text")
    other = render("{n_referred:d} and {n_at_home:d}", Context(stem, {"n_referred": 150, "n_at_home": 94}), "text")
    assert one == "119 [P] and 94 [C]" and other == "150 [A] and 94 [M]"  # computed from a replaced input: M


def test_settings_are_unmarked_and_records_are_their_own_kind(monkeypatch):
    assert kinds.kind_of("frontline_visits", "rep_n") is Kind.SETTING
    assert render("{rep_n:,d}", Context("frontline_visits", {"rep_n": 1000}), "text") == "1,000"
    assert kinds.kind_of("frontline_visits", "rep_rate_ratio_median") is Kind.SYNTHETIC
    table = kinds.declare(published={"n": "kft_n_referred"}, synthetic=["m"], records=["m"])
    monkeypatch.setattr(kinds, "declared", lambda stem: table)
    assert kinds.resolve("x", "m", 1.0) is Kind.SYNTHETIC
    assert kinds.resolve("x", "m", 1.0, own_records=True) is Kind.RECORDS
    with pytest.raises(KindError, match="one synthetic draw"):
        monkeypatch.setattr(kinds, "declared", lambda stem: kinds.declare(one_draw=["d"]))
        kinds.summary_kind("x", "d")


def test_declare_and_lookup():
    table = kinds.declare(published={"a": "kft_n_referred"}, assumption=["b"], one_draw=["c"], setting=["s"])
    assert dict(table) == {"a": Kind.PUBLISHED, "b": Kind.ASSUMPTION, "c": Kind.ONE_DRAW, "s": Kind.SETTING}
    assert table.figures == {"a": "kft_n_referred"}
    with pytest.raises(ValueError, match="declared both published and computed"):
        kinds.declare(published={"a": "kft_n_referred"}, computed=["a"])
    with pytest.raises(ValueError, match="records names"):
        kinds.declare(records=["z"])
    assert [k.letter for k in kinds.SUMMARY_KINDS] == ["P", "P*", "C", "M", "S", "A", "D"]
    assert len({k.label for k in Kind}) == len(Kind) and not Kind.SETTING.letter


def test_a_mark_is_reachable_by_keyboard_and_touch():
    link = kinds.mark_html(Kind.MODEL, href="../book/glossary.html")
    assert link.startswith("<a ") and 'href="../book/glossary.html#kind-model"' in link
    assert 'aria-label="a model' in link and 'data-label="a model' in link
    assert 'tabindex="0"' in kinds.mark_html(Kind.MODEL) and kinds.mark_html(Kind.SETTING) == ""


@pytest.mark.parametrize("stem", catalog.stems())
def test_numbers_declared_published_are_their_registry_figures(stem):
    values = glued(stem)
    declared = kinds.declared(stem)
    wrong = []
    for name, figure_id in declared.figures.items():
        value, fig = values.get(name), figure(figure_id)
        if _is_number(value) and not any(
            math.isclose(value, v, rel_tol=1e-9) for v in (fig.value, fig.as_share() if fig.is_percent else None) if v
        ):
            wrong.append(f"{name} = {value!r} is not {figure_id} ({fig.value_text} {fig.unit})")
    assert not wrong, f"{stem}: {wrong}"
    assert set(declared.figures) == {n for n, k in declared.items() if k is Kind.PUBLISHED}


@pytest.mark.parametrize("stem", catalog.stems())
def test_every_declared_name_is_a_scalar_the_page_glues(stem):
    missing = sorted(set(kinds.declared(stem)) - set(glued(stem)))
    assert not missing, f"{stem}: KINDS names scalars the notebook does not glue: {missing}"


@pytest.mark.parametrize("stem", toc_stems())
def test_every_page_declares_a_card_and_a_landing_paragraph(stem):
    m = module(stem)
    assert m.CARD.title and m.CARD.question and m.CARD.adds and m.CARD.would_change
    assert callable(m.landing)


def test_a_replaced_model_input_leaves_computed_numbers_computed(monkeypatch):
    """A published figure that feeds only a page's model (declared ``model_inputs``) can be replaced in a run
    without turning the page's computed numbers into a model's; any other replaced figure still does."""
    table = kinds.declare(
        published={"n": "kft_n_referred", "t": "kft_target_home_pct"}, computed=["c"], model_inputs=["t"]
    )
    monkeypatch.setattr(kinds, "declared", lambda stem: table)
    assert render("{c:d}", Context("x", {"n": 119, "t": 0.6, "c": 94}), "text") == "94 [C]"
    assert render("{c:d}", Context("x", {"n": 150, "t": 0.5, "c": 94}), "text") == "94 [M]"
    with pytest.raises(ValueError, match="model_inputs names \\['c'\\] must be declared published"):
        kinds.declare(published={"n": "kft_n_referred"}, computed=["c"], model_inputs=["c"])


def test_declared_inputs_must_be_computed_names_using_published_figures():
    with pytest.raises(ValueError, match="not declared computed"):
        kinds.declare(published={"n": "kft_n_referred"}, model=["m"], inputs={"m": ["n"]})
    with pytest.raises(ValueError, match="not declared published"):
        kinds.declare(published={"n": "kft_n_referred"}, computed=["c"], inputs={"c": ["x"]})


def test_a_computed_number_stays_computed_when_a_figure_it_does_not_use_is_replaced():
    """KFT's shares use the two counts only: a run with another target keeps them C; the test against the
    target, which uses it, becomes the run's model result."""
    from helpers.analyses import kft_care_outcomes as kft
    from helpers.page.narrative import Context, render

    s = kft.run(kft.PARAMETERS.validate(target_home_rate=0.6)).scalars
    ctx = Context("kft_care_outcomes", s)
    assert render("{n_at_home:d}", ctx, "text").endswith("[C]")
    assert render("{p_value_vs_target:.3f}", ctx, "text").endswith("[M]")
    default = kft.run(kft.PARAMETERS.validate()).scalars
    assert render("{p_value_vs_target:.3f}", Context("kft_care_outcomes", default), "text").endswith("[C]")


def _restatements(stem: str) -> list[str]:
    """Computed numbers of the committed page that show one of the page's registry figures at its published
    precision without being declared as restating it (so marked C, not P)."""
    from helpers.page.registry import figure

    declared_ = kinds.declared(stem)
    values = glued(stem)
    ids = set(declared_.figures.values()) | set(declared_.restates.values())
    found = []
    for name, kind in declared_.items():
        if kind is not kinds.Kind.COMPUTED or name in declared_.restates or name not in values:
            continue
        for figure_id in sorted(ids):
            fig = figure(figure_id)
            value = values[name]
            trivial = float(fig.value) in (0.0, 1.0, 100.0)  # a count of one, all, none: coincidences
            # a whole-number figure (not a percentage) is restated by a whole number, not by 2.7 rounding to 3
            whole = fig.is_percent or fig.decimals > 0 or (isinstance(value, (int, float)) and value == int(value))
            if not trivial and whole and kinds.shows_figure(value, fig):
                found.append(f"{name} = {value!r} shows {figure_id} ({fig.value_text})")
    return found


@pytest.mark.parametrize("stem", catalog.stems())
def test_a_published_figure_restated_by_a_computation_keeps_its_mark(stem):
    found = _restatements(stem)
    assert not found, f"{stem}: declare these in KINDS restates=:\n" + "\n".join(found)


def test_a_restated_share_is_published_at_its_precision_and_computed_when_it_moves():
    from helpers.analyses import kft_care_outcomes as kft

    assert kinds.resolve("kft_care_outcomes", "home_rate", 94 / 119) is kinds.Kind.PUBLISHED
    assert kinds.resolve("kft_care_outcomes", "home_rate", 0.70) is kinds.Kind.COMPUTED
    s = kft.run(kft.PARAMETERS.validate(n_entered_care=30)).scalars
    assert kinds.resolve("kft_care_outcomes", "home_rate", s["home_rate"]) is kinds.Kind.COMPUTED
    with pytest.raises(ValueError, match="not declared computed"):
        kinds.declare(published={"n": "kft_n_referred"}, model=["m"], restates={"m": "kft_home_pct"})
