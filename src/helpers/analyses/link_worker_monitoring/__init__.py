"""A link social worker in children's centres: professionals involved, and what 79 cases can show.

Published (Boddy, Wigfall & Simon 2007, Thomas Coram Research Unit; Community
Care, 14 June 2007): a pilot link social worker was based in two children's
centres; monitoring data were analysed on 79 family support cases in two Sure
Start programmes over six months, and "showed more professionals were
involved with cases in the children's centres where the link social worker
was based". The split of the cases and the counts were not published.

The analysis therefore runs on a **synthetic reconstruction** of the 79 cases
(or on the user's own records, ``data_path``):

1. seeded synthetic cases: a programme, a centre, whether the link worker was
   based in it, and the number of professionals involved, drawn from a
   negative binomial (gamma–Poisson) distribution with stated assumptions;
2. a count regression (Poisson or negative binomial NB2, statsmodels) of
   professionals involved on the link worker's presence, with the rate ratio
   and its Wald interval;
3. what a study of this size can show: the smallest rate ratio detectable at
   the chosen power (statsmodels' power for two negative binomial rates), the
   power for the assumed difference and the number of cases that difference
   would need; and which of its assumptions the detectable ratio depends on
   most (:func:`.power.mdrr_dependence`);
4. what the synthetic reconstruction shows across ``n_replicates``
   reconstructions, not one (:func:`reconstructions`, ``helpers.stats.replicates``):
   the median and central range of the estimated ratio, how often its interval
   covers the assumed ratio and how often it excludes no difference (the
   simulated power), all reconstructions fitted at once in closed form
   (:func:`fast_count_fits`), each printed at the precision its Monte Carlo
   error supports. With the user's records there is nothing to replicate and
   no ``rep_*`` values are computed.

The package, in the page's order: ``parameters``, ``records`` (the own-records file: ``RECORDS_SCHEMA``
and the checks across rows), ``synthetic`` (the generator), ``model`` (the count regressions), ``bands``
(cases by professionals involved), ``power`` (power, the detectable ratio and what it depends on),
``replication`` (many reconstructions: :func:`reconstructions`), ``sections`` (one function per section
of the page, each returning its numbers and tables) and ``figures``; :func:`run` (in ``analysis``) calls
the sections in page order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from helpers.lazy import lazy_exports
from helpers.page import kinds
from helpers.page.registry import published

from .card import CARD
from .parameters import PARAMETERS, PUBLISHED, Parameters

if TYPE_CHECKING:
    from .analysis import run
    from .bands import BANDS, band_label, merge_bands
    from .figures import plot_dependence, plot_power, plot_professionals, plot_rate_ratio, plot_replicates
    from .model import CountFit, fast_count_fit, fast_count_fits, fit_count_model
    from .power import cases_needed, detectable_ratio, mdrr_model, power_between_centres, power_for_ratio
    from .records import MAX_PROFESSIONALS, RECORDS_SCHEMA, WITH, WITHOUT, check_inputs, check_records, load_records
    from .replication import reconstructions
    from .summary import brief, landing
    from .synthetic import synthesise_cases

# Loaded on first use (helpers.lazy): `compendium list` and `params` need only the above.
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "brief": "summary",
        "landing": "summary",
        "run": "analysis",
        "BANDS": "bands",
        "band_label": "bands",
        "merge_bands": "bands",
        "plot_dependence": "figures",
        "plot_power": "figures",
        "plot_professionals": "figures",
        "plot_rate_ratio": "figures",
        "plot_replicates": "figures",
        "CountFit": "model",
        "fast_count_fit": "model",
        "fast_count_fits": "model",
        "fit_count_model": "model",
        "cases_needed": "power",
        "detectable_ratio": "power",
        "mdrr_model": "power",
        "power_between_centres": "power",
        "power_for_ratio": "power",
        "reconstructions": "replication",
        "MAX_PROFESSIONALS": "records",
        "RECORDS_SCHEMA": "records",
        "WITH": "records",
        "WITHOUT": "records",
        "check_inputs": "records",
        "check_records": "records",
        "load_records": "records",
        "synthesise_cases": "synthetic",
    },
)

__all__ = [
    "BANDS",
    "CARD",
    "KINDS",
    "MAX_PROFESSIONALS",
    "PARAMETERS",
    "RECORDS_SCHEMA",
    "SUMMARY",
    "TITLE",
    "WITH",
    "WITHOUT",
    "CountFit",
    "Parameters",
    "band_label",
    "brief",
    "cases_needed",
    "check_inputs",
    "check_records",
    "detectable_ratio",
    "fast_count_fit",
    "fast_count_fits",
    "fit_count_model",
    "landing",
    "load_records",
    "mdrr_model",
    "merge_bands",
    "plot_dependence",
    "plot_power",
    "plot_professionals",
    "plot_rate_ratio",
    "plot_replicates",
    "power_between_centres",
    "power_for_ratio",
    "reconstructions",
    "run",
    "synthesise_cases",
]


TITLE = "A link social worker in children's centres: what the evaluation found, and what its monitoring data could show"


SUMMARY = (
    f"Link social worker (TCRU, 2007): stakeholder interviews and monitoring data on {published('link_cases')} cases; "
    "what a comparison of that size could detect (count regression, detectable rate ratio), on a synthetic "
    "reconstruction or your own records"
)


#: The kind of every number the page states (helpers.page.kinds). The published figures, and the number of cases
#: while it is the published one, are P; the split, the centres and the planning values follow from the
#: reconstruction's assumptions (A); the detectable ratio, the power and the cases needed are a model's results
#: under those assumptions (M); the estimates from one set of cases are ``one_draw`` (the body only, labelled);
#: ``rep_*`` (across reconstructions) are synthetic. In a run on the user's records (``own_records``), the counts,
#: the group means, the estimates and the planning values taken from them are the user's (D, ``records``).
#: ``mdrr_flip_at``, glued only when the detectable ratio reaches the assumed ratio inside the plausible range, is
#: stated in no summary.
_ONE_DRAW = [
    "mean_with",
    "mean_without",
    "rate_ratio_est",
    "rr_ci_low",
    "rr_ci_high",
    "p_value",
    "p_value_text",
    "dispersion_est",
]
_RECORDS = [
    "n_cases",
    "n_with",
    "n_without",
    "n_centres",
    "n_link_centres",
    "cases_per_centre",
    "centre_df",
    *_ONE_DRAW,
    "planning_mean_without",
    "planning_dispersion",
]
KINDS = kinds.declare(
    published={
        **PUBLISHED,
        "n_cases": "link_cases",
        "n_link_centres": "link_children_centres",
    },
    assumption=[
        "n_with",
        "n_without",
        "n_centres",
        "centre_df",
        "cases_per_centre",
        "ci_level",
        "detection_p",
        "alpha",
        "power_target",
        "assumed_rate_ratio",
        "true_rate_ratio",
        "planning_mean_without",
        "planning_dispersion",
        "centre_icc",
        "mdrr_vary_low",
        "mdrr_vary_high",
    ],
    model=[
        "mdrr",
        "mdrr_more_share",
        "mdd_professionals",
        "design_effect_centre",
        "mdrr_clustered",
        "mdrr_few_centres",
        "effective_cases",
        "power_at_assumed",
        "cases_needed_for_assumed",
        "cases_needed_multiple",
        "mdrr_at_vary_low",
        "mdrr_at_vary_high",
    ],
    setting=["seed", "records_file"],
    one_draw=_ONE_DRAW,
    records=_RECORDS,
)
