"""What each of the national context page's results is: a description and a unit (``results.json``;
helpers.outputs). The counts are of children looked after (CLA) on 31 March; the workforce figures are
England's, from the registry or the DfE files given in dfe_data_dir."""

from __future__ import annotations

from helpers.outputs import FLAG, PERCENT, PROBABILITY, PROPORTION, RATIO, TEXT, YEAR, Output, declare, echo

from .parameters import PARAMETERS

_TOP = "the unit of the input named by benchmark_top_input"
_R = "Pearson correlation coefficient (−1 to 1)"
#: The workforce measures correlated with each authority's share (section 5), by key.
_MEASURES = {
    "turnover": "turnover of its social workers",
    "agency": "share of agency social workers",
    "caseload": "average caseload",
}


def _correlations() -> dict[str, Output]:
    """``corr_<measure>_r``, ``_low``, ``_high`` and ``_n`` for each workforce measure (only with DfE files)."""
    out: dict[str, Output] = {}
    for key, words in _MEASURES.items():
        what = f"the authorities' share of children with three or more social workers and their {words}"
        out[f"corr_{key}_r"] = Output(f"Correlation across local authorities between {what}", _R)
        out[f"corr_{key}_low"] = Output(
            f"Lower end of the ci_level interval (Fisher's z) of the correlation of {what}", _R
        )
        out[f"corr_{key}_high"] = Output(f"Upper end of that interval, for {what}", _R)
        out[f"corr_{key}_n"] = Output(f"Local authorities in the correlation of {what}", "local authorities")
    return out


OUTPUTS = declare(
    {
        "data_source_text": ("What this run read: the registry's England figures or the DfE files, in words", TEXT),
        "own_records": (
            "True when the run read DfE files other than those the registry quotes (their figures are the user's)",
            FLAG,
        ),
        "swcount_source_text": ("The social worker stability file described, with its release or folder", TEXT),
        "workforce_source_text": ("The workforce file described, with its release or folder", TEXT),
        "headline_source_text": ("The headline count file described, with its release or folder", TEXT),
        "cla_year": ("Year (to 31 March) of the counts of children looked after", YEAR),
        "cla_year_text": ("That year as the page writes it", TEXT),
        "cla_total": ("Children looked after in England at the end of March of cla_year", "children"),
        "cla_three_plus": ("Of those, children who had three or more social workers during the year", "children"),
        "cla_fewer_than_three": (
            "Of those, children who had fewer than three social workers during the year",
            "children",
        ),
        "cla_three_plus_share": ("Share of children looked after who had three or more social workers", PROPORTION),
        "cla_three_plus_share_printed": (
            "That share rounded half up to a whole percentage, as DfE prints it (the published figure when the counts "
            "are the registry's)",
            PROPORTION,
        ),
        "cla_three_plus_pct_published": (
            "Published percentage of children looked after with three or more social workers",
            PERCENT,
        ),
        "cla_three_plus_reproduction": (
            "Whether the share, rounded as published, reproduces the published percentage",
            TEXT,
        ),
        "frontline_workers_low": (
            "Published (Frontline evaluation): the fewest social workers typically involved in a case",
            "social workers",
        ),
        "frontline_workers_high": (
            "Published (Frontline evaluation): the most social workers typically involved in a case",
            "social workers",
        ),
        "cla_headline_text": (
            "How the social worker table's count of children differs from DfE's headline count, in sentences",
            TEXT,
        ),
        "cla_headline_known": ("True when the run has DfE's headline count for cla_year", FLAG),
        "cla_headline_total": (
            "DfE's headline count of children looked after in England at the end of March of cla_year",
            "children",
        ),
        "cla_headline_difference": ("The headline count minus the social worker table's count", "children"),
        "three_plus_trend_text": ("What the page can say about change over time in that share, in sentences", TEXT),
        "min_cell_count": echo(PARAMETERS, "min_cell_count"),
        "counts_note": ("What the table of counts suppresses, in a sentence", TEXT),
        "funnel_inner_coverage": (
            "Probability within the funnel plot's inner limits for an authority at England's share",
            PROBABILITY,
        ),
        "funnel_outer_coverage": (
            "Probability within the funnel plot's outer limits for an authority at England's share",
            PROBABILITY,
        ),
        "la_variation_text": ("What the page says about variation between local authorities, in sentences", TEXT),
        "funnel_text": ("What the funnel plot shows, in sentences", TEXT),
        "la_comparison_text": (
            "Whether this run compares local authorities, and what a run on DfE's files adds, in a sentence",
            TEXT,
        ),
        "funnel_caption_text": ("The funnel plot's caption: what its dots are", TEXT),
        "la_n_shown": ("Local authorities shown in the funnel plot", "local authorities"),
        "la_n_outside_998": ("Local authorities outside the funnel plot's outer limits", "local authorities"),
        "la_q1_share": ("Lower quartile of the authorities' shares with three or more social workers", PROPORTION),
        "la_median_share": ("Median of the authorities' shares with three or more social workers", PROPORTION),
        "la_q3_share": ("Upper quartile of the authorities' shares with three or more social workers", PROPORTION),
        "turnover_rate": echo(PARAMETERS, "turnover_rate", PROPORTION),
        "turnover_only_share": (
            "Share of children who would have three or more workers in a year if workers changed only when they "
            "left, at turnover_rate (a benchmark)",
            PROPORTION,
        ),
        "observed_to_model_ratio": ("The published share divided by that benchmark", RATIO),
        "observed_to_model_ratio_text": ("That ratio as the page writes it", TEXT),
        "turnover_model_verdict": ("What the benchmark says about the published share, in a sentence", TEXT),
        "agency_share_model": (
            "Share of the workforce who are agency workers (not in the turnover), census of the children's year",
            PROPORTION,
        ),
        "benchmark_top_input": ("The assumption the benchmark depends on most (its name)", TEXT),
        "benchmark_top_label": ("The assumption the benchmark depends on most, in words", TEXT),
        "benchmark_ratio_low": (
            "Smallest ratio of the published share to the benchmark over that assumption's range",
            RATIO,
        ),
        "benchmark_ratio_high": (
            "Largest ratio of the published share to the benchmark over that assumption's range",
            RATIO,
        ),
        "benchmark_range_low": ("Low end of that assumption's plausible range", _TOP),
        "benchmark_range_high": ("High end of that assumption's plausible range", _TOP),
        "benchmark_ratio_uneven": ("The ratio if children's workers' leaving rates varied (spread = mean)", RATIO),
        "benchmark_ratio_uneven_text": ("That ratio as the page writes it", TEXT),
        "leaving_bound_share": ("Most children leaving could give three or more workers (Markov)", PROPORTION),
        "leaving_bound_fraction": ("That bound over the share with three or more workers (at most 1)", PROPORTION),
        "leaving_needed_ratio": ("Times the average leaving rate needed to explain every such child", RATIO),
        "turnover_only_share_direct": (
            "The turnover-only share with DfE's turnover read directly as a yearly rate of leaving (λ = turnover_rate)",
            PROPORTION,
        ),
        "leaving_bound_fraction_direct": (
            "The bound on what leaving could explain, on that direct reading (at most 1)",
            PROPORTION,
        ),
        "turnover_reading_text": ("The two readings of DfE's turnover as a rate of leaving, in sentences", TEXT),
        "turnover_matched": (
            "Mean turnover of the two workforce years (to 30 September) that the children's year overlaps",
            PROPORTION,
        ),
        "turnover_matched_ratio": ("The published share divided by the turnover-only share at that mean", RATIO),
        "turnover_period_text": ("The turnover matched to the children's year and the model at it, in sentences", TEXT),
        "leaving_bound_text": ("The bound on what leaving could explain, in sentences", TEXT),
        "turnover_series_text": ("The series whose spread the turnover is given in the benchmark, in words", TEXT),
        "benchmark_conclusion_holds": ("True when the benchmark's conclusion holds over that whole range", FLAG),
        "benchmark_holds_words": ("Whether the conclusion holds over that range, in words", TEXT),
        "benchmark_range_low_text": ("The low end of that range as the page writes it", TEXT),
        "benchmark_range_high_text": ("The high end of that range as the page writes it", TEXT),
        "benchmark_dependence_text": ("What the benchmark depends on, in sentences", TEXT),
        "turnover_source_text": ("Where the turnover rate comes from, in words", TEXT),
        "workforce_rates_reproduction": (
            "Whether the workforce rates recomputed from their counts match the published ones",
            TEXT,
        ),
        "workforce_first_year": ("First census year of the workforce series (to 30 September)", YEAR),
        "workforce_latest_year": ("Latest census year of the workforce series", YEAR),
        "workforce_first_year_text": ("The first year as the page writes it", TEXT),
        "workforce_latest_year_text": ("The latest year as the page writes it", TEXT),
        "fte_first": ("Children and family social workers in post in England, first year", "FTE social workers"),
        "fte_latest": ("Children and family social workers in post in England, latest year", "FTE social workers"),
        "caseload_first": ("Average caseload per case-holding social worker, first year", "cases per social worker"),
        "caseload_latest": ("Average caseload per case-holding social worker, latest year", "cases per social worker"),
        "turnover_first": ("Turnover of social workers, first year", PERCENT),
        "turnover_latest": ("Turnover of social workers, latest year", PERCENT),
        "agency_first": ("Share of agency social workers, first year", PERCENT),
        "agency_latest": ("Share of agency social workers, latest year", PERCENT),
        "fte_direction": ("Whether the social workers in post rose or fell, in a word", TEXT),
        "caseload_direction": ("Whether the average caseload rose or fell, in a word", TEXT),
        "turnover_direction": ("Whether turnover rose or fell, in a word", TEXT),
        "agency_direction": ("Whether the agency share rose or fell, in a word", TEXT),
        "workforce_peaks_text": ("When turnover and the agency share were highest, in a sentence", TEXT),
        "workforce_n_years": ("Years in the workforce series", "years"),
        "turnover_peak": ("Highest turnover in the series", PERCENT),
        "turnover_peak_year_text": ("The year of the highest turnover as the page writes it", TEXT),
        "agency_peak": ("Highest agency share in the series", PERCENT),
        "agency_peak_year_text": ("The year of the highest agency share as the page writes it", TEXT),
        "rates_check_text": ("How the workforce rates were checked against their counts, in sentences", TEXT),
        "ci_level": echo(PARAMETERS, "ci_level", PROPORTION),
        "workforce_year_offset": echo(PARAMETERS, "workforce_year_offset"),
        "association_text": ("What the shares' correlations with the workforce measures show, in sentences", TEXT),
        "la_brief_text": ("The local authorities in a sentence or two, for the page's brief", TEXT),
        "symbols_text": ("The DfE symbols for suppressed or missing values that were read, in sentences", TEXT),
        **_correlations(),
    }
)
