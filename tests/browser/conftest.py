"""The browser tests' fixtures: the built book over HTTP, headless Chromium, axe-core, the screenshots' folder, shared scripts.

The browser tests open every page of the built book in headless Chromium and
check it as a reader would, each module one role:

- ``test_browser_pages.py``: for each page, no severe console errors; every
  image loads and has alt text that describes it; every link within the site
  reaches a file that exists, and an anchor that exists on it; every notebook
  page has Binder, Colab and download links, pointing at the repository in
  ``_config.yml`` and at files that exist; an episode's exercises are
  numbered 1, 2, 3 ...; a full-page screenshot is saved in ``screenshots/``
  beside the HTML folder (``_build/screenshots`` for the default build).
- ``test_browser_accessibility.py``: axe-core finds no serious or critical
  WCAG 2.1 A/AA violation on any page, in light or dark mode.
- ``test_browser_learner.py``: an episode's download button and Overview box
  lead only to its learner notebooks (complete and workbook), which exist and
  hold no hidden check.
- ``test_browser_instructor.py``: the instructor view: notes hidden by
  default, shown by the switch, remembered from page to page, always shown on
  the instructor-notes page.
- ``test_browser_all_in_one.py``: the all-in-one page: every episode's title
  in order, every figure of the episodes loaded with the same alt text, notes
  hidden, formulas typeset, and its PDF (printed by ``lesson-pdf``) linked from
  it and from the landing page.
- ``test_browser_site.py``: the site's address opens the root page, and every
  notebook is a page of the book.

What the browser finds is judged by ``lesson_book.site``, whose checks
``tests/tooling/test_site.py`` tries without a browser.

The book is read from ``BOOK_HTML`` (default ``_build/html``; ``make test``
builds it first) and served over HTTP on 127.0.0.1.  Without Debian's
Chromium and ChromeDriver the tests skip, naming the install command,
except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from lesson_book.book import ROOT
from lesson_book.cli.print_pdf import CHROMIUM, CHROMIUM_FLAGS
from lesson_book.site import book_html

HTML = book_html()
SCREENSHOTS = HTML.parent / "screenshots"
CHROMEDRIVER = Path("/usr/bin/chromedriver")
INSTALL = "apt-get update && apt-get install -y chromium chromium-driver  (as root)"
#: axe-core, from npm (package.json; `make test` runs `npm ci` before this test).
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def html() -> Path:
    """The built book's HTML folder: ``BOOK_HTML``, or ``_build/html``."""
    return HTML


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where the tests save their screenshots: ``screenshots/`` beside the HTML folder (made when first used)."""
    return SCREENSHOTS


@pytest.fixture(scope="module")
def server():
    """The built book over HTTP on 127.0.0.1; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


#: How long a page may take to show in the browser before a test gives up on it (a loaded CI machine).
OPEN_TIMEOUT = 30

_SHOWN = "return document.readyState === 'complete' && location.href === arguments[0] && !!document.querySelector('main');"


@pytest.fixture
def visit(browser, server):
    """``visit(page)``: open ``page`` of the built book and wait until the browser shows it, loaded, with its ``<main>``.

    ``browser.get`` alone once returned with nothing of the page in the DOM
    (a CI run: the first page of a module had no links at all); a test that
    reads the page after ``visit`` reads the page.
    """
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    def open_page(page: str) -> None:
        url = server + page
        browser.get(url)
        try:
            WebDriverWait(browser, OPEN_TIMEOUT).until(lambda driver: driver.execute_script(_SHOWN, url))
        except TimeoutException:
            pytest.fail(f"{page} did not show within {OPEN_TIMEOUT} s: the browser has {browser.current_url!r}")

    return open_page


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium through Selenium, logging the browser console."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        message = f"{' and '.join(missing)} not found; install them with: {INSTALL}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="book-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        *CHROMIUM_FLAGS,
        f"--user-data-dir={profile}",
        "--window-size=1280,1000",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def axe() -> str:
    """axe-core's script, to inject into each page; skips without it, except under CI."""
    if not AXE.exists():
        message = f"{AXE} not found; install it with: npm ci (Node.js's npm)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


# ------------------------------------------------- scripts several modules run


@dataclass(frozen=True)
class Scripts:
    """The JavaScript that several test modules run in the page; each module keeps its own others."""

    #: Waits (execute_async_script) until every image of the page has loaded or failed.
    wait_for_images: str = """
const done = arguments[arguments.length - 1];
Promise.all([...document.images].map(image => image.complete ? null :
    new Promise(resolve => { image.onload = image.onerror = resolve; })))
  .then(() => done(null));
"""
    #: Every image of the page: its address, its alt text, its width (0 if it did not load).
    images: str = """
return [...document.images].map(image => ({
  src: image.currentSrc || image.src, alt: image.getAttribute("alt"),
  width: image.naturalWidth}));
"""
    #: How many instructor notes the page shows.
    shown_notes: str = """
return [...document.querySelectorAll("div.admonition.instructor")]
  .filter(note => note.offsetParent !== null).length;
"""
    #: How many instructor notes the page holds, shown or not.
    all_notes: str = "return document.querySelectorAll('div.admonition.instructor').length;"


@pytest.fixture(scope="session")
def scripts() -> Scripts:
    """The scripts that several test modules run in the browser."""
    return Scripts()
