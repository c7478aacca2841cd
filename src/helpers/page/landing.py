"""The landing page's two generated parts: the table of evidence cards, and a short paragraph per page.

Both are built from what the pages declare (``CARD`` and ``landing()`` in each analysis package) and
from the numbers each committed notebook glued, so the landing page types no finding and no number.
The pages are listed in the book's order (``_toc.yml``).
"""

from __future__ import annotations

import html
import importlib
import re
from types import ModuleType

import nbformat

from helpers.engine.paths import NOTEBOOKS, ROOT
from helpers.page.cards import evidence_table_html
from helpers.page.glue import read_glued
from helpers.page.narrative import Context, render


def toc_stems() -> list[str]:
    """The notebooks in the order of ``_toc.yml``."""
    text = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    return re.findall(r"file:\s*notebooks/([a-z0-9_]+)", text)


def _module(stem: str) -> ModuleType:
    return importlib.import_module(f"helpers.analyses.{stem}")


def glued(stem: str) -> dict:
    """The scalars the committed notebook glued (what its page shows)."""
    return read_glued(nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4))


def table_html(root: str = "../") -> str:
    """The evidence table: one row per page, in the book's order."""
    stems = toc_stems()
    return evidence_table_html([(s, _module(s).CARD) for s in stems], root, {s: glued(s) for s in stems})


def paragraph(stem: str, root: str = "../", to: str = "html") -> str:
    """One page's landing paragraph (its module's ``landing()``), filled from its committed numbers."""
    module = _module(stem)
    scalars = glued(stem)
    template = module.landing(scalars)
    return render(template, Context(stem, scalars, root=root), "html" if to == "html" else "text")


def paragraphs_html(root: str = "../") -> str:
    """Every page's paragraph under its card's title, linking to the page."""
    out = []
    for stem in toc_stems():
        title = html.escape(_module(stem).CARD.title, quote=False)
        href = html.escape(f"{root}notebooks/{stem}.html", quote=True)
        out.append(f'<p><strong><a href="{href}">{title}</a>.</strong> {paragraph(stem, root)}</p>')
    return '<div class="landing-paragraphs">' + "".join(out) + "</div>"
