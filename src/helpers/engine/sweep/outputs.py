"""What a sweep writes into its output folder: ``sweep.json`` (its status), ``grid.yaml``,
``results.parquet`` and ``results.csv`` (one row per point), ``logs/`` for failed points, and the
``--plot`` figure. Every file is written under a temporary name and then renamed."""

from __future__ import annotations

import csv as csvlib
import json
import math
import re
import textwrap
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers.engine.files import atomic_path, write_json_atomic, write_text_atomic
from helpers.engine.sweep.grid import GridError, Point
from helpers.params import ParamSpec

#: Marker file of a sweep's output folder.
SWEEP_FILE = "sweep.json"
TABLE = "results"


@dataclass
class PointOutcome:
    point: Point
    status: str  # "ok" or "failed"
    source: str  # "computed", "cached" or "" (failed)
    results: dict[str, Any] = field(default_factory=dict)
    seconds: float | None = None
    error: str = ""
    log: Path | None = None


@dataclass
class SweepReport:
    stem: str
    out_dir: Path
    outcomes: list[PointOutcome]
    table_parquet: Path
    table_csv: Path
    figure: Path | None
    seconds: float
    compute_seconds: float
    #: Why the --plot figure could not be drawn (the table is written regardless).
    plot_error: str | None = None

    @property
    def computed(self) -> int:
        return sum(o.source == "computed" for o in self.outcomes)

    @property
    def cached(self) -> int:
        return sum(o.source == "cached" for o in self.outcomes)

    @property
    def failed(self) -> list[PointOutcome]:
        return [o for o in self.outcomes if o.status != "ok"]


def now() -> str:
    """The local time, as ``sweep.json`` records it."""
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


def prepare_sweep_dir(out: str | Path | None, stem: str) -> Path:
    """A new folder ``runs/<stem>/sweep-<date-time>``, or ``out`` if it is new, empty, or an earlier
    sweep of the same notebook (whose table and figure are then replaced)."""
    from helpers.engine.runner import OutputFolderError, new_run_dir, unprotected_path

    if out is None:
        return new_run_dir(stem, prefix="sweep-")
    path = unprotected_path(out)
    if path.exists():
        if not path.is_dir():
            raise OutputFolderError(f"--out {str(out)!r} exists and is not a folder; choose a new one")
        if any(path.iterdir()):
            marker = path / SWEEP_FILE
            try:
                previous = json.loads(marker.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                previous = None
            if not previous or previous.get("notebook") != stem:
                raise OutputFolderError(
                    f"--out {str(out)!r} is not empty and is not an earlier sweep of {stem}; choose a new folder"
                )
    path.mkdir(parents=True, exist_ok=True)
    return path


def start_sweep_dir(out: str | Path | None, stem: str, n_points: int, cache_root: Path, grid_text: str | None) -> Path:
    """The sweep's folder (:func:`prepare_sweep_dir`) without an earlier invocation's logs and figure,
    marked as a sweep that is running (so that an interrupted sweep's folder is recognised when the
    sweep is run again), with a copy of the grid file."""
    out_dir = prepare_sweep_dir(out, stem)
    logs = out_dir / "logs"
    if logs.is_dir():  # logs of an earlier invocation into the same folder
        for old in logs.glob("point-*.log"):
            old.unlink()
    for old in out_dir.glob("*_vs_*.png"):  # an earlier invocation's figure
        old.unlink()
    write_status(
        out_dir,
        {"notebook": stem, "points": n_points, "status": "running", "started": now(), "cache": str(cache_root)},
    )
    if grid_text is not None:
        write_text_atomic(out_dir / "grid.yaml", grid_text)
    return out_dir


def write_status(out_dir: Path, status: Mapping[str, Any]) -> None:
    """The sweep's ``sweep.json``: what it is sweeping and how far it got."""
    write_json_atomic(out_dir / SWEEP_FILE, dict(status))


def write_log(out_dir: Path, outcome: PointOutcome, detail: Mapping[str, Any]) -> Path:
    logs = out_dir / "logs"
    logs.mkdir(exist_ok=True)
    path = logs / f"point-{outcome.point.index:04d}.log"
    text = "\n".join(
        [
            f"point:      {outcome.point.index}",
            f"parameters: {json.dumps(outcome.point.params)}",
            f"cache key:  {outcome.point.key}",
            f"error:      {outcome.error}",
            f"where:      {detail.get('host', '?')} pid {detail.get('pid', '?')}",
            f"seconds:    {detail.get('seconds', '?')}",
            "",
            str(detail.get("traceback", "")).rstrip(),
            "",
        ]
    )
    write_text_atomic(path, text)
    return path


def _column(values: list[Any]) -> Any:
    """A table column from Python scalars (None where missing), with one type per column."""
    import pandas as pd

    present = [v for v in values if v is not None]
    kinds = {type(v) for v in present}
    if not present:
        return pd.Series(values, dtype="object")
    if kinds == {bool}:
        return pd.Series(values, dtype="boolean")
    if kinds == {int}:
        return pd.Series(values, dtype="Int64")
    if kinds <= {int, float}:
        return pd.Series([math.nan if v is None else float(v) for v in values], dtype="float64")
    if kinds == {str}:
        return pd.Series(values, dtype="object")
    return pd.Series([None if v is None else str(v) for v in values], dtype="object")


def sweep_table(spec: ParamSpec, outcomes: Sequence[PointOutcome]) -> Any:
    """One row per point: its index, status, source, seconds, error, cache key and the names of its values
    suppressed to protect small counts (empty where none); ``param.<name>`` for every parameter;
    ``result.<name>`` for every results value (a suppressed one empty, so a column of numbers stays numbers)."""
    import pandas as pd

    from helpers.outputs import plain_values

    plain = [plain_values(o.results) for o in outcomes]
    result_names: list[str] = []
    for values, _ in plain:
        for name in values:
            if name not in result_names:
                result_names.append(name)
    cols: dict[str, Any] = {
        "point": pd.Series([o.point.index for o in outcomes], dtype="int64"),
        "status": pd.Series([o.status for o in outcomes], dtype="object"),
        "source": pd.Series([o.source for o in outcomes], dtype="object"),
        "seconds": pd.Series([o.seconds if o.seconds is not None else math.nan for o in outcomes], dtype="float64"),
        "error": pd.Series([o.error for o in outcomes], dtype="object"),
        "cache_key": pd.Series([o.point.key for o in outcomes], dtype="object"),
        "suppressed": pd.Series([", ".join(names) for _, names in plain], dtype="object"),
    }
    for name in spec.names:
        cols[f"param.{name}"] = _column([o.point.params[name] for o in outcomes])
    for name in result_names:
        cols[f"result.{name}"] = _column([values.get(name) for values, _ in plain])
    return pd.DataFrame(cols)


#: What a spreadsheet reads as the start of a formula (or, for tab and carriage return, what can hide one).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: Any) -> Any:
    """A text cell as it goes into a CSV file: one that a spreadsheet would run as a formula (starting
    with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return: text from a user's answers file, say)
    gets a leading ``'``, which spreadsheets show as text; numbers and other text are unchanged."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) else value


def write_table(table: Any, parquet: Path, csv: Path) -> None:
    """The table as Parquet and CSV, each written under a temporary name and then renamed. In the CSV,
    text cells that a spreadsheet would take for a formula are neutralised (:func:`neutralised`) and every
    text cell is quoted; the Parquet file keeps every value as it is."""
    with atomic_path(parquet) as tmp:
        table.to_parquet(tmp, index=False)
    text = table.select_dtypes(include=["object", "string"]).columns
    safe = table.assign(**{c: table[c].map(neutralised) for c in text})
    with atomic_path(csv) as tmp:
        # Every text cell quoted: a carriage return or line break inside one stays inside it (a minimal
        # quoting would leave a lone carriage return bare, and readers split the row there).
        safe.to_csv(tmp, index=False, quoting=csvlib.QUOTE_NONNUMERIC)


def plottable(table: Any, result: str, param: str) -> None:
    """Refuse a ``--plot`` of ``result`` when no point finished or it is not a numeric result."""
    import pandas as pd

    if not (table["status"] == "ok").any():
        raise GridError(f"--plot {result}:{param}: no figure, since no point finished")
    numeric = [
        c.removeprefix("result.")
        for c in table.columns
        if c.startswith("result.")
        and pd.api.types.is_numeric_dtype(table[c])
        and not pd.api.types.is_bool_dtype(table[c])
    ]
    if f"result.{result}" not in table.columns or result not in numeric:
        raise GridError(
            f"--plot {result}:{param}: '{result}' is not a numeric result of this notebook: "
            f"expected one of {', '.join(numeric) or 'none'} "
            "(the table is written; run the sweep again with another --plot: every point comes from the cache)"
        )


#: Words a file name does without.
_SMALL_WORDS = frozenset({"a", "an", "the", "of", "at", "to", "in", "on", "for", "and", "or", "by", "with", "s"})


def _slug(text: str, limit: int = 60) -> str:
    """``text`` as a file-name part: its lower-case words (small words left out) joined by hyphens, cut at a
    word within ``limit`` characters."""
    words = [w for w in re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", text.lower()) if w not in _SMALL_WORDS]
    out = ""
    for word in words:
        if out and len(out) + 1 + len(word) > limit:
            break
        out = f"{out}-{word}" if out else word[:limit]
    return out or "value"


def _headline(description: str) -> str:
    """A description's first clause (before a colon or a bracket): what a file name and a title need."""
    return re.split(r"[:(]", description, maxsplit=1)[0].strip() or description


def plot_labels(stem: str, spec: ParamSpec, result: str, param: str) -> tuple[str, str, str]:
    """The ``--plot`` figure's y label, x label and file name, from the result's declared description and unit
    (helpers.outputs) and the parameter's: ``<result words>_vs_<parameter words>.png``."""
    from helpers.outputs import outputs_of

    declared = spec[param]
    found = outputs_of(stem).find(result)
    y_words = found.description if found else result
    y_unit = f" ({found.unit})" if found and found.numeric else ""
    x_unit = f" ({declared.unit})" if declared.unit else ""
    y_label = textwrap.fill(f"{y_words}{y_unit}", 60)
    x_label = textwrap.fill(f"{declared.description}{x_unit} [{param}]", 90)
    name = f"{_slug(_headline(y_words))}_vs_{_slug(_headline(declared.description))}.png"
    return y_label, x_label, name


def write_summary_figure(
    table: Any, spec: ParamSpec, result: str, param: str, moving: Sequence[str], out_dir: Path, stem: str
) -> Path:
    """``result`` against ``param`` over the points that finished, one line per combination of the
    other varied parameters; the compendium's plot theme; axes labelled with the result's and the
    parameter's descriptions and units (:func:`plot_labels`), which also name the file."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    from helpers.page.plotting import use_theme

    plottable(table, result, param)
    ok = table[table["status"] == "ok"]
    y_label, x_label, name = plot_labels(stem, spec, result, param)
    use_theme()
    fig, ax = plt.subplots(figsize=(8, 4.8))
    declared = spec[param]
    others = [n for n in moving if n != param]
    _draw_lines(ax, table, ok, result, param, declared.type in (int, float), others)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.6g}"))
    ax.set_xlabel(x_label, fontsize=9)
    ax.set_ylabel(y_label, fontsize=9)
    failed = int((table["status"] != "ok").sum())
    note = f"; {failed} failed point(s) not shown" if failed else ""
    ax.set_title(f"{result} against {param} ({len(ok)} points{note})", fontsize=10)
    fig.tight_layout()
    path = out_dir / name
    try:
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format="png", dpi=100, metadata={"Software": None})
    finally:
        plt.close(fig)
    return path


def _draw_lines(ax: Any, table: Any, ok: Any, result: str, param: str, numeric_x: bool, others: Sequence[str]) -> None:
    """One line (or, beyond the palette's colours, unjoined markers) per combination of the ``others``
    parameters; a categorical ``param`` is placed in grid order, with its values as tick labels."""
    from helpers.page.plotting import PALETTE

    x_col = f"param.{param}"
    order = list(dict.fromkeys(table[x_col].tolist()))

    def xs(values: Any) -> Any:
        return values.astype(float) if numeric_x else values.map(order.index)

    if others:
        groups = list(ok.groupby([f"param.{n}" for n in others], sort=False))
    else:
        groups = [((), ok)]
    many = len(groups) > len(PALETTE)
    markers = ("o", "s", "^", "D", "v", "P", "X", "*", "h", "<")
    for i, (labels, frame) in enumerate(groups):
        labels = labels if isinstance(labels, tuple) else (labels,)
        frame = frame.sort_values(x_col, key=xs)
        label = ", ".join(f"{n}={v}" for n, v in zip(others, labels, strict=False)) or None
        ax.plot(
            xs(frame[x_col]),
            frame[f"result.{result}"].astype(float),
            marker=markers[i % len(markers)],
            lw=0 if many else 1.8,
            ms=7,
            alpha=0.9,
            color=PALETTE[i % len(PALETTE)],
            label=None if many else label,
        )
    if not numeric_x:
        ax.set_xticks(range(len(order)), [str(v) for v in order])
    if others and not many:
        ax.legend(title=None, fontsize=9, loc="best")


def relative(path: Path) -> str:
    """``path`` relative to the current folder when it lies inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
