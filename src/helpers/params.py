"""Declared parameters and their validation: the one validator every notebook uses.

Each analysis module declares its parameters once, as a :class:`ParamSpec`.
The same declaration is read by

* the notebook, which validates its parameters before any analysis runs;
* ``compendium params`` / ``compendium run`` (typed parsing of ``-p NAME VALUE``,
  parameter files, clear one-line errors);
* sweeps, which validate every grid point before the first one runs;
* the tests, which check that each notebook's ``parameters`` cell agrees.

An analysis declares its parameters as a class: one typed attribute per parameter, its
default and description given by :func:`param`::

    class Parameters(ParameterSet):
        n_referred: int = param(119, "Children referred to the units", minimum=1, unit="children")

    PARAMETERS = ParamSpec.of(Parameters)

Validation returns an instance: ``p.n_referred`` is an ``int`` to the reader and to mypy, and
the instance is also a read-only mapping by name (``p["n_referred"]``, ``dict(p)``), which is
what files, caches and papermill receive.

Papermill passes ``-p`` values with a guessed type and only warns about
unknown names; validating against the declaration closes both gaps: the
notebook's validation cell (:meth:`ParamSpec.from_namespace`) refuses a value
of the wrong type and any injected name that is not declared, by name.
"""

from __future__ import annotations

import inspect
import math
import numbers
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar, cast, get_type_hints

from helpers.engine.paths import ROOT
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
            path = Path(str(out)).expanduser()
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
            out = str(path.resolve())
        return out

    def help_text(self) -> str:
        """The description on one line, as the comment beside the parameter in a notebook's
        ``parameters`` cell (``name: type = value  # help``, read by ``papermill --help-notebook``).
        Papermill refuses a line with a second ``=`` and ends the value at ``#``, so those become
        ``:`` and ``No.``; the unit follows in brackets."""
        text = " ".join(self.description.split()).replace(" = ", ": ").replace("=", ":").replace("#", "No.")
        return f"{text} [{self.unit}]" if self.unit else text

    def parse(self, text: str) -> Scalar:
        """Parse command-line text into this parameter's type, then :meth:`check` it."""
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
                value = int(raw)
            elif t is float:
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


def _assigned_names(source: str) -> set[str]:
    """Names assigned at the top level of a cell's source (``x = 1``, ``x: int = 1``)."""
    import ast

    try:
        body = ast.parse(source).body
    except SyntaxError:  # IPython magics and the like: not a parameters cell
        return set()
    names: set[str] = set()
    for node in body:
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


@dataclass(frozen=True)
class Constraint:
    """A rule across parameters, e.g. ``n_entered_care <= n_referred``.

    ``names[0]`` is the parameter the message blames; ``allowed`` says the rule in words.
    """

    names: tuple[str, ...]
    holds: Callable[[Mapping[str, Any]], bool]
    allowed: str


class ParameterSet(Mapping[str, Scalar]):
    """Validated parameter values: typed attributes, and a read-only mapping by name.

    A subclass declares one analysis's parameters as annotated attributes whose values are
    :func:`param` calls (in notebook order); ``constraints=`` in the class statement adds rules
    across parameters. Instances are made by :meth:`ParamSpec.validate`, never by hand, so every
    value has been checked.
    """

    #: The declaration, built from the class body (set for each subclass).
    spec: ClassVar[ParamSpec[Any]]
    _values: dict[str, Scalar]

    def __init_subclass__(cls, constraints: tuple[Constraint, ...] = (), **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        hints = get_type_hints(cls)
        declared = []
        for name in inspect.get_annotations(cls):
            spec = cls.__dict__.get(name)
            if isinstance(spec, _Declared):
                declared.append(spec.build(name, hints[name]))
        cls.spec = ParamSpec(tuple(declared), constraints, typed=cls)

    def __init__(self, values: Mapping[str, Scalar]):
        object.__setattr__(self, "_values", dict(values))
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"parameters are read-only: make new ones with .replace({name}=...)")

    def __getitem__(self, name: str) -> Scalar:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self._values.items())
        return f"{type(self).__name__}({inner})"

    def __reduce__(self) -> tuple[Any, ...]:  # pickled for Dask workers: by class and values
        return (type(self), (self._values,))

    def replace(self, **changes: Any) -> Any:
        """New parameters with ``changes``, validated again (the result has this class)."""
        return type(self).spec.validate({**self._values, **changes})


P = TypeVar("P", bound=ParameterSet)
T = TypeVar("T")


@dataclass(frozen=True)
class _Declared:
    """What :func:`param` returns at class level: a :class:`Param` without its name and type."""

    default: Any
    description: str
    options: dict[str, Any]
    kind: type[Param]

    def build(self, name: str, annotation: Any) -> Param:
        return self.kind(name, annotation, self.default, self.description, **self.options)


def param(
    default: T,
    description: str,
    *,
    kind: type[Param] | None = None,
    **options: Any,
) -> T:
    """Declare one parameter in a :class:`ParameterSet` body: its default, its description and the
    options of :class:`Param` (``minimum``, ``maximum``, ``choices``, ``unit``, ``is_path``, ...).
    The type is the attribute's annotation; ``kind`` is a :class:`Param` subclass (for example
    :class:`ShippedFileParam`). Typed as the default, so ``n: int = param(40, ...)`` checks."""
    return cast(T, _Declared(default, description, options, kind or Param))


@dataclass(frozen=True)
class ParamSpec(Generic[P]):
    """The declared parameters of one analysis, in notebook order."""

    params: tuple[Param, ...]
    constraints: tuple[Constraint, ...] = field(default=())
    #: The class of validated values (attribute access); a plain :class:`ParameterSet` if none.
    typed: type[P] | None = None

    @classmethod
    def of(cls, typed: type[P]) -> ParamSpec[P]:
        """The declaration made by a :class:`ParameterSet` subclass."""
        return cast(ParamSpec[P], typed.spec)

    def __post_init__(self) -> None:
        names = [p.name for p in self.params]
        dupes = {n for n in names if names.count(n) > 1}
        if dupes:
            raise ValueError(f"parameters declared twice: {sorted(dupes)}")
        for c in self.constraints:
            unknown = set(c.names) - set(names)
            if unknown:
                raise ValueError(f"constraint names undeclared parameters: {sorted(unknown)}")
        self._check_constraints(self.defaults())

    def __iter__(self) -> Iterator[Param]:
        return iter(self.params)

    def __len__(self) -> int:
        return len(self.params)

    def __contains__(self, name: object) -> bool:
        return any(p.name == name for p in self.params)

    def __getitem__(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise self.unknown(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

    @property
    def path_params(self) -> tuple[str, ...]:
        """Names of parameters that point at data the analysis reads (files, or folders of files:
        see each parameter's ``path_kind``)."""
        return tuple(p.name for p in self.params if p.is_path)

    def defaults(self) -> dict[str, Scalar]:
        return {p.name: p.default for p in self.params}

    def unknown(self, name: str) -> ParameterError:
        return ParameterError(f"unknown parameter '{name}': expected one of {', '.join(self.names)}", name)

    def _check_constraints(self, values: Mapping[str, Any]) -> None:
        for c in self.constraints:
            if not c.holds(values):
                first, *others = c.names
                with_ = ", ".join(f"{n} = {brief(values[n])}" for n in others)
                context = f" with {with_}" if with_ else ""
                raise ParameterError(
                    f"parameter '{first}' = {brief(values[first])} is not allowed{context}: expected {c.allowed}",
                    first,
                )

    def validate(self, values: Mapping[str, Any] | None = None, **overrides: Any) -> P:
        """Defaults overlaid with ``values``, every name known, every value allowed.

        Returns the declared class's values (attribute access, and a read-only mapping in
        declaration order), of the declared types.
        """
        given = {**(values or {}), **overrides}
        for name in given:
            if name not in self:
                raise self.unknown(name)
        out = {p.name: p.check(given[p.name]) if p.name in given else p.check(p.default) for p in self.params}
        self._check_constraints(out)
        return cast(P, (self.typed or ParameterSet)(out))

    def parse(self, pairs: Iterable[tuple[str, str]]) -> dict[str, Scalar]:
        """Typed values from command-line ``(name, text)`` pairs (not yet merged with defaults)."""
        out: dict[str, Scalar] = {}
        for name, text in pairs:
            out[name] = self[name].parse(text)
        return out

    def coerce_file_values(self, values: Mapping[str, Any]) -> dict[str, Scalar]:
        """Values read from a YAML/JSON parameter file: text for a non-text parameter is
        parsed as on the command line (YAML reads ``1e-3`` as text); the rest is checked."""
        out: dict[str, Scalar] = {}
        for name, value in values.items():
            param = self[name]
            if isinstance(value, str) and param.type is not str:
                out[name] = param.parse(value)
            else:
                out[name] = param.check(value)
        return out

    def injected_unknown(self, namespace: Mapping[str, Any]) -> list[str]:
        """Names in a notebook's namespace that look like parameter values given to the notebook
        but not declared: a misspelt ``papermill -p`` name, which Papermill only warns about.

        A candidate is a global holding a plain ``int``, ``float``, ``str`` or ``bool`` whose name
        is not declared, does not start with ``_`` (IPython's own) and is not one of Papermill's
        ``PAPERMILL_*`` paths. In IPython (the namespace has its input history ``In``), only names
        assigned in the ``parameters`` cell or in Papermill's injected cell (which starts with
        ``# Parameters``) count, so a variable of one's own in JupyterLab is not taken for one.
        """
        candidates = [
            name
            for name, value in namespace.items()
            if type(value) in (int, float, str, bool)
            and not name.startswith("_")
            and not name.startswith("PAPERMILL_")
            and name not in self
        ]
        history = namespace.get("In")
        if candidates and isinstance(history, list) and all(isinstance(c, str) for c in history):
            assigned: set[str] = set()
            for source in history:
                names = _assigned_names(source)
                if source.lstrip().startswith("# Parameters") or names & set(self.names):
                    assigned |= names
            candidates = [name for name in candidates if name in assigned]
        return candidates

    def from_namespace(self, namespace: Mapping[str, Any]) -> P:
        """Validate the declared parameters as found in a notebook's namespace (``globals()``).

        Every declared name must be present (the notebook's ``parameters`` cell defines them all),
        and no undeclared name may have been given (see :meth:`injected_unknown`): the error is
        the one ``compendium run`` gives for an unknown ``-p`` name.
        """
        unknown = self.injected_unknown(namespace)
        if unknown:
            raise self.unknown(unknown[0])
        missing = [n for n in self.names if n not in namespace]
        if missing:
            raise ParameterError(f"parameters not defined in the notebook: {', '.join(missing)}")
        return self.validate({n: namespace[n] for n in self.names})

    def frame(self, values: Mapping[str, Any] | None = None):
        """A table of the parameters for a notebook page: the value used (if given), the default,
        what is allowed and the description."""
        import pandas as pd

        rows = self.rows()
        for row in rows:
            if values is not None:
                row["value used"] = repr(values[row["name"]])
        columns = (
            ["name"] + (["value used"] if values is not None else []) + ["default", "allowed", "unit", "description"]
        )
        return pd.DataFrame(rows)[columns]

    def rows(self) -> list[dict[str, str]]:
        """One row per parameter for documentation: name, type, default, allowed, description."""
        return [
            {
                "name": p.name,
                "type": p.type.__name__,
                "default": repr(p.default),
                "allowed": p.allowed(),
                "unit": p.unit,
                "description": p.description,
            }
            for p in self.params
        ]
