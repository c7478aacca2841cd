"""``make lab``: JupyterLab from the lock, on notebooks/, with the project's environment as the kernel.

No server is left running: the target is run with ``LAB_ARGS=--version`` (it lists the kernels it
will offer, then prints JupyterLab's version), and the kernel is started once through
``jupyter run`` to see which Python and which helpers it has.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import helpers
from helpers.engine.paths import ROOT

BIN = Path(sys.executable).parent
#: The environment `make lab` runs JupyterLab from and offers as the kernel: the project's own (.venv),
#: also when the suite itself runs in another (`make test-latest` runs it in .venv-latest).
MAKE_VENV = ROOT / ".venv"


def _pin(name: str) -> str:
    match = re.search(rf"^{name}==(\S+)$", (ROOT / "requirements.lock").read_text(), flags=re.M)
    assert match, f"{name} is not pinned in requirements.lock"
    return match.group(1)


@pytest.fixture
def decoy_home(tmp_path):
    """A home folder whose own "python3" kernel is some other Python (here: one that cannot start)."""
    spec = tmp_path / ".local" / "share" / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {"argv": ["/bin/false", "{connection_file}"], "display_name": "someone else's Python", "language": "python"}
        )
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    env["HOME"] = str(tmp_path)
    return env


def test_jupyterlab_is_in_the_lock_and_environment_yml():
    version = _pin("jupyterlab")
    assert f"- jupyterlab=={version}" in (ROOT / "environment.yml").read_text()


@pytest.mark.skipif(not (BIN / "jupyter-lab").exists(), reason="jupyterlab is not installed in this environment")
def test_make_lab_offers_the_projects_kernel_even_with_another_in_the_home_folder(decoy_home):
    res = subprocess.run(
        # --no-print-directory: run from another make (`make bench` runs `make test`), make would
        # otherwise add "Leaving directory" lines after the version.
        ["make", "-s", "--no-print-directory", "-o", ".venv/.installed", "lab", "LAB_ARGS=--version"],
        cwd=ROOT,
        env=decoy_home,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    kernels = dict(line.split() for line in res.stdout.splitlines() if line.startswith("  "))
    assert Path(kernels["python3"]).resolve() == (MAKE_VENV / "share" / "jupyter" / "kernels" / "python3").resolve()
    assert res.stdout.splitlines()[-1].strip() == _pin("jupyterlab")
    make_n = subprocess.run(["make", "-n", "-o", ".venv/.installed", "lab"], cwd=ROOT, capture_output=True, text=True)
    assert "jupyter lab --notebook-dir=notebooks" in make_n.stdout


def test_the_python3_kernel_is_this_environment_with_these_helpers(decoy_home, tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("import sys, helpers\nprint(sys.prefix)\nprint(helpers.__file__)\n")
    env = dict(
        decoy_home,
        JUPYTER_PREFER_ENV_PATH="1",
        IPYTHONDIR=str(tmp_path / "ipython"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
    )
    res = subprocess.run(
        [str(BIN / "jupyter"), "run", "--kernel", "python3", str(probe)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    prefix, helpers_file = res.stdout.strip().splitlines()[-2:]
    assert Path(prefix).resolve() == Path(sys.prefix).resolve()
    assert Path(helpers_file).resolve() == Path(helpers.__file__).resolve()
