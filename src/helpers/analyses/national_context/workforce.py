"""Section 4 of the page: the workforce over time. England's social workers in post, caseload,
turnover and agency-worker rate by year, with the spread between authorities and each rate
recomputed from its counts when the official files were read."""

from __future__ import annotations

import pandas as pd

from helpers.page import reproduce
from helpers.page.reproduce import ReproductionCheck
from helpers.results import Section

from .data import NationalData

#: The rates drawn with the spread between authorities, with their names in the table.
SPREAD_RATES = (
    ("caseload_fte", "caseload"),
    ("turnover_rate_fte", "turnover (%)"),
    ("agency_rate_fte", "agency workers (%)"),
)


def _direction(first: float, last: float, spec: str) -> str:
    """'rose', 'fell' or 'did not change', compared at the precision the figures are shown."""
    a, b = f"{first:{spec}}", f"{last:{spec}}"
    return "did not change" if a == b else "rose" if last > first else "fell"


def _workforce_peaks(wf: pd.DataFrame) -> str:
    """When a rate was higher in a year between the first and the latest than in either, say so."""
    first, last = wf.iloc[0], wf.iloc[-1]
    parts = []
    for column, label in (("turnover_rate_fte", "turnover"), ("agency_rate_fte", "the agency-worker rate")):
        top = wf.loc[wf[column].idxmax()]
        if top[column] > max(first[column], last[column]):
            parts.append(f"{label} was highest in {int(top['year'])} ({top[column]:.1f}%)")
    if not parts:
        return f"In none of the {len(wf)} years read was either rate higher than at both ends of the period."
    text = " and ".join(parts)
    return f"Of the {len(wf)} years read, {text}."


def rates_check(workforce: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Each England rate recomputed from its counts, beside the rate the file prints."""
    rows = []
    for _, w in workforce.iterrows():
        for name, computed, printed in (
            ("caseload", w["cases"] / w["case_holders_fte"], w["caseload_fte"]),
            ("turnover (%)", 100 * w["leavers_fte"] / w["inpost_fte"], w["turnover_rate_fte"]),
            (
                "agency-worker rate (%)",
                100 * w["agency_fte"] / (w["agency_fte"] + w["inpost_fte"]),
                w["agency_rate_fte"],
            ),
        ):
            rows.append(
                {
                    "year": int(w["year"]),
                    "measure": name,
                    "computed": computed,
                    "printed": printed,
                    "match": reproduce.round_half_up(float(computed), 1) == reproduce.round_half_up(float(printed), 1),
                }
            )
    table = pd.DataFrame(rows)
    misses = table.loc[~table["match"]]
    text = (
        f"Recomputed from the counts, England's caseload, turnover and agency-worker rates match the rates the file "
        f"prints (to one decimal) in {int(table['match'].sum())} of {len(table)} year-and-measure pairs"
    )
    if len(misses):
        text += "; they differ in " + "; ".join(
            f"{m['year']} {m['measure'].replace(' (%)', '')} ({m['computed']:.2f} computed, {m['printed']:g} printed)"
            for _, m in misses.iterrows()
        )
    return table, text + "."


def authorities_spread(la_workforce: pd.DataFrame) -> pd.DataFrame:
    """The authorities' quartiles of each rate by year (columns: (rate, quantile))."""
    columns = [column for column, _ in SPREAD_RATES]
    return la_workforce.groupby("year")[columns].quantile([0.25, 0.5, 0.75]).unstack()


def workforce_table(wf: pd.DataFrame, spread: pd.DataFrame | None) -> pd.DataFrame:
    """England's series for the page, with the authorities' medians when the files were read."""
    table = pd.DataFrame(
        {
            "year (30 September)": wf["year"].astype(int),
            "social workers in post (FTE)": wf["inpost_fte"],
            "caseload (cases per case holder, FTE)": wf["caseload_fte"],
            "turnover (%)": wf["turnover_rate_fte"],
            "agency workers (%)": wf["agency_rate_fte"],
        }
    )
    if spread is not None:
        for column, label in SPREAD_RATES:
            table[f"authorities' median {label}"] = spread[(column, 0.5)].reindex(wf["year"]).to_numpy()
    return table


def _series_scalars(wf: pd.DataFrame) -> dict[str, object]:
    """The first and latest years of England's series, which way each measure went, and the peaks."""
    first, last = wf.iloc[0], wf.iloc[-1]
    turnover_peak = wf.loc[wf["turnover_rate_fte"].idxmax()]
    agency_peak = wf.loc[wf["agency_rate_fte"].idxmax()]
    return {
        "workforce_first_year": int(first["year"]),
        "workforce_latest_year": int(last["year"]),
        "workforce_first_year_text": str(int(first["year"])),
        "workforce_latest_year_text": str(int(last["year"])),
        "fte_first": float(first["inpost_fte"]),
        "fte_latest": float(last["inpost_fte"]),
        "caseload_first": float(first["caseload_fte"]),
        "caseload_latest": float(last["caseload_fte"]),
        "turnover_first": float(first["turnover_rate_fte"]),
        "turnover_latest": float(last["turnover_rate_fte"]),
        "agency_first": float(first["agency_rate_fte"]),
        "agency_latest": float(last["agency_rate_fte"]),
        "fte_direction": _direction(first["inpost_fte"], last["inpost_fte"], ",.0f"),
        "caseload_direction": _direction(first["caseload_fte"], last["caseload_fte"], ".1f"),
        "turnover_direction": _direction(first["turnover_rate_fte"], last["turnover_rate_fte"], ".1f"),
        "agency_direction": _direction(first["agency_rate_fte"], last["agency_rate_fte"], ".1f"),
        "workforce_peaks_text": _workforce_peaks(wf),
        "workforce_n_years": len(wf),
        "turnover_peak": float(turnover_peak["turnover_rate_fte"]),
        "turnover_peak_year_text": str(int(turnover_peak["year"])),
        "agency_peak": float(agency_peak["agency_rate_fte"]),
        "agency_peak_year_text": str(int(agency_peak["year"])),
    }


def workforce_section(data: NationalData, checks: list[ReproductionCheck]) -> Section:
    """Section 4: England's workforce by year (checks[1:] are its rates' reproduction checks)."""
    wf = data.workforce.sort_values("year").reset_index(drop=True)
    spread = authorities_spread(data.la_workforce) if data.la_workforce is not None else None
    rate_checks = checks[1:]
    scalars = {
        "workforce_rates_reproduction": (
            "reproduced"
            if all(ch.status == "reproduced" for ch in rate_checks)
            else "; ".join(sorted({ch.status for ch in rate_checks}))
        ),
        **_series_scalars(wf),
    }
    tables = {"workforce": workforce_table(wf, spread)}
    if data.from_files:
        tables["rates_check"], scalars["rates_check_text"] = rates_check(wf)
    else:
        scalars["rates_check_text"] = (
            "The registry holds the counts behind the rates for the latest year only, so "
            "earlier years are not recomputed."
        )
    return Section(scalars, tables, {"workforce": wf, "la_spread": spread})
