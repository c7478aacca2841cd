"""National context: how many social workers children in care have, and the workforce behind them.

Two of the evaluations point at who holds a case. The Frontline evaluation
(seed 000) found two or three social workers typically involved in a case and
recommended that one social worker hold the case; the outcomes study described
in seed 001 could only enrol families who had had one social worker over the
period of support, and struggled to find enough of them. The Department for
Education's official statistics say how common changes of social worker are:

* ``la_cla_swcount.csv``: children looked after on 31 March, and how many of
  them had three or more social workers during the year, for England, each
  region and each local authority;
* ``csww_indicators_<years>.csv``: the children and family social work
  workforce by local authority and year: full-time equivalents (FTE) in post,
  leavers, agency workers, case holders and cases.

With ``dfe_data_dir = ""`` (the default, and the book's page) the analysis uses
England-level figures from the registry of published figures, each quoting
its row of the official file: every year of the workforce series (2017 to 2025)
and the latest count of children looked after. With no local-authority rows the
funnel plot is left out, and the page says why. Given the folder of downloaded official files it
reads them (:mod:`helpers.inputs.dfe`) and adds the local-authority analysis: a
funnel plot of each authority's share against the chance variation expected
around England's share for its number of children, the workforce series with
the spread between authorities, and the correlation between authorities'
workforce turnover or agency rates and their share of children with three or
more social workers. Counts of children read from the folder go through
small-cell suppression (:mod:`helpers.inputs.suppression`) before any table or
figure shows them.

A simple benchmark puts the share in context: if a child's social worker
changed only when the worker left the local authority (leaving at the
published turnover rate, at random times), how many children would have three
or more social workers in a year? See :func:`turnover_only_share`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter
from scipy import stats as sps

from helpers.page import reproduce
from helpers.inputs import dfe
from helpers.inputs.dfe import LOCAL_AUTHORITY, NATIONAL, REGIONAL, DfeFileError, at_level, read_ees, status_counts
from helpers.params import ParamSpec, ParameterError, ParameterSet, param
from helpers.engine.paths import sha256_file
from helpers.page import kinds
from helpers.page.plotting import COLOURS, PERCENT, dependence_plot
from helpers.inputs.records import MAX_ROWS_SHOWN, file_lines
from helpers.page.registry import figure, published, published_share, registry_input
from helpers.page.reproduce import FigureUse
from helpers.results import AnalysisResult
from helpers.stats.sensitivity import Uncertain, central_range, depends_most
from helpers.stats.proportions import binomial_test_greater, format_p
from helpers.inputs.suppression import MARKER, Suppressed, suppress

TITLE = "National context: how many social workers do children in care have?"
SUMMARY = (
    "DfE official statistics: children looked after with three or more social workers in a year, and the "
    "workforce's caseloads, turnover and agency rates (England; by local authority from the official files)"
)


# ------------------------------------------------------------------ the official files
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
)
CLA_GROUP = "CLA on 31 March"
#: Why an authority is left out when the file lacks one of its two rows.
MISSING_TOTAL = "no 'Total children' row in the file"
MISSING_THREE_PLUS = "no three-or-more row in the file"
TOTAL_LABEL = "Total children"
THREE_PLUS_LABEL = "3 or more social workers during the year"
#: Regions proper (ONS E12 codes); the files also hold Inner and Outer London (E13), which overlap London.
REGION_CODE_PREFIX = "E12"
#: Funnel-plot limits: the conventional 95% and 99.8% (about 2 and 3 standard deviations).
FUNNEL_COVERAGES = (0.95, 0.998)
#: Years of England's workforce series held in the registry (every year of csww_indicators_2017_to_2025.csv).
WORKFORCE_YEARS: tuple[int, ...] = tuple(range(2017, 2026))
#: Range of the number of children looked after drawn in the funnel plot when no local-authority rows are read.
FUNNEL_RANGE_DEFAULT = (10, 3000)


class Parameters(ParameterSet):
    """This analysis's parameters, in notebook order (validated values: ``PARAMETERS.validate``)."""

    dfe_data_dir: str = param(
        "",
        "Folder holding DfE's la_cla_swcount.csv and csww_indicators_<years>.csv (explore education "
        "statistics downloads) for the local-authority analysis; '' uses England figures from the registry",
        is_path=True,
        path_kind="dir",
    )
    min_cell_count: int = param(
        5,
        "Counts of children read from dfe_data_dir below this are suppressed ([c]) in tables and figures, "
        "with the cells that would reveal them",
        minimum=1,
        maximum=1000,
        unit="children",
    )
    turnover_rate: float = param(
        published_share("dfe_turnover_2024"),
        f"Annual turnover of social workers used by the turnover-only model (published: England, year to "
        f"30 September 2024, {published('dfe_turnover_2024')}%)",
        minimum=0,
        maximum=1,
        minimum_exclusive=True,
        maximum_exclusive=True,
    )
    workforce_year_offset: int = param(
        0,
        "Workforce census set beside each children-looked-after year in the local-authority comparison: "
        "0 = 30 September of the same reporting year, -1 = the year before",
        minimum=-1,
        maximum=0,
        unit="years",
    )
    ci_level: float = param(
        0.95, "Confidence level of the correlation intervals", minimum=0.5, maximum=1, maximum_exclusive=True
    )


PARAMETERS = ParamSpec.of(Parameters)


def find_files(folder: str | Path) -> dict[str, Path]:
    """The official files in ``folder``, by key; a :class:`ParameterError` naming ``dfe_data_dir``,
    the folder and the missing files otherwise."""
    folder = Path(folder)
    found: dict[str, Path] = {}
    problems: list[str] = []
    for spec in FILES:
        matches = sorted(p for p in folder.glob(spec.pattern) if not p.name.endswith(".meta.csv"))
        if not matches:
            problems.append(f"no {spec.pattern} file, e.g. {spec.example}")
        elif len(matches) > 1:
            problems.append(f"several {spec.pattern} files ({', '.join(p.name for p in matches)}): keep one")
        else:
            found[spec.key] = matches[0]
    if problems:
        expected = " and ".join(spec.example for spec in FILES)
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
    groups: dict[tuple, list[int]] = {}
    for position, key in zip(text.index, text.itertuples(index=False, name=None)):
        groups.setdefault(key, []).append(position)
    shown = [
        f"file lines {file_lines(lines)} ({', '.join(f'{k} {v!r}' for k, v in zip(keys, key) if v)})"
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
    total = swcount.loc[swcount["sw_stability"] == TOTAL_LABEL, on + ["number"]].reset_index(names="total_line")
    three = swcount.loc[swcount["sw_stability"] == THREE_PLUS_LABEL].reset_index(names="three_line")
    both = three.merge(total, on=on, suffixes=("", "_total"))
    above = both.loc[(both["number"] > both["number_total"]).fillna(False).astype(bool)]
    problems = [
        f"column 'number': {_area_name(row)} in {int(row['time_period'])} has {int(row['number'])} children with "
        f"{THREE_PLUS_LABEL!r} but {int(row['number_total'])} {TOTAL_LABEL!r} (file lines "
        f"{file_lines(sorted([row['three_line'], row['total_line']]))}): the count of children with three or more social "
        "workers cannot exceed the total"
        for _, row in above.head(MAX_ROWS_SHOWN).iterrows()
    ]
    if len(above) > MAX_ROWS_SHOWN:
        problems.append(f"and {len(above) - MAX_ROWS_SHOWN} more areas whose three-or-more count exceeds the total")
    return problems


def read_files(folder: str | Path) -> dict[str, pd.DataFrame]:
    """Read and check the official files in ``folder`` (clear errors for missing files, another
    layout, missing columns and labels, repeated rows, or more children with three or more social
    workers than in total)."""
    paths = find_files(folder)
    frames = {
        spec.key: read_ees(paths[spec.key], require=spec.require, indicators=spec.indicators, bounds=dict(spec.bounds))
        for spec in FILES
    }
    keys = {spec.key: spec.keys for spec in FILES}
    swcount = frames["swcount"]
    labels = set(swcount["sw_stability"].dropna())
    missing = [lab for lab in (TOTAL_LABEL, THREE_PLUS_LABEL) if lab not in labels]
    if missing or CLA_GROUP not in set(swcount["cla_group"].dropna()):
        raise DfeFileError(
            str(paths["swcount"]),
            [
                f"column 'sw_stability' needs the rows {TOTAL_LABEL!r} and {THREE_PLUS_LABEL!r} and column 'cla_group' "
                f"the value {CLA_GROUP!r} (found sw_stability: {', '.join(sorted(labels)) or 'none'})"
            ],
        )
    for key, frame in frames.items():
        problems = _duplicate_rows(frame, keys[key])
        if key == "swcount" and not problems:
            problems = _three_plus_above_total(frame, keys[key])
        if problems:
            raise DfeFileError(str(paths[key]), problems)
    for key, frame in frames.items():
        frame.attrs["path"] = str(paths[key])
    return frames


def check_inputs(params: Mapping[str, Any]) -> None:
    """Refuse a ``dfe_data_dir`` without the expected files, or with files of another layout,
    before a kernel starts (called by ``compendium run``)."""
    p = PARAMETERS.validate(params)
    if p["dfe_data_dir"]:
        read_files(p["dfe_data_dir"])


# ------------------------------------------------------------------ statistics
def turnover_only_share(turnover_rate: float, workers: int = 3) -> float:
    """Share of children with at least ``workers`` social workers in a year if the worker changed
    only when the worker left, leaving at random times (a Poisson process) at a rate such that a
    given worker leaves within the year with probability ``turnover_rate``.

    Changes in a year ~ Poisson(λ) with λ = −ln(1 − turnover_rate); at least ``workers`` workers
    means at least ``workers − 1`` changes. (A child looked after for the whole year; a child
    who entered care during the year is exposed for less, so this is an upper bound for them.)
    """
    if not 0 < turnover_rate < 1:
        raise ValueError(f"turnover_rate {turnover_rate!r} must be in (0, 1)")
    lam = -math.log1p(-turnover_rate)
    return float(sps.poisson.sf(workers - 2, lam))


# ------------------------------------------------------------------ what the benchmark depends on
#: The turnover-only benchmark rests on assumptions. Two can be put on a scale and moved:
#: * the time window: DfE's turnover is for a year ending in September, the children's year ends in March,
#:   and the rate moves from year to year; its spread is that of the published England series;
#: * who is counted: the turnover covers employed social workers only. Agency workers, a published share of
#:   the workforce, hold cases too; the model assumes they leave at the same rate (a ratio of 1). How much
#:   faster or slower they leave is not published: an assumption with a wide spread.
#: The third, that workers leave at random (every child's worker equally likely to leave), is checked beside
#: the tornado: a spread of leaving rates between children (gamma-distributed rates, so that changes follow a
#: negative binomial distribution) with a coefficient of variation of RATE_SPREAD_CHECK.
AGENCY_LEAVING_RATIO_CV = 0.5
RATE_SPREAD_CHECK = 1.0
#: The benchmark's conclusion (``_model_verdict``) changes where the published share is twice the model's.
RATIO_THRESHOLD = 2.0
BENCHMARK_LABELS = {
    "turnover_rate": "Yearly turnover of employed social workers",
    "agency_leaving_ratio": "Agency workers' leaving rate, relative to employed workers'",
}


def turnover_series() -> np.ndarray:
    """England's published turnover rates, every year of the workforce series (shares)."""
    return np.array([published_share(f"dfe_turnover_{y}") for y in WORKFORCE_YEARS])


def changes_at_least(lam, workers: int = 3, rate_cv=0.0):
    """Share of children with at least ``workers`` social workers when changes of worker in a year have mean
    ``lam``: Poisson if every child's worker is equally likely to leave (``rate_cv`` = 0), negative binomial
    if leaving rates vary between children with coefficient of variation ``rate_cv`` (vectorised)."""
    lam = np.asarray(lam, dtype=float)
    if rate_cv == 0:
        return sps.poisson.sf(workers - 2, lam)
    shape = 1 / rate_cv**2
    return sps.nbinom.sf(workers - 2, shape, shape / (shape + lam))


def benchmark_model(share: float, agency_share: float):
    """The published share over the turnover-only share (vectorised over ``turnover_rate`` and
    ``agency_leaving_ratio``): leaving at rate −ln(1 − turnover) a year among employed workers, and that rate
    times the ratio among the ``agency_share`` of case holders who are agency workers."""

    def model(x: Mapping[str, np.ndarray]) -> np.ndarray:
        lam = -np.log1p(-np.asarray(x["turnover_rate"], dtype=float))
        lam = lam * ((1 - agency_share) + agency_share * np.asarray(x["agency_leaving_ratio"], dtype=float))
        return share / changes_at_least(lam)

    return model


def benchmark_inputs(turnover_rate: float) -> list[Uncertain]:
    series = turnover_series()
    cv = float(series.std(ddof=1) / series.mean())
    return [
        Uncertain("turnover_rate", turnover_rate, cv, "share", BENCHMARK_LABELS["turnover_rate"]),
        Uncertain(
            "agency_leaving_ratio", 1.0, AGENCY_LEAVING_RATIO_CV, "positive", BENCHMARK_LABELS["agency_leaving_ratio"]
        ),
    ]


def benchmark_dependence(share: float, turnover_rate: float, agency_share: float) -> dict[str, Any]:
    """Tornado over the benchmark's assumptions, the top one varied over the central 95% of its spread."""
    model, inputs = benchmark_model(share, agency_share), benchmark_inputs(turnover_rate)
    dep = depends_most(model, inputs, central_range, RATIO_THRESHOLD)
    lam = -math.log1p(-turnover_rate)
    uneven = share / float(changes_at_least(lam, rate_cv=RATE_SPREAD_CHECK))
    return {**dep, "uneven_ratio": uneven}


def _benchmark_value(name: str, value: float) -> str:
    """An input of the benchmark for prose: turnover as a percentage, the agency ratio as times."""
    return f"{value:.1%}" if name == "turnover_rate" else f"{value:.1f} times"


def _benchmark_text(dep: Mapping[str, Any]) -> str:
    top, table = dep["top"], dep["table"]
    lo, hi = float(table["outcome"].min()), float(table["outcome"].max())
    if top.name == "turnover_rate":
        span = f"turnover from {table['value'].iloc[0]:.1%} to {table['value'].iloc[-1]:.1%}"
    else:
        span = f"agency workers leaving {table['value'].iloc[0]:.1f} to {table['value'].iloc[-1]:.1f} times as often as employed ones"
    verdict = (
        "so the conclusion that most changes come from something other than workers leaving holds over that range"
        if not dep["flips"] and lo > RATIO_THRESHOLD
        else "so the conclusion changes inside that range"
    )
    return (
        f"It depends most on the {top.label[0].lower() + top.label[1:]} (found by moving each assumption in "
        f"turn): with {span}, the published share is {lo:.0f} to {hi:.0f} times the model's, {verdict}. If "
        f"leaving is not random but some children's workers leave far more often than others' (a spread of "
        f"leaving rates as large as their average), the ratio is about {dep['uneven_ratio']:.0f}."
    )


def funnel_limits(p: float, n: np.ndarray, coverage: float) -> tuple[np.ndarray, np.ndarray]:
    """Control limits of a funnel plot for a proportion: the range of shares within which a unit
    with ``n`` cases would fall with probability ``coverage`` if its true share were ``p``.

    Exact binomial limits with the interpolation of Spiegelhalter (2005, *Statistics in
    Medicine* 24:1185–1202): with r the ``q`` quantile of Binomial(n, p) and
    α = (F(r) − q) / (F(r) − F(r − 1)), the limit is (r − α) / n.
    """
    n = np.asarray(n, dtype=float)

    def limit(q: float) -> np.ndarray:
        r = sps.binom.ppf(q, n, p)
        f_r, f_below = sps.binom.cdf(r, n, p), sps.binom.cdf(r - 1, n, p)
        alpha = np.where(f_r > f_below, (f_r - q) / np.where(f_r > f_below, f_r - f_below, 1.0), 0.0)
        return np.clip((r - alpha) / n, 0.0, 1.0)

    tail = (1 - coverage) / 2
    return limit(tail), limit(1 - tail)


def pearson(x: np.ndarray, y: np.ndarray, level: float) -> dict[str, float]:
    """Pearson's r with its confidence interval (Fisher's z transformation, as scipy computes it)."""
    res = sps.pearsonr(x, y)
    ci = res.confidence_interval(confidence_level=level)
    return {
        "r": float(res.statistic),
        "low": float(ci.low),
        "high": float(ci.high),
        "n": int(len(x)),
        "p": float(res.pvalue),
    }


# ------------------------------------------------------------------ the data, in both modes
def _registry_data() -> dict[str, Any]:
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
    rows = []
    for year in WORKFORCE_YEARS:
        rows.append(
            {
                "year": year,
                "inpost_fte": published(f"dfe_fte_social_workers_{year}"),
                "caseload_fte": published(f"dfe_caseload_{year}"),
                "turnover_rate_fte": published(f"dfe_turnover_{year}"),
                "agency_rate_fte": published(f"dfe_agency_rate_{year}"),
            }
        )
    workforce = pd.DataFrame(rows)
    counts_2025 = {
        "cases": published("dfe_cases_2025"),
        "case_holders_fte": published("dfe_case_holders_fte_2025"),
        "leavers_fte": published("dfe_leavers_fte_2025"),
        "inpost_fte": published("dfe_fte_social_workers_2025"),
        "agency_fte": published("dfe_agency_fte_2025"),
    }
    return {
        "cla": cla,
        "workforce": workforce,
        "counts_2025": counts_2025,
        "la": None,
        "la_workforce": None,
        "regions": None,
        "files": {},
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


def _file_data(folder: str) -> dict[str, Any]:
    frames = read_files(folder)
    sw, wf = frames["swcount"], frames["workforce"]
    nat_wf = at_level(wf, NATIONAL).set_index("time_period").sort_index()
    workforce = pd.DataFrame(
        {
            "year": nat_wf.index.astype(int),
            **{
                c: nat_wf[c].astype("float64").to_numpy()
                for c in (
                    "inpost_fte",
                    "caseload_fte",
                    "turnover_rate_fte",
                    "agency_rate_fte",
                    "cases",
                    "case_holders_fte",
                    "leavers_fte",
                    "agency_fte",
                )
            },
        }
    )
    counts_2025 = None
    if 2025 in nat_wf.index:
        row = nat_wf.loc[2025]
        counts_2025 = {
            c: float(row[c]) for c in ("cases", "case_holders_fte", "leavers_fte", "inpost_fte", "agency_fte")
        }
    la_wf = at_level(wf, LOCAL_AUTHORITY)
    la_workforce = pd.DataFrame(
        {
            "year": la_wf["time_period"].astype(int),
            "new_la_code": la_wf["new_la_code"].astype(str),
            **{c: la_wf[c].astype("float64") for c in ("caseload_fte", "turnover_rate_fte", "agency_rate_fte")},
        }
    )
    regional = at_level(sw, REGIONAL).loc[
        lambda d: (d["cla_group"] == CLA_GROUP) & d["region_code"].str.startswith(REGION_CODE_PREFIX)
    ]
    regions = (
        regional.pivot_table(
            index=["time_period", "region_name"], columns="sw_stability", values="number", aggfunc="first"
        )
        .reset_index()
        .rename(columns={"time_period": "year"})
    )
    return {
        "cla": _national_cla(sw),
        "workforce": workforce,
        "counts_2025": counts_2025,
        "la": _la_cla(sw),
        "la_workforce": la_workforce,
        "regions": regions,
        "files": {key: Path(frame.attrs["path"]) for key, frame in frames.items()},
        "frames": frames,
    }


# ------------------------------------------------------------------ the analysis
def _count_table(frame: pd.DataFrame, index: str) -> pd.DataFrame:
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


def _shown_counts(s: Suppressed) -> pd.DataFrame:
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


def _percent(x: float) -> str:
    return f"{x:.0%}"


def _signed(x: float, spec: str = ".2f") -> str:
    """A number for prose, with a true minus sign."""
    return f"{x:{spec}}".replace("-", "\u2212")


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


def _turnover_year(rate: float) -> int | None:
    """The year of the registry's England turnover rate equal to ``rate`` (the default), if any."""
    for year in sorted(WORKFORCE_YEARS, reverse=True):
        if math.isclose(rate, published_share(f"dfe_turnover_{year}"), rel_tol=1e-12):
            return year
    return None


def _model_verdict(share: float, model: float) -> str:
    """What the turnover-only model says about the published share."""
    if model < share / 2:
        return "So most changes of worker come from something other than workers leaving."
    if model < share:
        return "So workers leaving could account for part, but not all, of the changes of worker."
    return "At this turnover, workers leaving could account for all of the changes of worker."


def _ci_words(level: float) -> str:
    return f"{level:.0%} CI"


def _with_regions(la: pd.DataFrame, hidden: np.ndarray, not_published: pd.DataFrame) -> np.ndarray:
    """Hidden authorities, read with the regional table (each region's counts are shown, and are the
    sum of its authorities'): a region with exactly one authority whose counts are not shown (hidden
    here, none unpublished) would give that authority's counts by subtraction, so the smallest other
    authority of the region with children is hidden too."""
    hidden = hidden.copy()
    unpublished = set(not_published["region_name"].astype(str))
    regions = la["region_name"].astype(str).to_numpy()
    for region in dict.fromkeys(regions):
        if region in unpublished:
            continue
        inside = regions == region
        if (hidden & inside).sum() == 1:
            candidates = np.flatnonzero(inside & ~hidden & (la["total"].to_numpy() > 0))
            if len(candidates):
                hidden[candidates[np.argmin(la["total"].to_numpy()[candidates])]] = True
    return hidden


def _la_analysis(data: Mapping[str, Any], p: Mapping[str, Any], england_share: float) -> dict[str, Any]:
    """Local-authority shares (after suppression), the funnel, the correlations, and their sentences."""
    la = data["la"]
    year = int(data["cla"]["year"].max()) if not data["cla"].empty else int(la["year"].max())
    la = la.loc[la["year"] == year].copy()
    published_rows = la["total"].notna() & la["three_plus"].notna()
    not_published = la.loc[~published_rows]
    la = la.loc[published_rows].copy()
    la["total"] = la["total"].astype("int64")
    la["three_plus"] = la["three_plus"].astype("int64")
    table = _count_table(la, "la_name")
    s = suppress(table, p["min_cell_count"])
    hidden_rows = _with_regions(la, s.mask.any(axis=1).to_numpy(), not_published)
    shown = la.loc[~hidden_rows & (la["total"] > 0).to_numpy()].copy()
    shown["share"] = shown["three_plus"] / shown["total"]

    lo998, hi998 = funnel_limits(england_share, shown["total"].to_numpy(), FUNNEL_COVERAGES[1])
    shown["outside_998"] = (shown["share"] < lo998) | (shown["share"] > hi998)
    n_out = int(shown["outside_998"].sum())
    expected_out = (1 - FUNNEL_COVERAGES[1]) * len(shown)

    # Correlation with the workforce of the matching year.
    wf_year = year + p["workforce_year_offset"]
    wf = data["la_workforce"].loc[lambda d: d["year"] == wf_year].drop(columns="year")
    joined = shown.merge(wf, on="new_la_code", how="inner")
    correlations = {}
    for column, label in (
        ("turnover_rate_fte", "turnover rate"),
        ("agency_rate_fte", "agency-worker rate"),
        ("caseload_fte", "average caseload"),
    ):
        pair = joined[["share", column]].dropna()
        if len(pair) >= 4:
            correlations[column] = {
                "label": label,
                **pearson(pair["share"].to_numpy(), pair[column].to_numpy(), p["ci_level"]),
            }
    corr_table = pd.DataFrame(
        [
            {
                "workforce measure": f"{v['label']} ({wf_year})",
                "Pearson r": v["r"],
                f"{p['ci_level']:.0%} CI low": v["low"],
                f"{p['ci_level']:.0%} CI high": v["high"],
                "local authorities": v["n"],
            }
            for v in correlations.values()
        ]
    )

    reasons = (
        not_published["three_plus_status"]
        .where(not_published["three_plus_status"] != "reported", not_published["total_status"])
        .value_counts()
    )
    left_out = []
    if len(not_published):

        def reason_text(reason: str, n: int) -> str:
            if reason in (MISSING_TOTAL, MISSING_THREE_PLUS):  # a gap in the file, not DfE's suppression: named
                names = not_published.loc[
                    (not_published["total_status"] == reason) | (not_published["three_plus_status"] == reason),
                    "la_name",
                ].astype(str)
                shown_names = ", ".join(names.head(MAX_ROWS_SHOWN)) + (", ..." if len(names) > MAX_ROWS_SHOWN else "")
                return f"{reason}: {n} ({shown_names})"
            return f"{reason}: {n}"

        left_out.append(
            f"{len(not_published)} whose counts cannot be used ("
            + ", ".join(reason_text(k, v) for k, v in reasons.items())
            + ")"
        )
    n_hidden = int(hidden_rows.sum())
    if n_hidden:
        left_out.append(
            f"{n_hidden} whose counts are suppressed here (fewer than {p['min_cell_count']} children in a cell, "
            "or a cell that would reveal one)"
        )
    n_zero = int((~hidden_rows & (la["total"] == 0).to_numpy()).sum())
    if n_zero:
        left_out.append(f"{n_zero} with no children looked after")
    left_text = (" Left out: " + "; ".join(left_out) + ".") if left_out else ""
    quartiles = np.quantile(shown["share"], [0.25, 0.5, 0.75]) if len(shown) else np.full(3, np.nan)
    if len(shown):
        lo_row = shown.loc[shown["share"].idxmin()]
        hi_row = shown.loc[shown["share"].idxmax()]
        variation = (
            f"In {year}, across the {len(shown)} local authorities shown, the share of children looked after who had "
            f"three or more social workers ranged from {_percent(lo_row['share'])} ({lo_row['la_name']}) to "
            f"{_percent(hi_row['share'])} ({hi_row['la_name']}); the middle half of authorities lay between "
            f"{_percent(quartiles[0])} and {_percent(quartiles[2])} (median {_percent(quartiles[1])}).{left_text}"
        )
        # If authorities differed only by chance, each would fall outside the limits with probability
        # 1 - coverage: the binomial tail says how surprising the count outside is.
        p_chance = binomial_test_greater(n_out, len(shown), 1 - FUNNEL_COVERAGES[1])
        verdict = (
            "authorities differ by more than the play of chance"
            if p_chance < 0.05
            else "the differences are within what chance would produce"
        )
        funnel = (
            f"{n_out} of the {len(shown)} authorities lie outside the {FUNNEL_COVERAGES[1]:.1%} limits, where chance "
            f"alone would put about {expected_out:.1f} (one-sided binomial test: {format_p(p_chance)}): {verdict}."
        )
    else:
        variation = f"In {year}, no local authority can be shown.{left_text}"
        funnel = "No authority is shown, so none is compared with the limits."

    def corr_sentence(v: Mapping[str, Any]) -> str:
        return (
            f"{_signed(v['r'])} for the {v['label']} ({_ci_words(p['ci_level'])} {_signed(v['low'])} to "
            f"{_signed(v['high'])})"
        )

    if correlations:
        t = correlations.get("turnover_rate_fte")
        direction = ""
        if t is not None:
            if t["low"] > 0:
                direction = (
                    "Authorities whose social workers turned over faster also tended to have more children "
                    "with three or more social workers. "
                )
            elif t["high"] < 0:
                direction = (
                    "Authorities whose social workers turned over faster tended to have fewer children "
                    "with three or more social workers. "
                )
            else:
                direction = "The share is not clearly related to workforce turnover between authorities. "
        n_corr = max(v["n"] for v in correlations.values())
        association = (
            f"{direction}Across {n_corr} authorities, the Pearson correlation of the {year} share with the workforce "
            f"measures of {wf_year} was "
            + "; ".join(corr_sentence(v) for v in correlations.values())
            + ". This compares areas, not children: it does not show that turnover causes a given child's changes of worker."
        )
    else:
        association = f"No local authority has both a share for {year} and workforce figures for {wf_year}."
    return {
        "year": year,
        "shown": shown,
        "suppressed": s,
        "not_published": not_published,
        "correlations": correlations,
        "correlation_table": corr_table,
        "variation_text": variation,
        "funnel_text": funnel,
        "association_text": association,
        "n_outside_998": n_out,
        "n_shown": len(shown),
        "quartiles": quartiles,
    }


def _rates_check(workforce: pd.DataFrame) -> tuple[pd.DataFrame, str]:
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


def run(params: Mapping[str, Any]) -> AnalysisResult:
    """The whole analysis for validated parameters."""
    p = PARAMETERS.validate(params)
    full = bool(p["dfe_data_dir"])
    data = _file_data(p["dfe_data_dir"]) if full else _registry_data()

    # -- England: children looked after with three or more social workers (latest year)
    cla = data["cla"]
    if cla.empty:
        raise ValueError(f"{data['files'].get('swcount')}: no England (National) rows for {CLA_GROUP!r}")
    latest = cla.iloc[-1]
    cla_year, total, three = int(latest["year"]), int(latest["total"]), int(latest["three_plus"])
    share = three / total

    # -- reproduction checks against the registry
    reg_year = int(figure("dfe_cla_total_2024").year)
    reg_row = cla.loc[cla["year"] == reg_year]
    same_cla = (
        not reg_row.empty
        and int(reg_row["total"].iloc[0]) == published("dfe_cla_total_2024")
        and int(reg_row["three_plus"].iloc[0]) == published("dfe_cla_3plus_sw_2024")
    )
    cla_share_reg = float(reg_row["three_plus"].iloc[0] / reg_row["total"].iloc[0]) if not reg_row.empty else share
    checks = [
        reproduce.check(
            "dfe_cla_3plus_sw_pct_2024",
            100 * cla_share_reg,
            applicable=same_cla,
            reason="" if same_cla else f"the files' {reg_year} England counts differ from the registry's",
        )
    ]
    c = data["counts_2025"]
    reg_counts = {
        "cases": published("dfe_cases_2025"),
        "case_holders_fte": published("dfe_case_holders_fte_2025"),
        "leavers_fte": published("dfe_leavers_fte_2025"),
        "inpost_fte": published("dfe_fte_social_workers_2025"),
        "agency_fte": published("dfe_agency_fte_2025"),
    }
    same_wf = c is not None and all(math.isclose(c[k], v) for k, v in reg_counts.items())
    why = "" if same_wf else "the files' 2025 England workforce counts differ from the registry's"
    c = c if c is not None else reg_counts
    checks += [
        reproduce.check("dfe_caseload_2025", c["cases"] / c["case_holders_fte"], applicable=same_wf, reason=why),
        reproduce.check("dfe_turnover_2025", 100 * c["leavers_fte"] / c["inpost_fte"], applicable=same_wf, reason=why),
        reproduce.check(
            "dfe_agency_rate_2025",
            100 * c["agency_fte"] / (c["agency_fte"] + c["inpost_fte"]),
            applicable=same_wf,
            reason=why,
        ),
    ]
    reproduce.require(checks)

    # -- the turnover-only model
    model_share = turnover_only_share(p["turnover_rate"])

    # -- what the benchmark depends on most
    bench = benchmark_dependence(share, p["turnover_rate"], published_share("dfe_agency_rate_2024"))

    # -- workforce over time (England; the spread between authorities from the files)
    wf = data["workforce"].sort_values("year").reset_index(drop=True)
    first, last = wf.iloc[0], wf.iloc[-1]
    workforce_table = pd.DataFrame(
        {
            "year (30 September)": wf["year"].astype(int),
            "social workers in post (FTE)": wf["inpost_fte"],
            "caseload (cases per case holder, FTE)": wf["caseload_fte"],
            "turnover (%)": wf["turnover_rate_fte"],
            "agency workers (%)": wf["agency_rate_fte"],
        }
    )
    la_spread = None
    if full:
        law = data["la_workforce"]
        la_spread = (
            law.groupby("year")[["caseload_fte", "turnover_rate_fte", "agency_rate_fte"]]
            .quantile([0.25, 0.5, 0.75])
            .unstack()
        )
        for column, label in (
            ("caseload_fte", "caseload"),
            ("turnover_rate_fte", "turnover (%)"),
            ("agency_rate_fte", "agency workers (%)"),
        ):
            workforce_table[f"authorities' median {label}"] = la_spread[(column, 0.5)].reindex(wf["year"]).to_numpy()

    # -- counts of children: England (registry) or regions (files), through suppression
    if full and data["regions"] is not None and not data["regions"].empty:
        reg = data["regions"].loc[lambda d: d["year"] == cla_year]
        reg = pd.DataFrame(
            {"region": reg["region_name"].astype(str), "total": reg[TOTAL_LABEL], "three_plus": reg[THREE_PLUS_LABEL]}
        ).dropna()
        count_table = _count_table(reg, "region")
        counts = suppress(count_table, p["min_cell_count"])
    else:
        count_table = _count_table(pd.DataFrame({"area": ["England"], "total": [total], "three_plus": [three]}), "area")
        counts = suppress(count_table, p["min_cell_count"])
    counts_display = _shown_counts(counts)
    if not full:  # one row: its Total row repeats it
        counts_display = counts_display.loc[counts_display.iloc[:, 0] != "Total"]

    scalars: dict[str, Any] = {
        "data_source_text": (
            "the DfE files in the folder given (parameter dfe_data_dir)"
            if full
            else "England figures from the compendium's registry of published figures"
        ),
        "cla_year": cla_year,
        "cla_year_text": str(cla_year),  # a year is a label, not a quantity: prose glues the text
        "cla_total": total,
        "cla_three_plus": three,
        "cla_fewer_than_three": total - three,
        "cla_three_plus_share": share,
        "cla_three_plus_pct_published": published("dfe_cla_3plus_sw_pct_2024"),
        "cla_three_plus_reproduction": checks[0].status,
        "workforce_rates_reproduction": (
            "reproduced"
            if all(ch.status == "reproduced" for ch in checks[1:])
            else "; ".join(sorted({ch.status for ch in checks[1:]}))
        ),
        "frontline_workers_low": published("frontline_workers_per_case_low"),
        "frontline_workers_high": published("frontline_workers_per_case_high"),
        "turnover_rate": p["turnover_rate"],
        "turnover_only_share": model_share,
        "observed_to_model_ratio": share / model_share,
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
        "turnover_peak": float(wf.loc[wf["turnover_rate_fte"].idxmax(), "turnover_rate_fte"]),
        "turnover_peak_year_text": str(int(wf.loc[wf["turnover_rate_fte"].idxmax(), "year"])),
        "agency_peak": float(wf.loc[wf["agency_rate_fte"].idxmax(), "agency_rate_fte"]),
        "agency_peak_year_text": str(int(wf.loc[wf["agency_rate_fte"].idxmax(), "year"])),
        "turnover_model_verdict": _model_verdict(share, model_share),
        "agency_share_model": published_share("dfe_agency_rate_2024"),
        "benchmark_top_input": bench["top"].name,
        "benchmark_top_label": bench["top"].label[0].lower() + bench["top"].label[1:],
        "benchmark_ratio_low": float(bench["table"]["outcome"].min()),
        "benchmark_ratio_high": float(bench["table"]["outcome"].max()),
        "benchmark_range_low": float(bench["table"]["value"].iloc[0]),
        "benchmark_range_high": float(bench["table"]["value"].iloc[-1]),
        "benchmark_ratio_uneven": bench["uneven_ratio"],
        "benchmark_conclusion_holds": not bench["flips"] and float(bench["table"]["outcome"].min()) > RATIO_THRESHOLD,
        "benchmark_holds_words": (
            "so its conclusion holds over that range"
            if not bench["flips"] and float(bench["table"]["outcome"].min()) > RATIO_THRESHOLD
            else "so its conclusion changes inside that range"
        ),
        "benchmark_range_low_text": _benchmark_value(bench["top"].name, float(bench["table"]["value"].iloc[0])),
        "benchmark_range_high_text": _benchmark_value(bench["top"].name, float(bench["table"]["value"].iloc[-1])),
        "benchmark_dependence_text": _benchmark_text(bench),
        "turnover_source_text": (
            f"the published England rate for the year to 30 September {_turnover_year(p['turnover_rate'])}, which "
            "counts leavers among social workers employed by local authorities (agency workers are not in it)"
            if _turnover_year(p["turnover_rate"]) is not None
            else "a rate set by the parameter turnover_rate"
        ),
        "funnel_inner_coverage": FUNNEL_COVERAGES[0],
        "funnel_outer_coverage": FUNNEL_COVERAGES[1],
        "ci_level": p["ci_level"],
        "workforce_year_offset": p["workforce_year_offset"],
        "min_cell_count": p["min_cell_count"],
        "counts_note": counts.note,
    }

    tables: dict[str, pd.DataFrame] = {
        "counts": counts_display,
        "workforce": workforce_table,
        "benchmark_tornado": bench["tornado"],
        "benchmark_dependence": bench["table"],
    }
    plot_data: dict[str, Any] = {
        "england_share": share,
        "model_share": model_share,
        "la": None,
        "benchmark_base": float(bench["top"].base),
        "workforce": wf,
        "la_spread": la_spread,
        "cla": cla,
    }
    if full:
        la_result = _la_analysis(data, p, share)
        rates_table, rates_text = _rates_check(wf)
        frames = data["frames"]
        used = {"swcount": ["number"], "workforce": list(WORKFORCE_INDICATORS)}
        symbol_parts = []
        for key, columns in used.items():
            sc = status_counts(frames[key], columns)
            total_missing = int(sc.to_numpy().sum())
            detail = ", ".join(f"{reason}: {int(n)}" for reason, n in sc.sum().items() if n)
            symbol_parts.append(
                f"{data['files'][key].name}, {total_missing} value{'s' * (total_missing != 1)} of the "
                f"columns used" + (f" ({detail})" if detail else "")
            )
        if len(cla) > 1:
            trend = (
                f"England's share went from {_percent(cla['three_plus'].iloc[0] / cla['total'].iloc[0])} in "
                f"{int(cla['year'].iloc[0])} to {_percent(share)} in {cla_year}."
            )
        else:
            trend = (
                f"The file holds one year ({cla_year}), so it cannot show change over time in this measure; "
                "the workforce series below covers several years."
            )
        scalars.update(
            {
                "la_variation_text": la_result["variation_text"],
                "funnel_text": la_result["funnel_text"],
                "association_text": la_result["association_text"],
                "three_plus_trend_text": trend,
                "symbols_text": (
                    "Values DfE did not publish were read as missing, with DfE's reason kept: in "
                    + "; in ".join(symbol_parts)
                    + "."
                ),
                "rates_check_text": rates_text,
                "funnel_caption_text": (
                    f"each dot is a local authority ({la_result['n_shown']} shown; see the text for those left out)"
                ),
                "la_n_shown": la_result["n_shown"],
                "la_n_outside_998": la_result["n_outside_998"],
            }
        )
        if la_result["n_shown"]:
            q1, med, q3 = la_result["quartiles"]
            scalars.update({"la_q1_share": float(q1), "la_median_share": float(med), "la_q3_share": float(q3)})
        for column, v in la_result["correlations"].items():
            key = column.removesuffix("_fte").removesuffix("_rate")
            scalars.update(
                {
                    f"corr_{key}_r": v["r"],
                    f"corr_{key}_low": v["low"],
                    f"corr_{key}_high": v["high"],
                    f"corr_{key}_n": v["n"],
                }
            )
        tables.update({"correlations": la_result["correlation_table"], "rates_check": rates_table})
        plot_data["la"] = la_result["shown"]
    else:
        scalars.update(
            {
                "la_variation_text": "not shown on this page, which is built from the registry's England figures.",
                "funnel_text": (
                    "The registry holds England's figures only, with no local-authority rows, so this run "
                    "draws no funnel plot: re-run the page with the official files (parameter "
                    "dfe_data_dir) to see each authority against the limits."
                ),
                "association_text": (
                    "Re-run the page with the official files (parameter dfe_data_dir) to compare "
                    "authorities and relate their shares to their workforce."
                ),
                "three_plus_trend_text": (
                    f"The registry holds this figure for {cla_year} only, so the page cannot show "
                    "change over time in it."
                ),
                "symbols_text": "Built from the registry, this page read no official file.",
                "rates_check_text": (
                    "The registry holds the counts behind the rates for the latest year only, so "
                    "earlier years are not recomputed."
                ),
                "funnel_caption_text": "no local-authority rows were read, so only the limits are drawn",
            }
        )

    inputs = dict(registry_input())
    for path in data["files"].values():
        inputs[str(path)] = sha256_file(path)
    figures_used = [
        FigureUse("dfe_cla_total_2024", "input"),
        FigureUse("dfe_cla_3plus_sw_2024", "input"),
        FigureUse("dfe_cla_3plus_sw_pct_2024", "reproduced", checks[0].status),
        FigureUse("dfe_cases_2025", "input"),
        FigureUse("dfe_case_holders_fte_2025", "input"),
        FigureUse("dfe_caseload_2025", "reproduced", checks[1].status),
        FigureUse("dfe_leavers_fte_2025", "input"),
        FigureUse("dfe_fte_social_workers_2025", "input"),
        FigureUse("dfe_turnover_2025", "reproduced", checks[2].status),
        FigureUse("dfe_agency_fte_2025", "input"),
        FigureUse("dfe_agency_rate_2025", "reproduced", checks[3].status),
        FigureUse("dfe_turnover_2024", "input"),
        FigureUse("dfe_agency_rate_2024", "input"),
        FigureUse("frontline_workers_per_case_low", "quoted"),
        FigureUse("frontline_workers_per_case_high", "quoted"),
    ]
    if not full:
        figures_used += [
            FigureUse(f"dfe_{m}_{y}", "input")
            for y in WORKFORCE_YEARS
            if y != 2025
            for m in ("fte_social_workers", "caseload", "turnover", "agency_rate")
            if (m, y) != ("turnover", 2024)
        ]
    return AnalysisResult(
        notebook="national_context",
        params=p,
        scalars=scalars,
        tables=tables,
        data=plot_data,
        checks=checks,
        figures_used=figures_used,
        inputs=inputs,
    )


#: The kind of every number the page states (helpers.page.kinds). The counts of children and the workforce series
#: are published; the share and the counts derived from them are computed. The turnover-only benchmark
#: (its share, and "N times as many") is marked an assumption, not computed: it uses published figures, but
#: its value is set by the model's assumptions (leaving at random, employed staff only, a turnover year that
#: is not the children's year), and over their plausible range it moves by a factor of two or more
#: (``benchmark_ratio_low`` to ``benchmark_ratio_high``).
KINDS = kinds.declare(
    published=[
        "cla_total",
        "cla_three_plus",
        "cla_three_plus_pct_published",
        "frontline_workers_low",
        "frontline_workers_high",
        "turnover_rate",
        "fte_first",
        "fte_latest",
        "caseload_first",
        "caseload_latest",
        "turnover_first",
        "turnover_latest",
        "agency_first",
        "agency_latest",
        "agency_share_model",
        "turnover_peak",
        "agency_peak",
    ],
    # (the years label the published figures; summaries state them as text: cla_year_text, ...)
    computed=[
        "cla_fewer_than_three",
        "cla_three_plus_share",
        "cla_year",
        "workforce_first_year",
        "workforce_latest_year",
        "workforce_n_years",
    ],
    assumption=[
        "turnover_only_share",
        "observed_to_model_ratio",
        "benchmark_ratio_low",
        "benchmark_ratio_high",
        "benchmark_range_low",
        "benchmark_range_high",
        "benchmark_ratio_uneven",
        "benchmark_range_low_text",
        "benchmark_range_high_text",
        "funnel_inner_coverage",
        "funnel_outer_coverage",
        "ci_level",
        "workforce_year_offset",
        "min_cell_count",
    ],
)


# ------------------------------------------------------------------ figures
def funnel_has_authorities(result: AnalysisResult) -> bool:
    """Whether the funnel plot would show any authority: a plot of limits alone shows nothing, so the
    page leaves it out (and says why) when no local-authority rows were read."""
    la = result.data["la"]
    return la is not None and not la.empty


def plot_funnel(result: AnalysisResult) -> plt.Figure:
    """Funnel plot: each authority's share against its number of children looked after, with the
    95% and 99.8% limits around England's share, and the turnover-only model's share."""
    d = result.data
    p0, la = d["england_share"], d["la"]
    lo_n, hi_n = (
        FUNNEL_RANGE_DEFAULT if la is None or la.empty else (max(2, int(la["total"].min())), int(la["total"].max()))
    )
    n = np.unique(np.geomspace(lo_n, hi_n * 1.05, 300).round().astype(int))
    fig, ax = plt.subplots(figsize=(7.5, 4.5))
    for coverage, style in zip(FUNNEL_COVERAGES, ("--", ":")):
        lo, hi = funnel_limits(p0, n, coverage)
        ax.plot(n, lo, style, color=COLOURS["reference"], lw=1.2, label=f"{100 * coverage:g}% limits")
        ax.plot(n, hi, style, color=COLOURS["reference"], lw=1.2)
    ax.axhline(p0, color=COLOURS["primary"], lw=1.5, label=f"England {result.scalars['cla_year']}: {p0:.0%}")
    ax.axhline(
        d["model_share"],
        color=COLOURS["negative"],
        lw=1.5,
        ls="-.",
        label=f"turnover-only model: {d['model_share']:.1%}",
    )
    if la is not None and not la.empty:
        outside = la["outside_998"].to_numpy()
        ax.scatter(
            la["total"][~outside],
            la["share"][~outside],
            s=14,
            color=COLOURS["primary"],
            alpha=0.6,
            label="local authority",
        )
        ax.scatter(
            la["total"][outside],
            la["share"][outside],
            s=18,
            color=COLOURS["secondary"],
            label="outside the 99.8% limits",
        )
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x:,.0f}"))
    ax.set_xlabel("Children looked after on 31 March in the local authority (count, log scale)")
    ax.set_ylabel("Share with 3 or more social workers (%)")
    ax.yaxis.set_major_formatter(PERCENT)
    ax.set_ylim(0, max(0.7, float(la["share"].max()) + 0.05) if la is not None and not la.empty else 0.7)
    ax.legend(loc="upper right", fontsize=8, ncol=2)
    fig.tight_layout()
    return fig


def plot_workforce(result: AnalysisResult) -> plt.Figure:
    """England's caseload, turnover and agency-worker rate by year, with the middle half of
    local authorities when the files were read."""
    wf, spread = result.data["workforce"], result.data["la_spread"]
    panels = (
        ("caseload_fte", "Caseload (cases per FTE)"),
        ("turnover_rate_fte", "Turnover (%)"),
        ("agency_rate_fte", "Agency workers (%)"),
    )
    fig, axes = plt.subplots(1, 3, figsize=(9.5, 3.4), sharex=True)
    years = wf["year"].to_numpy()
    for ax, (column, label) in zip(axes, panels):
        if spread is not None:
            ax.fill_between(
                spread.index,
                spread[(column, 0.25)],
                spread[(column, 0.75)],
                color=COLOURS["primary"],
                alpha=0.18,
                lw=0,
                label="middle half of authorities",
            )
        ax.plot(years, wf[column], "o", color=COLOURS["primary"], ms=5, label="England")
        for run in np.split(np.arange(len(years)), np.where(np.diff(years) != 1)[0] + 1):
            if len(run) > 1:  # join consecutive years only: a line across a gap would invent the years between
                ax.plot(years[run], wf[column].to_numpy()[run], "-", color=COLOURS["primary"])
        ax.set_title(label, fontsize=10)
        ax.set_xlabel("Year (30 September)")
        low, high = ax.get_ylim()
        pad = max(0.5, 0.15 * (high - low))
        ax.set_ylim(low - pad, high + pad)
        ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True, nbins=5))
    axes[0].legend(loc="best", fontsize=8)
    fig.tight_layout()
    return fig


def plot_benchmark_dependence(result: AnalysisResult) -> plt.Figure:
    """The published share over the turnover-only share, as the assumption it depends on most moves."""
    top = result.scalars["benchmark_top_input"]
    table = result.tables["benchmark_dependence"]
    fig = dependence_plot(
        table,
        BENCHMARK_LABELS[top] + (" (%)" if top == "turnover_rate" else " (ratio)"),
        "Published share ÷ turnover-only share\n(times)",
        base=result.data["benchmark_base"],
        threshold=RATIO_THRESHOLD,
        threshold_label="twice: below, turnover could explain half",
        x_formatter=PERCENT if top == "turnover_rate" else None,
    )
    fig.axes[0].set_ylim(0, None)
    fig.tight_layout()
    return fig
