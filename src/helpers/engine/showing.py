"""``compendium show RUN_DIR``: what a run found, in a terminal.

A run's folder (written by ``compendium run``) holds ``params.json`` and ``results.json``; the page's
"In brief" is a template (each analysis package's ``summary.brief``) filled from a run's numbers, so the
same text the run's page shows is rebuilt here from those two files, with no kernel and nothing executed.
Marks are written as letters in brackets (``[P]`` a published figure, ``[D]`` your data, ...; the book's
glossary, "Marks", says what each means).
"""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path
from typing import Any

from helpers.inputs.suppression import MARKER
from helpers.page.kinds import Kind
from helpers.page.narrative import NarrativeError
from helpers.params import ParameterError

#: The results format ``compendium show`` reads (``results.json``'s ``format``).
RESULTS_FORMAT = "compendium-results/1"


class RunFolderError(ParameterError):
    """A folder that is not a run's folder (or whose files cannot be read), in one line naming it."""


def _read_json(path: Path, what: str) -> Any:
    if not path.is_file():
        raise RunFolderError(
            f"{path.parent}: not a run's folder (no {path.name}); give the folder `compendium run` printed, "
            "such as runs/kft_care_outcomes/run-DATE-TIME"
        )
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise RunFolderError(f"{path}: not readable as the {what} a run writes ({err})") from None


def load_run(run_dir: str | Path) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """The notebook's stem, the run's parameters and its results (values by name; a suppressed value is the
    page's ``[c]``, as the page shows it) from a run's folder."""
    folder = Path(run_dir)
    if not folder.is_dir():
        raise RunFolderError(f"{folder}: no such folder (give the folder `compendium run` printed)")
    results = _read_json(folder / "results.json", "results")
    params = _read_json(folder / "params.json", "parameters")
    if not isinstance(results, dict) or results.get("format") != RESULTS_FORMAT:
        found = results.get("format") if isinstance(results, dict) else type(results).__name__
        raise RunFolderError(f"{folder / 'results.json'}: format {found!r} is not {RESULTS_FORMAT!r}")
    if not isinstance(params, dict):
        raise RunFolderError(f"{folder / 'params.json'}: expected the parameters by name")
    entries = results.get("results")
    if not isinstance(entries, dict) or not all(isinstance(e, dict) and "value" in e for e in entries.values()):
        raise RunFolderError(
            f"{folder / 'results.json'}: 'results' must map each name to an entry with its 'value', as a run writes it"
        )
    if not isinstance(results.get("notebook"), str):
        raise RunFolderError(f"{folder / 'results.json'}: no 'notebook' named")
    values = {name: MARKER if entry.get("suppressed") else entry["value"] for name, entry in entries.items()}
    return results["notebook"], params, values


def _wrap(text: str, width: int) -> str:
    out = []
    for line in text.splitlines():
        indent = "  " if line.startswith("- ") else ""
        out.append(textwrap.fill(line, width, subsequent_indent=indent) if line else "")
    return "\n".join(out)


def show_text(run_dir: str | Path, width: int | None = None) -> str:
    """The run's card and "In brief" as plain text, wrapped to ``width`` (default: the terminal's, at most 100)."""
    from helpers.engine import catalog
    from helpers.page.cards import card_text

    stem, params, values = load_run(run_dir)
    module = catalog.module_for(catalog.stem_of(stem))
    width = width or min(shutil.get_terminal_size((100, 24)).columns, 100)
    try:
        brief = module.brief(values, params)
    except (KeyError, NarrativeError) as err:  # a results.json from another version, or edited by hand
        missing = err.args[0] if isinstance(err, KeyError) else err
        raise RunFolderError(
            f"{Path(run_dir) / 'results.json'}: lacks what the page's In brief states ({missing}); was it written by "
            "another version of the compendium? Run the notebook again with `compendium run`"
        ) from None
    parts = [
        card_text(module.CARD, stem),
        "",
        f"In brief (this run: {Path(run_dir)})",
        _wrap(brief.text(), width),
    ]
    page = Path(run_dir) / "page.html"
    parts += ["", f"The whole page: {page}" if page.is_file() else "No page.html (the run was made with --no-page)."]
    used = [k for k in Kind if k.marked and f"[{k.letter}]" in parts[3]]
    if used:
        parts += ["", "Marks:"] + [f"  [{k.letter}] {k.label}" for k in used]
    return "\n".join(parts)
