"""What a run records for an input reached through a symbolic link (book/reproduce.md, "Files reached
through a symbolic link"): the path as given, made absolute, links kept; and the content's digest, read
through the link. And the test helpers that find the files the project does not commit
(``tests/shared_files.py``) through the repository's ``../shared`` or a variable only."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import shared_files
from cli_runner import run_cli
from helpers.analyses import frontline_visits as fv
from helpers.engine import cache
from helpers.engine.paths import sha256_file

HEADER = "case_id,worker_id,training_route,months_open,visits"


def _records(folder: Path) -> Path:
    rows = [f"f{i},fw{i % 3},frontline,6,{8 + i % 7}" for i in range(12)]
    rows += [f"o{i},ow{i % 3},other,6,{6 + i % 5}" for i in range(12)]
    path = folder / "cases.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n")
    return path


@pytest.fixture
def linked(tmp_path):
    """A records file in one folder, and a symbolic link to its folder elsewhere (as ../shared may be)."""
    real = tmp_path / "real"
    real.mkdir()
    target = _records(real)
    (tmp_path / "linked").symlink_to(real, target_is_directory=True)
    return target, tmp_path / "linked" / "cases.csv"


def test_a_run_records_the_path_given_and_the_content_read_through_it(linked):
    target, link = linked
    params = fv.PARAMETERS.validate({"data_path": str(link)})
    assert params["data_path"] == str(link) != str(link.resolve())  # the name given, not the target's
    result = fv.run(params)
    assert result.inputs[str(link)] == sha256_file(target)  # the digest of what was read, through the link
    assert str(target) not in result.inputs
    files = cache.input_files(fv.PARAMETERS, params)
    assert files == {str(link): sha256_file(target)}


def test_a_relative_path_through_a_link_is_made_absolute_not_resolved(linked, monkeypatch):
    _, link = linked
    monkeypatch.chdir(link.parent.parent)
    params = fv.PARAMETERS.validate({"data_path": "linked/cases.csv"})
    assert params["data_path"] == str(link)


def test_compendium_run_writes_the_path_given_into_params_json(linked, tmp_path, runs_tmp):
    _, link = linked
    out = tmp_path / "run"
    res = run_cli(["run", "frontline_visits", "-p", "data_path", str(link), "--out", str(out), "--no-progress"])
    assert res.returncode == 0, res.stderr
    assert json.loads((out / "params.json").read_text())["data_path"] == str(link)


def test_a_link_that_points_elsewhere_makes_the_cached_run_stale(linked, tmp_path):
    _, link = linked
    store = cache.RunCache(tmp_path / "c")
    params = dict(fv.PARAMETERS.validate({"data_path": str(link)}))
    store.store(
        "frontline_visits", "k" * 64, params, {"x": 1.0}, how="test", inputs=cache.input_files(fv.PARAMETERS, params)
    )
    assert store.lookup("frontline_visits", "k" * 64) is not None
    other = tmp_path / "other"
    other.mkdir()
    _records(other).write_text(_records(other).read_text().replace("o0,ow0,other,6,6", "o0,ow0,other,6,7"))
    (tmp_path / "linked").unlink()
    (tmp_path / "linked").symlink_to(other, target_is_directory=True)
    entry, problem = store.check("frontline_visits", "k" * 64)
    assert entry is None and problem.startswith("stale: its input file") and str(link) in problem


# ---------------------------------------------------------------- tests/shared_files.py
def test_the_shared_files_are_looked_for_beside_the_repository_or_where_a_variable_says():
    from helpers.engine.paths import ROOT

    assert ROOT.parent / "shared" == shared_files.SHARED
    source = Path(shared_files.__file__).read_text()
    assert "/work/" not in source  # no fixed folder of one machine


@pytest.mark.parametrize(
    "finder, variable",
    [(shared_files.dfe_dir, "COMPENDIUM_DFE_DIR"), (shared_files.sources_dir, "COMPENDIUM_SOURCES_DIR")],
)
def test_a_missing_folder_skips_saying_where_it_looked(tmp_path, monkeypatch, finder, variable):
    monkeypatch.setenv(variable, str(tmp_path / "nowhere"))
    with pytest.raises(pytest.skip.Exception) as skipped:
        finder()
    assert str(tmp_path / "nowhere") in str(skipped.value) and variable in str(skipped.value)


def test_the_folders_are_found_through_a_symbolic_link(tmp_path, monkeypatch):
    real = tmp_path / "real"
    (real / "dfe").mkdir(parents=True)
    for name in shared_files.DFE_FILES:
        (real / "dfe" / name).write_text("x\n")
    (real / "seeds").mkdir()
    (real / "seeds" / "002_abc.txt").write_text("the words\n")
    (tmp_path / "shared").symlink_to(real, target_is_directory=True)
    monkeypatch.setenv("COMPENDIUM_DFE_DIR", str(tmp_path / "shared" / "dfe"))
    monkeypatch.setenv("COMPENDIUM_SOURCES_DIR", str(tmp_path / "shared" / "seeds"))
    assert shared_files.dfe_dir() == tmp_path / "shared" / "dfe"
    assert shared_files.source_text(2) == "the words\n"
    assert sys.modules["shared_files"] is shared_files
