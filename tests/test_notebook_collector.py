"""The root conftest.py runs MyST notebooks with nbval: check it on small notebooks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]

HEADER = """---
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


def _cell(source: str, tags: str = "") -> str:
    options = f":tags: [{tags}]\n\n" if tags else ""
    return f"\n```{{code-cell}} ipython3\n{options}{source}\n```\n"


@pytest.fixture
def book(pytester: pytest.Pytester) -> pytest.Pytester:
    shutil.copy(ROOT / "conftest.py", pytester.path / "conftest.py")
    (pytester.path / "lessons").mkdir()
    return pytester


def _run(book: pytest.Pytester) -> pytest.RunResult:
    return book.runpytest_subprocess("lessons", "--nbval-current-env", "-p", "no:cacheprovider")


def test_a_passing_notebook_runs_every_code_cell_in_its_own_folder(book):
    (book.path / "lessons" / "data.txt").write_text("42")
    (book.path / "lessons" / "good.md").write_text(
        HEADER
        + "Some prose.\n"
        + _cell("import os\nvalue = int(open('data.txt').read())")
        + _cell("assert value == 42\nassert os.getcwd().endswith('lessons')", tags="remove-cell")
        + _cell("print(value)")
    )
    result = _run(book)
    result.assert_outcomes(passed=3)
    assert not list((book.path / "lessons").glob("*.ipynb")), "no converted copy is left behind"


def test_a_failing_cell_fails_the_notebook_and_is_shown(book):
    (book.path / "lessons" / "bad.md").write_text(
        HEADER + _cell("x = 1") + _cell("assert x == 2, 'the check that must fail'")
    )
    result = _run(book)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*Notebook cell execution failed*", "*assert x == 2*",
                                 "*AssertionError*the check that must fail*"])


def test_markdown_without_a_kernel_is_not_collected(book):
    (book.path / "lessons" / "notes.md").write_text("# Just prose\n\n```python\nraise SystemExit\n```\n")
    (book.path / "lessons" / "snippet.md").write_text("---\ntitle: no kernel\n---\ntext\n")
    result = _run(book)
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
