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


class FolderSettingError(ValueError):
    """An environment variable naming a folder (``COMPENDIUM_RUNS``, ``COMPENDIUM_CACHE``) that
    cannot be one: the message names the variable, its value and what is expected."""


def env_folder(variable: str, default: Path) -> Path:
    """The folder ``$variable`` names (``~`` expanded), else ``default``; a :class:`FolderSettingError`
    when it, or the nearest part of it that exists, is not a folder."""
    given = os.environ.get(variable)
    path = Path(given or default).expanduser().resolve()
    existing = next((q for q in (path, *path.parents) if q.exists()), None)
    if existing is not None and not existing.is_dir():
        what = f"{variable} = {given!r}" if given else f"the default folder {str(path)!r}"
        raise FolderSettingError(f"{what} is not usable: {str(existing)!r} is a file, not a folder; "
                                 f"set {variable} to a folder")
    return path


def runs_dir() -> Path:
    """Folder that holds ``compendium run`` outputs (git-ignored).

    ``COMPENDIUM_RUNS`` overrides it, e.g. for tests.
    """
    return env_folder("COMPENDIUM_RUNS", ROOT / "runs")


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
