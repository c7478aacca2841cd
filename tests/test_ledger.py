"""The evidence ledger: statuses computed from what the notebooks record, failure when a figure marked
reproduced stops matching, every registry figure listed."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pytest

from helpers.engine import catalog
from helpers.page import ledger
from helpers.page.registry import figure, load_registry
from helpers.page.reproduce import FigureUse, check
from helpers.params import ParamSpec
from helpers.results import AnalysisResult

IDS = ["kft_n_referred", "kft_home_pct", "kft_care_pct", "link_cases", "innovation_projects", "hiow_sw_per_pa"]
FAKE_REGISTRY = {fid: figure(fid) for fid in IDS}


def _result(stem, uses=(), checks=()):
    return AnalysisResult(notebook=stem, params={}, scalars={}, checks=list(checks), figures_used=list(uses))


def _status(rows):
    return {r.figure.id: r.status for r in rows}


def test_statuses_follow_the_notebooks_records_with_precedence():
    results = {
        "nb_a": _result(
            "nb_a",
            [
                FigureUse("kft_n_referred", "input"),
                FigureUse("kft_home_pct", "reproduced", "reproduced"),
                FigureUse("innovation_projects", "quoted"),
            ],
            [check("kft_home_pct", 100 * 94 / 119)],
        ),
        "nb_b": _result(
            "nb_b",
            [
                FigureUse("kft_home_pct", "input"),
                FigureUse("link_cases", "synthetic"),
                FigureUse("kft_n_referred", "synthetic"),
            ],
        ),
    }
    rows = ledger.build_ledger(results, FAKE_REGISTRY)
    assert [r.figure.id for r in rows] == IDS  # every registry figure, in registry order
    assert _status(rows) == {
        "kft_n_referred": "used as an input",  # input beats synthetic
        "kft_home_pct": "reproduced",  # reproduced beats input
        "kft_care_pct": "quoted only",  # no notebook uses it
        "link_cases": "synthetic",
        "innovation_projects": "quoted only",  # quoted on a page, not computed with
        "hiow_sw_per_pa": "quoted only",
    }
    by_id = {r.figure.id: r for r in rows}
    assert by_id["kft_home_pct"].notebooks == ("nb_a", "nb_b")
    assert by_id["kft_home_pct"].checks == ("nb_a: computed 78.9916, rounds to 79",)
    assert by_id["innovation_projects"].notebooks == ("nb_a",) and by_id["kft_care_pct"].notebooks == ()
    frame = ledger.ledger_table(rows)
    assert list(frame["notebooks"])[:2] == [
        "nb_a (used as an input); nb_b (synthetic)",
        "nb_a (reproduced); nb_b (used as an input)",
    ]
    assert list(frame["value"])[:2] == ["119 children", "79%"]
    summary = ledger.summary_table(rows).set_index("status")["figures"]
    assert summary.to_dict() == {"reproduced": 1, "used as an input": 1, "synthetic": 1, "quoted only": 3, "all": 6}
    page = ledger.ledger_html(rows)
    assert page.count('<tr class="ledger-') - page.count('<tr class="ledger-study"') == len(IDS)
    assert page.count('<tr class="ledger-study"') == len({figure(fid).study for fid in IDS})
    assert '<a href="../notebooks/nb_a.html">nb_a</a> (reproduced)' in page


def test_no_notebooks_means_everything_is_quoted_only():
    assert set(_status(ledger.build_ledger({}, FAKE_REGISTRY)).values()) == {"quoted only"}


def _fails(results, registry=FAKE_REGISTRY):
    with pytest.raises(ledger.LedgerError) as info:
        ledger.build_ledger(results, registry)
    return str(info.value)


def test_a_reproduced_figure_that_no_longer_matches_fails():
    # The notebook computed something else: its own check says "not reproduced".
    bad = check("kft_home_pct", 75.0)
    message = _fails({"nb": _result("nb", [FigureUse("kft_home_pct", "reproduced", bad.status)], [bad])})
    assert "nb: 'kft_home_pct' is marked reproduced but no longer matches: computed 75 rounds to 75" in message
    assert "registry has 79" in message
    assert "the notebook's own check says 'not reproduced'" in message


def test_a_registry_value_changed_under_a_passing_check_fails():
    good = check("kft_home_pct", 100 * 94 / 119)  # matched 79 when it ran
    registry = {**FAKE_REGISTRY, "kft_home_pct": dataclasses.replace(figure("kft_home_pct"), value_text="80")}
    message = _fails({"nb": _result("nb", [FigureUse("kft_home_pct", "reproduced", "reproduced")], [good])}, registry)
    assert (
        "computed 78.9916 rounds to 79 at the published precision (0 decimal places), and the registry has 80"
        in message
    )


def test_precision_is_the_published_one():
    result = _result(
        "nb", [FigureUse("kft_home_pct", "reproduced", "reproduced")], [check("kft_home_pct", 100 * 94 / 119)]
    )
    for printed in ("79", "79.0"):  # 78.99… matches 79 and 79.0 at their printed precision
        registry = {**FAKE_REGISTRY, "kft_home_pct": dataclasses.replace(figure("kft_home_pct"), value_text=printed)}
        assert _status(ledger.build_ledger({"nb": result}, registry))["kft_home_pct"] == "reproduced"
    registry = {**FAKE_REGISTRY, "kft_home_pct": dataclasses.replace(figure("kft_home_pct"), value_text="79.1")}
    assert "rounds to 79.0 at the published precision (1 decimal places), and the registry has 79.1" in _fails(
        {"nb": result}, registry
    )


@pytest.mark.parametrize(
    "uses, checks, message",
    [
        (
            [FigureUse("kft_home_pct", "reproduced")],
            [],
            "is marked reproduced but the notebook records no reproduction check of it",
        ),
        (
            [FigureUse("kft_home_pct", "reproduced", "not applicable")],
            [check("kft_home_pct", 70.0, applicable=False, reason="counts changed")],
            "its check is not applicable at the default parameters (counts changed)",
        ),
        (
            [FigureUse("kft_home_pct", "input")],
            [check("kft_home_pct", 100 * 94 / 119)],
            "records a reproduction check of 'kft_home_pct' but does not mark it reproduced",
        ),
        (
            [FigureUse("kft_home_pct", "reproduced", "not reproduced")],
            [check("kft_home_pct", 100 * 94 / 119)],
            "its recorded status is 'not reproduced'",
        ),
        ([FigureUse("hiow_saving_per_sw", "input")], [], "uses 'hiow_saving_per_sw', which is not in the registry"),
    ],
)
def test_inconsistent_records_fail_with_the_notebook_and_figure_named(uses, checks, message):
    assert message in _fails({"nb": _result("nb", uses, checks)})


def test_results_must_name_their_own_notebook():
    assert "nb: its results name another notebook, 'other'" in _fails({"nb": _result("other")})


def _entry(stem, run):
    module = SimpleNamespace(PARAMETERS=ParamSpec(()), run=run, TITLE="t", SUMMARY="s")
    return catalog.Entry(stem, "t", "s", module)


def test_notebook_results_run_each_catalog_entry_at_its_defaults():
    seen = []

    def run(params):
        seen.append(params)
        return _result("fake", [FigureUse("link_cases", "synthetic")])

    results = ledger.notebook_results([_entry("fake", run)])
    assert seen == [{}] and list(results) == ["fake"]
    assert _status(ledger.build_ledger(results, FAKE_REGISTRY))["link_cases"] == "synthetic"


def test_a_notebook_whose_own_check_fails_stops_the_ledger():
    def run(params):
        from helpers.page import reproduce

        reproduce.require([check("kft_home_pct", 50.0)])

    with pytest.raises(ledger.LedgerError, match="broken: published figures not reproduced: kft_home_pct"):
        ledger.notebook_results([_entry("broken", run)])


# ---------------------------------------------------------------- the compendium's own ledger
@pytest.fixture(scope="module")
def real_results():
    return ledger.notebook_results()


def test_every_registry_figure_appears_with_a_computed_status(real_results):
    rows = ledger.build_ledger(real_results)
    assert [r.figure.id for r in rows] == list(load_registry())
    assert {r.status for r in rows} <= set(ledger.STATUSES)
    statuses = _status(rows)
    # What the committed notebooks record today (each notebook appears in the catalog automatically).
    assert statuses["kft_home_pct"] == statuses["kft_care_pct"] == "reproduced"
    assert statuses["kft_n_referred"] == "used as an input"
    assert statuses["innovation_core_principles"] == "used as an input"  # the compendium's count (inferred)
    used = {u.figure_id for r in real_results.values() for u in r.figures_used}
    assert all(statuses[fid] == "quoted only" for fid in load_registry() if fid not in used)
    assert set(real_results) == set(catalog.stems())


def test_the_real_ledger_fails_when_a_reproduced_figure_stops_matching(real_results):
    registry = dict(load_registry())
    registry["kft_care_pct"] = dataclasses.replace(registry["kft_care_pct"], value_text="22")
    message = _fails(real_results, registry)
    assert "kft_care_outcomes: 'kft_care_pct' is marked reproduced but no longer matches" in message


def test_the_ledger_and_the_registry_page_print_each_value_alike():
    import html

    from helpers.page.registry import registry_html

    rows = ledger.build_ledger({}, FAKE_REGISTRY)
    page, registry_page = ledger.ledger_html(rows), registry_html()
    assert (
        figure("kft_home_pct").value_with_unit == "79%" and figure("kft_n_referred").value_with_unit == "119 children"
    )
    for fid in IDS:
        shown = figure(fid).value_with_unit
        assert f"<td>{html.escape(shown)}</td>" in page
        assert f"<td>{html.escape(shown)}" in registry_page
    assert list(ledger.ledger_table(rows)["value"]) == [figure(fid).value_with_unit for fid in IDS]
