"""The registry of published figures: well-formed, each figure traceable to its quoted sentence."""

from __future__ import annotations

import csv
import re

import pytest

from helpers.engine.paths import BOOK, PUBLISHED_FIGURES
from helpers.page.registry import COLUMNS, RegistryError, _parse, figure, load_registry, published, published_share
from helpers.page.sources import source

FIGURES = list(load_registry().values())
WORDS = {
    1: ("one", "once"),
    2: ("two",),
    3: ("three",),
    4: ("four",),
    5: ("five",),
    6: ("six",),
    7: ("seven",),
    8: ("eight",),
    9: ("nine",),
    10: ("ten",),
    11: ("eleven",),
    12: ("twelve",),
}


def _appears(fig) -> bool:
    """The value as printed: digits (with or without thousands separators) or a number word."""
    text = fig.value_text
    if source(fig.source).kind == "official statistics":  # the quote is a row of an official statistics file
        return text in fig.quote.split(",")
    whole, _, frac = text.partition(".")
    with_commas = f"{int(whole):,}" + (f".{frac}" if frac else "")
    for form in {text, with_commas}:
        suffix = "%" if fig.is_percent else ""
        if re.search(rf"(?<![\d.,]){re.escape(form)}{re.escape(suffix)}(?![\d])", fig.quote):
            return True
    if not fig.is_percent and fig.decimals == 0:
        return any(re.search(rf"\b{w}\b", fig.quote, re.I) for w in WORDS.get(int(whole), ()))
    return False


def test_columns_are_the_documented_ones():
    with open(PUBLISHED_FIGURES, newline="", encoding="utf-8") as handle:
        assert tuple(next(csv.reader(handle))) == COLUMNS


@pytest.mark.parametrize("fig", [f for f in FIGURES if f.evidence != "inferred"], ids=lambda f: f.id)
def test_each_published_figure_appears_in_its_quoted_sentence(fig):
    assert _appears(fig), f"{fig.id}: {fig.value_text}{fig.unit if fig.is_percent else ''} not found in {fig.quote!r}"


@pytest.mark.parametrize("fig", FIGURES, ids=lambda f: f.id)
def test_each_figure_has_a_source(fig):
    assert fig.study and fig.measure and fig.year.isdigit() and source(fig.source) and fig.bibkey
    if fig.is_percent:
        assert 0 <= fig.value <= 100


def _bib_keys() -> set[str]:
    """Keys of book/references.bib, parsed strictly by pybtex (the parser sphinxcontrib-bibtex uses)."""
    from pybtex import errors
    from pybtex.database import parse_file

    errors.set_strict_mode(True)  # a missing brace is an error here, as it is in the book build
    return set(parse_file(str(BOOK / "references.bib"), bib_format="bibtex").entries)


def test_references_parse_and_every_entry_is_closed():
    bib = (BOOK / "references.bib").read_text(encoding="utf-8")
    declared = re.findall(r"^@\w+\{([^,]+),", bib, flags=re.M)
    assert _bib_keys() == set(declared) and len(declared) == len(set(declared))


def test_every_bibkey_is_in_the_references():
    missing = {f.bibkey for f in FIGURES} - _bib_keys()
    assert not missing, f"bibkeys missing from book/references.bib: {sorted(missing)}"


def test_every_citation_in_the_book_is_in_the_references():
    sources = [*BOOK.glob("*.md"), *(BOOK.parent / "notebooks").glob("*.ipynb")]
    cited = {
        key.strip()
        for path in sources
        for keys in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", path.read_text(encoding="utf-8"))
        for key in keys.split(",")
    }
    assert cited, "no citations found: the pattern is wrong"
    missing = cited - _bib_keys()
    assert not missing, f"cited but not in book/references.bib: {sorted(missing)}"


def test_values_and_shares():
    assert published("kft_n_referred") == 119 and isinstance(published("kft_n_referred"), int)
    assert published_share("kft_target_home_pct") == 0.5
    assert figure("dfe_caseload_2025").value == 15.2 and figure("dfe_caseload_2025").decimals == 1
    with pytest.raises(RegistryError, match="not a percentage"):
        published_share("kft_n_referred")
    with pytest.raises(RegistryError, match="no published figure with id 'nope'"):
        figure("nope")


def _write(tmp_path, rows):
    path = tmp_path / "figures.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle)
        w.writerow(COLUMNS)
        w.writerows(rows)
    return path


GOOD = ["x", "s", "m", "5", "cases", "", "r", "2017", "", "5 cases", "rsw_summary_govuk", "seen", "k"]


@pytest.mark.parametrize(
    "change, message",
    [
        ({0: ""}, "empty id"),
        ({11: "guessed"}, "evidence 'guessed'"),
        ({10: "nowhere"}, "no source with id 'nowhere'"),
        ({10: "dsw_blog_2018"}, "graded 'seen', but its source 'dsw_blog_2018' \\(blog\\) allows at most 'secondary'"),
        ({3: "five"}, "is not a number"),
        ({9: ""}, "no quoted sentence"),
    ],
)
def test_malformed_registry_is_refused(tmp_path, change, message):
    row = list(GOOD)
    for i, v in change.items():
        row[i] = v
    with pytest.raises(RegistryError, match=message):
        _parse(_write(tmp_path, [row]))


def test_duplicate_ids_are_refused(tmp_path):
    with pytest.raises(RegistryError, match="duplicate id 'x'"):
        _parse(_write(tmp_path, [GOOD, GOOD]))


def test_registry_html_lists_every_figure_escaped():
    from helpers.page.registry import registry_html

    html = registry_html()
    assert html.count("<tr>") == len(FIGURES) + 1
    # Each figure's quoted sentence is in one <q>, with its own quotation marks escaped.
    assert html.count("<q>") == len(FIGURES)
    assert "&quot;green shoots&quot;" in html and '"green shoots"' not in html
    for f in FIGURES:
        assert f"<code>{f.id}</code>" in html


def test_every_reference_is_checked():
    bib = (BOOK / "references.bib").read_text(encoding="utf-8")
    assert "not checked" not in bib, "a reference says its title was not checked: check it against the source"
