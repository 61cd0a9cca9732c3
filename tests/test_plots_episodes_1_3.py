"""Figures of the architecture, convolution and pooling episodes.

Each test checks what is drawn (the numbers written in cells, the framed
window, the box labels, the colour limits), so a helper that draws the wrong
thing fails.
"""

from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import FancyBboxPatch, Rectangle  # noqa: E402

from cnn_lesson.layers import average_pool2d, conv2d, max_pool2d  # noqa: E402
from cnn_lesson.plots import (  # noqa: E402
    IMAGE_CMAP,
    OKABE_ITO,
    POSITIVE_CMAP,
    SIGNED_CMAP,
    plot_convolution_step,
    plot_feature_maps,
    plot_kernels_and_maps,
    plot_model_diagram,
    plot_pixel_values,
    plot_pooling_example,
)

MINUS = "\N{MINUS SIGN}"


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def frames(ax) -> list[tuple[float, float, float, float]]:
    """(x, y, width, height) of every rectangle drawn on ``ax`` besides the image."""
    return [
        (*p.get_xy(), p.get_width(), p.get_height())
        for p in ax.patches
        if isinstance(p, Rectangle)
    ]


# --- plot_model_diagram -----------------------------------------------------


@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    return pytest.importorskip("keras")


def test_model_diagram_labels_each_box_with_the_layer_shape_and_parameters(keras):
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    fig, ax = plot_model_diagram(model)
    assert isinstance(fig, Figure)
    assert texts(ax) == [
        "Input\n28 × 28 × 1",
        "Conv2D (relu)\n26 × 26 × 16 · 160 parameters",
        "MaxPooling2D\n13 × 13 × 16 · 0 parameters",
        "Flatten\n2704 · 0 parameters",
        "Dropout\n2704 · 0 parameters",
        "Dense (softmax)\n10 · 27,050 parameters",
        "Total: 27,210 parameters",
    ]
    # the labels come from the model, not from a fixed list
    for label, layer in zip(texts(ax)[1:-1], model.layers):
        assert label.startswith(type(layer).__name__)
        assert " × ".join(map(str, layer.output.shape[1:])) in label
        assert f"{layer.count_params():,} parameters" in label
    assert f"{model.count_params():,}" in texts(ax)[-1]
    assert sum(isinstance(p, FancyBboxPatch) for p in ax.patches) == 6


def test_model_diagram_skips_the_input_layer_of_a_functional_model(keras):
    inputs = keras.Input(shape=(8, 8, 3))
    features = keras.layers.Conv2D(2, 3, padding="same")(inputs)
    outputs = keras.layers.Dense(4)(keras.layers.Flatten()(features))
    fig, ax = plot_model_diagram(keras.Model(inputs, outputs))
    assert texts(ax) == [
        "Input\n8 × 8 × 3",
        "Conv2D\n8 × 8 × 2 · 56 parameters",
        "Flatten\n128 · 0 parameters",
        "Dense\n4 · 516 parameters",
        "Total: 572 parameters",
    ]


def test_model_diagram_refuses_an_unbuilt_model(keras):
    model = keras.Sequential([keras.layers.Conv2D(4, 3), keras.layers.Flatten()])
    with pytest.raises(ValueError, match=r"built.*keras\.Input"):
        plot_model_diagram(model)


class NoLayers:
    layers: list = []


@pytest.mark.parametrize(
    ("model", "error", "words"),
    [
        ([1, 2, 3], TypeError, ["model", "list"]),
        ("model", TypeError, ["model", "str"]),
        (NoLayers(), ValueError, ["model", "no layers"]),
    ],
)
def test_model_diagram_rejects_what_is_not_a_model(model, error, words):
    with pytest.raises(error) as raised:
        plot_model_diagram(model)
    for word in words:
        assert word in str(raised.value)


# --- plot_pixel_values ------------------------------------------------------


def test_pixel_values_writes_the_patch_and_frames_it_on_the_image():
    image = np.arange(100).reshape(10, 10)
    fig, (whole, patch) = plot_pixel_values(image, row=2, col=5, size=3)
    assert texts(patch) == [str(v) for v in image[2:5, 5:8].ravel()]
    assert frames(whole) == [(4.5, 1.5, 3, 3)]
    np.testing.assert_array_equal(whole.images[0].get_array(), image)
    assert [t.get_text() for t in patch.get_xticklabels()] == ["5", "6", "7"]
    assert [t.get_text() for t in patch.get_yticklabels()] == ["2", "3", "4"]
    assert whole.images[0].get_cmap().name == IMAGE_CMAP
    assert whole.get_xlabel() == "column" and whole.get_ylabel() == "row"


def test_pixel_values_accepts_a_channel_axis():
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


def test_convolution_step_writes_input_kernel_and_feature_map():
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


def test_convolution_step_value_is_the_sum_of_products():
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


def test_convolution_step_with_a_large_kernel_names_the_sum():
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


def test_kernels_and_maps_put_each_kernel_above_its_map():
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


# --- plot_feature_maps --------------------------------------------------------


def test_feature_maps_share_one_symmetric_colour_scale():
    big = np.array([[0.0, -3.0], [1.0, 2.0]])
    small = np.array([[0.5]])
    fig, axes = plot_feature_maps({"big map": big, "pooled": small})
    assert axes.shape == (1, 2)
    assert [ax.get_title() for ax in axes[0]] == ["big map\n2 × 2", "pooled\n1 × 1"]
    for ax, grid in zip(axes[0], (big, small)):
        np.testing.assert_array_equal(ax.images[0].get_array(), grid)
        assert ax.images[0].get_clim() == (-3.0, 3.0)
        assert ax.images[0].get_cmap().name == SIGNED_CMAP
    assert len(fig.axes) == 3  # two maps and one colour bar


def test_feature_maps_fill_rows_and_leave_spare_panels_blank():
    maps = {f"map {i}": np.full((4, 4, 1), i) for i in range(5)}
    fig, axes = plot_feature_maps(maps, ncols=3)
    assert axes.shape == (2, 3)
    assert [len(ax.images) for ax in axes.flat] == [1, 1, 1, 1, 1, 0]
    assert axes[1, 1].get_title() == "map 4\n4 × 4"


def test_feature_maps_without_negatives_run_from_zero_to_the_largest_value():
    relu_map = np.array([[0.0, 0.5], [2.0, 0.0]])
    fig, axes = plot_feature_maps({"after ReLU": relu_map, "pooled": np.array([[2.0]])})
    for ax in axes[0]:
        assert ax.images[0].get_clim() == (0.0, 2.0)
        assert ax.images[0].get_cmap().name == POSITIVE_CMAP


@pytest.mark.parametrize(
    ("maps", "ncols", "error", "words"),
    [
        ([np.ones((2, 2))], None, TypeError, ["maps", "list"]),
        ({}, None, ValueError, ["maps", "empty"]),
        ({"a": np.ones((2, 2))}, 0, ValueError, ["ncols", "0"]),
        ({"a": np.ones((2, 2))}, 1.5, TypeError, ["ncols", "1.5"]),
        ({"a": np.ones((2, 2, 3))}, None, ValueError, ["maps['a']", "(2, 2, 3)"]),
    ],
)
def test_feature_maps_reject_bad_input(maps, ncols, error, words):
    with pytest.raises(error) as raised:
        plot_feature_maps(maps, ncols=ncols)
    for word in words:
        assert word in str(raised.value)


# --- plot_pooling_example -------------------------------------------------------


def test_pooling_example_writes_the_worked_example():
    grid = np.array([[1, 3, 2, 1], [4, 6, 5, 0], [3, 1, 1, 2], [0, 2, 4, 8]])
    fig, (ax_in, ax_max, ax_avg) = plot_pooling_example(grid)
    assert texts(ax_in) == [str(v) for v in grid.ravel()]
    assert texts(ax_max) == ["6", "5", "3", "8"]
    assert texts(ax_avg) == ["3.5", "2", "1.5", "3.75"]
    assert ax_max.get_title() == "max pooling\n(2 × 2)"
    assert ax_avg.get_title() == "average pooling\n(2 × 2)"
    # each window and the output cell it becomes share a colour
    colours_in = ax_in.images[0].get_array()
    for ax in (ax_max, ax_avg):
        colours_out = ax.images[0].get_array()
        for i in range(2):
            for j in range(2):
                window = colours_in[2 * i:2 * i + 2, 2 * j:2 * j + 2].reshape(4, 3)
                assert (window == colours_out[i, j]).all()
    assert len({tuple(colours_out[i, j]) for i in range(2) for j in range(2)}) == 4
    assert sorted(frames(ax_in)) == [(-0.5, -0.5, 2, 2), (-0.5, 1.5, 2, 2),
                                     (1.5, -0.5, 2, 2), (1.5, 1.5, 2, 2)]


def test_pooling_example_agrees_with_the_reference_layers_and_leaves_the_rest_white():
    grid = np.arange(35).reshape(5, 7) - 10
    fig, (ax_in, ax_max, ax_avg) = plot_pooling_example(grid, pool_size=3)
    assert texts(ax_max) == [str(int(v)).replace("-", MINUS) for v in max_pool2d(grid, 3).ravel()]
    averages = average_pool2d(grid, 3).ravel()
    assert texts(ax_avg) == [str(int(v)).replace("-", MINUS) for v in averages]
    colours_in = ax_in.images[0].get_array()
    assert (colours_in[3:, :] == 1).all() and (colours_in[:, 6:] == 1).all()
    assert not (colours_in[:3, :6] == 1).all()


@pytest.mark.parametrize(
    ("x", "pool_size", "error", "words"),
    [
        (np.ones((4, 4)), 5, ValueError, ["pool_size", "5", "(4, 4)"]),
        (np.ones((4, 4)), 2.0, TypeError, ["pool_size", "2.0"]),
        (np.ones((4, 4)), 0, ValueError, ["pool_size", "0"]),
        (np.ones((2, 2, 2)), 2, ValueError, ["x", "(2, 2, 2)"]),
        (np.array([[1, np.inf], [0, 0]]), 2, ValueError, ["x", "infinity"]),
    ],
)
def test_pooling_example_rejects_bad_input(x, pool_size, error, words):
    with pytest.raises(error) as raised:
        plot_pooling_example(x, pool_size)
    for word in words:
        assert word in str(raised.value)


def test_the_highlight_colour_is_okabe_ito_orange():
    fig, axes = plot_convolution_step(np.zeros((3, 3)), np.ones((2, 2)), 0, 1)
    frame = next(p for p in axes[0].patches if isinstance(p, Rectangle))
    assert matplotlib.colors.to_hex(frame.get_edgecolor()) == OKABE_ITO["orange"].lower()
