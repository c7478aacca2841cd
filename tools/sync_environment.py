"""Regenerate environment.yml (conda) and binder/requirements.txt (Binder) from requirements.lock (``make lock``).

The conda environment installs Python 3.11 and pip from conda-forge, then every
package pinned in requirements.lock with pip, so conda, Binder and ``make``
users get the same versions. ``tests/test_environment.py`` fails if the files
disagree.

Binder (repo2docker) reads binder/ instead of the files at the top of the
repository: binder/requirements.txt holds the pins only, and binder/postBuild
installs the compendium itself (``pip install --no-deps -e .``), because
repo2docker skips its pre-assembly step when a requirements or environment
file installs the local folder, as environment.yml's ``-e .`` does.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)")


def locked_pins(lock: Path = ROOT / "requirements.lock") -> list[str]:
    """``name==version`` for every package in the lock file, in file order."""
    pins = []
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line.strip())
        if match:
            pins.append(f"{match.group(1)}=={match.group(2)}")
    return pins


def render(pins: list[str]) -> str:
    lines = [
        "# Generated from requirements.lock by tools/sync_environment.py (`make lock`): do not edit by hand.",
        "# For conda users: the same pinned versions as `make` installs with pip (Binder reads binder/).",
        "name: social-work-evidence-compendium",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        "  - python=3.11",
        "  - pip",
        "  - pip:",
        *[f"      - {pin}" for pin in pins],
        "      - -e .",
        "",
    ]
    return "\n".join(lines)


def render_binder(pins: list[str]) -> str:
    return "\n".join(
        [
            "# Generated from requirements.lock by tools/sync_environment.py (`make lock`): do not edit by hand.",
            "# Binder installs these pins; binder/postBuild then installs the compendium itself.",
            *pins,
            "",
        ]
    )


def main() -> int:
    pins = locked_pins()
    (ROOT / "environment.yml").write_text(render(pins), encoding="utf-8")
    (ROOT / "binder").mkdir(exist_ok=True)
    (ROOT / "binder" / "requirements.txt").write_text(render_binder(pins), encoding="utf-8")
    print("wrote environment.yml and binder/requirements.txt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
