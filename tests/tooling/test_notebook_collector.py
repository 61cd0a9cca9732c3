"""The pytest plugin (lesson_book.pytest_plugin) runs MyST notebooks with nbval and feeds the build's cache: check it on small books.

The last test builds a tiny book with Jupyter Book after the tests ran its
notebooks, and checks that the build executed none of them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from jupyter_cache import get_cache

from lesson_book.run import cache as notebook_cache

#: A cell that counts its own executions in a file beside the notebook.
COUNT_RUNS = "with open('runs-{name}.txt', 'a') as log:\n    print('run', file=log)"


def _run(book: pytest.Pytester) -> pytest.RunResult:
    return book.runpytest_subprocess("lessons")


def _records(book: Path) -> list:
    folder = book / "_build" / ".jupyter_cache"
    return get_cache(str(folder)).list_cache_records() if folder.exists() else []


def _runs(book: Path, name: str) -> int:
    log = book / "lessons" / f"runs-{name}.txt"
    return len(log.read_text().splitlines()) if log.exists() else 0


def test_a_passing_notebook_runs_every_code_cell_in_its_own_folder(collector_book, myst_header, myst_cell):
    (collector_book.path / "lessons" / "data.txt").write_text("42")
    (collector_book.path / "lessons" / "good.md").write_text(
        myst_header
        + "Some prose.\n"
        + myst_cell("import os\nvalue = int(open('data.txt').read())")
        + myst_cell("assert value == 42\nassert os.getcwd().endswith('lessons')", tags="remove-cell")
        + myst_cell("print(value)")
    )
    result = _run(collector_book)
    result.assert_outcomes(passed=3)
    assert not list((collector_book.path / "lessons").glob("*.ipynb")), "no converted copy is left behind"


def test_a_passed_notebook_is_stored_with_its_outputs_as_nbclient_records_them(
    collector_book, myst_header, myst_cell
):
    source = collector_book.path / "lessons" / "shown.md"
    source.write_text(
        myst_header
        + myst_cell("from IPython.display import Markdown, display")
        + myst_cell("print('before')\ndisplay(Markdown('**shown**'))\nprint('after')")
        + myst_cell("")
        + myst_cell("6 * 7")
    )
    _run(collector_book).assert_outcomes(passed=4)
    record = notebook_cache.cached_record(source, collector_book.path)
    assert record is not None, "the build would not find the notebook in its cache"
    assert record.data["execution_seconds"] > 0
    cached = get_cache(str(collector_book.path / "_build" / ".jupyter_cache")).get_cache_bundle(record.pk).nb
    first, shown, empty, answer = cached.cells
    # nbclient keeps the order of the outputs; nbval alone would merge the two prints.
    assert [(out.output_type, out.get("text") or out["data"]["text/markdown"]) for out in shown.outputs] == [
        ("stream", "before\n"),
        ("display_data", "**shown**"),
        ("stream", "after\n"),
    ]
    assert answer.outputs[0].data["text/plain"] == "42"
    assert [first.execution_count, shown.execution_count, empty.execution_count, answer.execution_count] == [
        1, 2, None, 3
    ]
    assert answer.outputs[0].execution_count == 3
    assert cached.metadata.language_info.pygments_lexer == "ipython3"


def test_a_failing_cell_fails_the_notebook_is_shown_and_nothing_is_stored(collector_book, myst_header, myst_cell):
    (collector_book.path / "lessons" / "bad.md").write_text(
        myst_header + myst_cell("x = 1") + myst_cell("assert x == 2, 'the check that must fail'")
    )
    result = _run(collector_book)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*Notebook cell execution failed*", "*assert x == 2*",
                                 "*AssertionError*the check that must fail*"])
    assert _records(collector_book.path) == []


def test_a_notebook_with_a_deselected_cell_is_not_stored(collector_book, myst_header, myst_cell):
    source = collector_book.path / "lessons" / "part.md"
    source.write_text(myst_header + myst_cell("x = 1") + myst_cell("y = 2"))
    collector_book.runpytest_subprocess("lessons/part.md::Cell 0").assert_outcomes(passed=1)
    assert _records(collector_book.path) == []
    _run(collector_book).assert_outcomes(passed=2)
    assert notebook_cache.cached_record(source, collector_book.path) is not None


def test_a_cell_tagged_skip_execution_is_not_run_as_in_the_build(collector_book, myst_header, myst_cell):
    source = collector_book.path / "lessons" / "skipping.md"
    source.write_text(
        myst_header + myst_cell("x = 1") + myst_cell("raise SystemExit('must not run')", tags="skip-execution")
    )
    _run(collector_book).assert_outcomes(passed=1)
    assert notebook_cache.cached_record(source, collector_book.path) is not None


def test_with_reuse_set_a_notebook_already_cached_is_not_run_again(
    collector_book, myst_header, myst_cell, monkeypatch
):
    source = collector_book.path / "lessons" / "again.md"
    source.write_text(myst_header + myst_cell(COUNT_RUNS.format(name="again")))
    _run(collector_book).assert_outcomes(passed=1)
    monkeypatch.setenv("REUSE_NOTEBOOK_CACHE", "1")
    result = _run(collector_book)
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    result.stdout.fnmatch_lines(["*REUSE_NOTEBOOK_CACHE=1: not run again, the cache holds them*", "lessons/again.md"])
    assert _runs(collector_book.path, "again") == 1
    source.write_text(source.read_text() + myst_cell("print('changed code')"))
    _run(collector_book).assert_outcomes(passed=2)
    assert _runs(collector_book.path, "again") == 2


#: A cell that seeds Keras as a lesson does and writes the first number NumPy draws next.
DRAW = (
    "import keras\nimport numpy as np\n"
    "keras.utils.set_random_seed(42)\n"
    "with open('draw.txt', 'w') as out:\n    out.write(repr(np.random.rand()))"
)


def test_lesson_seed_changes_every_seed_a_notebook_sets_and_nothing_is_stored(
    collector_book, myst_header, myst_cell, monkeypatch
):
    source = collector_book.path / "lessons" / "seeded.md"
    source.write_text(myst_header + myst_cell(DRAW))
    draws = {}
    for seed in ("1", "2", "1", ""):
        monkeypatch.setenv("LESSON_SEED", seed)
        result = _run(collector_book)
        result.assert_outcomes(passed=2 if seed else 1)  # the re-seeding cell runs first
        if seed:
            result.stdout.fnmatch_lines([f"*with LESSON_SEED={seed}*"])
            assert _records(collector_book.path) == []
        draws.setdefault(seed, set()).add((collector_book.path / "lessons" / "draw.txt").read_text())
    assert all(len(values) == 1 for values in draws.values()), "the same seed draws the same numbers"
    assert len({next(iter(values)) for values in draws.values()}) == 3, draws
    assert notebook_cache.cached_record(source, collector_book.path) is not None, "the book's own run is stored"


def test_another_backend_runs_the_notebooks_but_stores_nothing(collector_book, myst_header, myst_cell, monkeypatch):
    (collector_book.path / "lessons" / "plain.md").write_text(myst_header + myst_cell("x = 6 * 7"))
    monkeypatch.setenv("KERAS_BACKEND", "jax")
    result = _run(collector_book)
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*notebooks run under Keras backend jax, with the lessons' own seeds*"])
    assert _records(collector_book.path) == []


def test_a_bad_seed_stops_the_run_naming_the_variable(collector_book, myst_header, myst_cell, monkeypatch):
    (collector_book.path / "lessons" / "plain.md").write_text(myst_header + myst_cell("x = 1"))
    monkeypatch.setenv("LESSON_SEED", "seven")
    result = _run(collector_book)
    assert result.ret != pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*LESSON_SEED must be a whole number from 0 up, got 'seven'*"])


def test_markdown_without_a_kernel_is_not_collected(collector_book):
    lessons = collector_book.path / "lessons"
    (lessons / "notes.md").write_text("# Just prose\n\n```python\nraise SystemExit\n```\n")
    (lessons / "snippet.md").write_text("---\ntitle: no kernel\n---\ntext\n")
    result = _run(collector_book)
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_the_build_after_the_tests_executes_no_notebook(collector_book, myst_header, myst_cell):
    book = collector_book.path
    (book / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n  - file: lessons/one\n  - file: lessons/two\n"
    )
    (book / "intro.md").write_text("# Tiny\n\n```{nb-exec-table}\n```\n")
    (book / "lessons" / "one.md").write_text(
        myst_header
        + "# One\n"
        + myst_cell(COUNT_RUNS.format(name="one"))
        + myst_cell("print('one printed', 6 * 7)")
        # With colon fences on (as in _config.yml) this is not a cell: a reader
        # without the book's MyST settings would count a cell more, and hash
        # the notebook differently from the build.
        + "\n:::{note}\n```{code-cell} ipython3\nprint('inside a note')\n```\n:::\n"
    )
    (book / "lessons" / "two.md").write_text(
        myst_header + "# Two\n" + myst_cell(COUNT_RUNS.format(name="two"), tags="remove-cell")
    )
    _run(collector_book).assert_outcomes(passed=3)
    assert (_runs(book, "one"), _runs(book, "two")) == (1, 1)
    stored = sorted(record.pk for record in _records(book))
    assert len(stored) == 2

    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    build = subprocess.run(
        [str(jupyter_book), "build", str(book), "--builder", "html", "-n", "-W", "--keep-going"],
        capture_output=True, text=True, timeout=600,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    assert (_runs(book, "one"), _runs(book, "two")) == (1, 1), "the build executed a notebook again"
    assert sorted(record.pk for record in _records(book)) == stored
    page = (book / "_build" / "html" / "lessons" / "one.html").read_text()
    assert "one printed 42" in page
    # MyST-NB's execution table shows each notebook's run time, taken from the cache.
    table = (book / "_build" / "html" / "intro.html").read_text()
    assert table.count(">cache<") == 2
    assert "✅" in table
    runtimes = [float(record.data["execution_seconds"]) for record in _records(book)]
    assert all(f">{round(seconds, 2)}<" in table for seconds in runtimes), table


def test_a_cell_may_run_as_long_as_the_book_lets_it_unless_told_otherwise(collector_book, myst_header, myst_cell):
    config = collector_book.path / "_config.yml"
    config.write_text(config.read_text().replace("execute:\n", "execute:\n  timeout: 1\n"))
    (collector_book.path / "lessons" / "slow.md").write_text(myst_header + myst_cell("import time\ntime.sleep(4)"))
    _run(collector_book).assert_outcomes(failed=1)
    collector_book.runpytest_subprocess("lessons", "--nbval-cell-timeout=30").assert_outcomes(passed=1)


def test_outside_a_book_no_notebook_is_collected(collector_book, myst_header, myst_cell):
    (collector_book.path / "lessons" / "good.md").write_text(myst_header + myst_cell("print(1)"))
    (collector_book.path / "_config.yml").unlink()
    assert _run(collector_book).ret == pytest.ExitCode.NO_TESTS_COLLECTED
