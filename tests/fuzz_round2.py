"""The second round of hostile input (issue 24), one class at a time, run by ``fuzz_cases.py`` in a contained process.

Each class keeps the round's reproductions and tries more of the same kind; ``test_fuzz.py`` checks each
case's outcome. The classes: ``disclosure`` (a small count worked out from one run's outputs),
``bounded`` (files that are too large, or large and valid), ``outputs`` (a cache that cannot be written),
``protected`` (folders nothing may write into), ``formula`` (spreadsheet formulas in a sweep's CSV),
``precheck`` (a sweep's files and ``--plot`` names checked before anything starts), ``tracebacks`` (huge
YAML integers, DfE symbols in England's row, a scheduler that does not answer as one), ``truncated`` (a
DfE download cut short) and ``low`` (Unicode digits, ``1_000``, ids with spaces, NUL bytes, one-line
errors).
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import shutil
import socket
import threading
from pathlib import Path

from fuzz_cases import CASES, case


class Exit(Exception):
    """How a command ended: its exit status and the last line of what it printed on stderr."""


def command(*argv: str, status: int = 2, lines: int | None = 1):
    """A case that runs ``compendium ARGV`` in-process and ends in :class:`Exit` when it exits with
    ``status``, with no traceback and (``lines``) that many lines on stderr; anything else is unexpected."""

    def fn():
        from helpers.engine import cli

        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            try:
                code = cli.main(list(argv))
            except SystemExit as e:
                code = e.code
        text = err.getvalue().strip()
        if "Traceback" in text:
            raise AssertionError(text[-2000:])
        if code != status:
            raise AssertionError(f"exit status {code}, expected {status}: {text[-1500:]}")
        shown = [line for line in text.splitlines() if line.strip()]
        if lines is not None and status != 0 and len(shown) != lines:
            raise AssertionError(f"{len(shown)} lines on stderr, expected {lines}: {text[-1500:]}")
        raise Exit(shown[-1] if shown else "")

    return fn


def _frontline_csv(visits: dict[str, list[int]]) -> str:
    rows = ["case_id,worker_id,training_route,months_open,visits"]
    for route, vs in visits.items():
        rows += [f"{route[0]}{i},{route[0]}w{i % 3},{route},6,{v}" for i, v in enumerate(vs)]
    return "\n".join(rows) + "\n"


# ------------------------------------------------------------------ 1. disclosure
def disclosure_class(folder: Path) -> None:
    import numpy as np

    from helpers.analyses import frontline_visits as fv
    from helpers.analyses import link_worker_monitoring as lw
    from helpers.inputs.records import RecordsError
    from helpers.inputs.suppression import determined
    from test_disclosure import _link_leaks, _link_records, _published_equations, _records

    class Leak(AssertionError):
        pass

    def frontline(visits, k):
        def fn():
            try:
                result = fv.run({"data_path": str(_records(folder, visits)), "min_cell_count": k})
            except RecordsError as err:  # refused by name: nothing shown
                if any(words in str(err) for words in ("min_cell_count", "standard error", "did not converge")):
                    raise
                raise AssertionError(str(err)) from None
            eqs, targets, values = _published_equations(result, visits)
            small = [v for v, fixed in zip(values, determined(eqs, targets), strict=True) if fixed and 0 < v < k]
            if small:
                raise Leak(f"counts {small[:5]} can be worked out")

        return fn

    def link(values, k):
        def fn():
            try:
                r = lw.run({"data_path": str(_link_records(folder, values)), "min_cell_count": k})
            except (RecordsError, ValueError) as err:
                if "min_cell_count" in str(err) or "could not protect" in str(err):
                    raise
                raise AssertionError(str(err)) from None
            if leaks := _link_leaks(r, values, k):
                raise Leak(f"counts {leaks[:3]} can be worked out")

        return fn

    # The round's reproductions: a route's mean and size with a two-value merged bin; a group's mean and
    # variance with a hidden band cell.
    case(
        "frontline: mean and size split a merged bin (the reproduction)",
        frontline(
            {
                "frontline": [1] * 5 + [2] * 5 + [4] * 3 + [5] * 2 + [9] * 6 + [10] * 6,
                "other": [1] * 5 + [2] * 5 + [4] * 5 + [5] * 5 + [9] * 6 + [10] * 6,
            },
            5,
        ),
        (RecordsError,),
        accept=True,
    )
    case(
        "link worker: means and variances fix a hidden band cell (the reproduction)",
        link({"yes": [0] * 9 + [1] * 2 + [2] * 8, "no": [0] * 12 + [1] * 7 + [3] * 6 + [4] * 9}, 5),
        (RecordsError, ValueError),
        accept=True,
    )
    case(
        "frontline: every case of a route at two values (size and mean fix both)",
        frontline({"frontline": [3] * 3 + [12] * 9, "other": [4] * 6 + [13] * 6}, 5),
        (RecordsError,),
        accept=True,
    )
    case(
        "frontline: one case one visit above its bin's least (a sum at the edge)",
        frontline({"frontline": [9] * 11 + [10] + [2] * 6, "other": [2] * 6 + [9] * 6 + [11] * 6}, 5),
        (RecordsError,),
        accept=True,
    )
    rng = np.random.default_rng(24)

    def draw(groups: tuple[str, str], smallest: int, largest: int, top: int) -> dict[str, list[int]]:
        out = {
            g: [int(v) for v in rng.integers(0, int(rng.integers(2, top)), int(rng.integers(smallest, largest)))]
            for g in groups
        }
        for g in out:
            out[g][0] = max(out[g][0], 1)  # a route needs a visit, a group a professional
        return out

    for page, runs, groups, smallest, top, errors in (
        ("frontline", 40, ("frontline", "other"), 6, 15, (RecordsError,)),
        ("link worker", 20, ("yes", "no"), 5, 8, (RecordsError, ValueError)),
    ):
        for i in range(runs):
            k = int(rng.integers(2, 7))
            check = (frontline if page == "frontline" else link)(draw(groups, max(k, smallest), 26, top), k)
            case(f"{page}: random records {i + 1} (min_cell_count {k})", check, errors, accept=True)


# ------------------------------------------------------------------ 2. bounded work
def _dfe_rows(n_authorities: int) -> str:
    """A children file in DfE's layout with ``n_authorities`` made-up authorities (valid, unique keys)."""
    header = (
        "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
        "old_la_code,la_name,new_la_code,cla_group,sw_stability,number,percentage"
    )
    lines = [header]
    total, three = 100 * n_authorities, 30 * n_authorities
    for label, n in (("Total children", total), ("3 or more social workers during the year", three)):
        lines.append(f"2024,Reporting year,National,E92000001,England,,,,,,CLA on 31 March,{label},{n},")
    for i in range(n_authorities):
        for label, n in (("Total children", 100), ("3 or more social workers during the year", 30)):
            lines.append(
                f"2024,Reporting year,Local authority,E92000001,England,E12000001,North East,{i % 1000},"
                f"Authority {i},E{i:08d},CLA on 31 March,{label},{n},"
            )
    return "\n".join(lines) + "\n"


def bounded_class(folder: Path) -> None:
    from helpers.analyses import frontline_visits as fv
    from helpers.analyses import link_worker_monitoring as lw
    from helpers.analyses import national_context as nc
    from helpers.inputs.dfe import DfeFileError, read_ees
    from helpers.inputs.records import MAX_FILE_BYTES, MAX_ROWS, RecordsError
    from helpers.params import ParameterError

    for name, size in (("150 MB", 150_000_000), ("3 GB, sparse", 3_000_000_000), ("one byte over", MAX_FILE_BYTES + 1)):
        path = folder / "big_dfe.csv"
        with open(path, "wb") as handle:
            handle.write(b"time_period,time_identifier\n")
            handle.truncate(size)  # sparse: no disk used, but a reader that reads it all would
        case(f"DfE file of {name}", lambda path=path: read_ees(path), (DfeFileError,))
        dfe = folder / f"dfe_{size}"
        dfe.mkdir()
        shutil.copy(path, dfe / "la_cla_swcount.csv")
        (dfe / "csww_indicators_2017_to_2025.csv").write_text("x\n")
        case(
            f"dfe_data_dir with a children file of {name}",
            lambda d=dfe: nc.check_inputs({"dfe_data_dir": str(d)}),
            (DfeFileError, ParameterError),
        )
        path.unlink()
        (dfe / "la_cla_swcount.csv").unlink()
    # A large valid DfE file, just under the size limit: read in seconds.
    valid = folder / "valid_dfe.csv"
    per_authority = len(_dfe_rows(1000)) / 1000
    valid.write_text(_dfe_rows(int(0.9 * MAX_FILE_BYTES / per_authority)))
    case(
        f"a valid DfE file of {valid.stat().st_size:,} bytes",
        lambda: read_ees(valid, indicators=("number",)),
        (),
        accept=True,
    )
    valid.unlink()

    def frontline_rows(n_rows: int) -> Path:
        path = folder / "many.csv"
        with open(path, "w") as handle:
            handle.write("case_id,worker_id,training_route,months_open,visits\n")
            for i in range(n_rows):
                route = "frontline" if i % 2 else "other"
                handle.write(f"{i},{route[0]}{i % 500},{route},6,{5 + i % 13}\n")
        return path

    path = frontline_rows(MAX_ROWS + 1)
    case("frontline records: one row over MAX_ROWS", lambda: fv.load_records(path), (RecordsError,))
    path = frontline_rows(50_000)
    case("frontline records: 50,000 valid rows", lambda: fv.run({"data_path": str(path)}), (), accept=True)
    link = folder / "link.csv"
    with open(link, "w") as handle:
        handle.write("case_id,centre,link_worker,professionals\n")
        for i in range(950_000):  # under 20 MB, about a million rows: the round's reproduction
            handle.write(f"{i},{i},{'yes' if i % 2 else 'no'},{i % 5}\n")
    case("link worker records: 950,000 rows, a centre each", lambda: lw.run({"data_path": str(link)}), (RecordsError,))
    with open(link, "w") as handle:
        handle.write("case_id,centre,link_worker,professionals\n")
        for i in range(100_000):
            handle.write(f"{i},{i},{'yes' if i % 2 else 'no'},{i % 5}\n")
    case(
        "link worker records: 100,000 valid rows, a centre each",
        lambda: lw.run({"data_path": str(link)}),
        (),
        accept=True,
    )


# ------------------------------------------------------------------ 3. outputs first
def outputs_class(folder: Path) -> None:
    """A run whose cache cannot be written or read keeps its outputs. The notebook's execution is replaced by
    a copy of the committed notebook (what Papermill would write), so each case takes a second."""
    import papermill

    from helpers.engine import cache
    from helpers.engine.paths import NOTEBOOKS

    os.environ["COMPENDIUM_CACHE"] = str(folder / "cache")
    papermill.execute_notebook = lambda source, target, **kwargs: shutil.copyfile(NOTEBOOKS / Path(source).name, target)
    real_store, real_check = cache.RunCache.store, cache.RunCache.check

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(folder / "cache" / "tmp"))

    def unreadable(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(folder / "cache" / "entries"))

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(folder / "cache" / "tmp"))

    for name, patch in (
        ("the cache is full", {"store": full}),
        ("the cache is read-only", {"store": read_only}),
        ("the cache cannot be read", {"check": unreadable}),
        ("the cache can be neither read nor written", {"check": unreadable, "store": full}),
    ):
        out = folder / name.replace(" ", "-")
        for attr, fn in patch.items():
            setattr(cache.RunCache, attr, fn)

        def attempt(out=out):
            try:
                command("run", "kft_care_outcomes", "--out", str(out), "--no-progress", status=0, lines=None)()
            except Exit as done:
                if not (out / "results.json").is_file() or not (out / "kft_care_outcomes.ipynb").is_file():
                    raise AssertionError(f"outputs lost: {sorted(p.name for p in out.iterdir())}") from None
                if "warning" not in str(done):
                    raise AssertionError(f"no warning: {done}") from None
                raise

        case(f"run: {name}", attempt, (Exit,))
        cache.RunCache.store, cache.RunCache.check = real_store, real_check


# ------------------------------------------------------------------ 4. protected folders
def protected_class(folder: Path) -> None:
    from helpers.engine.paths import ROOT

    links = folder / "links"
    links.mkdir()
    for name, target in (
        ("to-notebooks", "notebooks"),
        ("to-helpers", "src/helpers"),
        ("to-venv", ".venv"),
        ("to-data", "data"),
    ):
        (links / name).symlink_to(ROOT / target, target_is_directory=True)
    places = {
        "notebooks/": str(ROOT / "notebooks"),
        "src/helpers/": str(ROOT / "src" / "helpers"),
        "a new folder in notebooks/": str(ROOT / "notebooks" / "new"),
        "a symbolic link to notebooks/": str(links / "to-notebooks"),
        "a folder under a link to src/helpers": str(links / "to-helpers" / "runs"),
        ".git/": str(ROOT / ".git" / "runs"),
        ".venv/": str(ROOT / ".venv" / "runs"),
        "a link to .venv": str(links / "to-venv" / "x"),
        "data/ through a link": str(links / "to-data" / "x"),
    }
    before = sorted(str(p) for p in (ROOT / "notebooks").iterdir())
    for variable in ("COMPENDIUM_RUNS", "COMPENDIUM_CACHE"):
        for name, place in places.items():
            os.environ[variable] = place

            def attempt(variable=variable):
                command("run", "kft_care_outcomes", "--no-progress")()

            case(f"{variable} = {name}", attempt, (Exit,))
            os.environ[variable] = str(folder / variable.lower())
    for name, place in places.items():
        case(f"--out {name}", command("run", "kft_care_outcomes", "--out", place, "--no-progress"), (Exit,))
        case(
            f"sweep --out {name}",
            command("sweep", "kft_care_outcomes", "--grid", str(_grid(folder)), "--out", place, "--no-progress"),
            (Exit,),
        )
    CASES[-1]["notebooks_unchanged"] = sorted(str(p) for p in (ROOT / "notebooks").iterdir()) == before


def _grid(folder: Path) -> Path:
    path = folder / "grid.yaml"
    path.write_text("target_home_rate: [0.5, 0.6]\npsa_draws: [200]\n")
    return path


# ------------------------------------------------------------------ 5. formulas in CSV outputs
def formula_class(folder: Path) -> None:
    import pandas as pd
    import yaml

    from helpers.analyses import innovation_self_audit as audit
    from helpers.engine.sweep.grid import Point
    from helpers.engine.sweep.outputs import FORMULA_PREFIXES, PointOutcome, sweep_table, write_table

    spec = audit.PARAMETERS
    example = yaml.safe_load(audit.answers_file(spec.defaults()["answers_path"]).read_text(encoding="utf-8"))
    for prefix in ("=", "+", "-", "@", "\t", "\r", "=HYPERLINK(", "+cmd|'/c calc'!A0", "@SUM(1+1)*cmd"):
        name = f"{prefix}service"

        def attempt(name=name, prefix=prefix):
            answers = folder / "answers.yaml"
            answers.write_text(yaml.safe_dump({**example, "service": name}, sort_keys=False), encoding="utf-8")
            params = dict(spec.validate({"answers_path": str(answers)}))
            result = audit.run(params)
            outcome = PointOutcome(Point(1, {}, params, "k"), "ok", "computed", dict(result.scalars), 0.1)
            csv = folder / "results.csv"
            write_table(sweep_table(spec, [outcome]), folder / "results.parquet", csv)
            cell = pd.read_csv(csv, dtype=str, keep_default_na=False)["result.service"].iloc[0]
            value = result.scalars["service"]  # the answers reader may strip spaces, tabs and line ends
            if cell != (f"'{value}" if value.startswith(FORMULA_PREFIXES) else value):
                raise AssertionError(f"the CSV cell {cell!r} for {value!r} is not neutralised")
            if pd.read_parquet(folder / "results.parquet")["result.service"].iloc[0] != value:
                raise AssertionError("the Parquet value was changed")
            raise Exit(cell)

        case(f"answers file service name starting {prefix!r}", attempt, (Exit,))
    for prefix in FORMULA_PREFIXES:

        def direct(prefix=prefix):
            table = pd.DataFrame({"result.text": [f"{prefix}1+1", "plain"], "result.number": [-1.5, 2.0]})
            csv = folder / "direct.csv"
            write_table(table, folder / "direct.parquet", csv)
            cells = pd.read_csv(csv, dtype=str, keep_default_na=False)
            if cells["result.text"].tolist() != [f"'{prefix}1+1", "plain"] or cells["result.number"].iloc[0] != "-1.5":
                raise AssertionError(f"{cells.to_dict('list')}")
            raise Exit(cells["result.text"].iloc[0])

        case(f"a text result starting {prefix!r} written straight to the table", direct, (Exit,))


# ------------------------------------------------------------------ 6. a sweep checks before it starts
def precheck_class(folder: Path) -> None:
    from helpers.engine.sweep import cluster

    def no_cluster(*args, **kwargs):
        raise AssertionError("a cluster was started before the inputs were checked")

    cluster.start_client = no_cluster
    import helpers.engine.sweep.run as sweep_run

    sweep_run.start_client = no_cluster
    os.environ["COMPENDIUM_RUNS"] = str(folder / "runs")
    bad = folder / "bad.csv"
    bad.write_text(_frontline_csv({"frontline": [5] * 8 + [-1], "other": [4] * 9}))
    good = folder / "good.csv"
    good.write_text(
        _frontline_csv({"frontline": [5 + i % 7 for i in range(12)], "other": [4 + i % 5 for i in range(12)]})
    )
    grids = {
        "a bad data_path": f"data_path: ['{bad}']\nmin_cell_count: [5]\n",
        "a good and a bad data_path": f"data_path: ['{good}', '{bad}']\n",
        "a data_path that is a folder": f"data_path: ['{folder}']\n",
        "a data_path too small for min_cell_count in one point": f"data_path: ['{good}']\nmin_cell_count: [5, 30]\n",
    }
    for name, text in grids.items():
        grid = folder / "grid.yaml"
        grid.write_text(text)
        case(
            f"frontline sweep: {name}",
            command("sweep", "frontline_visits", "--grid", str(grid), "--no-progress"),
            (Exit,),
        )
    grid = _grid(folder)
    for name, plot in (
        ("an unknown result", "no_such_result:target_home_rate"),
        ("a text result", "target_verdict:target_home_rate"),
        ("an unknown parameter", "p_value:no_such_param"),
    ):
        case(
            f"kft sweep --plot {name}",
            command("sweep", "kft_care_outcomes", "--grid", str(grid), "--plot", plot, "--no-progress"),
            (Exit,),
        )
    answers = folder / "answers.yaml"
    answers.write_text("service: x\nratings: {nope: 9}\n")
    grid.write_text(f"answers_path: ['{answers}']\n")
    case(
        "self-audit sweep: a bad answers file",
        command("sweep", "innovation_self_audit", "--grid", str(grid), "--no-progress"),
        (Exit,),
    )


# ------------------------------------------------------------------ 7. tracebacks that were
class _Silent:
    """A TCP server on 127.0.0.1 that accepts and then says nothing (or says something that is not Dask)."""

    def __init__(self, reply: bytes = b""):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.reply = reply
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def address(self) -> str:
        return f"tcp://127.0.0.1:{self.sock.getsockname()[1]}"

    def _serve(self) -> None:
        kept = []
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            if self.reply:
                with contextlib.suppress(OSError):
                    conn.sendall(self.reply)
            kept.append(conn)


def tracebacks_class(folder: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from dfe_data import write_synthetic
    from helpers.analyses import innovation_self_audit as audit
    from helpers.analyses import national_context as nc
    from helpers.engine import catalog
    from helpers.engine.runner import resolve_params
    from helpers.engine.sweep import GridError, read_grid, validate_points
    from helpers.inputs.dfe import DfeFileError
    from helpers.params import ParameterError

    spec = catalog.module_for("kft_care_outcomes").PARAMETERS
    for digits in (4301, 5000, 100_000):
        big = "9" * digits
        for where, text in (
            ("a value", f"seed: {big}\n"),
            ("a key", f"{big}: 1\n"),
            ("a list", f"seed: [1, -{big}]\n"),
        ):
            path = folder / "big.yaml"
            path.write_text(text)
            case(
                f"parameter file: {where} of {digits} digits",
                lambda p=path: resolve_params("kft_care_outcomes", files=[p]),
                (ParameterError,),
            )
            case(
                f"grid file: {where} of {digits} digits",
                lambda p=path: validate_points(spec, read_grid(p)),
                (GridError,),
            )
            case(
                f"answers file: {where} of {digits} digits", lambda p=path: audit.read_answers(p), (audit.AnswersError,)
            )
    for symbol in ("[c]", "[x]", "[z]", "c", "x", "z", "", "low", ":", "~"):
        for file, line, field in (("la_cla_swcount.csv", 1, -2), ("csww_indicators_2023_to_2024.csv", 1, 10)):
            dfe = folder / "dfe"
            shutil.rmtree(dfe, ignore_errors=True)
            dfe.mkdir()
            write_synthetic(dfe)
            lines = (dfe / file).read_bytes().decode("utf-8-sig").splitlines()
            parts = lines[line].split(",")
            parts[field] = symbol
            lines[line] = ",".join(parts)
            (dfe / file).write_text("\n".join(lines) + "\n")
            case(
                f"England row of {file}: {symbol!r}",
                lambda d=dfe: nc.check_inputs({"dfe_data_dir": str(d)}),
                (DfeFileError,),
            )
    silent, garbage = _Silent(), _Silent(b"HTTP/1.0 200 OK\r\n\r\n" + b"\xff" * 64)
    grid = _grid(folder)
    for name, address in (
        ("accepts and says nothing", silent.address),
        ("answers as an HTTP server", garbage.address),
        ("a closed port", "tcp://127.0.0.1:1"),
        ("a host that does not exist", "tcp://no-such-host.invalid:8786"),
        ("an address that routes nowhere", "tcp://10.255.255.1:8786"),
    ):
        case(
            f"--scheduler that {name}",
            command("sweep", "kft_care_outcomes", "--grid", str(grid), "--scheduler", address),
            (Exit,),
        )


# ------------------------------------------------------------------ 8. a DfE download cut short
def truncated_class(folder: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from dfe_data import write_synthetic
    from helpers.analyses import national_context as nc
    from helpers.inputs.dfe import DfeFileError

    dfe = folder / "dfe"
    dfe.mkdir()
    write_synthetic(dfe)
    for file in ("la_cla_swcount.csv", "csww_indicators_2023_to_2024.csv"):
        whole = (dfe / file).read_bytes()
        row_ends = {i + 1 for i, b in enumerate(whole) if b == 0x0A}
        last_row = max(i for i in row_ends if i < len(whole))  # whole rows only: a shorter file, not detectable
        for cut in (
            len(whole) - 1,
            len(whole) - 2,
            len(whole) - 9,
            len(whole) // 2,
            len(whole) // 3 + 7,
            300,
            120,
            last_row,
        ):
            (dfe / file).write_bytes(whole[:cut])
            at_row_end = cut in row_ends

            def attempt(at_row_end=at_row_end):
                nc.check_inputs({"dfe_data_dir": str(dfe)})
                if not at_row_end:
                    raise AssertionError("a file cut inside a row was accepted")

            case(f"{file} cut at byte {cut} of {len(whole)}", attempt, (DfeFileError,), accept=at_row_end)
        (dfe / file).write_bytes(whole)
    # The round's reproduction: the real children file with its last row cut mid-field.
    import shared_files

    with contextlib.suppress(BaseException):
        real = shared_files.dfe_dir()
        cut = folder / "real"
        cut.mkdir()
        for name in shared_files.DFE_FILES:
            shutil.copy(real / name, cut / name)
        data = (cut / "la_cla_swcount.csv").read_bytes()
        (cut / "la_cla_swcount.csv").write_bytes(data[: data.rstrip(b"\n").rfind(b",") - 3])
        case(
            "the real children file, its last row cut mid-field",
            lambda: nc.check_inputs({"dfe_data_dir": str(cut)}),
            (DfeFileError,),
        )


# ------------------------------------------------------------------ 9. the low ones
def low_class(folder: Path) -> None:
    from helpers.analyses import frontline_visits as fv
    from helpers.analyses import innovation_self_audit as audit
    from helpers.engine import catalog
    from helpers.engine.runner import resolve_params
    from helpers.inputs.records import RecordsError
    from helpers.params import ParameterError

    spec = catalog.module_for("kft_care_outcomes").PARAMETERS
    good = {"frontline": [5 + i % 7 for i in range(12)], "other": [4 + i % 5 for i in range(12)]}
    text = _frontline_csv(good)
    for written in ("\u0661\u0662", "\uff15", "1_000", "1_0", "0x10", "1e1", "\u0969", "\u00b2", " 7 ", "+7"):
        for param in ("psa_draws", "seed", "target_home_rate"):
            case(
                f"-p {param} {written!r}",
                lambda p=param, w=written: spec.parse([(p, w)]),
                (ParameterError,),
                accept=written in (" 7 ", "+7") and param == "seed",
            )
        path = folder / "params.yaml"
        path.write_text(f"seed: {written}\n", encoding="utf-8")
        case(
            f"parameter file seed: {written!r}",
            lambda p=path: resolve_params("kft_care_outcomes", files=[p]),
            (ParameterError,),
            accept=written.strip() in ("+7", "7", "1e1"),
        )
        records = folder / "records.csv"
        records.write_text(text.replace("f0,fw0,frontline,6,5", f"f0,fw0,frontline,6,{written}"), encoding="utf-8")
        case(
            f"records visits = {written!r}",
            lambda p=records: fv.load_records(p),
            (RecordsError,),
            accept=written.strip() in ("7", "+7"),
        )
        records.write_text(text.replace("f0,fw0,frontline,6,5", f"f0,fw0,frontline,{written},5"), encoding="utf-8")
        case(
            f"records months_open = {written!r}",
            lambda p=records: fv.load_records(p),
            (RecordsError,),
            accept=written.strip() in ("7", "+7", "1e1"),
        )
    for name, replacement in (
        ("trailing space", "f0 ,fw0,frontline,6,5"),
        ("leading space", " f0,fw0,frontline,6,5"),
        ("tab", "f0\t,fw0,frontline,6,5"),
        ("quoted with spaces", '" f0 ",fw0,frontline,6,5'),
    ):
        records = folder / "records.csv"
        records.write_text(
            text.replace("f1,fw1,frontline,6,6", replacement.replace("f0", "f1") if False else replacement),
            encoding="utf-8",
        )
        case(f"ids: 'f0' and 'f0' with a {name}", lambda p=records: fv.load_records(p), (RecordsError,))
    for where in ("an id", "a route", "a number", "the header"):
        data = text.encode()
        target = {"an id": b"fw1", "a route": b"other", "a number": b",6,", "the header": b"visits"}[where]
        records = folder / "records.csv"
        records.write_bytes(data.replace(target, target[:1] + b"\x00" + target[1:], 1))
        case(f"records: a NUL byte in {where}", lambda p=records: fv.load_records(p), (RecordsError,))
    answers = folder / "answers.yaml"
    answers.write_bytes(b"service: a\x00b\nratings: {}\n")
    case("answers file: a NUL byte", lambda: audit.read_answers(answers), (audit.AnswersError,))
    # Errors that used to span several lines: one line on the command line.
    records = folder / "records.csv"
    records.write_text(
        text.replace("f0,fw0,frontline,6,5", "f0,fw0,frontline,-6,x").replace("o1,ow1,other", "o1,ow1,nope")
    )
    case(
        "cli: a records file with three problems",
        command("run", "frontline_visits", "-p", "data_path", str(records)),
        (Exit,),
    )
    case(
        "cli: a grid with a bad records file",
        command("sweep", "frontline_visits", "--grid", str(_data_grid(folder, records))),
        (Exit,),
    )


def _data_grid(folder: Path, data: Path) -> Path:
    path = folder / "data_grid.yaml"
    path.write_text(f"data_path: ['{data}']\n")
    return path


CLASSES = {
    "disclosure": disclosure_class,
    "bounded": bounded_class,
    "outputs": outputs_class,
    "protected": protected_class,
    "formula": formula_class,
    "precheck": precheck_class,
    "tracebacks": tracebacks_class,
    "truncated": truncated_class,
    "low": low_class,
}
