"""Open every page of the built book in headless Chromium and check it as a reader would.

For each page: no severe console errors; every image loads and has alt
text that describes it; every link within the site reaches a file that
exists, and an anchor that exists on it; every notebook page has Binder,
Colab and download links, pointing at the repository in ``_config.yml`` and
at files that exist; an episode's download button and Overview box lead only
to its learner notebooks (complete and workbook), which exist and hold no
hidden check; an episode's exercises are numbered 1, 2, 3 ...; a
full-page screenshot is saved in ``screenshots/`` beside the HTML folder
(``_build/screenshots`` for the default build).  Then the instructor view:
notes hidden by default, shown by the switch, remembered from page to page,
always shown on the instructor-notes page.  Then the all-in-one page: every
episode's title in order, every figure of the episodes loaded with the same
alt text, notes hidden, formulas typeset, and its PDF (printed by ``lesson-pdf``)
linked from it and from the landing page.

The book is read from ``BOOK_HTML`` (default ``_build/html``; ``make test``
builds it first) and served over HTTP on 127.0.0.1.  Without Debian's
Chromium and ChromeDriver the tests skip, naming the install command,
except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import functools
import html.parser
import json
import os
import re
import shutil
import tempfile
import threading
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import jupytext
import nbformat
import pytest
from markdown_it import MarkdownIt

from lesson_book.book import CC_BY, ROOT, book_ref, myst_notebooks, read_repository, toc_docnames
from lesson_book.cli.print_pdf import CHROMIUM, CHROMIUM_FLAGS, all_in_one_page, pdf_pages
from lesson_book.model import BUILDS_ON, episode_fields, sibling

HTML = Path(os.environ.get("BOOK_HTML", ROOT / "_build" / "html")).resolve()
SCREENSHOTS = HTML.parent / "screenshots"
CHROMEDRIVER = Path("/usr/bin/chromedriver")
INSTALL = "apt-get update && apt-get install -y chromium chromium-driver  (as root)"
NOT_BUILT = "(no built book)"
BINDER = "https://mybinder.org"
COLAB = "https://colab.research.google.com"
IMAGE_FILE_NAME = re.compile(r"^[\w.\- ]+\.(png|jpe?g|gif|svg|webp)$", re.IGNORECASE)
SKIPPED_FOLDERS = {"_static", "_sources", "_images", "_downloads"}


class _Redirect(html.parser.HTMLParser):
    """Finds the address a page sends the browser on to (``<meta http-equiv="refresh">``)."""

    def __init__(self) -> None:
        super().__init__()
        self.target: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        fields = {key: value or "" for key, value in attrs}
        if tag == "meta" and fields.get("http-equiv", "").lower() == "refresh":
            _, _, url = fields.get("content", "").partition("=")
            self.target = url.strip() or None


def redirect_target(path: Path) -> str | None:
    """The page the HTML file at ``path`` redirects to, or None if it is a page of its own."""
    parser = _Redirect()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.target


def built_pages(html: Path = HTML) -> list[str]:
    """Every HTML page of the book, relative to ``html``, or a marker if it is not built.

    Redirects (the site's ``index.html`` sends the browser on to the root page)
    are left out: the browser leaves them while a test's script runs on them,
    which ends that script.  ``test_index_redirects_to_the_root_page`` checks them.
    """
    if not (html / "index.html").exists():
        return [NOT_BUILT]
    return sorted(
        path.relative_to(html).as_posix()
        for path in html.rglob("*.html")
        if not SKIPPED_FOLDERS & set(path.relative_to(html).parts) and redirect_target(path) is None
    )


def notebook_pages(root: Path = ROOT) -> dict[str, str]:
    """HTML page -> repository path of its paired .ipynb, for every MyST notebook."""
    return {
        source.relative_to(root).with_suffix(".html").as_posix(): source.relative_to(root)
        .with_suffix(".ipynb")
        .as_posix()
        for source in myst_notebooks(root)
    }


def image_alt_problem(alt: str | None, src: str) -> str | None:
    """Why ``alt`` does not describe the image at ``src``, or None if it does."""
    if alt is None or not alt.strip():
        return "has no alt text"
    name = PurePosixPath(urlsplit(src).path).name
    if IMAGE_FILE_NAME.match(alt.strip()) or alt.strip() == name:
        return f"has a file name as alt text ({alt!r})"
    return None


class _Anchors(html.parser.HTMLParser):
    """Collects the ids and names an HTML page offers as link targets."""

    def __init__(self) -> None:
        super().__init__()
        self.anchors: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if key in ("id", "name") and value:
                self.anchors.add(value)


@functools.lru_cache(maxsize=None)
def anchors_of(path: Path) -> frozenset[str]:
    """The ids and names in the HTML file at ``path``."""
    parser = _Anchors()
    parser.feed(path.read_text(encoding="utf-8"))
    return frozenset(parser.anchors)


def link_problem(href: str, base: str, html: Path = HTML) -> str | None:
    """Why a link within the site (an absolute URL under ``base``) is broken, or None."""
    parts = urlsplit(href)
    path = unquote(parts.path)[len(urlsplit(base).path) :].lstrip("/")
    target = html / (path or "index.html")
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    if not target.is_file():
        return f"links to {path!r}, which does not exist"
    fragment = unquote(parts.fragment)
    if fragment and target.suffix == ".html" and fragment not in anchors_of(target):
        return f"links to {path}#{fragment}, an anchor that does not exist"
    return None


#: The page that shows the book's cost: MyST-NB's execution table and the benchmark's tables.
COST_PAGE = "pages/cost.html"
EXEC_TABLE_HEADER = ["Document", "Modified", "Method", "Run Time (s)", "Status"]


def cost_page_problems(tables: list[list[list[str]]], text: str) -> list[str]:
    """What the cost page lacks, given its tables (rows of cell texts) and its text."""
    problems = []
    executed = [table for table in tables if table and table[0] == EXEC_TABLE_HEADER]
    if not executed or len(executed[0]) < 2:
        problems.append("no execution table ({nb-exec-table}) with a row per notebook")
    benchmark = [table for table in tables
                 if table and table[0][:1] == ["notebook"] and "peak MiB" in table[0]]
    if not benchmark or len(benchmark[0]) < 2:
        problems.append("no benchmark table of the notebooks (pages/_bench.md)")
    if "Measured on " not in text:
        problems.append("no machine and date for the benchmark's figures")
    return problems


def built_address() -> tuple[str, str]:
    """``(OWNER/NAME, ref)`` that the built book's links name: _config.yml's, or a release's tag (BOOK_REF)."""
    url, branch = read_repository()
    return urlsplit(url).path.strip("/"), book_ref(branch)


def launch_problems(page: str, hrefs: list[str], ipynb: str) -> list[str]:
    """What is wrong with the Binder, Colab and download links of a notebook page."""
    owner_repo, branch = built_address()
    problems = []
    if not (ROOT / ipynb).is_file():
        problems.append(f"{ipynb} is missing from the repository: run `make notebooks`")
    binder = f"{BINDER}/v2/gh/{owner_repo}/{branch}?urlpath=lab/tree/{ipynb}"
    colab = f"{COLAB}/github/{owner_repo}/blob/{branch}/{ipynb}"
    for name, service, wanted in (("Binder", BINDER, binder), ("Colab", COLAB, colab)):
        if wanted not in hrefs:
            found = [href for href in hrefs if href.startswith(service)]
            problems.append(f"no {name} link to {wanted} (found {found})")
    download = PurePosixPath(page).with_suffix(".ipynb").name
    if not any(href.endswith(f"/_static/learner/{download}") for href in hrefs):
        problems.append(f"no download link to its learner notebook _static/learner/{download}")
    return problems


def address_problems(hrefs: list[str]) -> list[str]:
    """Launch links to another repository than the book's, and a missing licence in the footer."""
    owner_repo, branch = built_address()
    problems = [
        f"{href} opens another repository than {owner_repo}"
        for href in hrefs
        if href.startswith((COLAB, BINDER)) and f"/{owner_repo}/" not in href
    ]
    for licence in (CC_BY, f"https://github.com/{owner_repo}/blob/{branch}/LICENSE.md"):
        if licence not in hrefs:
            problems.append(f"no link to the licence {licence}")
    return problems


def notebook_exercise_titles(path: Path) -> list[str]:
    """The "Exercise N" headings of a learner notebook, in order."""
    notebook = nbformat.read(path, as_version=4)
    markdown = "\n\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    tokens = MarkdownIt("commonmark").parse(markdown)
    return [
        tokens[index + 1].content
        for index, token in enumerate(tokens)
        if token.type == "heading_open" and re.fullmatch(r"Exercise \d+", tokens[index + 1].content)
    ]


def learner_exercise_problems(page: str, titles: list[str]) -> list[str]:
    """Learner notebooks of ``page`` whose exercise headings are not the page's ``titles``."""
    return [
        f"{path} has the exercises {found}, the page {titles}"
        for path in learner_files(page)
        if (found := notebook_exercise_titles(ROOT / path)) != titles
    ]


def exercise_number_problems(titles: list[str]) -> list[str]:
    """What is wrong with a page's exercise numbers (its exercises' "Exercise N" in order)."""
    wanted = [f"Exercise {number}" for number in range(1, len(titles) + 1)]
    if titles != wanted:
        return [f"exercises numbered {titles}, not from 1 on this page ({wanted})"]
    return []


NOTE_PAGE_CLASS = "instructor-always-shown"


def instructor_view_pages(html: Path = HTML) -> tuple[list[str], str | None]:
    """The episodes with instructor notes, in name order, and the page that gathers them."""
    episodes, gathered = [], None
    for page in built_pages(html):
        if page == NOT_BUILT:
            break
        text = (html / page).read_text(encoding="utf-8")
        if NOTE_PAGE_CLASS in text:
            gathered = page
        elif re.search(r'<div class="instructor admonition"', text):
            episodes.append(page)
    return episodes, gathered


# ----------------------------------------------------------------- fixtures


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


#: axe-core, from npm (package.json; `make test` runs `npm ci` before this test).
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def axe() -> str:
    """axe-core's script, to inject into each page; skips without it, except under CI."""
    if not AXE.exists():
        message = f"{AXE} not found; install it with: npm ci (Node.js's npm)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


# -------------------------------------------------------------------- tests

WAIT_FOR_IMAGES = """
const done = arguments[arguments.length - 1];
Promise.all([...document.images].map(image => image.complete ? null :
    new Promise(resolve => { image.onload = image.onerror = resolve; })))
  .then(() => done(null));
"""

IMAGES = """
return [...document.images].map(image => ({
  src: image.currentSrc || image.src, alt: image.getAttribute("alt"),
  width: image.naturalWidth}));
"""

PAGE_HEIGHT = """
const sidebar = document.querySelector(".bd-sidebar-primary");
return Math.max(document.documentElement.scrollHeight,
                sidebar ? sidebar.scrollHeight + 70 : 0);
"""

LINKS = """
return [...document.querySelectorAll("a[href]")].map(a => a.href);
"""

# The exercise numbers of each episode on the page: the all-in-one page holds
# several episodes (div.all-episodes-episode), each numbered from 1.
EXERCISE_NUMBERS = """
const episodes = document.querySelectorAll("div.all-episodes-episode");
return [...(episodes.length ? episodes : [document])].map(episode =>
  [...episode.querySelectorAll("div.exercise > .admonition-title .caption-number")]
    .map(span => span.textContent.trim()));
"""

TABLES = """
return [...document.querySelectorAll("main table")].map(table =>
  [...table.rows].map(row => [...row.cells].map(cell => cell.innerText.trim())));
"""


@pytest.mark.parametrize("page", built_pages())
def test_page(page: str, browser, server) -> None:
    assert page != NOT_BUILT, f"no built book in {HTML}: run `make book` first"
    browser.get_log("browser")  # drop anything left from the page before
    browser.get(server + page)
    browser.set_script_timeout(30)
    browser.execute_async_script(WAIT_FOR_IMAGES)
    problems: list[str] = []

    for entry in browser.get_log("browser"):
        if entry["level"] == "SEVERE":
            problems.append(f"console error: {entry['message']}")

    for image in browser.execute_script(IMAGES):
        if not image["width"]:
            problems.append(f"image {image['src']} did not load")
        reason = image_alt_problem(image["alt"], image["src"])
        if reason:
            problems.append(f"image {image['src']} {reason}")

    hrefs = browser.execute_script(LINKS)
    for href in hrefs:
        if href.startswith(server):
            reason = link_problem(href, server)
            if reason:
                problems.append(reason)

    problems += address_problems(hrefs)
    launch = notebook_pages()
    if page in launch:
        problems += launch_problems(page, hrefs, launch[page])
        if page.startswith("lessons/"):
            learner = [href for href in hrefs if "/_static/learner/" in href]
            if not learner:
                problems.append("no learner notebook link")

    for numbers in browser.execute_script(EXERCISE_NUMBERS):
        problems += exercise_number_problems(numbers)
    if page in launch:  # "do exercise 3" means the same exercise in the learner notebooks
        (numbers,) = browser.execute_script(EXERCISE_NUMBERS)
        problems += learner_exercise_problems(page, numbers)

    if page == COST_PAGE:
        text = browser.execute_script("return document.querySelector('main').innerText;")
        problems += cost_page_problems(browser.execute_script(TABLES), text)

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = browser.execute_script(PAGE_HEIGHT)
    browser.set_window_size(1280, min(max(height, 800), 16000))
    browser.save_screenshot(str(SCREENSHOTS / (page[:-5].replace("/", "__") + ".png")))
    browser.set_window_size(1280, 1000)

    assert not problems, f"{page}:\n  " + "\n  ".join(problems)


# WCAG 2.1, levels A and AA: the rules axe-core runs; a serious or critical violation fails.
# label-content-name-mismatch (WCAG 2.5.3, Label in Name) is one of them that axe
# leaves off unless asked, as experimental: it is turned on (the theme's search and
# colour-mode buttons failed it; lesson_book.extension.workarounds, 6).
AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
                   rules: {"label-content-name-mismatch": {enabled: true}}})
  .then(result => done(result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(node => node.target.join(" ")).slice(0, 5), count: v.nodes.length,
  }))));
"""

# The web fonts, then the theme's measuring of scrollable outputs (300 ms after a
# resize, which static/theme-fixes.js sends once the fonts are ready).
WAIT_FOR_FONTS = """
const done = arguments[arguments.length - 1];
document.fonts.ready.then(() => setTimeout(done, 600));
"""

# The colour mode a reader's system asks for (the book follows it, default_mode
# auto): the theme reads it into data-theme, which is what is set here.
SET_MODE = "document.documentElement.dataset.theme = arguments[0];"


def accessibility_problems(violations: list[dict]) -> list[str]:
    """axe-core's serious and critical violations, one line each."""
    return [
        f"{v['impact']} {v['id']} ({v['help']}): {v['count']} element(s), e.g. {', '.join(v['nodes'])}"
        for v in violations if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("page", built_pages())
def test_accessibility(page: str, mode: str, browser, server, axe) -> None:
    """axe-core finds no serious or critical WCAG 2.1 A/AA violation, in either colour mode."""
    assert page != NOT_BUILT, f"no built book in {HTML}: run `make book` first"
    browser.get(server + page)
    browser.set_script_timeout(60)
    browser.execute_async_script(WAIT_FOR_IMAGES)
    browser.execute_script(SET_MODE, mode)
    browser.execute_async_script(WAIT_FOR_FONTS)
    browser.execute_script(axe)
    problems = accessibility_problems(browser.execute_async_script(AXE_RUN))
    if mode == "dark":  # the light screenshot is test_page's
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(SCREENSHOTS / (page[:-5].replace("/", "__") + "--dark.png")))
    assert not problems, f"{page} ({mode}):\n  " + "\n  ".join(problems)


LEARNER_LINKS = """
const box = document.querySelector("div.episode-overview");
const pairs = anchors => [...anchors].map(a => [a.textContent.trim(), a.href]);
return {
  menu: pairs(document.querySelectorAll(".dropdown-download-buttons .dropdown-menu a[href]")),
  box: box ? pairs(box.querySelectorAll("a[href]")) : [],
};
"""


def learner_files(page: str, html: Path = HTML) -> dict[str, str]:
    """The learner notebooks a notebook page should offer: repository path -> path in the site."""
    docname = page[: -len(".html")]
    name = PurePosixPath(docname).name + ".ipynb"
    found = {f"{PurePosixPath(docname).parent}/{name}": f"_static/learner/{name}"}
    if docname.startswith("lessons/"):
        found[f"lessons/workbooks/{name}"] = f"_static/learner/workbooks/{name}"
    return found


def builds_on_pages(page: str, base: str) -> set[str]:
    """The pages of the episodes ``page`` builds on (front matter ``builds-on``), as the Overview links them."""
    docname = page[: -len(".html")]
    fields = episode_fields(jupytext.read(ROOT / f"{docname}.md").metadata) or {}
    return {f"{base}{sibling(docname, name)}.html" for name in fields.get(BUILDS_ON, [])}


def learner_link_problems(page: str, menu: list[str], box: list[str], base: str) -> list[str]:
    """What is wrong with the download menu's and the Overview box's links of a notebook page.

    The Overview box links the page's learner notebooks, their Colab and Binder
    launches, and the episodes the page builds on; nothing else.
    """
    owner_repo, branch = built_address()
    wanted = learner_files(page)
    downloads = {base + path for path in wanted.values()}
    problems = []
    if set(menu) != downloads:
        problems.append(f"the download menu offers {sorted(menu)}, not {sorted(downloads)}")
    if page.startswith("lessons/"):
        launch = {
            href for path in wanted for href in (
                f"{COLAB}/github/{owner_repo}/blob/{branch}/{path}",
                f"{BINDER}/v2/gh/{owner_repo}/{branch}?urlpath=lab/tree/{path}",
            )
        }
        expected = downloads | launch | builds_on_pages(page, base)
        if set(box) != expected:
            problems.append(f"the Overview box links {sorted(set(box))}, not {sorted(expected)}")
    for repository_path, site_path in wanted.items():
        for where, path in (("repository", ROOT / repository_path), ("site", HTML / site_path)):
            if not path.is_file():
                problems.append(f"{path} is missing from the {where}")
                continue
            notebook = json.loads(path.read_text(encoding="utf-8"))
            for cell in notebook["cells"]:
                source = "".join(cell["source"])
                tags = cell["metadata"].get("tags", [])
                if "remove-cell" in tags and "%pip install" not in source:
                    problems.append(f"{path} holds a hidden check: {source[:60]!r}")
                if "Instructor note" in source:
                    problems.append(f"{path} holds an instructor note")
    return problems


@pytest.mark.parametrize("page", sorted(notebook_pages()))
def test_learner_notebook_links(page: str, browser, server) -> None:
    """The download menu and the Overview box lead only to the page's learner notebooks."""
    from selenium.webdriver.common.by import By

    browser.get(server + page)
    found = browser.execute_script(LEARNER_LINKS)
    menu = [href for _, href in found["menu"]]
    box = [href for _, href in found["box"]]
    problems = learner_link_problems(page, menu, box, server)
    if page == "lessons/mnist-exercise.html":  # a picture of both, to look at
        browser.find_element(By.CSS_SELECTOR, ".dropdown-download-buttons > button").click()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(SCREENSHOTS / "learner-links.png"))
    assert not problems, f"{page}:\n  " + "\n  ".join(problems)


SHOWN_NOTES = """
return [...document.querySelectorAll("div.admonition.instructor")]
  .filter(note => note.offsetParent !== null).length;
"""
ALL_NOTES = "return document.querySelectorAll('div.admonition.instructor').length;"
SWITCH = "instructor-view-switch"


def _switch(browser):
    from selenium.webdriver.common.by import By

    return browser.find_element(By.ID, SWITCH)


def _open(browser, url: str) -> tuple[int, int]:
    """Open ``url``; the numbers of its instructor notes shown and in all."""
    browser.get(url)
    return browser.execute_script(SHOWN_NOTES), browser.execute_script(ALL_NOTES)


def test_instructor_view_switch(browser, server) -> None:
    """Notes hidden by default; the switch shows them, on every page, until it is switched off."""
    episodes, gathered = instructor_view_pages()
    assert len(episodes) >= 2 and gathered, f"no episodes with notes or no notes page in {HTML}"
    first, second = episodes[:2]
    browser.get(server + first)
    browser.execute_script("window.localStorage.removeItem('lesson-book-instructor-view');")
    browser.get_log("browser")

    shown, total = _open(browser, server + first)
    assert total and shown == 0, f"{first}: {shown} of {total} notes shown by default"
    switch = _switch(browser)
    assert switch.tag_name == "button" and switch.text == "Instructor view"
    assert switch.get_attribute("aria-pressed") == "false"
    assert switch.is_displayed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / "instructor-view-off.png"))
    switch.click()
    assert switch.get_attribute("aria-pressed") == "true"
    assert browser.execute_script(SHOWN_NOTES) == total
    note = browser.execute_script(
        "const n = document.querySelector('div.admonition.instructor');"
        "n.scrollIntoView({block: 'center'}); return n.offsetParent !== null;"
    )
    assert note
    browser.save_screenshot(str(SCREENSHOTS / "instructor-view-on.png"))

    shown, total = _open(browser, server + second)
    assert total and shown == total, f"{second}: the choice was not remembered ({shown}/{total})"
    assert _switch(browser).get_attribute("aria-pressed") == "true"

    shown, total = _open(browser, server + gathered)
    assert total and shown == total, f"{gathered}: {shown} of {total} notes shown with the view on"
    _switch(browser).click()  # off, on the notes page itself
    assert _switch(browser).get_attribute("aria-pressed") == "false"
    assert browser.execute_script(SHOWN_NOTES) == total, f"{gathered} hid its notes"

    shown, total = _open(browser, server + first)
    assert total and shown == 0, f"{first}: {shown} of {total} notes shown after switching off"
    assert _switch(browser).get_attribute("aria-pressed") == "false"
    errors = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors


def test_index_redirects_to_the_root_page(browser, server) -> None:
    """The site's address opens the table of contents' root page, in the browser too."""
    assert HTML.joinpath("index.html").exists(), f"no built book in {HTML}: run `make book`"
    root = toc_docnames()[0] + ".html"
    assert redirect_target(HTML / "index.html") == root
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server)
    WebDriverWait(browser, 30).until(lambda driver: driver.current_url == server + root)


def test_redirect_target_reads_the_refresh_address(tmp_path):
    page = tmp_path / "index.html"
    page.write_text('<html><head><meta http-equiv="Refresh" content="0; url=intro.html" /></head></html>')
    assert redirect_target(page) == "intro.html"
    page.write_text('<html><head><meta charset="utf-8"></head><body><p>home</p></body></html>')
    assert redirect_target(page) is None
    assert built_pages(tmp_path) == ["index.html"]


def test_every_notebook_page_is_in_the_book() -> None:
    """Each MyST notebook in the notebook folders is a page of the built book."""
    assert HTML.joinpath("index.html").exists(), f"no built book in {HTML}: run `make book`"
    missing = [page for page in notebook_pages() if not (HTML / page).exists()]
    assert not missing, f"notebooks not in the book (add them to _toc.yml): {missing}"


# ------------------------------------------------------- the all-in-one page and its PDF

#: An episode's page shows its Overview box (lesson_book.extension.boxes); the all-in-one page shows them all.
OVERVIEW = 'class="episode-overview admonition"'
ALL_EPISODES = 'class="all-episodes docutils container"'


def episode_pages(order: list[str], html: Path = HTML) -> list[str]:
    """The built episode pages, in the reading order ``order`` (docnames)."""
    found = []
    for docname in order:
        path = html / f"{docname}.html"
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            if OVERVIEW in text and ALL_EPISODES not in text:
                found.append(f"{docname}.html")
    return found


EPISODE_TITLE = """
const heading = document.querySelector("main h1").cloneNode(true);
heading.querySelectorAll("a.headerlink").forEach(link => link.remove());
return heading.textContent.trim();
"""

EPISODE_TITLES_ON_PAGE = """
return [...document.querySelectorAll("div.all-episodes-episode")].map(episode => {
  const heading = episode.querySelector("h2").cloneNode(true);
  heading.querySelectorAll("a.headerlink").forEach(link => link.remove());
  return heading.textContent.trim();
});
"""

# The images of the page's text (not the header's launch-button logos).
ARTICLE_IMAGES = IMAGES.replace("document.images", 'document.querySelectorAll("article img")')

# The formulas MathJax typeset on the page, once it has finished.
FORMULAS = """
const done = arguments[arguments.length - 1];
const count = () => done(document.querySelectorAll("mjx-container").length);
if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
  MathJax.startup.promise.then(count);
} else {
  count();
}
"""

PDF_LINKS = "return [...document.querySelectorAll('a.all-in-one-pdf')].map(a => a.href);"


def test_all_in_one_page_has_every_episode_its_figures_and_a_pdf(browser, server) -> None:
    """Every episode's title in order, every figure loaded with its alt text, notes hidden,
    every formula typeset, and the PDF, linked from the page and the landing page."""
    page = all_in_one_page(HTML).relative_to(HTML).as_posix()
    episodes = episode_pages(toc_docnames())
    assert len(episodes) >= 2, f"no episode pages in {HTML}"
    titles, images, notes, formulas = [], [], 0, 0
    for episode in episodes:
        browser.get(server + episode)
        browser.set_script_timeout(30)
        browser.execute_async_script(WAIT_FOR_IMAGES)
        titles.append(browser.execute_script(EPISODE_TITLE))
        images += browser.execute_script(ARTICLE_IMAGES)
        notes += browser.execute_script(ALL_NOTES)
        formulas += browser.execute_async_script(FORMULAS)

    browser.execute_script("window.localStorage.removeItem('lesson-book-instructor-view');")
    browser.get(server + page)
    browser.execute_async_script(WAIT_FOR_IMAGES)
    assert browser.execute_script(EPISODE_TITLES_ON_PAGE) == titles
    found = browser.execute_script(ARTICLE_IMAGES)
    assert len(found) == len(images) and len(images) > len(episodes)
    assert [image["src"] for image in found] == [image["src"] for image in images]
    assert [image["alt"] for image in found] == [image["alt"] for image in images]
    not_loaded = [image["src"] for image in found if not image["width"]]
    assert not not_loaded, f"images that did not load on {page}: {not_loaded}"
    assert all(image["alt"] and image["alt"].strip() for image in found)
    assert browser.execute_script(ALL_NOTES) == notes > 0
    assert browser.execute_script(SHOWN_NOTES) == 0, "instructor notes shown by default"
    assert browser.execute_async_script(FORMULAS) == formulas, "formulas not typeset"

    pdf_links = set(browser.execute_script(PDF_LINKS))
    browser.get(server + "intro.html")
    pdf_links |= set(browser.execute_script(PDF_LINKS))
    assert pdf_links == {server + "all-in-one.pdf"}, pdf_links
    with urllib.request.urlopen(server + "all-in-one.pdf") as response:
        assert response.headers["Content-Type"] == "application/pdf"
        pages = pdf_pages(response.read())
    # Each episode starts on a new page; more than 15 pages an episode would
    # mean figures or code blocks pushed one to a page.
    assert len(episodes) < pages <= 15 * len(episodes), f"{pages} pages for {len(episodes)} episodes"


# ------------------------------------------------- the helpers, without a browser


@pytest.mark.parametrize(
    ("alt", "problem"),
    [
        ("Twenty handwritten digits.", None),
        (None, "has no alt text"),
        ("  ", "has no alt text"),
        ("figure.png", "has a file name as alt text ('figure.png')"),
        ("abc123.PNG", "has a file name as alt text ('abc123.PNG')"),
        ("d55e375d", "has a file name as alt text ('d55e375d')"),
    ],
)
def test_image_alt_problem(alt, problem):
    assert image_alt_problem(alt, "http://127.0.0.1:1/_images/d55e375d") == problem


def test_link_problem_finds_missing_files_and_anchors(tmp_path):
    (tmp_path / "index.html").write_text('<p id="top">x</p>', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "page.html").write_text('<h2 id="a-b">x</h2><a name="n"></a>')
    base = "http://127.0.0.1:9/"
    assert link_problem(base + "sub/page.html#a-b", base, tmp_path) is None
    assert link_problem(base + "sub/page.html#n", base, tmp_path) is None
    assert link_problem(base + "#top", base, tmp_path) is None
    assert link_problem(base + "sub/page.html", base, tmp_path) is None
    assert "does not exist" in link_problem(base + "sub/gone.html", base, tmp_path)
    assert "anchor" in link_problem(base + "sub/page.html#nope", base, tmp_path)
    assert "does not exist" in link_problem(base + "sub/", base, tmp_path)


def test_launch_problems_accepts_the_right_links_and_names_wrong_ones():
    owner_repo, branch = built_address()
    ipynb = "lessons/mnist-exercise.ipynb"
    good = [
        f"{BINDER}/v2/gh/{owner_repo}/{branch}?urlpath=lab/tree/{ipynb}",
        f"{COLAB}/github/{owner_repo}/blob/{branch}/{ipynb}",
        "http://127.0.0.1:9/_static/learner/mnist-exercise.ipynb",
    ]
    assert launch_problems("lessons/mnist-exercise.html", good, ipynb) == []
    wrong = [good[0].replace(branch, "other-branch"), good[1].replace(".ipynb", ".md")]
    problems = launch_problems("lessons/mnist-exercise.html", wrong, ipynb)
    assert [problem.split(" link")[0] for problem in problems[:2]] == ["no Binder", "no Colab"]
    assert "no download link" in problems[2]


def test_learner_link_problems_want_both_notebooks_and_nothing_else():
    base = "http://127.0.0.1:9/"
    owner_repo, branch = built_address()
    menu = [base + "_static/learner/pooling.ipynb", base + "_static/learner/workbooks/pooling.ipynb"]
    launch = [
        f"{COLAB}/github/{owner_repo}/blob/{branch}/lessons/{path}"
        for path in ("pooling.ipynb", "workbooks/pooling.ipynb")
    ] + [
        f"{BINDER}/v2/gh/{owner_repo}/{branch}?urlpath=lab/tree/lessons/{path}"
        for path in ("pooling.ipynb", "workbooks/pooling.ipynb")
    ]
    builds_on = [base + "lessons/convolution.html"]  # pooling's front matter: builds-on
    problems = learner_link_problems("lessons/pooling.html", menu, menu + launch + builds_on, base)
    assert not [p for p in problems if "menu" in p or "box" in p]
    problems = learner_link_problems("lessons/pooling.html", menu, menu + launch, base)
    assert any("Overview box links" in p for p in problems)  # the episode it builds on is missing
    with_source = menu + [base + "_sources/lessons/pooling.md"]
    problems = learner_link_problems("lessons/pooling.html", with_source, menu, base)
    assert any("download menu offers" in p for p in problems)
    assert any("Overview box links" in p for p in problems)


def test_address_problems_want_the_books_repository_and_its_licences():
    owner_repo, branch = built_address()
    licences = [CC_BY, f"https://github.com/{owner_repo}/blob/{branch}/LICENSE.md"]
    ours = f"{COLAB}/github/{owner_repo}/blob/{branch}/lessons/pooling.ipynb"
    assert address_problems([ours, *licences]) == []
    theirs = f"{BINDER}/v2/gh/someone/else/{branch}?urlpath=lab/tree/lessons/pooling.ipynb"
    assert address_problems([theirs, *licences]) == [f"{theirs} opens another repository than {owner_repo}"]
    assert address_problems([ours, licences[0]]) == [f"no link to the licence {licences[1]}"]


def test_learner_exercise_problems_compare_each_notebooks_headings_with_the_page():
    titles = notebook_exercise_titles(ROOT / "lessons" / "workbooks" / "pooling.ipynb")
    assert titles[:2] == ["Exercise 1", "Exercise 2"]
    assert learner_exercise_problems("lessons/pooling.html", titles) == []
    problems = learner_exercise_problems("lessons/pooling.html", titles[:-1])
    assert [problem.split(" has ")[0] for problem in problems] == ["lessons/pooling.ipynb", "lessons/workbooks/pooling.ipynb"]


def test_accessibility_problems_keep_serious_and_critical_violations():
    violations = [
        {"id": "color-contrast", "impact": "serious", "help": "Contrast", "nodes": ["span"], "count": 3},
        {"id": "region", "impact": "moderate", "help": "Landmarks", "nodes": ["div"], "count": 1},
        {"id": "button-name", "impact": "critical", "help": "Names", "nodes": ["#b", "#c"], "count": 2},
    ]
    assert accessibility_problems(violations) == [
        "serious color-contrast (Contrast): 3 element(s), e.g. span",
        "critical button-name (Names): 2 element(s), e.g. #b, #c",
    ]


def test_exercise_number_problems_want_one_two_three():
    assert exercise_number_problems([]) == []
    assert exercise_number_problems(["Exercise 1", "Exercise 2"]) == []
    assert exercise_number_problems(["Exercise 18", "Exercise 19"]) == [
        "exercises numbered ['Exercise 18', 'Exercise 19'], not from 1 on this page "
        "(['Exercise 1', 'Exercise 2'])"
    ]


def test_instructor_view_pages_finds_episodes_with_notes_and_the_gathering_page(tmp_path):
    (tmp_path / "index.html").write_text("<p>home</p>")
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "b.html").write_text('<div class="instructor admonition">')
    (tmp_path / "lessons" / "a.html").write_text('<div class="instructor admonition">')
    (tmp_path / "lessons" / "c.html").write_text('<div class="note admonition">')
    gathered = '<div class="instructor instructor-always-shown admonition">'
    (tmp_path / "notes.html").write_text(gathered)
    assert instructor_view_pages(tmp_path) == (["lessons/a.html", "lessons/b.html"], "notes.html")


def test_cost_page_problems_want_both_tables_and_where_the_figures_came_from():
    executed = [EXEC_TABLE_HEADER, ["lessons/pooling", "2026-11-30 10:00", "cache", "11.2", "✅"]]
    benchmark = [["notebook", "wall s", "peak MiB", "result"],
                 ["lessons/pooling.md", "11.1", "901.0", "PASS"]]
    text = "Measured on 2026-11-21: a CPU, 2 cores."
    assert cost_page_problems([executed, benchmark], text) == []
    assert cost_page_problems([executed[:1], benchmark], text) == [
        "no execution table ({nb-exec-table}) with a row per notebook"
    ]
    assert cost_page_problems([executed], "") == [
        "no benchmark table of the notebooks (pages/_bench.md)",
        "no machine and date for the benchmark's figures",
    ]


def test_episode_pages_are_the_pages_with_an_overview_box_in_reading_order(tmp_path):
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "b.html").write_text(f"<div {OVERVIEW}>")
    (tmp_path / "lessons" / "a.html").write_text(f"<div {OVERVIEW}>")
    (tmp_path / "intro.html").write_text("<p>home</p>")
    (tmp_path / "all.html").write_text(f"<div {ALL_EPISODES}><div {OVERVIEW}>")
    order = ["intro", "lessons/b", "lessons/a", "all", "lessons/gone"]
    assert episode_pages(order, tmp_path) == ["lessons/b.html", "lessons/a.html"]
