"""The book's configuration for the tests that build it (the HTML book test, the PDF test).

They render the committed outputs as they are (execution off): nbval, in the same ``make test``,
re-executes every notebook and proves those outputs are what the code produces today, and the
book test compares every rendered number with ``run()`` in-process, so executing the notebooks
again in each build would prove nothing more. ``make book`` and ``make pdf`` execute them.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from helpers.engine.paths import ROOT


def committed_outputs_config(name: str = "test-config.yml", execute_book_pages: bool = False) -> Path:
    """``_config.yml`` with execution off, written under ``_build/`` (Jupyter Book resolves local
    extensions from the config file's folder, so their paths are made absolute). With
    ``execute_book_pages`` the book's own pages (``book/*.md``: the registry of published figures, the
    ledger) are executed, without a cache, and the notebooks are not."""
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
