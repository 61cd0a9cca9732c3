"""Hand notebooks that the tests executed to the book's build, through its jupyter-cache.

The notebook tests (:mod:`lesson_book.pytest_plugin`) run every MyST notebook with nbval.  When every
cell of a notebook has passed, it stores the executed notebook here, in the
jupyter-cache that ``jupyter-book build`` reads with ``execute_notebooks:
cache``; the build then finds the notebook cached and does not run it again.

The build looks a notebook up by a hash of its code cells (source and
metadata) and its kernelspec, computed on the notebook as MyST-NB reads it.
So the notebook is read here with MyST-NB's own reader and the book's own
MyST settings, which Jupyter Book's own configuration code derives from
``_config.yml``; and the outputs are gathered from the kernel's messages by
nbclient, the library the build would execute the notebook with, so the
cached outputs are the ones the build would have produced.
"""

from __future__ import annotations

import copy
import functools
from contextlib import suppress
from pathlib import Path
from typing import Any

import nbformat
from jupyter_book.config import get_final_config
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn, NbCacheRecord
from myst_nb.core.config import NbParserConfig
from myst_nb.core.read import create_nb_reader
from myst_parser.config.main import MdParserConfig
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete

from lesson_book.book import BOOK_CONFIG, ROOT

#: Where ``jupyter-book build BOOK`` puts its outputs, relative to the book.
BUILD_FOLDER = "_build"


@functools.cache
def sphinx_settings(root: Path = ROOT) -> dict[str, Any]:
    """The Sphinx configuration ``jupyter-book build`` makes from ``root/_config.yml``."""
    settings, _ = get_final_config(
        user_yaml=Path(root) / BOOK_CONFIG,
        cli_config={"latex_individualpages": False},  # what `jupyter-book build` passes
        sourcedir=Path(root),
    )
    return settings


def markdown_config(root: Path = ROOT) -> MdParserConfig:
    """The MyST parser settings of the book's build, made the way myst-parser makes them in Sphinx."""
    settings = sphinx_settings(Path(root))
    values = {
        name: settings[f"myst_{name}"]
        for name, _, field in MdParserConfig().as_triple()
        if "sphinx" not in field.metadata.get("omit", []) and f"myst_{name}" in settings
    }
    return MdParserConfig(**values)


def read_notebook(path: Path, root: Path = ROOT) -> nbformat.NotebookNode:
    """The notebook in ``path`` exactly as the book's build reads it (MyST-NB's reader)."""
    path = Path(path).resolve()
    text = path.read_text(encoding="utf-8")
    reader = create_nb_reader(str(path), markdown_config(root), NbParserConfig(), text)
    if reader is None:
        raise ValueError(f"path is not a notebook MyST-NB can read: {path}")
    return reader.read(text)


def cache_folder(root: Path = ROOT, output: Path | None = None) -> Path | None:
    """The jupyter-cache the build of ``root`` reads, or None if it executes without one.

    MyST-NB uses ``execute: cache`` of ``_config.yml`` when set, otherwise
    ``.jupyter_cache`` beside the HTML output folder (``_build/html``), which
    sits in ``output`` (``jupyter-book build --path-output``; default ``root``).
    """
    settings = sphinx_settings(Path(root))
    if settings.get("nb_execution_mode") != "cache":
        return None
    configured = settings.get("nb_execution_cache_path")
    if configured:
        return (Path(root) / configured).resolve()
    return (Path(root if output is None else output) / BUILD_FOLDER / ".jupyter_cache").resolve()


def store(
    notebook: nbformat.NotebookNode, path: Path, seconds: float, root: Path = ROOT
) -> NbCacheRecord | None:
    """Put the executed ``notebook`` (read from ``path``) into the build's cache.

    ``seconds`` is its run time, shown in the book's execution table.  Returns
    the cache record, or None when the book does not execute with a cache.
    """
    folder = cache_folder(root)
    if folder is None:
        return None
    bundle = CacheBundleIn(notebook, str(Path(path).resolve()), data={"execution_seconds": seconds})
    # As MyST-NB stores the notebooks it executes itself: replace an older copy.
    return get_cache(str(folder)).cache_notebook_bundle(bundle, check_validity=False, overwrite=True)


def cached_record(path: Path, root: Path = ROOT) -> NbCacheRecord | None:
    """The cache record the build would use for the notebook in ``path``, or None."""
    folder = cache_folder(root)
    if folder is None or not folder.exists():
        return None
    try:
        return get_cache(str(folder)).match_cache_notebook(read_notebook(path, root))
    except KeyError:
        return None


class ExecutedNotebook:
    """A notebook filled in with outputs from its kernel's messages, as nbclient fills it in.

    Begin each cell with :meth:`start_cell`, then feed it each IOPub message
    of the cell's execution with :meth:`record`;
    :meth:`result` gives the executed notebook, its code cells numbered as a
    fresh kernel numbers them.
    """

    def __init__(self, notebook: nbformat.NotebookNode):
        self.notebook = copy.deepcopy(notebook)
        for cell in self.notebook.cells:
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
        # Only its message handling is used: it never starts a kernel here.  No
        # timing metadata in the cells, as MyST-NB executes (record_timing=False).
        self._client = NotebookClient(self.notebook, record_timing=False)

    def set_language_info(self, kernel_info_reply: dict[str, Any]) -> None:
        """Record the kernel's ``language_info`` (MyST-NB picks the code highlighter from it)."""
        info = kernel_info_reply["content"].get("language_info")
        if info is not None:
            self.notebook.metadata["language_info"] = info

    def _code_cell(self, cell_index: int) -> nbformat.NotebookNode:
        cell = self.notebook.cells[cell_index]
        if cell.cell_type != "code":
            raise ValueError(f"cell_index must point at a code cell, got {cell_index} ({cell.cell_type})")
        return cell

    def start_cell(self, cell_index: int) -> None:
        """Begin the cell at ``cell_index``: no outputs yet, as nbclient begins one."""
        self._code_cell(cell_index).outputs = []
        self._client.clear_before_next_output = False

    def record(self, message: dict[str, Any], cell_index: int) -> None:
        """Apply one IOPub ``message`` of the execution of the cell at ``cell_index``."""
        cell = self._code_cell(cell_index)
        with suppress(CellExecutionComplete):
            self._client.process_message(message, cell, cell_index)

    def result(self) -> nbformat.NotebookNode:
        """The executed notebook.

        The tests run cells without storing history, so the kernel does not
        count them; they are numbered here as a fresh kernel would, skipping
        empty cells as nbclient does.
        """
        count = 0
        for cell in self.notebook.cells:
            if cell.cell_type != "code":
                continue
            if not cell.source.strip():
                cell.execution_count = None  # nbclient does not send an empty cell to the kernel
                continue
            count += 1
            cell.execution_count = count
            for output in cell.outputs:
                if output.output_type == "execute_result":
                    output.execution_count = count
        self._client.set_widgets_metadata()
        return self.notebook
