"""Benchmark the book: how long each notebook and the build take, and how much memory.

``make bench`` runs this script.  It is a report, not a test: it prints a
table and writes the same figures to ``_build/bench.json``.

For every notebook listed in ``_toc.yml`` (a ``.md`` file whose front matter
has a ``kernelspec``) it starts a fresh kernel in the notebook's folder, runs
the code cells one by one and records

- the wall time, from starting the kernel to the end of the last cell;
- the slowest cell (index among the code cells, and seconds);
- the kernel's peak resident memory, read inside the kernel at the end
  (``VmHWM`` from ``/proc/self/status``: the high-water mark of the kernel
  process; ``ru_maxrss`` where there is no ``/proc``);
- what the notebook itself prints about training, by this convention::

      Fit time: 26.1 s                   after each model.fit
      Fit time (final model): 152.3 s    the one fit allowed a longer budget
      Test accuracy: 0.9881              the last one printed is reported

It then times a clean build of the book into a temporary folder (so the
user's ``_build`` is left alone), a second build with nothing changed, and
the exercise notebook against the same code run as a plain Python script,
generated from the notebook's code cells so that the two cannot drift.

Targets (for the 2-core machine the book is written for) live in
:data:`TARGETS`, and nowhere else.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]

#: What each measurement should stay within on 2 CPU cores.  Seconds and MiB.
TARGETS: dict[str, float] = {
    "notebook_s": 120.0,  # one notebook, fresh kernel, start to end
    "fit_s": 60.0,  # any single model.fit ...
    "final_fit_s": 180.0,  # ... except the final model's
    "peak_mib": 1536.0,  # a kernel's peak resident memory (1.5 GiB)
    "clean_build_s": 480.0,  # `make book` from an empty _build (8 min)
    "rebuild_s": 30.0,  # `make book` again with nothing changed
}

#: The notebook compared with a plain-script run of its own code.
EXERCISE = "lessons/mnist-exercise.md"

#: The arguments `make book` gives jupyter-book (tests/test_bench.py keeps them in step).
BOOK_ARGS = ("build", ".", "--builder", "html", "-n", "-W", "--keep-going")

CELL_TIMEOUT_S = 600  # as `execute.timeout` in _config.yml

_FIT = re.compile(r"^Fit time( \(final model\))?: (\d+(?:\.\d+)?) s\s*$", re.MULTILINE)
_ACCURACY = re.compile(r"^Test accuracy: (\d+(?:\.\d+)?)\s*$", re.MULTILINE)
_MAGIC = re.compile(r"^(\s*)([%!].*)$")

#: Run in the kernel after the notebook: its CPU time and its peak resident
#: memory, two ways.
#: ``VmHWM`` (Linux) is the peak resident set of the kernel's own process
#: image. ``ru_maxrss`` is the fallback elsewhere; on Linux it would also
#: count what the process that launched the kernel held when it forked.
_PROBE_CODE = """\
import json as _json, resource as _resource, sys as _sys
try:
    with open("/proc/self/status") as _status:
        _hwm = [int(line.split()[1]) for line in _status if line.startswith("VmHWM:")][0]
except (OSError, IndexError, ValueError):
    _hwm = None
_usage = _resource.getrusage(_resource.RUSAGE_SELF)
print(_json.dumps({"vmhwm_kib": _hwm, "platform": _sys.platform, "maxrss": _usage.ru_maxrss,
                   "cpu_s": _usage.ru_utime + _usage.ru_stime}))"""


# --- The pure parts (unit-tested in tests/test_bench.py) --------------------------


def toc_files(toc: Mapping[str, Any]) -> list[str]:
    """Every ``file`` entry of a Jupyter Book table of contents, in reading order.

    ``toc`` is the parsed ``_toc.yml``: a ``root``, then ``parts`` with
    ``chapters`` (or ``chapters`` directly), each possibly with ``sections``.
    """
    if not isinstance(toc, Mapping):
        raise TypeError(f"toc must be a mapping (parsed _toc.yml), got {type(toc).__name__}")
    files: list[str] = []

    def walk(entries: Any, where: str) -> None:
        if not isinstance(entries, list):
            raise ValueError(f"{where} must be a list of entries, got {entries!r}")
        for entry in entries:
            if not isinstance(entry, Mapping):
                raise ValueError(f"an entry of {where} must be a mapping, got {entry!r}")
            if "file" in entry:
                files.append(str(entry["file"]))
            for key in ("chapters", "sections"):
                if key in entry:
                    walk(entry[key], key)

    if "root" in toc:
        files.append(str(toc["root"]))
    for key in ("parts", "chapters"):
        if key in toc:
            walk(toc[key], key)
    return files


def is_notebook(path: Path) -> bool:
    """True for a MyST Markdown notebook: a ``.md`` file whose front matter names a kernel."""
    if path.suffix != ".md" or not path.is_file():
        return False
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return False
    end = text.find("\n---", 4)
    if end < 0:
        return False
    front = yaml.safe_load(text[4:end]) or {}
    return isinstance(front, dict) and "kernelspec" in front


def notebooks_in_toc(root: Path, toc_path: Path | None = None) -> list[Path]:
    """The notebooks a book's ``_toc.yml`` lists, in order, as paths relative to ``root``."""
    toc_path = root / "_toc.yml" if toc_path is None else toc_path
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    found = []
    for name in toc_files(toc):
        candidates = [Path(name)] if Path(name).suffix else [Path(name + ".md")]
        for candidate in candidates:
            if is_notebook(root / candidate):
                found.append(candidate)
    return found


@dataclass
class Printed:
    """What a notebook printed about its training, by the benchmark's convention."""

    fit_s: list[float] = field(default_factory=list)  # ordinary fits, in order
    final_fit_s: float | None = None
    test_accuracy: float | None = None  # the last one printed


def parse_outputs(texts: Iterable[str]) -> Printed:
    """Read ``Fit time`` and ``Test accuracy`` lines from a notebook's printed text."""
    printed = Printed()
    for text in texts:
        if not isinstance(text, str):
            raise TypeError(f"texts must hold strings, got {text!r}")
        for final, seconds in _FIT.findall(text):
            if final:
                printed.final_fit_s = float(seconds)
            else:
                printed.fit_s.append(float(seconds))
        for accuracy in _ACCURACY.findall(text):
            value = float(accuracy)
            if value > 1:
                raise ValueError(f"a printed test accuracy must be at most 1, got {accuracy}")
            printed.test_accuracy = value
    return printed


def maxrss_mib(ru_maxrss: int, platform_name: str) -> float:
    """Convert ``getrusage().ru_maxrss`` to MiB: kibibytes on Linux, bytes on macOS."""
    if isinstance(ru_maxrss, bool) or not isinstance(ru_maxrss, int) or ru_maxrss < 0:
        raise ValueError(f"ru_maxrss must be a non-negative int, got {ru_maxrss!r}")
    if platform_name == "darwin":
        return ru_maxrss / 2**20
    if platform_name.startswith("linux"):
        return ru_maxrss / 2**10
    raise ValueError(f"platform_name {platform_name!r}: unknown unit of ru_maxrss")


def read_probe(text: str) -> tuple[float, float | None]:
    """Peak memory in MiB and CPU seconds from what the probe printed in the kernel.

    ``text`` is JSON with ``vmhwm_kib`` (``VmHWM`` in KiB, or null where
    ``/proc`` is missing), ``maxrss``, ``platform`` and ``cpu_s`` (user plus
    system time); ``VmHWM`` is used when present, ``ru_maxrss`` otherwise.
    """
    try:
        fields = json.loads(text)
        hwm, maxrss, name = fields["vmhwm_kib"], fields["maxrss"], fields["platform"]
        cpu = fields.get("cpu_s")
    except (ValueError, TypeError, KeyError, AttributeError):
        raise ValueError(
            f"text must be the probe's JSON (vmhwm_kib, maxrss, platform), got {text!r}"
        ) from None
    if cpu is not None and (isinstance(cpu, bool) or not isinstance(cpu, (int, float))):
        raise ValueError(f"cpu_s must be a number of seconds, got {cpu!r}")
    if hwm is None:
        return maxrss_mib(maxrss, name), cpu
    if isinstance(hwm, bool) or not isinstance(hwm, int) or hwm < 0:
        raise ValueError(f"vmhwm_kib must be a non-negative int, got {hwm!r}")
    return hwm / 2**10, cpu


def script_from_cells(sources: Sequence[str]) -> str:
    """A plain Python script of the given code cells, in order.

    IPython magics and shell escapes (``%pip``, ``!ls``) become ``pass`` with
    the magic kept as a comment, so the script runs under plain Python and
    any block they sit in stays valid.
    """
    parts = []
    for number, source in enumerate(sources):
        lines = [
            _MAGIC.sub(lambda m: f"{m.group(1)}pass  # {m.group(2)}", line)
            for line in source.splitlines()
        ]
        parts.append(f"# --- cell {number} ---\n" + "\n".join(lines) + "\n")
    return "\n".join(parts)


@dataclass
class Check:
    """One measurement against its target."""

    what: str
    measured: float | None
    limit: float

    @property
    def status(self) -> str:
        if self.measured is None:
            return "n/a"
        return "PASS" if self.measured <= self.limit else "OVER"


def notebook_checks(result: Mapping[str, Any], targets: Mapping[str, float] = TARGETS) -> list[Check]:
    """The targets that apply to one notebook's result (see :func:`run_notebook`)."""
    fits = result.get("fit_s") or []
    return [
        Check("notebook", result.get("wall_s"), targets["notebook_s"]),
        Check("fit", max(fits) if fits else None, targets["fit_s"]),
        Check("final fit", result.get("final_fit_s"), targets["final_fit_s"]),
        Check("memory", result.get("peak_mib"), targets["peak_mib"]),
    ]


def verdict(checks: Sequence[Check], error: str | None = None) -> str:
    """``PASS``, ``OVER: <what>, ...`` or ``ERROR: ...`` for a row of the table."""
    if error:
        return f"ERROR: {error}"
    over = [check.what for check in checks if check.status == "OVER"]
    return "OVER: " + ", ".join(over) if over else "PASS"


def format_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A Markdown pipe table, columns padded so it also reads well in a terminal.

    Numbers are right-aligned, text left-aligned; ``None`` is shown as "–".
    """
    if any(len(row) != len(headers) for row in rows):
        raise ValueError(f"every row must have {len(headers)} cells, like headers {list(headers)}")
    cells = [["–" if value is None else str(value) for value in row] for row in rows]
    numeric = [
        bool(rows) and all(isinstance(row[i], (int, float)) or row[i] is None for row in rows)
        for i in range(len(headers))
    ]
    widths = [max([len(h), 3, *(len(row[i]) for row in cells)]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        padded = [
            v.rjust(w) if right else v.ljust(w) for v, w, right in zip(values, widths, numeric)
        ]
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join(
        "-" * (w + 1) + ":" if right else "-" * (w + 2) for w, right in zip(widths, numeric)
    ) + "|"
    return "\n".join([line(headers), rule, *(line(row) for row in cells)])


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def notebook_rows(results: Sequence[Mapping[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows of the per-notebook table."""
    headers = [
        "notebook", "wall s", "slowest cell", "peak MiB", "fits", "max fit s",
        "final fit s", "test acc.", "result",
    ]
    rows = []
    for r in results:
        slow = r.get("slowest_cell")
        fits = r.get("fit_s") or []
        rows.append([
            r["notebook"],
            _round(r.get("wall_s")),
            None if slow is None else f"#{slow[0]}: {slow[1]:.1f} s",
            _round(r.get("peak_mib"), 0),
            len(fits) + (r.get("final_fit_s") is not None),
            _round(max(fits)) if fits else None,
            _round(r.get("final_fit_s")),
            None if r.get("test_accuracy") is None else f"{r['test_accuracy']:.4f}",
            verdict(notebook_checks(r), r.get("error")),
        ])
    return headers, rows


def book_rows(
    build: Mapping[str, Any], exercise: Mapping[str, Any], targets: Mapping[str, float] = TARGETS
) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows of the table for the build and the notebook-versus-script run."""
    headers = ["measurement", "seconds", "CPU s", "target s", "result"]
    rows: list[list[Any]] = []
    for key, label, target in (
        ("clean_s", "clean build (make book, empty _build)", "clean_build_s"),
        ("rebuild_s", "rebuild, nothing changed", "rebuild_s"),
    ):
        if key in build:
            check = Check(label, build[key], targets[target])
            failed = build.get(key.replace("_s", "_exit"), 0)
            status = check.status if not failed else f"ERROR: exit {failed}"
            rows.append([label, _round(build[key]), None, targets[target], status])
    if exercise:
        name = exercise["notebook"]
        failed = "ERROR: " + exercise["error"] if exercise.get("error") else "reported"
        rows.append([f"{name} as notebook", _round(exercise.get("notebook_s")),
                     _round(exercise.get("notebook_cpu_s")), None, "reported"])
        rows.append([f"{name} as plain script", _round(exercise.get("script_s")),
                     _round(exercise.get("script_cpu_s")), None, failed])
        rows.append(["notebook / script", _round(exercise.get("ratio"), 2),
                     _round(exercise.get("cpu_ratio"), 2), None, "ratio"])
    return headers, rows


README_START = "<!-- bench:start (written by `make bench`; do not edit by hand) -->"
README_END = "<!-- bench:end -->"


def readme_section(report: Mapping[str, Any]) -> str:
    """The README's benchmark figures: the machine, then both tables, in Markdown."""
    info = report["machine"]
    versions = ", ".join(
        f"{name.replace('_', '-')} {info[name]}"
        for name in ("tensorflow", "keras", "jupyter_book") if info.get(name)
    )
    lines = [
        f"Measured on {report['date'][:10]}: {info['cpu']}, {info['cores']} cores, "
        f"{info['memory_gib']} GiB, {info['system']}, Python {info['python']}, {versions}. "
        f"Load average {report.get('load_before')} before the run and "
        f"{report.get('load_after')} after it.",
        "",
    ]
    headers, rows = notebook_rows(report["notebooks"])
    lines.append(format_table(headers, rows))
    headers, rows = book_rows(report.get("build") or {}, report.get("exercise") or {})
    if rows:
        lines += ["", format_table(headers, rows)]
    return "\n".join(lines)


def replace_section(text: str, section: str) -> str:
    """``text`` with what lies between the benchmark markers replaced by ``section``."""
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < 0 or end < start:
        raise ValueError(
            f"text must hold the markers {README_START!r} and then {README_END!r}"
        )
    return text[: start + len(README_START)] + "\n" + section.strip() + "\n" + text[end:]


# --- Running things -----------------------------------------------------------------


def run_notebook(path: Path, root: Path = ROOT, timeout: int = CELL_TIMEOUT_S) -> dict[str, Any]:
    """Run one notebook in a fresh kernel, cell by cell, and measure it."""
    import jupytext
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell

    notebook = jupytext.read(root / path, fmt="md:myst")
    kernel = notebook.metadata.get("kernelspec", {}).get("name", "python3")
    client = NotebookClient(
        notebook, kernel_name=kernel, timeout=timeout,
        resources={"metadata": {"path": str((root / path).parent)}},
    )
    result: dict[str, Any] = {"notebook": str(path), "cells_s": []}
    code = [(i, cell) for i, cell in enumerate(notebook.cells) if cell.cell_type == "code"]
    start = time.perf_counter()
    with client.setup_kernel():
        number = 0
        try:
            for number, (index, cell) in enumerate(code):
                began = time.perf_counter()
                try:
                    client.execute_cell(cell, index)
                finally:
                    result["cells_s"].append(round(time.perf_counter() - began, 2))
        except Exception as error:  # noqa: BLE001 - a failing notebook is reported, not fatal
            lines = str(error).strip().splitlines() or [type(error).__name__]
            result["error"] = f"cell #{number}: {lines[-1]}"[:200]
        result["wall_s"] = time.perf_counter() - start
        probe = new_code_cell(_PROBE_CODE)
        notebook.cells.append(probe)  # nbclient writes each cell back into the notebook
        try:
            client.execute_cell(probe, len(notebook.cells) - 1)
            result["peak_mib"], result["cpu_s"] = read_probe(probe.outputs[0]["text"])
        except Exception as error:  # noqa: BLE001 - e.g. the kernel died: no figure
            result["peak_mib"] = result["cpu_s"] = None
            result["probe_error"] = f"{type(error).__name__}: {error}"[:200]
    if result["cells_s"]:
        slowest = max(range(len(result["cells_s"])), key=result["cells_s"].__getitem__)
        result["slowest_cell"] = (slowest, result["cells_s"][slowest])
    texts = [
        output.get("text", "")
        for _, cell in code
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream" and output.get("name") == "stdout"
    ]
    result.update(asdict(parse_outputs(texts)))
    return result


def time_build(output: Path, root: Path = ROOT) -> dict[str, Any]:
    """Build the book twice into ``output``: from nothing, then with nothing changed."""
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
    return timings


def time_script(path: Path, folder: Path, root: Path = ROOT) -> dict[str, Any]:
    """Run a notebook's code cells as a plain script in a fresh Python, in its folder."""
    import resource  # POSIX only, like the rest of the measuring

    import jupytext

    notebook = jupytext.read(root / path, fmt="md:myst")
    script = script_from_cells([c.source for c in notebook.cells if c.cell_type == "code"])
    target = folder / (path.stem.replace("-", "_") + "_as_script.py")
    target.write_text(script, encoding="utf-8")
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


def machine() -> dict[str, Any]:
    """Where the figures came from."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    try:
        memory = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError, AttributeError):
        pass
    versions = {}
    for package in ("tensorflow", "keras", "jupyter_book"):
        try:
            from importlib.metadata import version

            versions[package] = version(package.replace("_", "-"))
        except Exception:  # noqa: BLE001 - a missing package is simply not reported
            versions[package] = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": memory,
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        **versions,
    }


def _load() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebook", action="append", default=None,
                        help="run only this notebook (repeatable); default: all in _toc.yml")
    parser.add_argument("--skip-build", action="store_true", help="do not time the book build")
    parser.add_argument("--skip-script", action="store_true",
                        help="do not time the exercise as a plain script")
    parser.add_argument("--json", type=Path, default=ROOT / "_build" / "bench.json",
                        help="where to write the figures (default: _build/bench.json)")
    parser.add_argument("--readme", type=Path, default=None,
                        help="also write the figures into this README, between its "
                             "benchmark markers (make bench passes README.md)")
    args = parser.parse_args(argv)

    notebooks = [Path(p) for p in args.notebook] if args.notebook else notebooks_in_toc(ROOT)
    report: dict[str, Any] = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "load_before": _load(),
        "targets": TARGETS,
        "notebooks": [],
    }
    for path in notebooks:
        print(f"running {path} ...", flush=True)
        result = run_notebook(path)
        report["notebooks"].append(result)
        print(f"  {result['wall_s']:.1f} s, {result.get('error') or 'ran to the end'}",
              flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        exercise: dict[str, Any] = {}
        ran = {r["notebook"]: r for r in report["notebooks"]}
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

    section = readme_section(report)
    print("\n" + section)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"Written to {args.json}")
    if args.readme is not None:
        args.readme.write_text(
            replace_section(args.readme.read_text(encoding="utf-8"), section),
            encoding="utf-8",
        )
        print(f"Figures written into {args.readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
