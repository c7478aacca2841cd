"""An interrupted sweep (Ctrl-C, kill, kill -9) loses nothing, and a restart computes only the rest.

Split from test_sweep.py so that pytest-xdist runs the slow sweep tests on both workers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pandas as pd
import psutil

from helpers.analyses import kft_care_outcomes as kft
from helpers.engine import cache
from test_sweep import COMPENDIUM, STEM, cli, row_params, row_results, write


# ------------------------------------------------------------------ interrupted sweeps
def _entries(cache_dir: Path) -> int:
    folder = cache_dir / "entries" / STEM
    return sum(1 for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else 0


def _as_in_a_terminal() -> None:
    """In the child: Ctrl-C handled as in a command a terminal's shell runs in the foreground. A test
    run started in the background (``pytest ... &``) ignores SIGINT, and a child inherits that: the
    sweep would then ignore the test's Ctrl-C, as Python itself does, and run to the end."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(grid: Path, cache_dir: Path, out: Path, log: Path) -> subprocess.Popen:
    """The sweep in its own process group, as a shell runs a command in a terminal."""
    env = {**os.environ, "COMPENDIUM_CACHE": str(cache_dir)}
    return subprocess.Popen(
        [COMPENDIUM, "sweep", STEM, "--grid", str(grid), "--workers", "1", "--out", str(out)],
        stdout=open(log, "w"),
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
        preexec_fn=_as_in_a_terminal,
    )


def _wait_for_entries(proc, cache_dir, n, timeout=600):
    deadline = time.monotonic() + timeout
    while _entries(cache_dir) < n:
        assert proc.poll() is None, "the sweep ended before it could be interrupted"
        assert time.monotonic() < deadline, "the sweep made no progress"
        time.sleep(0.05)


def test_killing_a_sweep_loses_nothing_and_restarting_computes_only_the_rest(tmp_path):
    # Each point takes about a second (600,000 PSA draws), long enough to stop a sweep between
    # two points; 12 points leave room for three interruptions of at least two points each.
    n = 12
    grid = write(tmp_path / "g.yaml", f"seed: {list(range(n))}\npsa_draws: 600000\n")
    cache_dir, out = tmp_path / "c", tmp_path / "out"

    # 1. Ctrl-C midway (SIGINT to the whole process group, the Dask workers included), then
    #    `kill` (SIGTERM to the sweep alone): each time the sweep stops cleanly and says how to go on.
    counts = [0]
    for i, stop in enumerate((lambda p: os.killpg(p.pid, signal.SIGINT), lambda p: p.send_signal(signal.SIGTERM))):
        log = tmp_path / f"{i}.log"
        proc = _start(grid, cache_dir, out, log)
        _wait_for_entries(proc, cache_dir, counts[-1] + 2)
        stop(proc)
        assert proc.wait(timeout=120) == 130
        text = log.read_text()
        assert "interrupted" in text and "run the same command again" in text, text
        assert "Traceback" not in text, text
        assert json.loads((out / "sweep.json").read_text())["status"] == "interrupted"
        counts.append(_entries(cache_dir))
        assert counts[-2] + 2 <= counts[-1] < n
    after_term = counts[-1]

    # 2. `kill -9` midway: no chance to clean up; its Dask workers go with it.
    proc = _start(grid, cache_dir, out, tmp_path / "kill.log")
    _wait_for_entries(proc, cache_dir, after_term + 2)
    children = psutil.Process(proc.pid).children(recursive=True)
    proc.kill()
    proc.wait(timeout=60)
    _, alive = psutil.wait_procs(children, timeout=60)
    assert not alive, f"Dask workers outlived the killed sweep: {alive}"
    after_kill = _entries(cache_dir)
    assert after_term + 2 <= after_kill < n
    store = cache.RunCache(cache_dir)
    for _, path in store.iter_entries(STEM):  # every entry is whole
        assert store.lookup(STEM, path.name) is not None

    # 3. Restart: the finished points are not recomputed, the others run, nothing is lost.
    res = cli("sweep", STEM, "--grid", str(grid), "--workers", "1", "--out", str(out), cache_dir=cache_dir)
    assert res.returncode == 0, res.stderr
    assert f"{n} points: {n - after_kill} computed, {after_kill} from the cache, 0 failed" in res.stdout
    assert _entries(cache_dir) == n
    table = pd.read_parquet(out / "results.parquet")
    assert table["param.seed"].tolist() == list(range(n))
    assert (table["source"] == "cached").sum() == after_kill
    for i in (0, n - 1):
        row = table.iloc[i]
        assert row_results(row) == kft.run(row_params(row)).scalars
