"""Where the real DfE files are, for tests that run on them (the project does not commit copies).

In order: the environment variable ``COMPENDIUM_DFE_DIR``; ``<repository root>/../shared/data/dfe``
(the layout of the project's machine, whatever folder the clone is in); ``/work/shared/data/dfe``.
Tests that need the files skip, saying where they looked, when none of these holds them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers.paths import ROOT

FILES = ("la_cla_swcount.csv", "csww_indicators_2017_to_2025.csv")


def candidates() -> list[Path]:
    env = os.environ.get("COMPENDIUM_DFE_DIR")
    return ([Path(env)] if env else []) + [ROOT.parent / "shared" / "data" / "dfe", Path("/work/shared/data/dfe")]


def dfe_dir() -> Path | None:
    """The first candidate folder holding the official files, or None."""
    for folder in candidates():
        if all((folder / name).is_file() for name in FILES):
            return folder
    return None


def require_dfe_dir() -> Path:
    """The folder, or skip the calling test with the places looked in."""
    folder = dfe_dir()
    if folder is None:
        looked = ", ".join(str(c) for c in candidates())
        pytest.skip(f"DfE official files ({', '.join(FILES)}) not found; looked in: {looked} "
                    "(set COMPENDIUM_DFE_DIR to the folder holding them)")
    return folder
