"""``compendium``: list the notebooks, show their parameters, run them.

    compendium list
    compendium params NOTEBOOK [--format table|markdown|json]
    compendium run NOTEBOOK [-p NAME VALUE]... [-f params.yaml]... [--out DIR] [--no-progress]

Exit status: 0 on success, 2 for a usage or parameter error (nothing runs),
1 when the notebook itself fails.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from collections.abc import Sequence

from . import catalog
from .params import ParameterError
from .records import RecordsError
from .runner import OutputFolderError, RunError, execute, resolve_params

EPILOG = """examples:
  compendium list
  compendium params kft_care_outcomes
  compendium run kft_care_outcomes -p target_home_rate 0.6
  compendium run kft_care_outcomes -f my_params.yaml --out runs/my-run

A run writes the executed notebook, params.json and results.json into its own
folder (default: a new folder under runs/). Parameters are checked against the
notebook's declared types and ranges before anything runs."""


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
    record = execute(args.notebook, params, args.out, progress=not args.no_progress)
    print(f"executed notebook: {record.notebook}")
    print(f"parameters:        {record.out_dir / 'params.json'}")
    print(f"results:           {record.out_dir / 'results.json'} ({len(record.results)} values)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="compendium",
        description="Re-run the Social Work Evidence Compendium's notebooks with your own parameters.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p_list = sub.add_parser("list", help="the notebooks, one line each")
    p_list.set_defaults(func=_cmd_list)

    p_params = sub.add_parser("params", help="a notebook's parameters: type, default, allowed range, description")
    p_params.add_argument("notebook", metavar="NOTEBOOK", help="notebook file stem, e.g. kft_care_outcomes")
    p_params.add_argument("--format", choices=("table", "markdown", "json"), default="table")
    p_params.set_defaults(func=_cmd_params)

    p_run = sub.add_parser(
        "run",
        help="execute a notebook with parameters into its own output folder",
        description="Execute a notebook with Papermill. Values given with -p override those in -f files, "
        "which override the notebook's defaults.",
    )
    p_run.add_argument("notebook", metavar="NOTEBOOK", help="notebook file stem, e.g. kft_care_outcomes")
    p_run.add_argument(
        "-p", "--parameter", dest="parameters", nargs=2, action="append", metavar=("NAME", "VALUE"),
        help="set a parameter (repeatable); the value is parsed as the parameter's declared type",
    )
    p_run.add_argument(
        "-f", "--parameters-file", dest="parameters_file", action="append", metavar="FILE",
        help="YAML or JSON file of name: value (repeatable; later files win)",
    )
    p_run.add_argument("--out", metavar="DIR", help="output folder (must be new or empty); default: a new folder under runs/")
    p_run.add_argument("--no-progress", action="store_true", help="do not show the per-cell progress bar")
    p_run.set_defaults(func=_cmd_run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    if hasattr(signal, "SIGPIPE"):  # `compendium params X | head` should end quietly
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (ParameterError, RecordsError, OutputFolderError) as err:
        print(f"compendium: error: {err}", file=sys.stderr)
        return 2
    except RunError as err:
        print(f"compendium: error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
