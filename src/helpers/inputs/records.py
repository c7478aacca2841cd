"""Users' own records: read a CSV and validate it against a pandera schema.

Every analysis that accepts its own records (a ``data_path`` parameter)
declares a :class:`pandera.pandas.DataFrameSchema` and reads the file with
:func:`read_records`. The file is read as text, then each column is coerced
to its declared type and checked. All problems are collected (nothing stops
at the first) and reported in one :class:`RecordsError` whose message names
the file, each failing column, what is wrong, and the first offending rows by
their line number in the file. No row is ever dropped silently: a file that
passes is returned whole, typed; a file that fails is not used at all.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from helpers import numbers as number_text
from helpers.engine.wording import noun_for, plural

#: How many offending rows a message lists per problem.
MAX_ROWS_SHOWN = 5


#: How many problems an error message lists, and the longest line it shows of each.
MAX_PROBLEMS_SHOWN = 20
MAX_PROBLEM_CHARS = 500


def problem_lines(problems: list[str]) -> list[str]:
    """``- problem`` lines for a message: at most :data:`MAX_PROBLEMS_SHOWN`, each cut at
    :data:`MAX_PROBLEM_CHARS`, then how many more, so that no input makes a message huge."""
    shown = [
        p if len(p) <= MAX_PROBLEM_CHARS else p[: MAX_PROBLEM_CHARS - 3] + "..." for p in problems[:MAX_PROBLEMS_SHOWN]
    ]
    more = len(problems) - len(shown)
    return [f"- {p}" for p in shown] + ([f"- and {more} more {noun_for(more, 'problem')}"] if more > 0 else [])


class RecordsError(ValueError):
    """A records file that does not match its schema. ``problems`` holds one line per problem."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        head = f"records file {source!r} failed validation ({plural(len(problems), 'problem')}):"
        super().__init__("\n".join([head, *problem_lines(problems)]))


_BUILTIN_CHECKS = (
    (r"greater_than_or_equal_to\((.*)\)$", "is less than {0} (must be {0} or more)"),
    (r"greater_than\((.*)\)$", "is not more than {0} (must be more than {0})"),
    (r"less_than_or_equal_to\((.*)\)$", "is more than {0} (must be {0} or less)"),
    (r"less_than\((.*)\)$", "is not less than {0} (must be less than {0})"),
    (r"in_range\((.*), (.*)\)$", "is outside {0} to {1}"),
    (r"isin\((.*)\)$", "is not one of {0}"),
    (r"str_length\((.*)\)$", "has the wrong length ({0})"),
)


def _describe_check(check: str) -> str:
    """Turn pandera's check name into words."""
    if check.startswith("coerce_dtype(") or check.startswith("dtype("):
        wanted = check.split("'")[1] if "'" in check else check
        return {
            "int64": "is not a whole number",
            "Int64": "is not a whole number",
            "float64": "is not a number",
            "bool": "is not true/false",
        }.get(wanted, f"is not of type {wanted}")
    if check == "not_nullable":
        return "is empty"
    if check == "field_uniqueness":
        return "is duplicated (must be unique)"
    for pattern, words in _BUILTIN_CHECKS:
        match = re.match(pattern, check)
        if match:
            return words.format(*match.groups())
    return check  # a check declared with error="..." already reads as words


def file_lines(index_values) -> str:
    """File line numbers for data-frame row positions (line 1 is the header), e.g. ``"2, 5, 9"``:
    the first :data:`MAX_ROWS_SHOWN`, then how many more. Takes a list, array or index of
    positions (0-based rows of a frame read by :func:`read_records`)."""
    values = list(index_values)
    shown = [str(int(i) + 2) for i in values[:MAX_ROWS_SHOWN]]
    more = len(values) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _values(cases: list) -> str:
    shown = [repr(v) for v in cases[:MAX_ROWS_SHOWN]]
    return ", ".join(shown)


def format_failures(failures: pd.DataFrame, schema: pa.DataFrameSchema) -> list[str]:
    """One line per (column, problem) from pandera's ``failure_cases`` table."""
    problems: list[str] = []
    for (column, check), group in failures.groupby(["column", "check"], sort=False, dropna=False):
        check = str(check)
        if check == "column_in_dataframe":
            continue  # reported together below
        if check == "column_in_schema":
            names = ", ".join(repr(v) for v in group["failure_case"])
            problems.append(f"unexpected column(s) {names}: allowed columns are {', '.join(schema.columns)}")
            continue
        rows = group.dropna(subset=["index"])
        if rows.empty:
            problems.append(f"column {column!r}: {_describe_check(check)}")
            continue
        if check.startswith("coerce_dtype") or check.startswith("dtype("):
            empty = rows["failure_case"].isna()
            if empty.any():
                problems.append(
                    f"column {column!r}: value is empty at file line(s) {file_lines(rows.loc[empty, 'index'].tolist())}"
                )
            rows = rows.loc[~empty]
            if rows.empty:
                continue
        what = _describe_check(check)
        problems.append(
            f"column {column!r}: value {what} at file line(s) {file_lines(rows['index'].tolist())} "
            f"(value(s) {_values(rows['failure_case'].tolist())})"
        )
    missing = failures.loc[failures["check"] == "column_in_dataframe", "failure_case"].tolist()
    if missing:
        required = ", ".join(n for n, c in schema.columns.items() if c.required)
        problems.insert(0, f"missing column(s) {', '.join(repr(m) for m in missing)}: required columns are {required}")
    return problems


def _failures(frame: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame | None:
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as err:
        return err.failure_cases
    return None


#: How a number column's values must be written (:mod:`helpers.numbers`), by the column's type: pandas
#: would also read ``1_000`` and Unicode digits as numbers.
_NUMBER_TEXT = {"int64": number_text.INTEGER, "Int64": number_text.INTEGER, "float64": number_text.DECIMAL}


def _number_text_problems(frame: pd.DataFrame, name: str, column: pa.Column) -> tuple[list[str], pd.Index]:
    """Values of a number column not written as numbers are (``1_000``, ``١٢``): the problem, and their rows."""
    pattern = _NUMBER_TEXT.get(str(column.dtype))
    if pattern is None:
        return [], frame.index[:0]
    text = frame[name].dropna()
    written = text.map(lambda v: pattern.fullmatch(str(v)) is not None).astype(bool).to_numpy()
    bad = text.index[~written]
    if bad.empty:
        return [], bad
    what = "is not a whole number" if pattern is number_text.INTEGER else "is not a number"
    values = text[~written].tolist()
    return [f"column {name!r}: value {what} at file line(s) {file_lines(bad)} (value(s) {_values(values)})"], bad


def _column_problems(frame: pd.DataFrame, name: str, column: pa.Column) -> list[str]:
    """Problems in one column. Values that cannot be converted to the column's type (or are not written
    as numbers, in a number column) are reported first; the values that did convert are then checked too,
    so a single run lists every kind of problem."""
    single = pa.DataFrameSchema({name: column})
    text_problems, not_numbers = _number_text_problems(frame, name, column)
    failures = _failures(frame[[name]].drop(index=not_numbers), single)
    if failures is None:
        return text_problems
    checks = failures["check"].astype(str)
    is_coerce = checks.str.startswith("coerce_dtype(")
    if is_coerce.any():
        bad_rows = failures.loc[is_coerce, "index"].dropna().astype(int).unique()
        rest = _failures(frame[[name]].drop(index=not_numbers).drop(index=bad_rows), single)
        parts = [failures.loc[is_coerce]]
        if rest is not None:
            parts.append(rest.loc[~rest["check"].astype(str).str.match(r"(coerce_dtype|dtype)\(")])
        failures = pd.concat(parts, ignore_index=True)
    return text_problems + format_failures(failures, single)


# ---------------------------------------------------------------- categories as exported
@dataclass(frozen=True)
class Categories:
    """The allowed values of a categorical column, and the other spellings read as each: ``spellings`` maps
    a spelling in lower case, without surrounding spaces, to an allowed value. Any case and surrounding
    spaces of an allowed value are read as it too."""

    allowed: tuple[str, ...]
    spellings: Mapping[str, str] = field(default_factory=dict)
    #: How the allowed values read for a user (``compendium params``), e.g. "0 (no) or 1 (yes)".
    words: str = ""

    def read(self, value: str) -> str | None:
        """The allowed value ``value`` is a spelling of, or ``None``."""
        key = value.strip().lower()
        found = {a.lower(): a for a in self.allowed}.get(key)
        return found if found is not None else self.spellings.get(key)

    def describe(self) -> str:
        """The allowed values and what else is read as each, in words."""
        mine = {a.lower() for a in self.allowed}
        also = [
            f"{', '.join(s for s, a in self.spellings.items() if a == value and s not in mine)} as {value}"
            for value in self.allowed
            if any(a == value and s not in mine for s, a in self.spellings.items())
        ]
        more = f"; also read: {'; '.join(also)}" if also else ""
        return f"{self.words or 'one of ' + ', '.join(self.allowed)} (any case, spaces around ignored{more})"


#: What spreadsheets and databases export for yes and no.
_YES = ("yes", "y", "true", "t", "1", "1.0")
_NO = ("no", "n", "false", "f", "0", "0.0")
YES_NO = Categories(("yes", "no"), {**dict.fromkeys(_YES, "yes"), **dict.fromkeys(_NO, "no")}, "yes or no")
ONE_ZERO = Categories(("1", "0"), {**dict.fromkeys(_YES, "1"), **dict.fromkeys(_NO, "0")}, "1 (yes) or 0 (no)")
#: The key of a column's ``metadata`` that holds its :class:`Categories`.
CATEGORIES = "categories"


def categorical(
    categories: Categories | tuple[str, ...], dtype: type = str, error: str | None = None, **kwargs: Any
) -> pa.Column:
    """A schema column of categories (read as exported: :func:`normalise_categories`), checked against the
    allowed values (``error``: the problem's words, else "is not one of [...]"); ``dtype`` int for 0/1
    columns (the values are coerced after they are read)."""
    cats = categories if isinstance(categories, Categories) else Categories(tuple(categories))
    allowed: list = [int(a) for a in cats.allowed] if dtype is int else list(cats.allowed)
    check = pa.Check.isin(allowed, error=error) if error else pa.Check.isin(allowed)
    return pa.Column(dtype, check, coerce=dtype is not str, metadata={CATEGORIES: cats}, **kwargs)


def column_categories(column: pa.Column) -> Categories | None:
    return (column.metadata or {}).get(CATEGORIES)


_DTYPE_WORDS = {
    "str": "text",
    "int64": "whole number",
    "Int64": "whole number",
    "float64": "number",
    "bool": "true/false",
}
_BOUNDS = {"min_value": ">= {}", "max_value": "<= {}"}


def _allowed(column: pa.Column) -> str:
    """What a column allows, in words: its categories, or its bounds."""
    cats = column_categories(column)
    if cats is not None:
        return cats.describe()
    parts = []
    for check in column.checks:
        stats = {k: v for k, v in (check.statistics or {}).items() if v is not None}
        if check.name == "str_length":
            parts.append("not empty")
        elif "min_value" in stats and "max_value" in stats:
            parts.append(f"{stats['min_value']} to {stats['max_value']}")
        else:
            parts += [_BOUNDS[key].format(value) for key, value in stats.items() if key in _BOUNDS]
    return ", ".join(parts)


def _type_words(column: pa.Column) -> str:
    name = str(column.dtype)
    return "text" if name.startswith(("str", "string", "object")) else _DTYPE_WORDS.get(name, name)


def describe_columns(schema: pa.DataFrameSchema) -> list[dict[str, str]]:
    """One row per column of a records file: its name, type, whether it is required (and unique), and what
    it allows (for a categorical column, every value and the spellings read as them): ``compendium params``."""
    return [
        {
            "column": name,
            "type": _type_words(column),
            "required": ("required" if column.required else "optional") + (", unique" if column.unique else ""),
            "allowed": _allowed(column),
        }
        for name, column in schema.columns.items()
    ]


def normalise_categories(frame: pd.DataFrame, schema: pa.DataFrameSchema) -> tuple[pd.DataFrame, list[str]]:
    """Categorical columns as exported (``Frontline``, ``Yes``, ``TRUE``, `` 1 ``) read as the allowed values;
    a value that is no spelling of one is left for validation to refuse. Returns the frame and one note per
    column and spelling normalised, e.g. ``column 'link_worker': 'Yes' read as 'yes' (12 rows)``."""
    frame = frame.copy()
    notes: list[str] = []
    for name, column in schema.columns.items():
        cats = column_categories(column)
        if cats is None or name not in frame.columns:
            continue
        raw = frame[name]
        read = raw.map(lambda v, c=cats: c.read(v) if isinstance(v, str) else None)
        changed = read.notna() & (read != raw)
        if not changed.any():
            continue
        frame.loc[changed, name] = read[changed]
        pairs = pd.DataFrame({"raw": raw[changed], "read": read[changed]}).value_counts(sort=False)
        shown = [f"{raw_!r} read as {read_!r} ({n} row{'s' * (n != 1)})" for (raw_, read_), n in pairs.items()]
        more = f", and {len(shown) - MAX_ROWS_SHOWN} more spellings" if len(shown) > MAX_ROWS_SHOWN else ""
        notes.append(f"column {name!r}: {', '.join(shown[:MAX_ROWS_SHOWN])}{more}")
    return frame, notes


def validate_records(
    frame: pd.DataFrame, schema: pa.DataFrameSchema, source: str = "<records>", *, keep_index: bool = False
) -> pd.DataFrame:
    """Validate (and type) a data frame of text columns; raise :class:`RecordsError` listing every problem.

    Optional integer columns that may be empty should be declared ``"Int64"`` (pandas'
    nullable integer) with ``nullable=True``.
    """
    if frame.empty:
        raise RecordsError(source, ["the file has no data rows"])
    if not keep_index:
        frame = frame.reset_index(drop=True)
    problems: list[str] = []
    missing = [n for n, c in schema.columns.items() if c.required and n not in frame.columns]
    if missing:
        required = ", ".join(n for n, c in schema.columns.items() if c.required)
        problems.append(f"missing column(s) {', '.join(map(repr, missing))}: required columns are {required}")
    if schema.strict:
        unexpected = [c for c in frame.columns if c not in schema.columns]
        if unexpected:
            problems.append(
                f"unexpected column(s) {', '.join(map(repr, unexpected))}: "
                f"allowed columns are {', '.join(schema.columns)}"
            )
    for name, column in schema.columns.items():
        if name in frame.columns:
            problems.extend(_column_problems(frame, name, column))
    if problems:
        raise RecordsError(source, problems)
    try:
        return schema.validate(frame, lazy=True)
    except SchemaErrors as err:  # dataframe-level checks
        raise RecordsError(source, format_failures(err.failure_cases, schema)) from None


#: Largest file read (bytes), records and DfE files alike: hundreds of thousands of rows, read well
#: within a few hundred MB.
MAX_FILE_BYTES = 20_000_000
#: Most data rows a records file may hold: every analysis of own records finishes in seconds at this size
#: (a larger file is refused before any analysis, naming the limit).
MAX_ROWS = 200_000


def read_text_file(path: str | Path, error: type[RecordsError] = RecordsError, what: str = "CSV") -> str:
    """The text of a user's data file, or ``error`` (a :class:`RecordsError` or a subclass) in one line
    naming the file: missing, unreadable, larger than :data:`MAX_FILE_BYTES` (checked before anything
    is read), holding a NUL byte (no text file does; it would end a value early in some readers), or not
    UTF-8 (a byte-order mark at the start is dropped)."""
    path = Path(path)
    if not path.is_file():
        raise error(str(path), ["no such file"])
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise error(str(path), [f"the file is {size:,} bytes: at most {MAX_FILE_BYTES:,} bytes are allowed"])
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise error(str(path), [f"cannot be read: {err.strerror or err}"]) from None
    if len(data) > MAX_FILE_BYTES:  # grew while it was read
        raise error(
            str(path), [f"the file is over {MAX_FILE_BYTES:,} bytes: at most {MAX_FILE_BYTES:,} bytes are allowed"]
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data[:nul].count(b"\n") + 1
        raise error(str(path), [f"not a text file: a NUL byte (0x00) on file line {line}; save it as UTF-8 {what}"])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise error(
            str(path), [f"not UTF-8 text (byte {data[err.start]:#04x} on file line {line}); save it as UTF-8 {what}"]
        ) from None


def read_records(path: str | Path, schema: pa.DataFrameSchema, *, max_rows: int | None = None) -> pd.DataFrame:
    """Read a CSV file as text and validate it against ``schema`` (categories read as exported:
    :func:`normalise_categories`). A file larger than :data:`MAX_FILE_BYTES`, with a NUL byte, not UTF-8,
    not CSV or with more than ``max_rows`` data rows (default :data:`MAX_ROWS`) is refused in one line
    naming the file. Every cell is read without its surrounding spaces (``"c0 "`` is the identifier
    ``c0``, so it is a duplicate of ``c0``)."""
    return read_records_noting(path, schema, max_rows=max_rows)[0]


def read_records_noting(
    path: str | Path, schema: pa.DataFrameSchema, *, max_rows: int | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """:func:`read_records`, and what reading the categories normalised (one note per column and spelling)."""
    import io

    path = Path(path)
    text = read_text_file(path)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""], skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        reason = " ".join(str(err).split())[:200]
        raise RecordsError(str(path), [f"not a readable CSV file ({err.__class__.__name__}: {reason})"]) from None
    max_rows = MAX_ROWS if max_rows is None else max_rows
    if len(frame) > max_rows:
        raise RecordsError(str(path), [f"the file has {len(frame):,} data rows: at most {max_rows:,} rows are allowed"])
    frame.columns = [str(c).strip() for c in frame.columns]
    known = [c for c in frame.columns if c in schema.columns]  # the others are refused by name, unread
    frame[known] = frame[known].apply(_stripped)
    lines = _record_lines(text)
    keep = len(lines) == len(frame) and lines != list(range(2, len(frame) + 2))
    if keep:  # blank lines or quoted line breaks: index each row so that file_lines() gives its real line
        frame.index = pd.Index([n - 2 for n in lines])
    frame, notes = normalise_categories(frame, schema)
    return validate_records(frame, schema, source=str(path), keep_index=keep), notes


def _stripped(column: pd.Series) -> pd.Series:
    """A text column without the spaces around each value; a value of spaces only is empty."""
    text = column.str.strip()
    return text.where(text != "")


def _record_lines(text: str) -> list[int]:
    """The file line on which each data row starts (the header is the first non-blank record),
    skipping blank lines as pandas does; a row spanning lines (a quoted line break) starts on its
    first line."""
    import csv
    import io

    reader = csv.reader(io.StringIO(text))
    starts, previous = [], 0
    try:
        for row in reader:
            start = previous + 1
            previous = reader.line_num
            if row and any(cell.strip() for cell in row):
                starts.append(start)
    except csv.Error:
        return []
    return starts[1:]


def require_shown_sizes(
    sizes: Mapping[str, int], *, column: str, group: str, unit: str, min_cell_count: int, source: str
) -> None:
    """A page shows each group's size (a route's cases, an arm's observations), so with own
    records none may itself be a small count: each present group needs ``min_cell_count``
    rows (an absent group, 0, is left to the analysis). ``sizes`` maps each group's label, as
    the message names it, to its number of rows."""
    small = [f"{label} has {n}" for label, n in sizes.items() if 0 < n < min_cell_count]
    if small:
        raise RecordsError(
            source,
            [
                f"column '{column}': {group} {', '.join(small)} {unit}(s); the number of {unit}s of each {group} "
                f"is shown, so each needs at least min_cell_count = {min_cell_count} {unit}s (or lower min_cell_count)"
            ],
        )
