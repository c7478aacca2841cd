"""What kind of number a summary states: published, computed from published figures, synthetic, assumed.

Every number in the landing page and in each page's "In brief" carries a mark saying which of
these it is, so that a reader can tell a published fact from one run of an assumption. The mark is
not typed: the prose writes ``{num}`key:spec``` (same syntax as ``{glue:text}``), and the book's
``kind_marks`` extension looks the kind up here, from the analysis module's own declaration:

* ``KINDS`` in ``helpers.analyses.<stem>``, built with :func:`declare`, names the kind of every
  scalar the module's summaries state;
* names starting ``rep_`` (written by :func:`helpers.stats.replicates.scalars`) are summaries across many
  synthetic reconstructions: :attr:`Kind.SYNTHETIC`;
* a scalar computed from one synthetic draw is :attr:`Kind.ONE_DRAW`. It may appear in a page's
  body, labelled as one draw, but never in a summary: :func:`summary_kind` refuses it.

Tests check the declarations against what the numbers are: a ``published`` number must equal a
figure in the registry, and a ``synthetic`` one must come from the replicate summaries.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from enum import Enum


class Kind(str, Enum):  # noqa: UP042 - a StrEnum would change str(kind) and f"{kind}"
    """The kinds of number, each with its mark (a letter, not colour alone) and its label."""

    PUBLISHED = "published"
    COMPUTED = "computed"
    SYNTHETIC = "synthetic"
    ASSUMPTION = "assumption"
    ONE_DRAW = "one_draw"

    @property
    def letter(self) -> str:
        return _LETTERS[self]

    @property
    def label(self) -> str:
        return _LABELS[self]


_LETTERS = {Kind.PUBLISHED: "P", Kind.COMPUTED: "C", Kind.SYNTHETIC: "S", Kind.ASSUMPTION: "A", Kind.ONE_DRAW: "1"}
_LABELS = {
    Kind.PUBLISHED: "published figure",
    Kind.COMPUTED: "computed from published figures",
    Kind.SYNTHETIC: "synthetic reconstruction, summarised across many draws",
    Kind.ASSUMPTION: "assumption or illustration",
    Kind.ONE_DRAW: "one synthetic draw",
}

#: The kinds a summary may state, in the order the key lists them.
SUMMARY_KINDS = (Kind.PUBLISHED, Kind.COMPUTED, Kind.SYNTHETIC, Kind.ASSUMPTION)

REPLICATE_PREFIX = "rep_"


class KindError(LookupError):
    """A summary number whose kind is unknown, or that may not appear in a summary."""


def declare(
    *,
    published: Iterable[str] = (),
    computed: Iterable[str] = (),
    synthetic: Iterable[str] = (),
    assumption: Iterable[str] = (),
    one_draw: Iterable[str] = (),
) -> dict[str, Kind]:
    """A module's ``KINDS``: each scalar name with its kind. A name given twice is an error."""
    out: dict[str, Kind] = {}
    groups = {
        Kind.PUBLISHED: published,
        Kind.COMPUTED: computed,
        Kind.SYNTHETIC: synthetic,
        Kind.ASSUMPTION: assumption,
        Kind.ONE_DRAW: one_draw,
    }
    for kind, names in groups.items():
        for name in names:
            if name in out:
                raise ValueError(f"scalar {name!r} is declared both {out[name].value} and {kind.value}")
            out[name] = kind
    return out


def declared(stem: str) -> Mapping[str, Kind]:
    """The ``KINDS`` declared by ``helpers.analyses.<stem>`` (empty if it declares none)."""
    module = importlib.import_module(f"helpers.analyses.{stem}")
    return getattr(module, "KINDS", {})


def kind_of(stem: str, name: str) -> Kind:
    """The kind of scalar ``name`` of analysis ``stem``; :class:`KindError` if none is declared."""
    kinds = declared(stem)
    if name in kinds:
        return kinds[name]
    if name.startswith(REPLICATE_PREFIX):
        return Kind.SYNTHETIC
    raise KindError(
        f"{stem}: scalar {name!r} has no declared kind; add it to KINDS in helpers.analyses.{stem} "
        f"(one of: {', '.join(k.value for k in Kind)})"
    )


def summary_kind(stem: str, name: str) -> Kind:
    """The kind of a number stated in a summary: refuses one synthetic draw."""
    kind = kind_of(stem, name)
    if kind is Kind.ONE_DRAW:
        raise KindError(
            f"{stem}: {name!r} is one synthetic draw, which a summary may not state; "
            "state its summary across reconstructions (helpers.stats.replicates) instead"
        )
    return kind
