"""Running a sweep: every point from the cache where possible, the others on Dask, then the outputs.

Each finished point is stored in the run cache as soon as its result arrives, so an interrupted
sweep loses only the points that were running. While points run, Ctrl-C (SIGINT) and ``kill``
(SIGTERM) only set a flag (:class:`StopRequest`) that the loop collecting the results checks: the
sweep then cancels the other points, marks its folder as interrupted and raises
:class:`SweepInterrupted` (``compendium`` exits with status 130).
"""

from __future__ import annotations

import os
import signal
import threading
import time
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from helpers.engine import cache as run_cache
from helpers.engine import catalog
from helpers.engine.sweep.cluster import (
    check_workers,
    close_quietly,
    dashboard_link,
    dashboard_message,
    start_client,
)
from helpers.engine.sweep.grid import GridError, Point, varied
from helpers.engine.sweep.outputs import (
    TABLE,
    PointOutcome,
    SweepReport,
    now,
    start_sweep_dir,
    sweep_table,
    write_log,
    write_status,
    write_summary_figure,
    write_table,
)
from helpers.engine.sweep.progress import Progress
from helpers.engine.sweep.workers import run_point
from helpers.engine.wording import plural
from helpers.params import ParamSpec
from helpers.results import scalars_from

#: How often (seconds) the loop collecting results looks for new ones and for a stop request.
POLL_SECONDS = 0.02


class SweepInterrupted(RuntimeError):
    """Ctrl-C or a termination signal during a sweep; finished points are in the cache."""


class StopRequest:
    """A signal handler that only records that the sweep should stop (SIGINT or SIGTERM).

    Raising ``KeyboardInterrupt`` from the handler, as Python does by default, can lose the
    interrupt: delivered while a library runs a ``__del__`` method or a callback that ignores
    errors, it is printed and dropped, and the sweep would run on to the end. A flag cannot be lost."""

    def __init__(self) -> None:
        self.signal: int | None = None

    def __call__(self, signum: int, _frame: FrameType | None) -> None:
        self.signal = signum

    def __bool__(self) -> bool:
        return self.signal is not None


@contextmanager
def stop_on_signals() -> Iterator[StopRequest]:
    """A :class:`StopRequest` set by SIGINT and SIGTERM within the block (the previous handlers come
    back after it).

    Only a signal that Python handles already (by raising ``KeyboardInterrupt``, as it does for
    Ctrl-C, and as ``compendium sweep`` does for SIGTERM) is taken over: one that is ignored (a
    command started in the background by a script ignores Ctrl-C) or left to the system stays so.
    Outside the main thread, where signals cannot be handled, the request is never set."""
    stop = StopRequest()
    previous: dict[int, Any] = {}
    try:
        if threading.current_thread() is threading.main_thread():
            for s in (signal.SIGINT, signal.SIGTERM):
                if callable(signal.getsignal(s)):
                    previous[s] = signal.signal(s, stop)
        yield stop
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@dataclass
class Plan:
    """A sweep's points with their cache keys, those served from the cache, and those to compute."""

    stem: str
    cache: run_cache.RunCache
    out_dir: Path
    keyed: list[Point]
    env: dict[str, str]
    env_digest: str
    by_key: dict[str, list[Point]] = field(default_factory=dict)
    outcomes: dict[int, PointOutcome] = field(default_factory=dict)
    todo: list[Point] = field(default_factory=list)

    @property
    def n_cached(self) -> int:
        return len(self.keyed) - sum(len(self.by_key[p.key]) for p in self.todo)

    @property
    def n_computed(self) -> int:
        return sum(o.source == "computed" for o in self.outcomes.values())


def plan_points(stem: str, points: Sequence[Point], spec: ParamSpec, cache: run_cache.RunCache, out_dir: Path) -> Plan:
    """Key every point; points with the same key are computed once; a key in the cache is served from it."""
    env = run_cache.environment(stem)
    keyed = [Point(p.index, p.given, p.params, run_cache.run_key(stem, p.params, spec, env)) for p in points]
    plan = Plan(stem, cache, out_dir, keyed, env, run_cache.environment_digest(stem))
    for p in keyed:
        plan.by_key.setdefault(p.key, []).append(p)
    for key, group in plan.by_key.items():
        entry = cache.lookup(stem, key)
        if entry is None:
            plan.todo.append(group[0])
            continue
        for p in group:
            plan.outcomes[p.index] = PointOutcome(p, "ok", "cached", entry.results, entry.meta.get("seconds"))
    return plan


def _checked(detail: Any, env_digest: str) -> dict[str, Any]:
    """A point's result as :func:`run_point` returns it; a lost task or a worker that ran other code
    made into a failure."""
    if not isinstance(detail, dict):  # the worker died, or the task was lost or cancelled
        err = detail[1] if isinstance(detail, tuple) and len(detail) == 3 else detail
        return {
            "ok": False,
            "kind": "error",
            "error": f"{type(err).__name__}: {err}",
            "traceback": "".join(traceback.format_exception(err)) if isinstance(err, BaseException) else "",
        }
    if detail.get("ok") and detail.get("env") != env_digest:
        return {
            **detail,
            "ok": False,
            "kind": "error",
            "error": "the worker ran different code, notebook, data, lock file or Python than this machine",
        }
    return detail


def _record(plan: Plan, p: Point, detail: dict[str, Any]) -> None:
    """A finished point: stored in the cache at once (or its log written), for every point with its key."""
    group = plan.by_key[p.key]
    if detail.get("ok"):
        results = scalars_from(detail["scalars"])
        plan.cache.store_or_warn(  # a cache that cannot be written: one warning, the point's results kept
            plan.stem,
            p.key,
            p.params,
            results,
            how="in-process",
            seconds=detail.get("seconds"),
            inputs=detail.get("inputs"),
            components={"environment": plan.env},
            extra={"worker": f"{detail.get('host')}:{detail.get('pid')}"},
        )
        for q in group:
            plan.outcomes[q.index] = PointOutcome(q, "ok", "computed", results, detail.get("seconds"))
        return
    for q in group:
        o = PointOutcome(q, "failed", "", {}, detail.get("seconds"), detail.get("error", "failed"))
        o.log = write_log(plan.out_dir, o, detail)
        plan.outcomes[q.index] = o


def _interrupted(plan: Plan) -> SweepInterrupted:
    """Mark the sweep's folder as interrupted; the error that says what is kept and how to go on."""
    write_status(
        plan.out_dir,
        {
            "notebook": plan.stem,
            "points": len(plan.keyed),
            "status": "interrupted",
            "computed": plan.n_computed,
            "cached": plan.n_cached,
            "cache": str(plan.cache.root),
            "interrupted": now(),
        },
    )
    return SweepInterrupted(
        f"sweep of {plan.stem} interrupted: {plural(plan.n_computed, 'point')} "
        f"computed now and {plan.n_cached} from the cache are kept in {plan.cache.root}; "
        f"run the same command again to compute the other {len(plan.keyed) - len(plan.outcomes)}"
    )


def _run_points(client: Any, plan: Plan, bar: Progress, timeout: float | None) -> None:
    """Run the points to compute on the client's workers and record each as it finishes, until all
    have finished or a signal asks the sweep to stop (then :class:`SweepInterrupted`)."""
    from distributed import as_completed

    run_id = os.urandom(4).hex()
    todo = plan.todo
    with stop_on_signals() as stop:
        # One message for all the points (client.map), in grid order.
        submitted = client.map(
            run_point,
            [plan.stem] * len(todo),
            [p.params for p in todo],
            [timeout] * len(todo),
            key=[f"compendium-{plan.stem}-{run_id}-{p.index}" for p in todo],
            pure=False,
        )
        futures = dict(zip(submitted, todo, strict=True))
        # Results are fetched in the background as points finish (with_results).
        done = as_completed(futures, loop=client.loop, with_results=True, raise_errors=False)
        while not stop and not done.is_empty():
            batch = done.next_batch(block=False)
            if not batch:
                time.sleep(POLL_SECONDS)
            for future, detail in batch:
                detail = _checked(detail, plan.env_digest)
                _record(plan, futures[future], detail)
                bar.update(bool(detail.get("ok")))
        if stop:
            client.cancel(list(futures))
            raise _interrupted(plan)


@dataclass
class Computation:
    """How a sweep's points were computed: the workers, the cluster's dashboard and the time taken."""

    workers: int = 0
    dashboard: str | None = None
    seconds: float = 0.0


def compute(
    plan: Plan, bar: Progress, *, client: Any, workers: int | None, scheduler: str | None, timeout: float | None
) -> Computation:
    """Compute the plan's points that are not in the cache: on ``client`` if given, else on the workers
    of the scheduler at ``scheduler``, else on a new local cluster (closed afterwards)."""
    done = Computation()
    started = time.perf_counter()
    own_client = client is None
    cluster = None
    try:
        if plan.todo:
            if own_client:
                client, cluster = start_client(workers, scheduler, len(plan.todo))
            done.workers = check_workers(client, plan.stem, plan.env_digest)
            done.dashboard = dashboard_link(client)
            print(dashboard_message(done.dashboard, scheduler), file=bar.stream, flush=True)
            started = time.perf_counter()
            bar.start()
            _run_points(client, plan, bar, timeout)
    finally:
        bar.close()
        if own_client and client is not None:
            close_quietly(client, cluster)
    done.seconds = time.perf_counter() - started if plan.todo else 0.0
    return done


def _starting(client: Any, scheduler: str | None) -> str:
    if client is not None:
        return "using the Dask cluster given"
    return f"connecting to the Dask scheduler at {scheduler}" if scheduler else "starting the Dask workers"


def run_sweep(
    stem: str,
    points: Sequence[Point],
    *,
    out: str | Path | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    plot: tuple[str, str] | None = None,
    timeout: float | None = None,
    progress: bool = True,
    cache: run_cache.RunCache | None = None,
    grid_text: str | None = None,
    client: Any = None,
) -> SweepReport:
    """Run every point (from the cache where possible), then write the table and the figure.

    ``client`` (an existing ``distributed.Client``) overrides ``workers`` and ``scheduler``."""
    started = time.perf_counter()
    spec = catalog.module_for(stem).PARAMETERS
    cache = cache or run_cache.RunCache()
    out_dir = start_sweep_dir(out, stem, len(points), cache.root, grid_text)
    plan = plan_points(stem, points, spec, cache, out_dir)
    bar = Progress(stem, len(plan.keyed), plan.n_cached, enabled=progress, starting=_starting(client, scheduler))
    done = compute(plan, bar, client=client, workers=workers, scheduler=scheduler, timeout=timeout)

    ordered = [plan.outcomes[p.index] for p in plan.keyed]
    table = sweep_table(spec, ordered)
    parquet, csv = out_dir / f"{TABLE}.parquet", out_dir / f"{TABLE}.csv"
    write_table(table, parquet, csv)
    report = SweepReport(stem, out_dir, ordered, parquet, csv, None, 0.0, done.seconds)
    if plot is not None:
        try:
            report.figure = write_summary_figure(table, spec, plot[0], plot[1], varied(plan.keyed), out_dir, stem)
        except GridError as err:
            report.plot_error = str(err)
    report.seconds = time.perf_counter() - started
    write_status(
        out_dir,
        {
            "notebook": stem,
            "points": len(plan.keyed),
            "status": "finished",
            "computed": report.computed,
            "cached": report.cached,
            "failed": len(report.failed),
            "failed_points": [o.point.index for o in report.failed],
            "varied": varied(plan.keyed),
            "workers": done.workers,
            "scheduler": scheduler,
            "dashboard": done.dashboard,
            "timeout": timeout,
            "plot": f"{plot[0]}:{plot[1]}" if plot else None,
            "figure": report.figure.name if report.figure else None,
            "cache": str(cache.root),
            "seconds": report.seconds,
            "compute_seconds": done.seconds,
            "finished": now(),
        },
    )
    return report
