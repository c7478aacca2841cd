"""The official files the full analysis reads from ``dfe_data_dir``: which they are, and the checks
that give a clear error for a missing file, another layout, missing labels, repeated rows, or more
children with three or more social workers than in total. Two files are needed; a third, DfE's
headline count of children looked after, is read when the folder holds it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.inputs import dfe
from helpers.inputs.dfe import DfeFileError, read_ees
from helpers.inputs.records import MAX_ROWS_SHOWN, file_lines
from helpers.params import ParameterError


@dataclass(frozen=True)
class DataFile:
    """One DfE file the full analysis reads from ``dfe_data_dir``."""

    key: str
    pattern: str  # file name pattern (DfE adds the years covered to some names)
    example: str  # the name as downloaded
    require: tuple[str, ...]
    indicators: tuple[str, ...]
    keys: tuple[str, ...]  # columns that together identify a row (each combination appears once)
    bounds: tuple[tuple[str, dfe.Bounds], ...] = ()  # what each indicator's numbers may be
    optional: bool = False  # read when the folder holds it; the analysis says what it adds


WORKFORCE_INDICATORS = (
    "inpost_fte",
    "leavers_fte",
    "turnover_rate_fte",
    "agency_fte",
    "agency_rate_fte",
    "case_holders_fte",
    "cases",
    "caseload_fte",
)
FILES: tuple[DataFile, ...] = (
    DataFile(
        "swcount",
        "la_cla_swcount*.csv",
        "la_cla_swcount.csv",
        ("cla_group", "sw_stability", "number"),
        ("number",),
        ("time_period", "geographic_level", "region_code", "new_la_code", "cla_group", "sw_stability"),
        (("number", dfe.COUNT),),
    ),
    DataFile(
        "workforce",
        "csww_indicators*.csv",
        "csww_indicators_2017_to_2025.csv",
        WORKFORCE_INDICATORS,
        WORKFORCE_INDICATORS,
        ("time_period", "geographic_level", "region_code", "new_la_code"),
        (
            ("inpost_fte", dfe.FTE),
            ("leavers_fte", dfe.FTE),
            ("turnover_rate_fte", dfe.PERCENT),
            ("agency_fte", dfe.FTE),
            ("agency_rate_fte", dfe.PERCENT),
            ("case_holders_fte", dfe.FTE),
            ("cases", dfe.COUNT),
            ("caseload_fte", dfe.RATIO),
        ),
    ),
    DataFile(
        "headline",
        "cla_number_and_rate_per_10k_children*.csv",
        "cla_number_and_rate_per_10k_children.csv",
        ("population_type", "children_count"),
        ("children_count",),
        ("time_period", "geographic_level", "region_code", "new_la_code", "population_type"),
        (("children_count", dfe.COUNT),),
        optional=True,
    ),
)
CLA_GROUP = "CLA on 31 March"
TOTAL_LABEL = "Total children"
THREE_PLUS_LABEL = "3 or more social workers during the year"
#: The headline file's row of children looked after on 31 March (it also counts children starting and ceasing).
HEADLINE_LABEL = "Children looked after on 31 March each year"


def find_files(folder: str | Path) -> dict[str, Path]:
    """The official files in ``folder``, by key (an optional file only if present); a :class:`ParameterError`
    naming ``dfe_data_dir``, the folder and the missing files otherwise."""
    folder = Path(folder)
    found: dict[str, Path] = {}
    problems: list[str] = []
    for spec in FILES:
        matches = sorted(p for p in folder.glob(spec.pattern) if not p.name.endswith(".meta.csv"))
        if not matches and spec.optional:
            continue
        if not matches:
            problems.append(f"no {spec.pattern} file, e.g. {spec.example}")
        elif len(matches) > 1:
            problems.append(f"several {spec.pattern} files ({', '.join(p.name for p in matches)}): keep one")
        else:
            found[spec.key] = matches[0]
    if problems:
        expected = " and ".join(spec.example for spec in FILES if not spec.optional)
        raise ParameterError(
            f"parameter 'dfe_data_dir' = {str(folder)!r} is not allowed ({'; '.join(problems)}): expected a "
            f"folder holding DfE's {expected} (explore education statistics)",
            "dfe_data_dir",
        )
    return found


def _duplicate_rows(frame: pd.DataFrame, keys: tuple[str, ...]) -> list[str]:
    """A problem line naming the key columns and the file lines of rows that repeat the same key
    (only the key columns the file has are used), or nothing."""
    keys = tuple(k for k in keys if k in frame.columns)
    repeated = frame.duplicated(list(keys), keep=False)
    if not repeated.any():
        return []
    text = frame.loc[repeated, list(keys)].astype("string").fillna("")
    groups: dict[tuple[str, ...], list[int]] = {}
    for position, key in zip(text.index, text.itertuples(index=False, name=None), strict=True):
        groups.setdefault(key, []).append(position)
    shown = [
        f"file lines {file_lines(lines)} ({', '.join(f'{k} {v!r}' for k, v in zip(keys, key, strict=True) if v)})"
        for key, lines in list(groups.items())[:MAX_ROWS_SHOWN]
    ]
    more = len(groups) - len(shown)
    return [
        f"rows repeat the same {', '.join(keys)}, which must identify one row each: "
        + "; ".join(shown)
        + (f"; and {more} more" if more > 0 else "")
    ]


def _area_name(row: pd.Series) -> str:
    for column in ("la_name", "region_name", "country_name"):
        if column in row.index and not pd.isna(row[column]):
            return str(row[column])
    return "an area with no name"


def _three_plus_above_total(swcount: pd.DataFrame, keys: tuple[str, ...]) -> list[str]:
    """A problem line for each area and year whose count of children with three or more social
    workers exceeds its total (the first few), or nothing."""
    on = [k for k in keys if k in swcount.columns and k != "sw_stability"]
    total = swcount.loc[swcount["sw_stability"] == TOTAL_LABEL, [*on, "number"]].reset_index(names="total_line")
    three = swcount.loc[swcount["sw_stability"] == THREE_PLUS_LABEL].reset_index(names="three_line")
    both = three.merge(total, on=on, suffixes=("", "_total"))
    above = both.loc[(both["number"] > both["number_total"]).fillna(False).astype(bool)]
    problems = [
        f"column 'number': {_area_name(row)} in {int(row['time_period'])} has {int(row['number'])} children with "
        f"{THREE_PLUS_LABEL!r} but {int(row['number_total'])} {TOTAL_LABEL!r} (file lines "
        f"{file_lines(sorted([row['three_line'], row['total_line']]))}): the count of children with three or more "
        "social workers cannot exceed the total"
        for _, row in above.head(MAX_ROWS_SHOWN).iterrows()
    ]
    if len(above) > MAX_ROWS_SHOWN:
        problems.append(f"and {len(above) - MAX_ROWS_SHOWN} more areas whose three-or-more count exceeds the total")
    return problems


def _check_labels(swcount: pd.DataFrame, path: Path) -> None:
    """Refuse a children file without the two rows and the group of children the analysis reads."""
    labels = set(swcount["sw_stability"].dropna())
    missing = [lab for lab in (TOTAL_LABEL, THREE_PLUS_LABEL) if lab not in labels]
    if missing or CLA_GROUP not in set(swcount["cla_group"].dropna()):
        raise DfeFileError(
            str(path),
            [
                f"column 'sw_stability' needs the rows {TOTAL_LABEL!r} and {THREE_PLUS_LABEL!r} and column 'cla_group' "
                f"the value {CLA_GROUP!r} (found sw_stability: {', '.join(sorted(labels)) or 'none'})"
            ],
        )


def _check_headline(headline: pd.DataFrame, path: Path) -> None:
    """Refuse a headline file without its row of children looked after on 31 March."""
    labels = set(headline["population_type"].dropna())
    if HEADLINE_LABEL not in labels:
        raise DfeFileError(
            str(path),
            [
                f"column 'population_type' needs the rows {HEADLINE_LABEL!r} "
                f"(found: {', '.join(sorted(labels)) or 'none'})"
            ],
        )


def _england_unpublished(frame: pd.DataFrame, spec: DataFile) -> list[str]:
    """A problem line for each England (National) value the page needs that DfE did not publish as a
    number (a symbol such as ``[c]``, or blank), and one when the file has no England row at all."""
    national = frame.loc[frame["geographic_level"] == dfe.NATIONAL]
    if spec.key == "swcount":
        national = national.loc[
            (national["cla_group"] == CLA_GROUP) & national["sw_stability"].isin([TOTAL_LABEL, THREE_PLUS_LABEL])
        ]
        present = set(national["sw_stability"].dropna())
        absent = [label for label in (TOTAL_LABEL, THREE_PLUS_LABEL) if label not in present]
        if absent:
            return [
                f"no England (National) row for {' or '.join(map(repr, absent))} in {CLA_GROUP!r}: "
                "the page needs England's counts"
            ]
    elif national.empty:
        return ["no England (National) row: the page needs England's workforce series"]
    problems = []
    for column in spec.indicators:
        status = national[f"{column}_status"].astype(str)
        unpublished = status != dfe.REPORTED
        if unpublished.any():
            reasons = ", ".join(dict.fromkeys(status[unpublished]))
            problems.append(
                f"column {column!r}: England's (National) value is not a number at file line(s) "
                f"{file_lines(national.index[unpublished])} ({reasons}); the page needs England's figures as "
                "numbers"
            )
    return problems


def read_files(folder: str | Path) -> dict[str, pd.DataFrame]:
    """Read and check the official files in ``folder`` (clear errors for missing files, another
    layout, missing columns and labels, repeated rows, England's figures not published as numbers, or
    more children with three or more social workers than in total)."""
    paths = find_files(folder)
    frames = {
        spec.key: read_ees(paths[spec.key], require=spec.require, indicators=spec.indicators, bounds=dict(spec.bounds))
        for spec in FILES
        if spec.key in paths
    }
    keys = {spec.key: spec.keys for spec in FILES}
    _check_labels(frames["swcount"], paths["swcount"])
    if "headline" in frames:
        _check_headline(frames["headline"], paths["headline"])
    for spec in FILES:
        if spec.key not in frames:
            continue
        key, frame = spec.key, frames[spec.key]
        # England's values as numbers: the headline file is read for its one row of children looked after
        # (checked above), so its other England rows may hold symbols.
        unpublished = _england_unpublished(frame, spec) if key != "headline" else []
        problems = _duplicate_rows(frame, keys[key]) + unpublished
        if key == "swcount" and not problems:
            problems = _three_plus_above_total(frame, keys[key])
        if problems:
            raise DfeFileError(str(paths[key]), problems)
    for key, frame in frames.items():
        frame.attrs["path"] = str(paths[key])
    return frames
