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


@pytest.fixture
def small_book(app) -> Path:
    """The HTML folder of the small book in tests/roots/test-small-book.

    For tests marked ``@pytest.mark.sphinx("html", testroot="small-book")`` and
    ``@pytest.mark.test_params(shared_result="small-book")``: the book is built
    by the first such test of the session, and re-used by the others.
    """
    app.build()
    return Path(app.outdir)


# --------------------------------------------------------- end of Sphinx part
