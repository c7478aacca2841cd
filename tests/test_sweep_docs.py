"""The documentation of sweeps and the run cache says what the code does."""

from __future__ import annotations

import argparse
import re

import pytest
import yaml

from helpers.analyses import kft_care_outcomes as kft
from helpers.engine import cache, sweep
from helpers.engine.cli import build_parser
from helpers.engine.paths import ROOT

REPRODUCE = (ROOT / "book" / "reproduce.md").read_text()
README = (ROOT / "README.md").read_text()


def _subparser(*path: str) -> argparse.ArgumentParser:
    parser = build_parser()
    for name in path:
        action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = action.choices[name]
    return parser


def _options(parser: argparse.ArgumentParser) -> list[list[str]]:
    """Each option's spellings (``["-p", "--parameter"]``), help left out."""
    return [a.option_strings for a in parser._actions if a.option_strings and "--help" not in a.option_strings]


@pytest.mark.parametrize("path", [("sweep",), ("run",), ("cache", "clear")])
def test_every_option_is_documented(path):
    for spellings in _options(_subparser(*path)):
        assert any(re.search(rf"{re.escape(s)}\b", REPRODUCE) for s in spellings), (
            f"`compendium {' '.join(path)} {spellings[-1]}` is not in book/reproduce.md"
        )


def test_the_readme_names_the_commands():
    for text in (
        "compendium sweep",
        "compendium cache info",
        "compendium cache clear",
        "--no-cache",
        "--scheduler",
        "--plot",
        "--workers",
        "--timeout",
        "sweep_speed.py",
    ):
        assert text in README, text


def test_the_documented_cache_location_and_variable_are_the_code_s(monkeypatch):
    monkeypatch.delenv(cache.ENV_VAR)
    relative = cache.cache_dir().relative_to(ROOT).as_posix()
    for text in (REPRODUCE, README, _subparser("cache").description):
        assert f"{relative}/" in text and cache.ENV_VAR in text


def test_the_documented_grids_are_valid_and_the_documented_error_is_the_real_one():
    blocks = re.findall(r"```yaml\n(.*?)```", REPRODUCE, flags=re.S)
    grids = [yaml.safe_load(b) for b in blocks]
    assert any(isinstance(g, list) for g in grids) and any(isinstance(g, dict) for g in grids)
    for grid in grids:
        sweep.validate_points(kft.PARAMETERS, sweep.expand_grid(grid))
    factorial = next(g for g in grids if isinstance(g, dict) and any(isinstance(v, list) for v in g.values()))
    assert len(sweep.expand_grid(factorial)) == 6, "the page calls it a 2 × 3 grid"
    with pytest.raises(sweep.GridError) as err:
        sweep.validate_points(
            kft.PARAMETERS,
            sweep.expand_grid({"target_home_rate": [0.5, 0.6, 1.5], "ci_method": ["wilson", "jeffreys"]}),
        )
    assert f"compendium: error: {err.value}" in REPRODUCE


def test_the_documented_plot_and_table_columns_exist():
    result, param = "p_value_vs_target", "target_home_rate"
    assert f"--plot {result}:{param}" in REPRODUCE and f"--plot {result}:{param}" in README
    assert isinstance(kft.run({}).scalars[result], float)
    points = sweep.validate_points(kft.PARAMETERS, [{param: 0.6}, {param: 0.7}])
    assert sweep.parse_plot(f"{result}:{param}", kft.PARAMETERS, points) == (result, param)
    table = sweep.sweep_table(kft.PARAMETERS, [sweep.PointOutcome(points[0], "ok", "computed", {"x": 1.0}, 0.1)])
    fixed = [c for c in table.columns if "." not in c]
    for column in fixed:
        assert f"`{column}`" in REPRODUCE, column
    assert "`param.NAME`" in REPRODUCE and "`result.NAME`" in REPRODUCE
    for word in ("`ok`", "`failed`", "`computed`", "`cached`"):
        assert word in REPRODUCE
