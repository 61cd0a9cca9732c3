"""lesson_book.book: which files are the book's MyST notebooks, and _toc.yml's reading order."""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx_external_toc.parsing import MalformedError

from lesson_book.book import NOTEBOOK_FOLDERS, ROOT, is_myst_notebook, myst_notebooks, toc_docnames, toc_notebooks

JUPYTEXT = "---\njupytext:\n  text_representation:\n    format_name: myst\nkernelspec:\n  name: python3\n---\n"


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("jupytext.md", JUPYTEXT + "# Title\n", True),
        ("mystnb.md", "---\nfile_format: mystnb\nkernelspec:\n  name: python3\n---\ntext\n", True),
        ("kernel-only.md", "---\nkernelspec:\n  name: python3\n---\ntext\n", False),
        ("other-format.md", JUPYTEXT.replace("format_name: myst", "format_name: markdown"), False),
        ("title-only.md", "---\ntitle: A page\n---\ntext\n", False),
        ("no-front-matter.md", "# Just prose\n\n```{code-cell} ipython3\n1\n```\n", False),
        ("bad-yaml.md", "---\njupytext: [unclosed\n---\n", False),
        ("empty.md", "", False),
        ("notebook.ipynb", JUPYTEXT, False),
    ],
)
def test_is_myst_notebook_reads_the_front_matter(tmp_path, name, text, expected):
    path = tmp_path / name
    path.write_text(text)
    assert is_myst_notebook(path) is expected


def test_is_myst_notebook_is_false_for_a_missing_file_or_a_folder(tmp_path):
    assert not is_myst_notebook(tmp_path / "missing.md")
    (tmp_path / "folder.md").mkdir()
    assert not is_myst_notebook(tmp_path / "folder.md")


def _book(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_myst_notebooks_finds_them_in_the_notebook_folders_only(tmp_path):
    assert NOTEBOOK_FOLDERS == ("lessons", "pages")
    _book(
        tmp_path,
        {
            "lessons/b.md": JUPYTEXT,
            "lessons/a.md": JUPYTEXT,
            "lessons/deeper/c.md": JUPYTEXT,
            "lessons/prose.md": "# Prose\n",
            "lessons/.ipynb_checkpoints/a-checkpoint.md": JUPYTEXT,
            "pages/setup.md": JUPYTEXT,
            "intro.md": JUPYTEXT,  # outside the notebook folders
        },
    )
    assert myst_notebooks(tmp_path) == [
        (tmp_path / name).resolve() for name in ("lessons/a.md", "lessons/b.md", "lessons/deeper/c.md", "pages/setup.md")
    ]


TOC = """\
format: jb-book
root: intro
parts:
  - caption: First
    chapters:
      - file: lessons/one
        sections:
          - file: lessons/one-detail
            sections:
              - file: lessons/one-deeper
      - file: pages/glossary
  - caption: Second
    chapters:
      - file: lessons/two
"""


def test_toc_order_is_depth_first_through_nested_sections(tmp_path):
    _book(
        tmp_path,
        {
            "_toc.yml": TOC,
            "intro.md": "# Intro\n",
            "lessons/one.md": JUPYTEXT,
            "lessons/one-detail.md": "# Prose between notebooks\n",
            "lessons/one-deeper.md": JUPYTEXT,
            "lessons/two.md": JUPYTEXT,
            "pages/glossary.md": "# Glossary\n",
        },
    )
    assert toc_docnames(tmp_path) == [
        "intro", "lessons/one", "lessons/one-detail", "lessons/one-deeper", "pages/glossary", "lessons/two"
    ]
    assert toc_notebooks(tmp_path) == [Path("lessons/one.md"), Path("lessons/one-deeper.md"), Path("lessons/two.md")]


def test_a_file_listed_twice_is_an_error_as_in_the_build(tmp_path):
    _book(tmp_path, {"_toc.yml": TOC + "      - file: lessons/one\n", "intro.md": "# Intro\n"})
    with pytest.raises(MalformedError, match="used multiple times: 'lessons/one'"):
        toc_docnames(tmp_path)


def test_the_real_book_lists_every_notebook_once_setup_first():
    listed = toc_notebooks()
    assert listed[0] == Path("pages/setup.md")
    assert len(listed) == len(set(listed))
    assert sorted(ROOT / path for path in listed) == myst_notebooks()
