"""Run every learner notebook as a learner would: fresh kernel, empty folder, learner environment only.

The learner notebooks are the ``.ipynb`` files ``sync_notebooks.py`` writes
(complete and workbook, every episode, and the setup page; a test keeps them
equal to what the book's build offers).  Each one is copied alone into a new
empty temporary folder and executed there, top to bottom, by the
``jupyter nbconvert --execute`` of the virtual environment ``--venv``, whose
kernel is that environment's Python.  Nothing of the repository is on the
kernel's path: no ``PYTHONPATH``, and Jupyter's configuration and data
folders are empty temporary ones too, so no kernel installed elsewhere is
picked up.  A cell that raises fails the notebook, and the error (nbconvert
prints the cell and its traceback) is printed.

    python scripts/run_learner_notebooks.py --venv .venv-learner [NAME ...]

``NAME`` runs only the notebooks whose path contains it.  Exit status 1 when
any notebook fails.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from book_files import ROOT
from sync_notebooks import all_learner_files

#: Seconds one cell may run before the notebook fails (the book's own limit).
CELL_TIMEOUT = 600
#: Variables that would let a kernel read the repository or another environment.
CLEARED = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "JUPYTER_PATH")
#: Lines of nbconvert's error output shown for a failed notebook.
ERROR_LINES = 60


@dataclass(frozen=True)
class Outcome:
    """One notebook's run: its path, whether every cell ran, its time and the error's tail."""

    notebook: Path
    ok: bool
    seconds: float
    error: str = ""


def learner_notebooks(root: Path = ROOT) -> list[Path]:
    """Every learner notebook of the book under ``root``, in a stable order."""
    return sorted(path for files in all_learner_files(root).values() for path in files)


def scripts_folder(venv: Path, system: str = os.name) -> Path:
    """Where ``venv`` keeps its programs: ``Scripts`` on Windows (``system`` ``"nt"``), else ``bin``."""
    return venv / ("Scripts" if system == "nt" else "bin")


def jupyter(venv: Path) -> Path:
    """``venv``'s ``jupyter`` program (``jupyter.exe`` on Windows); ``ValueError`` if it has none."""
    found = shutil.which("jupyter", path=str(scripts_folder(venv))) if isinstance(venv, Path) else None
    if found is None:
        raise ValueError(f"venv must be a virtual environment with jupyter installed, got {venv!r}")
    return Path(found).resolve()


def clean_environment(venv: Path, scratch: Path) -> dict[str, str]:
    """The environment for a run: ``venv``'s programs first, nothing that reaches the repository."""
    programs = jupyter(venv).parent
    env = {key: value for key, value in os.environ.items() if key not in CLEARED}
    env["PATH"] = f"{programs}{os.pathsep}{env.get('PATH', '')}"
    for variable in (
        "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "MPLCONFIGDIR"
    ):
        env[variable] = str(scratch / variable.lower())
    return env


def run_notebook(notebook: Path, venv: Path, timeout: int = CELL_TIMEOUT) -> Outcome:
    """Execute ``notebook`` alone in a new empty folder with ``venv``'s Jupyter and kernel."""
    if not isinstance(timeout, int) or timeout < 1:
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
    with tempfile.TemporaryDirectory(prefix="learner-") as folder, \
            tempfile.TemporaryDirectory(prefix="learner-jupyter-") as scratch:
        copy = Path(folder) / notebook.name
        shutil.copyfile(notebook, copy)
        command = [
            str(jupyter(venv)), "nbconvert", "--to", "notebook", "--execute",
            f"--ExecutePreprocessor.timeout={timeout}", "--stdout", copy.name,
        ]
        started = time.perf_counter()
        done = subprocess.run(
            command, cwd=folder, env=clean_environment(venv, Path(scratch)),
            capture_output=True, text=True, check=False,
        )
        seconds = time.perf_counter() - started
    if done.returncode == 0:
        return Outcome(notebook, True, seconds)
    tail = "\n".join(done.stderr.splitlines()[-ERROR_LINES:])
    return Outcome(notebook, False, seconds, tail)


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
