"""What kind of number a page states, and the mark that says so.

Every number in a summary (the cards, each page's "In brief", the landing page) carries a mark saying
what it is, so that a reader can tell a published fact from a model's output or one's own assumption:

====  =====================================================================================
P     a published figure, read in the source itself or its official summary
P*    a published figure seen only in a secondary source (a blog, news, the compendium's notes)
C     computed from published figures (becomes M in a run that replaced a published input)
M     a model's result under stated assumptions (the assumptions are the page's parameters)
S     a synthetic reconstruction, summarised across many draws
A     an assumption, an input the page or the reader chose, or an invented example
D     computed from your own records (a run on a user's data)
====  =====================================================================================

Simulation settings (numbers of draws, replicates or resamples) and labels (the year of a statistic)
carry no mark: they describe the computation or name a figure, they are not findings. One synthetic
draw (kind ``one_draw``) may be shown in a page's body, labelled as one draw, but never in a summary.

The mark is never typed. Each analysis declares its scalars' kinds once, as ``KINDS`` built by
:func:`declare`; :func:`resolve` then gives a number's mark for the value actually shown:

* a scalar declared **published** names its registry figure; it is marked P (or P* when the registry
  grades the figure secondary) when its value is the registry's, and A when a run gave another value in
  its place (a changed parameter is the reader's assumption, not a published figure);
* a scalar declared in ``records`` is marked D in a run on the user's own records, and by its declared
  fallback kind otherwise;
* ``rep_n`` (and ``rep_<prefix>_n``) is a setting and other ``rep_*`` names are synthetic
  (:mod:`helpers.stats.replicates`);
* a computed scalar declared in ``restates`` (the page's recomputation of a published share) is marked as
  its registry figure (P or P*) while its value shows that figure at the published precision.
"""

from __future__ import annotations

import importlib
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Kind(str, Enum):  # noqa: UP042 - a StrEnum would change str(kind) and f"{kind}"
    """The kinds of number, each with its mark (a letter, not colour alone) and its label."""

    PUBLISHED = "published"
    PUBLISHED_SECONDARY = "published_secondary"
    COMPUTED = "computed"
    MODEL = "model"
    SYNTHETIC = "synthetic"
    ASSUMPTION = "assumption"
    RECORDS = "records"
    SETTING = "setting"
    ONE_DRAW = "one_draw"

    @property
    def letter(self) -> str:
        """The mark's text ("" for a setting, which is not marked)."""
        return _LETTERS[self]

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def marked(self) -> bool:
        return self is not Kind.SETTING


_LETTERS = {
    Kind.PUBLISHED: "P",
    Kind.PUBLISHED_SECONDARY: "P*",
    Kind.COMPUTED: "C",
    Kind.MODEL: "M",
    Kind.SYNTHETIC: "S",
    Kind.ASSUMPTION: "A",
    Kind.RECORDS: "D",
    Kind.SETTING: "",
    Kind.ONE_DRAW: "1",
}
_LABELS = {
    Kind.PUBLISHED: "published figure",
    Kind.PUBLISHED_SECONDARY: "published figure, seen only in a secondary source (a blog, news or notes)",
    Kind.COMPUTED: "computed from published figures",
    Kind.MODEL: "a model's result under stated assumptions",
    Kind.SYNTHETIC: "synthetic reconstruction, summarised across many draws",
    Kind.ASSUMPTION: "assumption, chosen input or invented example",
    Kind.RECORDS: "computed from your own records",
    Kind.SETTING: "a setting of the computation, or a label such as a year (not marked)",
    Kind.ONE_DRAW: "one synthetic draw",
}

#: The marks a summary may show, in the order the key lists them.
SUMMARY_KINDS = (
    Kind.PUBLISHED,
    Kind.PUBLISHED_SECONDARY,
    Kind.COMPUTED,
    Kind.MODEL,
    Kind.SYNTHETIC,
    Kind.ASSUMPTION,
    Kind.RECORDS,
)

REPLICATE_PREFIX = "rep_"
#: Replicate scalars that are settings of the simulation, not results: how many reconstructions were drawn,
#: ``rep_n`` (and ``rep_<prefix>_n`` for a second set, :func:`helpers.stats.replicates.scalars`'s ``prefix``).
REPLICATE_COUNT_SUFFIX = "_n"
#: The page of the book that explains the marks, and the anchor of each kind there.
KEY_PAGE = "book/glossary"
#: The boolean scalar a page glues when it runs on the user's own records (its numbers are then D).
OWN_RECORDS_KEY = "own_records"


def key_anchor(kind: Kind) -> str:
    """The anchor of ``kind``'s entry in the key (``kind-published``...)."""
    return f"kind-{kind.value.replace('_', '-')}"


class KindError(LookupError):
    """A summary number whose kind is unknown, or that may not appear in a summary."""


@dataclass(frozen=True)
class Kinds(Mapping[str, Kind]):
    """An analysis's declaration: each scalar's kind (a read-only mapping, name -> :class:`Kind`), the
    registry figure of each published scalar, and the scalars computed from a user's own records."""

    kinds: Mapping[str, Kind]
    figures: Mapping[str, str] = field(default_factory=dict)
    records: frozenset[str] = frozenset()
    #: Published scalars that feed only the page's model results: a run that replaces one leaves the page's
    #: computed numbers computed from published figures (see :mod:`helpers.page.narrative`).
    model_inputs: frozenset[str] = frozenset()
    #: For a computed scalar, the published scalars it is computed from (where declared): a run that replaces
    #: another published figure leaves it computed from published figures. Undeclared: any of them.
    inputs: Mapping[str, frozenset[str]] = field(default_factory=dict)
    #: Computed scalars that restate a registry figure (the page's recomputation of a published share, say):
    #: while the value shows the figure at its published precision, it is marked as the figure is (P or P*).
    restates: Mapping[str, str] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Kind:
        return self.kinds[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.kinds)

    def __len__(self) -> int:
        return len(self.kinds)


def declare(
    *,
    published: Mapping[str, str] | None = None,
    computed: Iterable[str] = (),
    model: Iterable[str] = (),
    synthetic: Iterable[str] = (),
    assumption: Iterable[str] = (),
    setting: Iterable[str] = (),
    one_draw: Iterable[str] = (),
    records: Iterable[str] = (),
    model_inputs: Iterable[str] = (),
    inputs: Mapping[str, Iterable[str]] | None = None,
    restates: Mapping[str, str] | None = None,
) -> Kinds:
    """A module's ``KINDS``. ``published`` maps each published scalar to its registry figure id;
    ``records`` names scalars (declared in another group too) that are marked D in a run on the user's
    own records; ``model_inputs`` names published scalars that feed only model results (replacing one
    does not make the page's computed numbers a model's). A name given in two groups is an error, as is
    a ``records`` name in none and a ``model_inputs`` name not published. ``inputs`` maps a computed scalar
    to the published scalars it is computed from (only those, when a run replaces one, make it a model's
    result); a name in it that is not computed, or an input that is not published, is an error. ``restates``
    maps a computed scalar to the registry figure it restates (marked as that figure while its value shows
    it at the published precision)."""
    out: dict[str, Kind] = {}
    groups: dict[Kind, Iterable[str]] = {
        Kind.PUBLISHED: list((published or {}).keys()),
        Kind.COMPUTED: computed,
        Kind.MODEL: model,
        Kind.SYNTHETIC: synthetic,
        Kind.ASSUMPTION: assumption,
        Kind.SETTING: setting,
        Kind.ONE_DRAW: one_draw,
    }
    for kind, names in groups.items():
        for name in names:
            if name in out:
                raise ValueError(f"scalar {name!r} is declared both {out[name].value} and {kind.value}")
            out[name] = kind
    from_records = frozenset(records)
    stray = sorted(from_records - set(out))
    if stray:
        raise ValueError(f"records names {stray} must also be declared with the kind they have on synthetic data")
    feeding = frozenset(model_inputs)
    unpublished = sorted(feeding - set(published or {}))
    if unpublished:
        raise ValueError(f"model_inputs names {unpublished} must be declared published")
    uses = {name: frozenset(used) for name, used in (inputs or {}).items()}
    wrong = sorted(name for name in uses if out.get(name) is not Kind.COMPUTED)
    if wrong:
        raise ValueError(f"inputs names {wrong}, which are not declared computed")
    unknown = sorted(set().union(*uses.values()) - set(published or {})) if uses else []
    if unknown:
        raise ValueError(f"inputs uses {unknown}, which are not declared published")
    restated = dict(restates or {})
    wrong = sorted(name for name in restated if out.get(name) is not Kind.COMPUTED)
    if wrong:
        raise ValueError(f"restates names {wrong}, which are not declared computed")
    from helpers.page.registry import figure

    for figure_id in restated.values():
        figure(figure_id)  # an unknown id is an error here, not when a page renders
    return Kinds(out, dict(published or {}), from_records, feeding, uses, restated)


def declared(stem: str) -> Kinds:
    """The ``KINDS`` declared by ``helpers.analyses.<stem>`` (empty if it declares none)."""
    module = importlib.import_module(f"helpers.analyses.{stem}")
    found = getattr(module, "KINDS", None)
    return found if isinstance(found, Kinds) else Kinds({})


def kind_of(stem: str, name: str) -> Kind:
    """The declared kind of scalar ``name`` of analysis ``stem``; :class:`KindError` if none is declared."""
    kinds = declared(stem)
    if name in kinds:
        return kinds[name]
    if name.startswith(REPLICATE_PREFIX) and name.endswith(REPLICATE_COUNT_SUFFIX):
        return Kind.SETTING
    if name.startswith(REPLICATE_PREFIX):
        return Kind.SYNTHETIC
    raise KindError(
        f"{stem}: scalar {name!r} has no declared kind; add it to KINDS in helpers.analyses.{stem} "
        f"(one of: {', '.join(k.value for k in Kind)})"
    )


def _same(value: object, figure_value: float, share: float | None) -> bool:
    """True when ``value`` shows the figure: the number itself (or its share, for a percentage), or a
    phrase that prints it ("£4,408" for 4408)."""
    if isinstance(value, str):
        printed = f"{figure_value:,.{0 if figure_value == int(figure_value) else 1}f}"
        return re.search(rf"(?<![\d.,]){re.escape(printed)}(?![\d])", value) is not None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    candidates = [figure_value] + ([share] if share is not None else [])
    return any(math.isclose(value, c, rel_tol=1e-9, abs_tol=1e-12) for c in candidates)


def shows_figure(value: object, fig: Any) -> bool:
    """True when the number ``value`` shows registry figure ``fig`` at its published precision (a share
    against a percentage: 0.7899 shows 79%)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return False
    shown = value * 100 if fig.is_percent else value
    return round(shown, fig.decimals) == round(float(fig.value), fig.decimals)


def published_kind(figure_id: str) -> Kind:
    """The mark of a registry figure shown as it is published: P, P* for a secondary source, C for a
    figure the compendium inferred from its source (never presented as published)."""
    from helpers.page.registry import figure

    evidence = figure(figure_id).evidence
    return {"seen": Kind.PUBLISHED, "secondary": Kind.PUBLISHED_SECONDARY}.get(evidence, Kind.COMPUTED)


def resolve(stem: str, name: str, value: object = None, *, own_records: bool = False) -> Kind:
    """The mark of scalar ``name`` of analysis ``stem`` as shown with ``value`` (see the module's
    docstring). ``value`` None means "the page's default", which for a published scalar is its figure."""
    kinds = declared(stem)
    if own_records and name in kinds.records:
        return Kind.RECORDS
    kind = kind_of(stem, name)
    if kind is Kind.COMPUTED and name in kinds.restates and value is not None:
        from helpers.page.registry import figure

        restated = figure(kinds.restates[name])
        return published_kind(restated.id) if shows_figure(value, restated) else kind
    if kind is not Kind.PUBLISHED:
        return kind
    figure_id = kinds.figures.get(name)
    if figure_id is None:
        raise KindError(f"{stem}: published scalar {name!r} names no registry figure in KINDS")
    if value is not None:
        from helpers.page.registry import figure

        fig = figure(figure_id)
        if not _same(value, float(fig.value), fig.as_share() if fig.is_percent else None):
            return Kind.ASSUMPTION
    return published_kind(figure_id)


def summary_kind(stem: str, name: str, value: object = None, *, own_records: bool = False) -> Kind:
    """:func:`resolve` for a number stated in a summary: refuses one synthetic draw."""
    kind = resolve(stem, name, value, own_records=own_records)
    if kind is Kind.ONE_DRAW:
        raise KindError(
            f"{stem}: {name!r} is one synthetic draw, which a summary may not state; "
            "state its summary across reconstructions (helpers.stats.replicates) instead"
        )
    return kind


def mark_html(kind: Kind, href: str | None = None) -> str:
    """The mark as HTML, the one rendering shared by the book's ``{num}`` role and by the cards and
    summaries written in Python: a boxed letter that links to its entry in the key (so keyboard and
    touch users reach its meaning), with the meaning as its accessible name and tooltip. A setting
    has no mark (empty string)."""
    import html

    if not kind.marked:
        return ""
    label = html.escape(kind.label, quote=True)
    letter = html.escape(kind.letter)
    attrs = f'class="kind-mark kind-{kind.value}" title="{label}" data-label="{label}" aria-label="{label}"'
    inner = f'<span aria-hidden="true">{letter}</span>'
    if href is None:
        return f'<span {attrs} tabindex="0" role="note">{inner}</span>'
    return f'<a {attrs} href="{html.escape(href, quote=True)}#{key_anchor(kind)}">{inner}</a>'
