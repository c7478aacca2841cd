"""Every notebook follows the compendium's pattern.

For each notebook in notebooks/: it has an analysis module and is in the table of
contents; its ``parameters`` cell defines exactly the declared parameters with
their declared defaults; it is committed executed; what it glues is exactly what
its analysis function returns (so results.json, sweeps and the page agree);
every figure has a caption and alt text; its prose has no typed numbers.
"""

from __future__ import annotations

import ast
import re

import nbformat
import pytest
import yaml

from helpers.engine import catalog
from helpers.engine.paths import NOTEBOOKS, ROOT
from helpers.page.glue import read_glued
from typed_numbers import typed_numbers

STEMS = catalog.stems()
GENERIC_ALT = re.compile(r"^\s*(figure|fig\.?|image|plot|chart|graph)?\s*\d*\s*$", re.I)


def _nb(stem):
    return nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)


def _toc_files():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                files.append(node["file"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(toc.get("parts", toc.get("chapters", [])))
    return files


def test_there_are_notebooks():
    assert "kft_care_outcomes" in STEMS


@pytest.mark.parametrize("stem", STEMS)
def test_notebook_has_a_module_and_is_in_the_book(stem):
    entry = catalog.entry(stem)
    assert entry.title and entry.summary and "\n" not in entry.summary
    assert f"notebooks/{stem}" in _toc_files()


@pytest.mark.parametrize("stem", STEMS)
def test_parameters_cell_agrees_with_the_declaration(stem):
    nb = _nb(stem)
    spec = catalog.module_for(stem).PARAMETERS
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell must be tagged 'parameters'"
    cell = nb.cells[tagged[0]]
    assigned = [
        t.id
        for node in ast.parse(cell.source).body
        if isinstance(node, (ast.Assign, ast.AnnAssign))
        for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
    ]
    assert assigned == list(spec.names), "the parameters cell must assign the declared parameters, in order"
    namespace: dict = {}
    for c in nb.cells[: tagged[0] + 1]:  # the imports before it, then the cell itself
        if c.cell_type == "code":
            exec(compile(c.source.replace("use_theme()", ""), f"<{stem}>", "exec"), namespace)
    values = {name: namespace[name] for name in spec.names}
    defaults = spec.defaults()
    for name in spec.names:
        assert values[name] == defaults[name], f"{name}: notebook {values[name]!r} != declared {defaults[name]!r}"
        assert type(values[name]) is type(defaults[name]), f"{name}: type differs from the declaration"


@pytest.mark.parametrize("stem", STEMS)
def test_notebook_is_committed_executed(stem):
    for cell in _nb(stem).cells:
        if cell.cell_type == "code" and cell.source.strip():
            assert cell.execution_count is not None, f"unexecuted cell: {cell.source[:60]!r}"
            assert not [o for o in cell.outputs if o.output_type == "error"]


@pytest.mark.parametrize("stem", STEMS)
def test_glued_values_are_exactly_the_analysis_results(stem):
    module = catalog.module_for(stem)
    expected = module.run(module.PARAMETERS.defaults()).scalars
    assert read_glued(_nb(stem)) == expected


@pytest.mark.parametrize("stem", STEMS)
def test_every_figure_has_a_caption_and_alt_text(stem):
    figures = 0
    for cell in _nb(stem).cells:
        if cell.cell_type != "code":
            continue
        images = [o for o in cell.outputs if "image/png" in o.get("data", {}) or "image/svg+xml" in o.get("data", {})]
        if not images:
            continue
        figures += len(images)
        meta = cell.metadata.get("mystnb", {})
        caption = meta.get("figure", {}).get("caption", "")
        alt = meta.get("image", {}).get("alt", "")
        assert len(caption) > 20, f"figure without a caption in cell {cell.source[:60]!r}"
        assert len(alt) > 30 and not GENERIC_ALT.match(alt), f"figure without meaningful alt text: {alt!r}"
        assert meta.get("figure", {}).get("name"), "figure without a name to reference it by"
        assert caption.rstrip().endswith("{glue}`provenance`"), "a figure caption must end with {glue}`provenance`"
    assert figures > 0


@pytest.mark.parametrize("stem", STEMS)
def test_prose_has_no_typed_numbers(stem):
    for cell in _nb(stem).cells:
        texts = [cell.source] if cell.cell_type == "markdown" else []
        texts.append(cell.metadata.get("mystnb", {}).get("figure", {}).get("caption", ""))
        for text in texts:
            assert not typed_numbers(text), f"typed numbers {typed_numbers(text)} in {text[:80]!r}: glue them"


def test_book_pages_have_no_typed_numbers():
    for page in (ROOT / "book").glob("*.md"):
        assert not typed_numbers(page.read_text()), f"{page.name}: {typed_numbers(page.read_text())}"


@pytest.mark.parametrize("stem", STEMS)
def test_no_cell_relies_on_a_trailing_semicolon(stem):
    # nbval executes cells without storing history, so IPython's `;` does not suppress the
    # cell's result there: a figure would be output twice and nbval would fail. Assign instead
    # (`fig = plot(...)`).
    for cell in _nb(stem).cells:
        if cell.cell_type == "code" and cell.source.strip():
            assert not cell.source.rstrip().endswith(";"), f"cell ends with ';': {cell.source[-60:]!r}"


@pytest.mark.parametrize("stem", STEMS)
def test_every_results_table_is_followed_by_its_provenance(stem):
    for cell in _nb(stem).cells:
        if cell.cell_type != "code":
            continue
        outputs = [o for o in cell.outputs if o.output_type in ("display_data", "execute_result")]
        for i, out in enumerate(outputs):
            html = out.get("data", {}).get("text/html", "")
            if "<table" not in html:
                continue  # every HTML table counts, whatever its class
            if ">value used<" in html:
                continue  # the parameter table is the provenance others link to
            if 'class="evidence-card"' in html:
                continue  # the evidence card quotes the registries; it shows no result
            following = outputs[i + 1].get("data", {}).get("text/html", "") if i + 1 < len(outputs) else ""
            assert 'class="provenance"' in following, f"no provenance line after an output of {cell.source[:60]!r}"
