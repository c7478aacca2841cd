"""What each result value means: a description and a unit for every scalar an analysis returns.

Each analysis declares its outputs once, in ``helpers.analyses.<stem>.outputs`` (``OUTPUTS``, built with
:func:`declare`), beside its parameters. ``compendium run`` writes them into ``results.json`` with the values
(:func:`document`), a sweep's ``--plot`` labels its axes with them, and a test fails on a scalar that has
no description. Families of names are described by rule rather than one by one:

* ``<name>_ci_low`` and ``<name>_ci_high``: the ends of the confidence interval of ``<name>``, in its unit;
* ``<name>_mcse``: the Monte Carlo standard error of a simulated ``<name>``, in its unit, and ``<name>_text``:
  ``<name>`` as the page prints it, at the precision that error supports (:mod:`helpers.stats.montecarlo`),
  for any ``<name>`` described (by name or by rule);
* ``own_records``: whether the run is on the user's own records (a page that accepts them glues it);
* ``rep_<estimate>_<statistic>`` (:func:`helpers.stats.replicates.scalars`): a summary across the synthetic
  reconstructions of an estimate declared in ``replicates=``, and ``rep_n``, the number of reconstructions;
* a scalar that is one of the analysis's parameters, declared with :func:`echo`: the parameter's own
  description and unit.

A value suppressed to protect small counts from the user's own records (shown as ``[c]`` on the page; always
a number: no phrase is ``[c]``) is written ``null`` in ``results.json``, with ``"suppressed": true``
(:func:`document`), and is an empty cell in a sweep's table, named in its ``suppressed`` column.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from helpers.params import ParamSpec

#: Units that say what kind of value it is rather than what it counts.
TEXT = "text"
FLAG = "true/false"
PROPORTION = "proportion (0 to 1)"
PROBABILITY = "probability (0 to 1)"
P_VALUE = "p-value (0 to 1)"
RATIO = "ratio"
PERCENT = "per cent"
PERCENTAGE_POINTS = "percentage points"
GBP = "GBP"
YEAR = "year"
Z_SCORE = "standard errors (z)"
#: The version of ``results.json``'s layout (see :func:`document`).
FORMAT = "compendium-results/1"
#: How a suppressed count is shown on a page (helpers.inputs.suppression.MARKER; here so that reading
#: the outputs loads no tables).
SUPPRESSED_MARKER = "[c]"


class OutputError(LookupError):
    """A result value with no description, or a declaration that cannot describe one."""


@dataclass(frozen=True)
class Output:
    """What one result value is: a sentence, and its unit (:data:`TEXT` for a phrase, :data:`FLAG` for a
    true/false, else what the number counts or measures)."""

    description: str
    unit: str

    def __post_init__(self) -> None:
        if not self.description.strip() or not self.unit.strip():
            raise OutputError(f"an output needs a description and a unit, not {self.description!r}, {self.unit!r}")

    @property
    def numeric(self) -> bool:
        return self.unit not in (TEXT, FLAG)


@dataclass(frozen=True)
class _Named:
    name: str
    output: Output


#: The flag a page that accepts the user's own records glues (helpers.page.kinds.OWN_RECORDS_KEY).
OWN_RECORDS = _Named("own_records", Output("Whether this run is on the user's own records", FLAG))

#: ``replicate_mcse_max`` of a page that summarises shares across reconstructions (0.5/√n_replicates).
REPLICATE_MCSE_MAX = Output(
    "Largest Monte Carlo standard error of a share across n_replicates reconstructions (0.5/√n)", PROPORTION
)


def echo(spec: ParamSpec, name: str, unit: str = "") -> Output:
    """The output that repeats parameter ``name``: its declared description and unit (``unit`` when the
    parameter declares none)."""
    param = spec[name]
    if not (param.unit or unit):
        raise OutputError(f"parameter {name!r} declares no unit: give echo() one")
    return Output(f"The parameter {name}: {param.description}", param.unit or unit)


#: What each statistic of a summary across reconstructions is (helpers.stats.replicates.scalars), and its
#: unit: ``None`` for the estimate's own unit.
_REPLICATE_STATISTICS: dict[str, tuple[str, str | None]] = {
    "median": ("Median across the synthetic reconstructions of: {}", None),
    "median_mcse": ("Monte Carlo standard error of the median across the reconstructions of: {}", None),
    "range_low": ("Lower end of the central range across the reconstructions of: {}", None),
    "range_low_mcse": ("Monte Carlo standard error of the lower end of the central range of: {}", None),
    "range_high": ("Upper end of the central range across the reconstructions of: {}", None),
    "range_high_mcse": ("Monte Carlo standard error of the upper end of the central range of: {}", None),
    "truth": ("The value the reconstructions were calibrated to (given to the generator) of: {}", None),
    "coverage": (
        "Share of the reconstructions whose confidence interval contains the calibrated value of: {}",
        PROPORTION,
    ),
    "coverage_mcse": ("Monte Carlo standard error of the coverage across the reconstructions of: {}", PROPORTION),
    "detection": ("Share of the reconstructions whose confidence interval excludes no difference, for: {}", PROPORTION),
    "detection_mcse": (
        "Monte Carlo standard error of the detection rate across the reconstructions of: {}",
        PROPORTION,
    ),
    "n_estimable": ("Number of reconstructions in which this could be estimated: {}", "reconstructions"),
}
_INTERVAL_ENDS = {"_ci_low": "Lower", "_ci_high": "Upper"}
#: A simulated value's Monte Carlo error, and the value as printed at the precision the error supports.
_SIMULATED: dict[str, tuple[str, str | None]] = {
    "_mcse": ("Monte Carlo standard error of: {}", None),
    "_text": ("As the page prints it, at the precision its Monte Carlo error supports: {}", TEXT),
    "_error_text": ("The Monte Carlo standard error as the page prints it, of: {}", TEXT),
}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


@dataclass(frozen=True)
class Outputs(Mapping[str, Output]):
    """An analysis's outputs: those declared by name, and the families described by rule (see the module)."""

    declared: Mapping[str, Output]
    replicates: Mapping[str, Output]

    def __getitem__(self, name: str) -> Output:
        found = self.find(name)
        if found is None:
            raise KeyError(name)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self.declared)

    def __len__(self) -> int:
        return len(self.declared)

    def find(self, name: str) -> Output | None:
        """The output ``name``, declared or described by rule; ``None`` if it is neither."""
        if name in self.declared:
            return self.declared[name]
        for suffix, end in _INTERVAL_ENDS.items():
            base = self.declared.get(name.removesuffix(suffix)) if name.endswith(suffix) else None
            if base is not None and base.numeric:
                text = f"{end} end of the confidence interval of: {_lower_first(base.description)}"
                return Output(text, base.unit)
        if name == OWN_RECORDS.name:
            return OWN_RECORDS.output
        replicate = self._replicate(name)  # (its own statistics first: rep_x_median_mcse, rep_x_coverage_mcse)
        if replicate is not None:
            return replicate
        for suffix, (text, unit) in _SIMULATED.items():
            base = self.find(name.removesuffix(suffix)) if name.endswith(suffix) else None
            if base is not None and base.numeric:
                return Output(text.format(_lower_first(base.description)), unit or base.unit)
        return None

    def _replicate(self, name: str) -> Output | None:
        if not self.replicates or not name.startswith("rep_"):
            return None
        if name == "rep_n":
            return Output("Number of synthetic reconstructions drawn, each from its own seed", "reconstructions")
        for statistic, (text, unit) in _REPLICATE_STATISTICS.items():
            estimate = name.removeprefix("rep_").removesuffix(f"_{statistic}")
            if name.endswith(f"_{statistic}") and estimate in self.replicates:
                base = self.replicates[estimate]
                return Output(text.format(_lower_first(base.description)), unit or base.unit)
        return None


def declare(
    declared: Mapping[str, Output | tuple[str, str]], *, replicates: Mapping[str, tuple[str, str]] | None = None
) -> Outputs:
    """An analysis's ``OUTPUTS``: each name with ``Output`` or ``(description, unit)``; ``replicates`` names
    each estimate summarised across reconstructions (``rep_<estimate>_...``) with its description and unit."""
    return Outputs(
        {n: o if isinstance(o, Output) else Output(*o) for n, o in declared.items()},
        {n: Output(*o) for n, o in (replicates or {}).items()},
    )


def outputs_of(stem: str) -> Outputs:
    """The ``OUTPUTS`` of ``helpers.analyses.<stem>.outputs``."""
    return importlib.import_module(f"helpers.analyses.{stem}.outputs").OUTPUTS


def describe(stem: str, name: str) -> Output:
    """The output ``name`` of analysis ``stem``; :class:`OutputError` naming where to declare it if none."""
    found = outputs_of(stem).find(name)
    if found is None:
        raise OutputError(
            f"{stem}: result {name!r} has no description: declare it in helpers/analyses/{stem}/outputs.py"
        )
    return found


def _type(value: Any, output: Output | None) -> str:
    if isinstance(value, bool) or (output is not None and output.unit == FLAG):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if output is not None:
        return "number" if output.numeric else "text"
    return "number" if isinstance(value, float) else "text"


def document(stem: str, scalars: Mapping[str, Any]) -> dict[str, Any]:
    """``results.json``: the notebook, the layout's version, and for each value (in the analysis's order) its
    ``value``, ``type`` (integer, number, text or boolean), ``unit`` and ``description``. A number suppressed
    to protect small counts (``[c]`` on the page) is ``"value": null`` with ``"suppressed": true``. (A value
    not yet described gets ``null`` description and unit rather than failing a finished run: the tests
    refuse it, :func:`describe`.)"""
    declared = outputs_of(stem)
    results: dict[str, Any] = {}
    for name, value in scalars.items():
        output = declared.find(name)
        entry: dict[str, Any] = {"value": value, "type": _type(value, output)}
        if value == SUPPRESSED_MARKER:
            entry.update(value=None, type="number", suppressed=True)
        entry["unit"] = output.unit if output else None
        entry["description"] = output.description if output else None
        results[name] = entry
    return {"notebook": stem, "format": FORMAT, "results": results}


def values(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The values of a ``results.json`` document by name (``None`` where suppressed)."""
    return {name: entry["value"] for name, entry in doc["results"].items()}


def plain_values(scalars: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The values as a program reads them, a suppressed number (``[c]``) as ``None``; and the names suppressed."""
    suppressed = [name for name, value in scalars.items() if value == SUPPRESSED_MARKER]
    return {name: None if name in suppressed else value for name, value in scalars.items()}, suppressed
