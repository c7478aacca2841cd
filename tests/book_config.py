"""The book's configuration for the tests that build it.

The HTML book test builds the book readers get, as ``make book`` does (:func:`readers_config`). The PDF
test renders the notebooks' committed outputs as they are (:func:`committed_outputs_config`): nbval, in
the same ``make test``, re-executes every notebook and proves those outputs are what the code produces
today. The book's own pages (``book/*.md``: the landing page's evidence table, the evidence, data and
ledger pages) have no committed outputs, so the PDF test executes them as ``make book`` does.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from helpers.engine.paths import ROOT


def _written(name: str, execute: dict) -> Path:
    """``_config.yml`` with ``execute`` merged into its execution settings, written under ``_build/`` as
    ``name``: Jupyter Book resolves local extensions from the config file's folder, so their paths are
    made absolute."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["execute"].update(execute)
    config["sphinx"]["local_extensions"] = {
        name_: str(ROOT / path) for name_, path in config["sphinx"]["local_extensions"].items()
    }
    build = ROOT / "_build"
    build.mkdir(exist_ok=True)
    path = build / name
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def committed_outputs_config(name: str = "test-config.yml", execute_book_pages: bool = True) -> Path:
    """``_config.yml`` with the notebooks' execution off (the PDF test renders their committed outputs). With
    ``execute_book_pages`` (the default) the book's own pages (``book/*.md``: the landing page's evidence
    table, the evidence page, the registries, the ledger) are executed, without a cache; without it they
    render without their generated tables."""
    if execute_book_pages:
        return _written(name, {"execute_notebooks": "force", "exclude_patterns": ["notebooks/*.ipynb"]})
    return _written(name, {"execute_notebooks": "off"})


def readers_config(name: str = "readers-config.yml") -> Path:
    """``_config.yml`` as ``make book`` uses it (the notebooks and the book's own pages executed, through
    ``make book``'s execution cache in ``_build/.jupyter_cache``, which is named: a build into another folder
    with ``--path-output`` would otherwise look for it beside its output)."""
    return _written(name, {"cache": str(ROOT / "_build" / ".jupyter_cache")})
