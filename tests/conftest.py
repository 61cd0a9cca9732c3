"""Fixtures shared by the tests in ``tests/``, one section per part of the project."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

# ---------------------------------------------------------------------------
# Support package (src/cnn_lesson): figures are drawn off screen (Agg), every
# test's figures are closed after it, TensorFlow starts quietly, and the
# fixtures below read back what a figure drew.
# ---------------------------------------------------------------------------

matplotlib.use("Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    """Close every figure a test opened, so that none leaks into the next."""
    yield
    plt.close("all")


@pytest.fixture(scope="session")
def keras():
    """Keras, imported once; the tests that need it are skipped without it."""
    return pytest.importorskip("keras")


@pytest.fixture
def texts():
    """The texts written on an axis, in the order they were drawn."""

    def read(ax) -> list[str]:
        return [t.get_text() for t in ax.texts]

    return read


@pytest.fixture
def frames():
    """(x, y, width, height) of every rectangle drawn on an axis besides its image."""

    def read(ax) -> list[tuple[float, float, float, float]]:
        return [
            (*p.get_xy(), p.get_width(), p.get_height())
            for p in ax.patches
            if isinstance(p, Rectangle)
        ]

    return read


class FakeHistory:
    """What matters of keras.callbacks.History: a .history dict."""

    def __init__(self, record):
        self.history = record


@pytest.fixture
def fake_history():
    """Wraps a dict of per-epoch metrics as a Keras ``History`` does."""
    return FakeHistory


# ------------------------------------------------ end of support package part

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
