"""Benchmark: rendering a run's page (page.html) against the run itself, for every notebook.

    .venv/bin/python benchmarks/run_page.py [--notebooks kft_care_outcomes frontline_visits ...]

For each notebook: ``compendium run`` with its defaults, without the run cache and without the page (the run:
papermill starts a kernel and executes the notebook), then its page rendered from the executed notebook
(:func:`helpers.engine.pages.render_run`: the Sphinx build with the book's configuration, then one file),
both timed in this process (its imports made once first, as ``compendium run`` makes them before either).
Target: the page takes at most as long again as the run (render time / run time <= 1). It also reports each
page's size. Exits with status 1 if a notebook misses the target.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from helpers.engine import catalog
from helpers.engine.pages import render_run
from helpers.engine.runner import execute

TARGET = 1.0


def measure(stem: str, folder: Path) -> tuple[float, float, int]:
    """Seconds of the run, seconds of its page, and the page's size in bytes."""
    out = folder / stem
    started = time.perf_counter()
    record = execute(stem, {}, out, progress=False, use_cache=False)
    run = time.perf_counter() - started
    started = time.perf_counter()
    page = render_run(out, stem, record.params)
    return run, time.perf_counter() - started, page.path.stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebooks", nargs="*", default=catalog.stems())
    args = parser.parse_args(argv)
    import jupyter_book.config  # noqa: F401  (the imports a page build needs, made once as the command makes them)
    import sphinx.application  # noqa: F401

    missed = []
    print(f"{'notebook':<24} {'run s':>7} {'page s':>7} {'ratio':>6} {'page MB':>8}")
    with tempfile.TemporaryDirectory(prefix="bench-run-page-") as tmp:
        for stem in args.notebooks:
            run, page, size = measure(stem, Path(tmp))
            ratio = page / run
            print(f"{stem:<24} {run:7.1f} {page:7.1f} {ratio:6.2f} {size / 1e6:8.2f}", flush=True)
            if ratio > TARGET:
                missed.append(stem)
    if missed:
        print(f"target missed (page time at most {TARGET:g} x run time): {', '.join(missed)}", file=sys.stderr)
        return 1
    print(f"target met: every page took at most {TARGET:g} x its run's time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
