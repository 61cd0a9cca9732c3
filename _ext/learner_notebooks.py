"""Write a learner notebook for every episode into the HTML output.

A learner notebook is the episode with the exercises' solutions taken out:
everything between ``solution-start`` and ``solution-end`` (markdown and code
cells alike) is replaced by one empty code cell to type an answer in, and the
exercise text stays.  The notebooks are made from the episodes' sources at
the end of every HTML build, into ``_static/learner/<episode>.ipynb``; they
are never kept in the repository.

So that they read well in Jupyter, which does not know the book's MyST
directives, the ``exercise-start``/``exercise-end`` markers become an
"Exercise" heading and ``{term}`` roles become plain words; instructor notes
(admonitions of class ``instructor``) are left out, and so are the hidden
checks for the tests (``remove-cell`` code cells other than the install
cell), which may rely on the solutions.
"""

from __future__ import annotations

import posixpath
import re
import shutil
from pathlib import Path
from typing import Any

import jupytext
import nbformat
from sphinx.application import Sphinx
from sphinx.util import logging

LEARNER_DIR = "_static/learner"
INTRO = (
    "This is the learner version of the episode: the solutions of the "
    "exercises are removed. Type your own answer in the empty code cell "
    "under each exercise."
)

logger = logging.getLogger(__name__)

# The opening line of a MyST directive: ```{name} or :::{name}, with its fence.
_OPENER = re.compile(r"^\s*(?P<fence>`{3,}|:{3,})\{(?P<name>[\w-]+)\}")
_NOTE_CLASS = re.compile(r"^\s*:class:.*\binstructor\b")
_TERM = re.compile(r"\{term\}`(?P<text>[^`<]*?)\s*(?:<[^`>]*>)?`")


def learner_path(docname: str) -> str:
    """The path, relative to the HTML output, of an episode's learner notebook."""
    return posixpath.join(LEARNER_DIR, posixpath.basename(docname) + ".ipynb")


def _opener(line: str) -> tuple[str, str] | None:
    """``(fence, directive name)`` if ``line`` opens a directive, else None."""
    match = _OPENER.match(line)
    return (match["fence"], match["name"]) if match else None


def _is_closing(line: str, fence: str) -> bool:
    """True if ``line`` closes a directive opened with ``fence``."""
    stripped = line.strip()
    return len(stripped) >= len(fence) and set(stripped) == {fence[0]}


def _skip_block(lines: list[str], start: int, fence: str) -> int:
    """Index of the line that closes the directive opened at ``lines[start]``."""
    index = start + 1
    while index < len(lines) and not _is_closing(lines[index], fence):
        index += 1
    if index == len(lines):
        raise ValueError(f"directive opened by {lines[start]!r} is never closed")
    return index


def _is_instructor_note(lines: list[str], start: int, fence: str) -> bool:
    """True if the admonition opened at ``lines[start]`` has the class ``instructor``."""
    end = _skip_block(lines, start, fence)
    return any(_NOTE_CLASS.match(line) for line in lines[start + 1 : end])


def _markdown(lines: list[str]) -> nbformat.NotebookNode | None:
    """A markdown cell of ``lines`` without blank lines at either end, or None."""
    text = "\n".join(lines).strip("\n")
    if not text.strip():
        return None
    text = re.sub(r"\n{3,}", "\n\n", text)  # where a removed block leaves a gap
    return nbformat.v4.new_markdown_cell(_TERM.sub(r"\g<text>", text))


def strip_solutions(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a copy of ``notebook`` with every solution replaced by an empty code cell.

    Handles the gated ``solution-start``/``solution-end`` directives (which
    may enclose code cells) and the plain ``solution`` directive, with
    backtick or colon fences.  Raises ``ValueError`` when a solution is
    never closed or a ``solution-end`` has no start.
    """
    cells: list[nbformat.NotebookNode] = []
    inside = False  # between solution-start and solution-end
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            if not inside:
                cells.append(nbformat.from_dict(cell))
            continue
        lines = cell.source.splitlines()
        kept: list[str] = []
        index = 0
        while index < len(lines):
            opened = _opener(lines[index])
            name = opened[1] if opened else None
            if inside:
                if name == "solution-end":
                    index = _skip_block(lines, index, opened[0])
                    inside = False
                    cells.append(nbformat.v4.new_code_cell(""))
            elif name in ("solution-start", "solution"):
                if (cell_before := _markdown(kept)) is not None:
                    cells.append(cell_before)
                kept = []
                if name == "solution":
                    index = _skip_block(lines, index, opened[0])
                    cells.append(nbformat.v4.new_code_cell(""))
                else:
                    inside = True
            elif name == "solution-end":
                raise ValueError(f"solution-end without solution-start: {lines[index]!r}")
            elif name == "admonition" and _is_instructor_note(lines, index, opened[0]):
                index = _skip_block(lines, index, opened[0])
            elif name in ("exercise-start", "exercise-end"):
                index = _skip_block(lines, index, opened[0])
                if name == "exercise-start":
                    kept.append("### Exercise")
            else:
                kept.append(lines[index])
            index += 1
        if not inside and (cell_after := _markdown(kept)) is not None:
            cells.append(cell_after)
    if inside:
        raise ValueError("a solution-start has no solution-end")
    result = nbformat.v4.new_notebook(cells=cells)
    result.metadata = {
        key: value for key, value in notebook.metadata.items() if key != "jupytext"
    }
    return result


def drop_hidden_checks(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """``notebook`` without the code cells tagged ``remove-cell``, except the install cell.

    In the episodes, ``remove-cell`` code cells are the checks the tests run
    (hidden from readers), and the cell that installs the support package
    where it is missing (``%pip install``), which a learner on Colab needs.
    The checks may test the solutions' results, so they would fail in a
    notebook whose solutions are taken out.
    """
    result = nbformat.from_dict(notebook)
    result.cells = [
        cell
        for cell in result.cells
        if cell.cell_type != "code"
        or "remove-cell" not in cell.metadata.get("tags", [])
        or "%pip install" in cell.source
    ]
    return result


def learner_notebook(source: Path, title: str) -> nbformat.NotebookNode:
    """The learner notebook of the MyST notebook ``source``, headed by ``title``."""
    notebook = drop_hidden_checks(strip_solutions(jupytext.read(source, fmt="md:myst")))
    notebook.cells.insert(0, nbformat.v4.new_markdown_cell(f"# {title}\n\n{INTRO}"))
    return notebook


def write_learner_notebooks(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: write every episode's learner notebook into the output."""
    if exception is not None or app.builder.format != "html":
        return
    from episode_pages import episodes  # a sibling extension, loaded with this one

    target = Path(app.outdir, LEARNER_DIR)
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for episode in episodes(app.env):
        path = Path(app.outdir, learner_path(episode.docname))
        if path.exists():
            raise ValueError(f"two episodes would write {path.name}: rename one")
        source = Path(app.env.doc2path(episode.docname))
        nbformat.write(learner_notebook(source, episode.title), path)
    logger.info("learner notebooks written to %s", target)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("build-finished", write_learner_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
