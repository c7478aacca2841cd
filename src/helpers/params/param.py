"""One declared parameter: its type, default, allowed values and description; checking and parsing
a value of it (:class:`Param`, :class:`ShippedFileParam`), and the one-line error it gives."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpers import numbers as number_text
from helpers.engine.paths import ROOT, expand_user
from helpers.engine.yamlio import brief

Scalar = int | float | str | bool

_TYPE_NAMES = {int: "an integer", float: "a number", str: "a string", bool: "true or false"}
_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}
#: What a path parameter points at (``Param.path_kind``), in words.
_PATH_KINDS = {"file": "file", "dir": "folder"}


class ParameterError(ValueError):
    """A parameter value that is not allowed. The message is one line that names
    the parameter, the value and what is allowed."""

    def __init__(self, message: str, name: str | None = None):
        super().__init__(message)
        self.name = name

    def _render_traceback_(self) -> list[str]:
        """In a notebook (IPython, so Papermill and JupyterLab too) the error is its one line,
        as the ``compendium`` command prints it, not a traceback through the validator."""
        return [f"{type(self).__name__}: {self}"]


def _fmt_number(x: float) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


@dataclass(frozen=True)
class Param:
    """One declared parameter.

    ``minimum``/``maximum`` bound numbers (inclusive unless ``*_exclusive``);
    ``choices`` lists the allowed strings; ``is_path`` marks a path to data
    read by the analysis (``""`` means "none"; otherwise it must exist): a file
    (``path_kind="file"``, the default) or a folder of files (``path_kind="dir"``).
    """

    name: str
    type: type
    default: Any
    description: str
    minimum: float | None = None
    maximum: float | None = None
    minimum_exclusive: bool = False
    maximum_exclusive: bool = False
    choices: tuple[str, ...] | None = None
    is_path: bool = False
    unit: str = ""
    path_kind: str = "file"

    def __post_init__(self) -> None:
        if self.type not in _TYPE_NAMES:
            raise TypeError(f"parameter {self.name!r}: unsupported type {self.type!r}")
        if self.is_path and self.type is not str:
            raise TypeError(f"parameter {self.name!r}: a path parameter must be a string")
        if self.path_kind not in _PATH_KINDS:
            raise TypeError(
                f"parameter {self.name!r}: path_kind {self.path_kind!r} is not one of {', '.join(_PATH_KINDS)}"
            )
        # The default must itself be allowed: a declaration cannot contradict itself.
        self.check(self.default, check_paths=False)

    # -- describing -------------------------------------------------------
    def allowed(self) -> str:
        """What is allowed, in words (used in error messages and ``compendium params``)."""
        if self.choices is not None:
            return "one of " + ", ".join(self.choices)
        if self.is_path:
            return f"a path to an existing {_PATH_KINDS[self.path_kind]}, or '' for none"
        text = _TYPE_NAMES[self.type]
        lo, hi = self.minimum, self.maximum
        if lo is not None and hi is not None:
            left = "(" if self.minimum_exclusive else "["
            right = ")" if self.maximum_exclusive else "]"
            return f"{text} in {left}{_fmt_number(lo)}, {_fmt_number(hi)}{right}"
        if lo is not None:
            return f"{text} {'>' if self.minimum_exclusive else '>='} {_fmt_number(lo)}"
        if hi is not None:
            return f"{text} {'<' if self.maximum_exclusive else '<='} {_fmt_number(hi)}"
        return text

    def _error(self, value: Any, why: str = "") -> ParameterError:
        detail = f" ({why})" if why else ""
        return ParameterError(
            f"parameter '{self.name}' = {brief(value)} is not allowed{detail}: expected {self.allowed()}",
            self.name,
        )

    # -- checking ---------------------------------------------------------
    def check(self, value: Any, *, check_paths: bool = True) -> Scalar:
        """Return ``value`` as this parameter's Python type, or raise :class:`ParameterError`.

        Integers are accepted for a float parameter; nothing else is coerced
        (``True`` is not an integer, ``"0.6"`` is not a number: parse text with :meth:`parse`).
        """
        t = self.type
        if t is bool:
            if not isinstance(value, (bool,)) and type(value).__name__ != "bool_":
                raise self._error(value)
            out: Scalar = bool(value)
        elif t is int:
            if isinstance(value, bool) or not isinstance(value, numbers.Integral):
                raise self._error(value)
            out = int(value)
        elif t is float:
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise self._error(value)
            out = float(value)
            if not math.isfinite(out):
                raise self._error(value, "not finite")
        else:
            if not isinstance(value, str):
                raise self._error(value)
            out = value
        if self.choices is not None and out not in self.choices:
            raise self._error(value)
        if t in (int, float) and isinstance(out, (int, float)):
            lo, hi = self.minimum, self.maximum
            if lo is not None and (out < lo or (self.minimum_exclusive and out == lo)):
                raise self._error(value)
            if hi is not None and (out > hi or (self.maximum_exclusive and out == hi)):
                raise self._error(value)
        if self.is_path and out != "" and check_paths:
            path = expand_user(str(out))
            try:
                exists = path.is_dir() if self.path_kind == "dir" else path.is_file()
                why = f"no such {_PATH_KINDS[self.path_kind]}"
            except (OSError, ValueError) as err:  # a name too long, a NUL byte, ...
                exists, why = False, f"not a usable path: {getattr(err, 'strerror', None) or err}"
            if not exists:
                raise ParameterError(
                    f"parameter '{self.name}' = {brief(value, 1000)} is not allowed ({why}): expected {self.allowed()}",
                    self.name,
                )
            # As given, made absolute: a symbolic link is kept, not resolved (book/reproduce.md, "Files reached
            # through a symbolic link"): the run records the name the user gave, and the file's digest.
            out = str(path.absolute())
        return out

    def help_text(self) -> str:
        """The description, unit, default value and what is allowed on one line, as ``compendium params``
        gives them: the comment beside the parameter in a notebook's ``parameters`` cell
        (``name: type = value  # help``, read by ``papermill --help-notebook``, which shows the value's
        source text, e.g. ``published("kft_n_referred")``, not the value). Papermill refuses a line with a
        second ``=`` and ends the value at ``#``: ``>=`` and ``<=`` become ``≥`` and ``≤``, any other ``=``
        becomes ``:`` and ``#`` becomes ``No.``."""
        text = " ".join(self.description.split()).rstrip(".")
        unit = f" [{self.unit}]" if self.unit else ""
        line = f"{text}{unit}. Default {brief(self.default)}; allowed: {self.allowed()}"
        line = line.replace(">=", "≥").replace("<=", "≤").replace(" = ", ": ").replace("=", ":")
        return line.replace("#", "No.")

    def parse(self, text: str) -> Scalar:
        """Parse command-line text into this parameter's type, then :meth:`check` it. A number is read
        only as :mod:`helpers.numbers` writes one (ASCII digits: not ``1_000``, not ``١٢``)."""
        t = self.type
        raw = text.strip()
        try:
            if t is bool:
                low = raw.lower()
                if low in _TRUE:
                    value: Scalar = True
                elif low in _FALSE:
                    value = False
                else:
                    raise ValueError(raw)
            elif t is int:
                if not number_text.is_integer_text(raw):  # int() would also read '1_000' and Unicode digits
                    raise ValueError(raw)
                value = int(raw)
            elif t is float:
                if not (number_text.is_number_text(raw) or number_text.SPECIAL.fullmatch(raw)):
                    raise ValueError(raw)
                value = float(raw)
            else:
                value = text
        except ValueError:
            raise self._error(text) from None
        try:
            return self.check(value)
        except ParameterError as err:  # report the value as the user typed it
            raise ParameterError(str(err).replace(f"= {brief(value)} ", f"= {brief(text)} ", 1), self.name) from None


class ShippedFileParam(Param):
    """A path parameter whose default is a file shipped with the compendium.

    The default is written relative to the repository root and read from there,
    whatever the current directory (a notebook runs in ``notebooks/`` or in a run
    folder); it stays written that way, so parameters, provenance digests and
    committed outputs are the same in every checkout. Any other value is a path
    resolved as usual (relative to the current directory). ``""`` is not allowed:
    the analysis always needs a file.
    """

    def shipped(self) -> Path:
        return ROOT / str(self.default)

    def allowed(self) -> str:
        return "a path to an existing file (the default is read from the compendium's folder)"

    def check(self, value: Any, *, check_paths: bool = True):
        if value == self.default:
            local = Path(str(value))
            # The same relative path naming a *different* existing file here is the user's own file.
            if not (check_paths and local.is_file() and not local.resolve().samefile(self.shipped())):
                if check_paths and not self.shipped().is_file():
                    raise ParameterError(
                        f"parameter '{self.name}': the shipped file {str(self.shipped())!r} is missing", self.name
                    )
                return str(value)
        if value == "":
            raise self._error(value, "a file is required")
        return super().check(value, check_paths=check_paths)
