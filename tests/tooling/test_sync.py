"""lesson-sync (lesson_book.cli.sync): every MyST notebook has its learner notebooks beside it, current, installing this release from _config.yml's repository.

Out of sync?  Run ``make notebooks`` (``lesson-sync``).
"""

from __future__ import annotations

import json

import nbformat
import pytest

from lesson_book.book import ROOT, myst_notebooks, read_repository, release_tag
from lesson_book.cli import sync
from lesson_book.learner import COMPLETE, GENERATED_KEY, WORKBOOK, convert, repository_path

FIX = "run `make notebooks` to regenerate the .ipynb files"


@pytest.mark.parametrize("source", myst_notebooks(), ids=lambda path: path.name)
def test_learner_notebooks_are_in_sync(source):
    problems = sync.learner_differences(source)
    assert not problems, "\n".join(problems) + f"\n{FIX}"


@pytest.mark.parametrize("source", myst_notebooks(), ids=lambda path: path.name)
def test_install_cell_installs_this_release_from_the_configured_repository(source):
    url, _ = read_repository()
    problems = sync.install_problems(source, url, release_tag())
    assert not problems, "\n".join(problems) + f"\n{FIX}"


def test_no_ipynb_without_its_myst_notebook():
    assert sync.orphan_notebooks() == []


def test_the_notebooks_include_the_lessons_and_the_setup_page():
    names = {path.relative_to(ROOT).as_posix() for path in myst_notebooks()}
    assert {"lessons/mnist-exercise.md", "pages/setup.md"} <= names
    assert "pages/glossary.md" not in names  # Markdown, not a notebook


def test_every_lesson_has_a_workbook_and_the_setup_page_none():
    made = {
        path.relative_to(ROOT).as_posix()
        for source in myst_notebooks() for path in sync.learner_files(source)
    }
    lessons = [path.stem for path in myst_notebooks() if path.parent.name == "lessons"]
    assert len(lessons) >= 10
    for name in lessons:
        assert {f"lessons/{name}.ipynb", f"lessons/workbooks/{name}.ipynb"} <= made
    assert "pages/setup.ipynb" in made and "pages/workbooks/setup.ipynb" not in made
    assert repository_path("lessons/pooling", WORKBOOK) == "lessons/workbooks/pooling.ipynb"


# --------------------------------------------------- the script, on a copy of a book

CONFIG = """\
title: A book
repository:
  url: https://github.com/someone/a-book
  branch: {branch}
"""

PYPROJECT = """\
[project]
name = "cnn-lesson"
version = "{version}"
"""

LICENCE = (
    "From the lesson at https://github.com/someone/a-book: text and figures under the "
    "[CC BY 4.0 licence](https://creativecommons.org/licenses/by/4.0/), code under the "
    "[MIT licence](https://github.com/someone/a-book/blob/main/LICENSE.md)."
)

NOTEBOOK = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
kernelspec:
  display_name: Python 3
  language: python
  name: python3
title: "An episode"
teaching: 5
exercises: 5
---

Some text.

```{code-cell} ipython3
:tags: [remove-cell]

try:
    import cnn_lesson
except ImportError:
    %pip install --quiet "cnn-lesson @ git+https://github.com/old/place@old-branch"
```

```{code-cell} ipython3
print(1 + 1)
```

:::{admonition} Instructor note
:class: instructor
Say it twice.
:::

:::{exercise-start}
:label: ex
:::

Print three.

:::{exercise-end}
:::

:::{solution-start} ex
:::

```{code-cell} ipython3
answer = 3
print(answer)
```

:::{solution-end}
:::

```{code-cell} ipython3
:tags: [remove-cell]

assert answer == 3
```
"""


@pytest.fixture
def book(tmp_path):
    (tmp_path / "_config.yml").write_text(CONFIG.format(branch="main"))
    (tmp_path / "pyproject.toml").write_text(PYPROJECT.format(version="1.2.0"))
    (tmp_path / "lessons").mkdir()
    (tmp_path / "pages").mkdir()
    (tmp_path / "lessons" / "one.md").write_text(NOTEBOOK)
    (tmp_path / "pages" / "notes.md").write_text("# Not a notebook\n")
    return tmp_path


def _sources(path):
    return [(cell.cell_type, cell.source) for cell in nbformat.read(path, as_version=4).cells]


def test_sync_writes_the_learner_notebooks_and_rewrites_the_install_url(book):
    assert sync.check(book) == [
        "one.md: installs \"cnn-lesson @ git+https://github.com/old/place@old-branch\", "
        "the book's address and release say \"cnn-lesson @ git+https://github.com/someone/a-book@v1.2.0\"",
        "lessons/one.ipynb is missing",
        "lessons/workbooks/one.ipynb is missing",
    ]
    assert sync.sync(book) == []
    assert sync.check(book) == []
    source = (book / "lessons" / "one.md").read_text()
    assert '"cnn-lesson @ git+https://github.com/someone/a-book@v1.2.0"' in source
    assert source.replace("someone/a-book@v1.2.0", "old/place@old-branch") == NOTEBOOK
    complete = _sources(book / "lessons" / "one.ipynb")
    workbook = _sources(book / "lessons" / "workbooks" / "one.ipynb")
    for cells in (complete, workbook):
        assert cells[0][1].startswith("# An episode\n\n")
        assert cells[1] == ("markdown", "**Overview.** Teaching: 5 min. Exercises: 5 min.")
        assert cells[2] == ("markdown", "Some text.")
        assert "a-book@v1.2.0" in cells[3][1] and cells[4] == ("code", "print(1 + 1)")
        assert cells[-1] == ("markdown", LICENCE)
        text = "\n".join(source for _, source in cells)
        assert "assert answer" not in text and "Say it twice" not in text and "{" not in text
    assert complete[5:-1] == [
        ("markdown", "### Exercise 1\n\nPrint three.\n\n#### Solution to exercise 1"),
        ("code", "answer = 3\nprint(answer)"),
    ]
    assert workbook[5:-1] == [("markdown", "### Exercise 1\n\nPrint three."), ("code", "")]
    written = json.loads((book / "lessons" / "one.ipynb").read_text())
    assert set(written["metadata"]) == {"kernelspec", GENERATED_KEY}
    assert written["metadata"][GENERATED_KEY]["source"] == "one.md"
    assert all(cell["outputs"] == [] for cell in written["cells"] if cell["cell_type"] == "code")
    assert not (book / "pages" / "notes.ipynb").exists()


def test_sync_is_stable(book):
    sync.sync(book)
    first = (book / "lessons" / "one.ipynb").read_bytes()
    sync.sync(book)
    assert (book / "lessons" / "one.ipynb").read_bytes() == first


def test_a_new_release_puts_every_install_cell_out_of_sync(book):
    sync.sync(book)
    (book / "pyproject.toml").write_text(PYPROJECT.format(version="1.3.0"))
    problems = sync.check(book)
    assert problems == [
        "one.md: installs \"cnn-lesson @ git+https://github.com/someone/a-book@v1.2.0\", "
        "the book's address and release say \"cnn-lesson @ git+https://github.com/someone/a-book@v1.3.0\"",
    ]  # the learner notebooks follow their source, which sync rewrites
    sync.sync(book)
    assert sync.check(book) == []
    assert "a-book@v1.3.0" in (book / "lessons" / "one.ipynb").read_text()


def test_a_changed_branch_changes_the_licence_link_not_the_install_cell(book):
    sync.sync(book)
    (book / "_config.yml").write_text(CONFIG.format(branch="workshop-2026"))
    assert sync.check(book) == [
        "lessons/one.ipynb differs from what one.md makes",
        "lessons/workbooks/one.ipynb differs from what one.md makes",
    ]
    sync.sync(book)
    text = (book / "lessons" / "one.ipynb").read_text()
    assert "a-book@v1.2.0" in text and "a-book/blob/workshop-2026/LICENSE.md" in text


def test_an_edited_source_or_learner_notebook_is_out_of_sync(book):
    sync.sync(book)
    source = book / "lessons" / "one.md"
    source.write_text(source.read_text().replace("print(1 + 1)", "print(2 + 2)"))
    assert sync.check(book) == [
        "lessons/one.ipynb differs from what one.md makes",
        "lessons/workbooks/one.ipynb differs from what one.md makes",
    ]
    sync.sync(book)
    workbook = book / "lessons" / "workbooks" / "one.ipynb"
    notebook = json.loads(workbook.read_text())
    notebook["cells"][-1]["source"] = "answer = 3"
    workbook.write_text(json.dumps(notebook))
    assert sync.check(book) == ["lessons/workbooks/one.ipynb differs from what one.md makes"]


def test_orphans_and_missing_install_cells_are_reported(book):
    sync.sync(book)
    (book / "lessons" / "one.md").unlink()
    assert sync.check(book) == [
        "one.ipynb has no MyST notebook that makes it",
        "one.ipynb has no MyST notebook that makes it",
    ]
    (book / "lessons" / "two.md").write_text(
        NOTEBOOK.replace("%pip install", "# %pip uninstall").replace('"cnn-lesson', '"other')
    )
    problems = sync.sync(book)
    assert problems == [
        'two.md: no install cell ("cnn-lesson @ git+...") found',
        "one.ipynb has no MyST notebook that makes it",
        "one.ipynb has no MyST notebook that makes it",
    ]
    assert "two.md: the first code cell does not install cnn-lesson" in sync.check(book)


def test_rewrite_install_url():
    text = 'x\n%pip install "cnn-lesson @ git+https://a.example/b/c@dev"\n'
    assert sync.rewrite_install_url(text, "https://github.com/o/r", "main") == (
        'x\n%pip install "cnn-lesson @ git+https://github.com/o/r@main"\n'
    )
    with pytest.raises(ValueError, match="no install cell"):
        sync.rewrite_install_url("print(1)", "https://github.com/o/r", "main")


@pytest.mark.parametrize(
    ("repository", "message"),
    [
        ("repository:\n  branch: main\n", "url"),
        ("repository:\n  url: http://github.com/o/r\n  branch: main\n", "url"),
        ("repository:\n  url: https://github.com/o/r\n", "branch"),
        ("title: no repository\n", "url"),
    ],
)
def test_read_repository_rejects_incomplete_config(tmp_path, repository, message):
    (tmp_path / "_config.yml").write_text(repository)
    with pytest.raises(ValueError, match=message):
        read_repository(tmp_path)


def test_main_check_exit_status(book, capsys):
    assert sync.main(["--check"], root=book) == 1
    assert "make notebooks" in capsys.readouterr().err
    assert sync.main([], root=book) == 0
    assert sync.main(["--check"], root=book) == 0
    assert "1 notebook in sync with their learner notebooks" in capsys.readouterr().out


# --------------------------------------------- each learner notebook made once a run


def test_a_learner_notebook_is_made_once_for_the_same_inputs(book, tmp_path, monkeypatch):
    source, made = book / "lessons" / "one.md", tmp_path / "made"
    substitutions = {"repository_url": "https://github.com/someone/a-book", "repository_ref": "main"}
    first = convert.learner_text(source, "lessons/one", WORKBOOK, substitutions, made)
    assert len(list(made.glob("*.ipynb"))) == 1

    def made_again(*args):
        raise AssertionError("made again, although nothing it reads changed")

    monkeypatch.setattr(convert, "learner_notebook", made_again)
    assert convert.learner_text(source, "lessons/one", WORKBOOK, substitutions, made) == first
    with pytest.raises(AssertionError, match="made again"):  # another version, another notebook
        convert.learner_text(source, "lessons/one", COMPLETE, substitutions, made)
    with pytest.raises(AssertionError, match="made again"):  # other substitutions
        convert.learner_text(source, "lessons/one", WORKBOOK, {**substitutions, "repository_ref": "v2"}, made)
    source.write_text(source.read_text().replace("Some text.", "Other text."))
    with pytest.raises(AssertionError, match="made again"):  # an edited source
        convert.learner_text(source, "lessons/one", WORKBOOK, substitutions, made)


def test_an_edit_to_an_episode_it_builds_on_or_to_the_converter_makes_it_again(book, monkeypatch):
    source = book / "lessons" / "one.md"
    (book / "lessons" / "zero.md").write_text(NOTEBOOK.replace('"An episode"', '"Episode zero"'))
    source.write_text(NOTEBOOK.replace("exercises: 5\n", "exercises: 5\nbuilds-on: [zero]\n"))
    substitutions = {"repository_url": "https://github.com/someone/a-book", "repository_ref": "main"}
    key = convert.made_key(source, "lessons/one", WORKBOOK, substitutions)
    (book / "lessons" / "zero.md").write_text(NOTEBOOK.replace('"An episode"', '"Episode nought"'))
    assert convert.made_key(source, "lessons/one", WORKBOOK, substitutions) != key
    key = convert.made_key(source, "lessons/one", WORKBOOK, substitutions)
    converter = book / "markdown.py"
    converter.write_text("# the converter\n")
    monkeypatch.setattr(convert, "MAKERS", (*convert.MAKERS, converter))
    before = convert.made_key(source, "lessons/one", WORKBOOK, substitutions)
    converter.write_text("# the converter, changed\n")
    assert convert.made_key(source, "lessons/one", WORKBOOK, substitutions) != before != key
