"""Clear Jupyter Book's execution cache when the code or data behind the notebooks change.

jupyter-cache re-executes a notebook only when the notebook's own code cells
change. The notebooks are thin: their results come from ``src/helpers``, the
registry in ``data/`` and the pinned packages. A change there would leave
stale numbers in the book, so ``make book`` (and the book test) call this
first: it hashes those inputs and, if they differ from the last build's,
removes the cache so every notebook is re-executed.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "_build" / ".jupyter_cache"
STAMP = ROOT / "_build" / ".notebook-inputs.sha256"
INPUTS = ("src", "data", "requirements.lock", "_config.yml")


def inputs_digest(root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    for name in INPUTS:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts) if path.is_dir() else [path]
        for f in files:
            if f.suffix in (".pyc",) or any(part.startswith(".") for part in f.relative_to(root).parts):
                continue
            digest.update(str(f.relative_to(root)).encode())
            digest.update(f.read_bytes())
    return digest.hexdigest()


def main() -> int:
    current = inputs_digest()
    previous = STAMP.read_text().strip() if STAMP.exists() else None
    if previous != current and CACHE.exists():
        shutil.rmtree(CACHE)
        print("code or data behind the notebooks changed: cleared the execution cache")
    STAMP.parent.mkdir(parents=True, exist_ok=True)
    STAMP.write_text(current + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
