"""Every notebook in each way a researcher runs it, for the run-page harness (tests/test_run_pages.py).

* ``defaults``: the committed notebook as it is (nbval, in the same ``make test``, proves its outputs are what
  the code produces today), so nothing is executed;
* ``changed``: a meaningful change of parameters per notebook (:data:`CHANGED`; where a notebook draws many
  reconstructions, fewer of them, to keep the harness quick);
* ``own``: the user's own records, for the notebooks that accept them (:data:`OWN`), from small realistic files
  written here with the analyses' own generators (as the notebooks' own tests write them).

The changed and own-records notebooks are executed as ``compendium run`` executes them (the same
:func:`helpers.engine.narrative.for_run`, papermill's parameter injection), but one after another in one
kernel whose namespace is reset between notebooks: the imports are made once, which is most of a run's time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import nbformat
import yaml

from helpers.engine import catalog
from helpers.engine.narrative import source_for_run
from helpers.engine.paths import NOTEBOOKS

SCENARIOS = ("defaults", "changed", "own")

#: A meaningful change of each notebook's parameters (fewer reconstructions where a notebook draws many).
CHANGED: dict[str, dict[str, Any]] = {
    "kft_care_outcomes": {"target_home_rate": 0.6},
    "time_use_admin_support": {"caseload": 20.0, "recording_from": "admin"},
    "study_design_power": {"effect_size": 0.4, "n_sims": 1000},
    "innovation_self_audit": {"n_priorities": 3},
    "national_context": {"turnover_rate": 0.16},
    "link_worker_monitoring": {"rate_ratio": 2.0, "n_replicates": 100},
    "frontline_visits": {"contact_threshold": 10, "include_experienced": True, "n_replicates": 200},
    "rsw_quality_factors": {"effect_training": 0.5, "n_replicates": 100, "n_boot": 500},
}


def frontline_cases(n_workers_per_group: int = 25, cases_per_worker: int = 4, seed: int = 21) -> Any:
    """Small realistic Frontline case records (the generator's, 16 and 12 visits, in the records' layout)."""
    from helpers.analyses import frontline_visits as fv

    return fv.simulate_visits(
        {"frontline": 16.0, "other": 12.0},
        n_workers_per_group=n_workers_per_group,
        cases_per_worker=cases_per_worker,
        case_months=14.0,
        dispersion=0.3,
        icc=0.2,
        seed=seed,
    )


def _frontline(folder: Path) -> dict[str, Any]:
    frontline_cases().to_csv(folder / "frontline_cases.csv", index=False)
    return {"data_path": str(folder / "frontline_cases.csv")}


def _link(folder: Path) -> dict[str, Any]:
    import numpy as np

    rng = np.random.default_rng(3)
    rows = ["case_id,centre,link_worker,professionals"]
    for i in range(30):
        rows.append(f"a{i},{'North' if i % 2 else 'East'},yes,{rng.poisson(2.0)}")
        rows.append(f"b{i},{'South' if i % 2 else 'West'},no,{rng.poisson(1.2)}")
    (folder / "link_cases.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return {"data_path": str(folder / "link_cases.csv")}


def _rsw(folder: Path) -> dict[str, Any]:
    from helpers.analyses import rsw_quality_factors as rsw

    rsw.simulate_observations(rsw.PARAMETERS.validate({})).to_csv(folder / "observations.csv", index=False)
    return {"data_path": str(folder / "observations.csv"), "n_boot": 500}


def _national(folder: Path) -> dict[str, Any]:
    from dfe_data import write_synthetic

    (folder / "dfe").mkdir()
    write_synthetic(folder / "dfe")
    return {"dfe_data_dir": str(folder / "dfe")}


def _innovation(folder: Path) -> dict[str, Any]:
    from helpers.analyses.innovation_self_audit.items import load_audit

    ids = [item.id for item in load_audit()[1]]
    ratings = {item: (i * 7) % 5 for i, item in enumerate(ids)}
    text = yaml.safe_dump({"service": "Northtown children's services", "ratings": ratings}, sort_keys=False)
    (folder / "answers.yaml").write_text(text, encoding="utf-8")
    return {"answers_path": str(folder / "answers.yaml")}


#: For each notebook that reads the user's own records, a writer of small realistic records into a folder,
#: returning the parameters that point the notebook at them.
OWN: dict[str, Callable[[Path], dict[str, Any]]] = {
    "frontline_visits": _frontline,
    "link_worker_monitoring": _link,
    "rsw_quality_factors": _rsw,
    "national_context": _national,
    "innovation_self_audit": _innovation,
}


def cases() -> list[tuple[str, str]]:
    """Every (notebook, scenario) the harness renders."""
    return [(stem, scenario) for scenario in SCENARIOS for stem in catalog.stems() if scenario != "own" or stem in OWN]


def committed(stem: str) -> Any:
    return nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)


def values_of(stem: str, scenario: str, folder: Path) -> dict[str, Any]:
    """The validated parameter values of a scenario (records written into ``folder`` when needed)."""
    spec = catalog.module_for(stem).PARAMETERS
    given = {} if scenario == "defaults" else CHANGED[stem] if scenario == "changed" else OWN[stem](folder)
    return dict(spec.validate(given))


@contextmanager
def one_kernel(cwd: Path) -> Iterator[Callable[[Any], None]]:
    """A kernel started once; yields a function that executes a notebook in it, in place (the namespace,
    and the input history the notebooks' parameter check reads, are reset first)."""
    from nbclient import NotebookClient

    client = NotebookClient(
        nbformat.v4.new_notebook(),
        kernel_name="python3",
        timeout=900,
        resources={"metadata": {"path": str(cwd)}},
        extra_arguments=["--log-level=ERROR"],
    )
    with client.setup_kernel():

        def execute(nb: Any) -> None:
            reset = nbformat.v4.new_code_cell("%reset -f")
            client.nb = nbformat.v4.new_notebook(cells=[reset])  # the client keeps each cell in its notebook
            client.execute_cell(reset, 0)
            client.nb = nb
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)

        yield execute


def executed(stem: str, values: Mapping[str, Any], run: Callable[[Any], None], folder: Path) -> Any:
    """The notebook as ``compendium run`` executes it with ``values``: without the cells that a run on the
    user's records leaves out (:func:`helpers.engine.narrative.source_for_run`), with the parameters papermill
    injects (papermill itself prepares it), then executed by ``run``."""
    import papermill

    spec = catalog.module_for(stem).PARAMETERS
    work = folder / f"{stem}-source"
    work.mkdir(exist_ok=True)
    source = source_for_run(NOTEBOOKS / f"{stem}.ipynb", spec, values, work)
    nb = papermill.execute_notebook(
        str(source), str(work / "prepared.ipynb"), parameters=dict(values), kernel_name="python3", prepare_only=True
    )
    run(nb)
    return nb
