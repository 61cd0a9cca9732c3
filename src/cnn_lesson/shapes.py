"""Output sizes of convolution and pooling layers.

One formula serves both.  For ``padding`` given as an int ``p`` (zero pixels
added on each side) an input of ``n`` pixels, a window of ``k`` and a stride
of ``s`` give::

    floor((n + 2p - k) / s) + 1

``"valid"`` is ``p = 0``; ``"same"`` pads just enough that the output is
``ceil(n / s)`` pixels, whatever the window.  These agree with Keras's
``Conv2D``, ``MaxPooling2D`` and ``AveragePooling2D`` along each axis.
"""

from __future__ import annotations

import math
from numbers import Integral
from typing import Union

Padding = Union[str, int]

PADDING_WORDS = ("valid", "same")


def _check_int(name: str, value: object, minimum: int) -> int:
    """Return ``value`` as an int, or raise naming ``name`` and the value."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be an int, got {value!r} ({type(value).__name__})")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value!r}")
    return int(value)


def _check_padding(padding: object) -> Padding:
    """Return ``"valid"``, ``"same"`` or a non-negative int of zero pixels."""
    if isinstance(padding, str):
        word = padding.lower()
        if word not in PADDING_WORDS:
            raise ValueError(
                f"padding must be 'valid', 'same' or a non-negative int, got {padding!r}"
            )
        return word
    if isinstance(padding, bool) or not isinstance(padding, Integral):
        raise TypeError(
            f"padding must be 'valid', 'same' or a non-negative int, "
            f"got {padding!r} ({type(padding).__name__})"
        )
    return _check_int("padding", padding, 0)


def _window_output_size(
    input_size: object, window: object, stride: object, padding: object, window_name: str
) -> int:
    n = _check_int("input_size", input_size, 1)
    k = _check_int(window_name, window, 1)
    s = _check_int("stride", stride, 1)
    pad = _check_padding(padding)
    if pad == "same":
        return math.ceil(n / s)
    p = 0 if pad == "valid" else pad
    if k > n + 2 * p:
        raise ValueError(
            f"{window_name}={k} is larger than the padded input "
            f"(input_size={n} with padding={padding!r} gives {n + 2 * p} pixels)"
        )
    return (n + 2 * p - k) // s + 1


def conv_output_size(
    input_size: int, kernel_size: int, stride: int = 1, padding: Padding = "valid"
) -> int:
    """Size of a convolution's output along one axis.

    Parameters
    ----------
    input_size
        Pixels of the input along the axis (at least 1).
    kernel_size
        Pixels of the kernel along the axis (at least 1).
    stride
        Step between kernel positions (at least 1).
    padding
        ``"valid"`` (no padding), ``"same"`` (output ``ceil(n / stride)``) or
        a non-negative int of zero pixels added on each side.

    Returns
    -------
    int
        ``floor((n + 2p - k) / s) + 1``, or ``ceil(n / s)`` for ``"same"``.

    Raises
    ------
    TypeError
        If a size is not an int (``bool`` included) or ``padding`` is neither
        a string nor an int.
    ValueError
        If a size or stride is below 1, ``padding`` is negative or an unknown
        word, or the kernel is larger than the padded input.

    Examples
    --------
    >>> conv_output_size(28, 5)
    24
    >>> conv_output_size(28, 3, stride=2, padding="same")
    14
    """
    return _window_output_size(input_size, kernel_size, stride, padding, "kernel_size")


def pool_output_size(
    input_size: int, pool_size: int = 2, stride: int | None = None, padding: Padding = "valid"
) -> int:
    """Size of a pooling layer's output along one axis.

    ``stride=None`` means the pool size, as in Keras.  Everything else is as
    in :func:`conv_output_size`, with ``pool_size`` in place of the kernel.

    Examples
    --------
    >>> pool_output_size(24)
    12
    >>> pool_output_size(5, 2, padding="same")
    3
    """
    if stride is None:
        stride = pool_size
        # Name the argument the caller gave if the pool size is what is wrong.
        _check_int("pool_size", pool_size, 1)
    return _window_output_size(input_size, pool_size, stride, padding, "pool_size")
