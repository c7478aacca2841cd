"""National context (DfE official statistics): the statistics, the default (registry) analysis,
the full analysis on the official files, small-cell suppression, and refusing a bad folder."""

from __future__ import annotations

import json
import math
import re
import shutil

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from dfe_data import LAS, write_synthetic
from helpers.analyses import national_context as nc
from helpers.engine import runner
from helpers.inputs.dfe import DfeFileError
from helpers.inputs.suppression import MARKER
from helpers.page.kinds import Kind
from helpers.page.registry import published
from helpers.params import ParameterError
from shared_files import dfe_dir as require_dfe_dir


# ------------------------------------------------------------------ statistics
def test_turnover_only_share_hand_worked():
    # t = 1/2: lambda = ln 2; P(two or more changes) = 1 - (1/2)(1 + ln 2)
    assert nc.turnover_only_share(0.5) == pytest.approx(1 - 0.5 * (1 + math.log(2)), abs=1e-12)
    assert nc.turnover_only_share(0.5) == pytest.approx(0.153426, abs=1e-6)
    # at least two workers = at least one change = the turnover rate itself
    assert nc.turnover_only_share(0.2, workers=2) == pytest.approx(0.2, abs=1e-12)


def test_turnover_only_share_against_a_simulation():
    rng = np.random.default_rng(1)
    t = 0.3
    lam = -math.log(1 - t)
    # exponential waiting times between leavers; count the changes within one year
    changes = np.zeros(200_000, int)
    clock = rng.exponential(1 / lam, size=changes.size)
    while (alive := clock < 1).any():
        changes += alive
        clock = np.where(alive, clock + rng.exponential(1 / lam, size=changes.size), clock)
    assert (changes >= 2).mean() == pytest.approx(nc.turnover_only_share(t), abs=0.003)
    with pytest.raises(ValueError, match="must be in"):
        nc.turnover_only_share(1.0)


def test_funnel_limits_hand_worked():
    # n = 10, p = 1/2, 95%: F(1) = 11/1024 < 0.025 <= F(2) = 56/1024, so r = 2 and
    # alpha = (56/1024 - 0.025) / (45/1024) = 30.4 / 45; the limit is (2 - alpha) / 10.
    # Upper: F(7) = 968/1024 < 0.975 <= F(8) = 1013/1024, so r = 8 and alpha = (1013 - 998.4) / 45.
    lo, hi = nc.funnel_limits(0.5, np.array([10]), 0.95)
    assert lo[0] == pytest.approx((2 - 30.4 / 45) / 10, abs=1e-9)
    assert hi[0] == pytest.approx((8 - 14.6 / 45) / 10, abs=1e-9)


def test_funnel_limits_approach_the_normal_approximation():
    n = np.array([20_000, 100_000])
    for coverage in (0.95, 0.998):
        lo, hi = nc.funnel_limits(0.27, n, coverage)
        half = sps.norm.ppf(1 - (1 - coverage) / 2) * np.sqrt(0.27 * 0.73 / n)
        assert (np.abs(lo - (0.27 - half)) <= 1 / n).all() and (np.abs(hi - (0.27 + half)) <= 1 / n).all()


def test_pearson_interval_is_fishers():
    rng = np.random.default_rng(3)
    x = rng.normal(size=60)
    y = 0.5 * x + rng.normal(size=60)
    got = nc.pearson(x, y, 0.9)
    r = np.corrcoef(x, y)[0, 1]
    z, se = np.arctanh(r), 1 / np.sqrt(60 - 3)
    assert got["r"] == pytest.approx(r, abs=1e-12)
    assert got["low"] == pytest.approx(np.tanh(z - sps.norm.ppf(0.95) * se), abs=1e-9)
    assert got["high"] == pytest.approx(np.tanh(z + sps.norm.ppf(0.95) * se), abs=1e-9)


# ------------------------------------------------------------------ defaults: England figures from the registry
def test_defaults_use_and_reproduce_the_registry():
    r = nc.run(nc.PARAMETERS.defaults())
    s = r.scalars
    assert (s["cla_three_plus"], s["cla_total"], s["cla_year"]) == (
        published("dfe_cla_3plus_sw_2024"),
        published("dfe_cla_total_2024"),
        2024,
    )
    assert s["cla_three_plus_share"] == pytest.approx(22140 / 83300)
    assert [c.status for c in r.checks] == ["reproduced"] * 4
    assert s["cla_three_plus_reproduction"] == "reproduced" and s["workforce_rates_reproduction"] == "reproduced"
    assert s["caseload_latest"] == published("dfe_caseload_2025") and s["workforce_first_year"] == 2017
    assert s["turnover_only_share"] == pytest.approx(nc.turnover_only_share(published("dfe_turnover_2024") / 100))
    assert s["observed_to_model_ratio"] > 10
    assert s["turnover_model_verdict"].startswith(
        "So, under these assumptions, employed social workers leaving at random"
    )
    assert (s["fte_direction"], s["caseload_direction"]) == ("rose", "fell")
    assert list(r.inputs) == ["data/published/figures.csv"]
    assert r.data["la"] is None and r.tables["counts"].shape[0] == 1
    assert "nothing is suppressed" in s["counts_note"]


def test_a_changed_turnover_changes_the_model_and_its_verdict():
    s = nc.run({"turnover_rate": 0.9}).scalars
    assert s["turnover_only_share"] > s["cla_three_plus_share"]
    assert s["turnover_model_verdict"].startswith("At this turnover, under these assumptions, workers leaving could")


@pytest.mark.parametrize(
    "figure_id", ["dfe_cla_3plus_sw_pct_2024", "dfe_caseload_2025", "dfe_turnover_2025", "dfe_agency_rate_2025"]
)
def test_each_reproduction_check_can_fail(monkeypatch, figure_id):
    # A registry whose published rate no longer follows from its counts: the check must fail loudly.
    import dataclasses

    from helpers.page import registry

    real = registry.load_registry()
    wrong = dict(real)
    wrong[figure_id] = dataclasses.replace(real[figure_id], value_text=str(real[figure_id].value + 1))
    monkeypatch.setattr(registry, "load_registry", lambda *a, **k: wrong)
    with pytest.raises(AssertionError, match=f"{figure_id}: computed"):
        nc.run({})


# ------------------------------------------------------------------ the folder parameter and check_inputs
def test_check_inputs_accepts_the_default():
    assert nc.check_inputs(nc.PARAMETERS.defaults()) is None


def test_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(ParameterError, match=r"parameter 'dfe_data_dir' = .* \(no such folder\)"):
        nc.check_inputs({"dfe_data_dir": str(tmp_path / "nope")})


def test_a_folder_without_the_files_is_refused_naming_them(tmp_path):
    (tmp_path / "la_cla_swcount.meta.csv").write_text("col_name\n")  # metadata files do not count
    with pytest.raises(ParameterError) as err:
        nc.check_inputs({"dfe_data_dir": str(tmp_path)})
    message = str(err.value)
    assert message.startswith(f"parameter 'dfe_data_dir' = {str(tmp_path)!r} is not allowed")
    assert "no la_cla_swcount*.csv file" in message and "no csww_indicators*.csv file" in message


def test_a_folder_with_a_file_of_another_layout_is_refused(tmp_path):
    write_synthetic(tmp_path)
    (tmp_path / "la_cla_swcount.csv").write_text("child_id,workers\n1,3\n")
    with pytest.raises(DfeFileError) as err:
        nc.check_inputs({"dfe_data_dir": str(tmp_path)})
    assert str(tmp_path / "la_cla_swcount.csv") in str(err.value) and "'time_period'" in str(err.value)


def test_a_swcount_file_without_the_expected_rows_is_refused(tmp_path):
    write_synthetic(tmp_path)
    path = tmp_path / "la_cla_swcount.csv"
    path.write_text(path.read_text().replace("3 or more social workers during the year", "Three plus"))
    with pytest.raises(DfeFileError, match="needs the rows 'Total children' and '3 or more social workers"):
        nc.check_inputs({"dfe_data_dir": str(tmp_path)})


def test_two_workforce_files_are_ambiguous(tmp_path):
    write_synthetic(tmp_path)
    shutil.copy(tmp_path / "csww_indicators_2023_to_2024.csv", tmp_path / "csww_indicators_2017_to_2025.csv")
    with pytest.raises(ParameterError, match=r"several csww_indicators\*.csv files"):
        nc.check_inputs({"dfe_data_dir": str(tmp_path)})


def test_compendium_run_refuses_a_bad_folder_before_a_kernel_starts(tmp_path):
    out = tmp_path / "run"
    with pytest.raises(ParameterError, match="no la_cla_swcount"):
        runner.execute("national_context", {"dfe_data_dir": str(tmp_path)}, out=out)
    assert not out.exists()  # nothing was written: the kernel never started


def _edit(path, edit):
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    path.write_text("\n".join(edit(lines)) + "\n")


def test_a_repeated_row_in_the_swcount_file_is_refused_with_its_lines(tmp_path):
    write_synthetic(tmp_path)
    path = tmp_path / "la_cla_swcount.csv"
    # a second England total (another breakdown, or a file appended twice): which one is England's?
    _edit(path, lambda lines: [*lines[:2], lines[1].replace(",450,", ",9999,"), *lines[2:]])
    with pytest.raises(DfeFileError) as err:
        nc.check_inputs({"dfe_data_dir": str(tmp_path)})
    message = str(err.value)
    assert str(path) in message
    assert (
        "rows repeat the same time_period, geographic_level, region_code, new_la_code, cla_group, sw_stability"
        in message
    )
    assert "file lines 2, 3 (time_period '2024', geographic_level 'National'" in message
    assert "sw_stability 'Total children')" in message


def test_a_repeated_authority_in_the_workforce_file_is_refused_with_its_lines(tmp_path):
    write_synthetic(tmp_path)
    path = tmp_path / "csww_indicators_2023_to_2024.csv"
    _edit(path, lambda lines: [*lines, lines[2].replace(",100,", ",500,", 1)])
    with pytest.raises(DfeFileError) as err:
        nc.run({"dfe_data_dir": str(tmp_path)})
    message = str(err.value)
    assert (
        str(path) in message
        and "rows repeat the same time_period, geographic_level, region_code, new_la_code," in message
    )
    assert "file lines 3, 16 (time_period '2023', geographic_level 'Local authority'" in message
    assert "new_la_code 'E06000901')" in message


def test_repeated_rows_are_found_on_the_key_columns_the_file_has():
    frame = pd.DataFrame({"time_period": [2024, 2024, 2024], "geographic_level": ["National"] * 3, "number": [1, 2, 3]})
    (problem,) = nc._duplicate_rows(frame, ("time_period", "geographic_level", "region_code", "new_la_code"))
    assert problem.startswith("rows repeat the same time_period, geographic_level, which must identify one row each")
    assert "file lines 2, 3, 4 (" in problem
    assert nc._duplicate_rows(frame.assign(time_period=[2022, 2023, 2024]), ("time_period", "new_la_code")) == []


def test_more_children_with_three_or_more_workers_than_in_total_is_refused(tmp_path):
    write_synthetic(tmp_path)
    path = tmp_path / "la_cla_swcount.csv"
    name, _code, _region, total, _three = LAS[0]
    _edit(
        path,
        lambda lines: [
            line.replace(
                f"{name},E06000901,CLA on 31 March,3 or more social workers during the year,30,",
                f"{name},E06000901,CLA on 31 March,3 or more social workers during the year,130,",
            )
            for line in lines
        ],
    )
    with pytest.raises(DfeFileError) as err:
        nc.check_inputs({"dfe_data_dir": str(tmp_path)})
    message = str(err.value)
    assert str(path) in message
    assert (
        f"{name} in 2024 has 130 children with '3 or more social workers during the year' but {total} "
        "'Total children' (file lines 8, 9)"
    ) in message


# ------------------------------------------------------------------ synthetic files: small-cell suppression
def test_full_analysis_on_synthetic_files_suppresses_small_counts(tmp_path):
    folder = write_synthetic(tmp_path)
    r = nc.run({"dfe_data_dir": str(folder)})
    shown = set(r.data["la"]["la_name"])
    # Beta's 3 is below 5 (primary). Its row then has one hidden cell (hide Beta's 77); the columns
    # then have one hidden cell each (hide Gamma's 10 and Delta's 28, the smallest others); their
    # rows then have one each (hide Gamma's 40 and Delta's 12). Epsilon was suppressed by DfE.
    assert shown == {"Alpha", "Zeta"}
    text = r.scalars["la_variation_text"]
    assert "3 whose counts are suppressed here (fewer than 5 children" in text
    assert "1 whose counts cannot be used (confidential: 1)" in text
    assert r.scalars["la_n_shown"] == 2
    assert r.checks[0].status == "not applicable"  # the synthetic England counts are not the registry's
    assert set(r.inputs) == {
        "data/published/figures.csv",
        str(folder / "la_cla_swcount.csv"),
        str(folder / "csww_indicators_2023_to_2024.csv"),
    }
    # the regional table has no small count: nothing hidden there
    assert MARKER not in r.tables["counts"].to_numpy() and "nothing is suppressed" in r.scalars["counts_note"]


def test_the_threshold_is_the_min_cell_count_parameter(tmp_path):
    folder = write_synthetic(tmp_path)
    assert set(nc.run({"dfe_data_dir": str(folder), "min_cell_count": 1}).data["la"]["la_name"]) == {
        "Alpha",
        "Beta",
        "Gamma",
        "Delta",
        "Zeta",
    }
    r = nc.run({"dfe_data_dir": str(folder), "min_cell_count": 50})
    counts = r.tables["counts"].set_index("region")
    # North East's 43 is below 50 (primary); North West's 52 hides it from the column total (secondary),
    # and each region's other cell then hides it from the row total.
    assert r.scalars["counts_note"].startswith("Counts from 1 to 49 are suppressed ([c]), and 3 further cells")
    for region in ("North East", "North West"):
        assert (
            counts.loc[region, ["3 or more social workers", "fewer than 3", "share with 3 or more"]] == MARKER
        ).all()
    assert counts.loc["Total", "Total"] == "450"
    # every authority has a count below 50 somewhere: none can be shown, and the page says why
    assert r.data["la"].empty and "no local authority can be shown" in r.scalars["la_variation_text"]
    assert "5 whose counts are suppressed here" in r.scalars["la_variation_text"]


# ------------------------------------------------------------------ the real files
@pytest.fixture(scope="module")
def real():
    folder = require_dfe_dir()
    return folder, nc.run({"dfe_data_dir": str(folder)})


def test_full_analysis_on_the_real_files(real):
    folder, r = real
    s = r.scalars
    assert [c.status for c in r.checks] == ["reproduced"] * 4  # the files agree with the registry
    assert (s["cla_three_plus"], s["cla_total"]) == (22140, 83300)
    assert s["la_n_shown"] == 151 and "City of London" in s["la_variation_text"] and "Rutland" in s["la_variation_text"]
    assert "not applicable: 1, not available: 1" in s["la_variation_text"]  # Isles of Scilly (z), Barnet (x)
    assert s["la_n_outside_998"] > 10 * 0.002 * s["la_n_shown"]  # far more than chance: authorities differ
    assert 0 < s["corr_turnover_low"] < s["corr_turnover_r"] < s["corr_turnover_high"]
    assert s["workforce_first_year"] == 2017 and s["workforce_latest_year"] == 2025
    assert "in 23 of 27 year-and-measure pairs" in s["rates_check_text"]
    assert "csww_indicators_2017_to_2025.csv, 60 values" in s["symbols_text"]
    assert len(r.tables["counts"]) == 10  # nine regions and the total
    assert str(folder / "la_cla_swcount.csv") in r.inputs


def test_the_default_series_is_every_year_of_the_official_england_series(real):
    """Built from the registry, the page's England workforce series is the official file's, year by year."""
    _, r = real
    default = nc.run({}).data["workforce"].set_index("year")
    files = r.data["workforce"].set_index("year")
    assert list(default.index) == list(files.index) == list(nc.WORKFORCE_YEARS)
    columns = ["inpost_fte", "caseload_fte", "turnover_rate_fte", "agency_rate_fte"]
    pd.testing.assert_frame_equal(default[columns].astype(float), files[columns].astype(float), check_names=False)
    # The peak the summary names is the series' own (2022), not one of three years read.
    assert "turnover was highest in 2022 (17.2%)" in nc.run({}).scalars["workforce_peaks_text"]


def test_real_files_la_shares_are_the_published_percentages(real):
    _, r = real
    la = r.data["la"]
    folder = require_dfe_dir()
    raw = pd.read_csv(folder / "la_cla_swcount.csv", encoding="utf-8-sig", dtype=str)
    published_pct = raw.loc[
        (raw["geographic_level"] == "Local authority")
        & (raw["sw_stability"] == "3 or more social workers during the year")
    ].set_index("new_la_code")["percentage"]
    merged = la.set_index("new_la_code").join(published_pct)
    # DfE's percentage is the same share, rounded to a whole number
    assert (np.abs(100 * merged["share"] - merged["percentage"].astype(float)) <= 0.5 + 1e-9).all()


def test_real_files_with_a_higher_threshold_hide_the_small_authorities(real):
    folder, _ = real
    r = nc.run({"dfe_data_dir": str(folder), "min_cell_count": 20})
    names = set(r.data["la"]["la_name"])
    assert not {"Rutland", "Wokingham", "Kensington and Chelsea"} & names  # 18, 14 and 14 children
    # the three above and City of London (7 children, none with three or more): hidden with the few
    # complementary cells that protect them, not the whole table; and in two regions where one of them
    # would be alone (its region's counts minus the others'), one more authority of the region
    assert "Left out: 2 whose counts cannot be used" in r.scalars["la_variation_text"]
    assert "6 whose counts are suppressed here (fewer than 20 children" in r.scalars["la_variation_text"]
    assert r.scalars["la_n_shown"] == 145


def test_real_files_workforce_year_offset(real):
    folder, r = real
    earlier = nc.run({"dfe_data_dir": str(folder), "workforce_year_offset": -1})
    assert "each workforce measure of 2023" in earlier.scalars["association_text"]
    assert earlier.scalars["corr_turnover_r"] != r.scalars["corr_turnover_r"]


def _points(ax) -> int:
    """How many markers the scatter plots of an axis draw."""
    from matplotlib.collections import PathCollection

    return sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection))


def test_the_funnel_plot_draws_one_dot_per_authority_shown(tmp_path):
    import matplotlib.pyplot as plt

    default = nc.run({})
    assert not nc.funnel_has_authorities(default)  # the page leaves the empty plot out, and says why
    assert "draws no funnel plot" in default.scalars["funnel_text"]
    fig = nc.plot_funnel(default)
    assert _points(fig.axes[0]) == 0  # no local-authority rows read: only the limits and the two shares
    labels = fig.axes[0].get_legend_handles_labels()[1]
    assert "95% limits" in labels and "99.8% limits" in labels and "England 2024: 27%" in labels
    plt.close(fig)

    for threshold, names in ((5, {"Alpha", "Zeta"}), (1, {"Alpha", "Beta", "Gamma", "Delta", "Zeta"})):
        r = nc.run({"dfe_data_dir": str(write_synthetic(tmp_path)), "min_cell_count": threshold})
        assert set(r.data["la"]["la_name"]) == names
        assert nc.funnel_has_authorities(r)
        fig = nc.plot_funnel(r)
        ax = fig.axes[0]
        assert _points(ax) == r.scalars["la_n_shown"] == len(names)
        drawn = np.concatenate([c.get_offsets() for c in ax.collections])
        expected = r.data["la"][["total", "share"]].to_numpy(dtype=float)
        assert sorted(map(tuple, drawn)) == sorted(map(tuple, expected))  # each authority at (children, share)
        assert ax.get_xlabel().startswith("Children looked after")
        plt.close(fig)


def test_the_workforce_plot_draws_each_year_and_the_authorities_spread(tmp_path):
    import matplotlib.pyplot as plt
    from matplotlib.collections import PolyCollection

    for result, years, spread in (
        (nc.run({}), list(range(2017, 2026)), False),
        (nc.run({"dfe_data_dir": str(write_synthetic(tmp_path))}), [2023, 2024], True),
    ):
        fig = nc.plot_workforce(result)
        assert len(fig.axes) == 3
        for ax, column in zip(fig.axes, ("caseload_fte", "turnover_rate_fte", "agency_rate_fte"), strict=True):
            england = [line for line in ax.get_lines() if line.get_label() == "England"]
            assert len(england) == 1 and list(england[0].get_xdata()) == years
            assert list(england[0].get_ydata()) == list(result.data["workforce"][column])
            assert any(isinstance(c, PolyCollection) for c in ax.collections) == spread
        plt.close(fig)


# ------------------------------------------------------------------ as a user runs it
def test_compendium_run_on_the_real_files_gives_the_analysis_results(tmp_path):
    import json

    from helpers.engine.cli import main
    from helpers.outputs import values

    folder = require_dfe_dir()
    out = tmp_path / "run"
    args = ["run", "national_context", "-p", "dfe_data_dir", str(folder), "--out", str(out)]
    args += ["--no-progress", "--no-page"]
    assert main(args) == 0
    results = values(json.loads((out / "results.json").read_text()))
    assert results == nc.run({"dfe_data_dir": str(folder)}).scalars  # the notebook shows what the analysis computes
    assert results["la_n_shown"] == 151


def test_compendium_run_reports_a_bad_folder_in_one_message(tmp_path, capsys):
    from helpers.engine.cli import main

    assert main(["run", "national_context", "-p", "dfe_data_dir", str(tmp_path), "--out", str(tmp_path / "run")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"compendium: error: parameter 'dfe_data_dir' = {str(tmp_path)!r} is not allowed")
    assert not (tmp_path / "run").exists()


def test_no_glued_phrase_is_empty(tmp_path):
    # The book renders every glued value; an empty phrase would leave a hole in a sentence.
    for params in (
        {},
        {"turnover_rate": 0.9},
        {"dfe_data_dir": str(write_synthetic(tmp_path))},
        {"dfe_data_dir": str(tmp_path), "min_cell_count": 50},
    ):
        scalars = nc.run(params).scalars
        assert not [k for k, v in scalars.items() if isinstance(v, str) and not v.strip()], params


# ------------------------------------------------------------------ impossible values, and authorities left out
@pytest.mark.parametrize(
    "file, old, new, column, expected",
    [
        (
            "la_cla_swcount.csv",
            "during the year,30,",
            "during the year,12.5,",
            "number",
            "a count: a whole number from 0 to 2e+07",
        ),
        ("la_cla_swcount.csv", "Total children,100,", "Total children,-100,", "number", "a count"),
        (
            "csww_indicators_2023_to_2024.csv",
            ",100,10,10,5,",
            ",100,10,-10,5,",
            "turnover_rate_fte",
            "a percentage: a number from 0 to 100",
        ),
        ("csww_indicators_2023_to_2024.csv", ",100,10,10,5,", ",100,10,130,5,", "turnover_rate_fte", "a percentage"),
        (
            "csww_indicators_2023_to_2024.csv",
            ",100,10,10,5,",
            ",-100,10,10,5,",
            "inpost_fte",
            "a full-time-equivalent number",
        ),
    ],
)
def test_impossible_values_are_refused_by_file_line_and_column(tmp_path, file, old, new, column, expected):
    write_synthetic(tmp_path)
    path = next(tmp_path.glob(file.replace("2023_to_2024", "*")))
    text = path.read_bytes().decode("utf-8-sig")
    assert old in text
    lines = text.split("\n")
    line_no = next(i for i, line in enumerate(lines) if old in line) + 1
    lines[line_no - 1] = lines[line_no - 1].replace(old, new, 1)
    path.write_text("\n".join(lines))
    with pytest.raises(DfeFileError) as err:
        nc.check_inputs({"dfe_data_dir": str(tmp_path)})
    message = str(err.value)
    assert str(path) in message and f"column {column!r}: value is not allowed at file line(s) {line_no}" in message
    assert expected in message


def test_an_authority_without_its_total_row_is_named_and_the_counts_add_up(tmp_path):
    write_synthetic(tmp_path)
    path = tmp_path / "la_cla_swcount.csv"
    _edit(path, lambda lines: [line for line in lines if not ("Zeta" in line and "Total children" in line)])
    r = nc.run({"dfe_data_dir": str(tmp_path)})
    text = r.scalars["la_variation_text"]
    assert "no 'Total children' row in the file: 1 (Zeta)" in text
    import re

    left = text.split("Left out: ")[1]
    counts = [int(n) for n in re.findall(r"(?:^|; )(\d+) ", left)]
    assert r.scalars["la_n_shown"] + sum(counts) == len(LAS)


def test_a_region_never_gives_back_its_one_hidden_authority(tmp_path):
    # Regions' counts are shown; an authority hidden alone in its region would be the region minus the others.
    write_synthetic(tmp_path)
    la = pd.DataFrame({"region_name": ["A", "A", "A", "B", "B"], "total": [50, 60, 70, 40, 45]})
    hidden = nc._with_regions(la, np.array([True, False, False, False, False]), pd.DataFrame({"region_name": []}))
    assert hidden.tolist() == [True, True, False, False, False]
    # A region with an unpublished authority already has two unknowns: nothing more is hidden.
    hidden = nc._with_regions(la, np.array([True, False, False, False, False]), pd.DataFrame({"region_name": ["A"]}))
    assert hidden.tolist() == [True, False, False, False, False]
    # End to end: in each region, the authorities not shown are never exactly one (unless one is unpublished).
    r = nc.run({"dfe_data_dir": str(tmp_path), "min_cell_count": 35})
    shown = set(r.data["la"]["la_name"])
    for region in {la[2] for la in LAS}:
        missing = [la[0] for la in LAS if la[2] == region and la[0] not in shown]
        assert len(missing) != 1 or any(la[4] == "c" for la in LAS if la[0] in missing), (region, missing)


# ---------------------------------------------------------------- what the turnover-only benchmark depends on


@pytest.mark.parametrize("lam", [0.05, 0.15, 0.6, 2.0])
@pytest.mark.parametrize("cv", [0.0, 0.5, 1.0, 2.0])
def test_changes_at_least_by_closed_form(lam, cv):
    # At least three workers = at least two changes: 1 − P(0) − P(1), for Poisson or gamma-Poisson changes.
    if cv == 0:
        p0, p1 = math.exp(-lam), lam * math.exp(-lam)
    else:
        k = 1 / cv**2
        q = k / (k + lam)
        p0, p1 = q**k, k * q**k * (1 - q)
    assert float(nc.changes_at_least(lam, rate_cv=cv)) == pytest.approx(1 - p0 - p1, rel=1e-9)


def test_uneven_leaving_by_simulation():
    rng = np.random.default_rng(11)
    lam = -math.log1p(-0.139)
    rates = rng.gamma(1.0, lam, size=400_000)  # CV of 1 around the mean rate
    share = float((rng.poisson(rates) >= 2).mean())
    assert float(nc.changes_at_least(lam, rate_cv=1.0)) == pytest.approx(share, abs=0.001)


def test_the_benchmark_model_at_base_is_the_page_and_its_dependence():
    r = nc.run({})
    s = r.scalars
    model = nc.benchmark_model(s["cla_three_plus_share"], s["agency_share_model"])
    base = {"turnover_rate": np.array([s["turnover_rate"]]), "agency_leaving_ratio": np.array([1.0])}
    assert float(model(base)[0]) == pytest.approx(s["observed_to_model_ratio"], rel=1e-7)
    # agency workers leaving twice as often raise the leaving rate by the agency share
    lam = -math.log1p(-s["turnover_rate"]) * (1 + s["agency_share_model"])
    twice = {**base, "agency_leaving_ratio": np.array([2.0])}
    assert float(model(twice)[0]) == pytest.approx(s["cla_three_plus_share"] / sps.poisson.sf(1, lam), rel=1e-9)
    # the time window's spread is that of the published series
    series = nc.turnover_series(r.data["workforce"])
    assert len(series) == len(nc.WORKFORCE_YEARS) and series.max() == published("dfe_turnover_2022") / 100
    tornado = r.tables["benchmark_tornado"]
    assert set(tornado["input"]) == {"turnover_rate", "agency_leaving_ratio"}
    assert s["benchmark_top_input"] == tornado.loc[0, "input"]
    assert s["benchmark_ratio_low"] < s["observed_to_model_ratio"] < s["benchmark_ratio_high"]
    assert s["benchmark_conclusion_holds"] is True and s["benchmark_ratio_low"] > nc.RATIO_THRESHOLD
    assert s["benchmark_ratio_uneven"] < s["observed_to_model_ratio"]
    assert "depends most on the yearly turnover" in s["benchmark_dependence_text"]


def test_the_benchmark_is_marked_as_a_models_result():
    for name in ("observed_to_model_ratio", "turnover_only_share", "leaving_bound_fraction", "benchmark_ratio_low"):
        assert nc.KINDS[name] is Kind.MODEL, name
    assert nc.KINDS["benchmark_range_low"] is Kind.ASSUMPTION  # the range the assumption is moved over
    assert nc.KINDS["cla_three_plus_share"] is Kind.COMPUTED


def test_numbers_declared_published_are_registry_figures_at_the_defaults():
    from test_kinds import _registry_values

    s = nc.run({}).scalars
    figures = _registry_values()
    for name, kind in nc.KINDS.items():
        if kind is Kind.PUBLISHED:
            assert any(math.isclose(s[name], f, rel_tol=1e-9) for f in figures), name


def test_the_sections_of_the_page_join_in_order_and_a_repeated_name_is_refused():
    from helpers.results import Section

    page = Section.joined([Section({"b": 1}, {"t": pd.DataFrame()}), Section({"a": 2}, data={"d": None})])
    assert list(page.scalars) == ["b", "a"] and list(page.tables) == ["t"] and page.data == {"d": None}
    with pytest.raises(ValueError, match="repeat the names a, b"):
        Section.joined([Section({"a": 1, "b": 2}), Section({"b": 3, "a": 4})])
    # run() builds the page from its sections in page order: section 1's first scalar comes first
    assert next(iter(nc.run({}).scalars)) == "data_source_text"


# ------------------------------------------------------------------ issue 22: the count and DfE's headline count
def test_the_headline_count_is_the_registrys_and_the_difference_is_explained():
    s = nc.run({}).scalars
    headline, missing = published("dfe_cla_headline_2024"), published("dfe_cla_barnet_2024")
    assert s["cla_headline_known"] is True and s["cla_headline_total"] == headline
    assert s["cla_headline_difference"] == headline - published("dfe_cla_total_2024") == 230
    text = s["cla_headline_text"]
    assert f"is {headline:,}; the social worker table counts {published('dfe_cla_total_2024'):,}, 230 fewer" in text
    assert f"Barnet, which made no social worker return ({missing:,} children in the headline count)" in text
    # the rest of the difference, stated as a remainder: headline - missing authority - table
    assert f"remaining \u2212{missing - 230}" in text


def test_on_the_real_files_the_difference_is_reconciled_authority_by_authority(real):
    folder, r = real
    s = r.scalars
    raw = pd.read_csv(folder / "cla_number_and_rate_per_10k_children.csv", encoding="utf-8-sig", dtype=str)
    rows = raw.loc[(raw["time_period"] == "2024") & (raw["population_type"].str.startswith("Children looked after on"))]
    headline_la = pd.to_numeric(rows.loc[rows["geographic_level"] == "Local authority", "children_count"], "coerce")
    sw = pd.read_csv(folder / "la_cla_swcount.csv", encoding="utf-8-sig", dtype=str)
    table_la = pd.to_numeric(
        sw.loc[(sw["geographic_level"] == "Local authority") & (sw["sw_stability"] == "Total children"), "number"],
        "coerce",
    )
    # independently: the authorities' headline counts minus the table's add up to England's difference, to DfE's
    # rounding of England's counts to the nearest ten
    assert abs((headline_la.sum() - table_la.sum()) - s["cla_headline_difference"]) <= 10
    text = s["cla_headline_text"]
    assert "Barnet, whose count the table gives as not available (330 children in the headline count)" in text
    assert "Of the other authorities, 72 have a different count in the two files, \u2212102 children in all" in text


def test_a_headline_file_compares_the_counts_authority_by_authority(tmp_path):
    from dfe_data import write_headline

    write_synthetic(tmp_path)
    path = tmp_path / "la_cla_swcount.csv"

    def zeta_not_available(lines):
        out = []
        for line in lines:
            if "Zeta" in line:
                line = line.replace(",120,", ",x,").replace(",40,", ",x,")
            elif line.startswith("2024,Reporting year,National") and "Total children" in line:
                line = line.replace(",450,", ",330,")
            out.append(line)
        return out

    _edit(path, zeta_not_available)
    write_headline(tmp_path, {"Alpha": 103})  # Zeta keeps its 120 children in the headline count
    s = nc.run({"dfe_data_dir": str(tmp_path), "min_cell_count": 5}).scalars
    assert (s["cla_headline_total"], s["cla_total"], s["cla_headline_difference"]) == (453, 330, 123)
    text = s["cla_headline_text"]
    assert "Zeta, whose count the table gives as not available (120 children in the headline count)" in text
    assert "Of the other authorities, 1 has a different count in the two files, +3 children in all" in text
    assert "from a later release" in text  # the headline file's latest year is after the table's
    # a missing authority's headline count below the threshold is not printed
    s = nc.run({"dfe_data_dir": str(tmp_path), "min_cell_count": 200}).scalars
    assert "Zeta, whose count the table gives as not available (fewer than 200 children" in s["cla_headline_text"]
    assert "120" not in s["cla_headline_text"]


def test_without_a_headline_count_the_page_says_so_and_the_brief_leaves_it_out(tmp_path):
    write_synthetic(tmp_path)  # another year's counts than the registry's, and no headline file
    r = nc.run({"dfe_data_dir": str(tmp_path)})
    s = r.scalars
    assert s["cla_headline_known"] is False and "cla_headline_total" not in s
    assert "is not among the figures this run read" in s["cla_headline_text"]
    assert "headline count" not in nc.brief(s, r.params).text()


def test_a_headline_file_without_its_row_of_children_looked_after_is_refused(tmp_path):
    from dfe_data import write_headline

    write_synthetic(tmp_path)
    headline = write_headline(tmp_path, {}) / "cla_number_and_rate_per_10k_children.csv"
    headline.write_text(headline.read_text().replace("Children looked after on 31 March each year", "Other"))
    with pytest.raises(DfeFileError, match="needs the rows 'Children looked after on 31 March each year'"):
        nc.check_inputs({"dfe_data_dir": str(tmp_path)})


# ------------------------------------------------------------------ issue 22: conclusions no wider than the model
def test_the_conclusion_is_the_models_not_a_claim_about_all_changes(tmp_path):
    """The page never says that most changes come from something other than workers leaving (the model counts
    only employed workers leaving at random), nor that the evaluations saw the same."""
    runs = [nc.run({}), nc.run({"dfe_data_dir": str(write_synthetic(tmp_path))}), nc.run({"turnover_rate": 0.4})]
    for r in runs:
        said = " ".join(v for v in r.scalars.values() if isinstance(v, str)) + nc.brief(r.scalars, r.params).text()
        assert "most changes of worker come from something other" not in said
        assert "saw the same" not in said and "the picture the evaluations describe" not in said
        assert "under these assumptions" in r.scalars["turnover_model_verdict"]
    brief = nc.brief(runs[0].scalars, runs[0].params).text()
    assert "agency staff" in brief and "at random" in brief  # the assumptions travel with the conclusion


@pytest.mark.parametrize("turnover", [0.05, 0.139, 0.3, 0.6])
def test_the_leaving_bound_holds_for_any_spread_of_leaving_rates(turnover):
    """Markov's bound, checked by simulation: children's changes of worker from leaving drawn with very uneven
    rates (a two-point mixture and a lognormal spread) averaging the model's rate never give three or more
    workers to more than the bound's share."""
    rng = np.random.default_rng(7)
    lam = -math.log1p(-turnover)
    bound = nc.leaving_bound(0.27, turnover)
    assert bound["leaving_bound_share"] == pytest.approx(min(1.0, lam / 2))
    for rates in (
        np.where(rng.random(400_000) < 0.1, lam * 10, 0.0),  # a tenth of children's workers carry all the leaving
        rng.lognormal(0, 1.5, 400_000) * lam / math.exp(1.5**2 / 2),
    ):
        share = float((rng.poisson(rates) >= 2).mean())
        assert share <= bound["leaving_bound_share"] + 0.003
    assert bound["leaving_needed_ratio"] == pytest.approx(2 * 0.27 / lam)


def test_the_bound_is_stated_only_where_it_bounds_anything():
    low, high = nc.run({}).scalars, nc.run({"turnover_rate": 0.9}).scalars
    assert low["leaving_bound_fraction"] < 1 and "at most" in low["leaving_bound_text"]
    assert high["leaving_bound_fraction"] == 1 and "at most" not in high["leaving_bound_text"]
    assert "could explain all of them" in nc.brief(high, {}).text()
    assert "at most" not in nc.brief(high, {}).text()


# ------------------------------------------------------------------ issue 22: every generated count is its own
def test_each_correlation_prints_its_own_number_of_authorities(tmp_path):
    """The workforce measures are published for different authorities: each clause of the sentence carries the
    number of authorities its own correlation used, never another's (here the agency rate is missing for one)."""
    write_synthetic(tmp_path)
    wf = next(tmp_path.glob("csww_indicators_*.csv"))
    lines = wf.read_text().splitlines()
    lines = [line.replace(",5,4.8,60,", ",x,x,60,") if ",Alpha," in line else line for line in lines]
    wf.write_text("\n".join(lines) + "\n")
    s = nc.run({"dfe_data_dir": str(tmp_path), "min_cell_count": 1}).scalars
    assert s["corr_agency_n"] == s["corr_turnover_n"] - 1  # the measures cover different authorities
    text = s["association_text"]
    for key, label in (
        ("turnover", "turnover rate"),
        ("agency", "agency-worker rate"),
        ("caseload", "average caseload"),
    ):
        clause = re.search(rf"for the {label} \([^)]*\)", text).group(0)
        assert clause.endswith(f"; {s[f'corr_{key}_n']} authorities)"), clause
    numbers_of_authorities = [int(n) for n in re.findall(r"(\d+) authorities", text)]
    assert sorted(numbers_of_authorities) == sorted(s[f"corr_{k}_n"] for k in ("turnover", "agency", "caseload"))


@settings(max_examples=60, deadline=None)
@given(
    ns=st.lists(st.integers(4, 400), min_size=1, max_size=3, unique=True),
    r=st.floats(-0.99, 0.99),
)
def test_a_correlation_clause_prints_only_its_own_count(ns, r):
    clauses = [
        nc.correlation_clause({"label": f"measure {i}", "r": r, "low": r - 0.01, "high": r + 0.01, "n": n}, 0.95)
        for i, n in enumerate(ns)
    ]
    for clause, n in zip(clauses, ns, strict=True):
        assert re.findall(r"(\d+) authorities", clause) == [str(n)]


# ------------------------------------------------------------------ issue 23: the narrative follows the run
def _own_copy(folder, tmp_path):
    """A copy of DfE's files with one authority's count revised: the user's files, not the registry's."""
    own = tmp_path / "own"
    own.mkdir()
    for name in ("la_cla_swcount.csv", "csww_indicators_2017_to_2025.csv"):
        shutil.copy(folder / name, own / name)
    path = own / "la_cla_swcount.csv"
    text = path.read_text(encoding="utf-8-sig")
    old = "Darlington,E06000005,CLA on 31 March,Total children,298,100"
    assert old in text
    path.write_text(text.replace(old, old.replace(",298,", ",299,")))
    return own


def test_marks_follow_where_the_figures_come_from(real, tmp_path):
    """P only for the registry's values: the registry itself or the very files it quotes; the same figures read
    from other files are the user's (D); a changed turnover is an assumption and leaves the share computed."""
    folder, shipped = real
    own = nc.run({"dfe_data_dir": str(_own_copy(folder, tmp_path))})
    changed = nc.run({"turnover_rate": 0.2})

    def marks(result):
        return nc.brief(result.scalars, result.params).text()

    assert shipped.scalars["own_records"] is False and own.scalars["own_records"] is True
    assert "83,300 [P]" in marks(nc.run({})) and "83,300 [P]" in marks(shipped)
    first = marks(own).splitlines()[0]
    assert "83,300 [D]" in first and "27% [D]" in first and "22,140 [D]" in first and "[P]" not in first
    assert "13.9% [P]" in marks(own)  # the turnover is still the registry's (a parameter, not read from the files)
    assert (
        "frontline" not in own.scalars["data_source_text"]
        and "not the files the registry quotes" in (own.scalars["data_source_text"])
    )
    assert own.scalars["swcount_source_text"] == "la_cla_swcount.csv, in the folder given"
    assert shipped.scalars["swcount_source_text"].startswith(
        "la_cla_swcount.csv, from DfE's release Stability measures"
    )
    # the share does not use the turnover: the published 27% is restated as published (P), not as computed
    assert "20.0% [A]" in marks(changed) and "27% [P]" in marks(changed) and "27% [C]" not in marks(changed)


def _glue_keys() -> set[str]:
    import nbformat

    from helpers.engine.paths import NOTEBOOKS

    nb = nbformat.read(NOTEBOOKS / "national_context.ipynb", as_version=4)
    text = "\n".join(
        "".join(c.source) + json.dumps(c.metadata.get("mystnb", {}))
        for c in nb.cells
        if c.cell_type == "markdown" or "mystnb" in c.metadata
    )
    return {m.split(":")[0] for m in re.findall(r"\{(?:glue:text|num)\}`([^`]+)`", text)}


def test_every_glued_key_exists_and_the_brief_fits_in_every_run(real, tmp_path):
    folder, _ = real
    keys = _glue_keys()
    assert {"cla_headline_text", "leaving_bound_text", "association_text", "swcount_source_text"} <= keys
    runs = [
        {},
        {"turnover_rate": 0.9},
        {"turnover_rate": 0.4, "ci_level": 0.9},
        {"dfe_data_dir": str(folder)},
        {"dfe_data_dir": str(folder), "min_cell_count": 50, "workforce_year_offset": -1},
        {"dfe_data_dir": str(_own_copy(folder, tmp_path))},
        {"dfe_data_dir": str(write_synthetic(_mkdir(tmp_path / "synthetic")))},
    ]
    for params in runs:
        r = nc.run(params)
        missing = keys - set(r.scalars)
        assert not missing, (params, missing)
        brief = nc.brief(r.scalars, r.params)
        assert brief.words() <= 150, (params, brief.words())
        brief.html()  # every number has a declared kind and every term a glossary entry


# ------------------------------------------------------------------ issue 22: figures
def test_the_figures_show_what_their_captions_say_and_are_not_truncated(real):
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_rgb

    from helpers.page.plotting import COLOURS

    _, r = real
    wf = nc.plot_workforce(r)
    for ax in wf.axes:
        assert ax.get_ylim()[0] == 0  # from zero: a fall of a few points is not drawn as a collapse
    plt.close(wf)

    funnel = nc.plot_funnel(r)
    funnel.canvas.draw()
    ax = funnel.axes[0]
    legend = ax.get_legend().get_window_extent()
    assert legend.y1 <= ax.get_window_extent().y0  # the legend is below the axes, over no authority
    inside, outside = (c for c in ax.collections if len(c.get_offsets()))
    assert to_rgb(inside.get_facecolor()[0][:3]) == to_rgb(COLOURS["primary"])  # caption: blue dots inside
    assert to_rgb(outside.get_facecolor()[0][:3]) == to_rgb(COLOURS["secondary"])  # and orange dots outside
    plt.close(funnel)

    bench = nc.plot_benchmark_dependence(r)
    bench.canvas.draw()
    ax = bench.axes[0]
    assert ax.lines[0].get_label() == "DfE's share ÷ the turnover-only model's share"
    assert ax.get_ylim()[0] == 0
    figure_box = bench.get_window_extent()
    for text in (ax.yaxis.label, ax.xaxis.label):
        box = text.get_window_extent()
        assert (
            figure_box.x0 <= box.x0 and box.x1 <= figure_box.x1 and figure_box.y0 <= box.y0 <= box.y1 <= figure_box.y1
        )
    plt.close(bench)


def _mkdir(path):
    path.mkdir()
    return path


# ------------------------------------------------------------------ review: what the published page shows
#: Glued phrases that only a run on DfE's files fills with findings (the comparison of local authorities).
LA_ONLY = ("la_variation_text", "funnel_text", "association_text")


def _committed():
    import nbformat

    from helpers.engine.paths import NOTEBOOKS

    return nbformat.read(NOTEBOOKS / "national_context.ipynb", as_version=4)


def test_the_published_page_shows_no_section_that_only_a_run_on_dfe_files_fills(tmp_path):
    """The comparison of local authorities is in cells tagged records-only and remove-cell: the published page
    (the registry's run) leaves them out, with their guarded code; a run on DfE's files shows them."""
    from helpers.engine import narrative

    nb = _committed()
    shown = [c for c in nb.cells if "remove-cell" not in c.metadata.get("tags", [])]
    for cell in shown:
        assert not any(f"`{key}`" in cell.source for key in LA_ONLY), cell.source[:80]
        assert not (cell.cell_type == "code" and cell.source.lstrip().startswith("if ")), cell.source[:80]
        assert "sec-national-la" not in cell.source.replace("sec-national-la)", ""), cell.source[:80]
    hidden = [c for c in nb.cells if "records-only" in c.metadata.get("tags", [])]
    assert len(hidden) == 5 and all("remove-cell" in c.metadata["tags"] for c in hidden)
    run = narrative.for_run(nb, nc.PARAMETERS, {**nc.PARAMETERS.defaults(), "dfe_data_dir": str(tmp_path)})
    restored = [c for c in run.cells if "records-only" in c.metadata.get("tags", [])]
    assert len(restored) == 5 and not any("remove-cell" in c.metadata["tags"] for c in restored)
    # the published page says, in one shown sentence, what a run on DfE's files adds and how to ask for it
    assert any("`la_comparison_text`" in c.source for c in shown)
    text = nc.run({}).scalars["la_comparison_text"]
    assert "dfe_data_dir" in text and "local authorit" in text and text.count(". ") == 0


def test_a_run_on_dfe_files_says_it_compares_authorities(tmp_path):
    r = nc.run({"dfe_data_dir": str(write_synthetic(_mkdir(tmp_path / "dfe")))})
    assert r.scalars["la_comparison_text"].startswith("Run on DfE's files, the page also compares")
    assert "correlations" in r.tables and r.scalars["la_n_shown"] > 0


def test_the_published_share_is_restated_as_published_where_it_is_the_published_value():
    from helpers.page import kinds

    r = nc.run({})
    printed = r.scalars["cla_three_plus_share_printed"]
    assert printed == published("dfe_cla_3plus_sw_pct_2024") / 100  # DfE's 27%, rounded as DfE rounds it
    assert kinds.resolve("national_context", "cla_three_plus_share_printed", printed) is Kind.PUBLISHED
    assert kinds.resolve("national_context", "cla_three_plus_share", r.scalars["cla_three_plus_share"]) is Kind.COMPUTED
    text = nc.brief(r.scalars, r.params).text() + nc.CARD.headline + nc.landing(r.scalars)
    assert "cla_three_plus_share:" not in text
    assert "27% [P]" in nc.brief(r.scalars, r.params).text()


def test_the_direct_reading_of_turnover_is_given_and_the_page_s_reading_is_the_conservative_one():
    r = nc.run({})
    t = r.scalars["turnover_rate"]
    direct = 1 - math.exp(-t) * (1 + t)  # Poisson with mean t: two or more changes
    assert r.scalars["turnover_only_share_direct"] == pytest.approx(direct, rel=1e-7)
    assert r.scalars["turnover_only_share_direct"] == pytest.approx(sps.poisson.sf(1, t), rel=1e-7)
    share = published("dfe_cla_3plus_sw_2024") / published("dfe_cla_total_2024")
    assert r.scalars["leaving_bound_fraction_direct"] == pytest.approx(t / (2 * share), rel=1e-7)
    text = r.scalars["turnover_reading_text"]
    assert f"{direct:.2%}" in text and f"{t / (2 * share):.0%}" in text and "more room" in text


@given(st.floats(0.001, 0.95))
@settings(max_examples=50, deadline=None)
def test_reading_turnover_as_a_probability_never_gives_leaving_less_room(t):
    assert nc.turnover_only_share(t) >= float(nc.changes_at_least(t))


def test_the_turnover_matched_to_the_childrens_year_is_the_mean_of_the_two_years_it_overlaps():
    r = nc.run({})
    year = r.scalars["cla_year"]
    before, after = published(f"dfe_turnover_{year - 1}") / 100, published(f"dfe_turnover_{year}") / 100
    matched = (before + after) / 2
    assert r.scalars["turnover_matched"] == pytest.approx(matched)
    share = published("dfe_cla_3plus_sw_2024") / published("dfe_cla_total_2024")
    ratio = share / sps.poisson.sf(1, -math.log1p(-matched))
    assert r.scalars["turnover_matched_ratio"] == pytest.approx(ratio, rel=1e-7)
    text = r.scalars["turnover_period_text"]
    assert f"April {year - 1} to March {year}" in text and f"{before:.1%}" in text and f"{matched:.1%}" in text
    assert "the conclusion is the same" in text  # at the matched turnover the ratio is still far above two
    empty = nc.matched_turnover(pd.DataFrame({"year": [year], "turnover_rate_fte": [13.9]}), year)
    assert empty is None


def test_the_benchmark_range_is_called_an_assumption_beside_the_observed_rates():
    r = nc.run({})
    series = np.array([published(f"dfe_turnover_{y}") for y in nc.WORKFORCE_YEARS]) / 100
    text = r.scalars["benchmark_dependence_text"]
    assert "an assumed range" in text
    assert f"from {series.min():.1%} to {series.max():.1%}" in text and f"{series.min():.1%}" == "11.8%"
    assert f"{series.min():.1%}" in r.scalars["turnover_series_text"]


def test_no_two_references_print_the_same_author_and_year():
    """sphinxcontrib-bibtex's author_year style prints the author and the year field as they are: two works of one
    author in one year need distinct years (2025a, 2025b) to be told apart in the text."""
    from pybtex.database import parse_file

    from helpers.engine.paths import BOOK

    seen: dict[tuple[str, str], str] = {}
    for key, entry in parse_file(str(BOOK / "references.bib"), bib_format="bibtex").entries.items():
        if "year" not in entry.fields:
            continue
        label = (" and ".join(str(p) for p in entry.persons.get("author", [])), entry.fields["year"])
        assert label not in seen, f"{key} and {seen[label]} are both cited as {label}"
        seen[label] = key
