"""Regenerate environment.yml (conda) and binder/requirements.txt (Binder) from requirements.lock (``make lock``).

The conda environment installs Python 3.11 and pip from conda-forge, then every
package pinned in requirements.lock with pip, so conda and ``make`` users get the
same versions. ``tests/test_environment.py`` fails if the files disagree.

Binder (repo2docker) reads binder/ instead of the files at the top of the
repository. binder/requirements.txt holds only what a reader needs to run the
notebooks: the package's own dependencies (pyproject.toml), JupyterLab (which
Binder opens) and setuptools (which builds the compendium), with everything they
depend on, at the lock's versions; no test, book-building or development tool.
That set is read from the lock itself: pip-compile notes under each pin the
packages that need it (``# via``), and a pin is kept when a kept package needs it.
binder/postBuild installs the compendium itself (``pip install --no-deps -e .``),
because repo2docker skips its pre-assembly step when a requirements or environment
file installs the local folder, as environment.yml's ``-e .`` does.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)")
#: What Binder needs besides the package's own dependencies: JupyterLab, which it opens, and
#: setuptools, with which binder/postBuild builds the compendium (without build isolation).
BINDER_EXTRAS = ("jupyterlab", "setuptools")


def locked_pins(lock: Path = ROOT / "requirements.lock") -> list[str]:
    """``name==version`` for every package in the lock file, in file order."""
    pins = []
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line.strip())
        if match:
            pins.append(f"{match.group(1)}=={match.group(2)}")
    return pins


def canonical(name: str) -> str:
    """A package name as pip compares them (PEP 503: lower case, runs of ``-_.`` as ``-``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_graph(lock: Path = ROOT / "requirements.lock") -> dict[str, tuple[str, list[str]]]:
    """Each pinned package (canonical name) -> (``name==version``, the packages that need it), read
    from pip-compile's ``# via`` notes (``-r requirements.in``, a direct requirement, is not a package)."""
    graph: dict[str, tuple[str, list[str]]] = {}
    current = None
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line.strip())
        if match:
            current = canonical(match.group(1))
            graph[current] = (f"{match.group(1)}=={match.group(2)}", [])
            continue
        note = line.strip()
        if current is None or not note.startswith("#"):
            continue
        note = note.lstrip("#").strip()
        if note == "via" or note.startswith("via "):
            note = note[3:].strip()
        if note and not note.startswith("-r ") and " " not in note:
            graph[current][1].append(canonical(note))
    return graph


def runtime_roots(pyproject: Path = ROOT / "pyproject.toml") -> set[str]:
    """The package's dependencies (pyproject.toml), without versions or extras, and :data:`BINDER_EXTRAS`."""
    deps = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    return {canonical(re.split(r"[\s\[<>=!~;]", d, maxsplit=1)[0]) for d in deps} | set(BINDER_EXTRAS)


def runtime_pins(lock: Path = ROOT / "requirements.lock", pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """The lock's pins of :func:`runtime_roots` and of every package one of them needs, in lock order."""
    graph = lock_graph(lock)
    needed = runtime_roots(pyproject)
    unpinned = needed - set(graph)
    if unpinned:
        raise SystemExit(f"sync_environment: not pinned in {lock.name}: {', '.join(sorted(unpinned))} (make lock)")
    grew = True
    while grew:
        grew = False
        for name, (_pin, parents) in graph.items():
            if name not in needed and needed.intersection(parents):
                needed.add(name)
                grew = True
    return [pin for name, (pin, _parents) in graph.items() if name in needed]


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
            "# What a reader needs to run the notebooks in JupyterLab, at the lock's versions: pyproject.toml's",
            "# dependencies, jupyterlab and setuptools, and what they depend on (no test, book or development",
            "# tools). Binder installs these pins; binder/postBuild then installs the compendium itself.",
            *pins,
            "",
        ]
    )


def main() -> int:
    (ROOT / "environment.yml").write_text(render(locked_pins()), encoding="utf-8")
    (ROOT / "binder").mkdir(exist_ok=True)
    (ROOT / "binder" / "requirements.txt").write_text(render_binder(runtime_pins()), encoding="utf-8")
    print("wrote environment.yml and binder/requirements.txt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
