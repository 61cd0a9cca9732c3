"""The Keras backend: which one runs where TensorFlow is missing, and fits on TensorFlow that do not stall.

Colab's TPU runtime, for example, has JAX and no TensorFlow, and Keras, whose
default backend is TensorFlow, would fail to import there.  Importing
:mod:`cnn_lesson` calls :func:`fall_back_backend`, which then sets
``KERAS_BACKEND`` to another backend the book is tested with and says so;
anywhere else it changes nothing.

Importing :mod:`cnn_lesson` also calls :func:`steady_array_pipeline`.  On
TensorFlow, Keras feeds ``fit``, ``evaluate`` and ``predict`` their NumPy
arrays through a ``tf.data`` pipeline with autotuning on.  Its tuner wakes up
at growing intervals (10 ms, 20 ms, 40 ms, ... up to a minute apart), and when
a call ends, closing the pipeline sometimes waits for the tuner's next
wake-up instead of stopping it: the same fit then takes, at random, its own
time or up to twice as long (on a two-core machine, a fit of about 7 s took
10.3 s in half of ten runs).  The pipeline of arrays gains nothing from
tuning, so the function turns it off there; the batches are the same.
"""

from __future__ import annotations

import functools
import importlib.abc
import importlib.util
import os
import sys
from types import ModuleType
from typing import Callable, MutableMapping

#: The Keras backends the book is tested with, the book's own first.
TESTED_BACKENDS = ("tensorflow", "jax", "torch")


def fall_back_backend(
    environ: MutableMapping[str, str] | None = None, installed: Callable[[str], bool] | None = None
) -> str | None:
    """Where TensorFlow is missing and ``KERAS_BACKEND`` is unset, set it to JAX or PyTorch.

    Picks the first of :data:`TESTED_BACKENDS` that is installed, says so, and
    returns its name; returns ``None`` and changes nothing where TensorFlow is
    installed, ``KERAS_BACKEND`` is already set, or no tested backend is
    installed (then importing Keras fails, and the setup check says why).
    Importing :mod:`cnn_lesson` calls it, so the notebooks' first cell (which
    imports it) does, before Keras is imported.  ``environ`` defaults to ``os.environ``
    and ``installed(name)`` to whether Python can find the module ``name``.
    """
    environ = os.environ if environ is None else environ
    installed = installed or (lambda name: importlib.util.find_spec(name) is not None)
    if "KERAS_BACKEND" in environ or installed(TESTED_BACKENDS[0]):
        return None
    for name in TESTED_BACKENDS[1:]:
        if installed(name):
            environ["KERAS_BACKEND"] = name
            print(
                f"TensorFlow is not installed here, so Keras will run on {name} "
                f"(KERAS_BACKEND={name}), which this book is tested with too. "
                "Your numbers will differ a little from the book's."
            )
            return name
    return None


#: The Keras module that feeds NumPy arrays to ``fit``, ``evaluate`` and ``predict``.
ARRAY_ADAPTER = "keras.src.trainers.data_adapters.array_data_adapter"


def untuned(get_tf_dataset: Callable) -> Callable:
    """Wrap a ``get_tf_dataset`` method so that the dataset it returns runs without autotuning."""
    if getattr(get_tf_dataset, "untuned", False):
        return get_tf_dataset

    @functools.wraps(get_tf_dataset)
    def get_untuned_dataset(self):
        import tensorflow as tf

        options = tf.data.Options()
        options.autotune.enabled = False
        return get_tf_dataset(self).with_options(options)

    get_untuned_dataset.untuned = True
    return get_untuned_dataset


def _untune(module: ModuleType) -> None:
    """Turn off autotuning in a loaded :data:`ARRAY_ADAPTER`; a Keras without it is left as it is."""
    adapter = getattr(module, "ArrayDataAdapter", None)
    if callable(getattr(adapter, "get_tf_dataset", None)):
        adapter.get_tf_dataset = untuned(adapter.get_tf_dataset)


class _OnImport(importlib.abc.MetaPathFinder):
    """Finds no module itself: runs ``then`` on one module as soon as Python has loaded it."""

    def __init__(self, name: str, then: Callable[[ModuleType], None]):
        self.name, self.then = name, then

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.name:
            return None
        sys.meta_path.remove(self)  # once, and not for the search below
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        load = spec.loader.exec_module

        def load_then(module: ModuleType) -> None:
            load(module)
            self.then(module)

        spec.loader.exec_module = load_then
        return spec


def steady_array_pipeline() -> bool:
    """Turn off ``tf.data`` autotuning for the NumPy arrays Keras feeds its models (see the module's text).

    Works whether Keras is already imported or not (then the change waits for
    Keras's module to load, without importing Keras); calling it again changes
    nothing.  Under JAX or PyTorch, Keras does not use that pipeline, so
    nothing changes.  Returns whether Keras's array pipeline is changed already.
    """
    module = sys.modules.get(ARRAY_ADAPTER)
    if module is not None:
        _untune(module)
        return True
    if not any(isinstance(finder, _OnImport) and finder.name == ARRAY_ADAPTER for finder in sys.meta_path):
        sys.meta_path.insert(0, _OnImport(ARRAY_ADAPTER, _untune))
    return False
