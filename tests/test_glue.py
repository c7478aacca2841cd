"""Glued values read back from an executed notebook are exactly the values glued."""

from __future__ import annotations

import nbformat
import numpy as np
import pytest

from helpers.page.glue import read_glued
from helpers.results import AnalysisResult, plain, scalars_from


def _glue_output(name, text, prefix="application/papermill.record/"):
    return nbformat.v4.new_output(
        "display_data",
        data={f"{prefix}text/plain": text},
        metadata={"scrapbook": {"name": name, "mime_prefix": prefix}},
    )


def test_read_glued_round_trips_scalars_and_skips_rich_outputs():
    values = {"a": 0.1 + 0.2, "b": 94, "c": "exceeds the target", "d": True, "e": 6.70849723123969e-11}
    cell = nbformat.v4.new_code_cell("glue")
    cell.outputs = [_glue_output(k, repr(v)) for k, v in values.items()]
    cell.outputs.append(
        nbformat.v4.new_output(
            "display_data",
            data={"image/png": "iVBO", "text/plain": "<Figure>"},
            metadata={"scrapbook": {"name": "fig", "mime_prefix": ""}},
        )
    )
    cell.outputs.append(nbformat.v4.new_output("stream", name="stdout", text="hello"))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("x"), cell])
    assert read_glued(nb) == values


def test_plain_converts_numpy_and_refuses_the_rest():
    assert type(plain(np.float64(0.5))) is float and type(plain(np.int64(3))) is int
    assert type(plain(np.bool_(True))) is bool
    assert repr(plain(np.float64(0.1))) == "0.1"
    with pytest.raises(ValueError, match="not finite"):
        plain(float("nan"))
    with pytest.raises(TypeError, match="not a scalar"):
        plain([1, 2])


def test_result_names_must_be_glue_keys():
    with pytest.raises(ValueError, match="lower_snake_case"):
        scalars_from({"Home rate": 0.5})
    r = AnalysisResult("x", {}, {"home_rate": np.float64(0.5)})
    assert r["home_rate"] == 0.5 and type(r["home_rate"]) is float
