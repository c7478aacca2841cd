"""Results a program can read (helpers.outputs): every result value has a description and a unit, declared
once per analysis; ``results.json`` carries them with the values; a suppressed value is null and flagged,
in ``results.json`` and in a sweep's table; a sweep's figure is named and labelled by the descriptions.

Every value of every notebook's committed page is checked here; the values that only other parameters or the
user's records give are checked on the pages that tests/test_run_pages.py executes in those scenarios.
"""

from __future__ import annotations

import json
import math

import nbformat
import pandas as pd
import pytest

from helpers import outputs
from helpers.engine import catalog
from helpers.engine.paths import NOTEBOOKS
from helpers.page.glue import read_glued
from helpers.params import ParamSpec
from helpers.params import param as declare_param
from helpers.params.spec import ParameterSet


def undescribed(stem: str, names) -> list[str]:
    """The names among ``names`` that analysis ``stem`` does not describe (with a unit)."""
    missing = []
    for name in names:
        try:
            found = outputs.describe(stem, name)
        except outputs.OutputError:
            missing.append(name)
            continue
        assert found.description.strip() and found.unit.strip(), name
    return missing


@pytest.mark.parametrize("stem", catalog.stems())
def test_every_value_a_committed_page_glues_has_a_description_and_a_unit(stem):
    glued = read_glued(nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4))
    assert glued, "the committed notebook glues nothing"
    assert undescribed(stem, glued) == []


def test_a_value_without_a_description_is_refused_by_name():
    with pytest.raises(
        outputs.OutputError,
        match=r"kft_care_outcomes: result 'no_such_value' has no description: "
        r"declare it in helpers/analyses/kft_care_outcomes/outputs.py",
    ):
        outputs.describe("kft_care_outcomes", "no_such_value")
    assert undescribed("kft_care_outcomes", ["home_rate", "no_such_value"]) == ["no_such_value"]


class _Params(ParameterSet):
    rate: float = declare_param(0.5, "A rate of something", minimum=0, maximum=1)
    weeks: float = declare_param(2.0, "Weeks of something", minimum=0, maximum=9, unit="weeks")


_SPEC = ParamSpec.of(_Params)


def test_families_of_names_are_described_by_rule():
    declared = outputs.declare(
        {"ratio": ("Rate ratio of A over B", outputs.RATIO), "label": ("A phrase", outputs.TEXT)},
        replicates={"ratio": ("rate ratio of A over B", outputs.RATIO)},
    )
    low = declared["ratio_ci_low"]
    assert low == outputs.Output("Lower end of the confidence interval of: rate ratio of A over B", outputs.RATIO)
    assert declared["ratio_ci_high"].description.startswith("Upper end")
    assert declared.find("label_ci_low") is None  # a phrase has no interval
    assert declared["rep_ratio_median"].unit == outputs.RATIO
    assert declared["rep_ratio_median_mcse"].description.startswith("Monte Carlo standard error of the median")
    assert declared["rep_ratio_coverage"].unit == outputs.PROPORTION
    assert declared["rep_ratio_n_estimable"].unit == "reconstructions"
    assert declared["rep_n"].unit == "reconstructions"
    assert declared.find("rep_other_median") is None and declared.find("rep_ratio") is None
    assert outputs.declare({}).find("rep_n") is None  # no replicates, no rep_n


def test_a_value_that_repeats_a_parameter_takes_its_declaration():
    assert outputs.echo(_SPEC, "weeks") == outputs.Output("The parameter weeks: Weeks of something", "weeks")
    assert outputs.echo(_SPEC, "rate", outputs.PROPORTION).unit == outputs.PROPORTION
    with pytest.raises(outputs.OutputError, match="parameter 'rate' declares no unit"):
        outputs.echo(_SPEC, "rate")
    with pytest.raises(outputs.OutputError):
        outputs.Output("", "weeks")


def test_results_json_carries_each_value_with_its_type_unit_and_description_and_nulls_a_suppressed_one():
    doc = outputs.document(
        "frontline_visits",
        {"n_cases": 12, "rate_ratio": 1.25, "data_source": "your own records", "share_reaching_threshold_other": "[c]"},
    )
    assert doc["notebook"] == "frontline_visits" and doc["format"] == outputs.FORMAT
    results = doc["results"]
    assert results["n_cases"] == {
        "value": 12,
        "type": "integer",
        "unit": "cases",
        "description": "Cases analysed",
    }
    assert results["rate_ratio"]["type"] == "number" and results["data_source"]["type"] == "text"
    assert results["share_reaching_threshold_other"]["value"] is None
    assert results["share_reaching_threshold_other"]["suppressed"] is True
    assert results["share_reaching_threshold_other"]["type"] == "number"
    assert "suppressed" not in results["rate_ratio"]
    back = json.loads(json.dumps(doc))
    assert outputs.values(back) == {
        "n_cases": 12,
        "rate_ratio": 1.25,
        "data_source": "your own records",
        "share_reaching_threshold_other": None,
    }
    frame = pd.DataFrame(back["results"]).T
    assert (
        pd.to_numeric(frame.loc[["n_cases", "rate_ratio", "share_reaching_threshold_other"], "value"]).isna().sum() == 1
    )


def test_own_records_with_small_counts_give_null_values_not_the_marker(tmp_path):
    """Frontline on records where one route's shares must be hidden: results.json holds null, flagged."""
    from helpers.analyses import frontline_visits as fv

    # Two Frontline cases below the threshold (a small count: the route's shares are hidden), the others spread
    # over several values, so that the route's size and mean alone give no count away (else refused).
    rows = [f"f{i},fw{i % 3},frontline,6,{(3, 4)[i] if i < 2 else 9 + i % 5}" for i in range(12)]
    rows += [f"o{i},ow{i % 3},other,6,{3 if i < 6 else 12}" for i in range(12)]
    path = tmp_path / "records.csv"
    path.write_text("case_id,worker_id,training_route,months_open,visits\n" + "\n".join(rows) + "\n")
    scalars = fv.run({"data_path": str(path), "min_cell_count": 5}).scalars
    hidden = [name for name, value in scalars.items() if value == "[c]"]
    assert hidden, "the records were meant to need suppression"
    doc = outputs.document("frontline_visits", scalars)
    for name in hidden:
        assert doc["results"][name]["value"] is None and doc["results"][name]["suppressed"] is True
    assert not [n for n, e in doc["results"].items() if e["value"] == "[c]"]  # (the note may name the symbol)
    assert undescribed("frontline_visits", scalars) == []


def test_a_sweeps_table_keeps_numbers_numeric_and_names_what_was_suppressed():
    from helpers.analyses import kft_care_outcomes as kft
    from helpers.engine import sweep

    points = sweep.validate_points(kft.PARAMETERS, [{"seed": 1}, {"seed": 2}])
    table = sweep.sweep_table(
        kft.PARAMETERS,
        [
            sweep.PointOutcome(points[0], "ok", "computed", {"share": 0.25, "n": 3}, 0.1),
            sweep.PointOutcome(points[1], "ok", "computed", {"share": "[c]", "n": "[c]"}, 0.1),
        ],
    )
    assert str(table["result.share"].dtype) == "float64" and math.isnan(table["result.share"][1])
    assert str(table["result.n"].dtype) == "Int64" and table["result.n"].isna()[1]
    assert table["suppressed"].tolist() == ["", "share, n"]


def test_a_sweeps_figure_is_named_and_labelled_by_the_descriptions_and_units():
    from helpers.analyses import kft_care_outcomes as kft
    from helpers.engine.sweep.outputs import plot_labels

    y, x, name = plot_labels("kft_care_outcomes", kft.PARAMETERS, "net_saving_base", "target_home_rate")
    assert (
        " ".join(y.split()) == "Net cost avoided (care avoided minus the service's cost), every input at its base (GBP)"
    )
    assert x.startswith("The units' target share of referred children kept at home") and x.endswith(
        "[target_home_rate]"
    )
    assert name == "net-cost-avoided_vs_units-target-share-referred-children-kept-home.png"
    _, x_weeks, _ = plot_labels("kft_care_outcomes", kft.PARAMETERS, "net_saving_base", "weeks_in_care_avoided")
    assert "(weeks)" in x_weeks
