"""Run a notebook with parameters: validate, execute with Papermill, record the results.

A run writes into its own folder (by default a new one under ``runs/``):

``<stem>.ipynb``   the executed notebook;
``params.json``    every parameter value used (defaults included);
``results.json``   every scalar the notebook glues, by glue name, with its description and unit
                   (:func:`helpers.outputs.document`).

Parameters are validated against the notebook's declaration *before* a kernel
starts, and a run never writes into the committed notebooks, data or code.

Runs go through the run cache (:mod:`helpers.engine.cache`): a run whose key (notebook,
parameters, data files, code, lock file) is already there with its executed
notebook is not executed again; its outputs are copied into the new folder.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from helpers import outputs
from helpers.engine import catalog, narrative, yamlio
from helpers.engine.files import copy_atomic, write_json_atomic
from helpers.engine.paths import PROTECTED_WHY, expand_user, protected_folder, runs_dir, unknown_home
from helpers.page.glue import read_glued
from helpers.params import ParameterError, ParamSpec, Scalar

if TYPE_CHECKING:
    from helpers.engine.cache import Entry, RunCache


class RunError(RuntimeError):
    """A notebook that failed while it ran (a cell raised)."""


class OutputFolderError(ValueError):
    """An output folder that a run may not use (committed material, or not empty)."""


@dataclass(frozen=True)
class RunRecord:
    stem: str
    out_dir: Path
    notebook: Path
    params: dict[str, Scalar]
    results: dict[str, Scalar]
    #: True when the outputs were copied from the run cache (nothing was executed).
    from_cache: bool = False
    cache_key: str | None = None
    cache_entry: Path | None = None
    #: When the cached outputs were first computed (for runs served from the cache).
    computed_at: str | None = None


def load_param_file(path: str | Path) -> dict[str, Any]:
    """Parameters from a YAML (or JSON) file holding one mapping of name: value."""
    path = Path(path)
    data = yamlio.load_file_as(path, "parameter file", ParameterError)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParameterError(
            f"parameter file {str(path)!r} must hold a mapping of name: value, not {type(data).__name__}"
        )
    return data


def resolve_params(
    stem: str,
    pairs: Iterable[tuple[str, str]] = (),
    files: Iterable[str | Path] = (),
    values: Mapping[str, Any] | None = None,
) -> dict[str, Scalar]:
    """Defaults, overlaid by each parameter file in turn, then ``values``, then ``-p`` pairs; validated.

    Relative paths in path parameters are resolved against the current directory.
    """
    spec = catalog.module_for(stem).PARAMETERS
    merged: dict[str, Scalar] = {}
    for file in files:
        merged.update(spec.coerce_file_values(load_param_file(file)))
    if values:
        merged.update(spec.coerce_file_values(values))
    merged.update(spec.parse(pairs))
    return dict(spec.validate(merged))


def new_run_dir(stem: str, prefix: str = "") -> Path:
    """A fresh folder ``runs/<stem>/<prefix><date-time>[-n]``."""
    base = runs_dir() / stem
    stamp = prefix + time.strftime("%Y%m%d-%H%M%S")
    for n in range(1000):
        candidate = base / (stamp if n == 0 else f"{stamp}-{n}")
        try:
            candidate.mkdir(parents=True, exist_ok=False)
            return candidate
        except FileExistsError:
            continue
    raise RunError(f"could not create a new run folder under {base}")


def unprotected_path(out: str | Path) -> Path:
    """``out`` (the ``--out`` of a run or a sweep) as an absolute path, or an :class:`OutputFolderError`
    if it lies inside a protected folder (:func:`~helpers.engine.paths.protected_folder`: committed files,
    ``.git``, ``.venv``; directly or through a symbolic link) or under a home folder that does not exist
    (``~nosuchuser/x``, which would otherwise be made here, by that name)."""
    if (home := unknown_home(out)) is not None:
        raise OutputFolderError(f"--out {str(out)!r}: there is no home folder {home}; choose another folder")
    path = expand_user(out).resolve()
    if (folder := protected_folder(path)) is not None:
        raise OutputFolderError(
            f"--out {str(out)!r} is not allowed: {PROTECTED_WHY.format(folder=folder)}; choose another folder"
        )
    return path


def prepare_out_dir(out: str | Path | None, stem: str) -> Path:
    """The run's folder: new under ``runs/``, or ``out`` if it is empty or absent and not protected."""
    if out is None:
        return new_run_dir(stem)
    path = unprotected_path(out)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise OutputFolderError(f"--out {str(out)!r} exists and is not an empty folder; choose a new one")
    path.mkdir(parents=True, exist_ok=True)
    return path


def execute(
    stem: str,
    params: Mapping[str, Any],
    out: str | Path | None = None,
    *,
    progress: bool = True,
    use_cache: bool = True,
) -> RunRecord:
    """Validate ``params``, execute ``notebooks/<stem>.ipynb`` with Papermill into the run folder,
    and write ``params.json`` and ``results.json``.

    With ``use_cache`` (the default), a run whose key is in the run cache with its executed
    notebook is served from there (nothing executes), and a run that executes is stored there."""
    module = catalog.module_for(stem)
    values = dict(module.PARAMETERS.validate(params))
    if hasattr(module, "check_inputs"):
        module.check_inputs(values)
    slot = _cache_slot(stem, values, module.PARAMETERS) if use_cache else None
    source = catalog.entry(stem).notebook
    existed = out is not None and expand_user(out).exists()
    out_dir = prepare_out_dir(out, stem)
    try:
        return _execute_into(stem, module, values, out_dir, source, slot, progress)
    except BaseException:
        # Interrupted (Ctrl-C, kill) or failed: leave nothing that looks like a result. A cell's
        # error keeps its executed notebook (to read the traceback) but never a results.json.
        _discard_partial(
            out_dir,
            source.name,
            keep_notebook=not isinstance(sys.exc_info()[1], (KeyboardInterrupt, SystemExit)),
            remove_folder=not existed,
        )
        raise


def _discard_partial(out_dir: Path, notebook_name: str, *, keep_notebook: bool, remove_folder: bool) -> None:
    """Remove what an unfinished run wrote into ``out_dir`` (and the folder, if the run made it and it is
    now empty)."""
    names = ["results.json", "params.json"] + ([] if keep_notebook else [notebook_name])
    if keep_notebook and (out_dir / notebook_name).exists():
        names.remove("params.json")  # kept with the failed notebook, to see what was run
    for name in names:
        with contextlib.suppress(OSError):
            (out_dir / name).unlink(missing_ok=True)
    if remove_folder:
        with contextlib.suppress(OSError):
            out_dir.rmdir()  # only if empty


@dataclass
class _CacheSlot:
    """A run's place in the run cache: the cache, the run's key, what the key is made of, and the
    entry already there under it (``None`` if none, or if it was damaged and has been removed)."""

    cache: RunCache
    key: str
    components: dict[str, Any]
    entry: Entry | None


def _cache_slot(stem: str, values: dict[str, Scalar], spec: ParamSpec) -> _CacheSlot:
    """Look the run up in the run cache; a damaged or stale entry is removed, with a warning."""
    from helpers.engine import cache as run_cache

    cache = run_cache.RunCache()
    components = run_cache.key_components(stem, values, spec)
    key = run_cache.key_of(components)
    try:
        entry, problem = cache.check(stem, key)
        if problem is not None:
            print(
                f"compendium: warning: the cached run of {stem} was {problem}; removed it and computing afresh",
                file=sys.stderr,
            )
            cache.discard_damaged(stem, key)
    except OSError as err:  # a cache folder that cannot be read: the run goes on without what it holds
        print(
            f"compendium: warning: the run cache {cache.root} cannot be read ({err.strerror or err}); computing afresh",
            file=sys.stderr,
        )
        entry = None
    return _CacheSlot(cache, key, components, entry)


def _execute_into(
    stem: str,
    module: ModuleType,
    values: dict[str, Scalar],
    out_dir: Path,
    source: Path,
    slot: _CacheSlot | None,
    progress: bool,
) -> RunRecord:
    """The run's outputs in ``out_dir``: copied from the cache entry if it has the executed notebook,
    else executed with Papermill (and then stored in the cache, if one is used)."""
    import nbformat

    target = out_dir / source.name
    entry = slot.entry if slot is not None else None
    if slot is not None and entry is not None and entry.notebook is not None:
        copy_atomic(entry.notebook, target)
        write_json_atomic(out_dir / "params.json", values)
        write_json_atomic(out_dir / "results.json", outputs.document(stem, entry.results))
        return RunRecord(stem, out_dir, target, values, dict(entry.results), True, slot.key, entry.path, entry.created)
    write_json_atomic(out_dir / "params.json", values)
    started = time.perf_counter()
    _papermill(stem, source, target, values, out_dir, progress)
    results = read_glued(nbformat.read(target, as_version=4))
    write_json_atomic(out_dir / "results.json", outputs.document(stem, results))
    if slot is None:
        return RunRecord(stem, out_dir, target, values, results)
    # The outputs are written: storing them in the cache comes last, and a cache that cannot be written
    # is a warning (RunCache.store_or_warn), never a lost run.
    stored = _store(slot, stem, module, values, results, target, time.perf_counter() - started)
    if stored is None:
        return RunRecord(stem, out_dir, target, values, results)
    return RunRecord(stem, out_dir, target, values, results, False, slot.key, stored.path, stored.created)


def _papermill(stem: str, source: Path, target: Path, values: dict[str, Scalar], out_dir: Path, progress: bool) -> None:
    """Execute the notebook ``source`` into ``target`` with the parameters, in ``out_dir``; a cell's
    error is a :class:`RunError` naming it (the executed notebook is kept, to read the traceback)."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    try:
        with tempfile.TemporaryDirectory(prefix="compendium-run-") as folder:
            executed = narrative.source_for_run(source, catalog.module_for(stem).PARAMETERS, values, Path(folder))
            papermill.execute_notebook(
                str(executed),
                str(target),
                parameters=dict(values),
                kernel_name="python3",
                cwd=str(out_dir),
                progress_bar=progress,
                log_output=False,
                # The kernel's own start-up notices (e.g. about its local TCP transport) are not for users.
                extra_arguments=["--log-level=ERROR"],
            )
    except PapermillExecutionError as err:
        raise RunError(
            f"{stem}: a cell raised {err.ename}: {err.evalue.splitlines()[0] if err.evalue else ''} "
            f"(executed notebook kept at {target})"
        ) from None


def _store(
    slot: _CacheSlot,
    stem: str,
    module: ModuleType,
    values: dict[str, Scalar],
    results: dict[str, Scalar],
    notebook: Path,
    seconds: float,
) -> Entry | None:
    """An executed run in the cache (None, with a warning, when the cache cannot be written). An entry
    made by a sweep (results only) with the same results gets the executed notebook; one whose results
    differ is replaced (the notebook wins)."""
    from helpers.engine import cache as run_cache

    entry = slot.entry
    try:
        if entry is not None and entry.results == results:
            return slot.cache.add_notebook(entry, notebook)
        if entry is not None:
            print(
                f"compendium: warning: the cached in-process results of this run differ from the executed "
                f"notebook's; replaced them in {entry.path}",
                file=sys.stderr,
            )
            slot.cache.discard(entry)
    except OSError as err:
        print(
            f"compendium: warning: the run cache {slot.cache.root} cannot be written ({err.strerror or err})",
            file=sys.stderr,
        )
        return None
    return slot.cache.store_or_warn(
        stem,
        slot.key,
        values,
        results,
        how="papermill",
        seconds=seconds,
        inputs=run_cache.input_files(module.PARAMETERS, values),
        notebook=notebook,
        components=slot.components,
    )
