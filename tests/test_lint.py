"""Lint, format and types: what `make lint` runs, run by `make test` too.

ruff (lint and format check) and mypy, with the configuration in pyproject.toml and the versions
pinned in requirements.lock (the ones installed next to this Python). Each check also shows it
has teeth: the configuration really is read, and mypy really checks the whole package.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from helpers.engine.paths import ROOT

BIN = Path(sys.executable).parent
#: What is linted; notebooks are linted but not reformatted (pyproject.toml says why).
LINTED = ("src", "tests", "tools", "benchmarks", "book/_ext", "notebooks")


def _tool(name: str, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / name), *args], cwd=cwd, capture_output=True, text=True, check=False)


def test_ruff_finds_nothing():
    res = _tool("ruff", "check", *LINTED)
    assert res.returncode == 0, res.stdout + res.stderr


def test_the_code_is_formatted():
    res = _tool("ruff", "format", "--check", *LINTED)
    assert res.returncode == 0, "run `make format`:\n" + res.stdout + res.stderr


def test_ruff_reads_the_projects_configuration(tmp_path):
    """A line of 121 characters and an unsorted import fail; 120 characters pass (so the
    120-column limit and the import rules in pyproject.toml are the ones applied)."""
    bad = tmp_path / "bad.py"
    bad.write_text("import sys\nimport os\n\nX = '" + "x" * 115 + "'\n" + "print(os, sys)\n")
    res = _tool("ruff", "check", "--config", str(ROOT / "pyproject.toml"), str(bad))
    assert res.returncode == 1 and "E501" in res.stdout and "I001" in res.stdout, res.stdout
    bad.write_text("import os\nimport sys\n\nX = '" + "x" * 114 + "'\n" + "print(os, sys)\n")
    assert _tool("ruff", "check", "--config", str(ROOT / "pyproject.toml"), str(bad)).returncode == 0


def test_mypy_finds_no_type_errors_in_the_whole_package():
    res = _tool("mypy")  # what to check and how: [tool.mypy] in pyproject.toml
    assert res.returncode == 0, res.stdout + res.stderr
    checked = int(re.search(r"no issues found in (\d+) source files", res.stdout).group(1))
    modules = [p for p in (ROOT / "src" / "helpers").rglob("*.py") if "__pycache__" not in p.parts]
    assert checked == len(modules), f"mypy checked {checked} files of {len(modules)} in src/helpers"


def test_the_git_hooks_run_the_pinned_tools_as_make_lint_does():
    import yaml

    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert set(hooks) == {"ruff-format", "ruff-check", "mypy"}
    lock = (ROOT / "requirements.lock").read_text()
    for hook in hooks.values():
        tool = hook["entry"].split()[0]
        assert tool.startswith(".venv/bin/") and hook["language"] == "system", hook
        assert re.search(rf"^{Path(tool).name}==", lock, re.M), f"{tool} is not pinned in requirements.lock"
    res = _tool("pre-commit", "validate-config", ".pre-commit-config.yaml")
    assert res.returncode == 0, res.stdout + res.stderr


def test_notebook_diffs_go_through_nbdime():
    assert "*.ipynb diff=jupyternotebook merge=jupyternotebook" in (ROOT / ".gitattributes").read_text()
    assert re.search(
        r"^hooks:.*\n(\t.*\n)*\t\$\(BIN\)/nbdime config-git --enable$", (ROOT / "Makefile").read_text(), re.M
    )
