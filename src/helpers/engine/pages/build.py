"""Build HTML pages from executed notebooks with the book's Sphinx configuration, in this process.

One build renders several notebooks at once when they are different notebooks (their labels are distinct,
as in the book); :func:`build` returns each page's HTML file and the build's warnings, one line each.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpers.engine.pages.project import write_project
from helpers.engine.paths import ROOT

_ESCAPES = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class Built:
    """What one build made: the HTML folder, each notebook's page in it (by stem), the warnings."""

    html: Path
    pages: dict[str, Path]
    warnings: list[str]


@contextlib.contextmanager
def _root_logger_kept() -> Iterator[None]:
    """The root logger as it was: a theme's code highlighter (a11y_pygments) calls ``logging.basicConfig`` at
    INFO when Sphinx imports it, which would print every later INFO message (papermill's, for one). (And the
    build's known deprecation notices from Jupyter Book's LaTeX transforms are not shown.)"""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        with warnings.catch_warnings():
            # Jupyter Book's LaTeX transforms call docutils' traverse(), which docutils means to retire: not ours
            # to fix, and nothing a reader of a page can act on.
            warnings.filterwarnings("ignore", category=PendingDeprecationWarning, module="sphinx_jupyterbook_latex")
            yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


def build(folder: Path, notebooks: Mapping[str, Any], root: Path = ROOT) -> Built:
    """Write the project for ``notebooks`` (stem: executed notebook) under ``folder`` and build it."""
    from jupyter_book.config import get_final_config
    from sphinx.application import Sphinx
    from sphinx.util import console
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    source = folder / "source"
    source.mkdir(parents=True)
    config = write_project(source, notebooks, root)
    sphinx_config, _ = get_final_config(
        user_yaml=config, cli_config={"latex_individualpages": False}, sourcedir=source, use_external_toc=True
    )
    warnings = io.StringIO()
    console.nocolor()
    with patch_docutils(str(source)), docutils_namespace(), _root_logger_kept():
        app = Sphinx(
            srcdir=str(source),
            confdir=None,
            outdir=str(folder / "html"),
            doctreedir=str(folder / "doctrees"),
            buildername="html",
            confoverrides=sphinx_config,
            status=None,
            warning=warnings,
            freshenv=True,
        )
        app.build(force_all=True)
    lines = [_ESCAPES.sub("", line).strip() for line in warnings.getvalue().splitlines()]
    html = folder / "html"
    return Built(html, {stem: html / "notebooks" / f"{stem}.html" for stem in notebooks}, [x for x in lines if x])
