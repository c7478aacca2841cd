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
from pathlib import Path
from types import ModuleType

from helpers.engine.paths import NOTEBOOKS, expand_user, require_root
from helpers.engine.wording import did_you_mean
from helpers.params import ParameterError

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
    """Stems of the committed notebooks, sorted (:class:`~helpers.engine.paths.CompendiumNotFound`
    outside a compendium folder)."""
    require_root()
    return sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))


def stem_of(name: str) -> str:
    """A notebook named by its stem (``kft_care_outcomes``), file name (``kft_care_outcomes.ipynb``)
    or path (``notebooks/kft_care_outcomes.ipynb``, relative to the current directory or absolute).

    A path must be the compendium's own notebook: a copy elsewhere (e.g. an executed run in
    ``runs/``) is refused, since the compendium runs its committed notebooks.
    """
    text = str(name)
    if "/" not in text and "\\" not in text and not text.endswith(".ipynb"):
        return text
    path = expand_user(text)
    stem = path.stem if path.suffix == ".ipynb" else path.name
    known = stems()
    if stem not in known:
        raise UnknownNotebook(
            f"unknown notebook {text!r}{did_you_mean(stem, known)}: expected one of {', '.join(known)} "
            f"(a name, or a path to a notebook in {NOTEBOOKS})"
        )
    if path.parent != Path(".") and path.exists() and path.resolve() != (NOTEBOOKS / f"{stem}.ipynb").resolve():
        raise UnknownNotebook(
            f"notebook {text!r} is not the compendium's own {stem} ({NOTEBOOKS / (stem + '.ipynb')}): name it as {stem}"
        )
    if path.parent != Path(".") and not path.exists():
        raise UnknownNotebook(
            f"notebook {text!r} does not exist: expected one of {', '.join(known)} "
            f"(a name, or a path to a notebook in {NOTEBOOKS})"
        )
    return stem


def module_for(stem: str) -> ModuleType:
    """The analysis module of a notebook; a clear error for a stem with no notebook."""
    known = stems()
    if stem not in known:
        raise UnknownNotebook(
            f"unknown notebook {stem!r}{did_you_mean(stem, known)}: expected one of {', '.join(known)}"
        )
    module = importlib.import_module(f"helpers.analyses.{stem}")
    missing = [name for name in _REQUIRED if name not in dir(module)]  # dir: without loading a lazy name
    if missing:
        raise TypeError(f"helpers.analyses.{stem} lacks {', '.join(missing)}")
    return module


def entry(stem: str) -> Entry:
    module = module_for(stem)
    return Entry(stem, module.TITLE, module.SUMMARY, module)


def entries() -> list[Entry]:
    return [entry(s) for s in stems()]
