"""The sentences of the Frontline page whose words depend on the run (the data source, the parameters, which
optional columns the user's records have, what is suppressed), and the simulated numbers as the body's prose prints
them (:func:`helpers.stats.montecarlo.texts`)."""

from __future__ import annotations

from typing import Any

from helpers.analyses.frontline_visits.parameters import WORKERS_HIGH, WORKERS_LOW, Parameters
from helpers.inputs.suppression import MARKER
from helpers.results import Section
from helpers.stats import montecarlo

# ---------------------------------------------------------------- sentences that follow the run
#: Every simulated number the body's prose prints, and how (:func:`helpers.stats.montecarlo.texts`).
MC_STYLES: dict[str, str] = {
    "rep_small_rate_ratio_range_low": "ratio",
    "rep_small_rate_ratio_range_high": "ratio",
    "rep_small_rate_ratio_coverage": "percent",
    "rep_small_rate_ratio_detection": "percent",
    "rep_rate_ratio_median": "ratio",
    "rep_rate_ratio_range_low": "ratio",
    "rep_rate_ratio_range_high": "ratio",
    "rep_rate_ratio_coverage": "percent",
    "rep_rate_ratio_detection": "percent",
    "rep_rate_ratio_quasi_coverage": "percent",
    "rep_rate_ratio_model_se_coverage": "percent",
    "rep_cluster_se_inflation_median": "ratio",
    "rep_share_reaching_threshold_frontline_median": "percent",
    "rep_share_reaching_threshold_other_median": "percent",
    "one_draw_share_below": "percent",
}


def _pct(value: Any) -> str:
    """A share as a whole percentage, or the suppression marker as it is."""
    return str(value) if value == MARKER else f"{value:.0%}"


def phrases(p: Parameters, s: dict[str, Any], own: bool) -> Section:
    """The body's sentences whose words depend on the run (the data source, the parameters, which optional
    columns own records have, what is suppressed), and the simulated numbers as the prose prints them."""
    out: dict[str, Any] = montecarlo.texts(s, MC_STYLES) if not own else {}
    out["threshold_text"] = _threshold_text(p, s, own, out)
    out["attempts_text"] = _attempts_text(s, own)
    out["workers_per_case_text"] = _workers_per_case_text(s, own)
    out["rate_ratio_caveat_text"] = _rate_ratio_caveat_text(s, own, out)
    if not own:
        out["detection_target_text"] = _detection_target_text(s)
        out["size_reading_text"] = _size_reading_text(s)
        out["sensitivity_range_text"] = (
            f"from {approximate_percent(s['dependence_detection_at_low'])} to "
            f"{approximate_percent(s['dependence_detection_at_high'])}"
        )
    return Section(out)


def approximate_percent(p: float) -> str:
    """A probability from an approximation (the large-sample formula) as a whole percentage; one that rounds to
    0% or 100% is written "<1%" or ">99%": the formula cannot show that a study never, or always, detects it."""
    if p >= 0.995:
        return ">99%"
    if p < 0.005:
        return "<1%"
    return f"{p:.0%}"


def _rate_ratio_caveat_text(s: dict[str, Any], own: bool, texts: dict[str, Any]) -> str:
    """What the records analysed in full can say: on own records, that the routes were not allocated at random;
    on the one synthetic draw, where it falls among the many reconstructions of the same size."""
    if own:
        return (
            "Training route was not allocated at random, so the ratio describes these records: it cannot say "
            "whether training, caseloads, cases or local practice lie behind it."
        )
    below = s["one_draw_share_below"]
    where = (
        "lower than most"
        if below < 0.1
        else "higher than most"
        if below > 0.9
        else "within the middle eighty per cent of them"
    )
    return (
        f"This draw's Poisson ratio, {s['rate_ratio_poisson']:.2f}, is above that of "
        f"{texts['one_draw_share_below_text']} of the {s['rep_n']:,} reconstructions of the same size ({where}): "
        "another seed gives another estimate. It illustrates the method; the records were built to have the "
        "ratio of the published averages, so it is not a finding."
    )


def _size_reading_text(s: dict[str, Any]) -> str:
    """What the smallest study's simulated detection rate means, in words that follow its value."""
    detection = s["rep_small_rate_ratio_detection"]
    if detection < 0.5:
        return (
            "A study of the smallest size would miss a difference the size of the published one more often than it "
            "found it, and could even see the ratio reversed."
            if s["rep_small_rate_ratio_range_low"] < 1
            else "A study of the smallest size would miss a difference the size of the published one more often "
            "than it found it."
        )
    if detection < s["detection_target"]:
        return (
            "A study of the smallest size would miss a difference the size of the published one more than one time "
            "in five."
        )
    return "Even a study of the smallest size would usually detect a difference the size of the published one."


def _threshold_text(p: Parameters, s: dict[str, Any], own: bool, texts: dict[str, Any]) -> str:
    level = f"{p.ci_level:.0%}"
    one = (
        f"{_pct(s['share_reaching_threshold_frontline'])} of Frontline cases "
        f"({_pct(s['share_reaching_threshold_frontline_ci_low'])} to "
        f"{_pct(s['share_reaching_threshold_frontline_ci_high'])}) and {_pct(s['share_reaching_threshold_other'])} "
        f"of other cases ({_pct(s['share_reaching_threshold_other_ci_low'])} to "
        f"{_pct(s['share_reaching_threshold_other_ci_high'])}) reached it ({level} intervals)"
    )
    if own:
        return f"In your records, {one}."
    return (
        f"Across the reconstructions with {p.n_workers_per_group} workers per route, a median of "
        f"{texts['rep_share_reaching_threshold_frontline_median_text']} of Frontline cases and "
        f"{texts['rep_share_reaching_threshold_other_median_text']} of other cases reach it; in the one "
        f"reconstruction analysed in full, {one}."
    )


def _attempts_text(s: dict[str, Any], own: bool) -> str:
    if "unsuccessful_per_case" not in s:
        return "Your records have no column of unsuccessful visits, so the page cannot count them."
    share = s["share_cases_with_unsuccessful"]
    cases = (
        "the share of cases with at least one is hidden (a count behind it is small)"
        if share == MARKER
        else f"{share:.0%} of cases have at least one"
    )
    numbers = (
        f"{s['unsuccessful_per_case']:.1f} unsuccessful attempts on average "
        f"({s['unsuccessful_share_observed']:.0%} of all attempts), and {cases}"
    )
    if own:
        return f"Your cases have {numbers}."
    return (
        "The report says Frontline-trained workers make multiple unsuccessful attempts at home visits but gives no "
        "number, nor any for other routes; the reconstruction assumes the same chance of an attempt failing for "
        f"every route. With that assumed chance, the synthetic cases have {numbers}."
    )


def _workers_per_case_text(s: dict[str, Any], own: bool) -> str:
    if "share_cases_single_worker" not in s:
        return "Your records have no column of social workers involved in a case, so the page cannot count them."
    typical = f"{WORKERS_LOW} or {WORKERS_HIGH} social workers"
    if s["share_cases_single_worker"] == MARKER:
        shares = "the shares by number of workers are hidden (a count behind them is small)"
    else:
        shares = (
            f"{s['share_cases_typical_workers']:.0%} of cases involve {typical} and "
            f"{s['share_cases_single_worker']:.0%} keep one worker throughout"
        )
    if own:
        return f"In your records, {shares}."
    return (
        f"In the reconstruction, {shares} (the published figure is that {typical} are typically involved; the "
        "share with one worker is an assumption)."
    )


def _detection_target_text(s: dict[str, Any]) -> str:
    target = f"{s['detection_target']:.0%}"
    needed = s.get("workers_for_detection_target")
    if needed is not None and needed > s["size_small_workers"]:
        return f"reaches the conventional {target} only with {needed:d} workers per route or more"
    if s["size_small_detection_formula"] >= s["detection_target"]:
        return f"reaches the conventional {target} at every size shown"
    return f"falls short of the conventional {target} at every size shown"
