"""lesson_book.run.cache: the book's MyST settings, its cache's place, and notebooks recorded as nbclient records them.

No kernel runs here: kernel messages are made up.  The collector's tests
(test_notebook_collector.py) run real kernels and a real build.
"""

from __future__ import annotations

import nbformat
import pytest
from jupyter_cache import get_cache
from myst_nb.core.read import read_myst_markdown_notebook
from myst_parser.config.main import MdParserConfig

from lesson_book.book import ROOT
from lesson_book.run import cache as notebook_cache

NESTED = "\n:::{note}\n```{code-cell} ipython3\nprint('inside a note')\n```\n:::\n"


def _message(msg_type: str, **content) -> dict:
    return {
        "msg_type": msg_type,
        "header": {"msg_type": msg_type},
        "content": content,
        "parent_header": {"msg_id": "m1", "msg_type": "execute_request"},
    }


def test_the_real_book_is_read_with_its_own_myst_extensions():
    config = notebook_cache.markdown_config(ROOT)
    assert {"colon_fence", "dollarmath", "amsmath", "deflist", "substitution"} <= set(config.enable_extensions)
    assert config.title_to_header is True  # from sphinx: config: in _config.yml
    assert notebook_cache.cache_folder(ROOT) == ROOT / "_build" / ".jupyter_cache"


def test_a_notebook_is_read_as_myst_nb_reads_it_with_the_books_settings(tiny_book, myst_header, myst_cell):
    path = tiny_book / "lessons" / "one.md"
    text = myst_header + myst_cell("x = 1", tags="remove-cell") + NESTED
    path.write_text(text)
    notebook = notebook_cache.read_notebook(path, tiny_book)
    expected = read_myst_markdown_notebook(
        text, config=MdParserConfig(enable_extensions={"colon_fence"}), add_source_map=True, path=str(path)
    )
    assert [(cell.cell_type, cell.source, cell.metadata) for cell in notebook.cells] == [
        (cell.cell_type, cell.source, cell.metadata) for cell in expected.cells
    ]
    assert [cell.cell_type for cell in notebook.cells] == ["code", "markdown"]
    assert notebook.cells[0].metadata == {"tags": ["remove-cell"]}
    # Without the book's colon fences the nested cell would count: another hash.
    plain = read_myst_markdown_notebook(text, add_source_map=True, path=str(path))
    assert [cell.cell_type for cell in plain.cells] == ["code", "markdown", "code", "markdown"]


def test_reading_a_file_that_is_not_a_notebook_is_an_error(tiny_book):
    path = tiny_book / "lessons" / "notes.md"
    path.write_text("# Just prose\n")
    with pytest.raises(ValueError, match="notes.md"):
        notebook_cache.read_notebook(path, tiny_book)


def test_the_cache_folder_follows_the_books_execute_settings(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "_config.yml").write_text("execute:\n  execute_notebooks: cache\n  cache: here/cache\n")
    assert notebook_cache.cache_folder(tmp_path / "a") == (tmp_path / "a" / "here" / "cache").resolve()
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "_config.yml").write_text("execute:\n  execute_notebooks: force\n")
    assert notebook_cache.cache_folder(tmp_path / "b") is None
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "_config.yml").write_text("execute:\n  execute_notebooks: cache\n")
    assert notebook_cache.cache_folder(tmp_path / "c") == (tmp_path / "c" / "_build" / ".jupyter_cache").resolve()
    # a build with --path-output OUT keeps its cache in OUT/_build (as bench.time_build builds)
    assert notebook_cache.cache_folder(tmp_path / "c", output=tmp_path / "out") == (
        tmp_path / "out" / "_build" / ".jupyter_cache"
    ).resolve()


def test_store_puts_the_notebook_where_the_build_matches_it(tiny_book, myst_header, myst_cell):
    path = tiny_book / "lessons" / "one.md"
    path.write_text(myst_header + myst_cell("print('hi')") + "Text.\n")
    assert notebook_cache.cached_record(path, tiny_book) is None
    executed = notebook_cache.ExecutedNotebook(notebook_cache.read_notebook(path, tiny_book))
    executed.start_cell(0)
    executed.record(_message("stream", name="stdout", text="hi\n"), 0)
    record = notebook_cache.store(executed.result(), path, 1.5, tiny_book)
    assert record.data == {"execution_seconds": 1.5}
    assert notebook_cache.cached_record(path, tiny_book).pk == record.pk
    # What MyST-NB's cache mode does with the notebook it reads from the .md:
    cache = get_cache(str(tiny_book / "_build" / ".jupyter_cache"))
    _, merged = cache.merge_match_into_notebook(notebook_cache.read_notebook(path, tiny_book))
    assert merged.cells[0].outputs == [nbformat.v4.new_output("stream", name="stdout", text="hi\n")]
    assert merged.cells[1].source == "Text."
    # Stored again (tests run twice): replaced, not duplicated.
    notebook_cache.store(executed.result(), path, 2.0, tiny_book)
    assert [r.data for r in cache.list_cache_records()] == [{"execution_seconds": 2.0}]
    # A changed code cell is another notebook for the build.
    path.write_text(myst_header + myst_cell("print('hello')") + "Text.\n")
    assert notebook_cache.cached_record(path, tiny_book) is None


def test_outputs_are_recorded_as_nbclient_records_them(myst_header):
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("Text"),
            nbformat.v4.new_code_cell("work()"),
            nbformat.v4.new_code_cell("   "),
            nbformat.v4.new_code_cell("6 * 7"),
        ]
    )
    executed = notebook_cache.ExecutedNotebook(notebook)
    executed.start_cell(1)
    executed.record(_message("status", execution_state="busy"), 1)
    executed.record(_message("execute_input", code="work()", execution_count=1), 1)
    executed.record(_message("stream", name="stdout", text="first\n"), 1)
    executed.record(_message("clear_output", wait=True), 1)  # a progress display redrawing itself
    executed.record(_message("display_data", data={"text/plain": "drawn"}, metadata={}), 1)
    executed.record(_message("stream", name="stdout", text="last\n"), 1)
    executed.record(_message("status", execution_state="idle"), 1)
    executed.start_cell(2)
    executed.record(_message("execute_input", code="   ", execution_count=1), 2)
    executed.start_cell(3)
    executed.record(_message("execute_input", code="6 * 7", execution_count=1), 3)
    executed.record(_message("execute_result", data={"text/plain": "42"}, metadata={}, execution_count=1), 3)
    result = executed.result()
    work, blank, answer = result.cells[1:]
    assert [output.output_type for output in work.outputs] == ["display_data", "stream"]
    assert work.outputs[1].text == "last\n"
    assert (work.execution_count, blank.execution_count, answer.execution_count) == (1, None, 2)
    assert answer.outputs[0].execution_count == 2
    assert notebook.cells[1].get("outputs") == []  # the notebook given is left as it was
    with pytest.raises(ValueError, match="cell_index must point at a code cell, got 0"):
        executed.record(_message("stream", name="stdout", text="x"), 0)
