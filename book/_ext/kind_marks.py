"""Sphinx extension: the ``{num}`` role, a glued number followed by a mark of its kind.

``{num}`key:spec``` (or ``{num}`../notebooks/x.ipynb::key:spec``` from another page) pastes a
glued value exactly as ``{glue:text}`` does, then a mark saying what kind of number it is (the kinds
and their letters are listed in :mod:`helpers.page.kinds`). The kind is not typed in the prose: it is
resolved from the analysis module's own declaration and the value the page glued
(:func:`helpers.page.kinds.summary_kind`: a published figure restated keeps P; a value a run put in
its place is A; a number from the user's own records is D), and a number of unknown kind, or one
synthetic draw, fails the build. A simulation setting is pasted without a mark.

The mark reads without colour: a boxed letter that links to its entry in the key (the glossary's
"Marks" section), so keyboard and touch users reach its meaning; its meaning is also its accessible
name and tooltip (:func:`helpers.page.kinds.mark_html`, the one HTML shared with the cards and
summaries written in Python). In print (LaTeX) a superscript letter.
"""

from __future__ import annotations

import ast
from pathlib import PurePosixPath

from docutils import nodes
from myst_nb.core.variables import RetrievalError
from myst_nb.ext.glue.roles import PasteTextRole
from myst_nb.ext.glue.utils import retrieve_glue_data
from sphinx.errors import ExtensionError

from helpers.page.kinds import KEY_PAGE, OWN_RECORDS_KEY, SUMMARY_KINDS, Kind, KindError, mark_html, summary_kind


class kind_mark(nodes.Inline, nodes.Element):
    """The mark after a number: attribute ``kind`` is a :class:`helpers.page.kinds.Kind` value."""


def _stem_and_key(text: str, docname: str) -> tuple[str, str]:
    """The analysis stem and the glue key that a role's text names."""
    key = text.rsplit(":", 1)[0] if text.count(":") % 2 == 1 else text  # drop a format spec
    if "::" in key:
        path, key = key.split("::", 1)
        return PurePosixPath(path).stem, key
    return PurePosixPath(docname).name, key


def _glued(document, key: str):
    """The value this page glued under ``key`` (None when it glued none)."""
    try:
        data = retrieve_glue_data(document, key)
    except RetrievalError:
        return None
    try:
        return ast.literal_eval(data.data.get("text/plain", "None"))
    except (ValueError, SyntaxError):
        return None


class NumberRole(PasteTextRole):
    """``{glue:text}`` plus the kind mark of the number."""

    def run(self):
        pasted, messages = super().run()
        docname = self.document.settings.env.docname
        stem, key = _stem_and_key(self.text, docname)
        local = "::" not in self.text
        value = _glued(self.document, key) if local else None  # another page's: its default run
        own = bool(_glued(self.document, OWN_RECORDS_KEY)) if local else False
        try:
            kind = summary_kind(stem, key, value, own_records=own)
        except KindError as exc:
            raise ExtensionError(f"{docname}:{self.line}: {{num}}`{self.text}`: {exc}") from exc
        if not kind.marked:
            return pasted, messages
        return [*pasted, kind_mark(kind=kind.value)], messages


def kind_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{kind}`published``` (for the key): the mark of a kind followed by its meaning."""
    try:
        kind = Kind(text.strip())
    except ValueError:
        msg = inliner.reporter.error(
            f"{{kind}}`{text}`: not a kind; use one of {', '.join(k.value for k in SUMMARY_KINDS)}", line=lineno
        )
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    return [kind_mark(kind=kind.value), nodes.Text(" " + kind.label)], []


def _key_href(builder) -> str:
    """The key's page relative to the page being written ("" on a single-page build)."""
    if builder.name == "singlehtml":
        return ""
    return builder.get_relative_uri(builder.current_docname, KEY_PAGE)


def visit_html(self, node: kind_mark) -> None:
    self.body.append(mark_html(Kind(node["kind"]), href=_key_href(self.builder)))
    raise nodes.SkipNode


def visit_latex(self, node: kind_mark) -> None:
    self.body.append(r"\textsuperscript{\textsf{" + Kind(node["kind"]).letter + "}}")
    raise nodes.SkipNode


def visit_text(self, node: kind_mark) -> None:
    self.add_text(f" [{Kind(node['kind']).letter}]")
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
