"""Disclosure control as an attacker would test it: every number shown from a user's own records is
written as a linear equation in the true counts, and no count from 1 to ``min_cell_count - 1`` may
follow from them (adding, subtracting, multiplying shares and bar heights by the sizes shown, and a
mean by its group's size: a published sum, whose coefficients are the values themselves).

The unknowns are the finest counts: cases of each route with each number of visits. The targets are
every count an attacker could aim at: each route's (and all routes') cases in every range of visits
(so every cell, bin, threshold cell, complement and total), checked against the published
equations with :func:`helpers.inputs.suppression.determined` and, independently, with a rank test in numpy.
The bins' edges are read from the figure's labels, as a reader reads them. Counts are also whole and
not negative: :func:`helpers.inputs.suppression.sum_leaks`, which the page uses to choose its bins, is
checked against every arrangement of small sets of records that the shown numbers allow.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.analyses import frontline_visits as fv
from helpers.inputs.records import RecordsError
from helpers.inputs.suppression import MARKER, determined, merge_bins

HEADER = "case_id,worker_id,training_route,months_open,visits"


def _records(tmp_path, visits: dict[str, list[int]], extra: dict[str, list] | None = None):
    rows = []
    for route, vs in visits.items():
        for i, v in enumerate(vs):
            rows.append(f"{route[0]}{i},{route[0]}w{i % 3},{route},6,{v}")
    path = tmp_path / "records.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n")
    return path


def _published_equations(result, visits: dict[str, list[int]]):
    """Every count the outputs give away, as rows over the unknowns (route, visit value)."""
    routes = list(visits)
    values = sorted({v for vs in visits.values() for v in vs})
    col = {(r, v): i for i, (r, v) in enumerate((r, v) for r in routes for v in values)}
    n_unknowns = len(col)

    def row(route_set, lo, hi):
        a = np.zeros(n_unknowns)
        for r in route_set:
            for v in values:
                if lo <= v <= hi:
                    a[col[(r, v)]] = 1
        return a

    s = result.scalars
    label_route = {fv.ROUTE_LABELS[r]: r for r in routes}
    threshold = s["contact_threshold"]
    eqs = [row(routes, 0, np.inf)]  # n_cases
    for r in routes:
        eqs.append(row([r], 0, np.inf))  # n_cases_<route>, the summary table's cases
        share = s.get(f"share_reaching_threshold_{r}")
        if share is not None and share != MARKER:
            eqs.append(row([r], threshold, np.inf))
        summary = result.tables["summary"].set_index("route")
        if summary.loc[fv.ROUTE_LABELS[r], f"share reaching {threshold}"] != MARKER:
            eqs.append(row([r], threshold, np.inf))
    if s["share_reaching_threshold_all"] != MARKER:
        eqs.append(row(routes, threshold, np.inf))
    # The threshold table, totals included.
    table = fv.threshold_table(result).set_index("route")
    for label, line in table.iterrows():
        group = routes if label == "Total" else [label_route[label]]
        for column, value in line.items():
            if value == MARKER:
                continue
            lo, hi = (
                (threshold, np.inf)
                if column.endswith("or more visits")
                else (0, threshold - 1)
                if column.startswith("fewer")
                else (0, np.inf)
            )
            eqs.append(row(group, lo, hi))
    # The figure's bars: a share of the route's cases (shown) in each bin = a count of cases.
    hist = result.data["visit_hist"]
    starts = [int(str(c).split("\u2013")[0].split(" ")[0]) for c in hist.mask.columns]
    for label in hist.mask.index:
        for k, column in enumerate(hist.mask.columns):
            if not hist.mask.loc[label, column]:
                hi = starts[k + 1] - 1 if k + 1 < len(starts) else np.inf
                eqs.append(row([label_route[label]], starts[k], hi))
    # Every published sum: each route's mean visits (summary table) times its number of cases (shown).
    summary = result.tables["summary"].set_index("route")
    for r in routes:
        assert summary.loc[fv.ROUTE_LABELS[r], "mean visits"] != MARKER
        a = np.zeros(n_unknowns)
        for v in values:
            a[col[(r, v)]] = v
        eqs.append(a)
    truth = np.array([sum(1 for v in visits[r] if v == x) for r in routes for x in values], float)
    targets, target_values = [], []
    for group in [[r] for r in routes] + [routes]:
        for i, lo in enumerate(values):
            for hi in values[i:]:
                t = row(group, lo, hi)
                targets.append(t)
                target_values.append(t @ truth)
    return np.array(eqs), np.array(targets), np.array(target_values)


def _rank_test(eqs: np.ndarray, target: np.ndarray) -> bool:
    """Independent of the library's null-space test: a target is determined when adding it to the
    equations does not raise their rank."""
    return np.linalg.matrix_rank(np.vstack([eqs, target])) == np.linalg.matrix_rank(eqs)


def _assert_nothing_small_recoverable(tmp_path, visits, k=5):
    try:
        result = fv.run({"data_path": str(_records(tmp_path, visits)), "min_cell_count": k})
    except RecordsError as err:  # records refused by name show nothing at all
        assert any(words in str(err) for words in ("cannot estimate a standard error", "did not converge")), err
        return None
    eqs, targets, values = _published_equations(result, visits)
    known = determined(eqs, targets)
    for t, v, is_known in zip(targets, values, known, strict=True):
        assert is_known == _rank_test(eqs, t)
        if is_known:
            assert v == 0 or v >= k, f"a count of {v} can be worked out from the outputs"
    return result


def test_the_issues_frontline_example_gives_nothing_away(tmp_path):
    # Other routes: 3 of 40 cases reach the threshold. Frontline: 35 of 40.
    rng = np.random.default_rng(1)
    frontline = list(rng.integers(8, 20, 35)) + list(rng.integers(0, 8, 5))
    other = [8, 9, 12] + list(rng.integers(0, 8, 37))
    result = _assert_nothing_small_recoverable(tmp_path, {"frontline": frontline, "other": other})
    assert result.scalars["share_reaching_threshold_other"] == MARKER
    assert result.scalars["share_reaching_threshold_all"] == MARKER
    assert result.data["visit_hist"].mask.loc["Other routes"].all()


def test_a_routes_mean_and_size_do_not_fix_the_split_inside_a_merged_bin(tmp_path):
    """The issue's reproduction: Frontline's only merged bin held two values (4 and 5 visits, 3 and 2
    cases), so its sum of visits (mean times cases) fixed both. The bin is merged further instead."""
    visits = {
        "frontline": [1] * 5 + [2] * 5 + [4] * 3 + [5] * 2 + [9] * 6 + [10] * 6,
        "other": [1] * 5 + [2] * 5 + [4] * 5 + [5] * 5 + [9] * 6 + [10] * 6,
    }
    result = _assert_nothing_small_recoverable(tmp_path, visits)
    assert result is not None
    assert "4\u20135" not in result.data["visit_hist"].display.columns  # the two-value bin is gone


def test_the_attackers_arithmetic_finds_a_leak_when_there_is_one(tmp_path):
    # The check itself can fail: with min_cell_count 1 nothing is hidden and a small count is exact.
    visits = {"frontline": [1, 2, 3, 9, 9, 9, 9, 9], "other": [1, 1, 1, 1, 1, 1, 9, 1]}
    result = fv.run({"data_path": str(_records(tmp_path, visits)), "min_cell_count": 1})
    eqs, targets, values = _published_equations(result, visits)
    known = determined(eqs, targets)
    assert any(0 < v < 5 for v, k in zip(values, known, strict=True) if k)


# Expected: some drawn records leave a route with too few visits for the negative binomial model, whose
# information matrix is then singular; statsmodels warns that it cannot invert the Hessian, and the
# analysis refuses those records by name (RecordsError, which the check accepts: nothing is shown).
@pytest.mark.filterwarnings("ignore::statsmodels.tools.sm_exceptions.HessianInversionWarning")
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_no_small_count_is_recoverable_from_any_output(tmp_path, data):
    k = data.draw(st.integers(2, 6), label="min_cell_count")
    visits = _draw_groups(data, ("frontline", "other"), smallest=max(k, 6), largest=30, top=14)
    _assert_nothing_small_recoverable(tmp_path, visits, k)


def _draw_groups(data, groups, *, smallest: int, largest: int, top: int) -> dict[str, list[int]]:
    """Each group's values (from 0 to ``top``), with from ``smallest`` to ``largest`` cases, the first at
    least 1 (a route needs a visit, a group a professional)."""
    out = {}
    for group in groups:
        n = data.draw(st.integers(smallest, largest), label=f"cases {group}")
        out[group] = data.draw(st.lists(st.integers(0, top), min_size=n, max_size=n), label=group)
        out[group][0] = max(out[group][0], 1)
    return out


@given(
    st.lists(st.lists(st.integers(0, 9), min_size=6, max_size=6), min_size=2, max_size=3),
    st.integers(1, 6),
    st.integers(0, 5),
)
def test_merged_bins_hold_no_small_count_except_a_small_segment(rows, k, cut):
    counts = pd.DataFrame(rows, columns=range(6))
    bins = merge_bins(counts, k, cuts=(cut,) if cut else ())
    assert [c for b in bins for c in b] == list(range(6))  # a partition, in order
    assert all(not (b[0] < cut <= b[-1]) or b[0] == cut for b in bins)  # no bin spans the cut
    segments = [list(range(0, cut)), list(range(cut, 6))] if cut else [list(range(6))]
    for b in bins:
        total = counts[b].sum(axis=1)
        seg = next(s for s in segments if b[0] in s)
        seg_total = counts[seg].sum(axis=1)
        small = (total > 0) & (total < k)
        # Only a segment that is small as a whole can leave a small bin, and then it is one bin.
        assert not small.any() or (b == seg and ((seg_total > 0) & (seg_total < k)).any())


def test_a_route_too_small_to_show_is_refused_by_name(tmp_path):
    from helpers.inputs.records import RecordsError

    path = _records(tmp_path, {"frontline": [3, 4, 9, 9, 9, 9], "other": [1, 9, 9]})
    with pytest.raises(RecordsError, match=r"route 'other' has 3 case\(s\).*min_cell_count = 5"):
        fv.run({"data_path": str(path), "min_cell_count": 5})


def test_a_huge_visit_count_is_refused_quickly_by_name(tmp_path):
    from helpers.inputs.records import RecordsError

    path = _records(tmp_path, {"frontline": [3, 4, 9, 9, 9, 100_000_000], "other": [1, 9, 9, 5, 5, 5]})
    with pytest.raises(RecordsError, match=r"column 'visits': value is more than 10000 visits"):
        fv.run({"data_path": str(path), "min_cell_count": 2})


# ---------------------------------------------------------------- any count table, and the link worker page
def _table_equations(counts: np.ndarray, display: pd.DataFrame, known: tuple[str, ...]):
    """Equations (over the cells) of every entry a suppressed table shows, plus the totals shown elsewhere;
    targets: every cell and every total, with their true values."""
    n, m = counts.shape
    index = lambda i, j: i * m + j

    def entry(i, j):  # i == n: totals row; j == m: totals column
        a = np.zeros(n * m)
        rows = range(n) if i == n else [i]
        cols = range(m) if j == m else [j]
        for r in rows:
            for c in cols:
                a[index(r, c)] = 1
        return a

    shown = display.to_numpy()
    eqs, targets, values = [], [], []
    aug = np.zeros((n + 1, m + 1))
    aug[:n, :m] = counts
    aug[:n, m] = counts.sum(1)
    aug[n, :m] = counts.sum(0)
    aug[n, m] = counts.sum()
    for i in range(n + 1):
        for j in range(m + 1):
            public = (
                (i == n and j < m and "column totals" in known)
                or (j == m and i < n and "row totals" in known)
                or (i == n and j == m and "grand total" in known)
            )
            if shown[i, j] != MARKER or public:
                eqs.append(entry(i, j))
            targets.append(entry(i, j))
            values.append(aug[i, j])
    return np.array(eqs), np.array(targets), np.array(values)


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 5), st.integers(1, 4), st.integers(2, 6), st.data())
def test_a_suppressed_table_gives_no_small_count_back(n_rows, n_cols, k, data):
    from helpers.inputs.suppression import suppress

    counts = np.array(
        data.draw(
            st.lists(st.lists(st.integers(0, 12), min_size=n_cols, max_size=n_cols), min_size=n_rows, max_size=n_rows)
        )
    )
    known = tuple(data.draw(st.sets(st.sampled_from(["column totals", "grand total"]))))
    if "column totals" in known and ((counts.sum(0) > 0) & (counts.sum(0) < k)).any():
        known = ()
    if "grand total" in known and 0 < counts.sum() < k:
        known = tuple(x for x in known if x != "grand total")
    frame = pd.DataFrame(counts, columns=[f"c{j}" for j in range(n_cols)])
    try:
        sup = suppress(frame, k, known=known)
    except ValueError as err:  # too few records to protect: refused by name, never shown
        assert "could not protect" in str(err)
        return
    eqs, targets, values = _table_equations(counts, sup.display, known)
    for is_known, v in zip(determined(eqs, targets) if len(eqs) else np.zeros(len(targets), bool), values, strict=True):
        if is_known:
            assert v == 0 or v >= k


def test_the_link_worker_page_gives_no_small_count_back(tmp_path):
    from helpers.analyses import link_worker_monitoring as lw

    rng = np.random.default_rng(3)
    lines = ["case_id,centre,link_worker,professionals"]
    values = {"yes": [0] * 9 + [1] * 2 + [2] * 8 + [6] * 3, "no": [0] * 12 + [1] * 7 + [3] * 1 + [4] * 9}
    for group, vs in values.items():
        for i, v in enumerate(rng.permutation(vs)):
            lines.append(f"{group}{i},{group}c{i % 4},{group},{v}")
    path = tmp_path / "cases.csv"
    path.write_text("\n".join(lines) + "\n")
    r = lw.run({"data_path": str(path), "min_cell_count": 5})
    counts = r.data["band_counts"].to_numpy()
    display = r.tables["bands"].set_index("professionals involved")
    assert (display == MARKER).to_numpy().any()  # something needed hiding
    eqs, targets, vals = _table_equations(counts, display, ("column totals", "grand total"))
    assert r.scalars["n_with"] == counts[:, 0].sum() and r.scalars["n_without"] == counts[:, 1].sum()
    for is_known, v in zip(determined(eqs, targets), vals, strict=True):
        if is_known:
            assert v == 0 or v >= 5
    # The figure shows exactly the cells the table shows.
    fig = lw.plot_professionals(r)
    heights = [np.array([b.get_height() for b in c]) for c in fig.axes[0].containers]
    for h, col in zip(heights, range(2), strict=False):
        assert np.array_equal(np.isnan(h), r.data["band_mask"].iloc[:, col].to_numpy())


def test_the_rsw_page_hides_band_shares_with_their_counts(tmp_path):
    from helpers.analyses import rsw_quality_factors as rsw

    frame = rsw.simulate_observations(rsw.PARAMETERS.validate({}))
    rsw_rows = frame.index[frame["rsw"] == 1]
    # Exactly two RSW observations rated "systemic" (score 3.5 or more): a small count.
    frame.loc[rsw_rows, "discussion_quality"] = np.minimum(frame.loc[rsw_rows, "discussion_quality"], 3.0)
    frame.loc[rsw_rows[:2], "discussion_quality"] = 4.0
    path = tmp_path / "obs.csv"
    frame.to_csv(path, index=False)
    r = rsw.run({"data_path": str(path), "n_replicates": 10, "n_boot": 200, "min_cell_count": 5})
    calibration = rsw.calibration_table(r).set_index("rating")
    assert calibration.loc["systemic", "share in your RSW observations"] == MARKER
    description = r.tables["description"].set_index("observations")
    assert description.loc["discussion systemic", "RSW"] == MARKER
    # Every share still shown, times the arm's size (shown), is a count the description table shows too.
    n_rsw = r.scalars["n_rsw"]
    for band, share in r.tables["calibration"].set_index("rating")["share in these RSW observations"].items():
        if share != MARKER:
            assert description.loc[f"discussion {band}", "RSW"] == str(round(share * n_rsw))


# ---------------------------------------------------------------- bins with a sum: whole, non-negative counts
def _arrangements(n_by_bin: list[int], ranges: list[tuple[int, int]], total: int) -> list[dict[int, int]]:
    """Every way of placing each bin's cases on whole values of its range (not negative) with the given sum
    of values, as {value: count}: the attacker who knows the bins' counts and edges, the size and the sum."""
    from itertools import combinations_with_replacement

    per_bin = []
    for n, (lo, hi) in zip(n_by_bin, ranges, strict=True):
        per_bin.append([(sum(c), c) for c in combinations_with_replacement(range(lo, hi + 1), n)])
    out: list[dict[int, int]] = []

    def walk(i: int, so_far: int, chosen: list[tuple[int, ...]]):
        if i == len(per_bin):
            if so_far == total:
                counts: dict[int, int] = {}
                for combo in chosen:
                    for v in combo:
                        counts[v] = counts.get(v, 0) + 1
                out.append(counts)
            return
        for s_, combo in per_bin[i]:
            if so_far + s_ <= total:
                walk(i + 1, so_far + s_, [*chosen, combo])

    walk(0, 0, [])
    return out


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 7), min_size=3, max_size=9), st.integers(2, 4), st.integers(1, 7))
def test_sum_leaks_finds_every_count_that_bins_and_a_sum_fix(values, k, cut):
    """Against every arrangement of the records that the bins, the size and the sum allow (whole values in
    each bin's range, up to the largest allowed, 8 here): a range of values whose count is the same in
    all of them, from 1 to k - 1, is a leak, and sum_leaks must report it (it may report more)."""
    from helpers.inputs.suppression import bin_ranges, sum_leaks

    upper = 8
    counts = pd.Series(values).value_counts().sort_index()
    fine = pd.DataFrame([counts.to_numpy()], index=["g"], columns=counts.index)
    fine = fine.reindex(columns=sorted(set(fine.columns) | {0}), fill_value=0)
    bins = merge_bins(fine, k, cuts=(cut,) if cut in fine.columns else ())
    if any(0 < fine[b].to_numpy().sum() < k for b in bins):
        return  # a small bin is hidden by the page, not shown
    ranges = bin_ranges(bins, upper)
    n_by_bin = [int(fine[b].to_numpy().sum()) for b in bins]
    everything = _arrangements(n_by_bin, ranges, sum(values))
    fixed_small = False
    for a in range(upper + 1):
        for b in range(a, upper + 1):
            seen = {sum(c for v, c in arr.items() if a <= v <= b) for arr in everything}
            if len(seen) == 1 and 0 < next(iter(seen)) < k:
                fixed_small = True
    # Adding and subtracting, with the values that occur known: the rank test over those values.
    support = list(fine.columns)
    eqs = [[1.0 if v in b else 0.0 for v in support] for b in bins] + [[float(v) for v in support]]
    truth = fine.loc["g"].to_numpy(float)
    for i in range(len(support)):
        for j in range(i, len(support)):
            target = np.array([1.0 if i <= m <= j else 0.0 for m in range(len(support))])
            if _rank_test(np.array(eqs), target) and 0 < target @ truth < k:
                fixed_small = True
    if fixed_small:
        assert sum_leaks(fine, bins, k, upper), (values, bins)


def test_sum_leaks_reports_the_edges_of_what_a_sum_allows():
    """One case one step from its bin's lowest value (or highest) is fixed by the sum: a leak. Two steps, or
    two bins with room, leave it open."""
    from helpers.inputs.suppression import sum_leaks

    def leaks(values, bins, upper=9):
        counts = pd.Series(values).value_counts().sort_index()
        fine = pd.DataFrame([counts.to_numpy()], index=["g"], columns=counts.index)
        return sum_leaks(fine.reindex(columns=[c for b in bins for c in b], fill_value=0), bins, 5, upper)

    assert leaks([3, 3, 3, 3, 4, 7, 7, 7, 7, 7], [[3, 4], [7]]) == {"g": 0}  # two values: fixed by the sum
    assert leaks([3, 3, 3, 3, 5, 6, 7, 7, 7, 7], [[3, 5, 6], [7]]) == {}  # 5 + 6: made two ways
    assert leaks([3, 3, 3, 3, 3, 3, 4, 9, 9, 9], [[3, 4, 9]], upper=9) == {}  # excess 7 of 60: open
    assert leaks([3, 3, 3, 3, 3, 3, 3, 3, 3, 4], [[3, 4, 9]], upper=9) == {"g": 0}  # excess 1: one case at 4
    assert leaks([3, 3, 3, 3, 4, 7, 7, 7, 7, 8], [[3, 4], [7, 8]]) == {}  # two bins with room


# ---------------------------------------------------------------- the link worker page, with its means and variances
def _link_records(tmp_path, values: dict[str, list[int]]):
    lines = ["case_id,centre,link_worker,professionals"]
    for group, vs in values.items():
        lines += [f"{group}{i},{group}c{i % 3},{group},{v}" for i, v in enumerate(vs)]
    path = tmp_path / "cases.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def _band_range(label: str) -> tuple[float, float]:
    """A band's values from its label, as a reader reads it: "2", "1\u20134", "5 or more"."""
    if label.endswith(" or more"):
        return float(label.split()[0]), np.inf
    lo, _, hi = label.partition("\u2013")
    return float(lo), float(hi or lo)


def _link_leaks(result, values: dict[str, list[int]], k: int) -> list[tuple]:
    """Every count from 1 to k - 1 that the page's numbers fix (rank test), written independently of the
    library: unknowns are each group's cases at each value that occurs; equations are the table's cells and
    totals shown, each group's size, and its mean and variance (summary table) times its size."""
    from helpers.analyses.link_worker_monitoring.records import WITH, WITHOUT

    names = {"yes": WITH, "no": WITHOUT}
    support = sorted({v for vs in values.values() for v in vs})
    cols = [(g, v) for g in values for v in support]

    def row(groups, lo, hi, power=0):
        return np.array([float(v) ** power if g in groups and lo <= v <= hi else 0.0 for g, v in cols])

    table = result.tables["bands"].set_index("professionals involved")
    eqs = []
    for label, line in table.iterrows():
        lo, hi = (-np.inf, np.inf) if label == "Total" else _band_range(label)
        for g in values:
            if line[names[g]] != MARKER:
                eqs.append(row([g], lo, hi))
        if line["Total"] != MARKER:
            eqs.append(row(list(values), lo, hi))
    summary = result.tables["summary"].set_index("group")
    for g in values:
        assert summary.loc[names[g], "mean professionals"] != MARKER
        eqs += [row([g], -np.inf, np.inf, power) for power in (0, 1, 2)]
    truth = np.array([sum(1 for x in values[g] if x == v) for g, v in cols], float)
    leaks = []
    for groups in [[g] for g in values] + [list(values)]:
        for i, lo in enumerate(support):
            for hi in support[i:]:
                t = row(groups, lo, hi)
                if 0 < t @ truth < k and _rank_test(np.array(eqs), t):
                    leaks.append((groups, lo, hi, t @ truth))
    return leaks


def test_the_link_worker_groups_means_and_variances_do_not_fix_a_hidden_count(tmp_path):
    """A hidden band cell (2 cases with one professional) and its secondary were fixed by the group's size
    and sum; the page now merges the bands until nothing small can be worked out."""
    from helpers.analyses import link_worker_monitoring as lw

    values = {"yes": [0] * 9 + [1] * 2 + [2] * 8, "no": [0] * 12 + [1] * 7 + [3] * 6 + [4] * 9}
    r = lw.run({"data_path": str(_link_records(tmp_path, values)), "min_cell_count": 5})
    assert not _link_leaks(r, values, 5)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_no_small_count_is_recoverable_from_the_link_worker_page(tmp_path, data):
    from helpers.analyses import link_worker_monitoring as lw

    k = data.draw(st.integers(2, 6), label="min_cell_count")
    values = _draw_groups(data, ("yes", "no"), smallest=max(k, 5), largest=25, top=7)
    try:
        r = lw.run({"data_path": str(_link_records(tmp_path, values)), "min_cell_count": k})
    except (RecordsError, ValueError) as err:  # refused by name, or too few records to protect: nothing shown
        assert "min_cell_count" in str(err) or "could not protect" in str(err), err
        return
    assert not _link_leaks(r, values, k)
