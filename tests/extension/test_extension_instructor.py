"""Tests of ``lesson_book.extension.instructor``: the instructor view's marks, script and stylesheet.

The switch itself is tried in headless Chromium by ``tests/browser/test_browser.py``.
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


def test_every_page_loads_the_switch_in_its_head(workshop_book):
    for page in ("index.html", "lessons/first.html", "notes.html"):
        text = (workshop_book / page).read_text(encoding="utf-8")
        head = text[: text.index("</head>")]
        # A plain script in the head (not deferred): the notes are hidden before the page is drawn.
        assert re.search(r'<script src="[./]*_static/instructor-view\.js[^"]*"></script>', head)
        assert re.search(r'href="[./]*_static/instructor-view\.css', head)
    assert (workshop_book / "_static" / "instructor-view.js").is_file()


def test_the_notes_on_an_episode_are_hidden_but_the_gathered_copies_are_not(workshop_book):
    episode = (workshop_book / "lessons" / "first.html").read_text(encoding="utf-8")
    notes = (workshop_book / "notes.html").read_text(encoding="utf-8")
    assert '<div class="instructor admonition">' in episode
    assert instructor.ALWAYS_SHOWN not in episode
    assert notes.count('<div class="instructor instructor-always-shown admonition">') == 2
    css = (workshop_book / "_static" / "instructor-view.css").read_text(encoding="utf-8")
    hidden = 'html[data-instructor-view="off"] div.admonition.instructor'
    assert f"{hidden}:not(.instructor-always-shown) {{\n  display: none;" in css
