"""Tests of ``lesson_book.extension.all_in_one``: every episode on one page, and the link to its PDF.

The pure functions are tested directly; the page by building the book in
``tests/roots/test-one-page-book`` (two episodes, listed in the opposite of
their file names' order, with figures, links between them, a footnote, an
instructor note and exercises) with Sphinx's testing fixtures.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
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


def _ids(page: Tag) -> list[str]:
    """The ids of the elements in ``page``, in the document's order."""
    return [element["id"] for element in page.select("[id]")]


def _hrefs(page: Tag) -> list[str]:
    return [link["href"] for link in page.select("a[href]")]


def _images(page: Tag) -> list[tuple[str, str | None]]:
    return [(image.get("src", ""), image.get("alt")) for image in page.select("img")]


def _loads(page: Tag) -> list[str]:
    """The addresses of the stylesheets and scripts the page loads."""
    return [link["href"] for link in page.select("link[href]")] + [
        script["src"] for script in page.select("script[src]")
    ]


@pytest.fixture
def all_page(one_page_book, soup) -> BeautifulSoup:
    """The all-in-one page of tests/roots/test-one-page-book, parsed."""
    return soup(one_page_book / "reference" / "all.html")


def test_the_extension_registers_the_directive_the_role_and_the_hooks(app, one_page_book):
    assert is_directive_registered("all-episodes") and is_role_registered("all-in-one-pdf")
    for event in ("doctree-resolved", "html-page-context"):
        modules = {listener.handler.__module__ for listener in app.events.listeners[event]}
        assert "lesson_book.extension.all_in_one" in modules, event
    # The page is known as one to read again when any episode changes (see the incremental test below).
    assert app.env.lesson_book_all_in_one_pages == {"reference/all"}


def test_the_page_holds_every_episode_in_the_order_of_the_toc(all_page):
    main = all_page.article
    assert [title.get_text().rstrip("#") for title in main.select("h2")] == [
        "The second episode", "The first episode"
    ]
    ids = _ids(main)
    assert ids.index("lessons-second") < ids.index("lessons-first")
    text = main.get_text()
    for words in ("Draw it again.", "Draw a dot.", "Overview", "Key points", "A point."):
        assert words in text
    # Each episode's exercises are numbered as on its own page; the figure keeps its number.
    captions = [caption.get_text() for caption in main.select("span.caption-number")]
    assert captions.count("Exercise 1 ") == 2
    assert "Fig. 1 " in captions


def test_ids_are_unique_and_every_link_reaches_its_target(one_page_book, all_page, soup):
    path = one_page_book / "reference" / "all.html"
    ids = _ids(all_page)
    repeated = [name for name, count in Counter(ids).items() if count > 1]
    assert not repeated
    assert {"lessons-first--start", "lessons-second--start"} <= set(ids)
    hrefs = _hrefs(all_page)
    for href in hrefs:
        if re.match(r"[a-z]+:", href):
            continue
        target, _, anchor = href.partition("#")
        file = (path.parent / target).resolve() if target else path
        if file.name == all_in_one.PDF:  # printed after the build, by lesson-pdf
            assert file == (one_page_book / all_in_one.PDF).resolve()
            continue
        assert file.is_file(), href
        if anchor:
            assert anchor in _ids(soup(file)), href
    links = set(hrefs)
    # Between the episodes and within one: anchors on this page.
    assert {"#lessons-second", "#lessons-first", "#lessons-second--second-label"} <= links
    assert {"#lessons-first--first-start", "#lessons-second--second-ex"} <= links
    # Elsewhere in the book: relative to this page.
    assert {"../glossary.html#term-stride", "../glossary.html"} <= links
    assert "../_static/learner/first.ipynb" in links


def test_figures_keep_their_alt_text_and_load_from_the_page(one_page_book, all_page, soup):
    path = one_page_book / "reference" / "all.html"
    images = _images(all_page)
    assert [alt for _, alt in images] == ["The same dot, in a figure.", "A black dot."]
    for src, _ in images:
        assert (path.parent / src).resolve().is_file(), src
    on_episodes = _images(soup(one_page_book / "lessons" / "first.html"))
    on_episodes += _images(soup(one_page_book / "lessons" / "second.html"))
    assert sorted(alt for _, alt in on_episodes) == sorted(alt for _, alt in images)


def test_instructor_notes_come_along_for_the_instructor_view_to_hide(one_page_book, all_page):
    main = all_page.article
    # The one note, not marked to be shown whatever the instructor-view switch says.
    assert [note["class"] for note in main.select("div.instructor")] == [["instructor", "admonition"]]
    assert not main.select(".instructor-always-shown")
    css = one_page_book / "_static" / all_in_one.STYLESHEET
    assert "div.all-episodes div.admonition.instructor" in css.read_text(encoding="utf-8")


def test_the_page_loads_mathjax_for_its_episodes_formulas(one_page_book, all_page):
    assert [formula.get_text().strip() for formula in all_page.select("div.math")] == [r"\[y = x + 1\]"]
    assert any(src.startswith("../_static/mathjax/tex-mml-chtml.js") for src in _loads(all_page))
    assert "mathjax/tex-mml-chtml.js" not in (one_page_book / "glossary.html").read_text()


def test_only_the_page_loads_its_stylesheet_and_script(one_page_book, all_page):
    files = (f'_static/{all_in_one.STYLESHEET}', f'_static/{all_in_one.SCRIPT}')
    loads = _loads(all_page)
    assert all(any(address.startswith(f"../{name}") for address in loads) for name in files)
    for other in ("index.html", "lessons/first.html"):
        text = (one_page_book / other).read_text(encoding="utf-8")
        assert not any(name in text for name in files)  # named nowhere in the file
    assert (one_page_book / "_static" / all_in_one.SCRIPT).is_file()


def test_on_this_page_lists_the_episodes(all_page):
    toc = all_page.select_one("#jb-print-toc")
    assert [(link["href"], link.get_text()) for link in toc.select("a[href]")] == [
        ("#lessons-second", "The second episode"), ("#lessons-first", "The first episode")
    ]


def _pdf_links(page: BeautifulSoup) -> list[tuple[list[str], str, str]]:
    return [(link["class"], link["href"], link.get_text()) for link in page.select("a.all-in-one-pdf")]


def test_the_pdf_role_links_to_the_pdf_from_any_page(one_page_book, all_page, soup):
    role = ["all-in-one-pdf", "reference", "external"]
    assert _pdf_links(soup(one_page_book / "index.html")) == [(role, "all-in-one.pdf", "PDF")]
    assert _pdf_links(all_page) == [(role, "../all-in-one.pdf", "printed copy")]


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


def test_a_changed_episode_is_changed_on_the_page(rebuilt, soup):
    """An incremental build re-writes the all-in-one page when an episode changes."""
    page = Path("reference") / "all.html"
    html = rebuilt(
        "one-page-book", ("lessons/first.md", "Draw a dot.", "Draw a square."),
        lambda html: _check_text(soup(html / page), "Draw a dot."),
    )
    assert "Draw a square." in soup(html / page).article.get_text()
    assert "Draw a dot." not in (html / page).read_text(encoding="utf-8")  # nowhere in the file


def _check_text(page: BeautifulSoup, words: str) -> None:
    assert words in page.article.get_text()
