"""The small books the extension's tests build with Sphinx's own fixtures, and ``soup``, which reads their pages.

``-p sphinx.testing.fixtures`` in ``pyproject.toml``'s addopts provides
``app``; a test root is a folder ``roots/test-NAME/`` beside this file, used
with ``@pytest.mark.sphinx("html", testroot="NAME")``.  The tests check a
built page through its parsed document (``soup``: CSS selectors, attributes,
``get_text()``), not by searching its markup as text.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOTS = Path(__file__).resolve().parent / "roots"


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where Sphinx's fixtures find the test roots."""
    return ROOTS


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test that uses ``small_book``, ``workshop_book`` or ``one_page_book`` for Sphinx's ``app`` fixture.

    The markers make ``app`` the book in tests/roots/test-small-book (or
    test-workshop-book, test-one-page-book); ``shared_result`` builds it once,
    for the first such test of the session, and lets the others re-use that build.
    """
    books = (("small_book", "small-book"), ("workshop_book", "workshop-book"), ("one_page_book", "one-page-book"))
    for item in items:
        for fixture, root in books:
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.sphinx("html", testroot=root))
                item.add_marker(pytest.mark.test_params(shared_result=root))


@pytest.fixture
def small_book(app) -> Path:
    """The HTML folder of the small book (tests/roots/test-small-book), built once."""
    app.build()
    return Path(app.outdir)


def _built_without_a_warning(app) -> Path:
    app.build()
    assert app.warning.getvalue() == ""
    return Path(app.outdir)


@pytest.fixture
def workshop_book(app) -> Path:
    """The HTML folder of the book in tests/roots/test-workshop-book (parts, exercises), built once."""
    return _built_without_a_warning(app)


@pytest.fixture
def one_page_book(app) -> Path:
    """The HTML folder of tests/roots/test-one-page-book (the all-in-one page), built once."""
    return _built_without_a_warning(app)


@pytest.fixture
def rebuilt(make_app, rootdir, tmp_path):
    """``rebuilt(root, edit, check_before)``: build a copy of a test root, edit one of its files, build it again.

    ``edit`` is ``(path relative to the book, old text, new text)``;
    ``check_before(html)`` runs on the first build's HTML folder.  Returns the
    HTML folder after the incremental build.  Neither build may warn.
    """

    def build(root: str, edit: tuple[str, str, str], check_before) -> Path:
        source = tmp_path / "book"
        shutil.copytree(rootdir / f"test-{root}", source)
        app = make_app("html", srcdir=source, freshenv=True)
        check_before(_built_without_a_warning(app))
        app.cleanup()  # one application at a time: each registers its nodes afresh
        name, old, new = edit
        path = source / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        again = make_app("html", srcdir=source)
        return _built_without_a_warning(again)

    return build


@pytest.fixture
def soup():
    """``soup(page)``: the HTML page parsed with BeautifulSoup; ``page`` a file's path, or a ``str`` of HTML itself."""

    def parse(page: Path | str) -> BeautifulSoup:
        text = page.read_text(encoding="utf-8") if isinstance(page, Path) else page
        return BeautifulSoup(text, "html.parser")

    return parse
