"""What each of the self-audit page's results is: a description and a unit (``results.json``; helpers.outputs).
A score is the mean rating as a share of the top rating (steps of the scale counted as equal)."""

from __future__ import annotations

from helpers.outputs import FLAG, PROPORTION, TEXT, declare

_RATING = "rating (0 to 4)"
_SPACING = "spacing exponent (1 = equal steps)"

OUTPUTS = declare(
    {
        "n_projects": (
            "Projects the Innovation Programme's first thematic report brought together (published)",
            "projects",
        ),
        "service": ("The service the answers file names", TEXT),
        "answers_are_example": ("True when the answers file says it is an invented example", FLAG),
        "answers_note": ("What the ratings are (an invented example, or the named service's), in sentences", TEXT),
        "n_items": ("Items of the audit", "items"),
        "n_themes": ("Themes the items are grouped in", "themes"),
        "n_core_principles": ("Items in the theme core principles", "items"),
        "n_key_ingredients": ("Items in the theme key ingredients of good practice", "items"),
        "n_common_features": ("Items in the theme common features of successful projects", "items"),
        "n_enabling_conditions": ("Items in the theme enabling conditions", "items"),
        "n_core_principles_parts": ("Parts of the report's list of core principles (its semicolons)", "parts"),
        "n_key_ingredients_parts": ("Parts of the report's list of key ingredients (its semicolons)", "parts"),
        "n_common_features_parts": ("Bullet points of the report's list of common features", "parts"),
        "n_enabling_conditions_parts": (
            "Parts of the report's sentence of enabling conditions (its semicolons)",
            "parts",
        ),
        "lists_split_text": ("Where the page made more items than the report's punctuation gives, in sentences", TEXT),
        "scale_min": ("Lowest rating of the scale", _RATING),
        "scale_max": ("Highest rating of the scale", _RATING),
        "scale_min_label": ("The lowest rating's level, in words", TEXT),
        "scale_max_label": ("The highest rating's level, in words", TEXT),
        "established_label": ("The levels counted as established or better, in words", TEXT),
        "overall_score": ("Score of every item together: mean rating as a share of the top rating", PROPORTION),
        "overall_mean_rating": ("Mean rating of every item", _RATING),
        "overall_share_established": ("Share of the items rated established or embedded", PROPORTION),
        "score_core_principles": ("Score of the theme core principles", PROPORTION),
        "score_key_ingredients": ("Score of the theme key ingredients of good practice", PROPORTION),
        "score_common_features": ("Score of the theme common features of successful projects", PROPORTION),
        "score_enabling_conditions": ("Score of the theme enabling conditions", PROPORTION),
        "strongest_theme": ("The theme with the highest score", TEXT),
        "strongest_theme_score": ("Score of the strongest theme", PROPORTION),
        "weakest_theme": ("The theme with the lowest score", TEXT),
        "weakest_theme_score": ("Score of the weakest theme", PROPORTION),
        "spacing_range_low": (
            "Low end of the plausible spacing of the scale's steps (each level counts (rating/4) to this power)",
            _SPACING,
        ),
        "spacing_range_high": ("High end of the plausible spacing of the scale's steps", _SPACING),
        "weakest_theme_holds": ("True when the weakest theme is the same over that whole range of spacings", FLAG),
        "weakest_theme_holds_words": ("Whether the weakest theme stays the same or changes, in words", TEXT),
        "first_priority_words": ("Whether the first priority changes with the scoring, in a sentence", TEXT),
        "weakest_theme_same_by_established": (
            "True when scoring by the share established or embedded names the same weakest theme",
            FLAG,
        ),
        "weakest_theme_established_words": ("Whether that other score names the same weakest theme, in words", TEXT),
        "first_priority_stable": ("True when the first priority is the same under every scoring tried", FLAG),
        "scoring_dependence_text": ("What the weakest theme and the first priority rest on, in sentences", TEXT),
        "weakest_theme_flip_spacing": (
            "Spacing at which another theme becomes the weakest (scanned 0.1 to 10)",
            _SPACING,
        ),
        "n_items_not_in_place": ("Items rated not in place", "items"),
        "n_items_embedded": ("Items rated embedded", "items"),
        "n_priorities": ("The parameter n_priorities: how many of the weakest items to list", "items"),
        "n_priority_items": ("Items listed as priorities", "items"),
        "n_tied_with_last_priority": ("Items left off the list that are rated as low as the last one listed", "items"),
        "ties_note": ("Whether items left off the list tie with the last one listed, in a sentence", TEXT),
        "first_priority": (
            "The first priority: the weakest item (ties broken by the weaker theme, then the report's order)",
            TEXT,
        ),
        "first_priority_level": ("The first priority's rating, in words", TEXT),
        "ratings_owner_text": ("Whose ratings the page shows (the invented example's or the user's), in words", TEXT),
        "ratings_caption": ("The figures' caption naming whose ratings they show", TEXT),
    }
)
