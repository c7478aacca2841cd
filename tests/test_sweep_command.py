"""`compendium sweep` on a local cluster, twice into one cache; its points against `compendium run`.

Split from test_sweep.py so that pytest-xdist runs the slow sweep tests on both workers."""

from __future__ import annotations

import json
import time

import pandas as pd
import pytest

from helpers.analyses import kft_care_outcomes as kft
from helpers.engine import cache
from helpers.outputs import values
from test_sweep import DASHBOARD_LINE, STEM, cli, row_params, row_results, write

#: The figure of ``--plot p_value_vs_target:target_home_rate``, named by the result's and the parameter's
#: descriptions (helpers.outputs; the parameter's declaration).
PLOT_FILE = (
    "p-value-one-sided-exact-binomial-test-share-home-against_vs_units-target-share-referred-children-kept-home.png"
)


# ------------------------------------------------------------------ the command, on a LocalCluster
@pytest.fixture(scope="module")
def two_by_three(tmp_path_factory):
    """A 2 × 3 grid swept twice with the same cache: the second invocation computes nothing."""
    base = tmp_path_factory.mktemp("sweep")
    grid = write(
        base / "grid.yaml",
        "target_home_rate: [0.6, 0.7]\nci_method: [wilson, clopper-pearson, jeffreys]\npsa_draws: 3000\n",
    )
    first = cli(
        "sweep",
        STEM,
        "--grid",
        str(grid),
        "--workers",
        "2",
        "--out",
        str(base / "first"),
        "--plot",
        "p_value_vs_target:target_home_rate",
        cache_dir=base / "c",
    )
    # (in this process: with nothing to compute it starts no cluster, and a subprocess would only add imports)
    second = cli(
        "sweep",
        STEM,
        "--grid",
        str(grid),
        "--workers",
        "2",
        "--out",
        str(base / "second"),
        "--plot",
        "p_value_vs_target:target_home_rate",
        cache_dir=base / "c",
        inprocess=True,
    )
    return base, first, second


def test_sweep_writes_the_table_and_the_figure_with_a_progress_report(two_by_three):
    base, first, _ = two_by_three
    assert first.returncode == 0, first.stderr
    assert "sweep of kft_care_outcomes: 6 points: 6 computed, 0 from the cache, 0 failed" in first.stdout
    assert "sweep kft_care_outcomes: 6 points, 0 from the cache; starting the Dask workers" in first.stderr
    assert "sweep kft_care_outcomes: 6/6 points (computed 6, failed 0, cached 0), done" in first.stderr
    assert "Traceback" not in first.stderr and "WARNING" not in first.stderr.upper()
    out = base / "first"
    assert {p.name for p in out.iterdir()} >= {
        "results.parquet",
        "results.csv",
        "sweep.json",
        "grid.yaml",
        PLOT_FILE,
    }
    table = pd.read_parquet(out / "results.parquet")
    assert len(table) == 6 and set(table["status"]) == {"ok"} and set(table["source"]) == {"computed"}
    for _, row in table.iterrows():
        params = row_params(row)
        assert params == kft.PARAMETERS.validate(params)
        assert row_results(row) == kft.run(params).scalars, f"point {row['point']}"
    assert table["param.ci_method"].tolist() == ["wilson", "clopper-pearson", "jeffreys"] * 2
    csv = pd.read_csv(out / "results.csv")
    assert csv["result.p_value_vs_target"].tolist() == table["result.p_value_vs_target"].tolist()
    png = (out / PLOT_FILE).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    assert not list(out.glob(".*.tmp")), "no temporary file is left"


def test_a_local_sweep_prints_its_dashboard_address(two_by_three):
    base, first, second = two_by_three
    found = DASHBOARD_LINE.findall(first.stderr)
    assert len(found) == 1, first.stderr
    assert json.loads((base / "first" / "sweep.json").read_text())["dashboard"] == found[0][0]
    # A sweep with nothing to compute starts no cluster, so it has no dashboard to name.
    assert not DASHBOARD_LINE.findall(second.stderr), second.stderr


def test_a_second_invocation_computes_nothing(two_by_three):
    base, _, second = two_by_three
    assert second.returncode == 0, second.stderr
    assert "6 points: 0 computed, 6 from the cache, 0 failed" in second.stdout
    assert "nothing to compute" in second.stderr
    one = pd.read_parquet(base / "first" / "results.parquet")
    two = pd.read_parquet(base / "second" / "results.parquet")
    assert set(two["source"]) == {"cached"}
    cols = [c for c in one.columns if c.startswith(("param.", "result.")) or c in ("point", "cache_key")]
    pd.testing.assert_frame_equal(one[cols], two[cols])


def test_a_sweep_point_run_with_papermill_gives_the_sweeps_results_and_completes_its_entry(two_by_three, tmp_path):
    """A point of the sweep with every swept parameter off its default, (0.7, jeffreys), executed as a
    notebook by ``compendium run``: its results equal the sweep's, the executed notebook joins the
    sweep's cache entry, and the same run is then served from the cache."""
    base, _, _ = two_by_three
    table = pd.read_parquet(base / "first" / "results.parquet")
    row = table[table["point"] == 6].iloc[0]
    params = row_params(row)
    defaults = kft.PARAMETERS.defaults()
    assert all(params[name] != defaults[name] for name in ("target_home_rate", "ci_method"))
    (tmp_path / "p.json").write_text(json.dumps(params))
    # The sweep cached this point's results but not an executed notebook: the run executes it ...
    run_point = ["run", STEM, "-f", str(tmp_path / "p.json"), "--no-progress", "--no-page", "--out"]
    res = cli(*run_point, str(tmp_path / "a"), cache_dir=base / "c")
    assert res.returncode == 0, res.stderr
    assert "served from the cache" not in res.stdout
    assert json.loads((tmp_path / "a" / "params.json").read_text()) == params
    entry = cache.RunCache(base / "c").lookup(STEM, row["cache_key"])
    assert entry.notebook is not None and entry.meta["how"] == "in-process+papermill"
    # The notebook's results equal the sweep's (a difference would have replaced the entry, with a warning).
    assert values(json.loads((tmp_path / "a" / "results.json").read_text())) == row_results(row) == entry.results
    assert "differ" not in res.stderr
    # ... and an identical run is then served from the cache, into its own new folder (in this process:
    # nothing is executed, and a subprocess would only add its imports).
    started = time.monotonic()
    res = cli(*run_point, str(tmp_path / "b"), cache_dir=base / "c", inprocess=True)
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("served from the cache: nothing was executed")
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == sorted(p.name for p in (tmp_path / "a").iterdir())
    for name in ("params.json", "results.json", f"{STEM}.ipynb"):
        assert (tmp_path / "b" / name).read_bytes() == (tmp_path / "a" / name).read_bytes(), name
    assert time.monotonic() - started < 120


def test_pages_give_each_finished_point_its_run_and_its_page(two_by_three, tmp_path, monkeypatch):
    """``--pages``: a point that finished gets a run folder with its page (its notebook from the run cache when
    executed before, as the test above leaves it); a failed point gets none; a second invocation replaces them."""
    from bs4 import BeautifulSoup

    from helpers.engine import sweep
    from helpers.engine.sweep.pages import write_point_pages

    base, _, _ = two_by_three
    monkeypatch.setenv("COMPENDIUM_CACHE", str(base / "c"))
    table = pd.read_parquet(base / "first" / "results.parquet")
    row = table[table["point"] == 6].iloc[0]
    finished = sweep.Point(6, {}, row_params(row))
    failed = sweep.Point(1, {}, row_params(table[table["point"] == 1].iloc[0]))
    outcomes = [
        sweep.PointOutcome(failed, "failed", "", {}, None, "boom"),
        sweep.PointOutcome(finished, "ok", "cached"),
    ]
    report = sweep.SweepReport(STEM, tmp_path, outcomes, tmp_path / "t.parquet", tmp_path / "t.csv", None, 0.0, 0.0)
    (tmp_path / "points" / "point-0009").mkdir(parents=True)  # an earlier invocation's
    done = write_point_pages(report, progress=False)
    folder = tmp_path / "points" / "point-0006"
    assert done.pages == [folder / "page.html"]
    assert sorted(p.name for p in (tmp_path / "points").iterdir()) == ["point-0006"]
    assert values(json.loads((folder / "results.json").read_text())) == row_results(row)
    soup = BeautifulSoup((folder / "page.html").read_text(encoding="utf-8"), "html.parser")
    banner = " ".join(soup.select_one(".compendium-run-banner").get_text(" ").split())
    assert f"target_home_rate : 0.5 on the published page → {row['param.target_home_rate']}" in banner
    assert f"ci_method : wilson on the published page → {row['param.ci_method']}" in banner
