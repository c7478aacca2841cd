"""Provenance a reader can verify: content digests, never a commit, in committed outputs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from helpers.engine import catalog, provenance
from helpers.engine.paths import NOTEBOOKS, ROOT

COMPENDIUM = str(Path(sys.executable).parent / "compendium")


def test_notebook_digest_follows_sources_not_outputs(tmp_path):
    nb = nbformat.read(NOTEBOOKS / "kft_care_outcomes.ipynb", as_version=4)
    path = tmp_path / "a.ipynb"
    nbformat.write(nb, path)
    before = provenance.notebook_digest(path)
    for cell in nb.cells:  # re-executing changes outputs and counts, not sources
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nbformat.write(nb, path)
    assert provenance.notebook_digest(path) == before
    nb.cells[0].source += " "
    nbformat.write(nb, path)
    assert provenance.notebook_digest(path) != before


@pytest.mark.parametrize("stem", catalog.stems())
def test_every_committed_notebook_records_this_checkouts_digests(stem):
    rows = provenance.compare(stem)
    assert [name for name, _, _ in rows] == list(provenance.PARTS)
    stale = [(name, was, now) for name, was, now in rows if was != now]
    assert not stale, f"{stem} was computed from other inputs {stale}: re-execute it (make notebooks)"


@pytest.mark.parametrize("stem", catalog.stems())
def test_no_committed_notebook_names_a_commit(stem):
    text = (NOTEBOOKS / f"{stem}.ipynb").read_text(encoding="utf-8")
    assert "compendium commit" not in text and "+modified" not in text


def test_recorded_reads_only_the_computed_from_part():
    line = (
        '<p class="provenance">Figure made by x · data read: data sha256:aaaaaaaaaaaa · computed from '
        "notebook sha256:111111111111 · code sha256:222222222222 · data sha256:333333333333 · "
        "lock sha256:444444444444</p>"
    )
    nb = {"cells": [{"cell_type": "code", "outputs": [{"data": {"text/html": line}}]}]}
    assert provenance.recorded(nb) == {
        "notebook": "111111111111",
        "code": "222222222222",
        "data": "333333333333",
        "lock": "444444444444",
    }


def test_compendium_provenance_reports_and_fails_on_a_difference(monkeypatch, capsys):
    from helpers.engine.cli import main

    assert main(["provenance", "kft_care_outcomes"]) == 0
    assert "kft_care_outcomes: matches this checkout" in capsys.readouterr().out
    real = provenance.digests
    monkeypatch.setattr(provenance, "digests", lambda stem: {**real(stem), "code": "f" * 64})
    assert main(["provenance", "kft_care_outcomes"]) == 1
    out = capsys.readouterr()
    assert "DIFFERS" in out.out and "code" in out.out and "make notebooks" in out.err


def test_git_commit_outside_a_repository(tmp_path):
    assert provenance.git_commit(tmp_path) == "not under version control"
    head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if head.returncode == 0:
        assert provenance.git_commit(ROOT).startswith(head.stdout.strip())
