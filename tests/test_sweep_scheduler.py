"""`compendium sweep --scheduler` on a scheduler and worker started as a user would start them.

Split from test_sweep.py so that pytest-xdist runs the slow sweep tests on both workers."""

from __future__ import annotations

import urllib.request

import pandas as pd
import pytest

from helpers.analyses import kft_care_outcomes as kft
from test_sweep import DASHBOARD_LINE, FAULTS, STEM, cli, row_params, row_results, scheduler_by_hand, write


# ------------------------------------------------------------------ an existing scheduler
@pytest.fixture
def scheduler(tmp_path):
    """A real distributed scheduler serving a dashboard, and one worker, started as a user would
    (``dask scheduler``, ``dask worker``); the worker preloads tests/sweep_worker_faults.py."""
    with scheduler_by_hand(tmp_path, dashboard=True, preload=FAULTS) as info:
        yield info


def test_sweep_on_an_existing_scheduler_records_failures_and_timeouts(scheduler, tmp_path):
    address = scheduler["address"]
    grid = write(
        tmp_path / "g.yaml", "- {seed: 1, psa_draws: 500}\n- {seed: 666}\n- {seed: 777}\n- {seed: 2, psa_draws: 500}\n"
    )
    args = (
        "sweep",
        STEM,
        "--grid",
        str(grid),
        "--scheduler",
        address,
        "--timeout",
        "1.5",  # the other points' run() takes a hundredth of that (500 draws); seed 777 waits it out
        "--plot",
        "net_saving_mean:seed",
        "--out",
        str(tmp_path / "out"),
    )
    res = cli(*args, cache_dir=tmp_path / "c")
    assert res.returncode == 1, res.stderr
    assert "4 points: 2 computed, 0 from the cache, 2 failed" in res.stdout
    assert f"4 points, 0 from the cache; connecting to the Dask scheduler at {address}" in res.stderr
    # The sweep names that scheduler's own dashboard, which is still served after the sweep.
    found = DASHBOARD_LINE.findall(res.stderr)
    assert [int(port) for _, port in found] == [scheduler["services"]["dashboard"]], res.stderr
    with urllib.request.urlopen(found[0][0], timeout=30) as page:
        assert page.status == 200
    logs = tmp_path / "out" / "logs"
    assert (
        f"compendium: error: 2 of 4 points failed; their logs are in {logs}/ (point-0002.log, point-0003.log); "
        "first: point 2: ValueError: injected failure for seed 666"
    ) in res.stderr
    assert "timed out after 1.5 s" in (logs / "point-0003.log").read_text()
    assert "injected failure for seed 666" in (logs / "point-0002.log").read_text()
    table = pd.read_parquet(tmp_path / "out" / "results.parquet")
    assert table["status"].tolist() == ["ok", "failed", "failed", "ok"]
    assert table["error"].tolist()[1:3] == ["ValueError: injected failure for seed 666", "timed out after 1.5 s"]
    for i in (0, 3):
        row = table.iloc[i]
        assert row_results(row) == kft.run(row_params(row)).scalars
    assert (
        tmp_path / "out" / "mean-net-cost-avoided-across-probabilistic-sensitivity_vs_seed-random-number-generator.png"
    ).is_file()
    # Again, into the same folder: the finished points come from the cache, the failed ones are retried.
    res = cli(*args, cache_dir=tmp_path / "c")
    assert res.returncode == 1
    assert "4 points: 0 computed, 2 from the cache, 2 failed" in res.stdout
    assert sorted(p.name for p in logs.iterdir()) == ["point-0002.log", "point-0003.log"]
