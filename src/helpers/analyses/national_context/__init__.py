"""National context: how many social workers children in care have, and the workforce behind them.

Two of the evaluations point at who holds a case. The Frontline evaluation
(seed 000) found two or three social workers typically involved in a case and
recommended that one social worker hold the case; the outcomes study described
in seed 001 could only enrol families who had had one social worker over the
period of support, and struggled to find enough of them. The Department for
Education's official statistics say how common changes of social worker are:

* ``la_cla_swcount.csv``: children looked after on 31 March, and how many of
  them had three or more social workers during the year, for England, each
  region and each local authority;
* ``csww_indicators_<years>.csv``: the children and family social work
  workforce by local authority and year: full-time equivalents (FTE) in post,
  leavers, agency workers, case holders and cases.

With ``dfe_data_dir = ""`` (the default, and the book's page) the analysis uses
England-level figures from the registry of published figures, each quoting
its row of the official file: every year of the workforce series (2017 to 2025)
and the latest count of children looked after. With no local-authority rows the
funnel plot is left out, and the page says why. Given the folder of downloaded official files it
reads them (:mod:`helpers.inputs.dfe`) and adds the local-authority analysis: a
funnel plot of each authority's share against the chance variation expected
around England's share for its number of children, the workforce series with
the spread between authorities, and the correlation between authorities'
workforce turnover or agency rates and their share of children with three or
more social workers. Counts of children read from the folder go through
small-cell suppression (:mod:`helpers.inputs.suppression`) before any table or
figure shows them.

A simple benchmark puts the share in context: if a child's social worker
changed only when the worker left the local authority (leaving at the
published turnover rate, at random times), how many children would have three
or more social workers in a year? See :func:`turnover_only_share`.

The code, by module: ``parameters``; ``files`` (finding, reading and checking the
official files); ``data`` (the figures in both modes, and section 6, what reading the
files found); one module per part of the page: ``england`` (section 1),
``local_authorities`` (sections 2 and 5), ``model`` (section 3, the turnover-only
benchmark), ``workforce`` (section 4); and ``figures``. :func:`run` calls one function
per section, in page order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from helpers.lazy import lazy_exports
from helpers.page import kinds

from .card import CARD
from .parameters import PARAMETERS, Parameters

if TYPE_CHECKING:
    from .analysis import check_inputs, run
    from .data import WORKFORCE_YEARS
    from .figures import funnel_has_authorities, plot_benchmark_dependence, plot_funnel, plot_workforce
    from .files import FILES, WORKFORCE_INDICATORS, _duplicate_rows, find_files, read_files
    from .local_authorities import FUNNEL_COVERAGES, _with_regions, correlation_clause, funnel_limits, pearson
    from .model import (
        RATIO_THRESHOLD,
        benchmark_dependence,
        benchmark_model,
        changes_at_least,
        leaving_bound,
        matched_turnover,
        turnover_only_share,
        turnover_series,
    )
    from .summary import brief, landing

# Loaded on first use (helpers.lazy): `compendium list` and `params` need only the above.
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "brief": "summary",
        "landing": "summary",
        "check_inputs": "analysis",
        "run": "analysis",
        "WORKFORCE_YEARS": "data",
        "funnel_has_authorities": "figures",
        "plot_benchmark_dependence": "figures",
        "plot_funnel": "figures",
        "plot_workforce": "figures",
        "FILES": "files",
        "WORKFORCE_INDICATORS": "files",
        "_duplicate_rows": "files",
        "find_files": "files",
        "read_files": "files",
        "FUNNEL_COVERAGES": "local_authorities",
        "_with_regions": "local_authorities",
        "correlation_clause": "local_authorities",
        "funnel_limits": "local_authorities",
        "pearson": "local_authorities",
        "RATIO_THRESHOLD": "model",
        "benchmark_dependence": "model",
        "benchmark_model": "model",
        "changes_at_least": "model",
        "leaving_bound": "model",
        "matched_turnover": "model",
        "turnover_only_share": "model",
        "turnover_series": "model",
    },
)

__all__ = [
    "CARD",
    "FILES",
    "FUNNEL_COVERAGES",
    "KINDS",
    "PARAMETERS",
    "RATIO_THRESHOLD",
    "SUMMARY",
    "TITLE",
    "WORKFORCE_INDICATORS",
    "WORKFORCE_YEARS",
    "Parameters",
    "_duplicate_rows",
    "_with_regions",
    "benchmark_dependence",
    "benchmark_model",
    "brief",
    "changes_at_least",
    "check_inputs",
    "correlation_clause",
    "find_files",
    "funnel_has_authorities",
    "funnel_limits",
    "landing",
    "leaving_bound",
    "matched_turnover",
    "pearson",
    "plot_benchmark_dependence",
    "plot_funnel",
    "plot_workforce",
    "read_files",
    "run",
    "turnover_only_share",
    "turnover_series",
]


TITLE = "National context: how many social workers do children in care have?"


SUMMARY = (
    "DfE official statistics: children looked after with three or more social workers in a year, and the "
    "workforce's caseloads, turnover and agency rates (England; by local authority from the official files)"
)


#: The kind of every number the page states (helpers.page.kinds). DfE's counts of children and its workforce series
#: are published (P when they are the registry's figures); the share and the differences worked out from them are
#: computed. The turnover-only model's share, its ratio to DfE's share, and the bound on what leaving could explain
#: are a model's results (M): they hold under the model's stated assumptions (employed workers leaving at random at
#: the published turnover; for the bound, children's workers leaving as often as the average employed worker). The
#: range the benchmark's assumption is moved over, and the page's chosen inputs, are assumptions. Years, and the
#: conventional coverage of the funnel's limits, are labels and settings (unmarked). In a run on DfE files that are
#: not the ones the registry quotes (``own_records``), the figures read from them are the user's (D).
_FROM_FILES = [
    "cla_total",
    "cla_three_plus",
    "cla_fewer_than_three",
    "cla_three_plus_share",
    "cla_three_plus_share_printed",
    "cla_headline_total",
    "cla_headline_difference",
    "fte_first",
    "fte_latest",
    "caseload_first",
    "caseload_latest",
    "turnover_first",
    "turnover_latest",
    "agency_first",
    "agency_latest",
    "agency_share_model",
    "turnover_matched",
    "turnover_peak",
    "agency_peak",
    "la_brief_text",
]
KINDS = kinds.declare(
    setting=[
        "cla_year",
        "cla_year_text",
        "workforce_first_year",
        "workforce_latest_year",
        "workforce_first_year_text",
        "workforce_latest_year_text",
        "turnover_peak_year_text",
        "agency_peak_year_text",
        "workforce_n_years",
        "funnel_inner_coverage",
        "funnel_outer_coverage",
    ],
    published={
        "cla_total": "dfe_cla_total_2024",
        "cla_three_plus": "dfe_cla_3plus_sw_2024",
        "cla_three_plus_pct_published": "dfe_cla_3plus_sw_pct_2024",
        "cla_three_plus_share_printed": "dfe_cla_3plus_sw_pct_2024",
        "cla_headline_total": "dfe_cla_headline_2024",
        "frontline_workers_low": "frontline_workers_per_case_low",
        "frontline_workers_high": "frontline_workers_per_case_high",
        "turnover_rate": "dfe_turnover_2024",
        "fte_first": "dfe_fte_social_workers_2017",
        "fte_latest": "dfe_fte_social_workers_2025",
        "caseload_first": "dfe_caseload_2017",
        "caseload_latest": "dfe_caseload_2025",
        "turnover_first": "dfe_turnover_2017",
        "turnover_latest": "dfe_turnover_2025",
        "agency_first": "dfe_agency_rate_2017",
        "agency_latest": "dfe_agency_rate_2025",
        "agency_share_model": "dfe_agency_rate_2024",
        "turnover_peak": "dfe_turnover_2022",
        "agency_peak": "dfe_agency_rate_2023",
    },
    computed=[
        "cla_fewer_than_three",
        "cla_three_plus_share",
        "cla_headline_difference",
        "la_brief_text",
        "turnover_matched",
    ],
    model=[
        "turnover_only_share",
        "observed_to_model_ratio",
        "benchmark_ratio_low",
        "benchmark_ratio_high",
        "benchmark_ratio_uneven",
        "leaving_bound_share",
        "leaving_bound_fraction",
        "leaving_needed_ratio",
        "turnover_only_share_direct",
        "leaving_bound_fraction_direct",
        "turnover_matched_ratio",
    ],
    assumption=[
        "benchmark_range_low",
        "benchmark_range_high",
        "benchmark_range_low_text",
        "benchmark_range_high_text",
        "ci_level",
        "workforce_year_offset",
        "min_cell_count",
    ],
    records=_FROM_FILES,
    # the turnover rate feeds only the model: a run with another rate still computes the share from DfE's counts
    model_inputs=["turnover_rate"],
)
