"""Colour digits: colour_digits makes them reproducibly, with or without a shortcut, and the plots show them."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from cnn_lesson.data import (
    BACKGROUND_COLOURS,
    STROKE_COLOUR_NAMES,
    STROKE_COLOURS,
    colour_digits,
    load_mnist,
)
from cnn_lesson.plots import plot_channels, plot_digits


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


def test_plot_digits_shows_colour_images_in_colour(digits):
    x, y = digits
    images, _ = colour_digits(x[:6], y[:6], seed=0)
    fig, axes = plot_digits(images, y[:6], n=6, ncols=3)
    assert isinstance(fig, Figure) and axes.shape == (2, 3)
    shown = axes.flat[0].get_images()[0].get_array()
    assert shown.shape == (28, 28, 3)
    np.testing.assert_allclose(shown, images[0] / 255)
    assert axes.flat[0].get_title() == str(y[0])


def test_plot_digits_refuses_colour_values_out_of_range():
    with pytest.raises(ValueError, match="images must hold values from 0 to 1"):
        plot_digits(np.full((2, 4, 4, 3), 2.0))


def test_plot_channels_shows_the_image_then_each_channel(digits):
    x, y = digits
    images, _ = colour_digits(x[:1], y[:1], seed=0)
    fig, axes = plot_channels(images[0])
    assert isinstance(fig, Figure) and len(axes) == 4
    assert [ax.get_title() for ax in axes] == [
        "colour image", "red channel", "green channel", "blue channel"
    ]
    for channel, ax in enumerate(axes[1:]):
        np.testing.assert_allclose(
            ax.get_images()[0].get_array(), images[0, :, :, channel] / 255
        )
        assert ax.get_images()[0].get_clim() == (0, 1)


def test_plot_channels_takes_other_channel_counts_and_names():
    image = np.random.default_rng(0).random((5, 5, 2))
    fig, axes = plot_channels(image, names=("near", "far"))
    assert [ax.get_title() for ax in axes] == ["near channel", "far channel"]


@pytest.mark.parametrize(
    ("image", "names", "error", "words"),
    [
        (np.zeros((5, 5)), ("red", "green", "blue"), ValueError, r"image must be one image .* shape \(5, 5\)"),
        (np.zeros((5, 5, 3)), ("red", "green"), ValueError, "names must give one name for each of the image's 3"),
        (np.zeros((5, 5, 3)), "rgb", ValueError, "names must give one name"),
        (np.full((5, 5, 3), 256), ("r", "g", "b"), ValueError, "image must hold values from 0 to 255"),
        (np.full((5, 5, 3), "a"), ("r", "g", "b"), TypeError, "image must hold numbers"),
    ],
)
def test_plot_channels_refuses_bad_input(image, names, error, words):
    with pytest.raises(error, match=words):
        plot_channels(image, names=names)
