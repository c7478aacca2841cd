"""Quiet logs: a kernel started from the compendium's environment, as Jupyter Book's execution starts
one (nbclient, no extra arguments: ``make book``, ``make pdf``), logs nothing about its local
transport; ``tools/ipython_kernel_config.py``, installed by ``make install`` into the environment's
``etc/ipython``, sets its log level. A kernel told to log warnings shows that the check can fail."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.engine.paths import ROOT

NOTICE = "Kernel is running over TCP without encryption"
INSTALLED = Path(sys.prefix) / "etc" / "ipython" / "ipython_kernel_config.py"

#: One cell executed the way jupyter-cache executes a notebook for Jupyter Book (myst-nb's "cache" mode).
EXECUTE = """
import sys
import nbformat
from nbclient import NotebookClient
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
NotebookClient(nb, kernel_name="python3", timeout=120, extra_arguments=sys.argv[1:]).execute()
print(nb.cells[0].outputs[0]["data"]["text/plain"])
"""


def _kernel_stderr(tmp_path, *extra: str) -> str:
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "IPYTHONDIR": str(tmp_path / "ipython")}
    res = subprocess.run(
        [sys.executable, "-c", EXECUTE, *extra], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300
    )
    assert res.returncode == 0 and res.stdout.strip() == "2", res.stderr
    return res.stderr


def test_the_installed_kernel_configuration_is_the_tracked_one():
    if not INSTALLED.exists():
        pytest.fail(f"{INSTALLED} is missing: run `make install`")
    assert INSTALLED.read_text() == (ROOT / "tools" / "ipython_kernel_config.py").read_text()


def test_a_kernel_started_as_jupyter_book_starts_one_logs_no_transport_notice(tmp_path):
    assert NOTICE not in _kernel_stderr(tmp_path)


def test_a_kernel_logging_warnings_shows_the_notice(tmp_path):
    """The check above can fail: the same kernel, told to log warnings, prints the notice."""
    assert NOTICE in _kernel_stderr(tmp_path, "--log-level=WARN")
