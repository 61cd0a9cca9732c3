"""NumPy reference layers against Keras's own layers, and their input checks."""

from __future__ import annotations

import itertools
import os

import numpy as np
import pytest

from cnn_lesson.layers import (
    average_pool2d,
    conv2d,
    dense,
    dropout,
    flatten,
    max_pool2d,
    relu,
    softmax,
)

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
keras = pytest.importorskip("keras")

TOLERANCE = 1e-5


def test_conv2d_by_hand_on_a_small_grid():
    image = np.arange(16).reshape(4, 4)
    kernel = np.array([[1, 0], [0, -1]])
    # each output is top-left minus bottom-right of its 2x2 window: always -5
    np.testing.assert_array_equal(conv2d(image, kernel), np.full((3, 3), -5.0))
    np.testing.assert_array_equal(conv2d(image, kernel, stride=2), np.full((2, 2), -5.0))
    assert conv2d(image, kernel, padding=1).shape == (5, 5)
    assert conv2d(image, kernel, padding="same").shape == (4, 4)


@pytest.mark.parametrize(
    ("height", "width", "channels", "filters", "kernel", "stride", "padding"),
    [
        (28, 28, 1, 10, (5, 5), 1, "valid"),
        (9, 11, 3, 4, (3, 3), 1, "same"),
        (9, 11, 3, 4, (3, 2), (2, 1), "same"),
        (10, 10, 2, 3, (4, 4), 2, "same"),
        (8, 7, 3, 5, (3, 3), 3, "valid"),
        (7, 7, 1, 1, (7, 7), 1, "valid"),
        (6, 6, 4, 2, (2, 3), (1, 2), "same"),
    ],
)
def test_conv2d_equals_keras_conv2d(height, width, channels, filters, kernel, stride, padding):
    rng = np.random.default_rng(height * width + filters)
    x = rng.normal(size=(2, height, width, channels)).astype("float32")
    layer = keras.layers.Conv2D(filters, kernel, strides=stride, padding=padding)
    expected = keras.ops.convert_to_numpy(layer(x))
    weights, bias = layer.get_weights()
    bias = rng.normal(size=bias.shape).astype("float32")
    layer.set_weights([weights, bias])
    expected = keras.ops.convert_to_numpy(layer(x))
    ours = conv2d(x, weights, bias, stride=stride, padding=padding)
    assert ours.shape == expected.shape
    assert np.abs(ours - expected).max() < TOLERANCE
    # one image without the batch axis gives the same maps
    assert np.abs(conv2d(x[0], weights, bias, stride, padding) - expected[0]).max() < TOLERANCE


def test_conv2d_int_padding_equals_keras_zero_padding_then_conv2d():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(1, 6, 6, 2)).astype("float32")
    model = keras.Sequential([keras.Input((6, 6, 2)), keras.layers.ZeroPadding2D(2),
                              keras.layers.Conv2D(3, 3, strides=2)])
    weights, bias = model.layers[-1].get_weights()
    expected = keras.ops.convert_to_numpy(model(x))
    assert np.abs(conv2d(x, weights, bias, stride=2, padding=2) - expected).max() < TOLERANCE


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("reduce", ["max", "average"])
def test_pooling_equals_keras_on_many_windows(padding, reduce):
    ours = max_pool2d if reduce == "max" else average_pool2d
    keras_layer = keras.layers.MaxPooling2D if reduce == "max" else keras.layers.AveragePooling2D
    rng = np.random.default_rng(2)
    x = rng.normal(size=(2, 9, 8, 3)).astype("float32")
    for pool, stride in itertools.product([2, 3, (2, 3)], [None, 1, 2, (1, 2)]):
        expected = keras.ops.convert_to_numpy(keras_layer(pool, strides=stride, padding=padding)(x))
        got = ours(x, pool, stride, padding)
        assert got.shape == expected.shape, (pool, stride)
        assert np.abs(got - expected).max() < TOLERANCE, (pool, stride)


def test_pooling_worked_example():
    grid = np.array([[1, 3, 2, 1], [4, 6, 5, 0], [3, 1, 1, 2], [0, 2, 4, 8]])
    np.testing.assert_array_equal(max_pool2d(grid), [[6, 5], [3, 8]])
    np.testing.assert_array_equal(average_pool2d(grid), [[3.5, 2.0], [1.5, 3.75]])


def test_relu_softmax_dense_flatten_equal_keras():
    rng = np.random.default_rng(3)
    z = rng.normal(scale=5, size=(4, 10)).astype("float32")
    assert np.abs(softmax(z) - keras.ops.convert_to_numpy(keras.activations.softmax(z))).max() < 1e-6
    np.testing.assert_allclose(softmax(z).sum(axis=1), 1.0)
    assert np.abs(relu(z) - keras.ops.convert_to_numpy(keras.activations.relu(z))).max() == 0
    layer = keras.layers.Dense(7)
    expected = keras.ops.convert_to_numpy(layer(z))
    weights, bias = layer.get_weights()
    assert np.abs(dense(z, weights, bias) - expected).max() < TOLERANCE
    images = rng.normal(size=(3, 4, 5, 2)).astype("float32")
    np.testing.assert_array_equal(
        flatten(images), keras.ops.convert_to_numpy(keras.layers.Flatten()(images))
    )


def test_softmax_survives_large_scores():
    probabilities = softmax(np.array([1000.0, 1000.0, -1000.0]))
    np.testing.assert_allclose(probabilities, [0.5, 0.5, 0.0])


def test_dropout_matches_keras_statistics_and_passes_through_at_inference():
    x = np.ones((200, 50))
    dropped = dropout(x, 0.5, training=True, rng=0)
    assert set(np.unique(dropped)) == {0.0, 2.0}
    assert abs((dropped == 0).mean() - 0.5) < 0.02
    keras_dropped = keras.ops.convert_to_numpy(keras.layers.Dropout(0.5)(x, training=True))
    assert set(np.unique(keras_dropped)) == {0.0, 2.0}
    np.testing.assert_array_equal(dropout(x, 0.5, training=False), x)
    np.testing.assert_array_equal(keras.layers.Dropout(0.5)(x, training=False), x)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: conv2d("image", np.ones((2, 2))), TypeError, ["x", "str"]),
        (lambda: conv2d(np.ones(5), np.ones((2, 2))), ValueError, ["x", "(5,)"]),
        (lambda: conv2d(np.ones((4, 4)), np.ones(3)), ValueError, ["kernel", "(3,)"]),
        (lambda: conv2d(np.ones((4, 4, 3)), np.ones((2, 2, 1, 4))), ValueError,
         ["1 input channels", "x has 3"]),
        (lambda: conv2d(np.ones((4, 4)), np.ones((2, 2, 1, 4)), bias=[1, 2]), ValueError,
         ["bias", "(4,)"]),
        (lambda: conv2d(np.ones((4, 4)), np.ones((5, 5))), ValueError, ["kernel_size=5"]),
        (lambda: conv2d(np.ones((4, 4)), np.ones((2, 2)), stride=0), ValueError, ["stride", "0"]),
        (lambda: conv2d(np.ones((4, 4)), np.ones((2, 2)), stride=(1, 2, 3)), ValueError,
         ["stride", "(1, 2, 3)"]),
        (lambda: conv2d(np.ones((4, 4)), np.ones((2, 2)), padding="full"), ValueError,
         ["padding", "'full'"]),
        (lambda: max_pool2d(np.ones((4, 4)), pool_size=0), ValueError, ["pool_size", "0"]),
        (lambda: max_pool2d(np.ones((1, 4)), pool_size=2), ValueError, ["pool_size=2"]),
        (lambda: average_pool2d(np.ones((4, 4)), stride=1.5), TypeError, ["stride", "1.5"]),
        (lambda: softmax(3.0), ValueError, ["z", "scalar"]),
        (lambda: flatten(np.ones(3)), ValueError, ["batch axis", "(3,)"]),
        (lambda: dense(np.ones((2, 3)), np.ones((4, 5))), ValueError, ["3", "expect 4"]),
        (lambda: dense(np.ones(3), np.ones(3)), ValueError, ["weights", "(3,)"]),
        (lambda: dropout(np.ones(3), 1.0, True), ValueError, ["rate", "1.0"]),
        (lambda: dropout(np.ones(3), "0.5", True), TypeError, ["rate", "'0.5'"]),
        (lambda: dropout(np.ones(3), 0.5, "yes"), TypeError, ["training", "'yes'"]),
    ],
)
def test_bad_input_is_named(call, error, words):
    with pytest.raises(error) as raised:
        call()
    for word in words:
        assert word in str(raised.value)
