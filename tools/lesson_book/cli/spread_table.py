"""The spread's table: every run's record of a notebook's hidden checks, gathered into rows of bound, observed range and margin.

``lesson-spread report`` (:mod:`lesson_book.cli.spread`) writes it as
``pages/_spread.md``, which the cost page includes.  A record is one run of one
notebook (backend, seed, the code it ran, and each check's operands and
whether it held); a row is one check over every run.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The comparisons that have a margin.
ORDERED = ("<", "<=", ">", ">=")


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


def read_records(folder: Path) -> list[dict[str, Any]]:
    """Every record under ``folder``."""
    return [json.loads(path.read_text()) for path in sorted(Path(folder).rglob("*.json"))]


def _number(value: float) -> str:
    return f"{value:.4g}" if math.isfinite(value) else str(value)


def report_markdown(records: list[dict[str, Any]], fingerprints: dict[str, str] | None = None) -> str:
    """The page: runs per backend, then one row per varying numeric check, then the failures.

    With ``fingerprints`` (each notebook's :func:`lesson_book.cli.spread.code_fingerprint`
    now), only the records of a notebook's current code are tabulated; those of
    earlier code, or of a notebook no longer in the book, are counted and left out.
    """
    earlier = 0
    if fingerprints is not None:
        current = [r for r in records if r["notebook"] in fingerprints and r.get("code") == fingerprints[r["notebook"]]]
        earlier, records = len(records) - len(current), current
    rows, errors = gather(records)
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
    if earlier:
        lines += ["", f"{earlier} runs of earlier code of a notebook are left out (`lesson-spread run` runs them "
                  "again)."]
    if errors:
        lines += ["", "Runs that stopped with an error:", ""]
        lines += [f"- {e['notebook']}, {e['backend']} seed {e['seed']}: {e['error']}" for e in errors]
    return "\n".join(lines) + "\n"


