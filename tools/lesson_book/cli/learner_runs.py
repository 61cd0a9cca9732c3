"""Run every learner notebook as a learner would: fresh kernel, empty folder, learner environment only.

The learner notebooks are the ``.ipynb`` files ``lesson-sync`` writes
(complete and workbook, every episode, and the setup page; a test keeps them
equal to what the book's build offers).  Each one is copied alone into a new
empty temporary folder and executed there, top to bottom, by the book's one
runner (:mod:`lesson_book.run.execute`), its kernel the Python of the virtual
environment ``--venv``.  Nothing of the repository is on the kernel's path:
no ``PYTHONPATH``, and Jupyter's configuration and data folders are empty
temporary ones too, so no kernel installed elsewhere is picked up.  A cell
that raises fails the notebook, and its code and traceback are printed.

    lesson-learner-notebooks --venv .venv-learner [NAME ...]

``NAME`` runs only the notebooks whose path contains it.  Exit status 1 when
any notebook fails.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from lesson_book.book import ROOT
from lesson_book.learner import repository_files
from lesson_book.run.execute import execute

#: Variables that would let a kernel read the repository or another environment.
CLEARED = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "JUPYTER_PATH")
#: Lines of a failed cell's code and traceback shown for a failed notebook.
ERROR_LINES = 60
#: The colour codes of IPython's tracebacks.
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class Outcome:
    """One notebook's run: its path, whether every cell ran, its time and the error's tail."""

    notebook: Path
    ok: bool
    seconds: float
    error: str = ""


def learner_notebooks(root: Path = ROOT) -> list[Path]:
    """Every learner notebook of the book under ``root``, in a stable order."""
    return sorted(path for files in repository_files(root).values() for path in files)


def scripts_folder(venv: Path, system: str = os.name) -> Path:
    """Where ``venv`` keeps its programs: ``Scripts`` on Windows (``system`` ``"nt"``), else ``bin``."""
    return venv / ("Scripts" if system == "nt" else "bin")


def kernel_python(venv: Path) -> Path:
    """``venv``'s Python (``python.exe`` on Windows), which runs the kernel; ``ValueError`` if it has none."""
    found = shutil.which("python", path=str(scripts_folder(venv))) if isinstance(venv, Path) else None
    if found is None:
        raise ValueError(f"venv must be a virtual environment with Python and Jupyter installed, got {venv!r}")
    return Path(found).absolute()  # the kernel starts in another folder; not resolved, to stay in the venv


def clean_environment(venv: Path, scratch: Path) -> dict[str, str]:
    """The kernel's environment: ``venv``'s programs first, nothing that reaches the repository."""
    programs = kernel_python(venv).parent
    env = {key: value for key, value in os.environ.items() if key not in CLEARED}
    env["PATH"] = f"{programs}{os.pathsep}{env.get('PATH', '')}"
    for variable in (
        "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "MPLCONFIGDIR"
    ):
        env[variable] = str(scratch / variable.lower())
    return env


def error_report(cell: nbformat.NotebookNode, error: str) -> str:
    """What a learner would see of a failed cell: its code and its traceback (without colour codes)."""
    tracebacks = [
        "\n".join(output.get("traceback", [])) for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    text = "\n".join([cell.source, "", *tracebacks]) if tracebacks else f"{cell.source}\n\n{error}"
    return "\n".join(ANSI.sub("", text).splitlines()[-ERROR_LINES:])


def run_notebook(notebook: Path, venv: Path, timeout: int | None = None) -> Outcome:
    """Execute ``notebook`` alone in a new empty folder, its kernel ``venv``'s Python.

    ``timeout``: seconds per cell, the book's own limit unless given.
    """
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, int) or timeout < 1):
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
    python = kernel_python(venv)
    with tempfile.TemporaryDirectory(prefix="learner-") as folder, \
            tempfile.TemporaryDirectory(prefix="learner-jupyter-") as scratch:
        copy = Path(folder) / notebook.name
        shutil.copyfile(notebook, copy)
        run = execute(
            nbformat.read(copy, as_version=4), Path(folder), timeout=timeout, python=python,
            env=clean_environment(venv, Path(scratch)),
        )
    if run.ok:
        return Outcome(notebook, True, run.seconds)
    code = [cell for cell in run.notebook.cells if cell.cell_type == "code"]
    failed = code[run.failed_cell] if run.failed_cell is not None else nbformat.v4.new_code_cell("")
    return Outcome(notebook, False, run.seconds, error_report(failed, run.error))


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    """Run the learner notebooks (those matching the names given); 1 if any fails."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--venv", type=Path, required=True, help="the learner environment")
    parser.add_argument("names", nargs="*", help="run only notebooks whose path contains one")
    args = parser.parse_args(argv)
    chosen = [
        path for path in learner_notebooks(root)
        if not args.names or any(name in path.relative_to(root).as_posix() for name in args.names)
    ]
    if not chosen:
        print(f"no learner notebook matches {args.names}", file=sys.stderr)
        return 1
    outcomes = []
    for notebook in chosen:
        outcome = run_notebook(notebook, args.venv)
        outcomes.append(outcome)
        name = notebook.relative_to(root).as_posix()
        print(f"{'ok' if outcome.ok else 'FAILED':<7}{outcome.seconds:7.1f} s  {name}", flush=True)
        if not outcome.ok:
            print(outcome.error, file=sys.stderr, flush=True)
    failed = [outcome for outcome in outcomes if not outcome.ok]
    total = sum(outcome.seconds for outcome in outcomes)
    print(f"{len(outcomes) - len(failed)} of {len(outcomes)} learner notebooks ran in {total:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
