"""Packaging and the ``compendium`` command as a user who runs ``pip install .`` meets them.

* pyproject.toml lists every third-party package the code imports (and the few it needs
  without importing them by name);
* a non-editable install, run from inside a compendium folder (or with ``COMPENDIUM_ROOT``),
  finds the notebooks; outside one it says so in one line and exits 2;
* ``compendium --version``; a notebook named by its path; negative numbers in any notation
  are values of ``-p``.
"""

from __future__ import annotations

import ast
import importlib
import os
import pkgutil
import re
import shutil
import subprocess
import sys
import tomllib
import types
from importlib import metadata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from helpers.analyses import rsw_quality_factors as rsw
from helpers.engine import catalog, cli, paths
from helpers.engine.paths import ROOT
from venvs import borrowing_venv

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
DECLARED = {canonicalize_name(Requirement(r).name) for r in PYPROJECT["project"]["dependencies"]}
#: Needed at run time without an ``import`` of that name in src/helpers.
NOT_IMPORTED_BY_NAME = {
    "ipykernel": "the kernel papermill starts for `compendium run`",
    "pyarrow": "pandas' parquet engine, for a sweep's results.parquet",
    "bokeh": "the Dask dashboard of a sweep's cluster",
    "sphinx-mathjax-offline": "MathJax, inlined into a run's page.html",
    "sphinxcontrib-bibtex": "the book's citations, on a run's page.html too",
}


def _third_party_imports() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "src" / "helpers").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n != "helpers"}


def test_pyproject_lists_every_package_the_code_imports():
    owners = metadata.packages_distributions()
    imported = _third_party_imports()
    assert {"dask", "distributed", "tqdm", "papermill", "pandas"} <= imported  # the scan sees the code
    missing = {}
    for name in sorted(imported):
        dists = {canonicalize_name(d) for d in owners.get(name, [])}
        assert dists, f"import {name}: no installed distribution provides it"
        if not dists & DECLARED:
            missing[name] = sorted(dists)
    for dist in NOT_IMPORTED_BY_NAME:
        if dist not in DECLARED:
            missing[dist] = [dist]
    assert not missing, f"imported or needed but not in pyproject's dependencies: {missing}"


def test_every_declared_dependency_is_pinned_in_the_lock():
    pinned = {
        canonicalize_name(line.split("==")[0])
        for line in (ROOT / "requirements.lock").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    }
    assert pinned >= DECLARED, f"declared but not in requirements.lock: {sorted(DECLARED - pinned)}"


# -- finding the compendium folder --------------------------------------------------------------


def test_root_is_found_from_the_variable_then_upward_from_the_working_directory(tmp_path):
    inside = ROOT / "notebooks"
    assert paths.find_root(environ={paths.ROOT_ENV_VAR: str(ROOT)}) == ROOT
    with pytest.raises(paths.CompendiumNotFound, match=r"COMPENDIUM_ROOT=.* is not a compendium folder"):
        paths.find_root(environ={paths.ROOT_ENV_VAR: str(tmp_path)})
    # A copy of the markers anywhere is a compendium folder, found from below it.
    (tmp_path / "notebooks" / "deep").mkdir(parents=True)
    (tmp_path / "data" / "published").mkdir(parents=True)
    (tmp_path / "data" / "published" / "figures.csv").write_text("id\n")
    assert paths.is_compendium(tmp_path) and not paths.is_compendium(tmp_path / "notebooks")
    assert paths.is_compendium(ROOT) and inside.is_dir()


# -- a non-editable install ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """``pip install .`` (not editable) of a copy of the project into a new venv that borrows the
    project environment's packages (no download, no build isolation): about 10 s."""
    base = tmp_path_factory.mktemp("install")
    source = base / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    venv = base / "venv"
    python = borrowing_venv(venv)
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    res = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--no-build-isolation",
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr
    where = subprocess.run(
        [str(python), "-c", "import helpers; print(helpers.__file__)"], capture_output=True, text=True, cwd=base
    ).stdout.strip()
    assert where.startswith(site), f"helpers imported from {where}, not from the install"
    return venv


def _git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True, timeout=120).stdout


def _checkout_copy(dest: Path) -> Path:
    """A git repository holding the files of this checkout that git sees (tracked, or new and not
    ignored), committed: a clone of the working tree as it is."""
    files = _git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    for rel in filter(None, files):
        if (ROOT / rel).is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, dest / rel)
    _git(dest, "init", "-q")
    _git(dest, "add", "-A")
    _git(dest, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "copy")
    return dest


def test_pip_install_from_the_checkout_leaves_git_status_clean_and_the_book_up_to_date(tmp_path):
    """``pip install .`` builds in the checkout (``build/``, ``src/*.egg-info``): git ignores both, and the
    book's up-to-date check (tools/cache_guard.py) reads only the files git sees, so nothing is rebuilt."""
    sys.path.insert(0, str(ROOT / "tools"))
    import cache_guard

    repo = _checkout_copy(tmp_path / "repo")
    before = cache_guard.inputs_digest(repo, cache_guard.BOOK_INPUTS)
    res = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--no-build-isolation"]
        + ["--target", str(tmp_path / "site"), "."],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr
    (repo / "src" / "junk.egg-info").touch()
    assert (repo / "build").is_dir() and list((repo / "src").glob("*.egg-info/PKG-INFO")), "pip built in the checkout"
    assert _git(repo, "status", "--porcelain") == ""
    assert cache_guard.inputs_digest(repo, cache_guard.BOOK_INPUTS) == before
    # The check still sees what matters: a new module not yet added to git, and a changed file.
    (repo / "src" / "helpers" / "new_module.py").write_text("X = 1\n")
    assert cache_guard.inputs_digest(repo, cache_guard.BOOK_INPUTS) != before
    (repo / "src" / "helpers" / "new_module.py").unlink()
    (repo / "book" / "intro.md").write_text((repo / "book" / "intro.md").read_text() + "\n")
    assert cache_guard.inputs_digest(repo, cache_guard.BOOK_INPUTS) != before


def test_outside_git_the_book_check_skips_packaging_build_products(tmp_path):
    sys.path.insert(0, str(ROOT / "tools"))
    import cache_guard

    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "src", tmp_path / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    before = cache_guard.inputs_digest(tmp_path)
    (tmp_path / "src" / "junk.egg-info").touch()
    (tmp_path / "src" / "x.egg-info").mkdir()
    (tmp_path / "src" / "x.egg-info" / "PKG-INFO").write_text("Name: x\n")
    assert cache_guard.inputs_digest(tmp_path) == before
    (tmp_path / "src" / "helpers" / "new_module.py").write_text("X = 1\n")
    assert cache_guard.inputs_digest(tmp_path) != before


def _run(venv, *args, cwd, **env):
    environ = {k: v for k, v in os.environ.items() if k not in (paths.ROOT_ENV_VAR, "COMPENDIUM_RUNS")}
    environ.update(env)
    return subprocess.run(
        [str(venv / "bin" / "compendium"), *args], capture_output=True, text=True, cwd=cwd, env=environ, timeout=600
    )


def test_installed_compendium_finds_the_folder_it_is_run_from(installed):
    res = _run(installed, "list", cwd=ROOT / "notebooks")
    assert res.returncode == 0, res.stderr
    assert sorted(line.split()[0] for line in res.stdout.splitlines()) == catalog.stems()


def test_installed_compendium_outside_a_compendium_folder_says_so(installed, tmp_path):
    res = _run(installed, "list", cwd=tmp_path)
    assert res.returncode == 2 and res.stdout == ""
    assert res.stderr.count("\n") == 1
    assert "not inside a compendium folder" in res.stderr and "COMPENDIUM_ROOT" in res.stderr
    bad = _run(installed, "list", cwd=tmp_path, COMPENDIUM_ROOT=str(tmp_path))
    assert bad.returncode == 2 and f"COMPENDIUM_ROOT='{tmp_path}' is not a compendium folder" in bad.stderr


def test_installed_compendium_runs_a_notebook_from_anywhere_with_the_variable(installed, tmp_path):
    """The kernel papermill starts (the install's own python, in the output folder) finds the
    compendium through the variable the command passes on."""
    out = tmp_path / "run"
    res = _run(
        installed,
        "run",
        "notebooks/kft_care_outcomes.ipynb",
        "--out",
        str(out),
        "--no-progress",
        "--no-cache",
        cwd=ROOT,
        COMPENDIUM_CACHE=str(tmp_path / "cache"),
    )
    assert res.returncode == 0, res.stderr
    assert (out / "results.json").is_file() and (out / "kft_care_outcomes.ipynb").is_file()
    assert not (tmp_path / "cache").exists(), "--no-cache neither reads nor writes the cache"
    version = _run(installed, "--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.strip() == f"compendium {PYPROJECT['project']['version']}"


# -- the command line ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "given_as",
    [
        "kft_care_outcomes",
        "kft_care_outcomes.ipynb",
        "notebooks/kft_care_outcomes.ipynb",
        str(ROOT / "notebooks" / "kft_care_outcomes.ipynb"),
    ],
)
def test_a_notebook_is_named_by_name_or_path(given_as, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert catalog.stem_of(given_as) == "kft_care_outcomes"


def test_a_notebook_path_that_is_not_the_compendiums_own_is_refused(tmp_path, capsys):
    copy = tmp_path / "kft_care_outcomes.ipynb"
    shutil.copy(ROOT / "notebooks" / "kft_care_outcomes.ipynb", copy)
    with pytest.raises(catalog.UnknownNotebook, match="is not the compendium's own kft_care_outcomes"):
        catalog.stem_of(str(copy))
    with pytest.raises(catalog.UnknownNotebook, match=re.escape("unknown notebook 'notebooks/kft_care_outcome.ipynb'")):
        catalog.stem_of("notebooks/kft_care_outcome.ipynb")
    assert cli.main(["params", "notebooks/no_such.ipynb"]) == 2
    assert "unknown notebook 'notebooks/no_such.ipynb'" in capsys.readouterr().err


def test_params_accepts_a_path(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert cli.main(["params", "notebooks/kft_care_outcomes.ipynb", "--format", "json"]) == 0
    by_path = capsys.readouterr().out
    assert cli.main(["params", "kft_care_outcomes", "--format", "json"]) == 0
    assert by_path == capsys.readouterr().out


def test_version(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"compendium {PYPROJECT['project']['version']}"


def _notations(x: float) -> list[str]:
    return [repr(x), f"{x:e}", f"{x:E}", f"{x:g}", f"{x:.3f}".rstrip("0")]


@settings(max_examples=60, deadline=None)
@given(st.floats(min_value=-4.0, max_value=-1e-6, allow_nan=False))
def test_negative_numbers_in_any_notation_are_values(x):
    parser = cli.build_parser()
    for text in _notations(x) + ["-.5", "-3", "-1e-1", "-2E+0", "-1_0"]:
        args = parser.parse_args(["run", "rsw_quality_factors", "-p", "effect_training", text, "--no-cache"])
        assert args.parameters == [["effect_training", text]] and args.no_cache
        if float(text) >= -4:  # within the declared range: parsed as the number written
            assert rsw.PARAMETERS["effect_training"].parse(text) == float(text)


def test_negative_number_out_of_range_is_a_parameter_error_not_a_usage_error(capsys):
    assert cli.main(["run", "rsw_quality_factors", "-p", "effect_training", "-1e1", "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert "parameter 'effect_training' = '-1e1' is not allowed" in err
    assert "expected 2 arguments" not in err


# -- what a light command loads ------------------------------------------------------------------
def _loaded_by(code: str, prefixes: tuple[str, ...]) -> list[str]:
    """The modules whose names start with one of ``prefixes`` that ``code`` leaves loaded, run in a
    fresh interpreter (this process has imported everything already)."""
    report = f"import sys\nprint(sorted(m for m in sys.modules if m.startswith({prefixes!r})))\n"
    res = subprocess.run([sys.executable, "-c", code + report], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert res.returncode == 0, res.stderr
    return ast.literal_eval(res.stdout.strip().splitlines()[-1])


def test_listing_and_describing_the_analyses_loads_no_model_or_plot_library():
    """`compendium list` and `compendium params` read each analysis's title, summary and parameters
    only (its package's __init__ loads the rest on first use: helpers.lazy): no matplotlib, seaborn or
    statsmodels' model API, and no analysis's run()."""
    code = (
        "from helpers.engine import catalog\n"
        "for e in catalog.entries():\n"
        "    e.module.PARAMETERS.rows(), e.title, e.summary\n"
    )
    heavy = ("matplotlib", "seaborn", "statsmodels.api", "statsmodels.formula")
    loaded = _loaded_by(code, (*heavy, "helpers.analyses."))
    assert [m for m in loaded if m.startswith(heavy) or m.endswith(".analysis")] == []


def test_validating_kft_parameters_loads_neither_scipy_stats_nor_statsmodels():
    """The parent process of a KFT run or sweep validates its parameters and names the interval methods
    (helpers.stats.proportions.CI_METHODS) without scipy.stats or statsmodels, which the proportions
    module imports only where it computes: about a second less for each ``compendium run``."""
    code = (
        "from helpers.analyses import kft_care_outcomes as kft\n"
        "kft.PARAMETERS.validate(ci_method='jeffreys', target_home_rate=0.6)\n"
    )
    assert _loaded_by(code, ("scipy.stats", "statsmodels")) == []


@pytest.mark.parametrize("stem", catalog.stems())
def test_every_name_an_analysis_exports_loads_and_an_unknown_one_is_an_attribute_error(stem):
    module = catalog.module_for(stem)
    submodules = {info.name for info in pkgutil.iter_modules(module.__path__)}
    # A submodule named as an exported name would replace it once imported (the import system sets the
    # package's attribute), so which one `pkg.name` gives would depend on what was imported first.
    assert not submodules & set(module.__all__), f"rename the submodule(s) {submodules & set(module.__all__)}"
    for sub in submodules:  # everything imported, in any order: the exported names are still theirs
        importlib.import_module(f"{module.__name__}.{sub}")
    for name in module.__all__:
        assert name in dir(module), name
        assert getattr(module, name) is not None and not isinstance(getattr(module, name), types.ModuleType), name
    assert module.run.__module__ == f"helpers.analyses.{stem}.analysis"
    with pytest.raises(AttributeError, match=f"module 'helpers.analyses.{stem}' has no attribute 'no_such_name'"):
        module.no_such_name  # noqa: B018


def _lazy_declarations(package: types.ModuleType) -> tuple[dict[str, str], dict[str, str]]:
    """What a package's ``__init__`` imports under ``TYPE_CHECKING`` (for mypy and readers) and what it
    hands ``lazy_exports`` (what loads at run time), each as name -> submodule."""
    tree = ast.parse(Path(package.__file__).read_text())
    assigned = {
        t.id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    typed: dict[str, str] = {}
    lazy: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for imp in node.body:
                if isinstance(imp, ast.ImportFrom):
                    sub = imp.module if imp.level else imp.module.removeprefix(f"{package.__name__}.")
                    typed.update({alias.asname or alias.name: sub for alias in imp.names})
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "lazy_exports":
            table = node.args[1]
            lazy = ast.literal_eval(assigned[table.id] if isinstance(table, ast.Name) else table)
    return typed, lazy


@pytest.mark.parametrize("name", [f"helpers.analyses.{stem}" for stem in catalog.stems()] + ["helpers.page"])
def test_a_lazily_loaded_name_is_declared_once_in_each_of_its_three_lists(name):
    """A package names each lazily loaded export three times: the ``lazy_exports`` table (run time), the
    ``TYPE_CHECKING`` imports (types) and ``__all__``. A name added to one and forgotten in another
    would show only when first used."""
    package = importlib.import_module(name)
    typed, lazy = _lazy_declarations(package)
    assert lazy, f"{name} hands lazy_exports no table"
    assert typed == lazy, {
        n: (typed.get(n), lazy.get(n)) for n in set(typed) | set(lazy) if typed.get(n) != lazy.get(n)
    }
    assert set(lazy) <= set(package.__all__), sorted(set(lazy) - set(package.__all__))
