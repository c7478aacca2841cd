"""One built page as one HTML file that reads offline and can be sent by e-mail.

Everything the page loads from the build is put inside it: style sheets as ``<style>`` (with the fonts and
images they name as ``data:`` URIs: only the icon fonts the page uses), scripts as inline scripts (those
the browser would defer moved to the end of the page, in order), images as ``data:`` URIs, and MathJax as
its self-contained SVG build, only on a page with mathematics. What cannot work in a single file is
removed: the search (it needs the book's index), the download buttons (they name files of the build) and
the launch buttons (they open the published notebook, not this run). Links to other pages go to the
published book; links within the page stay as they are.
"""

from __future__ import annotations

import base64
import importlib.util
import mimetypes
import posixpath
import re
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from bs4 import BeautifulSoup, Tag

from helpers.engine.pages.project import MATHJAX_PATH

#: Scripts a single file does without: the search and its index, the icon font's script (the style
#: sheets draw the same icons from the font) and live code (thebe).
_DROPPED_SCRIPTS = ("searchtools.js", "language_data.js", "searchindex.js", "fontawesome.js", "thebe")
#: Elements removed: search boxes and dialog, download and launch buttons.
_DROPPED_ELEMENTS = (
    ".search-button-field",
    ".search-button",
    "button.search-button__button",
    ".bd-search",
    "#pst-search-dialog",
    ".search-button__wrapper",
    ".dropdown-download-buttons",
    ".dropdown-launch-buttons",
    'script[type="text/x-thebe-config"]',
)
#: The page's own style: the header bar held only the search on wide screens (its sidebar buttons are for
#: narrow ones), so it is hidden there.
_PAGE_CSS = "@media (min-width: 992px) { .bd-header { display: none; } }"
_CSS_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]+)\1\s*\)")
_CSS_IMPORT = re.compile(r"@import\s+(?:url\(\s*)?['\"]?([^'\")\s;]+)['\"]?\s*\)?\s*;")
_TRUETYPE = re.compile(r",\s*url\([^)]*\.ttf[^)]*\)\s*format\(\s*['\"]truetype['\"]\s*\)")
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")
#: Each icon font of Font Awesome and the classes that use it on a page.
_ICON_FONTS = {
    "fa-solid-900": (),  # the theme's admonitions draw their icons from it: always kept
    "fa-regular-400": ("fa-regular", "far"),
    "fa-brands-400": ("fa-brands", "fab"),
}


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and not url.startswith(("#", "//"))


def data_uri(path: Path) -> str:
    """The file as a ``data:`` URI."""
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if path.suffix == ".woff2":
        kind = "font/woff2"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _local_file(base: Path, url: str, html_root: Path) -> Path | None:
    """The built file a relative URL names (its query and fragment dropped), if it is inside the build."""
    path = (base / urlsplit(url).path).resolve()
    return path if path.is_file() and html_root.resolve() in path.parents else None


def _css(text: str, css_file: Path, html_root: Path, fonts: set[str], depth: int = 0) -> str:
    """A style sheet with each file it names inlined (imported sheets too); fonts other than ``fonts``
    are left out."""

    def imported(match: re.Match[str]) -> str:
        found = _local_file(css_file.parent, match.group(1), html_root) if _is_local(match.group(1)) else None
        if found is None or depth > 3:
            return ""
        return _css(found.read_text(encoding="utf-8"), found, html_root, fonts, depth + 1)

    text = _CSS_IMPORT.sub(imported, text)
    text = _TRUETYPE.sub("", text)

    def face(match: re.Match[str]) -> str:
        block = match.group(0)
        named = [f for f in _ICON_FONTS if f in block]
        return "" if named and named[0] not in fonts else block

    text = _FONT_FACE.sub(face, text)

    def inline(match: re.Match[str]) -> str:
        url = match.group(2)
        if url.startswith("data:") or not _is_local(url):
            return match.group(0)
        found = _local_file(css_file.parent, url, html_root)
        return f'url("{data_uri(found)}")' if found else 'url("data:,")'

    return _CSS_URL.sub(inline, text)


def _script_text(text: str) -> str:
    """Script text safe inside ``<script>``: no ``</script`` or ``<!--`` can end or confuse the element."""
    return text.replace("</script", "<\\/script").replace("<!--", "<\\!--")


def mathjax_svg() -> Path:
    """MathJax's self-contained SVG build (TeX input, fonts drawn as paths), from the installed package."""
    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("sphinx-mathjax-offline is not installed: it provides MathJax for the pages")
    return Path(spec.origin).parent / "static" / "mathjax" / "tex-svg.js"


def _scripts(soup: BeautifulSoup, page: Path, html_root: Path) -> None:
    """Inline every local script; the deferred ones move to the end of the body, in order."""
    deferred: list[Tag] = []
    for script in soup.find_all("script"):
        src = script.get("src")
        if not src:
            continue
        src = str(src)
        if any(name in src for name in _DROPPED_SCRIPTS):
            script.decompose()
            continue
        if src.endswith(MATHJAX_PATH):
            found: Path | None = mathjax_svg() if soup.select_one(".math") else None
        else:
            found = _local_file(page.parent, src, html_root) if _is_local(src) else None
        if found is None:
            script.decompose()
            continue
        inline = soup.new_tag("script")
        for name, value in script.attrs.items():
            if name not in ("src", "defer", "async"):
                inline[name] = value
        inline.string = _script_text(found.read_text(encoding="utf-8"))
        if script.has_attr("defer") or script.has_attr("async"):
            deferred.append(inline)
            script.decompose()
        else:
            script.replace_with(inline)
    body = soup.body
    assert body is not None
    for inline in deferred:
        body.append(inline)


def _styles(soup: BeautifulSoup, page: Path, html_root: Path) -> None:
    """Inline every local style sheet; drop preloads and links to the build's index and search."""
    used = " ".join(" ".join(map(str, tag.get("class") or [])) for tag in soup.find_all(class_=True)).split()
    fonts = {font for font, classes in _ICON_FONTS.items() if not classes or set(classes) & set(used)}
    for link in soup.find_all("link"):
        rel = set(map(str, link.get("rel") or []))
        href = str(link.get("href") or "")
        if "stylesheet" in rel and _is_local(href):
            found = _local_file(page.parent, href, html_root)
            if found is None:
                link.decompose()
                continue
            style = soup.new_tag("style")
            style.string = _css(found.read_text(encoding="utf-8"), found, html_root, fonts)
            link.replace_with(style)
        elif "icon" in rel and _is_local(href):
            found = _local_file(page.parent, href, html_root)
            if found:
                link["href"] = data_uri(found)
            else:
                link.decompose()
        elif rel & {"preload", "index", "search", "prefetch"}:
            link.decompose()


def _images(soup: BeautifulSoup, page: Path, html_root: Path) -> None:
    for img in soup.find_all("img"):
        src = str(img.get("src") or "")
        if _is_local(src) and (found := _local_file(page.parent, src, html_root)):
            img["src"] = data_uri(found)


def published_href(href: str, page_path: str, book_url: str) -> str:
    """Where a link of the page at ``page_path`` (relative to the book's root) goes from a single file:
    a link within the page stays; a relative link goes to the same place in the published book."""
    if not _is_local(href):
        return href
    target, fragment = urldefrag(href)
    path = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), urlsplit(target).path))
    if path == page_path or not target:
        return f"#{fragment}" if fragment else "#"
    return book_url + path + (f"#{fragment}" if fragment else "")


def _links(soup: BeautifulSoup, page_path: str, book_url: str) -> None:
    for tag in soup.find_all(["a", "link"], href=True):
        tag["href"] = published_href(str(tag["href"]), page_path, book_url)


def single_file(page: Path, html_root: Path, book_url: str, banner: str = "", title: str = "") -> str:
    """The built ``page`` (under ``html_root``) as one self-contained HTML document, with ``banner`` (HTML)
    at the top of the article and ``title`` as the document's title (if given)."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    for selector in _DROPPED_ELEMENTS:
        for tag in soup.select(selector):
            tag.decompose()
    _styles(soup, page, html_root)
    own = soup.new_tag("style")
    own.string = _PAGE_CSS
    assert soup.head is not None
    soup.head.append(own)
    _scripts(soup, page, html_root)
    _images(soup, page, html_root)
    _links(soup, page.relative_to(html_root).as_posix(), book_url)
    if banner:
        article = soup.select_one("article.bd-article") or soup.body
        assert article is not None
        article.insert(0, BeautifulSoup(banner, "html.parser"))
    if title and soup.title is not None:
        soup.title.string = title
    return str(soup)
