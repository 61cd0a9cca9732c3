"""What a run of a notebook measured: the fit times and test accuracy it printed, each cell's seconds, the kernel's peak memory, the machine.

The bench and the spread read their runs through these, so that "a fit time"
or "the machine" means the same in both reports.  A notebook reports its
training by printing, by this convention::

    Fit time: 26.1 s                   after each model.fit
    Fit time (final model): 52.3 s     the final model's (compared with the peer)
    Test accuracy: 0.9881              the last one printed is reported
"""

from __future__ import annotations

import json
import os
import platform
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

FIT_LINE = re.compile(r"^Fit time( \(final model\))?: (\d+(?:\.\d+)?) s\s*$", re.MULTILINE)
ACCURACY_LINE = re.compile(r"^Test accuracy: (\d+(?:\.\d+)?)\s*$", re.MULTILINE)

#: Run in the kernel after the notebook: its CPU time and its peak resident
#: memory.  ``VmHWM`` (Linux) is the peak resident set of the kernel's own
#: process; ``ru_maxrss`` is the fallback elsewhere (on Linux it would also
#: count what the launching process held when it forked).
PROBE_CODE = """\
import json as _json, resource as _resource, sys as _sys
try:
    with open("/proc/self/status") as _status:
        _hwm = [int(line.split()[1]) for line in _status if line.startswith("VmHWM:")][0]
except (OSError, IndexError, ValueError):
    _hwm = None
_usage = _resource.getrusage(_resource.RUSAGE_SELF)
print(_json.dumps({"vmhwm_kib": _hwm, "platform": _sys.platform, "maxrss": _usage.ru_maxrss,
                   "cpu_s": _usage.ru_utime + _usage.ru_stime}))"""



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
        for final, seconds in FIT_LINE.findall(text):
            if final:
                printed.final_fit_s = float(seconds)
            else:
                printed.fit_s.append(float(seconds))
        for accuracy in ACCURACY_LINE.findall(text):
            value = float(accuracy)
            if value > 1:
                raise ValueError(f"a printed test accuracy must be at most 1, got {accuracy}")
            printed.test_accuracy = value
    return printed


def printed_by(cells: Iterable[Mapping[str, Any]]) -> Printed:
    """What executed cells printed on stdout about training (:func:`parse_outputs`)."""
    return parse_outputs(
        output.get("text", "")
        for cell in cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream" and output.get("name") == "stdout"
    )


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
    """Peak memory in MiB and CPU seconds from the JSON the probe printed in the kernel.

    ``VmHWM`` (``vmhwm_kib``) is used when present, ``ru_maxrss`` otherwise.
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


def cell_seconds(execution: Mapping[str, str]) -> float | None:
    """How long a cell ran, from the timestamps nbclient records in ``metadata.execution``.

    The span from the earliest to the latest of them (``iopub.status.busy``
    to ``iopub.status.idle`` for a cell that ran to the end); None when the
    cell has none (it did not run).
    """
    if not isinstance(execution, Mapping):
        raise TypeError(f"execution must be a cell's metadata.execution, got {execution!r}")
    try:
        times = [datetime.fromisoformat(stamp) for stamp in execution.values()]
    except (TypeError, ValueError):
        raise ValueError(f"execution must hold ISO timestamps, got {dict(execution)!r}") from None
    return (max(times) - min(times)).total_seconds() if times else None


def machine() -> dict[str, Any]:
    """Where the figures came from."""
    from importlib.metadata import PackageNotFoundError, version

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        memory = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError, AttributeError):
        memory = None
    versions = {}
    for package in ("tensorflow", "keras", "jupyter_book"):
        try:
            versions[package] = version(package.replace("_", "-"))
        except PackageNotFoundError:
            versions[package] = None
    try:
        flags = Path("/proc/cpuinfo").read_text().split()
    except OSError:
        flags = []
    return {"cpu": cpu, "avx512": "avx512f" in flags, "cores": os.cpu_count(), "memory_gib": memory,
            "system": f"{platform.system()} {platform.release()}",
            "python": platform.python_version(), **versions}
