"""How much of the machine a fit uses: the fit's multiply-adds per second against a large matrix product's, measured alike.

The bench (:mod:`lesson_book.cli.bench`) runs two probes, each as code in a
kernel (:func:`lesson_book.run.execute.execute`, under the same Keras backend):

- :func:`work_probe`, after a notebook, in its kernel: the multiply-adds one
  image costs the trained model forward (each ``Conv2D``: output positions ×
  filters × kernel weights per filter; each ``Dense``: its weights; the
  formula the final-model episode teaches), and how many images its last fit
  trained on and validated on;
- :data:`PEAK_CODE`, in a fresh kernel: the best of several large
  single-precision matrix products (``keras.ops.matmul``), the practical peak
  of the same framework on the same machine.

:func:`fit_share` puts them together: a trained image costs about three times
its forward multiply-adds (forward, then backward for the inputs and for the
weights), a validated image once.  Pooling, normalisation, activations and
the optimiser's update are left out: they do few multiply-adds, so the share
says how much of the fit's time went into the work that matters.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

#: Side of the square matrices of the peak's product: 2048² float32, 16 MiB each, 8.6 × 10⁹ multiply-adds.
PEAK_SIZE = 2048
#: How many products the peak times (after one to warm up); the fastest counts.
PEAK_REPEATS = 5
#: A trained image's work in forward passes: forward, and backward for the inputs and the weights.
TRAINING_PASSES = 3

PEAK_CODE = f"""\
import json as _json, time as _time
import keras as _keras
_a = _keras.random.normal(({PEAK_SIZE}, {PEAK_SIZE}), seed=0)
_keras.ops.convert_to_numpy(_keras.ops.matmul(_a, _a))
_times = []
for _ in range({PEAK_REPEATS}):
    _start = _time.perf_counter()
    _keras.ops.convert_to_numpy(_keras.ops.matmul(_a, _a))
    _times.append(_time.perf_counter() - _start)
print(_json.dumps({{"size": {PEAK_SIZE}, "seconds": min(_times),
                   "backend": _keras.backend.backend(),
                   "dtype": _keras.backend.standardize_dtype(_a.dtype)}}))"""

_WORK_CODE = """\
import json as _json
import keras as _keras
def _forward_multiply_adds(_model):
    _total = 0
    for _layer in _model.layers:
        if isinstance(_layer, _keras.layers.Conv2D):
            _rows, _cols, _filters = _layer.output.shape[1:]
            _total += _rows * _cols * _filters * int(_keras.ops.size(_layer.kernel)) // _filters
        elif isinstance(_layer, _keras.layers.Dense):
            _total += int(_keras.ops.size(_layer.kernel))
    return int(_total)
try:
    print(_json.dumps({{"multiply_adds_per_image": _forward_multiply_adds({model}),
                       "epochs": len({model}.history.history["loss"]),
                       "training_images": len({trained}), "validation_images": len({validated})}}))
except Exception as _error:
    print(_json.dumps({{"error": f"{{type(_error).__name__}}: {{_error}}"}}))"""


def work_probe(model: str, trained: str, validated: str) -> str:
    """Code that prints, as JSON, the work of the kernel's ``model``'s fit: every epoch its ``model.history`` holds.

    ``model``, ``trained`` and ``validated`` are names in the kernel: the
    Keras model, the images it was fit on and those it was validated on each
    epoch.
    """
    for argument, name in (("model", model), ("trained", trained), ("validated", validated)):
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"{argument} must be a Python name in the notebook, got {name!r}")
    return _WORK_CODE.format(model=model, trained=trained, validated=validated)


def _fields(text: str, keys: tuple[str, ...], what: str) -> dict[str, Any]:
    try:
        fields = json.loads(text)
        found = {key: fields[key] for key in keys}
    except (ValueError, TypeError, KeyError):
        raise ValueError(f"text must be the {what} probe's JSON ({', '.join(keys)}), got {text!r}") from None
    return found


def read_work(text: str) -> dict[str, int]:
    """The work probe's figures from what it printed (see :func:`work_probe`); ``ValueError`` if it failed."""
    keys = ("multiply_adds_per_image", "epochs", "training_images", "validation_images")
    fields = _fields(text, keys, "work")
    for key, value in fields.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{key} must be a whole number from 0 up, got {value!r}")
    return fields


def read_peak(text: str) -> dict[str, Any]:
    """The peak's figures from what :data:`PEAK_CODE` printed, with ``multiply_adds_per_s``."""
    fields = _fields(text, ("size", "seconds", "backend", "dtype"), "peak")
    seconds = fields["seconds"]
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds <= 0:
        raise ValueError(f"seconds must be a positive number, got {seconds!r}")
    return {**fields, "multiply_adds_per_s": fields["size"] ** 3 / seconds}


def fit_share(work: Mapping[str, int], fit_s: float, peak_per_s: float) -> dict[str, float]:
    """The fit's multiply-adds, their rate over ``fit_s`` seconds, and that rate as a share of ``peak_per_s``."""
    for name, value in (("fit_s", fit_s), ("peak_per_s", peak_per_s)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise ValueError(f"{name} must be a positive number, got {value!r}")
    images = work["epochs"] * (TRAINING_PASSES * work["training_images"] + work["validation_images"])
    multiply_adds = work["multiply_adds_per_image"] * images
    rate = multiply_adds / fit_s
    return {"multiply_adds": multiply_adds, "per_s": rate, "share": rate / peak_per_s}
