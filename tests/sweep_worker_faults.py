"""Dask worker preload for tests/test_sweep.py: makes chosen points of the KFT analysis fail.

Started as ``dask worker ... --preload tests/sweep_worker_faults.py``. A point with
``seed == 666`` raises; a point with ``seed == 777`` runs far longer than the test's time limit.
Other points run the real analysis. (Only the worker's copy in memory is changed;
the files on disk, and so the cache key, are not.)
"""

from __future__ import annotations

import time

from helpers.analyses import kft_care_outcomes as kft

# Dask may import a preload more than once: keep the real function from the first time.
_real_run = getattr(kft, "_run_without_faults", kft.run)
kft._run_without_faults = _real_run


def _run_with_faults(params):
    if params["seed"] == 666:
        raise ValueError("injected failure for seed 666")
    if params["seed"] == 777:
        until = time.monotonic() + 120  # far longer than the test's time limit (bounded, so nothing hangs)
        while time.monotonic() < until:
            time.sleep(0.05)
    return _real_run(params)


kft.run = _run_with_faults
