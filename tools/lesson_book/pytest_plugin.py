"""The pytest plugin of the book: collect every MyST notebook, run it with nbval, and hand the result to the build.

Installed with the tooling package, pytest loads it through its entry point
(``pytest11`` in ``tools/pyproject.toml``).  It collects notebooks only in a
book: a pytest run whose root folder holds a ``_config.yml`` (the repository,
or a test book that ``pytester`` makes).

nbval reads ``.ipynb`` files only; here each MyST Markdown notebook (see
``lesson_book.book.is_myst_notebook``) is read in memory with MyST-NB's reader,
the one the book's build uses, so nothing is converted on disk.  The kernel
starts in the notebook's own folder, as it does in Jupyter and in the build.
Outputs are not compared (the sources hold none): a cell passes when it runs
without error, and the notebooks' ``remove-cell`` assertions check what
matters.  A cell tagged ``skip-execution`` is not run, as the build skips it.

When every cell of a notebook has passed, the executed notebook goes into the
build's jupyter-cache (:mod:`lesson_book.run.cache`), so ``jupyter-book build`` after
the tests executes no notebook again.  Nothing is stored for a notebook with
a failed, skipped or deselected cell: the build then executes it itself.

``LESSON_SEED`` and ``KERAS_BACKEND`` run the notebooks with another seed or
under another Keras backend (:mod:`lesson_book.run.variants`): a cell that re-seeds
goes before the first one, nothing goes into the build's cache, and every
notebook runs whatever ``REUSE_NOTEBOOK_CACHE`` says.

With ``REUSE_NOTEBOOK_CACHE=1`` in the environment, a notebook that the cache
already holds (same code cells, run to the end without error) is not
collected: the summary names it.  Only the GitHub workflow sets it, with a cache it keys
on the pinned packages and the support package's code
(``.github/workflows/book.yml``); a local cache knows nothing of ``src/``
changes, so locally every notebook runs.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbval.plugin import IPyNbCell, IPyNbFile, find_comment_markers, find_metadata_tags

from lesson_book.book import BOOK_CONFIG, NOTEBOOK_FOLDERS, is_myst_notebook
from lesson_book.run import cache, variants
from lesson_book.run.execute import cell_timeout

#: The tag that makes nbclient, and so the build, leave a cell unexecuted ("skip-execution").
SKIP_TAG = NotebookClient.skip_cells_with_tag.default_value

#: Seconds to wait for the kernel's reply to a ``kernel_info`` request.
KERNEL_INFO_TIMEOUT = 60


class MystCell(IPyNbCell):
    """A notebook cell run by nbval, whose outputs are also recorded for the build."""

    def __init__(self, *args, index: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.index = index  # the cell's position among all the notebook's cells

    def runtest(self):
        self.parent.executed.start_cell(self.index)
        self.parent.running = self.index
        try:
            super().runtest()
        finally:
            self.parent.running = None
        self.parent.cell_passed(self.index)


class MystNotebook(IPyNbFile):
    """An nbval notebook read from MyST Markdown instead of ``.ipynb``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.compare_outputs = False
        self.running: int | None = None
        self.passed: set[int] = set()
        self.to_run: set[int] = set()

    def collect(self):
        self.root = book_root(self.config)
        self.nb = cache.read_notebook(self.path, self.root)
        self.stores = variants.stores_to_cache()
        seed = variants.seed()
        if seed is not None:
            self.nb.cells.insert(0, nbformat.v4.new_code_cell(variants.reseed_source(seed)))
        code_cells = [(index, cell) for index, cell in enumerate(self.nb.cells) if cell.cell_type == "code"]
        for number, (index, cell) in enumerate(code_cells):
            if SKIP_TAG in cell.metadata.get("tags", []):
                continue
            options = defaultdict(bool, find_metadata_tags(cell.metadata))
            options.update(find_comment_markers(cell.source))
            options.setdefault("check", False)
            self.to_run.add(index)
            yield MystCell.from_parent(
                self, name=f"Cell {number}", cell_num=number, cell=cell, options=options, index=index
            )

    def setup(self):
        self.started = time.perf_counter()  # the build's run time includes the kernel's start too
        self.executed = cache.ExecutedNotebook(self.nb)
        super().setup()
        reply = self.kernel.kc.kernel_info(reply=True, timeout=KERNEL_INFO_TIMEOUT)
        self.executed.set_language_info(reply)

    def get_kernel_message(self, timeout=None, stream="iopub"):
        """nbval's way to the kernel's messages; each one of a cell's execution is recorded too."""
        message = super().get_kernel_message(timeout=timeout, stream=stream)
        parent = message["parent_header"]
        if stream == "iopub" and self.running is not None and parent.get("msg_type") == "execute_request":
            self.executed.record(message, self.running)
        return message

    def cell_passed(self, index: int) -> None:
        """Note a passed cell; once every cell has passed, store the executed notebook."""
        self.passed.add(index)
        if self.stores and self.passed == self.to_run:
            seconds = time.perf_counter() - self.started
            cache.store(self.executed.result(), self.path, seconds, self.root)


#: The environment variable that lets notebooks already in the cache go unrun.
REUSE_VARIABLE = "REUSE_NOTEBOOK_CACHE"
REUSED = pytest.StashKey[list[str]]()


def book_root(config: pytest.Config) -> Path | None:
    """The book the tests run in: pytest's root folder, when it holds a ``_config.yml``."""
    root = Path(config.rootpath).resolve()
    return root if (root / BOOK_CONFIG).is_file() else None


def pytest_configure(config: pytest.Config) -> None:
    """A cell may run as long as the build lets it (``execute: timeout``), unless ``--nbval-cell-timeout`` says otherwise."""
    root = book_root(config)
    given = any(str(arg).startswith("--nbval-cell-timeout") for arg in config.invocation_params.args)
    if root is not None and not given and hasattr(config.option, "nbval_cell_timeout"):
        config.option.nbval_cell_timeout = cell_timeout(root)


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    root = book_root(parent.config)
    if root is None or not file_path.resolve().is_relative_to(root):
        return None
    relative = file_path.resolve().relative_to(root)
    if not (relative.parts[0] in NOTEBOOK_FOLDERS and is_myst_notebook(file_path)):
        return None
    reuse = os.environ.get(REUSE_VARIABLE) == "1" and variants.stores_to_cache()
    if reuse and cache.cached_record(file_path, root):
        parent.config.stash.setdefault(REUSED, []).append(relative.as_posix())
        return None
    return MystNotebook.from_parent(parent, path=file_path)


def pytest_report_header(config):
    return variants.describe()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    reused = config.stash.get(REUSED, [])
    if reused:
        terminalreporter.write_sep("-", f"{REUSE_VARIABLE}=1: not run again, the cache holds them")
        for name in reused:
            terminalreporter.write_line(name)
