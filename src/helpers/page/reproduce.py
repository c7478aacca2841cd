"""Reproduction checks, and the record of how each notebook uses published figures.

A reproduction check recomputes a published figure from published inputs and
compares it at the precision the source printed (79 % is matched by anything
that rounds, half up, to 79). When a user changes the inputs the check is
*not applicable* rather than failed; when the inputs are the published ones
and the result does not match, :func:`require` fails loudly.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from helpers.page.registry import figure

Status = Literal["reproduced", "not reproduced", "not applicable"]
Role = Literal["reproduced", "input", "synthetic", "quoted"]
ROLES: tuple[str, ...] = ("reproduced", "input", "synthetic", "quoted")


class ReproductionError(AssertionError):
    """A published figure that should be reproduced from published inputs is not."""


@dataclass(frozen=True)
class ReproductionCheck:
    figure_id: str
    published: float
    computed: float
    rounded: float
    decimals: int
    status: Status
    reason: str = ""

    def sentence(self) -> str:
        """One line for a table or log."""
        if self.status == "not applicable":
            return f"{self.figure_id}: not applicable ({self.reason})"
        return (
            f"{self.figure_id}: computed {self.computed:.4g}, rounds to {self.rounded:.{self.decimals}f}, "
            f"published {self.published:.{self.decimals}f}: {self.status}"
        )


@dataclass(frozen=True)
class FigureUse:
    """How a notebook uses one registry figure (read by the evidence ledger)."""

    figure_id: str
    role: Role
    status: str = ""

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"role {self.role!r} is not one of {', '.join(ROLES)}")
        figure(self.figure_id)  # unknown ids fail here, not in the ledger


def round_half_up(value: float, decimals: int) -> float:
    """Round as printed reports do (0.5 rounds up), not Python's round-half-even."""
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def check(figure_id: str, computed: float, *, applicable: bool = True, reason: str = "") -> ReproductionCheck:
    """Compare ``computed`` (in the figure's own unit, e.g. percent) with a published figure.

    ``computed`` is first taken at the compendium's recorded precision
    (:func:`helpers.results.recorded`), then rounded half up to the published decimals: a value
    that is 78.5 in exact arithmetic rounds to 79 on every machine, whichever last digit
    floating point gave it."""
    from helpers.results import recorded

    fig = figure(figure_id)
    computed = recorded(float(computed))
    rounded = round_half_up(computed, fig.decimals)
    if not applicable:
        status: Status = "not applicable"
    else:
        status = "reproduced" if rounded == float(fig.value) else "not reproduced"
    return ReproductionCheck(figure_id, float(fig.value), float(computed), rounded, fig.decimals, status, reason)


def require(checks: list[ReproductionCheck]) -> None:
    """Fail loudly if any applicable check did not reproduce its published figure."""
    failed = [c for c in checks if c.status == "not reproduced"]
    if failed:
        raise ReproductionError("published figures not reproduced: " + "; ".join(c.sentence() for c in failed))


def checks_table(checks: list[ReproductionCheck]):
    """The reproduction checks as a table for a notebook page."""
    import pandas as pd

    from helpers.page.registry import figure as _figure

    return pd.DataFrame(
        [
            {
                "published figure": _figure(c.figure_id).measure,
                "published": f"{c.published:.{c.decimals}f} {_figure(c.figure_id).unit}",
                "computed": f"{c.computed:.4f}",
                "computed, rounded as published": f"{c.rounded:.{c.decimals}f}",
                "status": c.status if not c.reason else f"{c.status} ({c.reason})",
            }
            for c in checks
        ]
    )
