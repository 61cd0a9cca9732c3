"""plot_model_diagram: a box per layer, with its shape and parameters, read from the model."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from cnn_lesson.figures.architecture import plot_model_diagram

MINUS = "\N{MINUS SIGN}"


# --- plot_model_diagram -----------------------------------------------------


def test_model_diagram_labels_each_box_with_the_layer_shape_and_parameters(keras, texts):
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


def test_model_diagram_skips_the_input_layer_of_a_functional_model(keras, texts):
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
