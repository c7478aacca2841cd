"""The page's tables, for display: where each theme comes from, the scores by theme, every item, and
the priorities."""

from __future__ import annotations

import pandas as pd

from helpers.page.registry import published
from helpers.results import AnalysisResult

from .items import LEVEL_LABEL, MAX_RATING, MIN_RATING


def _rating_words(t: pd.DataFrame) -> list[str]:
    """Each rating with its level: ``2 (developing)``."""
    return [f"{r} ({lv})" for r, lv in zip(t["rating"], t["level"], strict=True)]


def themes_table(result: AnalysisResult) -> pd.DataFrame:
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


def priorities_table(result: AnalysisResult) -> pd.DataFrame:
    """The weakest items first: the service's priorities."""
    t = result.tables["priorities"]
    return pd.DataFrame(
        {
            "priority": t["priority"],
            "item": t["label"],
            "theme": t["theme_title"],
            "rating": _rating_words(t),
            "what the report says": t["wording"],
        }
    )


def items_table(result: AnalysisResult) -> pd.DataFrame:
    """Every item of the audit: theme, id, short label, the report's words and the rating given."""
    t = result.tables["items"]
    return pd.DataFrame(
        {
            "theme": t["theme_title"],
            "id": t["id"],
            "item": t["label"],
            "the report's words": t["wording"],
            "rating": _rating_words(t),
        }
    )


def lists_table(result: AnalysisResult) -> pd.DataFrame:
    """Where each theme comes from: the report's words introducing the list, the parts of the report's text it
    has, the items the audit makes of them, and the registry's count of the list where it holds one (the
    compendium's count, graded inferred: a check that no item was lost or added, not a published figure)."""
    themes = result.data["themes"]
    counts = result.tables["items"].groupby("theme", sort=False).size()
    return pd.DataFrame(
        {
            "theme": [t.title for t in themes],
            "the report introduces the list with": [f"“{t.lead_in}”" for t in themes],
            "parts in the report's text": [int(result.scalars[f"n_{t.id}_parts"]) for t in themes],
            "items in the audit": [int(counts[t.id]) for t in themes],
            "count in the registry (inferred)": [
                f"{published(t.count_figure):g}" if t.count_figure else "none held" for t in themes
            ],
        }
    )
