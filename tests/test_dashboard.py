"""The Dask dashboard of a sweep's cluster: served (bokeh is installed), and its address printed,
for a local cluster and for a scheduler started by hand."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

from helpers.engine import sweep
from helpers.engine.paths import ROOT
from test_sweep import scheduler_by_hand

BIN = Path(sys.executable).parent
LINE = re.compile(r"^Dask dashboard: (http://127\.0\.0\.1:(\d+)/status) \(open it to watch", re.M)


def _sweep(tmp_path, *extra):
    grid = tmp_path / "grid.yaml"
    grid.write_text("- {seed: 1, psa_draws: 200}\n- {seed: 2, psa_draws: 200}\n")
    env = {**os.environ, "COMPENDIUM_CACHE": str(tmp_path / "cache")}
    return subprocess.run(
        [
            str(BIN / "compendium"),
            "sweep",
            "kft_care_outcomes",
            "--grid",
            str(grid),
            "--out",
            str(tmp_path / "out"),
            "--no-progress",
            *extra,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def test_bokeh_is_pinned_as_the_dashboard_needs():
    pin = re.search(r"^bokeh==(\d+)\.(\d+)", (ROOT / "requirements.lock").read_text(), flags=re.M)
    assert pin and (int(pin.group(1)), int(pin.group(2))) >= (3, 1)


def test_a_local_cluster_serves_its_dashboard_on_a_free_port():
    clients = [sweep.cluster.start_client(1, None, 1) for _ in range(2)]  # two at once: no port clash
    try:
        links = [sweep.dashboard_link(client) for client, _ in clients]
        assert all(link and LINE.match(sweep.dashboard_message(link, None)) for link in links), links
        assert links[0] != links[1]
        with urllib.request.urlopen(links[0], timeout=30) as page:
            assert page.status == 200 and b"Dask" in page.read()
    finally:
        for client, cluster in clients:
            sweep.cluster.close_quietly(client, cluster)


def test_a_local_sweep_prints_its_dashboard_address(tmp_path):
    res = _sweep(tmp_path, "--workers", "1")
    assert res.returncode == 0, res.stderr
    found = LINE.findall(res.stderr)
    assert len(found) == 1, res.stderr
    assert json.loads((tmp_path / "out" / "sweep.json").read_text())["dashboard"] == found[0][0]


def test_a_scheduler_without_a_dashboard_is_said_to_have_none():
    class NoDashboard:
        @property
        def dashboard_link(self):
            raise KeyError("dashboard")

    assert sweep.dashboard_link(NoDashboard()) is None
    assert sweep.dashboard_message(None, "tcp://10.0.0.5:8786").startswith(
        "Dask dashboard: none (the Dask scheduler at tcp://10.0.0.5:8786 serves no dashboard"
    )


def test_a_sweep_on_a_scheduler_started_by_hand_prints_that_schedulers_dashboard(tmp_path):
    with scheduler_by_hand(tmp_path, dashboard=True) as info:
        res = _sweep(tmp_path, "--scheduler", info["address"])
        assert res.returncode == 0, res.stderr
        found = LINE.findall(res.stderr)
        assert [int(port) for _, port in found] == [info["services"]["dashboard"]], res.stderr
        with urllib.request.urlopen(found[0][0], timeout=30) as page:  # still running: the hand-started one
            assert page.status == 200
