"""The figures learners reuse: digits, colour channels, training curves and a classifier's mistakes.

Every helper draws in the book's style (:mod:`cnn_lesson.style`), labels its
axes and returns the Matplotlib ``Figure`` (and ``Axes``) so a learner can
change titles, sizes or colours afterwards.  The one-off illustrations of
single episodes live in :mod:`cnn_lesson.figures`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .style import COUNT_CMAP, IMAGE_CMAP, OKABE_ITO, axes_grid, figure_style
from .validate import as_images, as_labels, check_int, history_dict


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
        Array of shape (N, height, width) or (N, height, width, 1), grey,
        or (N, height, width, 3), colour (values 0-255, or 0-1 for floats).
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
    n = check_int("n", n)
    colour = np.ndim(images) == 4 and np.shape(images)[-1] == 3
    # Only the images shown become floats: 12,000 colour digits as floats take 226 MB.
    shown = as_colour_images(images, first=n) if colour else as_images(images)
    count = np.shape(images)[0] if colour else len(shown)
    n = min(n, count)
    ncols = min(check_int("ncols", ncols), n)
    with figure_style():
        fig, axes = axes_grid(n, ncols, 0.72, title_room=0.22)
        true = None if labels is None else as_labels(labels, count, "labels")
        pred = None if predictions is None else as_labels(predictions, count, "predictions")
        for i, ax in zip(range(n), axes.flat):
            ax.imshow(shown[i], cmap=None if colour else IMAGE_CMAP)
            title, colour = _digit_title(i, true, pred)
            if title:
                ax.set_title(title, color=colour, fontsize=9, pad=2)
        fig.tight_layout()
    return fig, axes


def as_colour_images(images: Any, name: str = "images", first: int | None = None) -> np.ndarray:
    """A non-empty stack of RGB images (n, height, width, 3) as floats from 0 to 1.

    Integer pixels are read as 0-255, floats as 0-1 (as Matplotlib does).
    Every image is checked; with ``first``, only the first ``first`` are
    returned (and converted).
    """
    array = np.asarray(images)
    if array.ndim != 4 or array.shape[-1] != 3:
        raise ValueError(
            f"{name} must have shape (n, height, width, 3), got shape {array.shape}"
        )
    if len(array) == 0:
        raise ValueError(f"{name} is empty: there is nothing to show")
    if not np.issubdtype(array.dtype, np.number):
        raise TypeError(f"{name} must hold numbers, got dtype {array.dtype}")
    top = 255 if np.issubdtype(array.dtype, np.integer) else 1
    if array.min() < 0 or array.max() > top:
        raise ValueError(
            f"{name} must hold values from 0 to {top} ({array.dtype}), "
            f"got min {array.min()}, max {array.max()}"
        )
    return array[:first].astype(np.float64) / top


def plot_channels(
    image: Any, names: Sequence[str] = ("red", "green", "blue")
) -> tuple[Figure, np.ndarray]:
    """Show a colour image beside its channels, each as a map of its own.

    Parameters
    ----------
    image
        One image of shape (height, width, channels), values 0-255 (integers)
        or 0-1 (floats); with three channels it is shown in colour first.
    names
        The name of each channel, for the titles.

    Returns
    -------
    fig, axes
        The figure and its 1-D array of axes: the image (if it has three
        channels), then one map per channel, dark where the channel is 0 and
        bright where it is full, all on the same scale.
    """
    picture = np.asarray(image)
    if picture.ndim != 3 or 0 in picture.shape:
        raise ValueError(
            f"image must be one image of shape (height, width, channels), got shape {picture.shape}"
        )
    channels = picture.shape[-1]
    # Each channel as a grey image of its own: the check of values and scale is shared.
    scaled = as_colour_images(np.repeat(np.moveaxis(picture, -1, 0)[..., np.newaxis], 3, axis=-1),
                              "image")[..., 0]
    scaled = np.moveaxis(scaled, 0, -1)
    if isinstance(names, str) or len(names) != channels:
        raise ValueError(
            f"names must give one name for each of the image's {channels} channels, got {names!r}"
        )
    panels = channels + (channels == 3)
    with figure_style():
        fig, axes = plt.subplots(1, panels, figsize=(1.7 * panels, 2.0), squeeze=False)
        axes = axes[0]
        maps = axes
        if channels == 3:
            axes[0].imshow(scaled)
            axes[0].set_title("colour image", fontsize=9)
            maps = axes[1:]
        for channel, (ax, name) in enumerate(zip(maps, names)):
            ax.imshow(scaled[..., channel], cmap="gray", vmin=0, vmax=1)
            ax.set_title(f"{name} channel", fontsize=9)
        for ax in axes:
            ax.set_xticks([])
            ax.set_yticks([])
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


def plot_history(
    history: Any,
    metrics: Sequence[str] = ("accuracy", "loss"),
    log_scale: Sequence[str] = (),
) -> tuple[Figure, np.ndarray]:
    """Plot one run's training and validation curves, one panel per metric.

    The one-run case of :func:`plot_histories`; the lines are labelled
    "training" and "validation".

    Parameters
    ----------
    history
        What ``model.fit`` returned (a ``keras.callbacks.History``) or its
        ``.history`` dict, e.g. ``{"accuracy": [...], "val_accuracy": [...]}``.
    metrics
        The metrics to plot; ``val_<metric>`` is added when present.
    log_scale
        Metrics whose panel gets a logarithmic axis.

    Returns
    -------
    fig, axes
        The figure and its array of axes, one per metric.
    """
    return plot_histories({"": history}, metrics, log_scale)


def plot_histories(
    histories: Mapping[str, Any],
    metrics: Sequence[str] = ("accuracy", "loss"),
    log_scale: Sequence[str] = (),
) -> tuple[Figure, np.ndarray]:
    """Compare training runs: one panel per metric, one colour per run.

    Parameters
    ----------
    histories
        Run name to what ``model.fit`` returned (a ``keras.callbacks.History``)
        or its ``.history`` dict.  A run named ``""`` has its lines labelled
        just "training" and "validation".
    metrics
        The metrics to plot.  Training values are solid lines with circles;
        ``val_<metric>``, when present, dashed with squares, in the run's
        colour (with a single run, in the next colour, orange).
    log_scale
        Metrics whose panel gets a logarithmic axis, e.g. ``("loss",)`` to
        see small losses and their differences.

    Returns
    -------
    fig, axes
        The figure and its array of axes, one per metric.
    """
    if not isinstance(histories, Mapping):
        raise TypeError(
            f"histories must be a dict of run name to History, got {type(histories).__name__}"
        )
    if not histories:
        raise ValueError("histories is empty: there is nothing to compare")
    if isinstance(metrics, str) or not metrics:
        raise ValueError(f"metrics must be a non-empty list of names, got {metrics!r}")
    if isinstance(log_scale, str) or any(m not in metrics for m in log_scale):
        raise ValueError(f"log_scale must be a list of metrics from {list(metrics)}, "
                         f"got {log_scale!r}")
    records = {name: history_dict(history) for name, history in histories.items()}
    palette = list(OKABE_ITO.values())
    if len(records) > len(palette) - 1:
        raise ValueError(f"histories has {len(records)} runs; at most {len(palette) - 1} fit")
    for name, record in records.items():
        missing = [m for m in metrics if m not in record]
        if missing:
            raise ValueError(
                f"metrics {missing} are not in the history of run {name!r}, "
                f"which has {sorted(record)}"
            )
    colours = [(c, c) for c in palette] if len(records) > 1 else [(palette[0], palette[1])]
    with figure_style():
        fig, axes = plt.subplots(
            1, len(metrics), figsize=(4.8 * len(metrics), 3.6), squeeze=False
        )
        axes = axes[0]
        for ax, metric in zip(axes, metrics):
            for (colour, val_colour), (name, record) in zip(colours, records.items()):
                run = f"{name}, " if name else ""
                epochs = np.arange(1, len(record[metric]) + 1)
                ax.plot(epochs, record[metric], marker="o", ms=3, color=colour,
                        label=f"{run}training")
                if f"val_{metric}" in record:
                    ax.plot(epochs, record[f"val_{metric}"], marker="s", ms=3, ls="--",
                            color=val_colour, label=f"{run}validation")
            ax.set_xlabel("epoch")
            ax.set_ylabel(metric.replace("_", " "))
            ax.set_title(metric.replace("_", " ").capitalize()
                         + (" (log scale)" if metric in log_scale else ""))
            if metric in log_scale:
                ax.set_yscale("log")
            ax.xaxis.get_major_locator().set_params(integer=True)
            ax.legend(fontsize=8)
        fig.tight_layout()
    return fig, axes

def confusion_matrix(y_true: Any, y_pred: Any, n_classes: int = 10) -> np.ndarray:
    """Count how often each true class (rows) was predicted as each class (columns).

    Labels may be ints or one-hot/probability rows.
    """
    n_classes = check_int("n_classes", n_classes)
    true = np.asarray(y_true)
    true = as_labels(true, len(true), "y_true")
    pred = as_labels(y_pred, len(true), "y_pred")
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
    images = as_images(images)
    true = as_labels(y_true, len(images), "y_true")
    pred = as_labels(y_pred, len(images), "y_pred")
    wrong = np.flatnonzero(true != pred)
    if len(wrong) == 0:
        raise ValueError("there are no misclassified images to show")
    fig, axes = plot_digits(images[wrong], true[wrong], pred[wrong], n=n, ncols=ncols)
    with figure_style():
        fig.suptitle(f"{len(wrong)} misclassified images: true → predicted", fontsize=11)
        fig.tight_layout()
    return fig, axes
