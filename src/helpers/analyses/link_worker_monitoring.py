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
   would need; and which of its assumptions the detectable ratio depends on
   most (:func:`mdrr_dependence`);
4. what the synthetic reconstruction shows across ``n_replicates``
   reconstructions, not one (:func:`reconstructions`, ``helpers.stats.replicates``):
   the median and central range of the estimated ratio, how often its interval
   covers the assumed ratio and how often it excludes no difference (the
   simulated power), each reconstruction fitted in closed form
   (:func:`fast_count_fit`). With the user's records there is nothing to
   replicate and no ``rep_*`` values are computed.
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
from scipy.special import gammaln
from statsmodels.stats.rates import power_negbin_ratio_2indep

from helpers.page import kinds
from helpers.stats import replicates
from helpers.params import ParamSpec, ParameterSet, param
from helpers.engine.paths import sha256_file
from helpers.page.plotting import COLOURS, PERCENT
from helpers.inputs.records import RecordsError, file_lines, read_records
from helpers.page.registry import published, registry_input
from helpers.page.reproduce import FigureUse
from helpers.results import AnalysisResult
from helpers.stats.sensitivity import Uncertain, most_influential
from helpers.stats.proportions import format_p
from helpers.inputs.suppression import suppress

TITLE = "A link social worker in children's centres: professionals involved, and what the monitoring data can show"
SUMMARY = (
    f"Link social worker (TCRU, 2007): synthetic reconstruction of the {published('link_cases')} monitored cases, "
    "count regression of professionals involved on the link worker's presence, detectable difference at the chosen power"
)

COUNT_MODELS = {"negative-binomial": "negative binomial (NB2) regression", "poisson": "Poisson regression"}
WITH, WITHOUT = "with the link worker", "without the link worker"


class Parameters(ParameterSet):
    """This analysis's parameters, in notebook order (validated values: ``PARAMETERS.validate``)."""

    n_cases: int = param(
        published("link_cases"),
        f"Family support cases in the synthetic reconstruction (published: {published('link_cases')} cases)",
        minimum=4,
        maximum=1_000_000,
        unit="cases",
    )
    share_link: float = param(
        0.5,
        "Share of the synthetic cases in centres where the link worker was based (plain assumption; the split was not published)",
        minimum=0,
        maximum=1,
        minimum_exclusive=True,
        maximum_exclusive=True,
    )
    mean_without: float = param(
        1.5,
        "Mean number of other professionals involved per case in centres without the link worker "
        "(plain assumption: synthetic reconstruction and power calculation)",
        minimum=0,
        maximum=100,
        minimum_exclusive=True,
        unit="professionals per case",
    )
    rate_ratio: float = param(
        1.5,
        "Ratio of the mean with the link worker to the mean without: the true ratio in the synthetic "
        "reconstruction, and the difference to detect in the power calculation (plain assumption; "
        "the study says only that more professionals were involved)",
        minimum=0,
        maximum=20,
        minimum_exclusive=True,
    )
    dispersion: float = param(
        0.3,
        "Negative binomial dispersion α of professionals involved (variance = mean + α × mean²; 0 is Poisson) "
        "(plain assumption: synthetic reconstruction and power calculation)",
        minimum=0,
        maximum=10,
    )
    count_model: str = param("negative-binomial", "Count regression fitted to the cases", choices=tuple(COUNT_MODELS))
    ci_level: float = param(
        0.95, "Confidence level of the interval for the rate ratio", minimum=0.5, maximum=1, maximum_exclusive=True
    )
    alpha: float = param(
        0.05,
        "Two-sided significance level of the test and of the power calculation",
        minimum=0,
        maximum=0.5,
        minimum_exclusive=True,
    )
    power: float = param(
        0.8,
        "Power at which the detectable difference is computed",
        minimum=0,
        maximum=1,
        minimum_exclusive=True,
        maximum_exclusive=True,
    )
    n_replicates: int = param(
        1000,
        "Synthetic reconstructions (R) the page's synthetic results are summarised across, each a new draw "
        "of the cases from the same assumptions",
        minimum=10,
        maximum=100_000,
        unit="reconstructions",
    )
    seed: int = param(
        2007,
        "Seed of the random number generator (synthetic reconstruction and its replicates)",
        minimum=0,
        maximum=2**32 - 1,
    )
    data_path: str = param(
        "",
        "Your own case records (CSV: case_id, centre, link_worker yes/no, professionals, optional programme); "
        "'' uses the synthetic reconstruction",
        is_path=True,
    )
    min_cell_count: int = param(
        5,
        "Smallest count shown in tables from your own records; smaller counts are suppressed, and each "
        "group must hold at least this many cases",
        minimum=1,
        maximum=1000,
        unit="cases",
    )


PARAMETERS = ParamSpec.of(Parameters)

# ---------------------------------------------------------------- own records
#: Plausibility limit of own records: other professionals involved with one case (a value beyond it
#: is refused by name, not analysed).
MAX_PROFESSIONALS = 100

RECORDS_SCHEMA = pa.DataFrameSchema(
    {
        "case_id": pa.Column(str, pa.Check.str_length(min_value=1), unique=True),
        "centre": pa.Column(str, pa.Check.str_length(min_value=1)),
        "link_worker": pa.Column(str, pa.Check.isin(["yes", "no"])),
        "professionals": pa.Column(
            int,
            [
                pa.Check.ge(0, error="is negative (must be 0 or more)"),
                pa.Check.le(
                    MAX_PROFESSIONALS,
                    error=f"is more than {MAX_PROFESSIONALS} professionals (must be {MAX_PROFESSIONALS} or less)",
                ),
            ],
            coerce=True,
        ),
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
def _draw_cases(
    n_cases: int,
    share_link: float,
    mean_without: float,
    rate_ratio: float,
    dispersion: float,
    rng: np.random.Generator,
    n_programmes: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The generator of :func:`synthesise_cases` as arrays: link worker present, programme, professionals."""
    n_link = int(min(max(round(n_cases * share_link), 1), n_cases - 1))
    link = rng.permutation(np.arange(n_cases) < n_link)
    programme = rng.permutation(np.arange(n_cases) % n_programmes)
    mu = mean_without * np.where(link, rate_ratio, 1.0)
    if dispersion > 0:
        mu = rng.gamma(shape=1 / dispersion, scale=dispersion * mu)
    return link, programme, rng.poisson(mu)


def synthesise_cases(
    n_cases: int,
    share_link: float,
    mean_without: float,
    rate_ratio: float,
    dispersion: float,
    rng: np.random.Generator,
    n_programmes: int | None = None,
) -> pd.DataFrame:
    """Synthetic case records in the layout of the own-records file.

    ``round(n_cases × share_link)`` cases (at least one, at most ``n_cases − 1``) are in centres where
    the link worker was based; cases are spread evenly over the programmes (two, as published), each
    programme with one centre where the link worker was based and its other centres. The number of
    other professionals involved is negative binomial (NB2, drawn as a gamma–Poisson mixture) with mean
    ``mean_without`` without the link worker and ``mean_without × rate_ratio`` with it, and variance
    ``mean + dispersion × mean²`` (Poisson when ``dispersion`` is 0).
    """
    n_programmes = int(published("link_programmes")) if n_programmes is None else n_programmes
    link, programme, professionals = _draw_cases(
        n_cases, share_link, mean_without, rate_ratio, dispersion, rng, n_programmes
    )
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
    return CountFit(
        model,
        float(np.exp(beta)),
        float(np.exp(beta - z * se)),
        float(np.exp(beta + z * se)),
        float(2 * sps.norm.sf(abs(beta / se))),
        dispersion,
        level,
        converged,
        at_boundary,
    )


def power_for_ratio(
    rate_ratio: float, mean_without: float, n_with: float, n_without: float, dispersion: float, alpha: float
) -> float:
    """Power of the two-sided Wald test of equal means (rate ratio 1) when the true ratio is ``rate_ratio``
    (statsmodels ``power_negbin_ratio_2indep``, variance under the alternative: Zhu & Lakkis 2014)."""
    if rate_ratio == 1:
        return alpha
    return float(
        power_negbin_ratio_2indep(
            mean_without * rate_ratio,
            mean_without,
            n_with,
            nobs_ratio=n_without / n_with,
            alpha=alpha,
            dispersion=dispersion,
            method_var="alt",
            return_results=False,
        )
    )


def detectable_ratio(
    mean_without: float, n_with: float, n_without: float, dispersion: float, alpha: float, power: float
) -> float:
    """The smallest rate ratio above 1 that the test detects with the given power."""
    f = lambda r: power_for_ratio(r, mean_without, n_with, n_without, dispersion, alpha) - power  # noqa: E731
    high = 2.0
    while f(high) < 0:
        high *= 2
        if high > 1e6:
            raise ValueError("no detectable rate ratio below 1e6")
    return float(optimize.brentq(f, 1 + 1e-9, high, xtol=1e-10))


def cases_needed(
    rate_ratio: float, mean_without: float, share_with: float, dispersion: float, alpha: float, power: float
) -> int | None:
    """The smallest total number of cases, split as ``share_with`` : ``1 − share_with``, at which the test
    detects ``rate_ratio`` with the given power (``None`` for a ratio of 1, which no study detects)."""
    if rate_ratio == 1:
        return None
    f = lambda n: (
        power_for_ratio(rate_ratio, mean_without, n * share_with, n * (1 - share_with), dispersion, alpha) - power
    )  # noqa: E731
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


# ---------------------------------------------------------------- many reconstructions, cheaply
def _nb2_profile(alpha: float, y0: np.ndarray, y1: np.ndarray) -> float:
    """NB2 log-likelihood of the two groups at their means (the maximum-likelihood means for any α)."""
    size = 1 / alpha
    ll = 0.0
    for y in (y0, y1):
        mu = y.mean()
        ll += float(
            np.sum(
                gammaln(y + size)
                - gammaln(size)
                - gammaln(y + 1)
                + size * np.log(size / (size + mu))
                + y * np.log(mu / (size + mu))
            )
        )
    return ll


def fast_count_fit(
    professionals: np.ndarray, link: np.ndarray, model: str, level: float
) -> tuple[float, float, float, float]:
    """The rate ratio, its Wald interval and the NB2 dispersion of :func:`fit_count_model`, in closed form.

    With one yes/no explanatory variable the maximum-likelihood means of both models are the two group
    means, so the rate ratio is their ratio. Poisson: ``Var(log R̂) = 1/Σy₁ + 1/Σy₀``. NB2: α̂
    maximises the likelihood at those means (a one-dimensional search; α̂ is 0 when the counts are not
    overdispersed, ``Σ[(y − μ)² − y] ≤ 0``, and then, as in :func:`fit_count_model`, the Poisson fit is
    used below :data:`DISPERSION_FLOOR`), and ``Var(log R̂) = Σ_g (1 + α̂μ_g)/(n_g μ_g)``: at the maximum
    the means and α are orthogonal. Returns NaN for a group with no professionals at all.
    """
    y = np.asarray(professionals, dtype=float)
    link = np.asarray(link, dtype=bool)
    y1, y0 = y[link], y[~link]
    if y1.sum() == 0 or y0.sum() == 0:
        return (np.nan,) * 4
    mu1, mu0 = y1.mean(), y0.mean()
    alpha = 0.0
    if model == "negative-binomial":
        over = np.sum((y1 - mu1) ** 2 - y1) + np.sum((y0 - mu0) ** 2 - y0)
        if over > 0:
            fit = optimize.minimize_scalar(
                lambda t: -_nb2_profile(float(np.exp(t)), y0, y1),
                bounds=(-14, 9),
                method="bounded",
                options={"xatol": 1e-10},
            )
            alpha = float(np.exp(fit.x))
        if alpha < DISPERSION_FLOOR:
            alpha = 0.0
    var = (1 + alpha * mu1) / (len(y1) * mu1) + (1 + alpha * mu0) / (len(y0) * mu0)
    z = sps.norm.ppf(0.5 + level / 2)
    ratio = mu1 / mu0
    half = z * np.sqrt(var)
    return float(ratio), float(ratio * np.exp(-half)), float(ratio * np.exp(half)), alpha


def one_reconstruction(p: Mapping[str, Any]) -> replicates.OneReconstruction:
    """One synthetic reconstruction of the cases (:func:`synthesise_cases`, the page's design) and its
    rate ratio with interval (:func:`fast_count_fit`, the model chosen by ``count_model``)."""
    n_programmes = int(published("link_programmes"))

    def one(rng: np.random.Generator) -> dict[str, replicates.Estimate]:
        link, _, professionals = _draw_cases(
            p["n_cases"], p["share_link"], p["mean_without"], p["rate_ratio"], p["dispersion"], rng, n_programmes
        )
        rr, lo, hi, _ = fast_count_fit(professionals, link, p["count_model"], p["ci_level"])
        return {"rate_ratio": replicates.Estimate(rr, lo, hi)}

    return one


def reconstructions(p: Mapping[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n_replicates`` reconstructions from generators spawned from ``seed``: the draws and their summary
    against the assumed ratio (coverage) and no difference, a ratio of 1 (detection)."""
    draws = replicates.across(one_reconstruction(p), p["n_replicates"], p["seed"])
    summary = replicates.summarise(
        draws, truth={"rate_ratio": p["rate_ratio"]}, null={"rate_ratio": 1.0}, level=p["ci_level"]
    )
    return draws, summary


# ---------------------------------------------------------------- what the detectable ratio depends on
#: The plausible range over which the detectable ratio's most influential assumption is varied.
PLAUSIBLE_RANGE: dict[str, tuple[float, float]] = {
    "mean_without": (0.5, 4.0),
    "dispersion": (0.0, 1.5),
    "share_link": (0.2, 0.8),
}
_DEPENDENCE_LABELS = {
    "mean_without": "mean number of professionals per case without the link worker",
    "dispersion": "dispersion of the counts between families",
    "share_link": "share of cases in the link worker's centres",
}
_AXIS_LABELS = {
    "mean_without": "Mean professionals per case without\nthe link worker (assumed)",
    "dispersion": "Dispersion of the counts (assumed)",
    "share_link": "Share of cases with the link worker (assumed)",
}


def mdrr_inputs(p: Mapping[str, Any], mean_without: float, dispersion: float, share_link: float) -> list[Uncertain]:
    """The detectable ratio's assumptions as uncertain inputs (bases: the planning values; spreads, as
    coefficients of variation: mean 0.3, dispersion 0.5, split 0.2; none of them was published)."""
    return [
        Uncertain("mean_without", mean_without, 0.3, "positive", _DEPENDENCE_LABELS["mean_without"]),
        Uncertain("dispersion", dispersion, 0.5, "positive", _DEPENDENCE_LABELS["dispersion"]),
        Uncertain("share_link", share_link, 0.2, "share", _DEPENDENCE_LABELS["share_link"]),
    ]


def mdrr_model(p: Mapping[str, Any], n_cases: int):
    """The detectable rate ratio as a vectorised function of the inputs of :func:`mdrr_inputs`."""

    def one(mean: float, dispersion: float, share: float) -> float:
        n_with = n_cases * share
        if mean <= 0 or n_with <= 0 or n_with >= n_cases:
            return float("nan")
        return detectable_ratio(mean, n_with, n_cases - n_with, max(dispersion, 0.0), p["alpha"], p["power"])

    def model(d: Mapping[str, np.ndarray]) -> np.ndarray:
        return np.vectorize(one, otypes=[float])(d["mean_without"], d["dispersion"], d["share_link"])

    return model


def mdrr_dependence(
    p: Mapping[str, Any], n_cases: int, mean_without: float, dispersion: float, share_link: float
) -> dict[str, Any]:
    """Which assumption the detectable ratio depends on most (:func:`sensitivity.tornado`), the ratio as it
    moves over its plausible range (:func:`sensitivity.vary`) and where the ratio crosses the assumed
    ratio, the point at which a study this size starts or stops detecting it (:func:`sensitivity.crossings`)."""
    return most_influential(
        mdrr_model(p, n_cases), mdrr_inputs(p, mean_without, dispersion, share_link), PLAUSIBLE_RANGE, p["rate_ratio"]
    )


def _dependence_text(dep: Mapping[str, Any], assumed: float, power: float) -> tuple[str, str]:
    """What the detectable ratio depends on most, and whether the conclusion changes over its range (a
    sentence with numbers for the body, one without for the summary)."""
    t = dep["table"]
    at_lo, at_hi = float(t["outcome"].iloc[0]), float(t["outcome"].iloc[-1])
    body = (
        f"Of the assumptions behind it, the detectable ratio depends most on the {dep['label']}: from "
        f"{dep['low']:g} to {dep['high']:g}, it runs from {at_lo:.2f} to {at_hi:.2f}."
    )
    if dep["flips"]:
        body += (
            f" At {dep['flips'][0]:.2f} it equals the assumed ratio of {assumed:.2f}: on one side of that point a "
            f"study this size would detect the assumed difference with {power:.0%} power, on the other it would not."
        )
        rising = float(t["outcome"].iloc[-1]) > float(t["outcome"].iloc[0])
        summary = (
            f"{'below' if rising else 'above'} the value in brackets the assumed difference would be detected "
            "reliably, and beyond it not"
        )
    elif np.nanmin(t["outcome"]) > assumed:
        body += f" Over the whole range it stays above the assumed ratio of {assumed:.2f}: a study this size would not reliably detect it."
        summary = "over the whole range a study this size would not reliably detect the assumed difference"
    else:
        body += f" Over the whole range it stays below the assumed ratio of {assumed:.2f}: the assumed difference would be detected reliably."
        summary = "over the whole range the assumed difference would be detected reliably"
    return body, summary


# ---------------------------------------------------------------- what kind of number each scalar is
#: The kind of every numeric scalar (helpers.page.kinds); ``mdrr_flip_at``, glued only when the detectable ratio
#: reaches the assumed ratio inside the plausible range (not with the defaults), is stated in no summary.
#: The group sizes follow from the assumed split alone
#: (``round(n_cases × share_link)``), so they are assumptions; the estimates from one set of cases are
#: ``one_draw`` (the body only, labelled); ``rep_*`` (across reconstructions) are synthetic.
KINDS = kinds.declare(
    published=[
        "link_cases_published",
        "link_programmes_published",
        "link_months_published",
        "link_centres_published",
        "link_meeting_professionals_published",
        "link_worker_cases_held_published",
        "link_interviews_early_published",
        "link_interviews_late_published",
    ],
    assumption=[
        "n_cases",
        "n_with",
        "n_without",
        "n_centres",
        "ci_level",
        "alpha",
        "power_target",
        "assumed_rate_ratio",
        "true_rate_ratio",
        "planning_mean_without",
        "planning_dispersion",
        "mdrr",
        "mdrr_more_share",
        "mdd_professionals",
        "power_at_assumed",
        "cases_needed_for_assumed",
        "cases_needed_multiple",
        "seed",
        "mdrr_vary_low",
        "mdrr_vary_high",
        "mdrr_at_vary_low",
        "mdrr_at_vary_high",
    ],
    synthetic=["replicate_mcse_max"],
    one_draw=["mean_with", "mean_without", "rate_ratio_est", "rr_ci_low", "rr_ci_high", "p_value", "dispersion_est"],
)


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
        bands[a : b + 1] = [(bands[a][0], bands[b][1])]
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
        return (
            "The counts show no overdispersion (the estimated dispersion is at zero), so the negative "
            "binomial model reduces to the Poisson model and its interval is the Poisson interval."
        )
    return (
        f"The estimated dispersion is {fit.dispersion:.2f}: the variance of the counts is their mean plus "
        f"{fit.dispersion:.2f} times its square."
    )


def run(params: Mapping[str, Any]) -> AnalysisResult:
    """The whole analysis for validated parameters."""
    p = PARAMETERS.validate(params)
    inputs = registry_input()
    synthetic = not p["data_path"]
    if synthetic:
        rng = np.random.default_rng(p["seed"])
        frame = synthesise_cases(
            p["n_cases"], p["share_link"], p["mean_without"], p["rate_ratio"], p["dispersion"], rng
        )
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
    needed = cases_needed(
        p["rate_ratio"], plan_mean, n_with / (n_with + n_without), plan_dispersion, p["alpha"], p["power"]
    )
    dep = mdrr_dependence(p, n_with + n_without, plan_mean, plan_dispersion, n_with / (n_with + n_without))
    dep_body, dep_summary = _dependence_text(dep, p["rate_ratio"], p["power"])
    if synthetic:
        draws, rep_summary = reconstructions(p)
        rep_scalars = replicates.scalars(rep_summary)
    else:  # the user's records are one data set: there is nothing to replicate
        draws, rep_summary, rep_scalars = None, None, {}
    ratios = np.linspace(1, max(3.0, 1.3 * mdrr, 1.1 * p["rate_ratio"]), 120)
    multiples = (1, 2, 4)
    curve = pd.DataFrame({"rate_ratio": ratios})
    for m in multiples:
        curve[f"power_x{m}"] = [
            power_for_ratio(r, plan_mean, m * n_with, m * n_without, plan_dispersion, p["alpha"]) for r in ratios
        ]

    # Tables: group summary, and cases by number of professionals (suppressed for own records).
    summary = pd.DataFrame(
        [
            {
                "group": label,
                "cases": int(rows.shape[0]),
                "mean professionals": float(rows["professionals"].mean()),
                "variance": float(rows["professionals"].var(ddof=1)) if len(rows) > 1 else float("nan"),
            }
            for label, rows in ((WITH, frame[link]), (WITHOUT, frame[~link]))
        ]
    )
    if synthetic:
        bands = band_counts(frame)
        display = bands.copy()
        display["Total"] = display.sum(axis=1)
        display.loc["Total"] = display.sum(axis=0)
        display = display.astype(str)
        note = (
            "Synthetic records: counts are shown in full. Tables from your own records hide counts below "
            f"{p['min_cell_count']} (and any that could be worked out from the totals)."
        )
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
        "interval_verdict": (
            "excludes a ratio of 1 (no difference)" if excludes else "includes a ratio of 1 (no difference)"
        ),
        "fit_converged": fit.converged,
        "dispersion_est": fit.dispersion if fit.dispersion is not None else 0.0,
        "dispersion_note": _dispersion_note(fit),
        "assumed_rate_ratio": p["rate_ratio"],
        "planning_mean_without": plan_mean,
        "planning_dispersion": plan_dispersion,
        "planning_source_text": (
            "the assumptions of the synthetic reconstruction" if synthetic else "the estimates from your records"
        ),
        "alpha": p["alpha"],
        "power_target": p["power"],
        "mdrr": mdrr,
        "mdrr_more_share": mdrr - 1,
        "mdd_professionals": plan_mean * (mdrr - 1),
        "power_at_assumed": power_assumed,
        "table_note": note,
        **rep_scalars,
        **({"replicate_mcse_max": 0.5 / np.sqrt(p["n_replicates"])} if synthetic else {}),
        "replicates_text": (
            "Summarised across many synthetic reconstructions (each a new draw of the cases from the same assumptions)."
            if synthetic
            else "Your records are one data set, not a reconstruction: there are no replicates, so the statements below "
            "about reconstructions do not apply to them (the body states your records' estimates)."
        ),
        "mdrr_depends_on_text": dep["label"],
        "mdrr_dependence_text": dep_body,
        "mdrr_dependence_summary": dep_summary,
        "mdrr_vary_low": dep["low"],
        "mdrr_vary_high": dep["high"],
        "mdrr_at_vary_low": float(dep["table"]["outcome"].iloc[0]),
        "mdrr_at_vary_high": float(dep["table"]["outcome"].iloc[-1]),
        **({"mdrr_flip_at": dep["flips"][0]} if dep["flips"] else {}),
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
        tables={
            "summary": summary,
            "bands": display,
            "mdrr_tornado": dep["tornado"],
            "mdrr_dependence": dep["table"],
            **({"replicates": draws, "replicate_summary": rep_summary} if synthetic else {}),
        },
        data={
            "frame": frame,
            "band_counts": bands,
            "fit": fit,
            "power_curve": curve,
            "multiples": multiples,
            "synthetic": synthetic,
            "band_mask": None if synthetic else sup.mask,
            "dependence": dep,
        },
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
    ax.plot(
        s["rate_ratio_est"], 0, "o", color=COLOURS["primary"], ms=9, label=f"estimate with {s['ci_level']:.0%} interval"
    )
    ax.axvline(1, color=COLOURS["reference"], lw=1.2, ls="--")
    ax.text(1, 0.42, " no difference", color=COLOURS["reference"], fontsize=9, va="center")
    ax.axvline(s["mdrr"], color=COLOURS["negative"], lw=1.5, ls=":")
    ax.text(
        s["mdrr"],
        -0.42,
        f" detectable at {s['power_target']:.0%} power",
        color=COLOURS["negative"],
        fontsize=9,
        va="center",
    )
    if s["is_synthetic"]:
        ax.axvline(s["true_rate_ratio"], color=COLOURS["positive"], lw=1.5)
        ax.text(
            s["true_rate_ratio"], 0.25, " true ratio (synthetic)", color=COLOURS["positive"], fontsize=9, va="center"
        )
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


def plot_replicates(result: AnalysisResult) -> plt.Figure:
    """The estimated rate ratio across the synthetic reconstructions, with the assumed ratio and no difference."""
    draws = result.tables["replicates"]
    row = result.tables["replicate_summary"].iloc[0]
    values = draws["value"].dropna().to_numpy()
    fig, ax = plt.subplots(figsize=(7.0, 3.2))
    bins = np.exp(np.linspace(np.log(values.min()), np.log(values.max()), 40))
    ax.hist(values, bins=bins, color=COLOURS["primary"], alpha=0.7, label="estimate in each reconstruction")
    ax.axvspan(
        row["range_low"],
        row["range_high"],
        color=COLOURS["primary"],
        alpha=0.12,
        label=f"central {result.params['ci_level']:.0%} range",
    )
    ax.axvline(row["truth"], color=COLOURS["negative"], lw=1.8, label="assumed ratio (given to the generator)")
    ax.axvline(1, color=COLOURS["reference"], lw=1.2, ls="--", label="no difference")
    ax.set_xscale("log")
    ticks = [t for t in (0.5, 0.75, 1, 1.5, 2, 3, 4) if bins[0] <= t <= bins[-1] or t == 1]
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.minorticks_off()
    ax.set_xlabel("Estimated rate ratio (log scale)")
    ax.set_ylabel("Reconstructions (count)")
    ax.legend(fontsize=8, loc="upper right")
    fig.tight_layout()
    return fig


def plot_dependence(result: AnalysisResult) -> plt.Figure:
    """The detectable rate ratio as its most influential assumption moves over its plausible range."""
    from helpers.page.plotting import dependence_plot

    dep = result.data["dependence"]
    return dependence_plot(
        dep["table"],
        _AXIS_LABELS[dep["input"]],
        f"Rate ratio detectable\nwith {result.params['power']:.0%} power",
        base=dep["base"],
        threshold=result.params["rate_ratio"],
        threshold_label="the assumed ratio",
    )
