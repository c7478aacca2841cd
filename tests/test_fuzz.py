"""A fuzz of hostile and careless inputs, each class run in a contained process (``fuzz_cases.py``).

Each process gets a ceiling on its address space (``RLIMIT_AS``) and a time limit, so that a
regression (an alias bomb expanding, a histogram growing with a value) fails here instead of
exhausting the machine; and each class must stay within :data:`RSS_LIMIT_MB` of resident memory
and each case within :data:`CASE_SECONDS`. Every case must end as documented: refused with its
own error (one message, of bounded length, naming what is wrong) or accepted; never another
exception, never a traceback from the command line.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: Address-space ceiling of each contained process: a hard stop well below the machine's memory.
ADDRESS_SPACE_BYTES = 4 * 1024**3
#: Resident memory a class of cases may reach (the interpreter with pandas, scipy and statsmodels
#: imported takes most of it).
RSS_LIMIT_MB = 700
#: Longest a single case may take, and a whole class (a hard stop for a runaway, far above the usual time;
#: the classes that write large files and run the analyses on them get more).
CASE_SECONDS = 20
CLASS_SECONDS = 120
LONGER_CLASSES = {"bounded": 400, "disclosure": 400}
#: Longest error message a case may produce (messages never print a whole value).
MESSAGE_CHARS = 12_000


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_BYTES, ADDRESS_SPACE_BYTES))


@cache
def _run(cls: str, folder: str) -> dict:
    env = {
        **os.environ,
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "MPLBACKEND": "Agg",
    }
    res = subprocess.run(
        [sys.executable, str(HERE / "fuzz_cases.py"), cls, folder],
        capture_output=True,
        text=True,
        timeout=LONGER_CLASSES.get(cls, CLASS_SECONDS),
        preexec_fn=_limits,
        env=env,
    )
    assert res.returncode == 0, f"the {cls} cases crashed (exit {res.returncode}): {res.stderr[-3000:]}"
    return json.loads(res.stdout.strip().splitlines()[-1])


def cases_of(cls: str, tmp_path_factory) -> dict:
    return _run(cls, str(tmp_path_factory.mktemp(f"fuzz-{cls}")))


def _check_all(report: dict) -> dict[str, dict]:
    assert report["peak_rss_mb"] < RSS_LIMIT_MB, f"peak memory {report['peak_rss_mb']:.0f} MB"
    by_name = {c["name"]: c for c in report["cases"]}
    unexpected = {n: c["message"][:800] for n, c in by_name.items() if c["outcome"] == "unexpected"}
    assert not unexpected, unexpected
    slow = {n: round(c["seconds"], 1) for n, c in by_name.items() if c["seconds"] > CASE_SECONDS}
    assert not slow, slow
    long = {n: c["length"] for n, c in by_name.items() if c["length"] > MESSAGE_CHARS}
    assert not long, long
    return by_name


def test_yaml_files_are_read_safely(tmp_path_factory):
    cases = _check_all(cases_of("yaml", tmp_path_factory))
    for reader in ("parameter file", "grid file", "answers file"):
        for name, words in [
            ("billion laughs", "an anchor (&a) is not allowed"),
            ("an alias only", "an alias (*a) is not allowed"),
            ("a merge key", "is not allowed"),
            ("deep nesting", "nested more than"),
            ("deep block nesting", "nested more than"),
            ("over the size limit", "at most 200,000 bytes"),
            ("too many values", "more than 10000 values"),
            ("not UTF-8", "is not UTF-8 text (byte 0xff on line 1)"),
            ("binary junk", "is not UTF-8 text"),
            ("a python tag", "could not determine a constructor"),
            ("an unhashable key", "a key must be a name or a number"),
            ("a key given twice", "'seed' is given twice (lines 1 and 2)"),
        ]:
            c = cases[f"{reader}: {name}"]
            assert c["outcome"] == "refused" and words in c["message"], (reader, name, c["message"][:300])
        # A huge value is refused without printing it.
        for name in ("a huge string value", "a huge key", "many keys"):
            c = cases[f"{reader}: {name}"]
            assert c["outcome"] == "refused" or reader != "answers file", (reader, name)
            assert "x" * 100 not in c["message"] and "k" * 100 not in c["message"]
    assert cases["random YAML text (150 examples)"]["outcome"] == "accepted"


def test_parameter_values_are_refused_by_name(tmp_path_factory):
    cases = _check_all(cases_of("params", tmp_path_factory))
    refused = [c for c in cases.values() if c["outcome"] == "refused"]
    assert len(refused) > 500  # most special values are not allowed for most parameters
    for c in refused:
        assert c["message"].startswith("parameter '") and "\n" not in c["message"] and c["length"] < 1500, c
    assert cases["random parameter text (100 examples)"]["outcome"] == "accepted"


def test_records_files_are_refused_by_name_or_run_in_bounded_work(tmp_path_factory):
    cases = _check_all(cases_of("records", tmp_path_factory))
    expected = {
        "visits = '100000000'": "column 'visits': value is more than 10000 visits",
        "visits = '9000000000000000000'": "column 'visits'",
        "visits = '1e30'": "column 'visits'",
        "visits = '-1'": "is negative",
        "visits = '1.5'": "is not a whole number",
        "visits = 'nan'": "column 'visits'",
        "months_open = '1e300'": "is more than 300 months",
        "months_open = '1e-320'": "is less than 0.01 months",
        "months_open = 'inf'": "column 'months_open'",
        "n_workers = 1e9": "is more than 100 workers",
        "header only": "no data rows",
        "empty file": "not a readable CSV file",
        "not UTF-8": "not UTF-8 text (byte 0xe9 on file line 2)",
        "over the size limit": "at most 20,000,000 bytes",
        "5000 columns": "missing column(s)",
        "a route of 3 cases": "route 'other' has 3 case(s)",
    }
    for name, words in expected.items():
        c = cases[f"frontline records: {name}"]
        assert c["outcome"] == "refused" and words in c["message"], (name, c["message"][:300])
    for name in ("the largest allowed visits and months", "3000 distinct visit counts"):
        assert cases[f"frontline records: {name}"]["outcome"] == "accepted"
    assert "is more than 100 professionals" in cases["link worker records: professionals = 1e8"]["message"]


def test_a_damaged_cache_entry_is_never_served(tmp_path_factory):
    cases = _check_all(cases_of("cache", tmp_path_factory))
    damaged = [c for n, c in cases.items() if n.startswith("cache entry: ")]
    assert len(damaged) == 10
    for c in damaged:
        assert c["outcome"] == "refused" and c["message"].startswith("damaged: "), c
    assert "COMPENDIUM_CACHE" in cases["cache folder under a file"]["message"]


def test_the_command_line_ends_every_bad_input_in_one_line(tmp_path_factory):
    cases = _check_all(cases_of("cli", tmp_path_factory))
    for name, c in cases.items():
        assert c["outcome"] == "refused", (name, c["message"][:500])
        assert c["message"].startswith("compendium: ") or "usage:" in c["message"] or "error:" in c["message"], c
    assert "more than the ceiling of 3" in cases["cli: a grid over --max-points"]["message"]
    assert "nothing answers there" in cases["cli: a closed scheduler port"]["message"]
    assert "interrupted" in cases["cli: Ctrl-C during a run"]["message"]
    assert cases["cli: Ctrl-C during a run"]["left_behind"] is None  # the folder the run made is gone


# ------------------------------------------------------------------ the second round (fuzz_round2.py)
def _one_line_refusals(cases: dict[str, dict], prefix: str = "") -> list[dict]:
    chosen = [c for n, c in cases.items() if n.startswith(prefix)]
    for c in chosen:
        assert c["outcome"] == "refused", (c["name"], c["message"][:500])
        assert "Traceback" not in c["message"], c["message"][:500]
        if c["message"].startswith("compendium: "):  # what the command printed: one line
            assert "\n" not in c["message"].strip(), c["message"][:500]
    return chosen


def test_no_run_gives_a_small_count_away(tmp_path_factory):
    """Disclosure: the round's reproductions and 60 random sets of records; every count the page's numbers
    (means and histogram bins included) fix is 0 or at least min_cell_count, or the records are refused."""
    cases = _check_all(cases_of("disclosure", tmp_path_factory))
    assert len(cases) >= 64
    for c in cases.values():
        assert c["outcome"] in ("accepted", "refused"), c
        if c["outcome"] == "refused":
            reasons = ("min_cell_count", "standard error", "did not converge")
            assert any(words in c["message"] for words in reasons), c["message"][:300]
    assert cases["frontline: mean and size split a merged bin (the reproduction)"]["outcome"] == "accepted"
    assert "so alike" in cases["frontline: every case of a route at two values (size and mean fix both)"]["message"]


def test_every_file_read_has_a_size_limit_and_large_valid_input_finishes(tmp_path_factory):
    """Bounded work: DfE files over the limit (150 MB, a 3 GB sparse file) are refused before they are
    read; records over MAX_ROWS before the analysis; large valid inputs run (each within CASE_SECONDS, in
    a process held to RSS_LIMIT_MB)."""
    cases = _check_all(cases_of("bounded", tmp_path_factory))
    for name in ("DfE file of 150 MB", "DfE file of 3 GB, sparse", "DfE file of one byte over"):
        assert cases[name]["outcome"] == "refused" and "at most 20,000,000 bytes" in cases[name]["message"]
    assert "at most 200,000 rows are allowed" in cases["frontline records: one row over MAX_ROWS"]["message"]
    assert "at most 200,000 rows" in cases["link worker records: 950,000 rows, a centre each"]["message"]
    accepted = [n for n, c in cases.items() if c["outcome"] == "accepted"]
    assert len(accepted) == 3, accepted


def test_a_cache_that_cannot_be_written_never_loses_a_run(tmp_path_factory):
    cases = _check_all(cases_of("outputs", tmp_path_factory))
    assert len(cases) == 4
    for c in cases.values():
        assert c["outcome"] == "refused" and c["message"].startswith("compendium: warning: the run cache"), c


def test_no_run_sweep_or_cache_writes_into_a_protected_folder(tmp_path_factory):
    cases = _check_all(cases_of("protected", tmp_path_factory))
    refused = _one_line_refusals(cases)
    assert len(refused) == 36
    assert all("is not usable" in c["message"] or "is not allowed" in c["message"] for c in refused)
    assert list(cases.values())[-1]["notebooks_unchanged"]


def test_text_cells_of_a_sweeps_csv_cannot_run_as_formulas(tmp_path_factory):
    cases = _check_all(cases_of("formula", tmp_path_factory))
    assert len(cases) == 15
    for c in cases.values():
        assert c["outcome"] == "refused", c  # ends in Exit with the cell as written
    assert cases["answers file service name starting '='"]["message"] == "'=service"


def test_a_sweep_checks_its_files_and_plot_names_before_it_starts(tmp_path_factory):
    cases = _check_all(cases_of("precheck", tmp_path_factory))
    refused = _one_line_refusals(cases)
    assert len(refused) == 8
    assert "grid point 2 of 2" in cases["frontline sweep: a good and a bad data_path"]["message"]
    assert "records no result 'no_such_result'" in cases["kft sweep --plot an unknown result"]["message"]
    assert "not a number to plot" in cases["kft sweep --plot a text result"]["message"]


def test_the_rounds_tracebacks_are_one_line_refusals(tmp_path_factory):
    cases = _check_all(cases_of("tracebacks", tmp_path_factory))
    _one_line_refusals(cases)
    assert len(cases) == 52
    assert "digits is too long (at most 4,300)" in cases["parameter file: a value of 5000 digits"]["message"]
    assert "England's (National) value is not a number" in cases["England row of la_cla_swcount.csv: '[c]'"]["message"]
    assert "not as a Dask scheduler" in cases["--scheduler that accepts and says nothing"]["message"]


def test_a_dfe_download_cut_short_is_refused(tmp_path_factory):
    """A file cut inside a row (or inside its last value) is refused; one of fewer whole rows is a shorter
    file, and nothing can say it was cut (the case itself fails if a file cut inside a row is accepted)."""
    cases = _check_all(cases_of("truncated", tmp_path_factory))
    refused = [c for c in cases.values() if c["outcome"] == "refused"]
    assert all("cut short" in c["message"] for c in refused), [c["message"][:200] for c in refused]
    assert len(refused) >= 14 and len(cases) - len(refused) >= 2


def test_the_low_ones(tmp_path_factory):
    """Unicode digits, 1_000 and friends are not numbers; ids with spaces are the same id; NUL bytes are
    refused; a records error with several problems is one line on the command line."""
    cases = _check_all(cases_of("low", tmp_path_factory))
    accepted = sorted(n for n, c in cases.items() if c["outcome"] == "accepted")
    assert all(("' 7 '" in n or "'+7'" in n or "'1e1'" in n) for n in accepted), accepted
    assert "is duplicated" in cases["ids: 'f0' and 'f0' with a trailing space"]["message"]
    assert "NUL byte" in cases["records: a NUL byte in an id"]["message"]
    for name in ("cli: a records file with three problems", "cli: a grid with a bad records file"):
        assert cases[name]["outcome"] == "refused" and "; " in cases[name]["message"], cases[name]
