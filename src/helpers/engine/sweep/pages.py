"""A page for each point of a sweep (``compendium sweep --pages``).

A sweep computes each point in-process, without a notebook; a page needs the executed notebook. So, after
the sweep, each point that finished is run as ``compendium run`` runs it, into ``points/point-NNNN/`` of the
sweep's folder (the executed notebook, ``params.json``, ``results.json`` and ``page.html``), through the run
cache: a point whose notebook was executed before is not executed again, and the notebook executed here joins
the point's cache entry. Its page is rendered as a run's is (:mod:`helpers.engine.pages`).
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from helpers.engine.sweep.outputs import SweepReport

#: The folder of a sweep's point pages, in its output folder.
POINTS_DIR = "points"


@dataclass
class PointPages:
    """The pages written: each point's page, and each page's build warnings (by point)."""

    pages: list[Path] = field(default_factory=list)
    warnings: dict[int, list[str]] = field(default_factory=dict)


def point_folder(out_dir: Path, index: int) -> Path:
    return out_dir / POINTS_DIR / f"point-{index:04d}"


def write_point_pages(report: SweepReport, progress: bool = True) -> PointPages:
    """Run every finished point of ``report`` as ``compendium run`` does and render its page; an earlier
    invocation's point folders are replaced."""
    from helpers.engine.pages import render_run
    from helpers.engine.runner import execute

    shutil.rmtree(report.out_dir / POINTS_DIR, ignore_errors=True)
    done = PointPages()
    finished = [o for o in report.outcomes if o.status == "ok"]
    for n, outcome in enumerate(finished, start=1):
        folder = point_folder(report.out_dir, outcome.point.index)
        folder.parent.mkdir(parents=True, exist_ok=True)
        record = execute(report.stem, outcome.point.params, folder, progress=False)
        page = render_run(folder, report.stem, record.params)
        done.pages.append(page.path)
        if page.warnings:
            done.warnings[outcome.point.index] = page.warnings
        if progress:
            print(f"sweep {report.stem}: page {n}/{len(finished)}: point {outcome.point.index}", file=sys.stderr)
    return done
