"""Make the compendium yours in one step, and keep its repository address in one setting.

The repository address is ``repository: url:`` in _config.yml: the book's repository, issues and Binder
launch buttons read it there (Jupyter Book). This tool writes it, and everything else that says whose
compendium this is, into the files that say it:

* _config.yml: ``author``, ``repository: url`` and ``repository: branch`` (the branch Binder opens);
* CITATION.cff (GitHub's "Cite this repository"): ``authors``, ``repository-code``, ``url`` (the book on
  GitHub Pages), ``version`` (pyproject.toml's) and ``date-released``;
* LICENSE: the copyright holder;
* .zenodo.json: the metadata Zenodo gives a release's DOI (title, description, creators, licence,
  keywords), written from CITATION.cff.

    python tools/repository.py own https://github.com/NAME/REPO --author "Family, Given" [--author ...]
    python tools/repository.py                 # print the address
    python tools/repository.py set https://github.com/NAME/REPO [--branch BRANCH]   # the address only
    python tools/repository.py check [--url URL]                 # exit 1 on a placeholder or a mismatch

An author is ``"Family, Given"`` (a person) or a name without a comma (an organisation), optionally
followed by ``; orcid=0000-0002-1825-0097`` and ``; affiliation=Your university``. ``own`` writes the
files and commits nothing unless given ``--commit`` (then it commits those files only). The GitHub
Pages workflow runs ``check`` (a book still naming ``OWNER`` is not published: the message names the
command to run) and then ``set`` with the repository it deploys from and its default branch, so that a
fork's book points at the fork.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "_config.yml"
CITATION = ROOT / "CITATION.cff"
LICENSE = ROOT / "LICENSE"
ZENODO = ROOT / ".zenodo.json"
URL = re.compile(r"^https://github\.com/([A-Za-z0-9][A-Za-z0-9-]*)/([A-Za-z0-9._-]+)$")
ORCID = re.compile(r"^(?:https://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$")
BRANCH = re.compile(r"^[A-Za-z0-9._/-]+$")
#: The placeholder account in the template's addresses: a book still naming it is not anyone's yet.
PLACEHOLDER = "github.com/OWNER/"
OWN_COMMAND = 'python tools/repository.py own {url} --author "Family, Given"'


@dataclass(frozen=True)
class Author:
    """A person (``family``, ``given``) or an organisation (``name``), with an optional ORCID iD and affiliation."""

    family: str = ""
    given: str = ""
    name: str = ""
    orcid: str = ""
    affiliation: str = ""

    @property
    def display(self) -> str:
        return self.name or f"{self.given} {self.family}".strip()


def parse_author(text: str) -> Author:
    """``"Family, Given; orcid=...; affiliation=..."`` or ``"Organisation; ..."``; a clear error otherwise."""
    head, *options = [part.strip() for part in text.split(";")]
    fields: dict[str, str] = {}
    for option in options:
        key, sep, value = option.partition("=")
        if not sep or key.strip() not in ("orcid", "affiliation") or not value.strip():
            raise SystemExit(
                f"repository: --author {text!r}: {option!r} is not allowed: expected orcid=... or affiliation=..."
            )
        fields[key.strip()] = value.strip()
    if "orcid" in fields:
        match = ORCID.match(fields["orcid"])
        if not match:
            raise SystemExit(
                f"repository: --author {text!r}: orcid {fields['orcid']!r} is not an ORCID iD (0000-0002-1825-0097)"
            )
        fields["orcid"] = match.group(1)
    family, comma, given = (part.strip() for part in head.partition(","))
    if not family or (comma and not given):
        raise SystemExit(
            f'repository: --author {text!r} is not allowed: expected "Family, Given" or an organisation\'s name'
        )
    if comma:
        return Author(family=family, given=given, **fields)
    return Author(name=family, **fields)


def names(authors: list[Author]) -> str:
    """``"Ada Lovelace"``, ``"Ada Lovelace and Grace Hopper"``, ``"A, B and C"``."""
    shown = [a.display for a in authors]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def pages_url(url: str) -> str:
    """Where GitHub Pages publishes the repository at ``url`` (a project site, or a user's own site)."""
    match = URL.match(url)
    if not match:
        raise SystemExit(f"repository: {url!r} is not allowed: expected https://github.com/NAME/REPO")
    owner, repo = match.group(1).lower(), match.group(2)
    return (
        f"https://{owner}.github.io/" if repo.lower() == f"{owner}.github.io" else f"https://{owner}.github.io/{repo}/"
    )


# -- reading ------------------------------------------------------------------------------------


def configured(root: Path = ROOT) -> str:
    """The repository address in _config.yml."""
    return str(yaml.safe_load((root / CONFIG.name).read_text(encoding="utf-8"))["repository"]["url"])


def citation(root: Path = ROOT) -> dict:
    return yaml.safe_load((root / CITATION.name).read_text(encoding="utf-8"))


def cited(root: Path = ROOT) -> str | None:
    return citation(root).get("repository-code")


def package_version(root: Path = ROOT) -> str:
    return str(tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"])


# -- writing ------------------------------------------------------------------------------------


def _replace(path: Path, pattern: str, text: str) -> None:
    """Replace the one match of ``pattern`` (multi-line mode) in ``path`` with ``text``."""
    old = path.read_text(encoding="utf-8")
    new, n = re.subn(pattern, lambda _m: text, old, count=1, flags=re.M)
    if n != 1:
        raise SystemExit(f"repository: no line matching {pattern!r} in {path}")
    path.write_text(new, encoding="utf-8")


def _q(value: str) -> str:
    """A YAML scalar in double quotes (a JSON string is one)."""
    return json.dumps(value, ensure_ascii=False)


def set_url(url: str, root: Path = ROOT, branch: str | None = None) -> None:
    """Write ``url`` into _config.yml (``repository: url:``) and CITATION.cff (``repository-code``, and ``url``:
    where GitHub Pages publishes the book); with ``branch``, the branch Binder opens (``repository: branch:``)."""
    url = url.rstrip("/").removesuffix(".git")
    if not URL.match(url):
        raise SystemExit(f"repository: {url!r} is not allowed: expected https://github.com/NAME/REPO")
    _replace(root / CONFIG.name, r"^(repository:\n  url:) .*$", f"repository:\n  url: {url}")
    if branch:
        if not BRANCH.match(branch):
            raise SystemExit(f"repository: --branch {branch!r} is not allowed: expected a branch name")
        _replace(root / CONFIG.name, r"^  branch: .*$", f"  branch: {branch}")
    _replace(root / CITATION.name, r"^repository-code: .*$", f"repository-code: {_q(url)}")
    _replace(root / CITATION.name, r"^url: .*$", f"url: {_q(pages_url(url))}")


def _cff_authors(authors: list[Author]) -> str:
    lines = ["authors:"]
    for a in authors:
        first = f"name: {_q(a.name)}" if a.name else f"family-names: {_q(a.family)}\n    given-names: {_q(a.given)}"
        lines.append(f"  - {first}")
        if a.orcid:
            lines.append(f"    orcid: {_q('https://orcid.org/' + a.orcid)}")
        if a.affiliation:
            lines.append(f"    affiliation: {_q(a.affiliation)}")
    return "\n".join(lines) + "\n"


def zenodo_metadata(root: Path = ROOT) -> dict:
    """.zenodo.json's content, from CITATION.cff: what Zenodo records for a release (and its DOI)."""
    cff = citation(root)
    creators = []
    for a in cff["authors"]:
        creator = {"name": a.get("name") or f"{a['family-names']}, {a['given-names']}"}
        if a.get("affiliation"):
            creator["affiliation"] = a["affiliation"]
        if a.get("orcid"):
            creator["orcid"] = a["orcid"].removeprefix("https://orcid.org/")
        creators.append(creator)
    return {
        "title": cff["title"],
        "description": " ".join(cff["abstract"].split()),
        "upload_type": "software",
        "creators": creators,
        "license": cff["license"][0] if isinstance(cff["license"], list) else cff["license"],
        "keywords": cff.get("keywords", []),
        "access_right": "open",
    }


def write_zenodo(root: Path = ROOT) -> None:
    text = json.dumps(zenodo_metadata(root), indent=2, ensure_ascii=False) + "\n"
    (root / ZENODO.name).write_text(text, encoding="utf-8")


def default_branch(root: Path = ROOT) -> str | None:
    """The remote's default branch (``origin/HEAD``), else the branch checked out; None outside git."""
    for args in (["symbolic-ref", "--short", "refs/remotes/origin/HEAD"], ["branch", "--show-current"]):
        res = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
        if res.returncode == 0 and res.stdout.strip():
            return res.stdout.strip().removeprefix("origin/")
    return None


def own(url: str, authors: list[Author], root: Path = ROOT, **options: str | None) -> list[Path]:
    """Write ``url``, the authors and the citation metadata into every file that names them; returns the
    files written. ``options``: ``holder`` (LICENSE; the authors' names unless given), ``branch`` (the
    branch Binder opens; the repository's default unless given) and ``date`` (date-released; today)."""
    if not authors:
        raise SystemExit('repository: own needs at least one --author "Family, Given"')
    holder = options.get("holder") or names(authors)
    date = options.get("date") or datetime.date.today().isoformat()
    try:
        datetime.date.fromisoformat(date)
    except ValueError:
        raise SystemExit(f"repository: --date {date!r} is not allowed: expected YYYY-MM-DD") from None
    set_url(url, root, branch=options.get("branch") or default_branch(root))
    _replace(root / CONFIG.name, r"^author: .*$", f"author: {_q(names(authors))}")
    _replace(root / CITATION.name, r"^authors:\n(?:[ \t]+.*\n)+", _cff_authors(authors))
    _replace(root / CITATION.name, r"^version: .*$", f"version: {_q(package_version(root))}")
    _replace(root / CITATION.name, r"^date-released: .*$", f"date-released: {_q(date)}")
    year = re.search(r"^Copyright \(c\) (\d{4}) ", (root / LICENSE.name).read_text(encoding="utf-8"), flags=re.M)
    _replace(
        root / LICENSE.name, r"^Copyright \(c\) .*$", f"Copyright (c) {year.group(1) if year else date[:4]} {holder}"
    )
    write_zenodo(root)
    return [root / CONFIG.name, root / CITATION.name, root / LICENSE.name, root / ZENODO.name]


# -- checking -----------------------------------------------------------------------------------


def problems(root: Path = ROOT, url: str | None = None) -> list[str]:
    """What stops the compendium from being published as its owner's: a placeholder address left in a
    file, CITATION.cff and _config.yml naming different repositories, .zenodo.json or CITATION.cff's
    version out of step. Each problem names the command that fixes it."""
    fix = OWN_COMMAND.format(url=url or "https://github.com/NAME/REPO")
    found = []
    holding = [
        p.name for p in (root / CONFIG.name, root / CITATION.name, root / ZENODO.name) if PLACEHOLDER in _text(p)
    ]
    if holding:
        found.append(
            f"{', '.join(holding)} still name the placeholder repository https://{PLACEHOLDER}...: make the "
            f"compendium yours with `{fix}` (one --author each), then commit the files it writes"
        )
    if cited(root) != configured(root):
        found.append(
            f"CITATION.cff says {cited(root)!r}, _config.yml says {configured(root)!r}: "
            f"run `python tools/repository.py set {configured(root)}`"
        )
    if _text(root / ZENODO.name) != json.dumps(zenodo_metadata(root), indent=2, ensure_ascii=False) + "\n":
        found.append(".zenodo.json is not what CITATION.cff gives: run `python tools/repository.py zenodo`")
    if str(citation(root).get("version")) != package_version(root):
        found.append(f"CITATION.cff's version is not pyproject.toml's {package_version(root)!r}: run `{fix}`")
    return found


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.exists() else ""


def commit(paths: list[Path], root: Path = ROOT) -> None:
    """Commit ``paths`` (and nothing else the index holds)."""
    rel = [str(p.relative_to(root)) for p in paths]
    subprocess.run(["git", "add", "--", *rel], cwd=root, check=True)
    message = "Make the compendium ours: repository, authors, licence holder and citation metadata"
    subprocess.run(["git", "commit", "--quiet", "-m", message, "--only", "--", *rel], cwd=root, check=True)


# -- the command --------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python tools/repository.py", description=__doc__.splitlines()[0], epilog="See the module's docstring."
    )
    sub = parser.add_subparsers(dest="command")
    p_own = sub.add_parser("own", help="write the address, authors, licence holder and citation metadata")
    p_own.add_argument("url", help="https://github.com/NAME/REPO")
    p_own.add_argument(
        "--author", action="append", default=[], metavar='"Family, Given[; orcid=...][; affiliation=...]"'
    )
    p_own.add_argument("--holder", help="the copyright holder in LICENSE (default: the authors)")
    p_own.add_argument("--branch", help="the branch Binder opens (default: the repository's default branch)")
    p_own.add_argument("--date", help="CITATION.cff's date-released, YYYY-MM-DD (default: today)")
    p_own.add_argument("--commit", action="store_true", help="commit the files written (nothing else)")
    p_set = sub.add_parser("set", help="write the repository address only")
    p_set.add_argument("url")
    p_set.add_argument("--branch")
    p_check = sub.add_parser("check", help="exit 1 if a placeholder is left or the files disagree")
    p_check.add_argument("--url", help="the repository's address, for the command the message suggests")
    sub.add_parser("zenodo", help="write .zenodo.json from CITATION.cff")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        print(configured())
    elif args.command == "own":
        written = own(
            args.url, [parse_author(a) for a in args.author], holder=args.holder, branch=args.branch, date=args.date
        )
        for line in problems():
            print(f"repository: {line}", file=sys.stderr)
        if args.commit:
            commit(written)
        shown = " ".join(str(p.relative_to(ROOT)) for p in written)
        done = "committed" if args.commit else f"review them with `git diff`, then commit: git commit -- {shown}"
        print(f"wrote {shown}: the compendium is {names([parse_author(a) for a in args.author])}'s; {done}")
    elif args.command == "set":
        set_url(args.url, branch=args.branch)
        print(f"repository: {configured()} (in {CONFIG.name} and {CITATION.name})")
    elif args.command == "zenodo":
        write_zenodo()
        print(f"wrote {ZENODO.name} from {CITATION.name}")
    else:
        found = problems(url=args.url)
        for line in found:
            print(f"repository: {line}", file=sys.stderr)
        return 1 if found else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
