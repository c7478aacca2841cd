"""``compendium sweep``: grids, validation before anything runs, Dask (local and an existing
scheduler), the run cache across invocations and interruptions, failed points, the table
and the figure, and results equal to ``compendium run``."""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from cli_runner import run_cli
from helpers.analyses import kft_care_outcomes as kft
from helpers.engine import cache, sweep
from helpers.engine.paths import NOTEBOOKS, ROOT
from helpers.engine.sweep import GridError

STEM = "kft_care_outcomes"
BIN = Path(sys.executable).parent
COMPENDIUM = str(BIN / "compendium")
FAULTS = str(Path(__file__).with_name("sweep_worker_faults.py"))
#: The line a sweep prints about its cluster's dashboard (its address, and the port in it).
DASHBOARD_LINE = re.compile(r"^Dask dashboard: (http://127\.0\.0\.1:(\d+)/status) \(open it to watch", re.M)


def cli(*args, cache_dir, runs=None, timeout=900, cwd=None, inprocess=False):
    """``compendium ARGS`` in a subprocess, as a user runs it; ``inprocess`` for tests of what it refuses
    before anything runs, or of a command that executes nothing (a sweep with every point cached, a run
    served from the cache): ``helpers.engine.cli.main`` in this process (tests/cli_runner.py)."""
    env = {**os.environ, "COMPENDIUM_CACHE": str(cache_dir)}
    if runs is not None:
        env["COMPENDIUM_RUNS"] = str(runs)
    if inprocess:
        return run_cli(list(args), env=env, cwd=cwd)
    return subprocess.run([COMPENDIUM, *args], capture_output=True, text=True, env=env, timeout=timeout, cwd=cwd)


def stop_processes(procs: list[subprocess.Popen]) -> None:
    """Stop processes a test started in sessions of their own (a scheduler, a worker and its nanny's
    child), the last started first: each whole process group is killed at once. How they shut down is
    not under test, and a worker still running the test's deliberately endless point would otherwise
    keep a graceful shutdown waiting."""
    for proc in reversed(procs):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    for proc in reversed(procs):
        proc.wait(timeout=30)


@contextlib.contextmanager
def scheduler_by_hand(folder: Path, *, dashboard: bool = False, preload: str | None = None) -> Iterator[dict]:
    """A distributed scheduler and one worker started as a user would (``dask scheduler``,
    ``dask worker``), stopped on leaving; yields the scheduler file's contents (its address,
    its services). The scheduler serves a dashboard on a free port if ``dashboard``; the worker
    runs ``preload`` if given (e.g. tests/sweep_worker_faults.py)."""
    file = folder / "scheduler.json"
    board = ["--dashboard-address", "127.0.0.1:0"] if dashboard else ["--no-dashboard"]
    worker = ["--nworkers", "1", "--nthreads", "1", "--no-dashboard"] + (["--preload", preload] if preload else [])
    procs: list[subprocess.Popen] = []
    with open(folder / "dask.log", "w") as log:
        try:
            procs.append(
                subprocess.Popen(
                    [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0", *board]
                    + ["--scheduler-file", str(file)],
                    stdout=log,
                    stderr=log,
                    start_new_session=True,
                )
            )
            deadline = time.monotonic() + 120
            while not file.exists() and time.monotonic() < deadline:
                time.sleep(0.2)
            assert file.exists(), "the scheduler did not start"
            info = json.loads(file.read_text())
            procs.append(
                subprocess.Popen(
                    [str(BIN / "dask"), "worker", "--scheduler-file", str(file), *worker],
                    stdout=log,
                    stderr=log,
                    cwd=ROOT,
                    start_new_session=True,
                )
            )
            yield info
        finally:
            stop_processes(procs)


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def row_results(row: pd.Series) -> dict:
    """The results values of a table row, as plain Python scalars, missing ones left out."""
    out = {}
    for col, value in row.items():
        if not col.startswith("result.") or value is None or value is pd.NA:
            continue
        if isinstance(value, float) and math.isnan(value):
            continue
        out[col.removeprefix("result.")] = value.item() if hasattr(value, "item") else value
    return out


def row_params(row: pd.Series) -> dict:
    return {
        c.removeprefix("param."): (v.item() if hasattr(v, "item") else v)
        for c, v in row.items()
        if c.startswith("param.")
    }


# ------------------------------------------------------------------ grids (no Dask)
def test_a_mapping_of_lists_is_every_combination_in_order():
    raw = sweep.expand_grid(
        {"target_home_rate": [0.5, 0.6], "ci_method": ["wilson", "clopper-pearson", "jeffreys"], "psa_draws": 2000}
    )
    assert len(raw) == 6
    assert raw[0] == {"target_home_rate": 0.5, "ci_method": "wilson", "psa_draws": 2000}
    assert raw[1] == {"target_home_rate": 0.5, "ci_method": "clopper-pearson", "psa_draws": 2000}
    assert raw[5] == {"target_home_rate": 0.6, "ci_method": "jeffreys", "psa_draws": 2000}
    points = sweep.validate_points(kft.PARAMETERS, raw)
    assert [p.index for p in points] == [1, 2, 3, 4, 5, 6]
    assert points[4].params == kft.PARAMETERS.validate(
        target_home_rate=0.6, ci_method="clopper-pearson", psa_draws=2000
    )
    assert sweep.varied(points) == ["target_home_rate", "ci_method"]


def test_a_list_is_explicit_parameter_sets_with_defaults_for_the_rest(tmp_path):
    grid = write(tmp_path / "g.yaml", "- {target_home_rate: 0.6}\n- {ci_level: 0.9, alpha: 1e-2}\n-\n")
    points = sweep.validate_points(kft.PARAMETERS, sweep.read_grid(grid))
    assert [p.params for p in points] == [
        kft.PARAMETERS.validate(target_home_rate=0.6),
        kft.PARAMETERS.validate(ci_level=0.9, alpha=0.01),  # YAML reads 1e-2 as text: parsed as the declared type
        kft.PARAMETERS.validate(),
    ]


@pytest.mark.parametrize(
    "text, message",
    [
        ("target_home_rate: []\n", "parameter 'target_home_rate' has an empty list of values"),
        ("target_home_rate: [[0.5, 0.6]]\n", "is not a single value"),
        ("target_home_rate: {a: 1}\n", "not a mapping"),
        ("- 0.5\n", "parameter set 1 is 0.5, not a mapping"),
        ("- {seed: [1, 2]}\n", "parameter set 1 gives 'seed' the value [1, 2], which is not a single value"),
        ("just text\n", "must hold a mapping of parameter: list of values, or a list of parameter sets"),
        ("", "is empty"),
        ("a: [1\n", "is not valid YAML"),
        (
            "a: [1, 2\nb: [3]\n",
            "is not valid YAML: while parsing a flow sequence (line 1, column 4): "
            "expected ',' or ']', but got ':' (line 2, column 2)",
        ),
        (
            "target_home_rate: [0.5]\nseed: [1]\ntarget_home_rate: [0.7]\n",
            "is not valid YAML: 'target_home_rate' is given twice (lines 1 and 3); give each once (line 3, column 1)",
        ),
        ("- {seed: 1, seed: 2}\n", "'seed' is given twice (lines 1 and 1)"),
    ],
)
def test_malformed_grid_files_are_refused(tmp_path, text, message):
    with pytest.raises(GridError, match=None) as err:
        sweep.read_grid(write(tmp_path / "g.yaml", text))
    assert message in str(err.value) and "\n" not in str(err.value)


def test_an_invalid_point_is_reported_by_index_and_parameter():
    raw = sweep.expand_grid({"target_home_rate": [0.5, 0.6], "n_entered_care": [10, 25, 200]})
    with pytest.raises(GridError) as err:
        sweep.validate_points(kft.PARAMETERS, raw)
    assert str(err.value) == (
        "grid point 3 of 6 (target_home_rate=0.5, n_entered_care=200): parameter 'n_entered_care' = 200 is not "
        "allowed with n_referred = 119: expected at most n_referred (children entering care are among those "
        "referred) (also invalid: point 6)"
    )
    assert err.value.name == "n_entered_care"
    grid_key = r"^grid point 2 of 2 \(ci_mthod='wilson'\): unknown parameter 'ci_mthod' \(did you mean 'ci_method'\?\)"
    with pytest.raises(GridError, match=grid_key):
        sweep.validate_points(kft.PARAMETERS, [{}, {"ci_mthod": "wilson"}])


def test_an_impossible_point_stops_the_sweep_before_it_starts(tmp_path):
    grid = write(tmp_path / "g.yaml", "target_home_rate: [0.5, 0.6, 1.5]\nci_method: [wilson, jeffreys]\n")
    res = cli("sweep", STEM, "--grid", str(grid), cache_dir=tmp_path / "c", runs=tmp_path / "runs", inprocess=True)
    assert res.returncode == 2
    assert res.stderr.strip() == (
        "compendium: error: grid point 5 of 6 (target_home_rate=1.5, ci_method='wilson'): parameter "
        "'target_home_rate' = 1.5 is not allowed: expected a number in (0, 1) (also invalid: point 6)"
    )
    assert not (tmp_path / "runs").exists() and not (tmp_path / "c").exists(), "nothing may start"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--plot", "p_value_vs_target"], "expected RESULT:PARAM"),
        (["--plot", "p_value_vs_target:seed"], "parameter 'seed' does not vary in the grid (varied: target_home_rate)"),
        (["--plot", "p_value_vs_target:target"], "unknown parameter 'target':"),
        (["--plot", "p_value_vs_target:target_hom_rate"], "'target_hom_rate' (did you mean 'target_home_rate'?)"),
        (["--scheduler", "tcp://127.0.0.1:1", "--workers", "2"], "--workers starts a local cluster"),
        (["--out", str(NOTEBOOKS / "sweep")], "holds the compendium's committed files"),
    ],
)
def test_bad_options_fail_before_anything_runs(tmp_path, args, message):
    grid = write(tmp_path / "g.yaml", "target_home_rate: [0.5, 0.6]\n")
    res = cli(
        "sweep", STEM, "--grid", str(grid), *args, cache_dir=tmp_path / "c", runs=tmp_path / "runs", inprocess=True
    )
    assert res.returncode == 2 and message in res.stderr, res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "runs").exists() and not (NOTEBOOKS / "sweep").exists()


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path):
    grid = write(tmp_path / "g.yaml", "seed: [1, 2]\n")
    res = cli(
        "sweep",
        STEM,
        "--grid",
        str(grid),
        "--scheduler",
        "tcp://127.0.0.1:9",
        "--out",
        str(tmp_path / "o"),
        cache_dir=tmp_path / "c",
        timeout=300,
        inprocess=True,
    )
    assert res.returncode == 2
    assert "compendium: error: --scheduler tcp://127.0.0.1:9: nothing answers there" in res.stderr
    assert not (tmp_path / "o").exists(), "checked before anything is written or computed"


@pytest.mark.parametrize("address", ["bogus", ""])
def test_a_malformed_scheduler_address_is_refused_by_name(tmp_path, address):
    grid = write(tmp_path / "g.yaml", "seed: [1, 2]\n")
    res = cli(
        "sweep",
        STEM,
        "--grid",
        str(grid),
        "--scheduler",
        address,
        "--out",
        str(tmp_path / "o"),
        cache_dir=tmp_path / "c",
        timeout=60,
        inprocess=True,
    )
    assert res.returncode == 2 and "Traceback" not in res.stderr
    if address:
        assert f"--scheduler {address!r} is not allowed: expected an address such as" in res.stderr
    assert not (tmp_path / "o").exists()


def test_a_failed_points_reason_is_kept_whole_on_one_line():
    from helpers.inputs.records import RecordsError

    err = RecordsError("r.csv", ["column 'visits': value is negative at file line(s) 2", "missing column(s) 'x'"])
    text = sweep.one_line(str(err))
    assert "\n" not in text and "value is negative at file line(s) 2" in text and "missing column(s) 'x'" in text
    assert len(sweep.one_line("x" * 5000)) == sweep.MAX_ERROR_CHARS


@pytest.mark.parametrize("address", ["bogus", "tcp://x y:1", "tcp://localhost:99999", "http://host:80", "", "tcp://:1"])
def test_check_scheduler_refuses_malformed_addresses(address):
    with pytest.raises(sweep.GridError, match="is not allowed: expected an address such as"):
        sweep.check_scheduler(address)


# ------------------------------------------------------------------ a point on a worker (no Dask)
def test_run_point_returns_the_analysis_results():
    params = kft.PARAMETERS.validate(seed=3, psa_draws=500)
    out = sweep.run_point(STEM, params)
    assert out["ok"] and out["scalars"] == kft.run(params).scalars
    assert out["env"] == cache.environment_digest(STEM)


def test_run_point_records_exceptions_and_timeouts(monkeypatch):
    real = kft.run

    def faulty(params):
        if params["seed"] == 1:
            raise ZeroDivisionError("bad data in row 7")
        if params["seed"] == 2:
            until = time.monotonic() + 60  # bounded, so that a broken time limit fails the test, not hangs it
            while time.monotonic() < until:
                sum(range(1000))
        return real(params)

    monkeypatch.setattr(kft, "run", faulty)
    out = sweep.run_point(STEM, kft.PARAMETERS.validate(seed=1))
    assert not out["ok"] and out["kind"] == "error" and out["error"] == "ZeroDivisionError: bad data in row 7"
    assert "ZeroDivisionError" in out["traceback"]
    started = time.monotonic()
    out = sweep.run_point(STEM, kft.PARAMETERS.validate(seed=2), timeout=0.5)
    assert not out["ok"] and out["kind"] == "timeout" and out["error"] == "timed out after 0.5 s"
    assert time.monotonic() - started < 10
    out = sweep.run_point(STEM, kft.PARAMETERS.validate(seed=3, psa_draws=200), timeout=60)
    assert out["ok"]


def test_time_limit_does_not_fire_after_the_block():
    with sweep.time_limit(0.2):
        pass
    time.sleep(0.4)  # a stray timeout would be raised here
    with pytest.raises(sweep.PointTimeout), sweep.time_limit(0.2):
        until = time.monotonic() + 30
        while time.monotonic() < until:
            time.sleep(0.01)


def test_workers_with_other_code_are_refused():
    class Done:
        def __init__(self, value):
            self.value = value

        def result(self):
            if isinstance(self.value, BaseException):
                raise self.value
            return self.value

    class FakeClient:
        def __init__(self, answers):
            self.answers = answers

        def scheduler_info(self, n_workers):
            return {"workers": {w: {} for w in self.answers}}

        def submit(self, function, stem, workers, **kwargs):
            assert function is sweep.worker_environment and kwargs["allow_other_workers"] is False
            return Done(self.answers[workers[0]])

    here = cache.environment_digest(STEM)
    sweep.cluster.check_workers(FakeClient({"tcp://a:1": here, "tcp://b:2": here}), STEM, here)
    with pytest.raises(
        sweep.SweepError,
        match="worker tcp://b:2 cannot run kft_care_outcomes as this machine would "
        r"\(different code, notebook, data, lock file or Python\)",
    ):
        sweep.cluster.check_workers(FakeClient({"tcp://a:1": here, "tcp://b:2": "0" * 64}), STEM, here)
    with pytest.raises(sweep.SweepError, match=r"\(ModuleNotFoundError: No module named 'helpers'\)"):
        sweep.cluster.check_workers(
            FakeClient({"tcp://a:1": ModuleNotFoundError("No module named 'helpers'")}), STEM, here
        )


# ------------------------------------------------------------------ progress
class FakeTTY(io.StringIO):
    def isatty(self):
        return True


def test_progress_is_a_bar_on_a_terminal_and_lines_in_a_log():
    tty = FakeTTY()
    bar = sweep.Progress(STEM, 6, 2, stream=tty)
    bar.start()
    bar.update(True)
    bar.update(False)
    bar.close()
    text = tty.getvalue()
    assert "sweep kft_care_outcomes: 6 points, 2 from the cache; starting the Dask workers" in text
    assert "\r" in text and "2/4" in text and "computed 1, failed 1, cached 2" in text
    log = io.StringIO()
    bar = sweep.Progress(STEM, 3, 0, stream=log, interval=3600)
    bar.start()
    for ok in (True, True, False):
        bar.update(ok)
    lines = log.getvalue().splitlines()
    assert "\r" not in log.getvalue()
    assert lines[-1] == "sweep kft_care_outcomes: 3/3 points (computed 2, failed 1, cached 0), done"
    assert len(lines) == 3, "one line at the start, one when the workers are ready, one at the end"
    quiet = io.StringIO()
    bar = sweep.Progress(STEM, 3, 0, stream=quiet, enabled=False)
    bar.start()
    bar.update(True)
    assert quiet.getvalue() == ""


# ------------------------------------------------------------------ the table
def test_table_columns_keep_their_types_through_parquet_and_csv(tmp_path):
    spec = kft.PARAMETERS
    points = sweep.validate_points(spec, [{"seed": 1}, {"seed": 2}, {"seed": 3}])
    outcomes = [
        sweep.PointOutcome(points[0], "ok", "computed", {"a": 1, "b": 0.5, "c": "x", "d": True, "e": 1}, 0.1),
        sweep.PointOutcome(points[1], "failed", "", {}, 0.2, "ValueError: no"),
        sweep.PointOutcome(points[2], "ok", "cached", {"a": 2, "b": 1.5, "c": "y", "d": False, "e": "text"}, None),
    ]
    table = sweep.sweep_table(spec, outcomes)
    sweep.write_table(table, tmp_path / "t.parquet", tmp_path / "t.csv")
    back = pd.read_parquet(tmp_path / "t.parquet")
    assert list(back.columns[:6]) == ["point", "status", "source", "seconds", "error", "cache_key"]
    assert [c for c in back.columns if c.startswith("param.")] == [f"param.{n}" for n in spec.names]
    assert back["result.a"].tolist()[0] == 1 and str(back["result.a"].dtype) == "Int64"
    assert back["result.b"].tolist()[2] == 1.5 and math.isnan(back["result.b"][1])
    assert back["result.d"].tolist()[0] is True
    e = back["result.e"].tolist()
    assert e[0] == "1" and pd.isna(e[1]) and e[2] == "text", "a column of mixed types is kept as text"
    assert back["param.seed"].tolist() == [1, 2, 3]
    assert back["error"].tolist() == ["", "ValueError: no", ""]
    csv = pd.read_csv(tmp_path / "t.csv")
    assert csv["result.b"].tolist()[0] == 0.5 and csv["status"].tolist() == ["ok", "failed", "ok"]


# ------------------------------------------------------------------ in-process Dask cluster
def test_failed_points_are_recorded_and_do_not_stop_the_others(tmp_path, monkeypatch):
    from distributed import Client, LocalCluster

    real = kft.run

    def faulty(params):
        if params["seed"] == 2:
            raise ValueError("injected: bad data")
        return real(params)

    monkeypatch.setattr(kft, "run", faulty)
    store = cache.RunCache(tmp_path / "c")
    points = sweep.validate_points(kft.PARAMETERS, [{"seed": s, "psa_draws": 500} for s in (1, 2, 3, 1)])
    with (
        LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster,
        Client(cluster, set_as_default=False) as client,
    ):
        report = sweep.run_sweep(STEM, points, out=tmp_path / "out", cache=store, client=client, progress=False)
    assert [o.status for o in report.outcomes] == ["ok", "failed", "ok", "ok"]
    assert report.computed == 3 and report.cached == 0, "a repeated point is computed once, reported twice"
    assert report.outcomes[3].results == report.outcomes[0].results == real(points[0].params).scalars
    failed = report.failed[0]
    assert failed.point.index == 2 and failed.error == "ValueError: injected: bad data"
    log = (tmp_path / "out" / "logs" / "point-0002.log").read_text()
    assert "ValueError: injected: bad data" in log and '"seed": 2' in log and "Traceback" in log
    table = pd.read_parquet(report.table_parquet)
    assert table["status"].tolist() == ["ok", "failed", "ok", "ok"]
    assert table.loc[1, "error"] == "ValueError: injected: bad data"
    assert store.info().total == 2, "failed points are not cached"
    meta = json.loads((tmp_path / "out" / "sweep.json").read_text())
    assert meta["failed_points"] == [2] and meta["computed"] == 3


# ------------------------------------------------------------------ signals while points run
def test_a_signal_while_points_run_sets_the_stop_request_and_raises_nothing():
    # Ctrl-C (and `kill`) only set a flag that the loop collecting results checks: an exception
    # raised from the handler could be lost inside a library's __del__ or callback. Ctrl-C is first
    # handled as in a command run in a terminal's foreground (a test run started in the background
    # inherits an ignored SIGINT, which the sweep leaves ignored: the next test).
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with sweep.run.stop_on_signals() as stop:
            assert not stop
            os.kill(os.getpid(), signal.SIGINT)
            deadline = time.monotonic() + 5
            while not stop and time.monotonic() < deadline:
                time.sleep(0.01)
            assert stop and stop.signal == signal.SIGINT
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # KeyboardInterrupt again
    finally:
        signal.signal(signal.SIGINT, previous)


def test_an_ignored_ctrl_c_stays_ignored_while_points_run():
    # A command a script starts in the background ignores Ctrl-C: a sweep leaves it so, as Python does.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with sweep.run.stop_on_signals() as stop:
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.1)
            assert not stop
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)


def test_a_parameter_file_and_a_grid_file_are_read_by_one_reader(tmp_path):
    # The same YAML checks and message, raised as each file's own error type.
    from helpers.engine.runner import load_param_file
    from helpers.params import ParameterError

    bad = write(tmp_path / "twice.yaml", "seed: 1\nseed: 2\n")
    with pytest.raises(ParameterError) as as_params:
        load_param_file(bad)
    with pytest.raises(GridError) as as_grid:
        sweep.read_grid(bad)
    assert str(as_params.value).replace("parameter file", "grid file") == str(as_grid.value)
    assert "'seed' is given twice (lines 1 and 2)" in str(as_grid.value)
