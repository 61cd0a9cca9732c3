"""Fixtures shared by the tests in ``tests/``, one section per part of the project."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
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
    """Mark each test that uses ``small_book`` or ``workshop_book`` for Sphinx's ``app`` fixture.

    The markers make ``app`` the book in tests/roots/test-small-book (or
    test-workshop-book); ``shared_result`` builds it once, for the first such
    test of the session, and lets the others re-use that build.
    """
    for item in items:
        for fixture, root in (("small_book", "small-book"), ("workshop_book", "workshop-book")):
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.sphinx("html", testroot=root))
                item.add_marker(pytest.mark.test_params(shared_result=root))


@pytest.fixture
def small_book(app) -> Path:
    """The HTML folder of the small book (tests/roots/test-small-book), built once."""
    app.build()
    return Path(app.outdir)


@pytest.fixture
def workshop_book(app) -> Path:
    """The HTML folder of the book in tests/roots/test-workshop-book (parts, exercises), built once."""
    app.build()
    assert app.warning.getvalue() == ""
    return Path(app.outdir)


# --------------------------------------------------------- end of Sphinx part

ROOT = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------------------------
# Small books of MyST notebooks: for the tests of the root conftest.py (the notebook
# collector), scripts/notebook_cache.py and scripts/book_files.py.

MYST_HEADER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
"""

#: A book's _config.yml: executed with a cache, MyST's colon fences on (as in the real book).
TINY_CONFIG = """\
title: A tiny book
only_build_toc_files: true
exclude_patterns: [_build, conftest.py, pyproject.toml]
execute:
  execute_notebooks: cache
  allow_errors: false
parse:
  myst_enable_extensions: [colon_fence]
sphinx:
  config:
    nb_execution_raise_on_error: true
    # A test's notebook nests a code cell in a colon fence on purpose (the
    # cell is then not a cell); MyST-NB warns about it.
    suppress_warnings: [mystnb.nbcell]
"""


def code_cell(source: str, tags: str = "") -> str:
    """A MyST code cell with ``source`` and, when given, a ``tags`` option."""
    options = f":tags: [{tags}]\n\n" if tags else ""
    return f"\n```{{code-cell}} ipython3\n{options}{source}\n```\n"


@pytest.fixture
def myst_cell() -> Callable[..., str]:
    """``code_cell`` as a fixture: ``myst_cell(source, tags="")`` is the text of a code cell."""
    return code_cell


@pytest.fixture
def myst_header() -> str:
    """The front matter that makes a ``.md`` file a MyST notebook."""
    return MYST_HEADER


@pytest.fixture
def tiny_book(tmp_path: Path) -> Path:
    """An empty book in ``tmp_path``: ``_config.yml`` and a ``lessons`` folder."""
    (tmp_path / "_config.yml").write_text(TINY_CONFIG)
    (tmp_path / "lessons").mkdir()
    return tmp_path


@pytest.fixture
def collector_book(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A pytester folder set up as the repository is: the root conftest.py, scripts on the path."""
    monkeypatch.delenv("REUSE_NOTEBOOK_CACHE", raising=False)  # CI sets it for the real book
    for variable in ("LESSON_SEED", "KERAS_BACKEND"):  # runs of the real book with another seed or backend
        monkeypatch.delenv(variable, raising=False)
    shutil.copy(ROOT / "conftest.py", pytester.path / "conftest.py")
    (pytester.path / "pyproject.toml").write_text(
        "[tool.pytest.ini_options]\n"
        f"pythonpath = [{str(ROOT / 'scripts')!r}]\n"
        'addopts = "-p no:cacheprovider --nbval-current-env"\n'
    )
    (pytester.path / "_config.yml").write_text(TINY_CONFIG)
    (pytester.path / "lessons").mkdir()
    return pytester
