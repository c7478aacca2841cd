"""Section 4 of the KFT page: an *illustrative* cost-avoidance model under stated assumptions, with a
probabilistic sensitivity analysis (PSA) and a one-way tornado analysis."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from helpers.analyses.kft_care_outcomes.parameters import Parameters
from helpers.page.text import gbp
from helpers.stats import montecarlo
from helpers.stats.sensitivity import Model, Uncertain, psa, tornado

#: Labels for the cost model's uncertain inputs (tornado plot rows).
COST_INPUT_LABELS: dict[str, str] = {
    "counterfactual_care_rate": "Share who would have entered care",
    "weeks_in_care_avoided": "Weeks in care avoided per child",
    "weekly_cost_foster": "Foster care cost per week",
    "weekly_cost_residential": "Children's home cost per week",
    "share_residential": "Share of placements in children's homes",
    "service_cost_per_child": "Service cost per child",
}
COST_SHARES = ("counterfactual_care_rate", "share_residential")

#: A number or an array of them (the model is evaluated on both).
X = TypeVar("X", float, np.ndarray)


def children_diverted(n_referred: int, n_entered_care: int, counterfactual_care_rate: X) -> X:
    """Children kept out of care: those who would have entered it without the units, less those who did."""
    return n_referred * counterfactual_care_rate - n_entered_care


def breakeven_care_rate(
    n_referred: int, n_entered_care: int, weeks: float, weekly: float, service_cost_per_child: float
) -> float:
    """The counterfactual rate of entering care at which the net saving is zero: below it the units cost
    more than they avoid. Solves ``(n r - care) weeks weekly = n service`` for ``r`` (it may exceed 1:
    then no counterfactual rate makes the units pay for themselves)."""
    return (n_entered_care + n_referred * service_cost_per_child / (weeks * weekly)) / n_referred


def net_saving_by_counterfactual(p: Parameters, points: int = 101) -> pd.DataFrame:
    """The net saving at every counterfactual rate from 0 to 1, the other inputs at their values."""
    rates = np.linspace(0.0, 1.0, points)
    weekly = weekly_cost(p.weekly_cost_foster, p.weekly_cost_residential, p.share_residential)
    diverted = children_diverted(p.n_referred, p.n_entered_care, rates)
    net = diverted * p.weeks_in_care_avoided * weekly - p.n_referred * p.service_cost_per_child
    return pd.DataFrame({"counterfactual_care_rate": rates, "net_saving": net})


def weekly_cost(foster: X, residential: X, share_residential: X) -> X:
    """The cost of a week in care, mixing foster care and children's homes."""
    return (1 - share_residential) * foster + share_residential * residential


def cost_model(n_referred: int, n_entered_care: int) -> Model:
    """The net-saving model for the observed counts, vectorised over the uncertain inputs.

    children diverted = n_referred × counterfactual_care_rate − n_entered_care
    weekly cost       = (1 − share_residential) × foster + share_residential × children's home
    net saving        = diverted × weeks avoided × weekly cost − n_referred × service cost per child
    """

    def model(x: Mapping[str, np.ndarray]) -> np.ndarray:
        diverted = children_diverted(n_referred, n_entered_care, x["counterfactual_care_rate"])
        weekly = weekly_cost(x["weekly_cost_foster"], x["weekly_cost_residential"], x["share_residential"])
        return diverted * x["weeks_in_care_avoided"] * weekly - n_referred * x["service_cost_per_child"]

    return model


def cost_inputs(p: Parameters) -> list[Uncertain]:
    return [
        Uncertain(name, float(p[name]), float(p.psa_cv), "share" if name in COST_SHARES else "positive", label)
        for name, label in COST_INPUT_LABELS.items()
    ]


def _psa_summary(outcome: np.ndarray, level: float) -> dict[str, Any]:
    """The PSA's mean, central range and share positive, each with its Monte Carlo standard error and the
    text the rule of :mod:`helpers.stats.montecarlo` allows."""
    tail = (1 - level) / 2
    n = outcome.size
    lo, hi = (float(q) for q in np.quantile(outcome, [tail, 1 - tail]))
    mean = float(outcome.mean())
    positive = float((outcome > 0).mean())
    errors = {
        "net_saving_mean": montecarlo.mcse_of_mean(float(outcome.std(ddof=1)), n),
        "net_saving_low": montecarlo.mcse_of_quantile(outcome, tail),
        "net_saving_high": montecarlo.mcse_of_quantile(outcome, 1 - tail),
        "prob_net_saving_positive": montecarlo.mcse_of_share(positive, n),
    }
    values = {
        "net_saving_mean": mean,
        "net_saving_low": lo,
        "net_saving_high": hi,
        "prob_net_saving_positive": positive,
    }
    out: dict[str, Any] = {}
    for name, value in values.items():
        style = "percent" if name.startswith("prob") else "gbp"
        out[name] = value
        out[f"{name}_mcse"] = errors[name]
        out[f"{name}_text"] = montecarlo.text(value, errors[name], style)
    out["prob_net_saving_positive_error_text"] = montecarlo.error_text(errors["prob_net_saving_positive"], "percent")
    return out


def rate_above_breakeven(p: Parameters, breakeven: float) -> float:
    """The share of the PSA's assumed distribution of the counterfactual rate that lies above the break-even
    rate (exact, from the distribution, not simulated): the share of draws showing a saving can be no more
    informative than this, since the rate is an assumption nothing published measures."""
    rate = next(u for u in cost_inputs(p) if u.name == "counterfactual_care_rate")
    return rate.share_above(breakeven)


def cost_avoidance(p: Parameters) -> tuple[dict[str, Any], pd.DataFrame, pd.DataFrame]:
    """The base case, the PSA's spread and the tornado: ``(scalars, psa draws, tornado table)``."""
    n, care = p.n_referred, p.n_entered_care
    model, inputs = cost_model(n, care), cost_inputs(p)
    base = {u.name: np.array([u.base]) for u in inputs}
    diverted = children_diverted(n, care, p.counterfactual_care_rate)
    weekly_mix = weekly_cost(p.weekly_cost_foster, p.weekly_cost_residential, p.share_residential)
    net_base = float(model(base)[0])
    draws = psa(model, inputs, p.psa_draws, np.random.default_rng(p.seed))
    breakeven = breakeven_care_rate(n, care, p.weeks_in_care_avoided, weekly_mix, p.service_cost_per_child)
    swings = tornado(model, inputs)
    above = rate_above_breakeven(p, breakeven)
    scalars = {
        "counterfactual_care_rate": p.counterfactual_care_rate,
        "children_diverted": diverted,
        "weeks_in_care_avoided": p.weeks_in_care_avoided,
        "weekly_cost_foster": p.weekly_cost_foster,
        "weekly_cost_foster_text": gbp(p.weekly_cost_foster, 1),
        "weekly_cost_residential": p.weekly_cost_residential,
        "weekly_cost_residential_text": gbp(p.weekly_cost_residential, 1),
        "share_residential": p.share_residential,
        "weekly_cost_mix": weekly_mix,
        "gross_saving_base": diverted * p.weeks_in_care_avoided * weekly_mix,
        "service_cost_total": n * p.service_cost_per_child,
        "net_saving_base": net_base,
        # A result of plain assumptions: two significant figures are all its inputs support.
        "net_saving_base_text": gbp(net_base, significant=2),
        "breakeven_care_rate": breakeven,
        "breakeven_reachable": breakeven <= 1,
        "breakeven_text": _breakeven_text(breakeven, care / n),
        "rate_above_breakeven": above,
        "psa_share_text": _psa_share_text(p.counterfactual_care_rate, breakeven, above),
        **_psa_summary(draws["outcome"].to_numpy(), p.ci_level),
        "service_cost_per_child_text": gbp(p.service_cost_per_child),
        "psa_draws": p.psa_draws,
        "psa_cv": p.psa_cv,
        "tornado_top_input": str(swings.loc[0, "label"]).lower(),
    }
    return scalars, draws, swings


def _psa_share_text(centre_rate: float, breakeven: float, above: float) -> str:
    """Why the share of draws showing a saving is not a finding: it follows from where the unmeasured rate of
    entering care was centred (``centre_rate``), against the break-even rate, with ``above`` of the assumed
    spread beyond it (a sentence of the page, true for any run)."""
    centre = (
        "the rate nobody measured, the share who would have entered care without the units, is drawn around "
        f"{centre_rate:.0%}"
    )
    if breakeven > 1:
        return (
            f"That share follows from the assumptions, not from anything measured: {centre}, and at the other "
            "inputs' values no rate breaks even."
        )
    return (
        f"That share follows from the assumptions, not from anything measured: {centre}, and {above:.0%} of that "
        f"assumed spread lies above the break-even rate of {breakeven:.0%}."
    )


def _breakeven_text(breakeven: float, observed_care_rate: float) -> str:
    """Where the net saving turns positive, in words (a phrase of the page's summary)."""
    if breakeven > 1:
        return "no counterfactual rate makes the service pay for itself under these costs"
    return (
        f"the units save money only if, without them, more than {breakeven:.0%} of these children would have "
        f"entered care (against {observed_care_rate:.0%} who did with them)"
    )
