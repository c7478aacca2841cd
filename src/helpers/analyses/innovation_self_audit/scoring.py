"""What the weakest theme and the first priority depend on: the scoring. Scores average the ratings
as if the steps of the scale were equal; here that spacing is moved."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from helpers.stats.sensitivity import Uncertain, crossings, vary

from .items import MAX_RATING

#: Scores average the ratings as if the steps of the scale were equal. The assumption that can be moved is
#: that spacing: a level counts (rating / top rating) ** SPACING, so a spacing of 1 is the page's equal steps,
#: below 1 the first steps count for more, above 1 only the top levels count for much. Plausible: 1/2 to 2
#: (at 2, "established" counts 56% of "embedded" instead of 75%). Scanned further (SPACING_SCAN) to say
#: where, if anywhere, the weakest theme would change.
SPACING_RANGE = (0.5, 2.0)
SPACING_SCAN = (0.1, 10.0)


def spacing_scores(table: pd.DataFrame, spacing: Any) -> pd.DataFrame:
    """Each theme's score (mean level value) for each spacing (rows: spacings; columns: theme ids)."""
    g = np.atleast_1d(np.asarray(spacing, dtype=float))
    values = (table["rating"].to_numpy(dtype=float)[None, :] / MAX_RATING) ** g[:, None]
    frame = pd.DataFrame(values, columns=table["theme"].to_numpy())
    return frame.T.groupby(level=0, sort=False).mean().T


def weakest_gap_model(table: pd.DataFrame, weakest_id: str) -> Callable[[Mapping[str, np.ndarray]], np.ndarray]:
    """The next-weakest theme's score minus the page's weakest theme's, by spacing (vectorised): below zero,
    another theme is the weakest."""

    def model(x: Mapping[str, np.ndarray]) -> np.ndarray:
        scores = spacing_scores(table, x["scale_spacing"])
        others = scores.drop(columns=[weakest_id])
        return (others.min(axis=1) - scores[weakest_id]).to_numpy()

    return model


def ranked_items(table: pd.DataFrame, theme_score: Mapping[str, float]) -> pd.DataFrame:
    """The items, weakest first: by rating, ties broken by the weaker theme, then the report's order."""
    return (
        table.assign(theme_score=table["theme"].map(theme_score))
        .sort_values(["rating", "theme_score", "order"], kind="stable")
        .reset_index(drop=True)
    )


def _first_priority_id(table: pd.DataFrame, theme_score: Mapping[str, float]) -> str:
    return str(ranked_items(table, theme_score).iloc[0]["id"])


def scoring_dependence(table: pd.DataFrame, by_theme: pd.DataFrame) -> dict[str, Any]:
    """How the weakest theme and the first priority depend on the scoring: the scale's spacing varied over its
    plausible range (and scanned further), and the other score the page shows (share established or embedded)."""
    score = dict(zip(by_theme["theme"], by_theme["score"], strict=True))
    weakest_id = min(score, key=lambda t: (score[t], list(score).index(t)))
    model = weakest_gap_model(table, weakest_id)
    inputs = [Uncertain("scale_spacing", 1.0, 0.0, "positive", "Spacing of the rating scale")]
    table_range = vary(model, inputs, "scale_spacing", np.geomspace(*SPACING_RANGE, 61))
    scan = vary(model, inputs, "scale_spacing", np.geomspace(*SPACING_SCAN, 401))
    established = dict(zip(by_theme["theme"], by_theme["established"], strict=True))
    weakest_established = [t for t, v in established.items() if v == min(established.values())]
    firsts = {_first_priority_id(table, established)}
    for g in np.geomspace(*SPACING_SCAN, 41):
        scores = spacing_scores(table, g)
        firsts.add(_first_priority_id(table, dict(zip(scores.columns, scores.iloc[0], strict=True))))
    return {
        "weakest_id": weakest_id,
        "table": table_range,
        "flips_in_range": crossings(table_range, 0.0),
        "flips_scan": crossings(scan, 0.0),
        "weakest_established": weakest_established,
        "first_priority_stable": len(firsts) == 1,
    }
