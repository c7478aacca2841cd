"""The sweep's grid: reading a grid file, expanding it into points and checking every point.

The grid file (YAML) is either a mapping of parameter → list of values (every combination is a
point; a single value is used in every point) or a list of parameter sets (each one point; unnamed
parameters keep their defaults). Every point is validated against the notebook's parameters before
anything runs.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpers.engine import yamlio
from helpers.engine.wording import did_you_mean, noun_for
from helpers.params import ParameterError, ParamSpec


class GridError(ParameterError):
    """A grid file, or one of its points, that cannot be run. One line naming the point and parameter."""


@dataclass(frozen=True)
class Point:
    index: int  # 1-based, in grid order
    given: dict[str, Any]  # the values named in the grid file
    params: dict[str, Any]  # validated: every parameter, defaults included
    key: str = ""


def _describe(given: Mapping[str, Any], shown: int = 8) -> str:
    items = [f"{str(k)[:60]}={yamlio.brief(v)}" for k, v in list(given.items())[:shown]]
    more = len(given) - len(items)
    return ", ".join(items) + (f", and {more} more" if more > 0 else "") or "defaults"


#: Default ceiling on a grid's points (``compendium sweep --max-points``): a grid larger than this is
#: refused before anything is expanded or computed.
MAX_POINTS = 1000


def _too_many(source: str, n: int, max_points: int) -> GridError:
    return GridError(
        f"{source} has {n:,} points, more than the ceiling of {max_points:,}: make the grid smaller, "
        f"or raise the ceiling with --max-points"
    )


def expand_grid(data: Any, source: str = "grid", max_points: int = MAX_POINTS) -> list[dict[str, Any]]:
    """The grid's points as mappings of name → value (not yet validated). A grid of more than
    ``max_points`` points is refused (its size is worked out before anything is expanded)."""
    if isinstance(data, Mapping):
        if not data:
            raise GridError(f"{source} names no parameters")
        names, axes = [], []
        for name, values in data.items():
            if isinstance(values, Mapping):
                raise GridError(f"{source}: parameter '{name}' must have a value or a list of values, not a mapping")
            if not isinstance(values, list):
                values = [values]
            if not values:
                raise GridError(f"{source}: parameter '{name}' has an empty list of values")
            for v in values:
                if isinstance(v, (list, Mapping)):
                    raise GridError(
                        f"{source}: parameter '{name}' has a value {yamlio.brief(v)} that is not a single value"
                    )
            names.append(str(name))
            axes.append(values)
        n = math.prod(len(a) for a in axes)
        if n > max_points:
            raise _too_many(source, n, max_points)
        return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*axes)]
    if isinstance(data, list):
        if not data:
            raise GridError(f"{source} holds an empty list of parameter sets")
        if len(data) > max_points:
            raise _too_many(source, len(data), max_points)
        points = []
        for i, item in enumerate(data, start=1):
            if item is None:
                item = {}
            if not isinstance(item, Mapping):
                raise GridError(f"{source}: parameter set {i} is {yamlio.brief(item)}, not a mapping of name: value")
            for name, v in item.items():
                if isinstance(v, (list, Mapping)):
                    raise GridError(
                        f"{source}: parameter set {i} gives '{name}' the value {yamlio.brief(v)}, "
                        "which is not a single value "
                        "(a list of parameter sets takes one value per parameter)"
                    )
            points.append({str(k): v for k, v in item.items()})
        return points
    raise GridError(
        f"{source} must hold a mapping of parameter: list of values, or a list of parameter sets, "
        f"not {type(data).__name__}"
    )


def read_grid(path: str | Path, max_points: int = MAX_POINTS) -> list[dict[str, Any]]:
    """The points of the grid file at ``path`` (not yet validated), or a :class:`GridError` in one line."""
    path = Path(path)
    data = yamlio.load_file_as(path, "grid file", GridError)
    if data is None:
        raise GridError(f"grid file {str(path)!r} is empty")
    return expand_grid(data, f"grid file {str(path)!r}", max_points)


def validate_points(spec: ParamSpec, raw: Sequence[Mapping[str, Any]]) -> list[Point]:
    """Every point validated against the notebook's parameters. The first invalid point is reported
    by its index, its values and the parameter at fault, with the indices of any other invalid
    points, in one line."""
    points, errors = [], []
    for i, given in enumerate(raw, start=1):
        try:
            params = dict(spec.validate(spec.coerce_file_values(given)))
        except ParameterError as err:
            errors.append((i, given, err))
            continue
        points.append(Point(i, dict(given), params))
    if errors:
        i, given, first = errors[0]
        others = [str(j) for j, _, _ in errors[1:]]
        also = ""
        if others:
            shown = ", ".join(others[:10]) + (", ..." if len(others) > 10 else "")
            also = f" (also invalid: {noun_for(len(others), 'point')} {shown})"
        raise GridError(f"grid point {i} of {len(raw)} ({_describe(given)}): {first}{also}", first.name)
    return points


def varied(points: Sequence[Point]) -> list[str]:
    """Names of the parameters that take more than one value across the points, in declaration order."""
    if not points:
        return []
    names = list(points[0].params)
    return [n for n in names if len({json.dumps(p.params[n]) for p in points}) > 1]


def parse_plot(text: str, spec: ParamSpec, points: Sequence[Point]) -> tuple[str, str]:
    """``RESULT:PARAM`` → (result, param); PARAM must be declared and vary across the grid."""
    result, sep, param = text.partition(":")
    if not sep or not result or not param:
        raise GridError(f"--plot {text!r}: expected RESULT:PARAM, e.g. net_saving_base:target_home_rate")
    if param not in spec:
        raise GridError(
            f"--plot {text!r}: unknown parameter '{param}'{did_you_mean(param, spec.names)}: "
            f"expected one of {', '.join(spec.names)}"
        )
    if param not in varied(points):
        moving = ", ".join(varied(points)) or "none"
        raise GridError(f"--plot {text!r}: parameter '{param}' does not vary in the grid (varied: {moving})")
    return result, param


def check_point_inputs(stem: str, points: Sequence[Point]) -> None:
    """Every input file the points name (records, answers, a folder of DfE files) checked as ``compendium
    run`` checks it, before anything starts: the analysis's ``check_inputs`` once for each different set
    of path parameters (and ``min_cell_count``, which some checks use). The first file refused stops the
    sweep with a :class:`GridError` in one line naming the point."""
    from helpers.engine import catalog
    from helpers.engine.sweep.workers import one_line

    module = catalog.module_for(stem)
    check = getattr(module, "check_inputs", None)
    if check is None:
        return
    names = [*module.PARAMETERS.path_params, "min_cell_count"]
    seen: set[str] = set()
    for p in points:
        key = json.dumps([p.params.get(n) for n in names])
        if key in seen or not any(p.params.get(n) for n in module.PARAMETERS.path_params):
            continue
        seen.add(key)
        try:
            check(p.params)
        except ValueError as err:  # RecordsError, ParameterError, AnswersError: a file the point cannot use
            raise GridError(
                f"grid point {p.index} of {len(points)} ({_describe(p.given)}): {one_line(str(err), 2000)}",
                getattr(err, "name", None),
            ) from None


def check_plot_result(stem: str, plot: tuple[str, str]) -> None:
    """Refuse ``--plot RESULT:PARAM`` before anything starts when RESULT is not a value the notebook
    records (the names its committed notebook glues) or is text there, not a number."""
    import nbformat

    from helpers.engine import catalog
    from helpers.page.glue import read_glued

    result = plot[0]
    glued = read_glued(nbformat.read(catalog.entry(stem).notebook, as_version=4))
    if result not in glued:
        close = sorted(n for n in glued if result.lower() in n.lower())[:5] or sorted(glued)[:5]
        raise GridError(
            f"--plot {result}:{plot[1]}: {stem} records no result '{result}' (for example {', '.join(close)}; "
            f"compendium run {stem} writes them all to results.json)"
        )
    value = glued[result]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise GridError(f"--plot {result}:{plot[1]}: result '{result}' is {yamlio.brief(value)}, not a number to plot")
