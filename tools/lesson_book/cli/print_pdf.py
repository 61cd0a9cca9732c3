"""Print the built book's all-in-one page to PDF with headless Chromium (``make pdf``).

The page is the one that holds the ``{all-episodes}`` block
(``lesson_book.all_in_one.CONTAINER_CLASS``); the PDF goes where the page's
``{all-in-one-pdf}`` links point, ``lesson_book.all_in_one.PDF`` at the root of
the HTML output.  Chromium opens the page from disk, as a reader's browser
would, runs its scripts (MathJax; the instructor view, which hides the
instructor notes; with ``?pdf``, the page's own script, which turns the links
to the book's other pages into text, since in the PDF they would point into
the folder it was printed from) and prints it with the page's print stylesheet
(``tools/lesson_book/extension/static/all-in-one.css``).

``make book`` and ``make test`` run it after the build.  Without Debian's
Chromium (``apt-get install -y chromium``) it says that the PDF was skipped and
why, and exits 0, so that ``make book`` works with only Python and pip; under
``CI=true`` it fails instead, as the browser test does.

    lesson-pdf                 # _build/html
    lesson-pdf --html DIR      # another build
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lesson_book.book import ROOT
from lesson_book.extension.all_in_one import CONTAINER_CLASS, PDF

CHROMIUM = Path("/usr/bin/chromium")
INSTALL = "apt-get update && apt-get install -y chromium  (as root)"
#: The flags that let Debian's Chromium run headless in a container, without a network or
#: a GPU (the browser test starts it with them too).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
#: Those, and the ones for printing.
FLAGS = (
    *CHROMIUM_FLAGS,
    "--no-pdf-header-footer",
    # Run the page's scripts (MathJax typesetting) before printing: 20 s of the
    # page's own clock, which headless Chromium fast-forwards while it is idle.
    "--virtual-time-budget=20000",
)
TIMEOUT = 300
_CONTAINER = re.compile(r'class="(?:[^"]*\s)?' + re.escape(CONTAINER_CLASS) + r'(?:\s[^"]*)?"')
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def all_in_one_page(html: Path) -> Path:
    """The one HTML page of the build in ``html`` that holds every episode."""
    found = [
        path
        for path in sorted(html.rglob("*.html"))
        if "_static" not in path.relative_to(html).parts
        and _CONTAINER.search(path.read_text(encoding="utf-8"))
    ]
    if len(found) != 1:
        names = [path.relative_to(html).as_posix() for path in found]
        raise ValueError(f"want one page with every episode in {html}, found {names}")
    return found[0]


def pdf_pages(pdf: bytes) -> int:
    """The number of pages of a PDF as Chromium writes it (its ``/Type /Page`` objects)."""
    if not pdf.startswith(b"%PDF-"):
        raise ValueError("not a PDF: it does not start with %PDF-")
    return len(_PAGE_OBJECT.findall(pdf))


def chromium_command(chromium: Path, page: Path, pdf: Path, profile: Path) -> list[str]:
    """The command that prints ``page`` to ``pdf`` with a fresh profile in ``profile``."""
    return [
        str(chromium),
        *FLAGS,
        f"--user-data-dir={profile}",
        f"--print-to-pdf={pdf}",
        page.resolve().as_uri() + "?pdf",  # the page's script then unlinks the rest of the book
    ]


def print_pdf(page: Path, pdf: Path, chromium: Path = CHROMIUM) -> float:
    """Print ``page`` to ``pdf`` with headless Chromium; the seconds it took."""
    profile = Path(tempfile.mkdtemp(prefix="book-pdf-chromium-"))
    partial = pdf.with_name(pdf.name + ".part")
    partial.unlink(missing_ok=True)
    started = time.perf_counter()
    try:
        result = subprocess.run(
            chromium_command(chromium, page, partial, profile),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0 or not partial.is_file() or partial.stat().st_size == 0:
        partial.unlink(missing_ok=True)
        raise RuntimeError(
            f"Chromium could not print {page} (exit status {result.returncode}):\n"
            + result.stderr[-3000:]
        )
    partial.replace(pdf)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html",
                        help="the built book (default: _build/html)")
    args = parser.parse_args(argv)
    html = args.html.resolve()
    if not CHROMIUM.exists():
        message = f"PDF skipped: {CHROMIUM} not found; install it with: {INSTALL}"
        print(message, file=sys.stderr)
        return 1 if os.environ.get("CI") == "true" else 0
    page = all_in_one_page(html)
    pdf = html / PDF
    seconds = print_pdf(page, pdf)
    count = pdf_pages(pdf.read_bytes())
    size = pdf.stat().st_size / 2**20
    print(f"{pdf.relative_to(html.parent)}: {count} page{'' if count == 1 else 's'}, {size:.1f} MiB, "
          f"printed from {page.relative_to(html)} in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
