"""The banner at the top of a run's page: how the run differs from the published page, and a link to it.

Each parameter whose value is not its default is named with the published page's value and the run's
(``old → new``, with its unit). A path parameter set to the user's own records is named with the file's
(or folder's) name and its SHA-256 instead (the full path may say more about the user's machine than
they mean to send); what reading the records normalised (``Yes`` read as ``yes``) is listed under it.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from helpers.engine.narrative import own_records
from helpers.engine.paths import expand_user
from helpers.params import ParamSpec

#: The banner's class (besides the theme's admonition classes): tests and style find it by this.
BANNER_CLASS = "compendium-run-banner"


@dataclass(frozen=True)
class Difference:
    """One way a run differs from the published page: a parameter's published value and the run's, or
    (``own``) the user's records, by name, with their SHA-256 and what reading them normalised."""

    name: str
    published: str
    run: str
    unit: str = ""
    own: bool = False
    sha256: str = ""
    notes: tuple[str, ...] = ()


def shown(value: Any) -> str:
    """A parameter value as the banner and the command line show it."""
    return "''" if value == "" else str(value)


def differences(
    spec: ParamSpec, values: Mapping[str, Any], notes: Mapping[str, Sequence[str]] | None = None
) -> list[Difference]:
    """How ``values`` differ from the declared defaults, in declaration order. ``notes`` holds, for a path
    parameter, what reading its records normalised."""
    from helpers.engine.cache import path_digest

    own = set(own_records(spec, values))
    out = []
    for p in spec:
        if p.name not in values or values[p.name] == p.default:
            continue
        if p.name in own:
            path = expand_user(str(values[p.name]))
            digest = path_digest(path) if path.exists() else ""
            extra = tuple((notes or {}).get(p.name, ()))
            out.append(Difference(p.name, shown(p.default), path.name, own=True, sha256=digest, notes=extra))
        else:
            out.append(Difference(p.name, shown(p.default), shown(values[p.name]), p.unit))
    return out


def _item(d: Difference) -> str:
    name = f"<code>{html.escape(d.name)}</code>"
    if d.own:
        digest = f" (sha256 <code>{d.sha256}</code>)" if d.sha256 else ""
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in d.notes)
        return (
            f"<li>your records: <strong>{html.escape(d.run)}</strong>{digest}, given as {name}"
            f"{f'<ul>{notes}</ul>' if notes else ''}</li>"
        )
    unit = f" {html.escape(d.unit)}" if d.unit else ""
    return (
        f"<li>{name}: {html.escape(d.published)}{unit} on the published page &#8594; "
        f"<strong>{html.escape(d.run)}</strong>{unit} in this run</li>"
    )


def command_line(stem: str, diffs: Sequence[Difference]) -> str:
    """The ``compendium run`` command that makes the run again (records named by their file name)."""
    parts = ["compendium", "run", stem]
    for d in diffs:
        parts += ["-p", d.name, d.run if d.run and " " not in d.run and d.run != "''" else repr(d.run.strip("'"))]
    return " ".join(parts)


def banner_html(stem: str, title: str, diffs: Sequence[Difference], published_url: str) -> str:
    """The banner (one of the theme's admonitions, so it reads in light and dark) for a run of ``stem``."""
    link = f'<a href="{html.escape(published_url)}">the published page</a>'
    if diffs:
        ways = f"{len(diffs)} way{'s' * (len(diffs) != 1)}"
        what = f"<p>This page was computed by your run, which differs from {link} in {ways}:</p>"
        what += f"<ul>{''.join(_item(d) for d in diffs)}</ul>"
    else:
        what = (
            f"<p>This page was computed by your run with the published parameters: its numbers are those of {link}.</p>"
        )
    again = f"<p>To run it again: <code>{html.escape(command_line(stem, diffs))}</code></p>"
    return (
        f'<div class="admonition attention {BANNER_CLASS}" role="note">'
        f'<p class="admonition-title">Your run of &#8220;{html.escape(title)}&#8221;</p>{what}{again}</div>'
    )
