"""Keep the book's caches honest (called by ``make book`` and the book test).

Two digests of the repository's files:

* the *notebook inputs*: ``src/``, ``data/``, ``requirements.lock``, ``_config.yml``.
  jupyter-cache re-executes a notebook only when its own code cells change, but the
  notebooks are thin: their results come from ``src/helpers``, the registry and the
  pinned packages. When these inputs change, the execution cache is cleared so every
  notebook is re-executed (``python tools/cache_guard.py``).
* the *book inputs*: the notebook inputs plus ``notebooks/``, ``book/`` and ``_toc.yml``.
  ``--up-to-date`` exits 0 when they are unchanged since the last successful build
  (recorded with ``--record``) and the built book exists: ``make book`` then has
  nothing to re-render and skips the build. The digest is taken when the build
  *starts* (``python tools/cache_guard.py``, into a pending file) and ``--record``
  only moves it into place once the build succeeded: a file edited while the book
  was building is therefore not recorded as built, and the next ``make book``
  builds again.

Both digests read the files git sees: tracked files and new files not yet added, but nothing git
ignores (``.gitignore``: build products such as ``src/*.egg-info`` and ``build/`` from ``pip install .``,
bytecode, caches). Outside a git checkout (an exported copy) every file is read except hidden ones,
bytecode and ``*.egg-info``.

``--execution-cache`` only clears a stale execution cache (as above): the book test, which
builds the same book into another folder through the same execution cache, calls it so that
it neither executes stale outputs nor marks ``make book``'s own build as out of date.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
CACHE = BUILD / ".jupyter_cache"
NOTEBOOK_STAMP = BUILD / ".notebook-inputs.sha256"
BOOK_STAMP = BUILD / ".book-inputs.sha256"
#: The book inputs' digest taken when the running build started; ``--record`` moves it to BOOK_STAMP.
BOOK_PENDING = BUILD / ".book-inputs.pending.sha256"
NOTEBOOK_INPUTS = ("src", "data", "requirements.lock", "_config.yml")
BOOK_INPUTS = NOTEBOOK_INPUTS + ("notebooks", "book", "_toc.yml")


def _git_files(root: Path, names: tuple[str, ...]) -> list[Path] | None:
    """The files under ``names`` that git sees (tracked, or new and not ignored), or None outside a
    git checkout."""
    try:
        res = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *names],
            cwd=root,
            capture_output=True,
            timeout=60,
        )
    except OSError:  # no git
        return None
    if res.returncode != 0:
        return None
    return sorted({root / rel for rel in res.stdout.decode().split("\0") if rel and (root / rel).is_file()})


def _walked_files(root: Path, names: tuple[str, ...]) -> list[Path]:
    """Every file under ``names`` except hidden ones, bytecode and ``*.egg-info`` (a packaging build product)."""
    out = []
    for name in names:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path] if path.exists() else []
        for f in files:
            parts = f.relative_to(root).parts
            if (
                "__pycache__" in parts
                or f.suffix == ".pyc"
                or any(part.startswith(".") or part.endswith(".egg-info") for part in parts)
            ):
                continue
            out.append(f)
    return sorted(out)


def inputs_digest(root: Path = ROOT, names: tuple[str, ...] = NOTEBOOK_INPUTS) -> str:
    """SHA-256 over the path and content of every input file under ``names`` (see the module's docstring)."""
    files = _git_files(root, names)
    if files is None:
        files = _walked_files(root, names)
    digest = hashlib.sha256()
    for f in files:
        digest.update(str(f.relative_to(root)).encode())
        digest.update(f.read_bytes())
    return digest.hexdigest()


def guard_execution_cache() -> None:
    current = inputs_digest()
    previous = NOTEBOOK_STAMP.read_text().strip() if NOTEBOOK_STAMP.exists() else None
    if previous != current and CACHE.exists():
        shutil.rmtree(CACHE)
        print("code or data behind the notebooks changed: cleared the execution cache")
    NOTEBOOK_STAMP.parent.mkdir(parents=True, exist_ok=True)
    NOTEBOOK_STAMP.write_text(current + "\n")


def book_up_to_date() -> bool:
    if not (BUILD / "html" / "index.html").exists() or not BOOK_STAMP.exists():
        return False
    return BOOK_STAMP.read_text().strip() == inputs_digest(names=BOOK_INPUTS)


def start_book() -> None:
    """A build is starting: the built book is no longer known good; note what it is built from."""
    BOOK_STAMP.unlink(missing_ok=True)
    BOOK_PENDING.parent.mkdir(parents=True, exist_ok=True)
    BOOK_PENDING.write_text(inputs_digest(names=BOOK_INPUTS) + "\n")


def record_book() -> bool:
    """The build succeeded: record the inputs as they were when it started (not as they are now,
    which may include an edit made during the build). False if no build start was noted."""
    if not BOOK_PENDING.exists():
        return False
    os.replace(BOOK_PENDING, BOOK_STAMP)
    return True


def main(argv: list[str]) -> int:
    if argv == ["--up-to-date"]:
        return 0 if book_up_to_date() else 1
    if argv == ["--execution-cache"]:
        guard_execution_cache()
        return 0
    if argv == ["--record"]:
        if not record_book():
            print(
                "cache_guard: no build start was noted (run `python tools/cache_guard.py` before the build); "
                "nothing recorded, so the next `make book` builds again",
                file=sys.stderr,
            )
        return 0
    if argv:
        print("usage: cache_guard.py [--up-to-date | --record | --execution-cache]", file=sys.stderr)
        return 2
    start_book()
    guard_execution_cache()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
