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

The package, by job: :mod:`~helpers.engine.sweep.grid` (reading and checking the grid),
:mod:`~helpers.engine.sweep.workers` (what runs on a Dask worker: one point),
:mod:`~helpers.engine.sweep.cluster` (the local cluster or the scheduler, and its dashboard),
:mod:`~helpers.engine.sweep.progress` (the progress bar), :mod:`~helpers.engine.sweep.outputs`
(the folder, table, figure and logs) and :mod:`~helpers.engine.sweep.run` (:func:`run_sweep`).
"""

from __future__ import annotations

from helpers.engine.sweep.cluster import (
    DASHBOARD_ADDRESS,
    SweepError,
    check_scheduler,
    dashboard_link,
    dashboard_message,
)
from helpers.engine.sweep.grid import (
    MAX_POINTS,
    GridError,
    Point,
    check_plot_result,
    check_point_inputs,
    expand_grid,
    parse_plot,
    read_grid,
    validate_points,
    varied,
)
from helpers.engine.sweep.outputs import (
    SWEEP_FILE,
    TABLE,
    PointOutcome,
    SweepReport,
    prepare_sweep_dir,
    relative,
    sweep_table,
    write_summary_figure,
    write_table,
)
from helpers.engine.sweep.progress import Progress
from helpers.engine.sweep.run import SweepInterrupted, run_sweep
from helpers.engine.sweep.workers import (
    MAX_ERROR_CHARS,
    PointTimeout,
    dask_setup,
    one_line,
    run_point,
    time_limit,
    worker_environment,
)

__all__ = [
    "DASHBOARD_ADDRESS",
    "MAX_ERROR_CHARS",
    "MAX_POINTS",
    "SWEEP_FILE",
    "TABLE",
    "GridError",
    "Point",
    "PointOutcome",
    "PointTimeout",
    "Progress",
    "SweepError",
    "SweepInterrupted",
    "SweepReport",
    "check_plot_result",
    "check_point_inputs",
    "check_scheduler",
    "dashboard_link",
    "dashboard_message",
    "dask_setup",
    "expand_grid",
    "one_line",
    "parse_plot",
    "prepare_sweep_dir",
    "read_grid",
    "relative",
    "run_point",
    "run_sweep",
    "sweep_table",
    "time_limit",
    "validate_points",
    "varied",
    "worker_environment",
    "write_summary_figure",
    "write_table",
]
