"""Plot helpers: they draw what they say, label their axes and refuse bad input."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from cnn_lesson.plots import (
    confusion_matrix,
    plot_confusion_matrix,
    plot_digits,
    plot_histories,
    plot_history,
    plot_misclassified,
)
from cnn_lesson.style import COUNT_CMAP, OKABE_ITO


@pytest.fixture
def digits():
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, (30, 28, 28), dtype=np.uint8), rng.integers(0, 10, 30)


def _visible_titles(axes) -> list[str]:
    return [ax.get_title() for ax in np.ravel(axes) if ax.images]


def test_plot_digits_titles_each_image_with_its_label(digits):
    images, labels = digits
    fig, axes = plot_digits(images, labels, n=12, ncols=6)
    assert isinstance(fig, Figure) and axes.shape == (2, 6)
    assert _visible_titles(axes) == [str(v) for v in labels[:12]]
    np.testing.assert_array_equal(axes[0, 0].images[0].get_array(), images[0])


def test_plot_digits_accepts_a_channel_axis_and_one_hot_labels(digits):
    images, labels = digits
    onehot = np.eye(10)[labels]
    fig, axes = plot_digits(images[..., np.newaxis] / 255.0, onehot, n=5, ncols=5)
    assert _visible_titles(axes) == [str(v) for v in labels[:5]]


def test_plot_digits_marks_wrong_predictions(digits):
    images, labels = digits
    predictions = labels.copy()
    predictions[1] = (labels[1] + 1) % 10
    fig, axes = plot_digits(images, labels, predictions, n=3, ncols=3)
    titles = _visible_titles(axes)
    assert titles[0] == str(labels[0])
    assert titles[1] == f"{labels[1]} → {predictions[1]}"
    assert axes[0, 1].title.get_color() == OKABE_ITO["vermillion"]


def test_plot_digits_shows_no_more_images_than_it_has(digits):
    images, labels = digits
    fig, axes = plot_digits(images[:3], labels[:3], n=20, ncols=10)
    assert len(_visible_titles(axes)) == 3


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"images": np.zeros((28, 28))}, ValueError, ["images", "(28, 28)"]),
        ({"images": np.zeros((0, 28, 28))}, ValueError, ["images", "empty"]),
        ({"labels": np.arange(3)}, ValueError, ["labels", "(3,)"]),
        ({"n": 0}, ValueError, ["n", "0"]),
        ({"n": 2.5}, TypeError, ["n", "2.5"]),
        ({"ncols": True}, TypeError, ["ncols", "True"]),
    ],
)
def test_plot_digits_rejects_bad_input(digits, kwargs, error, words):
    images, labels = digits
    arguments = {"images": images, "labels": labels, **kwargs}
    with pytest.raises(error) as raised:
        plot_digits(**arguments)
    for word in words:
        assert word in str(raised.value)


def test_plot_history_draws_training_and_validation_per_metric(fake_history):
    record = {"accuracy": [0.9, 0.95, 0.97], "val_accuracy": [0.92, 0.94, 0.95],
              "loss": [0.3, 0.2, 0.1], "val_loss": [0.25, 0.2, 0.18]}
    fig, axes = plot_history(fake_history(record))
    assert len(axes) == 2
    for ax, metric in zip(axes, ("accuracy", "loss")):
        assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == metric
        training, validation = ax.get_lines()
        np.testing.assert_array_equal(training.get_xdata(), [1, 2, 3])
        np.testing.assert_array_equal(training.get_ydata(), record[metric])
        np.testing.assert_array_equal(validation.get_ydata(), record[f"val_{metric}"])
        assert [t.get_text() for t in ax.get_legend().get_texts()] == ["training", "validation"]


def test_plot_history_accepts_a_dict_without_validation():
    fig, axes = plot_history({"loss": [1.0, 0.5]}, metrics=["loss"])
    assert len(axes[0].get_lines()) == 1


def test_plot_history_rejects_missing_metrics_and_other_objects():
    with pytest.raises(ValueError, match=r"\['accuracy'\].*\['loss'\]"):
        plot_history({"loss": [1.0]})
    with pytest.raises(TypeError, match="history.*list"):
        plot_history([0.1, 0.2])


# --- plot_histories -------------------------------------------------------------


def test_plot_histories_draws_each_run_in_its_own_colour(fake_history):
    runs = {
        "SGD": fake_history({"accuracy": [0.8, 0.9], "val_accuracy": [0.85, 0.9],
                            "loss": [0.6, 0.3], "val_loss": [0.5, 0.3]}),
        "Adam": {"accuracy": [0.95, 0.98], "loss": [0.2, 0.1]},
    }
    fig, axes = plot_histories(runs)
    assert len(axes) == 2
    accuracy = axes[0]
    labels = [line.get_label() for line in accuracy.get_lines()]
    assert labels == ["SGD, training", "SGD, validation", "Adam, training"]
    sgd, sgd_val, adam = accuracy.get_lines()
    assert sgd.get_color() == sgd_val.get_color() != adam.get_color()
    assert sgd_val.get_linestyle() == "--"
    np.testing.assert_array_equal(adam.get_xdata(), [1, 2])
    np.testing.assert_array_equal(adam.get_ydata(), [0.95, 0.98])
    assert axes[1].get_ylabel() == "loss" and accuracy.get_xlabel() == "epoch"


def test_plot_histories_draws_chosen_metrics_on_a_log_axis():
    fig, axes = plot_histories({"a": {"accuracy": [0.5, 0.9], "loss": [1.0, 0.01]}},
                               log_scale=["loss"])
    assert axes[0].get_yscale() == "linear" and axes[1].get_yscale() == "log"
    assert axes[1].get_title() == "Loss (log scale)"


@pytest.mark.parametrize(
    ("histories", "metrics", "error", "words"),
    [
        ([{"loss": [1.0]}], ("loss",), TypeError, ["histories", "list"]),
        ({}, ("loss",), ValueError, ["histories is empty"]),
        ({"a": {"loss": [1.0]}}, "loss", ValueError, ["metrics", "'loss'"]),
        ({"a": {"loss": [1.0]}}, ("accuracy",), ValueError, ["'a'", "['accuracy']", "['loss']"]),
        ({"a": [1.0]}, ("loss",), TypeError, ["history", "list"]),
        ({str(i): {"loss": [1.0]} for i in range(8)}, ("loss",), ValueError, ["8 runs"]),
    ],
)
def test_plot_histories_rejects_bad_input(histories, metrics, error, words):
    with pytest.raises(error) as raised:
        plot_histories(histories, metrics)
    for word in words:
        assert word in str(raised.value)


@pytest.mark.parametrize("log_scale", ["loss", ["accuracy"]])
def test_plot_histories_rejects_log_scale_of_metrics_not_drawn(log_scale):
    with pytest.raises(ValueError) as raised:
        plot_histories({"a": {"loss": [1.0]}}, ["loss"], log_scale=log_scale)
    for word in ("log_scale", repr(log_scale), "['loss']"):
        assert word in str(raised.value)


def test_confusion_matrix_counts_pairs():
    true = np.array([0, 0, 1, 2, 2, 2])
    pred = np.array([0, 1, 1, 2, 2, 0])
    expected = np.array([[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    np.testing.assert_array_equal(confusion_matrix(true, pred, n_classes=3), expected)
    probabilities = np.eye(3)[pred] * 0.8 + 0.05
    np.testing.assert_array_equal(confusion_matrix(true, probabilities, n_classes=3), expected)


def test_confusion_matrix_rejects_labels_out_of_range_and_length_mismatch():
    with pytest.raises(ValueError, match="y_pred.*outside 0..2"):
        confusion_matrix([0, 1], [0, 3], n_classes=3)
    with pytest.raises(ValueError, match="y_pred must hold one label per image"):
        confusion_matrix([0, 1, 2], [0, 1])


def test_plot_confusion_matrix_writes_every_nonzero_count():
    true = np.array([0, 0, 1, 2, 2, 2, 2])
    pred = np.array([0, 1, 1, 2, 2, 0, 2])
    fig, ax = plot_confusion_matrix(true, pred, n_classes=3)
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == sorted(["1", "1", "1", "3", "1"])
    assert ax.get_xlabel() == "predicted label" and ax.get_ylabel() == "true label"
    assert ax.images[0].get_cmap().name == COUNT_CMAP


def test_plot_misclassified_shows_only_the_mistakes(digits):
    images, labels = digits
    predictions = labels.copy()
    wrong = [3, 7, 20]
    predictions[wrong] = (labels[wrong] + 1) % 10
    fig, axes = plot_misclassified(images, labels, predictions, n=10)
    assert _visible_titles(axes) == [f"{labels[i]} → {predictions[i]}" for i in wrong]
    assert "3 misclassified" in fig._suptitle.get_text()


def test_plot_misclassified_with_no_mistakes_says_so(digits):
    images, labels = digits
    with pytest.raises(ValueError, match="no misclassified"):
        plot_misclassified(images, labels, labels)


def test_every_helper_figure_is_shown_inline_in_a_notebook():
    """In a real kernel, each figure appears, including those after the first."""
    nbclient = pytest.importorskip("nbclient")
    nbformat = pytest.importorskip("nbformat")
    cells = [
        "from cnn_lesson.plots import plot_history, plot_confusion_matrix, plot_digits\n"
        "import numpy as np",
        "fig, axes = plot_history({'loss': [1.0, 0.5]}, metrics=['loss'])",
        "fig, ax = plot_confusion_matrix([0, 1, 1], [0, 1, 0], n_classes=2)",
        "fig, axes = plot_digits(np.zeros((2, 28, 28)), [0, 1])",
        "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 2]);",
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nbclient.NotebookClient(notebook, kernel_name="python3", timeout=120).execute()
    for cell in notebook.cells[1:]:
        kinds = [output.get("data", {}).keys() for output in cell.outputs]
        assert any("image/png" in k for k in kinds), cell.source


def test_helper_figures_in_a_notebook_have_twice_the_pixels_of_their_size_on_the_page():
    """The retina PNG: sharp when a reader zooms; the page keeps the figure's size."""
    nbclient = pytest.importorskip("nbclient")
    nbformat = pytest.importorskip("nbformat")
    cells = [
        "import numpy as np\nfrom cnn_lesson.plots import plot_digits",
        "fig, axes = plot_digits(np.zeros((3, 28, 28)), [0, 1, 2])",
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nbclient.NotebookClient(notebook, kernel_name="python3", timeout=120).execute()
    (image,) = [output for output in notebook.cells[1].outputs if "image/png" in output.get("data", {})]
    pixels = Image.open(io.BytesIO(base64.b64decode(image["data"]["image/png"]))).size
    shown = image["metadata"]["image/png"]
    # matplotlib-inline halves each side, rounding down
    assert (pixels[0] // 2, pixels[1] // 2) == (shown["width"], shown["height"]), (pixels, shown)
    assert shown["width"] > 100
