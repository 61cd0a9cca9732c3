"""Tests of lesson-learner-notebooks (lesson_book.cli.learner_runs): every learner notebook runs alone, as a learner's would."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
import pytest

from lesson_book.book import ROOT
from lesson_book.cli import learner_runs as runner
from lesson_book.learner.convert import learner_files

#: This environment, which has Jupyter too, stands in for the learner environment.
HERE = Path(sys.prefix)


def _notebook(tmp_path: Path, *sources: str) -> Path:
    path = tmp_path / "nb.ipynb"
    cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}}), path)
    return path


def test_a_notebook_runs_alone_in_an_empty_folder_without_the_repository(tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"  # a folder only PYTHONPATH could put on sys.path
    monkeypatch.setenv("PYTHONPATH", str(elsewhere))
    notebook = _notebook(
        tmp_path,
        "import os, sys\nassert os.listdir('.') == ['nb.ipynb'], os.listdir('.')",
        "assert 'PYTHONPATH' not in os.environ\n"
        f"assert {str(elsewhere)!r} not in sys.path, sys.path",
        f"assert sys.prefix == {str(HERE.resolve())!r} or sys.prefix == {str(HERE)!r}, sys.prefix",
    )
    outcome = runner.run_notebook(notebook, HERE)
    assert outcome.ok, outcome.error
    assert outcome.seconds > 0 and outcome.error == ""


def test_a_venv_named_relative_to_here_runs_the_kernel(tmp_path, monkeypatch):
    monkeypatch.chdir(HERE.parent)  # as make passes it: --venv .venv-learner
    notebook = _notebook(tmp_path, f"import sys\nassert sys.prefix in ({str(HERE)!r}, {str(HERE.resolve())!r}), sys.prefix")
    outcome = runner.run_notebook(notebook, Path(HERE.name))
    assert outcome.ok, outcome.error


def test_a_failing_cell_fails_the_notebook_with_its_error(tmp_path):
    notebook = _notebook(tmp_path, "x = 1", "raise RuntimeError('the learner sees this')", "y = 2")
    outcome = runner.run_notebook(notebook, HERE)
    assert not outcome.ok
    assert "RuntimeError" in outcome.error and "the learner sees this" in outcome.error


@pytest.mark.parametrize("timeout", [0, -5, 1.5, "60"])
def test_run_notebook_rejects_a_bad_timeout(tmp_path, timeout):
    with pytest.raises(ValueError, match="timeout"):
        runner.run_notebook(_notebook(tmp_path, "1"), HERE, timeout)


def test_clean_environment_rejects_a_folder_without_python(tmp_path):
    with pytest.raises(ValueError, match="venv must be a virtual environment with Python"):
        runner.clean_environment(tmp_path, tmp_path)


@pytest.mark.parametrize(("system", "folder"), [("nt", "Scripts"), ("posix", "bin")])
def test_a_venv_keeps_its_programs_where_its_system_puts_them(system, folder):
    assert runner.scripts_folder(Path("v"), system) == Path("v") / folder


def test_the_kernel_is_the_venvs_own_python_and_its_programs_come_first_on_the_path(tmp_path):
    env = runner.clean_environment(HERE, tmp_path)
    assert runner.kernel_python(HERE).parent == runner.scripts_folder(HERE)
    assert env["PATH"].split(os.pathsep)[0] == str(runner.scripts_folder(HERE))


def test_the_notebooks_run_are_exactly_the_learner_notebooks():
    found = runner.learner_notebooks()
    names = {path.relative_to(ROOT).as_posix() for path in found}
    assert "pages/setup.ipynb" in names and "lessons/workbooks/mnist-exercise.ipynb" in names
    assert "lessons/mnist-exercise.ipynb" in names
    assert set(found) == set(ROOT.glob("lessons/**/*.ipynb")) | {ROOT / "pages" / "setup.ipynb"}
    assert all(path in found for path in learner_files(ROOT / "lessons" / "pooling.md"))


def test_main_reports_no_match(capsys):
    assert runner.main(["--venv", str(HERE), "no-such-notebook"]) == 1
    assert "no learner notebook matches" in capsys.readouterr().err
