"""Output-size formulas: worked examples, bad input, and agreement with Keras."""

from __future__ import annotations

import itertools
import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnn_lesson.shapes import conv_output_size, pool_output_size

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
keras = pytest.importorskip("keras")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((28, 5), 24),  # the MNIST exercise's Conv2D
        ((28, 3, 1, "same"), 28),
        ((28, 3, 2, "same"), 14),
        ((27, 3, 2, "same"), 14),
        ((5, 3, 1, 1), 5),  # one pixel of zeros keeps a 3x3 kernel's output size
        ((7, 3, 2, 0), 3),
        ((224, 3), 222),
        ((6, 6), 1),  # kernel as large as the input: one position
    ],
)
def test_conv_output_size_examples(args, expected):
    assert conv_output_size(*args) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((24,), 12),  # the MNIST exercise's MaxPooling2D
        ((24, 2, 2), 12),
        ((5, 2), 2),  # the odd last row is dropped by "valid"
        ((5, 2, None, "same"), 3),
        ((7, 3, 1), 5),
        ((4, 2, 1, 1), 5),
    ],
)
def test_pool_output_size_examples(args, expected):
    assert pool_output_size(*args) == expected


def test_padding_words_ignore_case_like_keras():
    assert conv_output_size(10, 3, padding="SAME") == 10
    assert pool_output_size(10, 3, padding="Valid") == 3


BAD_CONV = [
    # (kwargs, exception, words the message must contain)
    ({"input_size": True}, TypeError, ["input_size", "True"]),
    ({"input_size": 28.0}, TypeError, ["input_size", "28.0"]),
    ({"input_size": "28"}, TypeError, ["input_size", "'28'"]),
    ({"input_size": 0}, ValueError, ["input_size", "0"]),
    ({"kernel_size": -3}, ValueError, ["kernel_size", "-3"]),
    ({"kernel_size": (5, 5)}, TypeError, ["kernel_size", "(5, 5)"]),
    ({"kernel_size": False}, TypeError, ["kernel_size", "False"]),
    ({"stride": 0}, ValueError, ["stride", "0"]),
    ({"stride": 1.5}, TypeError, ["stride", "1.5"]),
    ({"padding": -1}, ValueError, ["padding", "-1"]),
    ({"padding": "full"}, ValueError, ["padding", "'full'"]),
    ({"padding": None}, TypeError, ["padding", "None"]),
    ({"padding": True}, TypeError, ["padding", "True"]),
    ({"padding": 1.0}, TypeError, ["padding", "1.0"]),
    ({"input_size": 4, "kernel_size": 5}, ValueError, ["kernel_size=5", "input_size=4"]),
    ({"input_size": 3, "kernel_size": 6, "padding": 1}, ValueError, ["kernel_size=6", "5 pixels"]),
]


@pytest.mark.parametrize(("kwargs", "error", "words"), BAD_CONV)
def test_conv_output_size_rejects_bad_input(kwargs, error, words):
    arguments = {"input_size": 28, "kernel_size": 5, "stride": 1, "padding": "valid", **kwargs}
    with pytest.raises(error) as raised:
        conv_output_size(**arguments)
    for word in words:
        assert word in str(raised.value)


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"pool_size": 0}, ValueError, ["pool_size", "0"]),
        ({"pool_size": 2.0}, TypeError, ["pool_size", "2.0"]),
        ({"pool_size": True}, TypeError, ["pool_size", "True"]),
        ({"stride": 0}, ValueError, ["stride", "0"]),
        ({"stride": True}, TypeError, ["stride", "True"]),
        ({"padding": "causal"}, ValueError, ["padding", "'causal'"]),
        ({"input_size": 1, "pool_size": 2}, ValueError, ["pool_size=2", "input_size=1"]),
        ({"input_size": -1}, ValueError, ["input_size", "-1"]),
    ],
)
def test_pool_output_size_rejects_bad_input(kwargs, error, words):
    arguments = {"input_size": 28, "pool_size": 2, "stride": None, "padding": "valid", **kwargs}
    with pytest.raises(error) as raised:
        pool_output_size(**arguments)
    for word in words:
        assert word in str(raised.value)


def test_numpy_integers_are_accepted():
    assert conv_output_size(np.int64(28), np.int32(5)) == 24


# --- Agreement with Keras ---------------------------------------------------
# The layers are run on real inputs: the height of Keras's output is compared
# with the formula.  The width (7 pixels, window 1, stride 1) stays fixed.

SIZES = range(1, 13)
WINDOWS = range(1, 7)
STRIDES = range(1, 5)


def _keras_height(layer, n: int, channels: int = 1) -> int | None:
    """Height of ``layer``'s output for an input of height ``n``, or None if Keras refuses."""
    inputs = np.zeros((1, n, 7, channels), dtype="float32")
    try:
        height = int(layer(inputs).shape[1])
    except Exception:  # Keras raises ValueError, TensorFlow's kernels their own errors
        return None
    return height if height > 0 else None


def _ours(function, *args) -> int | None:
    try:
        return function(*args)
    except ValueError:
        return None


@pytest.mark.parametrize("padding", ["valid", "same"])
def test_conv_output_size_agrees_with_keras_conv2d(padding):
    for n, k, s in itertools.product(SIZES, WINDOWS, STRIDES):
        layer = keras.layers.Conv2D(1, (k, 1), strides=(s, 1), padding=padding)
        assert _ours(conv_output_size, n, k, s, padding) == _keras_height(layer, n), (n, k, s)


@pytest.mark.parametrize("layer_class", ["MaxPooling2D", "AveragePooling2D"])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_pool_output_size_agrees_with_keras_pooling(layer_class, padding):
    pool = getattr(keras.layers, layer_class)
    for n, k, s in itertools.product(SIZES, WINDOWS, [None, *STRIDES]):
        layer = pool((k, 1), strides=None if s is None else (s, 1), padding=padding)
        assert _ours(pool_output_size, n, k, s, padding) == _keras_height(layer, n), (n, k, s)


def test_int_padding_agrees_with_keras_zero_padding_then_conv2d():
    for n, k, s, p in itertools.product(range(1, 9), range(1, 6), range(1, 4), range(0, 3)):
        layer = keras.Sequential(
            [keras.layers.ZeroPadding2D(((p, p), (0, 0))), keras.layers.Conv2D(1, (k, 1), strides=(s, 1))]
        )
        assert _ours(conv_output_size, n, k, s, p) == _keras_height(layer, n), (n, k, s, p)


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(1, 300),
    k=st.integers(1, 15),
    s=st.integers(1, 8),
    padding=st.sampled_from(["valid", "same"]),
)
def test_formula_agrees_with_keras_shape_inference_on_large_inputs(n, k, s, padding):
    conv = keras.layers.Conv2D(4, (k, k), strides=(s, s), padding=padding)
    pool = keras.layers.MaxPooling2D((k, k), strides=(s, s), padding=padding)
    for ours, layer in ((conv_output_size, conv), (pool_output_size, pool)):
        expected = _ours(ours, n, k, s, padding)
        try:
            keras_size = layer.compute_output_shape((None, n, n, 3))[1]
        except ValueError:
            keras_size = None
        if keras_size is not None and keras_size <= 0:
            keras_size = None
        assert expected == keras_size, (ours.__name__, n, k, s, padding)
