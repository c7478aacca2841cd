"""The reader of DfE's explore-education-statistics CSV files (helpers.inputs.dfe)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from helpers.inputs.dfe import (
    BLANK,
    REPORTED,
    STATUSES,
    SYMBOLS,
    DfeFileError,
    at_level,
    indicator_columns,
    read_ees,
    status_counts,
    symbol_reason,
)
from helpers.inputs.records import RecordsError
from shared_files import dfe_dir as require_dfe_dir

HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
    "old_la_code,la_name,new_la_code,group,number,rate"
)
ROWS = [
    "2024,Reporting year,National,E92000001,England,,,,,,All,83300,26.6",
    "2024,Reporting year,Regional,E92000001,England,E12000001,North East,,,,All,6110,25.4",
    "2024,Reporting year,Local authority,E92000001,England,E12000001,North East,841,Darlington,E06000005,All,231,30",
]


def write(tmp_path, lines, name="data.csv", bom=False, encoding="utf-8"):
    path = tmp_path / name
    text = "\n".join(lines) + "\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))
    return path


def one_value(tmp_path, value, column="number"):
    """A file whose Local authority row has ``value`` in ``column``."""
    cells = ROWS[2].split(",")
    cells[HEADER.split(",").index(column)] = value
    return read_ees(write(tmp_path, [HEADER, ROWS[0], ROWS[1], ",".join(cells)]))


# ------------------------------------------------------------------ typed columns
def test_types_time_geography_filters_and_indicators(tmp_path):
    df = read_ees(write(tmp_path, [HEADER, *ROWS]))
    assert df["time_period"].dtype == np.int64 and df["time_period"].tolist() == [2024] * 3
    assert str(df["number"].dtype) == "Int64" and df["number"].tolist() == [83300, 6110, 231]
    assert df["rate"].dtype == np.float64 and df["rate"].tolist() == [26.6, 25.4, 30.0]
    assert df["old_la_code"].iloc[2] == "841" and pd.isna(df["old_la_code"].iloc[0])  # codes stay text
    assert df["group"].dtype == "string"  # a filter: text
    assert indicator_columns(df) == ["number", "rate"]
    assert (df["number_status"] == REPORTED).all() and list(df["number_status"].cat.categories) == list(STATUSES)


def test_leading_zeros_in_codes_are_kept(tmp_path):
    df = one_value(tmp_path, "007", column="old_la_code")
    assert df["old_la_code"].iloc[2] == "007"


# ------------------------------------------------------------------ symbols
#: Every symbol read, with its reason (bare, in GSS square brackets, in capitals, padded, empty).
SYMBOL_CASES = [
    ("c", "confidential"),
    ("z", "not applicable"),
    ("x", "not available"),
    (":", "not available"),
    ("low", "rounds to zero"),
    ("~", "rounds to zero"),
    ("k", "rounds to zero"),
    ("u", "low reliability"),
    ("[c]", "confidential"),
    ("[z]", "not applicable"),
    ("[x]", "not available"),
    ("[low]", "rounds to zero"),
    ("[u]", "low reliability"),
    ("[k]", "rounds to zero"),
    ("C", "confidential"),
    (" x ", "not available"),
    ("", BLANK),
]


@pytest.mark.parametrize("symbol, reason", SYMBOL_CASES)
def test_each_symbol_becomes_missing_with_its_reason(tmp_path, symbol, reason):
    df = one_value(tmp_path, symbol)
    assert pd.isna(df["number"].iloc[2])
    assert df["number_status"].iloc[2] == reason
    assert df["number"].iloc[:2].tolist() == [83300, 6110]  # the other rows are untouched
    assert (df["number_status"].iloc[:2] == REPORTED).all()


def test_every_documented_symbol_is_tested():
    tested = {symbol for symbol, _reason in SYMBOL_CASES}
    untested = [s for s in SYMBOLS if s not in tested]
    assert not untested, f"symbols in dfe.SYMBOLS without a case in SYMBOL_CASES: {untested}"
    bracketed = {symbol[1:-1] for symbol in tested if symbol.startswith("[")}
    assert bracketed >= {s for s in SYMBOLS if s.isalpha()}, "each letter symbol is also tested in [brackets]"
    for symbol, reason in SYMBOL_CASES:  # the cases expect the reason the module documents
        assert reason == BLANK or symbol_reason(symbol) == reason
    assert symbol_reason("12") is None and symbol_reason("n/a") is None


def test_status_counts_by_reason(tmp_path):
    df = read_ees(
        write(
            tmp_path,
            [HEADER, ROWS[0].replace("83300", "c"), ROWS[1].replace("6110", "x"), ROWS[2].replace(",30", ",u")],
        )
    )
    counts = status_counts(df)
    assert counts.loc["number", "confidential"] == 1 and counts.loc["number", "not available"] == 1
    assert counts.loc["rate", "low reliability"] == 1 and counts.to_numpy().sum() == 3


def test_an_unknown_symbol_in_a_declared_indicator_is_reported_with_its_line(tmp_path):
    path = write(tmp_path, [HEADER, *ROWS[:2], ROWS[2].replace(",231,", ",n/a,")])
    with pytest.raises(DfeFileError) as err:
        read_ees(path, indicators=["number"])
    message = str(err.value)
    assert str(path) in message and "column 'number'" in message and "file line(s) 4" in message
    assert "'n/a'" in message and "one of c, z, x" in message


def test_a_column_mixing_numbers_and_text_is_a_filter_unless_declared(tmp_path):
    df = read_ees(write(tmp_path, [HEADER, *ROWS[:2], ROWS[2].replace(",231,", ",n/a,")]))
    assert "number" not in indicator_columns(df) and df["number"].dtype == "string"


# ------------------------------------------------------------------ geography levels
def test_geography_levels(tmp_path):
    df = read_ees(write(tmp_path, [HEADER, *ROWS]))
    assert df["geographic_level"].cat.ordered
    assert list(df["geographic_level"]) == ["National", "Regional", "Local authority"]
    assert df["geographic_level"].cat.codes.tolist() == [0, 1, 2]  # ordered from the widest
    assert df["geographic_level"].min() == "National" and df["geographic_level"].max() == "Local authority"
    assert at_level(df, "National")["number"].tolist() == [83300]
    assert at_level(df, "Regional")["region_name"].tolist() == ["North East"]
    assert at_level(df, "Local authority")["la_name"].tolist() == ["Darlington"]
    with pytest.raises(ValueError, match="geographic level 'County' is not one of National, Regional"):
        at_level(df, "County")


def test_an_unknown_level_is_reported_with_its_line(tmp_path):
    path = write(tmp_path, [HEADER, *ROWS[:2], ROWS[2].replace("Local authority", "County")])
    with pytest.raises(
        DfeFileError,
        match=r"geographic_level': value is not a geographic level at file line\(s\) 4 \(value\(s\) 'County'\)",
    ):
        read_ees(path)


def test_rows_of_a_level_need_that_levels_columns(tmp_path):
    header = "time_period,time_identifier,geographic_level,country_code,country_name,number"
    path = write(
        tmp_path,
        [
            header,
            "2024,Reporting year,National,E92000001,England,5",
            "2024,Reporting year,Regional,E92000001,England,3",
        ],
    )
    with pytest.raises(DfeFileError) as err:
        read_ees(path)
    assert "rows at level 'Regional' need column(s) 'region_code', 'region_name'" in str(err.value)


# ------------------------------------------------------------------ other layouts
def test_a_file_of_another_layout_names_the_file_and_the_missing_columns(tmp_path):
    path = write(tmp_path, ["child_id,age,placements", "1,12,3", "2,9,1"], name="my_records.csv")
    with pytest.raises(DfeFileError) as err:
        read_ees(path)
    message = str(err.value)
    assert message.startswith(f"DfE file {str(path)!r} cannot be read as explore-education-statistics data")
    assert (
        "missing column(s) 'time_period', 'time_identifier', 'geographic_level', 'country_code', 'country_name'"
    ) in message
    assert "the file's columns are child_id, age, placements" in message
    assert isinstance(err.value, RecordsError)  # so `compendium run` reports it in one line


def test_columns_the_caller_requires(tmp_path):
    path = write(tmp_path, [HEADER, *ROWS])
    with pytest.raises(DfeFileError, match="missing column\\(s\\) 'sw_stability' needed here"):
        read_ees(path, require=["number", "sw_stability"])


def test_a_bad_time_period(tmp_path):
    path = write(tmp_path, [HEADER, ROWS[0].replace("2024,", "2024/25,", 1), *ROWS[1:]])
    with pytest.raises(
        DfeFileError, match="four- or six-digit period at file line\\(s\\) 2 \\(value\\(s\\) '2024/25'\\)"
    ):
        read_ees(path)


@pytest.mark.parametrize(
    "content, fragment",
    [
        (b"", "not a readable CSV file"),
        ((HEADER + "\n").encode(), "no data rows"),
        ("time_period\n\u00e9".encode("latin-1"), "not UTF-8 text (byte 0xe9 on file line 2)"),
        (b"time_period\n2024\x00\n", "a NUL byte (0x00) on file line 2"),
    ],
)
def test_empty_or_unreadable_files(tmp_path, content, fragment):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(DfeFileError, match=re.escape(fragment)):
        read_ees(path)


def test_a_missing_file(tmp_path):
    with pytest.raises(DfeFileError, match="no such file"):
        read_ees(tmp_path / "nope.csv")


# ------------------------------------------------------------------ byte-order mark
def test_a_byte_order_mark_is_ignored(tmp_path):
    with_bom = read_ees(write(tmp_path, [HEADER, *ROWS], name="bom.csv", bom=True))
    without = read_ees(write(tmp_path, [HEADER, *ROWS], name="plain.csv"))
    assert with_bom.columns[0] == "time_period"
    pd.testing.assert_frame_equal(with_bom, without)


# ------------------------------------------------------------------ the real files
@pytest.mark.parametrize(
    "name",
    [
        "la_cla_swcount.csv",
        "csww_indicators_2017_to_2025.csv",
        "cla_number_and_rate_per_10k_children.csv",
        "b1_children_in_need_2013_to_2025.csv",
    ],
)
def test_reads_the_real_files(name):
    folder = require_dfe_dir()
    path = folder / name
    if not path.is_file():
        pytest.skip(f"{path} not found")
    df = read_ees(path)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert len(df) == len(raw)
    assert set(df["geographic_level"].astype(str)) == {"National", "Regional", "Local authority"}
    for column in indicator_columns(df):
        # every symbol in the raw file is missing in the typed one, with its reason; every number is kept
        symbols = raw[column].map(symbol_reason)
        assert (df[f"{column}_status"].astype(str)[symbols.notna()] == symbols.dropna()).all()
        numbers = pd.to_numeric(raw[column], errors="coerce")
        np.testing.assert_allclose(df[column].astype("float64")[numbers.notna()], numbers.dropna())


def test_real_file_values():
    folder = require_dfe_dir()
    sw = read_ees(folder / "la_cla_swcount.csv")  # this file starts with a byte-order mark
    nat = at_level(sw, "National").set_index("sw_stability")["number"]
    assert nat["Total children"] == 83300 and nat["3 or more social workers during the year"] == 22140
    barnet = at_level(sw, "Local authority").loc[lambda d: d["la_name"] == "Barnet"]
    assert barnet["number"].isna().all() and (barnet["number_status"] == "not available").all()
    wf = read_ees(folder / "csww_indicators_2017_to_2025.csv")
    england = at_level(wf, "National").set_index("time_period")
    assert england.loc[2025, "caseload_fte"] == 15.2 and england.loc[2017, "inpost_fte"] == 28482.6
    assert sorted(england.index) == list(range(2017, 2026))


def test_offending_lines_are_listed_as_the_records_reader_lists_them(tmp_path):
    from helpers.inputs.records import MAX_ROWS_SHOWN

    bad = [ROWS[0].replace("2024,", "2024/25,", 1)] * (MAX_ROWS_SHOWN + 2)
    with pytest.raises(DfeFileError) as err:
        read_ees(write(tmp_path, [HEADER, *bad]))
    shown = ", ".join(str(line) for line in range(2, 2 + MAX_ROWS_SHOWN))
    assert f"file line(s) {shown} and 2 more (value(s) '2024/25')" in str(err.value)
