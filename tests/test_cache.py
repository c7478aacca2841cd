"""The run cache: what a key depends on, whole entries only, info and clear."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from helpers.analyses import kft_care_outcomes as kft
from helpers.engine import cache, files
from helpers.engine.paths import DATA, LOCK_FILE, NOTEBOOKS, ROOT
from helpers.params import Param, ParamSpec

STEM = "kft_care_outcomes"
COMPENDIUM = str(Path(sys.executable).parent / "compendium")


@pytest.fixture
def copies(tmp_path, monkeypatch):
    """The files a key depends on, copied so that a test may change them."""
    (tmp_path / "notebooks").mkdir()
    shutil.copy(NOTEBOOKS / f"{STEM}.ipynb", tmp_path / "notebooks")
    shutil.copy(LOCK_FILE, tmp_path / "requirements.lock")
    shutil.copytree(DATA, tmp_path / "data")
    shutil.copytree(ROOT / "src" / "helpers", tmp_path / "helpers", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "NOTEBOOKS", tmp_path / "notebooks")
    monkeypatch.setattr(cache, "LOCK_FILE", tmp_path / "requirements.lock")
    monkeypatch.setattr(cache, "DATA", tmp_path / "data")
    monkeypatch.setattr(cache, "HELPERS_DIR", tmp_path / "helpers")
    return tmp_path


def _append(path: Path, text: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)


def test_the_key_depends_on_notebook_params_data_code_and_lock(copies):
    params = kft.PARAMETERS.validate()
    base = cache.run_key(STEM, params)
    assert cache.run_key(STEM, dict(params)) == base, "the same inputs give the same key"
    assert cache.run_key(STEM, kft.PARAMETERS.validate(seed=1)) != base
    assert cache.run_key(STEM, kft.PARAMETERS.validate(target_home_rate=0.6)) != base
    seen = {base}
    for path in (
        copies / "notebooks" / f"{STEM}.ipynb",
        copies / "requirements.lock",
        copies / "data" / "published" / "figures.csv",
        copies / "helpers" / "stats.py",
    ):
        _append(path, "\n")
        key = cache.run_key(STEM, params)
        assert key not in seen, f"changing {path.name} must change the key"
        seen.add(key)
    (copies / "helpers" / "new_module.py").write_text("X = 1\n")
    assert cache.run_key(STEM, params) not in seen, "a new helpers module changes the key"


def test_the_key_depends_on_every_file_under_data(copies):
    # Committed data other than the registry (e.g. the self-audit's items) is read by notebooks too:
    # changing, adding or removing any file under data/ makes every key new.
    params = kft.PARAMETERS.validate()
    seen = {cache.run_key(STEM, params)}
    _append(copies / "data" / "innovation_audit" / "items.csv", "\n")
    seen.add(cache.run_key(STEM, params))
    (copies / "data" / "new.csv").write_text("a\n1\n")
    seen.add(cache.run_key(STEM, params))
    (copies / "data" / "innovation_audit" / "themes.csv").unlink()
    seen.add(cache.run_key(STEM, params))
    assert len(seen) == 4
    assert cache.environment(STEM)["data"] == cache.path_digest(copies / "data")


def test_a_shipped_default_file_is_hashed_whatever_the_current_folder(tmp_path, monkeypatch):
    from helpers.analyses import innovation_self_audit as audit

    stem = "innovation_self_audit"
    param = audit.PARAMETERS["answers_path"]
    params = audit.PARAMETERS.validate()
    assert params["answers_path"] == param.default and not Path(param.default).is_absolute()
    here = cache.key_components(stem, params, audit.PARAMETERS)["data"]
    assert here == {"answers_path": cache.path_digest(param.shipped())}
    monkeypatch.chdir(tmp_path)  # the default's relative path names nothing here
    assert cache.key_components(stem, params, audit.PARAMETERS)["data"] == here
    # The same relative path naming a file of the user's own here: that file is what is read and hashed.
    own = tmp_path / param.default
    own.parent.mkdir(parents=True)
    own.write_text("service: mine\n")
    assert cache.key_components(stem, params, audit.PARAMETERS)["data"] == {"answers_path": cache.path_digest(own)}


def test_the_key_depends_on_the_content_of_path_parameters_not_their_dates(tmp_path):
    spec = ParamSpec((Param("data_path", str, "", "records", is_path=True), Param("k", int, 1, "k")))
    data = tmp_path / "records.csv"
    data.write_text("a,b\n1,2\n")
    params = spec.validate(data_path=str(data))
    first = cache.run_key(STEM, params, spec)
    os.utime(data, (1, 1))
    assert cache.run_key(STEM, params, spec) == first
    data.write_text("a,b\n1,3\n")
    assert cache.run_key(STEM, params, spec) != first
    # a folder of data files: every file's content counts
    folder = tmp_path / "dfe"
    folder.mkdir()
    (folder / "one.csv").write_text("x\n1\n")
    spec2 = ParamSpec((Param("data_dir", str, "", "folder", is_path=True),))
    values = {"data_dir": str(folder)}
    k1 = cache.run_key(STEM, values, spec2)
    (folder / "two.csv").write_text("y\n2\n")
    k2 = cache.run_key(STEM, values, spec2)
    (folder / "two.csv").write_text("y\n3\n")
    assert len({k1, k2, cache.run_key(STEM, values, spec2)}) == 3


def test_store_and_lookup_round_trip(tmp_path):
    store = cache.RunCache(tmp_path / "c")
    params = kft.PARAMETERS.validate(seed=5)
    result = kft.run(params)
    key = cache.run_key(STEM, params)
    assert store.lookup(STEM, key) is None
    entry = store.store(STEM, key, params, result.scalars, how="in-process", seconds=0.1, inputs=result.inputs)
    again = store.lookup(STEM, key)
    assert again is not None and again.results == result.scalars and again.params == params
    assert entry.path == again.path == tmp_path / "c" / "entries" / STEM / key
    assert again.meta["how"] == "in-process" and again.notebook is None
    assert not list((tmp_path / "c" / "tmp").iterdir()), "nothing is left behind under tmp/"


def test_half_written_or_damaged_entries_are_never_read(tmp_path):
    store = cache.RunCache(tmp_path / "c")
    params = kft.PARAMETERS.validate(seed=6)
    key = cache.run_key(STEM, params)
    # A write interrupted before its rename leaves a folder under tmp/: it is not an entry.
    partial = store.tmp_dir / f"{STEM}-{key[:12]}-x"
    partial.mkdir(parents=True)
    (partial / "results.json").write_text('{"home_rate": 0.7')
    assert store.lookup(STEM, key) is None
    # An entry damaged by hand is not read either (and is replaced by the next store).
    folder = store.entry_dir(STEM, key)
    folder.mkdir(parents=True)
    (folder / "meta.json").write_text(json.dumps({"key": key}))
    (folder / "params.json").write_text("{}")
    (folder / "results.json").write_text('{"home_rate": 0.7')
    assert store.lookup(STEM, key) is None
    scalars = kft.run(params).scalars
    store.store(STEM, key, params, scalars, how="in-process")
    assert store.lookup(STEM, key).results == scalars
    # An entry whose key does not match its folder is not read.
    other = store.entry_dir(STEM, "0" * 64)
    shutil.copytree(folder, other)
    assert store.lookup(STEM, "0" * 64) is None


def test_an_entry_is_stale_when_a_data_file_it_read_changed(tmp_path):
    store = cache.RunCache(tmp_path / "c")
    data = tmp_path / "input.csv"
    data.write_text("1\n")
    store.store(STEM, "k" * 64, {}, {"x": 1}, how="in-process", inputs={str(data): cache.file_digest(data)})
    assert store.lookup(STEM, "k" * 64) is not None
    data.write_text("2\n")
    assert store.lookup(STEM, "k" * 64) is None


def test_an_entry_whose_input_files_changed_is_stale_for_info_and_clear(tmp_path):
    store = cache.RunCache(tmp_path / "c")
    params = kft.PARAMETERS.validate(seed=4, psa_draws=200)
    data = tmp_path / "input.csv"
    data.write_text("1\n")
    key = cache.run_key(STEM, params)
    store.store(STEM, key, params, {"x": 1}, how="in-process", inputs={str(data): cache.file_digest(data)})
    assert store.info().current == {STEM: 1}
    assert store.clear(stale_only=True) == 0 and store.info().total == 1
    data.write_text("2\n")  # lookup() no longer serves the entry: it is stale
    assert store.lookup(STEM, key) is None
    assert store.info().current == {} and store.info().total == 1
    assert store.clear(stale_only=True) == 1 and store.info().total == 0


def test_two_writers_of_the_same_key_leave_one_whole_entry(tmp_path):
    store = cache.RunCache(tmp_path / "c")
    params = kft.PARAMETERS.validate(seed=7)
    scalars = kft.run(params).scalars
    key = cache.run_key(STEM, params)
    errors = []

    def write():
        try:
            store.store(STEM, key, params, scalars, how="in-process")
        except Exception as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=write) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert store.lookup(STEM, key).results == scalars
    assert [p.name for p in (store.entries_dir / STEM).iterdir()] == [key]


def test_atomic_path_keeps_the_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "results.json"
    files.write_json_atomic(target, {"a": 1})
    with pytest.raises(RuntimeError), files.atomic_path(target) as tmp:
        tmp.write_text('{"a": 2')
        raise RuntimeError("killed mid-write")
    assert json.loads(target.read_text()) == {"a": 1}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.json"]


def test_atomic_writes_replace_the_whole_file_and_leave_no_temporary_file(tmp_path):
    text, copy = tmp_path / "grid.yaml", tmp_path / "copy.yaml"
    files.write_text_atomic(text, "seed: [1, 2]\n")
    files.write_text_atomic(text, "seed: [3]\n")
    files.copy_atomic(text, copy)
    assert text.read_text(encoding="utf-8") == copy.read_text(encoding="utf-8") == "seed: [3]\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.yaml", "grid.yaml"]


def test_discard_removes_a_finished_entry(tmp_path):
    store = cache.RunCache(tmp_path / "c")
    params = dict(kft.PARAMETERS.defaults())
    entry = store.store(STEM, "b" * 64, params, {"x": 1.0}, how="in-process")
    other = store.store(STEM, "c" * 64, params, {"x": 2.0}, how="in-process")
    store.discard(entry)
    assert store.lookup(STEM, entry.key) is None
    assert not entry.path.exists()
    assert store.lookup(STEM, other.key).results == {"x": 2.0}


def test_info_and_clear(tmp_path):
    store = cache.RunCache(tmp_path / "c")
    for seed in (1, 2, 3):
        params = kft.PARAMETERS.validate(seed=seed, psa_draws=200)
        store.store(STEM, cache.run_key(STEM, params), params, kft.run(params).scalars, how="in-process")
    store.store(
        STEM, "f" * 64, {}, {"x": 1}, how="in-process", components={"environment": {"code": "an older version"}}
    )
    (store.tmp_dir / "unfinished").mkdir()
    info = store.info()
    assert info.total == 4 and info.entries == {STEM: 4}
    assert info.current == {STEM: 3} and info.unfinished == 1 and info.size_bytes > 0
    assert store.clear(stale_only=True) == 1
    assert store.info().total == 3
    assert store.clear("another_notebook") == 0
    assert store.clear() == 3
    info = store.info()
    assert info.total == 0 and info.unfinished == 0


def test_cache_commands(tmp_path):
    env = {**os.environ, "COMPENDIUM_CACHE": str(tmp_path / "c")}
    store = cache.RunCache(tmp_path / "c")
    params = kft.PARAMETERS.validate(psa_draws=200)
    store.store(STEM, cache.run_key(STEM, params), params, kft.run(params).scalars, how="in-process")
    out = subprocess.run([COMPENDIUM, "cache", "info"], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert f"cache folder: {tmp_path / 'c'}" in out.stdout and "COMPENDIUM_CACHE" in out.stdout
    assert f"{STEM}: 1 entry, 0 with an executed notebook, 1 current" in out.stdout
    out = subprocess.run(
        [COMPENDIUM, "cache", "clear", "--notebook", "nope"], capture_output=True, text=True, env=env, timeout=120
    )
    assert out.returncode == 2 and "unknown notebook 'nope'" in out.stderr
    out = subprocess.run(
        [COMPENDIUM, "cache", "clear", "--notebook", "kft_care_outcome"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert "unknown notebook 'kft_care_outcome' (did you mean 'kft_care_outcomes'?)" in out.stderr
    out = subprocess.run([COMPENDIUM, "cache", "clear"], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0 and "removed 1 cache entry from" in out.stdout
    assert store.info().total == 0


def test_the_default_cache_is_git_ignored_inside_the_repository(monkeypatch):
    monkeypatch.delenv("COMPENDIUM_CACHE")
    assert cache.cache_dir() == ROOT / ".cache" / "compendium"
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", str(ROOT / ".cache" / "compendium" / "entries" / "x")], cwd=ROOT
    )
    assert ignored.returncode == 0, ".cache/ must be git-ignored"


def test_an_entry_is_served_only_when_every_file_matches_its_checksum(tmp_path):
    store = cache.RunCache(tmp_path / "c")
    notebook = tmp_path / "run.ipynb"
    notebook.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n' + " " * 2000)
    store.store(STEM, "a" * 64, {"p": 1}, {"x": 1.5}, how="papermill", notebook=notebook)
    entry, problem = store.check(STEM, "a" * 64)
    assert problem is None and entry.notebook is not None
    assert set(entry.meta["files"]) == {"params.json", "results.json", f"{STEM}.ipynb"}
    # A truncated notebook (valid bytes, wrong length): refused, with the reason.
    nb = entry.path / f"{STEM}.ipynb"
    nb.write_bytes(nb.read_bytes()[:1000])
    assert store.check(STEM, "a" * 64) == (None, f"damaged: {STEM}.ipynb does not match its checksum")
    assert store.info().current == {}
    # Results changed into other valid JSON: refused too.
    store.discard_damaged(STEM, "a" * 64)
    entry = store.store(STEM, "a" * 64, {"p": 1}, {"x": 1.5}, how="in-process")
    (entry.path / "results.json").write_text('{"x": 2.5}\n')
    assert store.check(STEM, "a" * 64)[1] == "damaged: results.json does not match its checksum"
    # A notebook dropped into an entry without a checksum is not served.
    store.discard_damaged(STEM, "a" * 64)
    entry = store.store(STEM, "a" * 64, {"p": 1}, {"x": 1.5}, how="in-process")
    shutil.copyfile(notebook, entry.path / f"{STEM}.ipynb")
    assert store.check(STEM, "a" * 64)[1] == f"damaged: {STEM}.ipynb has no checksum"
    # add_notebook records the notebook's checksum with it.
    store.discard_damaged(STEM, "a" * 64)
    entry = store.store(STEM, "a" * 64, {"p": 1}, {"x": 1.5}, how="in-process")
    entry = store.add_notebook(entry, notebook)
    assert store.check(STEM, "a" * 64)[1] is None and entry.notebook is not None


def test_run_entries_record_the_files_their_path_parameters_name(tmp_path):
    spec = ParamSpec(
        (
            Param("data_path", str, "", "records", is_path=True),
            Param("dfe_dir", str, "", "folder", is_path=True, path_kind="dir"),
        )
    )
    data = tmp_path / "records.csv"
    data.write_text("a\n1\n")
    folder = tmp_path / "dfe"
    folder.mkdir()
    (folder / "one.csv").write_text("x\n")
    inputs = cache.input_files(spec, {"data_path": str(data), "dfe_dir": str(folder)})
    assert inputs == {
        str(data.resolve()): cache.sha256_file(data),
        str((folder / "one.csv").resolve()): cache.sha256_file(folder / "one.csv"),
    }
    store = cache.RunCache(tmp_path / "c")
    store.store(STEM, "b" * 64, {}, {"x": 1}, how="papermill", inputs=inputs)
    assert store.lookup(STEM, "b" * 64) is not None
    (folder / "one.csv").write_text("y\n")
    assert store.check(STEM, "b" * 64)[1].startswith("stale: its input file")
