"""Tests of ``lesson_book.extension.instructor``: the instructor view's marks, script and stylesheet.

The switch itself is tried in headless Chromium by ``tests/browser/test_browser_instructor.py``.
"""

from __future__ import annotations

import re

from docutils import nodes

from lesson_book.extension import instructor


def test_always_shown_marks_a_note_once():
    note = nodes.admonition(classes=[instructor.NOTE_CLASS])
    assert instructor.always_shown(instructor.always_shown(note))["classes"] == [
        "instructor", "instructor-always-shown"
    ]


def test_every_page_loads_the_switch_in_its_head(workshop_book, soup):
    for page in ("index.html", "lessons/first.html", "notes.html"):
        head = soup(workshop_book / page).head
        # A plain script in the head (not deferred): the notes are hidden before the page is drawn.
        scripts = [script.attrs for script in head.select("script[src]")
                   if re.match(r"[./]*_static/instructor-view\.js", script["src"])]
        assert [list(attributes) for attributes in scripts] == [["src"]], page
        assert any(re.match(r"[./]*_static/instructor-view\.css", link["href"]) for link in head.select("[href]"))
    assert (workshop_book / "_static" / "instructor-view.js").is_file()


def test_the_notes_on_an_episode_are_hidden_but_the_gathered_copies_are_not(workshop_book, soup):
    episode = soup(workshop_book / "lessons" / "first.html")
    notes = soup(workshop_book / "notes.html")
    assert [note["class"] for note in episode.select("div.instructor")] == [["instructor", "admonition"]]
    assert not episode.select("." + instructor.ALWAYS_SHOWN)
    assert [note["class"] for note in notes.select("div.instructor")] == [
        ["instructor", instructor.ALWAYS_SHOWN, "admonition"]
    ] * 2
    css = (workshop_book / "_static" / "instructor-view.css").read_text(encoding="utf-8")
    hidden = 'html[data-instructor-view="off"] div.admonition.instructor'
    assert f"{hidden}:not(.instructor-always-shown) {{\n  display: none;" in css
