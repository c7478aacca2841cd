"""Every evaluation page in a reader's order (issue 21): the title, the evidence card, "In brief" (generated
from the run), then Results, Method and, last, the parameters folded away; no source's sentence typed into a
page (quotes come from the statements registry); simulation settings unmarked."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from helpers.engine import catalog
from helpers.engine.paths import BOOK, NOTEBOOKS
from helpers.page import kinds, statements
from helpers.page.glue import read_glued

NOTEBOOK_FILES = sorted(NOTEBOOKS.glob("*.ipynb"))
SECTIONS = ["In brief", "Results", "Method", "Parameters"]


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def source(cell: dict) -> str:
    return "".join(cell["source"])


def tags(cell: dict) -> list[str]:
    return cell["metadata"].get("tags", [])


def _invisible(output: dict) -> bool:
    """A glue record (papermill's scrapbook MIME types), which the page does not show where it is made."""
    data = output.get("data", {})
    return output.get("output_type") == "display_data" and all(
        key.startswith("application/papermill.record/") for key in data
    )


def section_starts(nb: list[dict]) -> dict[str, int]:
    """The index of the cell that opens each ``## `` section."""
    out: dict[str, int] = {}
    for i, cell in enumerate(nb):
        if cell["cell_type"] == "markdown":
            for head in re.findall(r"^## (.+?)\s*$", source(cell), re.M):
                out.setdefault(head, i)
    return out


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.stem)
def test_the_page_opens_with_its_title_card_and_brief_then_results_method_parameters(path):
    nb = cells(path)
    assert nb[0]["cell_type"] == "markdown" and source(nb[0]).startswith("# "), "the page opens with its title"
    starts = section_starts(nb)
    assert list(starts) == SECTIONS, f"the page's sections are {list(starts)}, not {SECTIONS}"
    shown = [i for i, c in enumerate(nb) if c["cell_type"] == "code" and "remove-cell" not in tags(c)]
    card = [i for i in shown if "show_card(" in source(nb[i])]
    brief = [i for i in shown if "show_brief(" in source(nb[i])]
    assert len(card) == 1 and card[0] < starts["In brief"], "one card, before In brief"
    assert "remove-input" in tags(nb[card[0]])
    assert len(brief) == 1 and starts["In brief"] < brief[0] < starts["Results"], "the brief under In brief"
    assert "remove-input" in tags(nb[brief[0]])
    # Nothing between the title and the brief but the card, the notes on what data the page shows (admonitions:
    # "Data on this page", "A synthetic reconstruction, not the study's records"), set-up that shows nothing
    # and the In brief heading: no prose, figure or table ahead of what the evaluation found.
    for i in range(1, brief[0]):
        if i in card or i == starts["In brief"]:
            continue
        cell = nb[i]
        if cell["cell_type"] == "markdown":
            assert re.fullmatch(r"\s*```\{admonition\}.*```\s*", source(cell), re.S), (
                f"cell {i}: prose before the brief"
            )
        else:
            assert "remove-cell" in tags(cell) or not [o for o in cell.get("outputs", []) if not _invisible(o)], (
                f"cell {i} shows something ahead of the brief"
            )


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.stem)
def test_the_parameters_are_declared_in_a_hidden_cell_and_shown_folded_at_the_end(path):
    nb = cells(path)
    starts = section_starts(nb)
    parameters = [i for i, c in enumerate(nb) if "parameters" in tags(c)]
    assert len(parameters) == 1 and "remove-cell" in tags(nb[parameters[0]])
    table = [i for i, c in enumerate(nb) if c["cell_type"] == "code" and re.search(r"PARAMETERS\.table\(", source(c))]
    assert len(table) == 1, "one parameters table"
    assert table[0] > starts["Parameters"] and "hide-output" in tags(nb[table[0]]), "the table is last and folded"


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[\u2018\u2019\u201c\u201d\"']", "", text).lower().split())


def _pages() -> dict[str, str]:
    out = {p.name: _plain("".join(source(c) for c in cells(p) if c["cell_type"] == "markdown")) for p in NOTEBOOK_FILES}
    out |= {p.name: _plain(p.read_text(encoding="utf-8")) for p in sorted(BOOK.glob("*.md"))}
    return out


def _typed_quotes(pages: dict[str, str]) -> list[str]:
    found = []
    for item in statements.load_statements().values():
        # a stretch of eight words or more of a quote, typed into a page, is a quote the registry should give
        words = _plain(item.quote).split()
        for k in range(0, max(len(words) - 7, 1)):
            stretch = " ".join(words[k : k + 8])
            if len(words) >= 8 and (where := [name for name, text in pages.items() if stretch in text]):
                found.append(f"{item.id}: '{stretch}' typed in {', '.join(where)}")
                break
    return found


def test_no_page_types_a_sentence_of_a_source():
    """Findings and practice messages are quoted from data/published/statements.csv (with their source and how
    directly they were seen), never typed: a typed copy could drift from the registry's checked quote."""
    found = _typed_quotes(_pages())
    assert not found, "\n".join(found)


def test_the_typed_quote_check_finds_a_typed_quote():
    item = next(iter(statements.load_statements().values()))
    assert _typed_quotes({"page.md": _plain(f"As the report put it, {item.quote}")})


#: Names of the numbers that say how much was simulated (draws, replicates, resamples; rep_n and rep_<set>_n,
#: the reconstructions drawn): settings, unmarked.
SIMULATION_SETTING = re.compile(
    r"(^|_)(draws|n_replicates|replicates|sims|n_sims|boot|n_boot|resamples)$|^rep_(\w+_)?n$"
)


@pytest.mark.parametrize("stem", catalog.stems())
def test_how_much_was_simulated_is_a_setting_not_a_finding(stem):
    """Every such number the committed page glues, or its package declares, resolves to an unmarked setting
    (declared, or by the rule for rep_*)."""
    glued = read_glued(nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4))
    names = {n for n in [*glued, *kinds.declared(stem)] if SIMULATION_SETTING.search(n)}
    wrong = {n: kinds.resolve(stem, n).value for n in names if kinds.resolve(stem, n) is not kinds.Kind.SETTING}
    assert not wrong, f"{stem}: simulation settings with a mark: {wrong}"


def test_the_setting_check_sees_the_settings_pages_state():
    found = {
        n
        for stem in catalog.stems()
        for n in read_glued(nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4))
        if SIMULATION_SETTING.search(n)
    }
    assert {"psa_draws", "rep_n", "rep_small_n", "n_boot"} <= found, found
