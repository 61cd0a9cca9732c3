"""Small books of MyST notebooks, for the tests of the tooling: the notebook collector, the runner, the cache, the spread."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

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
exclude_patterns: [_build, pyproject.toml]
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
    """A pytester folder set up as a book: the installed plugin (its entry point) collects its notebooks."""
    monkeypatch.delenv("REUSE_NOTEBOOK_CACHE", raising=False)  # CI sets it for the real book
    for variable in ("LESSON_SEED", "KERAS_BACKEND"):  # runs of the real book with another seed or backend
        monkeypatch.delenv(variable, raising=False)
    (pytester.path / "pyproject.toml").write_text(
        "[tool.pytest.ini_options]\n"
        'addopts = "-p no:cacheprovider --nbval-current-env"\n'
    )
    (pytester.path / "_config.yml").write_text(TINY_CONFIG)
    (pytester.path / "lessons").mkdir()
    return pytester
