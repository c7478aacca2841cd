"""Find numbers typed by hand into prose where a glued value belongs.

Used by the tests of the notebooks and of the book. Prose is scanned after
removing what may legitimately hold digits: glue roles, citations and other
roles, code, maths, link targets, directive options, headings' section
numbers and years. What is left must hold no digits except method constants
listed in ``ALLOWED`` (for example "10th and 90th percentiles", which describe
a method rather than report a result).
"""

from __future__ import annotations

import re

ALLOWED = [
    r"\b(10th|90th)\b",  # percentiles used by the one-way sensitivity method
    r"\bPython ?3(\.\d+)?",  # software versions
    r"\bv\d+(\.\d+)*",  # licence versions (Open Government Licence v3.0)
    r"\bSHA-256\b",  # the name of a hash function
]
_STRIP = [
    r"\A---\n.*?\n---\n",  # front matter
    r"```.*?```",  # fenced blocks (code, directives)
    r"\$\$.*?\$\$",  # display maths
    r"\$[^$\n]+\$",  # inline maths
    r"\{[a-z:]+\}`[^`]*`",  # roles: {glue:text}`...`, {cite:t}`...`, {doc}`...`
    r"`[^`]*`",  # inline code
    r"\]\([^)]*\)",  # link targets
    r"^\s*:[a-z_-]+:.*$",  # directive options
    r"^#+\s*\d+(\.\d+)*\.?",  # section numbers in headings
    r"\b(19|20)\d\d\b",  # years
]


def typed_numbers(markdown: str) -> list[str]:
    """Digit-bearing tokens left in ``markdown`` after stripping what may hold digits."""
    text = markdown
    for pattern in _STRIP:
        text = re.sub(pattern, " ", text, flags=re.S | re.M)
    for pattern in ALLOWED:
        text = re.sub(pattern, " ", text)
    return re.findall(r"[^\s]*\d[^\s]*", text)
