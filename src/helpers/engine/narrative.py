"""What a run's notebook says depends on what it ran on: cells that are true only of the synthetic
reconstruction are left out of a run on the user's own records.

A cell tagged :data:`SYNTHETIC_ONLY` (in its metadata ``tags``) describes the synthetic reconstruction
(its banner, the reconstruction or replicate sections, a sentence about one draw). A run is on the
user's own records when any path parameter (declared ``is_path=True``) has a value other than its
default: that is decided from the declared parameters, never from the prose. Such a run executes, keeps
and renders the notebook without those cells (``compendium run`` and the run's ``page.html``).

A cell tagged :data:`RECORDS_ONLY` is the reverse: it is true only of a run on the user's own records (a
comparison that the default run has no data for, such as one between local authorities). The committed
notebook tags it ``remove-cell`` as well, so the published page leaves it out; a run on the user's own
records keeps it without that tag, so its page shows it.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from helpers.params import ParamSpec

#: The cell tag of a cell that is true only of the synthetic reconstruction.
SYNTHETIC_ONLY = "synthetic-only"
#: The cell tag of a cell that is true only of a run on the user's own records (also tagged ``remove-cell``
#: in the committed notebook, a tag the run takes away).
RECORDS_ONLY = "records-only"
#: The Jupyter Book cell tag that leaves a cell out of the page.
REMOVE_CELL = "remove-cell"


def own_records(spec: ParamSpec, values: Mapping[str, Any]) -> list[str]:
    """The path parameters whose values are not their defaults (the user's own records), in declaration order."""
    return [p.name for p in spec if p.is_path and p.name in values and values[p.name] != p.default]


def tags(cell: Any) -> list[str]:
    """A cell's tags (none if its metadata has none)."""
    return list(cell.get("metadata", {}).get("tags", []))


def for_run(nb: Any, spec: ParamSpec, values: Mapping[str, Any]) -> Any:
    """``nb`` as a run with ``values`` shows it: when the run is on the user's own records, a copy without the
    :data:`SYNTHETIC_ONLY` cells and with its :data:`RECORDS_ONLY` cells shown (their ``remove-cell`` tag taken
    away); else ``nb`` unchanged."""
    if not own_records(spec, values):
        return nb
    out = copy.deepcopy(nb)
    out["cells"] = [cell for cell in out["cells"] if SYNTHETIC_ONLY not in tags(cell)]
    for cell in out["cells"]:
        if RECORDS_ONLY in tags(cell):
            cell["metadata"]["tags"] = [tag for tag in tags(cell) if tag != REMOVE_CELL]
    return out


def source_for_run(source: Path, spec: ParamSpec, values: Mapping[str, Any], folder: Path) -> Path:
    """The notebook a run executes: ``source`` itself, or (a run on the user's own records of a notebook
    with :data:`SYNTHETIC_ONLY` or :data:`RECORDS_ONLY` cells) the copy :func:`for_run` makes, written into
    ``folder``."""
    import nbformat

    nb = nbformat.read(source, as_version=4)
    kept = for_run(nb, spec, values)
    if kept == nb:
        return source
    target = folder / source.name
    nbformat.write(kept, target)
    return target


def records_schemas(stem: str) -> dict[str, Any]:
    """The records schema (a pandera ``DataFrameSchema``) of each path parameter of analysis ``stem`` that reads
    one CSV file of the user's records: its ``RECORDS_SCHEMA`` (an analysis with one such file names it so)."""
    from helpers.engine import catalog

    module = catalog.module_for(stem)
    spec = module.PARAMETERS
    files = [p.name for p in spec if p.is_path and p.path_kind == "file" and p.default == ""]
    schema = getattr(module, "RECORDS_SCHEMA", None)
    return dict.fromkeys(files, schema) if schema is not None and len(files) == 1 else {}


def records_notes(stem: str, values: Mapping[str, Any]) -> dict[str, list[str]]:
    """For each path parameter set to the user's records file, what reading its categories normalised
    (``'Yes'`` read as ``'yes'``); an unreadable file gives none here (the run reports it)."""
    from helpers.inputs.records import RecordsError, read_records_noting

    notes: dict[str, list[str]] = {}
    for name, schema in records_schemas(stem).items():
        if values.get(name):
            try:
                notes[name] = read_records_noting(values[name], schema)[1]
            except RecordsError:
                continue
    return {name: found for name, found in notes.items() if found}
