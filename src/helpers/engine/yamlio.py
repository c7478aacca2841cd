"""Reading YAML the compendium's way: safe, bounded, and strict about keys.

Every YAML file the compendium reads from a user (``-f`` parameter files, sweep grids, self-audit
answers) goes through :func:`load_file` (or :func:`load` for text), which

* refuses a key given twice in one mapping (plain YAML silently keeps the last, so a grid or
  parameter file that names a parameter twice would run with a value the user may not have meant);
* refuses aliases and anchors (``*name``, ``&name``): a few lines of aliases can expand to gigabytes
  (a "billion laughs" file), and no compendium file needs them;
* refuses a file larger than :data:`MAX_BYTES`, nesting deeper than :data:`MAX_DEPTH` and more than
  :data:`MAX_NODES` values, and a file that is not UTF-8 text;
* reads a number only as it is written on the command line (``-p``): ASCII digits, an optional sign,
  point and exponent (``1000``, ``-0.5``, ``1e-3``, ``.inf``). YAML 1.1's other forms (``1_000``,
  ``0x10``, ``010`` as octal, ``1:30`` as sexagesimal) are text, which the parameter is then parsed
  from and refuses as on the command line; an integer too long for Python to read (over
  :data:`MAX_INT_DIGITS` digits) is refused by line and column;
* reports every problem in one line that names the file and where in it, and never prints a whole
  value: :func:`brief` shortens any value a message shows.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from helpers import numbers

#: Largest YAML file read (bytes): far beyond any parameter file, grid or answers file.
MAX_BYTES = 200_000
#: Deepest nesting of lists and mappings.
MAX_DEPTH = 20
#: Most values (scalars, lists and mappings) in one file: beyond any grid under the sweep ceiling.
MAX_NODES = 10_000
#: Longest text of a value shown in a message.
MAX_SHOWN = 60
#: Longest integer read (digits): Python's own limit on converting text to an integer.
MAX_INT_DIGITS = sys.get_int_max_str_digits() or 4300

#: What the loader reads as an int and as a float: numbers as the command line writes them
#: (:mod:`helpers.numbers`), and YAML's own names for infinity and not-a-number.
_INT = re.compile(f"^{numbers.INTEGER.pattern}$", re.ASCII)
_FLOAT = re.compile(f"^(?:{numbers.DECIMAL.pattern}|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$", re.ASCII)


class YAMLFileError(ValueError):
    """A YAML file that cannot be used; the message is one line naming the file and the problem."""


def brief(value: Any, limit: int = MAX_SHOWN) -> str:
    """``repr(value)``, cut to ``limit`` characters (with how long it was), so that a message never
    prints a huge value. Containers are summarised without building their whole repr."""
    if isinstance(value, (list, tuple, dict, set)) and len(value) > 20:
        kind = type(value).__name__
        return f"<a {kind} of {len(value)} items>"
    text = repr(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text)} characters)"


class UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a key given twice in one mapping, aliases and anchors, and
    nesting or sizes beyond the module's limits."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent, index):  # PyYAML's hook
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, f"an alias (*{event.anchor}) is not allowed: write the value out in full", event.start_mark
            )
        if getattr(event, "anchor", None) is not None:
            raise yaml.composer.ComposerError(
                None,
                None,
                f"an anchor (&{event.anchor}) is not allowed: write each value out in full",
                event.start_mark,
            )
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise yaml.composer.ComposerError(None, None, f"more than {MAX_NODES} values", event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"lists or mappings nested more than {MAX_DEPTH} deep", event.start_mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _construct_mapping(loader: UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, f"a key must be a name or a number, not a {type(key).__name__}", key_node.start_mark
            ) from None
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"{brief(key)} is given twice (lines {seen[key] + 1} and {key_node.start_mark.line + 1}); "
                "give each once",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=deep)


def _construct_int(loader: UniqueKeyLoader, node: yaml.ScalarNode) -> int:
    text = loader.construct_scalar(node)
    digits = len(text.lstrip("+-"))
    if digits > MAX_INT_DIGITS:
        raise yaml.constructor.ConstructorError(
            None, None, f"an integer of {digits:,} digits is too long (at most {MAX_INT_DIGITS:,})", node.start_mark
        )
    return int(text)


def _construct_float(loader: UniqueKeyLoader, node: yaml.ScalarNode) -> float:
    text = loader.construct_scalar(node)
    return float(
        text.replace(".inf", "inf").replace(".Inf", "inf").replace(".INF", "inf").lower().replace(".nan", "nan")
    )


UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
UniqueKeyLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
UniqueKeyLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)
# Numbers only as the command line writes them: the loader's own copy of the implicit resolvers, with
# YAML 1.1's int and float forms (1_000, 0x10, 010, 1:30) replaced by the plain ASCII ones.
UniqueKeyLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp) for tag, regexp in resolvers if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
UniqueKeyLoader.add_implicit_resolver("tag:yaml.org,2002:int", _INT, list("-+0123456789"))
UniqueKeyLoader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT, list("-+0123456789."))


def load(text: str) -> Any:
    """YAML ``text`` as Python objects (safe types only); any problem raises ``yaml.YAMLError``."""
    if len(text) > MAX_BYTES:
        raise yaml.YAMLError(f"the text is longer than {MAX_BYTES:,} characters")
    try:
        return yaml.load(text, Loader=UniqueKeyLoader)  # a SafeLoader subclass
    except RecursionError:
        raise yaml.YAMLError(f"lists or mappings nested more than {MAX_DEPTH} deep") from None


def read_text(path: str | Path, what: str) -> str:
    """The text of a user's file, or a :class:`YAMLFileError` naming it (``what``, e.g. "grid file"):
    missing, not a file, unreadable, larger than :data:`MAX_BYTES` or not UTF-8."""
    path = Path(path)
    where = f"{what} {str(path)!r}"
    try:
        if not path.exists():
            raise YAMLFileError(f"{where} does not exist")
        if not path.is_file():
            raise YAMLFileError(f"{where} is not a file")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise YAMLFileError(f"{where} is {size:,} bytes: at most {MAX_BYTES:,} bytes are allowed")
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as err:
        raise YAMLFileError(f"{where} cannot be read: {err.strerror or err}") from None
    if len(data) > MAX_BYTES:
        raise YAMLFileError(f"{where} is over {MAX_BYTES:,} bytes: at most {MAX_BYTES:,} bytes are allowed")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise YAMLFileError(
            f"{where} is not UTF-8 text (byte {data[err.start]:#04x} on line {line}); save it as UTF-8"
        ) from None


def load_file(path: str | Path, what: str) -> Any:
    """A user's YAML file as Python objects, or a :class:`YAMLFileError` in one line naming the file
    (``what``, e.g. "grid file") and the problem (see the module's list)."""
    text = read_text(path, what)
    try:
        return load(text)
    except yaml.YAMLError as err:
        raise YAMLFileError(f"{what} {str(path)!r} is not valid YAML: {error_text(err)}") from None


def load_file_as(path: str | Path, what: str, error: Callable[[str], Exception]) -> Any:
    """:func:`load_file`, with its one-line message raised as ``error`` instead (e.g. a
    ``ParameterError`` for a parameter file or a grid, which ``compendium`` reports as a usage error).
    An empty file gives ``None``."""
    try:
        return load_file(path, what)
    except YAMLFileError as err:
        raise error(str(err)) from None


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
    return " ".join(str(err).split())[:200] or "parse error"
