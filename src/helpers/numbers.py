"""How a number is written, in every file a user gives and on the command line.

One rule, for parameters (``-p``, parameter files, grids), records files, answers files and DfE files:
a number is written in ASCII digits, with an optional sign, decimal point and exponent (``1000``,
``-0.5``, ``1e-3``). Python's and YAML 1.1's other forms are not numbers here: Unicode digits
(``١٢``, ``５``), digit separators (``1_000``), hexadecimal, octal and sexagesimal (``0x10``,
``0o17``, ``1:30``). Such text is refused by name where a number is expected, never read as a
different number than the one a reader of the file sees.
"""

from __future__ import annotations

import re

#: A whole number: ASCII digits with an optional sign.
INTEGER = re.compile(r"[-+]?[0-9]+", re.ASCII)
#: A decimal number: ASCII digits, an optional sign, decimal point and exponent (no ``inf`` or ``nan``).
DECIMAL = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?", re.ASCII)
#: Text Python's ``float()`` reads as infinite or not a number (checked, and refused, as values).
SPECIAL = re.compile(r"[-+]?(?:inf|infinity|nan)", re.ASCII | re.IGNORECASE)


def is_integer_text(text: str) -> bool:
    """True when ``text`` (surrounding spaces aside) is a whole number written as above."""
    return INTEGER.fullmatch(text.strip()) is not None


def is_number_text(text: str) -> bool:
    """True when ``text`` (surrounding spaces aside) is a decimal number written as above."""
    return DECIMAL.fullmatch(text.strip()) is not None
