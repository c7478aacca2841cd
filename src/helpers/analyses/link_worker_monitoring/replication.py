"""Many synthetic reconstructions, each fitted in closed form: what the page's synthetic results are
summarised across (``helpers.stats.replicates``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.analyses.link_worker_monitoring.model import fast_count_fit
from helpers.analyses.link_worker_monitoring.parameters import Parameters
from helpers.analyses.link_worker_monitoring.synthetic import draw_cases
from helpers.page.registry import published
from helpers.stats import replicates


def one_reconstruction(p: Parameters) -> replicates.OneReconstruction:
    """One synthetic reconstruction of the cases (:func:`.synthetic.draw_cases`, the page's design) and its
    rate ratio with interval (:func:`.model.fast_count_fit`, the model chosen by ``count_model``)."""
    n_programmes = int(published("link_programmes"))

    def one(rng: np.random.Generator) -> dict[str, replicates.Estimate]:
        link, _, professionals = draw_cases(
            p.n_cases, p.share_link, p.mean_without, p.rate_ratio, p.dispersion, rng, n_programmes
        )
        rr, lo, hi, _ = fast_count_fit(professionals, link, p.count_model, p.ci_level)
        return {"rate_ratio": replicates.Estimate(rr, lo, hi)}

    return one


def reconstructions(p: Parameters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n_replicates`` reconstructions from generators spawned from ``seed``: the draws and their summary
    against the assumed ratio (coverage) and no difference, a ratio of 1 (detection)."""
    draws = replicates.across(one_reconstruction(p), p.n_replicates, p.seed)
    summary = replicates.summarise(
        draws, truth={"rate_ratio": p.rate_ratio}, null={"rate_ratio": 1.0}, level=p.ci_level
    )
    return draws, summary
