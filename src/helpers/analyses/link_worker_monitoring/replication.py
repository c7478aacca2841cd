"""Many synthetic reconstructions, fitted all at once in closed form: what the page's synthetic results are
summarised across (``helpers.stats.replicates``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.analyses.link_worker_monitoring.model import fast_count_fits
from helpers.analyses.link_worker_monitoring.parameters import Parameters
from helpers.analyses.link_worker_monitoring.synthetic import draw_cases
from helpers.page.registry import published
from helpers.stats import replicates


def reconstructions(p: Parameters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n_replicates`` reconstructions, each drawn (:func:`.synthetic.draw_cases`, the page's design) from its
    own generator spawned from ``seed``, and fitted together (:func:`.model.fast_count_fits`, the model chosen by
    ``count_model``): the draws and their summary against the assumed ratio (coverage) and no difference, a
    ratio of 1 (detection)."""
    n_programmes = int(published("link_programmes"))
    draws = [
        draw_cases(p.n_cases, p.share_link, p.mean_without, p.rate_ratio, p.dispersion, rng, n_programmes)
        for rng in replicates.replicate_generators(p.seed, p.n_replicates)
    ]
    link = np.array([d[0] for d in draws])
    professionals = np.array([d[2] for d in draws])
    rr, lo, hi, _ = fast_count_fits(professionals, link, p.count_model, p.ci_level)
    table = replicates.draws_from_arrays({"rate_ratio": (rr, lo, hi)})
    summary = replicates.summarise(
        table, truth={"rate_ratio": p.rate_ratio}, null={"rate_ratio": 1.0}, level=p.ci_level
    )
    return table, summary
