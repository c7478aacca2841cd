"""How fast is a sweep? Points per minute for the KFT notebook, three ways.

1. ``compendium sweep`` on a local Dask cluster of ``--workers`` workers (default 2),
   from a fresh run cache, timed from the command's start to its end (Python start,
   imports, cluster start, worker warm-up, every point, the table); and its compute
   phase alone (workers ready → last point stored), from ``sweep.json``;
2. a plain loop of ``compendium run`` (a kernel start, imports and Papermill per
   point; ``--no-cache``), over the first ``--run-points`` points;
3. the in-process helpers alone: a plain Python script that imports the analysis and
   calls ``run(params)`` for every point in a loop, timed end to end (Python start and
   imports included) and for its loop alone.

Targets (issue 6): the sweep ≥ 5 × the ``compendium run`` loop, and within 25 % of
the in-process helpers (a ratio ≥ 0.75), compared end to end (command vs script) and
compute phase vs loop. A second ``compendium sweep`` of the same grid, served from the
cache, is timed too. The script prints whether each target is met and exits 1 if any is missed.

    .venv/bin/python benchmarks/sweep_speed.py [--points 1000] [--run-points 3] [--workers 2] [--json out.json]

The machine's load average is printed with the results: other work on the same
cores slows every measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STEM = "kft_care_outcomes"
BIN = Path(sys.executable).parent


def grid_points(n: int) -> list[dict]:
    """``n`` KFT points: four targets × seeds (default PSA size)."""
    targets = (0.5, 0.55, 0.6, 0.65)
    return [{"target_home_rate": targets[i % len(targets)], "seed": i // len(targets)} for i in range(n)]


def write_grid(path: Path, points: list[dict]) -> None:
    lines = [f"- {{target_home_rate: {p['target_home_rate']}, seed: {p['seed']}}}" for p in points]
    path.write_text("\n".join(lines) + "\n")


#: The in-process baseline: what a user would write without ``compendium sweep``.
IN_PROCESS = """
import json, sys, time
from helpers.engine import catalog
module = catalog.module_for(sys.argv[1])
points = json.load(open(sys.argv[2]))
started = time.perf_counter()
for p in points:
    module.run(module.PARAMETERS.validate(p))
print(time.perf_counter() - started)
"""


def timed(cmd: list[str], env: dict) -> tuple[float, str]:
    started = time.perf_counter()
    res = subprocess.run(cmd, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    if res.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({res.returncode}):\n{res.stderr[-3000:]}")
    return seconds, res.stdout


def per_minute(n: int, seconds: float) -> float:
    return 60.0 * n / seconds if seconds > 0 else float("inf")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1000, help="points in the sweep (default 1000)")
    parser.add_argument("--run-points", type=int, default=3, help="points run with `compendium run` (default 3)")
    parser.add_argument("--workers", type=int, default=2, help="local Dask workers (default 2)")
    parser.add_argument("--json", metavar="FILE", help="also write the numbers to FILE")
    args = parser.parse_args(argv)

    points = grid_points(args.points)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="sweep-speed-") as tmp:
        tmp = Path(tmp)
        env = {**os.environ, "COMPENDIUM_CACHE": str(tmp / "cache"), "COMPENDIUM_RUNS": str(tmp / "runs")}
        grid = tmp / "grid.yaml"
        write_grid(grid, points)

        # 1. The sweep, from a fresh cache; then again, from the cache.
        out = tmp / "sweep"
        sweep_cmd = [
            str(BIN / "compendium"),
            "sweep",
            STEM,
            "--grid",
            str(grid),
            "--workers",
            str(args.workers),
            "--no-progress",
        ]
        sweep_total, _ = timed([*sweep_cmd, "--out", str(out)], env)
        meta = json.loads((out / "sweep.json").read_text())
        assert meta["computed"] == args.points and meta["failed"] == 0, meta
        sweep_compute = float(meta["compute_seconds"])
        sweep_cached, _ = timed([*sweep_cmd, "--out", str(tmp / "sweep2")], env)
        assert json.loads((tmp / "sweep2" / "sweep.json").read_text())["cached"] == args.points

        # 2. The in-process helpers alone: a plain script.
        (tmp / "points.json").write_text(json.dumps(points))
        script_total, stdout = timed([sys.executable, "-c", IN_PROCESS, STEM, str(tmp / "points.json")], env)
        loop = float(stdout.strip().splitlines()[-1])

        # 3. A plain loop of `compendium run`.
        run_seconds = 0.0
        for i, p in enumerate(points[: args.run_points]):
            seconds, _ = timed(
                [
                    str(BIN / "compendium"),
                    "run",
                    STEM,
                    "--no-cache",
                    "--no-progress",
                    "-p",
                    "target_home_rate",
                    str(p["target_home_rate"]),
                    "-p",
                    "seed",
                    str(p["seed"]),
                    "--out",
                    str(tmp / f"run{i}"),
                ],
                env,
            )
            run_seconds += seconds
    load_after = os.getloadavg()

    rates = {
        "sweep_end_to_end": per_minute(args.points, sweep_total),
        "sweep_compute_phase": per_minute(args.points, sweep_compute),
        "compendium_run_loop": per_minute(args.run_points, run_seconds),
        "in_process_script": per_minute(args.points, script_total),
        "in_process_loop": per_minute(args.points, loop),
    }
    result = {
        "points": args.points,
        "run_points": args.run_points,
        "workers": args.workers,
        "seconds": {
            "sweep_end_to_end": sweep_total,
            "sweep_compute_phase": sweep_compute,
            "sweep_from_cache": sweep_cached,
            "compendium_run_loop": run_seconds,
            "in_process_script": script_total,
            "in_process_loop": loop,
        },
        "points_per_minute": rates,
        "ratios": {
            "sweep_vs_compendium_run": rates["sweep_end_to_end"] / rates["compendium_run_loop"],
            "sweep_vs_in_process_end_to_end": rates["sweep_end_to_end"] / rates["in_process_script"],
            "sweep_vs_in_process_compute": rates["sweep_compute_phase"] / rates["in_process_loop"],
        },
        "load_average": {"before": load_before, "after": load_after},
        "cpus": os.cpu_count(),
    }
    r = result["ratios"]
    targets = {
        "sweep >= 5 x the compendium run loop": r["sweep_vs_compendium_run"] >= 5,
        "sweep >= 0.75 x in-process, end to end": r["sweep_vs_in_process_end_to_end"] >= 0.75,
        "sweep >= 0.75 x in-process, compute": r["sweep_vs_in_process_compute"] >= 0.75,
    }
    result["targets"] = targets
    print(
        f"KFT sweep benchmark: {args.points} points, {args.workers} workers, {os.cpu_count()} CPUs, "
        f"load average {load_before[0]:.1f} → {load_after[0]:.1f}"
    )
    print(f"  compendium sweep, end to end     {rates['sweep_end_to_end']:10.0f} points/min  ({sweep_total:.1f} s)")
    print(
        f"  compendium sweep, compute phase  {rates['sweep_compute_phase']:10.0f} points/min  ({sweep_compute:.1f} s)"
    )
    print(f"  compendium sweep, from the cache {'':>10}             ({sweep_cached:.1f} s, nothing computed)")
    print(
        f"  compendium run loop              {rates['compendium_run_loop']:10.1f} points/min  "
        f"({run_seconds:.1f} s for {args.run_points})"
    )
    print(f"  in-process script, end to end    {rates['in_process_script']:10.0f} points/min  ({script_total:.1f} s)")
    print(f"  in-process run(params) loop      {rates['in_process_loop']:10.0f} points/min  ({loop:.1f} s)")
    print(f"  sweep / compendium run loop      {r['sweep_vs_compendium_run']:10.1f} ×   (target ≥ 5)")
    print(f"  sweep / in-process, end to end   {r['sweep_vs_in_process_end_to_end']:10.2f}     (target ≥ 0.75)")
    print(f"  sweep / in-process, compute      {r['sweep_vs_in_process_compute']:10.2f}     (target ≥ 0.75)")
    for name, ok in targets.items():
        print(f"target: {name}: {'met' if ok else 'MISSED'}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return 0 if all(targets.values()) else 1


if __name__ == "__main__":  # the guard matters: Dask's workers are started with "spawn"
    sys.exit(main())
