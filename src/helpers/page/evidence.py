"""Strength of evidence on a published scale: the Maryland Scientific Methods Scale (SMS).

The SMS rates how far an evaluation's design can separate an intervention's effect from everything
else that changes outcomes, from 1 (a simple comparison) to 5 (random allocation). It was devised for
crime prevention (Sherman et al. 1997) and is used in the form the What Works Centre for Local Economic
Growth gives it (Madaleno and Waights 2016) by UK What Works centres; the book's page "How strong is the
evidence?" gives each level's definition, in the compendium's words, with those sources.

A level is never typed. :func:`rate` derives it by one stated rule (:data:`RULE`) from an evaluation's
declared design facts (:mod:`helpers.page.statements`), each shown by a verbatim quote:

* a synthesis of other evaluations, or an evaluation that reports no estimate of impact (or rests on
  interviews alone), is **not rated**: the scale rates a design for estimating an effect;
* random allocation gives level 5; as-good-as-random differences (an instrument or a discontinuity), 4;
  a comparison group *and* outcomes before and after, on the same outcome, 3 (an evaluation that
  makes the two comparisons on different outcomes, ``separate_measures``, is rated as either alone);
  a comparison group *or* before and after, with adjustment for other differences, 2; without
  adjustment, 1;
* recipients' outcomes alone, against a target or benchmark, with neither a comparison group nor a
  measure before, are **below level 1** (the scale's lowest level needs one of the two).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from helpers.page.statements import DesignFact, design

SCALE_NAME = "Maryland Scientific Methods Scale"
SCALE_SHORT = "Maryland scale"
#: The references (book/references.bib) that define the scale.
SCALE_SOURCES = ("sherman1997preventing", "madaleno2016sms")
TOP_LEVEL = 5

#: Each level's definition, in the compendium's words after the What Works Centre's guide.
LEVELS: dict[int, str] = {
    1: (
        "Outcomes are compared either between people (or places) that had the intervention and some that did "
        "not, at one time, or for those that had it, before and after; nothing adjusts for other differences "
        "between the groups or the periods."
    ),
    2: (
        "As level 1, but the comparison adjusts for other differences between the groups or periods, with "
        "control variables or by matching."
    ),
    3: (
        "Outcomes before and after the intervention are compared for those that had it and for a comparison "
        "group that did not (for example a difference in differences), with evidence that the groups are "
        "alike."
    ),
    4: (
        "Who had the intervention depends on something as good as random (an instrument, or a threshold "
        "just either side of which people are alike), so the groups differ only in the intervention."
    ),
    5: "The intervention was allocated at random between the groups compared: a randomised controlled trial.",
}
BELOW = 0
BELOW_TEXT = (
    "Below level 1: the outcomes of those who had the intervention alone, against a target or a benchmark, "
    "with neither a comparison group nor a measure before; the scale's lowest level needs one of the two."
)
NOT_RATED_TEXT = (
    "Not rated: the scale rates a design for estimating an intervention's effect, and this evaluation "
    "reports none (or is a synthesis of other evaluations, or rests on interviews alone)."
)
#: Why an evaluation is not rated, by the fact that decides it (:func:`_deciding`), completing "Not rated: the
#: scale rates a design for estimating an intervention's effect on an outcome, and this evaluation ...".
NOT_RATED_BECAUSE = {
    "synthesis": "is a synthesis of other evaluations",
    "impact_estimate": "reports no such estimate",
    "qualitative_only": "rests on interviews and observation alone",
}
#: What the evidence page shows for a design fact that no quoted sentence shows (it counts as absent).
NOT_DESCRIBED = "Not described in the sources the compendium holds, so counted as absent."
#: The rule, as the book states it.
RULE = (
    "Not rated when the evaluation is a synthesis, reports no estimate of impact or rests on interviews "
    "alone; otherwise level 5 with random allocation, 4 with as-good-as-random differences, 3 with a "
    "comparison group and outcomes before and after on the same outcome, 2 with either of those and adjustment "
    "for other differences, 1 with either without adjustment (also when the two are made on different "
    "outcomes, such as a one-off survey of groups beside before-and-after figures for one group), and below "
    "level 1 with neither."
)


@dataclass(frozen=True)
class Rating:
    """An evaluation's rating: ``level`` 1 to 5, :data:`BELOW` (0), or None when not rated; the facts
    it rests on; and what the design would need for the next level."""

    evaluation: str
    level: int | None
    facts: Mapping[str, DesignFact]

    @property
    def rated(self) -> bool:
        return self.level is not None

    @property
    def label(self) -> str:
        """Short: "Level 1 of 5", "Below level 1", "Not rated"."""
        if self.level is None:
            return "Not rated"
        if self.level == BELOW:
            return "Below level 1"
        return f"Level {self.level} of {TOP_LEVEL}"

    @property
    def meter(self) -> str:
        """The level as filled and empty dots (five), for a table; "" when not rated."""
        if self.level is None:
            return ""
        return "●" * self.level + "○" * (TOP_LEVEL - self.level)

    @property
    def definition(self) -> str:
        """The level's definition; for an evaluation not rated, why (from the fact that decides it)."""
        if self.level is None:
            because = NOT_RATED_BECAUSE[_deciding(self.facts)[0]]
            return (
                "Not rated: the scale rates a design for estimating an intervention's effect on an outcome, and this "
                f"evaluation {because}."
            )
        return BELOW_TEXT if self.level == BELOW else LEVELS[self.level]

    @property
    def next_step(self) -> str:
        """What the design would need to reach the next level (the card's "what would change it")."""
        if self.level is None:
            return "an evaluation designed to estimate the intervention's effect, with a comparison"
        return _NEXT[self.level]

    @property
    def design(self) -> str:
        """The design in a few words (:func:`design_label`)."""
        return design_label({name: f.value for name, f in self.facts.items()})

    def deciding(self) -> list[DesignFact]:
        """The facts that decided the level, in :data:`helpers.page.statements.DESIGN_FACTS` order."""
        return [self.facts[name] for name in _deciding(self.facts)]


_NEXT = {
    BELOW: "a comparison group that did not have the intervention, or the same outcome measured before it",
    1: "adjustment for other differences between the groups or periods compared",
    2: "both a comparison group and outcomes before and after the intervention",
    3: "differences in who had the intervention that are as good as random",
    4: "random allocation of the intervention",
    5: "replication in another place",
}


def level_of(facts: Mapping[str, bool]) -> int | None:
    """The level that :data:`RULE` gives for design facts by name (None: not rated); an optional fact
    (:data:`helpers.page.statements.OPTIONAL_FACTS`) left out is no."""
    if facts["synthesis"] or not facts["impact_estimate"] or facts["qualitative_only"]:
        return None
    if facts["random_allocation"]:
        return 5
    if facts["as_if_random"]:
        return 4
    if facts["comparison_group"] and facts["before_after"] and not facts.get("separate_measures", False):
        return 3
    if facts["comparison_group"] or facts["before_after"]:
        return 2 if facts["controls"] else 1
    return BELOW


def _deciding(facts: Mapping[str, DesignFact]) -> list[str]:
    value = {name: f.value for name, f in facts.items()}
    if value["synthesis"]:
        return ["synthesis"]
    if not value["impact_estimate"]:
        return ["impact_estimate"]
    if value["qualitative_only"]:
        return ["qualitative_only"]
    for name in ("random_allocation", "as_if_random"):
        if value[name]:
            return [name]
    separate = ["separate_measures"] if "separate_measures" in facts else []
    return ["random_allocation", "comparison_group", "before_after", *separate, "controls"]


def design_label(facts: Mapping[str, bool]) -> str:
    """The design in a few words, from the same facts as the rating (for the landing page's table)."""
    if facts["synthesis"]:
        return "A synthesis of other evaluations"
    if not facts["impact_estimate"] or facts["qualitative_only"]:
        return "Interviews and descriptive data; no estimate of impact"
    if facts["random_allocation"]:
        return "A randomised trial"
    if facts["as_if_random"]:
        return "A comparison with as-good-as-random groups"
    adjusted = ", adjusted" if facts["controls"] else ""
    if facts["comparison_group"] and facts["before_after"] and facts.get("separate_measures", False):
        return f"Before and after on one outcome; a one-off comparison group on another{adjusted}"
    if facts["comparison_group"] and facts["before_after"]:
        return f"Before and after, with a comparison group{adjusted}"
    if facts["comparison_group"]:
        inferred = " (inferred by the compendium)" if facts.get("comparison_inferred", False) else ""
        return f"A comparison group{inferred}, measured once{adjusted}"
    if facts["before_after"]:
        return f"Before and after, no comparison group{adjusted}"
    return "Outcomes of those served only, against a target"


def rate(evaluation: str) -> Rating:
    """The evaluation's rating, derived from its declared design facts."""
    facts = design(evaluation)
    return Rating(evaluation, level_of({name: f.value for name, f in facts.items()}), facts)


def scale_html() -> str:
    """The scale's levels as a table, with the compendium's two additions (below level 1, not rated)."""
    import html

    rows = [("Not rated", NOT_RATED_TEXT), ("Below level 1", BELOW_TEXT)]
    rows += [(f"Level {level}", text) for level, text in LEVELS.items()]
    body = "".join(f"<tr><th scope='row'>{html.escape(a)}</th><td>{html.escape(b)}</td></tr>" for a, b in rows)
    head = "<thead><tr><th>Level</th><th>What the design does</th></tr></thead>"
    return f'<table class="scale">{head}<tbody>{body}</tbody></table>'


def summary_html(titles: Mapping[str, str]) -> str:
    """One line per evaluation: its title (linking to its design below), the level the rule gives, and the design
    in a few words, all derived from the declared design facts. ``titles`` as for :func:`ratings_html`."""
    import html

    rows = []
    for evaluation, title in titles.items():
        rating = rate(evaluation)
        meter = f' <span class="meter" aria-hidden="true">{rating.meter}</span>' if rating.meter else ""
        rows.append(
            f'<tr><td><a href="#{html.escape(evaluation, quote=True)}">{html.escape(title)}</a></td>'
            f"<td><strong>{html.escape(rating.label)}</strong>{meter}</td><td>{html.escape(rating.design)}</td></tr>"
        )
    head = "<thead><tr><th>Evaluation</th><th>Strength of evidence</th><th>The design</th></tr></thead>"
    return f'<table class="scale scale-summary">{head}<tbody>{"".join(rows)}</tbody></table>'


def _shown_by_html(fact: DesignFact) -> str:
    """A design fact's quote, its source and the compendium's reading; "not described" when no quote shows it."""
    import html

    from helpers.page.sources import source

    reading = f"<br/><small>{html.escape(fact.reading)}</small>" if fact.reading else ""
    if fact.statement is None:
        return f"<em>{html.escape(NOT_DESCRIBED)}</em>{reading}"
    quote = fact.statement
    return (
        f"<q>{html.escape(quote.quote)}</q> <small>{html.escape(source(quote.source).title)}"
        f" ({html.escape(quote.evidence)})</small>{reading}"
    )


def ratings_html(titles: Mapping[str, str]) -> str:
    """Each evaluation's design facts, each with its quote and reading, and the level the rule gives.
    ``titles`` maps an evaluation id to the title shown (an anchor ``#<evaluation>`` per evaluation)."""
    import html

    from helpers.page.statements import DESIGN_FACTS, OPTIONAL_FACTS

    out = []
    for evaluation, title in titles.items():
        rating = rate(evaluation)
        rows = []
        meanings = {**DESIGN_FACTS, **{k: v for k, v in OPTIONAL_FACTS.items() if k in rating.facts}}
        for name, meaning in meanings.items():
            fact = rating.facts[name]
            rows.append(
                f"<tr><td>{html.escape(meaning)}</td><td>{'yes' if fact.value else 'no'}</td>"
                f"<td>{_shown_by_html(fact)}</td></tr>"
            )
        out.append(
            f'<section id="{html.escape(evaluation)}"><h3>{html.escape(title)}: {html.escape(rating.label)}</h3>'
            f"<p>{html.escape(rating.definition)} For a stronger rating: {html.escape(rating.next_step)}.</p>"
            '<table class="design-facts"><thead><tr><th>The design</th><th>Declared</th>'
            f"<th>Shown by (verbatim) and read as</th></tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
        )
    return "".join(out)
