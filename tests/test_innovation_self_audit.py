"""The Innovation Programme self-audit: items from the report's own lists, answers checked with clear
errors, scores and priorities worked by hand."""

from __future__ import annotations

import csv
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
import yaml

from helpers.analyses import innovation_self_audit as audit
from helpers.analyses.innovation_self_audit.items import AuditDefinitionError
from helpers.analyses.innovation_self_audit.sections import report_parts, split_text
from helpers.engine.paths import NOTEBOOKS, ROOT
from helpers.page import kinds
from helpers.page.kinds import Kind
from helpers.page.registry import figure, published
from helpers.params import ParameterError
from shared_files import source_text

THEMES, ITEMS = audit.load_audit()
IDS = [i.id for i in ITEMS]
COMPENDIUM = str(Path(sys.executable).parent / "compendium")


def _write(tmp_path, ratings=None, *, name="answers.yaml", **top):
    data = {
        "service": "Test service",
        "ratings": dict(ratings) if ratings is not None else dict.fromkeys(IDS, 2),
        **top,
    }
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _problems(path):
    with pytest.raises(audit.AnswersError) as info:
        audit.read_answers(path)
    return info.value


# ---------------------------------------------------------------- the items
def _list_after_colon(quote: str) -> list[str]:
    """Split a published list sentence ('...: a; b; c.') into its items, independently of the items file."""
    body = quote.split(":", 1)[1].strip().rstrip(".")
    return [part.strip() for part in body.split(";")]


def test_core_principles_and_key_ingredients_are_the_reports_lists_word_for_word():
    for theme, fid in (
        ("core_principles", "innovation_core_principles"),
        ("key_ingredients", "innovation_key_ingredients"),
    ):
        ours = [i.wording for i in ITEMS if i.theme == theme]
        assert ours == _list_after_colon(figure(fid).quote)
        assert {i.source_sentence for i in ITEMS if i.theme == theme} == {figure(fid).quote}


def test_every_item_is_quoted_from_its_source_sentence_and_themes_are_in_the_reports_order():
    assert [t.id for t in THEMES] == ["core_principles", "key_ingredients", "common_features", "enabling_conditions"]
    for item in ITEMS:
        assert item.wording in item.source_sentence, item.id
    # the enabling conditions: the four the report names in one sentence, in its order
    cond = [i for i in ITEMS if i.theme == "enabling_conditions"]
    sentence = cond[0].source_sentence
    assert sentence.startswith(THEMES[3].lead_in)
    positions = [sentence.index(i.wording) for i in cond]
    assert positions == sorted(positions) and len(cond) == 4
    # the common features: five bullet points, introduced by the registry's quoted lead-in
    assert THEMES[2].lead_in == figure("innovation_common_features").quote
    assert len({i.source_sentence for i in ITEMS if i.theme == "common_features"}) == published(
        "innovation_common_features"
    )


def test_every_source_sentence_is_in_the_seed_text():
    text = source_text(2)  # skips, saying where it looked, when the source documents are not there
    for item in ITEMS:
        assert item.source_sentence in text, item.id
    for theme in THEMES:
        assert theme.lead_in in text, theme.id


def test_a_malformed_items_file_is_refused(tmp_path):
    with open(audit.ITEMS_FILE, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows[1]["wording"] = "words the report never used"
    rows[2]["theme"] = "nonsense"
    rows[3]["id"] = rows[0]["id"]
    path = tmp_path / "items.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(audit.AuditDefinitionError) as info:
        audit.load_audit(path)
    message = str(info.value)
    assert f"duplicate item ids: {rows[0]['id']}" in message
    assert f"item {rows[1]['id']!r}: its wording is not found word for word" in message
    assert "theme 'nonsense' is not one of" in message


# ---------------------------------------------------------------- answers: the example and bad input
def test_the_example_answers_are_labelled_as_invented_and_rate_every_item():
    answers = audit.read_answers(ROOT / audit.EXAMPLE_ANSWERS)
    assert answers.example is True and "not a real service" in answers.service
    assert list(answers.ratings) == IDS
    text = (ROOT / audit.EXAMPLE_ANSWERS).read_text(encoding="utf-8")
    assert text.startswith("# EXAMPLE ANSWERS: an invented service, not a real one.")
    for level in audit.SCALE:  # the scale documented in the file is the one the code uses
        assert re.search(rf"#\s+{level.rating}\s+{re.escape(level.label)}\s+{re.escape(level.meaning)}", text), level


def test_unknown_item_is_named_with_a_suggestion(tmp_path):
    ratings = dict.fromkeys(IDS, 2)
    ratings["cp_child_focs"] = ratings.pop("cp_child_focus")
    err = _problems(_write(tmp_path, ratings))
    assert err.name == "answers_path"
    assert "unknown item 'cp_child_focs' (did you mean 'cp_child_focus'?): expected one of the audit's item ids" in str(
        err
    )
    assert "missing item 'cp_child_focus'" in str(err)  # and the real id is then missing


def test_missing_items_are_listed(tmp_path):
    ratings = dict.fromkeys(IDS[2:], 2)
    err = _problems(_write(tmp_path, ratings))
    assert f"missing items {IDS[0]!r}, {IDS[1]!r}: rate every item, from 0 (not in place) to 4 (embedded)" in str(err)


@pytest.mark.parametrize("value", [5, -1, 2.5, "3", True, None, "high"])
def test_out_of_scale_or_non_integer_rating_is_refused(tmp_path, value):
    err = _problems(_write(tmp_path, {**dict.fromkeys(IDS, 2), "ec_use_of_data": value}))
    assert (
        f"item 'ec_use_of_data' = {value!r} is not allowed: expected a whole number from 0 to 4: "
        "0 (not in place), 1 (beginning), 2 (developing), 3 (established), 4 (embedded)"
    ) in str(err)


def test_every_problem_is_reported_at_once_with_the_file_name(tmp_path):
    ratings = dict.fromkeys(IDS[1:], 2)
    ratings.update({"cp_strengths_based": 7, "made_up": 1})
    path = _write(tmp_path, ratings, colour="blue")
    err = _problems(path)
    assert str(err).startswith(f"parameter 'answers_path': answers file {str(path)!r} cannot be used (4 problems):")
    assert len(err.problems) == 4
    assert "unknown key 'colour': expected one of service" in str(err)


def test_a_rating_given_twice_is_refused(tmp_path):
    path = _write(tmp_path)
    text = path.read_text(encoding="utf-8").replace(
        "  ec_use_of_data: 2\n", "  ec_use_of_data: 2\n  cp_child_focus: 4\n"
    )
    path.write_text(text, encoding="utf-8")
    err = _problems(path)
    assert "'cp_child_focus' is given twice (lines" in str(err)


@pytest.mark.parametrize(
    "content, message",
    [
        ("ratings: [1, 2\n", "is not valid YAML"),
        ("- 1\n- 2\n", "must hold a mapping with keys service, example, ratings, not list"),
        ("", "must hold a mapping with keys service, example, ratings, not nothing"),
        ("service: X\nratings: 3\n", "ratings = 3 is not allowed: expected a mapping of item id: rating"),
        ("ratings: {}\n", "service = None is not allowed: expected the service's name as text"),
    ],
)
def test_malformed_answers_files_are_refused(tmp_path, content, message):
    path = tmp_path / "answers.yaml"
    path.write_text(content, encoding="utf-8")
    assert message in str(_problems(path))


def test_example_flag_must_be_true_or_false(tmp_path):
    assert "example = 'yes please' is not allowed: expected true or false" in str(
        _problems(_write(tmp_path, example="yes please"))
    )


# ---------------------------------------------------------------- the answers_path parameter
def test_default_answers_path_is_found_from_any_folder_and_stays_repository_relative(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    values = audit.PARAMETERS.validate()
    assert values["answers_path"] == audit.EXAMPLE_ANSWERS == audit.PARAMETERS.defaults()["answers_path"]
    assert audit.answers_file(values["answers_path"]) == ROOT / audit.EXAMPLE_ANSWERS


def test_own_answers_path_is_resolved_and_bad_paths_are_refused(tmp_path, monkeypatch):
    own = _write(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert audit.PARAMETERS.validate(answers_path="answers.yaml")["answers_path"] == str(own.resolve())
    with pytest.raises(ParameterError, match=r"parameter 'answers_path' = 'nope.yaml' is not allowed \(no such file\)"):
        audit.PARAMETERS.validate(answers_path="nope.yaml")
    with pytest.raises(ParameterError, match=r"parameter 'answers_path' = '' is not allowed \(a file is required\)"):
        audit.PARAMETERS.validate(answers_path="")
    # The default's relative path naming a different file in the current folder is that file.
    local = tmp_path / audit.EXAMPLE_ANSWERS
    local.parent.mkdir(parents=True)
    local.write_text(own.read_text())
    assert audit.PARAMETERS.validate()["answers_path"] == str(local.resolve())


def test_check_inputs_refuses_bad_answers_before_a_run(tmp_path):
    audit.check_inputs(audit.PARAMETERS.defaults())
    bad = _write(tmp_path, dict.fromkeys(IDS, 9))
    with pytest.raises(audit.AnswersError, match="item 'cp_child_focus' = 9 is not allowed"):
        audit.check_inputs({"answers_path": str(bad)})


def test_compendium_run_refuses_bad_answers_without_starting_a_kernel(tmp_path):
    bad = _write(tmp_path, dict.fromkeys(IDS, 9))
    runs = tmp_path / "runs"
    res = subprocess.run(
        [COMPENDIUM, "run", "innovation_self_audit", "-p", "answers_path", str(bad)],
        capture_output=True,
        text=True,
        env={**os.environ, "COMPENDIUM_RUNS": str(runs)},
        timeout=120,
    )
    assert res.returncode == 2
    assert res.stderr.startswith("compendium: error: parameter 'answers_path': answers file")
    assert "item 'ec_use_of_data' = 9 is not allowed" in res.stderr
    assert not runs.exists()


# ---------------------------------------------------------------- the analysis
def test_the_registrys_counts_of_the_lists_check_the_items_and_are_not_called_reproduced():
    """The registry's counts of the lists are the compendium's (graded inferred): the run checks the items file
    against them, records them as inputs, and records no reproduction of a published figure."""
    result = audit.run(audit.PARAMETERS.defaults())
    assert result.checks == []
    roles = {u.figure_id: u.role for u in result.figures_used}
    assert roles == {
        "innovation_projects": "quoted",
        "innovation_core_principles": "input",
        "innovation_key_ingredients": "input",
        "innovation_common_features": "input",
    }
    assert all(figure(f).evidence == "inferred" for f in roles if f != "innovation_projects")
    assert result["n_core_principles"] == published("innovation_core_principles")
    table = audit.lists_table(result)
    assert "count in the registry (inferred)" in table.columns
    assert not any("reproduc" in str(c) or "published" in str(c) for c in table.columns)
    assert list(table["count in the registry (inferred)"]) == ["6", "4", "5", "none held"]


def test_an_audit_that_lost_an_item_stops_on_the_registrys_count(monkeypatch, tmp_path):
    themes, items = audit._audit()
    kept = tuple(i for i in items if i.id != "cp_strengths_based")
    from helpers.analyses.innovation_self_audit import analysis

    monkeypatch.setattr(analysis, "_audit", lambda: (themes, kept))  # where run() reads it
    path = _write(tmp_path, {i.id: 2 for i in kept})
    with pytest.raises(
        AuditDefinitionError,
        match="theme 'core_principles' has 5 items, but the registry counts 6 in the report's list",
    ):
        audit.run({"answers_path": str(path)})


def test_the_parts_of_the_reports_lists_are_counted_and_the_pages_split_is_stated():
    """The enabling conditions are one sentence of three parts (its semicolons); the page makes four items of it,
    splitting the last part at its 'and', and says so. The other lists have one item per part."""
    r = audit.run(audit.PARAMETERS.defaults())
    parts = {t.id: r[f"n_{t.id}_parts"] for t in THEMES}
    assert parts == {"core_principles": 6, "key_ingredients": 4, "common_features": 5, "enabling_conditions": 3}
    assert r["n_enabling_conditions"] == 4
    last = (
        "alignment of processes such as IT and recording systems and good use of data for planning and performance "
        "monitoring"
    )
    assert report_parts(THEMES[3], ITEMS)[-1] == last
    assert (
        "in enabling conditions the page makes 2 items of one part, “alignment of processes such as IT and recording "
        "systems” and “good use of data for planning and performance monitoring”" in r["lists_split_text"]
    )
    assert "the page's choice, not the report's" in r["lists_split_text"]
    assert list(audit.lists_table(r)["parts in the report's text"]) == [6, 4, 5, 3]
    # An items file that follows the punctuation everywhere states no split.
    merged = tuple(i for i in ITEMS if i.id != "ec_use_of_data")
    assert split_text(THEMES, merged).endswith("as its punctuation separates them.")


def test_the_counts_of_items_and_themes_are_marked_as_the_pages_choice():
    for name in ("n_items", "n_themes", "n_enabling_conditions", "n_core_principles"):
        assert kinds.resolve(STEM, name) is Kind.ASSUMPTION, name
    assert kinds.resolve(STEM, "n_enabling_conditions_parts") is Kind.COMPUTED


def test_item_labels_are_not_cut_short():
    """A label that ends on a word its wording goes on from ("work", not "work with families") is cut short."""
    assert next(i for i in ITEMS if i.id == "ki_confidence_skills_tools").label == (
        "Confidence, skills and tools to assess and work with families"
    )
    for item in ITEMS:
        last = item.label.split()[-1].lower()
        assert last not in {"and", "to", "with", "of", "work", "the", "a"}, item.label


def test_scores_and_priorities_worked_by_hand(tmp_path):
    # core principles 4,4,4,4,4,4 (mean 4); key ingredients 0,1,2,3 (1.5); common features 1,1,1,3,3 (1.8);
    # enabling conditions 2,2,1,1 (1.5). Overall: (24 + 6 + 9 + 6) / 19 = 45/19.
    values = [4] * 6 + [0, 1, 2, 3] + [1, 1, 1, 3, 3] + [2, 2, 1, 1]
    path = _write(tmp_path, dict(zip(IDS, values, strict=True)), service="Hand-worked service", example=False)
    r = audit.run({"answers_path": str(path), "n_priorities": 3})
    s = r.scalars
    assert s["overall_mean_rating"] == pytest.approx(45 / 19)
    assert s["overall_score"] == pytest.approx(45 / 19 / 4)
    assert s["overall_share_established"] == pytest.approx(9 / 19)
    assert s["score_core_principles"] == 1.0
    assert s["score_key_ingredients"] == pytest.approx(1.5 / 4)
    assert s["score_common_features"] == pytest.approx(1.8 / 4)
    assert s["score_enabling_conditions"] == pytest.approx(1.5 / 4)
    assert s["strongest_theme"] == "core principles" and s["strongest_theme_score"] == 1.0
    assert s["weakest_theme"] == "key ingredients of good practice and enabling conditions"  # tied
    assert s["n_items_not_in_place"] == 1 and s["n_items_embedded"] == 6
    # Priorities: the 0 first; then the rating-1 items, the weaker theme first (key ingredients and
    # enabling conditions tie at 1.5, so the report's order), then common features (1.8).
    # Asked for 3: the first three of that order; four more are rated 1, like the third.
    assert list(r.tables["priorities"]["id"]) == [
        "ki_shared_understanding",
        "ki_confidence_skills_tools",
        "ec_aligned_systems",
    ]
    assert s["n_priorities"] == s["n_priority_items"] == 3 and s["n_tied_with_last_priority"] == 4
    assert s["ties_note"] == "4 more items are rated beginning, as the last one listed is, and would come next."
    r7 = audit.run({"answers_path": str(path), "n_priorities": 7})
    assert list(r7.tables["priorities"]["id"]) == [
        "ki_shared_understanding",
        "ki_confidence_skills_tools",
        "ec_aligned_systems",
        "ec_use_of_data",
        "cf_multidisciplinary_teams",
        "cf_non_social_work_staff",
        "cf_supervision_support",
    ]
    assert r7["ties_note"] == "No item left off the list is rated as low as the last one on it."
    assert audit.run({"answers_path": str(path), "n_priorities": 6})["ties_note"].startswith(
        "1 more item is rated beginning"
    )
    assert (
        s["first_priority"] == "a shared understanding of good practice" and s["first_priority_level"] == "not in place"
    )
    assert s["answers_are_example"] is False
    assert (
        s["answers_note"]
        == "The ratings shown are those given for Hand-worked service in the answers file answers.yaml."
    )
    assert str(path.resolve()) in r.inputs


def test_labels_keep_acronyms_in_prose():
    assert audit._lower_first("Aligned IT and recording systems") == "aligned IT and recording systems"
    assert audit._lower_first("IT systems") == "IT systems"
    assert audit._lower_first("A shared understanding") == "a shared understanding"


def test_default_results_and_figures():
    r = audit.run(audit.PARAMETERS.defaults())
    assert r["answers_are_example"] is True and "invented example" in r["answers_note"]
    assert r["n_items"] == len(IDS) == sum(r[f"n_{t.id}"] for t in THEMES)
    assert 0 <= r["overall_score"] <= 1
    assert list(r.tables["priorities"]["rating"]) == sorted(r.tables["priorities"]["rating"])
    assert len(audit.priorities_table(r)) == r["n_priority_items"] == r["n_priorities"]
    assert len(audit.items_table(r)) == len(IDS) and len(audit.themes_table(r)) == len(THEMES)
    assert list(audit.lists_table(r)["items in the audit"]) == [r[f"n_{t.id}"] for t in THEMES]
    for plot in (audit.plot_heatmap, audit.plot_theme_scores):
        fig = plot(r)
        assert fig.axes and fig.axes[0].get_xlabel()
        plt.close(fig)


# ---------------------------------------------------------------- what the weakest theme depends on


def test_equal_spacing_is_the_page_score_and_the_example_flips_only_at_three():
    r = audit.run({})
    table, themes = r.tables["items"], r.tables["themes"]
    scores = audit.spacing_scores(table, 1.0).iloc[0]
    for theme, score in zip(themes["theme"], themes["score"], strict=True):
        assert scores[theme] == pytest.approx(score)
    # By hand at spacing 3: enabling conditions (2, 3, 0, 1) and common features (1, 2, 3, 1, 2) tie:
    # (8 + 27 + 0 + 1) / 64 / 4 = (1 + 8 + 27 + 1 + 8) / 64 / 5 = 0.140625.
    at3 = audit.spacing_scores(table, 3.0).iloc[0]
    assert at3["enabling_conditions"] == pytest.approx(0.140625) == at3["common_features"]
    s = r.scalars
    assert s["weakest_theme_flip_spacing"] == pytest.approx(3.0, abs=0.01)
    assert s["weakest_theme_holds"] is True  # inside 1/2 to 2
    model = audit.weakest_gap_model(table, "enabling_conditions")
    gaps = model({"scale_spacing": np.array([0.5, 1.0, 2.0, 4.0])})
    assert (gaps[:3] > 0).all() and gaps[3] < 0
    # The other score the page shows, the share established or embedded, names another weakest theme.
    assert s["weakest_theme_same_by_established"] is False
    assert "common features of successful projects" in s["scoring_dependence_text"]
    # The first priority is the only item rated "not in place": no monotone rescoring moves it.
    assert s["first_priority_stable"] is True and s["n_items_not_in_place"] == 1


def test_the_audit_numbers_are_marked_as_an_illustration_except_the_report_counts():
    s = audit.run({}).scalars
    assert audit.KINDS["n_projects"] is Kind.PUBLISHED and s["n_projects"] == published("innovation_projects")
    for name in ("weakest_theme_score", "overall_score", "weakest_theme_flip_spacing"):
        assert audit.KINDS[name] is Kind.ASSUMPTION
    # The parts of the report's lists are counted from its text (computed); the items the page makes of them are
    # its construction (A), checked against the registry's own counts (graded "inferred").
    for theme in ("core_principles", "key_ingredients", "common_features"):
        assert audit.KINDS[f"n_{theme}_parts"] is Kind.COMPUTED
        assert audit.KINDS[f"n_{theme}"] is Kind.ASSUMPTION
        assert figure(f"innovation_{theme}").evidence == "inferred"
        assert math.isclose(s[f"n_{theme}"], published(f"innovation_{theme}"))


# ---------------------------------------------------------------- the page follows whose answers it runs on

STEM = "innovation_self_audit"


@pytest.fixture(scope="module")
def own(tmp_path_factory):
    path = _write(tmp_path_factory.mktemp("own"), {i: k % 5 for k, i in enumerate(IDS)}, service="Northtown CSC")
    return audit.run({"answers_path": str(path)})


def test_the_brief_on_the_invented_example_states_no_score():
    r = audit.run({})
    b = audit.brief(r.scalars, r.params)
    text = b.text()
    assert "invented example" in text and "not a finding" in text
    # no rating, score or priority of the example reaches the summary: only the report's figures and the audit's
    # counts of items and themes (the page's construction, marked A)
    counts = f"{r['n_items']} [A] items in {r['n_themes']} [A] themes"
    assert counts in text
    assert not re.findall(r"\[(A|D)\]", text.replace(counts, "")), text
    assert "not seen" in text and "appendix" in text  # the report's own tool was not seen: this is not it
    assert "%" not in text and b.words() <= 150


def test_the_brief_on_a_services_own_answers_states_its_scores_as_its_records(own):
    s = own.scalars
    assert s["own_records"] is True and s["answers_are_example"] is False
    b = audit.brief(s, own.params)
    text = b.text()
    assert not re.search(r"invented|example", text, re.I), text
    assert f"For Northtown CSC, ratings reach {s['overall_score']:.0%} [D]" in text
    assert f"({s['weakest_theme_score']:.0%} [D])" in text and s["first_priority"] in text
    assert kinds.resolve(STEM, "overall_score", own_records=True) is Kind.RECORDS
    assert kinds.resolve(STEM, "overall_score") is Kind.ASSUMPTION  # the invented example's: an illustration
    assert b.words() <= 150
    assert "Northtown CSC" in s["answers_note"] and "invented" not in s["answers_note"] + s["ratings_caption"]


def test_a_file_that_calls_itself_an_example_is_read_as_one(tmp_path):
    path = _write(tmp_path, example=True, service="Training copy")
    s = audit.run({"answers_path": str(path)}).scalars
    assert s["own_records"] is False and "marks its ratings as an invented example" in s["answers_note"]
    assert "marked in its file as an invented example" in s["ratings_owner_text"]


def _cells():
    return json.loads((NOTEBOOKS / f"{STEM}.ipynb").read_text(encoding="utf-8"))["cells"]


def test_without_its_example_only_cells_the_page_is_true_of_a_services_own_answers(own):
    """A run on the user's answers leaves out the cells tagged synthetic-only (the example's banner and notes):
    what remains glues only what that run computes and calls nothing an example."""
    kept = [c for c in _cells() if "synthetic-only" not in c["metadata"].get("tags", [])]
    assert len(kept) < len(_cells())
    for cell in kept:
        text = "".join(cell["source"]) + json.dumps(cell["metadata"].get("mystnb", {}))
        keys = {m.split(":")[0] for m in re.findall(r"\{glue:text\}`([^`]+)`", text)}
        assert keys <= set(own.scalars), keys - set(own.scalars)
        if cell["cell_type"] == "markdown" and "## Parameters" not in text:
            assert not re.search(r"invented|\bexample\b", text, re.I), text[:200]


def test_the_card_links_a_target_on_the_page():
    anchors = re.findall(r"\(#([a-z0-9-]+)\)", audit.CARD.adds)
    text = "".join("".join(c["source"]) for c in _cells() if c["cell_type"] == "markdown")
    assert anchors and all(f"({a})=" in text for a in anchors)


def test_the_landing_paragraph_says_the_audit_is_not_the_reports_tool():
    r = audit.run({})
    text = audit.landing(r.scalars)
    assert "the report's own tool was not seen" in text and "summary's lists" in text
    assert "turns its recommendations" not in text
