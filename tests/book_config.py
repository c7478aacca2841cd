"""The book's configuration for the tests that build it.

The HTML book test builds the book readers get, as ``make book`` does (:func:`readers_config`). The PDF
test renders the committed outputs as they are (execution off, :func:`committed_outputs_config`): nbval,
in the same ``make test``, re-executes every notebook and proves those outputs are what the code
produces today.
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


def committed_outputs_config(name: str = "test-config.yml") -> Path:
    """``_config.yml`` with execution off (the PDF test renders the committed outputs)."""
    return _written(name, {"execute_notebooks": "off"})


def readers_config(name: str = "readers-config.yml") -> Path:
    """``_config.yml`` as ``make book`` uses it (the notebooks and the book's own pages executed, through
    ``make book``'s execution cache in ``_build/.jupyter_cache``, which is named: a build into another folder
    with ``--path-output`` would otherwise look for it beside its output)."""
    return _written(name, {"cache": str(ROOT / "_build" / ".jupyter_cache")})
