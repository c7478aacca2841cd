"""Parameter sweeps on Dask: a grid of parameter sets, each point run once, one tidy table.

A point runs the notebook's analysis **in-process on a warm Dask worker**: the
worker imports the analysis module once and then calls ``run(params)`` for each
point it is given, so a point pays neither for a kernel start nor for library
imports. This gives the same numbers as executing the notebook with Papermill,
because every committed notebook glues exactly ``run(params).scalars`` (checked for
the defaults by ``tests/test_notebooks.py``, and for sweep points against
``compendium run`` by ``tests/test_sweep.py``).

Every point goes through the run cache (:mod:`helpers.engine.cache`): a point whose key
is there is not computed again, and each finished point is stored (written under a
temporary name, then renamed) by the client as soon as its result arrives, so an
interrupted sweep loses only the points that were running.

The grid file (YAML) is either a mapping of parameter → list of values (every
combination is a point; a single value is used in every point) or a list of
parameter sets (each one point; unnamed parameters keep their defaults)::

    target_home_rate: [0.5, 0.6]
    ci_method: [wilson, clopper-pearson, jeffreys]
    psa_draws: 2000

    - {target_home_rate: 0.6}
    - {target_home_rate: 0.7, ci_level: 0.9}
"""

from __future__ import annotations

import ctypes
import itertools
import json
import logging
import math
import os
import socket
import sys
import threading
import time
import traceback
from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO


from helpers.engine import cache as run_cache
from helpers.engine import catalog, yamlio
from helpers.params import ParameterError, ParamSpec
from helpers.results import scalars_from

#: Marker file of a sweep's output folder.
SWEEP_FILE = "sweep.json"
TABLE = "results"


class GridError(ParameterError):
    """A grid file, or one of its points, that cannot be run. One line naming the point and parameter."""


class SweepError(RuntimeError):
    """A sweep that could not start (no scheduler, no workers, a worker with other code)."""


class SweepInterrupted(RuntimeError):
    """Ctrl-C or a termination signal during a sweep; finished points are in the cache."""


class PointTimeout(BaseException):
    """Raised inside a point that ran longer than its time limit. A BaseException, so that an
    analysis's own ``except Exception`` cannot swallow it."""


# ------------------------------------------------------------------ grid
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
        return [dict(zip(names, combo)) for combo in itertools.product(*axes)]
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
                        f"{source}: parameter set {i} gives '{name}' the value {yamlio.brief(v)}, which is not a single value "
                        "(a list of parameter sets takes one value per parameter)"
                    )
            points.append({str(k): v for k, v in item.items()})
        return points
    raise GridError(
        f"{source} must hold a mapping of parameter: list of values, or a list of parameter sets, "
        f"not {type(data).__name__}"
    )


def read_grid(path: str | Path, max_points: int = MAX_POINTS) -> list[dict[str, Any]]:
    path = Path(path)
    try:
        data = yamlio.load_file(path, "grid file")
    except yamlio.YAMLFileError as err:
        raise GridError(str(err)) from None
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
        i, given, err = errors[0]
        others = [str(j) for j, _, _ in errors[1:]]
        also = ""
        if others:
            shown = ", ".join(others[:10]) + (", ..." if len(others) > 10 else "")
            also = f" (also invalid: point{'s' if len(others) > 1 else ''} {shown})"
        raise GridError(f"grid point {i} of {len(raw)} ({_describe(given)}): {err}{also}", err.name)
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
        raise GridError(f"--plot {text!r}: unknown parameter '{param}': expected one of {', '.join(spec.names)}")
    if param not in varied(points):
        moving = ", ".join(varied(points)) or "none"
        raise GridError(f"--plot {text!r}: parameter '{param}' does not vary in the grid (varied: {moving})")
    return result, param


# ------------------------------------------------------------------ on a worker
@contextmanager
def time_limit(seconds: float | None):
    """Raise :class:`PointTimeout` in this thread after ``seconds``.

    The exception is delivered at the next Python instruction, so it interrupts a loop or
    a sequence of library calls but not one C call that does not return (that one ends the
    point when it returns)."""
    if not seconds:
        yield
        return
    target = threading.get_ident()
    lock = threading.Lock()
    state = {"done": False}

    def fire() -> None:
        with lock:
            if not state["done"]:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), ctypes.py_object(PointTimeout))

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["done"] = True
        timer.cancel()


_WARM: dict[str, tuple[Any, str]] = {}


def warm(stem: str) -> tuple[Any, str]:
    """The analysis module, imported once per worker process, and the digest of the code, notebook,
    data files (``data/``), lock file and Python this process loaded (also computed once: Python does not reload a
    module that changes on disk, so the digest taken at import time is the one that applies)."""
    if stem not in _WARM:
        module = catalog.module_for(stem)
        _WARM[stem] = (module, run_cache.environment_digest(stem))
    return _WARM[stem]


def dask_setup(worker=None) -> None:
    """Preload of the local cluster's workers: leave Ctrl-C to the ``compendium`` process.

    A terminal sends Ctrl-C to every process in its foreground group, the workers included.
    They would each die with a traceback; instead they ignore it, and ``compendium sweep``
    stops them itself once it has kept the finished points."""
    import signal

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def worker_environment(stem: str) -> str:
    """Warm this worker for ``stem``; the digest of what it loaded."""
    return warm(stem)[1]


#: Longest error message recorded in a sweep's table (the log holds the whole traceback).
MAX_ERROR_CHARS = 600


def one_line(message: str) -> str:
    """An error message on one line, every reason kept (a records error lists its problems on the
    lines after its first), cut at :data:`MAX_ERROR_CHARS`."""
    lines = [line.strip().removeprefix("- ") for line in message.splitlines() if line.strip()]
    text = " ".join(lines[:1]) + (" " + "; ".join(lines[1:]) if len(lines) > 1 else "")
    return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 3] + "..."


def check_scheduler(address: str, timeout: float = 5.0) -> None:
    """Refuse a scheduler address that is malformed or that nothing answers at, before anything runs:
    a :class:`GridError` naming ``--scheduler``, the address and what is expected."""
    import re

    expected = "expected an address such as tcp://10.0.0.5:8786 (tcp:// or tls://, a host and a port)"
    match = re.fullmatch(r"(?:(tcp|tls)://)?(\[[0-9a-fA-F:]+\]|[A-Za-z0-9_.-]+):(\d{1,5})", address.strip())
    if not match or not 0 < int(match.group(3)) < 65536:
        raise GridError(f"--scheduler {yamlio.brief(address)} is not allowed: {expected}")
    host, port = match.group(2).strip("[]"), int(match.group(3))
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as err:
        raise SweepError(
            f"--scheduler {address}: nothing answers there ({err.strerror or err}); start the "
            f"scheduler first, or leave out --scheduler to use a local cluster"
        ) from None


def run_point(stem: str, params: dict[str, Any], timeout: float | None = None) -> dict[str, Any]:
    """One point, in-process: ``check_inputs`` (if any), then ``run(params)``. Never raises:
    a failure is returned with its message and traceback."""
    started = time.perf_counter()
    where = {"host": socket.gethostname(), "pid": os.getpid()}
    try:
        module, env = warm(stem)
    except Exception as err:  # noqa: BLE001 - reported with the point
        return {
            "ok": False,
            "kind": "error",
            "error": f"{type(err).__name__}: {err}",
            "traceback": traceback.format_exc(),
            "seconds": time.perf_counter() - started,
            **where,
        }
    try:
        with time_limit(timeout):
            if hasattr(module, "check_inputs"):
                module.check_inputs(params)
            result = module.run(params)
            scalars = dict(result.scalars)
            inputs = dict(result.inputs)
    except PointTimeout:
        return {
            "ok": False,
            "kind": "timeout",
            "error": f"timed out after {timeout:g} s",
            "traceback": traceback.format_exc(),
            "seconds": time.perf_counter() - started,
            "env": env,
            **where,
        }
    except Exception as err:  # noqa: BLE001 - a failed point is recorded, not raised
        message = one_line(str(err))
        return {
            "ok": False,
            "kind": "error",
            "error": f"{type(err).__name__}: {message}",
            "traceback": traceback.format_exc(),
            "seconds": time.perf_counter() - started,
            "env": env,
            **where,
        }
    return {
        "ok": True,
        "scalars": scalars,
        "inputs": inputs,
        "seconds": time.perf_counter() - started,
        "env": env,
        **where,
    }


# ------------------------------------------------------------------ progress
class Progress:
    """Points done / failed / from the cache, and time left, on stderr.

    On a terminal: a tqdm bar over the points to compute. Otherwise (a log file, CI): a
    plain line at most every ``interval`` seconds and at the end, so a log stays readable."""

    def __init__(
        self,
        stem: str,
        total: int,
        cached: int,
        *,
        enabled: bool = True,
        stream: TextIO | None = None,
        interval: float = 10.0,
        starting: str = "starting the Dask workers",
    ):
        self.stem, self.total, self.cached = stem, total, cached
        self.to_compute = total - cached
        self.computed = self.failed = 0
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self.interval = interval
        self.started = time.monotonic()
        self._last = 0.0
        self.bar = None
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        if enabled:
            what = starting if self.to_compute else "nothing to compute"
            print(f"sweep {stem}: {total} points, {cached} from the cache; {what}", file=self.stream, flush=True)

    def start(self) -> None:
        """The workers are ready: from now on, the time per point gives the time left."""
        self.started = time.monotonic()
        self._last = self.started
        if not (self.enabled and self.to_compute):
            return
        if self.tty:
            from tqdm import tqdm

            try:  # a terminal that does not say its width (0) would get an empty bar
                columns = os.get_terminal_size(self.stream.fileno()).columns
            except (OSError, ValueError, AttributeError):
                columns = 0
            width = {"dynamic_ncols": True} if columns > 0 else {"ncols": 100, "nrows": 24}
            self.bar = tqdm(
                total=self.to_compute,
                desc=f"sweep {self.stem}",
                unit="point",
                file=self.stream,
                leave=True,
                smoothing=0.1,
                **width,
            )
            self.bar.set_postfix_str(self.counts(), refresh=True)
        else:
            self._line(force=True)

    def counts(self) -> str:
        return f"computed {self.computed}, failed {self.failed}, cached {self.cached}"

    def time_left(self) -> str:
        done = self.computed + self.failed
        remaining = self.to_compute - done
        if remaining <= 0:
            return "done"
        if not done:
            return "time left: estimating"
        seconds = (time.monotonic() - self.started) / done * remaining
        return f"about {_duration(seconds)} left"

    def _line(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < self.interval:
            return
        self._last = now
        done = self.computed + self.failed + self.cached
        print(
            f"sweep {self.stem}: {done}/{self.total} points ({self.counts()}), {self.time_left()}",
            file=self.stream,
            flush=True,
        )

    def update(self, ok: bool) -> None:
        if ok:
            self.computed += 1
        else:
            self.failed += 1
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.set_postfix_str(self.counts(), refresh=False)
            self.bar.update(1)
        else:
            self._line(force=self.computed + self.failed == self.to_compute)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _duration(seconds: float) -> str:
    seconds = int(math.ceil(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


# ------------------------------------------------------------------ the sweep
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


def prepare_sweep_dir(out: str | Path | None, stem: str) -> Path:
    """A new folder ``runs/<stem>/sweep-<date-time>``, or ``out`` if it is new, empty, or an earlier
    sweep of the same notebook (whose table and figure are then replaced)."""
    from helpers.engine.paths import is_within, protected_dirs
    from helpers.engine.runner import OutputFolderError, new_run_dir

    if out is None:
        return new_run_dir(stem, prefix="sweep-")
    path = Path(out).expanduser().resolve()
    for folder in protected_dirs():
        if is_within(path, folder):
            raise OutputFolderError(
                f"--out {str(out)!r} is inside {folder}, which holds committed files; choose another folder"
            )
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


def _start_client(workers: int | None, scheduler: str | None, n_tasks: int):
    """A Dask client: to the scheduler at ``scheduler``, or to a new LocalCluster."""
    import dask
    from distributed import Client, LocalCluster

    dask.config.set({"distributed.scheduler.allowed-failures": 1, "distributed.admin.tick.limit": "10s"})
    if scheduler:
        try:
            client = Client(scheduler, timeout="15s", set_as_default=False)
        except (OSError, TimeoutError, ValueError) as err:
            raise SweepError(f"could not connect to the Dask scheduler at {scheduler}: {one_line(str(err))}") from None
        try:
            client.wait_for_workers(1, timeout=60)
        except TimeoutError:
            client.close()
            raise SweepError(f"the Dask scheduler at {scheduler} has no workers (waited 60 s)") from None
        return client, None
    n = max(1, min(workers or os.cpu_count() or 1, n_tasks))
    # Dask starts its workers with MALLOC_TRIM_THRESHOLD_=65536, which makes glibc hand every
    # freed block of a medium-sized array back to the system; an analysis that allocates such
    # arrays point after point (the KFT sensitivity analysis does) then runs about 1.4 times
    # slower than in a plain Python process. Points are short-lived: keep glibc's default.
    dask.config.set(
        {
            "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
            # Hand every worker its share of the points at once (work stealing evens them out), so
            # that a worker never waits for the scheduler between two points; and no statistical
            # profiler in the workers (it costs time in every point; the dashboard's Profile page
            # stays empty, its task stream, progress and worker pages are unaffected).
            "distributed.scheduler.worker-saturation": float("inf"),
            "distributed.worker.profile.enabled": False,
        }
    )
    # The scheduler's dashboard on a free port of this machine (never a clash with another sweep
    # or a notebook's cluster); the workers' own dashboards are not needed.
    cluster = LocalCluster(
        n_workers=n,
        threads_per_worker=1,
        processes=True,
        dashboard_address=DASHBOARD_ADDRESS,
        silence_logs=logging.CRITICAL,
        worker_dashboard_address=None,
        preload=["helpers.engine.sweep"],
    )
    return Client(cluster, set_as_default=False), cluster


#: Where a local cluster serves its dashboard: this machine only, on a free port.
DASHBOARD_ADDRESS = "127.0.0.1:0"


def dashboard_link(client) -> str | None:
    """The address of the dashboard of the cluster ``client`` is connected to (local or remote),
    or ``None`` when its scheduler serves none (started with ``--no-dashboard``, or without bokeh)."""
    try:
        link = client.dashboard_link
    except Exception:  # noqa: BLE001 - the scheduler lists no dashboard service
        return None
    return link or None


def dashboard_message(link: str | None, scheduler: str | None) -> str:
    """The line a sweep prints about its cluster's dashboard."""
    if link:
        return f"Dask dashboard: {link} (open it to watch the workers and the points while the sweep runs)"
    where = f"the Dask scheduler at {scheduler}" if scheduler else "the Dask scheduler"
    return (
        f"Dask dashboard: none ({where} serves no dashboard; a scheduler started with bokeh>=3.1.0 "
        "installed and without --no-dashboard has one)"
    )


def _check_workers(client, stem: str, expected: str) -> int:
    """Warm every worker (import the analysis) and check it sees the same code, notebook, data
    files (``data/``), lock file and Python as this machine; otherwise its results would not be what the cache key says."""
    # One task pinned to each worker: the import runs in the worker's task thread, not in its
    # event loop (which must keep answering the scheduler's heartbeats meanwhile).
    workers = list(client.scheduler_info(n_workers=-1)["workers"])
    tasks = {
        w: client.submit(
            worker_environment,
            stem,
            workers=[w],
            allow_other_workers=False,
            pure=False,
            key=f"compendium-warm-{stem}-{os.urandom(4).hex()}",
        )
        for w in workers
    }
    envs = {}
    for w, task in tasks.items():
        try:
            envs[w] = task.result()
        except Exception as err:  # noqa: BLE001 - reported below
            envs[w] = err
    bad = {w: e for w, e in envs.items() if e != expected}
    if bad:
        worker, env = next(iter(bad.items()))
        what = (
            f"{type(env).__name__}: {env}"
            if isinstance(env, BaseException)
            else "different code, notebook, data, lock file or Python"
        )
        raise SweepError(f"Dask worker {worker} cannot run {stem} as this machine would ({what})")
    return len(workers)


def _write_log(out_dir: Path, outcome: PointOutcome, detail: Mapping[str, Any]) -> Path:
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
    run_cache.write_text_atomic(path, text)
    return path


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
    client=None,
) -> SweepReport:
    """Run every point (from the cache where possible), then write the table and the figure.

    ``client`` (an existing ``distributed.Client``) overrides ``workers`` and ``scheduler``."""
    started = time.perf_counter()
    module = catalog.module_for(stem)
    spec = module.PARAMETERS
    cache = cache or run_cache.RunCache()
    out_dir = prepare_sweep_dir(out, stem)
    logs = out_dir / "logs"
    if logs.is_dir():  # logs of an earlier invocation into the same folder
        for old in logs.glob("point-*.log"):
            old.unlink()
    for old in out_dir.glob("*_vs_*.png"):  # an earlier invocation's figure
        old.unlink()
    # The marker first: an interrupted sweep's folder is recognised when the sweep is run again.
    run_cache.write_json_atomic(
        out_dir / SWEEP_FILE,
        {
            "notebook": stem,
            "points": len(points),
            "status": "running",
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "cache": str(cache.root),
        },
    )
    if grid_text is not None:
        run_cache.write_text_atomic(out_dir / "grid.yaml", grid_text)

    env = run_cache.environment(stem)
    env_digest = run_cache.environment_digest(stem)
    keyed = [Point(p.index, p.given, p.params, run_cache.run_key(stem, p.params, spec, env)) for p in points]
    by_key: dict[str, list[Point]] = {}
    for p in keyed:
        by_key.setdefault(p.key, []).append(p)

    outcomes: dict[int, PointOutcome] = {}
    todo: list[Point] = []
    for key, group in by_key.items():
        entry = cache.lookup(stem, key)
        if entry is not None:
            for p in group:
                outcomes[p.index] = PointOutcome(p, "ok", "cached", entry.results, entry.meta.get("seconds"))
        else:
            todo.append(group[0])
    n_cached = len(keyed) - sum(len(by_key[p.key]) for p in todo)
    starting = (
        "using the Dask cluster given"
        if client is not None
        else f"connecting to the Dask scheduler at {scheduler}"
        if scheduler
        else "starting the Dask workers"
    )
    bar = Progress(stem, len(keyed), n_cached, enabled=progress, starting=starting)
    compute_started = time.perf_counter()
    cluster = None
    n_workers = 0
    dashboard = None
    own_client = client is None
    try:
        if todo:
            from distributed import as_completed

            if own_client:
                client, cluster = _start_client(workers, scheduler, len(todo))
            n_workers = _check_workers(client, stem, env_digest)
            dashboard = dashboard_link(client)
            print(dashboard_message(dashboard, scheduler), file=bar.stream, flush=True)
            compute_started = time.perf_counter()
            bar.start()
            # One message for all the points (client.map), in grid order.
            run_id = os.urandom(4).hex()
            submitted = client.map(
                run_point,
                [stem] * len(todo),
                [p.params for p in todo],
                [timeout] * len(todo),
                key=[f"compendium-{stem}-{run_id}-{p.index}" for p in todo],
                pure=False,
            )
            futures = dict(zip(submitted, todo))
            try:
                # Results are fetched in the background as points finish (with_results).
                done = as_completed(futures, loop=client.loop, with_results=True, raise_errors=False)
                for future, detail in done:
                    p = futures[future]
                    if not isinstance(detail, dict):  # the worker died, or the task was lost or cancelled
                        err = detail[1] if isinstance(detail, tuple) and len(detail) == 3 else detail
                        detail = {
                            "ok": False,
                            "kind": "error",
                            "error": f"{type(err).__name__}: {err}",
                            "traceback": "".join(traceback.format_exception(err))
                            if isinstance(err, BaseException)
                            else "",
                        }
                    if detail.get("ok") and detail.get("env") != env_digest:
                        detail = {
                            **detail,
                            "ok": False,
                            "kind": "error",
                            "error": "the worker ran different code, notebook, data, lock file or Python than this machine",
                        }
                    group = by_key[p.key]
                    if detail.get("ok"):
                        results = scalars_from(detail["scalars"])
                        cache.store(
                            stem,
                            p.key,
                            p.params,
                            results,
                            how="in-process",
                            seconds=detail.get("seconds"),
                            inputs=detail.get("inputs"),
                            components={"environment": env},
                            extra={"worker": f"{detail.get('host')}:{detail.get('pid')}"},
                        )
                        for q in group:
                            outcomes[q.index] = PointOutcome(q, "ok", "computed", results, detail.get("seconds"))
                    else:
                        for q in group:
                            o = PointOutcome(q, "failed", "", {}, detail.get("seconds"), detail.get("error", "failed"))
                            o.log = _write_log(out_dir, o, detail)
                            outcomes[q.index] = o
                    bar.update(bool(detail.get("ok")))
            except KeyboardInterrupt:
                client.cancel(list(futures))
                run_cache.write_json_atomic(
                    out_dir / SWEEP_FILE,
                    {
                        "notebook": stem,
                        "points": len(keyed),
                        "status": "interrupted",
                        "computed": sum(o.source == "computed" for o in outcomes.values()),
                        "cached": n_cached,
                        "cache": str(cache.root),
                        "interrupted": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    },
                )
                raise SweepInterrupted(
                    f"sweep of {stem} interrupted: {sum(o.source == 'computed' for o in outcomes.values())} points "
                    f"computed now and {n_cached} from the cache are kept in {cache.root}; "
                    f"run the same command again to compute the other {len(keyed) - len(outcomes)}"
                ) from None
    finally:
        bar.close()
        if own_client and client is not None:
            _close_quietly(client, cluster)
    compute_seconds = time.perf_counter() - compute_started if todo else 0.0

    ordered = [outcomes[p.index] for p in keyed]
    table = sweep_table(spec, ordered)
    parquet, csv = out_dir / f"{TABLE}.parquet", out_dir / f"{TABLE}.csv"
    write_table(table, parquet, csv)
    figure = None
    report = SweepReport(stem, out_dir, ordered, parquet, csv, None, 0.0, compute_seconds)
    if plot is not None:
        try:
            figure = write_summary_figure(table, spec, plot[0], plot[1], varied(keyed), out_dir)
        except GridError as err:
            report.plot_error = str(err)
    report.figure = figure
    report.seconds = time.perf_counter() - started
    run_cache.write_json_atomic(
        out_dir / SWEEP_FILE,
        {
            "notebook": stem,
            "points": len(keyed),
            "status": "finished",
            "computed": report.computed,
            "cached": report.cached,
            "failed": len(report.failed),
            "failed_points": [o.point.index for o in report.failed],
            "varied": varied(keyed),
            "workers": n_workers,
            "scheduler": scheduler,
            "dashboard": dashboard,
            "timeout": timeout,
            "plot": f"{plot[0]}:{plot[1]}" if plot else None,
            "figure": figure.name if figure else None,
            "cache": str(cache.root),
            "seconds": report.seconds,
            "compute_seconds": compute_seconds,
            "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        },
    )
    return report


def _close_quietly(client, cluster) -> None:
    # Closing a cluster logs about the workers it stops; those messages are not for users.
    for name in ("distributed", "tornado"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    try:
        client.close(timeout=10)
    except Exception:  # noqa: BLE001
        pass
    if cluster is not None:
        try:
            cluster.close(timeout=10)
        except Exception:  # noqa: BLE001
            pass


# ------------------------------------------------------------------ outputs
def _column(values: list[Any]):
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


def sweep_table(spec: ParamSpec, outcomes: Sequence[PointOutcome]):
    """One row per point: its index, status, source, seconds and error; ``param.<name>`` for every
    parameter; ``result.<name>`` for every results value."""
    import pandas as pd

    result_names: list[str] = []
    for o in outcomes:
        for name in o.results:
            if name not in result_names:
                result_names.append(name)
    cols: dict[str, Any] = {
        "point": pd.Series([o.point.index for o in outcomes], dtype="int64"),
        "status": pd.Series([o.status for o in outcomes], dtype="object"),
        "source": pd.Series([o.source for o in outcomes], dtype="object"),
        "seconds": pd.Series([o.seconds if o.seconds is not None else math.nan for o in outcomes], dtype="float64"),
        "error": pd.Series([o.error for o in outcomes], dtype="object"),
        "cache_key": pd.Series([o.point.key for o in outcomes], dtype="object"),
    }
    for name in spec.names:
        cols[f"param.{name}"] = _column([o.point.params[name] for o in outcomes])
    for name in result_names:
        cols[f"result.{name}"] = _column([o.results.get(name) for o in outcomes])
    return pd.DataFrame(cols)


def write_table(table, parquet: Path, csv: Path) -> None:
    """The table as Parquet and CSV, each written under a temporary name and then renamed."""
    with run_cache.atomic_path(parquet) as tmp:
        table.to_parquet(tmp, index=False)
    with run_cache.atomic_path(csv) as tmp:
        table.to_csv(tmp, index=False)


def write_summary_figure(table, spec: ParamSpec, result: str, param: str, moving: Sequence[str], out_dir: Path) -> Path:
    """``result`` against ``param`` over the points that finished, one line per combination of the
    other varied parameters; the compendium's plot theme. Written as ``<result>_vs_<param>.png``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd
    from matplotlib.ticker import FuncFormatter

    from helpers.page.plotting import PALETTE, use_theme

    column = f"result.{result}"
    if not (table["status"] == "ok").any():
        raise GridError(f"--plot {result}:{param}: no figure, since no point finished")
    numeric = [
        c.removeprefix("result.")
        for c in table.columns
        if c.startswith("result.")
        and pd.api.types.is_numeric_dtype(table[c])
        and not pd.api.types.is_bool_dtype(table[c])
    ]
    if column not in table.columns or result not in numeric:
        raise GridError(
            f"--plot {result}:{param}: '{result}' is not a numeric result of this notebook: expected one of {', '.join(numeric) or 'none'} "
            "(the table is written; run the sweep again with another --plot: every point comes from the cache)"
        )
    ok = table[table["status"] == "ok"]
    use_theme()
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    x_col = f"param.{param}"
    declared = spec[param]
    numeric_x = declared.type in (int, float)
    order = list(dict.fromkeys(table[x_col].tolist()))
    others = [n for n in moving if n != param]

    def xs(values):
        return values.astype(float) if numeric_x else values.map(order.index)

    if others:
        groups = list(ok.groupby([f"param.{n}" for n in others], sort=False))
    else:
        groups = [((), ok)]
    many = len(groups) > len(PALETTE)
    markers = ("o", "s", "^", "D", "v", "P", "X", "*", "h", "<")
    for i, (labels, frame) in enumerate(groups):
        labels = labels if isinstance(labels, tuple) else (labels,)
        frame = (
            frame.sort_values(x_col, key=xs)
            if numeric_x
            else frame.sort_values(x_col, key=lambda s: s.map(order.index))
        )
        label = ", ".join(f"{n}={v}" for n, v in zip(others, labels)) or None
        colour = PALETTE[i % len(PALETTE)]
        ax.plot(
            xs(frame[x_col]),
            frame[column].astype(float),
            marker=markers[i % len(markers)],
            lw=0 if many else 1.8,
            ms=7,
            alpha=0.9,
            color=colour,
            label=None if many else label,
        )
    if not numeric_x:
        ax.set_xticks(range(len(order)), [str(v) for v in order])
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.6g}"))
    unit = f" ({declared.unit})" if declared.unit else ""
    ax.set_xlabel(f"{param}{unit}")
    ax.set_ylabel(result)
    failed = int((table["status"] != "ok").sum())
    note = f"; {failed} failed point(s) not shown" if failed else ""
    ax.set_title(f"{result} against {param} ({len(ok)} points{note})", fontsize=11)
    if others and not many:
        ax.legend(title=None, fontsize=9, loc="best")
    fig.tight_layout()
    path = out_dir / f"{result}_vs_{param}.png"
    try:
        with run_cache.atomic_path(path) as tmp:
            fig.savefig(tmp, format="png", dpi=100, metadata={"Software": None})
    finally:
        plt.close(fig)
    return path


def relative(path: Path) -> str:
    """``path`` relative to the current folder when it lies inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


__all__ = [
    "GridError",
    "Point",
    "PointTimeout",
    "Progress",
    "SweepError",
    "SweepInterrupted",
    "SweepReport",
    "expand_grid",
    "parse_plot",
    "read_grid",
    "run_point",
    "run_sweep",
    "sweep_table",
    "validate_points",
    "varied",
    "time_limit",
]
