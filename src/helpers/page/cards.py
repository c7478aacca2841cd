"""Evidence cards: what each evaluation found and how far to trust it, on one screen.

A card sits at the top of its page and, as one row of a table, on the landing page. Everything it says
about an evaluation is quoted from the registry of statements (:mod:`helpers.page.statements`) or read
from the registry of figures; its strength of evidence is derived from the evaluation's design facts
by :func:`helpers.page.evidence.rate`. The only words the compendium writes on a card are its question,
what the compendium adds and what would change the conclusion, each declared once in the analysis
package (``CARD``) and labelled as the compendium's.

The compendium's own analyses (the study-design and national-context pages) have a card that says so
and carries no rating (:class:`Card` with ``evaluation=None``).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from helpers.page.evidence import SCALE_NAME, Rating, rate
from helpers.page.narrative import Context, render
from helpers.page.registry import figure
from helpers.page.sources import source
from helpers.page.statements import Statement, of

if TYPE_CHECKING:
    from helpers.results import Scalar

NOT_PUBLISHED = "Not published in the sources the compendium holds."
NOT_DESCRIBED = (
    "Not described in the sources the compendium holds; the design facts behind the rating say what they show."
)
#: The evidence page (how the rating is derived), relative to the book's root.
EVIDENCE_PAGE = "book/evidence.html"


@dataclass(frozen=True)
class Card:
    """The compendium's words on a card; the rest is quoted or derived.

    ``evaluation`` is the statements' evaluation id (None for the compendium's own analysis);
    ``question`` the question the page asks; ``size`` registry figures that give the design's size;
    ``adds`` one sentence on what the page adds (a narrative template, no numbers); ``would_change``
    what would change its conclusion beyond the rating's next step; ``uses`` (own analyses) what the
    page is built from; ``context`` the compendium's words that introduce a quote, by statement id, where
    the quote alone would mislead (whose words they are, or what they are about).
    """

    title: str
    question: str
    adds: str
    would_change: str
    evaluation: str | None = None
    size: Sequence[str] = ()
    uses: str = ""
    #: The compendium's own analysis only: its finding in one line for the landing page's table (a
    #: narrative template, filled from the page's committed numbers).
    headline: str = ""
    context: Mapping[str, str] = field(default_factory=dict)

    @property
    def own(self) -> bool:
        return self.evaluation is None

    def rating(self) -> Rating | None:
        return None if self.evaluation is None else rate(self.evaluation)

    def statements(self, role: str) -> list[Statement]:
        return [] if self.evaluation is None else of(self.evaluation, role)


def _named(item: Statement) -> str:
    """A statement's source, named: its title (which says whose words they are) and its date."""
    src = source(item.source)
    title = html.escape(src.title, quote=False)
    return title if src.date in src.title else f"{title}, {html.escape(src.date, quote=False)}"


def _quote(item: Statement, main: str | None = None, context: Mapping[str, str] | None = None) -> str:
    """A quoted statement, after the compendium's words that introduce it (``context``, by statement id);
    its source named after it unless it is the card's main source (``main``)."""
    grade = "" if item.evidence == "seen" else f' <span class="grade">({item.evidence} source)</span>'
    intro = (context or {}).get(item.id, "")
    lead = f'<span class="context">{html.escape(intro, quote=False)}</span> ' if intro else ""
    if item.source == main:
        return f"{lead}<q>{html.escape(item.quote, quote=False)}</q>{grade}"
    return f'{lead}<q>{html.escape(item.quote, quote=False)}</q> <span class="source">{_named(item)}</span>{grade}'


def _quotes(
    items: Iterable[Statement],
    main: str | None = None,
    empty: str = NOT_PUBLISHED,
    context: Mapping[str, str] | None = None,
) -> str:
    items = list(items)
    if not items:
        return f"<p>{html.escape(empty, quote=False)}</p>"
    if len(items) == 1:
        return f"<p>{_quote(items[0], main, context)}</p>"
    return "<ul>" + "".join(f"<li>{_quote(i, main, context)}</li>" for i in items) + "</ul>"


def _main_source(card: Card) -> str | None:
    """The source most of the card's statements come from (named once, under the card's title)."""
    from collections import Counter

    counts = Counter(
        s.source
        for role in ("intervention", "setting", "design", "finding", "cost", "caveat", "practice")
        for s in card.statements(role)
    )
    return counts.most_common(1)[0][0] if counts else None


def _size(card: Card, ctx: Context, *, described: bool = True) -> str:
    """The design's size from the registry: each figure with its mark (and, ``described``, what it counts)."""
    if not card.size:
        return NOT_PUBLISHED
    parts = []
    for fid in card.size:
        what = f" ({html.escape(figure(fid).measure, quote=False)})" if described else ""
        parts.append(render(f"{{@{fid}}}", ctx) + what)
    return ", ".join(parts)


def _design_described(rating: Rating | None) -> str:
    """What a card says of the design when no quote describes it: the design facts' reading in a few words."""
    if rating is None:
        return NOT_DESCRIBED
    label = rating.design
    return f"{NOT_DESCRIBED[:-1]}: {label[0].lower()}{label[1:]}."


def rating_html(rating: Rating | None, root: str = "../") -> str:
    """A rating for a card: its label and dots, its level's definition, and a link to how it was derived."""
    if rating is None:
        return "<p>Not rated: this is the compendium's own analysis, not an evaluation.</p>"
    href = html.escape(f"{root}{EVIDENCE_PAGE}#{rating.evaluation}", quote=True)
    meter = f' <span class="meter" aria-hidden="true">{rating.meter}</span>' if rating.meter else ""
    return (
        f'<p><strong class="rating">{rating.label}</strong>{meter} on the {SCALE_NAME}. '
        f'{html.escape(rating.definition, quote=False)} <a href="{href}">How this was derived</a>.</p>'
    )


def _rating_cell(rating: Rating | None, root: str) -> str:
    if rating is None:
        return "Not rated: not an evaluation"
    href = html.escape(f"{root}{EVIDENCE_PAGE}#{rating.evaluation}", quote=True)
    meter = f'<br/><span class="meter" aria-hidden="true">{rating.meter}</span>' if rating.meter else ""
    return f'<a href="{href}"><strong>{rating.label}</strong></a>{meter}'


def card_html(card: Card, stem: str, root: str = "../") -> str:
    """The card as HTML (the book, JupyterLab and a run's page show the same)."""
    ctx = Context(stem, {}, root=root)
    rating = card.rating()
    rows: list[tuple[str, str]] = [("Question", f"<p>{render(card.question, ctx)}</p>")]
    main = _main_source(card)
    if card.own:
        rows += [
            ("What it is", f"<p>The compendium's own analysis. {render(card.uses, ctx)}</p>"),
            ("Strength of evidence", rating_html(None)),
        ]
    else:
        rows += [
            ("Strength of evidence", rating_html(rating, root)),
            ("What it found", _quotes(card.statements("finding"), main, context=card.context)),
            (
                "The intervention",
                _quotes(card.statements("intervention") + card.statements("setting"), main, context=card.context),
            ),
            (
                "Design and size",
                _quotes(card.statements("design"), main, _design_described(rating), context=card.context)
                + f"<p>Size: {_size(card, ctx)}</p>",
            ),
            # The evaluators' own caveats, apart from the design they qualify (a row only where there are some).
            *(
                [("Caveats", _quotes(card.statements("caveat"), main, context=card.context))]
                if card.statements("caveat")
                else []
            ),
            ("Cost", _quotes(card.statements("cost"), main, context=card.context)),
            ("Messages for practice", _quotes(card.statements("practice"), main, context=card.context)),
        ]
    change = f"For a stronger rating: {rating.next_step}. " if rating is not None else ""
    rows += [
        ("This compendium adds", f"<p>{render(card.adds, ctx)}</p>"),
        ("What would change it", f"<p>{html.escape(change, quote=False)}{render(card.would_change, ctx)}</p>"),
    ]
    body = "".join(f'<tr><th scope="row">{name}</th><td>{value}</td></tr>' for name, value in rows)
    quoted = ""
    if main is not None:
        src = source(main)
        grade = "" if src.grade == "seen" else f" ({src.grade} source)"
        quoted = (
            f'<br/><span class="source">Quoted word for word from {html.escape(src.title, quote=False)}, '
            f"{html.escape(src.publisher, quote=False)}, {html.escape(src.date, quote=False)}{grade}, unless "
            "another source is named.</span>"
        )
    return (
        f'<div class="evidence-card"><table class="card"><caption>Evidence card: '
        f"{html.escape(card.title, quote=False)}{quoted}</caption><tbody>{body}</tbody></table></div>"
    )


def _when(card: Card) -> str:
    dates = sorted({source(s.source).date for s in card.statements("finding")})
    return f"Reported {', '.join(dates)}." if dates else NOT_PUBLISHED


def card_text(card: Card, stem: str) -> str:
    """The card as plain text (a terminal)."""
    rating = card.rating()
    found = card.statements("finding")
    lines = [card.title, f"  Question: {render(card.question, Context(stem, {}), 'text')}"]
    found = card.statements("headline") or found
    if found:
        lines.append(f"  Found: \u201c{found[0].quote}\u201d ({source(found[0].source).title})")
    strength = rating.label if rating else "not rated (the compendium's own analysis)"
    lines.append(f"  Strength of evidence: {strength}")
    return "\n".join(lines)


def show_card(card: Card, stem: str) -> None:
    """Display a card in a notebook (HTML, with plain text beside it)."""
    from IPython.display import display

    display({"text/html": card_html(card, stem), "text/plain": card_text(card, stem)}, raw=True)


def _design_summary(card: Card, root: str) -> str:
    rating = card.rating()
    if rating is None:
        return "The compendium's own analysis"
    short = Card(card.title, card.question, card.adds, card.would_change, card.evaluation, card.size[:2])
    size = _size(short, Context("", {}, root=root), described=False) if card.size else "size not published"
    return f"{html.escape(rating.design, quote=False)}<br/><small>{size}</small>"


def _short_quote(item: Statement) -> str:
    """A quote for the landing page's table; one not read in the evaluation's own report or summary names
    the source it was read in (a blog, the news, the compendium's notes), so it is not taken for the
    evaluators' words."""
    quoted = f"<q>{html.escape(item.quote, quote=False)}</q>"
    if item.evidence == "seen":
        return quoted
    return f'{quoted} <span class="source">{_named(item)}</span> <span class="grade">({item.evidence} source)</span>'


def evidence_table_html(
    cards: Sequence[tuple[str, Card]], root: str = "../", scalars: Mapping[str, Mapping[str, Scalar]] | None = None
) -> str:
    """The landing page's table: one row per evaluation (its design and size, what it found in the
    evaluators' words, strength of evidence, cost), each linking to its page and card. ``scalars`` (by
    stem) fill the headline of the compendium's own analyses."""
    rows = []
    for stem, card in cards:
        page = f"{root}notebooks/{stem}.html"
        found = card.statements("headline")
        if found:
            finding = _short_quote(found[0])
        else:
            finding = render(card.headline, Context(stem, (scalars or {}).get(stem, {}), root=root))
        costs = card.statements("cost")
        cost = _short_quote(costs[0]) if costs else ("—" if card.own else "Not published")
        rows.append(
            "<tr>"
            f'<th scope="row"><a href="{html.escape(page, quote=True)}">{html.escape(card.title, quote=False)}</a></th>'
            f"<td>{_design_summary(card, root)}</td><td>{finding}</td>"
            f"<td>{_rating_cell(card.rating(), root)}</td><td>{cost}</td>"
            "</tr>"
        )
    head = (
        "<tr><th>Evaluation</th><th>Design and size</th><th>What it found (the evaluators' words)</th>"
        "<th>Strength of evidence</th><th>Cost</th></tr>"
    )
    return f'<table class="evidence-table"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


__all__ = [
    "Card",
    "card_html",
    "card_text",
    "evidence_table_html",
    "rating_html",
    "show_card",
]
