"""Prose that follows the run: summaries written once, as templates, and filled from a run's results.

A page's "In brief" (and its evidence card) is not a Markdown cell with roles that only Jupyter Book can
fill: the analysis module writes it as a function of the run's scalars and parameters, so that what it
says depends on the data source and the parameters of *this* run, and the same text reaches every
reader: the book, JupyterLab (a rendered code-cell output), ``jupyter nbconvert``, a run's page and
``compendium show`` in a terminal.

Templates are plain text with a few marks:

``{name:spec}``
    a scalar of the run, formatted with ``spec`` (Python's format mini-language) and followed by its
    kind mark, resolved for the value shown (:func:`helpers.page.kinds.summary_kind`); a number needs a
    spec, and a simulated number's spec is one of ``mc`` / ``mc%`` / ``mc£`` / ``mcx`` (number, share as a
    percentage, pounds, ratio), printed at the precision its Monte Carlo error supports
    (:mod:`helpers.stats.montecarlo`; the error is the scalar ``name_mcse``);
``{name}``
    a phrase (a text scalar), pasted as it is; a phrase that states a number ("p < 0.001") is followed by
    its declared kind's mark, as a number is;
``{@figure_id}``
    a registry figure as the source prints it (``119 children``), with its mark (P, or P* for a
    secondary source);
``[[term]]`` or ``[[words|term]]``
    a link to the glossary's entry for ``term`` (an unknown term is an error);
``[words](#anchor)`` or ``[words](page.html#anchor)``
    a link, relative to the page (``#...`` within the page, otherwise from the book's root);
``**bold**`` and ``*italic*``.

Literal digits are not allowed in a template: every number comes from the run or the registry
(``tests/test_narrative.py`` checks every page's templates).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from helpers.engine.paths import BOOK
from helpers.page.kinds import Kind, mark_html, published_kind, summary_kind
from helpers.page.registry import figure
from helpers.results import Scalar
from helpers.stats import montecarlo

Target = Literal["html", "text"]

_FIELD = re.compile(r"\{(?P<body>[^{}]+)\}")
_TERM = re.compile(r"\[\[(?P<body>[^\[\]]+)\]\]")
_LINK = re.compile(r"\[(?P<text>[^\[\]]+)\]\((?P<href>[^()\s]+)\)")
_STRONG = re.compile(r"\*\*(?P<text>[^*]+)\*\*")
_EM = re.compile(r"(?<![*\w])\*(?P<text>[^*\s][^*]*)\*(?![*\w])")
_MC_SPECS = {"mc": "number", "mc%": "percent", "mc£": "gbp", "mcx": "ratio", "mc#": "count"}
_GLOSSARY = BOOK / "glossary.md"


class NarrativeError(ValueError):
    """A template that names a scalar the run does not have, an unknown glossary term, a number without
    a format, or a summary number that may not be stated (one synthetic draw)."""


@lru_cache(maxsize=1)
def glossary_terms() -> dict[str, str]:
    """The glossary's terms (lower case) -> the term as written there (the anchor is made from it)."""
    text = _GLOSSARY.read_text(encoding="utf-8")
    block = re.search(r"```\{glossary\}\n(.*?)```", text, re.S)
    if not block:
        raise NarrativeError(f"{_GLOSSARY} has no glossary directive")
    terms = [line.strip() for line in block.group(1).splitlines() if line and not line[0].isspace()]
    return {t.lower(): t for t in terms}


def term_anchor(term: str) -> str:
    """The HTML anchor Sphinx gives a glossary term (``term-Wilson-score-interval``)."""
    return "term-" + re.sub(r"[^a-zA-Z0-9._]+", "-", " ".join(term.split())).strip("-")


@dataclass(frozen=True)
class Context:
    """What a template is filled from: the analysis (for kinds), the run's scalars, whether the run is on
    the user's own records, and the path from the page to the book's root (for links)."""

    stem: str
    scalars: Mapping[str, Scalar]
    own_records: bool = False
    root: str = "../"


def _number(value: Scalar, spec: str, name: str, ctx: Context) -> str:
    if spec in _MC_SPECS:
        mcse = ctx.scalars.get(f"{name}_mcse")
        if not isinstance(mcse, (int, float)) or isinstance(mcse, bool):
            raise NarrativeError(f"{ctx.stem}: {{{name}:{spec}}} needs the scalar {name}_mcse (its Monte Carlo error)")
        return montecarlo.text(float(value), float(mcse), _MC_SPECS[spec])
    try:
        return format(value, spec)
    except (ValueError, TypeError) as exc:
        raise NarrativeError(f"{ctx.stem}: {{{name}:{spec}}} cannot format {value!r}: {exc}") from None


def _field(body: str, ctx: Context, to: Target) -> str:
    if body.startswith("@"):
        fig = figure(body[1:])
        return _esc(fig.value_with_unit, to) + _mark(published_kind(fig.id), ctx, to)
    name, _, spec = body.partition(":")
    if name not in ctx.scalars:
        raise NarrativeError(f"{ctx.stem}: the template names {name!r}, which this run does not have")
    value = ctx.scalars[name]
    if isinstance(value, str) and not spec:
        if not re.search(r"\d", value):
            return _esc(value, to)
        return _esc(value, to) + _mark(_kind(name, value, ctx), ctx, to)
    if not spec:
        raise NarrativeError(f"{ctx.stem}: {{{name}}} is the number {value!r}: give it a format, e.g. {{{name}:.2f}}")
    return _esc(_number(value, spec, name, ctx), to) + _mark(_kind(name, value, ctx), ctx, to)


def _kind(name: str, value: Scalar, ctx: Context) -> Kind:
    try:
        kind = summary_kind(ctx.stem, name, value, own_records=ctx.own_records)
    except LookupError as exc:
        raise NarrativeError(str(exc)) from None
    if kind is Kind.COMPUTED and _replaced_published(ctx, name):
        return Kind.MODEL  # computed from inputs that are no longer all published: a result of the run's inputs
    return kind


def _replaced_published(ctx: Context, name: str | None = None) -> bool:
    """True when the run put another value in place of a published figure the computed number ``name`` is
    computed from (its declared ``inputs``; undeclared, or no name: any published figure but those declared
    as feeding only model results)."""
    from helpers.page.kinds import declared

    kinds = declared(ctx.stem)
    used = kinds.inputs.get(name, None) if name is not None else None
    candidates = used if used is not None else [f for f in kinds.figures if f not in kinds.model_inputs]
    return any(
        figure in ctx.scalars and summary_kind(ctx.stem, figure, ctx.scalars[figure]) is Kind.ASSUMPTION
        for figure in candidates
    )


def _mark(kind: Kind, ctx: Context, to: Target) -> str:
    if not kind.marked:
        return ""
    if to == "text":
        return f" [{kind.letter}]"
    return mark_html(kind, href=f"{ctx.root}{_key_page()}")


def _key_page() -> str:
    from helpers.page.kinds import KEY_PAGE

    return f"{KEY_PAGE}.html"


def _esc(text: str, to: Target) -> str:
    return html.escape(text, quote=False) if to == "html" else text


def _term(body: str, ctx: Context, to: Target) -> str:
    words, _, term = body.partition("|")
    term = term or words
    written = glossary_terms().get(term.strip().lower())
    if written is None:
        raise NarrativeError(f"{ctx.stem}: [[{body}]]: the glossary (book/glossary.md) has no term {term!r}")
    if to == "text":
        return words
    href = f"{ctx.root}book/glossary.html#{term_anchor(written)}"
    return f'<a class="term" href="{html.escape(href, quote=True)}">{html.escape(words, quote=False)}</a>'


def _link(text: str, href: str, ctx: Context, to: Target) -> str:
    if to == "text":
        return text
    target = href if href.startswith("#") else f"{ctx.root}{href}"
    return f'<a href="{html.escape(target, quote=True)}">{text}</a>'


def render(template: str, ctx: Context, to: Target = "html") -> str:
    """A template filled from ``ctx``: HTML, or plain text (marks as ``[P]``, links as their words)."""
    placeholders: list[str] = []

    def hold(text: str) -> str:
        placeholders.append(text)
        return f"\x00{len(placeholders) - 1}\x00"

    text = _FIELD.sub(lambda m: hold(_field(m.group("body"), ctx, to)), template)
    text = _TERM.sub(lambda m: hold(_term(m.group("body"), ctx, to)), text)
    if to == "html":
        text = html.escape(text, quote=False)
    text = _LINK.sub(lambda m: _link(m.group("text"), m.group("href"), ctx, to), text)
    if to == "html":
        text = _STRONG.sub(r"<strong>\g<text></strong>", text)
        text = _EM.sub(r"<em>\g<text></em>", text)
    else:
        text = _STRONG.sub(r"\g<text>", _EM.sub(r"\g<text>", text))
    return re.sub("\x00(\\d+)\x00", lambda m: placeholders[int(m.group(1))], text)


@dataclass(frozen=True)
class Brief:
    """A page's "In brief": a few bullets of plain words, each a template, filled from one run."""

    ctx: Context
    items: Sequence[str]
    #: What the page cannot show, in one or two sentences (shown after the bullets).
    limits: str = ""
    heading: str = "In brief"
    notes: Sequence[str] = field(default_factory=tuple)

    def html(self) -> str:
        bullets = "".join(f"<li>{render(item, self.ctx)}</li>" for item in self.items)
        limits = f'<p class="brief-limits">{render(self.limits, self.ctx)}</p>' if self.limits else ""
        return f'<div class="brief"><ul>{bullets}</ul>{limits}</div>'

    def text(self) -> str:
        """Plain text for a terminal (marks as ``[P]``), wrapped by the caller."""
        lines = [f"- {render(item, self.ctx, 'text')}" for item in self.items]
        if self.limits:
            lines += ["", render(self.limits, self.ctx, "text")]
        return "\n".join(lines)

    def words(self) -> int:
        """How many words a reader reads (bullets and limits; marks are not words)."""
        plain = re.sub(r"\[[A-Z1*]{1,2}\]", "", self.text())
        return len(re.findall(r"[^\s\-–—]+", plain))


def show_brief(brief: Brief) -> None:
    """Display a brief in a notebook: HTML (the book and JupyterLab render it) with plain text beside it."""
    from IPython.display import display

    display({"text/html": brief.html(), "text/plain": brief.text()}, raw=True)
