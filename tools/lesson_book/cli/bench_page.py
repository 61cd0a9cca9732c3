"""The benchmark's page: its budgets in words and every table of a report in Markdown (pages/_bench.md).

:mod:`lesson_book.cli.bench` measures and :mod:`lesson_book.cli.bench_report`
judges; this module only lays their tables out, with the sentences that say
what each one measured.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lesson_book.cli.bench_report import (
    backend_rows,
    book_rows,
    book_time_rows,
    format_table,
    notebook_rows,
    peer_rows,
    repeat_rows,
    share_rows,
)
from lesson_book.run.efficiency import PEAK_REPEATS, PEAK_SIZE, TRAINING_PASSES

#: How each budget of ``TARGETS`` reads in the tables' preamble.
BUDGETS = {
    "notebook_s": "a notebook, start to end, at most {} s",
    "fit_s": "a single fit, the final model's included, at most {} s",
    "peak_mib": "a kernel's peak memory at most {} MiB",
    "clean_build_s": "a clean build at most {} s",
    "rebuild_s": "a rebuild with nothing changed at most {} s",
    "peer_fit_ratio": "the final model's fit time at most {} times the peer's, "
                      "and its test accuracy higher",
    "fit_spread": "a repeated notebook's fit times within ±{} of their median (as a fraction of it)",
    "seeds_median_accuracy": "the final model's median test accuracy over the repeats' seeds at least {}",
    "seeds_lowest_accuracy": "and its lowest at least {}",
    "backend_fit_ratio": "the same fit under JAX or PyTorch at most {} times TensorFlow's",
    "book_peer_ratio": "every notebook's execution time in the clean build, summed over the notebooks "
                       "of the reference run, at most {} fits of the peer",
}


def budgets_text(targets: Mapping[str, float]) -> str:
    """The budgets in one sentence, in the order of ``targets``."""
    unknown = sorted(set(targets) - set(BUDGETS))
    if unknown:
        raise ValueError(f"targets has budgets without a description: {unknown}")
    return "Budgets: " + "; ".join(BUDGETS[k].format(f"{v:g}") for k, v in targets.items()) + "."


def report_markdown(report: Mapping[str, Any]) -> str:
    """The benchmark's figures in Markdown: the machine and date, then every table."""
    info, targets = report["machine"], report["targets"]
    versions = ", ".join(
        f"{name.replace('_', '-')} {info[name]}"
        for name in ("tensorflow", "keras", "jupyter_book") if info.get(name)
    )
    build = report.get("build") or {}
    lines = [
        f"Measured on {report['date'][:10]}: {info['cpu']}, {info['cores']} cores, "
        f"{info['memory_gib']} GiB, {info['system']}, Python {info['python']}, {versions}. "
        f"Load average {report.get('load_before')} before the run and "
        f"{report.get('load_after')} after it.",
        *(["", report["note"]] if report.get("note") else []),
        "",
        budgets_text(targets),
        "",
        "Each notebook in a fresh kernel (*in build s*: its execution time in the clean build):",
        "",
        format_table(*notebook_rows(report["notebooks"], build.get("executed"), targets)),
    ]
    headers, rows = book_rows(build, report.get("exercise") or {}, targets)
    if rows:
        lines += ["", "The build, and the exercise as a plain script:", "",
                  format_table(headers, rows)]
    headers, rows = share_rows(report["notebooks"], report.get("peak") or {})
    if rows:
        peak = report.get("peak") or {}
        lines += ["", "How much of the machine each fit used: its multiply-adds per second (a trained image "
                  f"counts {TRAINING_PASSES} forward passes, a validated one 1) against the best of "
                  f"{PEAK_REPEATS} products of two {PEAK_SIZE}×{PEAK_SIZE} matrices of 32-bit floats "
                  f"(`keras.ops.matmul`, {peak.get('backend', 'the same backend')}), timed in the same run:",
                  "", format_table(headers, rows)]
    if report.get("backends"):
        lines += ["", "The same fits under Keras's other backends, one run each (*why*: the upstream "
                  "limit that holds a backend back, where its fit is over the budget):", "",
                  format_table(*backend_rows(report["backends"], report["notebooks"],
                                             report.get("upstream_limits") or {}, targets))]
    reference = report.get("book_reference")
    if reference and "book_peer_ratio" in targets:
        peer = (report.get("peer") or {}).get("peer_fit_s")
        lines += ["", "The whole book's run time under TensorFlow: every notebook's execution time, summed, "
                  "and in fits of the peer timed in the same run (the earlier run's sum in its own peer's "
                  "fits):", "",
                  format_table(*book_time_rows(report["notebooks"], build.get("executed"), peer, reference,
                                               targets))]
    lines += ["", "The final model against the peer:", ""]
    if report.get("peer"):
        lines.append(format_table(*peer_rows(report["peer"])))
    else:
        lines.append("This run predates the peer: it has no comparison. "
                     "The next `make bench` adds one.")
    if report.get("repeats"):
        peer = report.get("peer") or {}
        final = report.get("final") or peer.get("final") or ""
        lines += ["", "Run again back to back, each time in a fresh kernel with another seed (`LESSON_SEED`); "
                  "*spread*: how far the farthest fit time lies from the median:", "",
                  format_table(*repeat_rows(report["repeats"], peer.get("peer_fit_s"), final, targets))]
    return "\n".join(lines)


PAGE_NOTE = "<!-- Written by `make bench` (lesson-bench --page); do not edit by hand. -->"
