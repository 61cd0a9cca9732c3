"""NumPy reference versions of the layers the lessons teach.

Each function computes, with plain NumPy, what the Keras layer of the same
name computes, so a learner can read the arithmetic and check it against
Keras.  Images are channels-last, as in Keras: ``(height, width, channels)``
for one image or ``(batch, height, width, channels)`` for several; a 2-D
``(height, width)`` image is accepted where a single grey image is natural.

Output sizes come from :mod:`cnn_lesson.shapes`, the one home of the formula.
"""

from __future__ import annotations

from numbers import Integral
from typing import Union

import numpy as np

from .shapes import conv_output_size, pool_output_size, same_padding
from .validate import Padding, as_batch, check_padding, pair

Size2 = Union[int, tuple[int, int]]


def _restore(out: np.ndarray, rank: int) -> np.ndarray:
    if rank == 2:
        return out[0, :, :, 0]
    if rank == 3:
        return out[0]
    return out


def _pad_widths(
    shape: tuple[int, int], window: tuple[int, int], stride: tuple[int, int], padding: Padding
) -> list[tuple[int, int]]:
    if padding == "valid":
        return [(0, 0), (0, 0)]
    if padding == "same":
        return [same_padding(n, k, s) for n, k, s in zip(shape, window, stride)]
    return [(padding, padding), (padding, padding)]


def _windows(x: np.ndarray, window: tuple[int, int], stride: tuple[int, int]) -> np.ndarray:
    """All windows of a padded batch: shape (batch, out_h, out_w, channels, kh, kw)."""
    views = np.lib.stride_tricks.sliding_window_view(x, window, axis=(1, 2))
    return views[:, :: stride[0], :: stride[1]]


def conv2d(
    x: object,
    kernel: object,
    bias: object | None = None,
    stride: Size2 = 1,
    padding: Padding = "valid",
) -> np.ndarray:
    """Two-dimensional convolution (cross-correlation, as in Keras's ``Conv2D``).

    Parameters
    ----------
    x
        Image(s): (height, width), (height, width, channels) or
        (batch, height, width, channels).
    kernel
        Weights of shape (kh, kw, in_channels, filters), Keras's layout; a
        2-D (kh, kw) kernel is one filter for a single-channel image.
    bias
        One number per filter, added to its feature map; zero by default.
    stride
        Step between kernel positions: an int or (rows, columns).
    padding
        ``"valid"``, ``"same"`` or an int of zero pixels on each side.

    Returns
    -------
    numpy.ndarray
        Feature maps of shape (out_h, out_w, filters), with the batch axis if
        ``x`` had one; a 2-D image with a 2-D kernel gives a 2-D map.  No
        activation is applied (apply :func:`relu` for ``activation="relu"``).
    """
    batch, rank = as_batch(x)
    weights = np.asarray(kernel, dtype=np.float64)
    if weights.ndim == 2:
        weights = weights[:, :, np.newaxis, np.newaxis]
    elif weights.ndim != 4:
        raise ValueError(
            f"kernel must have shape (kh, kw, in_channels, filters) or (kh, kw), "
            f"got shape {np.shape(kernel)}"
        )
    if weights.shape[2] != batch.shape[-1]:
        raise ValueError(
            f"kernel has {weights.shape[2]} input channels but x has {batch.shape[-1]}"
        )
    filters = weights.shape[3]
    shift = np.zeros(filters) if bias is None else np.asarray(bias, dtype=np.float64)
    if shift.shape != (filters,):
        raise ValueError(f"bias must have shape ({filters},), one per filter, got {shift.shape}")
    window = (weights.shape[0], weights.shape[1])
    steps = pair("stride", stride)
    pad = check_padding(padding)
    for n, k, s in zip(batch.shape[1:3], window, steps):
        conv_output_size(n, k, s, pad)  # raises a clear error for impossible sizes
    padded = np.pad(batch, [(0, 0), *_pad_widths(batch.shape[1:3], window, steps, pad), (0, 0)])
    patches = _windows(padded, window, steps)  # (b, oh, ow, c, kh, kw)
    out = np.einsum("bhwcij,ijcf->bhwf", patches, weights) + shift
    if rank == 4:
        return out
    if rank == 2 and weights.shape[3] == 1 and np.ndim(kernel) == 2:
        return out[0, :, :, 0]
    return out[0]


def _pool(
    x: object, pool_size: Size2, stride: Size2 | None, padding: Padding, reduce: str
) -> np.ndarray:
    batch, rank = as_batch(x)
    window = pair("pool_size", pool_size)
    steps = window if stride is None else pair("stride", stride)
    pad = check_padding(padding)
    for n, k, s in zip(batch.shape[1:3], window, steps):
        pool_output_size(n, k, s, pad)  # raises a clear error for impossible sizes
    widths = [(0, 0), *_pad_widths(batch.shape[1:3], window, steps, pad), (0, 0)]
    if reduce == "max":
        padded = np.pad(batch, widths, constant_values=-np.inf)
        out = _windows(padded, window, steps).max(axis=(-2, -1))
    else:
        # Keras averages over the real pixels of each window only, not the padding.
        padded = np.pad(batch, widths)
        ones = np.pad(np.ones_like(batch[..., :1]), widths)
        total = _windows(padded, window, steps).sum(axis=(-2, -1))
        count = _windows(ones, window, steps).sum(axis=(-2, -1))
        out = total / count
    return _restore(out, rank)


def max_pool2d(
    x: object, pool_size: Size2 = 2, stride: Size2 | None = None, padding: Padding = "valid"
) -> np.ndarray:
    """Max pooling, as Keras's ``MaxPooling2D``: the largest value of each window.

    ``stride=None`` means the pool size.  Shapes as in :func:`conv2d`; each
    channel is pooled on its own, so the number of channels is unchanged.
    """
    return _pool(x, pool_size, stride, padding, "max")


def average_pool2d(
    x: object, pool_size: Size2 = 2, stride: Size2 | None = None, padding: Padding = "valid"
) -> np.ndarray:
    """Average pooling, as Keras's ``AveragePooling2D``: the mean of each window.

    With ``"same"`` padding, windows at the border average only the pixels
    that lie inside the image, as Keras does.
    """
    return _pool(x, pool_size, stride, padding, "average")


def relu(x: object) -> np.ndarray:
    """Rectified linear unit: negative values become 0, the rest pass unchanged."""
    batch = np.asarray(x, dtype=np.float64)
    return np.maximum(batch, 0.0)


def softmax(z: object, axis: int = -1) -> np.ndarray:
    """Turn scores into probabilities that are positive and sum to 1 along ``axis``.

    ``exp(z) / sum(exp(z))``, computed after subtracting the maximum so that
    large scores do not overflow.
    """
    scores = np.asarray(z, dtype=np.float64)
    if scores.ndim == 0:
        raise ValueError(f"z must have at least one axis, got the scalar {z!r}")
    shifted = np.exp(scores - scores.max(axis=axis, keepdims=True))
    return shifted / shifted.sum(axis=axis, keepdims=True)


def flatten(x: object) -> np.ndarray:
    """Keep the first (batch) axis and line everything else up: (batch, features)."""
    array = np.asarray(x)
    if array.ndim < 2:
        raise ValueError(f"x must have a batch axis and at least one more, got shape {array.shape}")
    return array.reshape(array.shape[0], -1)


def dense(x: object, weights: object, bias: object | None = None) -> np.ndarray:
    """A fully connected layer without activation: ``x @ weights + bias``.

    ``weights`` has Keras's layout (inputs, units); ``x`` is (inputs,) or
    (batch, inputs).
    """
    inputs = np.asarray(x, dtype=np.float64)
    matrix = np.asarray(weights, dtype=np.float64)
    if matrix.ndim != 2:
        raise ValueError(f"weights must have shape (inputs, units), got shape {matrix.shape}")
    if inputs.shape[-1:] != matrix.shape[:1]:
        raise ValueError(
            f"x has {inputs.shape[-1:] or 'no'} features per sample but weights expect "
            f"{matrix.shape[0]} (x shape {inputs.shape}, weights shape {matrix.shape})"
        )
    shift = np.zeros(matrix.shape[1]) if bias is None else np.asarray(bias, dtype=np.float64)
    if shift.shape != (matrix.shape[1],):
        raise ValueError(f"bias must have shape ({matrix.shape[1]},), got {shift.shape}")
    return inputs @ matrix + shift


def dropout(
    x: object, rate: float, training: bool, rng: np.random.Generator | int | None = None
) -> np.ndarray:
    """Dropout as Keras does it ("inverted" dropout).

    In training, each value is set to 0 with probability ``rate`` and the
    survivors are multiplied by ``1 / (1 - rate)``, so the expected sum is
    unchanged.  At inference (``training=False``) the input passes unchanged.
    """
    if isinstance(rate, bool) or not isinstance(rate, (int, float, np.floating, Integral)):
        raise TypeError(f"rate must be a number, got {rate!r} ({type(rate).__name__})")
    if not 0 <= rate < 1:
        raise ValueError(f"rate must be at least 0 and below 1, got {rate!r}")
    if not isinstance(training, (bool, np.bool_)):
        raise TypeError(f"training must be True or False, got {training!r}")
    values = np.asarray(x, dtype=np.float64)
    if not training or rate == 0:
        return values.copy()
    keep = np.random.default_rng(rng).random(values.shape) >= rate
    return np.where(keep, values / (1.0 - rate), 0.0)
