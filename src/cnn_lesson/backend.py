"""Which Keras backend the lessons run on where TensorFlow, the book's own, is missing.

Colab's TPU runtime, for example, has JAX and no TensorFlow, and Keras, whose
default backend is TensorFlow, would fail to import there.  Importing
:mod:`cnn_lesson` calls :func:`fall_back_backend`, which then sets
``KERAS_BACKEND`` to another backend the book is tested with and says so;
anywhere else it changes nothing.
"""

from __future__ import annotations

import importlib.util
import os
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
