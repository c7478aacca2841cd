"""The sources the compendium read, and how directly each lets it see what an evaluation reported.

``data/published/sources.csv`` lists every document a published figure or statement was read in: its
title, publisher, date, what kind of document it is, its entry in the references, and (where the
compendium holds a copy for checking) the document's file and SHA-256. Copies are not committed: the
``document`` column names a file relative to the project's shared folder (``../shared`` beside the
repository), where ``tests/test_statements.py`` finds it to check every quote word for word.

How directly a source lets us see a figure follows from its kind, by one policy (:data:`GRADE_OF_KIND`,
stated on the book's data page): the report itself, its official summary, a summary its authors
published, and official statistics files are **seen**; blogs, news and the compendium's own notes are
**secondary**. A figure or statement is never graded higher than its source allows (it may be lower:
*inferred* when the compendium derived it, *secondary* when the source reports someone else's study).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from helpers.engine.paths import PUBLISHED

SOURCES: Path = PUBLISHED / "sources.csv"
COLUMNS: tuple[str, ...] = ("id", "title", "publisher", "date", "kind", "bibkey", "document", "sha256")
#: Evidence grades, strongest first.
GRADES: tuple[str, ...] = ("seen", "secondary", "inferred")
#: The data page's policy: the grade each kind of source allows at most.
GRADE_OF_KIND: dict[str, str] = {
    "report": "seen",
    "official summary": "seen",
    "authors' summary": "seen",
    "official statistics": "seen",
    "blog": "secondary",
    "news": "secondary",
    "compendium notes": "secondary",
    "database listing": "secondary",
}


class SourceError(ValueError):
    """The sources file is malformed, a source id is unknown, or a grade exceeds its source's."""


@dataclass(frozen=True)
class Source:
    """One document the compendium read."""

    id: str
    title: str
    publisher: str
    date: str
    kind: str
    bibkey: str
    document: str
    sha256: str

    @property
    def grade(self) -> str:
        """The strongest evidence grade this source allows (:data:`GRADE_OF_KIND`)."""
        return GRADE_OF_KIND[self.kind]

    def describe(self) -> str:
        """One line for a page: title, publisher and date."""
        return f"'{self.title}', {self.publisher}, {self.date}"


def _read(path: Path) -> dict[str, Source]:
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise SourceError(f"{path}: columns {reader.fieldnames} differ from {list(COLUMNS)}")
        out: dict[str, Source] = {}
        for line, row in enumerate(reader, start=2):
            if row["id"] in out or not row["id"]:
                raise SourceError(f"{path}:{line}: empty or repeated source id {row['id']!r}")
            if row["kind"] not in GRADE_OF_KIND:
                raise SourceError(
                    f"{path}:{line}: kind {row['kind']!r} of {row['id']!r}: expected one of {', '.join(GRADE_OF_KIND)}"
                )
            out[row["id"]] = Source(**{k: row[k] for k in COLUMNS})
    return out


@lru_cache(maxsize=2)
def load_sources(path: Path = SOURCES) -> dict[str, Source]:
    """Every source by id (read once per process)."""
    return _read(Path(path))


def source(source_id: str) -> Source:
    """One source; a clear error for an unknown id."""
    try:
        return load_sources()[source_id]
    except KeyError:
        raise SourceError(f"no source with id {source_id!r} in {SOURCES}") from None


def check_grade(what: str, evidence: str, source_id: str) -> None:
    """Raise :class:`SourceError` unless ``evidence`` is a grade no stronger than ``source_id`` allows."""
    if evidence not in GRADES:
        raise SourceError(f"{what}: evidence {evidence!r}: expected one of {', '.join(GRADES)}")
    allowed = source(source_id).grade
    if GRADES.index(evidence) < GRADES.index(allowed):
        raise SourceError(
            f"{what}: graded {evidence!r}, but its source {source_id!r} ({source(source_id).kind}) allows "
            f"at most {allowed!r} (the data page's policy)"
        )


_TYPOGRAPHY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def normalise(text: str) -> str:
    """Text as compared word for word: Unicode NFKC, typographic quotes and dashes made plain, Markdown
    emphasis asterisks dropped, and runs of white space made one space. Words, digits and punctuation
    are otherwise compared exactly."""
    text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY).replace("*", "")
    return re.sub(r"\s+", " ", text).strip()


def quote_in(quote: str, document: str, *, rows: bool = False) -> bool:
    """True when ``quote`` appears word for word in ``document`` (see :func:`normalise`); with ``rows``
    (an official statistics CSV file), when it is one whole line of the file."""
    if rows:
        return quote in document.splitlines()
    return normalise(quote) in normalise(document)
