"""An analysis's declared parameters (:class:`ParamSpec`), the typed values validation returns
(:class:`ParameterSet`, declared with :func:`param`), and rules across parameters."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Self, TypeVar, cast, get_type_hints

from helpers.engine.wording import did_you_mean
from helpers.engine.yamlio import brief
from helpers.params.param import Param, ParameterError, Scalar

if TYPE_CHECKING:
    import pandas as pd


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

    ``names[0]`` is the parameter the message blames; ``allowed`` says the rule in words, or is a function
    of the values that says it (for a bound that depends on other parameters: "at most 0.48 hours").
    """

    names: tuple[str, ...]
    holds: Callable[[Mapping[str, Any]], bool]
    allowed: str | Callable[[Mapping[str, Any]], str]

    def allowed_text(self, values: Mapping[str, Any]) -> str:
        """What the rule allows, in words, for these values."""
        return self.allowed(values) if callable(self.allowed) else self.allowed


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
        annotated = inspect.get_annotations(cls)
        # A declaration that half-happened is refused, by name: an annotation without param()
        # (no default, no description) or param() without an annotation (no type).
        for name, value in vars(cls).items():
            if isinstance(value, _Declared) and name not in annotated:
                raise TypeError(f"{cls.__name__}.{name}: param() needs a type annotation ({name}: int = param(...))")
        declared = []
        for name in annotated:
            spec = cls.__dict__.get(name)
            if not isinstance(spec, _Declared):
                raise TypeError(f"{cls.__name__}.{name}: a parameter is declared with param(default, description, ...)")
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

    def replace(self, **changes: Any) -> Self:
        """New parameters with ``changes``, validated again (the result has this class)."""
        return cast(Self, type(self).spec.validate({**self._values, **changes}))


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
        return ParameterError(
            f"unknown parameter '{name}'{did_you_mean(name, self.names)}: expected one of {', '.join(self.names)}", name
        )

    def _check_constraints(self, values: Mapping[str, Any]) -> None:
        for c in self.constraints:
            if not c.holds(values):
                first, *others = c.names
                with_ = ", ".join(f"{n} = {brief(values[n])}" for n in others)
                context = f" with {with_}" if with_ else ""
                allowed = c.allowed_text(values)
                raise ParameterError(
                    f"parameter '{first}' = {brief(values[first])} is not allowed{context}: expected {allowed}",
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
        parsed as on the command line (the YAML reader keeps ``1_000`` or ``0x10`` as text, so they are
        refused as on the command line); the rest is checked."""
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

    def table(self, values: Mapping[str, Any] | None = None) -> pd.DataFrame:
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
