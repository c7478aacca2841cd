"""Innovation Programme Thematic Report 1: a service's self-audit against its recommendations.

Published (Rees Centre for DfE, 2017): a synthesis of the evaluations of 17
Wave 1 projects about good social work systems and practice, whose lessons
"point to a number of recommendations"; services are encouraged to self-audit
against them with a tool in the report's Appendix 2. That tool's exact items
were not found, so this audit is built from the report's own lists, word for
word (``data/innovation_audit/items.csv``, each item with the sentence it
was taken from):

* the core principles reflected in virtually all projects;
* the key ingredients of good social work practice;
* the common features of projects that appear to be successful;
* the conditions that help to establish and sustain them.

A service rates every item on the compendium's five-level scale (:data:`SCALE`)
in a YAML answers file (``answers_path``). The default is an *invented example*
shipped with the compendium, not a real service. The analysis

1. checks that the audit has exactly the items of the report's lists, by
   reproducing the registry's counts of each list from the items file;
2. scores each theme (mean rating, and the share of its items established or
   embedded);
3. lists the weakest items first, as the service's priorities.
"""

from __future__ import annotations

import csv
import difflib
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import BoundaryNorm, ListedColormap

from helpers.page import reproduce
from helpers.params import ParamSpec, ParameterError, ParameterSet, ShippedFileParam, param
from helpers.engine.paths import DATA, ROOT, sha256_file
from helpers.page import kinds
from helpers.page.plotting import COLOURS, SEQUENTIAL, dependence_plot
from helpers.page.registry import published, registry_input
from helpers.page.reproduce import FigureUse
from helpers.results import AnalysisResult
from helpers.stats.sensitivity import Uncertain, crossings, vary
from helpers.inputs.records import problem_lines
from helpers.engine import yamlio  # safe, bounded YAML: refuses a key given twice, aliases, huge files

TITLE = "Innovation Programme: a self-audit against the thematic report's recommendations"

AUDIT_DIR = DATA / "innovation_audit"
ITEMS_FILE = AUDIT_DIR / "items.csv"
THEMES_FILE = AUDIT_DIR / "themes.csv"
#: The default answers: an invented example service, written relative to the repository root.
EXAMPLE_ANSWERS = "data/innovation_audit/example.yaml"


# ---------------------------------------------------------------- the rating scale
@dataclass(frozen=True)
class Level:
    rating: int
    label: str
    meaning: str


#: The rating scale (the compendium's, documented on the page and in the example answers file).
SCALE: tuple[Level, ...] = (
    Level(0, "not in place", "no evidence that it is in place"),
    Level(1, "beginning", "agreed or planned; first steps taken"),
    Level(2, "developing", "in place in parts of the service, or inconsistently"),
    Level(3, "established", "in place across most of the service, with evidence"),
    Level(4, "embedded", "consistently in place across the service, sustained and reviewed"),
)
MIN_RATING, MAX_RATING = SCALE[0].rating, SCALE[-1].rating
#: Ratings at or above this count as "established or embedded".
ESTABLISHED = 3
LEVEL_LABEL = {lv.rating: lv.label for lv in SCALE}


def scale_text() -> str:
    """The scale in words, for error messages: ``0 (not in place) to 4 (embedded)``."""
    return f"{MIN_RATING} ({SCALE[0].label}) to {MAX_RATING} ({SCALE[-1].label})"


def scale_frame() -> pd.DataFrame:
    return pd.DataFrame([{"rating": lv.rating, "level": lv.label, "meaning": lv.meaning} for lv in SCALE])


# ---------------------------------------------------------------- the audit's items
@dataclass(frozen=True)
class Theme:
    id: str
    title: str
    count_figure: str  # registry id of the published count of the report's list ("" if none)
    lead_in: str  # the report's words introducing the list


@dataclass(frozen=True)
class Item:
    id: str
    theme: str
    label: str  # a short label (the compendium's)
    wording: str  # the report's words
    source_sentence: str  # the sentence (or bullet point) the wording was taken from, verbatim


class AuditDefinitionError(ValueError):
    """The committed items or themes file is malformed (a fault in the compendium, not in the answers)."""


def _read_csv(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != columns:
            raise AuditDefinitionError(f"{path}: columns {reader.fieldnames} differ from {list(columns)}")
        return list(reader)


def load_audit(items_path: Path = ITEMS_FILE, themes_path: Path = THEMES_FILE) -> tuple[list[Theme], list[Item]]:
    """The themes and items of the audit, in the report's order, checked for consistency."""
    themes = [Theme(**row) for row in _read_csv(Path(themes_path), ("id", "title", "count_figure", "lead_in"))]
    items = [Item(**row) for row in _read_csv(Path(items_path), ("id", "theme", "label", "wording", "source_sentence"))]
    theme_ids = [t.id for t in themes]
    problems = []
    for kind, ids in (("theme", theme_ids), ("item", [i.id for i in items])):
        dupes = sorted({x for x in ids if ids.count(x) > 1})
        if dupes:
            problems.append(f"duplicate {kind} ids: {', '.join(dupes)}")
    for item in items:
        if item.theme not in theme_ids:
            problems.append(f"item {item.id!r}: theme {item.theme!r} is not one of {', '.join(theme_ids)}")
        if not item.wording or item.wording not in item.source_sentence:
            problems.append(f"item {item.id!r}: its wording is not found word for word in its source sentence")
    for theme in themes:
        if not any(i.theme == theme.id for i in items):
            problems.append(f"theme {theme.id!r} has no items")
    if problems:
        raise AuditDefinitionError(f"{items_path}: " + "; ".join(problems))
    order = {t: k for k, t in enumerate(theme_ids)}
    items.sort(key=lambda i: order[i.theme])  # stable: keeps the report's order within a theme
    return themes, items


@lru_cache(maxsize=1)
def _audit() -> tuple[tuple[Theme, ...], tuple[Item, ...]]:
    themes, items = load_audit()
    return tuple(themes), tuple(items)


# ---------------------------------------------------------------- a service's answers
class AnswersError(ParameterError):
    """An answers file that cannot be used. ``problems`` holds one line per problem; the message
    names the file, each item and value at fault, and what is allowed."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        head = (
            f"parameter 'answers_path': answers file {source!r} cannot be used "
            f"({len(problems)} problem{'s' * (len(problems) != 1)}):"
        )
        super().__init__("\n".join([head, *problem_lines(problems)]), "answers_path")


@dataclass(frozen=True)
class Answers:
    service: str
    example: bool
    ratings: dict[str, int]  # item id -> rating, in the audit's item order


_TOP_KEYS = {
    "service": "the service's name (text)",
    "example": "true for an invented example (optional)",
    "ratings": "a rating for every item, by item id",
}


def read_answers(path: str | Path, items: tuple[Item, ...] | list[Item] | None = None) -> Answers:
    """A service's answers from a YAML file, every problem reported at once in one :class:`AnswersError`."""
    items = list(items if items is not None else _audit()[1])
    path = Path(path)
    source = str(path)
    try:
        data = yamlio.load_file(path, "answers file")
    except yamlio.YAMLFileError as err:
        raise AnswersError(source, [str(err).split(f"{source!r} ", 1)[-1]]) from None
    if not isinstance(data, dict):
        raise AnswersError(
            source,
            [
                f"must hold a mapping with keys {', '.join(_TOP_KEYS)}, "
                f"not {type(data).__name__ if data is not None else 'nothing'}"
            ],
        )
    problems: list[str] = []
    for key in data:
        if key not in _TOP_KEYS:
            problems.append(
                f"unknown key {yamlio.brief(key)}: expected one of "
                + "; ".join(f"{k} ({v})" for k, v in _TOP_KEYS.items())
            )
    service = data.get("service")
    if not isinstance(service, str) or not service.strip():
        problems.append(f"service = {yamlio.brief(service)} is not allowed: expected the service's name as text")
    example = data.get("example", False)
    if not isinstance(example, bool):
        problems.append(f"example = {yamlio.brief(example)} is not allowed: expected true or false")
    ratings_in = data.get("ratings")
    ratings: dict[str, int] = {}
    if not isinstance(ratings_in, dict):
        problems.append(
            f"ratings = {yamlio.brief(ratings_in)} is not allowed: expected a mapping of item id: rating "
            f"(a whole number from {scale_text()}) for every item"
        )
        raise AnswersError(source, problems)
    ids = [i.id for i in items]
    for key, value in ratings_in.items():
        if key not in ids:
            close = difflib.get_close_matches(str(key), ids, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(
                f"unknown item {yamlio.brief(key)}{hint}: expected one of the audit's item ids "
                f"(listed in {ITEMS_FILE.relative_to(ROOT)})"
            )
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not MIN_RATING <= value <= MAX_RATING:
            allowed = ", ".join(f"{lv.rating} ({lv.label})" for lv in SCALE)
            problems.append(
                f"item {yamlio.brief(key)} = {yamlio.brief(value)} is not allowed: expected a whole number from "
                f"{MIN_RATING} to {MAX_RATING}: {allowed}"
            )
            continue
        ratings[key] = value
    missing = [i for i in ids if i not in ratings_in]
    if missing:
        problems.append(
            f"missing item{'s' * (len(missing) > 1)} {', '.join(repr(m) for m in missing)}: "
            f"rate every item, from {scale_text()}"
        )
    if problems:
        raise AnswersError(source, problems)
    return Answers(service.strip(), example, {i: ratings[i] for i in ids})


# ---------------------------------------------------------------- the parameters
def answers_file(answers_path: str) -> Path:
    """The file a validated ``answers_path`` names (the shipped default is read from the repository)."""
    return ROOT / answers_path if answers_path == EXAMPLE_ANSWERS else Path(answers_path)


N_ITEMS = len(_audit()[1])


class Parameters(ParameterSet):
    """This analysis's parameters, in notebook order (validated values: ``PARAMETERS.validate``)."""

    answers_path: str = param(
        EXAMPLE_ANSWERS,
        "YAML file of the service's ratings, one per audit item (default: an invented example service, not a real one)",
        is_path=True,
        kind=ShippedFileParam,
    )
    n_priorities: int = param(
        5,
        "How many of the weakest items to list as priorities (ties broken by the weaker theme, then the report's order)",
        minimum=1,
        maximum=N_ITEMS,
        unit="items",
    )


PARAMETERS = ParamSpec.of(Parameters)

SUMMARY = (
    f"Thematic Report 1 ({published('innovation_projects')} Innovation Programme projects, 2017): "
    "a service's self-audit against the report's core principles, key ingredients, common features and "
    "enabling conditions; scores by theme and priorities"
)


def check_inputs(params: Mapping[str, Any]) -> None:
    """Validate the answers file before a kernel starts (``compendium run``)."""
    p = PARAMETERS.validate(params)
    read_answers(answers_file(p["answers_path"]))


# ---------------------------------------------------------------- what the weakest theme depends on
#: Scores average the ratings as if the steps of the scale were equal. The assumption that can be moved is
#: that spacing: a level counts (rating / top rating) ** SPACING, so a spacing of 1 is the page's equal steps,
#: below 1 the first steps count for more, above 1 only the top levels count for much. Plausible: 1/2 to 2
#: (at 2, "established" counts 56% of "embedded" instead of 75%). Scanned further (SPACING_SCAN) to say
#: where, if anywhere, the weakest theme would change.
SPACING_RANGE = (0.5, 2.0)
SPACING_SCAN = (0.1, 10.0)


def spacing_scores(table: pd.DataFrame, spacing) -> pd.DataFrame:
    """Each theme's score (mean level value) for each spacing (rows: spacings; columns: theme ids)."""
    g = np.atleast_1d(np.asarray(spacing, dtype=float))
    values = (table["rating"].to_numpy(dtype=float)[None, :] / MAX_RATING) ** g[:, None]
    frame = pd.DataFrame(values, columns=table["theme"].to_numpy())
    return frame.T.groupby(level=0, sort=False).mean().T


def weakest_gap_model(table: pd.DataFrame, weakest_id: str):
    """The next-weakest theme's score minus the page's weakest theme's, by spacing (vectorised): below zero,
    another theme is the weakest."""

    def model(x: Mapping[str, np.ndarray]) -> np.ndarray:
        scores = spacing_scores(table, x["scale_spacing"])
        others = scores.drop(columns=[weakest_id])
        return (others.min(axis=1) - scores[weakest_id]).to_numpy()

    return model


def _first_priority_id(table: pd.DataFrame, theme_score: Mapping[str, float]) -> str:
    ranked = table.assign(theme_score=table["theme"].map(theme_score)).sort_values(
        ["rating", "theme_score", "order"], kind="stable"
    )
    return str(ranked.iloc[0]["id"])


def scoring_dependence(table: pd.DataFrame, by_theme: pd.DataFrame) -> dict[str, Any]:
    """How the weakest theme and the first priority depend on the scoring: the scale's spacing varied over its
    plausible range (and scanned further), and the other score the page shows (share established or embedded)."""
    score = dict(zip(by_theme["theme"], by_theme["score"]))
    weakest_id = min(score, key=lambda t: (score[t], list(score).index(t)))
    model = weakest_gap_model(table, weakest_id)
    inputs = [Uncertain("scale_spacing", 1.0, 0.0, "positive", "Spacing of the rating scale")]
    table_range = vary(model, inputs, "scale_spacing", np.geomspace(*SPACING_RANGE, 61))
    scan = vary(model, inputs, "scale_spacing", np.geomspace(*SPACING_SCAN, 401))
    established = dict(zip(by_theme["theme"], by_theme["established"]))
    weakest_established = [t for t, v in established.items() if v == min(established.values())]
    firsts = {
        _first_priority_id(table, dict(zip(spacing_scores(table, g).columns, spacing_scores(table, g).iloc[0])))
        for g in np.geomspace(*SPACING_SCAN, 41)
    }
    firsts.add(_first_priority_id(table, established))
    return {
        "weakest_id": weakest_id,
        "table": table_range,
        "flips_in_range": crossings(table_range, 0.0),
        "flips_scan": crossings(scan, 0.0),
        "weakest_established": weakest_established,
        "first_priority_stable": len(firsts) == 1,
    }


# ---------------------------------------------------------------- the analysis
def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _lower_first(label: str) -> str:
    """A label inside a sentence: first letter lower case, unless the first word is an acronym."""
    first = label.split()[0]
    return label if len(first) > 1 and first.isupper() else label[0].lower() + label[1:]


def run(params: Mapping[str, Any]) -> AnalysisResult:
    """The whole audit for validated parameters."""
    p = PARAMETERS.validate(params)
    themes, items = _audit()
    path = answers_file(p["answers_path"])
    answers = read_answers(path, items)

    table = pd.DataFrame(
        [
            {
                "id": it.id,
                "theme": it.theme,
                "theme_title": next(t.title for t in themes if t.id == it.theme),
                "label": it.label,
                "wording": it.wording,
                "rating": answers.ratings[it.id],
                "level": LEVEL_LABEL[answers.ratings[it.id]],
                "order": k,
            }
            for k, it in enumerate(items)
        ]
    )

    # 1. The audit has exactly the items of the report's lists: reproduce the registry's counts.
    counts = table.groupby("theme", sort=False).size()
    checks = [reproduce.check(t.count_figure, int(counts[t.id])) for t in themes if t.count_figure]
    reproduce.require(checks)

    # 2. Scores by theme: mean rating (as a share of the maximum) and the share established or embedded.
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
    by_theme["title"] = [next(t.title for t in themes if t.id == tid) for tid in by_theme["theme"]]
    by_theme["score"] = by_theme["mean_rating"] / MAX_RATING
    score = dict(zip(by_theme["theme"], by_theme["score"]))
    best, worst = by_theme["score"].max(), by_theme["score"].min()
    strongest = [t for t, s in zip(by_theme["title"], by_theme["score"]) if s == best]
    weakest = [t for t, s in zip(by_theme["title"], by_theme["score"]) if s == worst]

    # 3. Priorities: the weakest items first; ties broken by the weaker theme, then the report's order.
    ranked = (
        table.assign(theme_score=table["theme"].map(score))
        .sort_values(["rating", "theme_score", "order"], kind="stable")
        .reset_index(drop=True)
    )
    n_listed = p["n_priorities"]
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

    # 4. What the weakest theme and the first priority depend on: the scoring.
    dep = scoring_dependence(table, by_theme)
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
    same_other = dep["weakest_established"] == [dep["weakest_id"]]
    scoring_text = (
        f"The weakest theme rests on a scoring choice: averaging treats the steps of the scale as equal. "
        f"Whether the first steps count for more or the top levels count for more (a spacing of the scale from "
        f"{SPACING_RANGE[0]:g} to {SPACING_RANGE[1]:g}), the weakest theme "
        + ("stays " if held else "changes from ")
        + title[dep["weakest_id"]]
        + (where if held else "")
        + ". "
        + (
            "Scored instead by the share of items established or embedded, it is the same."
            if same_other
            else f"Scored instead by the share of items established or embedded, the weakest is "
            f"{_join(other)}: which theme is weakest depends on how the audit is scored."
        )
        + (
            " The first priority does not change with the scoring."
            if dep["first_priority_stable"]
            else " The first priority changes with the scoring."
        )
    )

    if answers.example:
        answers_note = (
            "The ratings shown are an invented example, shipped with the compendium to show how the "
            "audit works; they describe no real service."
        )
    else:
        answers_note = f"The ratings shown are those given for {answers.service} in the answers file {path.name}."

    scalars: dict[str, Any] = {
        "n_projects": published("innovation_projects"),
        "service": answers.service,
        "answers_are_example": answers.example,
        "answers_note": answers_note,
        "n_items": len(items),
        "n_themes": len(themes),
        **{f"n_{t.id}": int(counts[t.id]) for t in themes},
        "scale_min": MIN_RATING,
        "scale_max": MAX_RATING,
        "scale_min_label": SCALE[0].label,
        "scale_max_label": SCALE[-1].label,
        "established_label": " or ".join(lv.label for lv in SCALE if lv.rating >= ESTABLISHED),
        "overall_score": float(table["rating"].mean() / MAX_RATING),
        "overall_mean_rating": float(table["rating"].mean()),
        "overall_share_established": float((table["rating"] >= ESTABLISHED).mean()),
        **{f"score_{t.id}": float(score[t.id]) for t in themes},
        "strongest_theme": _join([_lower_first(s) for s in strongest]),
        "strongest_theme_score": float(best),
        "weakest_theme": _join([_lower_first(s) for s in weakest]),
        "weakest_theme_score": float(worst),
        "n_priorities": p["n_priorities"],
        "n_priority_items": n_listed,
        "n_tied_with_last_priority": n_tied,
        "ties_note": ties_note,
        "first_priority": _lower_first(str(priorities.loc[0, "label"])),
        "first_priority_level": str(priorities.loc[0, "level"]),
        "n_items_not_in_place": int((table["rating"] == MIN_RATING).sum()),
        "n_items_embedded": int((table["rating"] == MAX_RATING).sum()),
        "counts_reproduction": "reproduced" if all(c.status == "reproduced" for c in checks) else "not reproduced",
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
        "scoring_dependence_text": scoring_text,
    }
    if dep["flips_scan"]:
        scalars["weakest_theme_flip_spacing"] = dep["flips_scan"][0]

    inputs = {
        **registry_input(),
        str(ITEMS_FILE.relative_to(ROOT)): sha256_file(ITEMS_FILE),
        str(THEMES_FILE.relative_to(ROOT)): sha256_file(THEMES_FILE),
        (p["answers_path"] if p["answers_path"] == EXAMPLE_ANSWERS else str(path)): sha256_file(path),
    }
    return AnalysisResult(
        notebook="innovation_self_audit",
        params=p,
        scalars=scalars,
        tables={"items": table, "themes": by_theme, "priorities": priorities, "scoring_dependence": dep["table"]},
        data={"themes": themes, "items": items},
        checks=checks,
        figures_used=[
            FigureUse("innovation_projects", "quoted"),
            *[FigureUse(c.figure_id, "reproduced", c.status) for c in checks],
        ],
        inputs=inputs,
    )


#: The kind of every number the page states (helpers.page.kinds). Published: the number of projects. Computed: the
#: number of items in each of the report's lists (the report prints the lists, not their lengths; the registry
#: grades those counts "inferred"), counted from the items file. Every score, rating count and priority comes from the invented example's ratings (or the
#: compendium's scale): assumption (an illustration).
KINDS = kinds.declare(
    published=["n_projects"],
    computed=[
        "n_items",
        "n_themes",
        "n_core_principles",
        "n_key_ingredients",
        "n_common_features",
        "n_enabling_conditions",
    ],
    assumption=[
        "scale_min",
        "scale_max",
        "overall_score",
        "overall_mean_rating",
        "overall_share_established",
        "score_core_principles",
        "score_key_ingredients",
        "score_common_features",
        "score_enabling_conditions",
        "strongest_theme_score",
        "weakest_theme_score",
        "n_priorities",
        "n_priority_items",
        "n_tied_with_last_priority",
        "n_items_not_in_place",
        "n_items_embedded",
        "spacing_range_low",
        "spacing_range_high",
        "weakest_theme_flip_spacing",
    ],
)


# ---------------------------------------------------------------- tables for the page
def themes_frame(result: AnalysisResult) -> pd.DataFrame:
    """The scores by theme, for the page."""
    t = result.tables["themes"]
    return pd.DataFrame(
        {
            "theme": t["title"],
            "items": t["items"],
            f"mean rating ({MIN_RATING}–{MAX_RATING})": t["mean_rating"].map(lambda x: f"{x:.2f}"),
            "score (% of the maximum)": t["score"].map(lambda x: f"{x:.0%}"),
            "lowest rating": t["lowest"].map(LEVEL_LABEL),
            f"items {result.scalars['established_label']}": t["established"].map(lambda x: f"{x:.0%}"),
        }
    )


def priorities_frame(result: AnalysisResult) -> pd.DataFrame:
    """The weakest items first: the service's priorities."""
    t = result.tables["priorities"]
    return pd.DataFrame(
        {
            "priority": t["priority"],
            "item": t["label"],
            "theme": t["theme_title"],
            "rating": [f"{r} ({lv})" for r, lv in zip(t["rating"], t["level"])],
            "what the report says": t["wording"],
        }
    )


def items_frame(result: AnalysisResult) -> pd.DataFrame:
    """Every item of the audit: theme, id, short label, the report's words and the rating given."""
    t = result.tables["items"]
    return pd.DataFrame(
        {
            "theme": t["theme_title"],
            "id": t["id"],
            "item": t["label"],
            "the report's words": t["wording"],
            "rating": [f"{r} ({lv})" for r, lv in zip(t["rating"], t["level"])],
        }
    )


def lists_frame(result: AnalysisResult) -> pd.DataFrame:
    """Where each theme comes from: the report's words introducing the list, and its items counted."""
    themes = result.data["themes"]
    counts = result.tables["items"].groupby("theme", sort=False).size()
    return pd.DataFrame(
        {
            "theme": [t.title for t in themes],
            "the report introduces the list with": [f"“{t.lead_in}”" for t in themes],
            "items in the audit": [int(counts[t.id]) for t in themes],
        }
    )


# ---------------------------------------------------------------- figures
def plot_heatmap(result: AnalysisResult) -> plt.Figure:
    """Every item's rating, one row per theme, items in the report's order."""
    themes, table = result.data["themes"], result.tables["items"]
    width = int(table.groupby("theme").size().max())
    grid = np.full((len(themes), width), np.nan)
    fig, ax = plt.subplots(figsize=(8.6, 1.3 * len(themes) + 1.6), layout="constrained")
    cmap = ListedColormap(plt.get_cmap(SEQUENTIAL, len(SCALE))(np.arange(len(SCALE)))).with_extremes(bad=(1, 1, 1, 0))
    norm = BoundaryNorm(np.arange(MIN_RATING - 0.5, MAX_RATING + 1), cmap.N)
    cells = []
    for r, theme in enumerate(themes):
        for c, (_, row) in enumerate(table[table["theme"] == theme.id].iterrows()):
            grid[r, c] = row["rating"]
            cells.append((r, c, row))
    image = ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, norm=norm, aspect="auto")
    for r, c, row in cells:
        dark = row["rating"] <= (MIN_RATING + MAX_RATING) / 2
        ax.text(
            c,
            r,
            textwrap.fill(row["label"], 15) + f"\n{row['rating']}: {row['level']}",
            ha="center",
            va="center",
            fontsize=8,
            linespacing=1.15,
            color="white" if dark else "black",
        )
    ax.set_yticks(range(len(themes)), [textwrap.fill(t.title, 16) for t in themes], fontsize=9)
    ax.set_xticks(range(width), [str(k + 1) for k in range(width)])
    ax.set_xlabel("Item, in the report's order (number within the theme)")
    ax.set_xticks(np.arange(-0.5, width), minor=True)
    ax.set_yticks(np.arange(-0.5, len(themes)), minor=True)
    ax.grid(False)
    ax.grid(which="minor", color="white", lw=3)
    ax.tick_params(which="minor", length=0)
    bar = fig.colorbar(
        image, ax=ax, orientation="horizontal", ticks=[lv.rating for lv in SCALE], fraction=0.05, pad=0.02, aspect=40
    )
    bar.ax.set_xticklabels([f"{lv.rating}: {lv.label}" for lv in SCALE], fontsize=9)
    bar.set_label("Rating (scale points)")
    return fig


def plot_theme_scores(result: AnalysisResult) -> plt.Figure:
    """Mean rating by theme (bars) with each item's rating (dots) and the overall mean (line)."""
    themes, table, by = result.data["themes"], result.tables["items"], result.tables["themes"]
    fig, ax = plt.subplots(figsize=(8, 0.9 * len(themes) + 1.4))
    y = np.arange(len(themes))[::-1]
    ax.barh(y, by["mean_rating"], color=COLOURS["primary"], alpha=0.35, height=0.6, label="theme mean")
    for yi, theme in zip(y, themes):
        ratings = table.loc[table["theme"] == theme.id, "rating"].to_numpy()
        # equal ratings are spread vertically, evenly about the bar's centre, so that each dot is visible
        offsets = np.zeros(len(ratings))
        for value in np.unique(ratings):
            same = np.flatnonzero(ratings == value)
            offsets[same] = (np.arange(len(same)) - (len(same) - 1) / 2) * 0.13
        ax.plot(
            ratings,
            yi + offsets,
            "o",
            color=COLOURS["primary"],
            ms=6,
            mec="white",
            mew=0.8,
            label="an item's rating" if yi == y[0] else None,
        )
    ax.axvline(
        result.scalars["overall_mean_rating"], color=COLOURS["reference"], ls="--", lw=1.5, label="mean of all items"
    )
    ax.set_yticks(y, [textwrap.fill(t.title, 24) for t in themes])
    ax.set_xlim(MIN_RATING - 0.2, MAX_RATING + 0.2)
    ax.set_xticks([lv.rating for lv in SCALE], [f"{lv.rating}\n{lv.label}" for lv in SCALE])
    ax.set_xlabel("Rating (scale points)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.27), ncol=3, fontsize=9)
    fig.tight_layout()
    return fig


def plot_scoring_dependence(result: AnalysisResult) -> plt.Figure:
    """The gap between the weakest theme and the next, as the spacing of the scale moves."""
    fig = dependence_plot(
        result.tables["scoring_dependence"],
        "Spacing of the rating scale (power; 1 = equal steps)",
        "Gap to the next-weakest\ntheme (share of maximum)",
        base=1.0,
        threshold=0.0,
        threshold_label="below: another theme is the weakest",
    )
    ax = fig.axes[0]
    ax.set_xscale("log")
    ax.set_xticks([0.5, 0.75, 1, 1.5, 2], ["0.5", "0.75", "1", "1.5", "2"])
    ax.minorticks_off()
    fig.tight_layout()
    return fig
