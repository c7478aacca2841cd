"""Hostile and careless inputs, one class at a time, run inside a contained process by ``test_fuzz.py``.

``python tests/fuzz_cases.py CLASS FOLDER`` runs every case of CLASS with files written under FOLDER
and prints one JSON object: each case's name, outcome (``refused``: the documented error, one message;
``accepted``: it ran; ``unexpected``: any other exception), the error's type and message, and the
seconds it took; and the process's peak resident memory. The parent sets the memory ceiling
(``RLIMIT_AS``) and the time limit, so a regression fails instead of exhausting the machine.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
import traceback
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

CASES: list[dict] = []


def case(name: str, fn, refused: tuple[type[BaseException], ...], *, accept: bool = False) -> None:
    """Run ``fn()``; record whether it raised one of ``refused`` (or ran, when ``accept``)."""
    started = time.perf_counter()
    try:
        fn()
        outcome, kind, message = ("accepted" if accept else "unexpected"), "", "ran without an error"
    except refused as err:
        outcome, kind, message = "refused", type(err).__name__, str(err)
    except BaseException as err:
        outcome, kind = "unexpected", type(err).__name__
        message = f"{err}\n{traceback.format_exc()}"[:3000]
    CASES.append(
        {
            "name": name,
            "outcome": outcome,
            "type": kind,
            "message": message[:5000],
            "length": len(message),
            "seconds": time.perf_counter() - started,
        }
    )


# ------------------------------------------------------------------ YAML: parameter files, grids, answers
BOMB = (
    'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\nseed: *e\n"
)
YAML_TEXTS: dict[str, bytes] = {
    "billion laughs": BOMB.encode(),
    "an alias only": b"seed: *a\n",
    "a merge key": b"base: &b {seed: 1}\nx:\n  <<: *b\n",
    "deep nesting": b"seed: " + b"[" * 5000 + b"]" * 5000 + b"\n",
    "deep block nesting": "".join(f"{'  ' * i}k{i}:\n" for i in range(200)).encode(),
    "over the size limit": b"seed: 1\n" + b"# padding\n" * 25_000,
    "too many values": b"seed: [" + b"1," * 12_000 + b"1]\n",
    "a huge string value": b"seed: '" + b"x" * 190_000 + b"'\n",
    "a huge key": b"'" + b"k" * 190_000 + b"': 1\n",
    "not UTF-8": b"seed: \xff\xfe\xfd\n",
    "binary junk": bytes(range(256)) * 8,
    "NUL bytes": b"seed: 1\x00\x00\n",
    "a python tag": b"seed: !!python/object/apply:os.system ['true']\n",
    "an unhashable key": b"? [1, 2]\n: 3\n",
    "a key given twice": b"seed: 1\nseed: 2\n",
    "a scalar": b"42\n",
    "a list of lists": b"- [1, 2]\n- [3]\n",
    "empty": b"",
    "only a comment": b"# nothing\n",
    "a mapping value": b"seed: {a: 1}\n",
    "many keys": ("\n".join(f"k{i}: {i}" for i in range(3_000)) + "\n").encode(),
}


def yaml_class(folder: Path) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from helpers.analyses import innovation_self_audit as audit
    from helpers.engine import catalog, yamlio
    from helpers.engine.runner import load_param_file, resolve_params
    from helpers.engine.sweep import GridError, read_grid, validate_points
    from helpers.params import ParameterError

    spec = catalog.module_for("kft_care_outcomes").PARAMETERS
    readers = {
        "parameter file": (lambda p: resolve_params("kft_care_outcomes", files=[p]), (ParameterError,)),
        "grid file": (lambda p: validate_points(spec, read_grid(p)), (GridError,)),
        "answers file": (lambda p: audit.read_answers(p), (audit.AnswersError,)),
    }
    for name, data in YAML_TEXTS.items():
        path = folder / "input.yaml"
        path.write_bytes(data)
        for reader, (fn, errors) in readers.items():
            case(f"{reader}: {name}", lambda fn=fn, path=path: fn(path), errors, accept=True)
    case("parameter file: a folder", lambda: load_param_file(folder), (ParameterError,))
    case("grid file: missing", lambda: read_grid(folder / "none.yaml"), (GridError,))

    alphabet = st.sampled_from(list("[]{}:,-&*!|>'\"\n #?%@`\\\t") + ["a", "1", "seed", "0.5", "<<", "!!str", "\u00e9"])

    @settings(max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(alphabet, max_size=40).map("".join))
    def random_text(text):
        try:
            yamlio.load(text)
        except yamlio.yaml.YAMLError as err:
            assert len(yamlio.error_text(err)) < 1000

    case("random YAML text (150 examples)", random_text, (), accept=True)


# ------------------------------------------------------------------ parameter values
def params_class(folder: Path) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from helpers.engine import catalog
    from helpers.params import ParameterError

    specials = [
        "nan",
        "inf",
        "-inf",
        "1e400",
        "-0",
        "9" * 5000,
        "\u0661\u0662",
        "0x10",
        "1_000",
        " 5 ",
        "",
        "true",
        "None",
        "1e-400",
        "5.0000000000000001",
        "\x00",
        "a" * 100_000,
    ]
    for entry in catalog.entries():
        spec = catalog.module_for(entry.stem).PARAMETERS
        for name in spec.names:
            for value in specials:

                def parse(name=name, value=value, spec=spec):
                    spec.parse([(name, value)])

                case(f"{entry.stem}.{name} = {value[:20]!r}", parse, (ParameterError,), accept=True)

    @settings(max_examples=100, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.sampled_from([e.stem for e in catalog.entries()]), st.data())
    def random_values(stem, data):
        spec = catalog.module_for(stem).PARAMETERS
        name = data.draw(st.sampled_from(list(spec.names)))
        value = data.draw(st.text(max_size=30))
        try:
            spec.parse([(name, value)])
        except ParameterError as err:
            assert "\n" not in str(err) and len(str(err)) < 1000

    case("random parameter text (100 examples)", random_values, (), accept=True)


# ------------------------------------------------------------------ users' records files
FRONTLINE_HEADER = "case_id,worker_id,training_route,months_open,visits"


def _frontline(rows: list[tuple]) -> str:
    return FRONTLINE_HEADER + "\n" + "\n".join(",".join(map(str, r)) for r in rows) + "\n"


def _good_rows(n: int = 12) -> list[tuple]:
    rows = []
    for i in range(n):
        rows.append((f"f{i}", f"fw{i % 3}", "frontline", 6, 10 + i % 7))
        rows.append((f"o{i}", f"ow{i % 3}", "other", 6, 8 + i % 5))
    return rows


def records_class(folder: Path) -> None:
    from helpers.analyses import frontline_visits as fv
    from helpers.analyses import link_worker_monitoring as lw
    from helpers.inputs.records import RecordsError

    def with_value(column: str, value) -> str:
        rows = _good_rows()
        index = FRONTLINE_HEADER.split(",").index(column)
        first = list(rows[0])
        first[index] = value
        rows[0] = tuple(first)
        return _frontline(rows)

    texts: dict[str, bytes] = {}
    for column, values in (
        ("visits", ["100000000", "9000000000000000000", "1e30", "-1", "1.5", "nan", "inf", ""]),
        ("months_open", ["1e300", "0", "-1", "nan", "inf", "1e-320", "100000"]),
    ):
        for v in values:
            texts[f"{column} = {v!r}"] = with_value(column, v).encode()
    texts["n_workers = 1e9"] = (
        FRONTLINE_HEADER
        + ",n_workers\n"
        + "".join(f"{','.join(map(str, r))},{1_000_000_000 if i == 0 else 2}\n" for i, r in enumerate(_good_rows()))
    ).encode()
    texts["header only"] = (FRONTLINE_HEADER + "\n").encode()
    texts["empty file"] = b""
    texts["not UTF-8"] = _frontline(_good_rows()).replace("fw0", "f\xe9w0").encode("latin-1")
    texts["NUL bytes"] = _frontline(_good_rows()).encode().replace(b"fw1", b"f\x00w1")
    texts["5000 columns"] = (",".join(f"c{i}" for i in range(5000)) + "\n" + ",".join("1" * 5000) + "\n").encode()
    texts["a repeated header"] = (
        "case_id,case_id,training_route,months_open,visits\n"
        + "\n".join(",".join(map(str, r)) for r in _good_rows())
        + "\n"
    ).encode()
    texts["ragged rows"] = (_frontline(_good_rows()) + "x,y\n1,2,3,4,5,6,7\n").encode()
    texts["an unclosed quote"] = (_frontline(_good_rows()) + '"x,y,frontline,6,3\n').encode()
    texts["a route of 3 cases"] = _frontline(
        [r for r in _good_rows() if r[2] == "frontline"] + [r for r in _good_rows() if r[2] == "other"][:3]
    ).encode()
    for name, data in texts.items():
        path = folder / "records.csv"
        path.write_bytes(data)
        case(
            f"frontline records: {name}",
            lambda p=path: fv.run({"data_path": str(p)}),
            (RecordsError,),
            accept=name == "NUL bytes",
        )  # a NUL inside an identifier is still an identifier
    big = folder / "big.csv"
    with big.open("wb") as handle:
        handle.write(FRONTLINE_HEADER.encode() + b"\n")
        row = b"c,w,frontline,6,3," + b"x" * 1000 + b"\n"
        for _ in range(21_000):
            handle.write(row)
    case("frontline records: over the size limit", lambda: fv.load_records(big), (RecordsError,))
    # Accepted extremes: the largest allowed values run, in bounded time and memory.
    rows = _good_rows()
    rows[0] = ("f0", "fw0", "frontline", fv.MAX_MONTHS_OPEN, fv.MAX_VISITS)
    path = folder / "extreme.csv"
    path.write_text(_frontline(rows))
    case(
        "frontline records: the largest allowed visits and months",
        lambda: fv.run({"data_path": str(path)}),
        (),
        accept=True,
    )
    many = [(f"c{i}", f"w{i % 40}", "frontline" if i % 40 < 20 else "other", 6, i) for i in range(3000)]
    path = folder / "distinct.csv"
    path.write_text(_frontline(many))
    case("frontline records: 3000 distinct visit counts", lambda: fv.run({"data_path": str(path)}), (), accept=True)
    lines = ["case_id,centre,link_worker,professionals"] + [
        f"{g}{i},{g}c{i % 3},{g},{100_000_000 if i == 0 else i % 4}" for g in ("yes", "no") for i in range(10)
    ]
    path = folder / "link.csv"
    path.write_text("\n".join(lines) + "\n")
    case("link worker records: professionals = 1e8", lambda: lw.run({"data_path": str(path)}), (RecordsError,))


# ------------------------------------------------------------------ the run cache
def cache_class(folder: Path) -> None:
    from helpers.engine import cache
    from helpers.engine.paths import FolderSettingError

    store = cache.RunCache(folder / "c")
    stem = "kft_care_outcomes"
    notebook = folder / "nb.ipynb"
    notebook.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n')

    def fresh(key: str):
        store.discard_damaged(stem, key)
        return store.store(stem, key, {"p": 1}, {"x": 1.0}, how="papermill", notebook=notebook)

    damages = {
        "truncated notebook": lambda e: (e.path / f"{stem}.ipynb").write_bytes(b'{"cells": ['),
        "empty results": lambda e: (e.path / "results.json").write_text(""),
        "results changed": lambda e: (e.path / "results.json").write_text('{"x": 2.0}\n'),
        "params removed": lambda e: (e.path / "params.json").unlink(),
        "meta garbage": lambda e: (e.path / "meta.json").write_bytes(b"\xff\x00garbage"),
        "meta a list": lambda e: (e.path / "meta.json").write_text("[]"),
        "meta files point outside": lambda e: (e.path / "meta.json").write_text(
            json.dumps({**e.meta, "files": {**e.meta["files"], "../../../etc/passwd": "0" * 64}})
        ),
        "meta without checksums": lambda e: (e.path / "meta.json").write_text(
            json.dumps({k: v for k, v in e.meta.items() if k != "files"})
        ),
        "results a folder": lambda e: ((e.path / "results.json").unlink(), (e.path / "results.json").mkdir()),
        "notebook a folder": lambda e: ((e.path / f"{stem}.ipynb").unlink(), (e.path / f"{stem}.ipynb").mkdir()),
    }

    class Served(Exception):
        pass

    for i, (name, damage) in enumerate(damages.items()):
        key = f"{i:064d}"

        def attempt(key=key, damage=damage):
            damage(fresh(key))
            entry, problem = store.check(stem, key)
            if entry is not None:
                raise AssertionError("a damaged entry was served")
            if not problem:
                raise AssertionError("no reason given")
            store.info()  # counts it without failing
            raise Served(problem)

        case(f"cache entry: {name}", attempt, (Served,))
    case("cache info with damaged entries", lambda: store.clear(stale_only=True), (), accept=True)
    afile = folder / "afile"
    afile.write_text("x")
    os.environ[cache.ENV_VAR] = str(afile / "sub")
    case("cache folder under a file", lambda: cache.RunCache(), (FolderSettingError,))


# ------------------------------------------------------------------ the command line
def cli_class(folder: Path) -> None:
    import contextlib
    import io

    from helpers.engine import cli

    os.environ["COMPENDIUM_CACHE"] = str(folder / "cache")
    os.environ["COMPENDIUM_RUNS"] = str(folder / "runs")
    (folder / "grid.yaml").write_text("target_home_rate: [0.5, 0.6]\npsa_draws: [200, 300]\n")
    (folder / "afile").write_text("x")

    class Exit(Exception):
        pass

    def main(*argv: str, status: int = 2):
        def fn():
            err = io.StringIO()
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                try:
                    code = cli.main(list(argv))
                except SystemExit as e:  # argparse's usage errors
                    code = e.code
            text = err.getvalue().strip()
            if "Traceback" in text:
                raise AssertionError(text)
            if code != status:
                raise AssertionError(f"exit status {code}, expected {status}: {text}")
            last = text.splitlines()[-1] if text else ""
            raise Exit(last)

        return fn

    g = str(folder / "grid.yaml")
    cases = {
        "unknown notebook": main("run", "nope"),
        "a parameter that does not exist": main("run", "kft_care_outcomes", "-p", "nope", "1"),
        "a huge parameter value": main("run", "kft_care_outcomes", "-p", "seed", "9" * 100_000),
        "a grid over --max-points": main("sweep", "kft_care_outcomes", "--grid", g, "--max-points", "3"),
        "--max-points 0": main("sweep", "kft_care_outcomes", "--grid", g, "--max-points", "0"),
        "--timeout nan": main("sweep", "kft_care_outcomes", "--grid", g, "--timeout", "nan"),
        "a malformed scheduler": main("sweep", "kft_care_outcomes", "--grid", g, "--scheduler", "bogus"),
        "a closed scheduler port": main("sweep", "kft_care_outcomes", "--grid", g, "--scheduler", "tcp://127.0.0.1:1"),
        "--out under a file": main("run", "kft_care_outcomes", "--out", str(folder / "afile" / "x")),
        "a grid that is a folder": main("sweep", "kft_care_outcomes", "--grid", str(folder)),
        "a data_path that is a folder": main("run", "frontline_visits", "-p", "data_path", str(folder)),
    }
    for name, fn in cases.items():
        case(f"cli: {name}", fn, (Exit,))
    os.environ["COMPENDIUM_CACHE"] = str(folder / "afile")
    case("cli: COMPENDIUM_CACHE is a file", main("cache", "info"), (Exit,))
    os.environ["COMPENDIUM_CACHE"] = str(folder / "cache")

    # Ctrl-C while the notebook runs: exit 130, and nothing left that looks like a result.
    import papermill

    def interrupted(source, target, **kwargs):
        Path(target).write_text('{"cells": [')  # half an executed notebook
        raise KeyboardInterrupt

    papermill.execute_notebook = interrupted
    out = folder / "interrupted"

    def ctrl_c():
        main("run", "kft_care_outcomes", "--out", str(out), "--no-cache", status=130)()

    case("cli: Ctrl-C during a run", ctrl_c, (Exit,))
    CASES[-1]["left_behind"] = sorted(p.name for p in out.iterdir()) if out.exists() else None


CLASSES = {"yaml": yaml_class, "params": params_class, "records": records_class, "cache": cache_class, "cli": cli_class}


def warm() -> None:
    """Import what the cases use before any case is timed: under load a first import of pandas, statsmodels
    and the analyses takes many seconds, which is not the work a case's time limit is about."""
    import nbformat  # noqa: F401

    import helpers.engine.sweep  # noqa: F401
    from helpers.engine import catalog, cli  # noqa: F401

    for stem in catalog.stems():
        _ = catalog.module_for(stem).run  # loads the analysis behind the lazy package


if __name__ == "__main__":
    sys.modules.setdefault("fuzz_cases", sys.modules["__main__"])  # the second round's classes record here too
    from fuzz_round2 import CLASSES as ROUND2

    CLASSES.update(ROUND2)
    warm()
    CLASSES[sys.argv[1]](Path(sys.argv[2]))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"cases": CASES, "peak_rss_mb": peak_mb}))
