"""Shared fixtures. Tests never write into the repository: runs go to a temporary folder."""

from __future__ import annotations

import pytest


@pytest.fixture
def runs_tmp(tmp_path, monkeypatch):
    """Point ``runs/`` at a temporary folder for the duration of a test."""
    folder = tmp_path / "runs"
    monkeypatch.setenv("COMPENDIUM_RUNS", str(folder))
    return folder
