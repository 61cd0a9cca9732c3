"""Tests of ``lesson_book.pages``: the schedule, key points and instructor-notes directives.

The pure functions are tested directly; the directives by building the small
book in ``tests/roots/test-small-book`` with Sphinx's testing fixtures.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from docutils.core import publish_doctree

from lesson_book import pages
from lesson_book.model import Episode

# ------------------------------------------------------------ order and time


@pytest.mark.parametrize(("text", "minutes"), [("09:00", 540), ("9:05", 545), ("00:00", 0), ("23:59", 1439)])
def test_parse_clock(text, minutes):
    assert pages.parse_clock(text) == minutes


@pytest.mark.parametrize("text", ["9", "24:00", "12:60", "9.30", "", "nine"])
def test_parse_clock_rejects_bad_times(text):
    with pytest.raises(ValueError, match="HH:MM"):
        pages.parse_clock(text)


def test_format_clock_and_duration():
    assert pages.format_clock(545) == "09:05"
    assert pages.format_clock(1500) == "25:00"
    assert [pages.format_duration(m) for m in (45, 60, 65, 370)] == [
        "45 min", "1 h", "1 h 5 min", "6 h 10 min"
    ]
    for function in (pages.format_clock, pages.format_duration):
        with pytest.raises(ValueError, match="minutes"):
            function(-1)


def _episode(name: str, teaching: int, exercises: int) -> Episode:
    return Episode(f"lessons/{name}", name.title(), teaching, exercises)


EPISODES = [_episode("a", 30, 20), _episode("b", 20, 10), _episode("c", 40, 30), _episode("d", 10, 5)]


def test_plan_schedule_without_breaks_adds_up_the_minutes():
    slots = pages.plan_schedule(EPISODES, start=540)
    assert [(s.start, s.minutes, s.episode.docname) for s in slots] == [
        (540, 50, "lessons/a"), (590, 30, "lessons/b"), (620, 70, "lessons/c"), (690, 15, "lessons/d")
    ]


def test_plan_schedule_puts_a_break_before_an_episode_that_would_overrun():
    slots = pages.plan_schedule(EPISODES, start=540, break_every=90, break_minutes=15)
    rows = [(pages.format_clock(s.start), s.episode.docname if s.episode else "break") for s in slots]
    # a + b = 80 min; c would make 150 > 90, so a break first; c + d = 85 <= 90.
    assert rows == [
        ("09:00", "lessons/a"), ("09:50", "lessons/b"), ("10:20", "break"),
        ("10:35", "lessons/c"), ("11:45", "lessons/d"),
    ]


def test_plan_schedule_gives_a_long_episode_a_block_of_its_own():
    long = [_episode("a", 60, 60), _episode("b", 60, 60)]
    slots = pages.plan_schedule(long, start=0, break_every=90)
    assert [s.episode.docname if s.episode else "break" for s in slots] == [
        "lessons/a", "break", "lessons/b"
    ]


@pytest.mark.parametrize(("every", "length"), [(0, 15), (-5, 15), (90, 0)])
def test_plan_schedule_rejects_bad_breaks(every, length):
    with pytest.raises(ValueError, match="break"):
        pages.plan_schedule(EPISODES, 540, every, length)


# ------------------------------------------------------------ instructor notes


def test_collect_notes_copies_instructor_admonitions_with_their_sections():
    doctree = publish_doctree(
        "Title\n=====\n\n.. admonition:: Top note\n   :class: instructor\n\n   Early.\n\n"
        "Training\n--------\n\n.. note:: Not for instructors.\n\n"
        ".. admonition:: Instructor note\n   :class: instructor\n\n   Live-code it.\n",
        settings_overrides={"doctitle_xform": False},  # as in Sphinx
    )
    notes = pages.collect_notes(doctree)
    assert [(n.section_title, n.anchor) for n in notes] == [("Title", ""), ("Training", "training")]
    assert notes[1].admonition.astext() == "Instructor note\n\nLive-code it."
    assert notes[1].admonition.parent is None  # a copy, not the episode's node


def test_collect_notes_outside_any_section_link_to_the_page():
    doctree = publish_doctree(".. admonition:: Note\n   :class: instructor\n\n   Text.\n")
    assert [(n.section_title, n.anchor) for n in pages.collect_notes(doctree)] == [("", "")]


# ------------------------------------------------------------ the small book


def _body(html: Path, page: str) -> str:
    return (html / page).read_text(encoding="utf-8")


def test_schedule_table_follows_the_toc_and_skips_other_pages(small_book):
    text = _body(small_book, "schedule.html")
    two, one = text.index("Episode two"), text.index("Episode one")
    assert two < one  # the table of contents' order, not the file names'
    assert "Setup" not in text.split("<table")[1].split("</table>")[0]
    # two (90 min) at 13:30, a 10-minute break at 15:00, one (35 min) at 15:10, finish.
    rows = [row.split("</td>")[:2] for row in text.split("<tr ")[2:]]
    rows = [[row[0].split(">", 1)[1], row[1]] for row in rows]
    cells = [[re.sub(r"<[^>]+>|\s", "", cell) for cell in row] for row in rows]
    assert [(clock, name) for clock, name in cells] == [
        ("13:30", "Episodetwo"), ("15:00", "Break"), ("15:10", "Episodeone"), ("15:45", "Finish")
    ]
    assert "2 episodes: 2 h 5 min in all, 1 h 10 min of teaching and 55 min of exercises, " \
           "plus 10 min of breaks." in text
    assert 'href="lessons/two.html"' in text


def test_compact_schedule_on_the_index(small_book):
    text = _body(small_book, "index.html")
    assert "Episode two</a> (90 min: 50 teaching, 40 exercises)" in text
    assert "Episode one</a> (35 min: 20 teaching, 15 exercises)" in text
    assert "2 episodes: 2 h 5 min in all" in text


def test_keypoints_page_lists_each_episode_under_a_link(small_book):
    text = _body(small_book, "schedule.html")
    block = text[text.index('href="lessons/one.html">Episode one</a></p>', text.index("</table>")):]
    assert "<code class=\"docutils literal notranslate\"><span class=\"pre\">one</span></code>" in block
    assert "Point two." in block
    assert "This episode lists no key points." in text


def test_instructor_notes_are_gathered_with_links_and_timing(small_book):
    text = _body(small_book, "schedule.html")
    notes = text[text.index('<section id="notes">'):]
    notes = notes[: notes.index("</section>")]
    assert notes.index("Episode two") < notes.index("Episode one")
    assert "Setup" not in notes  # not an episode, and no notes
    assert '<div class="instructor admonition">' in notes and "Live-code the" in notes
    assert 'href="lessons/one.html#start">Start</a>' in text
    assert "20 min teaching, 15 min exercises (35 min in all)." in text
    assert "This episode has no instructor notes." in text
    # The {term} link inside the copied note resolves from this page.
    assert 'href="glossary.html#term-stride"' in notes


def test_a_changed_episode_updates_the_gathered_pages(make_app, rootdir, tmp_path):
    """An incremental build re-writes the summary pages when an episode changes."""
    source = tmp_path / "book"
    shutil.copytree(rootdir / "test-small-book", source)
    app = make_app("html", srcdir=source, freshenv=True)
    app.build()
    assert app.warning.getvalue() == ""
    html = Path(app.outdir)
    assert "Episode two</a> (90 min: 50 teaching, 40 exercises)" in _body(html, "index.html")
    app.cleanup()  # one application at a time: each registers its nodes afresh
    episode = source / "lessons" / "two.md"
    episode.write_text(episode.read_text().replace("teaching: 50", "teaching: 55"))
    again = make_app("html", srcdir=source)
    again.build()
    assert again.warning.getvalue() == ""
    assert "Episode two</a> (95 min: 55 teaching, 40 exercises)" in _body(html, "index.html")
    assert "1 h 15 min of teaching" in _body(html, "schedule.html")
