"""The PDF edition, as a reader who prints the book gets it: ``make pdf`` writes one PDF of the whole
book (Debian's chromium, no browser download) with a contents page giving each chapter's page,
page numbers, chapter bookmarks, every figure and the glued numbers, tables laid out for paper and
wording for paper. The PDF's text is read back (pypdf) and each evaluation's headline numbers, as
the analyses compute them, are found in it; so is every parameter's description and every quoted
sentence of the registry, whole, and no word is broken across lines."""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from book_config import committed_outputs_config
from helpers.engine import catalog
from helpers.engine.paths import NOTEBOOKS, ROOT
from helpers.page.registry import load_registry

pytestmark = pytest.mark.book

PDF = ROOT / "_build" / "pdf" / "social-work-evidence-compendium.pdf"
IN_CI = bool(os.environ.get("CI"))


@pytest.fixture(scope="module")
def pdf():
    if not (shutil.which("chromium") or Path("/usr/bin/chromium").exists()):
        message = (
            "chromium is not installed: install it with `sudo apt-get install chromium` (make pdf does so as root)"
        )
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    PDF.unlink(missing_ok=True)
    # nbval re-executes the notebooks; the book's own pages (the registry, the ledger) are executed.
    config = committed_outputs_config("pdf-test-config.yml", execute_book_pages=True)
    res = subprocess.run(
        ["make", "-o", ".venv/.installed", "pdf", f"BOOK_CONFIG={config}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-4000:]
    assert f"The PDF edition: {PDF}" in res.stdout
    from pypdf import PdfReader

    reader = PdfReader(PDF)
    pages = [page.extract_text() or "" for page in reader.pages]
    html = (ROOT / "_build" / "singlehtml" / "book" / "intro.html").read_text(encoding="utf-8")
    return {"reader": reader, "pages": pages, "text": "\n".join(pages), "stdout": res.stdout, "html": html}


#: Ligatures the PDF's text holds as one character.
LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"})


def _flat(text: str) -> str:
    straight = str.maketrans(
        {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2212": "-", "\u200b": None}
    )
    return re.sub(r"\s+", "", text.translate(straight).translate(LIGATURES))


@functools.cache
def headline_numbers() -> dict[str, list[str]]:
    """Each evaluation's headline numbers: those of its paragraph on the landing page, filled from the
    numbers its committed notebook glued (the PDF is rendered from the committed outputs;
    tests/test_notebooks.py proves they are what the analysis computes), as the page formats them
    (numbers only: phrases may break across lines)."""
    from helpers.page.landing import paragraph

    out: dict[str, list[str]] = {}
    for stem in catalog.stems():
        text = re.sub(r" \[[A-Z1*]{1,2}\]", "", paragraph(stem, to="text"))
        out[stem] = re.findall(r"\d[\d,.]*\d%?|\d%?", text)
    return {stem: numbers for stem, numbers in out.items() if numbers}


def test_every_evaluation_has_headline_numbers_to_look_for():
    assert set(headline_numbers()) == set(catalog.stems())


def test_the_pdf_holds_each_evaluations_headline_numbers(pdf):
    text = _flat(pdf["text"])
    missing = {stem: [n for n in numbers if _flat(n) not in text] for stem, numbers in headline_numbers().items()}
    assert not any(missing.values()), f"headline numbers not in the PDF: {missing}"


def _contents(pages: list[str]) -> dict[str, int]:
    """The contents page's entries: title (flattened) -> the page number it gives."""
    first = next(i for i, page in enumerate(pages[:3]) if "Contents" in page)
    text = pages[first].split("Contents", 1)[1].rsplit(TITLE_FOOTER, 1)[0]
    entries = re.findall(r"(.+?)[\s.]*?(\d+)\s*(?:\n|$)", text.replace("\n", " \n"), flags=re.S)
    return {_flat(title): int(number) for title, number in entries}


TITLE_FOOTER = "Social Work Evidence Compendium · page"


def test_the_contents_page_gives_the_page_each_chapter_starts_on(pdf):
    pages = pdf["pages"]
    contents = _contents(pages)
    stems = catalog.stems()
    assert len(contents) >= len(stems) + 5, contents
    for stem in stems:
        nb = nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)
        title = _flat(next(line[2:] for line in nb.cells[0].source.splitlines() if line.startswith("# ")))
        [number] = [n for entry, n in contents.items() if entry.startswith(title[:30])]
        # The chapter starts on a new page: its title heads the page the contents give.
        assert _flat(pages[number - 1]).startswith(title[:30]), (title, number)
        assert not _flat(pages[number - 2]).startswith(title[:30]), (title, number)
    assert contents[_flat("Glossary")] > contents[_flat("How to reproduce")]
    assert "pdf: " not in pdf["stdout"]


def test_the_pdf_has_page_numbers_and_bookmarks(pdf):
    pages = pdf["pages"]
    assert len(pages) > 20
    assert any("Contents" in page for page in pages[:3])
    for number in (1, len(pages)):
        assert f"page {number} of {len(pages)}" in pages[number - 1]

    def flat(items):
        for item in items:
            yield from flat(item) if isinstance(item, list) else [item.title]

    titles = list(flat(pdf["reader"].outline))
    for stem in catalog.stems():
        nb = nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)
        title = next(line[2:] for line in nb.cells[0].source.splitlines() if line.startswith("# "))
        assert any(_flat(title)[:30] in _flat(t) for t in titles), f"no bookmark for {title!r}: {titles}"
        assert _flat(title)[:30] in _flat(pdf["text"])


def _images(page) -> int:
    """The images a PDF page (or a form on it) draws: its image XObjects, counted without decoding
    them (pypdf's ``page.images`` decodes each one, a second for the whole book)."""
    objects = (page.get("/Resources") or {}).get("/XObject") or {}
    kinds = [ref.get_object() for ref in objects.values()]
    return sum(1 for x in kinds if x.get("/Subtype") == "/Image") + sum(
        _images(x) for x in kinds if x.get("/Subtype") == "/Form"
    )


def test_the_pdf_holds_every_figure(pdf):
    figures = sum(
        1
        for stem in catalog.stems()
        for cell in nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4).cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if "image/png" in output.get("data", {})
    )
    images = sum(_images(page) for page in pdf["reader"].pages)
    assert figures > 0 and images >= figures, f"{images} images in the PDF, {figures} figures in the notebooks"


# -- laid out for paper ---------------------------------------------------------------------------


def test_every_parameter_is_listed_whole_with_its_value_and_what_is_allowed(pdf):
    """The parameters tables, reflowed for a portrait page: each parameter's value, range and whole
    description are in the text (a six-column table cut them off at the page's edge)."""
    text = _flat(pdf["text"])
    for stem in catalog.stems():
        for param in catalog.module_for(stem).PARAMETERS:
            assert _flat(param.allowed()) in text, (stem, param.name)
            assert _flat(param.description) in text, (stem, param.name)
            if not param.is_path:
                assert _flat(f"{param.name} = {param.default!r}") in text, (stem, param.name)


def test_every_quoted_sentence_of_the_registry_is_printed_whole(pdf):
    text = _flat(pdf["text"])
    missing = [f.id for f in load_registry().values() if f.quote and _flat(f.quote) not in text]
    assert not missing, f"registry quotes not in the PDF: {missing[:10]}"


def _words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]+", text.translate(LIGATURES)))


def broken_words(page_texts: list[str], vocabulary: set[str]) -> list[str]:
    """Words split across two lines without a hyphen ("observa" / "tions"): two pieces, at least one of
    them not a word of the book, that make a word of the book when joined."""
    found = []
    for text in page_texts:
        tokens = re.findall(r"[A-Za-z]+|\n", text.translate(LIGATURES))
        for a, newline, b in zip(tokens, tokens[1:], tokens[2:], strict=False):
            joined = newline == "\n" and "\n" not in (a, b) and a + b in vocabulary and len(a + b) > 3
            if joined and (a not in vocabulary or b not in vocabulary):
                found.append(f"{a}|{b}")
    return found


def test_broken_words_are_found_when_there_are_some():
    vocabulary = {"observations", "interviews", "the"}
    assert broken_words(["some observa\ntions and inter\nviews", "the\nthe"], vocabulary) == [
        "observa|tions",
        "inter|views",
    ]


def test_no_word_is_broken_across_lines(pdf):
    from bs4 import BeautifulSoup

    vocabulary = _words(BeautifulSoup(pdf["html"], "html.parser").get_text(" "))
    assert not broken_words(pdf["pages"], vocabulary)


def test_print_wording_replaces_screen_wording(pdf):
    text = _flat(pdf["text"])
    assert _flat("Select a mark (or point at it) to see its meaning") not in text
    assert _flat("The list below gives each letter's meaning") in text
    assert _flat("has a launch button (the rocket at the top)") not in text


def test_every_link_in_the_pdf_leads_somewhere_in_it(pdf):
    """Links between the web book's pages lead, in the PDF, to the place in it (not to a file)."""
    reader = pdf["reader"]
    named = reader.named_destinations
    files, internal = [], 0
    for number, page in enumerate(reader.pages, start=1):
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            uri = str((annot.get("/A") or {}).get("/URI") or "")
            if uri.startswith("file:"):
                files.append((number, uri.rsplit("/", 1)[-1]))
            elif annot.get("/Dest") is not None:
                internal += 1
                assert str(annot["/Dest"]) in named, (number, annot["/Dest"])
    assert internal > 100 and not files, files[:10]
