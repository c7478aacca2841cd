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


def committed_outputs_config(name: str = "test-config.yml") -> Path:
    """``_config.yml`` with execution off, written under ``_build/`` (Jupyter Book resolves local
    extensions from the config file's folder, so their paths are made absolute)."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["execute"]["execute_notebooks"] = "off"
    config["sphinx"]["local_extensions"] = {
        name_: str(ROOT / path) for name_, path in config["sphinx"]["local_extensions"].items()
    }
    build = ROOT / "_build"
    build.mkdir(exist_ok=True)
    path = build / name
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def readers_config(name: str = "readers-config.yml") -> Path:
    """``_config.yml`` as ``make book`` uses it (the notebooks and the book's own pages executed, through
    ``make book``'s execution cache in ``_build/.jupyter_cache``), for a build into another folder
    (``--path-output``): written under ``_build/``, local extensions' paths made absolute and the
    execution cache named, since both would otherwise be looked for beside the config or the output."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["execute"]["cache"] = str(ROOT / "_build" / ".jupyter_cache")
    config["sphinx"]["local_extensions"] = {
        name_: str(ROOT / path) for name_, path in config["sphinx"]["local_extensions"].items()
    }
    build = ROOT / "_build"
    build.mkdir(exist_ok=True)
    path = build / name
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path
