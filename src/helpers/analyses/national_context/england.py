"""Section 1 of the page: children looked after with three or more social workers (England), its
reproduction against the registry, and the counts of children through small-cell suppression."""

from __future__ import annotations

import math

import pandas as pd

from helpers.engine.paths import sha256_file
from helpers.inputs.suppression import MARKER, Suppressed, suppress
from helpers.page import reproduce
from helpers.page.registry import figure, published
from helpers.page.reproduce import ReproductionCheck
from helpers.page.sources import source
from helpers.results import Section

from .data import NationalData, registry_counts_2025
from .files import CLA_GROUP, FILES, THREE_PLUS_LABEL, TOTAL_LABEL
from .headline import headline_section
from .parameters import Parameters
from .prose import percent


def latest_count(data: NationalData) -> tuple[int, int, int]:
    """England's latest year: the year, the children looked after, and those with three or more social workers."""
    if data.cla.empty:
        raise ValueError(f"{data.files.get('swcount')}: no England (National) rows for {CLA_GROUP!r}")
    latest = data.cla.iloc[-1]
    return int(latest["year"]), int(latest["total"]), int(latest["three_plus"])


def england_share(data: NationalData) -> float:
    """England's share of children looked after with three or more social workers, in the latest year."""
    _, total, three = latest_count(data)
    return three / total


def reproduction_checks(data: NationalData) -> list[ReproductionCheck]:
    """England's share with three or more social workers, and its 2025 caseload, turnover and agency rates,
    recomputed from the counts and compared with the published figures (not applicable where the files'
    counts are not the registry's)."""
    _, total, three = latest_count(data)
    cla = data.cla
    reg_year = int(figure("dfe_cla_total_2024").year)
    reg_row = cla.loc[cla["year"] == reg_year]
    same_cla = (
        not reg_row.empty
        and int(reg_row["total"].iloc[0]) == published("dfe_cla_total_2024")
        and int(reg_row["three_plus"].iloc[0]) == published("dfe_cla_3plus_sw_2024")
    )
    cla_share_reg = (
        float(reg_row["three_plus"].iloc[0] / reg_row["total"].iloc[0]) if not reg_row.empty else three / total
    )
    reg_counts = registry_counts_2025()
    same_wf = data.counts_2025 is not None and all(math.isclose(data.counts_2025[k], v) for k, v in reg_counts.items())
    why = "" if same_wf else "the files' 2025 England workforce counts differ from the registry's"
    c = data.counts_2025 if data.counts_2025 is not None else reg_counts
    return [
        reproduce.check(
            "dfe_cla_3plus_sw_pct_2024",
            100 * cla_share_reg,
            applicable=same_cla,
            reason="" if same_cla else f"the files' {reg_year} England counts differ from the registry's",
        ),
        reproduce.check("dfe_caseload_2025", c["cases"] / c["case_holders_fte"], applicable=same_wf, reason=why),
        reproduce.check("dfe_turnover_2025", 100 * c["leavers_fte"] / c["inpost_fte"], applicable=same_wf, reason=why),
        reproduce.check(
            "dfe_agency_rate_2025",
            100 * c["agency_fte"] / (c["agency_fte"] + c["inpost_fte"]),
            applicable=same_wf,
            reason=why,
        ),
    ]


def count_table(frame: pd.DataFrame, index: str) -> pd.DataFrame:
    """Children with three or more social workers and with fewer, as a count table for suppression."""
    table = pd.DataFrame(
        {
            "3 or more social workers": frame["three_plus"].astype("int64").to_numpy(),
            "fewer than 3": (frame["total"] - frame["three_plus"]).astype("int64").to_numpy(),
        },
        index=frame[index].astype(str).to_numpy(),
    )
    table.index.name = index
    return table


def shown_counts_table(s: Suppressed) -> pd.DataFrame:
    """The suppressed display, with the share who had three or more social workers (hidden
    wherever a count it is computed from is hidden)."""
    display = s.display.copy()
    for column in display.columns:
        display[column] = [v if v == MARKER else f"{int(v):,}" for v in display[column]]
    shares = []
    for _, row in display.iterrows():
        three, total = row["3 or more social workers"], row["Total"]
        if MARKER in (three, total):
            shares.append(MARKER)
        else:
            three, total = int(three.replace(",", "")), int(total.replace(",", ""))
            shares.append(f"{three / total:.0%}" if total else "")
    display["share with 3 or more"] = shares
    name = display.index.name or "area"
    return display.rename_axis(name).reset_index()


def _counts(data: NationalData, min_cell_count: int) -> tuple[Suppressed, pd.DataFrame]:
    """The counts of children of the latest year, suppressed: by region from the files, England's otherwise."""
    cla_year, total, three = latest_count(data)
    if data.from_files and data.regions is not None and not data.regions.empty:
        reg = data.regions.loc[lambda d: d["year"] == cla_year]
        reg = pd.DataFrame(
            {"region": reg["region_name"].astype(str), "total": reg[TOTAL_LABEL], "three_plus": reg[THREE_PLUS_LABEL]}
        ).dropna()
        counts = suppress(count_table(reg, "region"), min_cell_count)
    else:
        england = pd.DataFrame({"area": ["England"], "total": [total], "three_plus": [three]})
        counts = suppress(count_table(england, "area"), min_cell_count)
    display = shown_counts_table(counts)
    if not data.from_files:  # one row: its Total row repeats it
        display = display.loc[display.iloc[:, 0] != "Total"]
    return counts, display


def _trend_text(data: NationalData) -> str:
    """How England's share changed over the years read (the registry holds one year)."""
    cla = data.cla
    cla_year, total, three = latest_count(data)
    if not data.from_files:
        return f"The registry holds this figure for {cla_year} only, so the page cannot show change over time in it."
    if len(cla) > 1:
        return (
            f"England's share went from {percent(cla['three_plus'].iloc[0] / cla['total'].iloc[0])} in "
            f"{int(cla['year'].iloc[0])} to {percent(three / total)} in {cla_year}."
        )
    return (
        f"The file holds one year ({cla_year}), so it cannot show change over time in this measure; "
        "the workforce series below covers several years."
    )


def data_source_text(data: NationalData) -> str:
    """What this run read, for the page's "Data on this page" note."""
    if not data.from_files:
        return (
            "England's figures from the compendium's registry of published figures, each quoting its row of DfE's "
            "files (re-run with the parameter dfe_data_dir set to a folder of DfE's files to add the local-authority "
            "analysis)"
        )
    names = ", ".join(path.name for path in data.files.values())
    if data.own_files:
        return (
            f"the DfE files in the folder given (parameter dfe_data_dir: {names}), which are not the files the "
            "registry quotes, so their figures are marked as yours"
        )
    return f"the DfE files in the folder given (parameter dfe_data_dir: {names}), the files the registry quotes"


#: The registry's source of each file the page describes, by the file's key.
FILE_SOURCES = {"swcount": "dfe_cla_swcount_file", "workforce": "dfe_csww_file", "headline": "dfe_cla_number_file"}


def file_sources(data: NationalData) -> dict[str, str]:
    """Each file the page describes, named with its release: the one the registry quotes (in a run on the registry,
    or on the very files it quotes), or the file read from the folder given."""
    out = {}
    for spec in FILES:
        src = source(FILE_SOURCES[spec.key])
        release, _, _ = src.title.partition(": data file ")
        path = data.files.get(spec.key)
        if path is None or sha256_file(path) == src.sha256:
            out[f"{spec.key}_source_text"] = f"{spec.example}, from DfE's release {release}"
        else:
            out[f"{spec.key}_source_text"] = f"{path.name}, in the folder given"
    return out


def children_section(data: NationalData, p: Parameters, checks: list[ReproductionCheck]) -> Section:
    """Section 1: England's children looked after with three or more social workers in the latest year, and
    how the table's count of children differs from DfE's headline count."""
    cla_year, total, three = latest_count(data)
    share = three / total
    counts, display = _counts(data, p.min_cell_count)
    scalars = {
        "data_source_text": data_source_text(data),
        "own_records": data.own_files,
        **file_sources(data),
        "cla_year": cla_year,
        "cla_year_text": str(cla_year),  # a year is a label, not a quantity: prose glues the text
        "cla_total": total,
        "cla_three_plus": three,
        "cla_fewer_than_three": total - three,
        "cla_three_plus_share": share,
        "cla_three_plus_share_printed": reproduce.round_half_up(100 * share, 0) / 100,
        "cla_three_plus_pct_published": published("dfe_cla_3plus_sw_pct_2024"),
        "cla_three_plus_reproduction": checks[0].status,
        **headline_section(data, cla_year, total, p.min_cell_count).scalars,
        "frontline_workers_low": published("frontline_workers_per_case_low"),
        "frontline_workers_high": published("frontline_workers_per_case_high"),
        "three_plus_trend_text": _trend_text(data),
        "min_cell_count": p.min_cell_count,
        "counts_note": counts.note,
    }
    return Section(scalars, {"counts": display}, {"england_share": share, "cla": data.cla})
