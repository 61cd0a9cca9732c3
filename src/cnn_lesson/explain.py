"""Looking inside a CNN: its filters, feature maps, evidence and worst mistakes.

The computations (layer outputs, occlusion maps, the most confident
mistakes) take a trained model, or any callable that maps a batch of images
to class probabilities, and return NumPy arrays; the ``plot_*`` helpers draw
those arrays in the book's style (:mod:`cnn_lesson.style`).

Signed quantities (filter weights, changes of probability) use the diverging
``RdBu`` map with limits symmetric about zero, so white always means zero;
a layer's non-negative activations use ``magma``.  Both read well with the
common colour-vision deficiencies.  Keras is imported only when a model is
run (:func:`layer_outputs`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from numbers import Real
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from .style import (
    ACTIVATION_CMAP,
    IMAGE_CMAP,
    OKABE_ITO,
    PAGE_WIDTH,
    POSITIVE_CMAP,
    SIGNED_CMAP,
    axes_grid,
    figure_style,
    shape_text,
    symmetric_limit,
)
from .validate import as_grid, as_image, as_images, check_int, named_arrays


def layer_outputs(
    model: Any, images: Any, layers: Sequence[str] | None = None
) -> dict[str, np.ndarray]:
    """Run images through a model and return what each chosen layer outputs.

    Builds ``keras.Model(inputs=model.inputs, outputs=[layer.output, ...])``,
    a model that shares the trained layers and outputs the intermediate
    results, and runs it once.

    Parameters
    ----------
    model
        A built Keras model (``Sequential`` or functional).
    images
        One image shaped like the model's input, e.g. (28, 28, 1), or a
        batch of them, e.g. (n, 28, 28, 1).
    layers
        Names of the layers to report, in any order; by default every layer.

    Returns
    -------
    dict
        Layer name to output array, in the order of ``layers`` (or of the
        model).  One image in gives outputs without the batch axis.
    """
    inputs = getattr(model, "inputs", None)
    if not inputs or not hasattr(model, "get_layer"):
        raise TypeError(f"model must be a built Keras model, got {type(model).__name__}")
    import keras

    if layers is None:
        chosen = list(model.layers)
    else:
        if isinstance(layers, str) or not all(isinstance(n, str) for n in layers):
            raise TypeError(f"layers must be a list of layer names, got {layers!r}")
        known = [layer.name for layer in model.layers]
        unknown = [name for name in layers if name not in known]
        if unknown or not layers:
            raise ValueError(f"layers {list(layers)!r} must be names from {known}")
        chosen = [model.get_layer(name) for name in layers]
    batch = np.asarray(images, dtype=np.float32)
    expected = tuple(inputs[0].shape[1:])
    single = batch.shape == expected
    if single:
        batch = batch[np.newaxis]
    if batch.shape[1:] != expected:
        raise ValueError(
            f"images must have shape {expected} or (n, *{expected}), got shape "
            f"{np.shape(images)}"
        )
    extractor = keras.Model(inputs=model.inputs, outputs=[layer.output for layer in chosen])
    outputs = extractor.predict(batch, verbose=0)
    if len(chosen) == 1:
        outputs = [outputs]
    return {
        layer.name: (np.asarray(out)[0] if single else np.asarray(out))
        for layer, out in zip(chosen, outputs)
    }


def occlusion_map(
    predict: Callable[[np.ndarray], Any],
    image: Any,
    label: int,
    patch: int = 4,
    stride: int = 1,
    fill: float = 0.0,
    batch_size: int = 256,
) -> np.ndarray:
    """How much the probability of ``label`` drops when each part of the image is hidden.

    A ``patch`` × ``patch`` square of value ``fill`` is placed at every
    position (top-left corners ``stride`` pixels apart) in a copy of the
    image; the copies are classified in batches.  Each pixel receives the
    mean drop ``p(original) - p(occluded)`` of the patches that cover it
    (pixels no patch covers, possible when ``stride > 1``, get 0).

    Parameters
    ----------
    predict
        Maps a batch (n, height, width, channels) to probabilities (n, classes):
        a Keras model, or any function.
    image
        One image, (height, width) or (height, width, channels).
    label
        The class whose probability is tracked, usually the true label.
    patch, stride
        Side of the square patch and step between its positions, in pixels.
    fill
        The value the hidden pixels take (0 is the MNIST background).
    batch_size
        How many occluded copies are classified at once.

    Returns
    -------
    numpy.ndarray
        Shape (height, width): positive where hiding the pixels lowers the
        probability of ``label`` (the evidence for it), negative where it
        raises it.
    """
    if not callable(predict):
        raise TypeError(f"predict must be callable, got {type(predict).__name__}")
    picture = as_image(image)
    height, width, _ = picture.shape
    label = check_int("label", label, minimum=None)
    side = check_int("patch", patch)
    if side > min(height, width):
        raise ValueError(f"patch={side} is larger than the image ({height}×{width})")
    step = check_int("stride", stride)
    if isinstance(fill, bool) or not isinstance(fill, Real):
        raise TypeError(f"fill must be a number, got {fill!r} ({type(fill).__name__})")
    chunk = check_int("batch_size", batch_size)

    corners = [
        (row, col)
        for row in range(0, height - side + 1, step)
        for col in range(0, width - side + 1, step)
    ]
    copies = np.repeat(picture[np.newaxis], len(corners), axis=0)
    for copy, (row, col) in zip(copies, corners):
        copy[row : row + side, col : col + side] = fill

    # A Keras model predicts through predict_on_batch: inference mode, and NumPy
    # out under every backend (calling a model under PyTorch gives a tensor that
    # tracks gradients, which NumPy cannot read).  Any other function is called.
    run = getattr(predict, "predict_on_batch", predict)

    def probabilities(batch: np.ndarray) -> np.ndarray:
        out = np.asarray(run(batch))
        if out.ndim != 2 or out.shape[0] != len(batch):
            raise ValueError(
                f"predict must return probabilities of shape (n, classes) for n="
                f"{len(batch)} images, got shape {out.shape}"
            )
        if not 0 <= label < out.shape[1]:
            raise ValueError(f"label={label} is not a class of the {out.shape[1]} predicted")
        return out[:, label]

    reference = probabilities(picture[np.newaxis])[0]
    occluded = np.concatenate(
        [probabilities(copies[start : start + chunk]) for start in range(0, len(copies), chunk)]
    )
    total = np.zeros((height, width))
    count = np.zeros((height, width))
    for drop, (row, col) in zip(reference - occluded, corners):
        total[row : row + side, col : col + side] += drop
        count[row : row + side, col : col + side] += 1
    return np.divide(total, count, out=np.zeros_like(total), where=count > 0)


def most_confident_mistakes(probabilities: Any, labels: Any, n: int = 10) -> np.ndarray:
    """Indices of the wrong predictions made with the highest probability.

    Parameters
    ----------
    probabilities
        The model's output, shape (samples, classes).
    labels
        The true labels (ints), shape (samples,).
    n
        At most how many indices to return.

    Returns
    -------
    numpy.ndarray
        Indices of misclassified samples, most confident first (fewer than
        ``n`` if there are fewer mistakes).
    """
    probs = np.asarray(probabilities, dtype=np.float64)
    if probs.ndim != 2:
        raise ValueError(f"probabilities must have shape (samples, classes), got {probs.shape}")
    true = np.asarray(labels)
    if true.shape != probs.shape[:1] or not np.issubdtype(true.dtype, np.integer):
        raise ValueError(
            f"labels must be {probs.shape[0]} integer labels, got shape {true.shape} "
            f"and dtype {true.dtype}"
        )
    count = check_int("n", n)
    predicted = probs.argmax(axis=1)
    wrong = np.flatnonzero(predicted != true)
    confidence = probs[wrong, predicted[wrong]]
    order = np.argsort(-confidence, kind="stable")
    return wrong[order][:count]


def plot_filters(kernel: Any, ncols: int = 8) -> tuple[Figure, np.ndarray]:
    """Draw the filters of a ``Conv2D`` layer on one input channel.

    Parameters
    ----------
    kernel
        The layer's weights, shape (height, width, 1, filters) as
        ``layer.get_weights()[0]`` returns them, or (height, width, filters).
    ncols
        Filters per row.

    Returns
    -------
    fig, axes
        All filters share one colour scale, symmetric about zero: blue
        weights add to the output where the input is bright, red ones subtract.
    """
    weights = np.asarray(kernel, dtype=np.float64)
    if weights.ndim == 4 and weights.shape[2] == 1:
        weights = weights[:, :, 0, :]
    if weights.ndim != 3:
        raise ValueError(
            f"kernel must have shape (height, width, 1, filters) or "
            f"(height, width, filters), got shape {np.shape(kernel)}"
        )
    n = weights.shape[2]
    columns = min(check_int("ncols", ncols), n)
    limit = symmetric_limit(weights)
    with figure_style():
        fig, axes = axes_grid(n, columns, 1.0, margin=(1.0, 0.6))
        for i, ax in zip(range(n), axes.flat):
            image = ax.imshow(weights[:, :, i], cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
            ax.set_title(f"filter {i}", fontsize=8)
        fig.colorbar(image, ax=axes, label="weight", shrink=0.8)
    return fig, axes


def plot_feature_maps(
    maps: Any, n: int = 16, ncols: int | None = None, title: str | None = None
) -> tuple[Figure, np.ndarray]:
    """Draw feature maps side by side on one colour scale.

    The scale is shared by every panel, so equal colours mean equal numbers
    even where the maps have different sizes.  If any value is negative it
    is :data:`~cnn_lesson.style.SIGNED_CMAP`, symmetric about zero (white is
    0); otherwise it runs from 0 to the largest value.

    Parameters
    ----------
    maps
        Either one image's output of a convolution or pooling layer, an
        array of shape (height, width, channels), whose channels are drawn
        as "map 0", "map 1", ... from dark (0) to bright
        (:data:`~cnn_lesson.style.ACTIVATION_CMAP`) when none is negative;
        or a dict of titles to 2-D maps (a trailing channel of 1 is
        dropped), e.g. one map before and after pooling, each titled with
        its shape and drawn from white (0) to blue
        (:data:`~cnn_lesson.style.POSITIVE_CMAP`) when none is negative.
    n
        At most how many maps to draw (the first ``n``).
    ncols
        Panels per row; by default all in one row, up to 8.
    title
        Written above the grid; for an array, followed by its shape.

    Returns
    -------
    fig, axes
        A 2-D array of axes, row by row; unused panels are blank.
    """
    count = check_int("n", n)
    if isinstance(maps, Mapping):
        grids = dict(list(named_arrays(maps, "maps", as_grid, "2-D arrays").items())[:count])
        titles = [f"{name}\n{shape_text(grid.shape)}" for name, grid in grids.items()]
        positive, label = POSITIVE_CMAP, "value"
        heading = title
    elif hasattr(maps, "shape"):
        values = np.asarray(maps, dtype=np.float64)
        if values.ndim != 3:
            raise ValueError(
                f"maps must have shape (height, width, channels) for one image, "
                f"got shape {values.shape}"
            )
        grids = {f"map {i}": values[:, :, i] for i in range(min(count, values.shape[2]))}
        titles = list(grids)
        positive, label = ACTIVATION_CMAP, "activation"
        heading = None if title is None else f"{title} ({'×'.join(map(str, values.shape))})"
    else:
        raise TypeError(
            "maps must be a dict of titles to 2-D arrays or an array (height, width, "
            f"channels), got {type(maps).__name__}"
        )
    columns = min(len(grids), 8) if ncols is None else min(check_int("ncols", ncols), len(grids))
    limit = symmetric_limit(*grids.values())
    signed = any(grid.min() < 0 for grid in grids.values())
    cmap, low = (SIGNED_CMAP, -limit) if signed else (positive, 0.0)
    with figure_style():
        panel = min(1.85, (PAGE_WIDTH - 0.9) / columns)
        fig, axes = axes_grid(len(grids), columns, panel, title_room=0.2, margin=(0.9, 0.2),
                              layout="constrained")
        for ax, text, grid in zip(axes.flat, titles, grids.values()):
            shown = ax.imshow(grid, cmap=cmap, vmin=low, vmax=limit)
            ax.set_title(text, fontsize=10 if columns <= 4 else 8)
        fig.colorbar(shown, ax=axes, fraction=0.04, pad=0.03, label=label)
        if heading is not None:
            fig.suptitle(heading)
    return fig, axes


def plot_occlusion(
    images: Any, maps: Any, titles: Sequence[str] | None = None
) -> tuple[Figure, np.ndarray]:
    """Draw digits (top row) above their occlusion maps (bottom row).

    Parameters
    ----------
    images
        Shape (n, height, width) or (n, height, width, 1).
    maps
        What :func:`occlusion_map` returned for each image: (n, height, width).
    titles
        One title per column, e.g. "7, p = 0.99".

    Returns
    -------
    fig, axes
        Axes of shape (2, n).  The maps share a colour scale symmetric about
        zero, and the outline of each digit is drawn over its map.
    """
    pictures = as_images(images)
    heat = np.asarray(maps, dtype=np.float64)
    if heat.shape != pictures.shape:
        raise ValueError(
            f"maps must have the shape of images without a channel axis, "
            f"{pictures.shape}, got {heat.shape}"
        )
    n = len(pictures)
    if titles is not None and (isinstance(titles, str) or len(titles) != n):
        raise ValueError(f"titles must be a list of {n} strings, got {titles!r}")
    limit = symmetric_limit(heat)
    with figure_style():
        fig, axes = plt.subplots(2, n, figsize=(2.0 * n + 1.4, 4.4), squeeze=False)
        for i in range(n):
            top, bottom = axes[0, i], axes[1, i]
            top.imshow(pictures[i], cmap=IMAGE_CMAP)
            if titles is not None:
                top.set_title(titles[i], fontsize=10)
            image = bottom.imshow(heat[i], cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
            bottom.contour(
                pictures[i], levels=[0.5 * float(pictures[i].max() or 1)],
                colors=OKABE_ITO["black"], linewidths=0.6,
            )
            top.set_axis_off()
            bottom.set_axis_off()
        fig.colorbar(image, ax=axes, label="drop in probability", shrink=0.45, anchor=(0, 0.05))
    return fig, axes


def plot_confident_mistakes(
    images: Any, labels: Any, probabilities: Any, n: int = 10, ncols: int = 5
) -> tuple[Figure, np.ndarray]:
    """Show the most confidently wrong predictions, titled "true → predicted (p)".

    Parameters
    ----------
    images, labels
        The images, shape (samples, height, width) or (samples, height,
        width, 1), and their true labels (ints).
    probabilities
        The model's output for the images, (samples, classes).
    n, ncols
        How many mistakes to show, and how many per row.

    Returns
    -------
    fig, axes
    """
    pictures = as_images(images)
    probs = np.asarray(probabilities, dtype=np.float64)
    if len(probs) != len(pictures):
        raise ValueError(
            f"probabilities must have one row per image ({len(pictures)}), "
            f"got shape {probs.shape}"
        )
    chosen = most_confident_mistakes(probs, labels, n)
    if len(chosen) == 0:
        raise ValueError("there are no wrong predictions to show")
    true = np.asarray(labels)
    columns = min(check_int("ncols", ncols), len(chosen))
    with figure_style():
        fig, axes = axes_grid(len(chosen), columns, 1.5, margin=(1.0, 0.6))
        for index, ax in zip(chosen, axes.flat):
            guess = int(probs[index].argmax())
            ax.imshow(pictures[index], cmap=IMAGE_CMAP)
            ax.set_title(
                f"{true[index]} → {guess} ({probs[index, guess]:.2f})",
                color=OKABE_ITO["vermillion"], fontsize=9,
            )
    return fig, axes
