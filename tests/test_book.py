"""Build the book as `make book` does and check that every glued number is in the HTML.

The expected values are computed independently of the build: each notebook's
analysis function is run in-process with its default parameters, and each
``{glue:text}`` role in the book's pages, notebooks' markdown and figure
captions is formatted with myst-nb's own formatter. The rendered glued values
must appear, in order and none empty, on each page. The build runs with
``-W``: a warning (a glue key that does not exist, a broken reference, a
notebook writing to stderr) fails it.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from myst_nb.core.variables import format_plain_text

from helpers import catalog
from helpers.paths import ROOT

pytestmark = pytest.mark.book

JUPYTER_BOOK = str(Path(sys.executable).parent / "jupyter-book")
HTML = ROOT / "_build" / "html"
ROLE = re.compile(r"\{glue:text\}`([^`]+)`")


@pytest.fixture(scope="module")
def build():
    subprocess.run([sys.executable, str(ROOT / "tools" / "cache_guard.py")], check=True)
    res = subprocess.run(
        [JUPYTER_BOOK, "build", str(ROOT), "--all", "--builder", "html", "-W", "--keep-going"],
        capture_output=True, text=True, timeout=3600,
    )
    log = res.stdout[-8000:] + res.stderr[-8000:]
    assert res.returncode == 0, f"book build failed:\n{log}"
    return log


def _toc_pages():
    from test_notebooks import _toc_files

    return _toc_files()


def _sources(page: str) -> tuple[Path, list[str]]:
    """The page's source and its prose in document order (markdown cells, then each figure caption)."""
    md = ROOT / f"{page}.md"
    if md.exists():
        return md, [md.read_text()]
    nb_path = ROOT / f"{page}.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    texts = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            texts.append(cell.source)
        caption = cell.metadata.get("mystnb", {}).get("figure", {}).get("caption")
        if caption:
            texts.append(caption)
    return nb_path, texts


_RESULTS: dict[str, dict] = {}


def _results(stem: str) -> dict:
    if stem not in _RESULTS:
        module = catalog.module_for(stem)
        _RESULTS[stem] = module.run(module.PARAMETERS.defaults()).scalars
    return _RESULTS[stem]


def expected_glue(page: str) -> list[str]:
    source, texts = _sources(page)
    out = []
    for text in texts:
        for ref in ROLE.findall(text):
            if "::" in ref:
                rel, rest = ref.split("::", 1)
                stem = (source.parent / rel).resolve().stem
            else:
                rest, stem = ref, source.stem
            key, _, fmt = rest.partition(":")
            value = _results(stem)[key]
            out.append(format_plain_text(repr(value), fmt))
    return out


@pytest.mark.parametrize("page", _toc_pages())
def test_glued_values_are_rendered(build, page):
    html = HTML / f"{page}.html"
    assert html.exists(), f"{html} was not built"
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    rendered = [span.get_text() for span in soup.select("span.pasted-text")]
    assert all(text.strip() for text in rendered), "a glued value rendered empty"
    assert rendered == expected_glue(page)


@pytest.mark.parametrize("page", [p for p in _toc_pages() if p.startswith("notebooks/")])
def test_every_figure_caption_carries_its_provenance(build, page):
    soup = BeautifulSoup((HTML / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
    captions = soup.find_all("figcaption")
    assert captions, "a notebook page without figures"
    for caption in captions:
        line = caption.select_one(".provenance")
        assert line is not None and "made by" in line.get_text(), f"no provenance in: {caption.get_text()[:80]}"
        assert line.find("a", href="#parameters") is not None


def test_index_and_every_toc_page_exist(build):
    assert (HTML / "index.html").exists()
    for page in _toc_pages():
        assert (HTML / f"{page}.html").exists()
