"""``make lab``: JupyterLab from the lock, on the compendium folder, with the project's environment as the
kernel, and the committed notebooks read-only.

The target is run with ``LAB_ARGS=--version`` (it lists the kernels it will offer, then prints JupyterLab's
version); the kernel is started once through ``jupyter run`` to see which Python and which helpers it has;
the contents manager that keeps committed material read-only (tools/lab_contents.py) is called in-process;
and one server is started by the target, found with ``jupyter server list`` and stopped.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import helpers
from helpers.engine.paths import ROOT

BIN = Path(sys.executable).parent
#: The environment `make lab` runs JupyterLab from and offers as the kernel: the project's own (.venv),
#: also when the suite itself runs in another (`make test-latest` runs it in .venv-latest).
MAKE_VENV = ROOT / ".venv"


def _pin(name: str) -> str:
    match = re.search(rf"^{name}==(\S+)$", (ROOT / "requirements.lock").read_text(), flags=re.M)
    assert match, f"{name} is not pinned in requirements.lock"
    return match.group(1)


@pytest.fixture
def decoy_home(tmp_path):
    """A home folder whose own "python3" kernel is some other Python (here: one that cannot start)."""
    spec = tmp_path / ".local" / "share" / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {"argv": ["/bin/false", "{connection_file}"], "display_name": "someone else's Python", "language": "python"}
        )
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    env["HOME"] = str(tmp_path)
    return env


def test_jupyterlab_is_in_the_lock_and_environment_yml():
    version = _pin("jupyterlab")
    assert f"- jupyterlab=={version}" in (ROOT / "environment.yml").read_text()


@pytest.mark.skipif(not (BIN / "jupyter-lab").exists(), reason="jupyterlab is not installed in this environment")
def test_make_lab_offers_the_projects_kernel_even_with_another_in_the_home_folder(decoy_home):
    res = subprocess.run(
        # --no-print-directory: run from another make (`make bench` runs `make test`), make would
        # otherwise add "Leaving directory" lines after the version.
        ["make", "-s", "--no-print-directory", "-o", ".venv/.installed", "lab", "LAB_ARGS=--version"],
        cwd=ROOT,
        env=decoy_home,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    kernels = dict(line.split() for line in res.stdout.splitlines() if line.startswith("  "))
    assert Path(kernels["python3"]).resolve() == (MAKE_VENV / "share" / "jupyter" / "kernels" / "python3").resolve()
    assert res.stdout.splitlines()[-1].strip() == _pin("jupyterlab")
    make_n = subprocess.run(["make", "-n", "-o", ".venv/.installed", "lab"], cwd=ROOT, capture_output=True, text=True)
    command = next(line for line in make_n.stdout.splitlines() if "jupyter lab" in line)
    assert "jupyter lab --config=tools/jupyter_lab_config.py" in command
    assert "JUPYTER_RUNTIME_DIR" not in command  # Jupyter's own runtime folder: `jupyter server list` finds the server


def test_the_python3_kernel_is_this_environment_with_these_helpers(decoy_home, tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("import sys, helpers\nprint(sys.prefix)\nprint(helpers.__file__)\n")
    env = dict(
        decoy_home,
        JUPYTER_PREFER_ENV_PATH="1",
        IPYTHONDIR=str(tmp_path / "ipython"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
    )
    res = subprocess.run(
        [str(BIN / "jupyter"), "run", "--kernel", "python3", str(probe)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    prefix, helpers_file = res.stdout.strip().splitlines()[-2:]
    assert Path(prefix).resolve() == Path(sys.prefix).resolve()
    assert Path(helpers_file).resolve() == Path(helpers.__file__).resolve()


# ------------------------------------------------------------------ nothing JupyterLab does changes committed files
sys.path.insert(0, str(ROOT / "tools"))
from lab_contents import ProtectedContentsManager  # noqa: E402

NOTEBOOK = "notebooks/kft_care_outcomes.ipynb"


def _call(coro):
    import asyncio

    return asyncio.run(coro)


def test_committed_notebooks_open_read_only_and_every_write_there_is_refused_with_a_reason():
    from tornado import web

    manager = ProtectedContentsManager(root_dir=str(ROOT))
    before = (ROOT / NOTEBOOK).read_bytes()
    assert _call(manager.get(NOTEBOOK, content=False))["writable"] is False
    listing = _call(manager.get("notebooks"))
    assert listing["writable"] is False and not any(entry["writable"] for entry in listing["content"])
    assert _call(manager.get("README.md", content=False))["writable"] is True  # not a folder of committed material
    model = _call(manager.get(NOTEBOOK))
    model["content"]["metadata"]["kernelspec"]["display_name"] = "Python 3 (ipykernel)"  # what JupyterLab writes
    for attempt in (
        manager.save(model, NOTEBOOK),
        manager.save({"type": "file", "format": "text", "content": "x"}, "notebooks/new.txt"),
        manager.delete_file(NOTEBOOK),
        manager.rename_file(NOTEBOOK, "notebooks/renamed.ipynb"),
        manager.rename_file("README.md", "data/README.md"),
        manager.create_checkpoint(NOTEBOOK),
    ):
        with pytest.raises(web.HTTPError) as err:
            _call(attempt)
        assert err.value.status_code == 403 and "read-only in `make lab`" in err.value.log_message
        assert "Save Notebook As, into runs/" in err.value.log_message
    assert (ROOT / NOTEBOOK).read_bytes() == before
    assert not (ROOT / "notebooks" / "new.txt").exists()
    # JupyterLab lists a file's checkpoints as it opens it (which makes their folder): not in notebooks/.
    assert _call(manager.list_checkpoints(NOTEBOOK)) == []
    assert not (ROOT / "notebooks" / ".ipynb_checkpoints").exists()


def test_a_notebook_elsewhere_saves_as_usual(tmp_path):
    manager = ProtectedContentsManager(root_dir=str(tmp_path))
    model = _call(ProtectedContentsManager(root_dir=str(ROOT)).get(NOTEBOOK))
    saved = _call(manager.save({"type": "notebook", "content": model["content"]}, "my-run.ipynb"))
    assert saved["writable"] is True and (tmp_path / "my-run.ipynb").is_file()
    [checkpoint] = _call(manager.list_checkpoints("my-run.ipynb"))  # saving makes one, kept under .cache/
    assert (ROOT / ".cache" / "jupyter" / "checkpoints" / f"my-run-{checkpoint['id']}.ipynb").is_file()
    assert not (tmp_path / ".ipynb_checkpoints").exists()


def _config(monkeypatch, euid):
    from traitlets.config import Config

    config = Config()
    monkeypatch.setattr(os, "geteuid", lambda: euid)
    path = ROOT / "tools" / "jupyter_lab_config.py"
    exec(compile(path.read_text(), str(path), "exec"), {"get_config": lambda: config, "__file__": str(path)})
    return config


def test_the_lab_serves_the_whole_compendium_opens_on_notebooks_and_allows_root_only_as_root(monkeypatch):
    as_user, as_root = _config(monkeypatch, 1000), _config(monkeypatch, 0)
    assert as_user.ServerApp.root_dir == str(ROOT) and as_user.LabApp.default_url == "/lab/tree/notebooks"
    assert as_user.ServerApp.contents_manager_class is ProtectedContentsManager
    assert "allow_root" not in as_user.ServerApp and as_root.ServerApp.allow_root is True


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(not (BIN / "jupyter-lab").exists(), reason="jupyterlab is not installed in this environment")
def test_make_lab_is_found_by_jupyter_server_list_and_refuses_to_write_a_committed_notebook(decoy_home):
    """The server `make lab` starts (as whoever runs the tests: root in CI) is listed by a plain `jupyter server
    list`, serves the compendium folder, and answers an autosave of a committed notebook with 403."""
    import signal
    import time
    import urllib.error
    import urllib.request

    port = _free_port()
    args = ["make", "-s", "--no-print-directory", "-o", ".venv/.installed", "lab"]
    lab = subprocess.Popen(
        [*args, f"LAB_ARGS=--no-browser --port={port} --ServerApp.port_retries=0"],
        cwd=ROOT,
        env=decoy_home,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        server, deadline = None, time.monotonic() + 180
        while server is None and time.monotonic() < deadline and lab.poll() is None:
            listed = subprocess.run(
                [str(MAKE_VENV / "bin" / "jupyter"), "server", "list", "--json"],
                env=decoy_home,
                capture_output=True,
                text=True,
                timeout=60,
            )
            server = next((json.loads(line) for line in listed.stdout.splitlines() if f":{port}/" in line), None)
            time.sleep(1)
        assert server is not None, f"not listed by `jupyter server list`: {lab.stderr.read() if lab.poll() else ''}"
        assert Path(server["root_dir"]).resolve() == ROOT.resolve()
        url = f"{server['url']}api/contents/{NOTEBOOK}?token={server['token']}"
        before = (ROOT / NOTEBOOK).read_bytes()
        with urllib.request.urlopen(url + "&content=0") as response:
            assert json.loads(response.read())["writable"] is False
        put = urllib.request.Request(url, method="PUT", data=b'{"type": "file", "format": "text", "content": "x"}')
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(put)
        assert err.value.code == 403 and "read-only in `make lab`" in json.loads(err.value.read())["message"]
        assert (ROOT / NOTEBOOK).read_bytes() == before
    finally:
        os.killpg(lab.pid, signal.SIGTERM)
        lab.wait(timeout=60)
