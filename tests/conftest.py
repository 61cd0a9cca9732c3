"""Shared fixtures of the tests in ``tests/``."""

from __future__ import annotations

from pathlib import Path

import pytest

# ---------------------------------------------------------------------------
# Sphinx: the small books the tests of the book's extension (_ext/lesson_book)
# build with Sphinx's own fixtures (``-p sphinx.testing.fixtures`` in
# pyproject.toml's addopts).  A test root is a folder tests/roots/test-NAME/,
# used with ``@pytest.mark.sphinx("html", testroot="NAME")``.
# ---------------------------------------------------------------------------

ROOTS = Path(__file__).resolve().parent / "roots"


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where Sphinx's fixtures find the test roots."""
    return ROOTS


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test that uses ``small_book`` for Sphinx's ``app`` fixture.

    The markers make ``app`` the small book in tests/roots/test-small-book;
    ``shared_result`` builds it once, for the first such test of the session,
    and lets the others re-use that build.
    """
    for item in items:
        if "small_book" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.sphinx("html", testroot="small-book"))
            item.add_marker(pytest.mark.test_params(shared_result="small-book"))


@pytest.fixture
def small_book(app) -> Path:
    """The HTML folder of the small book (tests/roots/test-small-book), built once."""
    app.build()
    return Path(app.outdir)


# --------------------------------------------------------- end of Sphinx part
