"""The measured spread behind the hidden checks: run notebooks under many seeds and backends, tabulate every asserted quantity.

A hidden check such as ``assert final["val_accuracy"][-1] >= 0.985`` states a
property of a training run.  Whether it holds on any run is a matter of
measurement: this script runs the notebooks with other seeds
(``LESSON_SEED``, through :mod:`lesson_book.run.variants`) and under other Keras
backends, records the two sides of every numeric comparison that a
``remove-cell`` cell asserts, and writes a table of each check's observed
range and the margin by which its bound clears it.

It is run on demand, never in CI (a full run trains every model dozens of
times)::

    lesson-spread run --seeds 0-19 lessons/final-model.md
    KERAS_BACKEND=jax lesson-spread run --seeds 0-4 lessons/final-model.md
    lesson-spread report --page pages/_spread.md

``run`` writes one JSON record per notebook, backend and seed into
``pages/_spread/`` (a record that exists is not run again, so a long run can
be resumed or spread over machines and sessions); ``report`` reads them all.
The records are committed with the page they make: measurements outlive the
machine that made them, and a later run adds to them.

How a check is recorded.  Before the notebook runs, each ``assert`` of a
``remove-cell`` cell is rewritten (with :mod:`ast`) so that its operands are
evaluated once, handed to a recorder, and compared without raising: the
run goes on past a failing check, so that every quantity of the run is
measured.  A check's row is named by the comment ``# spread: NAME`` on its
``assert`` line (the notebook's hidden checks point to their rows that way),
or else by its cell and line.  Only the comparisons ``<``, ``<=``, ``>`` and
``>=`` between numbers have a margin; any other assert is recorded as held
or not.
"""

from __future__ import annotations

import argparse
import ast
import json
import math
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import nbformat

from lesson_book.book import ROOT, toc_notebooks
from lesson_book.run import cache, variants
from lesson_book.run.execute import cell_timeout, execute
from lesson_book.run.measure import machine as machine_facts
from lesson_book.run.measure import printed_by

#: Where ``run`` writes its records, one JSON file per notebook, backend and seed
#: (committed, beside the page ``report`` makes of them).
RECORDS = ROOT / "pages" / "_spread"

#: The tag of the cells whose asserts are the hidden checks.
CHECK_TAG = "remove-cell"

#: The comment that names a check's row: ``assert x > 0.9  # spread: exercise-accuracy``.
LABEL = re.compile(r"#\s*spread:\s*([A-Za-z0-9_.-]+)")

#: A call of a model's ``fit`` in a notebook's source.
FIT = re.compile(r"\.fit\(")

#: How many times the book's cell time limit a cell may run here (a loaded machine runs many seeds).
TIMEOUT_FACTOR = 2

#: The name the recorder has inside the kernel.
RECORDER = "_spread_record"

_RECORDER_SOURCE = f'''\
import json as _spread_json
import operator as _spread_operator


def {RECORDER}(name, ops, operands, held=None):
    """Note one assert's operands (or whether it held) for lesson-spread; never raises."""
    def number(value):
        try:
            return float(value)
        except Exception:
            return None

    def compare(op, left, right):
        function = {{"<": "lt", "<=": "le", ">": "gt", ">=": "ge", "==": "eq", "!=": "ne"}}[op]
        try:
            return bool(getattr(_spread_operator, function)(left, right))
        except Exception:  # what would make the assert itself raise counts as failing
            return False

    values = [number(value) for value in operands]
    if held is None:
        held = all(compare(op, operands[i], operands[i + 1]) for i, op in enumerate(ops))
    {RECORDER}.checks.append({{"name": name, "ops": ops, "values": values, "held": bool(held)}})
    return bool(held)


{RECORDER}.checks = []
'''

_DUMP_SOURCE = f"print(_spread_json.dumps({RECORDER}.checks))"

_OPS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}

#: The comparisons that have a margin.
ORDERED = ("<", "<=", ">", ">=")


class _Instrument(ast.NodeTransformer):
    """Rewrites each top-level or nested ``assert`` into a call of the recorder."""

    def __init__(self, source_lines: list[str], prefix: str):
        self.lines = source_lines
        self.prefix = prefix

    def name(self, node: ast.Assert) -> str:
        match = LABEL.search(self.lines[node.lineno - 1])
        return match.group(1) if match else f"{self.prefix} line {node.lineno}"

    def visit_Assert(self, node: ast.Assert) -> ast.stmt:
        name = ast.Constant(self.name(node))
        test = node.test
        if isinstance(test, ast.Compare) and all(type(op) in _OPS for op in test.ops):
            ops = ast.List([ast.Constant(_OPS[type(op)]) for op in test.ops], ast.Load())
            operands = ast.List([test.left, *test.comparators], ast.Load())
            call = ast.Call(ast.Name(RECORDER, ast.Load()), [name, ops, operands], [])
        else:
            held = ast.Call(ast.Name("bool", ast.Load()), [test], [])
            empty = ast.List([], ast.Load())
            call = ast.Call(ast.Name(RECORDER, ast.Load()), [name, empty, empty, held], [])
        return ast.copy_location(ast.Expr(call), node)


def instrument(source: str, prefix: str) -> str:
    """``source`` with each assert made a call of the recorder; unchanged if it is not plain Python."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics: no checks to record here
        return source
    if not any(isinstance(node, ast.Assert) for node in ast.walk(tree)):
        return source
    tree = _Instrument(source.splitlines(), prefix).visit(tree)
    return ast.unparse(ast.fix_missing_locations(tree))


def _check_cells(notebook: nbformat.NotebookNode) -> Iterator[tuple[int, nbformat.NotebookNode]]:
    """Each hidden-check cell, with its number among the notebook's code cells (the rows' default names)."""
    for number, cell in enumerate(c for c in notebook.cells if c.cell_type == "code"):
        if CHECK_TAG in cell.metadata.get("tags", []):
            yield number, cell


def _relative(path: Path, root: Path) -> str:
    """``path`` relative to ``root``, as the records name notebooks."""
    return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()


def check_names(path: Path, root: Path = ROOT) -> set[str]:
    """The row names of the hidden checks ``path`` holds now (records of older versions may hold others)."""
    names = set()
    for number, cell in _check_cells(cache.read_notebook(path, root)):
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        namer = _Instrument(cell.source.splitlines(), f"cell {number}")
        names.update(namer.name(node) for node in ast.walk(tree) if isinstance(node, ast.Assert))
    return names


def prepared(path: Path, root: Path = ROOT) -> nbformat.NotebookNode:
    """The notebook as the build reads it, its hidden checks made into records (the seed is the runner's)."""
    notebook = cache.read_notebook(path, root)
    for number, cell in _check_cells(notebook):
        cell.source = instrument(cell.source, f"cell {number}")
    notebook.cells.insert(0, nbformat.v4.new_code_cell(_RECORDER_SOURCE))
    notebook.cells.append(nbformat.v4.new_code_cell(_DUMP_SOURCE))
    return notebook


def training_notebooks(root: Path = ROOT) -> list[Path]:
    """The notebooks of ``_toc.yml`` that train a model (call ``fit``): their checks depend on the run."""
    return [
        Path(root) / path
        for path in toc_notebooks(root)
        if FIT.search((Path(root) / path).read_text(encoding="utf-8"))
    ]


def record_path(notebook: Path, backend: str, seed: int, records: Path = RECORDS, root: Path = ROOT) -> Path:
    """Where the record of one run goes."""
    stem = _relative(notebook, root).removesuffix(".md").replace("/", "--")
    return Path(records) / backend / f"{stem}--seed{seed}.json"


def run_one(path: Path, seed: int, root: Path = ROOT) -> dict[str, Any]:
    """Run one notebook with ``seed`` under the backend of ``KERAS_BACKEND``; its checks and any error."""
    record: dict[str, Any] = {
        "notebook": _relative(path, root),
        "backend": variants.backend(), "seed": seed, "machine": machine(),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    run = execute(prepared(path, root), Path(path).resolve().parent,
                  timeout=TIMEOUT_FACTOR * cell_timeout(root), seed=seed)
    if not run.ok:  # a failing cell is recorded, and the spread goes on with the next run
        record["error"] = run.error[:300]
        return record
    record["wall_s"] = round(run.seconds, 1)
    record["printed"] = asdict(printed_by(run.notebook.cells[:-1]))  # fit times, test accuracy
    record["checks"] = json.loads(run.notebook.cells[-1].outputs[0]["text"])
    return record


def machine() -> str:
    """The processor (and whether it has AVX-512), its cores and the Keras version, for the table's line of runs."""
    facts = machine_facts()
    vector = " with AVX-512" if facts["avx512"] else ""
    return f"{facts['cpu']}{vector}, {facts['cores']} cores, Keras {facts['keras']}"


def parse_seeds(text: str) -> list[int]:
    """``"0-19"`` or ``"0,3,7"`` (or both, mixed) as a list of seeds."""
    seeds: list[int] = []
    for part in text.split(","):
        match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", part)
        if not match:
            raise ValueError(f"seeds must look like 0-19 or 0,3,7, got {text!r}")
        low, high = int(match.group(1)), int(match.group(2) or match.group(1))
        if high < low:
            raise ValueError(f"seeds must count up, got {part.strip()!r} in {text!r}")
        seeds.extend(range(low, high + 1))
    return seeds


# --- the table ------------------------------------------------------------------------


@dataclass
class Row:
    """Every run's record of one check."""

    notebook: str
    name: str
    ops: list[str]
    runs: dict[str, list[list[float | None]]] = field(default_factory=lambda: defaultdict(list))
    failed: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(values) for values in self.runs.values())

    def slacks(self) -> list[float]:
        """How far each run cleared each ordered comparison (negative: it failed)."""
        found = []
        for values in (v for backend in self.runs.values() for v in backend):
            for i, op in enumerate(self.ops):
                left, right = values[i], values[i + 1]
                if op in ORDERED and left is not None and right is not None:
                    found.append(right - left if op in ("<", "<=") else left - right)
        return found

    def columns(self) -> list[tuple[float | None, ...]]:
        """Each operand's values, over every run."""
        return list(zip(*(values for backend in self.runs.values() for values in backend)))

    def quantity(self) -> tuple[float, float] | None:
        """The observed range of the varying side(s): the operand(s) that are not the same in every run."""
        columns = self.columns()
        varying = [c for c in columns if None not in c and max(c) > min(c)]
        if not varying:
            numbers = [c for c in columns if None not in c]
            return (min(numbers[0]), max(numbers[0])) if numbers else None
        if len(varying) == 1:
            return min(varying[0]), max(varying[0])
        if len(columns) == 2:  # both sides vary: the difference, left minus right
            differences = [a - b for a, b in zip(*columns)]
            return min(differences), max(differences)
        return None

    def bound(self) -> str:
        """The fixed side(s) of the comparison, as written."""
        columns = self.columns()
        fixed = [c[0] for c in columns if None not in c and max(c) == min(c)]
        if len(fixed) == len(columns):
            return "fixed"
        if not fixed:
            return "0 (difference)" if len(columns) == 2 else "–"
        return " and ".join(f"{value:.4g}" for value in fixed)


def gather(records: Iterable[dict[str, Any]]) -> tuple[dict[tuple[str, str], Row], list[dict[str, Any]]]:
    """Every check's row, and the runs that stopped with an error."""
    rows: dict[tuple[str, str], Row] = {}
    errors = []
    for record in records:
        if "error" in record:
            errors.append(record)
            continue
        run = f"{record['backend']} seed {record['seed']}"
        for check in record["checks"]:
            key = (record["notebook"], check["name"])
            row = rows.setdefault(key, Row(record["notebook"], check["name"], check["ops"]))
            row.runs[record["backend"]].append(check["values"])
            if not check["held"]:
                row.failed.append(run)
    return rows, errors


def read_records(folder: Path = RECORDS) -> list[dict[str, Any]]:
    """Every record under ``folder``."""
    return [json.loads(path.read_text()) for path in sorted(Path(folder).rglob("*.json"))]


def _number(value: float) -> str:
    return f"{value:.4g}" if math.isfinite(value) else str(value)


def report_markdown(records: list[dict[str, Any]], root: Path | None = None) -> str:
    """The page: runs per backend, then one row per varying numeric check, then the failures.

    With ``root``, rows of checks that the notebook under ``root`` no longer holds are left out.
    """
    rows, errors = gather(records)
    stale = 0
    if root is not None:
        current = {notebook: check_names(Path(root) / notebook, root) for notebook, _ in rows}
        stale = sum(name not in current[notebook] for notebook, name in rows)
        rows = {key: row for key, row in rows.items() if key[1] in current[key[0]]}
    runs: dict[str, set[int]] = defaultdict(set)
    machines = sorted({record.get("machine", "?") for record in records})
    for record in records:
        runs[record["backend"]].add(record["seed"])
    lines = [
        "<!-- Written by `lesson-spread report` (make spread); do not edit by hand. -->",
        "",
        "Runs: " + "; ".join(
            f"{backend}, {len(seeds)} seeds ({min(seeds)}–{max(seeds)})" for backend, seeds in sorted(runs.items())
        ) + f". Machines: {', '.join(machines)}.",
        "",
        "| notebook | check | comparison | bound | observed min | observed max | margin | runs | failed in |",
        "|---|---|---|---|---:|---:|---:|---:|---|",
    ]
    quiet = 0  # checks that held every time without a number that varied
    for (notebook, name), row in sorted(rows.items()):
        slacks = row.slacks()
        if not row.failed and (not slacks or row.bound() == "fixed"):
            quiet += 1
            continue
        observed = row.quantity()
        # A chain such as 0.01 < a < b, with a and b both varying, has no one
        # observed quantity: its margin alone (the smaller slack) says how it held.
        low, high = (_number(value) for value in observed) if observed else ("–", "–")
        margin = _number(min(slacks)) if slacks else "–"
        lines.append(
            f"| {Path(notebook).stem} | `{name}` | {' '.join(row.ops) or 'held'} | {row.bound()} "
            f"| {low} | {high} | {margin} | {row.count} | {', '.join(row.failed) or '–'} |"
        )
    lines += ["", f"{quiet} other checks compare quantities that were the same in every run, or are not ordered "
              "comparisons of numbers, and held in every run."]
    if stale:
        lines += ["", f"{stale} checks recorded by earlier runs are no longer in the notebooks and are left out."]
    if errors:
        lines += ["", "Runs that stopped with an error:", ""]
        lines += [f"- {e['notebook']}, {e['backend']} seed {e['seed']}: {e['error']}" for e in errors]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run notebooks with seeds under $KERAS_BACKEND, one record each")
    run.add_argument("notebooks", nargs="*", type=Path,
                     help="default: every notebook of _toc.yml that trains a model")
    run.add_argument("--seeds", default="0-19", help="for example 0-19 or 0,3,7 (default 0-19)")
    run.add_argument("--records", type=Path, default=RECORDS)
    run.add_argument("--again", action="store_true", help="run again where a record exists")
    report = commands.add_parser("report", help="tabulate every record")
    report.add_argument("--records", type=Path, default=RECORDS)
    report.add_argument("--page", type=Path, help="write the table to this Markdown file too")
    args = parser.parse_args(argv)

    if args.command == "run":
        backend = variants.backend()
        failed = 0
        for seed in parse_seeds(args.seeds):
            for notebook in args.notebooks or training_notebooks(ROOT):
                target = record_path(notebook, backend, seed, args.records, root=ROOT)
                if target.exists() and not args.again:
                    continue
                record = run_one(notebook, seed, root=ROOT)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(json.dumps(record, indent=1))
                missed = [c["name"] for c in record.get("checks", []) if not c["held"]]
                failed += bool(missed or "error" in record)
                status = record.get("error") or (f"FAILED {', '.join(missed)}" if missed else "held")
                print(f"{record['notebook']} {backend} seed {seed}: {status}", flush=True)
        return 1 if failed else 0
    text = report_markdown(read_records(args.records), root=ROOT)
    print(text)
    if args.page:
        args.page.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
