"""Sphinx extension: the ``{num}`` role, a glued number followed by a mark of its kind.

``{num}`key:spec``` (or ``{num}`../notebooks/x.ipynb::key:spec``` from another page) pastes a
glued value exactly as ``{glue:text}`` does, then a mark saying what kind of number it is:
published (P), computed from published figures (C), a synthetic reconstruction summarised across
many draws (S), or an assumption or illustration (A). The kind is not typed in the prose: it is
looked up in the analysis module's own declaration (:func:`helpers.page.kinds.summary_kind`), and a
number of unknown kind, or one synthetic draw, fails the build.

The mark reads without colour: a letter in a box, with its full meaning as visually hidden text for
screen readers (the letter itself is hidden from them) and as a tooltip; in print (LaTeX) a
superscript letter, explained by the key on the landing page.
"""

from __future__ import annotations

import html
from pathlib import PurePosixPath

from docutils import nodes
from myst_nb.ext.glue.roles import PasteTextRole
from sphinx.errors import ExtensionError

from helpers.page.kinds import SUMMARY_KINDS, Kind, KindError, summary_kind


class kind_mark(nodes.Inline, nodes.Element):
    """The mark after a number: attribute ``kind`` is a :class:`helpers.page.kinds.Kind` value."""


def _stem_and_key(text: str, docname: str) -> tuple[str, str]:
    """The analysis stem and the glue key that a role's text names."""
    key = text.rsplit(":", 1)[0] if text.count(":") % 2 == 1 else text  # drop a format spec
    if "::" in key:
        path, key = key.split("::", 1)
        return PurePosixPath(path).stem, key
    return PurePosixPath(docname).name, key


class NumberRole(PasteTextRole):
    """``{glue:text}`` plus the kind mark of the number."""

    def run(self):
        pasted, messages = super().run()
        docname = self.document.settings.env.docname
        stem, key = _stem_and_key(self.text, docname)
        try:
            kind = summary_kind(stem, key)
        except KindError as exc:
            raise ExtensionError(f"{docname}:{self.line}: {{num}}`{self.text}`: {exc}") from exc
        mark = kind_mark(kind=kind.value, letter=kind.letter, label=kind.label)
        return [*pasted, mark], messages


def kind_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{kind}`published``` (for the key): the mark of a kind followed by its meaning."""
    try:
        kind = Kind(text.strip())
    except ValueError:
        msg = inliner.reporter.error(
            f"{{kind}}`{text}`: not a kind; use one of {', '.join(k.value for k in SUMMARY_KINDS)}", line=lineno
        )
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    mark = kind_mark(kind=kind.value, letter=kind.letter, label=kind.label)
    return [mark, nodes.Text(" " + kind.label)], []


def visit_html(self, node: kind_mark) -> None:
    label = html.escape(node["label"])
    self.body.append(
        f'<span class="kind-mark kind-{node["kind"]}" title="{label}">'
        f'<span aria-hidden="true">{node["letter"]}</span>'
        f'<span class="visually-hidden"> ({label})</span></span>'
    )
    raise nodes.SkipNode


def visit_latex(self, node: kind_mark) -> None:
    self.body.append(r"\textsuperscript{\textsf{" + node["letter"] + "}}")
    raise nodes.SkipNode


def visit_text(self, node: kind_mark) -> None:
    self.add_text(f" [{node['letter']}]")
    raise nodes.SkipNode


def _skip(self, node) -> None:
    raise nodes.SkipNode


def setup(app):
    app.add_node(
        kind_mark,
        html=(visit_html, None),
        latex=(visit_latex, None),
        text=(visit_text, None),
        man=(_skip, None),
        texinfo=(_skip, None),
    )
    app.add_role("num", NumberRole(), override=True)
    app.add_role("kind", kind_role, override=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
