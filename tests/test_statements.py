"""The registries of sources, statements and design facts, and the strength-of-evidence rule.

Every quote (a statement's, and a published figure's) is checked word for word against the source
document where the compendium holds a copy: the source documents' folder that :mod:`shared_files` finds
(``../shared/seeds`` beside the repository, or ``$COMPENDIUM_SOURCES_DIR``), which is not committed.
Where a document is absent the check says so and skips.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import re
from pathlib import Path

import pytest

import shared_files
from helpers.engine.paths import BOOK, NOTEBOOKS
from helpers.page import evidence, statements
from helpers.page.registry import load_registry
from helpers.page.sources import GRADE_OF_KIND, SourceError, check_grade, load_sources, normalise, quote_in, source

SOURCES = load_sources()
STATEMENTS = list(statements.load_statements().values())


def document_path(source_id: str) -> Path:
    """Where a source's copy is, found by :mod:`shared_files` (which skips the calling test when the folder is
    absent): ``seeds/NNN_*.txt`` in the source documents' folder, ``data/dfe/*.csv`` in the DfE files' folder,
    anything else (the domain notes) in the shared folder beside the repository."""
    document = Path(source(source_id).document)
    if document.parts[0] == "seeds":
        return shared_files.sources_dir() / document.name
    if document.parts[:2] == ("data", "dfe"):
        return shared_files.dfe_dir() / document.name
    return shared_files.SHARED / document


def document(source_id: str) -> str:
    """The text of a source document, or skip the calling test saying where it looked."""
    src = source(source_id)
    if not src.document:
        pytest.skip(f"the compendium holds no copy of source {source_id!r}")
    path = document_path(source_id)
    if not path.is_file():
        pytest.skip(f"source document {path} not found (set {shared_files.SOURCES_VARIABLE} to its folder)")
    return path.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("item", STATEMENTS, ids=lambda s: s.id)
def test_every_statement_is_quoted_word_for_word_from_its_source(item):
    assert quote_in(item.quote, document(item.source)), f"{item.id}: quote not found in {source(item.source).document}"


@pytest.mark.parametrize("fig", list(load_registry().values()), ids=lambda f: f.id)
def test_every_figure_quote_is_in_its_source(fig):
    rows = source(fig.source).kind == "official statistics"
    assert quote_in(fig.quote, document(fig.source), rows=rows), f"{fig.id}: quote not found in its source"


@pytest.mark.parametrize("src", [s for s in SOURCES.values() if s.document], ids=lambda s: s.id)
def test_each_source_document_is_the_one_the_quotes_were_checked_against(src):
    text = document(src.id)  # skips when absent
    digest = hashlib.sha256(document_path(src.id).read_bytes()).hexdigest()
    assert digest == src.sha256, f"{src.id}: {src.document} changed since its quotes were checked ({len(text)} chars)"


def test_the_quote_check_fails_on_a_changed_word():
    text = "Of the 119 children referred, 79% remained at home."
    assert quote_in("Of the 119 children\nreferred, 79%  remained at home.", text)
    assert quote_in("“Of the 119 children", '"Of the 119 children')  # typography is not a word
    assert not quote_in("Of the 119 children referred, 80% remained at home.", text)
    assert not quote_in("Of the 119 young people referred", text)
    assert normalise("a \u2013 b\u2019s") == "a - b's"


def test_grades_follow_the_data_page_policy():
    assert {s.grade for s in SOURCES.values()} <= {"seen", "secondary"}
    for kind in ("blog", "news", "compendium notes"):
        assert GRADE_OF_KIND[kind] == "secondary"
    check_grade("x", "secondary", "rsw_summary_govuk")
    with pytest.raises(SourceError, match="allows at most 'secondary'"):
        check_grade("x", "seen", "msww_blog_2017")
    data_page = (BOOK / "data.md").read_text(encoding="utf-8")
    for kind in GRADE_OF_KIND:
        assert kind in data_page, f"the data page does not state the grade of a {kind}"


def test_every_source_and_statement_bibkey_is_in_the_references():
    from test_registry import _bib_keys

    keys = {s.bibkey for s in SOURCES.values() if s.bibkey} | {s.bibkey for s in STATEMENTS}
    assert not keys - _bib_keys(), f"missing from book/references.bib: {sorted(keys - _bib_keys())}"


def test_every_evaluation_has_what_a_card_needs():
    for ev in statements.evaluations():
        for role in ("intervention", "headline", "finding", "practice"):
            assert statements.of(ev, role), f"{ev} has no {role} statement"
        declared = set(statements.design(ev))
        assert set(statements.DESIGN_FACTS) <= declared <= set(statements.DESIGN_FACTS) | set(statements.OPTIONAL_FACTS)


def test_malformed_statements_are_refused(tmp_path):
    path = tmp_path / "s.csv"
    good = ["x", "kft", "finding", "q", "rsw_summary_govuk", "", "seen", "k"]
    for change, message in [({2: "guess"}, "role 'guess'"), ({3: " "}, "no quote"), ({4: "dsw_blog_2018"}, "at most")]:
        row = list(good)
        for i, v in change.items():
            row[i] = v
        with open(path, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([statements.STATEMENT_COLUMNS, row])
        with pytest.raises(statements.StatementError, match=message):
            statements._parse_statements(path)


def _independent_level(f: dict[str, bool]) -> int | None:
    """The rule written again from the book's words, as a lookup over the comparisons a design makes."""
    if f["synthesis"] or f["qualitative_only"] or not f["impact_estimate"]:
        return None
    ladder = [
        (f["random_allocation"], 5),
        (f["as_if_random"], 4),
        (f["comparison_group"] and f["before_after"], 3),
        ((f["comparison_group"] or f["before_after"]) and f["controls"], 2),
        (f["comparison_group"] or f["before_after"], 1),
    ]
    return next((level for holds, level in ladder if holds), 0)


def test_the_rule_agrees_with_an_independent_reading_for_every_design():
    names = list(statements.DESIGN_FACTS)
    for values in itertools.product([False, True], repeat=len(names)):
        facts = dict(zip(names, values, strict=True))
        assert evidence.level_of(facts) == _independent_level(facts), facts


def test_ratings_of_the_evaluations():
    # Derived, not typed: these follow from the declared facts; a changed fact changes them.
    got = {ev: evidence.rate(ev).label for ev in statements.evaluations()}
    assert got["kft"] == "Below level 1" and got["frontline"] == "Not rated" and got["innovation"] == "Not rated"
    assert {got["rsw"], got["link_worker"], got["hiow"]} == {"Level 1 of 5"}


def test_a_not_rated_card_gives_the_reason_that_applies_to_it():
    """Each unrated evaluation's definition names the one fact that decided it, not the list of every reason
    (synthesis, no estimate, interviews alone); the scale's table keeps the general text."""
    reasons = {
        "synthesis": "synthesis of other evaluations",
        "impact_estimate": "reports no such estimate",
        "qualitative_only": "interviews and observation alone",
    }
    names = list(statements.DESIGN_FACTS)
    for values in itertools.product([False, True], repeat=len(names)):
        facts = dict(zip(names, values, strict=True))
        if evidence.level_of(facts) is not None:
            continue
        declared = {n: statements.DesignFact("x", n, v, None, "") for n, v in facts.items()}  # type: ignore[arg-type]
        text = evidence.Rating("x", None, declared).definition
        # The rule's order: a synthesis first, then no estimate of impact, then interviews alone.
        decided = next(
            n for n in ("synthesis", "impact_estimate", "qualitative_only") if facts[n] != (n == "impact_estimate")
        )
        assert [r for r in reasons.values() if r in text] == [reasons[decided]], text
    frontline = evidence.rate("frontline").definition
    assert "reports no such estimate" in frontline and "interviews" not in frontline


TYPED_LEVEL = re.compile(r"\b(?:[Ll]evel [1-5](?: of 5)?|[Bb]elow level 1|SMS [1-5])\b")


def _prose() -> dict[str, str]:
    """What a page's author writes: book pages (but the scale's own page, which defines the labels) and
    notebooks' markdown cells."""
    import nbformat

    out = {p.name: p.read_text(encoding="utf-8") for p in BOOK.glob("*.md") if p.name != "evidence.md"}
    for nb in NOTEBOOKS.glob("*.ipynb"):
        cells = nbformat.read(nb, as_version=4).cells
        out[nb.name] = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    return out


def test_no_page_types_a_level():
    typed = [f"{name}: {m.group(0)}" for name, text in _prose().items() for m in TYPED_LEVEL.finditer(text)]
    assert not typed, f"a strength-of-evidence level typed into a page (derive it): {typed}"
    assert TYPED_LEVEL.search("the units are level 1 of 5") and TYPED_LEVEL.search("Below level 1")


def test_a_comparison_without_an_estimate_of_effect_is_not_rated_and_says_why():
    frontline = evidence.rate("frontline")
    assert frontline.facts["comparison_group"].value  # 16 against 12 visits: trained by Frontline or another route
    assert not frontline.facts["impact_estimate"].value
    assert frontline.label == "Not rated" and [f.fact for f in frontline.deciding()] == ["impact_estimate"]
    assert frontline.definition.endswith("this evaluation reports no such estimate.")
    assert evidence.rate("innovation").definition.endswith("is a synthesis of other evaluations.")
    facts = dict.fromkeys(statements.DESIGN_FACTS, False) | {"impact_estimate": True, "qualitative_only": True}
    rating = evidence.Rating("x", evidence.level_of(facts), {n: _fact(n, v) for n, v in facts.items()})
    assert rating.definition.endswith("rests on interviews and observation alone.")


def _fact(name: str, value: bool) -> statements.DesignFact:
    return statements.DesignFact("x", name, value, None, "")


def _designs(tmp_path, statement: str, value: str) -> dict:
    path = tmp_path / "designs.csv"
    rows = [statements.DESIGN_COLUMNS]
    for name in statements.DESIGN_FACTS:
        rows.append(("kft", name, value if name == "as_if_random" else "no", statement, ""))
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return statements._parse_designs(path, statements.load_statements())


def test_a_fact_no_sentence_shows_is_a_no_and_the_page_says_it_is_not_described(tmp_path):
    facts = _designs(tmp_path, "", "no")["kft"]
    assert facts["as_if_random"].statement is None and not facts["as_if_random"].described
    with pytest.raises(statements.StatementError, match="as_if_random = yes needs a statement"):
        _designs(tmp_path, "", "yes")
    assert _designs(tmp_path, "kft_design", "yes")["kft"]["as_if_random"].described
    # on the page: every undescribed fact reads "not described", with no quote beside it
    page = evidence.ratings_html({"rsw": "RSW"})
    rows = page.split("<tr>")[2:]  # the header row, then one per fact
    undescribed = [name for name, fact in evidence.rate("rsw").facts.items() if not fact.described]
    assert undescribed, "RSW's allocation is not described in the sources the compendium holds"
    for name, row in zip(statements.DESIGN_FACTS, rows, strict=True):
        fact = evidence.rate("rsw").facts[name]
        assert (evidence.NOT_DESCRIBED in row) == (not fact.described) and ("<q>" in row) == fact.described


def test_no_design_fact_is_shown_by_a_sentence_about_something_else():
    # the reviewer's two examples: a partnership of five authorities does not show how units were allocated, and
    # a failure to recruit does not show whether the groups were as good as random
    assert not evidence.rate("rsw").facts["random_allocation"].described
    assert not evidence.rate("frontline").facts["as_if_random"].described
    # what a yes rests on is always quoted
    for ev in statements.evaluations():
        for fact in statements.design(ev).values():
            assert fact.described or not fact.value, f"{ev} {fact.fact}"


def test_the_summary_has_one_line_per_evaluation_with_the_level_the_rule_gives():
    titles = {ev: f"Title of {ev}" for ev in statements.evaluations()}
    page = evidence.summary_html(titles)
    rows = page.split("<tbody>")[1].split("<tr>")[1:]
    assert len(rows) == len(titles)
    for (ev, title), row in zip(titles.items(), rows, strict=True):
        rating = evidence.rate(ev)
        assert f'href="#{ev}"' in row and title in row
        assert f"<strong>{rating.label}</strong>" in row and rating.design in row
