"""The pieces of a run's page (helpers.engine.pages): where the published book is, how a page becomes one
file, the banner, and which cells a run on the user's records leaves out (helpers.engine.narrative).

The pages themselves, of every notebook in every scenario, are rendered and checked in tests/test_run_pages.py.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from helpers.analyses import frontline_visits as fv
from helpers.analyses import kft_care_outcomes as kft
from helpers.engine import narrative
from helpers.engine.pages import PageJob, _batches, title_of
from helpers.engine.pages.banner import banner_html, command_line, differences
from helpers.engine.pages.project import stand_in, toc_docnames
from helpers.engine.pages.published import book_url
from helpers.engine.pages.single import published_href, single_file
from helpers.engine.paths import NOTEBOOKS, ROOT


# ------------------------------------------------------------------ the published book
@pytest.mark.parametrize(
    "url, expected",
    [
        (
            "https://github.com/OWNER/social-work-evidence-compendium",
            "https://owner.github.io/social-work-evidence-compendium/",
        ),
        ("https://github.com/a-b/c.d_e/", "https://a-b.github.io/c.d_e/"),
        ("https://github.com/Someone/someone.github.io", "https://someone.github.io/"),
    ],
)
def test_the_published_book_is_the_repositorys_github_pages(tmp_path, url, expected):
    (tmp_path / "_config.yml").write_text(f"repository:\n  url: {url}\n  branch: main\n")
    assert book_url(tmp_path / "_config.yml") == expected


def test_a_repository_not_on_github_is_refused_by_name(tmp_path):
    (tmp_path / "_config.yml").write_text("repository:\n  url: https://gitlab.com/a/b\n")
    with pytest.raises(ValueError, match=r"repository: url: 'https://gitlab.com/a/b' in _config.yml"):
        book_url(tmp_path / "_config.yml")


def test_the_books_own_setting_gives_its_address():
    assert book_url().startswith("https://") and book_url().endswith("/")


@pytest.mark.parametrize(
    "href, expected",
    [
        ("../book/glossary.html#term-power", "https://x.github.io/b/book/glossary.html#term-power"),
        ("time_use_admin_support.html", "https://x.github.io/b/notebooks/time_use_admin_support.html"),
        ("kft_care_outcomes.html#parameters", "#parameters"),
        ("kft_care_outcomes.html", "#"),
        ("#parameters", "#parameters"),
        ("https://example.org/a", "https://example.org/a"),
        ("mailto:a@b.c", "mailto:a@b.c"),
        ("../index.html", "https://x.github.io/b/index.html"),
    ],
)
def test_links_go_to_the_published_book_and_within_the_page_stay(href, expected):
    assert published_href(href, "notebooks/kft_care_outcomes.html", "https://x.github.io/b/") == expected


# ------------------------------------------------------------------ one file
def _built(tmp_path: Path) -> tuple[Path, Path]:
    """A small built site: a page with a style sheet that imports another and names a font (woff2 and ttf),
    scripts (one deferred, one search script), an image, a search box and links."""
    html = tmp_path / "html"
    (html / "_static" / "fonts").mkdir(parents=True)
    (html / "notebooks").mkdir()
    (html / "_images").mkdir()
    (html / "_static" / "base.css").write_text("body { color: black; }")
    (html / "_static" / "fonts" / "fa-solid-900.woff2").write_bytes(b"font!")
    (html / "_static" / "theme.css").write_text(
        '@import "base.css";\n@font-face{font-family:X;src:url(fonts/fa-solid-900.woff2) format("woff2"),'
        'url(fonts/fa-solid-900.ttf) format("truetype")}'
    )
    (html / "_static" / "a.js").write_text("var first = '</script>';")
    (html / "_static" / "b.js").write_text("var deferred = 1;")
    (html / "_static" / "searchtools.js").write_text("search();")
    (html / "_images" / "fig.png").write_bytes(b"\x89PNG fake")
    page = html / "notebooks" / "kft_care_outcomes.html"
    page.write_text(
        "<html><head><title>t</title>"
        '<link rel="stylesheet" href="../_static/theme.css?v=1">'
        '<link rel="preload" as="script" href="../_static/b.js">'
        '<script defer src="../_static/b.js"></script><script src="../_static/a.js"></script>'
        '<script src="../_static/searchtools.js"></script></head><body>'
        '<div class="bd-search">search</div><article class="bd-article"><h1>Title</h1>'
        '<img src="../_images/fig.png" alt="a figure"><a href="../book/glossary.html#term-x">x</a>'
        '<a href="#top">top</a></article></body></html>'
    )
    return html, page


def test_a_page_becomes_one_file_with_everything_inside(tmp_path):
    html, page = _built(tmp_path)
    text = single_file(page, html, "https://x.github.io/b/", '<div class="banner">the banner</div>', "Your run: t")
    soup = BeautifulSoup(text, "html.parser")
    styles = "".join(s.get_text() for s in soup.find_all("style"))
    assert "body { color: black; }" in styles  # the imported sheet, inlined
    assert f"data:font/woff2;base64,{base64.b64encode(b'font!').decode()}" in styles
    assert ".ttf" not in styles and "@import" not in styles
    scripts = [s.get_text() for s in soup.find_all("script")]
    assert scripts[0] == "var first = '<\\/script>';"  # in place, and it cannot end its element
    assert scripts[-1] == "var deferred = 1;"  # the deferred script runs last, at the end of the body
    assert not any("search" in s for s in scripts) and soup.select_one(".bd-search") is None
    assert not soup.find_all(src=lambda v: v and not v.startswith("data:"))
    assert soup.find("img")["src"].startswith("data:image/png;base64,")
    assert [a["href"] for a in soup.find_all("a")] == ["https://x.github.io/b/book/glossary.html#term-x", "#top"]
    assert not soup.select('link[rel="preload"]')
    assert soup.select_one("article > div.banner + h1") is not None  # the banner opens the article
    assert soup.title.string == "Your run: t"


# ------------------------------------------------------------------ the banner
def test_the_banner_names_each_changed_parameter_with_both_values_and_links_the_published_page():
    values = dict(kft.PARAMETERS.validate(target_home_rate=0.6, ci_method="jeffreys"))
    diffs = differences(kft.PARAMETERS, values)
    assert [(d.name, d.published, d.run) for d in diffs] == [
        ("target_home_rate", "0.5", "0.6"),
        ("ci_method", "wilson", "jeffreys"),
    ]
    text = BeautifulSoup(banner_html("kft_care_outcomes", "KFT", diffs, "https://x/p.html"), "html.parser")
    words = " ".join(text.get_text(" ").split())
    assert "target_home_rate : 0.5 on the published page → 0.6 in this run" in words
    assert "differs from the published page in 2 ways" in words
    assert text.find("a")["href"] == "https://x/p.html"
    assert command_line("kft_care_outcomes", diffs) == (
        "compendium run kft_care_outcomes -p target_home_rate 0.6 -p ci_method jeffreys"
    )


def test_the_banner_of_a_run_with_the_defaults_says_so():
    assert differences(kft.PARAMETERS, dict(kft.PARAMETERS.validate())) == []
    words = BeautifulSoup(banner_html("kft_care_outcomes", "KFT", [], "u"), "html.parser").get_text(" ")
    assert "with the published parameters" in words


def test_the_banner_names_own_records_by_file_name_and_sha256_not_their_folder(tmp_path):
    records = tmp_path / "private-folder" / "my cases.csv"
    records.parent.mkdir()
    records.write_text("case_id\n")
    values = {**fv.PARAMETERS.defaults(), "data_path": str(records)}
    [diff] = differences(fv.PARAMETERS, values, {"data_path": ["'Yes' read as 'yes' (3 rows)"]})
    assert diff.own and diff.run == "my cases.csv"
    assert diff.sha256 == hashlib.sha256(records.read_bytes()).hexdigest()
    text = banner_html("frontline_visits", "F", [diff], "u")
    assert "private-folder" not in text and diff.sha256 in text and "your records" in text
    assert "&#x27;Yes&#x27; read as &#x27;yes&#x27; (3 rows)" in text
    assert command_line("frontline_visits", [diff]) == "compendium run frontline_visits -p data_path 'my cases.csv'"


# ------------------------------------------------------------------ the narrative follows the run
def _notebook(tags_per_cell):
    return nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell(f"cell {i}", metadata={"tags": t}) for i, t in enumerate(tags_per_cell)]
    )


def test_a_run_on_own_records_leaves_out_the_synthetic_only_cells(tmp_path):
    nb = _notebook([[], [narrative.SYNTHETIC_ONLY], ["hide-input"], [narrative.SYNTHETIC_ONLY, "x"]])
    own = {**fv.PARAMETERS.defaults(), "data_path": str(tmp_path)}
    assert narrative.own_records(fv.PARAMETERS, own) == ["data_path"]
    assert [c.source for c in narrative.for_run(nb, fv.PARAMETERS, own).cells] == ["cell 0", "cell 2"]
    assert len(nb.cells) == 4  # the notebook given is not changed
    synthetic = {**fv.PARAMETERS.defaults(), "cases_per_worker": 9}  # other parameters changed: all kept
    assert narrative.own_records(fv.PARAMETERS, synthetic) == []
    assert narrative.for_run(nb, fv.PARAMETERS, synthetic) is nb


def test_a_run_on_own_records_shows_the_records_only_cells_the_published_page_removes(tmp_path):
    removed = [narrative.RECORDS_ONLY, narrative.REMOVE_CELL, "hide-input"]
    nb = _notebook([[], removed, [narrative.REMOVE_CELL]])
    own = {**fv.PARAMETERS.defaults(), "data_path": str(tmp_path)}
    shown = narrative.for_run(nb, fv.PARAMETERS, own)
    assert [c.metadata["tags"] for c in shown.cells] == [[], [narrative.RECORDS_ONLY, "hide-input"], ["remove-cell"]]
    assert nb.cells[1].metadata["tags"] == removed  # the notebook given is not changed
    assert narrative.for_run(nb, fv.PARAMETERS, fv.PARAMETERS.defaults()) is nb  # the default run: still removed
    source = tmp_path / "in" / "frontline_visits.ipynb"
    source.parent.mkdir()
    nbformat.write(nb, source)
    written = narrative.source_for_run(source, fv.PARAMETERS, own, tmp_path)  # no cell left out, one changed
    assert written != source and nbformat.read(written, as_version=4).cells[1].metadata["tags"][-1] == "hide-input"


def test_every_records_only_cell_is_removed_from_the_published_page():
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if narrative.RECORDS_ONLY in narrative.tags(cell):
                assert narrative.REMOVE_CELL in narrative.tags(cell), f"{path.name}: {cell.source[:60]!r}"


def test_the_shipped_default_file_is_not_own_records():
    from helpers.analyses import innovation_self_audit as audit

    assert narrative.own_records(audit.PARAMETERS, dict(audit.PARAMETERS.validate())) == []
    assert narrative.own_records(audit.PARAMETERS, {"answers_path": "/x/mine.yaml"}) == ["answers_path"]


def test_the_notebook_a_run_executes_is_the_committed_one_unless_cells_are_left_out(tmp_path):
    source = NOTEBOOKS / "kft_care_outcomes.ipynb"
    assert narrative.source_for_run(source, kft.PARAMETERS, kft.PARAMETERS.defaults(), tmp_path) == source
    tagged = tmp_path / "in" / "frontline_visits.ipynb"
    tagged.parent.mkdir()
    nbformat.write(_notebook([[], [narrative.SYNTHETIC_ONLY]]), tagged)
    own = {**fv.PARAMETERS.defaults(), "data_path": str(tmp_path)}
    written = narrative.source_for_run(tagged, fv.PARAMETERS, own, tmp_path)
    assert written == tmp_path / "frontline_visits.ipynb"
    assert [c.source for c in nbformat.read(written, as_version=4).cells] == ["cell 0"]


# ------------------------------------------------------------------ the project a page is built from
def test_pages_of_one_notebook_are_built_apart_and_of_different_notebooks_together():
    jobs = [PageJob(stem, {}, {}, Path(f"{i}")) for i, stem in enumerate(["a", "b", "a", "c", "a"])]
    assert [[j.target.name for j in batch] for batch in _batches(jobs)] == [["0", "1", "3"], ["2"], ["4"]]


def test_every_page_of_the_book_has_a_stand_in_with_its_title_and_labels():
    import yaml

    docnames = list(toc_docnames(yaml.safe_load((ROOT / "_toc.yml").read_text())))
    assert docnames[0] == "book/intro" and "notebooks/kft_care_outcomes" in docnames
    national = stand_in(NOTEBOOKS / "national_context.ipynb")
    assert national.startswith("# ") and "(sec-national-workforce)=\n## " in national
    assert title_of(nbformat.read(NOTEBOOKS / "national_context.ipynb", as_version=4)) == national.splitlines()[0][2:]


def test_rendering_a_page_leaves_the_root_logger_as_it_was(tmp_path):
    """In a fresh interpreter (as ``compendium`` is): after a page's build, INFO messages (papermill's, when
    ``sweep --pages`` runs the next point) are not printed; a theme's highlighter configures logging on import."""
    import subprocess
    import sys

    code = (
        "import logging, nbformat\n"
        "from pathlib import Path\n"
        "from helpers.engine.pages import PageJob, render\n"
        "nb = nbformat.read('notebooks/innovation_self_audit.ipynb', as_version=4)\n"
        f"render([PageJob('innovation_self_audit', nb, {{}}, Path({str(tmp_path / 'p.html')!r}))])\n"
        "logging.getLogger('papermill').info('an INFO message')\n"
        "print(logging.getLogger().handlers, logging.getLogger().level)\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "[] 30" and "an INFO message" not in res.stderr


def test_a_page_that_cannot_be_rendered_keeps_the_run_and_says_why(tmp_path, monkeypatch, capsys):
    from helpers.engine import commands
    from helpers.engine.runner import RunRecord

    def broken(*_args, **_kwargs):
        raise ValueError("repository: url: 'x' in _config.yml is not https://github.com/OWNER/NAME")

    monkeypatch.setattr("helpers.engine.pages.render_run", broken)
    record = RunRecord("kft_care_outcomes", tmp_path, tmp_path / "kft_care_outcomes.ipynb", {}, {})
    assert commands._write_page(record) == 1
    err = capsys.readouterr().err
    assert "compendium: error: page.html could not be rendered (ValueError: repository: url: 'x'" in err
    assert f"the run's notebook and results are in {tmp_path}" in err and "Traceback" not in err
