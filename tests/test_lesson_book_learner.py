"""Tests of ``lesson_book.learner``: the learner notebooks, each episode without its solutions."""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat
import pytest

from lesson_book import learner

ROOT = Path(__file__).resolve().parents[1]


KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}


def _notebook(*cells: tuple[str, str]) -> nbformat.NotebookNode:
    made = [
        nbformat.v4.new_markdown_cell(text) if kind == "md" else nbformat.v4.new_code_cell(text)
        for kind, text in cells
    ]
    return nbformat.v4.new_notebook(cells=made, metadata={"kernelspec": KERNEL})


def _cells(notebook: nbformat.NotebookNode) -> list[tuple[str, str]]:
    return [("md" if c.cell_type == "markdown" else "code", c.source) for c in notebook.cells]


def test_strip_solutions_removes_gated_solutions_with_their_code_cells():
    notebook = _notebook(
        ("code", "x = 1"),
        ("md", ":::{exercise-start}\n:label: ex-one\n:::\n\nDouble `x`.\n\n"
               ":::{exercise-end}\n:::\n\n:::{solution-start} ex-one\n:class: dropdown\n:::\n\n"
               "Multiply by two."),
        ("code", "x * 2"),
        ("md", "It prints 2.\n\n:::{solution-end}\n:::\n\nThe end, with a {term}`stride`."),
    )
    assert _cells(learner.strip_solutions(notebook)) == [
        ("code", "x = 1"),
        ("md", "### Exercise\n\nDouble `x`."),
        ("code", ""),
        ("md", "The end, with a stride."),
    ]


def test_strip_solutions_handles_plain_solutions_and_backtick_fences():
    notebook = _notebook(
        ("md", "Before.\n\n````{solution} ex\n:class: dropdown\n\n```python\ny = 2\n```\n"
               "Explained.\n````\n\nAfter, see {term}`feature maps <feature map>`.\n\n"
               "```{solution-start} ex2\n```\nGone.\n```{solution-end}\n```"),
    )
    assert _cells(learner.strip_solutions(notebook)) == [
        ("md", "Before."),
        ("code", ""),
        ("md", "After, see feature maps."),
        ("code", ""),
    ]


def test_strip_solutions_leaves_out_instructor_notes():
    notebook = _notebook(
        ("md", "Text.\n\n:::{admonition} Instructor note\n:class: tip instructor\n\n"
               "Live-code it.\n:::\n\n:::{admonition} For everyone\n:class: tip\n\nKept.\n:::"),
    )
    assert _cells(learner.strip_solutions(notebook)) == [
        ("md", "Text.\n\n:::{admonition} For everyone\n:class: tip\n\nKept.\n:::")
    ]


def test_strip_solutions_keeps_everything_else_and_the_metadata():
    notebook = _notebook(("md", "# Text\n\n```{note}\nKept.\n```"), ("code", "print(1)"))
    notebook.metadata["jupytext"] = {"text_representation": {}}
    stripped = learner.strip_solutions(notebook)
    assert _cells(stripped) == _cells(notebook)
    assert stripped.metadata == {"kernelspec": KERNEL}


@pytest.mark.parametrize(
    "cells",
    [
        (("md", ":::{solution-start} a\n:::\nNo end."), ("code", "1")),
        (("md", ":::{solution-end}\n:::"),),
        (("md", "```{solution} a\nnever closed"),),
    ],
)
def test_strip_solutions_rejects_unbalanced_markers(cells):
    with pytest.raises(ValueError, match="solution|never closed"):
        learner.strip_solutions(_notebook(*cells))


def test_drop_hidden_checks_keeps_the_install_cell_and_visible_cells():
    install = nbformat.v4.new_code_cell(
        'try:\n    import cnn_lesson\nexcept ImportError:\n    %pip install "cnn-lesson @ x"',
        metadata={"tags": ["remove-cell"]},
    )
    check = nbformat.v4.new_code_cell("assert answer == 2", metadata={"tags": ["remove-cell"]})
    quiet = nbformat.v4.new_code_cell("import os", metadata={"tags": ["remove-stderr"]})
    notebook = _notebook(("md", "Text."))
    notebook.cells += [install, quiet, check]
    kept = learner.drop_hidden_checks(notebook)
    assert [cell.source for cell in kept.cells] == ["Text.", install.source, "import os"]
    assert len(notebook.cells) == 4  # the original is left alone


def test_the_mnist_learner_notebook_has_no_solutions_left():
    source = ROOT / "lessons" / "mnist-exercise.md"
    full = jupytext.read(source, fmt="md:myst")
    notebook = learner.learner_notebook(source, "The MNIST exercise")
    text = "\n".join(cell.source for cell in notebook.cells)
    assert notebook.cells[0].source.startswith("# The MNIST exercise\n\nThis is the learner version")
    assert "%pip install" in notebook.cells[2].source  # Colab needs the install cell
    for removed in ("np.fill_diagonal", "x_test[:1]", "196,100 parameters",
                    "assumes more training always helps", ":class: instructor",
                    "assert test_accuracy >= 0.98"):
        assert removed in "\n".join(c.source for c in full.cells)
        assert removed not in text
    assert "Which pair of digits does the model confuse most often?" in text
    assert "{solution" not in text and "{term}" not in text and "{exercise" not in text
    exercises = source.read_text().count(":::{exercise-start}")
    assert exercises >= 5 and text.count("### Exercise") == exercises
    empty = [cell for cell in notebook.cells if cell.cell_type == "code" and not cell.source]
    assert len(empty) == exercises
    nbformat.validate(notebook)


def test_directives_gives_names_and_line_ranges_of_the_outer_directives():
    text = (
        "Text.\n\n````{solution} ex\n:class: dropdown\n\n```{note}\nInner.\n```\n````\n\n"
        ":::{admonition} Title\n:class: instructor\nBody.\n:::\n\n```python\nnot_a_directive()\n```\n"
    )
    found = learner.directives(text)
    assert [(d.name, d.argument, d.start, d.end) for d in found] == [
        ("solution", "ex", 2, 9), ("admonition", "Title", 10, 14)
    ]
    assert learner.is_instructor_note(found[1]) and not learner.is_instructor_note(found[0])


@pytest.mark.parametrize(
    ("text", "plain"),
    [("a {term}`stride` b", "a stride b"), ("{term}`maps <feature map>`.", "maps."),
     ("no roles", "no roles"), ("{term}`open", "{term}`open")],
)
def test_plain_terms(text, plain):
    assert learner.plain_terms(text) == plain


def test_learner_path():
    assert learner.learner_path("lessons/pooling") == "_static/learner/pooling.ipynb"


def test_learner_notebooks_are_written_and_listed(small_book):
    written = sorted(path.name for path in (small_book / "_static" / "learner").iterdir())
    assert written == ["one.ipynb", "two.ipynb"]
    notebook = nbformat.read(small_book / "_static" / "learner" / "one.ipynb", as_version=4)
    sources = [cell.source for cell in notebook.cells]
    assert "x * 2" not in sources and "x = 1" in sources and "" in sources
    listing = (small_book / "setup.html").read_text(encoding="utf-8")
    assert listing.index("_static/learner/two.ipynb") < listing.index("_static/learner/one.ipynb")
    assert "download" in listing
