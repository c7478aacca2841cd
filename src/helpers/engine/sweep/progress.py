"""A sweep's progress on stderr: points done, failed and from the cache, and the time left."""

from __future__ import annotations

import math
import os
import sys
import time
from typing import Any, TextIO

from helpers.engine.wording import plural


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
        self.bar: Any = None  # a tqdm bar on a terminal
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        if enabled:
            what = starting if self.to_compute else "nothing to compute"
            counted = f"{plural(total, 'point')}, {cached} from the cache"
            print(f"sweep {stem}: {counted}; {what}", file=self.stream, flush=True)

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
    whole = math.ceil(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60:02d} s"
    return f"{whole // 3600} h {whole % 3600 // 60:02d} min"
