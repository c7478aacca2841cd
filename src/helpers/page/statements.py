"""The registry of published statements, beside the registry of figures: what the evaluators said.

``data/published/statements.csv`` holds, for each evaluation, the sentences the compendium quotes:
what the intervention is (``intervention``, ``setting``), how it was evaluated (``design``), what the
evaluation found (``finding``, and ``headline``: a short verbatim excerpt of a finding for the landing
page's table), what it cost (``cost``), what it cannot show (``caveat``) and the messages for practice
(``practice``). Each is a verbatim quote, with its source
(:mod:`helpers.page.sources`), the section it is in, its evidence grade (seen, secondary, inferred:
never higher than its source allows) and the report it belongs to. Cards and pages quote from here;
nothing an evaluator said is typed into a page.

``data/published/designs.csv`` holds each evaluation's **design facts**, the inputs of the strength
of evidence rating (:mod:`helpers.page.evidence`): for every fact in :data:`DESIGN_FACTS` a yes or no,
the statement whose quote shows it, and the compendium's one-line reading of that quote. A fact that no
quoted sentence shows has no statement: it is then a no (a fact the sources do not describe counts as
absent), and the page says that it is not described rather than quote a sentence about something else.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from helpers.engine.paths import PUBLISHED
from helpers.page.sources import SourceError, check_grade, source

STATEMENTS: Path = PUBLISHED / "statements.csv"
DESIGNS: Path = PUBLISHED / "designs.csv"
STATEMENT_COLUMNS = ("id", "evaluation", "role", "quote", "source", "section", "evidence", "bibkey")
DESIGN_COLUMNS = ("evaluation", "fact", "value", "statement", "reading")
#: What a statement says about its evaluation, in a card's order.
ROLES = ("intervention", "setting", "design", "headline", "finding", "cost", "caveat", "practice")
#: The design facts every evaluation declares, each a yes or a no shown by a quoted statement.
DESIGN_FACTS: dict[str, str] = {
    "impact_estimate": "reports an estimate of the intervention's effect on an outcome",
    "synthesis": "is a synthesis of other evaluations",
    "qualitative_only": "rests on interviews and observation alone",
    "comparison_group": "compares people or places that had the intervention with some that did not",
    "before_after": "compares outcomes before and after the intervention",
    "controls": "adjusts for other differences between the groups or periods compared",
    "as_if_random": "exploits as-good-as-random differences in who had the intervention",
    "random_allocation": "allocated the intervention at random",
}
#: Design facts an evaluation declares only when they hold for it (undeclared: no). ``separate_measures``:
#: an evaluation with both a comparison group and a before-and-after comparison that makes them on
#: different outcomes (so it has no difference in differences).
OPTIONAL_FACTS: dict[str, str] = {
    "separate_measures": "makes its comparison between groups and its comparison before and after on different "
    "outcomes, so no outcome is compared both ways",
    "comparison_inferred": "compares groups only by the compendium's inference: the source names no comparison "
    "group, and the rating rests on reading it as one",
}


class StatementError(ValueError):
    """A malformed statements or designs file, or an unknown evaluation or statement."""


@dataclass(frozen=True)
class Statement:
    """One quoted sentence of an evaluation."""

    id: str
    evaluation: str
    role: str
    quote: str
    source: str
    section: str
    evidence: str
    bibkey: str


@dataclass(frozen=True)
class DesignFact:
    """One design fact of an evaluation: its value, the statement that shows it (None: no source the compendium
    holds describes it, so it is a no), and our reading."""

    evaluation: str
    fact: str
    value: bool
    statement: Statement | None
    reading: str

    @property
    def described(self) -> bool:
        """Whether a quoted sentence shows the fact (else it counts as absent: not described)."""
        return self.statement is not None


def _rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != columns:
            raise StatementError(f"{path}: columns {reader.fieldnames} differ from {list(columns)}")
        return list(enumerate(reader, start=2))


def _parse_statements(path: Path) -> dict[str, Statement]:
    out: dict[str, Statement] = {}
    for line, row in _rows(path, STATEMENT_COLUMNS):
        where = f"{path}:{line}"
        if not row["id"] or row["id"] in out:
            raise StatementError(f"{where}: empty or repeated statement id {row['id']!r}")
        if row["role"] not in ROLES:
            raise StatementError(f"{where}: role {row['role']!r}: expected one of {', '.join(ROLES)}")
        if not row["quote"].strip():
            raise StatementError(f"{where}: statement {row['id']!r} has no quote")
        try:
            check_grade(f"{where}: statement {row['id']!r}", row["evidence"], row["source"])
        except SourceError as exc:
            raise StatementError(str(exc)) from None
        out[row["id"]] = Statement(**{k: row[k] for k in STATEMENT_COLUMNS})
    return out


@lru_cache(maxsize=2)
def load_statements(path: Path = STATEMENTS) -> dict[str, Statement]:
    """Every statement by id, in file order (read once per process)."""
    return _parse_statements(Path(path))


def statement(statement_id: str) -> Statement:
    """One statement; a clear error for an unknown id."""
    try:
        return load_statements()[statement_id]
    except KeyError:
        raise StatementError(f"no statement with id {statement_id!r} in {STATEMENTS}") from None


def evaluations() -> tuple[str, ...]:
    """The evaluations the statements describe, in file order."""
    return tuple(dict.fromkeys(s.evaluation for s in load_statements().values()))


def of(evaluation: str, role: str) -> list[Statement]:
    """An evaluation's statements in one role, in file order (an unknown evaluation is an error)."""
    if evaluation not in evaluations():
        raise StatementError(f"no statements for evaluation {evaluation!r}; known: {', '.join(evaluations())}")
    if role not in ROLES:
        raise StatementError(f"role {role!r}: expected one of {', '.join(ROLES)}")
    return [s for s in load_statements().values() if s.evaluation == evaluation and s.role == role]


def _parse_designs(path: Path, statements: Mapping[str, Statement]) -> dict[str, dict[str, DesignFact]]:
    out: dict[str, dict[str, DesignFact]] = {}
    for line, row in _rows(path, DESIGN_COLUMNS):
        where = f"{path}:{line}"
        ev, fact = row["evaluation"], row["fact"]
        if fact not in DESIGN_FACTS and fact not in OPTIONAL_FACTS:
            known = ", ".join([*DESIGN_FACTS, *OPTIONAL_FACTS])
            raise StatementError(f"{where}: fact {fact!r}: expected one of {known}")
        if row["value"] not in ("yes", "no"):
            raise StatementError(f"{where}: {ev} {fact} = {row['value']!r}: expected yes or no")
        quoted = statements.get(row["statement"])
        if not row["statement"]:
            if row["value"] != "no":
                raise StatementError(f"{where}: {ev} {fact} = yes needs a statement that shows it")
        elif quoted is None or quoted.evaluation != ev:
            raise StatementError(f"{where}: {ev} {fact}: {row['statement']!r} is not a statement of {ev!r}")
        if fact in out.setdefault(ev, {}):
            raise StatementError(f"{where}: {ev} declares {fact} twice")
        out[ev][fact] = DesignFact(ev, fact, row["value"] == "yes", quoted, row["reading"])
    for ev, facts in out.items():
        missing = [f for f in DESIGN_FACTS if f not in facts]
        if missing:
            raise StatementError(f"{path}: evaluation {ev!r} declares no {', '.join(missing)}")
    return out


@lru_cache(maxsize=2)
def load_designs(path: Path = DESIGNS) -> dict[str, dict[str, DesignFact]]:
    """Each evaluation's design facts, by fact (every fact of :data:`DESIGN_FACTS` declared, and any of
    :data:`OPTIONAL_FACTS` that hold)."""
    return _parse_designs(Path(path), load_statements())


def design(evaluation: str) -> dict[str, DesignFact]:
    """One evaluation's design facts; a clear error when it declares none."""
    try:
        return load_designs()[evaluation]
    except KeyError:
        raise StatementError(f"evaluation {evaluation!r} declares no design facts in {DESIGNS}") from None


def cite(item: Statement) -> str:
    """Where a statement was read, for a page: the source's title, publisher and date."""
    return source(item.source).describe()
