"""The benchmark's figures judged and written: budgets met or missed, the peer comparison, Markdown tables.

:mod:`lesson_book.cli.bench` measures; this module only reads its report (a dict,
as in ``_build/bench.json``) and turns it into verdicts and the tables that
``make bench`` prints and writes for the book's cost page.  The budgets come
with the report (``report["targets"]``, from ``bench.TARGETS``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import median
from typing import Any

from lesson_book.run.efficiency import fit_share


def all_fits(result: Mapping[str, Any]) -> list[float]:
    """Every fit time a notebook's result holds: the ordinary ones, then the final model's."""
    final = result.get("final_fit_s")
    return [*(result.get("fit_s") or []), *([] if final is None else [final])]


@dataclass
class Measurement:
    """One measured figure against its budget: at most ``limit``, or at least it where ``at_least``."""

    what: str
    measured: float | None
    limit: float
    at_least: bool = False

    @property
    def status(self) -> str:
        if self.measured is None:
            return "n/a"
        if self.at_least:
            return "PASS" if self.measured >= self.limit else "UNDER"
        return "PASS" if self.measured <= self.limit else "OVER"


def notebook_measurements(
    result: Mapping[str, Any], targets: Mapping[str, float]
) -> list[Measurement]:
    """The budgets that apply to one notebook's result (see ``bench.run_notebook``)."""
    fits = all_fits(result)
    return [
        Measurement("notebook", result.get("wall_s"), targets["notebook_s"]),
        Measurement("fit", max(fits) if fits else None, targets["fit_s"]),
        Measurement("memory", result.get("peak_mib"), targets["peak_mib"]),
    ]


def verdict(measurements: Sequence[Measurement], error: str | None = None) -> str:
    """``PASS``, ``OVER: <what>, ...`` (and ``; UNDER: <what>, ...``) or ``ERROR: ...`` for a row of a table."""
    if error:
        return f"ERROR: {error}"
    missed = {status: [m.what for m in measurements if m.status == status] for status in ("OVER", "UNDER")}
    return "; ".join(f"{status}: {', '.join(what)}" for status, what in missed.items() if what) or "PASS"


def peer_comparison(
    final: Mapping[str, Any], peer: Mapping[str, Any], targets: Mapping[str, float]
) -> dict[str, Any]:
    """The final model against the peer: fit times, their ratio, accuracies and the verdict.

    ``final`` is the result of the final-model notebook (its ``final_fit_s``),
    ``peer`` that of the peer (its last ``fit_s``).  The goal is met when the
    ratio is within ``targets["peer_fit_ratio"]`` and the final model is the
    more accurate; it is "n/a" while a figure is missing.
    """
    peer_fits = peer.get("fit_s") or []
    final_fit, peer_fit = final.get("final_fit_s"), (peer_fits[-1] if peer_fits else None)
    final_acc, peer_acc = final.get("test_accuracy"), peer.get("test_accuracy")
    if peer_fit is not None and peer_fit <= 0:
        raise ValueError(f"the peer's fit time must be positive, got {peer_fit}")
    ratio = None if final_fit is None or peer_fit is None else final_fit / peer_fit
    ratio_check = Measurement("fit ratio", ratio, targets["peer_fit_ratio"])
    gain = None if final_acc is None or peer_acc is None else final_acc - peer_acc
    errors = [e for e in (final.get("error"), peer.get("error")) if e]
    if errors:
        status = "ERROR: " + "; ".join(errors)
    elif ratio is None or gain is None:
        status = "n/a"
    else:
        missed = [] if ratio_check.status == "PASS" else ["fit ratio"]
        missed += [] if gain > 0 else ["accuracy"]
        status = "MISSED: " + ", ".join(missed) if missed else "PASS"
    return {"final": final.get("notebook"), "peer": peer.get("notebook"),
            "final_fit_s": final_fit, "peer_fit_s": peer_fit, "fit_ratio": ratio,
            "final_accuracy": final_acc, "peer_accuracy": peer_acc, "accuracy_gain": gain,
            "goal_fit_ratio": targets["peer_fit_ratio"], "status": status}


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


def _accuracy(value: float | None) -> str | None:
    return None if value is None else f"{value:.4f}"


def notebook_rows(
    results: Sequence[Mapping[str, Any]],
    executed: Mapping[str, float] | None,
    targets: Mapping[str, float],
) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows of the per-notebook table; ``executed``: seconds in the clean build."""
    headers = ["notebook", "wall s", "in build s", "slowest cell", "peak MiB", "max fit s",
               "test acc.", "result"]
    rows = []
    for r in results:
        slow = r.get("slowest_cell")
        fits = all_fits(r)
        rows.append([
            r["notebook"],
            _round(r.get("wall_s")),
            _round((executed or {}).get(r["notebook"])),
            None if slow is None else f"#{slow[0]}: {slow[1]:.1f} s",
            _round(r.get("peak_mib"), 0),
            _round(max(fits)) if fits else None,
            _accuracy(r.get("test_accuracy")),
            verdict(notebook_measurements(r, targets), r.get("error")),
        ])
    return headers, rows


def book_rows(
    build: Mapping[str, Any], exercise: Mapping[str, Any], targets: Mapping[str, float]
) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows of the table for the build and the notebook-versus-script run."""
    headers = ["measurement", "seconds", "CPU s", "target s", "result"]
    rows: list[list[Any]] = []
    for key, label, target in (
        ("clean_s", "clean build (make book, empty _build)", "clean_build_s"),
        ("rebuild_s", "rebuild, nothing changed", "rebuild_s"),
    ):
        if key in build:
            status = Measurement(label, build[key], targets[target]).status
            failed = build.get(key.replace("_s", "_exit"), 0)
            rows.append([label, _round(build[key]), None, targets[target],
                         f"ERROR: exit {failed}" if failed else status])
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


def peer_rows(comparison: Mapping[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows of the table comparing the final model with the peer."""
    c = comparison
    gain = None if c["accuracy_gain"] is None else f"{c['accuracy_gain']:+.4f}"
    return ["model", "fit s", "test acc.", "goal", "result"], [
        [f"final model ({c['final'] or 'not run'})", _round(c["final_fit_s"]),
         _accuracy(c["final_accuracy"]), None, None],
        [f"peer ({c['peer'] or 'not run'})", _round(c["peer_fit_s"]),
         _accuracy(c["peer_accuracy"]), None, None],
        ["final / peer", _round(c["fit_ratio"], 2), gain,
         f"fit ratio ≤ {c['goal_fit_ratio']}, accuracy gain > 0", c["status"]],
    ]


def fit_time(result: Mapping[str, Any]) -> float | None:
    """The fit time a notebook printed for the model of its work probe (``work_fit``: an index, or "final")."""
    which = result.get("work_fit")
    if which == "final":
        return result.get("final_fit_s")
    fits = result.get("fit_s") or []
    return fits[which] if isinstance(which, int) and 0 <= which < len(fits) else None


def share_rows(
    results: Sequence[Mapping[str, Any]], peak: Mapping[str, Any]
) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows of the table of the fits' share of the machine (lesson_book.run.efficiency)."""
    headers = ["fit", "multiply-adds per image", "images × epochs", "fit s", "10⁹ multiply-adds/s",
               "peak 10⁹/s", "share"]
    rows = []
    for r in results:
        if "work" not in r and "work_error" not in r:
            continue
        seconds, work = fit_time(r), r.get("work")
        if work is None or seconds is None or "multiply_adds_per_s" not in peak:
            why = r.get("work_error") or peak.get("error") or "no fit time printed"
            rows.append([r["notebook"], None, None, _round(seconds), None, None, f"ERROR: {why}"])
            continue
        share = fit_share(work, seconds, peak["multiply_adds_per_s"])
        rows.append([
            r["notebook"], f"{work['multiply_adds_per_image']:,}",
            f"({work['training_images']:,} + {work['validation_images']:,}) × {work['epochs']}",
            _round(seconds), _round(share["per_s"] / 1e9), _round(peak["multiply_adds_per_s"] / 1e9),
            f"{100 * share['share']:.0f}%",
        ])
    return headers, rows


def spread(values: Sequence[float]) -> float:
    """How far the farthest of ``values`` lies from their median, as a fraction of the median."""
    if not values or any(isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0 for v in values):
        raise ValueError(f"values must be one or more positive numbers, got {list(values)!r}")
    middle = median(values)
    return max(abs(v - middle) for v in values) / middle


def repeat_rows(
    repeats: Mapping[str, Sequence[Mapping[str, Any]]], peer_fit: float | None, final: str,
    targets: Mapping[str, float],
) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows of the table of repeated runs: each notebook's fit times over seeds, their spread.

    A run's fit time is the sum of the fit times it printed.  For ``final`` (the
    final model's notebook) the row also judges its test accuracy over the seeds
    and its median fit time against ``peer_fit``, the peer's in the same run.
    """
    headers = ["notebook", "seeds", "fit s, run by run", "median fit s", "spread", "median / peer",
               "test acc. median", "lowest", "result"]
    rows = []
    for notebook, runs in repeats.items():
        errors = [f"seed {r.get('seed')}: {r['error']}" for r in runs if r.get("error")]
        fits = [sum(all_fits(r)) for r in runs]
        if errors or not runs or not all(fits):
            why = "; ".join(errors) or "no fit time printed"
            rows.append([notebook, len(runs), None, None, None, None, None, None, f"ERROR: {why}"])
            continue
        middle, widest = median(fits), spread(fits)
        checks = [Measurement("spread", widest, targets["fit_spread"])]
        accuracies = [r.get("test_accuracy") for r in runs]
        ratio = accuracy = lowest = None
        if notebook == final:
            ratio = None if peer_fit is None else middle / peer_fit
            checks.append(Measurement("median / peer", ratio, targets["peer_fit_ratio"]))
            if None not in accuracies:
                accuracy, lowest = median(accuracies), min(accuracies)
                checks += [Measurement("median accuracy", accuracy, targets["seeds_median_accuracy"], True),
                           Measurement("lowest accuracy", lowest, targets["seeds_lowest_accuracy"], True)]
        rows.append([
            notebook, ", ".join(str(r.get("seed")) for r in runs), ", ".join(f"{f:.1f}" for f in fits),
            _round(middle), f"±{100 * widest:.0f}%", _round(ratio, 2), _accuracy(accuracy), _accuracy(lowest),
            verdict(checks),
        ])
    return headers, rows


def backend_rows(
    backends: Sequence[Mapping[str, Any]], results: Sequence[Mapping[str, Any]],
    limits: Mapping[str, str], targets: Mapping[str, float],
) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows of the table of fits under other backends, each against TensorFlow's in ``results``.

    ``limits``: by backend, the upstream limit named where its fit is over the
    budget ``targets["backend_fit_ratio"]``.
    """
    headers = ["notebook", "backend", "fit s", "TensorFlow fit s", "ratio", "result", "why"]
    tensorflow = {r["notebook"]: fit_time(r) for r in results}
    rows = []
    for r in backends:
        seconds, reference = fit_time(r), tensorflow.get(r["notebook"])
        ratio = None if seconds is None or not reference else seconds / reference
        status = verdict([Measurement("ratio", ratio, targets["backend_fit_ratio"])], r.get("error"))
        why = limits.get(r["backend"]) if status.startswith("OVER") else None
        rows.append([r["notebook"], r["backend"], _round(seconds), _round(reference), _round(ratio, 2),
                     status, why])
    return headers, rows


def book_time_rows(
    results: Sequence[Mapping[str, Any]], executed: Mapping[str, float] | None, peer_fit: float | None,
    reference: Mapping[str, Any], targets: Mapping[str, float],
) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows of the whole book's run time: every notebook's execution time summed.

    Seconds differ between machines, so each sum is also given in fits of the
    peer in the same run; ``reference`` (``bench.BOOK_REFERENCE``) is an earlier
    run's sum of the same kind, over the notebooks it had, and the row of those
    notebooks is judged against ``targets["book_peer_ratio"]``.  A row whose
    notebooks did not all run, in fresh kernels and in the build, has no sum;
    without a peer it has sums but no ratio (and no verdict).
    """
    headers = ["notebooks", "fresh kernels s", "in build s", "in build / peer fit", "goal", "result"]
    walls = {r["notebook"]: r.get("wall_s") for r in results}
    executed = executed or {}
    sets = [(f"all {len(walls)} notebooks of this run", list(walls), None),
            (f"the {len(reference['notebooks'])} of the {reference['date']} run", reference["notebooks"],
             targets["book_peer_ratio"])]
    rows = []
    for label, notebooks, goal in sets:
        if not notebooks or not all(walls.get(n) for n in notebooks) or not all(n in executed for n in notebooks):
            rows.append([label, None, None, None, goal, "n/a: not every notebook ran in this run and its build"])
            continue
        in_build = sum(executed[n] for n in notebooks)
        ratio = None if not peer_fit else in_build / peer_fit
        status = "reported" if goal is None else Measurement(label, ratio, goal).status
        rows.append([label, _round(sum(walls[n] for n in notebooks)), _round(in_build), _round(ratio, 2),
                     None if goal is None else f"≤ {goal:g}", status])
    then = reference["in_build_s"] / reference["peer_fit_s"]
    rows.append([f"the {reference['date']} run", None, _round(reference["in_build_s"]), _round(then, 2),
                 None, "reference"])
    return headers, rows
