"""The glossary: every {term} link has an entry, and every technical term a summary uses is linked at its
first use on the page.

A *summary* is the landing page's "Headline findings" section and each notebook's "In brief" section.
Glued phrases are not in the page's source, so a term inside a glued phrase is linked in the prose
beside it; the check below reads the source, where the link must be.
"""

from __future__ import annotations

import json
import re

import pytest

from helpers.engine.paths import ROOT
from summaries import in_brief, intro_summary

GLOSSARY = ROOT / "book" / "glossary.md"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

#: Technical terms a summary may use: glossary entry -> how the term is written in prose.
TECHNICAL_TERMS: dict[str, str] = {
    "one-sided exact binomial test": r"one-sided exact binomial test",
    "intra-class correlation": r"intra-?class correlations?",
    "standard deviation": r"standard deviations?",
    "standard error": r"standard errors?",
    "power": r"\bpower\b",
    "indirect effect": r"indirect effects?",
    "direct effect": r"(?<!in)direct effects?",
    "rate ratio": r"rate ratios?",
    "negative binomial (NB2)": r"negative binomial|\bNB2\b",
    "Hedges' g": r"Hedges'",
    "Wilson score interval": r"Wilson score",
    "design effect": r"design effects?",
    "Monte Carlo": r"Monte Carlo",
    "confidence interval": r"confidence intervals?",
    "p-value": r"p-values?",
    "significance level": r"significance level",
    "Poisson model": r"\bPoisson\b",
    "normal approximation": r"normal approximation",
    "synthetic reconstruction": r"synthetic reconstructions?",
    "full-time equivalent": r"full-time equivalents?",
    "central range": r"central ranges?",
    "coverage": r"\bcoverage\b",
    "service as usual": r"service as usual",
    "systemic practice": r"systemic practice",
    "consultant social worker": r"consultant social workers?",
    "group case discussion": r"group case discussions?",
    "clinician": r"\bclinicians?\b",
    "Maryland Scientific Methods Scale": r"Maryland Scientific Methods Scale",
    "total association": r"total associations?",
    "selective reporting": r"selective reporting",
    "cluster-robust standard error": r"cluster-robust",
    "intention to treat": r"intention to treat",
}

_ROLE = re.compile(r"\{(?P<name>[a-z:]+)\}`(?P<body>[^`]*)`")
_TERM_TARGET = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)


def glossary_entries(text: str | None = None) -> set[str]:
    """The terms defined in the glossary directive of book/glossary.md (lower case, as Sphinx matches)."""
    text = GLOSSARY.read_text(encoding="utf-8") if text is None else text
    block = re.search(r"```\{glossary\}\n(.*?)```", text, re.S)
    assert block, "book/glossary.md has no glossary directive"
    return {line.strip().lower() for line in block.group(1).splitlines() if line and not line[0].isspace()}


def term_links(markdown: str) -> list[tuple[str, str]]:
    """(shown text, target) of every {term} role in ``markdown``."""
    links = []
    for m in _ROLE.finditer(markdown):
        if m.group("name") != "term":
            continue
        body = m.group("body")
        explicit = _TERM_TARGET.match(body)
        links.append((explicit.group("text"), explicit.group("target")) if explicit else (body, body))
    return links


def visible(markdown: str) -> list[tuple[str, str | None]]:
    """The prose a reader sees, as (text, term target or None) pieces: glue, citation and other roles are
    dropped (their source text is not prose), {term} roles keep their shown text and target."""
    pieces: list[tuple[str, str | None]] = []
    last = 0
    for m in _ROLE.finditer(markdown):
        pieces.append((markdown[last : m.start()], None))
        if m.group("name") == "term":
            shown, target = term_links(m.group(0))[0]
            pieces.append((shown, target))
        last = m.end()
    pieces.append((markdown[last:], None))
    return pieces


def unlinked_first_uses(markdown: str) -> list[str]:
    """Technical terms whose first use in ``markdown`` is not a {term} link to their entry."""
    problems = []
    for entry, pattern in TECHNICAL_TERMS.items():
        for text, target in visible(markdown):
            if re.search(pattern, text, re.I):
                if target is None or target.lower() != entry.lower():
                    problems.append(f"{entry!r} first used unlinked near {text.strip()[:80]!r}")
                break
    return problems


def all_pages() -> dict[str, str]:
    pages = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in sorted((ROOT / "book").glob("*.md"))}
    for nb in NOTEBOOKS:
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        pages[str(nb.relative_to(ROOT))] = "\n".join(
            "".join(c["source"]) for c in cells if c["cell_type"] == "markdown"
        )
    return pages


def test_every_listed_technical_term_has_a_glossary_entry():
    entries = glossary_entries()
    assert {t.lower() for t in TECHNICAL_TERMS} <= entries


@pytest.mark.parametrize("page", sorted(all_pages()))
def test_every_term_link_has_a_glossary_entry(page):
    entries = glossary_entries()
    missing = [target for _, target in term_links(all_pages()[page]) if target.lower() not in entries]
    assert not missing, f"{page} links terms the glossary does not define: {missing}"


def test_the_glossary_is_in_the_table_of_contents():
    assert "file: book/glossary" in (ROOT / "_toc.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_in_brief_links_every_technical_term_at_its_first_use(notebook):
    problems = unlinked_first_uses(in_brief(notebook))
    assert not problems, f"{notebook.name}, In brief: " + "; ".join(problems)


def test_the_landing_page_links_every_technical_term_at_its_first_use():
    problems = unlinked_first_uses(intro_summary())
    assert not problems, "book/intro.md, Headline findings: " + "; ".join(problems)


def test_the_checks_fail_when_broken():
    """The checks catch an unlinked first use, a link after the first use, and a link to no entry."""
    assert unlinked_first_uses("The power is high.") == ["'power' first used unlinked near 'The power is high.'"]
    assert unlinked_first_uses("With {term}`power` and then power.") == []
    assert unlinked_first_uses("Some power, then {term}`power`.")  # linked only at the second use
    assert unlinked_first_uses("A {glue:text}`power_target` target.") == []  # glue keys are not prose
    assert unlinked_first_uses("In {term}`standard deviations <standard deviation>`.") == []
    assert unlinked_first_uses("In {term}`standard deviations <power>`.")  # linked to the wrong entry
    assert unlinked_first_uses("An indirect effect.") == [
        "'indirect effect' first used unlinked near 'An indirect effect.'"
    ]
    assert not any(
        "direct effect'" in p and "indirect" not in p for p in unlinked_first_uses("An {term}`indirect effect`.")
    )  # 'indirect' is not 'direct'
    entries = glossary_entries("```{glossary}\npower\n  The chance.\n\nrate ratio\n  How many times.\n```\n")
    assert entries == {"power", "rate ratio"}
    assert [t for _, t in term_links("{term}`rates <rate ratio>` and {term}`nothing`") if t.lower() not in entries] == [
        "nothing"
    ]


#: Words from social work and from evaluation that a card or summary may use: glossary entry -> how it
#: is written. A manager may not know them, so each one used must have an entry.
DOMAIN_TERMS: dict[str, str] = {
    "agency social worker": r"\bagency (?:social )?workers?\b",
    "before-and-after comparison": r"\bbefore[- ]and[- ]after\b",
    "break-even": r"\bbreak[- ]?even|breaks? even\b",
    "case-holding social worker": r"\bcase[- ]holding\b|\bholds? the case\b",
    "caseload": r"\bcaseloads?\b",
    "children looked after": r"\b(?:children|child) looked after\b|\blooked[- ]after\b",
    "children's centre": r"children's centres?",
    "clinician": r"\bclinicians?\b",
    "common assessment framework (CAF)": r"\bcommon assessment framework\b|\bCAF\b",
    "comparison group": r"\bcomparison groups?\b",
    "consultant social worker": r"\bconsultant social workers?\b",
    "counterfactual": r"\bcounterfactual\b",
    "edge of care": r"\bedge of care\b",
    "Frontline": r"\bFrontline\b",
    "group case discussion": r"\b(?:group )?case discussions?\b",
    "Innovation Programme": r"\bInnovation Programme\b",
    "Keeping Families Together unit": r"\bKeeping Families Together\b|\bKFT\b",
    "link social worker": r"\blink (?:social )?worker\b",
    "Maryland Scientific Methods Scale": r"\bMaryland\b",
    "multi-agency resource panel": r"\bmulti-?agency (?:resource )?panels?\b",
    "personal assistant (PA)": r"\bpersonal assistants?\b|\bPAs?\b",
    "probabilistic sensitivity analysis": r"\bprobabilistic sensitivity\b",
    "randomised controlled trial": r"\brandomi[sz]ed (?:controlled )?trials?\b",
    "Reclaiming Social Work": r"\bReclaiming Social Work\b|\bRSW\b",
    "service as usual": r"\bservice as usual\b",
    "strength of evidence": r"\bstrength of evidence\b",
    "Sure Start": r"\bSure Start\b",
    "systemic practice": r"\bsystemic\b",
    "turnover": r"\bturnover\b",
}


def summaries_and_cards() -> dict[str, str]:
    """What a manager reads first, as plain text: every page's card, In brief and landing paragraph."""
    from helpers.page.cards import card_html
    from helpers.page.landing import paragraph, toc_stems
    from summaries import brief, generated, module

    out = {}
    for stem in toc_stems():
        out[f"{stem} card"] = re.sub(r"<[^>]+>", " ", card_html(module(stem).CARD, stem))
        out[f"{stem} landing"] = paragraph(stem, to="text")
        if generated(stem):
            out[f"{stem} brief"] = brief(stem).text()
    return out


def test_every_domain_term_a_summary_or_card_uses_is_in_the_glossary():
    entries = glossary_entries()
    assert {t.lower() for t in DOMAIN_TERMS} <= entries, "a listed domain term has no entry"
    used = {
        t for t, pattern in DOMAIN_TERMS.items() for text in summaries_and_cards().values() if re.search(pattern, text)
    }
    assert used, "no domain term found: the patterns are wrong"
    assert {t.lower() for t in used} <= entries
