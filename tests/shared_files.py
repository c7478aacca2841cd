"""Where the files the project does not commit are, for the tests that need them: the one place that says.

Two folders, each found only through the repository or an environment variable (never a fixed folder of one
machine):

* the DfE official-statistics files (``la_cla_swcount.csv``, ``csww_indicators_2017_to_2025.csv``):
  ``$COMPENDIUM_DFE_DIR``, else ``<repository>/../shared/data/dfe``;
* the source documents the registry quotes (``NNN_*.txt``): ``$COMPENDIUM_SOURCES_DIR``, else
  ``<repository>/../shared/seeds``.

``<repository>`` is the compendium folder (:data:`helpers.engine.paths.ROOT`), and ``../shared`` may be a
symbolic link. :func:`dfe_dir` and :func:`sources_dir` return the folder, or skip the calling test with a
message that names every place they looked and the variable that would point them elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers.engine.paths import ROOT

#: The shared folder beside the repository.
SHARED = ROOT.parent / "shared"
#: The DfE files the tests on the real files read.
DFE_FILES = ("la_cla_swcount.csv", "csww_indicators_2017_to_2025.csv")
DFE_VARIABLE = "COMPENDIUM_DFE_DIR"
SOURCES_VARIABLE = "COMPENDIUM_SOURCES_DIR"


def _candidates(variable: str, beside: Path) -> list[Path]:
    given = os.environ.get(variable)
    return [Path(given).expanduser()] if given else [beside]


def _found(variable: str, beside: Path, holds, what: str) -> Path:
    """The first candidate folder for which ``holds(folder)`` is true, or skip naming where it looked."""
    candidates = _candidates(variable, beside)
    for folder in candidates:
        if folder.is_dir() and holds(folder):
            return folder
    looked = ", ".join(str(c) for c in candidates)
    pytest.skip(f"{what} not found; looked in: {looked} (set {variable} to the folder holding them)")


def dfe_dir() -> Path:
    """The folder of the real DfE files (:data:`DFE_FILES`), or skip the calling test."""
    return _found(
        DFE_VARIABLE,
        SHARED / "data" / "dfe",
        lambda folder: all((folder / name).is_file() for name in DFE_FILES),
        f"DfE official files ({', '.join(DFE_FILES)})",
    )


def sources_dir() -> Path:
    """The folder of the source documents (text files ``NNN_*.txt``), or skip the calling test."""
    return _found(
        SOURCES_VARIABLE,
        SHARED / "seeds",
        lambda folder: any(folder.glob("[0-9][0-9][0-9]_*.txt")),
        "the source documents (NNN_*.txt)",
    )


def source_text(number: int) -> str:
    """The text of source document ``number`` (``002`` is ``002_*.txt``), or skip the calling test."""
    folder = sources_dir()
    matches = sorted(folder.glob(f"{number:03d}_*.txt"))
    if not matches:
        pytest.skip(f"no source document {number:03d}_*.txt in {folder}")
    return matches[0].read_text(encoding="utf-8")
