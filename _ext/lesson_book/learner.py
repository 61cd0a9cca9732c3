"""The learner notebooks: every episode without its solutions, written into the HTML output.

A learner notebook is the episode with the exercises' solutions taken out:
everything between ``solution-start`` and ``solution-end`` (markdown and code
cells alike), and every plain ``solution`` directive, is replaced by one empty
code cell to type an answer in; the exercise text stays.  The notebooks are
made from the episodes' sources at the end of every HTML build, into
``_static/learner/<episode>.ipynb``; they are never kept in the repository.

So that they read well in Jupyter, which does not know the book's MyST
directives, the ``exercise-start``/``exercise-end`` markers become an
"Exercise" heading and ``{term}`` roles become plain words; instructor notes
(admonitions of class ``instructor``) are left out, and so are the hidden
checks for the tests (``remove-cell`` code cells other than the install
cell), which may rely on the solutions.

The tools: jupytext reads the MyST notebook, myst-parser's markdown-it parser
finds the directives in a markdown cell (their names and line ranges) and
parses an admonition's options, and nbconvert's ``TagRemovePreprocessor``
drops the hidden checks.
"""

from __future__ import annotations

import posixpath
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jupytext
import nbformat
from docutils import nodes
from docutils.parsers.rst.directives.admonitions import Admonition
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.directives import parse_directive_text
from myst_parser.parsers.mdit import create_md_parser
from nbconvert.preprocessors import TagRemovePreprocessor
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.nodes import explicit_title_re
from sphinx.util.osutil import relative_uri

from lesson_book.instructor import NOTE_CLASS
from lesson_book.model import episodes

LEARNER_DIR = "_static/learner"
INTRO = (
    "This is the learner version of the episode: the solutions of the "
    "exercises are removed. Type your own answer in the empty code cell "
    "under each exercise."
)
TERM_ROLE = "{term}`"

logger = logging.getLogger(__name__)

# The parser the book's pages are read with (the book enables colon fences).
_PARSER = create_md_parser(MdParserConfig(enable_extensions={"colon_fence"}), RendererHTML)


def learner_path(docname: str) -> str:
    """The path, relative to the HTML output, of an episode's learner notebook."""
    return posixpath.join(LEARNER_DIR, posixpath.basename(docname) + ".ipynb")


def notebook_link(here: str, docname: str) -> addnodes.download_reference:
    """A download link to episode ``docname``'s learner notebook from the page at URI ``here``."""
    link = addnodes.download_reference("", "", refuri=relative_uri(here, learner_path(docname)))
    link += nodes.literal("", posixpath.basename(learner_path(docname)))
    return link


@dataclass(frozen=True)
class Directive:
    """A MyST directive in a markdown cell: its name and lines ``start`` to ``end`` (excluded)."""

    name: str
    argument: str
    content: str
    start: int
    end: int


def directives(text: str) -> list[Directive]:
    """The directives of markdown ``text``, outermost only, in order.

    Raises ``ValueError`` for a directive whose fence is never closed.
    """
    lines = text.splitlines()
    found = []
    for token in _PARSER.parse(text):
        if token.type not in ("fence", "colon_fence") or token.map is None:
            continue
        # How myst-parser splits a fence's info into a directive name and arguments.
        parts = token.info.strip().split(maxsplit=1)
        if not parts or not (parts[0].startswith("{") and parts[0].endswith("}")):
            continue
        start, end = token.map
        closing = lines[end - 1].strip() if end - 1 > start else ""
        if not (closing.startswith(token.markup) and set(closing) == {token.markup[0]}):
            raise ValueError(f"directive opened by {lines[start]!r} is never closed")
        argument = parts[1] if len(parts) > 1 else ""
        found.append(Directive(parts[0][1:-1], argument, token.content, start, end))
    return found


def is_instructor_note(directive: Directive) -> bool:
    """True if ``directive`` is an admonition with the class ``instructor``."""
    if directive.name != "admonition":
        return False
    parsed = parse_directive_text(Admonition, directive.argument, directive.content)
    return NOTE_CLASS in parsed.options.get("class", [])


def plain_terms(text: str) -> str:
    """``text`` with each ``{term}`` role replaced by the words it shows."""
    parts: list[str] = []
    position = 0
    while (start := text.find(TERM_ROLE, position)) >= 0:
        close = text.find("`", start + len(TERM_ROLE))
        if close < 0:
            break
        shown = text[start + len(TERM_ROLE) : close]
        titled = explicit_title_re.match(shown)  # "words <target>", as Sphinx reads it
        parts += [text[position:start], titled[1] if titled else shown]
        position = close + 1
    parts.append(text[position:])
    return "".join(parts)


def _markdown(lines: list[str]) -> nbformat.NotebookNode | None:
    """A markdown cell of ``lines`` without blank lines at either end, or None."""
    text = "\n".join(lines).strip("\n")
    if not text.strip():
        return None
    text = re.sub(r"\n{3,}", "\n\n", text)  # where a removed block leaves a gap
    return nbformat.v4.new_markdown_cell(plain_terms(text))


class _Stripper:
    """Walks a notebook's cells, keeping track of whether it is inside a solution."""

    def __init__(self) -> None:
        self.cells: list[nbformat.NotebookNode] = []
        self.inside = False  # between solution-start and solution-end

    def code(self, cell: nbformat.NotebookNode) -> None:
        if not self.inside:
            self.cells.append(nbformat.from_dict(cell))

    def _flush(self, kept: list[str]) -> None:
        if (cell := _markdown(kept)) is not None:
            self.cells.append(cell)
        kept.clear()

    def markdown(self, source: str) -> None:
        lines = source.splitlines()
        kept: list[str] = []
        position = 0
        for directive in directives(source):
            if not self.inside:
                kept += lines[position : directive.start]
            position = directive.end
            name = directive.name
            if self.inside:
                if name == "solution-end":
                    self.inside = False
                    self.cells.append(nbformat.v4.new_code_cell(""))
            elif name in ("solution-start", "solution"):
                self._flush(kept)
                if name == "solution":
                    self.cells.append(nbformat.v4.new_code_cell(""))
                else:
                    self.inside = True
            elif name == "solution-end":
                raise ValueError(f"solution-end without solution-start: {lines[directive.start]!r}")
            elif name == "exercise-start":
                kept.append("### Exercise")
            elif name != "exercise-end" and not is_instructor_note(directive):
                kept += lines[directive.start : directive.end]
        if not self.inside:
            kept += lines[position:]
            self._flush(kept)


def strip_solutions(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a copy of ``notebook`` with every solution replaced by an empty code cell.

    Handles the gated ``solution-start``/``solution-end`` directives (which
    may enclose code cells) and the plain ``solution`` directive, with
    backtick or colon fences.  Raises ``ValueError`` when a solution is
    never closed or a ``solution-end`` has no start.
    """
    stripper = _Stripper()
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            stripper.markdown(cell.source)
        else:
            stripper.code(cell)
    if stripper.inside:
        raise ValueError("a solution-start has no solution-end")
    result = nbformat.v4.new_notebook(cells=stripper.cells)
    result.metadata = {
        key: value for key, value in notebook.metadata.items() if key != "jupytext"
    }
    return result


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


def learner_notebook(source: Path, title: str) -> nbformat.NotebookNode:
    """The learner notebook of the MyST notebook ``source``, headed by ``title``."""
    notebook = drop_hidden_checks(strip_solutions(jupytext.read(source, fmt="md:myst")))
    notebook.cells.insert(0, nbformat.v4.new_markdown_cell(f"# {title}\n\n{INTRO}"))
    return notebook


def write_learner_notebooks(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: write every episode's learner notebook into the output."""
    if exception is not None or app.builder.format != "html":
        return
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


def register(app: Sphinx) -> None:
    """Write the learner notebooks at the end of every HTML build."""
    app.connect("build-finished", write_learner_notebooks)
