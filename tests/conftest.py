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
