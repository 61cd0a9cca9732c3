"""Collect every MyST notebook in the book and run it with nbval.

nbval reads ``.ipynb`` files only; here each MyST Markdown notebook
(a ``.md`` file with a ``kernelspec`` in its front matter) is read with
jupytext in memory, so nothing is converted on disk.  The kernel starts in
the notebook's own folder, as it does in Jupyter and in the book's build.
Outputs are not compared (the sources hold none): a cell passes when it
runs without error, and the notebooks' ``remove-cell`` assertions check
what matters.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import jupytext
import pytest
import yaml
from nbval.plugin import IPyNbCell, IPyNbFile, find_comment_markers, find_metadata_tags

ROOT = Path(__file__).resolve().parent
NOTEBOOK_FOLDERS = ("lessons", "pages")


def is_myst_notebook(path: Path) -> bool:
    """True for a Markdown file whose YAML front matter names a kernel."""
    if path.suffix != ".md":
        return False
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return False
    header = text[4 : text.find("\n---", 4)]
    front = yaml.safe_load(header) or {}
    return isinstance(front, dict) and "kernelspec" in front


class MystNotebook(IPyNbFile):
    """An nbval notebook read from MyST Markdown instead of ``.ipynb``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.compare_outputs = False

    def collect(self):
        self.nb = jupytext.read(self.path, fmt="md:myst")
        code_cells = (cell for cell in self.nb.cells if cell.cell_type == "code")
        for number, cell in enumerate(code_cells):
            options = defaultdict(bool, find_metadata_tags(cell.metadata))
            options.update(find_comment_markers(cell.source))
            options.setdefault("check", False)
            yield IPyNbCell.from_parent(
                self, name=f"Cell {number}", cell_num=number, cell=cell, options=options
            )


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    relative = file_path.resolve().relative_to(ROOT) if file_path.is_relative_to(ROOT) else None
    if relative and relative.parts[0] in NOTEBOOK_FOLDERS and is_myst_notebook(file_path):
        return MystNotebook.from_parent(parent, path=file_path)
    return None
