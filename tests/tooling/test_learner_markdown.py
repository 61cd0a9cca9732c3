"""Tests of ``lesson_book.learner.markdown``: the book's MyST Markdown as plain Jupyter Markdown."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from lesson_book.learner import markdown as jm

SUBSTITUTIONS = {"repository_link": "[github.com/o/r](https://github.com/o/r)"}


def _converted(tmp_path: Path, *texts: str) -> list[str]:
    source = tmp_path / "lessons" / "here.md"
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(t) for t in texts])
    converter = jm.Converter(source, notebook, False, SUBSTITUTIONS)
    for text in texts:
        converter.markdown(text)
    converter.finish()
    return [cell.source for cell in converter.cells]


@pytest.fixture
def book(tmp_path):
    (tmp_path / "lessons" / "_includes").mkdir(parents=True)
    (tmp_path / "pages").mkdir()
    (tmp_path / "lessons" / "_includes" / "callout.md").write_text(
        "````{admonition} Careful\n:class: warning\n\nUse {term}`Keras 3 <keras>`.\n````\n"
    )
    (tmp_path / "lessons" / "other.md").write_text(
        "---\njupytext:\n  text_representation:\n    format_name: myst\nkernelspec:\n"
        "  name: python3\n  display_name: Python 3\n---\n\n# Other\n"
    )
    (tmp_path / "pages" / "cost.md").write_text("---\ntitle: \"What it costs\"\n---\n\nText.\n")
    return tmp_path


def test_admonitions_become_titled_block_quotes(book):
    assert _converted(book, ":::{note}\nOne.\n\nTwo.\n:::") == ["> **Note**\n>\n> One.\n>\n> Two."]


def test_includes_are_inlined_and_converted(book):
    assert _converted(book, "Before.\n\n```{include} _includes/callout.md\n```\n\nAfter.") == [
        "Before.\n\n> **Careful**\n>\n> Use Keras 3.\n\nAfter."
    ]


def test_tabs_become_their_contents_under_their_names(book):
    text = "::::{tab-set}\n:::{tab-item} Linux\nrun `a`\n:::\n:::{tab-item} Windows\nrun `b`\n:::\n::::"
    assert _converted(book, text) == ["**Linux**\n\nrun `a`\n**Windows**\n\nrun `b`"]


def test_roles_targets_links_and_substitutions(book):
    texts = (
        "See [the check](check-label), [other](other.md), [cost](../pages/cost.md) "
        "and [the web](https://example.org/a.md).",
        "The page {doc}`../pages/cost`, the {doc}`costs <../pages/cost>`, a button ({fas}`rocket`).",
        "(check-label)=\n## Check your set-up\n\nAt {{ repository_link }}.",
        "As in {ref}`check-label`, {ref}`words <elsewhere>` and {ref}`exercise-label`.",
    )
    assert _converted(book, *texts) == [
        "See [the check](#Check-your-set-up), [other](other.ipynb), cost "
        "and [the web](https://example.org/a.md).",
        "The page What it costs, the costs, a button.",
        "## Check your set-up\n\nAt [github.com/o/r](https://github.com/o/r).",
        "As in [Check your set-up](#Check-your-set-up), words and exercise-label.",
    ]


def test_images_and_figures_become_markdown_images_with_their_alt_text_and_caption(book):
    assert _converted(book, "```{image} dot.svg\n:alt: A dot.\n:width: 50%\n```") == ["![A dot.](dot.svg)"]
    assert _converted(book, "```{figure} ../figs/dot.svg\n:alt: A dot.\n\nA {term}`dot <stride>`.\n```") == [
        "![A dot.](../figs/dot.svg)\n\n*A dot.*"
    ]


def test_the_learner_notebooks_directive_becomes_a_sentence(book):
    assert _converted(book, "```{learner-notebooks}\n```") == [jm.NOTEBOOKS_SENTENCE]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("```{math}\nx\n```", "directive {math}"),
        ("A {abbr}`CNN (convolutional neural network)`.", "role {abbr}"),
        ("{{ nowhere }}", "substitution"),
        (":::{note}\n```{solution-start} x\n```\n:::", "inside another directive"),
    ],
)
def test_what_has_no_jupyter_form_is_refused(book, text, message):
    with pytest.raises(ValueError, match=message):
        _converted(book, text)


def test_directives_gives_names_and_line_ranges_of_the_outer_directives():
    text = (
        "Text.\n\n````{solution} ex\n:class: dropdown\n\n```{note}\nInner.\n```\n````\n\n"
        ":::{admonition} Title\n:class: instructor\nBody.\n:::\n\n```python\nnot_a_directive()\n```\n"
    )
    found = jm.directives(text)
    assert [(d.name, d.argument, d.start, d.end) for d in found] == [
        ("solution", "ex", 2, 9), ("admonition", "Title", 10, 14)
    ]
    assert jm.is_instructor_note(found[1]) and not jm.is_instructor_note(found[0])


def test_page_title_reads_the_front_matter_or_the_first_heading(book):
    assert jm.page_title(book / "pages" / "cost.md") == "What it costs"
    assert jm.page_title(book / "lessons" / "other.md") == "Other"
