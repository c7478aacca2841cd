"""Sphinx extension for the compendium's HTML pages.

Jupyter Book 1 always loads sphinx-thebe, even with live code (thebe) turned
off. Its inline configuration script is registered twice in a build, so every
page raised a JavaScript error (``Identifier 'THEBE_JS_URL' has already been
declared``), and it names a third-party CDN. The book does not offer live code,
so this extension removes thebe's scripts and style sheet from every page, and
drops any other duplicated script.
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


def setup(app):
    app.connect("html-page-context", _clean_assets, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
