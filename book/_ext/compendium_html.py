"""Sphinx extension for the compendium's HTML pages.

Jupyter Book 1 always loads sphinx-thebe, even with live code (thebe) turned
off. Its inline configuration script is registered twice in a build, so every
page raised a JavaScript error (``Identifier 'THEBE_JS_URL' has already been
declared``), and it names a third-party CDN. The book does not offer live code,
so this extension removes thebe's scripts and style sheet from every page, and
drops any other duplicated script.

It also adds the git commit the book was built from to every page's footer
(``+modified`` when tracked files differ from it). Only the built HTML carries the
commit: the committed notebooks identify what computed them by content digests
(:mod:`helpers.provenance`), which do not depend on the commit about to be made.
"""

from __future__ import annotations


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

    from helpers.provenance import git_commit

    commit = html.escape(git_commit(Path(app.confdir)))
    options = config.html_theme_options
    options["extra_footer"] = (options.get("extra_footer") or "") + (
        f'<p class="build-commit">Built from compendium commit <code>{commit}</code>. Each figure and table '
        "names the content digests of the notebook, code, data and pins that computed it; "
        "<code>compendium provenance</code> checks them against a checkout.</p>"
    )


def setup(app):
    app.connect("html-page-context", _clean_assets, priority=900)
    app.connect("config-inited", _add_build_commit)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
