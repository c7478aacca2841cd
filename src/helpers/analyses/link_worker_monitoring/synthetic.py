"""The synthetic reconstruction of the monitored cases (the split and the counts were not published)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.page.registry import published


def draw_cases(
    n_cases: int,
    share_link: float,
    mean_without: float,
    rate_ratio: float,
    dispersion: float,
    rng: np.random.Generator,
    n_programmes: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The generator of :func:`synthesise_cases` as arrays: link worker present, programme, professionals."""
    n_link = int(min(max(round(n_cases * share_link), 1), n_cases - 1))
    link = rng.permutation(np.arange(n_cases) < n_link)
    programme = rng.permutation(np.arange(n_cases) % n_programmes)
    mu = mean_without * np.where(link, rate_ratio, 1.0)
    if dispersion > 0:
        mu = rng.gamma(shape=1 / dispersion, scale=dispersion * mu)
    return link, programme, rng.poisson(mu)


def synthesise_cases(
    n_cases: int,
    share_link: float,
    mean_without: float,
    rate_ratio: float,
    dispersion: float,
    rng: np.random.Generator,
    n_programmes: int | None = None,
) -> pd.DataFrame:
    """Synthetic case records in the layout of the own-records file.

    ``round(n_cases × share_link)`` cases (at least one, at most ``n_cases − 1``) are in centres where
    the link worker was based; cases are spread evenly over the programmes (two, as published), each
    programme with one centre where the link worker was based and its other centres. The number of
    professionals involved is negative binomial (NB2, drawn as a gamma–Poisson mixture) with mean
    ``mean_without`` without the link worker and ``mean_without × rate_ratio`` with it, and variance
    ``mean + dispersion × mean²`` (Poisson when ``dispersion`` is 0).
    """
    n_programmes = int(published("link_programmes")) if n_programmes is None else n_programmes
    link, programme, professionals = draw_cases(
        n_cases, share_link, mean_without, rate_ratio, dispersion, rng, n_programmes
    )
    names = [chr(ord("A") + i) if i < 26 else str(i + 1) for i in range(n_programmes)]
    prog = np.array([f"Programme {names[i]}" for i in programme])
    centre = np.where(link, np.char.add(prog, ": centre with the link worker"), np.char.add(prog, ": other centres"))
    return pd.DataFrame(
        {
            "case_id": [f"S{i + 1:04d}" for i in range(n_cases)],
            "centre": centre,
            "link_worker": np.where(link, "yes", "no"),
            "professionals": professionals.astype(int),
            "programme": prog,
        }
    )
