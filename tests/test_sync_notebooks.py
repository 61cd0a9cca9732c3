"""scripts/sync_notebooks.py: every MyST notebook has an up-to-date .ipynb beside it, installing from _config.yml's repository.

Out of sync?  Run ``make notebooks`` (``scripts/sync_notebooks.py``).
"""

from __future__ import annotations

import json

import pytest
import sync_notebooks as sync
from book_files import ROOT, myst_notebooks

FIX = "run `make notebooks` to regenerate the .ipynb files"


@pytest.mark.parametrize("source", myst_notebooks(), ids=lambda path: path.name)
def test_pair_is_in_sync(source):
    problems = sync.pair_differences(source)
    assert not problems, "\n".join(problems) + f"\n{FIX}"


@pytest.mark.parametrize("source", myst_notebooks(), ids=lambda path: path.name)
def test_install_cell_installs_from_the_configured_repository(source):
    url, branch = sync.read_repository()
    problems = sync.install_problems(source, url, branch)
    assert not problems, "\n".join(problems) + f"\n{FIX}"


def test_no_ipynb_without_its_myst_notebook():
    assert sync.orphan_notebooks() == []


def test_the_notebooks_include_the_lessons_and_the_setup_page():
    names = {path.relative_to(ROOT).as_posix() for path in myst_notebooks()}
    assert {"lessons/mnist-exercise.md", "pages/setup.md"} <= names
    assert "pages/glossary.md" not in names  # Markdown, not a notebook


# --------------------------------------------------- the script, on a copy of a book

CONFIG = """\
title: A book
repository:
  url: https://github.com/someone/a-book
  branch: {branch}
"""

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
"""


@pytest.fixture
def book(tmp_path):
    (tmp_path / "_config.yml").write_text(CONFIG.format(branch="main"))
    (tmp_path / "lessons").mkdir()
    (tmp_path / "pages").mkdir()
    (tmp_path / "lessons" / "one.md").write_text(NOTEBOOK)
    (tmp_path / "pages" / "notes.md").write_text("# Not a notebook\n")
    return tmp_path


def test_sync_writes_pairs_and_rewrites_the_install_url(book):
    assert sync.check(book) == [
        "one.md: installs \"cnn-lesson @ git+https://github.com/old/place@old-branch\", "
        "_config.yml says \"cnn-lesson @ git+https://github.com/someone/a-book@main\"",
        "one.ipynb is missing",
    ]
    assert sync.sync(book) == []
    assert sync.check(book) == []
    source = (book / "lessons" / "one.md").read_text()
    assert '"cnn-lesson @ git+https://github.com/someone/a-book@main"' in source
    assert source.replace("someone/a-book@main", "old/place@old-branch") == NOTEBOOK
    paired = json.loads((book / "lessons" / "one.ipynb").read_text())
    assert [cell["cell_type"] for cell in paired["cells"]] == ["markdown", "code", "code"]
    assert paired["metadata"]["title"] == "An episode"
    assert all(cell["outputs"] == [] for cell in paired["cells"][1:])
    assert not (book / "pages" / "notes.ipynb").exists()


def test_sync_is_stable(book):
    sync.sync(book)
    first = (book / "lessons" / "one.ipynb").read_bytes()
    sync.sync(book)
    assert (book / "lessons" / "one.ipynb").read_bytes() == first


def test_a_changed_config_puts_every_install_cell_out_of_sync(book):
    sync.sync(book)
    (book / "_config.yml").write_text(CONFIG.format(branch="workshop-2026"))
    problems = sync.check(book)
    assert len(problems) == 2 and all("workshop-2026" in problem for problem in problems)
    sync.sync(book)
    assert sync.check(book) == []
    assert "a-book@workshop-2026" in (book / "lessons" / "one.ipynb").read_text()


def test_an_edited_source_cell_is_out_of_sync(book):
    sync.sync(book)
    source = book / "lessons" / "one.md"
    source.write_text(source.read_text().replace("print(1 + 1)", "print(2 + 2)"))
    assert sync.check(book) == ["one.ipynb: cell 2 source differs from one.md"]


def test_changed_metadata_and_added_cells_are_out_of_sync(book):
    sync.sync(book)
    source = book / "lessons" / "one.md"
    text = source.read_text().replace("teaching: 5", "teaching: 10")
    source.write_text(text + "\nMore text.\n")
    assert sync.check(book) == [
        "one.ipynb: notebook metadata differs from one.md",
        "one.ipynb has 3 cells, one.md has 4",
    ]


def test_cell_metadata_and_outputs_are_compared(book):
    sync.sync(book)
    paired = book / "lessons" / "one.ipynb"
    notebook = json.loads(paired.read_text())
    notebook["cells"][1]["metadata"]["tags"] = []
    notebook["cells"][2]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "2\n"}]
    paired.write_text(json.dumps(notebook))
    assert sync.check(book) == [
        "one.ipynb: cell 1 metadata differs from one.md",
        "one.ipynb holds outputs: strip them",
    ]


def test_orphans_and_missing_install_cells_are_reported(book):
    sync.sync(book)
    (book / "lessons" / "one.md").unlink()
    assert sync.check(book) == ["one.ipynb has no MyST notebook beside it"]
    (book / "lessons" / "two.md").write_text(
        NOTEBOOK.replace("%pip install", "# %pip uninstall").replace('"cnn-lesson', '"other')
    )
    problems = sync.sync(book)
    assert problems == [
        'two.md: no install cell ("cnn-lesson @ git+...") found',
        "one.ipynb has no MyST notebook beside it",
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
        sync.read_repository(tmp_path)


def test_main_check_exit_status(book, capsys):
    assert sync.main(["--check"], root=book) == 1
    assert "make notebooks" in capsys.readouterr().err
    assert sync.main([], root=book) == 0
    assert sync.main(["--check"], root=book) == 0
    assert "1 notebook in sync" in capsys.readouterr().out
