"""What each ``compendium`` command does, once :mod:`helpers.engine.cli` has parsed its arguments.

Each ``cmd_<command>`` prints its output and returns the exit status; errors it raises are turned
into messages and exit statuses by :func:`helpers.engine.cli.main`.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from types import FrameType

from helpers.engine import catalog, yamlio
from helpers.engine.runner import RunRecord, execute, resolve_params
from helpers.engine.sweep import SweepReport
from helpers.engine.wording import plural

#: How many of a page build's warnings a command prints.
MAX_WARNINGS_SHOWN = 10


def cmd_list(_args: argparse.Namespace) -> int:
    entries = catalog.entries()
    width = max((len(e.stem) for e in entries), default=0)
    for e in entries:
        print(f"{e.stem:<{width}}  {e.summary}")
    return 0


def cmd_params(args: argparse.Namespace) -> int:
    from helpers.engine.narrative import records_schemas
    from helpers.inputs.records import describe_columns

    spec = catalog.module_for(args.notebook).PARAMETERS
    rows: list[dict] = list(spec.rows())
    columns = {name: describe_columns(schema) for name, schema in records_schemas(args.notebook).items()}
    if args.format == "json":
        for r in rows:
            if r["name"] in columns:
                r["columns"] = columns[r["name"]]
        print(json.dumps(rows, indent=2))
        return 0
    if args.format == "markdown":
        print("| name | type | default | allowed | description |")
        print("|---|---|---|---|---|")
        for r in rows:
            unit = f" ({r['unit']})" if r["unit"] else ""
            print(f"| `{r['name']}` | {r['type']} | `{r['default']}` | {r['allowed']} | {r['description']}{unit} |")
        for name, table in columns.items():
            print(
                f"\nColumns of the file given to `{name}`:\n\n| column | type | required | allowed |\n|---|---|---|---|"
            )
            for c in table:
                print(f"| `{c['column']}` | {c['type']} | {c['required']} | {c['allowed']} |")
        return 0
    for r in rows:
        unit = f" [{r['unit']}]" if r["unit"] else ""
        print(f"{r['name']}: {r['type']} = {r['default']}  ({r['allowed']}){unit}")
        print(f"    {r['description']}")
    for name, table in columns.items():
        print(f"\ncolumns of the file given to {name} (CSV, a header line, then a row per record):")
        width = max(len(c["column"]) for c in table)
        for c in table:
            allowed = f"; {c['allowed']}" if c["allowed"] else ""
            print(f"  {c['column']:<{width}}  {c['type']}, {c['required']}{allowed}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from helpers.engine.narrative import records_notes

    params = resolve_params(args.notebook, pairs=args.parameters or [], files=args.parameters_file or [])
    for name, notes in records_notes(args.notebook, params).items():
        for note in notes:
            print(f"compendium: note: {name}: {note}", file=sys.stderr)
    record = execute(args.notebook, params, args.out, progress=not args.no_progress, use_cache=not args.no_cache)
    if record.from_cache:
        print(
            f"served from the cache: nothing was executed (first computed {record.computed_at}; "
            f"cache entry {record.cache_entry})"
        )
    print(f"executed notebook: {record.notebook}")
    print(f"parameters:        {record.out_dir / 'params.json'}")
    print(f"results:           {record.out_dir / 'results.json'} ({plural(len(record.results), 'value')})")
    return 0 if args.no_page else _write_page(record)


def _write_page(record: RunRecord) -> int:
    """Render the run's page (``page.html``); say where it is and what its build warned about."""
    from helpers.engine.pages import render_run

    try:
        page = render_run(record.out_dir, record.stem, record.params)
    except Exception as err:  # the run itself is done and kept: say what failed, not a traceback
        print(
            f"compendium: error: page.html could not be rendered ({type(err).__name__}: {err}); "
            f"the run's notebook and results are in {record.out_dir}",
            file=sys.stderr,
        )
        return 1
    print(f"page:              {page.path}", flush=True)
    for line in page.warnings[:MAX_WARNINGS_SHOWN]:
        print(f"compendium: warning: page.html: {line}", file=sys.stderr)
    if len(page.warnings) > MAX_WARNINGS_SHOWN:
        print(
            f"compendium: warning: page.html: ... and {len(page.warnings) - MAX_WARNINGS_SHOWN} more", file=sys.stderr
        )
    return 0


class _Terminated(KeyboardInterrupt):
    """SIGTERM (``kill``), handled as Ctrl-C is."""


def _on_sigterm(_signum: int, _frame: FrameType | None) -> None:
    raise _Terminated()


def cmd_sweep(args: argparse.Namespace) -> int:
    from helpers.engine import sweep
    from helpers.engine.cache import RunCache

    if args.scheduler and args.workers:
        raise sweep.GridError("--workers starts a local cluster; with --scheduler the scheduler's workers are used")
    spec = catalog.module_for(args.notebook).PARAMETERS
    raw = sweep.read_grid(args.grid, args.max_points)
    points = sweep.validate_points(spec, raw)
    plot = sweep.parse_plot(args.plot, spec, points) if args.plot else None
    if plot is not None:
        sweep.check_plot_result(args.notebook, plot)
    sweep.check_point_inputs(args.notebook, points)  # every records file, as `compendium run` checks it
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
    status = _report_sweep(args.notebook, report)
    if args.pages:
        _write_point_pages(report, not args.no_progress)
    return status


def _write_point_pages(report: SweepReport, progress: bool) -> None:
    """``--pages``: each finished point's run and page; say where they are and what their builds warned about."""
    from helpers.engine.sweep import relative
    from helpers.engine.sweep.pages import POINTS_DIR, write_point_pages

    done = write_point_pages(report, progress)
    print(f"pages:  {relative(report.out_dir / POINTS_DIR)}/ ({len(done.pages)} pages, one folder per point)")
    for index, lines in done.warnings.items():
        print(
            f"compendium: warning: point {index}: page.html: {len(lines)} build warning(s), first: {lines[0]}",
            file=sys.stderr,
        )


def _report_sweep(stem: str, report: SweepReport) -> int:
    """What a finished sweep prints: counts, where its table and figure are, and any failures.
    The exit status: 0, 1 if a point failed, 2 if the figure could not be drawn."""
    from helpers.engine.sweep import relative as rel

    n = len(report.outcomes)
    print(
        f"sweep of {stem}: {plural(n, 'point')}: {report.computed} computed, {report.cached} from the cache, "
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
            f"compendium: error: {len(report.failed)} of {plural(n, 'point')} failed; their logs are in "
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


def cmd_cache_info(_args: argparse.Namespace) -> int:
    from helpers.engine.cache import ENV_VAR, RunCache

    info = RunCache().info()
    print(f"cache folder: {info.root}  (set {ENV_VAR} to use another)")
    print(f"entries:      {info.total} ({_size(info.size_bytes)})")
    for stem, n in sorted(info.entries.items()):
        print(
            f"  {stem}: {plural(n, 'entry')}, {info.with_notebook.get(stem, 0)} with an executed notebook, "
            f"{info.current.get(stem, 0)} current (today's notebook, code, data/, lock file and Python; "
            "input files unchanged)"
        )
    if info.oldest:
        print(f"oldest:       {info.oldest}")
        print(f"newest:       {info.newest}")
    print(f"unfinished:   {info.unfinished} (writes interrupted before they finished; never read)")
    return 0


def cmd_cache_clear(args: argparse.Namespace) -> int:
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
    print(f"removed {plural(removed, 'cache entry')}{which}{kind} from {cache.root}")
    return 0


def cmd_provenance(args: argparse.Namespace) -> int:
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


def cmd_show(args: argparse.Namespace) -> int:
    """``compendium show RUN_DIR``: the run's card and "In brief", with its numbers, in a terminal."""
    from helpers.engine.showing import show_text

    print(show_text(args.run_dir, width=args.width))
    return 0
