"""Learner notebooks made from the MyST source: each notebook page as learners open it, complete or as a workbook.

A learner opens a notebook from the book (the download button, the links in
each episode's Overview box) or from the repository (Colab and Binder open
the ``.ipynb`` beside each MyST source).  Every one of them is made here,
from the MyST source, in one of two versions:

``complete``
    the page as the book shows it, with the exercises' solutions;
``workbook``
    (episodes only) each solution replaced by one empty code cell to type an
    answer in: everything between ``solution-start`` and ``solution-end``
    (markdown and code cells alike), and every plain ``solution`` directive.

Both leave out what is not for learners: the hidden checks for the tests
(``remove-cell`` code cells other than the install cell) and the instructor
notes (admonitions of class ``instructor``).  Jupyter does not know the
book's MyST syntax, so :mod:`lesson_book.learner.markdown` turns it into
plain Jupyter Markdown.

The build writes them into ``_static/learner/`` (``<name>.ipynb`` and
``workbooks/<name>.ipynb``; :mod:`lesson_book.extension.downloads`), and
``lesson-sync`` writes the same notebooks into the repository
(``lessons/<name>.ipynb`` and ``lessons/workbooks/<name>.ipynb``,
``pages/setup.ipynb``), for Colab and Binder; :mod:`lesson_book.learner` names
those places.  Both take them from :func:`learner_text`, which makes each
once for the same inputs, so ``make test`` (its sync check, then the build)
makes every learner notebook once.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
from pathlib import Path
from typing import Any, Mapping

import jupytext
import nbformat
from nbconvert.preprocessors import TagRemovePreprocessor

import lesson_book.book
import lesson_book.model
from lesson_book.book import ROOT, licence_markdown, read_repository, repository_substitutions
from lesson_book.learner import (
    COMPLETE,
    GENERATED_KEY,
    WORKBOOK,
    check_version,
    front_matter,
    notebook_name,
    repository_files,
    source_files,
    versions,
)
from lesson_book.learner.markdown import Converter
from lesson_book.model import BUILDS_ON, OPTIONAL_NOTE, RUN_ONLY_NOTE, RUN_ONLY_TAG, episode_fields

INTROS = {
    COMPLETE: (
        "The complete notebook of this episode, with the solutions of the exercises. "
        "Its workbook, `{workbook}`, leaves each exercise for you: an empty code cell "
        "under it for your own answer."
    ),
    WORKBOOK: (
        "The workbook of this episode: under each exercise is an empty code cell for "
        "your own answer. The complete notebook, `{complete}`, has the solutions."
    ),
}


class HiddenCheckRemover(TagRemovePreprocessor):
    """Removes the code cells tagged ``remove-cell``, except the install cell.

    In the episodes, ``remove-cell`` code cells are the checks the tests run
    (hidden from readers), and the cell that installs the support package
    where it is missing (``%pip install``), which a learner on Colab needs.
    """

    def check_cell_conditions(self, cell: Any, resources: Any, index: int) -> bool:
        if cell.cell_type != "code" or "%pip install" in cell.source:
            return True
        return super().check_cell_conditions(cell, resources, index)


def drop_hidden_checks(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """``notebook`` without the code cells tagged ``remove-cell``, except the install cell.

    The checks may test the solutions' results, so they would fail in a
    notebook whose solutions are taken out.  ``notebook`` is left alone.
    """
    remover = HiddenCheckRemover(remove_cell_tags={"remove-cell"})
    result, _ = remover.preprocess(nbformat.from_dict(notebook), {})
    return result


def stable_ids(notebook: nbformat.NotebookNode) -> None:
    """Give every cell an id derived from its content, so that rewriting a notebook does not churn."""
    seen: dict[str, int] = {}
    for cell in notebook.cells:
        digest = hashlib.sha1(f"{cell.cell_type}\n{cell.source}".encode()).hexdigest()[:8]
        seen[digest] = seen.get(digest, 0) + 1
        cell.id = digest if seen[digest] == 1 else f"{digest}-{seen[digest]}"


def convert(
    notebook: nbformat.NotebookNode, version: str, source: Path, substitutions: Mapping[str, str]
) -> nbformat.NotebookNode:
    """The learner ``version`` of ``notebook``, read from the MyST notebook ``source``.

    ``substitutions`` are the book's MyST substitutions (``{{ name }}``).
    Raises ``ValueError`` for a solution left open, and for MyST syntax that
    has no Jupyter form here (see :class:`~lesson_book.learner.markdown.Converter`).
    """
    check_version(version)
    converter = Converter(source, notebook, version == WORKBOOK, substitutions)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            converter.markdown(cell.source)
        else:
            converter.code(cell)
    converter.finish()
    result = drop_hidden_checks(nbformat.v4.new_notebook(cells=converter.cells))
    result.metadata = {
        key: value for key, value in notebook.metadata.items() if key in ("kernelspec", "language_info")
    }
    for cell in result.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            if RUN_ONLY_TAG in cell.metadata.get("tags", []):
                cell.source = f"# {RUN_ONLY_NOTE}\n{cell.source}"
    return result


def overview_markdown(fields: Mapping[str, Any], builds_on: list[str] = ()) -> str:
    """An episode's Overview as the page's box shows it: minutes, what it builds on, questions, objectives.

    ``builds_on`` are the titles of the episodes it relies on.
    """
    lines = [f"**Overview.** Teaching: {fields['teaching']} min. Exercises: {fields['exercises']} min."]
    if fields.get("optional"):
        lines[0] += f" *{OPTIONAL_NOTE}*"
    if builds_on:
        lines += ["", "**Builds on:** " + ", ".join(f"*{title}*" for title in builds_on)]
    for name in ("questions", "objectives"):
        if fields[name]:
            lines += ["", f"**{name.capitalize()}**", "", *(f"- {item}" for item in fields[name])]
    return "\n".join(lines)


def episode_title(source: Path) -> str:
    """The title in the front matter of the MyST notebook ``source``; ``ValueError`` if there is none."""
    if not source.is_file():
        raise ValueError(f"front matter {BUILDS_ON!r} names {source.stem!r}, but {source} does not exist")
    title = jupytext.read(source, fmt="md:myst").metadata.get("title")
    if not title:
        raise ValueError(f"{source} has no title in its front matter")
    return title


def keypoints_markdown(fields: Mapping[str, Any]) -> str:
    """An episode's key points as the page's box at its end shows them (MyST)."""
    return "\n".join(["**Key points**", "", *(f"- {item}" for item in fields["keypoints"])])


def learner_notebook(
    source: Path, docname: str, version: str, substitutions: Mapping[str, str]
) -> nbformat.NotebookNode:
    """The learner ``version`` of the MyST notebook ``source`` (page ``docname``).

    Headed by its title and, for an episode, its Overview (so that a learner
    who opens only the notebook knows what it asks and how long it takes);
    an episode ends with its key points; every notebook with the lesson's
    address and licences.
    """
    notebook = jupytext.read(source, fmt="md:myst")
    fields = episode_fields(notebook.metadata)
    if fields is not None:
        titles = [episode_title(Path(source).parent / f"{name}.md") for name in fields[BUILDS_ON]]
        notebook.cells.insert(0, nbformat.v4.new_markdown_cell(overview_markdown(fields, titles)))
        if fields["keypoints"]:
            notebook.cells.append(nbformat.v4.new_markdown_cell(keypoints_markdown(fields)))
    result = convert(notebook, version, Path(source), substitutions)
    heading = f"# {notebook.metadata.get('title') or Path(source).stem}"
    if len(versions(notebook.metadata)) > 1:
        other = posixpath.relpath(
            notebook_name(docname, WORKBOOK if version == COMPLETE else COMPLETE),
            posixpath.dirname(notebook_name(docname, version)) or ".",
        )
        heading += "\n\n" + INTROS[version].format(workbook=other, complete=other)
    result.cells.insert(0, nbformat.v4.new_markdown_cell(heading))
    licence = licence_markdown(substitutions["repository_url"], substitutions["repository_ref"])
    result.cells.append(nbformat.v4.new_markdown_cell(licence))
    result.metadata[GENERATED_KEY] = {
        "source": Path(source).name,
        "version": version,
        "made_by": "lesson-sync (tools/lesson_book): edit the source, not this file",
    }
    stable_ids(result)
    nbformat.validate(result)
    return result


#: Where :func:`learner_text` keeps what it made, so that one ``make test`` makes each notebook
#: once: the tests (``lesson-sync``'s check) first, then the build, which finds them here.
MADE = ROOT / "_build" / ".learner_notebooks"
#: The code that makes a learner notebook: a change to any of it makes every notebook afresh.
MAKERS = (*sorted(Path(__file__).parent.glob("*.py")), Path(lesson_book.book.__file__), Path(lesson_book.model.__file__))


def made_key(source: Path, docname: str, version: str, substitutions: Mapping[str, str]) -> str:
    """A digest of everything :func:`learner_notebook` reads to make ``source``'s ``version``.

    The source, the sources of the episodes it builds on (their titles go
    into its Overview), the arguments and the code in :data:`MAKERS`.
    """
    source = Path(source)
    fields = episode_fields(front_matter(source)) or {}
    inputs = [source, *(source.parent / f"{name}.md" for name in fields.get(BUILDS_ON, [])), *MAKERS]
    digest = hashlib.sha256(json.dumps([docname, version, sorted(substitutions.items())]).encode())
    for path in inputs:
        digest.update(path.read_bytes() if path.exists() else b"(missing)")
    return digest.hexdigest()


def learner_text(
    source: Path, docname: str, version: str, substitutions: Mapping[str, str], made: Path = MADE
) -> str:
    """:func:`learner_notebook` as the file's text, made once for the same inputs (kept in ``made``)."""
    kept = Path(made) / f"{made_key(source, docname, version, substitutions)}.ipynb"
    if kept.exists():
        return kept.read_text(encoding="utf-8")
    text = nbformat.writes(learner_notebook(source, docname, version, substitutions)) + "\n"
    kept.parent.mkdir(parents=True, exist_ok=True)
    partial = kept.with_suffix(f".{os.getpid()}.part")
    partial.write_text(text, encoding="utf-8")
    partial.replace(kept)  # whole or not at all, should two processes make it at once
    return text


def learner_files(
    source: Path, root: Path = ROOT, substitutions: Mapping[str, str] | None = None
) -> dict[Path, str]:
    """The learner notebooks of the MyST notebook ``source`` in the repository: ``{path: file content}``.

    ``substitutions`` are the repository's (read from ``_config.yml`` when not given).
    """
    root = Path(root).resolve()
    if substitutions is None:
        substitutions = repository_substitutions(*read_repository(root))
    source = Path(source).resolve()
    docname = source.relative_to(root).with_suffix("").as_posix()
    return {
        path: learner_text(source, docname, version, substitutions)
        for path, version in source_files(source, root).items()
    }


def all_learner_files(root: Path = ROOT) -> dict[Path, dict[Path, str]]:
    """Every MyST notebook's learner notebooks, each made once: ``{source: {path: content}}``."""
    substitutions = repository_substitutions(*read_repository(root))
    return {source: learner_files(source, root, substitutions) for source in repository_files(root)}
