"""Writing files so that a reader never sees half of one.

Each function writes under a temporary name in the target's folder and then renames it onto the
target (one atomic rename): a reader of the target sees the old file or the whole new one. The run
cache writes its entries this way, and runs and sweeps their outputs (``params.json``,
``results.json``, ``sweep.json``, the sweep's table, figure and logs).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary name in ``path``'s folder, renamed onto ``path`` when the block ends without
    an error (and removed otherwise): a reader of ``path`` sees the old file or the whole new one."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_json(path: str | Path, data: Any) -> None:
    """JSON (indented, with a final newline) written straight to ``path``: for a file in a folder
    no one else reads yet. Elsewhere use :func:`write_json_atomic`."""
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2)
        handle.write("\n")


def write_json_atomic(path: str | Path, data: Any) -> None:
    """JSON written under a temporary name in the same folder, then renamed."""
    with atomic_path(path) as tmp:
        write_json(tmp, data)


def write_text_atomic(path: str | Path, text: str) -> None:
    """UTF-8 text written under a temporary name in the same folder, then renamed."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def copy_atomic(source: str | Path, target: str | Path) -> None:
    """Copy a file under a temporary name in the target's folder, then rename."""
    with atomic_path(target) as tmp:
        shutil.copyfile(source, tmp)
