"""Numbers and lists as words for the plain-language summaries (glued as text), and the one
money format of figures' axes."""

from __future__ import annotations

import math
from collections.abc import Sequence


def gbp(amount: float, step: float | None = None, *, significant: int | None = None) -> str:
    """Pounds sterling for prose.

    Without ``step``: ``£1.41 million``, ``£353,000``, ``−£4,600``, ``£950`` (amounts of a
    million or more keep three significant figures; smaller ones are rounded to the nearest
    £1,000, or £100 below £10,000, £10 below £1,000). With ``step``, rounded to it:
    ``gbp(4408, 1) == '£4,408'``, ``gbp(12.03, 0.01) == '£12.03'``. With ``significant``, first
    rounded to that many significant figures, for a number whose inputs support no more (an
    assumption's result): ``gbp(1_412_345, significant=2) == '£1.4 million'``,
    ``gbp(12.03, 1, significant=2) == '£12'``.
    """
    if significant is not None:
        if significant < 1:
            raise ValueError(f"gbp: significant={significant!r}: expected a whole number of at least 1")
        amount = float(f"{amount:.{significant}g}")
    if step is not None:
        decimals = max(0, -math.floor(math.log10(step))) if step < 1 else 0
        value = round(amount / step) * step
        sign = "−" if value < 0 else ""
        return f"{sign}£{abs(value):,.{decimals}f}"
    sign = "−" if amount < 0 else ""
    x = abs(amount)
    if x >= 1e6:
        return f"{sign}£{x / 1e6:.3g} million"
    rounding = 1000 if x >= 10_000 else 100 if x >= 1000 else 10
    rounded = int(round(x / rounding) * rounding)
    if rounded == 0:
        return "£0"
    return f"{sign}£{rounded:,}"


def gbp_tick(x: float, _pos: int | None = None) -> str:
    """Pounds sterling on an axis, short: £1.2m, £350k, £900 (a matplotlib tick formatter)."""
    sign = "−" if x < 0 else ""
    x = abs(x)
    if x >= 1e6:
        return f"{sign}£{x / 1e6:.1f}m"
    if x >= 1e3:
        return f"{sign}£{x / 1e3:.0f}k"
    return f"{sign}£{x:.0f}"


def join_words(words: Sequence[str]) -> str:
    """An English list: ``a``, ``a and b``, ``a, b and c`` (no serial comma)."""
    if not words:
        raise ValueError("join_words: no words to join")
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
