"""How many digits a simulated number may show: one rule, used wherever a page prints one.

A number estimated by simulation (a probabilistic sensitivity analysis, a bootstrap, a summary across
synthetic reconstructions, a simulated power) carries a Monte Carlo standard error (MCSE): run the same
simulation with another seed and it moves by about that much. **The rule:** a printed number's last
digit has a unit ``u`` (0.01 for "1.13", one percentage point for "93%", £100,000 for "£4.0 million");
it is printed only to a unit no finer than twice its MCSE, so that another seed moves the printed value
by at most about one unit of its last digit (:func:`unit`). The rule only removes digits: a page's own
format (:data:`STYLES`) is the most it shows however small the MCSE.

:func:`text` writes the number at that precision; :func:`error_text` writes its MCSE for the places
where the Monte Carlo error matters ("Monte Carlo error ± 0.3 points").
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from helpers.page.text import gbp

#: Each style's finest unit, the most a page shows of that kind of number (in the style's own unit:
#: a percentage point for ``percent``, a pound for ``gbp``).
STYLES: dict[str, float] = {"number": 0.01, "ratio": 0.01, "percent": 1.0, "gbp": 1000.0, "count": 1.0}
_SCALE = {"percent": 100.0}


def unit(mcse: float) -> float:
    """The finest unit the MCSE supports: the smallest power of ten at least twice the MCSE (0 when the
    number is exact, MCSE 0). ``unit(0.006) == 0.1``, ``unit(0.004) == 0.01``."""
    if not math.isfinite(mcse) or mcse < 0:
        raise ValueError(f"Monte Carlo standard error {mcse!r} must be a finite number, zero or more")
    if mcse == 0:
        return 0.0
    return float(10 ** math.ceil(math.log10(2 * mcse) - 1e-12))


def step(mcse: float, style: str = "number") -> float:
    """The unit a number of ``style`` is printed to, in the style's unit: the coarser of the style's own
    finest unit and the MCSE's :func:`unit`."""
    if style not in STYLES:
        raise ValueError(f"style {style!r}: expected one of {', '.join(STYLES)}")
    return max(STYLES[style], unit(mcse * _SCALE.get(style, 1.0)))


def rounded(value: float, mcse: float, style: str = "number") -> float:
    """``value`` rounded to the unit the rule allows (in the value's own unit: a share for ``percent``)."""
    scale = _SCALE.get(style, 1.0)
    u = step(mcse, style)
    return round(value * scale / u) * u / scale


def _decimals(u: float) -> int:
    return max(0, -math.floor(math.log10(u) + 1e-12))


def text(value: float, mcse: float, style: str = "number") -> str:
    """``value`` as a page prints it under the rule: ``text(1.1349, 0.004) == '1.13'``,
    ``text(0.9268, 0.0026, 'percent') == '93%'``, ``text(4_021_500, 15_000, 'gbp') == '£4.0 million'``."""
    u = step(mcse, style)
    if style == "gbp":
        x = rounded(value, mcse, style)
        if abs(x) >= 1e6:
            digits = _decimals(u / 1e6)
            sign = "−" if x < 0 else ""
            return f"{sign}£{abs(x) / 1e6:.{digits}f} million"
        return gbp(x, u)
    if style == "percent":
        return _share_text(value, rounded(value, mcse, style) * 100, u)
    if style == "count":
        return f"{rounded(value, mcse, style):,.0f}"
    return f"{rounded(value, mcse, style):.{_decimals(u)}f}"


def _share_text(value: float, percent: float, u: float) -> str:
    """A share printed to ``u`` percentage points; a share that rounds to all (or none) of the draws is
    written as more than ``100 − u``% (less than ``u``%): "100%" would claim that every draw, and every
    further draw, goes that way, which a simulation cannot show."""
    digits = _decimals(u)
    if 0 <= value <= 1 and percent >= 100:
        return f">{100 - u:.{digits}f}%"
    if 0 <= value <= 1 and percent <= 0:
        return f"<{u:.{digits}f}%"
    return f"{percent:.{digits}f}%"


def texts(scalars: Mapping[str, object], styles: Mapping[str, str]) -> dict[str, str]:
    """For each ``name`` in ``styles``, ``name_text``: ``scalars[name]`` printed by the rule (:func:`text`) with
    its error ``scalars[name + "_mcse"]``, for Markdown prose, which cannot apply the rule itself. A name
    without its ``_mcse`` is an error (every simulated number carries its Monte Carlo error)."""
    out: dict[str, str] = {}
    for name, style in styles.items():
        if f"{name}_mcse" not in scalars:
            raise KeyError(f"{name}: a simulated number needs its Monte Carlo error, {name}_mcse")
        out[f"{name}_text"] = text(float(scalars[name]), float(scalars[f"{name}_mcse"]), style)  # type: ignore[arg-type]
    return out


def error_text(mcse: float, style: str = "number") -> str:
    """The MCSE itself, to one significant figure, in the style's unit: "± 0.3 points", "± £20,000"."""
    if style == "percent":
        return f"± {_one_figure(mcse * 100)} points"
    if style == "gbp":
        return f"± {gbp(mcse, 10 ** math.floor(math.log10(mcse))) if mcse > 0 else '£0'}"
    return f"± {_one_figure(mcse)}"


def _one_figure(x: float) -> str:
    if x == 0:
        return "0"
    x = float(f"{x:.1g}")  # rounded to one figure first: 0.0099995 is 0.01, not 0.010
    d = max(0, -math.floor(math.log10(abs(x))))
    return f"{x:.{d}f}"


def mcse_of_mean(sd: float, n: int) -> float:
    """The MCSE of a mean of ``n`` independent draws with standard deviation ``sd``."""
    return sd / math.sqrt(n)


def mcse_of_share(p: float, n: int) -> float:
    """The MCSE of a share ``p`` of ``n`` independent draws (binomial); NaN with no draws. A share of none or
    all of the draws is not exact, though its binomial estimate ``sqrt(p (1 − p) / n)`` is 0: it gets the
    error it would have had one draw the other way, ``sqrt((1/n)(1 − 1/n) / n)``, so that a share of 40 of 40
    draws is printed as ">90%", not ">99%"."""
    if not n:
        return float("nan")
    if p <= 0 or p >= 1:
        p = 1 / n
    return math.sqrt(p * (1 - p) / n)


def mcse_of_quantile(values: Sequence[float] | np.ndarray, q: float = 0.5) -> float:
    """The MCSE of the ``q`` quantile of ``values``: half the width of its distribution-free 95 % interval
    (the order statistics that the binomial count of values below the quantile allows), divided by 1.96.
    NaN with fewer than three values."""
    x = np.sort(np.asarray(values, dtype=float))
    n = x.size
    if n < 3:
        return float("nan")
    z = 1.959963984540054
    half = z * math.sqrt(n * q * (1 - q))
    lo = int(max(math.floor(n * q - half), 0))
    hi = int(min(math.ceil(n * q + half), n - 1))
    return float((x[hi] - x[lo]) / (2 * z))
