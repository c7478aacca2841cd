"""Figures and tables with generated provenance; the execution-cache guard."""

from __future__ import annotations

import shutil
import sys

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from helpers.analyses import kft_care_outcomes as kft
from helpers.engine.paths import PUBLISHED_FIGURES, ROOT, sha256_file
from helpers.engine.provenance import PARTS, digests
from helpers.page.present import params_digest, provenance, table_html

sys.path.insert(0, str(ROOT / "tools"))
import cache_guard


def test_provenance_names_notebook_parameters_data_and_content_digests():
    line = provenance(kft.run({}), "Figure")
    assert "<code>kft_care_outcomes.ipynb</code>" in line
    assert '<a href="#parameters">default parameters</a>' in line
    assert f"figures.csv sha256:{sha256_file(PUBLISHED_FIGURES)[:12]}" in line
    now = digests("kft_care_outcomes")
    assert now["lock"] == sha256_file(ROOT / "requirements.lock")
    assert "computed from " + " · ".join(f"{k} sha256:{now[k][:12]}" for k in PARTS) in line
    assert "commit" not in line, "a committed output must not name a commit"


def test_provenance_says_when_parameters_changed():
    changed = kft.run({"target_home_rate": 0.6})
    line = provenance(changed, "Table")
    assert "parameters changed from the defaults" in line and line.count("Table made by") == 1
    assert params_digest(changed.params) in line and params_digest(changed.params) != params_digest(kft.run({}).params)


def test_table_html_has_no_index_and_truncates_nothing():
    long = "x" * 300
    html = table_html(pd.DataFrame({"a": [1.23456789, 2.0], "b": [long, "y"]}))
    assert long in html and "<th>a</th>" in html and "1.235" in html
    assert "<th></th>" not in html


def test_cache_guard_digest_follows_code_and_data(tmp_path):
    for name in ("src", "data"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("requirements.lock", "_config.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    before = cache_guard.inputs_digest(tmp_path)
    assert cache_guard.inputs_digest(tmp_path) == before
    helper = tmp_path / "src" / "helpers" / "stats" / "proportions.py"
    helper.write_text(helper.read_text() + "\n# changed\n")
    assert cache_guard.inputs_digest(tmp_path) != before


def test_helpers_page_lists_every_name_it_exports():
    import helpers.page as page

    assert page.__all__ == sorted(page._EXPORTS)
    for name in page.__all__:
        assert callable(getattr(page, name)), name


def test_interval_plot_draws_each_row_top_down_with_its_colour_and_emphasis():
    from matplotlib.colors import to_rgba

    from helpers.page.plotting import COLOURS, interval_plot, mark_value

    fig, ax = plt.subplots()
    y = interval_plot(
        ax, ["a", "b", "c"], [1.0, 2.0, 3.0], [0.5, 1.5, 2.5], [1.5, 2.5, 3.5], emphasis=[False, True, False]
    )
    assert list(y) == [2.0, 1.0, 0.0] and [t.get_text() for t in ax.get_yticklabels()] == ["a", "b", "c"]
    lines = ax.get_lines()
    assert [tuple(line.get_xdata()) for line in lines] == [(0.5, 1.5), (1.5, 2.5), (2.5, 3.5)]
    assert [line.get_linewidth() for line in lines] == [2.0, 3.0, 2.0]
    assert to_rgba(lines[1].get_color()) == to_rgba(COLOURS["primary"])
    assert to_rgba(lines[0].get_color()) == to_rgba(COLOURS["reference"])
    mark_value(ax, 2.0, "target")
    assert any(t.get_text() == " target" for t in ax.texts)
    # One colour per row is taken as such; a row without an interval is an error, not a shorter plot.
    interval_plot(ax, ["a", "b"], [1, 2], [0, 1], [2, 3], colours=[COLOURS["positive"], COLOURS["negative"]])
    assert to_rgba(ax.get_lines()[-1].get_color()) == to_rgba(COLOURS["negative"])
    with pytest.raises(ValueError):
        interval_plot(ax, ["a", "b"], [1, 2], [0], [2])
    plt.close(fig)
