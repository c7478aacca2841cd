"""The narrative follows the run: every notebook's page, rendered as ``compendium run`` renders it, with its
defaults, with changed parameters and on the user's own records (where it accepts them), has no glued key
missing, no role left unrendered and no warning from the build.

The scenarios are those of tests/page_scenarios.py: the defaults are the committed notebook as it is; the
others are executed in one kernel, then all pages are rendered in three builds (one per scenario) by
:func:`helpers.engine.pages.render`, the function behind ``page.html``.

Cases whose prose does not yet follow the run are listed, each with what fails, in :data:`KNOWN_FAILING`
and expected to fail (``strict``): a case that is fixed passes, which fails the test until it is removed
from the list.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from helpers.engine.pages import Page, PageJob, render
from helpers.engine.paths import ROOT
from helpers.page import kinds
from helpers.page.glue import read_glued
from page_scenarios import cases, committed, executed, one_kernel, values_of

#: A MyST role left as text in a page: what the reader would see instead of a number or a link.
RAW_ROLE = re.compile(r"\{(?:num|glue(?::\w+)?|term|doc|ref|numref|cite(?::\w+)?|kind|download|eq)\}")
GLUE_WARNING = re.compile(r"No key '[^']+' found in glue data")
NUM_ROLE = re.compile(r"\{num\}`([^`]+)`")

#: (notebook, scenario) cases that fail today, with what fails: the page sessions of issue 23 fix the prose
#: (tagging cells ``synthetic-only``, glued phrases that follow the parameters), then remove the case here.
KNOWN_FAILING: dict[tuple[str, str], str] = {
    ("link_worker_monitoring", "own"): "11 glued keys missing on own records: rep_* and replicate_mcse_max in In brief "
    "and in the section across reconstructions",
    ("rsw_quality_factors", "own"): "27 glued keys missing on own records: rep_*, power_* and replicate_mcse_max in In "
    "brief, in the power section and in the section across reconstructions",
}


def published_marks_that_moved(stem: str, nb: Any, published: Mapping[str, Any]) -> list[str]:
    """Numbers the page marks as published figures (P) whose value in this run is not the published page's:
    a changed parameter, or the user's records, shown as if it were the study's figure."""
    glued = read_glued(nb)
    out = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for role in NUM_ROLE.findall("".join(cell["source"])):
            key = role.rsplit(":", 1)[0] if role.count(":") % 2 == 1 else role
            if "::" in key:
                continue
            if key not in glued:
                continue  # a glue warning, reported on its own
            try:  # the mark the page shows for this run's value (helpers.page.kinds.resolve)
                kind = kinds.resolve(stem, key, glued[key], own_records=bool(glued.get(kinds.OWN_RECORDS_KEY)))
            except kinds.KindError:
                continue  # the build fails on it
            is_published = kind in (kinds.Kind.PUBLISHED, kinds.Kind.PUBLISHED_SECONDARY)
            if is_published and glued[key] != published.get(key):
                here, there = glued[key], published.get(key)
                out.append(f"{{num}}`{role}` is marked published (P) but is {here!r} here, {there!r} as published")
    return out


def problems_of(page: Page, html: str) -> list[str]:
    """What is wrong with a rendered page: each warning of its build (glue warnings first) and each
    role left as text in its prose (code excluded)."""
    soup = BeautifulSoup(html, "html.parser")
    article = soup.select_one("article.bd-article") or soup
    for code in article.find_all(["pre", "code"]):
        code.decompose()
    text = article.get_text(" ")
    glue = [w for w in page.warnings if GLUE_WARNING.search(w)]
    other = [w for w in page.warnings if not GLUE_WARNING.search(w)]
    roles = [
        f"raw role in the page: ...{text[max(0, m.start() - 40) : m.end() + 40]}..." for m in RAW_ROLE.finditer(text)
    ]
    return glue + roles + other


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[tuple[str, str], tuple[Path, list[str]]]:
    """Every case rendered: its page and its problems, by (notebook, scenario). Prints how long the harness took."""
    folder = tmp_path_factory.mktemp("run-pages")
    started = time.perf_counter()
    jobs = []
    moved: dict[tuple[str, str], list[str]] = {}
    with one_kernel(folder) as run:
        for stem, scenario in cases():
            values = values_of(stem, scenario, folder)
            nb = committed(stem) if scenario == "defaults" else executed(stem, values, run, folder)
            jobs.append(PageJob(stem, nb, values, folder / f"{stem}-{scenario}.html"))
            moved[(stem, scenario)] = published_marks_that_moved(stem, nb, read_glued(committed(stem)))
            GLUED[(stem, scenario)] = read_glued(nb)
    executing = time.perf_counter() - started
    pages = render(jobs)
    rendering = time.perf_counter() - started - executing
    print(f"\nrun-page harness: executed in {executing:.0f} s, rendered in {rendering:.0f} s")
    out = {}
    for job, page in zip(jobs, pages, strict=True):
        case = (job.stem, Path(job.target).stem.rsplit("-", 1)[1])
        out[case] = (page.path, problems_of(page, page.path.read_text(encoding="utf-8")) + moved[case])
    return out


#: What each case's page glued (filled by the ``rendered`` fixture).
GLUED: dict[tuple[str, str], dict[str, Any]] = {}


def test_every_value_of_every_run_has_a_description_and_a_unit(rendered):
    """results.json describes every value of every scenario (tests/test_outputs.py checks the defaults' values;
    other parameters and own records give others: the experienced group, the authorities of DfE files)."""
    from test_outputs import undescribed

    missing = {case: undescribed(case[0], glued) for case, glued in GLUED.items()}
    assert len(GLUED) == len(cases())
    assert not {case: names for case, names in missing.items() if names}


def _params() -> list:
    out = []
    for case in cases():
        marks = [pytest.mark.xfail(strict=True, reason=KNOWN_FAILING[case])] if case in KNOWN_FAILING else []
        out.append(pytest.param(*case, marks=marks, id=f"{case[0]}-{case[1]}"))
    return out


@pytest.mark.parametrize("stem, scenario", _params())
def test_the_page_follows_the_run(rendered, stem, scenario):
    _, problems = rendered[(stem, scenario)]
    shown = "\n".join(problems[:30]) + (f"\n... and {len(problems) - 30} more" if len(problems) > 30 else "")
    assert not problems, f"{len(problems)} problem(s):\n{shown}"


def test_every_known_failure_is_a_case_the_harness_renders():
    assert set(KNOWN_FAILING) <= set(cases()), sorted(set(KNOWN_FAILING) - set(cases()))


#: Pages opened in a browser: a change of parameters (math, a banner with old and new values), own records
#: (a banner with a file and its digest) with and without mathematics.
BROWSED = (("kft_care_outcomes", "changed"), ("frontline_visits", "own"), ("innovation_self_audit", "own"))
SCREENSHOTS = ROOT / "_build" / "screenshots" / "run-pages"


def test_a_run_page_reads_offline_in_a_browser_in_light_and_dark(rendered):
    """Opened from the file alone, with no other host reachable: nothing fails to load, nothing is asked of
    another host, no script error, every text legible (WCAG AA) in light and dark; the banner is at the top.
    Screenshots are kept in _build/screenshots/run-pages/."""
    from test_book import CONTRAST_JS, SETTLED_JS, _chromium

    executable = _chromium()
    if executable is None:
        pytest.skip("chromium is not installed (sudo apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox", "--disable-gpu"])
        for scheme in ("light", "dark"):
            context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
            for case in BROWSED:
                path = rendered[case][0]
                events: list[str] = []
                page = context.new_page()
                page.on(
                    "console",
                    lambda m, e=events: e.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
                )
                page.on("pageerror", lambda err, e=events: e.append(f"JavaScript error: {err}"))
                page.on("requestfailed", lambda r, e=events: e.append(f"request failed: {r.url[:100]}"))

                def guard(route, e=events):
                    if route.request.url.startswith(("file:", "data:", "blob:")):
                        route.continue_()
                    else:
                        e.append(f"request to another host: {route.request.url}")
                        route.abort()

                page.route("**/*", guard)
                page.goto(path.as_uri(), wait_until="load")
                page.wait_for_function(SETTLED_JS, timeout=30_000)
                if case[0] != "innovation_self_audit":  # a page with mathematics: MathJax drew it
                    page.wait_for_selector("mjx-container svg", timeout=30_000)
                events += page.evaluate(CONTRAST_JS)
                first = page.eval_on_selector("article.bd-article > *", "e => e.className")
                if "compendium-run-banner" not in first:
                    events.append(f"the article starts with {first!r}, not the banner")
                name = f"{case[0]}-{case[1]}{'-dark' if scheme == 'dark' else ''}.png"
                page.screenshot(path=str(SCREENSHOTS / name), full_page=scheme == "light")
                problems += [f"{scheme}: {case}: {e}" for e in events]
                page.close()
            context.close()
        browser.close()
    assert not problems, "\n".join(problems[:40])
