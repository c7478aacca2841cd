"""Descriptives by route: shares with cluster-adjusted intervals, visit histograms, each worker's visit rate,
and the count tables from own records with their suppression."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats as sps

from helpers.analyses.frontline_visits.parameters import ROUTE_LABELS
from helpers.engine.wording import plural
from helpers.inputs.suppression import MARKER, Suppressed, merge_bins

#: The visit histogram of synthetic records has at most this many columns (the last holds that many
#: visits or more), so its size never grows with a value.
MAX_HISTOGRAM_COLUMNS = 100


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
    table = pd.DataFrame({name: fine[b].sum(axis=1) for name, b in zip(names, bins, strict=True)})
    table.columns.name = "visits"
    return table


def own_threshold_table(counts: pd.DataFrame, hidden_routes: list[str], threshold: int) -> Suppressed:
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


def suppression_note(tables: list[tuple[str, Suppressed]], threshold: int) -> str:
    """One note for the count tables from own records, naming each table with suppressed counts
    (each table's own :attr:`Suppressed.note` would repeat the same sentence)."""
    parts = []
    for label, sup in tables:
        if sup.primary:
            extra = sup.secondary
            parts.append(
                label
                + (
                    f" (with {plural(extra, 'further cell')} so that they cannot be worked out from the totals)"
                    if extra
                    else ""
                )
            )
    if not parts:
        these = "these tables" if len(tables) > 1 else "this table"
        return f"No count in {these} is below {threshold}, so nothing is suppressed."
    return f"Counts from 1 to {threshold - 1} are suppressed ({MARKER}) in {' and in '.join(parts)}."
