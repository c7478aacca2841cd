"""The compendium's repository address: one setting, ``repository: url:`` in _config.yml.

The book's repository, issues and Binder launch buttons read it there (Jupyter Book);
CITATION.cff's ``repository-code`` is written from it by this tool, and
tests/test_publishing.py fails when the two disagree.

    python tools/repository.py                 # print the address
    python tools/repository.py set https://github.com/OWNER/NAME
    python tools/repository.py check           # exit 1 if CITATION.cff disagrees

The GitHub Pages workflow runs ``set`` with the repository it deploys from before it
builds the book (without committing), so a fork's book points at the fork.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "_config.yml"
CITATION = ROOT / "CITATION.cff"
URL = re.compile(r"^https://github\.com/[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$")


def configured(root: Path = ROOT) -> str:
    """The repository address in _config.yml."""
    return str(yaml.safe_load((root / CONFIG.name).read_text(encoding="utf-8"))["repository"]["url"])


def cited(root: Path = ROOT) -> str | None:
    return yaml.safe_load((root / CITATION.name).read_text(encoding="utf-8")).get("repository-code")


def _replace(path: Path, pattern: str, line: str) -> None:
    text = path.read_text(encoding="utf-8")
    new, n = re.subn(pattern, line, text, count=1, flags=re.M)
    if n != 1:
        raise SystemExit(f"repository: no line matching {pattern!r} in {path}")
    path.write_text(new, encoding="utf-8")


def set_url(url: str, root: Path = ROOT) -> None:
    """Write ``url`` into _config.yml (``repository: url:``) and CITATION.cff (``repository-code``)."""
    url = url.rstrip("/").removesuffix(".git")
    if not URL.match(url):
        raise SystemExit(f"repository: {url!r} is not allowed: expected https://github.com/OWNER/NAME")
    _replace(root / CONFIG.name, r"^(repository:\n  url:) .*$", rf"\g<1> {url}")
    _replace(root / CITATION.name, r"^repository-code: .*$", f'repository-code: "{url}"')


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print(configured())
        return 0
    if args[0] == "set" and len(args) == 2:
        set_url(args[1])
        print(f"repository: {configured()} (in {CONFIG.name} and {CITATION.name})")
        return 0
    if args == ["check"]:
        if cited() != configured():
            print(
                f"repository: CITATION.cff says {cited()!r}, _config.yml says {configured()!r}: "
                f"run python tools/repository.py set {configured()}",
                file=sys.stderr,
            )
            return 1
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
