"""DfE official statistics in the explore-education-statistics (EES) CSV layout.

The Department for Education publishes its statistics as tidy CSV files: one
row per time period, geography and filter combination, with the columns
``time_period, time_identifier, geographic_level, country_code, country_name``
always present, the columns of each geographic level present where that level
is (``region_code, region_name`` for Regional rows; ``old_la_code,
new_la_code, la_name`` for Local authority rows), then *filters* (text, e.g.
``sw_stability``) and *indicators* (numbers, e.g. ``number``, ``caseload_fte``).

:func:`read_ees` reads such a file and returns a typed data frame:

* ``time_period`` as an integer (four digits, or six for e.g. an academic year
  ``202324``), ``geographic_level`` as an ordered category (National, Regional,
  Local authority, ...), codes and names as text (``old_la_code`` stays
  ``"857"``, never the number 857);
* every indicator as a number, with DfE's symbols for values that are not
  published turned into missing values, and the reason kept in a parallel
  ``<indicator>_status`` column (``reported`` for a published number);
* a byte-order mark at the start of the file (as Excel writes, and as some DfE
  files have) is ignored.

A file of another layout, or with values that are neither numbers nor a known
symbol in an indicator column, raises :class:`DfeFileError`, whose message names
the file, the missing columns or the offending lines, and what was expected.

The symbols are DfE's, from its *Open Data Standards* for EES files
(DfE Analysts' Guide, "Data symbols"): ``z`` not applicable, ``x`` not
available, ``c`` confidential (suppressed), ``low`` rounds to zero but is not
zero, ``u`` low reliability, and their obsolete equivalents ``:`` (for ``x``)
and ``~`` (for ``low``). The Government Statistical Service's shorthand
guidance (*Using symbols and shorthand in tables*, Analysis Function, 2022)
adds ``k`` (a low figure that appears as zero when rounded) and writes every
shorthand in square brackets (``[c]``, ``[x]``); both forms are read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import numbers as number_text
from helpers.inputs.records import MAX_ROWS_SHOWN, RecordsError, file_lines, problem_lines, read_text_file

#: Columns every EES data file has (DfE Open Data Standards, "Time and geography").
MANDATORY: tuple[str, ...] = ("time_period", "time_identifier", "geographic_level", "country_code", "country_name")

#: Geographic levels EES allows, in order from the widest, with the columns each level's rows need.
GEOGRAPHY_LEVELS: dict[str, tuple[str, ...]] = {
    "National": (),
    "Regional": ("region_code", "region_name"),
    "Local authority": ("old_la_code", "new_la_code", "la_name"),
    "Local authority district": ("lad_code", "lad_name"),
    "RSC region": ("rsc_region_lead_name",),
    "Parliamentary constituency": ("pcon_code", "pcon_name"),
    "Local skills improvement plan area": ("lsip_code", "lsip_name"),
    "Local enterprise partnership": ("local_enterprise_partnership_code", "local_enterprise_partnership_name"),
    "English devolved area": ("english_devolved_area_code", "english_devolved_area_name"),
    "Opportunity area": ("opportunity_area_code", "opportunity_area_name"),
    "Ward": ("ward_code", "ward_name"),
    "MAT": ("trust_id", "trust_name"),
    "Sponsor": ("sponsor_id", "sponsor_name"),
    "School": ("school_name", "school_urn", "school_laestab", "old_la_code", "new_la_code", "la_name"),
    "Provider": ("provider_name", "provider_ukprn"),
    "Planning area": (),
    "Institution": (),
}
NATIONAL, REGIONAL, LOCAL_AUTHORITY = "National", "Regional", "Local authority"

#: Time and geography columns: always text (or the typed time_period), never indicators.
STANDARD_COLUMNS: frozenset[str] = frozenset(
    MANDATORY
    + tuple(c for cols in GEOGRAPHY_LEVELS.values() for c in cols)
    + ("planning_area_code", "planning_area_name", "institution_id", "institution_name")
)

#: Status of a published number, and of an empty cell.
REPORTED = "reported"
BLANK = "blank"

#: DfE's symbols (and the GSS shorthand ``k``) for values that are not published, and the reason each gives.
SYMBOLS: dict[str, str] = {
    "c": "confidential",
    "z": "not applicable",
    "x": "not available",
    ":": "not available",  # obsolete equivalent of x
    "low": "rounds to zero",
    "~": "rounds to zero",  # obsolete equivalent of low
    "k": "rounds to zero",  # GSS shorthand: low figure
    "u": "low reliability",
}
#: Every status an indicator cell can have, in display order.
STATUSES: tuple[str, ...] = (
    REPORTED,
    BLANK,
    "confidential",
    "not applicable",
    "not available",
    "rounds to zero",
    "low reliability",
)

#: A published number and a whole one, as :mod:`helpers.numbers` writes them (ASCII digits only).
_NUMBER = re.compile(f"^{number_text.DECIMAL.pattern}$", re.ASCII)
_INTEGER = re.compile(f"^{number_text.INTEGER.pattern}$", re.ASCII)


@dataclass(frozen=True)
class Bounds:
    """What an indicator's published numbers may be: at least ``minimum``, at most ``maximum``
    (None: no upper limit), whole numbers only when ``whole``. ``what`` names the kind in messages."""

    what: str
    minimum: float = 0.0
    maximum: float | None = None
    whole: bool = False

    def allowed(self) -> str:
        upper = f" to {self.maximum:g}" if self.maximum is not None else " or more"
        return f"{self.what}: {'a whole number' if self.whole else 'a number'} from {self.minimum:g}{upper}"


#: A count of children or cases: whole, not negative, and no more than there are children in England.
COUNT = Bounds("a count", 0, 20_000_000, whole=True)
#: Full-time equivalents (social workers, leavers): not negative, fractions allowed.
FTE = Bounds("a full-time-equivalent number", 0, 1_000_000)
#: A percentage (turnover, agency rate).
PERCENT = Bounds("a percentage", 0, 100)
#: A ratio of cases to workers (average caseload).
RATIO = Bounds("a ratio", 0, 10_000)


class DfeFileError(RecordsError):
    """A file that is not in the EES layout, or has values the layout does not allow.
    ``problems`` holds one line per problem. (A :class:`~helpers.inputs.records.RecordsError`, so that
    ``compendium run`` reports it in one message before any kernel starts.)"""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        n = len(problems)
        head = f"DfE file {source!r} cannot be read as explore-education-statistics data ({n} problem{'s' * (n != 1)}):"
        ValueError.__init__(self, "\n".join([head, *problem_lines(problems)]))


def symbol_reason(text: str) -> str | None:
    """The reason a DfE symbol gives (``"c"`` -> ``"confidential"``; ``"[x]"`` -> ``"not available"``),
    or ``None`` if ``text`` is not a symbol."""
    key = text.strip().lower()
    if key.startswith("[") and key.endswith("]"):
        key = key[1:-1].strip()
    return SYMBOLS.get(key)


def _values(values: Iterable[str]) -> str:
    unique = list(dict.fromkeys(values))
    return ", ".join(repr(v) for v in unique[:MAX_ROWS_SHOWN]) + (" ..." if len(unique) > MAX_ROWS_SHOWN else "")


def _classify(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Per cell: is it a number, and the status (``reported``, ``blank``, a symbol's reason, or None if unknown)."""
    stripped = text.fillna("").str.strip()
    is_number = stripped.str.match(_NUMBER).astype(bool)
    others = stripped[~is_number]
    reasons = {v: BLANK if v == "" else symbol_reason(v) for v in others.unique()}  # each distinct text once
    status = pd.Series(REPORTED, index=text.index, dtype=object)
    status[~is_number] = others.map(reasons)
    return is_number, status


def _short_rows(text: str) -> list[str]:
    """A problem line when the file does not end with a line break, or a row has another number of fields
    than the header: a download cut short (an interrupted transfer ends a file mid-row, or mid-value), which
    would otherwise be read with its missing fields empty, or its last value shortened."""
    import csv
    import io

    if text and not text.endswith(("\n", "\r")):
        return [
            "the file does not end with a line break, as DfE's files do: it looks cut short (an interrupted "
            "download, perhaps inside the last value); download the file again (or, if you edited it, end it with a "
            "line break)"
        ]
    reader = csv.reader(io.StringIO(text))
    try:
        width = len(next(reader))
    except (StopIteration, csv.Error):
        return []
    ragged: list[tuple[int, int]] = []
    start = reader.line_num
    try:
        for row in reader:
            if row and len(row) != width:
                ragged.append((start + 1, len(row)))
            start = reader.line_num
    except csv.Error:
        return []  # pandas reports the malformed file
    if not ragged:
        return []
    lines = ", ".join(f"{line} ({n} fields)" for line, n in ragged[:MAX_ROWS_SHOWN])
    more = f" and {len(ragged) - MAX_ROWS_SHOWN} more" if len(ragged) > MAX_ROWS_SHOWN else ""
    last = " (the last row: the file looks cut short, as by an interrupted download)" if ragged[-1][0] == start else ""
    return [f"the header has {width} fields but file line(s) {lines}{more} do not{last}; download the file again"]


def _read_text(path: Path) -> pd.DataFrame:
    import io

    text = read_text_file(path, DfeFileError)  # size limit, NUL bytes, UTF-8 (a byte-order mark dropped)
    short = _short_rows(text)
    if short:
        raise DfeFileError(str(path), short)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[])
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else ""
        raise DfeFileError(str(path), [f"not a readable CSV file ({err.__class__.__name__}: {first})"]) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _columns(columns: Iterable[str]) -> str:
    return ", ".join(map(repr, columns))


def _layout_problems(
    frame: pd.DataFrame, require: Sequence[str], indicators: Sequence[str] | None
) -> tuple[list[str], bool]:
    """Missing columns: the mandatory ones, the caller's, the named indicators. Also whether a mandatory
    column is missing (then nothing else can be checked)."""
    problems: list[str] = []
    missing = [c for c in MANDATORY if c not in frame.columns]
    if missing:
        problems.append(
            f"missing column(s) {_columns(missing)}: every explore-education-statistics file has "
            f"{', '.join(MANDATORY)} (the file's columns are {', '.join(frame.columns)})"
        )
    wanted = [c for c in require if c not in frame.columns and c not in missing]
    if wanted:
        problems.append(
            f"missing column(s) {_columns(wanted)} needed here (the file's columns are {', '.join(frame.columns)})"
        )
    if indicators is not None:
        absent = [c for c in indicators if c not in frame.columns and c not in wanted]
        if absent:
            problems.append(f"missing indicator column(s) {_columns(absent)}")
    return problems, bool(missing)


def _geography_problems(frame: pd.DataFrame) -> list[str]:
    """Unknown geographic levels, and levels whose own columns the file lacks."""
    problems: list[str] = []
    levels = frame["geographic_level"].str.strip()
    unknown = ~levels.isin(list(GEOGRAPHY_LEVELS))
    if unknown.any():
        problems.append(
            f"column 'geographic_level': value is not a geographic level at file line(s) "
            f"{file_lines(frame.index[unknown])} (value(s) {_values(levels[unknown])}); expected one of "
            f"{', '.join(GEOGRAPHY_LEVELS)}"
        )
    for level in levels[~unknown].unique():
        need = [c for c in GEOGRAPHY_LEVELS[level] if c not in frame.columns]
        if need:
            problems.append(f"rows at level {level!r} need column(s) {_columns(need)}, which the file lacks")
    return problems


def _period_problems(frame: pd.DataFrame) -> list[str]:
    period = frame["time_period"].str.strip()
    bad_period = ~period.str.fullmatch(r"\d{4}|\d{6}")
    if not bad_period.any():
        return []
    return [
        f"column 'time_period': value is not a four- or six-digit period at file line(s) "
        f"{file_lines(frame.index[bad_period])} (value(s) {_values(period[bad_period])})"
    ]


def _find_indicators(frame: pd.DataFrame, indicators: Sequence[str] | None) -> tuple[list[str], list[str]]:
    """The indicator columns (``indicators``, or every non-standard column whose non-empty values are all
    numbers or DfE symbols), and the problems: values in a named indicator that are neither."""
    chosen: list[str] = []
    problems: list[str] = []
    for column in [c for c in frame.columns if c not in STANDARD_COLUMNS]:
        _, status = _classify(frame[column])
        if indicators is None:
            if status.notna().all() and (status != BLANK).any():
                chosen.append(column)
        elif column in indicators:
            chosen.append(column)
            bad = status.isna()
            if bad.any():
                problems.append(
                    f"column {column!r}: value is neither a number nor a DfE symbol at file line(s) "
                    f"{file_lines(frame.index[bad])} (value(s) {_values(frame.loc[bad, column].str.strip())}); "
                    f"expected a number or one of {', '.join(dict.fromkeys(SYMBOLS))}"
                )
    return chosen, problems


def _bounds_problems(frame: pd.DataFrame, chosen: Sequence[str], bounds: Mapping[str, Bounds]) -> list[str]:
    """Published numbers of the indicators outside their :class:`Bounds`."""
    problems: list[str] = []
    for column, rule in bounds.items():
        if column not in chosen:
            continue
        text = frame[column].str.strip()
        is_number, _ = _classify(text)
        values = pd.to_numeric(text.where(is_number), errors="coerce")
        bad = is_number & (
            ~np.isfinite(values.to_numpy(dtype=float, na_value=np.nan))
            | (values < rule.minimum)
            | ((values > rule.maximum) if rule.maximum is not None else False)
            | ((values != values.round()) if rule.whole else False)
        )
        if bad.any():
            problems.append(
                f"column {column!r}: value is not allowed at file line(s) {file_lines(frame.index[bad])} "
                f"(value(s) {_values(text[bad])}); expected {rule.allowed()}, or a DfE symbol"
            )
    return problems


def _typed(frame: pd.DataFrame, chosen: Sequence[str], source: str) -> pd.DataFrame:
    """The checked text frame typed: the period as an integer, the level an ordered category, each indicator
    a number column with its ``_status`` column, the rest text (empty cells missing)."""
    out: dict[str, pd.Series] = {}
    for column in frame.columns:
        text = frame[column].str.strip()
        if column == "time_period":
            out[column] = text.astype("int64")
        elif column == "geographic_level":
            out[column] = pd.Series(
                pd.Categorical(text, categories=list(GEOGRAPHY_LEVELS), ordered=True), index=frame.index
            )
        elif column in chosen:
            is_number, status = _classify(text)
            reported = text.where(is_number)
            whole = reported.dropna().str.match(_INTEGER).all()
            numbers = pd.to_numeric(reported, errors="raise")
            out[column] = numbers.round().astype("Int64") if whole else numbers.astype("float64")
            out[f"{column}_status"] = pd.Series(pd.Categorical(status, categories=list(STATUSES)), index=frame.index)
        else:
            out[column] = text.replace("", pd.NA).astype("string")
    typed = pd.DataFrame(out)
    typed.attrs["source"] = source
    return typed


def read_ees(
    path: str | Path,
    *,
    require: Sequence[str] = (),
    indicators: Sequence[str] | None = None,
    bounds: Mapping[str, Bounds] | None = None,
) -> pd.DataFrame:
    """Read a DfE CSV file in the explore-education-statistics layout, typed.

    ``require`` lists further columns the caller needs (a file without them is
    reported, with the file's own columns). ``indicators`` names the indicator
    columns; by default they are found: every column outside the time and
    geography columns whose non-empty values are all numbers or DfE symbols.
    Each indicator becomes a number column (``Int64`` when every published value
    is a whole number, else ``float64``) with missing values where DfE printed a
    symbol, and gains a ``<indicator>_status`` column saying why (see
    :data:`STATUSES`). The other columns are text, empty cells missing. ``bounds`` gives, for
    indicators, what their published numbers may be (:class:`Bounds`): a fractional count, a
    negative rate or a percentage above 100 is refused by file, line and column.
    """
    path = Path(path)
    source = str(path)
    frame = _read_text(path)
    if frame.empty:
        raise DfeFileError(source, ["the file has no data rows"])
    problems, fatal = _layout_problems(frame, require, indicators)
    if fatal:
        raise DfeFileError(source, problems)
    problems += _geography_problems(frame) + _period_problems(frame)
    chosen, indicator_problems = _find_indicators(frame, indicators)
    problems += indicator_problems + _bounds_problems(frame, chosen, bounds or {})
    if problems:
        raise DfeFileError(source, problems)
    return _typed(frame, chosen, source)


def indicator_columns(frame: pd.DataFrame) -> list[str]:
    """The indicator columns of a frame from :func:`read_ees` (those with a ``_status`` column)."""
    return [c for c in frame.columns if f"{c}_status" in frame.columns]


def at_level(frame: pd.DataFrame, level: str) -> pd.DataFrame:
    """The rows at one geographic level (``"National"``, ``"Regional"``, ``"Local authority"``, ...)."""
    if level not in GEOGRAPHY_LEVELS:
        raise ValueError(f"geographic level {level!r} is not one of {', '.join(GEOGRAPHY_LEVELS)}")
    return frame.loc[frame["geographic_level"] == level]


def status_counts(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """How many cells of each indicator are not a published number, by reason (rows: indicators)."""
    columns = list(columns) if columns is not None else indicator_columns(frame)
    table = pd.DataFrame(
        {c: frame[f"{c}_status"].value_counts().reindex(list(STATUSES), fill_value=0) for c in columns}
    ).T
    return table.drop(columns=[REPORTED]).loc[:, lambda t: t.sum() > 0]
