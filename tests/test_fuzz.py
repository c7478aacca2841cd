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
#: Longest a single case may take, and a whole class.
CASE_SECONDS = 20
CLASS_SECONDS = 120
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
        timeout=CLASS_SECONDS,
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
