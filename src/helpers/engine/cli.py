"""``compendium``: list the notebooks, show their parameters, run them, sweep them, manage the run cache.

    compendium --version
    compendium list
    compendium params NOTEBOOK [--format table|markdown|json]
    compendium run NOTEBOOK [-p NAME VALUE]... [-f params.yaml]... [--out DIR] [--no-progress] [--no-cache]
    compendium sweep NOTEBOOK --grid grid.yaml [--workers N] [--scheduler ADDRESS] [--out DIR]
                     [--plot RESULT:PARAM] [--timeout SECONDS] [--max-points N] [--no-progress]
    compendium cache info
    compendium cache clear [--notebook NOTEBOOK] [--stale]
    compendium provenance [NOTEBOOK]...

NOTEBOOK is a notebook's name (``kft_care_outcomes``) or its path (``notebooks/kft_care_outcomes.ipynb``).
The compendium folder is found from ``COMPENDIUM_ROOT``, the package's own checkout (an editable
install) or the current directory and those above it (see :mod:`helpers.engine.paths`).

Exit status: 0 on success, 2 for a usage or parameter error (nothing runs),
1 when the notebook itself fails or a sweep point fails, 130 when interrupted.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import signal
import sys
from collections.abc import Sequence
from importlib import metadata
from typing import TypeAlias

from helpers.engine import catalog, paths, yamlio
from helpers.engine.paths import FolderSettingError
from helpers.engine.runner import OutputFolderError, RunError, execute, resolve_params
from helpers.engine.sweep import MAX_POINTS, SweepError, SweepReport
from helpers.inputs.records import RecordsError
from helpers.params import ParameterError

EPILOG = """examples:
  compendium list
  compendium params kft_care_outcomes
  compendium params notebooks/kft_care_outcomes.ipynb
  compendium run kft_care_outcomes -p target_home_rate 0.6
  compendium run rsw_quality_factors -p effect_training -1e-1
  compendium run kft_care_outcomes -f my_params.yaml --out runs/my-run
  compendium sweep kft_care_outcomes --grid grid.yaml --plot net_saving_base:target_home_rate
  compendium cache info

NOTEBOOK is a name (as listed) or a path to one of the compendium's notebooks.
The compendium folder is $COMPENDIUM_ROOT if set, else the checkout of an editable
install, else the current folder or the nearest one above it holding notebooks/
and data/published/figures.csv.

A run writes the executed notebook, params.json and results.json into its own
folder (default: a new folder under runs/). Parameters are checked against the
notebook's declared types and ranges before anything runs. Runs and sweep points
are cached (in .cache/compendium/, or $COMPENDIUM_CACHE): the same notebook,
parameters, data, code and lock file are never computed twice."""

SWEEP_EPILOG = """grid file (YAML): either every combination of per-parameter lists
  target_home_rate: [0.5, 0.6]
  ci_method: [wilson, clopper-pearson, jeffreys]
  psa_draws: 2000                 # one value: the same in every point
or a list of parameter sets (unnamed parameters keep their defaults)
  - {target_home_rate: 0.6}
  - {target_home_rate: 0.7, ci_level: 0.9}

Every point is checked before anything runs. Points run in-process on warm Dask
workers; the sweep prints the address of their cluster's Dask dashboard (open
it to watch the sweep; a local cluster serves it on a free port of this machine).
Each finished point is stored in the run cache at once, so a second invocation,
or one after an interruption, computes only what is missing. The
output folder gets results.parquet and results.csv (a row per point: param.* and
result.* columns), sweep.json, logs/ for failed points, and the --plot figure.
Exit status: 0, 1 if any point failed, 2 for a bad grid or option, 130 if interrupted."""


def _cmd_list(_args: argparse.Namespace) -> int:
    entries = catalog.entries()
    width = max((len(e.stem) for e in entries), default=0)
    for e in entries:
        print(f"{e.stem:<{width}}  {e.summary}")
    return 0


def _cmd_params(args: argparse.Namespace) -> int:
    spec = catalog.module_for(args.notebook).PARAMETERS
    rows = spec.rows()
    if args.format == "json":
        print(json.dumps(rows, indent=2))
        return 0
    if args.format == "markdown":
        print("| name | type | default | allowed | description |")
        print("|---|---|---|---|---|")
        for r in rows:
            unit = f" ({r['unit']})" if r["unit"] else ""
            print(f"| `{r['name']}` | {r['type']} | `{r['default']}` | {r['allowed']} | {r['description']}{unit} |")
        return 0
    for r in rows:
        unit = f" [{r['unit']}]" if r["unit"] else ""
        print(f"{r['name']}: {r['type']} = {r['default']}  ({r['allowed']}){unit}")
        print(f"    {r['description']}")
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    params = resolve_params(args.notebook, pairs=args.parameters or [], files=args.parameters_file or [])
    record = execute(args.notebook, params, args.out, progress=not args.no_progress, use_cache=not args.no_cache)
    if record.from_cache:
        print(
            f"served from the cache: nothing was executed (first computed {record.computed_at}; "
            f"cache entry {record.cache_entry})"
        )
    print(f"executed notebook: {record.notebook}")
    print(f"parameters:        {record.out_dir / 'params.json'}")
    print(f"results:           {record.out_dir / 'results.json'} ({len(record.results)} values)")
    return 0


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number: expected a finite number of seconds > 0") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"{text!r} is not allowed: expected a finite number of seconds > 0")
    return value


class _Terminated(KeyboardInterrupt):
    """SIGTERM (``kill``), handled as Ctrl-C is."""


def _on_sigterm(_signum, _frame):
    raise _Terminated()


def _cmd_sweep(args: argparse.Namespace) -> int:
    from helpers.engine import sweep
    from helpers.engine.cache import RunCache

    if args.scheduler and args.workers:
        raise sweep.GridError("--workers starts a local cluster; with --scheduler the scheduler's workers are used")
    spec = catalog.module_for(args.notebook).PARAMETERS
    raw = sweep.read_grid(args.grid, args.max_points)
    points = sweep.validate_points(spec, raw)
    plot = sweep.parse_plot(args.plot, spec, points) if args.plot else None
    if args.scheduler is not None:
        sweep.check_scheduler(args.scheduler)
    grid_text = yamlio.read_text(args.grid, "grid file")
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        report = sweep.run_sweep(
            args.notebook,
            points,
            out=args.out,
            workers=args.workers,
            scheduler=args.scheduler,
            plot=plot,
            timeout=args.timeout,
            progress=not args.no_progress,
            cache=RunCache(),
            grid_text=grid_text,
        )
    except sweep.SweepInterrupted as err:
        print(f"compendium: {err}", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print(
            f"compendium: sweep of {args.notebook} interrupted before any point finished; "
            "points finished earlier are kept in the cache",
            file=sys.stderr,
        )
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
    return _report_sweep(args.notebook, report)


def _report_sweep(stem: str, report: SweepReport) -> int:
    """What a finished sweep prints: counts, where its table and figure are, and any failures.
    The exit status: 0, 1 if a point failed, 2 if the figure could not be drawn."""
    from helpers.engine.sweep import relative as rel

    n = len(report.outcomes)
    print(
        f"sweep of {stem}: {n} points: {report.computed} computed, {report.cached} from the cache, "
        f"{len(report.failed)} failed ({report.seconds:.1f} s)"
    )
    print(f"table:  {rel(report.table_parquet)}  {rel(report.table_csv)}")
    if report.figure is not None:
        print(f"figure: {rel(report.figure)}")
    status = 0
    if report.plot_error:
        print(f"compendium: error: {report.plot_error}", file=sys.stderr)
        status = 2
    if report.failed:
        logs = ", ".join(o.log.name for o in report.failed[:5] if o.log) + (", ..." if len(report.failed) > 5 else "")
        first = report.failed[0]
        print(
            f"compendium: error: {len(report.failed)} of {n} points failed; their logs are in "
            f"{rel(report.out_dir / 'logs')}/ ({logs}); first: point {first.point.index}: {first.error}",
            file=sys.stderr,
        )
        status = 1
    return status


def _size(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{n} bytes"  # pragma: no cover


def _cmd_cache_info(_args: argparse.Namespace) -> int:
    from helpers.engine.cache import ENV_VAR, RunCache

    info = RunCache().info()
    print(f"cache folder: {info.root}  (set {ENV_VAR} to use another)")
    print(f"entries:      {info.total} ({_size(info.size_bytes)})")
    for stem, n in sorted(info.entries.items()):
        print(
            f"  {stem}: {n} entries, {info.with_notebook.get(stem, 0)} with an executed notebook, "
            f"{info.current.get(stem, 0)} current (today's notebook, code, data/, lock file and Python; "
            "input files unchanged)"
        )
    if info.oldest:
        print(f"oldest:       {info.oldest}")
        print(f"newest:       {info.newest}")
    print(f"unfinished:   {info.unfinished} (writes interrupted before they finished; never read)")
    return 0


def _cmd_cache_clear(args: argparse.Namespace) -> int:
    from helpers.engine.cache import RunCache

    if args.notebook:
        catalog.module_for(args.notebook)  # a clear error for an unknown notebook
    cache = RunCache()
    removed = cache.clear(args.notebook, stale_only=args.stale)
    which = f" of {args.notebook}" if args.notebook else ""
    kind = (
        " that were stale (another notebook, code, data/, lock file or Python, or changed input files)"
        if args.stale
        else ""
    )
    print(f"removed {removed} cache entries{which}{kind} from {cache.root}")
    return 0


def _cmd_provenance(args: argparse.Namespace) -> int:
    from helpers.engine.provenance import report

    stems = [catalog.stem_of(name) for name in args.notebooks] or catalog.stems()
    for stem in stems:
        catalog.module_for(stem)  # a clear error for an unknown notebook
    lines, ok = report(stems)
    print("\n".join(lines))
    if not ok:
        print(
            "a notebook that differs was computed from other code, data or pins than this checkout's: "
            "re-execute it (make notebooks) or check out the version it names",
            file=sys.stderr,
        )
    return 0 if ok else 1


PACKAGE = "social-work-evidence-compendium"

#: A negative number in any notation Python reads as a float: -3, -.5, -1e-1, -2.5E+3, -1_000.
_NEGATIVE_NUMBER = re.compile(r"^-(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)([eE][-+]?\d+)?$")


class _Parser(argparse.ArgumentParser):
    """argparse reads ``-1e-1`` as an option (its own pattern knows only ``-3`` and ``-.5``):
    here every negative number is a value, e.g. of ``-p NAME VALUE``. (No option of the
    compendium looks like a negative number, so nothing is lost.)"""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = _NEGATIVE_NUMBER


def version() -> str:
    """The installed compendium's version."""
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree without installing
        return "unknown (not installed)"


def _add_list(sub: _Subparsers) -> None:
    """``compendium list``."""
    p_list = sub.add_parser("list", help="the notebooks, one line each")
    p_list.set_defaults(func=_cmd_list)


def _add_params(sub: _Subparsers) -> None:
    """``compendium params NOTEBOOK``."""
    p_params = sub.add_parser("params", help="a notebook's parameters: type, default, allowed range, description")
    p_params.add_argument("notebook", metavar="NOTEBOOK", help="notebook name or path, e.g. kft_care_outcomes")
    p_params.add_argument("--format", choices=("table", "markdown", "json"), default="table")
    p_params.set_defaults(func=_cmd_params)


def _add_run(sub: _Subparsers) -> None:
    """``compendium run NOTEBOOK``."""
    p_run = sub.add_parser(
        "run",
        help="execute a notebook with parameters into its own output folder",
        description="Execute a notebook with Papermill. Values given with -p override those in -f files, "
        "which override the notebook's defaults.",
    )
    p_run.add_argument("notebook", metavar="NOTEBOOK", help="notebook name or path, e.g. kft_care_outcomes")
    p_run.add_argument(
        "-p",
        "--parameter",
        dest="parameters",
        nargs=2,
        action="append",
        metavar=("NAME", "VALUE"),
        help="set a parameter (repeatable); the value is parsed as the parameter's declared type",
    )
    p_run.add_argument(
        "-f",
        "--parameters-file",
        dest="parameters_file",
        action="append",
        metavar="FILE",
        help="YAML or JSON file of name: value (repeatable; later files win)",
    )
    p_run.add_argument(
        "--out", metavar="DIR", help="output folder (must be new or empty); default: a new folder under runs/"
    )
    p_run.add_argument("--no-progress", action="store_true", help="do not show the per-cell progress bar")
    p_run.add_argument(
        "--no-cache",
        action="store_true",
        help="execute even if the run cache holds this run, and do not store it there",
    )
    p_run.set_defaults(func=_cmd_run)


def _add_sweep(sub: _Subparsers) -> None:
    """``compendium sweep NOTEBOOK --grid FILE``."""
    p_sweep = sub.add_parser(
        "sweep",
        help="run a notebook's analysis over a grid of parameters on Dask; one table, one figure",
        description="Run a notebook's analysis for every point of a parameter grid, in-process on warm Dask\n"
        "workers (a local cluster, or the workers of an existing scheduler), with the run cache.",
        epilog=SWEEP_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p_sweep.add_argument("notebook", metavar="NOTEBOOK", help="notebook name or path, e.g. kft_care_outcomes")
    p_sweep.add_argument("--grid", required=True, metavar="FILE", help="YAML grid file (see below)")
    p_sweep.add_argument(
        "--workers",
        type=_positive_int,
        metavar="N",
        help="workers of the local Dask cluster (default: one per CPU core, at most one per point)",
    )
    p_sweep.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="use the workers of a running Dask scheduler, e.g. tcp://10.0.0.5:8786, "
        "instead of a local cluster (they need this repository's code and data)",
    )
    p_sweep.add_argument(
        "--out",
        metavar="DIR",
        help="output folder: new, empty, or an earlier sweep of the same notebook; "
        "default: a new folder runs/NOTEBOOK/sweep-DATE-TIME",
    )
    p_sweep.add_argument(
        "--plot",
        metavar="RESULT:PARAM",
        help="also draw RESULT against PARAM (a parameter that varies in the grid) as RESULT_vs_PARAM.png",
    )
    p_sweep.add_argument(
        "--timeout",
        type=_positive_float,
        metavar="SECONDS",
        help="time limit per point; a point over it fails (default: none)",
    )
    p_sweep.add_argument(
        "--max-points",
        type=_positive_int,
        default=MAX_POINTS,
        metavar="N",
        help="refuse a grid of more than N points before anything runs (default: %(default)s)",
    )
    p_sweep.add_argument("--no-progress", action="store_true", help="do not show the progress bar")
    p_sweep.set_defaults(func=_cmd_sweep)


def _add_cache(sub: _Subparsers) -> None:
    """``compendium cache info`` and ``compendium cache clear``."""
    p_cache = sub.add_parser(
        "cache",
        help="the run cache: what it holds, and clearing it",
        description="The run cache holds every finished run and sweep point, keyed by the notebook's content, "
        "the parameters, the data files read (every file under data/ and any given as a path parameter), "
        "the compendium's code and the lock file. It lives in "
        ".cache/compendium/ in the repository (git-ignored); set COMPENDIUM_CACHE to use another folder.",
    )
    cache_sub = p_cache.add_subparsers(dest="cache_command", required=True, metavar="ACTION")
    p_info = cache_sub.add_parser("info", help="where the cache is, how many entries per notebook, its size")
    p_info.set_defaults(func=_cmd_cache_info)
    p_clear = cache_sub.add_parser("clear", help="remove cached runs (all, or as selected)")
    p_clear.add_argument("--notebook", metavar="NOTEBOOK", help="only this notebook's entries")
    p_clear.add_argument(
        "--stale",
        action="store_true",
        help="only stale entries: made by another version of the notebook, the code (src/helpers), "
        "any file under data/, the lock file or the Python minor version, or whose input files "
        "have changed since",
    )
    p_clear.set_defaults(func=_cmd_cache_clear)


def _add_provenance(sub: _Subparsers) -> None:
    """``compendium provenance [NOTEBOOK]...``."""
    p_prov = sub.add_parser(
        "provenance",
        help="check that committed notebooks were computed from this checkout's notebook, code, data and pins",
        description="Every figure and table in the book ends with content digests (SHA-256, first 12 hex digits) "
        "of its notebook's cells, the code in src/helpers, every file under data/ and requirements.lock. This "
        "recomputes them for this checkout and compares them with what each committed notebook recorded. "
        "Exit status 0 when all agree, 1 when one differs.",
    )
    p_prov.add_argument("notebooks", nargs="*", metavar="NOTEBOOK", help="notebook file stems (default: all)")
    p_prov.set_defaults(func=_cmd_provenance)


#: What ``add_subparsers`` returns: each ``_add_<command>`` adds its command's parser to it.
_Subparsers: TypeAlias = "argparse._SubParsersAction[_Parser]"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="compendium",
        description="Re-run the Social Work Evidence Compendium's notebooks with your own parameters.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"compendium {version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    _add_list(sub)
    _add_params(sub)
    _add_run(sub)
    _add_sweep(sub)
    _add_cache(sub)
    _add_provenance(sub)
    return parser


#: Errors that stop a command before anything runs (exit status 2): a bad notebook name, parameter,
#: grid, records file, output folder, YAML file, folder setting or Dask scheduler.
USAGE_ERRORS = (
    paths.CompendiumNotFound,
    ParameterError,
    RecordsError,
    OutputFolderError,
    SweepError,
    yamlio.YAMLFileError,
    FolderSettingError,
)


def main(argv: Sequence[str] | None = None) -> int:
    if hasattr(signal, "SIGPIPE"):  # `compendium params X | head` should end quietly
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        root = paths.require_root()
        # Kernels and local Dask workers started from here find the same compendium folder,
        # whatever their working directory (a non-editable install finds it from this variable).
        os.environ.setdefault(paths.ROOT_ENV_VAR, str(root))
        for attr in ("notebook",):
            if getattr(args, attr, None):
                setattr(args, attr, catalog.stem_of(getattr(args, attr)))
        return args.func(args)
    except USAGE_ERRORS as err:
        print(f"compendium: error: {err}", file=sys.stderr)
        return 2
    except RunError as err:
        print(f"compendium: error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"compendium: {args.command} interrupted; nothing was left that looks like a result", file=sys.stderr)
        return 130
    except OSError as err:  # a path the user gave that cannot be read or written
        where = f" {str(err.filename)!r}" if err.filename else ""
        print(f"compendium: error: {err.strerror or err}{where}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
