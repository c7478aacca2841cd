"""Where the compendium's files live.

The compendium folder (the repository root, holding ``notebooks/`` and
``data/published/figures.csv``) is found once, on import, in this order:

1. the ``COMPENDIUM_ROOT`` environment variable, if set (it must name a compendium folder);
2. the folder this package lives in, when it is installed editable from ``src/helpers``
   (as ``make`` installs it), so code works whatever the current directory is: in a
   notebook executed by Jupyter Book, by Papermill in a temporary folder, or by
   ``compendium`` from anywhere;
3. the current directory or the nearest folder above it that is a compendium folder
   (for a non-editable ``pip install .``, run from inside a checkout).

Outside a compendium folder :data:`ROOT_ERROR` holds the reason and
:func:`require_root` raises it as a one-line :class:`CompendiumNotFound`.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

#: Environment variable naming the compendium folder (overrides every other way of finding it).
ROOT_ENV_VAR = "COMPENDIUM_ROOT"
#: What makes a folder a compendium folder.
_MARKERS = ("notebooks", "data/published/figures.csv")


class CompendiumNotFound(ValueError):
    """No compendium folder: not set by ``COMPENDIUM_ROOT``, and none at or above the current directory."""


def expand_user(given: str | Path) -> Path:
    """``given`` with a leading ``~`` or ``~user`` expanded to that home folder; left as it is when
    there is no such home folder (``~nosuchuser``, or no HOME), as a shell leaves it, so that the
    path is then reported as not found rather than failing with Python's RuntimeError."""
    path = Path(given)
    try:
        return path.expanduser()
    except RuntimeError:  # "Could not determine home directory."
        return path


def unknown_home(given: str | Path) -> str | None:
    """The leading ``~user`` (or ``~``) of ``given`` when there is no such home folder, else None: a
    folder to write to is then refused by name rather than created under that literal name."""
    text = str(given)
    if not text.startswith("~") or expand_user(text) != Path(text):
        return None
    return text.split("/", 1)[0]


def is_compendium(folder: Path) -> bool:
    """True when ``folder`` holds ``notebooks/`` and ``data/published/figures.csv``."""
    folder = Path(folder)
    return (folder / _MARKERS[0]).is_dir() and (folder / _MARKERS[1]).is_file()


def find_root(cwd: Path | None = None, environ=None) -> Path:
    """The compendium folder (see the module's docstring for the order), or :class:`CompendiumNotFound`."""
    environ = os.environ if environ is None else environ
    given = environ.get(ROOT_ENV_VAR)
    if given:
        folder = expand_user(given).resolve()
        if not is_compendium(folder):
            raise CompendiumNotFound(
                f"{ROOT_ENV_VAR}={given!r} is not a compendium folder: expected a folder holding "
                f"{' and '.join(_MARKERS)}"
            )
        return folder
    # This file is src/helpers/engine/paths.py in a checkout.
    package_checkout = Path(__file__).resolve().parents[3]
    if (Path(__file__).resolve().parents[2].name == "src") and is_compendium(package_checkout):
        return package_checkout
    start = Path.cwd() if cwd is None else Path(cwd)
    start = start.resolve()
    for folder in (start, *start.parents):
        if is_compendium(folder):
            return folder
    raise CompendiumNotFound(
        f"not inside a compendium folder: {str(start)!r} and the folders above it hold no "
        f"{' and '.join(_MARKERS)}; run from a checkout of the compendium or set {ROOT_ENV_VAR} to one"
    )


try:
    #: The repository root (the folder holding ``notebooks/`` and ``data/``).
    ROOT: Path = find_root()
    #: Why no compendium folder was found (``None`` when one was).
    ROOT_ERROR: CompendiumNotFound | None = None
except CompendiumNotFound as _err:
    ROOT = Path.cwd().resolve()
    ROOT_ERROR = _err


def require_root() -> Path:
    """:data:`ROOT`, or the one-line :class:`CompendiumNotFound` that says why there is none."""
    if ROOT_ERROR is not None:
        raise ROOT_ERROR
    return ROOT


NOTEBOOKS: Path = ROOT / "notebooks"
DATA: Path = ROOT / "data"
PUBLISHED: Path = DATA / "published"
PUBLISHED_FIGURES: Path = PUBLISHED / "figures.csv"
BOOK: Path = ROOT / "book"
BUILD: Path = ROOT / "_build"
LOCK_FILE: Path = ROOT / "requirements.lock"


class FolderSettingError(ValueError):
    """An environment variable naming a folder (``COMPENDIUM_RUNS``, ``COMPENDIUM_CACHE``) that
    cannot be one: the message names the variable, its value and what is expected."""


def env_folder(variable: str, default: Path) -> Path:
    """The folder ``$variable`` names (``~`` expanded), else ``default``; a :class:`FolderSettingError`
    when it, or the nearest part of it that exists, is not a folder, or when it lies in a protected
    folder (:func:`protected_folder`), directly or through a symbolic link: every such variable names a
    place the compendium writes to (``COMPENDIUM_RUNS``, ``COMPENDIUM_CACHE``)."""
    given = os.environ.get(variable)
    if given and (home := unknown_home(given)) is not None:
        raise FolderSettingError(
            f"{variable} = {given!r} is not usable: there is no home folder {home}; set {variable} to a folder"
        )
    path = expand_user(given or default).resolve()
    what = f"{variable} = {given!r}" if given else f"the default folder {str(path)!r}"
    existing = next((q for q in (path, *path.parents) if q.exists()), None)
    if existing is not None and not existing.is_dir():
        raise FolderSettingError(
            f"{what} is not usable: {str(existing)!r} is a file, not a folder; set {variable} to a folder"
        )
    if (folder := protected_folder(path)) is not None:
        raise FolderSettingError(
            f"{what} is not usable: {PROTECTED_WHY.format(folder=folder)}; set {variable} to another folder"
        )
    return path


def runs_dir() -> Path:
    """Folder that holds ``compendium run`` outputs (git-ignored).

    ``COMPENDIUM_RUNS`` overrides it, e.g. for tests.
    """
    return env_folder("COMPENDIUM_RUNS", ROOT / "runs")


#: The repository's folders that nothing the compendium runs may write into: its committed material (the
#: notebooks, data, book, code and tests), its history and its environments.
PROTECTED = ("notebooks", "data", "book", "src", "tests", ".git", ".venv", ".venv-latest")
#: Why a folder is refused (``{folder}``: the protected folder it is in).
PROTECTED_WHY = (
    "it is inside {folder}, which holds the compendium's committed files, history or environment and is never "
    "written by a run, a sweep or the run cache"
)


def protected_dirs() -> tuple[Path, ...]:
    """The folders of :data:`PROTECTED`, resolved (a symbolic link to one is the folder itself)."""
    return tuple((ROOT / name).resolve() for name in PROTECTED)


def protected_folder(path: str | Path) -> Path | None:
    """The protected folder (:func:`protected_dirs`) that ``path`` is, or lies in, after resolving every
    symbolic link on the way; None when it is in none. The one rule for every place a run, a sweep or
    the run cache writes: ``--out``, ``COMPENDIUM_RUNS`` and ``COMPENDIUM_CACHE``."""
    return next((folder for folder in protected_dirs() if is_within(Path(path), folder)), None)


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
