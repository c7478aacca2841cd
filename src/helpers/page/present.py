"""Showing figures and tables on a notebook page, each with a generated provenance line.

Every figure and results table in the book is shown through :func:`show_figure`
or :func:`show_table`. Under each, a small line says which notebook made it,
with which parameters (defaults, or a link to the page's parameter table),
the content hash of every data file the analysis read, and the content hashes of
the notebook, the compendium's code, ``data/`` and the lock file
(:mod:`helpers.engine.provenance`), which anyone can recompute from a checkout
(``compendium provenance``). Nothing in the line is typed by hand, and nothing
in it depends on the machine, the folder or the commit, so nbval compares it as it is.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from helpers.engine.provenance import provenance_text
from helpers.results import AnalysisResult


def params_digest(params: Mapping[str, Any]) -> str:
    """Short SHA-256 of the parameter values (sorted JSON)."""
    return hashlib.sha256(json.dumps(dict(params), sort_keys=True).encode()).hexdigest()[:12]


def provenance(result: AnalysisResult, what: str = "Figure") -> str:
    """The provenance line (HTML) for a figure or table made from ``result``."""
    from helpers.engine import catalog

    spec = catalog.module_for(result.notebook).PARAMETERS
    is_default = result.params == spec.validate()
    params_text = "default parameters" if is_default else "parameters changed from the defaults"
    data = "; ".join(f"{Path(path).name} sha256:{digest[:12]}" for path, digest in sorted(result.inputs.items()))
    parts = [
        f"{html.escape(what)} made by <code>{html.escape(result.notebook)}.ipynb</code>",
        f'<a href="#parameters">{params_text}</a> (digest {params_digest(result.params)})',
        f"data read: {html.escape(data) if data else 'none'}",
        f"computed from {html.escape(provenance_text(result.notebook))}",
    ]
    return '<p class="provenance" style="font-size:0.75em;margin-top:0.2em">' + " · ".join(parts) + "</p>"


def _display(obj: Any) -> None:
    from IPython.display import display

    display(obj)


#: Glue key of the provenance line that every figure caption ends with: ``{glue}`provenance```.
PROVENANCE_KEY = "provenance"


def glue_provenance(result: AnalysisResult) -> None:
    """Glue the page's provenance line (HTML) for the figure captions.

    myst-nb wraps every output of a figure cell in the figure, so the line cannot
    be a second output of that cell; each caption ends with ``{glue}`provenance```
    instead, and the book shows the line inside the caption, under the figure.
    """
    from IPython.display import HTML
    from myst_nb import glue

    glue(
        PROVENANCE_KEY,
        HTML("<br/>" + provenance(result, "Figure").replace("<p ", "<span ").replace("</p>", "</span>")),
        display=False,
    )


def show_figure(fig) -> None:
    """Display a matplotlib figure once (and close it). Its caption, alt text and provenance
    come from the cell's ``mystnb`` metadata; the caption ends with ``{glue}`provenance```."""
    import matplotlib.pyplot as plt

    _display(fig)
    plt.close(fig)


def table_html(frame: pd.DataFrame, *, float_format: str = "{:,.4g}") -> str:
    """A data frame as an HTML table without the index, nothing truncated, numbers formatted."""
    with pd.option_context("display.max_colwidth", None):
        return frame.to_html(
            index=False,
            escape=True,
            border=0,
            classes="compendium-table",
            float_format=lambda x: float_format.format(x),
            na_rep="",
        )


def show_table(frame: pd.DataFrame, result: AnalysisResult | None = None, *, float_format: str = "{:,.4g}") -> None:
    """Display a table (no index, nothing truncated), then its provenance line if it comes from ``result``."""
    from IPython.display import HTML

    _display(HTML(table_html(frame, float_format=float_format)))
    if result is not None:
        _display(HTML(provenance(result, "Table")))
