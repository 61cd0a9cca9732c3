"""cnn_lesson: the support package of the lesson book on CNNs with Keras.

Everything a learner calls is importable from here, e.g.
``from cnn_lesson import load_mnist, plot_digits``, and lives in one module
by role:

- :mod:`cnn_lesson.data`: :func:`load_mnist`, the copy of MNIST shipped with
  the book, :func:`split_validation`, and :func:`colour_digits`, which
  draws the digits in the colours :data:`STROKE_COLOURS` (named by
  :data:`STROKE_COLOUR_NAMES`) on dark backgrounds, optionally with a
  colour that gives the class away (a shortcut);
- :mod:`cnn_lesson.shapes`: :func:`conv_output_size`,
  :func:`pool_output_size` and :func:`same_padding`, the output-size
  formula, and :func:`layer_table` (:class:`LayerTable` of :class:`LayerRow`),
  which applies it to a stack of Keras layers without building them;
- :mod:`cnn_lesson.layers`: NumPy reference layers to check Keras against:
  :func:`conv2d`, :func:`max_pool2d`, :func:`average_pool2d`, :func:`relu`,
  :func:`softmax`, :func:`flatten`, :func:`dense`, :func:`dropout`;
- :mod:`cnn_lesson.transforms`: :func:`shift_images`;
- :mod:`cnn_lesson.plots`: the figures learners reuse: :func:`plot_digits`,
  :func:`plot_channels`, :func:`plot_history`, :func:`plot_histories`,
  :func:`confusion_matrix`, :func:`plot_confusion_matrix`,
  :func:`plot_misclassified`;
- :mod:`cnn_lesson.explain`: looking inside a model: :func:`layer_outputs`,
  :func:`plot_filters`, :func:`plot_feature_maps`, :func:`occlusion_map`,
  :func:`plot_occlusion`, :func:`most_confident_mistakes`,
  :func:`plot_confident_mistakes`;
- :mod:`cnn_lesson.style`: the palette :data:`OKABE_ITO`, the colour maps
  and :func:`figure_style`;
- :mod:`cnn_lesson.check`: :func:`run_checks`, the set-up check
  (``python -m cnn_lesson.check``);
- :mod:`cnn_lesson.backend`: :func:`fall_back_backend`, which importing
  ``cnn_lesson`` calls: where TensorFlow is missing (Colab's TPU runtime) and
  ``KERAS_BACKEND`` is unset, Keras runs on JAX or PyTorch instead; and
  :func:`steady_array_pipeline`, which importing it calls too: on TensorFlow,
  a fit on arrays no longer takes, at random, up to twice its time.

Besides these, :mod:`cnn_lesson.figures` holds the book's one-off
illustrations, by topic, and :mod:`cnn_lesson.validate` the input checks
every module shares.

Importing ``cnn_lesson`` is light: each name loads its module on first use,
and Keras and TensorFlow are imported only by the functions that run a
model.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Each public name and the module that defines it.
_HOMES = {
    "backend": ("fall_back_backend", "steady_array_pipeline"),
    "check": ("run_checks",),
    "data": (
        "STROKE_COLOURS",
        "STROKE_COLOUR_NAMES",
        "colour_digits",
        "load_mnist",
        "split_validation",
    ),
    "explain": (
        "layer_outputs",
        "most_confident_mistakes",
        "occlusion_map",
        "plot_confident_mistakes",
        "plot_feature_maps",
        "plot_filters",
        "plot_occlusion",
    ),
    "layers": (
        "average_pool2d",
        "conv2d",
        "dense",
        "dropout",
        "flatten",
        "max_pool2d",
        "relu",
        "softmax",
    ),
    "plots": (
        "confusion_matrix",
        "plot_channels",
        "plot_confusion_matrix",
        "plot_digits",
        "plot_histories",
        "plot_history",
        "plot_misclassified",
    ),
    "shapes": (
        "LayerRow",
        "LayerTable",
        "conv_output_size",
        "layer_table",
        "pool_output_size",
        "same_padding",
    ),
    "style": ("OKABE_ITO", "figure_style"),
    "transforms": ("shift_images",),
}
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = sorted(_MODULE_OF)

# Before any Keras import: where TensorFlow is missing, pick a backend that is there;
# and on TensorFlow, fits on arrays that do not wait for tf.data's tuner as they end.
_backend = importlib.import_module(f"{__name__}.backend")
_backend.fall_back_backend()
_backend.steady_array_pipeline()
del _backend


def __getattr__(name: str) -> Any:
    """Load a public name from its module the first time it is used."""
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'cnn_lesson' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
