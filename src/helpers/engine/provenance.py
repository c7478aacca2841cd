"""What a committed notebook says it was computed from, in a form anyone can check.

Every figure and table in the book carries a provenance line (:mod:`helpers.page.present`). Its
last part identifies the compendium that computed it by *content*, not by a commit (a
committed notebook cannot name the commit it is about to be part of):

* ``notebook``: SHA-256 of the notebook's cells (type and source; not outputs or metadata),
  so re-executing a notebook does not change it;
* ``code``: SHA-256 of every ``.py`` file under ``src/helpers`` (by relative name);
* ``data``: SHA-256 of every file under ``data/`` (the published-figure registry included);
* ``lock``: SHA-256 of ``requirements.lock``, the pinned versions of every package.

Each is shown shortened to :data:`SHORT` hex digits. ``compendium provenance`` recomputes
them for your checkout and compares them with what each committed notebook recorded.
nbval compares the provenance lines too,
so a notebook not re-executed after a change to its code, data or lock file fails the tests.
The built HTML adds the git commit at build time (``+modified`` for a dirty tree).
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Any

from helpers.engine.paths import DATA, LOCK_FILE, NOTEBOOKS, ROOT

#: Hex digits of each digest shown in a provenance line.
SHORT = 12
#: The digests' names, in the order a provenance line shows them.
PARTS = ("notebook", "code", "data", "lock")
_RECORDED = re.compile(rf"\b(notebook|code|data|lock) sha256:([0-9a-f]{{{SHORT}}})")


def notebook_digest(path: str | Path) -> str:
    """SHA-256 of a notebook's cells: each cell's type and source, in order."""
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    digest = hashlib.sha256(b"cells\0")
    for cell in nb.cells:
        digest.update(cell.cell_type.encode() + b"\0" + cell.source.encode("utf-8") + b"\0")
    return digest.hexdigest()


def digests(stem: str) -> dict[str, str]:
    """The full digests of ``stem``'s notebook, the code, ``data/`` and the lock file, as they are now."""
    from helpers.engine.cache import code_digest, file_digest, path_digest

    lock = file_digest(LOCK_FILE) if LOCK_FILE.is_file() else "missing"
    return {
        "notebook": notebook_digest(NOTEBOOKS / f"{stem}.ipynb"),
        "code": code_digest(),
        "data": path_digest(DATA),
        "lock": lock,
    }


@lru_cache(maxsize=16)
def provenance_text(stem: str) -> str:
    """``notebook sha256:… · code sha256:… · data sha256:… · lock sha256:…`` (memoised: a kernel
    runs one version of the code)."""
    return " · ".join(f"{name} sha256:{value[:SHORT]}" for name, value in digests(stem).items())


def recorded(nb: Any) -> dict[str, str]:
    """The digests a committed notebook's outputs recorded (shortened), read from its provenance lines."""
    found: dict[str, str] = {}
    for cell in nb["cells"]:
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            for value in output.get("data", {}).values():
                text = "".join(value) if isinstance(value, list) else str(value)
                if "computed from " not in text:
                    continue
                for name, digest in _RECORDED.findall(text.split("computed from ", 1)[1]):
                    found.setdefault(name, digest)
    return found


def compare(stem: str) -> list[tuple[str, str, str]]:
    """``(part, recorded, current)`` for each digest that the committed notebook recorded."""
    import nbformat

    nb = nbformat.read(str(NOTEBOOKS / f"{stem}.ipynb"), as_version=4)
    was = recorded(nb)
    now = {name: value[:SHORT] for name, value in digests(stem).items()}
    return [(name, was.get(name, "none"), now[name]) for name in PARTS]


def git_commit(root: Path = ROOT) -> str:
    """The checkout's commit (12 hex digits), ``+modified`` when tracked files differ from it, or
    ``not under version control``. Used at book-build time only, never in a committed output."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "not under version control"
    return head + ("+modified" if dirty else "")


def report(stems: list[str]) -> tuple[list[str], bool]:
    """Lines comparing recorded and current digests for ``stems``, and whether all agree."""
    lines, ok = [], True
    for stem in stems:
        rows = compare(stem)
        same = all(was == now for _, was, now in rows)
        ok &= same
        lines.append(f"{stem}: {'matches this checkout' if same else 'DIFFERS from this checkout'}")
        for name, was, now in rows:
            mark = "same" if was == now else "differs"
            lines.append(f"  {name:<8} recorded {was:<12}  now {now:<12}  {mark}")
    return lines, ok
