"""Shared fixtures. Tests never write into the repository: runs go to a temporary folder."""

from __future__ import annotations

import pytest


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


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Under ``pytest -n N --dist loadgroup`` (``make test``), tests run where their group says.

    A test without an ``xdist_group`` mark is grouped by its file, as ``--dist loadfile`` would:
    a notebook's cells run in order in one kernel (nbval), and a module-scoped fixture (the
    book build) is made once. A few slow tests carry a group of their own so that the two
    workers share the load instead of one file holding one worker for minutes, and a file
    marked ``spread`` (independent tests, no shared fixture) runs test by test on either worker.
    """
    if config.getoption("dist", "no") != "loadgroup":
        return
    for item in items:
        if item.get_closest_marker("spread") is None and item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::", 1)[0]))
