"""The page's tables: observations by factor and arm (with small counts suppressed for own records),
practice quality by arm, and the coefficient, mediation and calibration tables as shown."""

from __future__ import annotations

import pandas as pd

from helpers.engine.wording import plural
from helpers.inputs.suppression import MARKER, suppress
from helpers.results import AnalysisResult
from helpers.stats import montecarlo
from helpers.stats.proportions import format_p

from .framework import BANDS, FACTOR_PROSE
from .model import discussion_band, interval_text
from .replication import ESTIMAND_LABELS, ESTIMANDS


def arm_counts(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """2 x 2 (or 3 x 2) count tables of each factor by arm."""
    arm = frame["rsw"].map({1: "RSW", 0: "service as usual"})
    tables = {}
    for name, label in (
        ("systemic_training", "trained in systemic practice"),
        ("csw_programme", "in the CSW programme"),
        ("clinician_present", "clinician in case discussion"),
    ):
        t = pd.crosstab(frame[name].map({1: f"{label}: yes", 0: f"{label}: no"}), arm)
        tables[label] = t.reindex(
            index=[f"{label}: yes", f"{label}: no"], columns=["RSW", "service as usual"], fill_value=0
        )
    band = pd.crosstab(discussion_band(frame["discussion_quality"]).map(lambda b: f"discussion {b}"), arm)
    tables["discussion band"] = band.reindex(
        index=[f"discussion {b}" for b in BANDS], columns=["RSW", "service as usual"], fill_value=0
    )
    return tables


#: Each arm's number of observations (the column totals of every factor's table) is shown in the text.
ARMS_SHOWN = ("column totals", "grand total")


def description_table(frame: pd.DataFrame, threshold: int | None) -> tuple[pd.DataFrame, str]:
    """Observations by factor and arm, as text, with small counts suppressed when ``threshold`` is given
    (own records). Each factor's table is suppressed on its own (its rows partition the arm)."""
    tables = arm_counts(frame)
    columns = ["RSW", "service as usual"]
    blocks, notes, hidden_totals = [], [], set()
    primary = secondary = 0
    for t in tables.values():
        if threshold is None:
            blocks.append(t.astype(str))
            continue
        s = suppress(t, threshold, known=ARMS_SHOWN)
        blocks.append(s.display.loc[t.index, columns])
        total_row = s.display.loc["Total", columns]
        hidden_totals |= {c for c in columns if total_row[c] == MARKER}
        primary += s.primary
        secondary += s.secondary
        notes.append(s)
    n_arm = frame["rsw"].map({1: "RSW", 0: "service as usual"}).value_counts().reindex(columns, fill_value=0)
    all_row = pd.DataFrame(
        [[MARKER if c in hidden_totals else str(int(n_arm[c])) for c in columns]],
        index=["all observations"],
        columns=columns,
    )
    table = pd.concat([*blocks, all_row])
    table.index.name = "observations"
    table = table.reset_index()
    if threshold is None:
        note = "Synthetic records: nothing to protect, so no count is suppressed."
    elif primary == 0:
        note = f"No count in this table is below {threshold}, so nothing is suppressed."
    else:
        note = f"Counts from 1 to {threshold - 1} are suppressed ({MARKER})"
        if secondary:
            cells = plural(secondary, "further cell")
            note += f", and {cells} so that they cannot be worked out from the totals"
        note += "."
    return table, note


def arms_table(frame: pd.DataFrame, threshold: int | None) -> pd.DataFrame:
    """Practice quality by arm: n, units, mean and SD (hidden where n is below the threshold)."""
    rows = []
    for arm, label in ((1, "RSW"), (0, "service as usual")):
        q = frame.loc[frame["rsw"] == arm, "practice_quality"]
        small = threshold is not None and 0 < len(q) < threshold
        rows.append(
            {
                "arm": label,
                "observations": MARKER if small else str(len(q)),
                "units": str(frame.loc[frame["rsw"] == arm, "unit_id"].nunique()),
                "mean practice quality": MARKER if small else f"{q.mean():.2f}",
                "SD": MARKER if small else f"{q.std(ddof=1):.2f}",
            }
        )
    return pd.DataFrame(rows)


def _intervals(t: pd.DataFrame) -> list[str]:
    return [interval_text(lo, hi) for lo, hi in zip(t["low"], t["high"], strict=True)]


def _with_assumed(out: pd.DataFrame, t: pd.DataFrame, result: AnalysisResult) -> pd.DataFrame:
    """The values given to the generator, as a last column (synthetic records only)."""
    if not result.data["own"]:
        out["assumed in the generator"] = t["assumed"].map("{:.2f}".format)
    return out


def coefficient_table(result: AnalysisResult) -> pd.DataFrame:
    c, m = result.tables["coefficients"], result.tables["mixed"]
    level = result.params["ci_level"]
    out = pd.DataFrame(
        {
            "factor": c["factor"],
            "estimate (clustered OLS)": c["estimate"].map("{:.2f}".format),
            f"{level:.0%} interval": _intervals(c),
            "p": c["p"].map(lambda x: format_p(x).removeprefix("p ").removeprefix("= ")),
            "mixed model estimate": m["estimate"].map("{:.2f}".format).to_numpy(),
            f"mixed model {level:.0%} interval": _intervals(m),
        }
    )
    return _with_assumed(out, c, result)


def mediation_table(result: AnalysisResult) -> pd.DataFrame:
    """The clinician's total, direct and indirect effects; each bootstrap limit printed to the precision its
    Monte Carlo error supports (:mod:`helpers.stats.montecarlo`)."""
    t = result.tables["mediation"]
    level = result.params["ci_level"]
    out = pd.DataFrame(
        {
            "effect of a clinician in case discussion": t["effect"],
            "estimate": t["estimate"].map("{:.2f}".format),
            f"{level:.0%} cluster-bootstrap interval": [
                f"{montecarlo.text(r.low, r.low_mcse)} to {montecarlo.text(r.high, r.high_mcse)}"
                for r in t.itertuples()
            ],
        }
    )
    return _with_assumed(out, t, result)


def power_table(result: AnalysisResult) -> pd.DataFrame:
    """How often a study of this design finds each factor, and all four, in each way of testing them (columns;
    :data:`ESTIMANDS`), each share to the precision its Monte Carlo error supports."""
    s = result.scalars

    def share(name: str) -> str:
        return montecarlo.text(float(s[name]), float(s[f"{name}_mcse"]), "percent")

    rows = [
        (FACTOR_PROSE["systemic_training"], "power_training", "power_training", "power_training_alone"),
        (FACTOR_PROSE["csw_programme"], "power_csw", "power_csw", "power_csw_alone"),
        (FACTOR_PROSE["discussion_quality"], "power_discussion", "power_discussion", "power_discussion_alone"),
        (FACTOR_PROSE["clinician_present"], "power_clinician", "power_clinician_both", "power_clinician_alone"),
        ("all four", "power_all_four", "power_all_four_total", "power_all_four_alone"),
    ]
    return pd.DataFrame(
        [
            {
                "found significant": label,
                **{ESTIMAND_LABELS[e]: share(name) for e, name in zip(ESTIMANDS, names, strict=True)},
            }
            for label, *names in rows
        ]
    )


def mde_units_table(result: AnalysisResult) -> pd.DataFrame:
    """The smallest detectable difference (standard deviations) by number of units (rows) and intraclass
    correlation (columns), the page's own assumptions labelled; a blank where an arm is too small to test."""
    grid = result.tables["mde_grid"]
    s, own = result.scalars, result.data["own"]
    units_mark = " (your records)" if own else " (the page's assumption)"

    def units_label(u: int) -> str:
        return f"{u:,d} units" + (units_mark if u == s["n_units"] else "")

    def icc_label(icc: float) -> str:
        return f"ICC {icc:g}" + (" (assumed)" if icc == s["mde_icc"] else "")

    table = grid.pivot(index="units", columns="icc", values="mde")
    shown = table.map(lambda v: "" if pd.isna(v) else f"{v:.2f}")
    shown.index = [units_label(int(u)) for u in table.index]
    shown.columns = [icc_label(float(c)) for c in table.columns]
    return shown.rename_axis("observations spread over").reset_index()


def calibration_table(result: AnalysisResult) -> pd.DataFrame:
    t = result.tables["calibration"].copy()
    for col in ("published share", "expected share (generator)", "share in these RSW observations"):
        t[col] = t[col].map(lambda v: v if v == MARKER else f"{v:.0%}")
    if result.data["own"]:
        t = t.drop(columns=["expected share (generator)"]).rename(
            columns={"share in these RSW observations": "share in your RSW observations"}
        )
    return t
