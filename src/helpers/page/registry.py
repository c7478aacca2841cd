"""The registry of published figures (``data/published/figures.csv``).

Each row holds a figure as its source prints it: its unit, what it is a share
of, the report, year and section, the quoted sentence it was read from, the
source that sentence was read in (an id in ``data/published/sources.csv``, see
:mod:`helpers.page.sources`), and whether the figure is *seen* in the source,
seen only in a *secondary* source, or *inferred* (for instance counted from a
list), never graded higher than its source allows. Notebooks read figures from
here and never type them as literals.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from helpers.engine.paths import PUBLISHED_FIGURES
from helpers.page.sources import GRADES, SourceError, check_grade, source

COLUMNS: tuple[str, ...] = (
    "id",
    "study",
    "measure",
    "value",
    "unit",
    "denominator",
    "report",
    "year",
    "section",
    "quote",
    "source",
    "evidence",
    "bibkey",
)
EVIDENCE = GRADES


class RegistryError(ValueError):
    """The registry file is malformed, or a figure id is unknown."""


@dataclass(frozen=True)
class PublishedFigure:
    """One published figure, as the source prints it."""

    id: str
    study: str
    measure: str
    value_text: str
    unit: str
    denominator: str
    report: str
    year: str
    section: str
    quote: str
    source: str
    evidence: str
    bibkey: str

    @property
    def value(self) -> int | float:
        """The value as a number: an ``int`` when printed without decimals."""
        return int(self.value_text) if self.decimals == 0 else float(self.value_text)

    @property
    def decimals(self) -> int:
        """Decimal places printed in the source: the precision a reproduction must match."""
        return len(self.value_text.split(".")[1]) if "." in self.value_text else 0

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"

    @property
    def value_with_unit(self) -> str:
        """The value as the source prints it, with its unit: ``"79%"`` for a percentage,
        ``"119 children"`` otherwise (one wording for the registry page and the ledger)."""
        return f"{self.value_text}%" if self.is_percent else f"{self.value_text} {self.unit}".strip()

    def as_share(self) -> float:
        """A percentage as a share in [0, 1] (e.g. 79 % -> 0.79)."""
        if not self.is_percent:
            raise RegistryError(f"figure '{self.id}' is in {self.unit!r}, not a percentage")
        return self.value / 100

    def citation(self) -> str:
        """Short source line: report, year and section."""
        parts = [self.report or self.study, self.year]
        if self.section:
            parts.append(f"section: {self.section}")
        return ", ".join(p for p in parts if p)


def _parse(path: Path) -> dict[str, PublishedFigure]:
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise RegistryError(f"{path}: columns {reader.fieldnames} differ from {list(COLUMNS)}")
        figures: dict[str, PublishedFigure] = {}
        for line, row in enumerate(reader, start=2):
            fid = row["id"]
            if not fid:
                raise RegistryError(f"{path}:{line}: empty id")
            if fid in figures:
                raise RegistryError(f"{path}:{line}: duplicate id {fid!r}")
            try:
                check_grade(f"{path}:{line}: figure {fid!r}", row["evidence"], row["source"])
            except SourceError as exc:
                raise RegistryError(str(exc)) from None
            try:
                float(row["value"])
            except ValueError:
                raise RegistryError(f"{path}:{line}: value {row['value']!r} of {fid!r} is not a number") from None
            if not row["quote"].strip():
                raise RegistryError(f"{path}:{line}: figure {fid!r} has no quoted sentence")
            figures[fid] = PublishedFigure(
                id=fid,
                study=row["study"],
                measure=row["measure"],
                value_text=row["value"],
                unit=row["unit"],
                denominator=row["denominator"],
                report=row["report"],
                year=row["year"],
                section=row["section"],
                quote=row["quote"],
                source=row["source"],
                evidence=row["evidence"],
                bibkey=row["bibkey"],
            )
    return figures


@lru_cache(maxsize=4)
def load_registry(path: Path = PUBLISHED_FIGURES) -> dict[str, PublishedFigure]:
    """All published figures by id (read once per process)."""
    return _parse(Path(path))


def figure(figure_id: str) -> PublishedFigure:
    """One published figure; a clear error for an unknown id."""
    figures = load_registry()
    try:
        return figures[figure_id]
    except KeyError:
        raise RegistryError(f"no published figure with id {figure_id!r} in {PUBLISHED_FIGURES}") from None


def published(figure_id: str) -> int | float:
    """The value of a published figure as the source prints it (``published('kft_n_referred') == 119``)."""
    return figure(figure_id).value


def published_share(figure_id: str) -> float:
    """A published percentage as a share (``published_share('kft_target_home_pct') == 0.5``)."""
    return figure(figure_id).as_share()


def registry_input() -> dict[str, str]:
    """The registry as a data input of a run: ``{relative path: SHA-256}`` (for provenance and cache keys)."""
    from helpers.engine.paths import ROOT, sha256_file

    return {str(PUBLISHED_FIGURES.relative_to(ROOT)): sha256_file(PUBLISHED_FIGURES)}


def registry_html() -> str:
    """The registry as an HTML table that fits the book's page: each figure with its id and source,
    its value, and the quoted sentence with where it was quoted from and how directly it was seen."""
    import html

    rows = []
    for f in load_registry().values():
        value = html.escape(f.value_with_unit)
        of = f"<br/><small>of {html.escape(f.denominator)}</small>" if f.denominator else ""
        rows.append(
            "<tr>"
            f"<td>{html.escape(f.measure)}<br/><small><code>{html.escape(f.id)}</code> · "
            f"{html.escape(f.citation())}</small></td>"
            f"<td>{value}{of}</td>"
            f"<td><q>{html.escape(f.quote)}</q><br/><small>{html.escape(f.evidence)}; "
            f"read in {html.escape(source(f.source).describe())}</small></td>"
            "</tr>"
        )
    head = "<tr><th>published figure and source</th><th>value</th><th>quoted sentence</th></tr>"
    return (
        '<table class="registry"><colgroup><col style="width:38%"/><col style="width:14%"/><col style="width:48%"/>'
        f"</colgroup><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"
    )
