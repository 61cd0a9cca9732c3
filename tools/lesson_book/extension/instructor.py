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
visible whatever the switch says; :func:`collect_notes` copies them from
each page as it is read, and :func:`notes` keeps them on the environment.
"""

from __future__ import annotations

from dataclasses import dataclass

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from lesson_book.extension.store import keep_per_page, page_data
from lesson_book.model import NOTE_CLASS

ALWAYS_SHOWN = "instructor-always-shown"


def always_shown(admonition: nodes.Element) -> nodes.Element:
    """``admonition``, marked to show whatever the switch says."""
    if ALWAYS_SHOWN not in admonition["classes"]:
        admonition["classes"].append(ALWAYS_SHOWN)
    return admonition


@dataclass(frozen=True)
class Note:
    """An instructor note: a copy of the admonition and the section it sits in."""

    section_title: str
    anchor: str  # the section's id, "" for the page's top section
    admonition: nodes.Element


def notes(env: BuildEnvironment) -> dict[str, list[Note]]:
    """Each page's instructor notes, kept on the environment between builds."""
    return page_data(env, "notes")


def collect_notes(doctree: nodes.document) -> list[Note]:
    """Copies of the document's instructor admonitions, with their sections."""
    found = []
    for admonition in doctree.findall(nodes.Admonition):
        if NOTE_CLASS not in admonition["classes"]:
            continue
        section = admonition.parent
        while section is not None and not isinstance(section, nodes.section):
            section = section.parent
        # A note in the page's top section (or before any section) links to the page.
        top = section is None or isinstance(section.parent, nodes.document)
        title = section.next_node(nodes.title) if section is not None else None
        copy = admonition.deepcopy()
        for element in copy.findall(nodes.Element):
            element["ids"] = []
        found.append(
            Note(
                section_title=title.astext() if title is not None else "",
                anchor="" if top else section["ids"][0],
                admonition=copy,
            )
        )
    return found


def _store_notes(app: Sphinx, doctree: nodes.document) -> None:
    found = collect_notes(doctree)
    if found:
        notes(app.env)[app.env.docname] = found


def register(app: Sphinx) -> None:
    """Keep each page's notes; add the switch's script (in the page's head, so notes never flash) and stylesheet."""
    app.connect("doctree-read", _store_notes)
    keep_per_page(app, "notes")
    app.add_js_file("instructor-view.js")
    app.add_css_file("instructor-view.css")
