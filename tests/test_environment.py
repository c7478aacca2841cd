"""The pinned environment: requirements.lock, environment.yml and requirements.in agree."""

from __future__ import annotations

import os
import re
import sys
from importlib import metadata

import pytest
import yaml

from helpers.engine.paths import ROOT

sys.path.insert(0, str(ROOT / "tools"))
from sync_environment import locked_pins


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(entries):
    return {_norm(e.split("==")[0]): e.split("==")[1] for e in entries if "==" in e}


def test_environment_yml_pins_exactly_the_lock_file():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    assert "python=3.11" in deps and "pip" in deps
    pip_section = next(d["pip"] for d in deps if isinstance(d, dict))
    assert "-e ." in pip_section
    assert _pins(pip_section) == _pins(locked_pins()), "environment.yml differs from requirements.lock: run `make lock`"


def test_every_direct_requirement_is_pinned():
    lock = _pins(locked_pins())
    direct = []
    for line in (ROOT / "requirements.in").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            direct.append(_norm(re.split(r"[<>=!\[;\s]", line)[0]))
    missing = [d for d in direct if d not in lock]
    assert not missing, f"not pinned in requirements.lock: {missing}"


@pytest.mark.skipif(
    bool(os.environ.get("COMPENDIUM_LATEST")),
    reason="make test-latest installs the newest releases on purpose (see _build/latest/versions.txt)",
)
def test_installed_versions_are_the_locked_ones():
    lock = _pins(locked_pins())
    wrong = {}
    for name, version in lock.items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            wrong[name] = (version, None)
            continue
        if installed != version:
            wrong[name] = (version, installed)
    assert not wrong, f"installed versions differ from requirements.lock (locked, installed): {wrong}"


def test_python_is_3_11():
    assert sys.version_info[:2] == (3, 11)
