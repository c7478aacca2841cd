"""The shared records validator: every kind of bad file gets a clear error naming the column and rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest

from helpers.inputs import records
from helpers.inputs.records import RecordsError, file_lines, read_records

SCHEMA = pa.DataFrameSchema(
    {
        "case_id": pa.Column(str, pa.Check.str_length(min_value=1), unique=True),
        "visits": pa.Column(int, pa.Check.ge(0, error="is negative (must be 0 or more)"), coerce=True),
        "months_open": pa.Column(float, pa.Check.gt(0, error="is not positive (must be more than 0)"), coerce=True),
        "route": pa.Column(str, pa.Check.isin(["frontline", "other"])),
        "n_workers": pa.Column("Int64", pa.Check.ge(1), required=False, nullable=True, coerce=True),
    },
    strict=True,
)
HEADER = "case_id,visits,months_open,route"


def _file(tmp_path, text):
    path = tmp_path / "records.csv"
    path.write_text(text)
    return path


def _problems(tmp_path, text):
    with pytest.raises(RecordsError) as err:
        read_records(_file(tmp_path, text), SCHEMA)
    assert str(tmp_path / "records.csv") in str(err.value).splitlines()[0]
    return err.value.problems


def test_a_good_file_is_returned_whole_and_typed(tmp_path):
    df = read_records(_file(tmp_path, f"{HEADER},n_workers\na,1,3,frontline,\nb,2,4.5,other,2\n"), SCHEMA)
    assert len(df) == 2
    assert str(df["visits"].dtype) == "int64" and str(df["months_open"].dtype) == "float64"
    assert df["n_workers"].isna().tolist() == [True, False]


@pytest.mark.parametrize(
    "body, expected",
    [
        ("case_id,visits,route\na,1,frontline\n", "missing column(s) 'months_open'"),
        (f"{HEADER},notes\na,1,3,frontline,x\n", "unexpected column(s) 'notes'"),
        (
            f"{HEADER}\na,x,3,frontline\n",
            "column 'visits': value is not a whole number at file line(s) 2 (value(s) 'x')",
        ),
        (f"{HEADER}\na,1.5,3,frontline\n", "column 'visits': value is not a whole number at file line(s) 2"),
        (f"{HEADER}\na,,3,frontline\n", "column 'visits': value is empty at file line(s) 2"),
        (
            f"{HEADER}\na,1,3,frontline\nb,-2,3,other\n",
            "column 'visits': value is negative (must be 0 or more) at file line(s) 3 (value(s) -2)",
        ),
        (
            f"{HEADER}\na,1,0,frontline\n",
            "column 'months_open': value is not positive (must be more than 0) at file line(s) 2",
        ),
        (
            f"{HEADER}\na,1,3,teach-first\n",
            "column 'route': value is not one of ['frontline', 'other'] at file line(s) 2 (value(s) 'teach-first')",
        ),
        (
            f"{HEADER}\na,1,3,frontline\na,2,3,other\n",
            "column 'case_id': value is duplicated (must be unique) at file line(s) 2, 3",
        ),
        (
            f"{HEADER},n_workers\na,1,3,frontline,0\n",
            "column 'n_workers': value is less than 1 (must be 1 or more) at file line(s) 2",
        ),
        (f"{HEADER}\n", "the file has no data rows"),
    ],
)
def test_each_kind_of_bad_file(tmp_path, body, expected):
    problems = _problems(tmp_path, body)
    assert any(expected in p for p in problems), problems


def test_all_problems_are_reported_together_and_rows_are_listed(tmp_path):
    body = HEADER + "\n" + "".join(f"c{i},-1,3,frontline\n" for i in range(8)) + "d,x,0,oth\n"
    problems = _problems(tmp_path, body)
    joined = "\n".join(problems)
    assert "value is negative (must be 0 or more) at file line(s) 2, 3, 4, 5, 6 and 3 more" in joined
    assert "'visits': value is not a whole number at file line(s) 10" in joined
    assert "'months_open'" in joined and "'route'" in joined


def test_missing_file(tmp_path):
    with pytest.raises(RecordsError, match="no such file"):
        read_records(tmp_path / "absent.csv", SCHEMA)


def test_file_lines_counts_the_header_and_shortens_long_lists():
    assert file_lines([0, 3]) == "2, 5"
    assert file_lines(pd.Index(range(7))) == "2, 3, 4, 5, 6 and 2 more"
    assert file_lines(np.arange(5)) == "2, 3, 4, 5, 6"


def test_line_numbers_count_blank_lines_and_quoted_line_breaks(tmp_path):
    from helpers.analyses import frontline_visits as fv

    path = tmp_path / "r.csv"
    path.write_text(
        "case_id,worker_id,training_route,months_open,visits\nf0,fw0,frontline,6,3\n\n"
        'f1,fw1,frontline,6,-3\n"f2\nx",fw1,frontline,6,3\nf3,fw1,frontline,6,-4\n'
    )
    with pytest.raises(RecordsError, match=r"at file line\(s\) 4, 7 \(value\(s\) -3, -4\)"):
        fv.load_records(path)


def test_a_group_size_shown_must_not_be_a_small_count():
    from helpers.inputs.records import RecordsError, require_shown_sizes

    ok = {"a": 5, "b": 0}  # at the threshold, or absent (the analysis decides about an absent group)
    require_shown_sizes(ok, column="arm", group="arm", unit="case", min_cell_count=5, source="f.csv")
    with pytest.raises(RecordsError) as err:
        require_shown_sizes({"a": 4, "b": 9}, column="arm", group="arm", unit="case", min_cell_count=5, source="f.csv")
    assert "column 'arm': arm a has 4 case(s)" in str(err.value) and "min_cell_count = 5 cases" in str(err.value)


# ------------------------------------------------------------------ categories as exported
CATEGORICAL = pa.DataFrameSchema(
    {
        "case_id": pa.Column(str),
        "route": records.categorical(("frontline", "other")),
        "link": records.categorical(records.YES_NO),
        "flag": records.categorical(records.ONE_ZERO, int, error="is not 0 or 1"),
    },
    strict=True,
)


def test_categories_are_read_as_exported_and_what_was_read_is_noted(tmp_path):
    body = "case_id,route,link,flag\na,Frontline,Yes,yes\nb, OTHER ,TRUE,1\nc,frontline,n,FALSE\nd,Frontline,0,0\n"
    frame, notes = records.read_records_noting(_file(tmp_path, body), CATEGORICAL)
    assert frame["route"].tolist() == ["frontline", "other", "frontline", "frontline"]
    assert frame["link"].tolist() == ["yes", "yes", "no", "no"]
    assert frame["flag"].tolist() == [1, 1, 0, 0] and str(frame["flag"].dtype) == "int64"
    assert notes == [
        "column 'route': 'Frontline' read as 'frontline' (2 rows), 'OTHER' read as 'other' (1 row)",
        "column 'link': 'Yes' read as 'yes' (1 row), 'TRUE' read as 'yes' (1 row), 'n' read as 'no' (1 row), "
        "'0' read as 'no' (1 row)",
        "column 'flag': 'yes' read as '1' (1 row), 'FALSE' read as '0' (1 row)",
    ]
    assert records.read_records_noting(_file(tmp_path, "case_id,route,link,flag\na,other,no,1\n"), CATEGORICAL)[1] == []


def test_a_value_that_is_no_spelling_of_a_category_is_still_refused_by_name(tmp_path):
    problems = _problems_of(tmp_path, "case_id,route,link,flag\na,Teach First,maybe,2\nb,other,Yes,x\n")
    assert (
        "column 'route': value is not one of ['frontline', 'other'] at file line(s) 2 (value(s) 'Teach First')"
        in problems
    )
    assert "column 'link': value is not one of ['yes', 'no'] at file line(s) 2 (value(s) 'maybe')" in problems
    assert "column 'flag': value is not 0 or 1 at file line(s) 2 (value(s) 2)" in problems
    assert "column 'flag': value is not a whole number at file line(s) 3 (value(s) 'x')" in problems


def _problems_of(tmp_path, text):
    with pytest.raises(RecordsError) as err:
        read_records(_file(tmp_path, text), CATEGORICAL)
    return err.value.problems


def test_the_allowed_values_are_listed_for_the_user():
    rows = {r["column"]: r for r in records.describe_columns(CATEGORICAL)}
    assert rows["route"]["allowed"] == "one of frontline, other (any case, spaces around ignored)"
    assert rows["link"]["allowed"].startswith("yes or no (any case, spaces around ignored; also read: y, true")
    assert rows["flag"]["type"] == "whole number" and rows["case_id"]["type"] == "text"
    described = {r["column"]: r for r in records.describe_columns(SCHEMA)}
    assert described["visits"]["allowed"] == ">= 0" and described["n_workers"]["required"] == "optional"
    assert described["case_id"]["required"] == "required, unique"


def test_each_analysis_reads_its_own_records_as_exported_and_the_run_notes_it(tmp_path):
    """The categories of each records schema, in the spellings exports use, give the same analysis as the
    canonical spellings; ``compendium run`` and the page's banner say what was read as what."""
    from helpers.analyses import frontline_visits as fv
    from helpers.analyses import link_worker_monitoring as lw
    from helpers.engine.narrative import records_notes
    from page_scenarios import frontline_cases

    cases = frontline_cases(n_workers_per_group=6, cases_per_worker=3, seed=3)
    # (the same file name in two folders: the page names the file, not its folder)
    (tmp_path / "canonical").mkdir()
    (tmp_path / "exported").mkdir()
    canonical = tmp_path / "canonical" / "cases.csv"
    cases.to_csv(canonical, index=False)
    exported = tmp_path / "exported" / "cases.csv"
    cases.assign(training_route=cases["training_route"].map({"frontline": "Frontline", "other": " OTHER"})).to_csv(
        exported, index=False
    )
    assert fv.run({"data_path": str(exported)}).scalars == {
        **fv.run({"data_path": str(canonical)}).scalars,
        "data_source": "your own records",
    }
    assert records_notes("frontline_visits", {"data_path": str(exported)}) == {
        "data_path": [
            "column 'training_route': 'Frontline' read as 'frontline' (18 rows), 'OTHER' read as 'other' (18 rows)"
        ]
    }
    assert records_notes("frontline_visits", {"data_path": str(canonical)}) == {}
    rows = "".join(f"a{i},North,{'Yes' if i % 2 else 'TRUE'},{i % 3}\nb{i},South,N,{i % 2}\n" for i in range(8))
    link = tmp_path / "link.csv"
    link.write_text("case_id,centre,link_worker,professionals\n" + rows)
    assert lw.load_records(link, 5)["link_worker"].value_counts().to_dict() == {"yes": 8, "no": 8}


@pytest.mark.parametrize("stem", ["frontline_visits", "link_worker_monitoring", "rsw_quality_factors"])
def test_compendium_params_lists_every_column_and_each_categorys_allowed_values(stem, capsys):
    from helpers.engine import catalog
    from helpers.engine.cli import main

    assert main(["params", stem]) == 0
    out = capsys.readouterr().out
    schema = catalog.module_for(stem).RECORDS_SCHEMA
    assert "columns of the file given to data_path" in out
    for name, column in schema.columns.items():
        assert f"\n  {name} " in out
        cats = records.column_categories(column)
        if cats is not None:
            assert all(value in out.split(f"\n  {name} ")[1].splitlines()[0] for value in cats.allowed)
