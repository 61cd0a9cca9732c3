"""Figures of convolution: the numbers written in cells, the framed window
and the colour limits are what they should be, and bad input is refused."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest
from matplotlib.patches import Rectangle

from cnn_lesson.figures.convolution import (
    plot_convolution_step,
    plot_kernels_and_maps,
    plot_pixel_values,
)
from cnn_lesson.layers import conv2d
from cnn_lesson.style import IMAGE_CMAP, OKABE_ITO, POSITIVE_CMAP, SIGNED_CMAP

MINUS = "\N{MINUS SIGN}"


# --- plot_pixel_values ------------------------------------------------------


def test_pixel_values_writes_the_patch_and_frames_it_on_the_image(texts, frames):
    image = np.arange(100).reshape(10, 10)
    fig, (whole, patch) = plot_pixel_values(image, row=2, col=5, size=3)
    assert texts(patch) == [str(v) for v in image[2:5, 5:8].ravel()]
    assert frames(whole) == [(4.5, 1.5, 3, 3)]
    np.testing.assert_array_equal(whole.images[0].get_array(), image)
    assert [t.get_text() for t in patch.get_xticklabels()] == ["5", "6", "7"]
    assert [t.get_text() for t in patch.get_yticklabels()] == ["2", "3", "4"]
    assert whole.images[0].get_cmap().name == IMAGE_CMAP
    assert whole.get_xlabel() == "column" and whole.get_ylabel() == "row"


def test_pixel_values_accepts_a_channel_axis(texts):
    image = np.zeros((6, 6, 1))
    image[3, 4, 0] = 200
    fig, (whole, patch) = plot_pixel_values(image, 2, 2, size=4)
    assert texts(patch).count("200") == 1 and texts(patch).count("0") == 15


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"row": 8}, ValueError, ["row", "8", "0 to 7"]),
        ({"col": -1}, ValueError, ["col", "-1"]),
        ({"row": 1.0}, TypeError, ["row", "1.0"]),
        ({"size": 0}, ValueError, ["size", "0"]),
        ({"size": 11}, ValueError, ["size", "11"]),
        ({"size": True}, TypeError, ["size", "True"]),
        ({"image": np.zeros(10)}, ValueError, ["image", "(10,)"]),
        ({"image": "digit"}, TypeError, ["image", "str"]),
        ({"image": np.full((10, 10), np.nan)}, ValueError, ["image", "NaN"]),
    ],
)
def test_pixel_values_rejects_bad_input(kwargs, error, words):
    arguments = {"image": np.zeros((10, 10)), "row": 0, "col": 0, "size": 3, **kwargs}
    with pytest.raises(error) as raised:
        plot_pixel_values(**arguments)
    for word in words:
        assert word in str(raised.value)


# --- plot_convolution_step ---------------------------------------------------


def test_convolution_step_writes_input_kernel_and_feature_map(texts, frames):
    image = np.array([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]])
    kernel = np.array([[1, 0], [0, -1]])
    fig, (ax_in, ax_kernel, ax_out) = plot_convolution_step(image, kernel, row=1, col=2)
    assert texts(ax_in) == [str(v) for v in image.ravel()]
    assert texts(ax_kernel) == ["1", "0", "0", f"{MINUS}1"]
    # every output is top-left minus bottom-right: -5
    assert texts(ax_out) == [f"{MINUS}5"] * 6
    assert frames(ax_in) == [(1.5, 0.5, 2, 2)]
    assert frames(ax_out) == [(1.5, 0.5, 1, 1)]
    assert fig.get_supxlabel() == (
        f"feature map[1, 2] = 6×1 + 7×0 + 10×0 + 11×({MINUS}1) = {MINUS}5"
    )
    assert ax_kernel.images[0].get_cmap().name == SIGNED_CMAP


def test_convolution_step_value_is_the_sum_of_products(texts):
    rng = np.random.default_rng(0)
    image = rng.integers(0, 10, (6, 7))
    kernel = rng.integers(-2, 3, (3, 3))
    fig, (ax_in, ax_kernel, ax_out) = plot_convolution_step(image, kernel, row=3, col=1)
    expected = int((image[3:6, 1:4] * kernel).sum())
    out_width = 7 - 3 + 1
    written = texts(ax_out)[3 * out_width + 1]
    assert written == str(expected).replace("-", MINUS)
    assert fig.get_supxlabel().endswith(f"= {written}")
    # the feature map drawn is the whole convolution, with symmetric colours
    full = conv2d(image, kernel)
    np.testing.assert_array_equal(ax_out.images[0].get_array(), full)
    low, high = ax_out.images[0].get_clim()
    assert low == -high == -np.abs(full).max()


def test_convolution_step_with_a_large_kernel_names_the_sum(texts):
    fig, axes = plot_convolution_step(np.ones((6, 6)), np.ones((4, 4)) / 16, 0, 0)
    assert fig.get_supxlabel() == "feature map[0, 0] = the sum of the 16 products = 1"
    assert texts(axes[1])[0] == "0.06"


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"kernel": np.ones((6, 2))}, ValueError, ["kernel", "(6, 2)", "(5, 5)"]),
        ({"row": 3}, ValueError, ["row", "3", "3 rows"]),
        ({"col": -1}, ValueError, ["col", "-1"]),
        ({"col": True}, TypeError, ["col", "True"]),
        ({"kernel": np.ones((3, 3, 2))}, ValueError, ["kernel", "(3, 3, 2)"]),
        ({"kernel": [["a", "b"]]}, TypeError, ["kernel", "dtype"]),
        ({"image": None}, TypeError, ["image", "NoneType"]),
    ],
)
def test_convolution_step_rejects_bad_input(kwargs, error, words):
    arguments = {"image": np.zeros((5, 5)), "kernel": np.ones((3, 3)), "row": 0, "col": 0,
                 **kwargs}
    with pytest.raises(error) as raised:
        plot_convolution_step(**arguments)
    for word in words:
        assert word in str(raised.value)


# --- plot_kernels_and_maps ---------------------------------------------------


def test_kernels_and_maps_put_each_kernel_above_its_map(texts):
    rng = np.random.default_rng(1)
    image = rng.random((12, 12))
    kernels = {"edge": np.array([[1, 0, -1]] * 3), "blur": np.full((3, 3), 0.25)}
    maps = {name: conv2d(image, k, padding="same") for name, k in kernels.items()}
    fig, axes = plot_kernels_and_maps(image, kernels, maps)
    assert axes.shape == (2, 3)
    assert [ax.get_title() for ax in axes[0, 1:]] == ["edge", "blur"]
    assert texts(axes[0, 1]) == ["1", "0", f"{MINUS}1"] * 3
    assert texts(axes[0, 2]) == ["0.25"] * 9
    np.testing.assert_array_equal(axes[1, 0].images[0].get_array(), image)
    assert axes[1, 0].images[0].get_cmap().name == IMAGE_CMAP
    edge, blur = (ax.images[0] for ax in axes[1, 1:])
    np.testing.assert_array_equal(edge.get_array(), maps["edge"])
    np.testing.assert_array_equal(blur.get_array(), maps["blur"])
    # the edge map has both signs: symmetric limits; the blur map is positive
    assert edge.get_cmap().name == SIGNED_CMAP
    assert edge.get_clim() == (-np.abs(maps["edge"]).max(), np.abs(maps["edge"]).max())
    assert blur.get_cmap().name == POSITIVE_CMAP
    assert blur.get_clim() == (0.0, maps["blur"].max())
    assert not axes[0, 0].axison and not axes[0, 0].images


def test_kernels_and_maps_draw_maps_without_negatives_from_zero():
    image = np.eye(5)
    kernels = {"signed": np.array([[1, -1]]), "after ReLU": np.array([[1, 1]])}
    maps = {"signed": conv2d(image, kernels["signed"]),
            "after ReLU": np.maximum(conv2d(image, kernels["after ReLU"]), 0)}
    fig, axes = plot_kernels_and_maps(image, kernels, maps)
    signed, positive = (ax.images[0] for ax in axes[1, 1:])
    assert signed.get_cmap().name == SIGNED_CMAP and signed.get_clim() == (-1.0, 1.0)
    assert positive.get_cmap().name == POSITIVE_CMAP and positive.get_clim() == (0.0, 1.0)


@pytest.mark.parametrize(
    ("kernels", "maps", "error", "words"),
    [
        ({"a": np.ones((3, 3))}, {"b": np.ones((4, 4))}, ValueError, ["['a']", "['b']"]),
        ([np.ones((3, 3))], {"a": np.ones((4, 4))}, TypeError, ["kernels", "list"]),
        ({}, {}, ValueError, ["kernels", "empty"]),
        ({"a": np.ones(3)}, {"a": np.ones((4, 4))}, ValueError, ["kernels['a']", "(3,)"]),
    ],
)
def test_kernels_and_maps_reject_bad_input(kernels, maps, error, words):
    with pytest.raises(error) as raised:
        plot_kernels_and_maps(np.ones((4, 4)), kernels, maps)
    for word in words:
        assert word in str(raised.value)


def test_the_highlight_colour_is_okabe_ito_orange():
    fig, axes = plot_convolution_step(np.zeros((3, 3)), np.ones((2, 2)), 0, 1)
    frame = next(p for p in axes[0].patches if isinstance(p, Rectangle))
    assert matplotlib.colors.to_hex(frame.get_edgecolor()) == OKABE_ITO["orange"].lower()
