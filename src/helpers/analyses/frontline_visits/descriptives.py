"""Descriptives by route: shares with cluster-adjusted intervals, visit histograms, each worker's visit rate,
and the count tables from own records with their suppression."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats as sps

from helpers.analyses.frontline_visits.parameters import ROUTE_LABELS
from helpers.analyses.frontline_visits.records import MAX_VISITS
from helpers.engine.wording import plural
from helpers.inputs.records import RecordsError
from helpers.inputs.suppression import MARKER, Suppressed, bin_ranges, merge_bins, sum_leaks

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


def binned_visit_histogram(
    df: pd.DataFrame, routes: list[str], min_cell_count: int, threshold: int
) -> tuple[pd.DataFrame, list[str]]:
    """Own records: cases by route (rows) and visits in bins (columns, labelled ``"3"``, ``"4–6"``,
    ``"9 or more"``), merged so that every route's count in every bin is 0 or at least
    ``min_cell_count`` (:func:`~helpers.inputs.suppression.merge_bins`), with a bin starting at
    ``threshold``, so the cases reaching it are a sum of whole bins. The page also shows each route's
    mean visits and its number of cases, so its sum of visits: while the bins, read with that sum, would
    fix a small count (:func:`~helpers.inputs.suppression.sum_leaks`), the bin at fault is merged with its
    neighbour on the same side of the threshold; a route for which no merging helps is returned as one
    to hide whole (its row here and in the threshold table). Only values that occur become columns: the
    size never grows with a value. Returns the table and the routes (labels) to hide."""
    labels = df["training_route"].map(ROUTE_LABELS)
    fine = pd.crosstab(labels, df["visits"])
    fine = fine.reindex(
        index=[ROUTE_LABELS[r] for r in routes], columns=sorted(set(fine.columns) | {0, threshold}), fill_value=0
    )
    bins = merge_bins(fine, min_cell_count, cuts=(threshold,))
    hidden: list[str] = []
    while leaks := sum_leaks(fine.drop(index=hidden), bins, min_cell_count, MAX_VISITS):
        route, at = next(iter(leaks.items()))
        side = [i for i, b in enumerate(bins) if (b[0] >= threshold) == (bins[at][0] >= threshold)]
        neighbour = at + 1 if at + 1 in side else at - 1 if at - 1 in side else None
        if neighbour is None:  # the bin is all of its side of the threshold: only hiding the route helps
            hidden.append(route)
            continue
        first, second = sorted((at, neighbour))
        bins[first : second + 1] = [bins[first] + bins[second]]
    names = [str(lo) if hi == lo else f"{lo}\u2013{hi}" for lo, hi in bin_ranges(bins, MAX_VISITS)]
    names[-1] = f"{bins[-1][0]} or more"
    table = pd.DataFrame({name: fine[b].sum(axis=1) for name, b in zip(names, bins, strict=True)})
    table.columns.name = "visits"
    return table, hidden


def hidden_routes(
    df: pd.DataFrame, routes: list[str], min_cell_count: int, threshold: int
) -> tuple[pd.DataFrame, list[str]]:
    """The visit histogram of own records and the routes hidden whole in it and in the threshold table: a
    route with a count from 1 to ``min_cell_count - 1`` on either side of the threshold, and one whose
    bins would, with its mean visits, give such a count away (:func:`binned_visit_histogram`)."""
    visits = df["visits"].to_numpy()
    labels = df["training_route"].map(ROUTE_LABELS)
    small = []
    for r in routes:
        mine = visits[(labels == ROUTE_LABELS[r]).to_numpy()]
        if any(0 < n < min_cell_count for n in ((mine >= threshold).sum(), (mine < threshold).sum())):
            small.append(ROUTE_LABELS[r])
    table, alike = binned_visit_histogram(df, routes, min_cell_count, threshold)
    return table, [label for label in table.index if label in small or label in alike]


def check_disclosure(df: pd.DataFrame, min_cell_count: int, threshold: int, source: str) -> None:
    """Refuse own records (before a kernel starts, and in ``run``) whose hidden routes would still give a
    small count away through their size and mean (:func:`check_hidden_sums`)."""
    routes = [r for r in ROUTE_LABELS if (df["training_route"] == r).any()]
    _, hidden = hidden_routes(df, routes, min_cell_count, threshold)
    check_hidden_sums(df, hidden, min_cell_count, source)


def check_hidden_sums(df: pd.DataFrame, hidden: list[str], min_cell_count: int, source: str) -> None:
    """A route hidden whole still shows its number of cases and its mean visits: refuse the records
    (:class:`~helpers.inputs.records.RecordsError`, naming the route) when those two alone fix a count
    below ``min_cell_count`` (all its cases at two values, or its visits one from the least or greatest
    possible)."""
    labels = df["training_route"].map(ROUTE_LABELS)
    for route in hidden:
        visits = df.loc[labels == route, "visits"].value_counts().sort_index()
        row = pd.DataFrame([visits.to_numpy()], index=[route], columns=visits.index)
        if sum_leaks(row, [list(visits.index)], min_cell_count, MAX_VISITS):
            raise RecordsError(
                source,
                [
                    f"column 'visits': the cases of route {route!r} are so alike that its number of cases and its mean "
                    f"visits, which the page shows, would reveal a count below min_cell_count = {min_cell_count}; "
                    "add cases or lower min_cell_count"
                ],
            )


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
