"""Tests of ``lesson_book.extension.boxes``: the Overview and Key points boxes on each episode's page."""

from __future__ import annotations

import re

from bs4 import PageElement
from docutils import nodes

from lesson_book.extension import boxes
from lesson_book.learner import convert


def test_inline_turns_code_spans_into_literals_and_leaves_the_rest():
    found = boxes.inline("Use `Conv2D` and *not* `a`\\b.")
    assert [(type(node).__name__, node.astext()) for node in found] == [
        ("Text", "Use "), ("literal", "Conv2D"), ("Text", " and *not* "), ("literal", "a"),
        ("Text", "\\b."),
    ]


def test_overview_box_shows_the_timing_and_the_lists_that_are_not_empty():
    box = boxes.overview_box(
        {"teaching": 20, "exercises": 15, "questions": ["Why `x`?"], "objectives": [],
         "keypoints": ["Unused here."]}
    )
    assert box["classes"] == [boxes.OVERVIEW_CLASS]
    assert box.astext() == "Overview\n\nTeaching: 20 min   Exercises: 15 min\n\nQuestions\n\nWhy x?"
    assert [node.astext() for node in box.findall(nodes.literal)] == ["x"]


def test_bullets():
    made = boxes.bullets(["One.", "Two `b`."])
    assert [item.astext() for item in made.children] == ["One.", "Two b."]


def test_episode_pages_show_the_note_and_the_learner_notebook_links(small_book, soup):
    page = soup(small_book / "lessons" / "one.html")
    note = page.select_one("div.instructor")
    assert note["class"] == ["instructor", "admonition"]
    box = [link["href"] for link in page.select_one("div.episode-overview").select("a[href]")]
    for href in (
        "../_static/learner/one.ipynb",
        "../_static/learner/workbooks/one.ipynb",
        "https://colab.research.google.com/github/o/small-book/blob/main/lessons/one.ipynb",
        "https://colab.research.google.com/github/o/small-book/blob/main/lessons/workbooks/one.ipynb",
        "https://mybinder.org/v2/gh/o/small-book/main?urlpath=lab/tree/lessons/one.ipynb",
        "https://mybinder.org/v2/gh/o/small-book/main?urlpath=lab/tree/lessons/workbooks/one.ipynb",
    ):
        assert href in box, href
    assert "../glossary.html#term-stride" in [link["href"] for link in note.select("a[href]")]


def _in_order(*elements: PageElement) -> bool:
    """Whether the elements (tags or strings) come in the document in this order."""
    return all(
        any(after is later for after in earlier.next_elements) for earlier, later in zip(elements, elements[1:])
    )


def test_the_boxes_sit_under_the_title_and_at_the_end(small_book, soup):
    page = soup(small_book / "lessons" / "one.html")
    overview = page.select_one("div.episode-overview")
    assert overview["class"] == ["episode-overview", "admonition"]
    assert page.h1.get_text().startswith("Episode one")
    assert _in_order(page.h1, overview, page.select_one("#start"))
    question = overview.find(string=re.compile("Why "))
    assert _in_order(question, overview.select_one(".learner-notebooks"))
    keypoints = page.select_one("div.episode-keypoints")
    assert keypoints["class"] == ["episode-keypoints", "admonition"]
    assert _in_order(page.find(string=re.compile(re.escape("Double it."))), keypoints)
    assert not soup(small_book / "lessons" / "two.html").select(".episode-keypoints")
    assert not soup(small_book / "glossary.html").select(".episode-overview")


def test_the_overview_links_the_episodes_it_builds_on(small_book, soup):
    page = soup(small_book / "lessons" / "one.html")
    line = next(p for p in page.select(".episode-overview p") if p.get_text().startswith("Builds on:"))
    assert line.get_text(" ", strip=True) == "Builds on: Episode two"
    assert [a["href"] for a in line.find_all("a")] == ["two.html"]


def test_the_learner_overview_names_the_episodes_it_builds_on():
    fields = {"teaching": 20, "exercises": 15, "questions": [], "objectives": ["Do `x`."], "optional": True}
    text = convert.overview_markdown(fields, ["Episode two", "Pooling"])
    assert text.splitlines()[:3] == [
        "**Overview.** Teaching: 20 min. Exercises: 15 min. *Optional: the schedule offers it if time allows.*",
        "",
        "**Builds on:** *Episode two*, *Pooling*",
    ]
