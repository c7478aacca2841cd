"""A page for every run: the run's executed notebook rendered as the book renders it, in one HTML file.

``compendium run`` writes ``page.html`` beside ``results.json`` (and a sweep with ``--pages`` one for each
point): the notebook's page with the run's numbers, figures, tables and kind marks, in the book's theme,
built by Sphinx with the book's own configuration and extensions from the already executed notebook
(nothing runs again), then made into a single file that reads offline and can be sent by e-mail
(:mod:`.single`). A banner at the top says how the run differs from the published page and links to it
(:mod:`.banner`); links to the rest of the book go to the published book (:mod:`.published`).

:func:`render` builds several pages; pages of different notebooks share one Sphinx build, and the
warnings of each build (a glued key that does not exist, a broken reference) are returned with each page.
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers.engine import catalog
from helpers.engine.files import write_text_atomic
from helpers.engine.narrative import for_run, records_notes
from helpers.engine.pages.banner import banner_html, differences
from helpers.engine.pages.published import book_url
from helpers.engine.paths import ROOT

#: The name of a run's page, beside its ``results.json``.
PAGE_NAME = "page.html"
_TITLE = re.compile(r"^#\s+(.+?)\s*$", re.M)


@dataclass(frozen=True)
class PageJob:
    """One page to render: the notebook's stem, the run's executed notebook (an ``nbformat`` node or dict),
    the run's parameter values, where the page goes, and what reading the user's records normalised
    (by path parameter; read from the records when not given)."""

    stem: str
    notebook: Any
    values: Mapping[str, Any]
    target: Path
    notes: Mapping[str, Sequence[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    """A rendered page: where it is, the build's warnings about it, and how long its build took (shared
    by the pages built together)."""

    path: Path
    warnings: list[str]
    seconds: float


def title_of(nb: Any) -> str:
    """The notebook's title: the first level-one heading of its markdown."""
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            match = _TITLE.search("".join(cell["source"]))
            if match:
                return match.group(1)
    return ""


def _batches(jobs: Sequence[PageJob]) -> list[list[PageJob]]:
    """The jobs in builds of distinct notebooks, in order (two pages of one notebook share labels)."""
    batches: list[list[PageJob]] = []
    for job in jobs:
        batch = next((b for b in batches if all(j.stem != job.stem for j in b)), None)
        if batch is None:
            batches.append([job])
        else:
            batch.append(job)
    return batches


def _warnings_of(lines: list[str], stem: str, source: Path) -> list[str]:
    """The build's warnings about one page (and those about no page in particular), with the build's
    temporary folder left out of their file names."""
    prefix = str(source) + "/"
    mine = []
    for line in lines:
        named = re.search(r"notebooks/(\w+)\.ipynb", line)
        if named is None or named.group(1) == stem:
            mine.append(line.replace(prefix, ""))
    return mine


def render(jobs: Sequence[PageJob], root: Path = ROOT) -> list[Page]:
    """Render each job's page into its target (written atomically); pages come back in the jobs' order."""
    from helpers.engine.pages.build import build
    from helpers.engine.pages.single import single_file

    base = book_url(root / "_config.yml")
    pages: dict[int, Page] = {}
    for batch in _batches(jobs):
        started = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="compendium-page-") as tmp:
            notebooks = {
                job.stem: for_run(job.notebook, catalog.module_for(job.stem).PARAMETERS, job.values) for job in batch
            }
            built = build(Path(tmp), notebooks, root)
            for job in batch:
                spec = catalog.module_for(job.stem).PARAMETERS
                title = title_of(notebooks[job.stem])
                url = f"{base}notebooks/{job.stem}.html"
                notes = job.notes or records_notes(job.stem, job.values)
                banner = banner_html(job.stem, title, differences(spec, job.values, notes), url)
                text = single_file(built.pages[job.stem], built.html, base, banner, f"Your run: {title}")
                write_text_atomic(job.target, text)
                pages[id(job)] = Page(job.target, _warnings_of(built.warnings, job.stem, Path(tmp) / "source"), 0.0)
        seconds = time.perf_counter() - started
        for job in batch:
            pages[id(job)] = Page(pages[id(job)].path, pages[id(job)].warnings, seconds)
    return [pages[id(job)] for job in jobs]


def render_run(
    out_dir: Path, stem: str, values: Mapping[str, Any], notes: Mapping[str, Sequence[str]] | None = None
) -> Page:
    """The page of the run in ``out_dir`` (its executed ``<stem>.ipynb``), written there as ``page.html``."""
    import nbformat

    nb = nbformat.read(out_dir / f"{stem}.ipynb", as_version=4)
    return render([PageJob(stem, nb, values, out_dir / PAGE_NAME, notes or {})])[0]
