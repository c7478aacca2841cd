"""The built book, as readers and reviewers meet it.

One build (module fixture) is made as ``make book`` makes it (``_config.yml``: the notebooks and the
book's own pages executed, through ``make book``'s execution cache, so after ``make book`` nothing is
executed again), into a folder of its own, ``_build/test-book/``: ``make test`` never writes where
``make book`` publishes (``_build/html``), and a test checks that it did not. The build runs with
``-W`` (any warning fails: a glue key that does not exist, a broken reference, a notebook writing to
stderr), with no network (a fresh network namespace, when this machine allows one; always in CI),
with an empty home directory, and with a snapshot of the repository before and after, so the build
is shown to read no network and to write nothing outside ``_build/``, ``runs/``, ``.cache/`` and
``.venv``. Then:

* when ``make book`` has built the book from the same sources, the two are the same book: the same
  pages, and on each the same tables (cell by cell), headings and glued values;
* every table has rows, and every section has something under its heading (the evidence ledger's and
  the data page's tables included, which a build without execution leaves out);

* every ``{glue:text}`` and ``{num}`` value renders, in order, as the committed notebook
  glued it (formatted independently of the build; ``tests/test_notebooks.py`` proves the
  committed values are what the analysis functions compute);
* every figure carries its provenance; every image has meaningful alt text;
* the HTML asks no third-party host for a script, style sheet, font or image;
* a real browser (Debian's chromium driven by Playwright) opens every page of
  the table of contents served on 127.0.0.1 and fails on a page that does not
  load, a JavaScript console error, a request that fails or leaves the machine,
  a broken internal link or image, or a glued value that renders empty; it
  saves a screenshot of each page under ``_build/screenshots/`` (whole pages in light mode, and
  the first screen of each in dark mode under ``dark/``).

All of it is in one file so that pytest-xdist (``--dist loadfile``) runs it in
one worker against one build.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlparse

import nbformat
import pytest
from bs4 import BeautifulSoup
from myst_nb.core.variables import format_plain_text

from book_config import readers_config
from helpers.engine.paths import ROOT
from helpers.page.glue import read_glued

pytestmark = pytest.mark.book

JUPYTER_BOOK = str(Path(sys.executable).parent / "jupyter-book")
BUILD = ROOT / "_build"
#: Where ``make book`` publishes the book: never written by the tests.
PUBLISHED = BUILD / "html"
#: Where the test builds it (``jupyter-book build --path-output``).
TEST_BUILD = BUILD / "test-book"
HTML = TEST_BUILD / "_build" / "html"
SCREENSHOTS = BUILD / "screenshots"
ROLE = re.compile(r"\{(?:glue:text|num)\}`([^`]+)`")
IN_CI = bool(os.environ.get("CI"))
#: Set by the GitHub test workflow, which runs ``make book`` before ``make test``: the comparison with make
#: book's book must then run, never skip. (A bare ``make test``, as .ci/run runs it from a fresh clone, has no
#: published book to compare with, and says so.)
COMPARE_PUBLISHED = os.environ.get("COMPENDIUM_COMPARE_PUBLISHED_BOOK") == "1"
#: Where a build may write (relative to the repository root); plus pytest's own artefacts.
ALLOWED_WRITES = ("_build", "runs", ".cache", ".venv", ".venv-latest", ".git", ".pytest_cache", ".hypothesis")
GENERIC_ALT = re.compile(r"^\s*(figure|fig\.?|image|img|plot|chart|graph|png)?\s*\d*\s*$", re.I)


# ------------------------------------------------------------------ the build
def _netns_available() -> bool:
    if not shutil.which("unshare") or not shutil.which("ip"):
        return False
    probe = subprocess.run(["unshare", "-n", "sh", "-c", "ip link set lo up"], capture_output=True)
    return probe.returncode == 0


def _snapshot() -> dict[str, tuple[int, int]]:
    """Size and modification time of every file outside the places a build may write (which are not
    walked: .venv alone holds tens of thousands of files)."""
    files = {}
    for folder, dirs, names in os.walk(ROOT):
        here = Path(folder)
        dirs[:] = [d for d in dirs if d != "__pycache__" and not (here == ROOT and d in ALLOWED_WRITES)]
        for name in names:
            path = here / name
            if path.is_file():
                stat = path.stat()
                files[str(path.relative_to(ROOT))] = (stat.st_size, stat.st_mtime_ns)
    return files


def _tree(folder: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file under ``folder`` (nothing when it does not exist)."""
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture(scope="module")
def build():
    # Clear make book's execution cache if the code or data behind the notebooks changed (as make book
    # does), without marking make book's own build as out of date.
    subprocess.run([sys.executable, str(ROOT / "tools" / "cache_guard.py"), "--execution-cache"], check=True)
    shutil.rmtree(TEST_BUILD, ignore_errors=True)
    cache = ROOT / ".cache"
    home = Path(tempfile.mkdtemp(prefix="book-home-"))
    env = dict(
        os.environ,
        HOME=str(home),
        MPLCONFIGDIR=str(cache / "matplotlib"),
        IPYTHONDIR=str(cache / "ipython"),
        JUPYTER_RUNTIME_DIR=str(cache / "jupyter" / "runtime"),
        PYTHONPYCACHEPREFIX=str(cache / "pycache"),
        PYTHONDONTWRITEBYTECODE="",  # as `make book` has it (Makefile, RUN_ENV)
        XDG_CACHE_HOME=str(cache),
    )
    command = [
        JUPYTER_BOOK,
        "build",
        str(ROOT),
        "--all",
        "--builder",
        "html",
        "-W",
        "--keep-going",
        "--config",
        str(readers_config()),
        "--path-output",
        str(TEST_BUILD),
    ]
    offline = _netns_available()
    if offline:  # no route to anywhere but the loopback the kernels need
        command = ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", *command]
    before, published_before = _snapshot(), _tree(PUBLISHED)
    res = subprocess.run(command, capture_output=True, text=True, timeout=3600, env=env, cwd=ROOT)
    after, published_after = _snapshot(), _tree(PUBLISHED)
    log = res.stdout[-8000:] + res.stderr[-8000:]
    assert res.returncode == 0, f"book build failed:\n{log}"
    home_files = [str(p.relative_to(home)) for p in home.rglob("*") if p.is_file()]
    shutil.rmtree(home, ignore_errors=True)
    return {
        "log": log,
        "offline": offline,
        "changed": sorted(set(before.items()) ^ set(after.items())),
        "published_changed": sorted(set(published_before.items()) ^ set(published_after.items())),
        "home_files": home_files,
    }


def test_build_reads_no_network(build):
    if not build["offline"]:
        if IN_CI:
            pytest.fail("CI must build in a network namespace (unshare -n, ip); neither is usable here")
        pytest.skip("no network namespace on this machine (needs root or user namespaces, `unshare` and `ip`)")
    # The build fixture succeeded inside a namespace with no network.


def test_build_writes_only_to_allowed_places(build):
    assert not build["changed"], f"the build wrote outside {ALLOWED_WRITES}: {build['changed'][:10]}"
    assert not build["home_files"], f"the build wrote into the home directory: {build['home_files'][:10]}"


def test_the_test_build_leaves_the_published_book_alone(build):
    """``make test`` never writes where ``make book`` publishes: ``_build/html`` is as it was."""
    assert HTML.resolve() != PUBLISHED.resolve() and PUBLISHED not in HTML.parents
    assert not build["published_changed"], f"the test build wrote into {PUBLISHED}: {build['published_changed'][:10]}"


# ------------------------------------------------------------------ pages and glue
def _toc_pages() -> list[str]:
    from test_notebooks import _toc_files

    return _toc_files()


def _sources(page: str) -> tuple[Path, list[str]]:
    """The page's source and its prose in document order (markdown cells, then each figure caption), leaving out
    the cells the page removes."""
    md = ROOT / f"{page}.md"
    if md.exists():
        return md, [md.read_text()]
    nb_path = ROOT / f"{page}.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    texts = []
    for cell in nb.cells:
        if "remove-cell" in cell.metadata.get("tags", []):
            continue  # not on the page (a records-only section, say)
        if cell.cell_type == "markdown":
            texts.append(cell.source)
        caption = cell.metadata.get("mystnb", {}).get("figure", {}).get("caption")
        drawn = any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
        if caption and drawn:  # a caption renders only under a figure the cell drew
            texts.append(caption)
    return nb_path, texts


_RESULTS: dict[str, dict] = {}


def _results(stem: str) -> dict:
    """What the committed notebook glued: the book is rendered from the committed outputs, and
    tests/test_notebooks.py proves those are exactly what the analysis computes."""
    if stem not in _RESULTS:
        _RESULTS[stem] = read_glued(nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", as_version=4))
    return _RESULTS[stem]


def expected_glue(page: str) -> list[str]:
    source, texts = _sources(page)
    out = []
    for text in texts:
        for ref in ROLE.findall(text):
            if "::" in ref:
                rel, rest = ref.split("::", 1)
                stem = (source.parent / rel).resolve().stem
            else:
                rest, stem = ref, source.stem
            key, _, fmt = rest.partition(":")
            value = _results(stem)[key]
            out.append(format_plain_text(repr(value), fmt))
    return out


def _soup(page: str) -> BeautifulSoup:
    return BeautifulSoup((HTML / f"{page}.html").read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("page", _toc_pages())
def test_glued_values_are_rendered(build, page):
    html = HTML / f"{page}.html"
    assert html.exists(), f"{html} was not built"
    rendered = [span.get_text() for span in _soup(page).select("span.pasted-text")]
    assert all(text.strip() for text in rendered), "a glued value rendered empty"
    # Sphinx's smart quotes turn ' and " in glued phrases into typographic quotes; a phrase
    # may also carry typographic quotes of its own. Compare both sides with straight quotes.
    straight = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
    assert [t.translate(straight) for t in rendered] == [t.translate(straight) for t in expected_glue(page)]


@pytest.mark.parametrize("page", [p for p in _toc_pages() if p.startswith("notebooks/")])
def test_every_figure_caption_carries_its_provenance(build, page):
    captions = _soup(page).find_all("figcaption")
    assert captions, "a notebook page without figures"
    for caption in captions:
        line = caption.select_one(".provenance")
        assert line is not None and "made by" in line.get_text(), f"no provenance in: {caption.get_text()[:80]}"
        assert line.find("a", href="#parameters") is not None


@pytest.mark.parametrize("page", [p for p in _toc_pages() if p.startswith("notebooks/")])
def test_every_notebook_page_offers_its_notebook_and_how_to_rerun_it(build, page):
    soup = _soup(page)
    stem = Path(page).name
    downloads = [a.get("href", "") for a in soup.find_all("a")]
    assert any(h.endswith(f"{stem}.ipynb") for h in downloads), "no link to download the notebook"
    assert (HTML / "_sources" / f"{page}.ipynb").exists()
    assert f"compendium run {stem}" in soup.get_text(), "the page does not say how to re-run it"


def test_index_and_every_toc_page_exist(build):
    assert (HTML / "index.html").exists()
    for page in _toc_pages():
        assert (HTML / f"{page}.html").exists()


# ------------------------------------------------------------------ the reader's book: content, and make book's
def _main(soup: BeautifulSoup):
    return soup.find("main") or soup


def _text(tag) -> str:
    return " ".join(tag.get_text(" ").split())


def page_content(html_dir: Path, page: str) -> dict[str, list]:
    """What a reader reads on a page: its headings, its tables (each a list of rows of cell texts) and its
    glued values, in document order."""
    main = _main(BeautifulSoup((html_dir / f"{page}.html").read_text(encoding="utf-8"), "html.parser"))
    return {
        "headings": [_text(h) for h in main.find_all(["h1", "h2", "h3", "h4"])],
        "tables": [
            [[_text(c) for c in row.find_all(["th", "td"])] for row in t.find_all("tr")] for t in main.find_all("table")
        ],
        "glued": [_text(span) for span in main.select("span.pasted-text")],
    }


def empty_content(html_dir: Path, page: str) -> list[str]:
    """Tables without a row of data and sections with nothing under their heading, on one page."""
    main = _main(BeautifulSoup((html_dir / f"{page}.html").read_text(encoding="utf-8"), "html.parser"))
    problems = []
    for k, table in enumerate(main.find_all("table")):
        body = [row for row in table.find_all("tr") if row.find("td") is not None]
        if not any(_text(cell) for row in body for cell in row.find_all("td")):
            problems.append(f"{page}: table {k + 1} has no row of data")
    for section in main.find_all("section"):
        heading = section.find(["h1", "h2", "h3", "h4", "h5", "h6"])
        rest = _text(section)[len(_text(heading)) :] if heading is not None else _text(section)
        if not rest.strip() and section.find(["img", "table", "svg"]) is None:
            problems.append(f"{page}: section {section.get('id')!r} has nothing under its heading")
    return problems


def _published_book_is_current() -> bool:
    """True when ``make book``'s build in _build/html was made from the sources as they are now."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import cache_guard
    finally:
        sys.path.pop(0)
    return cache_guard.book_up_to_date()


def _html_pages(html_dir: Path) -> set[str]:
    return {
        str(p.relative_to(html_dir))
        for p in html_dir.rglob("*.html")
        if not {"_static", "_sources", "_images"} & set(p.relative_to(html_dir).parts)
    }


def test_it_is_the_book_make_book_publishes(build):
    """After ``make book``, the test's build is the published book: the same pages, and on every page of
    the table of contents the same headings, tables (cell by cell) and glued values."""
    if not _published_book_is_current():
        message = f"no book built by `make book` from these sources in {PUBLISHED} to compare with (run make book)"
        if COMPARE_PUBLISHED:
            pytest.fail(message + " -- the test workflow runs make book before make test")
        pytest.skip(message)
    assert _html_pages(HTML) == _html_pages(PUBLISHED)
    different = [page for page in _toc_pages() if page_content(HTML, page) != page_content(PUBLISHED, page)]
    assert not different, f"pages that differ from make book's: {different}"


@pytest.mark.parametrize("page", _toc_pages())
def test_every_table_has_rows_and_every_section_has_content(build, page):
    assert not empty_content(HTML, page)


def test_the_ledger_and_the_data_page_show_their_tables(build):
    """The two pages built from code cells (a build without execution shows their headings only): the data
    page's registry table has a row for every registry figure, and the ledger names every figure."""
    from helpers.page.registry import load_registry

    ids = list(load_registry())
    data = page_content(HTML, "book/data")["tables"]
    assert len(data) == 1 and len(data[0]) == len(ids) + 1, "the data page's table of the registry"
    ledger = page_content(HTML, "book/ledger")["tables"]
    assert len(ledger) >= 2, "the ledger's summary and its table of every figure"
    text = " ".join(cell for table in ledger for row in table for cell in row)
    assert not [i for i in ids if i not in text], "registry figures missing from the ledger"


def test_the_content_checks_fail_on_an_empty_table_or_section(tmp_path):
    """The checks above can fail: a table with headings only, a section with a heading only, and a page
    whose glued value or table differs."""
    (tmp_path / "a.html").write_text(
        "<html><body><main><section id='s1'><h2>Full</h2><p>text</p><table><tr><th>x</th></tr><tr><td>1</td></tr>"
        "</table></section><section id='s2'><h2>Empty</h2></section><section id='s3'><h2>Table</h2>"
        "<table><tr><th>x</th></tr></table></section></main></body></html>"
    )
    assert empty_content(tmp_path, "a") == [
        "a: table 2 has no row of data",
        "a: section 's2' has nothing under its heading",
    ]
    before = page_content(tmp_path, "a")
    (tmp_path / "a.html").write_text((tmp_path / "a.html").read_text().replace("<td>1</td>", "<td>2</td>"))
    assert page_content(tmp_path, "a") != before


# ------------------------------------------------------------------ accessibility, offline
def alt_text_problems(html_dir: Path) -> list[str]:
    """Images in the book's pages without meaningful alt text."""
    problems = []
    for page in html_dir.rglob("*.html"):
        if "_static" in page.parts or "_sources" in page.parts:
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        main = soup.find("main") or soup
        for img in main.find_all("img"):
            alt = (img.get("alt") or "").strip()
            if len(alt) < 20 or GENERIC_ALT.match(alt):
                problems.append(f"{page.relative_to(html_dir)}: <img src={img.get('src')!r}> alt={alt!r}")
    return problems


def external_requests(html_dir: Path) -> list[str]:
    """Scripts, style sheets, fonts, images and frames the pages or their CSS would fetch from another host."""
    found = []
    absolute = re.compile(r"^(https?:)?//", re.I)
    for page in html_dir.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        candidates = [
            (t.name, t.get("src"))
            for t in soup.find_all(["script", "img", "iframe", "source", "audio", "video", "embed"])
        ]
        candidates += [("object", t.get("data")) for t in soup.find_all("object")]
        candidates += [
            (f"link rel={t.get('rel')}", t.get("href"))
            for t in soup.find_all("link")
            if set(t.get("rel") or [])
            & {"stylesheet", "preload", "prefetch", "icon", "modulepreload", "manifest", "import"}
        ]
        for style in soup.find_all("style"):
            candidates += [("style url()", u) for u in re.findall(r"url\(\s*['\"]?([^'\")]+)", style.get_text())]
        found += [
            f"{page.relative_to(html_dir)}: {kind} {url}" for kind, url in candidates if url and absolute.match(url)
        ]
    for css in html_dir.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        urls = re.findall(r"url\(\s*['\"]?((?:https?:)?//[^'\")]+)", text) + re.findall(
            r"@import\s+['\"]((?:https?:)?//[^'\"]+)", text
        )
        found += [f"{css.relative_to(html_dir)}: {u}" for u in urls]
    return found


def test_every_image_has_alt_text(build):
    assert not alt_text_problems(HTML)


def test_no_request_to_a_third_party_host(build):
    assert not external_requests(HTML)


def test_the_checks_fail_when_broken(tmp_path):
    """The alt-text and external-request checks catch what they are meant to catch."""
    page = tmp_path / "page.html"
    page.write_text(
        '<html><head><script src="https://cdn.example.org/x.js"></script>'
        '<link rel="stylesheet" href="//fonts.example.org/f.css"></head>'
        '<body><main><img src="a.png" alt=""><img src="b.png" alt="Figure 1">'
        '<img src="c.png" alt="Bar chart of visits per case by training route"></main></body></html>'
    )
    (tmp_path / "s.css").write_text('@font-face { src: url("https://fonts.example.org/x.woff2"); }')
    assert len(alt_text_problems(tmp_path)) == 2
    assert len(external_requests(tmp_path)) == 3


# ------------------------------------------------------------------ the browser
def _chromium() -> str | None:
    return shutil.which("chromium") or (str(p) if (p := Path("/usr/bin/chromium")).exists() else None)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass


@contextlib.contextmanager
def _serve(folder: Path) -> Iterator[str]:
    """``folder`` served on a free port of 127.0.0.1 while the block runs; yields its address."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def served(build):
    with _serve(HTML) as address:
        yield address


@pytest.fixture(scope="module")
def browser(served):
    executable = _chromium()
    if executable is None:
        message = (
            "chromium is not installed: install it with `sudo apt-get install chromium` (make test does so as root)"
        )
        if IN_CI:
            pytest.fail(message + " -- the browser test never skips in CI")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


def _opened_at_once(context, served: str, watch, names: list[str]) -> Iterator[tuple[str, Any, Any, list[str]]]:
    """The pages ``names`` (e.g. the table of contents) opened in ``context`` at once, so that their loads overlap
    (one after the other, the browser mostly waits), each then waited for until its network has been
    idle for half a second; yields (page name, page, response, events) in toc order, the page brought
    to the front (a background page is slow to capture) with its transitions finished, and closes it
    after. ``watch(page, events)`` registers listeners and routes before the page starts loading, so
    nothing it does is missed."""
    opened = []
    for page_name in names:
        page = context.new_page()
        events: list[str] = []
        watch(page, events)
        response = page.goto(urljoin(served, f"{page_name}.html"), wait_until="commit")
        opened.append((page_name, page, response, events))
    for _, page, _, _ in opened:
        page.wait_for_load_state("networkidle")
    for page_name, page, response, events in opened:
        page.bring_to_front()
        page.wait_for_function(SETTLED_JS, timeout=30_000)
        yield page_name, page, response, events
        page.close()


#: True once no finite CSS transition or animation is running: colours are read as a reader sees them,
#: not halfway through the theme's colour transitions (which a page brought to the front may only now run).
SETTLED_JS = """
() => document.getAnimations()
  .every(a => a.playState !== 'running' || a.effect.getComputedTiming().endTime === Infinity)
"""


def _console_errors(page, events: list[str]) -> None:
    page.on("console", lambda m: events.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: events.append(f"JavaScript error: {e}"))


def _watch_everything(served: str) -> Callable[[Any, list[str]], None]:
    """What a page must not do, recorded as events: a console error, a failed request or one answered
    with an error, and any request to a host other than the one serving the book (refused)."""
    host = urlparse(served).netloc

    def watch(page, events: list[str]) -> None:
        _console_errors(page, events)
        page.on("requestfailed", lambda r: events.append(f"request failed: {r.url} ({r.failure})"))
        page.on("response", lambda r: events.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)

        def guard(route):  # one parameter: Playwright passes (route, request) to a handler that takes two
            if urlparse(route.request.url).netloc == host or route.request.url.startswith(("data:", "blob:")):
                route.continue_()
            else:
                events.append(f"request to a third-party host: {route.request.url}")
                route.abort()

        page.route("**/*", guard)

    return watch


def test_the_browser_checks_catch_what_a_page_does_after_it_loads(browser, tmp_path):
    """A late console error, a request to another host and a missing image, on pages opened at once; and
    a page's colours are read when its transitions have finished."""
    (tmp_path / "a.html").write_text(
        '<html><body><p>a page</p><img src="missing.png" alt="missing"><script>setTimeout(() => {'
        ' console.error("late error"); fetch("http://example.invalid/x.js").catch(() => null); }, 300);'
        "</script></body></html>"
    )
    # Text that fades in from illegible grey over 2 s (a transition, as the theme's colours have): its
    # contrast is read once the transition has finished, as a reader sees it, not halfway through.
    (tmp_path / "fade.html").write_text(
        "<html><head><style>p { color: #ddd; transition: color 2s linear; }</style></head><body><p>fading in</p>"
        '<script>const p = document.querySelector("p"); getComputedStyle(p).color; p.style.color = "#000";</script>'
        "</body></html>"
    )
    context = browser.new_context()
    with _serve(tmp_path) as served:
        try:
            opened = _opened_at_once(context, served, _watch_everything(served), ["a", "a", "fade"])
            seen = {}
            for name, page, _, events in opened:
                seen.setdefault(name, []).append(events + page.evaluate(CONTRAST_JS))
        finally:
            context.close()
    for events in seen["a"]:
        assert "console error: late error" in events, events
        assert "request to a third-party host: http://example.invalid/x.js" in events, events
        assert any(e.startswith("HTTP 404: ") and e.endswith("/missing.png") for e in events), events
    assert seen["fade"] == [[]], seen["fade"]


def test_every_page_in_a_real_browser(served, browser):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    base = urlparse(served)
    problems: list[str] = []
    internal_links: set[str] = set()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    for page_name, page, response, events in _opened_at_once(context, served, _watch_everything(served), _toc_pages()):
        if response is None or response.status != 200:
            problems.append(f"{page_name}: did not load ({response.status if response else 'no response'})")
            continue
        broken_images = page.eval_on_selector_all(
            "main img", "imgs => imgs.filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
        )
        events += [f"broken image: {src}" for src in broken_images]
        # Tables and images fit the column they are in (a full-width cell's column is wider).
        overflowing = page.eval_on_selector_all(
            "main table, main img",
            """els => els.filter(e => {
                 const box = (e.closest('.cell_output') || e.closest('article')).getBoundingClientRect();
                 return e.getBoundingClientRect().width > box.width + 1;
               }).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className.split(' ').join('.') : ''))""",
        )
        events += [f"{what} is wider than its column" for what in overflowing]
        # A reader whose system asks for light gets light (default_mode: auto), all text legible (WCAG AA);
        # dark mode is checked by test_the_colour_mode_follows_the_reader_and_text_is_legible_in_both.
        theme = page.evaluate("() => [document.documentElement.dataset.mode, document.documentElement.dataset.theme]")
        if theme != ["auto", "light"]:
            events.append(f"colour mode {theme}, expected ['auto', 'light']")
        events += page.evaluate(CONTRAST_JS)
        empty_glue = page.eval_on_selector_all("span.pasted-text", "s => s.filter(x => !x.textContent.trim()).length")
        if empty_glue:
            events.append(f"{empty_glue} glued value(s) rendered empty")
        for href in page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)"):
            if urlparse(href).netloc == base.netloc:
                internal_links.add(href)
        page.screenshot(path=str(SCREENSHOTS / f"{page_name.replace('/', '__')}.png"), full_page=True)
        problems += [f"{page_name}: {e}" for e in events]
    # Every internal link resolves to a page, and every #anchor to an element on it.
    ids: dict[Path, set[str]] = {}  # each page's ids, parsed once
    for href in sorted(internal_links):
        target, fragment = urldefrag(href)
        path = HTML / urlparse(target).path.lstrip("/")
        if path.is_dir():
            path = path / "index.html"
        if not path.exists():
            problems.append(f"broken internal link: {href}")
            continue
        if fragment and path.suffix == ".html":
            if path not in ids:
                soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
                ids[path] = {str(tag["id"]) for tag in soup.find_all(id=True)}
            if fragment not in ids[path]:
                problems.append(f"broken anchor: {href}")
    context.close()
    assert not problems, "\n".join(problems)
    assert len(list(SCREENSHOTS.glob("*.png"))) >= len(_toc_pages())


# ------------------------------------------------------------------ colour modes and contrast
#: The WCAG contrast ratio of every visible piece of text against what is behind it (alpha
#: blended): at least 4.5:1, or 3:1 for large text (24px, or 18.66px bold). Returns the failures.
CONTRAST_JS = """
() => {
  const parse = c => {
    const m = c && c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const over = (top, bottom) => ({r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a),
                                  b: top.b * top.a + bottom.b * (1 - top.a), a: 1});
  const lum = c => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const canvas = parse(getComputedStyle(document.body).backgroundColor) || {r: 255, g: 255, b: 255, a: 1};
  const behind = el => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    let bg = canvas.a >= 1 ? canvas : {r: 255, g: 255, b: 255, a: 1};
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  };
  const failures = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!el || seen.has(el) || !walker.currentNode.textContent.trim()) continue;
    seen.add(el);
    const st = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    const folded = el.closest('[hidden], details:not([open]) > :not(summary)');
    if (st.visibility !== 'visible' || box.width <= 1 || box.height <= 1 || folded
        || !el.getClientRects().length || parseFloat(st.opacity) === 0) continue;
    const bg = behind(el);
    const fg = over(parse(st.color), bg);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(st.fontSize);
    const large = size >= 24 || (parseInt(st.fontWeight, 10) >= 700 && size >= 18.66);
    if (ratio < (large ? 3 : 4.5)) {
      const classes = el.className ? '.' + String(el.className).trim().split(/\\s+/).join('.') : '';
      const rgb = `rgb(${Math.round(bg.r)}, ${Math.round(bg.g)}, ${Math.round(bg.b)})`;
      failures.push(`${el.tagName.toLowerCase()}${classes} "${el.textContent.trim().slice(0, 40)}" `
                    + `${st.color} on ${rgb}: ${ratio.toFixed(2)}:1 at ${size}px`);
    }
  }
  return failures;
}
"""


def test_the_colour_mode_follows_the_reader_and_text_is_legible_in_both(served, browser):
    """A reader whose system asks for dark gets dark (``default_mode: auto``) with no console error, and
    all text, the small provenance lines included, meets WCAG AA (light is checked with every page in
    test_every_page_in_a_real_browser, which loads each page in light mode)."""
    problems: list[str] = []
    for scheme in ("dark",):
        shots = SCREENSHOTS / scheme
        shots.mkdir(parents=True, exist_ok=True)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
        for page_name, page, _, events in _opened_at_once(context, served, _console_errors, _toc_pages()):
            theme = page.evaluate(
                "() => [document.documentElement.dataset.mode, document.documentElement.dataset.theme]"
            )
            if theme != ["auto", scheme]:
                events.append(f"colour mode {theme}, expected ['auto', {scheme!r}]")
            provenance = page.eval_on_selector_all("p.provenance", "ps => ps.length")
            if page_name.startswith("notebooks/") and not provenance:
                events.append("no provenance line to check")
            events += page.evaluate(CONTRAST_JS)
            # The first screen of each page in dark (the contrast check above reads the whole page; the
            # light screenshots are whole pages): a whole long page costs about a second to capture.
            page.screenshot(path=str(shots / f"{page_name.replace('/', '__')}.png"))
            problems += [f"{scheme}: {page_name}: {e}" for e in events]
        context.close()
    assert not problems, "\n".join(problems[:60]) + (
        f"\n... and {len(problems) - 60} more" if len(problems) > 60 else ""
    )


def test_the_contrast_check_fails_on_grey_text(served, browser):
    """The check above catches text below 4.5:1: the old provenance grey on the dark background."""
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.set_content(
        '<body style="background:#14181e;font-size:12px"><p style="color:#595959">made by</p>'
        '<p style="color:#a9b1bb">made by</p><p style="color:#777;font-size:30px">large enough</p>'
        '<p style="color:#777">too small</p></body>'
    )
    failures = page.evaluate(CONTRAST_JS)
    context.close()
    # #595959 is 2.6:1 on the dark background; #777 is 4.0:1: enough for large text only.
    assert len(failures) == 2, failures
    assert "rgb(89, 89, 89)" in failures[0] and '"too small" rgb(119, 119, 119)' in failures[1], failures


def _role_stem_key(body: str, stem: str) -> tuple[str, str]:
    """The analysis and scalar a ``{num}`` role names (``../notebooks/x.ipynb::key:spec`` or ``key:spec``)."""
    key = body.rsplit(":", 1)[0] if body.count(":") % 2 == 1 else body
    if "::" in key:
        path, key = key.split("::", 1)
        return Path(path).stem, key
    return stem, key


@pytest.mark.parametrize("page", _toc_pages())
def test_every_kind_mark_reads_without_colour_and_to_a_screen_reader(build, page):
    """Each mark is a letter (hidden from screen readers) whose meaning is its accessible name and tooltip,
    and a link to its entry in the key (reachable by keyboard and touch). The marks of the {num} and {kind}
    roles match the roles in the source; the cards and summaries written in Python mark their own."""
    from helpers.page import kinds
    from helpers.page.kinds import Kind, key_anchor

    _, texts = _sources(page)
    stem = page.rsplit("/", 1)[-1]
    roles = [m for t in texts for m in re.finditer(r"\{(num|kind)\}`([^`]+)`", t)]
    expected = sum(
        1
        for m in roles
        if m.group(1) == "kind" or kinds.kind_of(*_role_stem_key(m.group(2), stem)).marked  # settings are unmarked
    )
    marks = _soup(page).select(".kind-mark")
    generated = ".evidence-card, .brief, .landing-paragraphs, .evidence-table"
    from_roles = [
        m for m in marks if not m.find_parent(class_=["evidence-card", "brief", "landing-paragraphs", "evidence-table"])
    ]
    assert len(from_roles) == expected, f"{page}: {len(from_roles)} marks from roles, {expected} roles ({generated})"
    by_letter = {k.letter: k for k in Kind if k.marked}
    for mark in marks:
        kind = by_letter[mark.select_one('span[aria-hidden="true"]').get_text()]
        assert mark["aria-label"] == mark["title"] == mark["data-label"] == kind.label
        href = mark["href"] if mark.name == "a" else ""
        assert (href.endswith(f"#{key_anchor(kind)}") and "glossary.html#" in href) or page == "book/glossary", mark


#: Names that a bibliography style's sentence case must not lower (protected with braces in references.bib).
PROPER_NOUNS = (
    "Reclaiming Social Work",
    "Frontline",
    "England",
    "Hampshire",
    "Isle of Wight",
    "UIN",
    "Poisson",
    "Common Assessment Framework",
    "Lead Professional",
    "Unit Cost Database",
    "Open Data Standards",
)


def test_reference_titles_keep_their_proper_nouns(build):
    bib = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    titles = re.findall(r"^\s*title\s*=\s*\{(.*)\},?$", bib, re.M)
    rendered = _soup("book/references").get_text(" ")
    for noun in PROPER_NOUNS:
        if any(noun in t.replace("{", "").replace("}", "") for t in titles):
            assert noun in rendered, f"{noun!r} lost its capitals in the rendered references"
    assert "? An evaluation" in rendered or "? An Evaluation" in rendered
