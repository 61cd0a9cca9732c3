"""Input checks shared by the whole package: one home for each kind of argument.

Each function takes an argument as a learner may pass it (a list, a NumPy
array, a Keras object) and returns it in the form the package computes
with, or raises ``TypeError`` (wrong kind of thing) or ``ValueError`` (right
kind, impossible value) with a message that names the argument and what it
got.  Every other module checks its input with these.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from numbers import Integral
from typing import Any, Union

import numpy as np

#: Padding of a convolution or pooling window: a word or zero pixels per side.
Padding = Union[str, int]

#: The padding words Keras accepts (in any case).
PADDING_WORDS = ("valid", "same")


def check_int(name: str, value: object, minimum: int | None = 1) -> int:
    """``value`` as an int of at least ``minimum`` (no lower limit if ``None``).

    ``bool`` is refused although Python counts it as an int; NumPy integers
    are accepted.
    """
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be an integer, got {value!r} ({type(value).__name__})")
    if minimum is not None and value < minimum:
        limit = "non-negative" if minimum == 0 else f"at least {minimum}"
        raise ValueError(f"{name} must be {limit}, got {value!r}")
    return int(value)


def check_index(name: str, value: object, largest: int, why: str) -> int:
    """An int from 0 to ``largest``; ``why`` explains the upper limit in the error."""
    index = check_int(name, value, minimum=None)
    if not 0 <= index <= largest:
        raise ValueError(f"{name} must be from 0 to {largest} ({why}), got {value!r}")
    return index


def check_padding(padding: object) -> Padding:
    """``"valid"``, ``"same"`` (any case) or a non-negative int of zero pixels."""
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
    return check_int("padding", padding, 0)


def pair(name: str, value: object) -> tuple[int, int]:
    """An int or a pair of ints (rows, columns), each at least 1, as a pair."""
    if isinstance(value, tuple):
        if len(value) != 2:
            raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")
        return check_int(name, value[0]), check_int(name, value[1])
    size = check_int(name, value)
    return size, size


def as_numbers(values: Any, name: str, kind: str = "an array") -> np.ndarray:
    """``values`` as a NumPy array of numbers (or booleans), any shape.

    ``kind`` says in the error what was expected, e.g. ``"a 2-D array"``.
    """
    if values is None or isinstance(values, (str, bytes)):
        raise TypeError(f"{name} must be {kind} of numbers, got {type(values).__name__}")
    array = np.asarray(values)
    if not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise TypeError(f"{name} must hold numbers, got dtype {array.dtype}")
    return array


def _finite(array: np.ndarray, name: str) -> np.ndarray:
    """``array`` as floats, refusing NaN and infinity."""
    array = array.astype(np.float64)
    if not np.isfinite(array).all():
        raise ValueError(f"{name} must hold finite numbers, got NaN or infinity")
    return array


def as_grid(values: Any, name: str) -> np.ndarray:
    """A non-empty 2-D float array of finite numbers (a trailing channel of 1 is dropped)."""
    array = as_numbers(values, name, "a 2-D array")
    if array.ndim == 3 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim != 2 or 0 in array.shape:
        raise ValueError(
            f"{name} must be a non-empty 2-D array (height, width), got shape {array.shape}"
        )
    return _finite(array, name)


def as_vector(values: Any, name: str) -> np.ndarray:
    """A non-empty 1-D float array of finite numbers."""
    array = as_numbers(values, name, "a 1-D array")
    if array.ndim != 1 or len(array) == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array, got shape {array.shape}")
    return _finite(array, name)


def named_arrays(
    mapping: Any, name: str, convert: Callable[[Any, str], np.ndarray], what: str
) -> dict[str, np.ndarray]:
    """A non-empty dict of titles to arrays, each checked by ``convert``.

    ``what`` names the arrays in the error, e.g. ``"2-D arrays"``; each one is
    named ``name['title']`` in the errors of ``convert``.
    """
    if not isinstance(mapping, Mapping):
        raise TypeError(
            f"{name} must be a dict of titles to {what}, got {type(mapping).__name__}"
        )
    if not mapping:
        raise ValueError(f"{name} is empty: there is nothing to draw")
    return {str(title): convert(values, f"{name}[{title!r}]")
            for title, values in mapping.items()}


def as_image(image: Any, name: str = "image") -> np.ndarray:
    """One image as a float32 array of shape (height, width, channels)."""
    array = as_numbers(image, name)
    if array.ndim == 2:
        array = array[:, :, np.newaxis]
    if array.ndim != 3:
        raise ValueError(
            f"{name} must be one image of shape (height, width) or "
            f"(height, width, channels), got shape {array.shape}"
        )
    return array.astype(np.float32)


def as_images(images: Any, name: str = "images") -> np.ndarray:
    """A non-empty stack of 2-D images (n, height, width); a trailing channel of 1 is dropped."""
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


def as_batch(x: Any, name: str = "x") -> tuple[np.ndarray, int]:
    """``x`` as floats of shape (batch, height, width, channels), and its own rank.

    A 2-D ``x`` is one grey image and a 3-D one one image with channels.
    """
    array = as_numbers(x, name)
    rank = array.ndim
    if rank == 2:
        array = array[np.newaxis, :, :, np.newaxis]
    elif rank == 3:
        array = array[np.newaxis]
    elif rank != 4:
        raise ValueError(
            f"{name} must have shape (height, width), (height, width, channels) or "
            f"(batch, height, width, channels), got shape {array.shape}"
        )
    return array.astype(np.float64), rank


def as_labels(labels: Any, n: int, name: str) -> np.ndarray:
    """Integer class labels, one per image; one-hot or probability rows become ``argmax``."""
    array = np.asarray(labels)
    if array.ndim == 2:
        array = array.argmax(axis=1)
    if array.ndim != 1 or len(array) != n:
        raise ValueError(
            f"{name} must hold one label per image ({n}), got shape {np.asarray(labels).shape}"
        )
    return array.astype(int)


def per_image_ints(name: str, value: object, n: int) -> np.ndarray:
    """One int per image, from one int for all or a 1-D array of ``n`` ints."""
    wanted = f"{name} must be an int or an array of ints, got"
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{wanted} {value!r}")
    if isinstance(value, Integral):
        return np.full(n, int(value), dtype=np.int64)
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{wanted} {value!r} ({type(value).__name__})")
    array = np.asarray(value)
    if array.ndim == 0 and not np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"{wanted} {value!r} ({type(value).__name__})")
    if array.dtype == bool or not np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"{wanted} an array of dtype {array.dtype}")
    if array.shape != (n,):
        raise ValueError(
            f"{name} must be one int or one int per image ({n}), got shape {array.shape}"
        )
    return array.astype(np.int64)


def history_dict(history: Any) -> Mapping[str, Sequence[float]]:
    """The per-epoch metrics of a Keras ``History``, or that ``.history`` dict itself."""
    record = getattr(history, "history", history)
    if not isinstance(record, Mapping):
        raise TypeError(
            "history must be a keras.callbacks.History or a dict of per-epoch "
            f"metrics, got {type(history).__name__}"
        )
    return record


def named_vectors(mapping: Any, name: str) -> dict[str, np.ndarray]:
    """A non-empty dict of titles to 1-D float arrays, all of one length."""
    vectors = named_arrays(mapping, name, as_vector, "1-D arrays")
    lengths = {len(v) for v in vectors.values()}
    if len(lengths) != 1:
        found = {title: len(v) for title, v in vectors.items()}
        raise ValueError(f"{name} must all have the same length, got lengths {found}")
    return vectors
