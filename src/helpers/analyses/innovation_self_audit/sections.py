"""The page, section by section: the audit's items and where in the report's lists they come from,
the rating scale, the scores by theme (and what the weakest theme depends on), every item, and the
service's priorities. Each section returns what it states (:class:`helpers.results.Section`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers.page.kinds import OWN_RECORDS_KEY
from helpers.page.registry import published
from helpers.page.text import join_words
from helpers.results import Section

from .answers import Answers
from .items import ESTABLISHED, LEVEL_LABEL, MAX_RATING, MIN_RATING, SCALE, Item, Theme
from .scoring import SPACING_RANGE, ranked_items, scoring_dependence


def _lower_first(label: str) -> str:
    """A label inside a sentence: first letter lower case, unless the first word is an acronym."""
    first = label.split()[0]
    return label if len(first) > 1 and first.isupper() else label[0].lower() + label[1:]


def ratings_table(themes: tuple[Theme, ...], items: tuple[Item, ...], answers: Answers) -> pd.DataFrame:
    """Every item of the audit, in the report's order, with its theme and the rating given."""
    title = {t.id: t.title for t in themes}
    return pd.DataFrame(
        [
            {
                "id": it.id,
                "theme": it.theme,
                "theme_title": title[it.theme],
                "label": it.label,
                "wording": it.wording,
                "rating": answers.ratings[it.id],
                "level": LEVEL_LABEL[answers.ratings[it.id]],
                "order": k,
            }
            for k, it in enumerate(items)
        ]
    )


def registry_count_problems(themes: tuple[Theme, ...], table: pd.DataFrame) -> list[str]:
    """Where the audit's items of a list differ in number from the registry's count of that list. Those counts
    are the compendium's (graded inferred: it counted the report's lists), so agreement is a check that the
    items file lost or added nothing, not a reproduction of a published figure."""
    counts = table.groupby("theme", sort=False).size()
    problems = []
    for t in themes:
        if t.count_figure and int(counts[t.id]) != int(published(t.count_figure)):
            problems.append(
                f"theme {t.id!r} has {int(counts[t.id])} items, but the registry counts "
                f"{published(t.count_figure):g} in the report's list ({t.count_figure})"
            )
    return problems


def report_parts(theme: Theme, items: tuple[Item, ...]) -> list[str]:
    """The parts of the report's text a theme's items come from: its bullet points, or, when the list is one
    sentence, the parts of that sentence after its colon separated by semicolons (the report's own punctuation)."""
    sentences = list(dict.fromkeys(i.source_sentence for i in items if i.theme == theme.id))
    if len(sentences) > 1:
        return sentences
    listed = sentences[0].split(":", 1)[-1]
    return [part.strip().rstrip(".").strip() for part in listed.split(";") if part.strip()]


def split_text(themes: tuple[Theme, ...], items: tuple[Item, ...]) -> str:
    """Where the page made more items than the report's punctuation gives, in a sentence (the page's choice)."""
    splits = []
    for t in themes:
        for part in report_parts(t, items):
            inside = [i for i in items if i.theme == t.id and i.wording in part]
            if len(inside) > 1:
                splits.append(
                    f"in {_lower_first(t.title)} the page makes {len(inside)} items of one part, "
                    f"{join_words(['“' + i.wording + '”' for i in inside])}, because a service can have one without "
                    "the other"
                )
    if not splits:
        return "Each item is one part of the report's list, as its punctuation separates them."
    return "Each item is one part of the report's list, as its punctuation separates them, except that " + (
        "; and ".join(splits) + ". That split is the page's choice, not the report's."
    )


def answers_section(answers: Answers, path: Path, shipped: bool) -> Section:
    """The report, and whose ratings the page shows: the shipped invented example, a file the user marked as an
    example (``example: true``), or a service's own ratings (then the page's numbers are the user's records)."""
    if answers.example and shipped:
        note = (
            "The ratings shown are an invented example, shipped with the compendium to show how the "
            "audit works; they describe no real service."
        )
        owner, caption = "the invented example (not a real service)", "Invented example ratings, not a real service."
    elif answers.example:
        note = (
            f"The answers file {path.name} marks its ratings as an invented example (example: true), so the page "
            "treats them as one; set example to false if they are a real service's ratings."
        )
        owner, caption = (
            f"{answers.service}, marked in its file as an invented example",
            "Ratings marked as an example.",
        )
    else:
        note = f"The ratings shown are those given for {answers.service} in the answers file {path.name}."
        owner, caption = answers.service, f"Ratings given for {answers.service}."
    return Section(
        {
            "n_projects": published("innovation_projects"),
            "service": answers.service,
            "answers_are_example": answers.example,
            OWN_RECORDS_KEY: not answers.example,
            "answers_note": note,
            "ratings_owner_text": owner,
            "ratings_caption": caption,
        }
    )


def lists_section(themes: tuple[Theme, ...], items: tuple[Item, ...], table: pd.DataFrame) -> Section:
    """Section 1: the audit's items, the report's own lists, the parts of the report's text they come from, and
    where the page split a part in two."""
    counts = table.groupby("theme", sort=False).size()
    scalars = {
        "n_items": len(items),
        "n_themes": len(themes),
        **{f"n_{t.id}": int(counts[t.id]) for t in themes},
        **{f"n_{t.id}_parts": len(report_parts(t, items)) for t in themes},
        "lists_split_text": split_text(themes, items),
    }
    return Section(scalars, data={"themes": themes, "items": items})


def scale_section() -> Section:
    """Section 2: the rating scale."""
    return Section(
        {
            "scale_min": MIN_RATING,
            "scale_max": MAX_RATING,
            "scale_min_label": SCALE[0].label,
            "scale_max_label": SCALE[-1].label,
            "established_label": " or ".join(lv.label for lv in SCALE if lv.rating >= ESTABLISHED),
        }
    )


def theme_scores(themes: tuple[Theme, ...], table: pd.DataFrame) -> pd.DataFrame:
    """Each theme's items, mean, lowest and highest rating, share established or embedded, and score (the mean
    rating as a share of the maximum)."""
    by_theme = (
        table.groupby("theme", sort=False)
        .agg(
            items=("rating", "size"),
            mean_rating=("rating", "mean"),
            lowest=("rating", "min"),
            highest=("rating", "max"),
            established=("rating", lambda r: float((r >= ESTABLISHED).mean())),
        )
        .reset_index()
    )
    title = {t.id: t.title for t in themes}
    by_theme["title"] = [title[tid] for tid in by_theme["theme"]]
    by_theme["score"] = by_theme["mean_rating"] / MAX_RATING
    return by_theme


def _scoring_text(dep: dict[str, Any], themes: tuple[Theme, ...]) -> str:
    """Whether the weakest theme and the first priority change with the scoring, in words."""
    title = {t.id: _lower_first(t.title) for t in themes}
    held = not dep["flips_in_range"]
    if dep["flips_scan"]:
        where = (
            f"; it would change only with a spacing of {dep['flips_scan'][0]:.1f} or more"
            if dep["flips_scan"][0] > 1
            else f"; it would change with a spacing below {dep['flips_scan'][-1]:.2f}"
        )
    else:
        where = ", and at any spacing"
    other = [title[t] for t in dep["weakest_established"]]
    return (
        f"Whether the first steps of the scale count for more or the top levels count for more (a spacing of the "
        f"scale from {SPACING_RANGE[0]:g} to {SPACING_RANGE[1]:g}), the weakest theme "
        + ("stays " if held else "changes from ")
        + title[dep["weakest_id"]]
        + (where if held else "")
        + ". "
        + (
            "Scored instead by the share of items established or embedded, it is the same."
            if dep["weakest_established"] == [dep["weakest_id"]]
            else f"Scored instead by the share of items established or embedded, the weakest is "
            f"{join_words(other)}: which theme is weakest depends on how the audit is scored."
        )
        + (
            " The first priority does not change with the scoring."
            if dep["first_priority_stable"]
            else " The first priority changes with the scoring."
        )
    )


def _dependence_scalars(dep: dict[str, Any], themes: tuple[Theme, ...]) -> dict[str, Any]:
    """What the page says about the scoring's effect on the weakest theme and the first priority."""
    held = not dep["flips_in_range"]
    same_other = dep["weakest_established"] == [dep["weakest_id"]]
    scalars = {
        "spacing_range_low": SPACING_RANGE[0],
        "spacing_range_high": SPACING_RANGE[1],
        "weakest_theme_holds": held,
        "weakest_theme_holds_words": "stays the same" if held else "changes",
        "first_priority_words": (
            "The first priority does not change with the scoring."
            if dep["first_priority_stable"]
            else "The first priority changes with the scoring."
        ),
        "weakest_theme_same_by_established": same_other,
        "weakest_theme_established_words": (
            "names the same weakest theme" if same_other else "names another weakest theme"
        ),
        "first_priority_stable": dep["first_priority_stable"],
        "scoring_dependence_text": _scoring_text(dep, themes),
    }
    if dep["flips_scan"]:
        scalars["weakest_theme_flip_spacing"] = dep["flips_scan"][0]
    return scalars


def scores_section(themes: tuple[Theme, ...], table: pd.DataFrame) -> Section:
    """Section 3: scores by theme, the strongest and weakest, and what the weakest depends on."""
    by_theme = theme_scores(themes, table)
    best, worst = by_theme["score"].max(), by_theme["score"].min()
    strongest = [t for t, s in zip(by_theme["title"], by_theme["score"], strict=True) if s == best]
    weakest = [t for t, s in zip(by_theme["title"], by_theme["score"], strict=True) if s == worst]
    score = dict(zip(by_theme["theme"], by_theme["score"], strict=True))
    dep = scoring_dependence(table, by_theme)
    scalars = {
        "overall_score": float(table["rating"].mean() / MAX_RATING),
        "overall_mean_rating": float(table["rating"].mean()),
        "overall_share_established": float((table["rating"] >= ESTABLISHED).mean()),
        **{f"score_{t.id}": float(score[t.id]) for t in themes},
        "strongest_theme": join_words([_lower_first(s) for s in strongest]),
        "strongest_theme_score": float(best),
        "weakest_theme": join_words([_lower_first(s) for s in weakest]),
        "weakest_theme_score": float(worst),
        **_dependence_scalars(dep, themes),
    }
    return Section(scalars, {"themes": by_theme, "scoring_dependence": dep["table"]})


def items_section(table: pd.DataFrame) -> Section:
    """Section 4: every item and its rating."""
    scalars = {
        "n_items_not_in_place": int((table["rating"] == MIN_RATING).sum()),
        "n_items_embedded": int((table["rating"] == MAX_RATING).sum()),
    }
    return Section(scalars, {"items": table})


def priorities_section(table: pd.DataFrame, by_theme: pd.DataFrame, n_listed: int) -> Section:
    """Section 5: the weakest items first, as the service's priorities; ties broken by the weaker theme, then
    the report's order."""
    ranked = ranked_items(table, dict(zip(by_theme["theme"], by_theme["score"], strict=True)))
    priorities = ranked.iloc[:n_listed].copy()
    priorities.insert(0, "priority", np.arange(1, n_listed + 1))
    last = priorities.iloc[-1]
    n_tied = int((ranked.iloc[n_listed:]["rating"] == last["rating"]).sum())  # rated as low as the last one listed
    if n_tied == 0:
        ties_note = "No item left off the list is rated as low as the last one on it."
    else:
        ties_note = (
            f"{n_tied} more item{'s are' if n_tied > 1 else ' is'} rated {last['level']}, as the last "
            f"one listed is, and would come next."
        )
    scalars = {
        "n_priorities": n_listed,
        "n_priority_items": n_listed,
        "n_tied_with_last_priority": n_tied,
        "ties_note": ties_note,
        "first_priority": _lower_first(str(priorities.loc[0, "label"])),
        "first_priority_level": str(priorities.loc[0, "level"]),
    }
    return Section(scalars, {"priorities": priorities})
