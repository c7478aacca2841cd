"""What JupyterLab may write (``make lab``): nothing into the folders of committed material.

JupyterLab saves a notebook after Run All, autosaves it every two minutes, and rewrites its metadata as it
saves (the kernel's display name, "Python 3" becoming "Python 3 (ipykernel)"): in ``notebooks/`` that would
change a committed notebook, whose outputs are the defaults' (``make test`` compares them; the book shows
them). :class:`ProtectedContentsManager` is the server's usual contents manager with the folders of committed
material (``notebooks/``, ``data/``, ``book/``, ``src/``, ``tests/``: :func:`helpers.engine.paths.protected_dirs`)
read-only:

* their files are listed and opened with ``writable: false``, so JupyterLab opens them read-only: it does not
  autosave them, and its Save offers "Save As" (into ``runs/``, for example);
* a save, rename, delete or checkpoint there is refused (HTTP 403) with a message saying why and what to do,
  whatever client asks;
* checkpoints (JupyterLab lists them as it opens a file, which makes the folder for them) are kept in
  ``.cache/jupyter/checkpoints/`` (git-ignored), by the file's path, not in ``.ipynb_checkpoints/`` beside it.

``tools/jupyter_lab_config.py`` installs it for ``make lab``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from jupyter_core.utils import ensure_dir_exists
from jupyter_server.services.contents.filecheckpoints import AsyncFileCheckpoints
from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
from tornado import web
from traitlets import default

from helpers.engine.paths import ROOT, is_within, protected_dirs

REFUSAL = (
    "{path} is committed material of the compendium and is read-only in `make lab`: a committed notebook's "
    "outputs are those of its default parameters, which `make test` compares and the book shows. Save your "
    "run elsewhere (File, Save Notebook As, into runs/), or re-execute the committed notebooks with `make notebooks`."
)


#: Where checkpoints are kept, by the path of the file they are of.
CHECKPOINTS = ROOT / ".cache" / "jupyter" / "checkpoints"


class OutsideCheckpoints(AsyncFileCheckpoints):  # type: ignore[misc]
    """File checkpoints under :data:`CHECKPOINTS`, not in a ``.ipynb_checkpoints`` folder beside each file."""

    def checkpoint_path(self, checkpoint_id: str, path: str) -> str:
        parent, name = ("/" + path.strip("/")).rsplit("/", 1)
        basename, ext = os.path.splitext(name)
        folder = CHECKPOINTS / parent.strip("/")
        with self.perm_to_403():
            ensure_dir_exists(str(folder))
        return str(folder / f"{basename}-{checkpoint_id}{ext}")


class ProtectedContentsManager(AsyncLargeFileManager):  # type: ignore[misc]
    """The server's contents manager, with the folders of committed material read-only (see the module)."""

    @default("checkpoints_class")
    def _checkpoints_class_default(self) -> type:
        return OutsideCheckpoints

    def protected(self, path: str) -> bool:
        """True when the API path ``path`` lies in a folder of committed material."""
        os_path = Path(self._get_os_path(path.strip("/")))
        return any(is_within(os_path, folder) for folder in protected_dirs())

    def _refuse(self, path: str) -> web.HTTPError:
        shown = str(Path(self._get_os_path(path.strip("/"))).resolve().relative_to(ROOT.resolve()))
        # (tornado formats the message with its arguments: a % in a path must not be read as a placeholder)
        return web.HTTPError(403, REFUSAL.format(path=shown).replace("%", "%%"), reason="read-only")

    def is_writable(self, path: str) -> bool:
        return not self.protected(path) and super().is_writable(path)

    async def get(self, path: str, content: bool = True, type: str | None = None, format: str | None = None, **kw: Any):
        model = await super().get(path, content=content, type=type, format=format, **kw)
        model["writable"] = model["writable"] and not self.protected(path)
        if model.get("type") == "directory" and model.get("content"):
            for entry in model["content"]:
                entry["writable"] = entry["writable"] and not self.protected(entry["path"])
        return model

    async def save(self, model: dict[str, Any], path: str = "") -> dict[str, Any]:
        if self.protected(path):
            raise self._refuse(path)
        return await super().save(model, path)

    async def delete_file(self, path: str) -> None:
        if self.protected(path):
            raise self._refuse(path)
        await super().delete_file(path)

    async def rename_file(self, old_path: str, new_path: str) -> None:
        for path in (old_path, new_path):
            if self.protected(path):
                raise self._refuse(path)
        await super().rename_file(old_path, new_path)

    async def create_checkpoint(self, path: str) -> dict[str, Any]:
        if self.protected(path):
            raise self._refuse(path)
        return await super().create_checkpoint(path)

    async def restore_checkpoint(self, checkpoint_id: str, path: str) -> None:
        if self.protected(path):
            raise self._refuse(path)
        await super().restore_checkpoint(checkpoint_id, path)
