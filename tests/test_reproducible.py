"""The committed notebooks' numbers come out the same on other CPUs.

OpenBLAS picks its kernels from the CPU, so the same code gives floats that differ in
the last digits from one machine to another. The compendium records every float at
``helpers.results.SIGNIFICANT_DIGITS`` significant digits (see ``book/reproduce.md``,
"Precision"). Here every analysis's ``run()`` with its defaults is recomputed in
subprocesses under other BLAS configurations (another kernel, one thread), and each
must give exactly what the committed notebook glued. The subprocess reports which
kernel it really used (threadpoolctl), so a configuration that silently did not take
effect fails instead of passing for the wrong reason; and the raw floats are collected
too, to show the configurations do differ before rounding (the check has teeth).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys

import nbformat
import pytest

from helpers.engine import catalog
from helpers.engine.paths import NOTEBOOKS, ROOT
from helpers.page.glue import read_glued

#: Other BLAS configurations, by CPU architecture (OpenBLAS core names): two other kernels, the
#: second also on one thread (threads change how a BLAS call splits its sums).
CONFIGS: dict[str, list[dict[str, str]]] = {
    "x86_64": [
        {"OPENBLAS_CORETYPE": "Prescott"},
        {"OPENBLAS_CORETYPE": "Sandybridge", "OPENBLAS_NUM_THREADS": "1"},
    ],
    "aarch64": [
        {"OPENBLAS_CORETYPE": "ARMV8"},
        {"OPENBLAS_CORETYPE": "NEOVERSEN1", "OPENBLAS_NUM_THREADS": "1"},
    ],
}

#: Analyses whose raw floats are known to depend on the BLAS kernel (regression fits): recomputed
#: unrounded too, to show that the configurations really differ (one is enough; two for margin).
RAW_STEMS = ("frontline_visits", "link_worker_monitoring")

#: Run in a fresh interpreter: every analysis with its defaults as recorded, the RAW_STEMS also
#: raw (17 digits round-trip a float exactly), and the BLAS kernels that were loaded.
SCRIPT = r"""
import json, sys
import threadpoolctl
from helpers.engine import catalog
from helpers import results

def every(stems):
    return {s: catalog.module_for(s).run(catalog.module_for(s).PARAMETERS.defaults()).scalars for s in stems}

recorded = every(catalog.stems())
results.SIGNIFICANT_DIGITS = 17
raw = every(sys.argv[1:])
kernels = sorted(
    {str(i.get("architecture")) for i in threadpoolctl.threadpool_info() if i.get("internal_api") == "openblas"}
)
json.dump({"recorded": recorded, "raw": raw, "kernels": kernels}, sys.stdout)
"""


#: What threadpoolctl reports for a core type: OpenBLAS names a kernel by the first of its aliases
#: (its Prescott kernel also serves Katmai, Coppermine and Northwood, and is reported as Katmai).
KERNEL_NAMES = {
    "prescott": {"prescott", "katmai", "coppermine", "northwood"},
    "sandybridge": {"sandybridge"},
    "armv8": {"armv8"},
    "neoversen1": {"neoversen1"},
}


def _configs() -> list[dict[str, str]]:
    machine = platform.machine().lower()
    if machine not in CONFIGS:
        pytest.skip(f"no OpenBLAS core names listed for {machine!r}")
    return CONFIGS[machine]


def _start(overrides: dict[str, str]) -> subprocess.Popen[str]:
    # The machine's own settings stay (some machines set OPENBLAS_CORETYPE because OpenBLAS
    # misdetects their CPU); each configuration overrides some of them.
    env = {**os.environ, **overrides}
    return subprocess.Popen(
        [sys.executable, "-c", SCRIPT, *RAW_STEMS],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


def _finish(proc: subprocess.Popen[str]) -> dict:
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err[-3000:]
    return json.loads(out)


@pytest.fixture(scope="module")
def runs() -> list[tuple[dict[str, str], dict]]:
    # The configurations run at the same time (each is one process; the machine's other cores
    # are used when the rest of the suite leaves them free).
    started = [(config, _start(config)) for config in _configs()]
    return [(config, _finish(proc)) for config, proc in started]


def _committed() -> dict[str, dict]:
    return {stem: read_glued(nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)) for stem in catalog.stems()}


def test_each_configuration_really_used_its_kernel(runs):
    for config, out in runs:
        wanted = config.get("OPENBLAS_CORETYPE")
        assert out["kernels"], "threadpoolctl found no OpenBLAS in the subprocess"
        if wanted:
            names = KERNEL_NAMES[wanted.lower()]
            assert {k.lower() for k in out["kernels"]} <= names, (config, out["kernels"])


def test_every_configuration_records_what_the_committed_notebooks_show(runs):
    committed = _committed()
    for config, out in runs:
        for stem, glued in committed.items():
            differ = {k: (glued.get(k), v) for k, v in out["recorded"][stem].items() if glued.get(k) != v}
            assert not differ, f"{stem} under {config}: committed vs recomputed {differ}"
            assert set(glued) == set(out["recorded"][stem]), stem


def test_the_configurations_differ_before_rounding(runs):
    # Without this the test above could pass because the configurations compute identical floats.
    raws = [out["raw"] for _, out in runs]
    differing = {
        (stem, k)
        for stem in raws[0]
        for k, v in raws[0][stem].items()
        if any(other[stem][k] != v for other in raws[1:])
    }
    assert differing, "every BLAS configuration gave bit-identical floats: the cross-machine check proves nothing here"
