"""Shared fixtures. Tests never write into the repository: runs go to a temporary folder."""

from __future__ import annotations

import pytest
from hypothesis import settings

# Hypothesis fails an example that takes longer than its deadline (200 ms by default). That measures the
# machine, not the code: under load (make test on two busy cores) a 2 ms example took 500 ms once and
# failed the suite. Every property test here runs without a deadline; speed targets live in benchmarks/.
settings.register_profile("compendium", deadline=None)
settings.load_profile("compendium")


@pytest.fixture
def runs_tmp(tmp_path, monkeypatch):
    """Point ``runs/`` at a temporary folder for the duration of a test."""
    folder = tmp_path / "runs"
    monkeypatch.setenv("COMPENDIUM_RUNS", str(folder))
    return folder


@pytest.fixture(autouse=True)
def _private_run_cache(tmp_path_factory, monkeypatch):
    """Every test gets its own empty run cache (``COMPENDIUM_CACHE``), never the repository's."""
    monkeypatch.setenv("COMPENDIUM_CACHE", str(tmp_path_factory.mktemp("run-cache")))


#: The test files that take longest (about 5 s or more of one worker on 2 cores, from
#: `pytest --durations`), longest first. `make test` hands whole files to the two workers in
#: collection order (`--dist loadfile --no-loadscope-reorder`), so these go first and the short
#: files fill in around them; otherwise a worker may start a long file when the rest is done.
#: This changes the order only: every test still runs, and tests within a file keep their order.
SLOW_FIRST = (
    "tests/test_book.py",
    "tests/test_run_pages.py",
    "tests/test_cli.py",
    "tests/test_sweep_command.py",
    "tests/test_pdf.py",
    "tests/test_sweep_interrupt.py",
    "tests/test_lint.py",
    "tests/test_frontline_visits.py",
    "tests/test_packaging.py",
    "tests/test_sweep_scheduler.py",
    "tests/test_fuzz.py",
    "tests/test_national_context.py",
    "tests/test_rsw_quality_factors.py",
    "tests/test_reproducible.py",
    "tests/test_link_worker_monitoring.py",
    "tests/test_study_design_power.py",
    "tests/test_papermill.py",
    "notebooks/link_worker_monitoring.ipynb",
    "notebooks/rsw_quality_factors.ipynb",
    "notebooks/study_design_power.ipynb",
    "notebooks/frontline_visits.ipynb",
    "notebooks/innovation_self_audit.ipynb",
    "notebooks/kft_care_outcomes.ipynb",
    "notebooks/national_context.ipynb",
    "notebooks/time_use_admin_support.ipynb",
)


def pytest_collection_modifyitems(config, items):
    """Put the slowest files first (a stable sort: every other file keeps its place after them)."""
    rank = {path: i for i, path in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))
