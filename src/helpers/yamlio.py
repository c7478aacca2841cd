"""Reading YAML the compendium's way: a key given twice in one mapping is an error.

Plain YAML (``yaml.safe_load``) silently keeps the last of two equal keys, so a grid or
parameter file that names a parameter twice would run with a value the user may not
have meant. Every YAML file the compendium reads from a user goes through :func:`load`.
"""

from __future__ import annotations

from typing import Any

import yaml


class UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses a key given twice in one mapping (plain YAML keeps the last)."""


def _construct_mapping(loader: UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None,
                f"{key!r} is given twice (lines {seen[key] + 1} and {key_node.start_mark.line + 1}); give each once",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=deep)


UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load(text: str) -> Any:
    """YAML ``text`` as Python objects (safe types only); a key given twice raises ``yaml.YAMLError``."""
    return yaml.load(text, Loader=UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass


def error_text(err: yaml.YAMLError) -> str:
    """A YAML error in one line, with where it is (line and column, counted from 1) when known."""
    if isinstance(err, yaml.MarkedYAMLError):
        parts = []
        for text, mark in ((err.context, err.context_mark), (err.problem, err.problem_mark)):
            if text:
                where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
                parts.append(" ".join(str(text).split()) + where)
        if parts:
            return ": ".join(parts)
    return " ".join(str(err).split()) or "parse error"
