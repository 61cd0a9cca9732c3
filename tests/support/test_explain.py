"""Looking inside a CNN: the computations give hand-checked answers, the
figures draw what they say, and bad input is refused by name."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from cnn_lesson.explain import (
    layer_outputs,
    most_confident_mistakes,
    occlusion_map,
    plot_confident_mistakes,
    plot_feature_maps,
    plot_filters,
    plot_occlusion,
)
from cnn_lesson.style import ACTIVATION_CMAP, POSITIVE_CMAP, SIGNED_CMAP


def corner_model(batch: np.ndarray) -> np.ndarray:
    """A stub classifier: p(class 0) is the top-left pixel, p(class 1) the rest."""
    first = batch[:, 0, 0, 0].astype(np.float64)
    return np.stack([first, 1.0 - first], axis=1)


# --- occlusion_map --------------------------------------------------------------


def test_occlusion_map_by_hand():
    # 3×3 image of ones, 2×2 patches at (0,0), (0,1), (1,0), (1,1).  Only the
    # patch at (0,0) hides the top-left pixel, dropping p(class 0) from 1 to 0.
    # Each pixel gets the mean drop of the patches covering it.
    heat = occlusion_map(corner_model, np.ones((3, 3)), label=0, patch=2, stride=1)
    expected = np.array(
        [
            [1 / 1, 1 / 2, 0.0],
            [1 / 2, 1 / 4, 0.0],
            [0.0, 0.0, 0.0],
        ]
    )
    np.testing.assert_allclose(heat, expected)


def test_occlusion_map_is_negative_where_hiding_helps_the_class():
    heat = occlusion_map(corner_model, np.ones((3, 3, 1)), label=1, patch=2, stride=1)
    assert heat[0, 0] == pytest.approx(-1.0)
    assert heat.shape == (3, 3)


def test_occlusion_map_with_stride_leaves_uncovered_pixels_at_zero():
    # 5×5 image, patch 2, stride 2: corners at 0 and 2 on each axis; row and
    # column 4 are never covered.
    heat = occlusion_map(corner_model, np.ones((5, 5)), label=0, patch=2, stride=2)
    assert heat[0, 0] == 1.0 and heat[1, 1] == 1.0
    assert np.count_nonzero(heat) == 4
    assert np.all(heat[4] == 0) and np.all(heat[:, 4] == 0)


def test_occlusion_map_fill_value_is_used():
    # Filling with 1 leaves a ones image unchanged: nothing drops.
    heat = occlusion_map(corner_model, np.ones((4, 4)), label=0, patch=2, fill=1.0)
    np.testing.assert_array_equal(heat, np.zeros((4, 4)))


def test_occlusion_map_batches_the_copies_and_gives_the_same_answer():
    seen: list[int] = []

    def counting(batch):
        seen.append(len(batch))
        return corner_model(batch)

    image = np.random.default_rng(1).random((6, 6))
    small = occlusion_map(counting, image, label=0, patch=3, batch_size=4)
    assert seen == [1, 4, 4, 4, 4]  # the original, then 16 copies in fours
    large = occlusion_map(corner_model, image, label=0, patch=3, batch_size=100)
    np.testing.assert_allclose(small, large)


def test_occlusion_map_works_with_a_keras_model():
    keras = pytest.importorskip("keras")
    # One dense unit reading the top-left pixel, then softmax over (score, 0).
    model = keras.Sequential(
        [
            keras.Input(shape=(4, 4, 1)),
            keras.layers.Flatten(),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )
    weights = np.zeros((16, 2), dtype="float32")
    weights[0, 0] = 10.0
    model.layers[-1].set_weights([weights, np.zeros(2, dtype="float32")])
    heat = occlusion_map(model, np.ones((4, 4, 1)), label=0, patch=2, stride=2)
    drop = 1 / (1 + np.exp(-10.0)) - 0.5  # p(class 0) before and after hiding the pixel
    expected = np.zeros((4, 4))
    expected[:2, :2] = drop
    np.testing.assert_allclose(heat, expected, atol=1e-6)


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"predict": "model"}, TypeError, ["predict", "str"]),
        ({"image": "digit"}, TypeError, ["image", "str"]),
        ({"image": np.ones((2, 3, 3, 1))}, ValueError, ["image", "(2, 3, 3, 1)"]),
        ({"image": np.array([["a"]])}, TypeError, ["image", "<U1"]),
        ({"label": 0.5}, TypeError, ["label", "0.5"]),
        ({"label": True}, TypeError, ["label", "True"]),
        ({"label": 2}, ValueError, ["label=2", "2"]),
        ({"label": -1}, ValueError, ["label=-1"]),
        ({"patch": 0}, ValueError, ["patch", "0"]),
        ({"patch": 4}, ValueError, ["patch=4", "3×3"]),
        ({"patch": 1.5}, TypeError, ["patch", "1.5"]),
        ({"stride": 0}, ValueError, ["stride", "0"]),
        ({"fill": "grey"}, TypeError, ["fill", "'grey'"]),
        ({"batch_size": 0}, ValueError, ["batch_size", "0"]),
        ({"predict": lambda batch: np.ones(len(batch))}, ValueError, ["predict", "(1,)"]),
    ],
)
def test_occlusion_map_rejects_bad_input(kwargs, error, words):
    arguments = {"predict": corner_model, "image": np.ones((3, 3)), "label": 0, "patch": 2}
    arguments.update(kwargs)
    with pytest.raises(error) as raised:
        occlusion_map(**arguments)
    for word in words:
        assert word in str(raised.value)


# --- most_confident_mistakes ------------------------------------------------------


def test_most_confident_mistakes_orders_wrong_predictions_by_confidence():
    probabilities = np.array(
        [
            [0.9, 0.1],  # right
            [0.6, 0.4],  # wrong, 0.6
            [0.05, 0.95],  # wrong, 0.95
            [0.2, 0.8],  # right
            [0.3, 0.7],  # wrong, 0.7
        ]
    )
    labels = np.array([0, 1, 0, 1, 0])
    np.testing.assert_array_equal(most_confident_mistakes(probabilities, labels), [2, 4, 1])
    np.testing.assert_array_equal(most_confident_mistakes(probabilities, labels, n=2), [2, 4])
    assert len(most_confident_mistakes(probabilities, probabilities.argmax(1))) == 0


@pytest.mark.parametrize(
    ("probabilities", "labels", "n", "error", "words"),
    [
        (np.ones(3), [0, 1, 0], 1, ValueError, ["probabilities", "(3,)"]),
        (np.ones((3, 2)), [0, 1], 1, ValueError, ["labels", "(2,)"]),
        (np.ones((2, 2)), [0.0, 1.0], 1, ValueError, ["labels", "float64"]),
        (np.ones((2, 2)), [0, 1], 0, ValueError, ["n", "0"]),
        (np.ones((2, 2)), [0, 1], "3", TypeError, ["n", "'3'"]),
    ],
)
def test_most_confident_mistakes_rejects_bad_input(probabilities, labels, n, error, words):
    with pytest.raises(error) as raised:
        most_confident_mistakes(probabilities, np.asarray(labels), n)
    for word in words:
        assert word in str(raised.value)


# --- layer_outputs --------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_model():
    keras = pytest.importorskip("keras")
    model = keras.Sequential(
        [
            keras.Input(shape=(5, 5, 1)),
            keras.layers.Conv2D(2, 3, name="conv"),
            keras.layers.Flatten(name="flat"),
            keras.layers.Dense(3, name="dense"),
        ]
    )
    kernel = np.zeros((3, 3, 1, 2), dtype="float32")
    kernel[1, 1, 0, 0] = 1.0  # filter 0 copies the centre pixel
    kernel[:, :, 0, 1] = 1.0  # filter 1 sums the 3×3 window
    model.get_layer("conv").set_weights([kernel, np.array([0.0, 0.5], dtype="float32")])
    return model


def test_layer_outputs_matches_hand_computed_convolution(tiny_model):
    image = np.arange(25, dtype="float32").reshape(5, 5, 1)
    outputs = layer_outputs(tiny_model, image)
    assert list(outputs) == ["conv", "flat", "dense"]
    conv = outputs["conv"]
    assert conv.shape == (3, 3, 2)
    np.testing.assert_allclose(conv[:, :, 0], image[1:4, 1:4, 0])
    window_sums = [[image[r : r + 3, c : c + 3].sum() for c in range(3)] for r in range(3)]
    np.testing.assert_allclose(conv[:, :, 1], np.array(window_sums) + 0.5)
    np.testing.assert_allclose(outputs["flat"], conv.reshape(-1))
    np.testing.assert_allclose(outputs["dense"], tiny_model.predict(image[None], verbose=0)[0],
                               rtol=1e-5)


def test_layer_outputs_keeps_the_batch_axis_and_the_requested_order(tiny_model):
    images = np.random.default_rng(0).random((4, 5, 5, 1))
    outputs = layer_outputs(tiny_model, images, layers=["dense", "conv"])
    assert list(outputs) == ["dense", "conv"]
    assert outputs["dense"].shape == (4, 3) and outputs["conv"].shape == (4, 3, 3, 2)


@pytest.mark.parametrize(
    ("model", "images", "layers", "error", "words"),
    [
        ("model", np.ones((5, 5, 1)), None, TypeError, ["model", "str"]),
        (None, np.ones((5, 5)), None, ValueError, ["images", "(5, 5)"]),
        (None, np.ones((5, 5, 1)), "conv", TypeError, ["layers", "'conv'"]),
        (None, np.ones((5, 5, 1)), ["pool"], ValueError, ["layers", "'pool'", "'conv'"]),
        (None, np.ones((5, 5, 1)), [], ValueError, ["layers", "[]"]),
    ],
)
def test_layer_outputs_rejects_bad_input(tiny_model, model, images, layers, error, words):
    with pytest.raises(error) as raised:
        layer_outputs(tiny_model if model is None else model, images, layers)
    for word in words:
        assert word in str(raised.value)


# --- figures --------------------------------------------------------------------


def test_plot_filters_draws_each_filter_on_one_symmetric_scale():
    kernel = np.zeros((5, 5, 1, 6))
    kernel[2, 2, 0, 0] = 0.5
    kernel[0, 0, 0, 3] = -2.0
    fig, axes = plot_filters(kernel, ncols=4)
    assert isinstance(fig, Figure) and axes.shape == (2, 4)
    drawn = [ax for ax in axes.flat if ax.images]
    assert len(drawn) == 6
    for i, ax in enumerate(drawn):
        np.testing.assert_array_equal(ax.images[0].get_array(), kernel[:, :, 0, i])
        assert ax.images[0].get_clim() == (-2.0, 2.0)
        assert ax.images[0].get_cmap().name == SIGNED_CMAP
        assert ax.get_title() == f"filter {i}"


def test_plot_filters_rejects_bad_input():
    with pytest.raises(ValueError, match=r"kernel.*\(5, 5, 3, 4\)"):
        plot_filters(np.zeros((5, 5, 3, 4)))
    with pytest.raises(TypeError, match="ncols.*'4'"):
        plot_filters(np.zeros((5, 5, 4)), ncols="4")


def test_plot_feature_maps_uses_magma_from_zero_for_non_negative_maps():
    maps = np.zeros((6, 6, 10))
    maps[..., 2] = 3.0
    fig, axes = plot_feature_maps(maps, n=4, ncols=2, title="conv")
    drawn = [ax for ax in axes.flat if ax.images]
    assert len(drawn) == 4
    assert drawn[2].images[0].get_clim() == (0.0, 3.0)
    assert drawn[0].images[0].get_cmap().name == ACTIVATION_CMAP
    assert fig._suptitle.get_text() == "conv (6×6×10)"


def test_plot_feature_maps_uses_a_symmetric_diverging_scale_for_signed_maps():
    maps = np.zeros((4, 4, 2))
    maps[0, 0, 1] = -0.5
    maps[1, 1, 0] = 0.25
    fig, axes = plot_feature_maps(maps)
    image = axes.flat[0].images[0]
    assert image.get_cmap().name == SIGNED_CMAP and image.get_clim() == (-0.5, 0.5)


def test_plot_feature_maps_rejects_bad_input():
    with pytest.raises(ValueError, match=r"maps.*\(1, 4, 4, 2\)"):
        plot_feature_maps(np.zeros((1, 4, 4, 2)))
    with pytest.raises(ValueError, match="n must be at least 1, got 0"):
        plot_feature_maps(np.zeros((4, 4, 2)), n=0)


def test_plot_occlusion_draws_digits_over_maps():
    images = np.zeros((3, 8, 8))
    images[:, 2:6, 3:5] = 1.0
    maps = np.zeros((3, 8, 8))
    maps[1, 0, 0] = -0.4
    maps[2, 3, 3] = 0.1
    fig, axes = plot_occlusion(images, maps, titles=["a", "b", "c"])
    assert axes.shape == (2, 3)
    assert [ax.get_title() for ax in axes[0]] == ["a", "b", "c"]
    for i in range(3):
        np.testing.assert_array_equal(axes[0, i].images[0].get_array(), images[i])
        np.testing.assert_array_equal(axes[1, i].images[0].get_array(), maps[i])
        assert axes[1, i].images[0].get_clim() == (-0.4, 0.4)
        assert axes[1, i].collections  # the digit's outline


def test_plot_occlusion_rejects_bad_input():
    with pytest.raises(ValueError, match=r"maps.*\(2, 8, 8\).*\(2, 7, 7\)"):
        plot_occlusion(np.zeros((2, 8, 8)), np.zeros((2, 7, 7)))
    with pytest.raises(ValueError, match="titles must be a list of 2"):
        plot_occlusion(np.zeros((2, 8, 8)), np.zeros((2, 8, 8)), titles="ab")


def test_plot_confident_mistakes_titles_true_predicted_and_probability():
    images = np.zeros((4, 8, 8))
    probabilities = np.array([[0.9, 0.1], [0.2, 0.8], [0.3, 0.7], [0.6, 0.4]])
    labels = np.array([0, 0, 0, 1])
    fig, axes = plot_confident_mistakes(images, labels, probabilities, n=5, ncols=5)
    titles = [ax.get_title() for ax in axes.flat if ax.images]
    assert titles == ["0 → 1 (0.80)", "0 → 1 (0.70)", "1 → 0 (0.60)"]


def test_plot_confident_mistakes_rejects_bad_input():
    with pytest.raises(ValueError, match="no wrong predictions"):
        plot_confident_mistakes(np.zeros((2, 8, 8)), np.array([0, 1]), np.eye(2))
    with pytest.raises(ValueError, match=r"probabilities.*\(2\).*\(3, 2\)"):
        plot_confident_mistakes(np.zeros((2, 8, 8)), np.array([0, 1]), np.ones((3, 2)))


# --- plot_feature_maps: a dict of named maps --------------------------------------------------------


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


def test_occlusion_map_predicts_through_a_models_predict_on_batch():
    class Model:
        """Like a Keras model: calling it would give a backend tensor, predict_on_batch NumPy."""

        def __call__(self, batch):
            raise AssertionError("a model is not called directly")

        def predict_on_batch(self, batch):
            ink = np.asarray(batch).reshape(len(batch), -1).mean(axis=1)
            return np.stack([ink, 1 - ink], axis=1)

    heat = occlusion_map(Model(), np.ones((3, 3)), label=0, patch=2, stride=1)
    assert heat.shape == (3, 3) and heat.max() > 0
