"""The summaries a reader reads first: the landing page's "Headline findings" and each notebook's "In brief".

Shared by the tests that hold summaries to a stricter standard than the body (glossary links at first
use, a kind mark on every number).
"""

from __future__ import annotations

import json
from pathlib import Path

from helpers.engine.paths import ROOT

INTRO = ROOT / "book" / "intro.md"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def intro_summary() -> str:
    """The landing page's "Headline findings" section (its source)."""
    text = INTRO.read_text(encoding="utf-8")
    return text[text.index("## Headline findings") : text.index("## What is published, and what is reconstructed")]


def in_brief(notebook: Path) -> str:
    """A notebook's "In brief" section (its source), up to "What this page c..." if present."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    text = "".join(cells[0]["source"])
    start = text.index("## In brief")
    end = text.find("**What this page c", start)
    return text[start : end if end != -1 else len(text)]
