"""Colour digits: colour_digits makes them reproducibly, with or without a shortcut (the plots: tests/figures/test_plots_colour.py)."""

from __future__ import annotations

import numpy as np
import pytest

from cnn_lesson.data import (
    BACKGROUND_COLOURS,
    STROKE_COLOUR_NAMES,
    STROKE_COLOURS,
    colour_digits,
    load_mnist,
)


@pytest.fixture(scope="module")
def digits():
    (x_train, y_train), _ = load_mnist()
    return x_train[:2000], y_train[:2000]


def test_the_palettes_give_one_grey_each():
    assert len(STROKE_COLOURS) == len(STROKE_COLOUR_NAMES) == 10
    assert len(set(STROKE_COLOURS)) == 10 and len(set(STROKE_COLOUR_NAMES)) == 10
    assert {sum(colour) for colour in STROKE_COLOURS} == {400}
    assert {sum(colour) for colour in BACKGROUND_COLOURS} == {90}


def test_shape_dtype_and_colours(digits):
    x, y = digits
    images, colours = colour_digits(x, y, seed=3)
    assert images.shape == (2000, 28, 28, 3) and images.dtype == np.uint8
    assert colours.shape == (2000,) and colours.min() >= 0 and colours.max() <= 9
    # Where there is no ink the pixel is a background colour; where the ink is
    # full, the pixel is the image's stroke colour.
    backgrounds = {tuple(int(v) for v in p) for p in images[x == 0]}
    assert backgrounds <= set(BACKGROUND_COLOURS)
    full = np.argwhere(x == 255)[:50]
    for i, row, col in full:
        assert tuple(images[i, row, col]) == STROKE_COLOURS[colours[i]]


def test_the_channel_mean_is_the_grey_digit_whatever_the_colours(digits):
    x, y = digits
    images, _ = colour_digits(x, y, shortcut=0.5, seed=1)
    grey = images.astype(np.float64).mean(axis=-1)
    expected = (90 + 310 * x.astype(np.float64) / 255) / 3
    assert np.abs(grey - expected).max() <= 0.5  # rounding of each channel only


def test_the_same_seed_gives_the_same_images_and_another_seed_others(digits):
    x, y = digits
    first, colours = colour_digits(x, y, shortcut=0.9, seed=5)
    again, colours_again = colour_digits(x, y, shortcut=0.9, seed=5)
    other, other_colours = colour_digits(x, y, shortcut=0.9, seed=6)
    np.testing.assert_array_equal(first, again)
    np.testing.assert_array_equal(colours, colours_again)
    assert (colours != other_colours).any()


@pytest.mark.parametrize("shortcut", [0.0, 0.3, 0.9, 1.0])
def test_the_shortcut_ties_that_fraction_of_the_colours_to_the_class(digits, shortcut):
    x, y = digits
    _, colours = colour_digits(x, y, shortcut=shortcut, seed=2)
    tied = (colours == y).mean()
    # round(shortcut * n) images are tied; the rest match their class by
    # chance, one time in ten.
    expected = shortcut + (1 - shortcut) / 10
    assert abs(tied - expected) < 0.03, (tied, expected)
    assert tied >= shortcut
    if shortcut == 1.0:
        np.testing.assert_array_equal(colours, y)


def test_without_a_shortcut_every_colour_goes_with_every_digit(digits):
    x, y = digits
    _, colours = colour_digits(x, y, seed=0)
    counts = np.zeros((10, 10), dtype=int)
    np.add.at(counts, (y, colours), 1)
    assert counts.min() > 0
    assert np.bincount(colours, minlength=10).min() > 150  # about 200 each


def test_a_trailing_channel_and_lists_are_accepted(digits):
    x, y = digits
    images, colours = colour_digits(x[:5, :, :, np.newaxis], list(y[:5]), seed=0)
    same, same_colours = colour_digits(x[:5], y[:5], seed=0)
    np.testing.assert_array_equal(images, same)
    np.testing.assert_array_equal(colours, same_colours)


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"images": np.zeros((4, 28)), "labels": np.zeros(4)}, ValueError, "images must"),
        ({"images": np.zeros((0, 28, 28)), "labels": np.zeros(0)}, ValueError, "images must"),
        ({"images": np.full((4, 28, 28), 300), "labels": np.zeros(4)}, ValueError, "max 300"),
        ({"images": np.full((4, 28, 28), -1), "labels": np.zeros(4)}, ValueError, "min -1"),
        ({"images": "digits", "labels": np.zeros(4)}, TypeError, "images must"),
        ({"labels": np.zeros(3)}, ValueError, r"labels must hold one class per image, shape \(4,\)"),
        ({"labels": np.full(4, 10)}, ValueError, "labels must be integers from 0 to 9"),
        ({"labels": np.full(4, 1.5)}, ValueError, "labels must be integers"),
        ({"labels": np.array(["a"] * 4)}, TypeError, "labels must hold numbers"),
        ({"shortcut": 1.5}, ValueError, "shortcut must be from 0 to 1, got 1.5"),
        ({"shortcut": -0.1}, ValueError, "shortcut must be from 0 to 1, got -0.1"),
        ({"shortcut": "high"}, TypeError, "shortcut must be a number"),
        ({"shortcut": True}, TypeError, "shortcut must be a number"),
        ({"seed": -1}, ValueError, "seed must be non-negative, got -1"),
        ({"seed": 1.0}, TypeError, "seed must be an integer"),
    ],
)
def test_bad_input_names_the_argument_and_value(kwargs, error, words):
    arguments = {"images": np.zeros((4, 28, 28), dtype=np.uint8), "labels": np.arange(4)}
    arguments.update(kwargs)
    with pytest.raises(error, match=words):
        colour_digits(**arguments)
