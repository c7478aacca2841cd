"""Declared parameters and their validation: the one validator every notebook uses.

Each analysis module declares its parameters once, as a :class:`ParamSpec`.
The same declaration is read by

* the notebook, which validates its parameters before any analysis runs;
* ``compendium params`` / ``compendium run`` (typed parsing of ``-p NAME VALUE``,
  parameter files, clear one-line errors);
* sweeps, which validate every grid point before the first one runs;
* the tests, which check that each notebook's ``parameters`` cell agrees.

An analysis declares its parameters as a class: one typed attribute per parameter, its
default and description given by :func:`param`::

    class Parameters(ParameterSet):
        n_referred: int = param(119, "Children referred to the units", minimum=1, unit="children")

    PARAMETERS = ParamSpec.of(Parameters)

Validation returns an instance: ``p.n_referred`` is an ``int`` to the reader and to mypy, and
the instance is also a read-only mapping by name (``p["n_referred"]``, ``dict(p)``), which is
what files, caches and papermill receive.

Papermill passes ``-p`` values with a guessed type and only warns about
unknown names; validating against the declaration closes both gaps: the
notebook's validation cell (:meth:`ParamSpec.from_namespace`) refuses a value
of the wrong type and any injected name that is not declared, by name.
"""

from __future__ import annotations

from helpers.params.param import Param, ParameterError, Scalar, ShippedFileParam
from helpers.params.spec import Constraint, ParameterSet, ParamSpec, param

__all__ = [
    "Constraint",
    "Param",
    "ParamSpec",
    "ParameterError",
    "ParameterSet",
    "Scalar",
    "ShippedFileParam",
    "param",
]
