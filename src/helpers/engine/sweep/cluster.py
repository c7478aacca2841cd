"""The Dask side of a sweep, on the machine that runs ``compendium sweep``: the cluster or the
scheduler it uses, its dashboard, and a check that every worker runs this machine's code."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
from typing import Any

from helpers.engine import yamlio
from helpers.engine.sweep.grid import GridError
from helpers.engine.sweep.workers import one_line, worker_environment


class SweepError(RuntimeError):
    """A sweep that could not start (no scheduler, no workers, a worker with other code)."""


def check_scheduler(address: str, timeout: float = 5.0) -> None:
    """Refuse a scheduler address that is malformed, or that no Dask scheduler answers at, before anything
    runs and within ``timeout`` seconds in all: the host is looked up, a connection made and (for
    ``tcp://``) Dask's handshake exchanged, each within what is left of the time. A :class:`GridError`
    or :class:`SweepError` in one line naming ``--scheduler``, the address and what is expected."""
    import re
    import time

    expected = "expected an address such as tcp://10.0.0.5:8786 (tcp:// or tls://, a host and a port)"
    match = re.fullmatch(r"(?:(tcp|tls)://)?(\[[0-9a-fA-F:]+\]|[A-Za-z0-9_.-]+):(\d{1,5})", address.strip())
    if not match or not 0 < int(match.group(3)) < 65536:
        raise GridError(f"--scheduler {yamlio.brief(address)} is not allowed: {expected}")
    host, port = match.group(2).strip("[]"), int(match.group(3))
    deadline = time.monotonic() + timeout
    unreachable = "start the scheduler first, or leave out --scheduler to use a local cluster"
    try:
        family, kind, proto, _, where = _resolve(host, port, timeout)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.settimeout(max(0.1, deadline - time.monotonic()))
            probe.connect(where)
    except TimeoutError:
        raise SweepError(f"--scheduler {address}: nothing answered within {timeout:g} s; {unreachable}") from None
    except OSError as err:
        raise SweepError(
            f"--scheduler {address}: nothing answers there ({err.strerror or err}); {unreachable}"
        ) from None
    if (match.group(1) or "tcp") == "tcp" and not _speaks_dask(f"tcp://{match.group(2)}:{port}", deadline):
        raise SweepError(
            f"--scheduler {address}: something answers there, but not as a Dask scheduler (no handshake within "
            f"{timeout:g} s); give the address `dask scheduler` printed"
        )


def _resolve(host: str, port: int, timeout: float) -> list:
    """``socket.getaddrinfo`` for the host, given up (``TimeoutError``) after ``timeout`` seconds: a
    name lookup with no answer would otherwise wait for the system's own limit."""
    import concurrent.futures

    pool = concurrent.futures.ThreadPoolExecutor(1)
    try:
        return pool.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM).result(timeout=timeout)
    except concurrent.futures.TimeoutError:
        raise TimeoutError from None
    finally:
        pool.shutdown(wait=False)


def _speaks_dask(address: str, deadline: float) -> bool:
    """True when the server at ``address`` completes Dask's connection handshake before ``deadline``."""
    import asyncio
    import time

    from distributed.comm import connect

    async def handshake() -> None:
        comm = await connect(address)
        await comm.close()

    try:
        asyncio.run(asyncio.wait_for(handshake(), max(0.1, deadline - time.monotonic())))
    except Exception:
        return False
    return True


def start_client(workers: int | None, scheduler: str | None, n_tasks: int) -> tuple[Any, Any]:
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
        preload=["helpers.engine.sweep.workers"],
    )
    return Client(cluster, set_as_default=False), cluster


#: Where a local cluster serves its dashboard: this machine only, on a free port.
DASHBOARD_ADDRESS = "127.0.0.1:0"


def dashboard_link(client: Any) -> str | None:
    """The address of the dashboard of the cluster ``client`` is connected to (local or remote),
    or ``None`` when its scheduler serves none (started with ``--no-dashboard``, or without bokeh)."""
    try:
        link = client.dashboard_link
    except Exception:  # the scheduler lists no dashboard service
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


def check_workers(client: Any, stem: str, expected: str) -> int:
    """Warm every worker (import the analysis) and check it sees the same code, notebook, data
    files (``data/``), lock file and Python as this machine; otherwise its results would not be
    what the cache key says."""
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
        except Exception as err:  # reported below
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


def close_quietly(client: Any, cluster: Any) -> None:
    # Closing a cluster logs about the workers it stops; those messages are not for users.
    for name in ("distributed", "tornado"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    with contextlib.suppress(Exception):
        client.close(timeout=10)
    if cluster is not None:
        with contextlib.suppress(Exception):
            cluster.close(timeout=10)
