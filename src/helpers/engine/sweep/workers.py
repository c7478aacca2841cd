"""What runs on a Dask worker: one point of a sweep, in-process, in a warm worker.

A worker imports the analysis module once (:func:`warm`) and then calls ``run(params)`` for each
point it is given (:func:`run_point`), within the point's time limit (:func:`time_limit`). The
local cluster's workers preload this module (:func:`dask_setup`), so that Ctrl-C is left to the
``compendium`` process.
"""

from __future__ import annotations

import ctypes
import os
import socket
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from helpers.engine import cache as run_cache
from helpers.engine import catalog


class PointTimeout(BaseException):
    """Raised inside a point that ran longer than its time limit. A BaseException, so that an
    analysis's own ``except Exception`` cannot swallow it."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
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


def one_line(message: str, limit: int = MAX_ERROR_CHARS) -> str:
    """An error message on one line, every reason kept (a records error lists its problems on the
    lines after its first), cut at ``limit`` characters."""
    lines = [line.strip().removeprefix("- ") for line in message.splitlines() if line.strip()]
    text = " ".join(lines[:1]) + (" " + "; ".join(lines[1:]) if len(lines) > 1 else "")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _failure(kind: str, error: str, started: float, **more: Any) -> dict[str, Any]:
    """A point that failed (``kind`` "error" or "timeout"), with the traceback being handled."""
    return {
        "ok": False,
        "kind": kind,
        "error": error,
        "traceback": traceback.format_exc(),
        "seconds": time.perf_counter() - started,
        **more,
    }


def run_point(stem: str, params: dict[str, Any], timeout: float | None = None) -> dict[str, Any]:
    """One point, in-process: ``check_inputs`` (if any), then ``run(params)``. Never raises:
    a failure is returned with its message and traceback."""
    started = time.perf_counter()
    where = {"host": socket.gethostname(), "pid": os.getpid()}
    try:
        module, env = warm(stem)
    except Exception as err:  # reported with the point
        return _failure("error", f"{type(err).__name__}: {err}", started, **where)
    try:
        with time_limit(timeout):
            if hasattr(module, "check_inputs"):
                module.check_inputs(params)
            result = module.run(params)
            scalars = dict(result.scalars)
            inputs = dict(result.inputs)
    except PointTimeout:
        return _failure("timeout", f"timed out after {timeout:g} s", started, env=env, **where)
    except Exception as err:  # a failed point is recorded, not raised
        return _failure("error", f"{type(err).__name__}: {one_line(str(err))}", started, env=env, **where)
    return {
        "ok": True,
        "scalars": scalars,
        "inputs": inputs,
        "seconds": time.perf_counter() - started,
        "env": env,
        **where,
    }
