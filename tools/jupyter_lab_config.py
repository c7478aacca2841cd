"""JupyterLab's configuration for ``make lab`` (``jupyter lab --config tools/jupyter_lab_config.py``).

* It serves the whole compendium folder and opens on ``notebooks/``, so the runs under ``runs/`` (a
  ``compendium run``'s executed notebook and page) open in it too.
* The folders of committed material are read-only (tools/lab_contents.py): JupyterLab opens a committed
  notebook read-only, does not autosave it, and offers "Save As"; any write there is refused with a message.
* Run as root (a container, Codespaces), it allows that instead of refusing to start: the server is the
  user's own, on this machine.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from helpers.engine.paths import ROOT
from lab_contents import ProtectedContentsManager

c = get_config()  # noqa: F821  (Jupyter runs this file with get_config in its namespace)
c.ServerApp.root_dir = str(ROOT)
c.LabApp.default_url = "/lab/tree/notebooks"
c.ServerApp.contents_manager_class = ProtectedContentsManager
if hasattr(os, "geteuid") and os.geteuid() == 0:
    c.ServerApp.allow_root = True
