"""Benchmark the book: time and peak memory of each notebook and of the build, against a peer model run alongside.

``make bench`` runs it (``lesson-bench``).  It is a report, not a test: it prints its
tables, writes every figure to ``_build/bench.json`` and, with ``--page``, the
tables to the file the book's page "What the book costs to run"
(``pages/cost.md``) includes.

For every notebook listed in ``_toc.yml`` it starts a fresh kernel in the
notebook's folder and runs it with nbclient, which records when each cell
started and finished (``metadata.execution``).  It reports

- the wall time, from starting the kernel to the end of the last cell;
- the slowest cell (index among the code cells, and seconds);
- the kernel's peak resident memory, read inside the kernel at the end
  (``VmHWM`` from ``/proc/self/status``; ``ru_maxrss`` where there is no
  ``/proc``);
- what the notebook prints about training, by this convention::

      Fit time: 26.1 s                   after each model.fit
      Fit time (final model): 52.3 s     the final model's (compared with the peer)
      Test accuracy: 0.9881              the last one printed is reported

For the exercise's model and the final model (:data:`FIT_WORK`), it reports
the share of the machine their fit used: the fit's multiply-adds per second
against a large matrix product's, timed in the same run under the same
backend (:mod:`lesson_book.run.efficiency`).

The final model (or each notebook given with ``--repeat``) then runs
:data:`REPEATS` more times back to back, each in a fresh kernel with another
seed (``LESSON_SEED`` 0, 1, ...): the spread of its fit times says whether the
fit time is stable, and the final model's test accuracies over the seeds
whether its accuracy is.

Then, under each other Keras backend installed (:data:`OTHER_BACKENDS`), the
notebooks of :data:`FIT_WORK` run once more: their fit times against
TensorFlow's, and the upstream limit (:data:`UPSTREAM_LIMITS`) where one is
known to hold a backend back.

The peer, ``tools/lesson_book/cli/peer_convnet.py`` (the Keras example "Simple MNIST
convnet" as published), runs the same way in its own kernel; the final
model's fit time is reported as a ratio of the peer's, since absolute seconds
on a shared machine vary from run to run by more than any budget's margin.

It then builds the book from nothing into a temporary folder (the user's
``_build`` is left alone), reads each notebook's execution time from the
jupyter-cache that build wrote, builds again with nothing changed, and runs
the exercise notebook once more as the plain script jupytext makes of it.
The execution times of that build, summed, are the whole book's run time,
given in fits of the peer beside an earlier run's (:data:`BOOK_REFERENCE`).

Targets live in :data:`TARGETS`, and nowhere else.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, NamedTuple

import nbformat

from lesson_book.book import ROOT, toc_notebooks
from lesson_book.cli.bench_page import PAGE_NOTE, report_markdown
from lesson_book.cli.bench_report import all_fits, peer_comparison
from lesson_book.run import cache, efficiency
from lesson_book.run.execute import execute
from lesson_book.run.measure import PROBE_CODE, cell_seconds, machine, parse_outputs, printed_by, read_probe

#: The whole book's run time that issue 22 set out to cut by a quarter: the run of ``make bench`` of
#: 2026-11-30 (pages/_bench.md at e3336fc, an Intel Xeon with 2 cores), its notebooks' execution times
#: in the clean build summed, and the peer's fit time in that run.
BOOK_REFERENCE: dict[str, Any] = {
    "date": "2026-11-30", "in_build_s": 327.5, "peer_fit_s": 124.5,
    "notebooks": ["pages/setup.md", *(f"lessons/{name}.md" for name in (
        "cnn-architecture", "how-networks-learn", "convolution", "pooling", "flatten-dense", "output-size",
        "why-convolution", "mnist-exercise", "improving-the-model", "training-techniques", "final-model",
        "inside-the-cnn"))],
}

#: The budgets, for the 2-core machine the book is written for.  Seconds, MiB, a ratio.
TARGETS: dict[str, float] = {
    "notebook_s": 120.0,  # one notebook, fresh kernel, start to end
    "fit_s": 60.0,  # any single model.fit, the final model's included
    "peak_mib": 1536.0,  # a kernel's peak resident memory (1.5 GiB)
    "clean_build_s": 480.0,  # `make book` from an empty _build (8 min)
    "rebuild_s": 30.0,  # `make book` again with nothing changed
    "peer_fit_ratio": 0.15,  # final model's fit time / the peer's; and more accurate than it
    "fit_spread": 0.10,  # a repeated notebook's fit times: the farthest from their median, as a fraction of it
    "seeds_median_accuracy": 0.994,  # the final model's test accuracy over the repeats' seeds: the median, at least
    "seeds_lowest_accuracy": 0.992,  # ... and the lowest, at least
    "backend_fit_ratio": 1.5,  # a fit of FIT_WORK under JAX or PyTorch / the same under TensorFlow
    # the notebooks of BOOK_REFERENCE, summed time in the clean build / the peer's fit: three quarters of then
    "book_peer_ratio": round(0.75 * BOOK_REFERENCE["in_build_s"] / BOOK_REFERENCE["peer_fit_s"], 2),
}

#: How many times the notebooks of ``--repeat`` run back to back, with ``LESSON_SEED`` 0, 1, ...
REPEATS = 5

#: The notebook compared with a plain-script run of its own code.
EXERCISE = "lessons/mnist-exercise.md"
#: The notebook whose final model is compared with the peer.
FINAL = "lessons/final-model.md"
#: The peer: the Keras example "Simple MNIST convnet", run as a notebook.
PEER = "tools/lesson_book/cli/peer_convnet.py"

class FitWork(NamedTuple):
    """A fit whose share of the machine the bench measures: names in the notebook's kernel, and its fit time."""

    model: str  # the trained Keras model
    trained: str  # the images it was fit on
    validated: str  # the images it was validated on each epoch
    fit: int | str  # which printed fit time is that model's: an index into its ``Fit time`` lines, or "final"


#: The fits whose share of the machine the bench measures (lesson_book.run.efficiency).
FIT_WORK: dict[str, FitWork] = {
    EXERCISE: FitWork("model", "x_train", "x_test", 0),
    FINAL: FitWork("final_model", "x_train", "x_val", "final"),
}

#: Keras's other backends, under which the notebooks of FIT_WORK run once more each (where installed).
OTHER_BACKENDS = ("jax", "torch")

#: Why a backend's fits stay slower than TensorFlow's on a CPU, where an upstream limit is the cause.
UPSTREAM_LIMITS: dict[str, str] = {
    "jax": "XLA:CPU, which runs JAX, can choose much slower code for a convolution than PyTorch "
           "or TensorFlow: openxla/xla#34273 (from jax-ml/jax#31662)",
}

#: The arguments `make book` gives jupyter-book (tests/test_bench.py keeps them in step).
BOOK_ARGS = ("build", ".", "--builder", "html", "-n", "-W", "--keep-going")

# --- The pure parts (unit-tested in tests/test_bench.py) --------------------------


def script_from_notebook(notebook: Any) -> str:
    """The plain Python script jupytext writes for a notebook (``py:percent``).

    IPython first turns each cell's magics into the Python it runs for them
    (``%pip install x`` becomes ``get_ipython().run_line_magic(...)``), so the
    script is valid Python everywhere a magic stood, even alone in a block.
    """
    import jupytext
    from IPython.core.inputtransformer2 import TransformerManager

    notebook = copy.deepcopy(notebook)
    transform = TransformerManager().transform_cell
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.source = transform(cell.source).rstrip("\n")
    return jupytext.writes(notebook, fmt="py:percent")


def execution_seconds(cache_path: Path, root: Path = ROOT) -> dict[str, float]:
    """Each notebook's execution time, as MyST-NB recorded it in a build's jupyter-cache.

    Keys are the notebooks' paths relative to ``root`` (as they are in
    ``_toc.yml``, with their suffix); values are seconds.
    """
    from jupyter_cache import get_cache

    if not (Path(cache_path) / "global.db").is_file():
        raise ValueError(f"cache_path {str(cache_path)!r} holds no jupyter-cache")
    seconds = {}
    for record in get_cache(cache_path).list_cache_records():
        if record.data.get("execution_seconds") is None:
            continue
        path = Path(record.uri)
        if path.is_absolute() and path.is_relative_to(Path(root).resolve()):
            path = path.relative_to(Path(root).resolve())
        seconds[path.as_posix()] = record.data["execution_seconds"]
    return seconds


# --- Running things -----------------------------------------------------------------


def load_notebook(path: Path) -> Any:
    """A MyST notebook (``.md``) or a jupytext percent script (``.py``) as an nbformat notebook."""
    import jupytext

    formats = {".md": "md:myst", ".py": "py:percent"}
    if Path(path).suffix not in formats:
        raise ValueError(f"path must be a .md notebook or a .py percent script, got {str(path)!r}")
    return jupytext.read(path, fmt=formats[Path(path).suffix])


def run_notebook(
    path: Path, root: Path = ROOT, seed: int | None = None, backend: str | None = None
) -> dict[str, Any]:
    """Run one notebook in a fresh kernel, in its folder (:func:`lesson_book.run.execute.execute`), and measure it.

    For a notebook of :data:`FIT_WORK`, the kernel also reports the work of
    its model's fit (``work``, or ``work_error``).  ``seed``: run it with
    ``LESSON_SEED``'s seed instead of the book's own; ``backend``: under this
    Keras backend (``KERAS_BACKEND``) instead of this process's.
    """
    work = FIT_WORK.get(str(path))
    probe = PROBE_CODE if work is None else f"{PROBE_CODE}\n{efficiency.work_probe(work.model, work.trained, work.validated)}"
    env = None if backend is None else {**os.environ, "KERAS_BACKEND": backend}
    run = execute(load_notebook(root / path), (root / path).parent, probe=probe, seed=seed, env=env)
    result: dict[str, Any] = {"notebook": str(path), "wall_s": run.seconds, "seed": seed}
    if backend is not None:
        result["backend"] = backend
    lines = (run.probe or "").splitlines()
    try:
        result["peak_mib"], result["cpu_s"] = read_probe(lines[0] if lines else "")
    except ValueError as error:  # e.g. the kernel died: no figure
        result["peak_mib"] = result["cpu_s"] = None
        result["probe_error"] = str(error)[:200]
    if work is not None:
        try:
            result["work"] = efficiency.read_work(lines[1] if len(lines) > 1 else "")
            result["work_fit"] = work.fit
        except ValueError as error:
            result["work_error"] = str(error)[:200]
    code = [cell for cell in run.notebook.cells if cell.cell_type == "code"]
    timings = [cell_seconds(cell.metadata.get("execution", {})) for cell in code]
    result["cells_s"] = [round(s, 2) for s in timings if s is not None]
    if run.error is not None:
        result["error"] = f"cell #{run.failed_cell}: {run.error}"[:200]
    if result["cells_s"]:
        slowest = max(range(len(result["cells_s"])), key=result["cells_s"].__getitem__)
        result["slowest_cell"] = (slowest, result["cells_s"][slowest])
    result.update(asdict(printed_by(code)))
    return result


def time_build(output: Path, root: Path = ROOT) -> dict[str, Any]:
    """Build the book twice into ``output``: from nothing, then with nothing changed.

    After the first build, each notebook's execution time is read from the
    jupyter-cache it wrote (``executed``).
    """
    command = [str(Path(sys.executable).with_name("jupyter-book")), *BOOK_ARGS,
               "--path-output", str(output)]
    timings: dict[str, Any] = {"command": " ".join(command)}
    for key in ("clean", "rebuild"):
        began = time.perf_counter()
        done = subprocess.run(command, cwd=root, capture_output=True, text=True)
        timings[f"{key}_s"] = time.perf_counter() - began
        timings[f"{key}_exit"] = done.returncode
        if done.returncode:
            timings[f"{key}_log_tail"] = (done.stdout + done.stderr)[-2000:]
        if key == "clean":
            folder = cache.cache_folder(root, output=output)
            found = folder is not None and folder.is_dir()
            timings["executed"] = execution_seconds(folder, root) if found else {}
    return timings


def time_script(path: Path, folder: Path, root: Path = ROOT) -> dict[str, Any]:
    """Run a notebook as the plain script jupytext makes of it, in a fresh Python, in its folder."""
    import resource  # POSIX only, like the rest of the measuring

    target = folder / (path.stem.replace("-", "_") + "_as_script.py")
    target.write_text(script_from_notebook(load_notebook(root / path)), encoding="utf-8")
    environment = {**os.environ, "MPLBACKEND": "Agg"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run([sys.executable, str(target)], cwd=(root / path).parent,
                          capture_output=True, text=True, env=environment)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    timing: dict[str, Any] = {"script_s": wall, "script_cpu_s": cpu, "script": str(target)}
    if done.returncode:
        timing["error"] = f"exit {done.returncode}: {done.stderr.strip()[-300:]}"
    timing["test_accuracy"] = parse_outputs([done.stdout]).test_accuracy
    return timing


def measure_peak() -> dict[str, Any]:
    """The practical peak of Keras's backend here: :data:`lesson_book.run.efficiency.PEAK_CODE` in a fresh kernel."""
    with tempfile.TemporaryDirectory(prefix="bench-peak-") as folder:
        run = execute(nbformat.v4.new_notebook(), Path(folder), probe=efficiency.PEAK_CODE)
    try:
        return efficiency.read_peak(run.probe or "")
    except ValueError as error:
        return {"error": str(error)[:200]}


def installed_backends() -> list[str]:
    """Those of :data:`OTHER_BACKENDS` whose framework this environment has."""
    from importlib.util import find_spec

    return [backend for backend in OTHER_BACKENDS if find_spec(backend) is not None]


def _load() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """Run what ``args`` asks for and return the report (see :func:`main`)."""
    notebooks = [Path(p) for p in args.only] if args.only else toc_notebooks(ROOT)
    report: dict[str, Any] = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(), "load_before": _load(), "targets": TARGETS, "final": FINAL, "notebooks": [],
    }
    for path in [*notebooks, *([] if args.skip_peer else [Path(PEER)])]:
        print(f"running {path} ...", flush=True)
        result = run_notebook(path)
        print(f"  {result['wall_s']:.1f} s, {result.get('error') or 'ran to the end'}",
              flush=True)
        if str(path) == PEER:
            report["peer_run"] = result
        else:
            report["notebooks"].append(result)
    if any(str(path) in FIT_WORK for path in notebooks):
        print("timing a large matrix product, the peak the fits are measured against ...", flush=True)
        report["peak"] = measure_peak()
    repeated = args.repeat or ([FINAL] if Path(FINAL) in notebooks else [])
    for path in [Path(p) for p in repeated] if args.repeats else []:
        runs = report.setdefault("repeats", {}).setdefault(str(path), [])
        for seed in range(args.repeats):
            print(f"running {path} with seed {seed} ({seed + 1} of {args.repeats}) ...", flush=True)
            runs.append(run_notebook(path, seed=seed))
            print(f"  fit {sum(all_fits(runs[-1])):.1f} s, {runs[-1].get('error') or 'ran to the end'}",
                  flush=True)
    for backend in args.backend if args.backend is not None else installed_backends():
        for path in [path for path in notebooks if str(path) in FIT_WORK]:
            print(f"running {path} under {backend} ...", flush=True)
            report.setdefault("backends", []).append(run_notebook(path, backend=backend))
    report.update(upstream_limits=UPSTREAM_LIMITS, book_reference=BOOK_REFERENCE)
    ran = {r["notebook"]: r for r in report["notebooks"]}
    if "peer_run" in report:
        report["peer"] = peer_comparison(ran.get(FINAL, {}), report["peer_run"], TARGETS)

    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        exercise: dict[str, Any] = {}
        if not args.skip_script and EXERCISE in ran:
            print(f"running {EXERCISE} as a plain script ...", flush=True)
            exercise = {"notebook": EXERCISE, "notebook_s": ran[EXERCISE]["wall_s"],
                        "notebook_cpu_s": ran[EXERCISE].get("cpu_s"),
                        **time_script(Path(EXERCISE), Path(scratch))}
            exercise["ratio"] = exercise["notebook_s"] / exercise["script_s"]
            if exercise["notebook_cpu_s"] and exercise["script_cpu_s"]:
                exercise["cpu_ratio"] = exercise["notebook_cpu_s"] / exercise["script_cpu_s"]
            exercise.pop("script")
        build: dict[str, Any] = {}
        if not args.skip_build:
            print("building the book from nothing, then again ...", flush=True)
            build = time_build(Path(scratch) / "book")
    report.update(exercise=exercise, build=build, load_after=_load())
    return report


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line of ``lesson-bench``, checked."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", default=None, metavar="NOTEBOOK",
                        help="run only this notebook (repeatable); default: all in _toc.yml")
    parser.add_argument("--skip-build", action="store_true", help="do not time the book build")
    parser.add_argument("--skip-script", action="store_true",
                        help="do not time the exercise as a plain script")
    parser.add_argument("--skip-peer", action="store_true", help="do not train the peer")
    parser.add_argument("--repeat", action="append", default=None, metavar="NOTEBOOK",
                        help=f"run this notebook --repeats more times with seeds 0, 1, ... and report "
                             f"the spread of its fit times (repeatable); default: {FINAL}, when it runs")
    parser.add_argument("--backend", action="append", default=None, choices=OTHER_BACKENDS,
                        help="run the notebooks whose fits are measured once more under this Keras "
                             "backend (repeatable); default: each of them that is installed")
    parser.add_argument("--skip-backends", dest="backend", action="store_const", const=[],
                        help="run no notebook under another backend")
    parser.add_argument("--repeats", type=int, default=REPEATS, metavar="N",
                        help=f"how many seeded runs of each --repeat notebook (default {REPEATS}; 0: none)")
    parser.add_argument("--json", type=Path, default=ROOT / "_build" / "bench.json",
                        help="where to write the figures (default: _build/bench.json)")
    parser.add_argument("--page", type=Path, default=None,
                        help="also write the tables to this Markdown file, which the "
                             "book's cost page includes (make bench: pages/_bench.md)")
    parser.add_argument("--from-json", type=Path, default=None, metavar="REPORT",
                        help="measure nothing: write the tables of this earlier report")
    args = parser.parse_args(argv)
    if args.repeats < 0:
        parser.error(f"--repeats must be 0 or more, got {args.repeats}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_arguments(argv)
    if args.from_json is not None:
        report = json.loads(args.from_json.read_text(encoding="utf-8"))
        # Budgets added since that run are judged as they stand today; its own are kept.
        report["targets"] = {**TARGETS, **report.get("targets", {})}
        report.setdefault("book_reference", BOOK_REFERENCE)
    else:
        report = measure(args)
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
        print(f"Figures written to {args.json}")
    tables = report_markdown(report)
    print("\n" + tables)
    if args.page is not None:
        args.page.write_text(f"{PAGE_NOTE}\n\n{tables}\n", encoding="utf-8")
        print(f"Tables written to {args.page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
