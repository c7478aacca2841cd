"""Words the compendium's messages share: a count with its noun in the right number, and the
closest known name to a misspelt one.

Every message that counts something (``1 entry``, ``2 entries``) or refuses an unknown name (a
parameter, a grid key, a notebook, a self-audit item) says it through these two functions, so that
``compendium run``, ``compendium sweep``, the notebooks' validation cells and the answers-file check
word it alike.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def plural(n: int, noun: str, plural_noun: str | None = None) -> str:
    """``n`` and ``noun``, the noun in the plural unless ``n`` is 1: ``plural(1, "entry")`` is
    ``"1 entry"``, ``plural(2, "entry")`` is ``"2 entries"``, ``plural(0, "point")`` is ``"0 points"``.
    Give ``plural_noun`` for a plural other than the regular one (see :func:`noun_for`)."""
    return f"{n} {noun_for(n, noun, plural_noun)}"


def noun_for(n: int, noun: str, plural_noun: str | None = None) -> str:
    """The noun alone, in the number that ``n`` calls for (``noun_for(3, "value")`` is ``"values"``). The
    regular plural adds "s", or turns a final consonant + "y" into "ies" (``entry``, ``entries``)."""
    if n == 1:
        return noun
    if plural_noun:
        return plural_noun
    if len(noun) > 1 and noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return f"{noun}s"


def did_you_mean(given: object, known: Iterable[str]) -> str:
    """``" (did you mean 'name'?)"`` for the known name closest to ``given`` (difflib's ratio at
    least 0.6), or ``""`` when none is close: a suffix for a message refusing an unknown name."""
    close = difflib.get_close_matches(str(given), [str(k) for k in known], n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
