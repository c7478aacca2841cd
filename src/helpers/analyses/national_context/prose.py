"""How the page's generated sentences write numbers (one place for the whole package)."""

from __future__ import annotations


def percent(x: float) -> str:
    """A share as a whole percentage."""
    return f"{x:.0%}"


def signed(x: float, spec: str = ".2f") -> str:
    """A number for prose with a true minus sign (``spec`` as in :func:`format`; ``"+,"`` shows the plus too)."""
    return f"{x:{spec}}".replace("-", "\u2212")


def times(x: float) -> str:
    """A ratio for prose: whole numbers from ten up, one decimal below (so that 0.4 does not print as 0)."""
    return f"{x:.0f}" if x >= 10 else f"{x:.1f}"
