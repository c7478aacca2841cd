"""Re-execute committed notebooks in place, so that their stored outputs are what the code
produces today (``make notebooks``). nbval (``make test``) then compares against these outputs.

Each notebook runs with its default parameters in a temporary working folder, with the
same kernel nbval uses; per-cell timing metadata is not recorded, so a re-execution that
changes nothing leaves the file unchanged.
"""

from __future__ import annotations

import os
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute_in_place(path: Path, timeout: int = 900) -> None:
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as tmp:
        client = NotebookClient(
            nb,
            timeout=timeout,
            kernel_name="python3",
            record_timing=False,
            extra_arguments=["--log-level=ERROR"],
            resources={"metadata": {"path": tmp}},
        )
        client.execute()
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)


def _execute(path: str, attempts: int = 3) -> str:
    """Execute one notebook. Two kernels starting at the same moment can pick the same free port
    (jupyter_client chooses ports before binding them): that start is retried, nothing else is."""
    for attempt in range(1, attempts + 1):
        try:
            execute_in_place(Path(path))
            return path
        except Exception as err:  # zmq.ZMQError or a RuntimeError from the kernel manager
            if "Address already in use" not in str(err) or attempt == attempts:
                raise
            print(f"{path}: kernel port taken by another kernel starting at the same time; retrying", flush=True)
    return path


def main(paths: list[str]) -> int:
    """Execute each notebook, two at a time (one kernel per core on the usual two-core machine;
    ``COMPENDIUM_JOBS`` sets another number)."""
    if not paths:
        print("usage: execute_notebooks.py NOTEBOOK.ipynb [...]", file=sys.stderr)
        return 2
    jobs = max(1, int(os.environ.get("COMPENDIUM_JOBS", "2")))
    with ProcessPoolExecutor(max_workers=min(jobs, len(paths))) as pool:
        for done in pool.map(_execute, paths):
            print(f"executed {done}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
