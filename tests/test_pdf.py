"""The PDF edition, as a reader who prints the book gets it: ``make pdf`` writes one PDF of the whole
book (Debian's chromium, no browser download) with contents, page numbers, chapter bookmarks,
every figure and the glued numbers. The PDF's text is read back (pypdf) and each evaluation's
headline numbers, as the analyses compute them, are found in it."""

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
    config = committed_outputs_config("pdf-test-config.yml")  # nbval re-executes the notebooks
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
    return {"reader": reader, "pages": pages, "text": "\n".join(pages)}


def _flat(text: str) -> str:
    straight = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2212": "-"})
    return re.sub(r"\s+", "", text.translate(straight))


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


def test_the_pdf_has_contents_page_numbers_and_bookmarks(pdf):
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
