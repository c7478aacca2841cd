"""What each of the link worker page's results is: a description and a unit (``results.json``;
helpers.outputs). The count compared is of other professionals involved per case, in cases with and without
the link worker in their centre."""

from __future__ import annotations

from helpers.outputs import FLAG, P_VALUE, PROBABILITY, PROPORTION, RATIO, REPLICATE_MCSE_MAX, TEXT, declare, echo

from .parameters import PARAMETERS

_TOP = "the unit of the assumption named by mdrr_depends_on_text"
_PER_CASE = "professionals per case"

OUTPUTS = declare(
    {
        "data_source_text": ("What the cases are: a synthetic reconstruction or the user's records, in words", TEXT),
        "is_synthetic": ("True when the cases are a synthetic reconstruction", FLAG),
        "link_cases_published": ("Published: family support cases in the monitoring data", "cases"),
        "link_programmes_published": ("Published: Sure Start programmes the monitoring covered", "programmes"),
        "link_months_published": ("Published: months the monitoring covered", "months"),
        "link_centres_published": ("Published: children's centres the pilot link worker was based in", "centres"),
        "link_meeting_professionals_published": ("Published: other professionals the link worker met", "professionals"),
        "link_worker_cases_held_published": ("Published: social services cases the link worker also held", "cases"),
        "link_interviews_early_published": ("Published: interviews early in the evaluation", "interviews"),
        "link_interviews_late_published": ("Published: interviews later in the evaluation", "interviews"),
        "link_interviews_early_months_published": (
            "Published: months after the post started when the early interviews were carried out (about)",
            "months",
        ),
        "link_interviews_late_months_published": (
            "Published: months after the post started when the later interviews were carried out (about)",
            "months",
        ),
        "n_cases": ("Cases analysed", "cases"),
        "n_with": ("Cases in centres with the link worker", "cases"),
        "n_without": ("Cases in centres without the link worker", "cases"),
        "n_centres": ("Centres the cases come from", "centres"),
        "table_note": ("What the table of counts suppresses, in a sentence", TEXT),
        "true_rate_ratio": ("The rate ratio the synthetic cases were drawn with (the parameter rate_ratio)", RATIO),
        "seed": echo(PARAMETERS, "seed", "seed (no unit)"),
        "mean_with": ("Mean other professionals per case with the link worker", _PER_CASE),
        "mean_without": ("Mean other professionals per case without the link worker", _PER_CASE),
        "model_label": ("The count model fitted, in words", TEXT),
        "rate_ratio_est": ("Estimated rate ratio of professionals per case, with the link worker over without", RATIO),
        "rr_ci_low": ("Lower end of the ci_level confidence interval of the rate ratio", RATIO),
        "rr_ci_high": ("Upper end of the ci_level confidence interval of the rate ratio", RATIO),
        "ci_level": echo(PARAMETERS, "ci_level", PROPORTION),
        "p_value": ("Two-sided p-value of the test of no difference (rate ratio 1)", P_VALUE),
        "p_value_text": ("That p-value as the page writes it", TEXT),
        "interval_verdict": ("Whether the interval includes a ratio of 1 (no difference), in words", TEXT),
        "fit_converged": ("True when the count model's fit converged", FLAG),
        "dispersion_est": ("Estimated dispersion of the negative binomial (0 for a Poisson model)", "dispersion alpha"),
        "dispersion_note": ("What the estimated dispersion means, in sentences", TEXT),
        "assumed_rate_ratio": ("The rate ratio assumed for planning (the parameter rate_ratio)", RATIO),
        "planning_mean_without": (
            "Mean professionals per case without the link worker used for planning (assumed, or estimated from the "
            "user's records)",
            _PER_CASE,
        ),
        "planning_dispersion": (
            "Dispersion used for planning (assumed, or estimated from the user's records)",
            "dispersion alpha",
        ),
        "planning_source_text": ("Where the planning values come from, in words", TEXT),
        "alpha": echo(PARAMETERS, "alpha", PROBABILITY),
        "power_target": ("The parameter power: the power a study should have", PROBABILITY),
        "mdrr": ("Smallest rate ratio a study of this size detects with the target power at alpha", RATIO),
        "mdrr_more_share": ("That smallest detectable ratio as a share more (ratio minus 1)", PROPORTION),
        "mdd_professionals": ("That smallest detectable difference in professionals per case", _PER_CASE),
        "power_at_assumed": ("Power of a study of this size for the assumed rate ratio", PROBABILITY),
        "mdrr_depends_on_text": ("The assumption the smallest detectable ratio depends on most, in words", TEXT),
        "mdrr_dependence_text": ("What the smallest detectable ratio depends on, in sentences", TEXT),
        "mdrr_dependence_summary": (
            "Whether a study this size would detect the assumed ratio over that range, in words",
            TEXT,
        ),
        "mdrr_vary_low": ("Low end of that assumption's plausible range", _TOP),
        "mdrr_vary_high": ("High end of that assumption's plausible range", _TOP),
        "mdrr_at_vary_low": ("Smallest detectable ratio at the low end of that range", RATIO),
        "mdrr_at_vary_high": ("Smallest detectable ratio at the high end of that range", RATIO),
        "mdrr_flip_at": (
            "Value of that assumption at which the assumed ratio becomes detectable (or stops being)",
            _TOP,
        ),
        "cases_needed_for_assumed": ("Cases a study needs to detect the assumed ratio with the target power", "cases"),
        "cases_needed_multiple": ("Those cases as a multiple of the cases analysed", RATIO),
        "replicate_mcse_max": REPLICATE_MCSE_MAX,
        "replicates_text": ("What the summaries across reconstructions are, in a sentence", TEXT),
        "n_link_centres": ("Centres where the link worker was based", "centres"),
        "cases_per_centre": ("Cases per centre (all cases over all centres)", "cases per centre"),
        "cluster_size_text": ("How the cases are grouped in centres, in words", TEXT),
        "split_source_text": (
            "Where the split of the cases between the kinds of centre comes from, in words",
            TEXT,
        ),
        "records_file": ("The name of the user's records file (empty on the reconstruction)", TEXT),
        "assumed_direction_text": ("Whether the assumed rate ratio agrees with the published finding, in words", TEXT),
        "assumed_ratio_agrees": ("Whether the assumed rate ratio is above one, as the published finding says", FLAG),
        "centre_icc": echo(PARAMETERS, "centre_icc", PROPORTION),
        "design_effect_centre": ("Design effect of cases grouped in centres: 1 + (cases per centre - 1) x ICC", RATIO),
        "mdrr_clustered": (
            "Smallest rate ratio detectable with the chosen power once cases are allowed to cluster in centres",
            RATIO,
        ),
        "centre_df": (
            "Degrees of freedom of a test between centres: centres minus 2 (below 1, no such test exists)",
            "degrees of freedom",
        ),
        "mdrr_few_centres": (
            "Smallest rate ratio detectable with the chosen power by a test between centres (t distribution with "
            "centre_df degrees of freedom, variance times the design effect); absent when centre_df is below 1",
            RATIO,
        ),
        "few_centres_text": ("What so few centres mean for the detectable ratio, in sentences", TEXT),
        "detection_p": (
            "The p-value below which a simulated study counts as finding a difference (1 - ci_level)",
            PROBABILITY,
        ),
        "power_simulated_note": ("How the power formula compares with simulated studies, in a sentence", TEXT),
        "cases_needed_text": ("How many cases would detect the assumed ratio with the chosen power, in words", TEXT),
        "size_verdict_text": ("Whether a comparison of this size could detect a modest difference, in words", TEXT),
        "effective_cases": (
            "Cases over the centres' design effect: the independent cases they are worth",
            "cases",
        ),
        "link_centres_text": ("The number of centres where the link worker was based, in words", TEXT),
    },
    replicates={"rate_ratio": ("rate ratio of professionals per case, with the link worker over without", RATIO)},
)
