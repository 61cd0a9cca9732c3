"""The book's Sphinx extension: episode boxes, gathered pages, learner notebook downloads, links, workarounds.

One entry in ``_config.yml`` (``sphinx: extra_extensions: [lesson_book.extension]``)
loads it all.  The episodes themselves (which pages, their fields, their
order) are :mod:`lesson_book.model`'s; the learner notebooks are
:mod:`lesson_book.learner`'s.  Its modules, one job each:

``boxes``
    the Overview and Key points boxes on each episode's page;
``pages``
    the directives of the gathered pages (schedule, key points, instructor
    notes, list of learner notebooks);
``schedule``
    the timetable: where episodes, breaks, lunch and the day's fixed slots go;
``timing``
    each episode's minutes computed from its material, checked against the
    front matter;
``all_in_one``
    every episode on one page, to read, search through or print (and its PDF);
``downloads``
    the learner notebooks written into the built book, for its download links;
``instructor``
    the instructor view: notes hidden from learners, a switch to show them;
``links``
    the repository's address on the pages, launch links (Colab, Binder, a
    workshop's hub), and each notebook page's pair;
``notices``
    the licence in the footer and in each learner notebook, the citation;
``store``
    what the parts keep on the environment page by page, and when it is
    forgotten, merged or read again;
``workarounds``
    fixes to upstream behaviour, each with the condition that lets it go
    (among them: the download button offers the learner notebooks).

``static/`` holds the stylesheets, the instructor view's script and the
favicon.  What the extension keeps on the Sphinx environment is named
``env.lesson_book_*``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from lesson_book.extension import (
    all_in_one,
    boxes,
    downloads,
    instructor,
    links,
    notices,
    pages,
    timing,
    workarounds,
)

STATIC = Path(__file__).parent / "static"


def add_static_path(app: Sphinx) -> None:
    """``builder-inited``: serve the extension's ``static/`` folder from ``_static``."""
    app.config.html_static_path.append(str(STATIC))


def setup(app: Sphinx) -> dict[str, Any]:
    """Register every part of the extension."""
    # The episodes are MyST notebooks; ``links`` sets MyST's substitutions.
    app.setup_extension("myst_nb")
    for part in (boxes, pages, timing, all_in_one, downloads, instructor, links, notices, workarounds):
        part.register(app)
    app.connect("builder-inited", add_static_path)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
