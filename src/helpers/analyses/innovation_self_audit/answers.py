"""A service's answers: a YAML file rating every item of the audit, read with every problem
reported at once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpers.engine import yamlio  # safe, bounded YAML: refuses a key given twice, aliases, huge files
from helpers.engine.paths import ROOT
from helpers.engine.wording import did_you_mean, noun_for, plural
from helpers.inputs.records import problem_lines
from helpers.params import ParameterError

from .items import ITEMS_FILE, MAX_RATING, MIN_RATING, SCALE, Item, _audit, scale_text

#: The default answers: an invented example service, written relative to the repository root.
EXAMPLE_ANSWERS = "data/innovation_audit/example.yaml"


class AnswersError(ParameterError):
    """An answers file that cannot be used. ``problems`` holds one line per problem; the message
    names the file, each item and value at fault, and what is allowed."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        head = f"parameter 'answers_path': answers file {source!r} cannot be used ({plural(len(problems), 'problem')}):"
        super().__init__("\n".join([head, *problem_lines(problems)]), "answers_path")


@dataclass(frozen=True)
class Answers:
    service: str
    example: bool
    ratings: dict[str, int]  # item id -> rating, in the audit's item order


_TOP_KEYS = {
    "service": "the service's name (text)",
    "example": "true for an invented example (optional)",
    "ratings": "a rating for every item, by item id",
}


def answers_file(answers_path: str) -> Path:
    """The file a validated ``answers_path`` names (the shipped default is read from the repository)."""
    return ROOT / answers_path if answers_path == EXAMPLE_ANSWERS else Path(answers_path)


def _top_problems(data: dict[Any, Any]) -> list[str]:
    """Unknown keys, and a service name or example flag that is not allowed."""
    problems = [
        f"unknown key {yamlio.brief(key)}: expected one of " + "; ".join(f"{k} ({v})" for k, v in _TOP_KEYS.items())
        for key in data
        if key not in _TOP_KEYS
    ]
    service = data.get("service")
    if not isinstance(service, str) or not service.strip():
        problems.append(f"service = {yamlio.brief(service)} is not allowed: expected the service's name as text")
    example = data.get("example", False)
    if not isinstance(example, bool):
        problems.append(f"example = {yamlio.brief(example)} is not allowed: expected true or false")
    return problems


def _rating_problems(ratings_in: dict[Any, Any], ids: list[str]) -> list[str]:
    """Unknown items (with the closest id), ratings off the scale, and items not rated."""
    problems = []
    for key, value in ratings_in.items():
        if key not in ids:
            problems.append(
                f"unknown item {yamlio.brief(key)}{did_you_mean(key, ids)}: expected one of the audit's item ids "
                f"(listed in {ITEMS_FILE.relative_to(ROOT)})"
            )
        elif isinstance(value, bool) or not isinstance(value, int) or not MIN_RATING <= value <= MAX_RATING:
            allowed = ", ".join(f"{lv.rating} ({lv.label})" for lv in SCALE)
            problems.append(
                f"item {yamlio.brief(key)} = {yamlio.brief(value)} is not allowed: expected a whole number from "
                f"{MIN_RATING} to {MAX_RATING}: {allowed}"
            )
    missing = [i for i in ids if i not in ratings_in]
    if missing:
        problems.append(
            f"missing {noun_for(len(missing), 'item')} {', '.join(repr(m) for m in missing)}: "
            f"rate every item, from {scale_text()}"
        )
    return problems


def read_answers(path: str | Path, items: tuple[Item, ...] | list[Item] | None = None) -> Answers:
    """A service's answers from a YAML file, every problem reported at once in one :class:`AnswersError`."""
    items = list(items if items is not None else _audit()[1])
    path = Path(path)
    source = str(path)
    try:
        data = yamlio.load_file(path, "answers file")
    except yamlio.YAMLFileError as err:
        raise AnswersError(source, [str(err).split(f"{source!r} ", 1)[-1]]) from None
    if not isinstance(data, dict):
        raise AnswersError(
            source,
            [
                f"must hold a mapping with keys {', '.join(_TOP_KEYS)}, "
                f"not {type(data).__name__ if data is not None else 'nothing'}"
            ],
        )
    problems = _top_problems(data)
    ratings_in = data.get("ratings")
    if not isinstance(ratings_in, dict):
        problems.append(
            f"ratings = {yamlio.brief(ratings_in)} is not allowed: expected a mapping of item id: rating "
            f"(a whole number from {scale_text()}) for every item"
        )
        raise AnswersError(source, problems)
    ids = [i.id for i in items]
    problems += _rating_problems(ratings_in, ids)
    if problems:
        raise AnswersError(source, problems)
    return Answers(data["service"].strip(), data.get("example", False), {i: ratings_in[i] for i in ids})
