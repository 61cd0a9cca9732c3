"""Simple changes to images, for testing how robust a model is.

Images are NumPy arrays of shape ``(n, height, width)`` or
``(n, height, width, channels)``, as MNIST is loaded and as Keras takes it.
"""

from __future__ import annotations

import numpy as np

from .validate import as_numbers, per_image_ints


def shift_images(images: np.ndarray, dy: int | np.ndarray, dx: int | np.ndarray) -> np.ndarray:
    """Move every image ``dy`` pixels down and ``dx`` pixels right, filling in zeros.

    Parameters
    ----------
    images
        Array of shape (n, height, width) or (n, height, width, channels).
    dy, dx
        Pixels to move down (negative: up) and right (negative: left): one
        int for all images, or a 1-D array with one int per image.  What
        moves past the border is lost; a shift as large as the image leaves
        it blank.

    Returns
    -------
    numpy.ndarray
        A new array of the same shape and dtype as ``images``.

    Raises
    ------
    TypeError
        If ``images`` is not a numeric array or a shift is not an int or an
        array of ints.
    ValueError
        If ``images`` has the wrong number of axes or a shift array does not
        hold one int per image.

    Examples
    --------
    >>> shift_images(np.array([[[1, 2], [3, 4]]]), 0, 1)
    array([[[0, 1],
            [0, 3]]])
    """
    array = as_numbers(images, "images")
    if array.ndim not in (3, 4):
        raise ValueError(
            "images must have shape (n, height, width) or (n, height, width, channels), "
            f"got shape {array.shape}"
        )
    n, height, width = array.shape[:3]
    down = per_image_ints("dy", dy, n)
    right = per_image_ints("dx", dx, n)
    out = np.zeros_like(array)
    if n == 0:
        return out
    for sy, sx in np.unique(np.stack([down, right], axis=1), axis=0):
        if abs(sy) >= height or abs(sx) >= width:
            continue  # moved entirely out of the frame: stays blank
        chosen = np.flatnonzero((down == sy) & (right == sx))
        source = array[chosen, max(-sy, 0) : height - max(sy, 0), max(-sx, 0) : width - max(sx, 0)]
        out[chosen, max(sy, 0) : height - max(-sy, 0), max(sx, 0) : width - max(-sx, 0)] = source
    return out
