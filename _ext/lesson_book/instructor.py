"""The instructor view: instructor notes hidden from learners, shown with a switch on every page.

An instructor note is an admonition of class ``instructor`` (``NOTE_CLASS``)
in an episode.  As in the Carpentries Workbench's instructor view, readers
see the lesson without them; the "Instructor view" switch that
``static/instructor-view.js`` puts in every page's header (a ``<button>``
with ``aria-pressed``) shows them, and the browser remembers the choice
(``localStorage``) from page to page.  ``static/instructor-view.css`` hides
the notes only while the script has marked the page as off, so a browser
without JavaScript shows them all.  The copies that the instructor-notes page
gathers (see :mod:`lesson_book.pages`) carry ``ALWAYS_SHOWN`` and stay
visible whatever the switch says.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

NOTE_CLASS = "instructor"
ALWAYS_SHOWN = "instructor-always-shown"


def always_shown(admonition: nodes.Element) -> nodes.Element:
    """``admonition``, marked to show whatever the switch says."""
    if ALWAYS_SHOWN not in admonition["classes"]:
        admonition["classes"].append(ALWAYS_SHOWN)
    return admonition


def register(app: Sphinx) -> None:
    """Add the switch's script (in the page's head, so notes never flash) and stylesheet."""
    app.add_js_file("instructor-view.js")
    app.add_css_file("instructor-view.css")
