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


# --- Figures for the architecture, convolution and pooling episodes ---

#: Diverging colour map for signed numbers (kernel weights, feature maps):
#: blue above zero, white at zero, red below; always drawn with limits
#: symmetric about zero so that white means 0.
SIGNED_CMAP = "RdBu"
#: Sequential colour map for values that are never negative (after a ReLU):
#: white at zero, blue above, like the positive half of :data:`SIGNED_CMAP`.
POSITIVE_CMAP = "Blues"

#: Pale fills for the boxes of a model diagram, by kind of layer.
_LAYER_FILLS = {
    "Conv": OKABE_ITO["sky"],
    "Pool": OKABE_ITO["orange"],
    "Flatten": "#BBBBBB",
    "Dense": OKABE_ITO["green"],
    "Dropout": OKABE_ITO["purple"],
}

#: Widest figure, in inches, that the book's page shows without shrinking it.
_PAGE_WIDTH = 6.8

#: Four pale Okabe-Ito colours for neighbouring pooling windows.
_WINDOW_FILLS = (OKABE_ITO["sky"], OKABE_ITO["orange"], OKABE_ITO["green"], OKABE_ITO["purple"])


def _pale(colour: str, amount: float = 0.45) -> tuple[float, float, float]:
    """``colour`` mixed with white: ``amount`` of the colour, the rest white."""
    red, green, blue = mpl.colors.to_rgb(colour)
    return (amount * red + 1 - amount, amount * green + 1 - amount, amount * blue + 1 - amount)


def _as_grid(values: Any, name: str) -> np.ndarray:
    """Return ``values`` as a non-empty 2-D float array of finite numbers.

    A trailing channel axis of 1, as in ``(28, 28, 1)``, is dropped.
    """
    if values is None or isinstance(values, (str, bytes)):
        raise TypeError(f"{name} must be a 2-D array of numbers, got {type(values).__name__}")
    array = np.asarray(values)
    if not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise TypeError(f"{name} must hold numbers, got dtype {array.dtype}")
    if array.ndim == 3 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim != 2 or 0 in array.shape:
        raise ValueError(
            f"{name} must be a non-empty 2-D array (height, width), got shape {array.shape}"
        )
    array = array.astype(np.float64)
    if not np.isfinite(array).all():
        raise ValueError(f"{name} must hold finite numbers, got NaN or infinity")
    return array


def _index(name: str, value: object, largest: int, why: str) -> int:
    """An int from 0 to ``largest``; ``why`` explains the upper limit in the error."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {value!r} ({type(value).__name__})")
    if not 0 <= value <= largest:
        raise ValueError(f"{name} must be from 0 to {largest} ({why}), got {value!r}")
    return int(value)


def _format_number(value: float, decimals: int = 2) -> str:
    """A number as the figures write it: rounded, no trailing zeros, a true minus sign."""
    rounded = round(float(value), decimals)
    if rounded == 0:
        return "0"
    text = f"{rounded:.{decimals}f}".rstrip("0").rstrip(".")
    return text.replace("-", "\N{MINUS SIGN}")


def _shape_text(shape: Sequence[Any]) -> str:
    """``(26, 26, 16)`` as ``"26 × 26 × 16"``."""
    return " × ".join(str(size) for size in shape)


def _symmetric_limit(*arrays: np.ndarray) -> float:
    """The largest absolute value of ``arrays`` (1 if they are all zero)."""
    peak = max(float(np.abs(array).max()) for array in arrays)
    return peak if peak > 0 else 1.0


def _text_colour(rgba: Sequence[float]) -> str:
    """Black on light cells, white on dark ones."""
    red, green, blue = rgba[:3]
    return "black" if 0.299 * red + 0.587 * green + 0.114 * blue > 0.5 else "white"


def _number_grid(
    ax: Axes,
    values: np.ndarray,
    cmap: str,
    vmin: float,
    vmax: float,
    fontsize: float = 10,
    first_row: int = 0,
    first_col: int = 0,
) -> None:
    """Draw ``values`` as coloured cells with each number written in its cell.

    The numbers are added to ``ax.texts`` row by row; ticks count rows and
    columns from ``first_row`` and ``first_col``.
    """
    colormap = mpl.colormaps[cmap]
    norm = mpl.colors.Normalize(vmin=vmin, vmax=vmax)
    ax.imshow(values, cmap=colormap, norm=norm)
    for (row, col), value in np.ndenumerate(values):
        ax.text(col, row, _format_number(value), ha="center", va="center",
                fontsize=fontsize, color=_text_colour(colormap(norm(value))))
    _cell_lines(ax, values.shape, first_row, first_col)


def _cell_lines(ax: Axes, shape: tuple[int, ...], first_row: int = 0, first_col: int = 0) -> None:
    """Thin lines between cells, row and column numbers as ticks, no frame."""
    height, width = shape[:2]
    ax.set_xticks(np.arange(-0.5, width, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, height, 1), minor=True)
    ax.grid(which="minor", color="0.6", linewidth=0.8)
    ax.grid(which="major", visible=False)
    ax.set_xticks(range(width), [str(first_col + i) for i in range(width)])
    ax.set_yticks(range(height), [str(first_row + i) for i in range(height)])
    ax.tick_params(which="both", length=0, labelsize=8)
    ax.spines[:].set_visible(False)


def _outline(ax: Axes, row: int, col: int, height: int, width: int, colour: str,
             linewidth: float = 3) -> None:
    """A frame around ``height`` × ``width`` cells whose top-left cell is (row, col)."""
    ax.add_patch(mpl.patches.Rectangle(
        (col - 0.5, row - 0.5), width, height, fill=False, edgecolor=colour,
        linewidth=linewidth, clip_on=False,
    ))


def plot_model_diagram(model: Any) -> tuple[Figure, Axes]:
    """Draw a Keras model as a column of boxes, one per layer, input at the top.

    Each box names the layer's class (and its activation, if any) and gives
    its output shape, without the batch axis, and its number of parameters,
    all read from the model itself.

    Parameters
    ----------
    model
        A built Keras model, such as a ``keras.Sequential`` that starts with
        ``keras.Input(shape=...)``.

    Returns
    -------
    fig, ax
        The box texts are ``ax.texts`` from top to bottom: the input, then one
        per layer (``"Conv2D (relu)\\n26 × 26 × 16 · 160 parameters"``), then
        the total.
    """
    layers = getattr(model, "layers", None)
    if not isinstance(layers, Sequence) or isinstance(layers, str):
        raise TypeError(f"model must be a Keras model with .layers, got {type(model).__name__}")
    layers = [layer for layer in layers if type(layer).__name__ != "InputLayer"]
    if len(layers) == 0:
        raise ValueError(f"model has no layers to draw: {model!r}")
    try:
        inputs = getattr(model, "inputs", None) or [layers[0].input]
        input_shape = tuple(inputs[0].shape)[1:]
        shapes = [tuple(layer.output.shape)[1:] for layer in layers]
    except (AttributeError, ValueError) as error:
        raise ValueError(
            "model must be built before it is drawn: start it with "
            f"keras.Input(shape=...) ({error})"
        ) from None
    boxes = [("Input", _shape_text(input_shape), "white")]
    total = 0
    for layer, shape in zip(layers, shapes):
        kind = type(layer).__name__
        activation = getattr(getattr(layer, "activation", None), "__name__", "linear")
        title = kind if activation == "linear" else f"{kind} ({activation})"
        params = int(layer.count_params())
        total += params
        fill = next((c for key, c in _LAYER_FILLS.items() if key in kind), "#DDDDDD")
        boxes.append((title, f"{_shape_text(shape)} · {params:,} parameters", _pale(fill)))

    with figure_style():
        step = 0.78
        fig, ax = plt.subplots(figsize=(4.6, step * len(boxes) + 0.35))
        ax.set_xlim(0, 1)
        ax.set_ylim(-0.55 * step - 0.3, (len(boxes) - 0.5) * step)
        ax.set_axis_off()
        for i, (title, detail, fill) in enumerate(boxes):
            y = (len(boxes) - 1 - i) * step
            ax.add_patch(mpl.patches.FancyBboxPatch(
                (0.08, y - 0.26), 0.84, 0.52, boxstyle="round,pad=0,rounding_size=0.06",
                facecolor=fill, edgecolor="0.3", linewidth=1,
            ))
            ax.text(0.5, y, f"{title}\n{detail}", ha="center", va="center", fontsize=9.5,
                    linespacing=1.4)
            if i:
                ax.add_patch(mpl.patches.FancyArrowPatch(
                    (0.5, y + step - 0.27), (0.5, y + 0.27), arrowstyle="-|>",
                    mutation_scale=10, color="0.3", linewidth=1.2,
                ))
        ax.text(0.5, -0.55 * step, f"Total: {total:,} parameters", ha="center", va="center",
                fontsize=10, fontweight="bold")
        fig.tight_layout(pad=0.2)
    return fig, ax


def plot_pixel_values(
    image: Any, row: int, col: int, size: int = 8
) -> tuple[Figure, np.ndarray]:
    """Show a grey image beside the numbers of one square patch of it.

    Parameters
    ----------
    image
        A 2-D image (height, width), or (height, width, 1).
    row, col
        The top-left pixel of the patch.
    size
        The patch's height and width in pixels.

    Returns
    -------
    fig, axes
        Two axes: the image with the patch framed, and the patch with each
        pixel's value written in it (``axes[1].texts``, row by row).
    """
    pixels = _as_grid(image, "image")
    size = _positive_int("size", size)
    height, width = pixels.shape
    if size > min(height, width):
        raise ValueError(f"size must fit in the {height} × {width} image, got {size}")
    row = _index("row", row, height - size, f"a {size}-pixel patch of a {height}-row image")
    col = _index("col", col, width - size, f"a {size}-pixel patch of a {width}-column image")
    patch = pixels[row:row + size, col:col + size]
    low, high = float(pixels.min()), float(pixels.max())
    high = high if high > low else low + 1
    with figure_style():
        fig, axes = plt.subplots(1, 2, figsize=(_PAGE_WIDTH, 3.6),
                                 gridspec_kw={"width_ratios": [1, 1.25]})
        axes[0].imshow(pixels, cmap=IMAGE_CMAP, vmin=low, vmax=high)
        _outline(axes[0], row, col, size, size, OKABE_ITO["orange"], linewidth=2.5)
        axes[0].set_title(f"The image: {_shape_text(pixels.shape)} pixels")
        axes[0].set_xlabel("column")
        axes[0].set_ylabel("row")
        _number_grid(axes[1], patch, IMAGE_CMAP, low, high, fontsize=8 if size > 6 else 10,
                     first_row=row, first_col=col)
        axes[1].set_title(f"The framed patch: {size} × {size} numbers")
        axes[1].set_xlabel("column")
        axes[1].set_ylabel("row")
        fig.tight_layout()
    return fig, axes


def plot_convolution_step(
    image: Any, kernel: Any, row: int, col: int
) -> tuple[Figure, np.ndarray]:
    """Show one step of a convolution: the kernel on one window of the image.

    The convolution is Keras's default: stride 1, ``"valid"`` padding, no
    bias.  Three panels show the input with the window framed, the kernel,
    and the whole feature map with the cell this window produces framed;
    every number is written in its cell.  Below, the sum of products for
    that cell is spelt out (for kernels of up to 9 weights).

    Parameters
    ----------
    image
        A small 2-D grid of numbers (height, width).
    kernel
        A 2-D kernel no larger than the image.
    row, col
        The position of the window's top-left pixel, which is also the
        position of its result in the feature map.

    Returns
    -------
    fig, axes
        Axes of the input, the kernel and the feature map.  The sum is the
        figure's x label (``fig.supxlabel``).
    """
    from .layers import conv2d

    pixels = _as_grid(image, "image")
    weights = _as_grid(kernel, "kernel")
    (height, width), (kh, kw) = pixels.shape, weights.shape
    if kh > height or kw > width:
        raise ValueError(
            f"kernel of shape {weights.shape} is larger than the image of shape {pixels.shape}"
        )
    feature_map = conv2d(pixels, weights)
    out_h, out_w = feature_map.shape
    row = _index("row", row, out_h - 1, f"the feature map has {out_h} rows")
    col = _index("col", col, out_w - 1, f"the feature map has {out_w} columns")
    window = pixels[row:row + kh, col:col + kw]
    value = float(feature_map[row, col])

    def factor(number: float) -> str:
        text = _format_number(number)
        return f"({text})" if text.startswith("\N{MINUS SIGN}") else text

    if window.size <= 9:
        pairs = zip(window.flat, weights.flat)
        products = " + ".join(f"{factor(a)}×{factor(b)}" for a, b in pairs)
    else:
        products = f"the sum of the {window.size} products"
    equation = f"feature map[{row}, {col}] = {products} = {_format_number(value)}"

    cell = min(0.5, (_PAGE_WIDTH - 1.6) / (width + kw + out_w))
    highlight = OKABE_ITO["orange"]
    with figure_style():
        fig, axes = plt.subplots(
            1, 3, figsize=(cell * (width + kw + out_w) + 1.6, cell * height + 1.5),
            gridspec_kw={"width_ratios": [width, kw, out_w]},
        )
        low, high = min(0.0, float(pixels.min())), float(pixels.max())
        if low < 0:
            low, high = -_symmetric_limit(pixels), _symmetric_limit(pixels)
        fontsize = 10 if cell >= 0.42 else 8
        _number_grid(axes[0], pixels, IMAGE_CMAP if low == 0 else SIGNED_CMAP,
                     low, high if high > low else low + 1, fontsize)
        _outline(axes[0], row, col, kh, kw, highlight)
        axes[0].set_title(f"input ({_shape_text(pixels.shape)})")
        limit = _symmetric_limit(weights)
        _number_grid(axes[1], weights, SIGNED_CMAP, -limit, limit, fontsize)
        _outline(axes[1], 0, 0, kh, kw, highlight)
        axes[1].set_title(f"kernel ({_shape_text(weights.shape)})")
        limit = _symmetric_limit(feature_map)
        _number_grid(axes[2], feature_map, SIGNED_CMAP, -limit, limit, fontsize)
        _outline(axes[2], row, col, 1, 1, highlight)
        axes[2].set_title(f"feature map ({_shape_text(feature_map.shape)})")
        fig.supxlabel(equation, fontsize=9.5)
        fig.tight_layout()
    return fig, axes


def _named_grids(grids: Any, name: str) -> dict[str, np.ndarray]:
    """A non-empty mapping of titles to 2-D arrays, checked."""
    if not isinstance(grids, Mapping):
        raise TypeError(
            f"{name} must be a dict of titles to 2-D arrays, got {type(grids).__name__}"
        )
    if not grids:
        raise ValueError(f"{name} is empty: there is nothing to show")
    return {str(title): _as_grid(grid, f"{name}[{title!r}]") for title, grid in grids.items()}


def plot_kernels_and_maps(
    image: Any, kernels: Mapping[str, Any], maps: Mapping[str, Any]
) -> tuple[Figure, np.ndarray]:
    """Show several kernels, each above the feature map it makes of one image.

    Parameters
    ----------
    image
        The input image, 2-D, drawn in grey at the bottom left.
    kernels
        Titles mapped to 2-D kernels, drawn in the top row with their weights
        written in the cells.
    maps
        The same titles mapped to the feature maps, drawn in the bottom row,
        each with its own colour scale: symmetric about zero
        (:data:`SIGNED_CMAP`) if the map has negative values, from zero
        (:data:`POSITIVE_CMAP`) if it has none, as after a ReLU.

    Returns
    -------
    fig, axes
        A 2 × (1 + number of kernels) array of axes; ``axes[0, 0]`` is empty.
    """
    pixels = _as_grid(image, "image")
    kernels = _named_grids(kernels, "kernels")
    maps = _named_grids(maps, "maps")
    if list(kernels) != list(maps):
        raise ValueError(
            f"maps must have the same titles as kernels, in order: "
            f"kernels {list(kernels)}, maps {list(maps)}"
        )
    n = len(kernels)
    with figure_style():
        fig, axes = plt.subplots(
            2, n + 1, figsize=(min(1.75 * (n + 1), _PAGE_WIDTH), 3.3), squeeze=False,
            gridspec_kw={"height_ratios": [1, 1.3]}, layout="constrained",
        )
        axes[0, 0].set_axis_off()
        shown = axes[1, 0].imshow(pixels, cmap=IMAGE_CMAP)
        axes[1, 0].set_title("input")
        axes[1, 0].set_axis_off()
        bar = fig.colorbar(shown, ax=axes[1, 0], orientation="horizontal", fraction=0.06,
                           pad=0.04, ticks=[pixels.min(), pixels.max()])
        bar.ax.set_xticklabels([_format_number(pixels.min(), 1), _format_number(pixels.max(), 1)])
        bar.ax.tick_params(labelsize=8)
        for i, (title, weights) in enumerate(kernels.items(), start=1):
            limit = _symmetric_limit(weights)
            _number_grid(axes[0, i], weights, SIGNED_CMAP, -limit, limit,
                         fontsize=8 if weights.shape[1] > 3 else 9)
            axes[0, i].set_xticks([])
            axes[0, i].set_yticks([])
            axes[0, i].set_title(title, fontsize=10)
            limit = _symmetric_limit(maps[title])
            signed = maps[title].min() < 0
            low = -limit if signed else 0.0
            shown = axes[1, i].imshow(maps[title], cmap=SIGNED_CMAP if signed else POSITIVE_CMAP,
                                      vmin=low, vmax=limit)
            axes[1, i].set_axis_off()
            ticks = [low, 0, limit] if signed else [0, limit]
            bar = fig.colorbar(shown, ax=axes[1, i], orientation="horizontal",
                               fraction=0.06, pad=0.04, ticks=ticks)
            bar.ax.set_xticklabels([_format_number(tick, 1) for tick in ticks])
            bar.ax.tick_params(labelsize=8)
    return fig, axes


def plot_feature_maps(
    maps: Mapping[str, Any], ncols: int | None = None
) -> tuple[Figure, np.ndarray]:
    """Show feature maps side by side on one colour scale.

    White is 0 and blue positive; if any value is negative, red shows the
    negative values on a scale symmetric about zero (:data:`SIGNED_CMAP`),
    otherwise the scale runs from 0 to the largest value
    (:data:`POSITIVE_CMAP`), as after a ReLU.  The scale is shared by every
    panel, so equal colours mean equal numbers even where the maps have
    different sizes; each title gives the map's shape.

    Parameters
    ----------
    maps
        Titles mapped to 2-D arrays (a trailing channel of 1 is dropped).
    ncols
        Panels per row; all in one row by default.

    Returns
    -------
    fig, axes
        A 2-D array of axes, row by row; unused panels are blank.
    """
    grids = _named_grids(maps, "maps")
    ncols = len(grids) if ncols is None else min(_positive_int("ncols", ncols), len(grids))
    nrows = math.ceil(len(grids) / ncols)
    limit = _symmetric_limit(*grids.values())
    signed = any(grid.min() < 0 for grid in grids.values())
    cmap, low = (SIGNED_CMAP, -limit) if signed else (POSITIVE_CMAP, 0.0)
    with figure_style():
        panel = min(1.85, (_PAGE_WIDTH - 0.9) / ncols)
        fig, axes = plt.subplots(
            nrows, ncols, figsize=(panel * ncols + 0.9, (panel + 0.2) * nrows + 0.2),
            squeeze=False, layout="constrained",
        )
        for ax in axes.flat:
            ax.set_axis_off()
        for ax, (title, grid) in zip(axes.flat, grids.items()):
            shown = ax.imshow(grid, cmap=cmap, vmin=low, vmax=limit)
            ax.set_title(f"{title}\n{_shape_text(grid.shape)}", fontsize=10)
        fig.colorbar(shown, ax=axes, fraction=0.04, pad=0.03, label="value")
    return fig, axes


def plot_pooling_example(x: Any, pool_size: int = 2) -> tuple[Figure, np.ndarray]:
    """Show max and average pooling of a small grid, window by window.

    The windows are ``pool_size`` × ``pool_size`` and do not overlap (the
    stride is the pool size, as in Keras by default).  Each window of the
    input and the output cell it becomes share a colour; every number is
    written in its cell.

    Parameters
    ----------
    x
        A small 2-D grid of numbers, at least ``pool_size`` each way.
    pool_size
        Height and width of the pooling windows.

    Returns
    -------
    fig, axes
        Axes of the input, its max pooling and its average pooling; each
        ``ax.texts`` holds the numbers row by row.
    """
    from .layers import average_pool2d, max_pool2d

    grid = _as_grid(x, "x")
    size = _positive_int("pool_size", pool_size)
    height, width = grid.shape
    if size > min(height, width):
        raise ValueError(
            f"pool_size must fit in x, whose shape is {grid.shape}, got {pool_size!r}"
        )
    results = {
        "max pooling": max_pool2d(grid, size),
        "average pooling": average_pool2d(grid, size),
    }
    out_h, out_w = results["max pooling"].shape

    def colours(shape: tuple[int, int], per_cell: int) -> np.ndarray:
        rgb = np.ones((*shape, 3))
        for i in range(out_h):
            for j in range(out_w):
                fill = _pale(_WINDOW_FILLS[2 * (i % 2) + j % 2], 0.5)
                rgb[i * per_cell:(i + 1) * per_cell, j * per_cell:(j + 1) * per_cell] = fill
        return rgb

    def draw(ax: Axes, values: np.ndarray, rgb: np.ndarray, title: str, per_cell: int) -> None:
        ax.imshow(rgb)
        for (row, col), value in np.ndenumerate(values):
            ax.text(col, row, _format_number(value), ha="center", va="center", fontsize=11)
        _cell_lines(ax, values.shape)
        for i in range(out_h):
            for j in range(out_w):
                _outline(ax, i * per_cell, j * per_cell, per_cell, per_cell, "0.2", linewidth=2)
        ax.set_title(title)

    cell = min(0.55, (_PAGE_WIDTH - 2.2) / (width + 2 * out_w))
    with figure_style():
        fig, axes = plt.subplots(
            1, 3, figsize=(cell * (width + 2 * out_w) + 2.2, cell * height + 1.0),
            gridspec_kw={"width_ratios": [width, out_w, out_w]},
        )
        draw(axes[0], grid, colours(grid.shape, size), f"input ({_shape_text(grid.shape)})", size)
        for ax, (title, values) in zip(axes[1:], results.items()):
            title = f"{title}\n({_shape_text(values.shape)})"
            draw(ax, values, colours(values.shape, 1), title, 1)
        fig.tight_layout(w_pad=2.5)
    return fig, axes


# --- Figures for the flatten, output-size and why-convolution episodes ---

#: Colours, markers and line styles for lines that must stay apart without colour.
_LINE_LOOKS = (
    (OKABE_ITO["blue"], "o", "-"),
    (OKABE_ITO["vermillion"], "s", "--"),
    (OKABE_ITO["green"], "^", ":"),
    (OKABE_ITO["purple"], "D", "-."),
)
#: Bar colours of stacked panels, one per panel.
_BAR_COLOURS = (OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["green"], OKABE_ITO["sky"])
#: The most cells :func:`plot_window_positions` draws legibly.
MAX_WINDOW_CELLS = 40


def _as_vector(values: Any, name: str) -> np.ndarray:
    """Return ``values`` as a non-empty 1-D float array of finite numbers."""
    if values is None or isinstance(values, (str, bytes)):
        raise TypeError(f"{name} must be a 1-D array of numbers, got {type(values).__name__}")
    array = np.asarray(values)
    if not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise TypeError(f"{name} must hold numbers, got dtype {array.dtype}")
    if array.ndim != 1 or len(array) == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array, got shape {array.shape}")
    array = array.astype(np.float64)
    if not np.isfinite(array).all():
        raise ValueError(f"{name} must hold finite numbers, got NaN or infinity")
    return array


def _named_vectors(panels: Any, name: str) -> dict[str, np.ndarray]:
    """A non-empty mapping of titles to 1-D arrays of one common length."""
    if not isinstance(panels, Mapping):
        raise TypeError(
            f"{name} must be a dict of title -> values, got {type(panels).__name__}"
        )
    if not panels:
        raise ValueError(f"{name} is empty: there is nothing to plot")
    vectors = {str(title): _as_vector(values, f"{name}[{title!r}]")
               for title, values in panels.items()}
    lengths = {len(v) for v in vectors.values()}
    if len(lengths) != 1:
        found = {title: len(v) for title, v in vectors.items()}
        raise ValueError(f"{name} must all have the same length, got lengths {found}")
    return vectors


def _bar_label(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "0") else text.replace("-", "\N{MINUS SIGN}")


def plot_value_bars(
    panels: Mapping[str, Any],
    xlabel: str = "unit",
    ticklabels: Sequence[Any] | None = None,
    mark_zeros: bool = False,
) -> tuple[Figure, np.ndarray]:
    """Bar charts of a few vectors, one panel each, stacked on a shared x axis.

    Parameters
    ----------
    panels
        Titles mapped to 1-D arrays of one common length, e.g.
        ``{"scores": z, "probabilities": softmax(z)}``.
    xlabel
        What the bars are (the x axis label).
    ticklabels
        A name for each bar; by default 0, 1, 2, ...
    mark_zeros
        Mark values that are exactly 0 with a cross, to show which values a
        layer such as dropout set to zero.

    Returns
    -------
    fig, axes
        The figure and its 1-D array of axes, one per panel.  Up to 12 bars
        are labelled with their values.
    """
    vectors = _named_vectors(panels, "panels")
    length = len(next(iter(vectors.values())))
    if ticklabels is None:
        ticks = [str(i) for i in range(length)]
    elif isinstance(ticklabels, (str, bytes)) or not isinstance(ticklabels, Sequence):
        raise TypeError(f"ticklabels must be a list, got {type(ticklabels).__name__}")
    elif len(ticklabels) != length:
        raise ValueError(
            f"ticklabels must have one label per bar ({length}), got {len(ticklabels)}"
        )
    else:
        ticks = [str(label) for label in ticklabels]
    if not isinstance(mark_zeros, (bool, np.bool_)):
        raise TypeError(f"mark_zeros must be True or False, got {mark_zeros!r}")
    positions = np.arange(length)
    with figure_style():
        fig, axes = plt.subplots(
            len(vectors), 1, figsize=(max(5.0, 0.45 * length + 1.5), 1.9 * len(vectors) + 0.5),
            sharex=True, squeeze=False,
        )
        axes = axes[:, 0]
        for i, (ax, (title, values)) in enumerate(zip(axes, vectors.items())):
            ax.bar(positions, values, color=_BAR_COLOURS[i % len(_BAR_COLOURS)], width=0.7)
            ax.axhline(0, color="0.3", linewidth=0.8)
            ax.set_title(title, loc="left")
            ax.set_ylabel("value")
            low, high = min(values.min(), 0.0), max(values.max(), 0.0)
            span = (high - low) or 1.0
            ax.set_ylim(low - 0.2 * span * (low < 0), high + 0.22 * span)
            marked = mark_zeros and bool(np.any(values == 0))
            if length <= 12:
                for x, value in zip(positions, values):
                    if marked and value == 0:
                        continue  # the cross says it
                    ax.text(x, value + 0.03 * span if value >= 0 else value - 0.03 * span,
                            _bar_label(value), ha="center",
                            va="bottom" if value >= 0 else "top", fontsize=8)
            if marked:
                zeros = positions[values == 0]
                ax.plot(zeros, np.zeros(len(zeros)), linestyle="none", marker="x", ms=8,
                        mew=2, color=OKABE_ITO["vermillion"], label="set to 0",
                        clip_on=False, zorder=3)
                ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), borderaxespad=0.1)
        axes[-1].set_xticks(positions, ticks)
        axes[-1].set_xlabel(xlabel)
        fig.tight_layout()
    return fig, axes


def plot_window_positions(
    input_size: int, kernel_size: int, stride: int = 1, padding: Any = "valid"
) -> tuple[Figure, Axes]:
    """Draw every position of a window sliding along one axis of an input.

    The input's pixels form a row of cells (zero padding hatched); below
    them, one bar per window position.  The number of bars is the output
    size, :func:`cnn_lesson.shapes.conv_output_size`; input pixels that no
    window reaches are outlined.

    Parameters
    ----------
    input_size, kernel_size, stride, padding
        As for :func:`cnn_lesson.shapes.conv_output_size`.  At most
        :data:`MAX_WINDOW_CELLS` cells (pixels plus padding) are drawn.

    Returns
    -------
    fig, ax
    """
    from matplotlib.patches import Patch, Rectangle

    from .layers import _same_padding
    from .shapes import _check_padding, conv_output_size

    out = conv_output_size(input_size, kernel_size, stride, padding)
    pad = _check_padding(padding)
    n, k, s = int(input_size), int(kernel_size), int(stride)
    if pad == "same":
        before, after = _same_padding(n, k, s)
    else:
        before = after = 0 if pad == "valid" else int(pad)
    cells = before + n + after
    if cells > MAX_WINDOW_CELLS:
        raise ValueError(
            f"input_size + padding gives {cells} cells, more than the "
            f"{MAX_WINDOW_CELLS} this figure can show legibly"
        )
    covered = np.zeros(cells, dtype=bool)
    for j in range(out):
        covered[j * s : j * s + k] = True
    uncovered = [i for i in range(before, before + n) if not covered[i]]
    if pad == "same":
        title = (f"n = {n}, k = {k}, s = {s}, padding 'same' "
                 f"(zeros: {before} before, {after} after)\n⌈{n} / {s}⌉ = {out} positions")
    else:
        p = before
        title = (f"n = {n}, k = {k}, s = {s}, p = {p}\n"
                 f"⌊({n} + 2·{p} − {k}) / {s}⌋ + 1 = {out} positions")
    pale = {"blue": (0.75, 0.87, 0.95), "orange": (0.98, 0.88, 0.65)}
    with figure_style():
        fig, ax = plt.subplots(figsize=(max(6.5, 0.6 * cells + 2.4), 1.6 + 0.6 * out))
        for i in range(cells):
            is_pad = i < before or i >= before + n
            ax.add_patch(Rectangle((i, 0), 1, 1, facecolor="0.88" if is_pad else "white",
                                   edgecolor="0.35", hatch="///" if is_pad else None,
                                   linewidth=1))
            ax.text(i + 0.5, 0.5, "0" if is_pad else str(i - before + 1), ha="center",
                    va="center", fontsize=10, color="black",
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1} if is_pad
                    else None)
        for i in uncovered:
            ax.add_patch(Rectangle((i + 0.06, 0.06), 0.88, 0.88, fill=False,
                                   edgecolor=OKABE_ITO["vermillion"], linewidth=2,
                                   linestyle="--"))
        for j in range(out):
            colour = ("blue", "orange")[j % 2]
            y = -0.45 - 0.42 * (j + 1)
            ax.add_patch(Rectangle((j * s + 0.08, y), k - 0.16, 0.32,
                                   facecolor=pale[colour], edgecolor=OKABE_ITO[colour],
                                   linewidth=1.5))
            ax.text(j * s + k / 2, y + 0.16, f"output {j + 1}" if k >= 3 else str(j + 1),
                    ha="center", va="center", fontsize=9)
        ax.set_xlim(-0.2, cells + 0.2)
        ax.set_ylim(-0.6 - 0.42 * out - 0.1, 1.15)
        ax.set_aspect("equal")
        ax.set_axis_off()
        handles = [
            Patch(facecolor="white", edgecolor="0.35", label="input pixel"),
            Patch(facecolor="0.88", edgecolor="0.35", hatch="///", label="zero padding"),
            Patch(facecolor=pale["blue"], edgecolor=OKABE_ITO["blue"], label="window position"),
        ]
        if uncovered:
            handles.append(Patch(fill=False, edgecolor=OKABE_ITO["vermillion"],
                                 linestyle="--", linewidth=2, label="never in a window"))
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9)
        ax.set_title(title, fontsize=11, loc="left")
        fig.tight_layout()
    return fig, ax


def plot_accuracy_vs_shift(
    shifts: Any, accuracies: Mapping[str, Any]
) -> tuple[Figure, Axes]:
    """Accuracy of a few models against how far the test images were moved.

    Parameters
    ----------
    shifts
        The shifts in pixels (ints, at least 0), one per point.
    accuracies
        Model names mapped to their accuracies (0 to 1), one per shift.  Up
        to four models; each has its own colour, marker and line style.

    Returns
    -------
    fig, ax
    """
    moves = _as_vector(shifts, "shifts")
    if np.any(moves < 0) or np.any(moves != np.round(moves)):
        raise ValueError(f"shifts must be whole numbers of pixels, at least 0, got {moves}")
    curves = _named_vectors(accuracies, "accuracies")
    if len(curves) > len(_LINE_LOOKS):
        raise ValueError(
            f"accuracies may hold at most {len(_LINE_LOOKS)} models, got {len(curves)}"
        )
    for title, values in curves.items():
        if len(values) != len(moves):
            raise ValueError(
                f"accuracies[{title!r}] must have one value per shift ({len(moves)}), "
                f"got {len(values)}"
            )
        if values.min() < 0 or values.max() > 1:
            raise ValueError(f"accuracies[{title!r}] must lie from 0 to 1, got {values}")
    with figure_style():
        fig, ax = plt.subplots(figsize=(6.0, 3.8))
        for (title, values), (colour, marker, style) in zip(curves.items(), _LINE_LOOKS):
            ax.plot(moves, values, color=colour, marker=marker, linestyle=style, ms=6,
                    linewidth=2, label=title)
        ax.axhline(0.1, color="0.45", linestyle=(0, (1, 2)), linewidth=1)
        ax.text(moves.max(), 0.11, "chance: 1 in 10", ha="right", va="bottom",
                fontsize=8, color="0.35")
        ax.set_xticks(moves.astype(int))
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("shift of every test image (pixels)")
        ax.set_ylabel("test accuracy")
        ax.grid(axis="y", color="0.9")
        ax.legend(loc="upper right")
        fig.tight_layout()
    return fig, ax


def plot_image_rows(
    images: Any, column_titles: Sequence[str], row_titles: Sequence[str] | None = None
) -> tuple[Figure, np.ndarray]:
    """A grid of images with a title over each column, each image framed.

    Parameters
    ----------
    images
        Array of shape (rows, columns, height, width), optionally with a
        trailing channel axis of 1.
    column_titles
        One title per column.
    row_titles
        Optional label to the left of each row.

    Returns
    -------
    fig, axes
        The figure and its 2-D array of axes.
    """
    if images is None or isinstance(images, (str, bytes)):
        raise TypeError(f"images must be an array of numbers, got {type(images).__name__}")
    grid = np.asarray(images)
    if not (np.issubdtype(grid.dtype, np.number) or grid.dtype == bool):
        raise TypeError(f"images must hold numbers, got dtype {grid.dtype}")
    if grid.ndim == 5 and grid.shape[-1] == 1:
        grid = grid[..., 0]
    if grid.ndim != 4 or 0 in grid.shape:
        raise ValueError(
            "images must have shape (rows, columns, height, width), got shape "
            f"{np.asarray(images).shape}"
        )
    rows, cols = grid.shape[:2]
    for name, titles, count in (("column_titles", column_titles, cols),
                                ("row_titles", row_titles, rows)):
        if titles is None and name == "row_titles":
            continue
        if isinstance(titles, (str, bytes)) or not isinstance(titles, Sequence):
            raise TypeError(f"{name} must be a list of strings, got {type(titles).__name__}")
        if len(titles) != count:
            raise ValueError(f"{name} must have {count} entries, one each, got {len(titles)}")
    top = float(grid.max()) or 1.0
    with figure_style():
        fig, axes = plt.subplots(rows, cols, figsize=(1.15 * cols + 0.6, 1.2 * rows + 0.4),
                                 squeeze=False)
        for (r, c), ax in np.ndenumerate(axes):
            ax.imshow(grid[r, c], cmap=IMAGE_CMAP, vmin=0, vmax=top)
            ax.set_xticks([])
            ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_visible(True)
                spine.set_color("0.6")
            if r == 0:
                ax.set_title(str(column_titles[c]), fontsize=10)
            if c == 0 and row_titles is not None:
                ax.set_ylabel(str(row_titles[r]), fontsize=10)
        fig.tight_layout()
    return fig, axes
