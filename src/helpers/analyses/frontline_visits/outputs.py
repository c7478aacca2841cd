"""What each of the Frontline page's results is: a description and a unit (``results.json``; helpers.outputs).
The cases are the synthetic reconstruction's (one draw, analysed in full) or the user's own records; the
routes are Frontline, other routes and (optionally) experienced workers. A share hidden to protect small
counts from the user's records is null in ``results.json``, marked suppressed."""

from __future__ import annotations

from helpers.outputs import FLAG, PROBABILITY, PROPORTION, RATIO, TEXT, declare, echo

from .parameters import PARAMETERS

_VISITS = "visits"
_PER_MONTH = "visits per month open"
_TOP = "the unit of the input named by dependence_input"
_RR = "rate ratio of visits per month open, Frontline over other routes"

OUTPUTS = declare(
    {
        "published_visits_frontline": ("Published: mean visits per case by Frontline-trained social workers", _VISITS),
        "published_visits_other": (
            "Published: mean visits per case by social workers trained through other routes",
            _VISITS,
        ),
        "published_visits_per_month": ("Published: visits are on average around this many a month", "visits per month"),
        "published_workers_low": (
            "Published: the fewest social workers typically involved in a case",
            "social workers",
        ),
        "published_workers_high": ("Published: the most social workers typically involved in a case", "social workers"),
        "published_contact_threshold": (
            "Published (Forrester): contacts needed for meaningful change work",
            "contacts",
        ),
        "published_visits_ratio": (
            "The ratio of the published average visits, Frontline over other routes (a ratio of visit rates only if "
            "both routes' cases were followed for the same time, which the evaluation does not report)",
            RATIO,
        ),
        "one_draw_share_below": (
            "Share of the reconstructions at the largest study size whose rate ratio (Poisson) is below that of the "
            "one reconstruction analysed in full",
            PROPORTION,
        ),
        "one_draw_share_below_mcse": ("Monte Carlo standard error of one_draw_share_below", PROPORTION),
        "sensitivity_range_text": (
            "The detection rate over the range of the assumption it depends on most, in words",
            TEXT,
        ),
        "coverage_verdict_text": (
            "How the clustered intervals' coverage across reconstructions compares with ci_level, in words",
            TEXT,
        ),
        "replicate_range_level": ("Level of the central range given across reconstructions", PROPORTION),
        "replicates_note": (
            "What the summaries across reconstructions are (or why there are none), in a sentence",
            TEXT,
        ),
        "detection_target": ("The detection rate a study should reach (the conventional 80%)", PROBABILITY),
        "detection_expected": (
            "Expected share of studies of this design that would detect the calibrated difference",
            PROBABILITY,
        ),
        "dependence_input": ("The assumption the detection rate depends on most (its name)", TEXT),
        "dependence_label": ("The assumption the detection rate depends on most, in words", TEXT),
        "dependence_base": ("The page's value of that assumption", _TOP),
        "dependence_range_low": ("Low end (10th percentile) of that assumption's assumed spread", _TOP),
        "dependence_range_high": ("High end (90th percentile) of that assumption's assumed spread", _TOP),
        "dependence_detection_at_low": ("Expected detection rate at the low end of that range", PROBABILITY),
        "dependence_detection_at_high": ("Expected detection rate at the high end of that range", PROBABILITY),
        "dependence_flips": ("True when the detection rate crosses detection_target inside that range", FLAG),
        "dependence_verdict_text": ("Whether the detection target is met over that range, in words", TEXT),
        "dependence_flip": ("Value of that assumption at which the detection rate crosses the target", _TOP),
        "data_source": ("What the cases are: the synthetic reconstruction or the user's own records", TEXT),
        "n_cases": ("Cases analysed", "cases"),
        "n_workers_total": ("Social workers in the cases analysed", "social workers"),
        "n_workers_frontline": ("Frontline-trained social workers", "social workers"),
        "n_workers_other": ("Social workers trained through other routes", "social workers"),
        "n_cases_frontline": ("Cases of Frontline-trained social workers", "cases"),
        "n_cases_other": ("Cases of social workers trained through other routes", "cases"),
        "ci_level": echo(PARAMETERS, "ci_level", PROPORTION),
        "mean_visits_frontline_observed": ("Mean visits per case, Frontline route, in the cases analysed", _VISITS),
        "mean_visits_other_observed": ("Mean visits per case, other routes, in the cases analysed", _VISITS),
        "mean_visits_experienced_observed": (
            "Mean visits per case, experienced workers, in the cases analysed",
            _VISITS,
        ),
        "mean_months_open": ("Mean months a case was open", "months"),
        "icc": echo(PARAMETERS, "icc", PROPORTION),
        "dispersion": echo(PARAMETERS, "dispersion", "dispersion alpha"),
        "cases_per_worker": echo(PARAMETERS, "cases_per_worker"),
        "case_months": echo(PARAMETERS, "case_months"),
        "count_icc_frontline": (
            "Intra-class correlation of visit counts within workers, Frontline route (count scale)",
            PROPORTION,
        ),
        "count_icc_other": (
            "Intra-class correlation of visit counts within workers, other routes (count scale)",
            PROPORTION,
        ),
        "rate_ratio_requested": (
            "Rate ratio the reconstruction is calibrated to: mean_visits_frontline ÷ mean_visits_other",
            RATIO,
        ),
        "visits_per_month_frontline": ("Visits per month open, Frontline route (all visits ÷ all months)", _PER_MONTH),
        "visits_per_month_other": ("Visits per month open, other routes", _PER_MONTH),
        "visits_per_month_all": ("Visits per month open, all cases", _PER_MONTH),
        "worker_rate_p10": ("10th percentile of the social workers' own visit rates", _PER_MONTH),
        "worker_rate_p90": ("90th percentile of the social workers' own visit rates", _PER_MONTH),
        "dispersion_estimate": ("Estimated negative binomial (NB2) dispersion of the visit counts", "dispersion alpha"),
        "pearson_dispersion": ("Pearson chi-squared of the Poisson model over its residual degrees of freedom", RATIO),
        "lr_overdispersion": ("Likelihood-ratio statistic, negative binomial against Poisson", "chi-squared statistic"),
        "lr_overdispersion_p_text": ("That test's p-value as the page writes it", TEXT),
        "cameron_trivedi_t": ("Cameron–Trivedi test statistic for overdispersion", "t statistic"),
        "cameron_trivedi_p_text": ("That test's p-value as the page writes it", TEXT),
        "aic_poisson": ("Akaike information criterion of the Poisson model", "AIC"),
        "aic_nb": ("Akaike information criterion of the negative binomial model", "AIC"),
        "aic_difference": ("Absolute difference of the two models' AIC", "AIC"),
        "preferred_model": ("The model with the lower AIC", TEXT),
        "overdispersion_verdict": ("How variable the counts are against a Poisson model, in words", TEXT),
        "rate_ratio": (
            "Estimated rate ratio of visits per month open, Frontline over other routes (negative binomial, "
            "standard errors clustered by worker)",
            RATIO,
        ),
        "rate_ratio_source_text": ("Which cases the rate ratio comes from, in words", TEXT),
        "rate_ratio_caveat_text": ("What the rate ratio does not show, in a sentence", TEXT),
        "rate_ratio_p_text": ("The rate ratio's p-value as the page writes it", TEXT),
        "rate_ratio_method": ("The model and standard errors of the rate ratio, in words", TEXT),
        "rate_ratio_poisson": ("Rate ratio by a Poisson model", RATIO),
        "rate_ratio_poisson_naive_ci_low": (
            "Lower end of the Poisson rate ratio's interval, model-based standard errors",
            RATIO,
        ),
        "rate_ratio_poisson_naive_ci_high": (
            "Upper end of the Poisson rate ratio's interval, model-based standard errors",
            RATIO,
        ),
        "rate_ratio_poisson_cluster_ci_low": (
            "Lower end of the Poisson rate ratio's interval, clustered by worker",
            RATIO,
        ),
        "rate_ratio_poisson_cluster_ci_high": (
            "Upper end of the Poisson rate ratio's interval, clustered by worker",
            RATIO,
        ),
        "rate_ratio_experienced": ("Estimated rate ratio, experienced workers over other routes", RATIO),
        "cluster_se_inflation": (
            "Negative binomial standard error clustered by worker over the model-based one (clustering alone)",
            RATIO,
        ),
        "poisson_se_inflation": ("Poisson standard error clustered by worker over the model-based one", RATIO),
        "rate_ratio_covers_requested": (
            "Whether the rate ratio's interval includes the calibrated ratio, in a word",
            TEXT,
        ),
        "contact_threshold": echo(PARAMETERS, "contact_threshold"),
        "share_reaching_threshold_frontline": (
            "Share of Frontline cases with contact_threshold or more visits",
            PROPORTION,
        ),
        "share_reaching_threshold_other": (
            "Share of other routes' cases with contact_threshold or more visits",
            PROPORTION,
        ),
        "share_reaching_threshold_experienced": (
            "Share of experienced workers' cases with contact_threshold or more visits",
            PROPORTION,
        ),
        "share_reaching_threshold_all": ("Share of all cases with contact_threshold or more visits", PROPORTION),
        "unsuccessful_per_case": ("Mean unsuccessful visit attempts per case", "attempts"),
        "unsuccessful_share_observed": ("Unsuccessful attempts as a share of all attempts", PROPORTION),
        "share_cases_with_unsuccessful": ("Share of cases with at least one unsuccessful attempt", PROPORTION),
        "share_cases_single_worker": ("Share of cases held by one social worker throughout", PROPORTION),
        "share_cases_typical_workers": (
            "Share of cases with the published typical number of social workers",
            PROPORTION,
        ),
        "mean_workers_per_case": ("Mean social workers involved in a case", "social workers"),
        "suppression_note": ("What the tables from the user's records suppress, in sentences", TEXT),
        "data_note": ("What data the page is computed from (a reconstruction or the user's records), in words", TEXT),
        "records_intro_text": ("How the records analysed in full were made or read, in a sentence", TEXT),
        "threshold_caveat_text": ("What the share reaching the contact threshold depends on, in a sentence", TEXT),
        "threshold_text": ("How many cases reach the contact threshold, by route, in a sentence", TEXT),
        "attempts_text": ("What the records say about unsuccessful visit attempts, in a sentence", TEXT),
        "workers_per_case_text": ("How many social workers the cases involve, in a sentence", TEXT),
        "size_reading_text": ("What a study of the smallest size considered could show, in a sentence", TEXT),
        "rep_small_n": ("Number of synthetic reconstructions drawn at the smallest study size", "reconstructions"),
        "size_small_workers": ("Social workers per route in the smallest study size considered", "social workers"),
        "size_small_cases": ("Cases per route in the smallest study size considered", "cases"),
        "size_large_workers": ("Social workers per route in the largest study size considered", "social workers"),
        "size_large_cases": ("Cases per route in the largest study size considered", "cases"),
        "size_small_detection_formula": (
            "Probability of detecting the published difference at the smallest size, by the formula",
            PROBABILITY,
        ),
        "size_large_detection_formula": (
            "Probability of detecting the published difference at the largest size, by the formula",
            PROBABILITY,
        ),
        "workers_for_detection_target": (
            "Social workers per route at which the formula's detection probability reaches the target",
            "social workers",
        ),
    },
    replicates={
        "small_rate_ratio": (_RR + " (standard errors clustered by worker), at the smallest study size", RATIO),
        "rate_ratio": (_RR + " (standard errors clustered by worker)", RATIO),
        "rate_ratio_quasi": (_RR + " (quasi-Poisson standard errors: overdispersion, no clustering)", RATIO),
        "rate_ratio_model_se": (_RR + " (Poisson model-based standard errors)", RATIO),
        "cluster_se_inflation": ("the Poisson standard error clustered by worker over the quasi-Poisson one", RATIO),
        "share_reaching_threshold_frontline": (
            "share of Frontline cases with contact_threshold or more visits",
            PROPORTION,
        ),
        "share_reaching_threshold_other": (
            "share of other routes' cases with contact_threshold or more visits",
            PROPORTION,
        ),
    },
)
