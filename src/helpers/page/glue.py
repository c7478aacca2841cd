"""Gluing results into the book, and reading them back from an executed notebook.

Notebooks glue every scalar of their :class:`~helpers.results.AnalysisResult`
with :func:`glue_scalars`; the prose references them with ``{glue:text}``.
``compendium run`` reads the same glued values back out of the executed
notebook (:func:`read_glued`) to write ``results.json``, so the file holds
exactly what the page shows.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import Any

from helpers.results import Scalar, plain

#: Output metadata key under which myst-nb records a glued variable's name.
_GLUE_KEY = "scrapbook"


def glue_scalars(scalars: Mapping[str, Any]) -> None:
    """Glue each scalar under its name, without displaying it."""
    from myst_nb import glue  # imported here: only needed inside a kernel

    for name, value in scalars.items():
        glue(name, plain(value), display=False)


def read_glued(nb: Any) -> dict[str, Scalar]:
    """Every scalar glued in an executed notebook (an ``nbformat`` node or dict), by glue name.

    Non-scalar glues (figures, tables) are skipped. A name glued twice keeps its last value.
    """
    out: dict[str, Scalar] = {}
    for cell in nb["cells"]:
        if cell.get("cell_type") != "code":
            continue
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get(_GLUE_KEY)
            if not meta or output.get("output_type") not in ("display_data", "execute_result"):
                continue
            prefix = meta.get("mime_prefix", "")
            data = {k.removeprefix(prefix): v for k, v in output.get("data", {}).items()}
            if set(data) != {"text/plain"}:
                continue  # a figure, a table or other rich output
            try:
                value = ast.literal_eval(data["text/plain"])
            except (ValueError, SyntaxError):
                continue
            if isinstance(value, (bool, int, float, str)):
                out[meta["name"]] = value
    return out
