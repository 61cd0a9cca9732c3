"""Where the book's notebooks are: the MyST notebooks in its folders and the reading order of ``_toc.yml``.

The scripts (``sync_notebooks.py``, ``bench.py``) and the test suite's notebook
collector share these functions, so that "a notebook of this book" means the
same thing everywhere.  Each delegates to the library that already knows the
format: MyST-NB recognises a MyST notebook, sphinx-external-toc (the parser
Jupyter Book itself uses) reads ``_toc.yml``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from myst_nb.core.read import is_myst_markdown_notebook
from sphinx_external_toc.parsing import parse_toc_yaml

ROOT = Path(__file__).resolve().parents[1]

#: The folders whose MyST notebooks are executed and have learner notebooks (``.ipynb``) beside them.
NOTEBOOK_FOLDERS = ("lessons", "pages")


def is_myst_notebook(path: Path) -> bool:
    """True for a ``.md`` file that MyST-NB reads as a notebook (jupytext MyST front matter)."""
    path = Path(path)
    if path.suffix != ".md" or not path.is_file():
        return False
    return is_myst_markdown_notebook(path.read_text(encoding="utf-8"))


def myst_notebooks(root: Path = ROOT) -> list[Path]:
    """Every MyST notebook in the notebook folders of ``root``, sorted, as absolute paths."""
    root = Path(root)
    found = (
        path
        for folder in NOTEBOOK_FOLDERS
        for path in (root / folder).rglob("*.md")
        if ".ipynb_checkpoints" not in path.parts and is_myst_notebook(path)
    )
    return sorted(path.resolve() for path in found)


def toc_docnames(root: Path = ROOT) -> list[str]:
    """The docnames of ``root/_toc.yml`` in reading order (depth first), each once."""
    site_map = parse_toc_yaml(Path(root) / "_toc.yml")
    seen: list[str] = []

    def walk(docname: str) -> Iterator[str]:
        if docname in seen:
            return
        seen.append(docname)
        yield docname
        for tree in site_map[docname].subtrees:
            for child in tree.files():
                yield from walk(child)

    return list(walk(site_map.root.docname))


def toc_notebooks(root: Path = ROOT) -> list[Path]:
    """The MyST notebooks that ``root/_toc.yml`` lists, in reading order, relative to ``root``."""
    root = Path(root)
    return [
        Path(docname + ".md")
        for docname in toc_docnames(root)
        if is_myst_notebook(root / (docname + ".md"))
    ]
