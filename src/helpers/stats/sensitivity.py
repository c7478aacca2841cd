"""Probabilistic and one-way sensitivity analysis for illustrative cost models.

An uncertain input has a base value and a coefficient of variation (CV).
Money, weeks and other positive quantities are drawn from a Gamma
distribution with that mean and CV; shares in [0, 1] from a Beta
distribution with that mean and CV (the spread is capped at 95 % of the
largest a Beta distribution with that mean allows); counts (a whole number of
at least one, such as the cases each worker holds) from the Gamma, rounded to
the nearest whole number. A model is a vectorised function of a dict of arrays,
so one call evaluates every draw.

* :func:`psa` draws every input jointly (independently) and returns the
  model's output for each draw.
* :func:`tornado` moves one input at a time to the 10th and 90th percentiles
  of its own distribution, the others held at base, and sorts the inputs by
  the swing in the output.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats as sps

Model = Callable[[Mapping[str, np.ndarray]], np.ndarray]


@dataclass(frozen=True)
class Uncertain:
    """An uncertain model input."""

    name: str
    base: float
    cv: float
    kind: Literal["positive", "share", "count"] = "positive"
    label: str = ""

    def _dist(self):
        if self.cv == 0 or self.base == 0 or (self.kind == "share" and self.base in (0.0, 1.0)):
            return None  # degenerate: always the base value
        if self.kind in ("positive", "count"):
            if self.base < 0:
                raise ValueError(f"input {self.name!r}: a positive quantity cannot have base {self.base}")
            shape = 1 / self.cv**2
            return sps.gamma(a=shape, scale=self.base / shape)
        m = self.base
        if not 0 < m < 1:
            raise ValueError(f"input {self.name!r}: a share must lie in [0, 1], got {m}")
        var = min((self.cv * m) ** 2, 0.95 * m * (1 - m))
        total = m * (1 - m) / var - 1
        return sps.beta(a=m * total, b=(1 - m) * total)

    def _whole(self, x: np.ndarray) -> np.ndarray:
        """A count's values as whole numbers of at least one; other kinds' as they are."""
        return np.maximum(np.rint(x), 1.0) if self.kind == "count" else x

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        dist = self._dist()
        if dist is None:
            return np.full(n, float(self.base))
        return self._whole(dist.rvs(size=n, random_state=rng))

    def quantile(self, q: float) -> float:
        dist = self._dist()
        return float(self.base) if dist is None else float(self._whole(np.asarray(dist.ppf(q))))

    def share_above(self, x: float) -> float:
        """The probability that a draw exceeds ``x`` (exact, from the distribution; 0 or 1 when degenerate)."""
        dist = self._dist()
        return float(self.base > x) if dist is None else float(dist.sf(x))


def psa(model: Model, inputs: Sequence[Uncertain], n_draws: int, rng: np.random.Generator) -> pd.DataFrame:
    """Draw every input ``n_draws`` times and evaluate the model once, vectorised.

    Returns one row per draw: the inputs and the model's ``outcome``.
    """
    draws = {u.name: u.sample(rng, n_draws) for u in inputs}
    frame = pd.DataFrame(draws)
    frame["outcome"] = np.asarray(model(draws), dtype=float)
    return frame


def tornado(
    model: Model,
    inputs: Sequence[Uncertain],
    low_q: float = 0.1,
    high_q: float = 0.9,
    bounds: Mapping[str, tuple[float, float]] | None = None,
) -> pd.DataFrame:
    """One-way sensitivity: each input at its ``low_q`` and ``high_q`` quantiles, the rest at base.

    ``bounds`` (by input name) keeps an input inside the values its model allows, the others at base: a
    quantile beyond a bound is moved in to it, and the row says so (``bounded``).

    Returns one row per input, largest swing first: ``input``, ``label``,
    ``low_value``, ``high_value``, ``outcome_low``, ``outcome_high``, ``swing``, ``bounded``;
    ``attrs['base_outcome']`` holds the output with every input at base.
    """
    base = {u.name: np.array([float(u.base)]) for u in inputs}
    base_outcome = float(np.asarray(model(base))[0])
    rows = []
    for u in inputs:
        q_lo, q_hi = u.quantile(low_q), u.quantile(high_q)
        floor, ceiling = (bounds or {}).get(u.name, (-np.inf, np.inf))
        lo, hi = min(max(q_lo, floor), ceiling), min(max(q_hi, floor), ceiling)
        out_lo = float(np.asarray(model({**base, u.name: np.array([lo])}))[0])
        out_hi = float(np.asarray(model({**base, u.name: np.array([hi])}))[0])
        rows.append(
            {
                "input": u.name,
                "label": u.label or u.name,
                "low_value": lo,
                "high_value": hi,
                "outcome_low": out_lo,
                "outcome_high": out_hi,
                "swing": abs(out_hi - out_lo),
                "bounded": (lo, hi) != (q_lo, q_hi),
            }
        )
    frame = pd.DataFrame(rows).sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
    frame.attrs["base_outcome"] = base_outcome
    return frame


def vary(model: Model, inputs: Sequence[Uncertain], name: str, values: Sequence[float] | np.ndarray) -> pd.DataFrame:
    """The model's output as one input moves over ``values``, every other input at its base.

    Evaluated in one vectorised call. Returns ``value`` and ``outcome`` columns, in the order given.
    """
    names = [u.name for u in inputs]
    if name not in names:
        raise ValueError(f"input {name!r} is not one of the model's inputs: {', '.join(names)}")
    grid = np.asarray(values, dtype=float)
    arrays = {u.name: np.full(len(grid), float(u.base)) for u in inputs}
    arrays[name] = grid
    outcome = np.broadcast_to(np.asarray(model(arrays), dtype=float), grid.shape)
    return pd.DataFrame({"value": grid, "outcome": outcome})


def crossings(table: pd.DataFrame, threshold: float) -> list[float]:
    """Where the ``outcome`` of a :func:`vary` table crosses ``threshold``, by linear interpolation.

    Returns the input values (in the table's order) at which the outcome moves from one side of the
    threshold to the other; an empty list if it stays on one side over the whole range.
    """
    x = table["value"].to_numpy(dtype=float)
    side = table["outcome"].to_numpy(dtype=float) - threshold
    out: list[float] = []
    for i in range(len(x) - 1):
        a, b = side[i], side[i + 1]
        if a == 0:
            out.append(float(x[i]))
        elif (a < 0) != (b < 0) and b != 0:  # signs compared, not a * b (which can underflow to 0)
            out.append(float(x[i] + (x[i + 1] - x[i]) * a / (a - b)))
    if len(x) and side[-1] == 0:
        out.append(float(x[-1]))
    return out


def central_range(u: Uncertain, points: int = 101, level: float = 0.95) -> np.ndarray:
    """``points`` values across the central ``level`` of an input's distribution (its plausible range)."""
    tail = (1 - level) / 2
    return np.linspace(u.quantile(tail), u.quantile(1 - tail), points)


def depends_most(
    model: Model,
    inputs: Sequence[Uncertain],
    grid: Callable[[Uncertain], np.ndarray] = central_range,
    threshold: float | None = None,
) -> dict:
    """What a headline depends on most: :func:`tornado` ranks the inputs, the top one is moved over
    ``grid(top)`` with :func:`vary`, and :func:`crossings` finds where the headline crosses ``threshold``.

    Returns ``tornado``, ``top`` (the :class:`Uncertain`), ``table`` and ``flips`` (empty without a
    threshold). Every page's "what this depends on" goes through here.
    """
    swings = tornado(model, inputs)
    top = next(u for u in inputs if u.name == str(swings["input"].iloc[0]))
    table = vary(model, inputs, top.name, grid(top))
    flips = crossings(table, threshold) if threshold is not None else []
    return {"tornado": swings, "top": top, "table": table, "flips": flips}


def most_influential(
    model: Model,
    inputs: Sequence[Uncertain],
    ranges: Mapping[str, tuple[float, float]],
    threshold: float,
    points: int = 31,
) -> dict:
    """:func:`depends_most` with the top input moved over a stated range ``ranges[name]`` (``points``
    values and its base). Also returns ``input`` (name), ``label``, ``base``, ``low`` and ``high``."""

    def grid(top: Uncertain) -> np.ndarray:
        low, high = ranges[top.name]
        return np.unique(np.r_[np.linspace(low, high, points), top.base])

    dep = depends_most(model, inputs, grid, threshold)
    top = dep["top"]
    low, high = ranges[top.name]
    return {**dep, "input": top.name, "label": top.label or top.name, "base": top.base, "low": low, "high": high}


def tornado_table(
    table: pd.DataFrame,
    values: Mapping[str, Callable[[float], str]] | None = None,
    outcome: Callable[[float], str] | None = None,
) -> pd.DataFrame:
    """A :func:`tornado` table for a page: each assumption by its label (not its parameter name), the low
    and high values it was moved to, the headline at each, and the swing, largest first.

    ``values`` (by input name) and ``outcome`` write the numbers for readers (a share as a percentage, a count
    as a whole number); without them the numbers are left as they are."""
    values = values or {}

    def shown(names: pd.Series, column: pd.Series) -> list:
        return [values[n](v) if n in values else v for n, v in zip(names, column, strict=True)]

    def result(column: pd.Series) -> list:
        return [outcome(v) for v in column] if outcome else list(column)

    return pd.DataFrame(
        {
            "assumption": table["label"],
            "low value": shown(table["input"], table["low_value"]),
            "high value": shown(table["input"], table["high_value"]),
            "headline at low": result(table["outcome_low"]),
            "headline at high": result(table["outcome_high"]),
            "swing": result(table["swing"]),
        }
    )
