"""The KFT page's "In brief", written once and filled from a run (:mod:`helpers.page.narrative`)."""

from __future__ import annotations

from collections.abc import Mapping

from helpers.page.narrative import Brief, Context
from helpers.results import Scalar


def brief(scalars: Mapping[str, Scalar], params: Mapping[str, Scalar], root: str = "../") -> Brief:
    """What the page found, in at most about 150 words, for this run's numbers."""
    ctx = Context("kft_care_outcomes", scalars, root=root)
    reproduced = scalars["home_rate_reproduction"] == "reproduced"
    items = [
        "Of {n_referred:d} children and young people referred as at high risk of care, {n_at_home:d} "
        "({home_rate:.0%}) stayed at home, against the units' target of {target_home_rate:.0%}"
        + (": the report's shares, recomputed from its counts." if reproduced else "."),
        "Allowing for chance, with each child independent, the share at home is plausibly between "
        "{home_rate_ci_low:.0%} and {home_rate_ci_high:.0%} (a [[confidence interval]]): it {target_verdict}.",
        "Any saving turns on a number nobody measured, the share who would have entered care without the units: "
        "under the page's assumed costs, "
        + (
            "only if it was more than {breakeven_care_rate:.0%} ({care_rate:.0%} did with them)."
            if scalars["breakeven_reachable"]
            else "no share would have been enough."
        ),
    ]
    limits = (
        "**What this cannot show.** That the units kept at home children who would otherwise have entered care "
        "(there was no comparison group), only that they met their aim; nor for how long: the report gives no "
        "follow-up period."
    )
    return Brief(ctx, items, limits)


def landing(scalars: Mapping[str, Scalar]) -> str:
    """The landing page's paragraph for this page (a template, filled from the committed numbers)."""
    return (
        "Of {n_referred:d} children and young people referred as at high risk of care, {home_rate:.0%} stayed at "
        "home, against the units' target of {target_home_rate:.0%}. With no comparison group, this shows the units "
        "met their aim, not that they caused children to stay at home; any saving turns on how many would have "
        "entered care without them, which was not measured."
    )
