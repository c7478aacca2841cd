"""The README and the "How to reproduce" page say what the code and the Makefile do."""

from __future__ import annotations

import re

import pytest

from helpers.engine.catalog import module_for, stems
from helpers.engine.paths import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
REPRODUCE = (ROOT / "book" / "reproduce.md").read_text(encoding="utf-8")
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")
DOCS = {"README.md": README, "book/reproduce.md": REPRODUCE}


def _path_parameters() -> list[tuple[str, str]]:
    return [(stem, p.name) for stem in stems() for p in module_for(stem).PARAMETERS.params if p.is_path]


def _own_records_rows(text: str) -> set[tuple[str, str]]:
    """(notebook, parameter) of each row of the own-records table: | `stem` | `param` | ... |"""
    return set(re.findall(r"^\| `(\w+)` \| `(\w+)` \|", text, flags=re.M))


def test_there_are_path_parameters_to_document():
    assert len(_path_parameters()) >= 4


@pytest.mark.parametrize("doc", DOCS)
def test_own_records_table_lists_exactly_the_path_parameters(doc):
    assert _own_records_rows(DOCS[doc]) == set(_path_parameters())


@pytest.mark.parametrize("doc", DOCS)
def test_every_make_target_named_exists(doc):
    targets = set(re.findall(r"^([a-z][\w-]*):", MAKEFILE, flags=re.M))
    named = set(re.findall(r"`make ([a-z][\w-]*)", DOCS[doc]))
    assert named and named <= targets, f"{doc} names make targets the Makefile lacks: {sorted(named - targets)}"


def test_every_make_target_is_in_the_readme():
    targets = set(re.findall(r"^([a-z][\w-]*):", MAKEFILE, flags=re.M)) - {"help", "install", "clean", "browser"}
    missing = {t for t in targets if f"make {t}" not in README}
    assert not missing, f"make targets the README does not mention: {sorted(missing)}"


def test_the_limits_the_docs_name_are_the_codes():
    """The size and row limits, the protected folders and the symbolic-link rule, as "How to reproduce"
    states them, are the ones the code applies."""
    from helpers.analyses.rsw_quality_factors.records import MAX_OBSERVATIONS
    from helpers.engine.paths import PROTECTED
    from helpers.inputs.records import MAX_FILE_BYTES, MAX_ROWS

    flat = " ".join(REPRODUCE.split())
    assert MAX_FILE_BYTES > 0 and MAX_ROWS > MAX_OBSERVATIONS > 0  # named, not typed: the book types no number
    assert "`helpers.inputs.records.MAX_FILE_BYTES` is refused before it is read" in flat
    assert "`helpers.inputs.records.MAX_ROWS` cases for `frontline_visits` and `link_worker_monitoring`" in flat
    assert "`MAX_OBSERVATIONS` sessions in `helpers.analyses.rsw_quality_factors`" in flat
    for folder in PROTECTED:
        assert f"`{folder}/`" in flat, folder
    assert "without resolving symbolic links" in flat
    # What the cache's checksums protect against, and what they do not.
    assert "not a seal against someone who can write to the cache folder" in flat
