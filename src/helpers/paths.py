"""Where the compendium's files live.

Everything is resolved from the location of this package (installed editable
from ``src/helpers``), so code works whatever the current directory is: in a
notebook executed by Jupyter Book, by Papermill in a temporary folder, or by
``compendium`` from anywhere in the repository.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

#: The repository root (the folder holding ``_config.yml``).
ROOT: Path = Path(__file__).resolve().parents[2]
NOTEBOOKS: Path = ROOT / "notebooks"
DATA: Path = ROOT / "data"
PUBLISHED_FIGURES: Path = DATA / "published" / "figures.csv"
BOOK: Path = ROOT / "book"
BUILD: Path = ROOT / "_build"
LOCK_FILE: Path = ROOT / "requirements.lock"


def runs_dir() -> Path:
    """Folder that holds ``compendium run`` outputs (git-ignored).

    ``COMPENDIUM_RUNS`` overrides it, e.g. for tests.
    """
    return Path(os.environ.get("COMPENDIUM_RUNS", ROOT / "runs")).resolve()


def protected_dirs() -> tuple[Path, ...]:
    """Folders of committed material that a run must never write into."""
    return (NOTEBOOKS.resolve(), DATA.resolve(), BOOK.resolve(), (ROOT / "src").resolve(), (ROOT / "tests").resolve())


def is_within(path: Path, folder: Path) -> bool:
    """True when ``path`` is ``folder`` or lies inside it (after resolving)."""
    path, folder = Path(path).resolve(), Path(folder).resolve()
    return path == folder or folder in path.parents


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(chunk), b""):
            digest.update(block)
    return digest.hexdigest()
