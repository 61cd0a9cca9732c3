"""Fixtures every test folder shares: figures drawn off screen and closed after each test, Keras imported once, what a figure drew.

The tests are grouped by role, each folder with its own ``conftest.py`` where
it needs one: ``support/`` (the learners' package, ``src/cnn_lesson``),
``figures/`` (its plots), ``extension/`` (the Sphinx extension, on small
books), ``tooling/`` (the rest of ``tools/lesson_book``: the book's model,
learner notebooks, the runner, the pytest plugin, the commands) and
``browser/`` (the built book in headless Chromium, after the build).
"""

from __future__ import annotations

import os

import matplotlib

# Figures are drawn off screen (Agg) and TensorFlow starts quietly, before either is imported.
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
