"""Tests of ``lesson_book.extension.boxes``: the Overview and Key points boxes on each episode's page."""

from __future__ import annotations

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


def test_episode_pages_show_the_note_and_the_learner_notebook_links(small_book):
    text = (small_book / "lessons" / "one.html").read_text(encoding="utf-8")
    assert '<div class="instructor admonition">' in text
    box = text[text.index('<div class="episode-overview admonition">') :]
    box = box[: box.index('id="start"')]
    for href in (
        "../_static/learner/one.ipynb",
        "../_static/learner/workbooks/one.ipynb",
        "https://colab.research.google.com/github/o/small-book/blob/main/lessons/one.ipynb",
        "https://colab.research.google.com/github/o/small-book/blob/main/lessons/workbooks/one.ipynb",
        "https://mybinder.org/v2/gh/o/small-book/main?urlpath=lab/tree/lessons/one.ipynb",
        "https://mybinder.org/v2/gh/o/small-book/main?urlpath=lab/tree/lessons/workbooks/one.ipynb",
    ):
        assert f'href="{href}"' in box, href
    assert 'href="../glossary.html#term-stride"' in text


def test_the_boxes_sit_under_the_title_and_at_the_end(small_book):
    text = (small_book / "lessons" / "one.html").read_text(encoding="utf-8")
    overview = text.index('<div class="episode-overview admonition">')
    assert text.index("<h1>Episode one") < overview < text.index('id="start"')
    assert text.index("Why ", overview) < text.index("learner-notebook", overview)
    assert text.index('<div class="episode-keypoints admonition">') > text.index("Double it.")
    assert "episode-keypoints" not in (small_book / "lessons" / "two.html").read_text()
    assert "episode-overview" not in (small_book / "glossary.html").read_text()


def test_the_overview_links_the_episodes_it_builds_on(small_book):
    from bs4 import BeautifulSoup

    page = BeautifulSoup((small_book / "lessons" / "one.html").read_text(encoding="utf-8"), "html.parser")
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
