"""``compendium``: list the notebooks, show their parameters, run them, sweep them, manage the run cache.

    compendium --version
    compendium list
    compendium params NOTEBOOK [--format table|markdown|json]
    compendium run NOTEBOOK [-p NAME VALUE]... [-f params.yaml]... [--out DIR] [--no-progress] [--no-cache]
                   [--no-page]
    compendium sweep NOTEBOOK --grid grid.yaml [--workers N] [--scheduler ADDRESS] [--out DIR]
                     [--plot RESULT:PARAM] [--pages] [--timeout SECONDS] [--max-points N] [--no-progress]
    compendium show RUN_DIR [--width N]
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
import math
import os
import re
import signal
import sys
from collections.abc import Sequence
from importlib import metadata
from typing import TypeAlias

from helpers.engine import catalog, commands, paths, yamlio
from helpers.engine.paths import FolderSettingError
from helpers.engine.runner import OutputFolderError, RunError
from helpers.engine.sweep import MAX_POINTS, SweepError, one_line
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
  compendium show runs/kft_care_outcomes/run-DATE-TIME
  compendium cache info

NOTEBOOK is a name (as listed) or a path to one of the compendium's notebooks.
The compendium folder is $COMPENDIUM_ROOT if set, else the checkout of an editable
install, else the current folder or the nearest one above it holding notebooks/
and data/published/figures.csv.

A run writes the executed notebook, params.json, results.json and page.html (the
notebook's page as the book renders it, in one file) into its own folder
(default: a new folder under runs/). Parameters are checked against the
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
result.* columns), sweep.json, logs/ for failed points, the --plot figure, and with
--pages a folder per point (points/point-NNNN/) holding its run and its page.html.
Exit status: 0, 1 if any point failed, 2 for a bad grid or option, 130 if interrupted."""


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
    p_list.set_defaults(func=commands.cmd_list)


def _add_params(sub: _Subparsers) -> None:
    """``compendium params NOTEBOOK``."""
    p_params = sub.add_parser("params", help="a notebook's parameters: type, default, allowed range, description")
    p_params.add_argument("notebook", metavar="NOTEBOOK", help="notebook name or path, e.g. kft_care_outcomes")
    p_params.add_argument("--format", choices=("table", "markdown", "json"), default="table")
    p_params.set_defaults(func=commands.cmd_params)


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
    p_run.add_argument(
        "--no-page",
        action="store_true",
        help="do not render the run's page (page.html: the notebook as the book shows it, in one file)",
    )
    p_run.set_defaults(func=commands.cmd_run)


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
        help="also draw RESULT against PARAM (a parameter that varies in the grid); the figure's file and axes "
        "are named by their descriptions",
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
    p_sweep.add_argument(
        "--pages",
        action="store_true",
        help="also run each finished point as `compendium run` does and write its page "
        "(points/point-NNNN/page.html): a kernel per point not already executed, so slower",
    )
    p_sweep.add_argument("--no-progress", action="store_true", help="do not show the progress bar")
    p_sweep.set_defaults(func=commands.cmd_sweep)


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
    p_info.set_defaults(func=commands.cmd_cache_info)
    p_clear = cache_sub.add_parser("clear", help="remove cached runs (all, or as selected)")
    p_clear.add_argument("--notebook", metavar="NOTEBOOK", help="only this notebook's entries")
    p_clear.add_argument(
        "--stale",
        action="store_true",
        help="only stale entries: made by another version of the notebook, the code (src/helpers), "
        "any file under data/, the lock file or the Python minor version, or whose input files "
        "have changed since",
    )
    p_clear.set_defaults(func=commands.cmd_cache_clear)


def _add_show(sub: _Subparsers) -> None:
    """``compendium show RUN_DIR``."""
    p_show = sub.add_parser(
        "show",
        help='a run\'s evidence card and "In brief", with its numbers, in the terminal',
        description="Print what a run found: the evaluation's card (question, finding, strength of evidence) and "
        "the page's \"In brief\" filled with the run's numbers (each marked with its kind, such as [P] for a "
        "published figure or [D] for your own records), read from the run's results.json and params.json. "
        "Nothing is executed.",
    )
    p_show.add_argument("run_dir", metavar="RUN_DIR", help="a run's folder, as `compendium run` printed it")
    p_show.add_argument("--width", type=_positive_int, default=None, help="wrap at this many characters")
    p_show.set_defaults(func=commands.cmd_show)


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
    p_prov.set_defaults(func=commands.cmd_provenance)


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
    _add_show(sub)
    _add_cache(sub)
    _add_provenance(sub)
    return parser


#: Longest error message the command prints: every message is one line (a records file's problems are
#: joined with "; "), cut here so that no input makes it huge.
MAX_MESSAGE_CHARS = 4000

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
        print(f"compendium: error: {one_line(str(err), MAX_MESSAGE_CHARS)}", file=sys.stderr)
        return 2
    except RunError as err:
        print(f"compendium: error: {one_line(str(err), MAX_MESSAGE_CHARS)}", file=sys.stderr)
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
