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
``pages/_spread/`` (a record of the notebook's current code is not run again,
so a long run can be resumed or spread over machines and sessions; a record of
earlier code is, see :func:`code_fingerprint`); ``report`` tabulates the
records of the current code (:mod:`lesson_book.cli.spread_table`).
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
import hashlib
import io
import json
import re
import sys
import tokenize
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import nbformat

from lesson_book.book import ROOT, toc_notebooks
from lesson_book.cli.spread_table import read_records, report_markdown
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


def prepared(path: Path, root: Path = ROOT) -> nbformat.NotebookNode:
    """The notebook as the build reads it, its hidden checks made into records (the seed is the runner's)."""
    notebook = cache.read_notebook(path, root)
    for number, cell in _check_cells(notebook):
        cell.source = instrument(cell.source, f"cell {number}")
    notebook.cells.insert(0, nbformat.v4.new_code_cell(_RECORDER_SOURCE))
    notebook.cells.append(nbformat.v4.new_code_cell(_DUMP_SOURCE))
    return notebook


def without_comments(source: str) -> str:
    """``source`` without its comments and blank lines (as it runs); unchanged if it is not Python."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return source
    lines = source.splitlines()
    for token in tokens:
        if token.type == tokenize.COMMENT:
            row, column = token.start
            lines[row - 1] = lines[row - 1][:column]
    return "\n".join(line.rstrip() for line in lines if line.strip())


def code_fingerprint(path: Path, root: Path = ROOT) -> str:
    """A digest of the code ``path`` runs: its code cells, hidden checks included, as the build reads them.

    A record keeps the fingerprint of the code it ran, so that a run of
    earlier code is neither taken for a run of today's nor skipped by ``run``.
    Prose, comments and blank lines do not count (a ``# spread:`` label names a
    row, it does not change a run); nor does the support package, whose changes
    that alter results call for ``run --again``.
    """
    cells = (without_comments(cell.source) for cell in cache.read_notebook(path, root).cells
             if cell.cell_type == "code")
    return hashlib.sha256("\0".join(cells).encode("utf-8")).hexdigest()[:16]


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
        "code": code_fingerprint(path, root),
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


def current_code(records: list[dict[str, Any]], root: Path = ROOT) -> dict[str, str]:
    """The fingerprint of today's code of each notebook the records name that is still in ``root``."""
    named = {record["notebook"] for record in records}
    return {name: code_fingerprint(Path(root) / name, root) for name in named if (Path(root) / name).exists()}


def recorded(target: Path, fingerprint: str) -> bool:
    """Whether ``target`` holds a run of the code whose fingerprint is ``fingerprint``."""
    return target.exists() and json.loads(target.read_text()).get("code") == fingerprint


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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run notebooks with seeds under $KERAS_BACKEND, one record each")
    run.add_argument("notebooks", nargs="*", type=Path,
                     help="default: every notebook of _toc.yml that trains a model")
    run.add_argument("--seeds", default="0-19", help="for example 0-19 or 0,3,7 (default 0-19)")
    run.add_argument("--records", type=Path, default=RECORDS)
    run.add_argument("--again", action="store_true", help="run again where a record of the current code exists")
    report = commands.add_parser("report", help="tabulate every record")
    report.add_argument("--records", type=Path, default=RECORDS)
    report.add_argument("--page", type=Path, help="write the table to this Markdown file too")
    args = parser.parse_args(argv)

    if args.command == "run":
        backend = variants.backend()
        failed = 0
        notebooks = args.notebooks or training_notebooks(ROOT)
        fingerprints = {notebook: code_fingerprint(notebook, ROOT) for notebook in notebooks}
        for seed in parse_seeds(args.seeds):
            for notebook in notebooks:
                target = record_path(notebook, backend, seed, args.records, root=ROOT)
                if not args.again and recorded(target, fingerprints[notebook]):
                    continue
                record = run_one(notebook, seed, root=ROOT)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(json.dumps(record, indent=1))
                missed = [c["name"] for c in record.get("checks", []) if not c["held"]]
                failed += bool(missed or "error" in record)
                status = record.get("error") or (f"FAILED {', '.join(missed)}" if missed else "held")
                print(f"{record['notebook']} {backend} seed {seed}: {status}", flush=True)
        return 1 if failed else 0
    records = read_records(args.records)
    text = report_markdown(records, current_code(records, ROOT))
    print(text)
    if args.page:
        args.page.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
