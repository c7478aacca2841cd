"""Names a package exports but loads only when first used (PEP 562: a module's ``__getattr__``).

``compendium list`` and ``compendium params`` need an analysis's title and parameters, not its
models and figures: an analysis package imports its ``parameters`` module at once and everything
else (``run``, the plots, the models) on first use. ``helpers.page`` does the same for matplotlib.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, exports: Mapping[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A module ``__getattr__`` and ``__dir__`` for ``package`` that load each name in ``exports``
    (name -> submodule of ``package``, e.g. ``{"run": "analysis"}``) from its submodule on first use,
    then keep it in the package's namespace, so later uses cost nothing."""

    def __getattr__(name: str) -> Any:
        if name not in exports:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{exports[name]}"), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(exports))

    return __getattr__, __dir__
