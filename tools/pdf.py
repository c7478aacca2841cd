"""The PDF edition (``make pdf``): the single-page HTML build of the book, printed by Debian's chromium.

``make pdf`` builds the whole book as one HTML page (Jupyter Book's ``singlehtml`` builder, with
the same executed notebooks and glued numbers as the web book), then this script opens that page
in Debian's ``chromium`` (driven by Playwright, which is given the system's browser: nothing is
downloaded), adds a list of contents at the start, and prints it to one PDF with page numbers
in the footer and the chapters as PDF bookmarks.

    python tools/pdf.py _build/singlehtml/book/intro.html _build/pdf/social-work-evidence-compendium.pdf

(the singlehtml build's ``index.html`` only redirects to the root page, ``book/intro.html``).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

TITLE = "Social Work Evidence Compendium"

#: Adds "Contents" (every chapter, linked) after the book's opening paragraph and starts each chapter
#: on a new page. In the singlehtml build the first chapter is the root page's section; every other
#: page of the table of contents follows a ``<span id="document-NAME">`` marker, as its own section.
CONTENTS_JS = """
() => {
  // The theme's own printed list of the page's headings (unnumbered): replaced by the list below.
  const themed = document.getElementById('jb-print-toc');
  if (themed) themed.remove();
  const article = document.querySelector('article.bd-article') || document.querySelector('main') || document.body;
  const root = article.querySelector('section');
  const chapters = [root, ...Array.from(article.querySelectorAll('span[id^="document-"]'))
    .map(mark => mark.nextElementSibling).filter(el => el && el.tagName === 'SECTION')];
  const nav = document.createElement('nav');
  nav.id = 'pdf-contents';
  nav.style.breakAfter = 'page';
  nav.innerHTML = '<h2>Contents</h2>';
  const list = document.createElement('ol');
  chapters.forEach((section, i) => {
    if (i > 0) section.style.breakBefore = 'page';
    const heading = section.querySelector('h1, h2');
    const item = document.createElement('li');
    const link = document.createElement('a');
    link.href = '#' + section.id;
    link.textContent = heading.textContent.replace(/#\\s*$/, '').trim();
    item.appendChild(link);
    list.appendChild(item);
  });
  nav.appendChild(list);
  const opening = root.querySelector(':scope > section');
  root.insertBefore(nav, opening);
  return chapters.length;
}
"""

FOOTER = (
    '<div style="font-size:8px;width:100%;text-align:center;color:#444;">'
    f'{TITLE} &middot; page <span class="pageNumber"></span> of <span class="totalPages"></span></div>'
)


def chromium() -> str:
    found = shutil.which("chromium") or (str(p) if (p := Path("/usr/bin/chromium")).exists() else None)
    if not found:
        raise SystemExit(
            "pdf: Debian's chromium is not installed: sudo apt-get install chromium "
            "(make test and make pdf install it with apt-get when run as root)"
        )
    return found


def print_pdf(html: Path, pdf: Path) -> int:
    """Print ``html`` (the singlehtml build's root page) to ``pdf``; returns the number of chapters."""
    from playwright.sync_api import sync_playwright

    pdf.parent.mkdir(parents=True, exist_ok=True)
    # The singlehtml builder writes the figures and the theme's files into the build's _images/ and
    # _static/ but refers to them relative to the root page, which is one folder down
    # (book/intro.html): point the page's folder at them.
    for folder in ("_images", "_static"):
        found, expected = html.parent.parent / folder, html.parent / folder
        if html.parent != html.parent.parent and found.is_dir() and not expected.exists():
            expected.symlink_to(Path("..") / folder, target_is_directory=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium(),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        try:
            page = browser.new_page()
            page.route(
                "**/*",
                lambda route: (
                    route.continue_() if route.request.url.startswith(("file:", "data:", "blob:")) else route.abort()
                ),
            )  # the book reads nothing from other sites
            page.goto(html.resolve().as_uri(), wait_until="networkidle")
            page.evaluate("() => window.MathJax && MathJax.startup && MathJax.startup.promise")  # maths typeset
            # Every figure loaded and decoded before printing.
            page.evaluate("() => Promise.all(Array.from(document.images).map(i => i.decode().catch(() => null)))")
            broken = page.evaluate(
                "() => Array.from(document.images).filter(i => !i.complete || !i.naturalWidth).map(i => i.src)"
            )
            if broken:
                raise SystemExit(f"pdf: images that did not load: {broken[:5]}")
            page.emulate_media(media="print", color_scheme="light")
            chapters = page.evaluate(CONTENTS_JS)
            page.pdf(
                path=str(pdf),
                format="A4",
                print_background=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=FOOTER,
                outline=True,
                tagged=True,
                margin={"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
            )
        finally:
            browser.close()
    return chapters


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Print the single-page HTML book to one PDF with Debian's chromium.")
    parser.add_argument("html", type=Path, help="the singlehtml build's root page (book/intro.html)")
    parser.add_argument("pdf", type=Path, help="the PDF to write")
    args = parser.parse_args(argv)
    if not args.html.is_file():
        raise SystemExit(f"pdf: {args.html} does not exist: build the single-page book first (make pdf does)")
    chapters = print_pdf(args.html, args.pdf)
    print(f"The PDF edition: {args.pdf.resolve()} ({chapters} chapters)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
