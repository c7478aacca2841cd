"""The ``compendium`` command, used as a researcher would use it."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from cli_runner import run_cli
from helpers.analyses import kft_care_outcomes as kft
from helpers.engine.paths import NOTEBOOKS
from helpers.outputs import values

COMPENDIUM = str(Path(sys.executable).parent / "compendium")
#: ``compendium run`` of the KFT notebook at a target home rate (the value follows).
RUN_KFT_AT = ["run", "kft_care_outcomes", "--no-progress", "-p", "target_home_rate"]


def cli(*args, env_runs=None, cwd=None, inprocess=False):
    """``compendium ARGS`` as a user runs it (the installed script, in a subprocess), or, with
    ``inprocess``, ``helpers.engine.cli.main`` in this process (tests/cli_runner.py): for what it
    prints or refuses, and for the run cache's bookkeeping around a run."""
    import os

    env = dict(os.environ)
    if env_runs is not None:
        env["COMPENDIUM_RUNS"] = str(env_runs)
    if inprocess:
        return run_cli(list(args), env=env, cwd=cwd)
    return subprocess.run([COMPENDIUM, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=600)


def _hash(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_list_names_every_notebook():
    out = cli("list")
    assert out.returncode == 0
    lines = out.stdout.strip().splitlines()
    assert sorted(line.split()[0] for line in lines) == sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))


def test_params_shows_type_default_range_and_description():
    out = cli("params", "kft_care_outcomes", inprocess=True)
    assert out.returncode == 0
    assert "target_home_rate: float = 0.5  (a number in (0, 1))" in out.stdout
    assert "ci_method: str = 'wilson'  (one of wilson, clopper-pearson, jeffreys)" in out.stdout
    for name in kft.PARAMETERS.names:
        assert f"\n{name}: " in "\n" + out.stdout
    rows = json.loads(cli("params", "kft_care_outcomes", "--format", "json", inprocess=True).stdout)
    assert [r["name"] for r in rows] == list(kft.PARAMETERS.names)


def test_run_writes_notebook_params_and_results_that_follow_from_the_parameters(tmp_path):
    """One run with a parameter file, ``-p`` values (one overriding the file) and the default output
    folder (a new one under runs/): what it writes follows from exactly those parameters."""
    committed = _hash(NOTEBOOKS / "kft_care_outcomes.ipynb")
    (tmp_path / "p.yaml").write_text("ci_method: jeffreys\nci_level: 0.9\npsa_draws: 500\n")
    runs = tmp_path / "runs"
    res = cli(
        "run",
        "kft_care_outcomes",
        "-f",
        str(tmp_path / "p.yaml"),
        "-p",
        "ci_level",
        "0.8",
        "-p",
        "target_home_rate",
        "0.6",
        "--no-progress",
        env_runs=runs,
    )
    assert res.returncode == 0, res.stderr
    assert "without encryption" not in res.stderr, "the kernel's transport notice is not for users"
    [out_dir] = list((runs / "kft_care_outcomes").iterdir())
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "kft_care_outcomes.ipynb",
        "page.html",
        "params.json",
        "results.json",
    ]
    params = json.loads((out_dir / "params.json").read_text())
    document = json.loads((out_dir / "results.json").read_text())
    results = values(document)
    # Each value with its description and unit (helpers.outputs), as a program reads them.
    assert document["notebook"] == "kft_care_outcomes" and document["format"] == "compendium-results/1"
    assert document["results"]["home_rate"]["unit"] == "proportion (0 to 1)"
    assert document["results"]["net_saving_base"]["unit"] == "GBP"
    assert all(entry["description"] and entry["unit"] for entry in document["results"].values())
    assert params == kft.PARAMETERS.validate(ci_method="jeffreys", ci_level=0.8, psa_draws=500, target_home_rate=0.6)
    # Every value equals the in-process analysis with the same parameters ...
    assert results == kft.run(params).scalars
    assert results["ci_method_label"] == "Jeffreys"
    # ... and differs from the default run where the target matters.
    default = kft.run({}).scalars
    assert results["target_home_rate"] == 0.6
    assert results["p_value_vs_target"] > default["p_value_vs_target"]
    assert results["min_home_for_target"] > default["min_home_for_target"]
    assert results["n_at_home"] == default["n_at_home"]
    assert _hash(NOTEBOOKS / "kft_care_outcomes.ipynb") == committed, "a run must not write the committed notebook"
    # The run's page: the banner names every parameter changed, with the published and the run's value.
    assert f"page:              {out_dir / 'page.html'}" in res.stdout
    banner = " ".join(_banner_text(out_dir / "page.html").split())
    for name, old, new in [
        ("target_home_rate", "0.5", "0.6"),
        ("ci_level", "0.95", "0.8"),
        ("ci_method", "wilson", "jeffreys"),
        ("psa_draws", "10000", "500"),
    ]:
        assert f"{name} : {old} on the published page → {new} in this run" in banner
    assert "differs from the published page in 4 ways" in banner


def _banner_text(page):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return soup.select_one(".compendium-run-banner").get_text(" ")


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["-p", "target_home_rate", "1.5"],
            "parameter 'target_home_rate' = '1.5' is not allowed: expected a number in (0, 1)",
        ),
        (
            ["-p", "n_referred", "many"],
            "parameter 'n_referred' = 'many' is not allowed: expected an integer in [1, 1000000]",
        ),
        (
            ["-p", "ci_method", "wald"],
            "parameter 'ci_method' = 'wald' is not allowed: expected one of wilson, clopper-pearson, jeffreys",
        ),
        (
            ["-p", "target_hom_rate", "0.6"],
            "unknown parameter 'target_hom_rate' (did you mean 'target_home_rate'?): expected one of n_referred, ",
        ),
        (["-p", "xyz", "0.6"], "unknown parameter 'xyz': expected one of n_referred, n_entered_care"),
        (["-p", "n_entered_care", "200"], "parameter 'n_entered_care' = 200 is not allowed with n_referred = 119"),
    ],
)
def test_bad_parameters_fail_clearly_before_anything_runs(tmp_path, args, message):
    runs = tmp_path / "runs"
    res = cli("run", "kft_care_outcomes", *args, env_runs=runs, inprocess=True)
    assert res.returncode == 2
    assert message in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert not runs.exists(), "nothing may be written for a refused run"


def test_bad_parameter_file_fails_clearly(tmp_path):
    (tmp_path / "p.yaml").write_text("- just\n- a list\n")
    res = cli("run", "kft_care_outcomes", "-f", str(tmp_path / "p.yaml"), env_runs=tmp_path / "runs", inprocess=True)
    assert res.returncode == 2 and "must hold a mapping" in res.stderr


def test_a_parameter_file_naming_a_parameter_twice_is_refused(tmp_path):
    from helpers.engine.runner import load_param_file
    from helpers.params import ParameterError

    path = tmp_path / "p.yaml"
    path.write_text("target_home_rate: 0.6\nseed: 3\ntarget_home_rate: 0.7\n")
    with pytest.raises(ParameterError) as err:
        load_param_file(path)
    assert str(err.value) == (
        f"parameter file {str(path)!r} is not valid YAML: 'target_home_rate' is given twice (lines 1 and 3); "
        "give each once (line 3, column 1)"
    )
    path.write_text("target_home_rate: [0.6\nseed: 3\n")
    with pytest.raises(ParameterError, match=r"is not valid YAML: .*\(line 2, column 5\)$") as err:
        load_param_file(path)
    assert "\n" not in str(err.value)
    path.write_text("target_home_rate: 0.6\nseed: 3\ntarget_home_rate: 0.7\n")
    res = cli("run", "kft_care_outcomes", "-f", str(path), env_runs=tmp_path / "runs", inprocess=True)
    assert res.returncode == 2 and "'target_home_rate' is given twice" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1 and not (tmp_path / "runs").exists()


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "0", "-1", "1e999"])
def test_sweep_timeout_must_be_a_finite_number_above_zero(value, capsys):
    from helpers.engine.cli import build_parser

    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["sweep", "kft_care_outcomes", "--grid", "g.yaml", f"--timeout={value}"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert f"argument --timeout: {value!r} is not allowed: expected a finite number of seconds > 0" in err
    args = build_parser().parse_args(["sweep", "kft_care_outcomes", "--grid", "g.yaml", "--timeout", "2.5"])
    assert args.timeout == 2.5


def test_unknown_notebook_and_protected_output_folder():
    res = cli("run", "no_such_notebook", inprocess=True)
    assert res.returncode == 2 and "unknown notebook 'no_such_notebook'" in res.stderr
    res = cli("run", "kft_care_outcomes", "--out", str(NOTEBOOKS / "out"), inprocess=True)
    assert res.returncode == 2 and "holds the compendium's committed files" in res.stderr
    assert not (NOTEBOOKS / "out").exists()


def test_non_empty_output_folder_is_refused(tmp_path):
    (tmp_path / "old.txt").write_text("keep me")
    res = cli("run", "kft_care_outcomes", "--out", str(tmp_path), inprocess=True)
    assert res.returncode == 2 and "not an empty folder" in res.stderr
    assert (tmp_path / "old.txt").read_text() == "keep me"


def test_a_folder_under_an_unknown_users_home_is_refused_by_name(tmp_path):
    """``~nosuchuser/x`` (quoted, so no shell expanded it) is refused, naming --out or the variable,
    instead of becoming a folder literally named ``~nosuchuser`` in the current folder."""
    res = cli("run", "kft_care_outcomes", "--out", "~no_such_user_zq/run", cwd=tmp_path, inprocess=True)
    assert res.returncode == 2, res.stderr
    assert "--out '~no_such_user_zq/run': there is no home folder ~no_such_user_zq" in res.stderr
    res = cli("run", "kft_care_outcomes", env_runs="~no_such_user_zq/runs", cwd=tmp_path, inprocess=True)
    assert res.returncode == 2, res.stderr
    assert "COMPENDIUM_RUNS = '~no_such_user_zq/runs' is not usable: there is no home folder" in res.stderr
    assert list(tmp_path.iterdir()) == [], "nothing is made in the current folder"


def test_help_describes_the_commands():
    out = cli("--help", inprocess=True).stdout
    for word in ("list", "params", "run", "runs/"):
        assert word in out
    run_help = cli("run", "--help", inprocess=True).stdout
    assert "-p NAME VALUE" in run_help and "--out DIR" in run_help and "-f FILE" in run_help


def test_a_sweeps_cached_results_that_differ_from_the_notebooks_are_replaced_by_them(tmp_path):
    from helpers.engine import cache

    params = kft.PARAMETERS.validate(target_home_rate=0.62)
    key = cache.run_key("kft_care_outcomes", params)
    store = cache.RunCache()
    store.store("kft_care_outcomes", key, params, {**kft.run(params).scalars, "not_glued": 1}, how="in-process")
    out_dir = tmp_path / "run"
    res = cli(*RUN_KFT_AT, "0.62", "--no-page", "--out", str(out_dir), inprocess=True)
    assert res.returncode == 0, res.stderr
    assert "the cached in-process results of this run differ from the executed notebook's; replaced them" in res.stderr
    entry = store.lookup("kft_care_outcomes", key)
    assert entry.meta["how"] == "papermill" and entry.notebook is not None
    assert entry.results == values(json.loads((out_dir / "results.json").read_text()))
    assert "not_glued" not in entry.results


def test_a_damaged_cached_notebook_is_recomputed_never_served(tmp_path):
    from helpers.engine import cache

    params = kft.PARAMETERS.validate(target_home_rate=0.61)
    key = cache.run_key("kft_care_outcomes", params)
    bad = tmp_path / "bad.ipynb"
    bad.write_text('{"cells": [' + " " * 990)  # a truncated notebook, as the fuzz found
    store = cache.RunCache()
    entry = store.store("kft_care_outcomes", key, params, kft.run(params).scalars, how="papermill", notebook=bad)
    (entry.path / "kft_care_outcomes.ipynb").write_bytes(bad.read_bytes()[:500])  # damaged after it was stored
    res = cli(*RUN_KFT_AT, "0.61", "--no-page", "--out", str(tmp_path / "run"), inprocess=True)
    assert res.returncode == 0, res.stderr
    assert (
        "was damaged: kft_care_outcomes.ipynb does not match its checksum; removed it and computing afresh"
        in res.stderr
    )
    assert "served from the cache" not in res.stdout
    import nbformat

    nbformat.read(tmp_path / "run" / "kft_care_outcomes.ipynb", as_version=4)  # a whole notebook
    assert store.check("kft_care_outcomes", key)[1] is None  # stored afresh, whole
