"""Part of section 1 of the page: how the count of children in DfE's social worker table differs from
DfE's headline count of children looked after.

The social worker table (``la_cla_swcount.csv``, from the *Stability measures* release) counts the children
looked after on 31 March whose social workers were returned: it leaves out any authority that made no
social worker return (its counts are ``x``), and it was compiled from the year's first returns. The headline
count (``cla_number_and_rate_per_10k_children.csv``, from *Children looked after in England including
adoptions*) counts every authority, and a later release carries the authorities' revisions to earlier years.
Built from the registry, the page compares England's two counts with the registry's figures; given the files,
it compares them authority by authority when the folder holds the headline file.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers.engine.wording import noun_for
from helpers.inputs.dfe import LOCAL_AUTHORITY, NATIONAL
from helpers.page.registry import figure, published
from helpers.results import Section

from .data import NationalData
from .files import FILES
from .prose import signed

#: The headline file's name as downloaded (shown when a folder lacks it).
HEADLINE_FILE = next(spec.example for spec in FILES if spec.key == "headline")


@dataclass(frozen=True)
class Reconciliation:
    """England's headline count beside the social worker table's, and what the difference is made of."""

    year: int
    headline: int  # DfE's headline count of children looked after on 31 March
    table: int  # the social worker table's count of the same children
    missing: list[tuple[str, float, str]]  # authorities with no count in the table: name, headline count, why
    revised: int  # authorities counted in both whose two counts differ
    revised_net: int  # the headline count minus the table's, summed over those authorities
    later_release: bool  # the headline file holds a later year than the table (a later release, with revisions)

    @property
    def difference(self) -> int:
        return self.headline - self.table

    @property
    def remainder(self) -> int:
        """The difference not made by the authorities missing from the table."""
        return self.difference - int(sum(count for _, count, _ in self.missing))


#: Why the registry's missing authority is not in the table (DfE's footnote to the table).
REGISTRY_MISSING_REASON = "which made no social worker return"


def from_registry(year: int, table: int) -> Reconciliation | None:
    """The registry's headline count and its one authority missing from the table (the registry's year only)."""
    if year != int(figure("dfe_cla_total_2024").year) or table != published("dfe_cla_total_2024"):
        return None
    headline, missing = int(published("dfe_cla_headline_2024")), figure("dfe_cla_barnet_2024")
    name = missing.quote.split(",")[8]  # the quoted row's la_name
    # The authorities' revisions are not in the registry: the page reports the rest as a remainder.
    return Reconciliation(year, headline, table, [(name, missing.value, REGISTRY_MISSING_REASON)], 0, 0, True)


def from_files(data: NationalData, year: int, table: int) -> Reconciliation | None:
    """The headline file's count for ``year``, compared with the table authority by authority."""
    h = data.headline
    if h is None or data.la is None:
        return None
    national = h.loc[(h["level"] == NATIONAL) & (h["year"] == year), "count"].dropna()
    if national.empty:
        return None
    la_h = h.loc[(h["level"] == LOCAL_AUTHORITY) & (h["year"] == year), ["new_la_code", "la_name", "count"]]
    la_t = data.la.loc[data.la["year"] == year, ["new_la_code", "total", "total_status"]]
    both = la_h.merge(la_t, on="new_la_code", how="left")
    absent = both["total"].isna() & both["count"].notna() & (both["count"] > 0)
    missing = [(str(r.la_name), float(r.count), _why(r.total_status)) for r in both.loc[absent].itertuples()]
    counted = both.loc[both["total"].notna() & both["count"].notna()]
    differ = counted["count"] != counted["total"]
    net = int((counted["count"] - counted["total"]).sum())
    later = int(h["year"].max()) > year
    return Reconciliation(year, int(national.iloc[0]), table, missing, int(differ.sum()), net, later)


def _why(status: object) -> str:
    """Why an authority has no count in the table: DfE's symbol's meaning, or its row missing."""
    return "not in the table at all" if pd.isna(status) else f"whose count the table gives as {status}"


def _missing_text(r: Reconciliation, min_cell_count: int) -> str:
    """The authorities the table leaves out, each with its headline count (a count below the threshold
    is not shown)."""
    shown = [
        f"{name}, {why} ("
        + (f"{int(count):,} children" if count >= min_cell_count else f"fewer than {min_cell_count} children")
        + " in the headline count)"
        for name, count, why in r.missing
    ]
    return "Not in the social worker table: " + "; ".join(shown) + "."


def reconciliation_text(r: Reconciliation | None, year: int, min_cell_count: int, registry: bool) -> str:
    """The difference between the two counts, in words, for this run."""
    if r is None:
        return (
            f"DfE's headline count of children looked after on 31 March {year} is not among the figures this run "
            f"read (the folder holds no {HEADLINE_FILE} with that year), so the page cannot say how the social "
            "worker table's count differs from it."
        )
    sign = "fewer" if r.difference > 0 else "more"
    text = (
        f"DfE's headline count of children looked after on 31 March {r.year} is {r.headline:,}; the social worker "
        f"table counts {r.table:,}, {abs(r.difference):,} {sign}. "
    )
    if r.missing:
        text += _missing_text(r, min_cell_count) + " "
    if registry:
        return text + (
            f"The remaining {signed(r.remainder, '+,')} is the net of the authorities' revisions to their {r.year} "
            "figures, which the headline count carries from a later release, and of rounding England's counts to "
            f"the nearest 10 (a run on the DfE files, with {HEADLINE_FILE} in the folder, shows it authority by "
            "authority)."
        )
    if not r.revised:
        return text + "Every other authority has the same count in both files; England's counts are rounded to 10."
    later = (
        " (the headline file is from a later release, which carries authorities' revisions)" if r.later_release else ""
    )
    return text + (
        f"Of the other authorities, {r.revised:,} {noun_for(r.revised, 'has', 'have')} a different count in the two "
        f"files, {signed(r.revised_net, '+,')} {noun_for(abs(r.revised_net), 'child', 'children')} in all{later}; "
        "England's counts are rounded to the nearest 10."
    )


def headline_section(data: NationalData, year: int, table: int, min_cell_count: int) -> Section:
    """The headline count beside the social worker table's count, and the reconciliation in words."""
    r = from_files(data, year, table) if data.from_files else None
    # the registry's headline count goes with the registry's figures (or the very files it quotes), not the user's
    registry = r is None and not data.own_files and (r := from_registry(year, table)) is not None
    scalars: dict[str, object] = {
        "cla_headline_text": reconciliation_text(r, year, min_cell_count, registry),
        "cla_headline_known": r is not None,
    }
    if r is not None:
        scalars |= {"cla_headline_total": r.headline, "cla_headline_difference": r.difference}
    return Section(scalars)
