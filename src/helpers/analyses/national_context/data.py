"""The figures the page is built from, in both modes: England's figures from the registry of
published figures (the default), or the official files read from ``dfe_data_dir``, combined into
England, regional and local-authority tables; and section 6 of the page, what reading the files
found."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.engine.paths import sha256_file
from helpers.engine.wording import plural
from helpers.inputs.dfe import LOCAL_AUTHORITY, NATIONAL, REGIONAL, at_level, status_counts
from helpers.page.registry import figure, published
from helpers.page.sources import load_sources
from helpers.results import Section

from .files import CLA_GROUP, HEADLINE_LABEL, THREE_PLUS_LABEL, TOTAL_LABEL, WORKFORCE_INDICATORS, read_files

#: Years of England's workforce series held in the registry (every year of csww_indicators_2017_to_2025.csv).
WORKFORCE_YEARS: tuple[int, ...] = tuple(range(2017, 2026))
#: Regions proper (ONS E12 codes); the files also hold Inner and Outer London (E13), which overlap London.
REGION_CODE_PREFIX = "E12"
#: Why an authority is left out when the file lacks one of its two rows.
MISSING_TOTAL = "no 'Total children' row in the file"
MISSING_THREE_PLUS = "no three-or-more row in the file"
#: England's workforce counts of the latest year, from which its rates are recomputed.
COUNTS = ("cases", "case_holders_fte", "leavers_fte", "inpost_fte", "agency_fte")


@dataclass(frozen=True)
class NationalData:
    """What the analysis reads. From the registry, England only: the local-authority and regional
    tables are ``None`` and no file is read."""

    cla: pd.DataFrame  # England: year, total children looked after, three_plus (with 3 or more social workers)
    workforce: pd.DataFrame  # England's workforce series, one row per year
    counts_2025: dict[str, float] | None  # England's 2025 workforce counts (COUNTS), if there are any
    la: pd.DataFrame | None = None  # one row per local authority and year (see _la_cla)
    la_workforce: pd.DataFrame | None = None  # the authorities' caseload, turnover and agency rates by year
    regions: pd.DataFrame | None = None  # regions' counts of children by year
    headline: pd.DataFrame | None = None  # DfE's headline count of children looked after (see _headline)
    files: dict[str, Path] = field(default_factory=dict)  # the files read, by key
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)  # the files as read, by key

    @property
    def from_files(self) -> bool:
        return bool(self.files)

    @property
    def own_files(self) -> bool:
        """True when a file read is not one whose rows the registry quotes (another release, or an edited
        copy): the run's figures are then the user's, not the registry's (:func:`registry_digests`)."""
        return any(sha256_file(path) not in registry_digests() for path in self.files.values())


def registry_digests() -> frozenset[str]:
    """The SHA-256 of every official statistics file the registry of published figures quotes."""
    return frozenset(s.sha256 for s in load_sources().values() if s.kind == "official statistics" and s.sha256)


def registry_data() -> NationalData:
    """England-level figures from the registry (the default: the book builds on a fresh clone)."""
    cla = pd.DataFrame(
        [
            {
                "year": int(figure("dfe_cla_total_2024").year),
                "total": published("dfe_cla_total_2024"),
                "three_plus": published("dfe_cla_3plus_sw_2024"),
            }
        ]
    )
    workforce = pd.DataFrame(
        [
            {
                "year": year,
                "inpost_fte": published(f"dfe_fte_social_workers_{year}"),
                "caseload_fte": published(f"dfe_caseload_{year}"),
                "turnover_rate_fte": published(f"dfe_turnover_{year}"),
                "agency_rate_fte": published(f"dfe_agency_rate_{year}"),
            }
            for year in WORKFORCE_YEARS
        ]
    )
    return NationalData(cla, workforce, registry_counts_2025())


def registry_counts_2025() -> dict[str, float]:
    """England's 2025 workforce counts as the registry holds them."""
    return {
        "cases": published("dfe_cases_2025"),
        "case_holders_fte": published("dfe_case_holders_fte_2025"),
        "leavers_fte": published("dfe_leavers_fte_2025"),
        "inpost_fte": published("dfe_fte_social_workers_2025"),
        "agency_fte": published("dfe_agency_fte_2025"),
    }


def _national_cla(sw: pd.DataFrame) -> pd.DataFrame:
    nat = at_level(sw, NATIONAL).loc[lambda d: d["cla_group"] == CLA_GROUP]
    wide = nat.pivot_table(index="time_period", columns="sw_stability", values="number", aggfunc="first")
    out = pd.DataFrame(
        {
            "year": wide.index.astype(int),
            "total": wide[TOTAL_LABEL].to_numpy(),
            "three_plus": wide[THREE_PLUS_LABEL].to_numpy(),
        }
    )
    return out.dropna().astype({"total": "int64", "three_plus": "int64"}).sort_values("year").reset_index(drop=True)


def _la_cla(sw: pd.DataFrame) -> pd.DataFrame:
    """One row per local authority and year: total, three or more, and why a count is missing."""
    la = at_level(sw, LOCAL_AUTHORITY).loc[lambda d: d["cla_group"] == CLA_GROUP]
    keys = ["time_period", "new_la_code", "la_name", "region_name"]
    total = la.loc[la["sw_stability"] == TOTAL_LABEL].set_index(keys)
    three = la.loc[la["sw_stability"] == THREE_PLUS_LABEL].set_index(keys)
    out = pd.DataFrame(
        {
            "total": total["number"],
            "total_status": total["number_status"].astype(str),
            "three_plus": three["number"],
            "three_plus_status": three["number_status"].astype(str),
        }
    )
    # An authority with one of the two rows and not the other: the missing row is the reason it is left out.
    out["total_status"] = out["total_status"].fillna(MISSING_TOTAL)
    out["three_plus_status"] = out["three_plus_status"].fillna(MISSING_THREE_PLUS)
    out = out.reset_index().rename(columns={"time_period": "year"})
    out["region_name"] = out["region_name"].astype(str)
    return out


def _national_workforce(wf: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, float] | None]:
    """England's workforce series, and its 2025 counts if the file has that year."""
    nat_wf = at_level(wf, NATIONAL).set_index("time_period").sort_index()
    columns = (
        "inpost_fte",
        "caseload_fte",
        "turnover_rate_fte",
        "agency_rate_fte",
        "cases",
        "case_holders_fte",
        "leavers_fte",
        "agency_fte",
    )
    workforce = pd.DataFrame(
        {"year": nat_wf.index.astype(int), **{c: nat_wf[c].astype("float64").to_numpy() for c in columns}}
    )
    counts_2025 = None
    if 2025 in nat_wf.index:
        row = nat_wf.loc[2025]
        counts_2025 = {c: float(row[c]) for c in COUNTS}
    return workforce, counts_2025


def _la_workforce(wf: pd.DataFrame) -> pd.DataFrame:
    la_wf = at_level(wf, LOCAL_AUTHORITY)
    return pd.DataFrame(
        {
            "year": la_wf["time_period"].astype(int),
            "new_la_code": la_wf["new_la_code"].astype(str),
            **{c: la_wf[c].astype("float64") for c in ("caseload_fte", "turnover_rate_fte", "agency_rate_fte")},
        }
    )


def _headline(frame: pd.DataFrame) -> pd.DataFrame:
    """DfE's headline count of children looked after on 31 March: one row per year and area (England and
    each local authority), with the count (missing where DfE did not publish it) and its status."""
    rows = frame.loc[
        (frame["population_type"] == HEADLINE_LABEL) & frame["geographic_level"].isin([NATIONAL, LOCAL_AUTHORITY])
    ]
    return pd.DataFrame(
        {
            "year": rows["time_period"].astype(int),
            "level": rows["geographic_level"].astype(str),
            "new_la_code": rows["new_la_code"].astype("string"),
            "la_name": rows["la_name"].astype("string"),
            "count": rows["children_count"].astype("Float64"),
            "status": rows["children_count_status"].astype(str),
        }
    ).reset_index(drop=True)


def _regions(sw: pd.DataFrame) -> pd.DataFrame:
    regional = at_level(sw, REGIONAL).loc[
        lambda d: (d["cla_group"] == CLA_GROUP) & d["region_code"].str.startswith(REGION_CODE_PREFIX)
    ]
    return (
        regional.pivot_table(
            index=["time_period", "region_name"], columns="sw_stability", values="number", aggfunc="first"
        )
        .reset_index()
        .rename(columns={"time_period": "year"})
    )


def file_data(folder: str) -> NationalData:
    """The official files in ``folder``, read, checked and combined."""
    frames = read_files(folder)
    sw, wf = frames["swcount"], frames["workforce"]
    workforce, counts_2025 = _national_workforce(wf)
    return NationalData(
        cla=_national_cla(sw),
        workforce=workforce,
        counts_2025=counts_2025,
        la=_la_cla(sw),
        la_workforce=_la_workforce(wf),
        regions=_regions(sw),
        headline=_headline(frames["headline"]) if "headline" in frames else None,
        files={key: Path(frame.attrs["path"]) for key, frame in frames.items()},
        frames=frames,
    )


def read_data(dfe_data_dir: str) -> NationalData:
    """The official files in ``dfe_data_dir``, or England's figures from the registry if it is ''."""
    return file_data(dfe_data_dir) if dfe_data_dir else registry_data()


def reading_section(data: NationalData) -> Section:
    """Section 6: the values of the columns used that DfE did not publish, with its reasons, file by file."""
    if not data.from_files:
        return Section({"symbols_text": "Built from the registry, this page read no official file."})
    used = {"swcount": ["number"], "workforce": list(WORKFORCE_INDICATORS), "headline": ["children_count"]}
    parts = []
    for key, columns in used.items():
        if key not in data.frames:
            continue
        counts = status_counts(data.frames[key], columns)
        total_missing = int(counts.to_numpy().sum())
        detail = ", ".join(f"{reason}: {int(n)}" for reason, n in counts.sum().items() if n)
        parts.append(
            f"{data.files[key].name}, {plural(total_missing, 'value')} of the "
            f"columns used" + (f" ({detail})" if detail else "")
        )
    text = "Values DfE did not publish were read as missing, with DfE's reason kept: in " + "; in ".join(parts) + "."
    return Section({"symbols_text": text})
