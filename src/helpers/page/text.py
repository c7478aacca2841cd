"""Numbers as words for the plain-language summaries (glued as text)."""

from __future__ import annotations


def gbp(amount: float) -> str:
    """Pounds sterling for prose: ``£1.41 million``, ``£353,000``, ``−£4,600``, ``£950``.

    Amounts of a million or more keep three significant figures; smaller ones are
    rounded to the nearest £1,000 (or £100 below £10,000, £10 below £1,000).
    """
    sign = "−" if amount < 0 else ""
    x = abs(amount)
    if x >= 1e6:
        return f"{sign}£{x / 1e6:.3g} million"
    step = 1000 if x >= 10_000 else 100 if x >= 1000 else 10
    rounded = int(round(x / step) * step)
    if rounded == 0:
        return "£0"
    return f"{sign}£{rounded:,}"
