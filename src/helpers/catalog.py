"""The notebooks of the compendium and the analysis module behind each.

Each notebook ``notebooks/<stem>.ipynb`` is presented by one module
``helpers.analyses.<stem>`` that declares:

``TITLE``        the notebook's title (one line);
``SUMMARY``      what it does (one line, for ``compendium list``);
``PARAMETERS``   a :class:`~helpers.params.ParamSpec`, the single source of its parameters;
``run(params)``  the analysis: validated parameters in, an
                 :class:`~helpers.results.AnalysisResult` out;

and optionally ``check_inputs(params)``, which validates the data files a run
would read (so that ``compendium run`` can refuse bad records before
starting a kernel).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

from .params import ParameterError
from .paths import NOTEBOOKS

_REQUIRED = ("TITLE", "SUMMARY", "PARAMETERS", "run")


@dataclass(frozen=True)
class Entry:
    stem: str
    title: str
    summary: str
    module: ModuleType

    @property
    def notebook(self):
        return NOTEBOOKS / f"{self.stem}.ipynb"


class UnknownNotebook(ParameterError):
    """A notebook stem that is not in ``notebooks/``."""


def stems() -> list[str]:
    """Stems of the committed notebooks, sorted."""
    return sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))


def module_for(stem: str) -> ModuleType:
    """The analysis module of a notebook; a clear error for a stem with no notebook."""
    known = stems()
    if stem not in known:
        raise UnknownNotebook(f"unknown notebook {stem!r}: expected one of {', '.join(known)}")
    module = importlib.import_module(f"helpers.analyses.{stem}")
    missing = [name for name in _REQUIRED if not hasattr(module, name)]
    if missing:
        raise TypeError(f"helpers.analyses.{stem} lacks {', '.join(missing)}")
    return module


def entry(stem: str) -> Entry:
    module = module_for(stem)
    return Entry(stem, module.TITLE, module.SUMMARY, module)


def entries() -> list[Entry]:
    return [entry(s) for s in stems()]
