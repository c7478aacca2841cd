"""The Dask dashboard of a sweep's cluster: served (bokeh is installed), on a free port, and said to be
absent when a scheduler serves none.

That a sweep prints the address is checked on the sweeps the other tests run already: a local
cluster's in tests/test_sweep_command.py, a scheduler started by hand's in
tests/test_sweep_scheduler.py (each a Dask cluster started once, not once more for this)."""

from __future__ import annotations

import re
import urllib.request

from helpers.engine import sweep
from helpers.engine.paths import ROOT
from test_sweep import DASHBOARD_LINE as LINE


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


def test_a_scheduler_without_a_dashboard_is_said_to_have_none():
    class NoDashboard:
        @property
        def dashboard_link(self):
            raise KeyError("dashboard")

    assert sweep.dashboard_link(NoDashboard()) is None
    assert sweep.dashboard_message(None, "tcp://10.0.0.5:8786").startswith(
        "Dask dashboard: none (the Dask scheduler at tcp://10.0.0.5:8786 serves no dashboard"
    )
