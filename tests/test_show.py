"""``compendium show RUN_DIR``: a run's card and "In brief", with the run's numbers, in a terminal.

The run folders are written as ``compendium run`` writes them (``params.json``, and ``results.json`` by
:func:`helpers.outputs.document` from the analysis's own ``run()``), without a kernel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_runner import run_cli
from helpers.engine import catalog
from helpers.engine.showing import load_run, show_text
from helpers.inputs.suppression import MARKER
from helpers.outputs import document


def write_run(folder: Path, stem: str, **changed) -> dict:
    """A run's folder for ``stem`` with ``changed`` parameters; returns the run's scalars."""
    module = catalog.module_for(stem)
    params = module.PARAMETERS.validate(**changed)
    result = module.run(params)
    folder.mkdir(parents=True)
    (folder / "params.json").write_text(json.dumps(dict(params), default=str))
    (folder / "results.json").write_text(json.dumps(document(stem, result.scalars)))
    return result.scalars


def test_show_prints_the_card_and_the_brief_of_this_run(tmp_path):
    run = tmp_path / "run"
    scalars = write_run(run, "kft_care_outcomes", target_home_rate=0.6)
    res = run_cli(["show", str(run), "--width", "200"])
    assert res.returncode == 0, res.stderr
    out = res.stdout
    assert "Keeping Families Together" in out and "Strength of evidence:" in out
    # this run's target, marked as the run's assumption, not the published 50%
    assert "target of 60% [A]" in out
    # the count is computed from the two published counts alone, and the share restates the published 79%:
    # another target leaves them computed and published
    assert f"{scalars['n_at_home']} [C] ({scalars['home_rate']:.0%} [P])" in out
    assert "[A] assumption" in out and "[P] published figure" in out
    assert "No page.html" in out


def test_show_wraps_to_the_width_asked_for(tmp_path):
    run = tmp_path / "run"
    write_run(run, "time_use_admin_support")
    text = show_text(run, width=60)
    brief = text.split("In brief", 1)[1].split("\n\n")[0]
    assert max(len(line) for line in brief.splitlines()[1:]) <= 60


def test_a_suppressed_value_is_read_as_the_page_shows_it(tmp_path):
    run = tmp_path / "run"
    write_run(run, "kft_care_outcomes")
    doc = json.loads((run / "results.json").read_text())
    doc["results"]["target_verdict"] = {**doc["results"]["target_verdict"], "value": None, "suppressed": True}
    (run / "results.json").write_text(json.dumps(doc))
    _, _, values = load_run(run)
    assert values["target_verdict"] == MARKER


def _run_files(folder: Path, results: object) -> None:
    folder.mkdir()
    (folder / "params.json").write_text("{}")
    (folder / "results.json").write_text(json.dumps(results))


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: None, "no such folder"),
        (lambda d: d.mkdir(), "not a run's folder (no results.json)"),
        (
            lambda d: (d.mkdir(), (d / "results.json").write_text("{"), (d / "params.json").write_text("{}")),
            "not readable",
        ),
        (
            lambda d: (
                d.mkdir(),
                (d / "results.json").write_text('{"format": "x"}'),
                (d / "params.json").write_text("{}"),
            ),
            "format 'x' is not 'compendium-results/1'",
        ),
        (
            lambda d: _run_files(d, {"format": "compendium-results/1", "notebook": "kft_care_outcomes", "results": []}),
            "'results' must map each name to an entry with its 'value'",
        ),
        (
            lambda d: _run_files(
                d,
                {"format": "compendium-results/1", "notebook": "kft_care_outcomes", "results": {"n_referred": {}}},
            ),
            "'results' must map each name to an entry with its 'value'",
        ),
        (
            lambda d: _run_files(
                d,
                {
                    "format": "compendium-results/1",
                    "notebook": "kft_care_outcomes",
                    "results": {"n_referred": {"value": 119}},
                },
            ),
            "lacks what the page's In brief states (home_rate_reproduction)",
        ),
        (
            lambda d: _run_files(d, {"format": "compendium-results/1", "notebook": "nope", "results": {}}),
            "unknown notebook 'nope'",
        ),
    ],
)
def test_a_folder_that_is_not_a_run_is_refused_in_one_line(tmp_path, make, message):
    folder = tmp_path / "run"
    make(folder)
    res = run_cli(["show", str(folder)])
    assert res.returncode == 2
    assert message in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert not res.stdout
