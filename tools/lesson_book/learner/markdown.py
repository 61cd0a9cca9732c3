"""The book's MyST Markdown as plain Jupyter Markdown, for the learner notebooks.

Jupyter shows Markdown, not MyST's directives, roles, targets and
substitutions.  :class:`Converter` walks a notebook's cells and rewrites what
the book uses:

- ``exercise-start``/``exercise-end`` become an "Exercise N" heading,
  numbered 1, 2, 3 ... on each page as the book numbers them, so that "do
  exercise 3" means the same exercise on the page and in a notebook; a
  solution becomes a "Solution to exercise N" heading (complete notebooks) or
  one empty code cell (workbooks, whose solutions, code cells included, are
  left out);
- admonitions (``note``, ``warning``, ``{admonition} Title`` ...) become
  block quotes under their title in bold; instructor notes are left out;
- ``image`` and ``figure`` become a Markdown image with their alt text (and
  the figure's caption under it in italics);
- ``include`` is replaced by the included file, ``tab-set``/``tab-item`` by
  each tab's content under its name, ``learner-notebooks`` by a sentence;
- the roles ``{term}``, ``{ref}``, ``{numref}`` and ``{doc}`` become the words they show
  (a ``{ref}`` to a heading of the same page links to it), icons
  (``{fas}``) are dropped; ``(label)=`` targets are dropped and links to them
  point at the heading they label; links to another notebook's ``.md`` point
  at its ``.ipynb``, links to other pages keep only their text;
- ``{{ name }}`` substitutions are filled in.

Anything else MyST-specific raises ``ValueError``, so that a new directive
or role gets a Jupyter form here before it reaches a learner.  Nothing is
found by regular expressions: myst-parser's markdown-it parser, with the
book's extensions, yields the directives (their names and line ranges), the
targets, headings, roles, substitutions and links as tokens, each with the
lines it stands on; the text is rewritten where each token stands, so code
blocks are left alone.  docutils parses a directive's options, Sphinx's
``explicit_title_re`` reads a role's ``title <target>``, and
:func:`lesson_book.learner.front_matter` reads a page's front matter.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import nbformat
from docutils.parsers.rst.directives import admonitions, images
from markdown_it.renderer import RendererHTML
from myst_nb.core.read import is_myst_markdown_notebook
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.directives import parse_directive_text
from myst_parser.parsers.mdit import create_md_parser
from sphinx.util.nodes import explicit_title_re
from sphinx_exercise.directive import ExerciseStartDirective, SolutionDirective

from lesson_book.learner import front_matter
from lesson_book.model import NOTE_CLASS

#: Where the ``learner-notebooks`` directive stands in the book, in a notebook.
NOTEBOOKS_SENTENCE = (
    "Each episode's page in the book links its notebooks in its Overview box: "
    "open them in Colab or Binder, or download them."
)
ICON_ROLES = {"fas", "far", "fab"}

# The parser the book's pages are read with: colon fences and substitutions, as the book enables them.
_PARSER = create_md_parser(MdParserConfig(enable_extensions={"colon_fence", "substitution"}), RendererHTML)


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


def admonition_class(name: str) -> type[admonitions.BaseAdmonition] | None:
    """docutils' directive class of the admonition called ``name``, or None if it is not one."""
    found = getattr(admonitions, name.capitalize(), None)
    if isinstance(found, type) and issubclass(found, admonitions.BaseAdmonition):
        return found
    return None


def is_instructor_note(directive: Directive) -> bool:
    """True if ``directive`` is an admonition with the class ``instructor``."""
    if directive.name != "admonition":
        return False
    parsed = parse_directive_text(admonitions.Admonition, directive.argument, directive.content)
    return NOTE_CLASS in parsed.options.get("class", [])


def _headings(tokens: list) -> Iterator[tuple[int, str]]:
    """``(index, text)`` of each heading among ``tokens``: the index of its ``heading_open``."""
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            yield index, tokens[index + 1].content.strip()


def page_title(path: Path) -> str:
    """The title of the page in ``path``: its front matter's ``title``, else its first heading."""
    if title := front_matter(path).get("title"):
        return str(title)
    for _, text in _headings(_PARSER.parse(Path(path).read_text(encoding="utf-8"))):
        return text
    raise ValueError(f"{path} has no title")


def heading_anchor(text: str) -> str:
    """The anchor JupyterLab gives a heading of ``text``."""
    return "#" + text.strip().replace(" ", "-")


def targets(notebook: nbformat.NotebookNode) -> dict[str, tuple[str, str]]:
    """``(label)=`` targets of ``notebook``'s markdown: the anchor and text of the heading each labels."""
    found = {}
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        tokens = _PARSER.parse(cell.source)
        for index, text in _headings(tokens):
            if index > 0 and tokens[index - 1].type == "myst_target":
                found[tokens[index - 1].content] = (heading_anchor(text), text)
    return found


def _replace(text: str, cursor: int, original: str, replacement: str) -> tuple[str, int]:
    """``text`` with the first ``original`` from ``cursor`` on replaced, and the cursor after it.

    A line break in the source may stand where the parser's content has a space.
    """
    pattern = r"\s+".join(re.escape(word) for word in original.split(" "))
    found = re.compile(pattern).search(text, cursor)
    if found is None:
        raise ValueError(f"could not find {original!r} where the parser saw it")
    return text[: found.start()] + replacement + text[found.end():], found.start() + len(replacement)


def _link_span(text: str, cursor: int, href: str) -> tuple[int, int] | None:
    """Where the link ``[words](href)`` from ``cursor`` on starts and ends, its brackets balanced; None if not inline."""
    closing = text.find(f"]({href})", cursor)
    if closing < 0:
        return None
    depth = 0
    for start in range(closing - 1, cursor - 1, -1):
        if text[start] == "]":
            depth += 1
        elif text[start] == "[":
            if depth == 0:
                return start, closing + len(f"]({href})")
            depth -= 1
    return None


class Converter:
    """Turns the cells of the MyST notebook ``source`` into Jupyter cells, in ``cells``.

    Feed it every cell in order (:meth:`markdown`, :meth:`code`), then call
    :meth:`finish`.  With ``workbook`` true, solutions become empty code cells.
    """

    def __init__(
        self,
        source: Path,
        notebook: nbformat.NotebookNode,
        workbook: bool,
        substitutions: Mapping[str, str],
    ) -> None:
        self.source = Path(source)
        self.workbook = workbook
        self.substitutions = dict(substitutions)
        self.targets = targets(notebook)
        self.cells: list[nbformat.NotebookNode] = []
        self.inside = False  # between solution-start and solution-end, in a workbook
        self.exercises = 0  # exercises so far on this page: the book numbers them 1, 2, 3 ...
        self.numbers: dict[str, int] = {}  # each labelled exercise's number, for its solution

    # ----------------------------------------------------------- the cells

    def code(self, cell: nbformat.NotebookNode) -> None:
        if not self.inside:
            self.cells.append(nbformat.from_dict(cell))

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
            elif name in ("solution-start", "solution") and self.workbook:
                self._flush(kept)
                if name == "solution":
                    self.cells.append(nbformat.v4.new_code_cell(""))
                else:
                    self.inside = True
            elif name in ("solution-start", "solution"):
                kept.append(f"#### Solution to exercise {self.number_of(directive.argument)}")
                if name == "solution":
                    parsed = parse_directive_text(
                        SolutionDirective, directive.argument, directive.content
                    )
                    kept += ["", self.block("\n".join(parsed.body))]
            elif name == "solution-end" and self.workbook:
                raise ValueError(f"solution-end without solution-start: {lines[directive.start]!r}")
            elif name == "exercise-start":
                self.exercises += 1
                parsed = parse_directive_text(ExerciseStartDirective, directive.argument, directive.content)
                if "label" in parsed.options:
                    self.numbers[parsed.options["label"]] = self.exercises
                kept.append(f"### Exercise {self.exercises}")
            elif name not in ("exercise-end", "solution-end"):
                kept.append(self.directive(directive))
        if not self.inside:
            kept += lines[position:]
            self._flush(kept)

    def number_of(self, label: str) -> int:
        """The number of the exercise ``label`` that a solution answers: it comes before, on this page."""
        if label.strip() not in self.numbers:
            raise ValueError(f"a solution to {label.strip()!r}, but no exercise with that label before it: {self.source}")
        return self.numbers[label.strip()]

    def finish(self) -> None:
        if self.inside:
            raise ValueError("a solution-start has no solution-end")

    def _flush(self, kept: list[str]) -> None:
        text = self.text("\n".join(kept))
        kept.clear()
        if text.strip():
            self.cells.append(nbformat.v4.new_markdown_cell(text))

    # ----------------------------------------------------------- the markdown

    def block(self, text: str) -> str:
        """Markdown ``text`` with its directives converted (no solutions allowed inside)."""
        lines = text.splitlines()
        kept: list[str] = []
        position = 0
        for directive in directives(text):
            kept += lines[position : directive.start]
            position = directive.end
            if directive.name.startswith(("solution", "exercise")):
                raise ValueError(f"{directive.name} inside another directive: {self.source}")
            kept.append(self.directive(directive))
        return "\n".join(kept + lines[position:])

    def directive(self, directive: Directive) -> str:
        """The Jupyter Markdown of one directive (other than exercises and solutions)."""
        name = directive.name
        if is_instructor_note(directive):
            return ""
        if kind := admonition_class(name):
            parsed = parse_directive_text(kind, directive.argument, directive.content)
            title = directive.argument if name == "admonition" else name.capitalize()
            body = self.block("\n".join(parsed.body)).strip("\n").splitlines()
            return "\n".join([f"> **{title}**", ">"] + [f"> {line}".rstrip() for line in body])
        if name in ("image", "figure"):
            kind = images.Figure if name == "figure" else images.Image
            parsed = parse_directive_text(kind, directive.argument, directive.content)
            picture = f"![{parsed.options.get('alt', '')}]({directive.argument.strip()})"
            caption = self.block("\n".join(parsed.body)).strip()
            return f"{picture}\n\n*{caption}*" if caption else picture
        if name == "include":
            path = self.source.parent / directive.argument
            return self.block(path.read_text(encoding="utf-8"))
        if name == "tab-set":
            return self.block(directive.content)
        if name == "tab-item":
            return f"**{directive.argument}**\n\n{self.block(directive.content)}"
        if name == "learner-notebooks":
            return NOTEBOOKS_SENTENCE
        raise ValueError(f"{self.source.name}: no Jupyter form for the directive {{{name}}}")

    def text(self, text: str) -> str:
        """Roles, targets, links and substitutions of ``text`` in their Jupyter form."""
        text = self._rewrite(text, self._roles_and_substitutions)
        text = self._rewrite(text, self._links)  # parsed again: the roles' words are plain now
        text = re.sub(r" \(\s*\)", "", text)  # where an icon stood in brackets
        return re.sub(r"\n{3,}", "\n\n", text).strip("\n")  # where a removed block leaves a gap

    def _rewrite(self, text: str, inline: Callable[[str, list], str]) -> str:
        """``text`` with each block's inline tokens rewritten by ``inline``, and targets dropped."""
        lines: list[str | None] = text.splitlines()
        for token in _PARSER.parse(text):
            if token.map is None:
                continue
            start, end = token.map
            if token.type == "myst_target":
                lines[start:end] = [None] * (end - start)
            elif token.type in ("inline", "substitution_block") and None not in lines[start:end]:
                children = token.children if token.type == "inline" else [token]
                lines[start:end] = [inline("\n".join(lines[start:end]), children)] + [None] * (end - start - 1)
        return "\n".join(line for line in lines if line is not None)

    def _roles_and_substitutions(self, text: str, children: list) -> str:
        cursor = 0
        for child in children:
            if child.type == "myst_role":
                original = f"{{{child.meta['name']}}}`{child.content}`"
                text, cursor = _replace(text, cursor, original, self._role(child.meta["name"], child.content))
            elif child.type.startswith("substitution_"):
                found = re.compile(r"\{\{\s*" + re.escape(child.content) + r"\s*\}\}").search(text, cursor)
                text, cursor = _replace(text, cursor, found[0], self._substitution(child.content))
        return text

    def _links(self, text: str, children: list) -> str:
        cursor = 0
        for child in children:
            if child.type == "link_open" and (span := _link_span(text, cursor, child.attrs["href"])):
                start, end = span
                words = text[start + 1 : end - len(f"]({child.attrs['href']})")]
                text, cursor = _replace(text, start, text[start:end], self._link(words, child.attrs["href"]))
        return text

    def _substitution(self, name: str) -> str:
        if name not in self.substitutions:
            raise ValueError(f"{self.source.name}: unknown substitution {{{{ {name} }}}}")
        return self.substitutions[name]

    def _role(self, name: str, shown: str) -> str:
        titled = explicit_title_re.match(shown)  # "words <target>", as Sphinx reads it
        if name == "term":
            return titled[1] if titled else shown
        if name in ("ref", "numref"):
            label = titled[2] if titled else shown
            words = titled[1] if titled else self.targets.get(label, ("", label))[1]
            return f"[{words}]({self.targets[label][0]})" if label in self.targets else words
        if name == "doc":
            if titled:
                return titled[1]
            return page_title((self.source.parent / shown).with_suffix(".md"))
        if name in ICON_ROLES:
            return ""
        raise ValueError(f"{self.source.name}: no Jupyter form for the role {{{name}}}")

    def _link(self, words: str, target: str) -> str:
        original = f"[{words}]({target})"
        if target in self.targets:
            return f"[{words}]({self.targets[target][0]})"
        path, _, anchor = target.partition("#")
        if "://" in path or not path.endswith(".md"):
            return original
        page = self.source.parent / path
        if page.is_file() and is_myst_markdown_notebook(page.read_text(encoding="utf-8")):
            return f"[{words}]({path[: -len('.md')]}.ipynb{'#' + anchor if anchor else ''})"
        return words
