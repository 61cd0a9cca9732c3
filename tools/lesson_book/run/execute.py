"""The one way the tooling executes a notebook: nbclient, a fresh kernel, the book's time limit, an optional seed, timing, a failed cell named.

The bench, the spread and the learner runs all call :func:`execute`; the
notebook tests run under nbval (:mod:`lesson_book.pytest_plugin`) with the
same time limit (:func:`cell_timeout`) and the same seed prelude
(:func:`lesson_book.run.variants.reseed_source`); the build executes with
MyST-NB, reading the same ``execute:`` section of ``_config.yml``.

A run starts a fresh kernel in ``folder`` (the notebook's own folder, or an
empty one for a learner's run), by default this Python's ``python3`` kernel,
or the Python of another environment (``python``), whose kernel is launched
from a kernel spec made for the run in a temporary folder, so that no kernel
installed elsewhere is picked up.  Every cell's start and end are recorded
(``metadata.execution``); a cell that raises ends the run, and the result
names it.  After the notebook, ``probe`` (code) can run in the same kernel,
for what only the kernel knows (its peak memory, say).
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from lesson_book.book import ROOT
from lesson_book.run.cache import sphinx_settings
from lesson_book.run.variants import reseed_source

#: The kernel a run uses unless it is given another Python.
KERNEL_NAME = "python3"


@dataclass
class Run:
    """One execution: the executed notebook, its seconds (kernel start to last cell), how it ended."""

    notebook: nbformat.NotebookNode
    seconds: float
    error: str | None = None  # the last line of the error, when a cell failed
    failed_cell: int | None = None  # the failed cell's index among the notebook's code cells
    probe: str | None = None  # what the probe printed

    @property
    def ok(self) -> bool:
        return self.error is None


def cell_timeout(root: Path = ROOT) -> int:
    """Seconds one cell may run: what the build of ``root`` allows (``execute: timeout``, or Jupyter Book's default)."""
    value = sphinx_settings(Path(root).resolve()).get("nb_execution_timeout")
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"_config.yml execute: timeout must be a whole number of seconds, got {value!r}")
    return value


def kernel_manager(python: Path, folder: Path) -> KernelManager:
    """A kernel manager that starts ``python``'s IPython kernel, from a kernel spec written into ``folder``."""
    spec = Path(folder) / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(Path(python).absolute()), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": f"Python ({python})",
        "language": "python",
    }))
    specs = KernelSpecManager(kernel_dirs=[str(spec.parent)], ensure_native_kernel=False)
    return KernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=specs)


def failed_cell(notebook: nbformat.NotebookNode) -> int | None:
    """The index, among the code cells, of the first one whose outputs hold an error, or None."""
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    return next(
        (number for number, cell in enumerate(code)
         if any(output.get("output_type") == "error" for output in cell.get("outputs", []))),
        None,
    )


def _code_index(notebook: nbformat.NotebookNode, cell_index: int) -> int:
    """The position among the code cells of the cell at ``cell_index``."""
    return sum(cell.cell_type == "code" for cell in notebook.cells[:cell_index])


def describe_failure(error: BaseException) -> str:
    """The last line of ``error``'s message that says something (the exception itself, for a cell's error)."""
    lines = [line.strip() for line in str(error).strip().splitlines() if any(c.isalnum() for c in line)]
    return lines[-1] if lines else type(error).__name__


def execute(
    notebook: nbformat.NotebookNode,
    folder: Path,
    *,
    timeout: int | None = None,
    seed: int | None = None,
    python: Path | None = None,
    env: Mapping[str, str] | None = None,
    probe: str | None = None,
) -> Run:
    """Run ``notebook`` (a copy of it) in a fresh kernel in ``folder``; see the module's docstring.

    ``timeout``: seconds per cell (default :func:`cell_timeout`); ``seed``: run
    with another seed (``LESSON_SEED``'s prelude, before the first cell);
    ``python``: the kernel's Python (default: this environment's kernel);
    ``env``: the kernel's whole environment (default: this process's).
    """
    if not isinstance(notebook, nbformat.NotebookNode):
        raise TypeError(f"notebook must be an nbformat notebook, got {type(notebook).__name__}")
    if not Path(folder).is_dir():
        raise ValueError(f"folder must be an existing folder, got {str(folder)!r}")
    timeout = cell_timeout() if timeout is None else timeout
    if isinstance(timeout, bool) or not isinstance(timeout, int) or timeout < 1:
        raise ValueError(f"timeout must be a whole number of seconds from 1 up, got {timeout!r}")
    notebook = nbformat.from_dict(notebook)
    if seed is not None:
        notebook.cells.insert(0, nbformat.v4.new_code_cell(reseed_source(seed)))
    with tempfile.TemporaryDirectory(prefix="lesson-kernel-") as scratch:
        manager = kernel_manager(Path(python), Path(scratch)) if python is not None else None
        started_cells: list[int] = []
        client = NotebookClient(
            notebook, km=manager, kernel_name=KERNEL_NAME, timeout=timeout, record_timing=True,
            resources={"metadata": {"path": str(folder)}},
            on_cell_start=lambda cell, cell_index: started_cells.append(cell_index),
        )
        start_options = {} if env is None else {"env": dict(env)}
        run = Run(notebook, 0.0)
        started = time.perf_counter()
        dead = False
        with client.setup_kernel(**start_options):
            try:
                client.execute(cleanup_kc=False)
            except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:
                run.error = describe_failure(error)
                run.failed_cell = failed_cell(notebook)
                if run.failed_cell is None and started_cells:  # timed out, or the kernel died
                    run.failed_cell = _code_index(notebook, started_cells[-1])
                dead = isinstance(error, DeadKernelError)
            run.seconds = time.perf_counter() - started
            if probe is not None and not dead:
                run.probe = _run_probe(client, notebook, probe)
    return run


def _run_probe(client: NotebookClient, notebook: nbformat.NotebookNode, source: str) -> str | None:
    """What ``source`` prints on stdout when run as one more cell in the kernel; None when it cannot run.

    stderr is left out: a framework's log lines (TensorFlow's, as it is first
    imported) go there, and would spoil the JSON the probes print.
    """
    cell = nbformat.v4.new_code_cell(source)
    notebook.cells.append(cell)
    try:
        client.execute_cell(cell, len(notebook.cells) - 1)
    except Exception:  # noqa: BLE001 - e.g. the kernel died: nothing to report
        return None
    finally:
        notebook.cells.pop()
    texts = [output.get("text", "") for output in cell.outputs
             if output.get("output_type") == "stream" and output.get("name") == "stdout"]
    return "".join(texts) or None
