"""The summaries a reader reads first: each page's "In brief" and its paragraph on the landing page.

A page's summaries are templates in its analysis package (``brief()`` and ``landing()``, see
:mod:`helpers.page.narrative`), filled from the numbers its committed notebook glued. The helpers here
give the tests their template source (where a glossary link must be, and no digit may be typed) and
their filled text (word budgets). A page whose "In brief" is still a Markdown cell is read as Markdown.

Shared by the tests that hold summaries to a stricter standard than the body (glossary links at first
use, a kind mark on every number, word budgets).
"""

from __future__ import annotations

import importlib
import json
import re
from functools import cache
from pathlib import Path
from types import ModuleType

from helpers.engine.paths import ROOT
from helpers.page.landing import glued, toc_stems
from helpers.page.narrative import Brief

INTRO = ROOT / "book" / "intro.md"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: A generated summary's word budget ("In brief"), and the landing page's prose outside its table.
BRIEF_WORDS = 150
LANDING_WORDS = 700


def module(stem: str) -> ModuleType:
    return importlib.import_module(f"helpers.analyses.{stem}")


def generated(stem: str) -> bool:
    """True when the page's "In brief" is generated from its package's ``brief()``."""
    return hasattr(module(stem), "brief")


@cache
def brief(stem: str) -> Brief:
    """The page's brief, filled from its committed notebook's numbers and its default parameters."""
    m = module(stem)
    return m.brief(glued(stem), dict(m.PARAMETERS.validate({})))


def as_markdown(template: str) -> str:
    """A template with its glossary links written as ``{term}`` roles and its fields as ``{num}`` roles, so
    the checks written for Markdown summaries read it too."""
    text = re.sub(r"\{([^{}`]+)\}", lambda m: f"{{num}}`{m.group(1)}`", template)
    text = re.sub(r"\[\[([^\[\]|]+)\|([^\[\]]+)\]\]", lambda m: f"{{term}}`{m.group(1)} <{m.group(2)}>`", text)
    return re.sub(r"\[\[([^\[\]]+)\]\]", lambda m: f"{{term}}`{m.group(1)}`", text)


def brief_templates(stem: str) -> list[str]:
    """The templates of a generated brief (bullets, then what it cannot show)."""
    b = brief(stem)
    return [*b.items, b.limits]


def in_brief(notebook: Path) -> str:
    """A notebook's "In brief" as Markdown source: the generated brief's templates (see :func:`as_markdown`),
    or the Markdown section of a page not yet converted, up to "What this page c..." if present."""
    if generated(notebook.stem):
        return "\n".join(as_markdown(t) for t in brief_templates(notebook.stem))
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    text = "".join(cells[0]["source"])
    start = text.index("## In brief")
    end = text.find("**What this page c", start)
    return text[start : end if end != -1 else len(text)]


def landing_template(stem: str) -> str:
    """The page's landing paragraph, as a template."""
    return module(stem).landing(glued(stem))


def intro_summary() -> str:
    """The landing page's paragraphs, as Markdown source (see :func:`as_markdown`), in the book's order."""
    return "\n\n".join(as_markdown(landing_template(stem)) for stem in toc_stems())


def raw_simulated_numbers(stem: str, scalars: dict) -> list[str]:
    """Simulated numbers a page prints without the Monte Carlo precision rule (:mod:`helpers.stats.montecarlo`):
    a template field ``{name:spec}`` of the brief, the landing paragraph or the card's headline whose ``name`` has
    a Monte Carlo error (``name_mcse`` among ``scalars``) and whose spec is not one of the rule's (``mc...``), and a
    ``{glue:text}`` or ``{num}`` role in the notebook's Markdown or figure captions that prints such a number
    itself rather than its ``name_text``."""
    m = module(stem)
    templates = [*brief_templates(stem), m.landing(scalars), getattr(m.CARD, "headline", "")]
    found = []
    for template in templates:
        for field in re.finditer(r"\{([a-z0-9_]+):([^{}]+)\}", template):
            name, spec = field.groups()
            if f"{name}_mcse" in scalars and not spec.startswith("mc"):
                found.append(f"template {{{name}:{spec}}}")
    cells = json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    text += "\n".join(json.dumps(c["metadata"].get("mystnb", {})) for c in cells if c["cell_type"] == "code")
    for role in re.finditer(r"\{(?:glue:text|num)\}`([^`]+)`", text):
        name = role.group(1).split("::")[-1].split(":")[0]
        if f"{name}_mcse" in scalars:
            found.append(f"role {role.group(0)}")
    return found
