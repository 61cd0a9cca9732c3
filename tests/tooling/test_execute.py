"""lesson_book.run.execute: the one runner, on tiny notebooks (a fresh kernel, a folder, a seed, another Python, a failure, a probe)."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

from lesson_book.run import execute as runner


def _notebook(*sources: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in sources])


def test_a_notebook_runs_in_a_fresh_kernel_in_its_folder_and_is_timed(tmp_path):
    (tmp_path / "data.txt").write_text("42")
    run = runner.execute(_notebook("value = int(open('data.txt').read())", "print(value + 1)"), tmp_path)
    assert run.ok and run.error is None and run.failed_cell is None
    assert run.notebook.cells[1].outputs[0]["text"] == "43\n"
    assert run.seconds > 0
    assert all("execution" in cell.metadata for cell in run.notebook.cells)


def test_a_failing_cell_ends_the_run_and_is_named(tmp_path):
    run = runner.execute(_notebook("x = 1", "raise KeyError('nope')", "y = 2"), tmp_path)
    assert not run.ok and run.failed_cell == 1
    assert "KeyError" in run.error and "nope" in run.error
    assert run.notebook.cells[2].outputs == []


def test_a_seed_runs_the_reseeding_prelude_first(tmp_path):
    check = "import keras\nprint(keras.utils.set_random_seed.__name__)"
    plain = runner.execute(_notebook(check), tmp_path)
    seeded = runner.execute(_notebook(check), tmp_path, seed=3)
    assert plain.notebook.cells[-1].outputs[0]["text"].strip() == "set_random_seed"
    assert seeded.notebook.cells[-1].outputs[0]["text"].strip() == "_reseeded"
    assert len(seeded.notebook.cells) == 2


def test_the_probe_runs_after_the_notebook_in_the_same_kernel(tmp_path):
    run = runner.execute(_notebook("x = 20"), tmp_path, probe="print(x + 1)")
    assert run.probe == "21\n" and len(run.notebook.cells) == 1
    noisy = "import sys\nprint('a log line', file=sys.stderr, flush=True)\nprint(x + 1)"
    assert runner.execute(_notebook("x = 20"), tmp_path, probe=noisy).probe == "21\n"  # stderr left out


def test_another_python_runs_the_kernel_with_the_environment_given(tmp_path):
    python = Path(sys.prefix) / "bin" / "python"
    run = runner.execute(
        _notebook("import os, sys\nprint(sys.prefix)\nprint(os.environ['LESSON_TEST'])"), tmp_path,
        python=python, env={"PATH": "/usr/bin:/bin", "LESSON_TEST": "here"},
    )
    assert run.ok, run.error
    assert run.notebook.cells[0].outputs[0]["text"].split() == [sys.prefix, "here"]


def test_a_python_named_relative_to_here_still_runs_the_kernel_elsewhere(tmp_path, monkeypatch):
    monkeypatch.chdir(Path(sys.prefix).parent)
    python = Path(Path(sys.prefix).name) / "bin" / "python"
    run = runner.execute(_notebook("import sys\nprint(sys.prefix)"), tmp_path, python=python)
    assert run.ok, run.error


def test_a_cell_longer_than_the_timeout_fails_the_run(tmp_path):
    run = runner.execute(_notebook("import time\ntime.sleep(10)"), tmp_path, timeout=1)
    assert not run.ok and run.failed_cell == 0


@pytest.mark.parametrize("timeout", [0, -1, 1.5, True, "60"])
def test_a_bad_timeout_is_refused(tmp_path, timeout):
    with pytest.raises(ValueError, match="timeout"):
        runner.execute(_notebook("1"), tmp_path, timeout=timeout)


def test_a_bad_notebook_or_folder_is_refused(tmp_path):
    with pytest.raises(TypeError, match="notebook"):
        runner.execute({"cells": []}, tmp_path)
    with pytest.raises(ValueError, match="folder"):
        runner.execute(_notebook("1"), tmp_path / "missing")


def test_the_cell_timeout_is_the_builds(tmp_path):
    (tmp_path / "_config.yml").write_text("title: T\nexecute:\n  timeout: 17\n")
    assert runner.cell_timeout(tmp_path) == 17
    (tmp_path / "_config.yml").write_text("title: T\nexecute:\n  timeout: -3\n")
    runner.sphinx_settings.cache_clear()
    with pytest.raises(ValueError, match="timeout"):
        runner.cell_timeout(tmp_path)


def test_failed_cell_counts_code_cells_only():
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("text"),
        nbformat.v4.new_code_cell("1"),
        nbformat.v4.new_code_cell("boom", outputs=[nbformat.v4.new_output("error", ename="E", evalue="v", traceback=[])]),
    ])
    assert runner.failed_cell(notebook) == 1
    assert runner.failed_cell(_notebook("1")) is None
