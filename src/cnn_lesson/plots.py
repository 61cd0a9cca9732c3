"""Figures for the lessons, in one consistent, colour-blind-safe style.

Every helper draws with the same style (:data:`STYLE`), labels its axes and
returns the Matplotlib ``Figure`` (and ``Axes``) so a learner can change
titles, sizes or colours afterwards.  Line colours come from the Okabe-Ito
palette; images use grey for pixels and ``cividis`` for counts, both readable
with every common colour-vision deficiency and in greyscale.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

#: Okabe-Ito colours (Okabe & Ito, 2008), safe for colour-blind readers.
OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}

#: Matplotlib settings shared by every figure of the book.
STYLE: dict[str, Any] = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.facecolor": "white",
    "axes.grid": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "font.size": 10,
    "legend.frameon": False,
    "axes.prop_cycle": plt.cycler(color=list(OKABE_ITO.values())),
    "image.cmap": "gray_r",
}

@contextmanager
def figure_style() -> Iterator[None]:
    """Apply :data:`STYLE` while a figure is drawn, then restore those settings.

    Unlike ``plt.rc_context``, only the keys of ``STYLE`` are restored: the
    inline backend of Jupyter switches itself on (``rcParams["interactive"]``)
    when the first figure is created, and rolling that back would stop every
    later figure of the notebook from being shown.
    """
    saved = {key: mpl.rcParams[key] for key in STYLE}
    mpl.rcParams.update(STYLE)
    try:
        yield
    finally:
        mpl.rcParams.update(saved)


#: Colour map for pixels: white background, dark ink, as digits are written.
IMAGE_CMAP = "gray_r"
#: Colour map for counts and other magnitudes (perceptually uniform, colour-blind-safe).
COUNT_CMAP = "cividis"


def _as_images(images: Any, name: str = "images") -> np.ndarray:
    """Return ``images`` as an array of 2-D images (a trailing channel of 1 is dropped)."""
    array = np.asarray(images)
    if array.ndim == 4 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim != 3:
        raise ValueError(
            f"{name} must have shape (n, height, width) or (n, height, width, 1), "
            f"got shape {array.shape}"
        )
    if len(array) == 0:
        raise ValueError(f"{name} is empty: there is nothing to show")
    return array


def _as_labels(labels: Any, n: int, name: str) -> np.ndarray:
    """Return ``labels`` as integer class labels, one per image.

    One-hot rows (or rows of probabilities) are reduced with ``argmax``.
    """
    array = np.asarray(labels)
    if array.ndim == 2:
        array = array.argmax(axis=1)
    if array.ndim != 1 or len(array) != n:
        raise ValueError(
            f"{name} must hold one label per image ({n}), got shape {np.asarray(labels).shape}"
        )
    return array.astype(int)


def _grid(n: int, ncols: int, cell: float = 0.72) -> tuple[Figure, np.ndarray]:
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(cell * ncols, (cell + 0.22) * nrows), squeeze=False
    )
    for ax in axes.flat:
        ax.set_axis_off()
    return fig, axes


def plot_digits(
    images: Any,
    labels: Any | None = None,
    predictions: Any | None = None,
    n: int = 20,
    ncols: int = 10,
) -> tuple[Figure, np.ndarray]:
    """Show the first ``n`` images in a grid, titled with their labels.

    Parameters
    ----------
    images
        Array of shape (N, height, width) or (N, height, width, 1).
    labels
        Optional true labels (ints or one-hot rows), shown above each image.
    predictions
        Optional predicted labels (ints, one-hot rows or probabilities); a
        wrong prediction is titled in vermillion as "true → predicted".
    n, ncols
        How many images to show and in how many columns.

    Returns
    -------
    fig, axes
        The figure and its 2-D array of axes.
    """
    images = _as_images(images)
    n = min(_positive_int("n", n), len(images))
    ncols = min(_positive_int("ncols", ncols), n)
    with figure_style():
        fig, axes = _grid(n, ncols)
        true = None if labels is None else _as_labels(labels, len(images), "labels")
        pred = None if predictions is None else _as_labels(predictions, len(images), "predictions")
        for i, ax in zip(range(n), axes.flat):
            ax.imshow(images[i], cmap=IMAGE_CMAP)
            title, colour = _digit_title(i, true, pred)
            if title:
                ax.set_title(title, color=colour, fontsize=9, pad=2)
        fig.tight_layout()
    return fig, axes


def _digit_title(
    i: int, true: np.ndarray | None, pred: np.ndarray | None
) -> tuple[str, str]:
    if true is None and pred is None:
        return "", OKABE_ITO["black"]
    if pred is None:
        return str(true[i]), OKABE_ITO["black"]
    if true is None:
        return f"pred. {pred[i]}", OKABE_ITO["black"]
    if true[i] == pred[i]:
        return str(true[i]), OKABE_ITO["black"]
    return f"{true[i]} → {pred[i]}", OKABE_ITO["vermillion"]


def _positive_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {value!r} ({type(value).__name__})")
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value!r}")
    return int(value)


def _history_dict(history: Any) -> Mapping[str, Sequence[float]]:
    """Accept a Keras ``History`` or its ``.history`` dict."""
    record = getattr(history, "history", history)
    if not isinstance(record, Mapping):
        raise TypeError(
            "history must be a keras.callbacks.History or a dict of per-epoch "
            f"metrics, got {type(history).__name__}"
        )
    return record


def plot_history(
    history: Any, metrics: Sequence[str] = ("accuracy", "loss")
) -> tuple[Figure, np.ndarray]:
    """Plot training and validation curves, one panel per metric.

    Parameters
    ----------
    history
        What ``model.fit`` returned (a ``keras.callbacks.History``) or its
        ``.history`` dict, e.g. ``{"accuracy": [...], "val_accuracy": [...]}``.
    metrics
        The metrics to plot; ``val_<metric>`` is added when present.

    Returns
    -------
    fig, axes
        The figure and its array of axes, one per metric.
    """
    record = _history_dict(history)
    missing = [m for m in metrics if m not in record]
    if missing:
        raise ValueError(
            f"metrics {missing} are not in the history, which has {sorted(record)}"
        )
    with figure_style():
        fig, axes = plt.subplots(
            1, len(metrics), figsize=(3.6 * len(metrics), 2.9), squeeze=False
        )
        axes = axes[0]
        for ax, metric in zip(axes, metrics):
            epochs = np.arange(1, len(record[metric]) + 1)
            ax.plot(epochs, record[metric], marker="o", ms=3, color=OKABE_ITO["blue"],
                    label="training")
            if f"val_{metric}" in record:
                ax.plot(epochs, record[f"val_{metric}"], marker="s", ms=3, ls="--",
                        color=OKABE_ITO["orange"], label="validation")
            ax.set_xlabel("epoch")
            ax.set_ylabel(metric.replace("_", " "))
            ax.set_title(metric.replace("_", " ").capitalize())
            ax.xaxis.get_major_locator().set_params(integer=True)
            ax.legend()
        fig.tight_layout()
    return fig, axes


def confusion_matrix(y_true: Any, y_pred: Any, n_classes: int = 10) -> np.ndarray:
    """Count how often each true class (rows) was predicted as each class (columns).

    Labels may be ints or one-hot/probability rows.
    """
    n_classes = _positive_int("n_classes", n_classes)
    true = np.asarray(y_true)
    true = _as_labels(true, len(true), "y_true")
    pred = _as_labels(y_pred, len(true), "y_pred")
    for name, labels in (("y_true", true), ("y_pred", pred)):
        if len(labels) and (labels.min() < 0 or labels.max() >= n_classes):
            raise ValueError(
                f"{name} holds labels outside 0..{n_classes - 1}: "
                f"min {labels.min()}, max {labels.max()}"
            )
    matrix = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(matrix, (true, pred), 1)
    return matrix


def plot_confusion_matrix(
    y_true: Any, y_pred: Any, n_classes: int = 10
) -> tuple[Figure, Axes]:
    """Draw the confusion matrix with the count in every cell.

    Rows are true classes, columns predicted classes; the colour scale is
    logarithmic so that the few mistakes stay visible beside the large
    diagonal.

    Returns
    -------
    fig, ax
    """
    from matplotlib.colors import LogNorm

    matrix = confusion_matrix(y_true, y_pred, n_classes)
    with figure_style():
        fig, ax = plt.subplots(figsize=(6, 5.2))
        shown = np.ma.masked_equal(matrix, 0)
        image = ax.imshow(shown, cmap=COUNT_CMAP, norm=LogNorm(vmin=1, vmax=max(matrix.max(), 2)))
        threshold = math.sqrt(max(matrix.max(), 1))
        for (row, col), count in np.ndenumerate(matrix):
            if count:
                colour = "black" if count > threshold else "white"
                ax.text(col, row, str(count), ha="center", va="center", fontsize=8, color=colour)
        ax.set_xticks(range(n_classes))
        ax.set_yticks(range(n_classes))
        ax.set_xlabel("predicted label")
        ax.set_ylabel("true label")
        ax.set_title("Confusion matrix (test set)")
        ax.spines[:].set_visible(False)
        fig.colorbar(image, ax=ax, label="number of images (log scale)", shrink=0.85)
        fig.tight_layout()
    return fig, ax


def plot_misclassified(
    images: Any, y_true: Any, y_pred: Any, n: int = 20, ncols: int = 10
) -> tuple[Figure, np.ndarray]:
    """Show up to ``n`` misclassified images titled "true → predicted".

    ``y_pred`` may be predicted labels or the model's probabilities.
    """
    images = _as_images(images)
    true = _as_labels(y_true, len(images), "y_true")
    pred = _as_labels(y_pred, len(images), "y_pred")
    wrong = np.flatnonzero(true != pred)
    if len(wrong) == 0:
        raise ValueError("there are no misclassified images to show")
    fig, axes = plot_digits(images[wrong], true[wrong], pred[wrong], n=n, ncols=ncols)
    with figure_style():
        fig.suptitle(f"{len(wrong)} misclassified images: true → predicted", fontsize=11)
        fig.tight_layout()
    return fig, axes
