"""Checks of a built HTML book as a reader meets it: its pages, links, images' alt text, launch and learner links, exercise numbers.

Each function here reads the built site (``_build/html``, or ``BOOK_HTML``)
or what a browser found on one of its pages, and says what is wrong, without
a browser of its own: the browser tests (``tests/browser``) open the pages in
headless Chromium and hand what they see to these checks, and
``tests/tooling/test_site.py`` tries the checks on small made-up sites.
Nothing else in the tooling imports this module.
"""

from __future__ import annotations

import functools
import html.parser
import json
import os
import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import jupytext
import nbformat
from markdown_it import MarkdownIt

from lesson_book.book import CC_BY, ROOT, book_ref, myst_notebooks, read_repository
from lesson_book.learner import front_matter, learner_path, repository_path, versions
from lesson_book.model import BUILDS_ON, episode_fields, sibling

#: The environment variable that names the built book's HTML folder (default ``_build/html``).
BOOK_HTML = "BOOK_HTML"
#: What :func:`built_pages` gives when there is no built book: one case, which fails and says so.
NOT_BUILT = "(no built book)"
BINDER = "https://mybinder.org"
COLAB = "https://colab.research.google.com"
IMAGE_FILE_NAME = re.compile(r"^[\w.\- ]+\.(png|jpe?g|gif|svg|webp)$", re.IGNORECASE)
SKIPPED_FOLDERS = {"_static", "_sources", "_images", "_downloads"}


def book_html() -> Path:
    """The built book's HTML folder: ``BOOK_HTML`` if set, else ``_build/html`` of the repository."""
    return Path(os.environ.get(BOOK_HTML, ROOT / "_build" / "html")).resolve()


# ------------------------------------------------------------- pages and links


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


def built_pages(html: Path) -> list[str]:
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


def link_problem(href: str, base: str, html: Path) -> str | None:
    """Why a link within the site (an absolute URL under ``base``, served from ``html``) is broken, or None."""
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


def accessibility_problems(violations: list[dict]) -> list[str]:
    """axe-core's serious and critical violations, one line each."""
    return [
        f"{v['impact']} {v['id']} ({v['help']}): {v['count']} element(s), e.g. {', '.join(v['nodes'])}"
        for v in violations if v["impact"] in ("serious", "critical")
    ]


# ------------------------------------------------------- launch and learner links


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


def learner_files(page: str, root: Path = ROOT) -> dict[str, str]:
    """The learner notebooks a notebook page should offer: repository path -> path in the site."""
    docname = page[: -len(".html")]
    return {
        repository_path(docname, version): learner_path(docname, version)
        for version in versions(front_matter(Path(root) / f"{docname}.md"))
    }


def builds_on_pages(page: str, base: str) -> set[str]:
    """The pages of the episodes ``page`` builds on (front matter ``builds-on``), as the Overview links them."""
    docname = page[: -len(".html")]
    fields = episode_fields(jupytext.read(ROOT / f"{docname}.md").metadata) or {}
    return {f"{base}{sibling(docname, name)}.html" for name in fields.get(BUILDS_ON, [])}


def learner_link_problems(page: str, menu: list[str], box: list[str], base: str, html: Path) -> list[str]:
    """What is wrong with the download menu's and the Overview box's links of a notebook page.

    The Overview box links the page's learner notebooks, their Colab and Binder
    launches, and the episodes the page builds on; nothing else.  The notebooks
    must be in the repository and in the site (``html``), with no hidden check.
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
    for kept_path, site_path in wanted.items():
        for where, path in (("repository", ROOT / kept_path), ("site", html / site_path)):
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


# ------------------------------------------------------------------ exercises


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


# ------------------------------------------- instructor notes and the all-in-one page

NOTE_PAGE_CLASS = "instructor-always-shown"


def instructor_view_pages(html: Path) -> tuple[list[str], str | None]:
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


#: An episode's page shows its Overview box (lesson_book.extension.boxes); the all-in-one page shows them all.
OVERVIEW = 'class="episode-overview admonition"'
ALL_EPISODES = 'class="all-episodes docutils container"'


def episode_pages(order: list[str], html: Path) -> list[str]:
    """The built episode pages, in the reading order ``order`` (docnames)."""
    found = []
    for docname in order:
        path = html / f"{docname}.html"
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            if OVERVIEW in text and ALL_EPISODES not in text:
                found.append(f"{docname}.html")
    return found
