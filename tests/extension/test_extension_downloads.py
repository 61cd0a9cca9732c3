"""Tests of ``lesson_book.learner``: the learner notebooks, complete and workbook, and what they leave out."""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat
import pytest

from lesson_book import learner
from lesson_book.book import ROOT, myst_notebooks, repository_substitutions
from lesson_book.learner import convert
from lesson_book.learner.markdown import directives, is_instructor_note

SUBSTITUTIONS = repository_substitutions("https://github.com/o/r", "main")

KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}
INSTALL = 'try:\n    import cnn_lesson\nexcept ImportError:\n    %pip install "cnn-lesson @ x"'


def _notebook(*cells: tuple[str, str]) -> nbformat.NotebookNode:
    made = [
        nbformat.v4.new_markdown_cell(text) if kind == "md" else nbformat.v4.new_code_cell(text)
        for kind, text in cells
    ]
    return nbformat.v4.new_notebook(cells=made, metadata={"kernelspec": KERNEL})


def _cells(notebook: nbformat.NotebookNode) -> list[tuple[str, str]]:
    return [("md" if c.cell_type == "markdown" else "code", c.source) for c in notebook.cells]


def _convert(notebook, version, source=ROOT / "lessons" / "x.md"):
    return _cells(convert.convert(notebook, version, source, {}))


GATED = (
    ("code", "x = 1"),
    ("md", ":::{exercise-start}\n:label: ex-one\n:::\n\nDouble `x`.\n\n"
           ":::{exercise-end}\n:::\n\n:::{solution-start} ex-one\n:class: dropdown\n:::\n\n"
           "Multiply by two."),
    ("code", "x * 2"),
    ("md", "It prints 2.\n\n:::{solution-end}\n:::\n\nThe end, with a {term}`stride`."),
)


def test_a_workbook_replaces_gated_solutions_with_their_code_cells_by_one_empty_cell():
    assert _convert(_notebook(*GATED), learner.WORKBOOK) == [
        ("code", "x = 1"),
        ("md", "### Exercise 1\n\nDouble `x`."),
        ("code", ""),
        ("md", "The end, with a stride."),
    ]


def test_a_complete_notebook_keeps_the_solutions_under_a_heading():
    assert _convert(_notebook(*GATED), learner.COMPLETE) == [
        ("code", "x = 1"),
        ("md", "### Exercise 1\n\nDouble `x`.\n\n#### Solution to exercise 1\n\nMultiply by two."),
        ("code", "x * 2"),
        ("md", "It prints 2.\n\nThe end, with a stride."),
    ]


EXERCISES = ":::{exercise-start}\n:label: ex\n:::\nOne.\n:::{exercise-end}\n:::\n\n" \
            ":::{exercise-start}\n:label: ex2\n:::\nTwo.\n:::{exercise-end}\n:::\n\n"


def test_plain_solutions_and_backtick_fences():
    notebook = _notebook(
        ("md", EXERCISES + "Before.\n\n````{solution} ex\n:class: dropdown\n\n```python\ny = 2\n```\n"
               "Explained.\n````\n\nAfter, see {term}`feature maps <feature map>`.\n\n"
               "```{solution-start} ex2\n```\nGone.\n```{solution-end}\n```"),
    )
    exercises = "### Exercise 1\nOne.\n\n### Exercise 2\nTwo.\n\n"
    assert _convert(notebook, learner.WORKBOOK) == [
        ("md", exercises + "Before."), ("code", ""), ("md", "After, see feature maps."), ("code", ""),
    ]
    assert _convert(notebook, learner.COMPLETE) == [
        ("md", exercises + "Before.\n\n#### Solution to exercise 1\n\n```python\ny = 2\n```\nExplained.\n\n"
               "After, see feature maps.\n\n#### Solution to exercise 2\nGone.")
    ]


def test_a_solution_needs_its_exercise_before_it_on_the_page():
    notebook = _notebook(("md", "````{solution} elsewhere\nAn answer.\n````"))
    with pytest.raises(ValueError, match="a solution to 'elsewhere', but no exercise with that label before it"):
        _convert(notebook, learner.COMPLETE)


@pytest.mark.parametrize("version", learner.VERSIONS)
def test_instructor_notes_and_hidden_checks_are_left_out_the_install_cell_kept(version):
    notebook = _notebook(
        ("md", "Text.\n\n:::{admonition} Instructor note\n:class: tip instructor\n\n"
               "Live-code it.\n:::\n\n:::{admonition} For everyone\n:class: tip\n\nKept.\n:::"),
    )
    install = nbformat.v4.new_code_cell(INSTALL, metadata={"tags": ["remove-cell"]})
    check = nbformat.v4.new_code_cell("assert x == 2", metadata={"tags": ["remove-cell"]})
    quiet = nbformat.v4.new_code_cell("import os", metadata={"tags": ["remove-stderr"]})
    notebook.cells += [install, quiet, check]
    assert _convert(notebook, version) == [
        ("md", "Text.\n\n> **For everyone**\n>\n> Kept."),
        ("code", INSTALL),
        ("code", "import os"),
    ]
    assert len(notebook.cells) == 4  # the original is left alone


@pytest.mark.parametrize(
    "cells",
    [
        (("md", ":::{solution-start} a\n:::\nNo end."), ("code", "1")),
        (("md", ":::{solution-end}\n:::"),),
        (("md", "```{solution} a\nnever closed"),),
    ],
)
def test_a_workbook_rejects_unbalanced_markers(cells):
    with pytest.raises(ValueError, match="solution|never closed"):
        convert.convert(_notebook(*cells), learner.WORKBOOK, ROOT / "x.md", {})


def test_the_metadata_keeps_only_the_kernel_and_outputs_go():
    notebook = _notebook(("code", "print(1)"))
    notebook.metadata.update(jupytext={"text_representation": {}}, title="T", teaching=5)
    notebook.cells[0].outputs = [nbformat.v4.new_output("stream", text="1\n")]
    made = convert.convert(notebook, learner.COMPLETE, ROOT / "x.md", {})
    assert made.metadata == {"kernelspec": KERNEL} and made.cells[0].outputs == []


@pytest.mark.parametrize("version", ["solutions", "", None])
def test_unknown_versions_are_refused(version):
    with pytest.raises(ValueError, match="version"):
        learner.notebook_name("lessons/pooling", version)


def test_the_places_of_the_learner_notebooks():
    assert learner.repository_path("lessons/pooling", learner.COMPLETE) == "lessons/pooling.ipynb"
    assert learner.repository_path("lessons/pooling", learner.WORKBOOK) == "lessons/workbooks/pooling.ipynb"
    assert learner.learner_path("lessons/pooling", learner.COMPLETE) == "_static/learner/pooling.ipynb"
    assert learner.learner_path("pages/setup", learner.COMPLETE) == "_static/learner/setup.ipynb"
    assert learner.learner_path("lessons/pooling", learner.WORKBOOK) == (
        "_static/learner/workbooks/pooling.ipynb"
    )
    assert learner.versions({"teaching": 5, "exercises": 5}) == learner.VERSIONS
    assert learner.versions({"title": "Setup"}) == (learner.COMPLETE,)


def test_the_mnist_notebooks_head_with_the_title_and_point_at_each_other():
    source = ROOT / "lessons" / "mnist-exercise.md"
    complete, workbook = (
        convert.learner_notebook(source, "lessons/mnist-exercise", version, SUBSTITUTIONS)
        for version in learner.VERSIONS
    )
    assert complete.cells[0].source.startswith("# The MNIST exercise")
    assert "`workbooks/mnist-exercise.ipynb`" in complete.cells[0].source
    assert "`../mnist-exercise.ipynb`" in workbook.cells[0].source
    for notebook in (complete, workbook):  # the Overview under the title, the key points at the end
        assert notebook.cells[1].source.startswith("**Overview.** Teaching: ")
        assert "**Questions**" in notebook.cells[1].source and "**Objectives**" in notebook.cells[1].source
        assert notebook.cells[-2].source.startswith("**Key points**\n\n- ")
        assert "{" not in notebook.cells[1].source + notebook.cells[-2].source  # MyST roles converted
    assert "%pip install" in complete.cells[3].source  # Colab needs the install cell
    text = "\n".join(cell.source for cell in workbook.cells)
    assert "np.fill_diagonal" not in text and "assumes more training always helps" not in text
    assert "Which pair of digits does the model confuse most often?" in text
    for notebook in (complete, workbook):  # the licences, last, linking the repository's LICENSE.md
        assert notebook.cells[-1].source.startswith("From the lesson at https://github.com/o/r: ")
        assert "(https://github.com/o/r/blob/main/LICENSE.md)" in notebook.cells[-1].source


# ------------------------------------------ every learner notebook of the book

def _solution_code(notebook: nbformat.NotebookNode) -> list[str]:
    """The code cells between ``solution-start`` and ``solution-end`` of a MyST notebook."""
    inside, found = False, []
    for cell in notebook.cells:
        if cell.cell_type == "code" and inside and "remove-cell" not in cell.metadata.get("tags", []):
            found.append(cell.source)
        for directive in directives(cell.source) if cell.cell_type == "markdown" else []:
            inside = {"solution-start": True, "solution-end": False}.get(directive.name, inside)
    return found


def _instructor_notes(notebook: nbformat.NotebookNode) -> list[str]:
    return [
        directive.content.split("\n\n")[-1].strip()
        for cell in notebook.cells if cell.cell_type == "markdown"
        for directive in directives(cell.source) if is_instructor_note(directive)
    ]


@pytest.mark.parametrize("source", myst_notebooks(), ids=lambda path: path.stem)
def test_the_learner_notebooks_hold_no_hidden_check_no_note_and_workbooks_no_solution(source):
    """On the notebooks in the repository, which the sync test keeps equal to what the build makes."""
    original = jupytext.read(source, fmt="md:myst")
    docname = source.relative_to(ROOT).with_suffix("").as_posix()
    solutions = _solution_code(original)
    notes = _instructor_notes(original)
    for version in learner.versions(original.metadata):
        made = nbformat.read(ROOT / learner.repository_path(docname, version), as_version=4)
        nbformat.validate(made)
        hidden = [
            cell for cell in made.cells
            if "remove-cell" in cell.metadata.get("tags", []) and "%pip install" not in cell.source
        ]
        assert hidden == [], f"{version}: hidden checks left in"
        text = "\n".join(cell.source for cell in made.cells)
        for note in notes:
            assert note not in text, f"{version}: an instructor note left in"
        assert "{" + "solution" not in text and ":class:" not in text and "{term}" not in text
        code = [cell.source for cell in made.cells if cell.cell_type == "code"]
        if version == learner.WORKBOOK:
            assert not set(solutions) & set(code), "a solution left in the workbook"
            empty = sum(source == "" for source in code)
            assert empty == Path(source).read_text().count("{solution-start}")
        else:
            assert all(solution in code for solution in solutions)


def test_learner_notebooks_are_written_and_listed(small_book, soup):
    folder = small_book / "_static" / "learner"
    written = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*.ipynb"))
    assert written == ["one.ipynb", "two.ipynb", "workbooks/one.ipynb", "workbooks/two.ipynb"]
    complete = [cell.source for cell in nbformat.read(folder / "one.ipynb", as_version=4).cells]
    workbook = [cell.source for cell in nbformat.read(folder / "workbooks/one.ipynb", as_version=4).cells]
    assert "x * 2" in complete and "x * 2" not in workbook and "x = 1" in workbook and "" in workbook
    assert not any("Live-code" in text for text in complete + workbook)
    listing = [link["href"] for link in soup(small_book / "setup.html").article.select("a[href]")]
    assert listing.index("_static/learner/two.ipynb") < listing.index("_static/learner/one.ipynb")
    assert "_static/learner/workbooks/one.ipynb" in listing
    assert "https://colab.research.google.com/github/o/small-book/blob/main/lessons/workbooks/one.ipynb" in listing
