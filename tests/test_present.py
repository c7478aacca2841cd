"""Figures and tables with generated provenance; the execution-cache guard."""

from __future__ import annotations

import shutil
import sys

import pandas as pd

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
