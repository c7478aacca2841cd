"""The PDF edition (``make pdf``): the single-page HTML build of the book, laid out for print and printed
by Debian's chromium.

``make pdf`` builds the whole book as one HTML page (Jupyter Book's ``singlehtml`` builder, with the
same executed notebooks and glued numbers as the web book). This script opens that page in Debian's
``chromium`` (driven by Playwright, which is given the system's browser: nothing is downloaded), lays
it out for paper and prints it to one A4 PDF, with page numbers in the footer and the chapters as PDF
bookmarks:

* a contents page listing every chapter with the page it starts on. Chromium has no CSS page
  counters, so the book is printed twice: the first print says where each chapter's heading landed
  (the destinations of the contents' links), the second carries those numbers, in the space the first
  kept for them, so nothing moves; the numbers are then checked against the final PDF;
* each parameters table reflowed into a list (name, value, unit and what is allowed on one line,
  the description under it), which reads in a portrait column where six columns did not;
* any other table wider than a portrait page (the registry of published figures, the ledger) on
  landscape pages of its own, with its heading; no word in a table is broken mid-word (cells wrap
  only between words) and code wraps instead of running off the page;
* wording meant for paper (``{print}`` roles) in place of wording meant for a screen (``{screen}``).

The print style sheet is ``tools/pdf_print.css``; the changes to the page are the steps of
``tools/pdf_layout.js``.

    python tools/pdf.py _build/singlehtml/book/intro.html _build/pdf/social-work-evidence-compendium.pdf

(the singlehtml build's ``index.html`` only redirects to the root page, ``book/intro.html``).
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
from pathlib import Path
from typing import Any

TITLE = "Social Work Evidence Compendium"
HERE = Path(__file__).resolve().parent
#: The print style sheet and the layout's steps (prepare, parameters, wide, fill), run in the page.
PRINT_CSS = HERE / "pdf_print.css"
LAYOUT_JS = HERE / "pdf_layout.js"
#: The side margins of a page (as in pdf_print.css), and the width of a portrait page's text between them
#: in CSS pixels (96 an inch): the width at which a table is measured to decide whether it needs a
#: landscape page.
MARGIN_MM = 16
TEXT_WIDTH_PX = round((210 - 2 * MARGIN_MM) / 25.4 * 96)

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


def link_pages(pdf: bytes, first_pages: int = 3) -> dict[str, int]:
    """Where the internal links on the first pages (the contents) lead: target id -> page number (1-based)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    named = reader.named_destinations
    out: dict[str, int] = {}
    for page in reader.pages[:first_pages]:
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            action = annot.get("/A") or {}
            dest = annot.get("/Dest") or action.get("/D")
            if dest is None:
                continue
            name = str(dest)  # a name object: "/" and the target's id
            if name in named:
                out[name.removeprefix("/")] = reader.get_destination_page_number(named[name]) + 1
    return out


def _print(page: Any) -> bytes:
    return page.pdf(
        format="A4",
        print_background=True,
        display_header_footer=True,
        header_template="<span></span>",
        footer_template=FOOTER,
        prefer_css_page_size=True,
        outline=True,
        tagged=True,
        margin={"top": "18mm", "bottom": "18mm", "left": f"{MARGIN_MM}mm", "right": f"{MARGIN_MM}mm"},
    )


def _open(browser: Any, html: Path) -> Any:
    """The page loaded, its maths typeset and every figure decoded; in print media at the text's width."""
    page = browser.new_page(viewport={"width": TEXT_WIDTH_PX, "height": 1000})
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(("file:", "data:", "blob:")) else route.abort(),
    )  # the book reads nothing from other sites
    page.goto(html.resolve().as_uri(), wait_until="networkidle")
    page.evaluate("() => window.MathJax && MathJax.startup && MathJax.startup.promise")  # maths typeset
    page.evaluate("() => Promise.all(Array.from(document.images).map(i => i.decode().catch(() => null)))")
    broken = page.evaluate(
        "() => Array.from(document.images).filter(i => !i.complete || !i.naturalWidth).map(i => i.src)"
    )
    if broken:
        raise SystemExit(f"pdf: images that did not load: {broken[:5]}")
    page.emulate_media(media="print", color_scheme="light")
    return page


def _link_singlehtml_assets(html: Path) -> None:
    """The singlehtml builder writes the figures and the theme's files into the build's _images/ and
    _static/ but refers to them relative to the root page, which is one folder down (book/intro.html):
    point the page's folder at them."""
    for folder in ("_images", "_static"):
        found, expected = html.parent.parent / folder, html.parent / folder
        if html.parent != html.parent.parent and found.is_dir() and not expected.exists():
            expected.symlink_to(Path("..") / folder, target_is_directory=True)


def print_pdf(html: Path, pdf: Path) -> dict[str, Any]:
    """Print ``html`` (the singlehtml build's root page) to ``pdf``. Returns what was laid out: the
    chapters with their pages, the parameters tables reflowed and the sections put on landscape pages."""
    from playwright.sync_api import sync_playwright

    pdf.parent.mkdir(parents=True, exist_ok=True)
    _link_singlehtml_assets(html)
    args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=[*args, "--disable-component-update"])
        try:
            page = _open(browser, html)
            page.add_script_tag(content="window.pdfLayout = " + LAYOUT_JS.read_text(encoding="utf-8"))
            chapters = page.evaluate("css => pdfLayout.prepare(css)", PRINT_CSS.read_text(encoding="utf-8"))
            page.evaluate("() => pdfLayout.tokens()")
            parameters = page.evaluate("() => pdfLayout.parameters()")
            lists = page.evaluate("() => pdfLayout.reflow()")
            links = page.evaluate("root => pdfLayout.links(root)", html.parent.parent.resolve().as_uri() + "/")
            wide = page.evaluate("() => pdfLayout.wide()")
            pages = link_pages(_print(page))
            missing = [c["title"] for c in chapters if c["id"] not in pages]
            if missing:
                raise SystemExit(f"pdf: the contents' links to {missing} lead nowhere in the printed book")
            page.evaluate("pages => pdfLayout.fill(pages)", {c["id"]: pages[c["id"]] for c in chapters})
            final = _print(page)
        finally:
            browser.close()
    if link_pages(final) != pages:
        raise SystemExit("pdf: the chapters moved when their page numbers were filled in; nothing written")
    pdf.write_bytes(final)
    return {
        "chapters": [(c["title"], pages[c["id"]]) for c in chapters],
        "parameters_tables": parameters,
        "reference_lists": lists,
        "links": links,
        "landscape": wide,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print the single-page HTML book to one PDF with Debian's chromium.")
    parser.add_argument("html", type=Path, help="the singlehtml build's root page (book/intro.html)")
    parser.add_argument("pdf", type=Path, help="the PDF to write")
    args = parser.parse_args(argv)
    if not args.html.is_file():
        raise SystemExit(f"pdf: {args.html} does not exist: build the single-page book first (make pdf does)")
    laid = print_pdf(args.html, args.pdf)
    wide = "; ".join(laid["landscape"]) or "none"
    print(
        f"The PDF edition: {args.pdf.resolve()} ({len(laid['chapters'])} entries in its contents; "
        f"{laid['parameters_tables']} parameters tables and {laid['reference_lists']} reference tables as lists; "
        f"on landscape pages: {wide})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
