"""Sphinx extension for the compendium's HTML pages.

Jupyter Book 1 always loads sphinx-thebe, even with live code (thebe) turned
off. Its inline configuration script is registered twice in a build, so every
page raised a JavaScript error (``Identifier 'THEBE_JS_URL' has already been
declared``), and it names a third-party CDN. The book does not offer live code,
so this extension removes thebe's scripts and style sheet from every page, and
drops any other duplicated script.

The Binder launch button's logo is an image whose alt text ("Binder logo") says nothing the
button's own label does not: it is replaced by the theme's local play icon (a font glyph), so
every image on a page is a figure with meaningful alt text.

It also writes an empty ``.nojekyll`` into the built HTML: GitHub Pages otherwise runs
Jekyll over the upload, which drops every folder whose name starts with ``_``
(``_static/``, ``_images/``, ``_sources/``), leaving pages without styles or figures.

Two roles give wording for one medium: ``{screen}`text``` is shown on screen only and
``{print}`text``` in print only (the PDF edition, a browser's print), for a sentence that
says what to do with a web page ("point at it for its meaning") where paper needs another.

It also adds the git commit the book was built from to every page's footer
(``+modified`` when tracked files differ from it). Only the built HTML carries the
commit: the committed notebooks identify what computed them by content digests
(:mod:`helpers.engine.provenance`), which do not depend on the commit about to be made.
"""

from __future__ import annotations

from docutils import nodes


def _is_thebe(asset) -> bool:
    filename = str(getattr(asset, "filename", asset) or "")
    body = str(getattr(asset, "attributes", {}).get("body", "")) if hasattr(asset, "attributes") else ""
    return "thebe" in filename or "THEBE_JS_URL" in body or "thebe_selector" in body


def _clean_assets(app, pagename, templatename, context, doctree):
    for key in ("script_files", "css_files"):
        assets = context.get(key)
        if not assets:
            continue
        seen, kept = set(), []
        for asset in assets:
            ident = (str(getattr(asset, "filename", asset)), str(getattr(asset, "attributes", {}).get("body", "")))
            if _is_thebe(asset) or ident in seen:
                continue
            seen.add(ident)
            kept.append(asset)
        assets[:] = kept


def _add_build_commit(app, config):
    import html
    from pathlib import Path

    from helpers.engine.provenance import git_commit

    commit = html.escape(git_commit(Path(app.confdir)))
    options = config.html_theme_options
    options["extra_footer"] = (options.get("extra_footer") or "") + (
        f'<p class="build-commit">Built from compendium commit <code>{commit}</code>. Each figure and table '
        "names the content digests of the notebook, code, data and pins that computed it; "
        "<code>compendium provenance</code> checks them against a checkout.</p>"
    )


def _plain_launch_icons(app, pagename, templatename, context, doctree):
    def walk(buttons):
        for button in buttons or []:
            if str(button.get("icon", "")).endswith("logo_binder.svg"):
                button["icon"] = "fa-solid fa-circle-play"
            walk(button.get("buttons"))

    walk(context.get("header_buttons"))


def _medium_role(medium: str):
    """A role whose text is shown in one medium only (the ``only-screen`` / ``only-print`` classes of
    book/_static/compendium.css)."""

    def role(name, rawtext, text, lineno, inliner, options=None, content=None):
        return [nodes.inline(rawtext, text, classes=[f"only-{medium}"])], []

    return role


def _write_nojekyll(app, exception):
    if exception is None and getattr(app.builder, "format", "") == "html":
        from pathlib import Path

        (Path(app.outdir) / ".nojekyll").touch()


def setup(app):
    app.connect("html-page-context", _clean_assets, priority=900)
    app.connect("config-inited", _add_build_commit)
    app.connect("html-page-context", _plain_launch_icons, priority=900)
    app.connect("build-finished", _write_nojekyll)
    app.add_role("screen", _medium_role("screen"))
    app.add_role("print", _medium_role("print"))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
