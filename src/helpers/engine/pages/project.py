"""The Sphinx project a run's page is built from: the book's own configuration and table of contents,
with the run's executed notebook in its place and the rest of the book as small stand-ins.

The run's notebook keeps its docname (``notebooks/<stem>``), so the book's extensions (the kind marks look
the kind of a number up by the page's name), its labels and its relative links work as in the book. The
pages that define targets a notebook's roles point at (the glossary's terms, the bibliography) are copied
whole; every other page of the table of contents is a stand-in holding its title and its labels with their
headings, so a link to it resolves, with the right words, and is then pointed at the published book
(:mod:`.single`). Nothing is executed: the notebook arrives executed (``execute_notebooks: off``).
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from helpers.engine.paths import ROOT

#: Directives whose page is copied whole: the targets of ``{term}`` and ``{cite}`` roles.
_TARGET_DIRECTIVES = re.compile(r"^(```|:::)\{(glossary|bibliography)\}", re.M)
_HEADING = re.compile(r"^#{1,6} +(.+?)\s*$", re.M)
_LABEL = re.compile(r"^\(([^)\s]+)\)=\s*$")
#: The extension that copies MathJax (24 MB) into the book; a page inlines the one file it needs instead.
MATHJAX_EXTENSION = "sphinx-mathjax-offline"
MATHJAX_PATH = "mathjax/tex-chtml.js"


def toc_docnames(toc: Mapping[str, Any]) -> Iterator[str]:
    """Every docname of a Jupyter Book table of contents (``_toc.yml``), the root first."""
    yield str(toc["root"])

    def walk(entries: list[Mapping[str, Any]]) -> Iterator[str]:
        for entry in entries:
            if "file" in entry:
                yield str(entry["file"])
            for key in ("chapters", "sections", "parts"):
                yield from walk(entry.get(key, []))

    yield from walk(toc.get("parts", []) + toc.get("chapters", []))


def _source(docname: str, root: Path) -> Path:
    for suffix in (".ipynb", ".md"):
        if (root / f"{docname}{suffix}").is_file():
            return root / f"{docname}{suffix}"
    raise FileNotFoundError(f"_toc.yml names {docname!r}, which is neither {docname}.ipynb nor {docname}.md")


def _markdown(source: Path) -> str:
    """A page's markdown: a notebook's markdown cells, or a markdown file."""
    if source.suffix == ".ipynb":
        cells = json.loads(source.read_text(encoding="utf-8"))["cells"]
        return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return source.read_text(encoding="utf-8")


def stand_in(source: Path) -> str:
    """A page's stand-in: its title, then each ``(label)=`` it defines with the heading that follows it."""
    text = _markdown(source)
    title = _HEADING.search(text)
    lines = [f"# {title.group(1) if title else source.stem}", ""]
    rows = text.splitlines()
    for i, row in enumerate(rows):
        label = _LABEL.match(row)
        if label:
            heading = next((r for r in rows[i + 1 :] if _HEADING.match(r)), f"## {label.group(1)}")
            lines += [f"({label.group(1)})=", "## " + heading.lstrip("#").strip(), ""]
    return "\n".join(lines)


def write_project(folder: Path, notebooks: Mapping[str, Any], root: Path = ROOT) -> dict[str, Any]:
    """Write the project into ``folder``: each notebook of ``notebooks`` (stem: executed notebook) in its
    place, the book's table of contents, its bibliography files, whole pages for the glossary and the
    references, stand-ins for the rest; return the book's configuration (``_config.yml``) as the page
    build uses it."""
    import nbformat

    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    shutil.copyfile(root / "_toc.yml", folder / "_toc.yml")
    for bib in config.get("bibtex_bibfiles", []):
        (folder / bib).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / bib, folder / bib)
    for docname in toc_docnames(toc):
        target = folder / docname
        target.parent.mkdir(parents=True, exist_ok=True)
        stem = Path(docname).name
        if docname.startswith("notebooks/") and stem in notebooks:
            nbformat.write(nbformat.from_dict(notebooks[stem]), target.with_suffix(".ipynb"))
            continue
        source = _source(docname, root)
        text = source.read_text(encoding="utf-8") if source.suffix == ".md" else ""
        whole = _TARGET_DIRECTIVES.search(text) is not None
        target.with_suffix(".md").write_text(text if whole else stand_in(source), encoding="utf-8")
    return _page_config(config, root)


def _page_config(config: dict[str, Any], root: Path) -> dict[str, Any]:
    """The book's configuration for a page build: nothing executed, the local extensions and static files
    read from the compendium's folder, MathJax named but not copied."""
    config["execute"]["execute_notebooks"] = "off"
    sphinx = config.setdefault("sphinx", {})
    extensions = sphinx.get("local_extensions", {})
    for path in {str((root / p).resolve()) for p in extensions.values()}:
        if path not in sys.path:
            sys.path.append(path)  # what Jupyter Book does for local_extensions read from a config file
    sphinx["local_extensions"] = {name: str((root / p).resolve()) for name, p in extensions.items()}
    sphinx["extra_extensions"] = [e for e in sphinx.get("extra_extensions", []) if e != MATHJAX_EXTENSION]
    settings = sphinx.setdefault("config", {})
    settings["html_static_path"] = [str((root / p).resolve()) for p in settings.get("html_static_path", [])]
    settings["mathjax_path"] = MATHJAX_PATH
    settings["html_copy_source"] = False
    html = config.setdefault("html", {})
    if html.get("favicon"):
        html["favicon"] = str((root / html["favicon"]).resolve())
    return config
