"""Tests of ``lesson_book.extension.schedule`` and ``lesson_book.extension.pages``: the timetable, the schedule, key points and instructor-notes directives.

The pure functions are tested directly; the directives by building the small
book in ``tests/roots/test-small-book`` with Sphinx's testing fixtures.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from docutils.core import publish_doctree

from lesson_book.extension import instructor, schedule
from lesson_book.model import Episode

# ------------------------------------------------------------ order and time


@pytest.mark.parametrize(("text", "minutes"), [("09:00", 540), ("9:05", 545), ("00:00", 0), ("23:59", 1439)])
def test_parse_clock(text, minutes):
    assert schedule.parse_clock(text) == minutes


@pytest.mark.parametrize("text", ["9", "24:00", "12:60", "9.30", "", "nine"])
def test_parse_clock_rejects_bad_times(text):
    with pytest.raises(ValueError, match="HH:MM"):
        schedule.parse_clock(text)


def test_format_clock_and_duration():
    assert schedule.format_clock(545) == "09:05"
    assert schedule.format_clock(1500) == "25:00"
    assert [schedule.format_duration(m) for m in (45, 60, 65, 370)] == [
        "45 min", "1 h", "1 h 5 min", "6 h 10 min"
    ]
    for function in (schedule.format_clock, schedule.format_duration):
        with pytest.raises(ValueError, match="minutes"):
            function(-1)


def _episode(name: str, teaching: int, exercises: int) -> Episode:
    return Episode(f"lessons/{name}", name.title(), teaching, exercises)


EPISODES = [_episode("a", 30, 20), _episode("b", 20, 10), _episode("c", 40, 30), _episode("d", 10, 5)]


def test_plan_schedule_without_breaks_adds_up_the_minutes():
    slots = schedule.plan_schedule(EPISODES, start=540)
    assert [(s.start, s.minutes, s.episode.docname) for s in slots] == [
        (540, 50, "lessons/a"), (590, 30, "lessons/b"), (620, 70, "lessons/c"), (690, 15, "lessons/d")
    ]


def test_plan_schedule_puts_a_break_before_an_episode_that_would_overrun():
    slots = schedule.plan_schedule(EPISODES, start=540, break_every=90, break_minutes=15)
    rows = [(schedule.format_clock(s.start), s.episode.docname if s.episode else "break") for s in slots]
    # a + b = 80 min; c would make 150 > 90, so a break first; c + d = 85 <= 90.
    assert rows == [
        ("09:00", "lessons/a"), ("09:50", "lessons/b"), ("10:20", "break"),
        ("10:35", "lessons/c"), ("11:45", "lessons/d"),
    ]


def test_plan_schedule_gives_a_long_episode_a_block_of_its_own():
    long = [_episode("a", 60, 60), _episode("b", 60, 60)]
    slots = schedule.plan_schedule(long, start=0, break_every=90)
    assert [s.episode.docname if s.episode else "break" for s in slots] == [
        "lessons/a", "break", "lessons/b"
    ]


@pytest.mark.parametrize(("every", "length"), [(0, 15), (-5, 15), (90, 0)])
def test_plan_schedule_rejects_bad_breaks(every, length):
    with pytest.raises(ValueError, match="break"):
        schedule.plan_schedule(EPISODES, 540, every, length)


# ------------------------------------------------------------ instructor notes


def test_collect_notes_copies_instructor_admonitions_with_their_sections():
    doctree = publish_doctree(
        "Title\n=====\n\n.. admonition:: Top note\n   :class: instructor\n\n   Early.\n\n"
        "Training\n--------\n\n.. note:: Not for instructors.\n\n"
        ".. admonition:: Instructor note\n   :class: instructor\n\n   Live-code it.\n",
        settings_overrides={"doctitle_xform": False},  # as in Sphinx
    )
    notes = instructor.collect_notes(doctree)
    assert [(n.section_title, n.anchor) for n in notes] == [("Title", ""), ("Training", "training")]
    assert notes[1].admonition.astext() == "Instructor note\n\nLive-code it."
    assert notes[1].admonition.parent is None  # a copy, not the episode's node


def test_collect_notes_outside_any_section_link_to_the_page():
    doctree = publish_doctree(".. admonition:: Note\n   :class: instructor\n\n   Text.\n")
    assert [(n.section_title, n.anchor) for n in instructor.collect_notes(doctree)] == [("", "")]


# ------------------------------------------------------------ the small book


def _text(element: Tag) -> str:
    """The element's text, each tag's place a space, each run of spaces one."""
    return " ".join(element.get_text(" ").split())


def _cells(table: Tag) -> list[list[str]]:
    """The texts of the cells of each row of a table's body."""
    return [[_text(cell) for cell in row.select("td")] for row in table.select("tbody tr")]


def _episode_lines(page: BeautifulSoup) -> dict[str, str]:
    """The text of each list item of the page's article that links an episode, by the link's text."""
    return {item.a.get_text(): _text(item) for item in page.article.select("li") if item.a}


def test_schedule_table_follows_the_toc_and_skips_other_pages(small_book, soup):
    page = soup(small_book / "schedule.html")
    table = page.select_one("table")
    assert "Setup" not in table.get_text()
    # two (90 min) at 13:30, a 10-minute break at 15:00, one (35 min) at 15:10, finish:
    # the table of contents' order, not the file names'.
    assert [row[:2] for row in _cells(table)] == [
        ["13:30", "Episode two"], ["15:00", "Break"], ["15:10", "Episode one"], ["15:45", "Finish"]
    ]
    assert "2 episodes: 2 h 5 min in all, 1 h 10 min of teaching and 55 min of exercises, " \
           "plus 10 min of breaks." in _text(page.article)
    assert [link["href"] for link in table.select("a[href]")] == ["lessons/two.html", "lessons/one.html"]


def test_compact_schedule_on_the_index(small_book, soup):
    page = soup(small_book / "index.html")
    lines = _episode_lines(page)
    assert lines["Episode two"] == "Episode two (90 min: 50 teaching, 40 exercises)"
    assert lines["Episode one"] == "Episode one (35 min: 20 teaching, 15 exercises)"
    assert "2 episodes: 2 h 5 min in all" in _text(page.article)


def _headings(section: Tag) -> dict[str, Tag]:
    """The episodes' headings directly in a section, by the address they link."""
    return {heading.a["href"]: heading for heading in section.select(":scope > p.episode-heading")}


def test_keypoints_page_lists_each_episode_under_a_link(small_book, soup):
    page = soup(small_book / "schedule.html")
    headings = _headings(page.select_one("section#schedule"))
    assert headings["lessons/one.html"].get_text() == "Episode one"
    points = headings["lessons/one.html"].find_next_sibling()
    assert [item.get_text().strip() for item in points.select("li")] == ["Point one.", "Point two."]
    assert [code.get_text() for code in points.select("code.docutils.literal.notranslate > span.pre")] == ["one"]
    assert _text(headings["lessons/two.html"].find_next_sibling()) == "This episode lists no key points."


def test_instructor_notes_are_gathered_with_links_and_timing(small_book, soup):
    notes = soup(small_book / "schedule.html").select_one("section#notes")
    assert [heading.get_text() for heading in notes.select("p.episode-heading")] == ["Episode two", "Episode one"]
    assert "Setup" not in notes.get_text()  # not an episode, and no notes
    # The copy is marked to show whatever the instructor-view switch says.
    copies = notes.select("div.instructor")
    assert [copy["class"] for copy in copies] == [["instructor", "instructor-always-shown", "admonition"]]
    assert "Live-code the" in copies[0].get_text()
    assert ("lessons/one.html#start", "Start") in [(link["href"], link.get_text()) for link in notes.select("a[href]")]
    # Beside the front matter's minutes, the rule's (lesson_book.extension.timing): one typed line
    # and a few words make no 5 minutes of teaching; one short code exercise, 10.
    text = _text(notes)
    assert "20 min teaching, 15 min exercises (35 min in all); by the rule, " \
           "0 min teaching and 10 min exercises." in text
    assert "This episode has no instructor notes." in text
    # The {term} link inside the copied note resolves from this page.
    assert "glossary.html#term-stride" in [link["href"] for link in copies[0].select("a[href]")]


def test_a_changed_episode_updates_the_gathered_pages(rebuilt, soup):
    """An incremental build re-writes the summary pages when an episode changes."""

    def before(html: Path) -> None:
        assert _episode_lines(soup(html / "index.html"))["Episode two"] == (
            "Episode two (90 min: 50 teaching, 40 exercises)"
        )

    html = rebuilt("small-book", ("lessons/two.md", "teaching: 50", "teaching: 45"), before)
    assert _episode_lines(soup(html / "index.html"))["Episode two"] == "Episode two (85 min: 45 teaching, 40 exercises)"
    assert "1 h 5 min of teaching" in _text(soup(html / "schedule.html").article)


# ------------------------------------------------------------ a workshop's days


def _part(name: str, teaching: int, exercises: int, part: str) -> Episode:
    return Episode(f"lessons/{name}", name.title(), teaching, exercises, part=part)


def _rows(slots: list[schedule.Slot]) -> list[tuple[int, str, str]]:
    return [
        (s.day, schedule.format_clock(s.start), s.episode.docname[8:] if s.episode else s.name)
        for s in slots
    ]


def test_plan_schedule_puts_lunch_in_the_gap_nearest_to_lunch_time():
    slots = schedule.plan_schedule(EPISODES, start=540, lunch=690, lunch_minutes=60)
    # a 09:00-09:50, b 09:50-10:20, c 10:20-11:30 (its middle, 10:55, before 11:30);
    # d's middle would be 11:37, after 11:30: lunch first.
    assert _rows(slots) == [
        (1, "09:00", "a"), (1, "09:50", "b"), (1, "10:20", "c"), (1, "11:30", "Lunch"),
        (1, "12:30", "d"),
    ]


def test_plan_schedule_runs_an_episode_into_lunch_rather_than_stop_far_too_early():
    episodes = [_part("a", 100, 40, "E"), _part("b", 40, 20, "E"), _part("c", 10, 5, "E")]
    # b starts 11:20 and ends 12:20: its middle (11:50) comes before 12:00, so
    # lunch at 12:20 (20 min late) beats lunch at 11:20 (40 min early).
    assert _rows(schedule.plan_schedule(episodes, start=540, lunch=720)) == [
        (1, "09:00", "a"), (1, "11:20", "b"), (1, "12:20", "Lunch"), (1, "13:20", "c")
    ]


def test_plan_schedule_lunch_replaces_the_break_due_at_the_same_time_and_resets_the_block():
    slots = schedule.plan_schedule(EPISODES, start=540, break_every=90, lunch=600, lunch_minutes=45)
    # b would end 10:20 > 10:00: lunch (not a break) before it; after lunch b + c = 100 > 90.
    assert _rows(slots) == [
        (1, "09:00", "a"), (1, "09:50", "Lunch"), (1, "10:35", "b"), (1, "11:05", "Break"),
        (1, "11:20", "c"), (1, "12:30", "d"),
    ]


def test_plan_schedule_has_no_lunch_before_the_days_first_episode_or_on_an_afternoon():
    long = [_part("a", 120, 60, "Episodes"), _part("b", 10, 5, "Episodes")]
    # a runs through lunch time (nothing taught before it); lunch follows it.
    assert _rows(schedule.plan_schedule(long, start=600, lunch=660)) == [
        (1, "10:00", "a"), (1, "13:00", "Lunch"), (1, "14:00", "b")
    ]
    assert [s.name for s in schedule.plan_schedule(long, start=780, lunch=720) if s.is_pause] == []


def test_plan_schedule_starts_a_new_day_at_each_part():
    episodes = [
        _part("a", 30, 20, "Episodes"), _part("b", 20, 10, "Episodes"),
        _part("c", 40, 30, "Going further"), _part("d", 10, 5, "Going further"),
    ]
    slots = schedule.plan_schedule(
        episodes, start=540, break_every=60, break_minutes=10, lunch=600, day_per_part=True
    )
    # Day 2 starts at 09:00 afresh: no break before c, and its own lunch before d.
    assert _rows(slots) == [
        (1, "09:00", "a"), (1, "09:50", "Lunch"), (1, "10:50", "b"),
        (2, "09:00", "c"), (2, "10:10", "Lunch"), (2, "11:10", "d"),
    ]
    # Without the flag the parts follow each other on one day.
    assert {s.day for s in schedule.plan_schedule(episodes, start=540)} == {1}


def test_plan_schedule_gives_an_episode_longer_than_a_block_a_block_with_pauses_around_it():
    episodes = [_part("a", 20, 10, "E"), _part("b", 70, 50, "E"), _part("c", 10, 10, "E")]
    slots = schedule.plan_schedule(episodes, start=540, break_every=60, break_minutes=15)
    assert _rows(slots) == [
        (1, "09:00", "a"), (1, "09:30", "Break"), (1, "09:45", "b"), (1, "11:45", "Break"),
        (1, "12:00", "c"),
    ]


def test_plan_schedule_rejects_a_bad_lunch():
    with pytest.raises(ValueError, match="lunch_minutes must be > 0 minutes, got 0"):
        schedule.plan_schedule(EPISODES, 540, lunch=720, lunch_minutes=0)


def test_schedule_of_a_workshop_book_has_a_table_per_part_with_lunch(workshop_book, soup):
    page = soup(workshop_book / "index.html")
    tables = page.select("table")
    assert len(tables) == 2
    day1, day2 = (_cells(table) for table in tables)
    # first (70 min) runs past 10:00 with nothing before it; lunch comes before second.
    assert day1 == [
        ["09:00", "First", "40", "30", "70"], ["10:10", "Lunch", "", "", "45"],
        ["10:55", "Second", "15", "10", "25"], ["11:20", "Finish", "", "", ""],
    ]
    assert day2 == [["09:00", "Third", "50", "40", "90"], ["10:30", "Finish", "", "", ""]]
    # Each day's heading, then its table.
    days = ["Day 1: Episodes (09:00–11:20)", "Day 2: Going further (09:00–10:30)"]
    assert [_text(day) for day in page.select("p.schedule-day")] == days
    assert [_text(table.find_previous("p", class_="schedule-day")) for table in tables] == days
    assert "3 episodes over 2 days: 3 h 5 min in all, 1 h 45 min of teaching and " \
           "1 h 20 min of exercises, plus 45 min for lunch." in _text(page.article)
    assert "Setup" not in tables[0].get_text() + tables[1].get_text()  # before the workshop: not an episode


def _workshop_book_with(make_app, rootdir, tmp_path, old: str, new: str):
    """The workshop book, built from a copy whose schedule options have ``old`` replaced by ``new``."""
    source = tmp_path / "book"
    shutil.copytree(rootdir / "test-workshop-book", source)
    index = source / "index.md"
    index.write_text(index.read_text().replace(old, new))
    app = make_app("html", srcdir=source, freshenv=True)
    app.build()
    return app


def test_schedule_rejects_a_malformed_lunch_time(make_app, rootdir, tmp_path):
    app = _workshop_book_with(make_app, rootdir, tmp_path, ":lunch: 10:00", ":lunch: noon")
    assert ":lunch: a clock time must be HH:MM, got 'noon'" in app.warning.getvalue()


# ------------------------------------------------------------ days that end on time


def test_plan_schedule_opens_and_closes_the_days_with_their_fixed_slots():
    episodes = [_part("a", 40, 30, "E"), _part("b", 60, 40, "E"), _part("c", 30, 20, "E")]
    slots = schedule.plan_schedule(
        episodes, start=540, end=720, break_every=90, break_minutes=15, welcome=20, recap=15, wrap_up=10
    )
    # a ends 10:30; b (100 min) would end past 12:00 with its break: next day, after the recap.
    assert _rows(slots) == [
        (1, "09:00", schedule.WELCOME), (1, "09:20", "a"),
        (2, "09:00", schedule.RECAP), (2, "09:15", "b"), (2, "10:55", "Break"), (2, "11:10", "c"),
        (2, "12:00", schedule.WRAP_UP),
    ]
    assert [s.is_pause for s in slots if s.episode is None] == [False, False, True, False]
    # The wrap-up runs the last day to 12:10, after its end; b's stretch is 115 minutes.
    assert schedule.problems(slots, end=720, break_every=90) == [
        "day 2 ends at 12:10, after 12:00",
        "day 2: 115 minutes without a break from 09:00 (at most 90)",
    ]


def test_plan_schedule_puts_lunch_where_a_break_would_push_the_next_episode_past_it():
    episodes = [_part("a", 50, 40, "E"), _part("b", 40, 40, "E"), _part("c", 20, 10, "E")]
    slots = schedule.plan_schedule(episodes, start=540, break_every=90, lunch=690, lunch_minutes=45)
    # After a (10:30) b needs a break; with it, b's middle (11:25) would still be before 11:30,
    # so a break.  After b (11:25+), c's middle with a break would pass 11:30: lunch instead.
    assert _rows(slots) == [
        (1, "09:00", "a"), (1, "10:30", "Break"), (1, "10:45", "b"), (1, "12:05", "Lunch"),
        (1, "12:50", "c"),
    ]


def test_plan_schedule_leaves_optional_episodes_out_of_the_days():
    episodes = [_part("a", 20, 10, "E"), Episode("lessons/x", "X", 30, 20, part="E", optional=True)]
    assert [s.episode.docname for s in schedule.plan_schedule(episodes, start=540)] == ["lessons/a"]


def test_problems_are_none_for_a_day_that_keeps_its_rules():
    slots = schedule.plan_schedule(EPISODES, start=540, end=720, break_every=90)
    assert schedule.problems(slots, end=720, break_every=90) == []


@pytest.mark.parametrize("name", ["welcome", "recap", "wrap_up"])
def test_plan_schedule_rejects_negative_fixed_slots(name):
    with pytest.raises(ValueError, match=f"{name} must be > 0 minutes, got -5"):
        schedule.plan_schedule(EPISODES, 540, **{name: -5})


def test_schedule_warns_about_a_day_it_cannot_keep(make_app, rootdir, tmp_path, soup):
    app = _workshop_book_with(make_app, rootdir, tmp_path, ":break-every: 90", ":break-every: 60\n:end: 10:30")
    warnings = app.warning.getvalue()
    # Second would end after 10:30 (lunch first): it moves to day 2, third to day 3 (a new part).
    days = soup(Path(app.outdir, "index.html")).select("p.schedule-day")
    assert "Day 2: Episodes (09:00–09:25)" in [_text(day) for day in days]
    assert [line.split("WARNING: ")[1].split("\x1b")[0] for line in warnings.splitlines()] == [
        "the schedule cannot be kept: day 1: 70 minutes without a break from 09:00 (at most 60)",
        "the schedule cannot be kept: day 3: 90 minutes without a break from 09:00 (at most 60)",
    ]
