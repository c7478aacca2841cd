"""Frontline visit frequencies: how often social workers visit, by training route.

Published (Dartington Social Research Unit, 2018): Frontline-trained social
workers visit 16 times on average and colleagues trained through other routes
12; two or three social workers are typically involved in a case; visits are on
average around once a month; Frontline-trained workers make multiple unsuccessful
attempts at home visits. Forrester's research (cited in a 2017 blog post) indicates eight or
more contacts for meaningful change work. The case-level data are not public.

This module

1. generates a **synthetic reconstruction** of case records (:func:`simulate_visits`):
   cases nested in workers, each with months open, a training route, visits from
   an overdispersed count model whose group means are calibrated to the published
   averages over the case window, a worker-level random effect with a stated
   intra-class correlation, the number of workers involved and unsuccessful visit
   attempts; or reads the user's own records (``data_path``, :data:`SCHEMA`);
2. fits Poisson and negative binomial (NB2) GLMs of visits with a log(months open)
   offset, with cluster-robust (sandwich) standard errors by worker, and reports
   the Frontline vs other visit rate ratio with its interval;
3. tests for overdispersion (likelihood-ratio test of the NB2 dispersion on the
   boundary, and the Cameron–Trivedi regression test);
4. reports the share of cases reaching the contact threshold by route (with a
   cluster-adjusted interval), visits per month and unsuccessful attempts.

The ICC scale
-------------
Visits of case *i* held by worker *j* on route *g*, open :math:`t_i` months, are

.. math::

   Y_i \\mid \\lambda_i \\sim \\text{Poisson}(\\lambda_i t_i), \\quad
   \\lambda_i = \\frac{\\mu_g}{T}\\, e^{b_j + \\varepsilon_i}, \\quad
   b_j \\sim N(-\\tfrac{\\sigma_b^2}{2}, \\sigma_b^2), \\;
   \\varepsilon_i \\sim N(-\\tfrac{\\sigma_e^2}{2}, \\sigma_e^2),

where :math:`\\mu_g` is the route's mean visits over the case window :math:`T`
(``case_months``), so :math:`E[Y_i] = \\mu_g t_i / T`. The **dispersion**
:math:`\\alpha` is the squared coefficient of variation of a case's underlying
visit rate: :math:`\\sigma_b^2 + \\sigma_e^2 = \\ln(1 + \\alpha)`, which gives
:math:`\\operatorname{Var}(Y_i \\mid t_i) = m_i + \\alpha m_i^2` (the NB2 variance
function, :math:`m_i = E[Y_i]`). The **ICC** is defined on the latent log-rate
scale: the share of the variance of :math:`\\log \\lambda_i` that lies between
workers, :math:`\\rho = \\sigma_b^2 / (\\sigma_b^2 + \\sigma_e^2)`. It does not depend
on the mean. On the scale of the counts, two cases of the same worker, each open
for the case window, have correlation
:math:`\\mu_g^2 (e^{\\sigma_b^2} - 1) / (\\mu_g + \\alpha \\mu_g^2)`
(:func:`count_scale_icc`), smaller because Poisson noise is added within workers.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pandera.pandas as pa
import seaborn as sns
import statsmodels.api as sm
from scipy import stats as sps
from statsmodels.discrete.discrete_model import NegativeBinomial
from statsmodels.tools.sm_exceptions import ConvergenceWarning

from helpers.page import kinds
from helpers.params import ParamSpec, ParameterSet, param
from helpers.engine.paths import sha256_file
from helpers.page.plotting import COLOURS, PERCENT, PALETTE, dependence_plot
from helpers.inputs.records import RecordsError, file_lines, read_records
from helpers.page.registry import published, registry_input
from helpers.stats.replicates import draws_from_arrays, replicate_generators, scalars as replicate_scalars, summarise
from helpers.page.reproduce import FigureUse
from helpers.results import AnalysisResult
from helpers.stats.sensitivity import Uncertain, central_range, depends_most
from helpers.stats.proportions import format_p
from helpers.inputs.suppression import MARKER, Suppressed, merge_bins, suppress

ROUTES: tuple[str, ...] = ("frontline", "other", "experienced")
ROUTE_LABELS: dict[str, str] = {"frontline": "Frontline", "other": "Other routes", "experienced": "Experienced"}
ROUTE_COLOURS: dict[str, tuple[float, float, float]] = {
    "frontline": COLOURS["primary"],
    "other": COLOURS["secondary"],
    "experienced": PALETTE[4],
}
#: Months open of a synthetic case, as a multiple of the case window: uniform on this range (mean 1).
MONTHS_RANGE: tuple[float, float] = (0.5, 1.5)
#: Plausibility limits of own records (values beyond them are refused by name, not analysed): visits
#: or unsuccessful attempts to one case (more than one a day for over twenty years), months a case is
#: open (a childhood and more), and social workers involved in one case.
MAX_VISITS = 10_000
MAX_MONTHS_OPEN = 300
MIN_MONTHS_OPEN = 0.01
MAX_WORKERS_PER_CASE = 100
#: The visit histogram of synthetic records has at most this many columns (the last holds that many
#: visits or more), so its size never grows with a value.
MAX_HISTOGRAM_COLUMNS = 100

_VISITS_F = published("frontline_visits_frontline")
_VISITS_O = published("frontline_visits_other")
_PER_MONTH = published("frontline_visits_per_month")
_WORKERS_LOW = published("frontline_workers_per_case_low")
_WORKERS_HIGH = published("frontline_workers_per_case_high")
_THRESHOLD = published("forrester_contacts_threshold")
#: Default case window: the months over which the published averages make the pooled rate
#: the published "around once a month" (an assumption: the study's window is not published).
DEFAULT_CASE_MONTHS = float((_VISITS_F + _VISITS_O) / 2 / _PER_MONTH)

TITLE = "Frontline visit frequencies: visits by training route (synthetic reconstruction)"
SUMMARY = (
    f"Frontline evaluation (Dartington, 2018): a synthetic reconstruction calibrated to the published "
    f"{_VISITS_F} and {_VISITS_O} visits; Poisson vs negative binomial rate ratio with worker-clustered intervals, "
    f"share reaching {_THRESHOLD} contacts; or your own records"
)


class Parameters(ParameterSet):
    """This analysis's parameters, in notebook order (validated values: ``PARAMETERS.validate``)."""

    n_workers_per_group: int = param(
        40,
        "Synthetic: social workers per training route (ignored with data_path)",
        minimum=2,
        maximum=5000,
        unit="workers",
    )
    cases_per_worker: int = param(
        5,
        "Synthetic: cases per worker in the study window (ignored with data_path)",
        minimum=1,
        maximum=200,
        unit="cases",
    )
    mean_visits_frontline: float = param(
        float(_VISITS_F),
        f"Synthetic: mean visits per case by Frontline-trained workers over the case window (published: {_VISITS_F})",
        minimum=0,
        maximum=1000,
        minimum_exclusive=True,
        unit="visits",
    )
    mean_visits_other: float = param(
        float(_VISITS_O),
        f"Synthetic: mean visits per case by workers trained through other routes (published: {_VISITS_O})",
        minimum=0,
        maximum=1000,
        minimum_exclusive=True,
        unit="visits",
    )
    include_experienced: bool = param(
        False, "Synthetic: add a third group of experienced workers, as the study first planned"
    )
    mean_visits_experienced: float = param(
        float(_VISITS_O),
        "Synthetic: mean visits per case by experienced workers (assumption: as other routes; nothing published)",
        minimum=0,
        maximum=1000,
        minimum_exclusive=True,
        unit="visits",
    )
    case_months: float = param(
        DEFAULT_CASE_MONTHS,
        "Synthetic: the case window over which the mean visits are counted (assumption: the window "
        f"that makes the pooled rate the published about {_PER_MONTH} visit a month; the study's window is not published)",
        minimum=0.5,
        maximum=120,
        unit="months",
    )
    dispersion: float = param(
        0.3,
        "Synthetic: NB2 dispersion alpha, the squared coefficient of variation of a case's visit rate "
        "(Var = mean + alpha mean^2; assumption)",
        minimum=0,
        maximum=5,
        minimum_exclusive=True,
    )
    icc: float = param(
        0.2,
        "Synthetic: intra-class correlation of the log visit rate within workers (share of its variance "
        "between workers; assumption)",
        minimum=0,
        maximum=1,
    )
    share_single_worker: float = param(
        0.15,
        f"Synthetic: share of cases held by one worker throughout; the rest have {_WORKERS_LOW} or "
        f"{_WORKERS_HIGH} (published: typically {_WORKERS_LOW} or {_WORKERS_HIGH}; the share is an assumption)",
        minimum=0,
        maximum=1,
    )
    unsuccessful_share: float = param(
        0.25,
        "Synthetic: share of home-visit attempts that fail (assumption; the report says 'multiple' attempts)",
        minimum=0,
        maximum=0.95,
    )
    contact_threshold: int = param(
        int(_THRESHOLD),
        f"Visits a case needs for meaningful change work (Forrester: {_THRESHOLD} or more)",
        minimum=1,
        maximum=1000,
        unit="visits",
    )
    ci_level: float = param(0.95, "Confidence level of every interval", minimum=0.5, maximum=1, maximum_exclusive=True)
    min_cell_count: int = param(
        5,
        "Counts below this are suppressed in tables computed from your own records",
        minimum=1,
        maximum=1000,
        unit="cases",
    )
    data_path: str = param(
        "",
        "Your own case records (CSV: case_id, worker_id, training_route, months_open, visits, optional "
        "unsuccessful_visits, n_workers); empty: the synthetic reconstruction",
        is_path=True,
    )
    n_replicates: int = param(
        2000,
        "Synthetic: reconstructions drawn, each from its own seed, to judge the rate ratio across many draws "
        "rather than one (ignored with data_path)",
        minimum=20,
        maximum=200_000,
        unit="reconstructions",
    )
    seed: int = param(
        2018,
        "Seed of the synthetic reconstruction (and of the reconstructions spawned from it)",
        minimum=0,
        maximum=2**32 - 1,
    )


PARAMETERS = ParamSpec.of(Parameters)


#: The kind of every number the page glues (helpers.page.kinds): summaries may state all but ``one_draw``.
#: ``rep_*`` scalars (across the reconstructions) are synthetic without being named here. The sizes of
#: the synthetic sample and everything derived from the parameters are assumptions; every estimate from
#: the one reconstruction analysed in full is one draw.
KINDS = kinds.declare(
    published=[
        "published_visits_frontline",
        "published_visits_other",
        "published_visits_per_month",
        "published_workers_low",
        "published_workers_high",
        "published_contact_threshold",
    ],
    computed=["published_rate_ratio"],
    assumption=[
        "ci_level",
        "replicate_range_level",
        "contact_threshold",
        "icc",
        "dispersion",
        "cases_per_worker",
        "case_months",
        "rate_ratio_requested",
        "count_icc_frontline",
        "count_icc_other",
        "n_cases",
        "n_workers_total",
        "n_workers_frontline",
        "n_workers_other",
        "n_cases_frontline",
        "n_cases_other",
        "detection_target",
        "detection_expected",
        "dependence_base",
        "dependence_range_low",
        "dependence_range_high",
        "dependence_detection_at_low",
        "dependence_detection_at_high",
        "dependence_flip",
    ],
    one_draw=[
        "mean_visits_frontline_observed",
        "mean_visits_other_observed",
        "mean_months_open",
        "visits_per_month_frontline",
        "visits_per_month_other",
        "visits_per_month_all",
        "rate_ratio",
        "rate_ratio_ci_low",
        "rate_ratio_ci_high",
        "rate_ratio_poisson",
        "rate_ratio_poisson_naive_ci_low",
        "rate_ratio_poisson_naive_ci_high",
        "rate_ratio_poisson_cluster_ci_low",
        "rate_ratio_poisson_cluster_ci_high",
        "cluster_se_inflation",
        "poisson_se_inflation",
        "dispersion_estimate",
        "pearson_dispersion",
        "lr_overdispersion",
        "cameron_trivedi_t",
        "aic_poisson",
        "aic_nb",
        "aic_difference",
        "share_reaching_threshold_frontline",
        "share_reaching_threshold_frontline_ci_low",
        "share_reaching_threshold_frontline_ci_high",
        "share_reaching_threshold_other",
        "share_reaching_threshold_other_ci_low",
        "share_reaching_threshold_other_ci_high",
        "share_reaching_threshold_all",
        "worker_rate_p10",
        "worker_rate_p90",
        "unsuccessful_per_case",
        "unsuccessful_share_observed",
        "share_cases_with_unsuccessful",
        "share_cases_single_worker",
        "share_cases_typical_workers",
        "mean_workers_per_case",
    ],
)
# (The experienced group's scalars, glued only with include_experienced, are one draw too; KINDS names
# only what the committed page glues.)


# ---------------------------------------------------------------- the ICC scale
def latent_variances(dispersion: float, icc: float) -> tuple[float, float]:
    """Between-worker and within-worker variances of the log visit rate, ``(sigma_b^2, sigma_e^2)``:
    together ``ln(1 + dispersion)``, split by ``icc``."""
    total = math.log1p(dispersion)
    return icc * total, (1 - icc) * total


def count_scale_icc(mean: float, dispersion: float, icc: float) -> float:
    """Correlation of the visit counts of two cases of the same worker, each open for the case
    window with mean ``mean``: ``mean^2 (exp(sigma_b^2) - 1) / (mean + dispersion mean^2)``."""
    s2b, _ = latent_variances(dispersion, icc)
    return mean**2 * math.expm1(s2b) / (mean + dispersion * mean**2)


# ---------------------------------------------------------------- the synthetic reconstruction
def _draw_route(
    rng: np.random.Generator,
    mean: float,
    n_workers: int,
    cases_per_worker: int,
    case_months: float,
    s2b: float,
    s2e: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Months open and visits of one route's cases, worker by worker (each worker's cases together):
    the model of the module docstring. Used by :func:`simulate_visits` and :func:`draw_replicates`."""
    n_c = n_workers * cases_per_worker
    worker = np.repeat(np.arange(n_workers), cases_per_worker)
    b = rng.normal(-s2b / 2, math.sqrt(s2b), n_workers)
    e = rng.normal(-s2e / 2, math.sqrt(s2e), n_c)
    months = case_months * rng.uniform(*MONTHS_RANGE, n_c)
    rate = mean / case_months * np.exp(b[worker] + e)
    return months, rng.poisson(rate * months)


def simulate_visits(
    mean_visits: Mapping[str, float],
    *,
    n_workers_per_group: int,
    cases_per_worker: int,
    case_months: float,
    dispersion: float,
    icc: float,
    share_single_worker: float = 0.0,
    workers_typical: tuple[int, int] = (int(_WORKERS_LOW), int(_WORKERS_HIGH)),
    unsuccessful_share: float = 0.0,
    seed: int | np.random.Generator = 0,
) -> pd.DataFrame:
    """Synthetic case records: one row per case, columns as in :data:`SCHEMA`.

    ``mean_visits`` maps each training route to its mean visits over a case open
    ``case_months`` (see the module docstring for the model and the ICC scale). Cases
    are open ``case_months`` times a uniform draw on :data:`MONTHS_RANGE`; the number of
    workers involved is 1 with probability ``share_single_worker``, otherwise either
    value of ``workers_typical`` with equal probability; each home-visit attempt fails
    with probability ``unsuccessful_share``, so unsuccessful attempts are the failures
    before the case's successful visits (negative binomial).
    """
    unknown = set(mean_visits) - set(ROUTES)
    if unknown:
        raise ValueError(f"unknown training route(s) {sorted(unknown)}: expected {', '.join(ROUTES)}")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    s2b, s2e = latent_variances(dispersion, icc)
    frames = []
    worker_offset = 0
    for route, mean in mean_visits.items():
        n_w, n_c = n_workers_per_group, n_workers_per_group * cases_per_worker
        worker = np.repeat(np.arange(n_w), cases_per_worker)
        months, visits = _draw_route(rng, mean, n_w, cases_per_worker, case_months, s2b, s2e)
        single = rng.random(n_c) < share_single_worker
        several = rng.choice(np.asarray(workers_typical), n_c)
        n_workers = np.where(single, 1, several)
        if unsuccessful_share > 0:
            failures = rng.negative_binomial(np.maximum(visits, 1), 1 - unsuccessful_share)
            unsuccessful = np.where(visits > 0, failures, 0)
        else:
            unsuccessful = np.zeros(n_c, int)
        frames.append(
            pd.DataFrame(
                {
                    "worker_id": [f"W{worker_offset + w + 1:04d}" for w in worker],
                    "training_route": route,
                    "months_open": months,
                    "visits": visits,
                    "unsuccessful_visits": unsuccessful,
                    "n_workers": n_workers,
                }
            )
        )
        worker_offset += n_w
    df = pd.concat(frames, ignore_index=True)
    df.insert(0, "case_id", [f"C{i + 1:05d}" for i in range(len(df))])
    return df


# ---------------------------------------------------------------- own records
SCHEMA = pa.DataFrameSchema(
    {
        "case_id": pa.Column(str, pa.Check.str_length(min_value=1), unique=True),
        "worker_id": pa.Column(str, pa.Check.str_length(min_value=1)),
        "training_route": pa.Column(str, pa.Check.isin(list(ROUTES))),
        "months_open": pa.Column(
            float,
            [
                pa.Check.ge(
                    MIN_MONTHS_OPEN,
                    error=f"is less than {MIN_MONTHS_OPEN} months "
                    f"(must be {MIN_MONTHS_OPEN} or more: a case is open some hours)",
                ),
                pa.Check(np.isfinite, element_wise=True, error="is not a finite number"),
                pa.Check.le(
                    MAX_MONTHS_OPEN, error=f"is more than {MAX_MONTHS_OPEN} months (must be {MAX_MONTHS_OPEN} or less)"
                ),
            ],
            coerce=True,
        ),
        "visits": pa.Column(
            int,
            [
                pa.Check.ge(0, error="is negative (must be 0 or more)"),
                pa.Check.le(MAX_VISITS, error=f"is more than {MAX_VISITS} visits (must be {MAX_VISITS} or less)"),
            ],
            coerce=True,
        ),
        "unsuccessful_visits": pa.Column(
            "Int64",
            [
                pa.Check.ge(0, error="is negative (must be 0 or more)"),
                pa.Check.le(MAX_VISITS, error=f"is more than {MAX_VISITS} attempts (must be {MAX_VISITS} or less)"),
            ],
            required=False,
            nullable=True,
            coerce=True,
        ),
        "n_workers": pa.Column(
            "Int64",
            [
                pa.Check.ge(1, error="is less than 1 (must be 1 or more)"),
                pa.Check.le(
                    MAX_WORKERS_PER_CASE,
                    error=f"is more than {MAX_WORKERS_PER_CASE} workers (must be {MAX_WORKERS_PER_CASE} or less)",
                ),
            ],
            required=False,
            nullable=True,
            coerce=True,
        ),
    },
    strict=True,
)


def load_records(path: str | Path) -> pd.DataFrame:
    """Read and validate the user's case records; raise :class:`RecordsError` naming the column and
    the first offending file lines. Beyond the schema, each worker must have one training route,
    the comparison needs cases of both Frontline and other routes from at least two workers each,
    and each route present needs at least one case with a visit (else its rate ratio is not defined)."""
    df = read_records(path, SCHEMA)
    problems: list[str] = []
    routes_per_worker = df.groupby("worker_id")["training_route"].nunique()
    mixed = routes_per_worker.index[routes_per_worker > 1]
    if len(mixed):
        rows = df.index[df["worker_id"].isin(mixed)]
        problems.append(
            f"column 'training_route': worker(s) {', '.join(repr(w) for w in mixed[:5])} have more than one "
            f"training route (a worker has one route) at file line(s) {file_lines(rows)}"
        )
    for route in ("frontline", "other"):
        n = df.loc[df["training_route"] == route, "worker_id"].nunique()
        if n < 2:
            problems.append(
                f"column 'training_route': {n} worker(s) with route {route!r}; the comparison needs cases "
                f"from at least 2 workers on each of 'frontline' and 'other'"
            )
    for route in ROUTES:
        rows = df.index[df["training_route"] == route]
        if len(rows) and (df.loc[rows, "visits"] == 0).all():
            problems.append(
                f"column 'visits': every case with training route {route!r} has 0 visits (file line(s) "
                f"{file_lines(rows)}); the visit rate of a route, and so its rate ratio, needs at least one "
                f"case with 1 or more visits in each route"
            )
    if problems:
        raise RecordsError(str(path), problems)
    return df


def check_group_sizes(df: pd.DataFrame, min_cell_count: int, source: str) -> None:
    """Each route's number of cases is shown: with own records it must not itself be a small count."""
    sizes = df["training_route"].value_counts()
    small = [f"{r!r} has {int(sizes[r])}" for r in ROUTES if 0 < sizes.get(r, 0) < min_cell_count]
    if small:
        raise RecordsError(
            source,
            [
                f"column 'training_route': route {', '.join(small)} case(s); the number of cases of each route is "
                f"shown, so each needs at least min_cell_count = {min_cell_count} cases (or lower min_cell_count)"
            ],
        )


def check_inputs(params: Mapping[str, Any]) -> None:
    """Validate the records file (if any) before a kernel starts (``compendium run``)."""
    if params.get("data_path"):
        df = load_records(params["data_path"])
        check_group_sizes(df, int(params.get("min_cell_count", 5)), str(params["data_path"]))


# ---------------------------------------------------------------- statistics
@dataclass(frozen=True)
class RateRatio:
    method: str
    estimate: float
    low: float
    high: float
    p_value: float


def _design(df: pd.DataFrame) -> tuple[np.ndarray, list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Design matrix (constant + route dummies, 'other' as reference), names, y, log months, worker codes."""
    present = [r for r in ("frontline", "experienced") if (df["training_route"] == r).any()]
    X = np.column_stack([np.ones(len(df))] + [(df["training_route"] == r).to_numpy(float) for r in present])
    names = ["const"] + present
    groups = pd.factorize(df["worker_id"])[0]
    return X, names, df["visits"].to_numpy(float), np.log(df["months_open"].to_numpy(float)), groups


def fit_models(df: pd.DataFrame) -> dict[str, Any]:
    """Poisson GLM and NB2 regression of visits on route with a log(months open) offset.

    Each is fitted twice: with model-based standard errors and with cluster-robust
    (sandwich) standard errors by worker (statsmodels ``cov_type='cluster'``, with its
    small-sample correction G/(G-1) x (N-1)/(N-K)). The NB2 dispersion is estimated by
    maximum likelihood (``statsmodels.discrete.NegativeBinomial``).
    """
    X, names, y, offset, groups = _design(df)
    cluster = {"cov_type": "cluster", "cov_kwds": {"groups": groups}}
    poisson = sm.GLM(y, X, family=sm.families.Poisson(), offset=offset)
    nb = NegativeBinomial(y, X, offset=offset, loglike_method="nb2")
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        fits = {
            "poisson": poisson.fit(),
            "poisson_cluster": poisson.fit(**cluster),
            "nb": nb.fit(disp=0, maxiter=200),
            "nb_cluster": nb.fit(disp=0, maxiter=200, **cluster),
        }
    for key in ("nb", "nb_cluster"):
        if not fits[key].mle_retvals.get("converged", True):
            raise RuntimeError("the negative binomial model did not converge")
    return {"fits": fits, "names": names, "y": y, "X": X, "offset": offset, "groups": groups}


METHOD_LABELS: dict[str, str] = {
    "poisson": "Poisson, model-based SE",
    "poisson_cluster": "Poisson, cluster-robust SE (by worker)",
    "nb": "Negative binomial, model-based SE",
    "nb_cluster": "Negative binomial, cluster-robust SE (by worker)",
}


def rate_ratio(fit, names: list[str], level: float, route: str = "frontline", method: str = "") -> RateRatio:
    """exp(coefficient) of ``route`` vs 'other', with a Wald interval on the log scale."""
    i = names.index(route)
    beta, se = float(np.asarray(fit.params)[i]), float(np.asarray(fit.bse)[i])
    z = sps.norm.ppf(0.5 + level / 2)
    p = float(2 * sps.norm.sf(abs(beta / se)))
    return RateRatio(method, math.exp(beta), math.exp(beta - z * se), math.exp(beta + z * se), p)


def overdispersion_lr_test(ll_poisson: float, ll_nb: float) -> tuple[float, float]:
    """Likelihood-ratio test of alpha = 0 (Poisson) against NB2. alpha = 0 is on the boundary of the
    parameter space, so the statistic is a 50:50 mixture of chi-square(0) and chi-square(1): the
    p-value is half the chi-square(1) tail."""
    lr = max(2 * (ll_nb - ll_poisson), 0.0)
    return lr, 0.5 * float(sps.chi2.sf(lr, 1))


def cameron_trivedi_test(y: np.ndarray, mu: np.ndarray) -> tuple[float, float, float]:
    """Cameron & Trivedi (1990) regression test of overdispersion: OLS without a constant of
    ((y - mu)^2 - y) / mu on mu (the NB2 alternative). Returns (coefficient, t, one-sided p for
    coefficient > 0)."""
    aux = ((y - mu) ** 2 - y) / mu
    fit = sm.OLS(aux, mu[:, None]).fit()
    t = float(fit.tvalues[0])
    return float(fit.params[0]), t, float(sps.t.sf(t, fit.df_resid))


def clustered_share_ci(hit: np.ndarray, groups: np.ndarray, level: float) -> tuple[float, float, float, float]:
    """Share of cases with ``hit``, with a Wilson interval on the effective sample size n / deff.

    deff is the cluster-robust variance of the share (cases summed within workers; the same
    small-sample factor G/(G-1) as statsmodels) over the simple-random-sampling variance
    p(1-p)/n, floored at 1. Returns (share, low, high, deff)."""
    hit = np.asarray(hit, float)
    n = hit.size
    p = hit.mean()
    codes = pd.factorize(np.asarray(groups))[0]
    g = codes.max() + 1
    if p in (0.0, 1.0) or g < 2:
        deff = 1.0
    else:
        sums = np.bincount(codes, weights=hit - p, minlength=g)
        var_cluster = g / (g - 1) * np.sum(sums**2) / n**2
        deff = max(1.0, var_cluster / (p * (1 - p) / n))
    n_eff = n / deff
    # Wilson score interval with n_eff "trials" (n_eff need not be an integer).
    z = sps.norm.ppf(0.5 + level / 2)
    centre = (p + z**2 / (2 * n_eff)) / (1 + z**2 / n_eff)
    half = z / (1 + z**2 / n_eff) * math.sqrt(p * (1 - p) / n_eff + z**2 / (4 * n_eff**2))
    return float(p), max(0.0, centre - half), min(1.0, centre + half), float(deff)


def visit_histogram(df: pd.DataFrame, routes: list[str]) -> pd.DataFrame:
    """Cases by route (rows) and number of visits (columns, one per count up to the 99th
    percentile, at most :data:`MAX_HISTOGRAM_COLUMNS`; the last column holds that many or more)."""
    top = min(int(np.quantile(df["visits"], 0.99, method="lower")) + 1, MAX_HISTOGRAM_COLUMNS - 1)
    capped = df["visits"].clip(upper=top)
    table = pd.crosstab(df["training_route"].map(ROUTE_LABELS), capped)
    table = table.reindex(index=[ROUTE_LABELS[r] for r in routes], columns=range(top + 1), fill_value=0)
    table.columns.name = "visits"
    return table


def binned_visit_histogram(df: pd.DataFrame, routes: list[str], min_cell_count: int, threshold: int) -> pd.DataFrame:
    """Own records: cases by route (rows) and visits in bins (columns, labelled ``"3"``, ``"4–6"``,
    ``"9 or more"``), merged so that every route's count in every bin is 0 or at least
    ``min_cell_count`` (:func:`~helpers.inputs.suppression.merge_bins`), with a bin starting at
    ``threshold``, so the cases reaching it are a sum of whole bins. Only values that occur
    become columns: the size never grows with a value."""
    labels = df["training_route"].map(ROUTE_LABELS)
    fine = pd.crosstab(labels, df["visits"])
    fine = fine.reindex(
        index=[ROUTE_LABELS[r] for r in routes], columns=sorted(set(fine.columns) | {0, threshold}), fill_value=0
    )
    bins = merge_bins(fine, min_cell_count, cuts=(threshold,))
    starts = [b[0] for b in bins]
    names = []
    for k, lo in enumerate(starts):
        if k + 1 == len(starts):
            names.append(f"{lo} or more")
            continue
        hi = starts[k + 1] - 1
        names.append(str(lo) if hi == lo else f"{lo}\u2013{hi}")
    table = pd.DataFrame({name: fine[b].sum(axis=1) for name, b in zip(names, bins)})
    table.columns.name = "visits"
    return table


def _own_threshold_table(counts: pd.DataFrame, hidden_routes: list[str], threshold: int) -> Suppressed:
    """The threshold table from own records, read together with the visit histogram.

    The histogram shows each route's cases in bins that add up to its two threshold cells, so a
    route's cells are either shown (its bins are) or hidden together with its whole histogram row
    (a small count in either). When any row is hidden, the column totals and so the pooled share are
    hidden too: the other routes' cells are known, and a column total minus them would give the
    hidden count. Each route's total is its number of cases (shown and at least the threshold)."""
    mask = pd.DataFrame(False, index=counts.index, columns=counts.columns)
    mask.loc[hidden_routes, :] = True
    display = counts.astype(object).astype(str).where(~mask, MARKER)
    display["Total"] = counts.sum(axis=1).astype(str)
    col_totals = counts.sum(axis=0).astype(str)
    if hidden_routes:
        col_totals[:] = MARKER
    display.loc["Total"] = [*col_totals.tolist(), str(int(counts.to_numpy().sum()))]
    primary = int(((counts > 0) & (counts < threshold)).to_numpy().sum())
    return Suppressed(display, mask, primary, int(mask.to_numpy().sum()) - primary, threshold)


def worker_rates(df: pd.DataFrame) -> pd.DataFrame:
    """Each worker's visits per month (total visits / total months open) and route."""
    w = df.groupby("worker_id", sort=False).agg(
        training_route=("training_route", "first"),
        visits=("visits", "sum"),
        months=("months_open", "sum"),
        cases=("case_id", "size"),
    )
    w["visits_per_month"] = w["visits"] / w["months"]
    return w.reset_index()


# ---------------------------------------------------------------- across many reconstructions
#: The conventional power a study aims for: the detection rate below which the page says a difference of
#: the published size would often be missed (a method constant, not a published figure).
DETECTION_TARGET = 0.8
#: The central range of the estimates across reconstructions: the middle 95 % of them.
REPLICATE_RANGE_LEVEL = 0.95
#: Second moment of a case's months open over the case window (uniform on :data:`MONTHS_RANGE`).
_MONTHS_SECOND_MOMENT = (MONTHS_RANGE[0] ** 2 + MONTHS_RANGE[0] * MONTHS_RANGE[1] + MONTHS_RANGE[1] ** 2) / 3


def draw_replicates(
    means: tuple[float, float],
    *,
    n_workers_per_group: int,
    cases_per_worker: int,
    case_months: float,
    dispersion: float,
    icc: float,
    n: int,
    seed: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Visits and months open of ``n`` synthetic reconstructions of the Frontline and other routes.

    Each reconstruction is drawn from its own generator spawned from ``seed``
    (:func:`helpers.stats.replicates.replicate_generators`) with the same model as :func:`simulate_visits`
    (:func:`_draw_route`; the number of workers per case and failed attempts, which the rate ratio does
    not use, are not drawn). Returns ``(visits, months)``, each of shape
    ``(n, 2, n_workers_per_group, cases_per_worker)``: reconstruction, route (0 Frontline, 1 other),
    worker, case.
    """
    s2b, s2e = latent_variances(dispersion, icc)
    shape = (n, 2, n_workers_per_group, cases_per_worker)
    visits, months = np.empty(shape), np.empty(shape)
    for i, rng in enumerate(replicate_generators(seed, n)):
        for g, mean in enumerate(means):
            m, v = _draw_route(rng, mean, n_workers_per_group, cases_per_worker, case_months, s2b, s2e)
            months[i, g] = m.reshape(n_workers_per_group, cases_per_worker)
            visits[i, g] = v.reshape(n_workers_per_group, cases_per_worker)
    return visits, months


@dataclass(frozen=True)
class PoissonRateRatios:
    """The Poisson rate ratio of Frontline vs other routes and three standard errors of its log, one
    value per reconstruction."""

    log_rate_ratio: np.ndarray
    se_model: np.ndarray  #: model-based: every case independent, variance = mean
    se_quasi: np.ndarray  #: model-based times the Pearson dispersion: over-dispersion, no clustering
    se_cluster: np.ndarray  #: cluster-robust (sandwich) by worker: over-dispersion and clustering

    def interval(self, se: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rate ratio and its Wald interval on the log scale, transformed back."""
        z = sps.norm.ppf(0.5 + level / 2)
        b = self.log_rate_ratio
        return np.exp(b), np.exp(b - z * se), np.exp(b + z * se)


def poisson_rate_ratios(visits: np.ndarray, months: np.ndarray) -> PoissonRateRatios:
    """The Poisson GLM of visits on a two-level route with a log(months open) offset, in closed form,
    for many reconstructions at once.

    ``visits`` and ``months`` have shape ``(..., 2, G, m)`` (route: 0 Frontline, 1 other; ``G``
    workers of ``m`` cases per route). With one binary covariate the maximum-likelihood fitted rate of
    each route is its visits over its months, ``Y_g / T_g``, so the rate ratio is the ratio of the two
    routes' visits per month open. The model-based variance of the log ratio is ``1/Y_f + 1/Y_o``; the
    quasi-Poisson variance multiplies it by Pearson's chi-square over ``N - 2``; the cluster-robust
    variance by worker is ``sum_j r_j^2 / Y_g^2`` summed over both routes' workers (``r_j`` the sum of a
    worker's residuals ``y - mu``), times statsmodels' small-sample factor
    ``G'/(G'-1) (N-1)/(N-2)`` for ``G'`` workers and ``N`` cases in all. A route without visits gives NaN.
    """
    visits, months = np.asarray(visits, float), np.asarray(months, float)
    n_workers, per_worker = visits.shape[-2], visits.shape[-1]
    clusters, n_cases, k = 2 * n_workers, 2 * n_workers * per_worker, 2
    total = visits.sum(axis=(-2, -1))
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = total / months.sum(axis=(-2, -1))
        log_rr = np.log(rate[..., 0]) - np.log(rate[..., 1])
        mu = rate[..., None, None] * months
        resid = visits - mu
        var_model = (1 / total).sum(axis=-1)
        pearson = (resid**2 / mu).sum(axis=(-3, -2, -1)) / (n_cases - k)
        worker_sums = resid.sum(axis=-1)
        correction = clusters / (clusters - 1) * (n_cases - 1) / (n_cases - k)
        var_cluster = correction * ((worker_sums**2).sum(axis=-1) / total**2).sum(axis=-1)
    bad = ~(total > 0).all(axis=-1)
    nan = np.where(bad, np.nan, 1.0)
    return PoissonRateRatios(
        log_rr * nan, np.sqrt(var_model) * nan, np.sqrt(var_model * pearson) * nan, np.sqrt(var_cluster) * nan
    )


def replicate_draws(p: Mapping[str, Any]) -> pd.DataFrame:
    """The key estimates of ``p['n_replicates']`` reconstructions (long table of
    :func:`helpers.stats.replicates.across`): the rate ratio with worker-clustered, model-based and
    quasi-Poisson intervals, the factor by which clustering widens the standard error, and each route's
    share of cases reaching the contact threshold (values only)."""
    visits, months = draw_replicates(
        (p["mean_visits_frontline"], p["mean_visits_other"]),
        n_workers_per_group=p["n_workers_per_group"],
        cases_per_worker=p["cases_per_worker"],
        case_months=p["case_months"],
        dispersion=p["dispersion"],
        icc=p["icc"],
        n=p["n_replicates"],
        seed=p["seed"],
    )
    fit = poisson_rate_ratios(visits, months)
    level = p["ci_level"]
    inflation = fit.se_cluster / fit.se_quasi
    shares = (visits >= p["contact_threshold"]).mean(axis=(-2, -1))
    return draws_from_arrays(
        {
            "rate_ratio": fit.interval(fit.se_cluster, level),
            "rate_ratio_quasi": fit.interval(fit.se_quasi, level),
            "rate_ratio_model_se": fit.interval(fit.se_model, level),
            "cluster_se_inflation": (inflation, inflation, inflation),
            "share_reaching_threshold_frontline": (shares[:, 0], shares[:, 0], shares[:, 0]),
            "share_reaching_threshold_other": (shares[:, 1], shares[:, 1], shares[:, 1]),
        }
    )


def expected_se_log_rate_ratio(inputs: Mapping[str, np.ndarray]) -> np.ndarray:
    """Large-sample standard error of the log rate ratio under the reconstruction's model, vectorised.

    ``inputs``: ``mean_visits_frontline``, ``mean_visits_other``, ``dispersion``, ``icc``,
    ``n_workers_per_group``, ``cases_per_worker``. A worker's summed residual over ``m`` cases of a
    route with mean ``mu`` has variance ``m (mu + alpha mu^2 E[u^2]) + m (m - 1) mu^2 (exp(sigma_b^2) - 1)``
    (``u`` the case's months open over the window), and the log of the route's rate has variance
    that over ``G m^2 mu^2``; the two routes add. The case window does not enter: the means are per
    window.
    """
    alpha = np.asarray(inputs["dispersion"], float)
    icc = np.asarray(inputs["icc"], float)
    g = np.asarray(inputs["n_workers_per_group"], float)
    m = np.asarray(inputs["cases_per_worker"], float)
    between = np.expm1(icc * np.log1p(alpha))
    var = 0.0
    for key in ("mean_visits_frontline", "mean_visits_other"):
        mu = np.asarray(inputs[key], float)
        worker = m * (mu + alpha * mu**2 * _MONTHS_SECOND_MOMENT) + m * (m - 1) * mu**2 * between
        var = var + worker / (g * m**2 * mu**2)
    return np.sqrt(var)


def expected_detection(inputs: Mapping[str, np.ndarray], level: float = 0.95) -> np.ndarray:
    """How often a two-sided Wald test at ``1 - level`` would detect the calibrated rate ratio
    (normal approximation with :func:`expected_se_log_rate_ratio`), vectorised over ``inputs``."""
    se = expected_se_log_rate_ratio(inputs)
    shift = (
        np.abs(
            np.log(np.asarray(inputs["mean_visits_frontline"], float) / np.asarray(inputs["mean_visits_other"], float))
        )
        / se
    )
    z = sps.norm.ppf(0.5 + level / 2)
    return sps.norm.cdf(shift - z) + sps.norm.cdf(-shift - z)


def detection_inputs(p: Mapping[str, Any]) -> list[Uncertain]:
    """The reconstruction's assumptions that how often a difference would be detected depends on,
    each with its base (the parameter) and a plausible spread (a coefficient of variation of 0.5 for
    the dispersion and the intra-class correlation, which nothing published pins down, and 0.4 for the
    size of the study, whose numbers of workers and cases per worker are not published)."""
    return [
        Uncertain("icc", p["icc"], 0.5, "share", "intra-class correlation of visit rates within workers"),
        Uncertain("dispersion", p["dispersion"], 0.5, "positive", "dispersion of visit rates between cases"),
        Uncertain(
            "n_workers_per_group", p["n_workers_per_group"], 0.4, "positive", "number of social workers per route"
        ),
        Uncertain("cases_per_worker", p["cases_per_worker"], 0.4, "positive", "number of cases per worker"),
    ]


def detection_dependence(p: Mapping[str, Any], points: int = 61) -> dict[str, Any]:
    """Which assumption the detection rate depends on most (:func:`helpers.stats.sensitivity.tornado`), and the
    detection rate over that assumption's plausible range (its 2.5th to 97.5th percentile,
    :func:`helpers.stats.sensitivity.vary`), with where it crosses :data:`DETECTION_TARGET`."""
    fixed = {"mean_visits_frontline": p["mean_visits_frontline"], "mean_visits_other": p["mean_visits_other"]}
    inputs = detection_inputs(p)

    def model(x: Mapping[str, np.ndarray]) -> np.ndarray:
        return expected_detection({**fixed, **x}, p["ci_level"])

    dep = depends_most(model, inputs, lambda u: central_range(u, points), DETECTION_TARGET)
    top = dep["top"]
    return {
        "tornado": dep["tornado"],
        "table": dep["table"],
        "input": top,
        "low": top.quantile(0.025),
        "high": top.quantile(0.975),
        "crossings": dep["flips"],
        "base": float(dep["tornado"].attrs["base_outcome"]),
    }


# ---------------------------------------------------------------- the analysis
def _routes_in(df: pd.DataFrame) -> list[str]:
    return [r for r in ROUTES if (df["training_route"] == r).any()]


def _suppressed(counts: pd.DataFrame, own: bool, threshold: int) -> Suppressed:
    return suppress(counts, threshold if own else 1)


def _suppression_note(tables: list[tuple[str, Suppressed]], threshold: int) -> str:
    """One note for the count tables from own records, naming each table with suppressed counts
    (each table's own :attr:`Suppressed.note` would repeat the same sentence)."""
    parts = []
    for label, sup in tables:
        if sup.primary:
            extra = sup.secondary
            parts.append(
                label
                + (
                    f" (with {extra} further cell{'s' * (extra != 1)} so that they cannot be worked "
                    "out from the totals)"
                    if extra
                    else ""
                )
            )
    if not parts:
        these = "these tables" if len(tables) > 1 else "this table"
        return f"No count in {these} is below {threshold}, so nothing is suppressed."
    return f"Counts from 1 to {threshold - 1} are suppressed ({MARKER}) in {' and in '.join(parts)}."


def run(params: Mapping[str, Any]) -> AnalysisResult:
    """The whole analysis for validated parameters."""
    p = PARAMETERS.validate(params)
    level = p["ci_level"]
    own = bool(p["data_path"])
    inputs = registry_input()
    if own:
        df = load_records(p["data_path"])
        check_group_sizes(df, p["min_cell_count"], p["data_path"])
        inputs[p["data_path"]] = sha256_file(Path(p["data_path"]))
        source_text = "your own records"
    else:
        means = {"frontline": p["mean_visits_frontline"], "other": p["mean_visits_other"]}
        if p["include_experienced"]:
            means["experienced"] = p["mean_visits_experienced"]
        df = simulate_visits(
            means,
            n_workers_per_group=p["n_workers_per_group"],
            cases_per_worker=p["cases_per_worker"],
            case_months=p["case_months"],
            dispersion=p["dispersion"],
            icc=p["icc"],
            share_single_worker=p["share_single_worker"],
            unsuccessful_share=p["unsuccessful_share"],
            seed=p["seed"],
        )
        source_text = "the synthetic reconstruction"
    routes = _routes_in(df)
    by_route = {r: df[df["training_route"] == r] for r in routes}

    # 1. Count models with a log(months) offset.
    models = fit_models(df)
    fits, names = models["fits"], models["names"]
    # Only the route's coefficient (index 1) matters here: the intercept's cluster-robust variance can be
    # zero in exact arithmetic (identical workers), and then its square root is 0 or NaN by the BLAS kernel.
    unfitted = [k for k, f in fits.items() if not np.isfinite(np.asarray(f.bse)[1])]
    if unfitted:  # e.g. a single case with a visit per route: the models' information matrix is singular
        raise RecordsError(
            p["data_path"] or source_text,
            [
                f"column 'visits': the {', '.join(METHOD_LABELS[k] for k in unfitted)} model(s) cannot estimate a "
                "standard error for the training route from these records (too few cases with visits to estimate "
                "a rate and its spread); more cases with one or more visits in each route are needed"
            ],
        )
    ratios = {k: rate_ratio(f, names, level, method=k) for k, f in fits.items()}
    rr = ratios["nb_cluster"]
    alpha_hat = float(np.asarray(fits["nb"].params)[-1])
    ll_p, ll_nb = float(fits["poisson"].llf), float(fits["nb"].llf)
    aic_p, aic_nb = float(fits["poisson"].aic), float(fits["nb"].aic)
    lr, lr_p = overdispersion_lr_test(ll_p, ll_nb)
    mu = np.asarray(fits["poisson"].fittedvalues)
    ct_coef, ct_t, ct_p = cameron_trivedi_test(models["y"], mu)
    pearson_ratio = float(fits["poisson"].pearson_chi2 / fits["poisson"].df_resid)
    # Clustering alone: the same negative binomial model with cluster-robust against model-based standard
    # errors (over-dispersion is in both). The Poisson sandwich against Poisson model-based errors mixes
    # over-dispersion with clustering, so it is reported apart, under its own name.
    se_ratio = float(np.asarray(fits["nb_cluster"].bse)[1] / np.asarray(fits["nb"].bse)[1])
    se_ratio_poisson = float(np.asarray(fits["poisson_cluster"].bse)[1] / np.asarray(fits["poisson"].bse)[1])
    rr_table = pd.DataFrame(
        [
            {
                "method": METHOD_LABELS[k],
                "rate ratio": r.estimate,
                "low": r.low,
                "high": r.high,
                "interval width (ratio high/low)": r.high / r.low,
                "p": format_p(r.p_value),
            }
            for k, r in ratios.items()
        ]
    )
    model_table = pd.DataFrame(
        [
            {
                "model": "Poisson",
                "log-likelihood": ll_p,
                "AIC": aic_p,
                "parameters": len(names),
                "dispersion alpha": 0.0,
            },
            {
                "model": "Negative binomial (NB2)",
                "log-likelihood": ll_nb,
                "AIC": aic_nb,
                "parameters": len(names) + 1,
                "dispersion alpha": alpha_hat,
            },
        ]
    )

    # 2. Descriptives by route: means, visits per month, threshold, unsuccessful attempts.
    threshold = p["contact_threshold"]
    rows, shares = [], {}
    for r in routes:
        d = by_route[r]
        share, lo, hi, deff = clustered_share_ci(d["visits"].to_numpy() >= threshold, d["worker_id"].to_numpy(), level)
        shares[r] = (share, lo, hi, deff)
        rows.append(
            {
                "route": ROUTE_LABELS[r],
                "workers": d["worker_id"].nunique(),
                "cases": len(d),
                "mean months open": d["months_open"].mean(),
                "mean visits": d["visits"].mean(),
                "visits per month": d["visits"].sum() / d["months_open"].sum(),
                f"share reaching {threshold}": share,
                "low": lo,
                "high": hi,
            }
        )
    summary = pd.DataFrame(rows)
    counts = pd.DataFrame(
        {
            f"{threshold} or more visits": [int((by_route[r]["visits"] >= threshold).sum()) for r in routes],
            f"fewer than {threshold}": [int((by_route[r]["visits"] < threshold).sum()) for r in routes],
        },
        index=pd.Index([ROUTE_LABELS[r] for r in routes], name="route"),
    )
    k = p["min_cell_count"]
    if own:
        # Read with the histogram (its bins add up to these cells): a route with a small count on
        # either side of the threshold is hidden whole, in both, and so are the column totals.
        small = ((counts > 0) & (counts < k)).any(axis=1)
        hidden_labels = [label for label in counts.index if small[label]]
        threshold_counts = _own_threshold_table(counts, hidden_labels, k)
        visit_counts = binned_visit_histogram(df, routes, k, threshold)
        hist_mask = pd.DataFrame(False, index=visit_counts.index, columns=visit_counts.columns)
        hist_mask.loc[hidden_labels, :] = True
        visit_hist = Suppressed(
            visit_counts.astype(object).astype(str).where(~hist_mask, MARKER),
            hist_mask,
            int(((visit_counts > 0) & (visit_counts < k)).to_numpy().sum()),
            0,
            k,
        )
    else:
        threshold_counts = _suppressed(counts, own, k)
        visit_counts = visit_histogram(df, routes)
        nothing = pd.DataFrame(False, index=visit_counts.index, columns=visit_counts.columns)
        visit_hist = Suppressed(visit_counts.astype(str), nothing, 0, 0, 1)
    # Shares whose counts are suppressed are hidden too (they would reveal the counts).
    hidden = {r for r in routes if threshold_counts.mask.loc[ROUTE_LABELS[r]].any()}
    for column in (f"share reaching {threshold}", "low", "high"):
        summary[column] = [MARKER if r in hidden else v for r, v in zip(routes, summary[column])]

    per_month = df["visits"].sum() / df["months_open"].sum()
    wr = worker_rates(df)

    scalars: dict[str, Any] = {
        "data_source": source_text,
        "n_cases": len(df),
        "n_workers_total": df["worker_id"].nunique(),
        "n_workers_frontline": by_route["frontline"]["worker_id"].nunique(),
        "n_workers_other": by_route["other"]["worker_id"].nunique(),
        "n_cases_frontline": len(by_route["frontline"]),
        "n_cases_other": len(by_route["other"]),
        "ci_level": level,
        "published_visits_frontline": _VISITS_F,
        "published_visits_other": _VISITS_O,
        "published_visits_per_month": _PER_MONTH,
        "published_workers_low": _WORKERS_LOW,
        "published_workers_high": _WORKERS_HIGH,
        "mean_visits_frontline_observed": float(by_route["frontline"]["visits"].mean()),
        "mean_visits_other_observed": float(by_route["other"]["visits"].mean()),
        "mean_months_open": float(df["months_open"].mean()),
        "visits_per_month_frontline": float(
            by_route["frontline"]["visits"].sum() / by_route["frontline"]["months_open"].sum()
        ),
        "visits_per_month_other": float(by_route["other"]["visits"].sum() / by_route["other"]["months_open"].sum()),
        "visits_per_month_all": float(per_month),
        "rate_ratio": rr.estimate,
        "rate_ratio_source_text": (
            "In your own records" if own else f"In this one synthetic reconstruction (seed {p['seed']})"
        ),
        "rate_ratio_caveat_text": (
            "Training route was not randomised, so the ratio describes these records, not an effect of training."
            if own
            else "Another seed gives another estimate: this one illustrates the method and is not an estimate of "
            "Frontline's effect."
        ),
        "rate_ratio_ci_low": rr.low,
        "rate_ratio_ci_high": rr.high,
        "rate_ratio_p_text": format_p(rr.p_value),
        "rate_ratio_method": METHOD_LABELS["nb_cluster"],
        "rate_ratio_poisson": ratios["poisson"].estimate,
        "rate_ratio_poisson_naive_ci_low": ratios["poisson"].low,
        "rate_ratio_poisson_naive_ci_high": ratios["poisson"].high,
        "rate_ratio_poisson_cluster_ci_low": ratios["poisson_cluster"].low,
        "rate_ratio_poisson_cluster_ci_high": ratios["poisson_cluster"].high,
        "cluster_se_inflation": se_ratio,
        "poisson_se_inflation": se_ratio_poisson,
        "published_rate_ratio": _VISITS_F / _VISITS_O,
        "dispersion_estimate": alpha_hat,
        "pearson_dispersion": pearson_ratio,
        "lr_overdispersion": lr,
        "lr_overdispersion_p_text": format_p(lr_p),
        "cameron_trivedi_t": ct_t,
        "cameron_trivedi_p_text": format_p(ct_p),
        "aic_poisson": aic_p,
        "aic_nb": aic_nb,
        "aic_difference": abs(aic_p - aic_nb),  # the sentence names the model with the lower AIC
        "preferred_model": "negative binomial" if aic_nb < aic_p else "Poisson",
        "overdispersion_verdict": (
            "far more variable than a Poisson model allows"
            if lr_p < 0.05
            else "not clearly more variable than a Poisson model allows"
        ),
        "contact_threshold": threshold,
        "published_contact_threshold": int(_THRESHOLD),
        "share_reaching_threshold_frontline": MARKER if "frontline" in hidden else shares["frontline"][0],
        "share_reaching_threshold_frontline_ci_low": MARKER if "frontline" in hidden else shares["frontline"][1],
        "share_reaching_threshold_frontline_ci_high": MARKER if "frontline" in hidden else shares["frontline"][2],
        "share_reaching_threshold_other": MARKER if "other" in hidden else shares["other"][0],
        "share_reaching_threshold_other_ci_low": MARKER if "other" in hidden else shares["other"][1],
        "share_reaching_threshold_other_ci_high": MARKER if "other" in hidden else shares["other"][2],
        # The pooled share times n_cases is the threshold table's column total: hidden with it.
        "share_reaching_threshold_all": (
            MARKER
            if (threshold_counts.display.loc["Total"] == MARKER).any()
            else float((df["visits"] >= threshold).mean())
        ),
        "worker_rate_p10": float(np.quantile(wr["visits_per_month"], 0.1)),
        "worker_rate_p90": float(np.quantile(wr["visits_per_month"], 0.9)),
    }
    if "experienced" in by_route:
        exp_rr = rate_ratio(fits["nb_cluster"], names, level, route="experienced")
        scalars.update(
            {
                "mean_visits_experienced_observed": float(by_route["experienced"]["visits"].mean()),
                "rate_ratio_experienced": exp_rr.estimate,
                "rate_ratio_experienced_ci_low": exp_rr.low,
                "rate_ratio_experienced_ci_high": exp_rr.high,
                "share_reaching_threshold_experienced": MARKER if "experienced" in hidden else shares["experienced"][0],
            }
        )
    replicate_tables: dict[str, pd.DataFrame] = {}
    if own:
        scalars["replicates_note"] = (
            "These are your own records: one set of cases, not a reconstruction, so there is nothing to summarise "
            "across draws; every estimate on this page is from your records."
        )
    else:
        # 3. The same analysis across many reconstructions: what the reconstruction shows, not one draw of it.
        requested = p["mean_visits_frontline"] / p["mean_visits_other"]
        draws = replicate_draws(p)
        ratios_judged = ("rate_ratio", "rate_ratio_quasi", "rate_ratio_model_se")
        rep_summary = summarise(
            draws,
            truth={k: requested for k in ratios_judged},
            null={k: 1.0 for k in ratios_judged},
            level=REPLICATE_RANGE_LEVEL,
        )
        scalars.update(replicate_scalars(rep_summary))
        clustered = rep_summary.set_index("estimate").loc["rate_ratio"]
        gap = (clustered["coverage"] - level) / max(clustered["coverage_mcse"], 1e-12)
        scalars["coverage_verdict_text"] = (
            "below it by more than two Monte Carlo errors, as sandwich intervals tend to be with few workers per route"
            if gap < -2
            else "above it by more than two Monte Carlo errors"
            if gap > 2
            else "within two Monte Carlo errors of it"
        )
        dep = detection_dependence(p)
        top: Uncertain = dep["input"]
        flips = dep["crossings"]
        scalars.update(
            {
                "replicate_range_level": REPLICATE_RANGE_LEVEL,
                "replicates_note": (
                    "The summary is across many synthetic reconstructions, each a fresh draw of the "
                    "records from the same assumptions; one of them is analysed in full below."
                ),
                "detection_target": DETECTION_TARGET,
                "detection_expected": dep["base"],
                "dependence_input": top.name,
                "dependence_label": top.label,
                "dependence_base": float(top.base),
                "dependence_range_low": dep["low"],
                "dependence_range_high": dep["high"],
                "dependence_detection_at_low": float(dep["table"]["outcome"].iloc[0]),
                "dependence_detection_at_high": float(dep["table"]["outcome"].iloc[-1]),
                "dependence_flips": bool(flips),
                "dependence_verdict_text": (
                    "falls short of it in part of that range"
                    if flips
                    else "is met over the whole of that range"
                    if dep["table"]["outcome"].min() >= DETECTION_TARGET
                    else "falls short of it over the whole of that range"
                ),
            }
        )
        if flips:
            scalars["dependence_flip"] = flips[0]
        replicate_tables = {
            "replicates": draws,
            "replicate_summary": rep_summary,
            "tornado": dep["tornado"],
            "dependence": dep["table"],
        }
        s2b, s2e = latent_variances(p["dispersion"], p["icc"])
        scalars.update(
            {
                "icc": p["icc"],
                "dispersion": p["dispersion"],
                "cases_per_worker": p["cases_per_worker"],
                "case_months": p["case_months"],
                "count_icc_frontline": count_scale_icc(p["mean_visits_frontline"], p["dispersion"], p["icc"]),
                "count_icc_other": count_scale_icc(p["mean_visits_other"], p["dispersion"], p["icc"]),
                "rate_ratio_requested": p["mean_visits_frontline"] / p["mean_visits_other"],
                "rate_ratio_covers_requested": "includes"
                if rr.low <= p["mean_visits_frontline"] / p["mean_visits_other"] <= rr.high
                else "does not include",
            }
        )
    if "unsuccessful_visits" in df and df["unsuccessful_visits"].notna().any():
        u = df.dropna(subset=["unsuccessful_visits"])
        attempts = u["unsuccessful_visits"].sum() + u["visits"].sum()
        scalars.update(
            {
                "unsuccessful_per_case": float(u["unsuccessful_visits"].mean()),
                "unsuccessful_share_observed": float(u["unsuccessful_visits"].sum() / attempts) if attempts else 0.0,
                # Times the cases with the column filled in, a count: hidden when it or its complement is small.
                "share_cases_with_unsuccessful": (
                    MARKER
                    if own
                    and any(
                        0 < c < p["min_cell_count"]
                        for c in ((u["unsuccessful_visits"] > 0).sum(), (u["unsuccessful_visits"] == 0).sum())
                    )
                    else float((u["unsuccessful_visits"] > 0).mean())
                ),
            }
        )
    if "n_workers" in df and df["n_workers"].notna().any():
        nw = df["n_workers"].dropna().astype(int)
        wcounts = nw.value_counts().sort_index()
        worker_counts = pd.DataFrame(
            {"cases": wcounts.to_numpy()},
            index=pd.Index([f"{k} worker{'s' * (k != 1)}" for k in wcounts.index], name="workers involved"),
        )
        # Own records: with totals, so that a hidden count cannot be worked out from the others and the
        # number of cases (secondary suppression). Synthetic records are shown in full, without totals.
        # With the column filled in for every case, its total is the number of cases, shown elsewhere.
        known = ("column totals", "grand total") if own and df["n_workers"].notna().all() else ()
        workers_table = suppress(worker_counts, p["min_cell_count"] if own else 1, totals=own, known=known)
        # The shares and the mean times the number of cases give counts: hidden when any count is.
        workers_hidden = bool(workers_table.mask.to_numpy().any())
        scalars.update(
            {
                "share_cases_single_worker": MARKER if workers_hidden else float((nw == 1).mean()),
                "share_cases_typical_workers": (
                    MARKER if workers_hidden else float(nw.between(int(_WORKERS_LOW), int(_WORKERS_HIGH)).mean())
                ),
                "mean_workers_per_case": MARKER if workers_hidden else float(nw.mean()),
            }
        )
    else:
        workers_table = None

    if own:
        tables_shown = [("the table of cases reaching the threshold", threshold_counts)]
        if workers_table is not None:
            tables_shown.append(("the table of workers involved", workers_table))
        scalars["suppression_note"] = _suppression_note(tables_shown, p["min_cell_count"])
    else:
        scalars["suppression_note"] = "These are synthetic records, so no count is suppressed."

    role = "quoted" if own else "synthetic"  # with own records the published figures are only compared
    return AnalysisResult(
        notebook="frontline_visits",
        params=p,
        scalars=scalars,
        tables={"rate_ratios": rr_table, "models": model_table, "summary": summary, **replicate_tables},
        data={
            "cases": df,
            "worker_rates": wr,
            "threshold_counts": threshold_counts,
            "workers_table": workers_table,
            "visit_counts": visit_counts,
            "visit_hist": visit_hist,
            "shares_hidden": hidden,
            "min_cell_count": p["min_cell_count"],
            "own_records": own,
            "ratios": ratios,
            "shares": shares,
            "routes": routes,
        },
        checks=[],
        figures_used=[
            FigureUse("frontline_visits_frontline", role),
            FigureUse("frontline_visits_other", role),
            FigureUse("frontline_visits_per_month", role),
            FigureUse("frontline_workers_per_case_low", role),
            FigureUse("frontline_workers_per_case_high", role),
            FigureUse("forrester_contacts_threshold", "input"),
        ],
        inputs=inputs,
    )


# ---------------------------------------------------------------- tables for the page
def calibration_table(result: AnalysisResult) -> pd.DataFrame:
    """Published figure, the value the generator was asked for, and what the synthetic sample gives."""
    s, p = result.scalars, result.params
    rows = [
        (
            "Mean visits per case, Frontline",
            s["published_visits_frontline"],
            p["mean_visits_frontline"],
            s["mean_visits_frontline_observed"],
        ),
        (
            "Mean visits per case, other routes",
            s["published_visits_other"],
            p["mean_visits_other"],
            s["mean_visits_other_observed"],
        ),
        (
            "Visits per month, all cases",
            s["published_visits_per_month"],
            (p["mean_visits_frontline"] + p["mean_visits_other"]) / 2 / p["case_months"],
            s["visits_per_month_all"],
        ),
    ]
    if "share_cases_typical_workers" in s:
        rows.append(
            (
                f"Share of cases with {s['published_workers_low']} or {s['published_workers_high']} workers",
                "typical",
                1 - p["share_single_worker"],
                s["share_cases_typical_workers"],
            )
        )
    return pd.DataFrame(rows, columns=["quantity", "published", "requested (parameters)", "synthetic sample"])


def threshold_table(result: AnalysisResult) -> pd.DataFrame:
    sup: Suppressed = result.data["threshold_counts"]
    return sup.display.reset_index()


def workers_table(result: AnalysisResult) -> pd.DataFrame | None:
    sup: Suppressed | None = result.data["workers_table"]
    return None if sup is None else sup.display.reset_index()


# ---------------------------------------------------------------- figures
def _palette(routes: list[str]) -> dict[str, tuple[float, float, float]]:
    return {ROUTE_LABELS[r]: ROUTE_COLOURS[r] for r in routes}


def _labelled(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out["route"] = out["training_route"].map(ROUTE_LABELS)
    return out


def plot_visit_distribution(result: AnalysisResult) -> plt.Figure:
    """Visits per case by route (share of the route's cases at each count), with the contact
    threshold. With own records, counts below ``min_cell_count`` (and their complements) are
    left out of the plot."""
    hist: Suppressed = result.data["visit_hist"]
    routes, s = result.data["routes"], result.scalars
    raw: pd.DataFrame = result.data["visit_counts"]
    counts = raw.where(~hist.mask)  # hidden cells become NaN: gaps in the steps
    totals = raw.sum(axis=1)
    fig, ax = plt.subplots(figsize=(7.5, 4.0))
    binned = result.data["own_records"]
    labels = [str(c) for c in hist.mask.columns]
    # Synthetic: one column per count (position = count). Own records: merged bins, one position each.
    x = np.arange(len(labels), dtype=float) if binned else np.asarray(hist.mask.columns, float)
    for r in routes:
        label = ROUTE_LABELS[r]
        share = 100 * counts.loc[label].to_numpy(float) / totals[label]
        ax.step(x, share, where="mid", color=ROUTE_COLOURS[r], lw=1.8, label=label)
    top = int(x.max())
    cut = s["contact_threshold"]
    if binned:  # the bin that starts at the threshold
        cut = next(k for k, label in enumerate(labels) if label.split("\u2013")[0].split(" ")[0] == str(cut))
    ax.axvline(cut - 0.5, color=COLOURS["reference"], ls="--", lw=1.3)
    ax.text(
        cut - 0.3,
        ax.get_ylim()[1] * 0.97,
        f" {s['contact_threshold']} or more visits",
        color=COLOURS["reference"],
        va="top",
        fontsize=9,
    )
    if hist.mask.to_numpy().any():
        ax.text(
            0.99,
            0.80,
            f"routes with counts below {result.data['min_cell_count']} not shown",
            transform=ax.transAxes,
            ha="right",
            fontsize=8,
            color=COLOURS["reference"],
        )
    ax.set_xlim(-0.5, top + 0.5)
    ax.set_ylim(
        0, max(1.0, float(np.nan_to_num(100 * counts.to_numpy(float) / totals.to_numpy()[:, None]).max())) * 1.08
    )
    if binned:
        ax.set_xticks(x, labels, rotation=45 if len(labels) > 8 else 0, fontsize=8)
        ax.set_xlabel(
            f"Visits to the family during the case (merged so that no bar holds fewer than "
            f"{result.data['min_cell_count']} cases)"
        )
    else:
        ax.set_xlabel(f"Visits to the family during the case (count; the last step is {top} or more)")
    ax.set_ylabel("Cases in the route (%)")
    ax.legend(loc="upper right", fontsize=9)
    fig.tight_layout()
    return fig


def plot_visits_per_month(result: AnalysisResult) -> plt.Figure:
    """Each case's visits per month by route, with the published about-once-a-month line."""
    df, routes = _labelled(result.data["cases"]), result.data["routes"]
    df["visits_per_month"] = df["visits"] / df["months_open"]
    s = result.scalars
    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    order = [ROUTE_LABELS[r] for r in routes]
    sns.boxplot(
        data=df,
        x="visits_per_month",
        y="route",
        hue="route",
        order=order,
        hue_order=order,
        palette=_palette(routes),
        legend=False,
        showfliers=False,
        width=0.5,
        whis=(10, 90),
        ax=ax,
    )
    if not result.data["own_records"]:  # individual cases are shown only when they are synthetic
        sns.stripplot(
            data=df,
            x="visits_per_month",
            y="route",
            order=order,
            color=COLOURS["reference"],
            size=2,
            alpha=0.35,
            jitter=0.2,
            ax=ax,
        )
    ax.axvline(s["published_visits_per_month"], color=COLOURS["negative"], ls=":", lw=1.5)
    ax.text(
        s["published_visits_per_month"],
        -0.45,
        " published: about once a month",
        color=COLOURS["negative"],
        fontsize=9,
        va="bottom",
    )
    ax.set_xlabel("Visits per month open (visits/month)")
    ax.set_ylabel("")
    fig.tight_layout()
    return fig


def plot_worker_rates(result: AnalysisResult) -> plt.Figure:
    """Each worker's visits per month, sorted within route: the spread between workers."""
    wr, routes = result.data["worker_rates"].copy(), result.data["routes"]
    wr["route"] = wr["training_route"].map(ROUTE_LABELS)
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    start = 0
    for r in routes:
        d = wr[wr["training_route"] == r].sort_values("visits_per_month")
        x = np.arange(start, start + len(d))
        ax.scatter(x, d["visits_per_month"], s=14, color=ROUTE_COLOURS[r], label=ROUTE_LABELS[r])
        rate = d["visits"].sum() / d["months"].sum()
        ax.hlines(rate, x[0], x[-1], color=ROUTE_COLOURS[r], lw=1.5)
        start += len(d) + 3
    ax.set_xticks([])
    ax.set_xlabel("Social workers, sorted by visit rate within route")
    ax.set_ylabel("Worker's visits per month (visits/month)")
    ax.legend(loc="upper left", fontsize=9)
    fig.tight_layout()
    return fig


def plot_rate_ratios(result: AnalysisResult) -> plt.Figure:
    """The Frontline vs other rate ratio and its interval under each model and standard error."""
    table, s = result.tables["rate_ratios"], result.scalars
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    y = np.arange(len(table))[::-1]
    for yi, (_, row) in zip(y, table.iterrows()):
        chosen = row["method"] == s["rate_ratio_method"]
        colour = COLOURS["primary"] if chosen else COLOURS["reference"]
        ax.plot([row["low"], row["high"]], [yi, yi], color=colour, lw=3 if chosen else 2, solid_capstyle="butt")
        ax.plot(row["rate ratio"], yi, "o", color=colour, ms=7)
    ax.axvline(1.0, color=COLOURS["reference"], lw=1)
    if "published_rate_ratio" in s:
        ax.axvline(s["published_rate_ratio"], color=COLOURS["secondary"], ls=":", lw=1.5)
        ax.text(
            s["published_rate_ratio"],
            y.max() + 0.5,
            " published averages",
            color=COLOURS["secondary"],
            fontsize=9,
            va="bottom",
        )
    ax.set_yticks(y, [m.replace(", ", "\n", 1) for m in table["method"]])
    ax.set_ylim(-0.6, y.max() + 1.1)
    right = max(table["high"].max(), s.get("published_rate_ratio", 0.0))
    ax.set_xlim(min(0.97, table["low"].min() * 0.97), right + 0.25 * (right - min(1.0, table["low"].min())))
    ax.set_xlabel(f"Visit rate ratio, Frontline vs other routes ({s['ci_level']:.0%} interval)")
    fig.tight_layout()
    return fig


def plot_threshold_shares(result: AnalysisResult) -> plt.Figure:
    """Share of cases reaching the contact threshold by route, with cluster-adjusted intervals."""
    shares, routes, s = result.data["shares"], result.data["routes"], result.scalars
    fig, ax = plt.subplots(figsize=(7.0, 2.6 + 0.3 * len(routes)))
    y = np.arange(len(routes))[::-1]
    for yi, r in zip(y, routes):
        if r in result.data["shares_hidden"]:
            ax.text(
                0.01,
                yi,
                f"{MARKER} suppressed: a count is below {result.data['min_cell_count']}",
                va="center",
                fontsize=9,
                color=COLOURS["reference"],
            )
            continue
        share, lo, hi, _ = shares[r]
        ax.barh(yi, share, color=ROUTE_COLOURS[r], height=0.55)
        ax.plot([lo, hi], [yi, yi], color="black", lw=1.5)
    ax.set_yticks(y, [ROUTE_LABELS[r] for r in routes])
    ax.set_ylim(-0.6, len(routes) - 0.4)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PERCENT)
    ax.set_xlabel(f"Cases with {s['contact_threshold']} or more visits (%)")
    fig.tight_layout()
    return fig


REPLICATE_LABELS: dict[str, str] = {
    "rate_ratio": "Poisson, worker-clustered SE",
    "rate_ratio_quasi": "Quasi-Poisson SE (over-dispersion, no clustering)",
    "rate_ratio_model_se": "Poisson, model-based SE (neither)",
}


def _interval_performance(result: AnalysisResult) -> pd.DataFrame:
    """Per kind of interval: coverage of the calibrated ratio and detection of a difference across the
    reconstructions, with their Monte Carlo standard errors (numbers, for the figure and the table)."""
    rep = result.tables["replicate_summary"].set_index("estimate")
    rows = []
    for key, label in REPLICATE_LABELS.items():
        r = rep.loc[key]
        rows.append(
            {
                "interval": label,
                "coverage": r["coverage"],
                "coverage_mcse": r["coverage_mcse"],
                "detection": r["detection"],
                "detection_mcse": r["detection_mcse"],
            }
        )
    return pd.DataFrame(rows)


def replicate_table(result: AnalysisResult) -> pd.DataFrame:
    """How each kind of interval behaves across the reconstructions: how often it covers the calibrated
    ratio and how often it detects a difference, each with its Monte Carlo standard error. (The median and
    central range of the rate ratio are the same for every row; the text states them.)"""
    perf = _interval_performance(result)

    def share(p: float, se: float) -> str:
        return f"{p:.1%} (± {se:.1%})"

    return pd.DataFrame(
        {
            "interval": perf["interval"],
            "covers the calibrated ratio (MC error)": [
                share(p, e) for p, e in zip(perf["coverage"], perf["coverage_mcse"])
            ],
            "detects a difference (MC error)": [share(p, e) for p, e in zip(perf["detection"], perf["detection_mcse"])],
        }
    )


def plot_replicates(result: AnalysisResult) -> plt.Figure:
    """Left: the rate ratio of every reconstruction, with the calibrated ratio, no difference and the one
    draw analysed in full. Right: how often each kind of interval covers the calibrated ratio, with its
    Monte Carlo interval, against the nominal level."""
    s = result.scalars
    draws = result.tables["replicates"]
    values = draws.loc[draws["estimate"] == "rate_ratio", "value"].dropna()
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(8.5, 3.4), gridspec_kw={"width_ratios": [1.3, 1]})
    ax.hist(values, bins=40, color=COLOURS["primary"], alpha=0.85)
    ax.axvline(s["rate_ratio_requested"], color=COLOURS["secondary"], ls="--", lw=1.5, label="calibrated ratio")
    ax.axvline(1.0, color=COLOURS["reference"], ls="-", lw=1, label="no difference")
    ax.axvline(s["rate_ratio_poisson"], color=COLOURS["negative"], ls=":", lw=1.5, label="the one draw analysed below")
    ax.set_xlabel("Visit rate ratio, Frontline vs other routes")
    ax.set_ylabel("Reconstructions (count)")
    ax.legend(fontsize=8, loc="upper right")
    table = _interval_performance(result)
    y = np.arange(len(table))[::-1]
    cov, se = table["coverage"], table["coverage_mcse"]
    bx.barh(y, cov, color=[COLOURS["primary"], COLOURS["secondary"], COLOURS["reference"]], height=0.55)
    bx.errorbar(cov, y, xerr=1.96 * se, fmt="none", color="black", capsize=3, lw=1)
    bx.axvline(s["ci_level"], color=COLOURS["negative"], ls="--", lw=1.2)
    bx.text(s["ci_level"], y.max() + 0.45, " nominal", color=COLOURS["negative"], fontsize=8, va="bottom")
    bx.set_yticks(y, [label.split(" (")[0].replace(", ", "\n") for label in table["interval"]], fontsize=8)
    bx.set_xlim(0, 1)
    bx.set_ylim(-0.6, y.max() + 0.9)
    bx.xaxis.set_major_formatter(PERCENT)
    bx.set_xlabel("Intervals covering the calibrated ratio (%)")
    fig.tight_layout()
    return fig


def plot_detection_dependence(result: AnalysisResult) -> plt.Figure:
    """How often a difference of the calibrated size would be detected, over the plausible range of the
    assumption it depends on most, with the conventional target."""
    s = result.scalars
    return dependence_plot(
        result.tables["dependence"],
        f"{s['dependence_label'].capitalize()} (assumption)",
        "Difference detected (%)",
        base=s["dependence_base"],
        threshold=s["detection_target"],
        threshold_label="conventional target",
        y_formatter=PERCENT,
    )
