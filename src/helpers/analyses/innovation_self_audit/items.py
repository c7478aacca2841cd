"""The audit's definition: the rating scale, and the themes and items taken word for word from the
report's lists (``data/innovation_audit/items.csv`` and ``themes.csv``), checked for consistency."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from helpers.engine.paths import DATA

AUDIT_DIR = DATA / "innovation_audit"
ITEMS_FILE = AUDIT_DIR / "items.csv"
THEMES_FILE = AUDIT_DIR / "themes.csv"


# ---------------------------------------------------------------- the rating scale
@dataclass(frozen=True)
class Level:
    rating: int
    label: str
    meaning: str


#: The rating scale (the compendium's, documented on the page and in the example answers file).
SCALE: tuple[Level, ...] = (
    Level(0, "not in place", "no evidence that it is in place"),
    Level(1, "beginning", "agreed or planned; first steps taken"),
    Level(2, "developing", "in place in parts of the service, or inconsistently"),
    Level(3, "established", "in place across most of the service, with evidence"),
    Level(4, "embedded", "consistently in place across the service, sustained and reviewed"),
)
MIN_RATING, MAX_RATING = SCALE[0].rating, SCALE[-1].rating
#: Ratings at or above this count as "established or embedded".
ESTABLISHED = 3
LEVEL_LABEL = {lv.rating: lv.label for lv in SCALE}


def scale_text() -> str:
    """The scale in words, for error messages: ``0 (not in place) to 4 (embedded)``."""
    return f"{MIN_RATING} ({SCALE[0].label}) to {MAX_RATING} ({SCALE[-1].label})"


def scale_table() -> pd.DataFrame:
    """The rating scale, for the page."""
    return pd.DataFrame([{"rating": lv.rating, "level": lv.label, "meaning": lv.meaning} for lv in SCALE])


# ---------------------------------------------------------------- the audit's items
@dataclass(frozen=True)
class Theme:
    id: str
    title: str
    count_figure: str  # registry id of the published count of the report's list ("" if none)
    lead_in: str  # the report's words introducing the list


@dataclass(frozen=True)
class Item:
    id: str
    theme: str
    label: str  # a short label (the compendium's)
    wording: str  # the report's words
    source_sentence: str  # the sentence (or bullet point) the wording was taken from, verbatim


class AuditDefinitionError(ValueError):
    """The committed items or themes file is malformed (a fault in the compendium, not in the answers)."""


def _read_csv(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != columns:
            raise AuditDefinitionError(f"{path}: columns {reader.fieldnames} differ from {list(columns)}")
        return list(reader)


def _definition_problems(themes: list[Theme], items: list[Item]) -> list[str]:
    """Repeated ids, items of no theme or whose wording is not in their source sentence, themes with no items."""
    theme_ids = [t.id for t in themes]
    problems = []
    for kind, ids in (("theme", theme_ids), ("item", [i.id for i in items])):
        dupes = sorted({x for x in ids if ids.count(x) > 1})
        if dupes:
            problems.append(f"duplicate {kind} ids: {', '.join(dupes)}")
    for item in items:
        if item.theme not in theme_ids:
            problems.append(f"item {item.id!r}: theme {item.theme!r} is not one of {', '.join(theme_ids)}")
        if not item.wording or item.wording not in item.source_sentence:
            problems.append(f"item {item.id!r}: its wording is not found word for word in its source sentence")
    for theme in themes:
        if not any(i.theme == theme.id for i in items):
            problems.append(f"theme {theme.id!r} has no items")
    return problems


def load_audit(items_path: Path = ITEMS_FILE, themes_path: Path = THEMES_FILE) -> tuple[list[Theme], list[Item]]:
    """The themes and items of the audit, in the report's order, checked for consistency."""
    themes = [Theme(**row) for row in _read_csv(Path(themes_path), ("id", "title", "count_figure", "lead_in"))]
    items = [Item(**row) for row in _read_csv(Path(items_path), ("id", "theme", "label", "wording", "source_sentence"))]
    problems = _definition_problems(themes, items)
    if problems:
        raise AuditDefinitionError(f"{items_path}: " + "; ".join(problems))
    order = {t.id: k for k, t in enumerate(themes)}
    items.sort(key=lambda i: order[i.theme])  # stable: keeps the report's order within a theme
    return themes, items


@lru_cache(maxsize=1)
def _audit() -> tuple[tuple[Theme, ...], tuple[Item, ...]]:
    themes, items = load_audit()
    return tuple(themes), tuple(items)


N_ITEMS = len(_audit()[1])
