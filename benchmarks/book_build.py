"""Book build and test timings (``make bench``).

Measured in a temporary copy of the repository (so no committed file is
touched), with the project's virtual environment:

1. cold build: ``make book`` with an empty ``_build`` (no execution cache): every
   notebook executes;
2. warm rebuild: ``make book`` again with nothing changed (it finds nothing to redo);
3. forced re-render: ``make book FORCE=1`` with nothing changed: a full ``--all``
   Sphinx build from the execution cache, no notebook executed;
4. rebuild after editing one notebook's code (``make book``): only that notebook
   should execute;
5. ``make test`` in the repository itself (optional, ``--with-test``);
6. each notebook's execution time, from the execution cache of the cold build.

Targets: warm rebuild <= 5 % of the cold build; the one-notebook edit re-executes
only that notebook; with ``--with-test``, ``make test`` passes and takes at most
three times the cold build (the reviewer's command in minutes, not a quarter hour).
The script prints a table, writes ``_build/bench/book_build.json`` and exits 1
if a target is missed.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
EXECUTED = re.compile(r"^(?P<path>\S+): Executing notebook", re.M)
COPY_IGNORE = shutil.ignore_patterns(
    ".venv", ".venv-latest", "_build", "runs", ".cache", ".git", "__pycache__", ".pytest_cache", ".hypothesis"
)


def build(root: Path, *extra: str) -> tuple[float, list[str]]:
    """One ``make book``; returns seconds and the documents it executed."""
    start = time.perf_counter()
    # -o: the copy borrows .venv through a symlink; never reinstall the package from the copy into it.
    res = subprocess.run(["make", "-o", ".venv/.installed", "book", *extra], capture_output=True, text=True, cwd=root)
    seconds = time.perf_counter() - start
    if res.returncode != 0:
        sys.exit(f"build failed:\n{res.stdout[-3000:]}\n{res.stderr[-3000:]}")
    executed = sorted(str(Path(m.group("path")).relative_to(root)) for m in EXECUTED.finditer(res.stdout + res.stderr))
    return seconds, executed


def execution_times(root: Path) -> dict[str, float]:
    from jupyter_cache import get_cache

    cache = get_cache(root / "_build" / ".jupyter_cache")
    return {
        str(Path(r.uri).relative_to(root)): round(float(r.data.get("execution_seconds", float("nan"))), 2)
        for r in cache.list_cache_records()
    }


def edit_notebook(path: Path) -> None:
    """Change one notebook's code without changing what it computes (a comment in its first code cell)."""
    nb = nbformat.read(path, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code")
    first.source += "\n# edited by benchmarks/book_build.py"
    nbformat.write(nb, path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebook", default=None, help="stem of the notebook to edit (default: the first one)")
    parser.add_argument("--with-test", action="store_true", help="also time `make test` in the repository")
    args = parser.parse_args()

    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="bench-book-") as tmp:
        copy = Path(tmp) / "repo"
        shutil.copytree(ROOT, copy, ignore=COPY_IGNORE)
        (copy / ".venv").symlink_to(ROOT / ".venv")  # the project's environment, already installed
        cold, cold_executed = build(copy)
        times = execution_times(copy)
        warm, warm_executed = build(copy)
        forced, forced_executed = build(copy, "FORCE=1")
        stems = sorted(p.stem for p in (copy / "notebooks").glob("*.ipynb"))
        stem = args.notebook or stems[0]
        edit_notebook(copy / "notebooks" / f"{stem}.ipynb")
        one, one_executed = build(copy)
    results.update(
        cold_build_s=round(cold, 1),
        cold_executed=cold_executed,
        warm_rebuild_s=round(warm, 1),
        warm_executed=warm_executed,
        forced_rerender_s=round(forced, 1),
        forced_executed=forced_executed,
        forced_over_cold=round(forced / cold, 3),
        one_notebook_rebuild_s=round(one, 1),
        one_notebook_edited=f"notebooks/{stem}.ipynb",
        one_notebook_executed=one_executed,
        warm_over_cold=round(warm / cold, 3),
        one_notebook_over_cold=round(one / cold, 3),
        execution_s=times,
    )
    if args.with_test:
        start = time.perf_counter()
        res = subprocess.run(["make", "test"], cwd=ROOT, capture_output=True, text=True)
        results["make_test_s"] = round(time.perf_counter() - start, 1)
        results["make_test_passed"] = res.returncode == 0
        if res.returncode != 0:  # say why, not only that it failed
            results["make_test_output_tail"] = (res.stdout + res.stderr)[-4000:]
            print(results["make_test_output_tail"], file=sys.stderr)
        results["make_test_over_cold"] = round(results["make_test_s"] / cold, 2)

    targets = {
        "warm rebuild <= 5% of cold": results["warm_over_cold"] <= 0.05,
        "warm rebuild executes nothing": not warm_executed,
        "forced re-render executes nothing": not forced_executed,
        "one-notebook edit executes only that notebook": one_executed == [f"notebooks/{stem}.ipynb"],
    }
    if args.with_test:
        targets["make test passes"] = results["make_test_passed"]
        targets["make test <= 3x the cold build"] = results["make_test_over_cold"] <= 3
    results["targets"] = targets
    out = ROOT / "_build" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "book_build.json").write_text(json.dumps(results, indent=2) + "\n")

    print(f"{'cold build (empty cache)':<44}{results['cold_build_s']:>8.1f} s  executed {len(cold_executed)}")
    for what, seconds, executed, ratio in (
        ("warm rebuild, nothing changed", "warm_rebuild_s", len(warm_executed), "warm_over_cold"),
        ("forced re-render (FORCE=1), nothing changed", "forced_rerender_s", len(forced_executed), "forced_over_cold"),
        ("rebuild after editing " + stem, "one_notebook_rebuild_s", one_executed, "one_notebook_over_cold"),
    ):
        print(f"{what:<44}{results[seconds]:>8.1f} s  executed {executed}  ratio {results[ratio]:.3f}")
    if "make_test_s" in results:
        print(
            f"{'make test':<44}{results['make_test_s']:>8.1f} s  passed: {results['make_test_passed']}  "
            f"ratio to the cold build {results['make_test_over_cold']:.2f}"
        )
    print("execution time per notebook (cold build):")
    for name, seconds in sorted(times.items()):
        print(f"  {name:<42}{seconds:>8.1f} s")
    for name, ok in targets.items():
        print(f"target: {name}: {'met' if ok else 'MISSED'}")
    print(f"written {out / 'book_build.json'}")
    return 0 if all(targets.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
