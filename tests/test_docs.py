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
