"""plot_digits draws colour images in colour, and plot_channels draws an image beside its channel maps."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from cnn_lesson.data import colour_digits, load_mnist
from cnn_lesson.plots import plot_channels, plot_digits


@pytest.fixture(scope="module")
def digits():
    (x_train, y_train), _ = load_mnist()
    return x_train[:100], y_train[:100]


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


def test_plot_digits_checks_every_colour_image_and_labels_all_of_them_but_shows_the_first_n(digits):
    x, y = digits
    images, _ = colour_digits(x[:8], y[:8], seed=0)
    fig, axes = plot_digits(images, y[:8], n=3, ncols=3)
    assert [ax.get_title() for ax in axes.flat] == [str(label) for label in y[:3]]
    np.testing.assert_allclose(axes.flat[2].get_images()[0].get_array(), images[2] / 255)
    bad = images.astype(float)
    bad[-1, 0, 0, 0] = 300.0
    with pytest.raises(ValueError, match="images must hold values from 0 to 1"):
        plot_digits(bad / 255, n=2)
    with pytest.raises(ValueError, match="labels"):
        plot_digits(images, y[:3], n=3)


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
