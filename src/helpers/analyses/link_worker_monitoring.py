"""A link social worker in children's centres: professionals involved, and what 79 cases can show.

Published (Boddy, Wigfall & Simon 2007, Thomas Coram Research Unit; Community
Care, 14 June 2007): a pilot link social worker was based in two children's
centres; monitoring data were analysed on 79 family support cases in two Sure
Start programmes over six months, and "showed more professionals were
involved with cases in the children's centres where the link social worker
was based". The split of the cases and the counts were not published.

The analysis therefore runs on a **synthetic reconstruction** of the 79 cases
(or on the user's own records, ``data_path``):

1. seeded synthetic cases: a programme, a centre, whether the link worker was
   based in it, and the number of other professionals involved, drawn from a
   negative binomial (gamma–Poisson) distribution with stated assumptions;
2. a count regression (Poisson or negative binomial NB2, statsmodels) of
   professionals involved on the link worker's presence, with the rate ratio
   and its Wald interval;
3. what a study of this size can show: the smallest rate ratio detectable at
   the chosen power (statsmodels' power for two negative binomial rates), the
   power for the assumed difference and the number of cases that difference
   would need.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pandera.pandas as pa
from scipy import optimize
from scipy import stats as sps
from statsmodels.stats.rates import power_negbin_ratio_2indep

from ..params import Param, ParamSpec
from ..paths import sha256_file
from ..plotting import COLOURS, PERCENT
from ..records import RecordsError, file_lines, read_records
from ..registry import published, registry_input
from ..reproduce import FigureUse
from ..results import AnalysisResult
from ..stats import format_p
from ..suppression import suppress

TITLE = "A link social worker in children's centres: professionals involved, and what the monitoring data can show"
SUMMARY = (
    f"Link social worker (TCRU, 2007): synthetic reconstruction of the {published('link_cases')} monitored cases, "
    "count regression of professionals involved on the link worker's presence, detectable difference at the chosen power"
)

COUNT_MODELS = {"negative-binomial": "negative binomial (NB2) regression", "poisson": "Poisson regression"}
WITH, WITHOUT = "with the link worker", "without the link worker"

PARAMETERS = ParamSpec(
    (
        Param("n_cases", int, published("link_cases"),
              f"Family support cases in the synthetic reconstruction (published: {published('link_cases')} cases)",
              minimum=4, maximum=1_000_000, unit="cases"),
        Param("share_link", float, 0.5,
              "Share of the synthetic cases in centres where the link worker was based (plain assumption; the split was not published)",
              minimum=0, maximum=1, minimum_exclusive=True, maximum_exclusive=True),
        Param("mean_without", float, 1.5,
              "Mean number of other professionals involved per case in centres without the link worker "
              "(plain assumption: synthetic reconstruction and power calculation)",
              minimum=0, maximum=100, minimum_exclusive=True, unit="professionals per case"),
        Param("rate_ratio", float, 1.5,
              "Ratio of the mean with the link worker to the mean without: the true ratio in the synthetic "
              "reconstruction, and the difference to detect in the power calculation (plain assumption; "
              "the study says only that more professionals were involved)",
              minimum=0, maximum=20, minimum_exclusive=True),
        Param("dispersion", float, 0.3,
              "Negative binomial dispersion α of professionals involved (variance = mean + α × mean²; 0 is Poisson) "
              "(plain assumption: synthetic reconstruction and power calculation)",
              minimum=0, maximum=10),
        Param("count_model", str, "negative-binomial", "Count regression fitted to the cases",
              choices=tuple(COUNT_MODELS)),
        Param("ci_level", float, 0.95, "Confidence level of the interval for the rate ratio",
              minimum=0.5, maximum=1, maximum_exclusive=True),
        Param("alpha", float, 0.05, "Two-sided significance level of the test and of the power calculation",
              minimum=0, maximum=0.5, minimum_exclusive=True),
        Param("power", float, 0.8, "Power at which the detectable difference is computed",
              minimum=0, maximum=1, minimum_exclusive=True, maximum_exclusive=True),
        Param("seed", int, 2007, "Seed of the random number generator (synthetic reconstruction)",
              minimum=0, maximum=2**32 - 1),
        Param("data_path", str, "",
              "Your own case records (CSV: case_id, centre, link_worker yes/no, professionals, optional programme); "
              "'' uses the synthetic reconstruction",
              is_path=True),
        Param("min_cell_count", int, 5,
              "Smallest count shown in tables from your own records; smaller counts are suppressed, and each "
              "group must hold at least this many cases",
              minimum=1, maximum=1000, unit="cases"),
    ),
)

# ---------------------------------------------------------------- own records
#: Plausibility limit of own records: other professionals involved with one case (a value beyond it
#: is refused by name, not analysed).
MAX_PROFESSIONALS = 100

RECORDS_SCHEMA = pa.DataFrameSchema(
    {
        "case_id": pa.Column(str, pa.Check.str_length(min_value=1), unique=True),
        "centre": pa.Column(str, pa.Check.str_length(min_value=1)),
        "link_worker": pa.Column(str, pa.Check.isin(["yes", "no"])),
        "professionals": pa.Column(int, [pa.Check.ge(0, error="is negative (must be 0 or more)"),
                                         pa.Check.le(MAX_PROFESSIONALS, error=f"is more than {MAX_PROFESSIONALS} "
                                                     f"professionals (must be {MAX_PROFESSIONALS} or less)")],
                                   coerce=True),
        "programme": pa.Column(str, required=False, nullable=True),
    },
    strict=True,
)


def check_records(frame: pd.DataFrame, min_cell_count: int, source: str) -> None:
    """Checks across rows that a schema cannot express; raise :class:`RecordsError` naming what is wrong.

    * the link worker is based in a centre or not: ``link_worker`` is the same for every case of a centre;
    * both groups are present, each with at least ``min_cell_count`` cases;
    * each group has at least one professional involved in some case (otherwise the rate ratio is
      not defined).
    """
    problems: list[str] = []
    for centre, rows in frame.groupby("centre", sort=True):
        values = sorted(rows["link_worker"].unique())
        if len(values) > 1:
            problems.append(
                f"column 'link_worker': centre {centre!r} has both 'yes' and 'no' (file lines {file_lines(rows.index)}); "
                "the link worker is either based in a centre or not, so every case of a centre must agree"
            )
    groups = {"yes": WITH, "no": WITHOUT}
    for code, label in groups.items():
        rows = frame[frame["link_worker"] == code]
        if len(rows) < min_cell_count:
            problems.append(
                f"column 'link_worker': {len(rows)} case(s) {label} ('{code}'); the comparison needs at least "
                f"min_cell_count = {min_cell_count} cases in each group"
            )
        elif rows["professionals"].sum() == 0:
            problems.append(
                f"column 'professionals': every case {label} has 0 professionals involved, so the rate ratio is not defined"
            )
    if problems:
        raise RecordsError(source, problems)


def load_records(path: str | Path, min_cell_count: int) -> pd.DataFrame:
    """Read and validate the user's own records (schema, then the checks across rows)."""
    frame = read_records(path, RECORDS_SCHEMA)
    check_records(frame, min_cell_count, str(path))
    return frame


def check_inputs(params: Mapping[str, Any]) -> None:
    """Validate the parameters and, when ``data_path`` is set, the records file (before a kernel starts)."""
    p = PARAMETERS.validate(params)
    if p["data_path"]:
        load_records(p["data_path"], p["min_cell_count"])


# ---------------------------------------------------------------- synthetic reconstruction
def synthesise_cases(n_cases: int, share_link: float, mean_without: float, rate_ratio: float, dispersion: float,
                     rng: np.random.Generator, n_programmes: int | None = None) -> pd.DataFrame:
    """Synthetic case records in the layout of the own-records file.

    ``round(n_cases × share_link)`` cases (at least one, at most ``n_cases − 1``) are in centres where
    the link worker was based; cases are spread evenly over the programmes (two, as published), each
    programme with one centre where the link worker was based and its other centres. The number of
    other professionals involved is negative binomial (NB2, drawn as a gamma–Poisson mixture) with mean
    ``mean_without`` without the link worker and ``mean_without × rate_ratio`` with it, and variance
    ``mean + dispersion × mean²`` (Poisson when ``dispersion`` is 0).
    """
    n_programmes = int(published("link_programmes")) if n_programmes is None else n_programmes
    n_link = int(min(max(round(n_cases * share_link), 1), n_cases - 1))
    link = rng.permutation(np.arange(n_cases) < n_link)
    programme = rng.permutation(np.arange(n_cases) % n_programmes)
    mu = mean_without * np.where(link, rate_ratio, 1.0)
    if dispersion > 0:
        mu = rng.gamma(shape=1 / dispersion, scale=dispersion * mu)
    professionals = rng.poisson(mu)
    names = [chr(ord("A") + i) if i < 26 else str(i + 1) for i in range(n_programmes)]
    prog = np.array([f"Programme {names[i]}" for i in programme])
    centre = np.where(link, np.char.add(prog, ": centre with the link worker"), np.char.add(prog, ": other centres"))
    return pd.DataFrame(
        {
            "case_id": [f"S{i + 1:04d}" for i in range(n_cases)],
            "centre": centre,
            "link_worker": np.where(link, "yes", "no"),
            "professionals": professionals.astype(int),
            "programme": prog,
        }
    )


# ---------------------------------------------------------------- statistics
#: Below this, an estimated NB2 dispersion is treated as 0 (no overdispersion: the Poisson model).
DISPERSION_FLOOR = 1e-3


@dataclass(frozen=True)
class CountFit:
    """A count regression of professionals involved on the link worker's presence."""

    model: str
    rate_ratio: float
    low: float
    high: float
    p_value: float
    dispersion: float | None  # NB2 α (None for Poisson)
    level: float
    converged: bool
    at_boundary: bool = False  # NB2 requested, but α̂ is 0: the fit is the Poisson fit


def _finite(res) -> bool:
    return bool(np.all(np.isfinite(res.params)) and np.all(np.isfinite(res.bse)))


def fit_count_model(frame: pd.DataFrame, model: str = "negative-binomial", level: float = 0.95) -> CountFit:
    """Fit ``professionals ~ link worker present`` by maximum likelihood (statsmodels) and return the
    rate ratio ``exp(β)`` with its Wald interval ``exp(β ± z·se)`` and two-sided Wald p-value.

    Poisson assumes the variance equals the mean; NB2 lets it be ``μ + αμ²`` and estimates α. When the
    estimate of α is at its boundary (below ``DISPERSION_FLOOR``: no overdispersion, or
    underdispersion), NB2 reduces to Poisson and the Poisson fit is returned with ``at_boundary`` set.
    Both assume independent cases (no clustering within centres or families).
    """
    import statsmodels.api as sm
    from statsmodels.discrete.discrete_model import NegativeBinomial, Poisson

    if model not in COUNT_MODELS:
        raise ValueError(f"count model {model!r} is not one of {', '.join(COUNT_MODELS)}")
    y = frame["professionals"].to_numpy(dtype=float)
    x = sm.add_constant((frame["link_worker"] == "yes").to_numpy(dtype=float), has_constant="add")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # boundary fits are detected below and reported, not written to stderr
        res = Poisson(y, x).fit(disp=0, maxiter=200)
        converged = bool(res.mle_retvals.get("converged", True)) and _finite(res)
        dispersion, at_boundary = None, False
        if model == "negative-binomial":
            nb = NegativeBinomial(y, x, loglike_method="nb2")
            first = nb.fit(start_params=np.append(res.params, 0.1), disp=0, maxiter=1000, method="bfgs")
            if _finite(first) and first.params[-1] >= DISPERSION_FLOOR:
                refined = nb.fit(start_params=first.params, disp=0, maxiter=100, method="newton")
                res = refined if _finite(refined) and refined.params[-1] >= DISPERSION_FLOOR else first
                converged = bool(res.mle_retvals.get("converged", True))
                dispersion = float(res.params[-1])
            else:
                dispersion, at_boundary = 0.0, True
    beta, se = float(res.params[1]), float(res.bse[1])
    z = sps.norm.ppf(0.5 + level / 2)
    return CountFit(model, float(np.exp(beta)), float(np.exp(beta - z * se)), float(np.exp(beta + z * se)),
                    float(2 * sps.norm.sf(abs(beta / se))), dispersion, level, converged, at_boundary)


def power_for_ratio(rate_ratio: float, mean_without: float, n_with: float, n_without: float, dispersion: float,
                    alpha: float) -> float:
    """Power of the two-sided Wald test of equal means (rate ratio 1) when the true ratio is ``rate_ratio``
    (statsmodels ``power_negbin_ratio_2indep``, variance under the alternative: Zhu & Lakkis 2014)."""
    if rate_ratio == 1:
        return alpha
    return float(power_negbin_ratio_2indep(mean_without * rate_ratio, mean_without, n_with, nobs_ratio=n_without / n_with,
                                           alpha=alpha, dispersion=dispersion, method_var="alt",
                                           return_results=False))


def detectable_ratio(mean_without: float, n_with: float, n_without: float, dispersion: float, alpha: float,
                     power: float) -> float:
    """The smallest rate ratio above 1 that the test detects with the given power."""
    f = lambda r: power_for_ratio(r, mean_without, n_with, n_without, dispersion, alpha) - power  # noqa: E731
    high = 2.0
    while f(high) < 0:
        high *= 2
        if high > 1e6:
            raise ValueError("no detectable rate ratio below 1e6")
    return float(optimize.brentq(f, 1 + 1e-9, high, xtol=1e-10))


def cases_needed(rate_ratio: float, mean_without: float, share_with: float, dispersion: float, alpha: float,
                 power: float) -> int | None:
    """The smallest total number of cases, split as ``share_with`` : ``1 − share_with``, at which the test
    detects ``rate_ratio`` with the given power (``None`` for a ratio of 1, which no study detects)."""
    if rate_ratio == 1:
        return None
    f = lambda n: power_for_ratio(rate_ratio, mean_without, n * share_with, n * (1 - share_with), dispersion, alpha) - power  # noqa: E731
    low, high = 2.0, 4.0
    while f(high) < 0:
        low, high = high, high * 2
        if high > 1e9:
            return None
    if f(low) >= 0:
        n = low
    else:
        n = optimize.brentq(f, low, high, xtol=1e-6)
    total = int(np.ceil(n - 1e-9))
    return max(total, 2)


# ---------------------------------------------------------------- the analysis
#: Bands of "other professionals involved": (lowest, highest) with ``None`` for "or more".
BANDS: tuple[tuple[int, int | None], ...] = ((0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (5, None))


def band_label(band: tuple[int, int | None]) -> str:
    lo, hi = band
    if hi is None:
        return f"{lo} or more"
    return str(lo) if lo == hi else f"{lo}–{hi}"


def merge_bands(values: np.ndarray, threshold: int, bands=BANDS) -> list[tuple[int, int | None]]:
    """Merge adjacent bands until no band's total is between 1 and ``threshold − 1``.

    Small-cell suppression hides small cells but not a small *total*; merging sparse bands first (the
    top band into the one below it, any other into the one above it) keeps every band total either 0
    or at least ``threshold``, so the totals cannot identify a handful of cases.
    """
    bands = list(bands)

    def total(band):
        lo, hi = band
        return int(((values >= lo) & ((values <= hi) if hi is not None else True)).sum())

    while len(bands) > 1:
        small = [i for i, b in enumerate(bands) if 0 < total(b) < threshold]
        if not small:
            break
        i = small[0]
        j = i - 1 if i == len(bands) - 1 else i + 1
        a, b = sorted((i, j))
        bands[a:b + 1] = [(bands[a][0], bands[b][1])]
    return bands


def band_counts(frame: pd.DataFrame, bands=BANDS) -> pd.DataFrame:
    """Cases by band of professionals involved (rows) and group (columns)."""
    values = frame["professionals"].to_numpy()
    groups = frame["link_worker"].to_numpy()
    rows = []
    for lo, hi in bands:
        inside = (values >= lo) & ((values <= hi) if hi is not None else True)
        rows.append({WITH: int((inside & (groups == "yes")).sum()), WITHOUT: int((inside & (groups == "no")).sum())})
    table = pd.DataFrame(rows, index=pd.Index([band_label(b) for b in bands], name="other professionals involved"))
    return table


def _dispersion_note(fit: CountFit) -> str:
    if fit.model == "poisson":
        return "The Poisson model assumes the variance of the counts equals their mean."
    if fit.at_boundary:
        return ("The counts show no overdispersion (the estimated dispersion is at zero), so the negative "
                "binomial model reduces to the Poisson model and its interval is the Poisson interval.")
    return (f"The estimated dispersion is {fit.dispersion:.2f}: the variance of the counts is their mean plus "
            f"{fit.dispersion:.2f} times its square.")


def run(params: Mapping[str, Any]) -> AnalysisResult:
    """The whole analysis for validated parameters."""
    p = PARAMETERS.validate(params)
    inputs = registry_input()
    synthetic = not p["data_path"]
    if synthetic:
        rng = np.random.default_rng(p["seed"])
        frame = synthesise_cases(p["n_cases"], p["share_link"], p["mean_without"], p["rate_ratio"], p["dispersion"], rng)
        source_text = f"a synthetic reconstruction (seed {p['seed']}), not the records of the study"
    else:
        frame = load_records(p["data_path"], p["min_cell_count"])
        inputs[p["data_path"]] = sha256_file(Path(p["data_path"]))
        source_text = f"your records ({Path(p['data_path']).name})"

    link = frame["link_worker"] == "yes"
    n_with, n_without = int(link.sum()), int((~link).sum())
    mean_with = float(frame.loc[link, "professionals"].mean())
    mean_without = float(frame.loc[~link, "professionals"].mean())
    fit = fit_count_model(frame, p["count_model"], p["ci_level"])

    # Planning values for the power calculation: the assumptions (synthetic) or the records' own estimates.
    plan_mean = p["mean_without"] if synthetic else mean_without
    plan_dispersion = p["dispersion"] if synthetic else (fit.dispersion or 0.0)
    mdrr = detectable_ratio(plan_mean, n_with, n_without, plan_dispersion, p["alpha"], p["power"])
    power_assumed = power_for_ratio(p["rate_ratio"], plan_mean, n_with, n_without, plan_dispersion, p["alpha"])
    needed = cases_needed(p["rate_ratio"], plan_mean, n_with / (n_with + n_without), plan_dispersion, p["alpha"], p["power"])
    ratios = np.linspace(1, max(3.0, 1.3 * mdrr, 1.1 * p["rate_ratio"]), 120)
    multiples = (1, 2, 4)
    curve = pd.DataFrame({"rate_ratio": ratios})
    for m in multiples:
        curve[f"power_x{m}"] = [power_for_ratio(r, plan_mean, m * n_with, m * n_without, plan_dispersion, p["alpha"])
                                for r in ratios]

    # Tables: group summary, and cases by number of professionals (suppressed for own records).
    summary = pd.DataFrame(
        [
            {"group": label, "cases": int(rows.shape[0]), "mean professionals": float(rows["professionals"].mean()),
             "variance": float(rows["professionals"].var(ddof=1)) if len(rows) > 1 else float("nan")}
            for label, rows in ((WITH, frame[link]), (WITHOUT, frame[~link]))
        ]
    )
    if synthetic:
        bands = band_counts(frame)
        display = bands.copy()
        display["Total"] = display.sum(axis=1)
        display.loc["Total"] = display.sum(axis=0)
        display = display.astype(str)
        note = ("Synthetic records: counts are shown in full. Tables from your own records hide counts below "
                f"{p['min_cell_count']} (and any that could be worked out from the totals).")
    else:
        bands = band_counts(frame, merge_bands(frame["professionals"].to_numpy(), p["min_cell_count"]))
        # Each group's number of cases (and their sum) is shown in the text and the summary table.
        sup = suppress(bands, p["min_cell_count"], known=("column totals", "grand total"))
        display, note = sup.display, sup.note
    display = display.rename_axis("other professionals involved").reset_index()

    excludes = fit.low > 1 or fit.high < 1
    scalars: dict[str, Any] = {
        "data_source_text": source_text,
        "is_synthetic": synthetic,
        "link_cases_published": published("link_cases"),
        "link_programmes_published": published("link_programmes"),
        "link_months_published": published("link_months"),
        "link_centres_published": published("link_children_centres"),
        "link_meeting_professionals_published": published("link_meeting_professionals"),
        "link_worker_cases_held_published": published("link_worker_cases_held"),
        "link_interviews_early_published": published("link_interviews_early"),
        "link_interviews_late_published": published("link_interviews_late"),
        "n_cases": n_with + n_without,
        "n_with": n_with,
        "n_without": n_without,
        "n_centres": int(frame["centre"].nunique()),
        "mean_with": mean_with,
        "mean_without": mean_without,
        "model_label": COUNT_MODELS[p["count_model"]],
        "rate_ratio_est": fit.rate_ratio,
        "rr_ci_low": fit.low,
        "rr_ci_high": fit.high,
        "ci_level": p["ci_level"],
        "p_value": fit.p_value,
        "p_value_text": format_p(fit.p_value),
        "interval_verdict": ("excludes a ratio of 1 (no difference)" if excludes
                             else "includes a ratio of 1 (no difference)"),
        "fit_converged": fit.converged,
        "dispersion_est": fit.dispersion if fit.dispersion is not None else 0.0,
        "dispersion_note": _dispersion_note(fit),
        "assumed_rate_ratio": p["rate_ratio"],
        "planning_mean_without": plan_mean,
        "planning_dispersion": plan_dispersion,
        "planning_source_text": ("the assumptions of the synthetic reconstruction" if synthetic
                                 else "the estimates from your records"),
        "alpha": p["alpha"],
        "power_target": p["power"],
        "mdrr": mdrr,
        "mdrr_more_share": mdrr - 1,
        "mdd_professionals": plan_mean * (mdrr - 1),
        "power_at_assumed": power_assumed,
        "table_note": note,
    }
    if synthetic:
        scalars["true_rate_ratio"] = p["rate_ratio"]
        scalars["seed"] = p["seed"]
    if needed is not None:
        scalars["cases_needed_for_assumed"] = needed
        scalars["cases_needed_multiple"] = needed / (n_with + n_without)
    return AnalysisResult(
        notebook="link_worker_monitoring",
        params=p,
        scalars=scalars,
        tables={"summary": summary, "bands": display},
        data={"frame": frame, "band_counts": bands, "fit": fit, "power_curve": curve, "multiples": multiples,
              "synthetic": synthetic, "band_mask": None if synthetic else sup.mask},
        figures_used=[
            FigureUse("link_cases", "synthetic"),
            FigureUse("link_programmes", "synthetic"),
            FigureUse("link_children_centres", "synthetic"),
            FigureUse("link_months", "quoted"),
            FigureUse("link_meeting_professionals", "quoted"),
            FigureUse("link_worker_cases_held", "quoted"),
            FigureUse("link_interviews_early", "quoted"),
            FigureUse("link_interviews_late", "quoted"),
        ],
        inputs=inputs,
    )


# ---------------------------------------------------------------- figures
def plot_professionals(result: AnalysisResult) -> plt.Figure:
    """Share of cases by number of other professionals involved, with and without the link worker.

    For own records, bands whose counts are suppressed in the table are left out of the figure too."""
    counts = result.data["band_counts"]
    mask = result.data["band_mask"]
    shares = counts / counts.sum(axis=0)
    fig, ax = plt.subplots()
    x = np.arange(len(counts))
    width = 0.4
    for i, (col, colour) in enumerate(((WITH, COLOURS["primary"]), (WITHOUT, COLOURS["secondary"]))):
        values = shares[col].to_numpy(dtype=float)
        if mask is not None:
            values = np.where(mask[col].to_numpy(), np.nan, values)
        ax.bar(x + (i - 0.5) * width, values, width=width, color=colour, label=f"Cases {col}")
    ax.set_xticks(x, counts.index)
    ax.yaxis.set_major_formatter(PERCENT)
    ax.set_xlabel("Other professionals involved with the case (count)")
    ax.set_ylabel("Share of the group's cases (%)")
    ax.legend(loc="upper right", fontsize=9)
    fig.tight_layout()
    return fig


def plot_rate_ratio(result: AnalysisResult) -> plt.Figure:
    """The estimated rate ratio with its interval, against no difference, the detectable ratio and
    (synthetic records) the true ratio of the reconstruction."""
    s = result.scalars
    fig, ax = plt.subplots(figsize=(7.5, 2.6))
    ax.plot([s["rr_ci_low"], s["rr_ci_high"]], [0, 0], color=COLOURS["primary"], lw=3, solid_capstyle="butt")
    ax.plot(s["rate_ratio_est"], 0, "o", color=COLOURS["primary"], ms=9,
            label=f"estimate with {s['ci_level']:.0%} interval")
    ax.axvline(1, color=COLOURS["reference"], lw=1.2, ls="--")
    ax.text(1, 0.42, " no difference", color=COLOURS["reference"], fontsize=9, va="center")
    ax.axvline(s["mdrr"], color=COLOURS["negative"], lw=1.5, ls=":")
    ax.text(s["mdrr"], -0.42, f" detectable at {s['power_target']:.0%} power", color=COLOURS["negative"], fontsize=9,
            va="center")
    if s["is_synthetic"]:
        ax.axvline(s["true_rate_ratio"], color=COLOURS["positive"], lw=1.5)
        ax.text(s["true_rate_ratio"], 0.25, " true ratio (synthetic)", color=COLOURS["positive"], fontsize=9,
                va="center")
    ax.set_xscale("log")
    lo = min(s["rr_ci_low"], 1, s.get("true_rate_ratio", 1)) / 1.2
    hi = max(s["rr_ci_high"], s["mdrr"], s.get("true_rate_ratio", 1)) * 1.4
    ax.set_xlim(lo, hi)
    ticks = [t for t in (0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 6, 8) if lo <= t <= hi]
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.minorticks_off()
    ax.set_ylim(-0.6, 0.6)
    ax.set_yticks([])
    ax.set_xlabel("Rate ratio: mean professionals with ÷ without the link worker (log scale)")
    ax.legend(loc="upper right", fontsize=9)
    fig.tight_layout()
    return fig


def plot_power(result: AnalysisResult) -> plt.Figure:
    """Power to detect each rate ratio with the study's number of cases, and with two and four times as many."""
    s, curve = result.scalars, result.data["power_curve"]
    fig, ax = plt.subplots()
    styles = {1: ("-", COLOURS["primary"]), 2: ("--", COLOURS["secondary"]), 4: (":", COLOURS["positive"])}
    for m in result.data["multiples"]:
        ls, colour = styles.get(m, ("-", COLOURS["reference"]))
        label = f"{s['n_cases']} cases (this study)" if m == 1 else f"{m * s['n_cases']} cases ({m}×)"
        ax.plot(curve["rate_ratio"], curve[f"power_x{m}"], ls=ls, color=colour, lw=2.2, label=label)
    ax.axhline(s["power_target"], color=COLOURS["reference"], lw=1, ls="--")
    ax.plot(s["mdrr"], s["power_target"], "o", color=COLOURS["primary"], ms=7)
    ax.axvline(s["assumed_rate_ratio"], color=COLOURS["negative"], lw=1.2, ls="-.")
    ax.text(s["assumed_rate_ratio"], 0.03, " assumed ratio", color=COLOURS["negative"], fontsize=9)
    ax.set_xlim(1, curve["rate_ratio"].max())
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(PERCENT)
    ax.set_xlabel("True rate ratio: mean professionals with ÷ without the link worker")
    ax.set_ylabel("Power of the two-sided test (%)")
    ax.legend(loc="lower right", fontsize=9)
    fig.tight_layout()
    return fig
