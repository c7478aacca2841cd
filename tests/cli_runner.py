"""Run the ``compendium`` command in this test process.

Each subprocess start of ``compendium`` costs a few seconds of imports (pandas, statsmodels,
matplotlib, papermill, the analyses). Tests of bad input, of what a command prints, and of the run
cache's bookkeeping around a run (the notebook is still executed by Papermill in its own kernel)
only need ``helpers.engine.cli.main``'s exit status and output, so they call it here, with the
environment, the working folder and the standard streams set for the call and restored after
(``main`` itself sets ``COMPENDIUM_ROOT``, which must not leak into later subprocesses). Tests of
what a run or a sweep writes, of signals, and of the installed console script keep real
subprocesses.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path


def run_cli(
    args: list[str], env: Mapping[str, str] | None = None, cwd: str | Path | None = None
) -> subprocess.CompletedProcess:
    """``compendium ARGS`` in-process: a CompletedProcess with its exit status, stdout and stderr."""
    from helpers.engine.cli import main

    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    out, err = io.StringIO(), io.StringIO()
    try:
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as stop:  # argparse's usage errors and --help
                code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 2)
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    return subprocess.CompletedProcess(["compendium", *args], code, out.getvalue(), err.getvalue())
