"""A throwaway virtual environment that borrows the project environment's packages.

Used to install the compendium as users do (``pip install .``, Binder's postBuild) without
downloading anything: the new environment sees the project's site-packages as a plain path
entry, so that folder's own ``.pth`` files (the editable install of src/helpers among them) are
not processed and ``helpers`` comes only from what is installed into the new environment.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path


def borrowing_venv(path: Path) -> Path:
    """Create a venv at ``path`` (no pip of its own: ``python -m pip`` is the project's) and return its python."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)
    python = path / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "project-env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python
