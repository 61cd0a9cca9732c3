"""Tests of ``lesson_book.extension.all_in_one``: every episode on one page, and the link to its PDF.

The pure functions are tested directly; the page by building the book in
``tests/roots/test-one-page-book`` (two episodes, listed in the opposite of
their file names' order, with figures, links between them, a footnote, an
instructor note and exercises) with Sphinx's testing fixtures.
"""

from __future__ import annotations

import html.parser
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from docutils import nodes
from sphinx.util.docutils import is_directive_registered, is_role_registered

from lesson_book.extension import all_in_one

# ------------------------------------------------------------ ids and links


def test_episode_id_is_the_docname_as_an_id():
    assert all_in_one.episode_id("lessons/pooling") == "lessons-pooling"
    assert all_in_one.episode_id("lessons/Final_Model") == "lessons-final-model"


def test_prefix_ids_renames_ids_and_every_reference_to_them():
    tree = nodes.section(ids=["start", "first-start"])
    tree += nodes.footnote_reference("", "1", ids=["id1"], refid="note")
    tree += nodes.footnote("", ids=["note"], backrefs=["id1"])
    tree += nodes.reference("", "out", refuri="https://example.org")
    all_in_one.prefix_ids(tree, "lessons-one")
    assert tree["ids"] == ["lessons-one--start", "lessons-one--first-start"]
    assert (tree[0]["ids"], tree[0]["refid"]) == (["lessons-one--id1"], "lessons-one--note")
    assert (tree[1]["ids"], tree[1]["backrefs"]) == (["lessons-one--note"], ["lessons-one--id1"])
    assert "refid" not in tree[2] and tree[2]["refuri"] == "https://example.org"


ANCHORS = {"lessons/one.html": "lessons-one", "lessons/two.html": "lessons-two"}


@pytest.mark.parametrize(
    ("refuri", "wanted"),
    [
        ("#start", "#lessons-one--start"),  # within the episode
        ("two.html", "#lessons-two"),  # another episode on the page
        ("two.html#the-end", "#lessons-two--the-end"),
        ("../lessons/two.html#x", "#lessons-two--x"),
        ("../glossary.html#term-stride", "../glossary.html#term-stride"),  # a page not on it
        ("../_static/learner/one.ipynb", "../_static/learner/one.ipynb"),
        ("../genindex.html", "../genindex.html"),
        ("https://keras.io/api/#layers", "https://keras.io/api/#layers"),
        ("mailto:someone@example.org", "mailto:someone@example.org"),
        ("/absolute/path.html", "/absolute/path.html"),
    ],
)
def test_retarget_aims_a_link_from_the_all_in_one_page(refuri, wanted):
    assert all_in_one.retarget(refuri, "lessons/one.html", "reference/all.html", ANCHORS) == wanted


def test_retarget_from_a_page_at_the_root_and_deeper():
    assert all_in_one.retarget("../glossary.html", "lessons/one.html", "all.html", ANCHORS) == (
        "glossary.html"
    )
    assert all_in_one.retarget("three.html#a", "lessons/one.html", "a/b/all.html", ANCHORS) == (
        "../../lessons/three.html#a"
    )


def test_prefixed_numbers_keep_each_number_under_the_prefixed_id():
    numbers = {"exercise": {"ex-a": (1,), "ex-b": (2,)}, "figure": {"id1": (4,)}}
    assert all_in_one.prefixed_numbers(numbers, "lessons-one") == {
        "exercise": {"lessons-one--ex-a": (1,), "lessons-one--ex-b": (2,)},
        "figure": {"lessons-one--id1": (4,)},
    }


def test_page_toc_is_the_title_with_the_episodes_under_it():
    toc = all_in_one.page_toc("All", [("One", "lessons-one"), ("Two", "lessons-two")])
    links = [(ref.astext(), ref["refuri"]) for ref in toc.findall(nodes.reference)]
    assert links == [("All", "#"), ("One", "#lessons-one"), ("Two", "#lessons-two")]
    assert len(list(toc.findall(nodes.bullet_list))) == 2  # the episodes nested under the title


def test_episodes_on_page_reads_the_episode_blocks_in_order():
    page = nodes.section()
    for anchor, title in (("lessons-two", "Two"), ("lessons-one", "One")):
        block = nodes.container(ids=[anchor], classes=[all_in_one.EPISODE_CLASS])
        block += nodes.section("", nodes.title(title, title))
        page += block
    page += nodes.container(ids=["other"], classes=["cell"])
    assert all_in_one.episodes_on_page(page) == [("Two", "lessons-two"), ("One", "lessons-one")]


# ------------------------------------------------------------ the built page

class _Page(html.parser.HTMLParser):
    """The ids, links, images and h2 headings of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.images: list[tuple[str, str | None]] = []
        self.h2: list[str] = []
        self._in_h2 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.append(found["id"])
        if tag == "a" and found.get("href"):
            self.hrefs.append(found["href"])
        if tag == "img":
            self.images.append((found.get("src") or "", found.get("alt")))
        if tag == "h2":
            self._in_h2 = True
            self.h2.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":
            self._in_h2 = False

    def handle_data(self, data: str) -> None:
        if self._in_h2:
            self.h2[-1] += data


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture
def one_page_book(app) -> Path:
    """The HTML folder of tests/roots/test-one-page-book, built once, without a warning."""
    app.build()
    assert app.warning.getvalue() == ""
    return Path(app.outdir)


def _main(text: str) -> str:
    return text[text.index("<article") : text.index("</article>")]


def on_the_book(test):
    """Run ``test`` on tests/roots/test-one-page-book, built once for all such tests."""
    test = pytest.mark.sphinx("html", testroot="one-page-book")(test)
    return pytest.mark.test_params(shared_result="one-page-book")(test)


@on_the_book
def test_the_extension_registers_the_directive_the_role_and_the_hooks(app, one_page_book):
    assert is_directive_registered("all-episodes") and is_role_registered("all-in-one-pdf")
    for event in ("doctree-resolved", "html-page-context"):
        modules = {listener.handler.__module__ for listener in app.events.listeners[event]}
        assert "lesson_book.extension.all_in_one" in modules, event
    # The page is known as one to read again when any episode changes (see the incremental test below).
    assert app.env.lesson_book_all_in_one_pages == {"reference/all"}


@on_the_book
def test_the_page_holds_every_episode_in_the_order_of_the_toc(one_page_book):
    main = _main((one_page_book / "reference" / "all.html").read_text(encoding="utf-8"))
    page = _Page()
    page.feed(main)
    assert [title.rstrip("#") for title in page.h2] == ["The second episode", "The first episode"]
    assert main.index('id="lessons-second"') < main.index('id="lessons-first"')
    for text in ("Draw it again.", "Draw a dot.", "Overview", "Key points", "A point."):
        assert text in main
    # Each episode's exercises are numbered as on its own page; the figure keeps its number.
    assert main.count('<span class="caption-number">Exercise 1 </span>') == 2
    assert '<span class="caption-number">Fig. 1 </span>' in main


@on_the_book
def test_ids_are_unique_and_every_link_reaches_its_target(one_page_book):
    path = one_page_book / "reference" / "all.html"
    page = _parse(path)
    repeated = [name for name, count in Counter(page.ids).items() if count > 1]
    assert not repeated
    assert {"lessons-first--start", "lessons-second--start"} <= set(page.ids)
    for href in page.hrefs:
        if re.match(r"[a-z]+:", href):
            continue
        target, _, anchor = href.partition("#")
        file = (path.parent / target).resolve() if target else path
        if file.name == all_in_one.PDF:  # printed after the build, by lesson-pdf
            assert file == (one_page_book / all_in_one.PDF).resolve()
            continue
        assert file.is_file(), href
        if anchor:
            assert anchor in _parse(file).ids, href
    links = set(page.hrefs)
    # Between the episodes and within one: anchors on this page.
    assert {"#lessons-second", "#lessons-first", "#lessons-second--second-label"} <= links
    assert {"#lessons-first--first-start", "#lessons-second--second-ex"} <= links
    # Elsewhere in the book: relative to this page.
    assert {"../glossary.html#term-stride", "../glossary.html"} <= links
    assert "../_static/learner/first.ipynb" in links


@on_the_book
def test_figures_keep_their_alt_text_and_load_from_the_page(one_page_book):
    path = one_page_book / "reference" / "all.html"
    images = _parse(path).images
    assert [alt for _, alt in images] == ["The same dot, in a figure.", "A black dot."]
    for src, _ in images:
        assert (path.parent / src).resolve().is_file(), src
    on_episodes = _parse(one_page_book / "lessons" / "first.html").images
    on_episodes += _parse(one_page_book / "lessons" / "second.html").images
    assert sorted(alt for _, alt in on_episodes) == sorted(alt for _, alt in images)


@on_the_book
def test_instructor_notes_come_along_for_the_instructor_view_to_hide(one_page_book):
    main = _main((one_page_book / "reference" / "all.html").read_text(encoding="utf-8"))
    assert main.count('<div class="instructor admonition">') == 1
    assert "instructor-always-shown" not in main
    css = one_page_book / "_static" / all_in_one.STYLESHEET
    assert "div.all-episodes div.admonition.instructor" in css.read_text(encoding="utf-8")


@on_the_book
def test_the_page_loads_mathjax_for_its_episodes_formulas(one_page_book):
    page = (one_page_book / "reference" / "all.html").read_text(encoding="utf-8")
    assert r"\[y = x + 1\]" in page
    assert 'src="../_static/mathjax/tex-mml-chtml.js' in page
    assert "mathjax/tex-mml-chtml.js" not in (one_page_book / "glossary.html").read_text()


@on_the_book
def test_only_the_page_loads_its_stylesheet_and_script(one_page_book):
    files = (f'_static/{all_in_one.STYLESHEET}', f'_static/{all_in_one.SCRIPT}')
    page = (one_page_book / "reference" / "all.html").read_text(encoding="utf-8")
    assert all(f'"../{name}' in page for name in files)
    for other in ("index.html", "lessons/first.html"):
        text = (one_page_book / other).read_text(encoding="utf-8")
        assert not any(name in text for name in files)
    assert (one_page_book / "_static" / all_in_one.SCRIPT).is_file()


@on_the_book
def test_on_this_page_lists_the_episodes(one_page_book):
    text = (one_page_book / "reference" / "all.html").read_text(encoding="utf-8")
    toc = text[text.index('id="jb-print-toc"') :]
    assert toc.index('href="#lessons-second">The second episode</a>') < toc.index(
        'href="#lessons-first">The first episode</a>'
    )


@on_the_book
def test_the_pdf_role_links_to_the_pdf_from_any_page(one_page_book):
    index = (one_page_book / "index.html").read_text(encoding="utf-8")
    page = (one_page_book / "reference" / "all.html").read_text(encoding="utf-8")
    assert '<a class="all-in-one-pdf reference external" href="all-in-one.pdf">PDF</a>' in index
    assert 'href="../all-in-one.pdf">printed copy</a>' in page


@on_the_book
def test_the_page_is_left_out_of_the_search_index(one_page_book):
    text = (one_page_book / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    page = index["docnames"].index("reference/all")
    second = index["docnames"].index("lessons/second")
    found = {
        term: set(docs if isinstance(docs, list) else [docs])
        for term, docs in index["terms"].items()
    }
    assert second in found["again"]  # "Draw it again." is found on its episode ...
    assert not [term for term, docs in found.items() if page in docs]  # ... never on this page


def test_a_changed_episode_is_changed_on_the_page(rebuilt):
    """An incremental build re-writes the all-in-one page when an episode changes."""
    page = Path("reference") / "all.html"
    html = rebuilt(
        "one-page-book", ("lessons/first.md", "Draw a dot.", "Draw a square."),
        lambda html: _check_text(html / page, "Draw a dot."),
    )
    text = (html / page).read_text(encoding="utf-8")
    assert "Draw a square." in text and "Draw a dot." not in text


def _check_text(path: Path, words: str) -> None:
    assert words in path.read_text(encoding="utf-8")
