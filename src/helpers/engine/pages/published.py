"""Where the published book lives: the one function that turns ``repository: url:`` in ``_config.yml``
into the address of the book on GitHub Pages (the Pages workflow publishes it there).

A run's page links to the published book for everything that is not on the page itself (the glossary,
the data page, the other notebooks), and its banner links to the published version of the same page.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from helpers.engine.paths import ROOT

_GITHUB = re.compile(r"^https://github\.com/(?P<owner>[A-Za-z0-9][A-Za-z0-9-]*)/(?P<name>[A-Za-z0-9._-]+?)(\.git)?/?$")


def book_url(config: Path = ROOT / "_config.yml") -> str:
    """The published book's address, ending in ``/``: ``https://github.com/OWNER/NAME`` is published at
    ``https://owner.github.io/NAME/`` (GitHub Pages host names are lower case; a repository named
    ``OWNER.github.io`` is published at the host's root). A ``ValueError`` names the setting otherwise."""
    url = str(yaml.safe_load(config.read_text(encoding="utf-8"))["repository"]["url"])
    match = _GITHUB.match(url)
    if match is None:
        raise ValueError(f"repository: url: {url!r} in {config.name} is not https://github.com/OWNER/NAME")
    host = f"{match['owner'].lower()}.github.io"
    return f"https://{host}/" if match["name"].lower() == host else f"https://{host}/{match['name']}/"
