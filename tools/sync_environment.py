"""Regenerate environment.yml (conda / Binder) from requirements.lock (``make lock``).

The conda environment installs Python 3.11 and pip from conda-forge, then every
package pinned in requirements.lock with pip, so conda, Binder and ``make``
users get the same versions. ``tests/test_environment.py`` fails if the two
files disagree.
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
        "# For conda and Binder users: the same pinned versions as `make` installs with pip.",
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


def main() -> int:
    (ROOT / "environment.yml").write_text(render(locked_pins()), encoding="utf-8")
    print("wrote environment.yml")
    return 0


if __name__ == "__main__":
    sys.exit(main())
