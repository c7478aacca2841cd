"""Plain papermill, as its users run it, gets the protection ``compendium run`` has.

* ``papermill --help-notebook`` shows every declared parameter with its declared type, description,
  default value and what is allowed, as ``compendium params`` does (the ``parameters`` cell is
  ``name: type = value  # help``, in step with the declaration);
* a misspelt or unknown ``-p`` name stops the notebook at its validation cell with the one-line
  message the ``compendium`` command gives; papermill itself only warns about it.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import nbformat
import papermill
import pytest

from helpers.analyses import kft_care_outcomes as kft
from helpers.engine import catalog
from helpers.engine.paths import NOTEBOOKS, ROOT
from helpers.params import ParameterError

sys.path.insert(0, str(ROOT / "tools"))
from parameters_cells import annotated_source

STEMS = catalog.stems()
BIN = Path(sys.executable).parent


def _parameters_cell(stem):
    nb = nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)
    return next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))


@pytest.mark.parametrize("stem", STEMS)
def test_help_notebook_shows_each_declared_type_and_description(stem, caplog):
    spec = catalog.module_for(stem).PARAMETERS
    inferred = papermill.inspect_notebook(str(NOTEBOOKS / f"{stem}.ipynb"))
    assert "Unable to parse" not in caplog.text
    assert list(inferred) == list(spec.names)
    for param in spec:
        found = inferred[param.name]
        assert found["inferred_type_name"] == param.type.__name__, param.name
        assert found["help"] == param.help_text(), param.name
        assert found["help"] and "\n" not in found["help"]


@pytest.mark.parametrize("stem", STEMS)
def test_parameters_cell_is_as_the_tool_writes_it(stem):
    """Every declared assignment carries its annotation and help (tools/parameters_cells.py)."""
    cell = _parameters_cell(stem)
    spec = catalog.module_for(stem).PARAMETERS
    assert annotated_source(cell.source, spec) == cell.source, "run tools/parameters_cells.py"
    annotated = [n.target.id for n in ast.parse(cell.source).body if isinstance(n, ast.AnnAssign)]
    assert annotated == list(spec.names)


def test_help_text_survives_papermills_line_rules():
    """Papermill skips a line with a second '=' and ends a value at '#'."""
    for stem in STEMS:
        for param in catalog.module_for(stem).PARAMETERS:
            text = param.help_text()
            assert "=" not in text and "#" not in text and "\n" not in text
    weeks = kft.PARAMETERS["weeks_in_care_avoided"].help_text()
    assert weeks.endswith("[weeks]. Default 52.0; allowed: a number in (0, 1040]")


def test_help_notebook_shows_the_default_value_and_what_is_allowed_as_compendium_params_does(tmp_path):
    """A published default is shown as its value (119), not only as the source text papermill reads
    (``published("kft_n_referred")``), with the range ``compendium params`` gives."""
    res = subprocess.run(
        [str(BIN / "papermill"), "--help-notebook", str(NOTEBOOKS / "kft_care_outcomes.ipynb")],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert res.returncode == 0, res.stderr
    shown = " ".join(res.stdout.split())
    params = subprocess.run(
        [str(BIN / "compendium"), "params", "kft_care_outcomes"], capture_output=True, text=True, timeout=300
    )
    for param in kft.PARAMETERS:
        line = next(x for x in params.stdout.splitlines() if x.startswith(f"{param.name}: "))
        default, allowed = line.split(" = ", 1)[1].split("  (", 1)
        allowed = allowed.rsplit(")", 1)[0].replace(">=", "≥").replace("<=", "≤")
        assert f"Default {default}; allowed: {allowed}" in shown, param.name
    assert "Default 119; allowed: an integer in [1, 1000000]" in shown


# -- unknown names given to the notebook -------------------------------------------------------


def test_an_undeclared_value_in_the_namespace_is_refused_by_name():
    ns = dict(kft.PARAMETERS.defaults(), target_home_rat=0.6)
    with pytest.raises(ParameterError) as err:
        kft.PARAMETERS.from_namespace(ns)
    assert str(err.value) == str(kft.PARAMETERS.unknown("target_home_rat"))
    assert err.value.name == "target_home_rat"


def test_what_is_not_a_given_value_is_left_alone():
    ns = dict(
        kft.PARAMETERS.defaults(),
        _=1,
        _i3="x",
        __name__="__main__",
        PAPERMILL_INPUT_PATH="in.ipynb",
        PAPERMILL_OUTPUT_PATH="out.ipynb",
        kft=kft,
        published=lambda key: key,
        frame=[1, 2],
        In=[],
        Out={},
    )
    assert kft.PARAMETERS.from_namespace(ns) == kft.PARAMETERS.defaults()


def test_in_ipython_only_the_parameters_and_injected_cells_count():
    """JupyterLab: a variable of one's own in another cell is not a parameter; a name added to the
    parameters cell, or injected by papermill (its cell starts with '# Parameters'), is."""
    defaults = kft.PARAMETERS.defaults()
    params_cell = "\n".join(f"{k} = {v!r}" for k, v in defaults.items())
    scratch = dict(defaults, x=1, In=["", "import math", params_cell, "x = 1"])
    assert kft.PARAMETERS.from_namespace(scratch) == defaults
    injected = dict(
        defaults, x=1, target_home_rat=0.6, In=["", params_cell, "# Parameters\ntarget_home_rat = 0.6\n", "x = 1"]
    )
    with pytest.raises(ParameterError, match="unknown parameter 'target_home_rat'"):
        kft.PARAMETERS.from_namespace(injected)
    added = dict(defaults, n_refered=100, In=["", params_cell + "\nn_refered = 100"])
    with pytest.raises(ParameterError, match="unknown parameter 'n_refered'"):
        kft.PARAMETERS.from_namespace(added)


def test_error_shows_as_one_line_in_a_notebook():
    err = kft.PARAMETERS.unknown("target_home_rat")
    assert err._render_traceback_() == [f"ParameterError: {err}"]


def test_papermill_with_a_misspelt_parameter_stops_with_the_commands_message(tmp_path):
    """As a papermill user types it; then as a compendium user types it: the same message."""
    out = tmp_path / "out.ipynb"
    res = subprocess.run(
        [
            str(BIN / "papermill"),
            str(NOTEBOOKS / "kft_care_outcomes.ipynb"),
            str(out),
            "-p",
            "target_home_rat",
            "0.6",
            "--cwd",
            str(NOTEBOOKS),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    message = str(kft.PARAMETERS.unknown("target_home_rat"))
    assert res.returncode != 0
    assert f"ParameterError: {message}" in res.stderr
    executed = nbformat.read(out, as_version=4)
    code = [c for c in executed.cells if c.cell_type == "code"]
    failed = [i for i, c in enumerate(code) if any(o.output_type == "error" for o in c.get("outputs", []))]
    assert len(failed) == 1 and "from_namespace(globals())" in code[failed[0]].source
    error = next(o for o in code[failed[0]].outputs if o.output_type == "error")
    assert error.traceback == [f"ParameterError: {message}"]
    assert all(c.execution_count is None for c in code[failed[0] + 1 :])  # nothing ran after it
    cli = subprocess.run(
        [str(BIN / "compendium"), "run", "kft_care_outcomes", "-p", "target_home_rat", "0.6"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert cli.returncode == 2 and cli.stderr == f"compendium: error: {message}\n"
