"""The run cache: every run and sweep point is computed once.

A run's *key* is the SHA-256 of everything its results depend on:

* the notebook's content (``notebooks/<stem>.ipynb``, the file's bytes);
* the validated parameter values;
* the content of every data file it reads: the files (or folders) named by the
  spec's path parameters, and every file under ``data/`` (the registry
  ``data/published/figures.csv`` and the other committed data, whichever the
  notebook reads);
* the compendium's own code (every ``.py`` file under ``src/helpers``);
* the lock file ``requirements.lock`` (and the Python minor version).

The cache lives in ``.cache/compendium/`` at the top of the repository (git-ignored);
the environment variable ``COMPENDIUM_CACHE`` moves it (the tests use a temporary folder)::

    <cache>/entries/<stem>/<key>/   one finished entry
        meta.json                   key, what it was keyed on, how and when it was computed
        params.json                 the parameters
        results.json                every results value, by name
        <stem>.ipynb                the executed notebook (entries made by ``compendium run``)
    <cache>/tmp/                    entries being written

``meta.json`` records the SHA-256 of every other file of the entry (``files``) and of every
input file the run read (``inputs``: the user's files given to path parameters, and for sweep
points every file the analysis reports reading). An entry is served only when each of its files
matches its checksum and each input file is unchanged; an entry that fails is *damaged* (or
*stale*, for changed inputs): ``compendium run`` says so, removes it and computes afresh.

An entry is written in full under ``tmp/`` and then renamed into ``entries/`` (one atomic
rename), and a file added to an entry is written under a temporary name and renamed:
a reader sees a whole entry or none, never half a file. A run interrupted while writing
leaves only a folder under ``tmp/``, which is never read (``compendium cache clear``
removes it).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from helpers.engine.files import copy_atomic, write_json, write_json_atomic
from helpers.engine.paths import DATA, LOCK_FILE, NOTEBOOKS, ROOT, env_folder, expand_user, sha256_file

#: Environment variable that moves the cache folder.
ENV_VAR = "COMPENDIUM_CACHE"
#: The compendium's own code, hashed into every key.
HELPERS_DIR: Path = Path(__file__).resolve().parents[1]
#: Bumped when the layout or the key's definition changes (3: checksums of the entry's files).
FORMAT = 3


def cache_dir() -> Path:
    """The cache folder: ``$COMPENDIUM_CACHE`` or ``.cache/compendium`` in the repository."""
    return env_folder(ENV_VAR, ROOT / ".cache" / "compendium")


# ----------------------------------------------------------------- digests
@lru_cache(maxsize=4096)
def _file_digest(path: str, mtime_ns: int, size: int) -> str:
    return sha256_file(Path(path))


def file_digest(path: str | Path) -> str:
    """SHA-256 of a file's bytes (memoised on path, size and modification time)."""
    st = os.stat(path)
    return _file_digest(str(Path(path).resolve()), st.st_mtime_ns, st.st_size)


def path_digest(path: str | Path) -> str:
    """SHA-256 of a data file, or of a folder's files (relative names and contents, sorted)."""
    path = Path(path)
    if path.is_dir():
        digest = hashlib.sha256(b"folder\0")
        for f in sorted(p for p in path.rglob("*") if p.is_file()):
            digest.update(str(f.relative_to(path).as_posix()).encode() + b"\0" + file_digest(f).encode() + b"\0")
        return digest.hexdigest()
    return file_digest(path)


def code_digest(folder: Path | None = None) -> str:
    """SHA-256 of the compendium's code: every ``.py`` file under ``src/helpers``, by relative name."""
    folder = Path(folder or HELPERS_DIR)
    digest = hashlib.sha256()
    for f in sorted(folder.rglob("*.py")):
        if "__pycache__" in f.parts:
            continue
        digest.update(str(f.relative_to(folder).as_posix()).encode() + b"\0" + file_digest(f).encode() + b"\0")
    return digest.hexdigest()


def environment(stem: str) -> dict[str, str]:
    """What a notebook's results depend on apart from its parameters: the notebook, the
    compendium's code, every file under ``data/`` (the registry included), the lock file
    and the Python version, each as a digest. ``compendium cache clear --stale`` and
    ``compendium cache info`` compare exactly these."""
    return {
        "notebook": file_digest(NOTEBOOKS / f"{stem}.ipynb"),
        "code": code_digest(HELPERS_DIR),
        "data": path_digest(DATA),
        "lock": file_digest(LOCK_FILE),
        "python": f"{sys.version_info[0]}.{sys.version_info[1]}",
    }


def environment_digest(stem: str) -> str:
    return _digest(environment(stem))


def _digest(obj: Any) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def key_components(
    stem: str, params: Mapping[str, Any], spec=None, env: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Everything a run's key is made of (``params`` validated). ``spec`` defaults to the notebook's;
    ``env`` to :func:`environment` (a sweep computes it once for all its points)."""
    if spec is None:
        from helpers.engine import catalog

        spec = catalog.module_for(stem).PARAMETERS
    data = {}
    for name in spec.path_params:
        value = params.get(name, "")
        if value:
            path = _data_path(spec[name], value)
            data[name] = path_digest(path) if path.exists() else "missing"
    return {
        "format": FORMAT,
        "stem": stem,
        "environment": dict(env) if env is not None else environment(stem),
        "params": dict(params),
        "data": data,
    }


def input_files(spec, params: Mapping[str, Any]) -> dict[str, str]:
    """The files a run reads through its path parameters, by absolute name as given (symbolic links kept,
    not resolved), with their SHA-256 (every file of a folder parameter), recorded in an entry so that a
    changed file, or a link that now points at another, makes it stale."""
    out: dict[str, str] = {}
    for name in spec.path_params:
        value = params.get(name, "")
        if not value:
            continue
        path = _data_path(spec[name], value).absolute()  # as given: a symbolic link is kept (it is read through)
        if path.is_file():
            out[str(path)] = file_digest(path)
        elif path.is_dir():
            for f in sorted(q for q in path.rglob("*") if q.is_file()):
                out[str(f)] = file_digest(f)
    return out


def _data_path(param, value: Any) -> Path:
    """The file a path parameter's value names. A shipped file's default (``ShippedFileParam``)
    is read from the compendium's folder whatever the current folder, unless the same relative
    path names a file here (then that file is the user's own, as the parameter reads it)."""
    path = expand_user(str(value))
    shipped = getattr(param, "shipped", None)
    if shipped is not None and value == param.default and not path.exists():
        return shipped()
    return path


def key_of(components: Mapping[str, Any]) -> str:
    """The cache key made of :func:`key_components`."""
    return _digest(dict(components))


def run_key(stem: str, params: Mapping[str, Any], spec=None, env: Mapping[str, str] | None = None) -> str:
    """The cache key of a run of ``stem`` with validated ``params``."""
    return key_of(key_components(stem, params, spec, env))


# ----------------------------------------------------------------- entries
def _read_meta(path: Path) -> dict[str, Any]:
    """An entry's ``meta.json`` as a mapping; an empty one when it cannot be read or is not a mapping."""
    try:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return meta if isinstance(meta, dict) else {}


@dataclass(frozen=True)
class Entry:
    """A finished cache entry."""

    stem: str
    key: str
    path: Path
    meta: dict[str, Any]
    params: dict[str, Any]
    results: dict[str, Any]

    @property
    def notebook(self) -> Path | None:
        """The executed notebook, if the entry was made (or completed) by ``compendium run``."""
        path = self.path / f"{self.stem}.ipynb"
        return path if path.is_file() else None

    @property
    def created(self) -> str:
        return str(self.meta.get("created", "?"))


@dataclass
class CacheInfo:
    root: Path
    entries: dict[str, int] = field(default_factory=dict)
    with_notebook: dict[str, int] = field(default_factory=dict)
    current: dict[str, int] = field(default_factory=dict)
    size_bytes: int = 0
    unfinished: int = 0
    oldest: str | None = None
    newest: str | None = None

    @property
    def total(self) -> int:
        return sum(self.entries.values())


class RunCache:
    """The cache folder and its entries."""

    def __init__(self, root: str | Path | None = None):
        self.root = Path(root).resolve() if root is not None else cache_dir()
        #: Why the cache could not be written, once a write failed (later writes are not attempted).
        self.unwritable: str | None = None

    @property
    def entries_dir(self) -> Path:
        return self.root / "entries"

    @property
    def tmp_dir(self) -> Path:
        return self.root / "tmp"

    def entry_dir(self, stem: str, key: str) -> Path:
        return self.entries_dir / stem / key

    # -- reading --------------------------------------------------------
    def lookup(self, stem: str, key: str) -> Entry | None:
        """The finished entry for ``key``, or None (absent, damaged or stale: see :meth:`check`)."""
        return self.check(stem, key)[0]

    def check(self, stem: str, key: str) -> tuple[Entry | None, str | None]:
        """The finished entry for ``key`` and None, or None and why it cannot be served (None when
        there is no entry). An entry is served only when its ``meta.json`` reads, every file it
        lists matches its checksum (nothing truncated or changed by hand or a disk error), no
        unlisted notebook lies in it, and every input file it recorded is unchanged."""
        path = self.entry_dir(stem, key)
        if not path.is_dir():
            return None, None
        try:
            meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None, "damaged: its meta.json cannot be read"
        if not isinstance(meta, dict):
            return None, "damaged: its meta.json does not describe it"
        files = meta.get("files")
        if meta.get("key") != key or not isinstance(files, dict) or not {"params.json", "results.json"} <= set(files):
            return None, "damaged: its meta.json does not describe it"
        if (path / f"{stem}.ipynb").exists() and f"{stem}.ipynb" not in files:
            return None, f"damaged: {stem}.ipynb has no checksum"
        for name, digest in files.items():
            try:
                if Path(name).name != name or sha256_file(path / name) != digest:
                    return None, f"damaged: {name} does not match its checksum"
            except OSError:
                return None, f"damaged: {name} is missing or unreadable"
        try:
            params = json.loads((path / "params.json").read_text(encoding="utf-8"))
            results = json.loads((path / "results.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None, "damaged: its results cannot be read"
        if not isinstance(results, dict):
            return None, "damaged: its results are not a mapping"
        inputs = meta.get("inputs") or {}
        if not isinstance(inputs, dict):
            return None, "damaged: its meta.json does not describe it"
        for name, digest in inputs.items():
            file = Path(name) if Path(name).is_absolute() else ROOT / name
            try:
                if not file.is_file() or file_digest(file) != digest:
                    return None, f"stale: its input file {name} has changed or gone"
            except OSError:
                return None, f"stale: its input file {name} cannot be read"
        return Entry(stem, key, path, meta, params, results), None

    def discard_damaged(self, stem: str, key: str) -> None:
        """Remove an entry :meth:`check` refused (it is recomputed and stored afresh)."""
        path = self.entry_dir(stem, key)
        if path.is_dir():
            self._discard(path)

    # -- writing --------------------------------------------------------
    def store(
        self,
        stem: str,
        key: str,
        params: Mapping[str, Any],
        results: Mapping[str, Any],
        *,
        how: str,
        seconds: float | None = None,
        inputs: Mapping[str, str] | None = None,
        notebook: Path | None = None,
        components: Mapping[str, Any] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> Entry:
        """Write an entry (in full under ``tmp/``, then one rename). If another process finished
        the same key first, theirs is kept: both computed the same thing."""
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        final = self.entry_dir(stem, key)
        final.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(dir=self.tmp_dir, prefix=f"{stem}-{key[:12]}-"))
        try:
            meta = {
                "key": key,
                "notebook": stem,
                "how": how,
                "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "seconds": seconds,
                "inputs": dict(inputs or {}),
                "environment": dict((components or {}).get("environment", {})) or environment(stem),
                **dict(extra or {}),
            }
            # The folder is private until it is renamed: plain writes are safe here.
            write_json(work / "params.json", dict(params))
            write_json(work / "results.json", dict(results))
            if notebook is not None:
                shutil.copyfile(notebook, work / f"{stem}.ipynb")
            meta["files"] = {f.name: sha256_file(f) for f in sorted(work.iterdir()) if f.is_file()}
            write_json(work / "meta.json", meta)
            try:
                os.rename(work, final)
            except OSError:
                if not final.is_dir():
                    raise
                # Someone else finished the same key first (or an unreadable entry is in the way).
                existing = self.lookup(stem, key)
                if existing is not None:
                    shutil.rmtree(work, ignore_errors=True)
                    return existing
                self._discard(final)
                os.rename(work, final)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        return Entry(stem, key, final, meta, dict(params), dict(results))

    def store_or_warn(self, stem: str, key: str, *args: Any, **kwargs: Any) -> Entry | None:
        """:meth:`store`, but a cache that cannot be written (full, read-only, gone) costs nothing but the
        entry: one warning on stderr naming the cache folder and why, and None. The run's own outputs are
        written before, elsewhere, so no result is lost; after the first failure no other write is tried."""
        if self.unwritable is not None:
            return None
        try:
            return self.store(stem, key, *args, **kwargs)
        except OSError as err:
            self.unwritable = f"{err.strerror or err}" + (f": {err.filename}" if err.filename else "")
            print(
                f"compendium: warning: the run cache {self.root} cannot be written ({self.unwritable}); the results "
                "are kept in the output folder but not cached (set COMPENDIUM_CACHE to a writable folder)",
                file=sys.stderr,
            )
            return None

    def add_notebook(self, entry: Entry, notebook: Path) -> Entry:
        """Add an executed notebook to an entry made by a sweep (temporary name, then rename)."""
        name = f"{entry.stem}.ipynb"
        meta = {
            **entry.meta,
            "how": f"{entry.meta.get('how', '?')}+papermill",
            "files": {**entry.meta.get("files", {}), name: sha256_file(notebook)},
        }
        # The checksum first, then the file: a reader in between finds the notebook missing, which is
        # refused as damaged, never a notebook without its checksum served.
        write_json_atomic(entry.path / "meta.json", meta)
        copy_atomic(notebook, entry.path / name)
        return self.lookup(entry.stem, entry.key) or entry

    def discard(self, entry: Entry) -> None:
        """Remove a finished entry (one whose results a run replaces with its executed notebook's)."""
        self._discard(entry.path)

    def _discard(self, path: Path) -> None:
        """Move a folder out of ``entries/`` at once, then delete it."""
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        trash = Path(tempfile.mkdtemp(dir=self.tmp_dir, prefix="discard-"))
        os.rename(path, trash / "entry")
        shutil.rmtree(trash, ignore_errors=True)

    # -- maintenance ----------------------------------------------------
    def iter_entries(self, stem: str | None = None):
        if not self.entries_dir.is_dir():
            return
        for folder in sorted(self.entries_dir.iterdir()):
            if not folder.is_dir() or (stem is not None and folder.name != stem):
                continue
            for path in sorted(folder.iterdir()):
                if path.is_dir():
                    yield folder.name, path

    def _is_current(
        self, stem: str, path: Path, meta: Mapping[str, Any], envs: dict[str, dict[str, str] | None]
    ) -> bool:
        """True when the entry at ``path`` was made by today's notebook, code, data, lock file and
        Python (its recorded :func:`environment` is today's; ``envs`` memoises it per notebook) and
        :meth:`lookup` serves it (readable whole, and every input file it recorded reading unchanged)."""
        if stem not in envs:
            try:
                envs[stem] = environment(stem)
            except OSError:  # the notebook no longer exists
                envs[stem] = None
        if envs[stem] is None or meta.get("environment") != envs[stem]:
            return False
        return self.lookup(stem, path.name) is not None

    def info(self) -> CacheInfo:
        info = CacheInfo(self.root)
        envs: dict[str, dict[str, str] | None] = {}
        for stem, path in self.iter_entries():
            info.entries[stem] = info.entries.get(stem, 0) + 1
            if (path / f"{stem}.ipynb").is_file():
                info.with_notebook[stem] = info.with_notebook.get(stem, 0) + 1
            meta = _read_meta(path)
            if self._is_current(stem, path, meta, envs):
                info.current[stem] = info.current.get(stem, 0) + 1
            created = meta.get("created")
            if created:
                info.oldest = min(info.oldest or created, created)
                info.newest = max(info.newest or created, created)
            info.size_bytes += sum(f.stat().st_size for f in path.iterdir() if f.is_file() and not f.is_symlink())
        if self.tmp_dir.is_dir():
            info.unfinished = sum(1 for _ in self.tmp_dir.iterdir())
        return info

    def clear(self, stem: str | None = None, *, stale_only: bool = False) -> int:
        """Remove entries (all, one notebook's, or with ``stale_only`` the stale ones: made by another
        notebook, code, ``data/``, lock file or Python than today's, or whose recorded input files
        have changed, or unreadable) and any unfinished writes. Returns the number of entries removed."""
        removed = 0
        envs: dict[str, dict[str, str] | None] = {}
        for entry_stem, path in list(self.iter_entries(stem)):
            if stale_only:
                meta = _read_meta(path)
                if self._is_current(entry_stem, path, meta, envs):
                    continue
            self._discard(path)
            removed += 1
        if stem is None and not stale_only and self.tmp_dir.is_dir():
            shutil.rmtree(self.tmp_dir, ignore_errors=True)
        return removed
