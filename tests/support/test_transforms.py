"""shift_images: moves pixels the right way, fills zeros, refuses bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnn_lesson.transforms import shift_images


@pytest.fixture
def square():
    return np.arange(1, 10, dtype=np.uint8).reshape(1, 3, 3)


@pytest.mark.parametrize(
    ("dy", "dx", "expected"),
    [
        (0, 0, [[1, 2, 3], [4, 5, 6], [7, 8, 9]]),
        (1, 0, [[0, 0, 0], [1, 2, 3], [4, 5, 6]]),  # down
        (-1, 0, [[4, 5, 6], [7, 8, 9], [0, 0, 0]]),  # up
        (0, 1, [[0, 1, 2], [0, 4, 5], [0, 7, 8]]),  # right
        (0, -2, [[3, 0, 0], [6, 0, 0], [9, 0, 0]]),  # left
        (-1, 1, [[0, 4, 5], [0, 7, 8], [0, 0, 0]]),  # up and right
        (3, 0, [[0, 0, 0]] * 3),  # the whole height: blank
        (0, -7, [[0, 0, 0]] * 3),
    ],
)
def test_shift_moves_pixels_and_fills_zeros(square, dy, dx, expected):
    shifted = shift_images(square, dy, dx)
    np.testing.assert_array_equal(shifted[0], expected)
    assert shifted.dtype == square.dtype and shifted.shape == square.shape


def test_input_is_left_unchanged(square):
    before = square.copy()
    shifted = shift_images(square, 1, 1)
    np.testing.assert_array_equal(square, before)
    assert not np.shares_memory(shifted, square)
    assert not np.shares_memory(shift_images(square, 0, 0), square)


def test_one_shift_per_image_and_a_channel_axis():
    images = np.arange(2 * 3 * 3 * 2, dtype=np.float32).reshape(2, 3, 3, 2)
    shifted = shift_images(images, np.array([1, 0]), np.array([0, -1]))
    np.testing.assert_array_equal(shifted[0], shift_images(images[:1], 1, 0)[0])
    np.testing.assert_array_equal(shifted[1], shift_images(images[1:], 0, -1)[0])
    np.testing.assert_array_equal(shifted[0, 0], np.zeros((3, 2)))  # both channels move
    np.testing.assert_array_equal(shifted[0, 1:], images[0, :2])


def test_list_of_shifts_and_numpy_ints(square):
    images = np.repeat(square, 2, axis=0)
    shifted = shift_images(images, [0, 1], np.int64(0))
    np.testing.assert_array_equal(shifted[0], square[0])
    np.testing.assert_array_equal(shifted[1, 1:], square[0, :2])


def test_empty_batch():
    assert shift_images(np.zeros((0, 4, 4)), 1, 1).shape == (0, 4, 4)


@settings(max_examples=100, deadline=None)
@given(
    height=st.integers(1, 8),
    width=st.integers(1, 8),
    dy=st.integers(-10, 10),
    dx=st.integers(-10, 10),
)
def test_shift_agrees_with_padding_and_cropping(height, width, dy, dx):
    """Reference: pad by the shift on every side with zeros, then crop the window."""
    image = np.random.default_rng(height * 100 + width).integers(1, 255, (height, width))
    margin = max(abs(dy), abs(dx))
    padded = np.pad(image, margin)
    expected = padded[margin - dy : margin - dy + height, margin - dx : margin - dx + width]
    np.testing.assert_array_equal(shift_images(image[np.newaxis], dy, dx)[0], expected)
    # Moving back restores every pixel that stayed inside the frame.
    back = shift_images(shift_images(image[np.newaxis], dy, dx), -dy, -dx)[0]
    kept = back != 0
    np.testing.assert_array_equal(back[kept], image[kept])
    assert kept.sum() == max(height - abs(dy), 0) * max(width - abs(dx), 0)


@pytest.mark.parametrize(
    ("images", "dy", "dx", "error", "words"),
    [
        (None, 0, 0, TypeError, ["images", "NoneType"]),
        ("digits", 0, 0, TypeError, ["images", "str"]),
        (np.array([[["a"]]]), 0, 0, TypeError, ["images", "dtype"]),
        (np.zeros((3, 3)), 0, 0, ValueError, ["images", "(3, 3)"]),
        (np.zeros((1, 3, 3, 1, 1)), 0, 0, ValueError, ["images", "(1, 3, 3, 1, 1)"]),
        (np.zeros((2, 3, 3)), 1.0, 0, TypeError, ["dy", "1.0", "float"]),
        (np.zeros((2, 3, 3)), np.float32(2), 0, TypeError, ["dy", "2.0"]),
        (np.zeros((2, 3, 3)), True, 0, TypeError, ["dy", "True"]),
        (np.zeros((2, 3, 3)), 0, None, TypeError, ["dx", "None"]),
        (np.zeros((2, 3, 3)), 0, "1", TypeError, ["dx", "'1'"]),
        (np.zeros((2, 3, 3)), [1, 2, 3], 0, ValueError, ["dy", "one int per image (2)", "(3,)"]),
        (np.zeros((2, 3, 3)), 0, [[1, 2]], ValueError, ["dx", "(1, 2)"]),
        (np.zeros((2, 3, 3)), 0, [0.5, 1.0], TypeError, ["dx", "float64"]),
        (np.zeros((2, 3, 3)), [True, False], 0, TypeError, ["dy", "bool"]),
    ],
)
def test_bad_input_is_refused(images, dy, dx, error, words):
    with pytest.raises(error) as raised:
        shift_images(images, dy, dx)
    for word in words:
        assert word in str(raised.value), (word, str(raised.value))
