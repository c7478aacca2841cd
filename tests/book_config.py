"""The book's configuration for the tests that build it (the HTML book test, the PDF test).

They render the notebooks' committed outputs as they are (the notebooks are not executed): nbval, in
the same ``make test``, re-executes every notebook and proves those outputs are what the code produces
today, and the book test compares every rendered number with ``run()`` in-process, so executing the
notebooks again in each build would prove nothing more. The book's own pages (``book/*.md``: the landing
page's evidence table, the evidence, data and ledger pages) have no committed outputs, so they are
executed as ``make book`` executes them.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from helpers.engine.paths import ROOT


def committed_outputs_config(name: str = "test-config.yml", execute_book_pages: bool = True) -> Path:
    """``_config.yml`` with the notebooks' execution off, written under ``_build/`` (Jupyter Book resolves
    local extensions from the config file's folder, so their paths are made absolute). With
    ``execute_book_pages`` (the default) the book's own pages (``book/*.md``: the landing page's evidence
    table, the evidence page, the registries, the ledger) are executed, without a cache; without it they
    render without their generated tables."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["execute"]["execute_notebooks"] = "off"
    if execute_book_pages:
        config["execute"]["execute_notebooks"] = "force"
        config["execute"]["exclude_patterns"] = ["notebooks/*.ipynb"]
    config["sphinx"]["local_extensions"] = {
        name_: str(ROOT / path) for name_, path in config["sphinx"]["local_extensions"].items()
    }
    build = ROOT / "_build"
    build.mkdir(exist_ok=True)
    path = build / name
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path
