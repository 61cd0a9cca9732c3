"""layer_table: shapes and parameter counts from the formula, checked against Keras."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cnn_lesson.shapes import LayerRow, LayerTable, layer_table

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
keras = pytest.importorskip("keras")
L = keras.layers


def _keras_rows(input_shape, layers):
    """Per-layer output shapes and parameter counts from a model Keras builds."""
    model = keras.Sequential([keras.Input(shape=input_shape), *layers])
    shapes = [tuple(layer.output.shape[1:]) for layer in model.layers]
    params = [layer.count_params() for layer in model.layers]
    return shapes, params, model.count_params()


def _agrees_with_keras(input_shape, make_layers):
    """Assert that layer_table and Keras agree, or both refuse the stack."""
    try:
        ours = layer_table(input_shape, make_layers())
    except ValueError as error:
        ours, our_error = None, error
    try:
        expected = _keras_rows(input_shape, make_layers())
    except ValueError as error:
        assert ours is None, f"Keras refused ({error}) but layer_table gave\n{ours}"
        return None
    assert ours is not None, f"layer_table refused ({our_error}) but Keras built {expected}"
    assert [row.output_shape for row in ours] == expected[0]
    assert [row.params for row in ours] == expected[1]
    assert ours.total_params == expected[2]
    return ours


# --- The three models of the output-size episode -------------------------------


def test_mnist_exercise_model():
    table = _agrees_with_keras(
        (28, 28, 1),
        lambda: [
            L.Conv2D(10, (5, 5), activation="relu"),
            L.MaxPooling2D((2, 2), strides=2),
            L.Flatten(),
            L.Dense(100, activation="relu"),
            L.Dense(10, activation="softmax"),
        ],
    )
    assert [row.output_shape for row in table] == [
        (24, 24, 10), (12, 12, 10), (1440,), (100,), (10,)
    ]
    assert [row.params for row in table] == [260, 0, 0, 144_100, 1010]
    assert table.total_params == 145_370
    assert [row.kind for row in table] == [
        "Conv2D", "MaxPooling2D", "Flatten", "Dense", "Dense"
    ]
    assert table[0].counted_as == "5×5×1×10 + 10"
    assert table[3].counted_as == "1440×100 + 100"


def test_colour_model():
    table = _agrees_with_keras(
        (224, 223, 3),
        lambda: [
            L.Conv2D(10, 3), L.Conv2D(10, 3), L.MaxPool2D(),
            L.Conv2D(10, 3), L.Conv2D(10, 3), L.MaxPool2D(),
            L.Flatten(), L.Dense(10, activation="softmax"),
        ],
    )
    assert table[-2].output_shape == (53 * 52 * 10,)
    assert table.total_params == 280 + 3 * 910 + 27_560 * 10 + 10


def test_two_convolution_model():
    table = _agrees_with_keras(
        (28, 28, 1),
        lambda: [
            L.Conv2D(32, 5), L.MaxPooling2D(2, 2), L.Conv2D(64, 5),
            L.MaxPooling2D(2), L.Flatten(), L.Dense(1000), L.Dense(10),
        ],
    )
    assert [row.params for row in table] == [832, 0, 51_264, 0, 0, 1_025_000, 10_010]
    assert table.total_params == 1_087_106


# --- Other configurations, each against Keras -----------------------------------


@pytest.mark.parametrize(
    ("input_shape", "make_layers"),
    [
        # Dense on a 3-D input acts on the last axis, as Keras does.
        ((6, 5, 4), lambda: [L.Dense(7)]),
        ((6, 5, 4), lambda: [L.Conv2D(3, 3), L.Dense(2), L.Flatten(), L.Dense(4)]),
        ((9, 9, 2), lambda: [L.Conv2D(4, (3, 2), strides=(2, 3), padding="same")]),
        ((9, 7, 2), lambda: [L.Conv2D(4, 4, use_bias=False), L.Dense(3, use_bias=False)]),
        ((10, 9, 3), lambda: [L.AveragePooling2D(3, strides=2, padding="same")]),
        ((10, 9, 3), lambda: [L.MaxPooling2D((3, 2), strides=(1, 2))]),
        ((5,), lambda: [L.Flatten(), L.Dropout(0.5), L.Dense(3)]),
        ((3, 4, 5), lambda: [L.Flatten(data_format="channels_first")]),
        ((5, 5, 1), lambda: [L.Conv2D(1, 5)]),  # kernel as large as the input: 1×1
    ],
)
def test_configurations_agree_with_keras(input_shape, make_layers):
    assert _agrees_with_keras(input_shape, make_layers) is not None


# A random stack is a list of layer recipes; each test builds fresh layers from
# it twice, once for layer_table and once for Keras.
windows = st.tuples(st.integers(1, 5), st.integers(1, 5))
conv_recipe = st.tuples(
    st.just("conv"), st.integers(1, 8), windows, windows,
    st.sampled_from(["valid", "same", "SAME"]), st.booleans(),
)
pool_recipe = st.tuples(
    st.sampled_from(["max", "average"]), windows,
    st.one_of(st.none(), windows), st.sampled_from(["valid", "same"]),
)
dense_recipe = st.tuples(st.just("dense"), st.integers(1, 12), st.booleans())
simple_recipe = st.tuples(st.sampled_from(["flatten", "dropout"]))


def _build(recipe):
    kind = recipe[0]
    if kind == "conv":
        _, filters, kernel, strides, padding, bias = recipe
        return L.Conv2D(filters, kernel, strides=strides, padding=padding, use_bias=bias)
    if kind in ("max", "average"):
        _, pool, strides, padding = recipe
        layer = L.MaxPooling2D if kind == "max" else L.AveragePooling2D
        return layer(pool, strides=strides, padding=padding)
    if kind == "dense":
        return L.Dense(recipe[1], use_bias=recipe[2])
    if kind == "flatten":
        return L.Flatten()
    return L.Dropout(0.3)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    input_shape=st.tuples(st.integers(1, 30), st.integers(1, 30), st.integers(1, 4)),
    image_part=st.lists(
        st.one_of(conv_recipe, pool_recipe, simple_recipe), min_size=1, max_size=5
    ),
    head=st.lists(st.one_of(dense_recipe, simple_recipe), max_size=3),
)
def test_random_stacks_agree_with_keras(input_shape, image_part, head):
    recipes = image_part + head
    table = _agrees_with_keras(input_shape, lambda: [_build(r) for r in recipes])
    event("both refused" if table is None else "both built")


@settings(max_examples=60, deadline=None)
@given(
    size=st.integers(6, 40),
    channels=st.integers(1, 3),
    convs=st.lists(st.tuples(st.integers(1, 16), st.integers(1, 3)), min_size=1, max_size=3),
    units=st.lists(st.integers(1, 50), min_size=1, max_size=2),
)
def test_random_classifiers_always_build_and_agree(size, channels, convs, units):
    """Conv/pool stacks that Keras always accepts: layer_table must never refuse them."""

    def make():
        layers = []
        for filters, kernel in convs:
            layers += [L.Conv2D(filters, kernel, padding="same"), L.MaxPooling2D(padding="same")]
        return [*layers, L.Flatten(), *(L.Dense(u) for u in units)]

    assert _agrees_with_keras((size, size, channels), make) is not None


def test_layers_are_neither_built_nor_called():
    layers = [L.Conv2D(4, 3), L.MaxPooling2D(), L.Flatten(), L.Dense(5)]
    layer_table((12, 12, 1), layers)
    # Layers without weights count as built from the start; these two do not.
    assert not layers[0].built and not layers[3].built
    assert all(layer.weights == [] for layer in layers)


def test_empty_stack_gives_an_empty_table():
    table = layer_table((28, 28, 1), [])
    assert table == [] and table.total_params == 0 and table.input_shape == (28, 28, 1)


def test_works_without_keras_on_duck_typed_layers():
    """The support package must not need TensorFlow: run with keras unimportable."""
    code = textwrap.dedent(
        """
        import sys
        sys.modules["keras"] = None
        sys.modules["tensorflow"] = None

        class Conv2D:
            name = "my_conv"
            def get_config(self):
                return {"filters": 2, "kernel_size": 3, "strides": 1,
                        "padding": "valid", "use_bias": True}

        class Flatten:
            name = "flat"
            def get_config(self):
                return {}

        from cnn_lesson.shapes import layer_table
        table = layer_table((5, 5, 1), [Conv2D(), Flatten()])
        print([row.output_shape for row in table], table.total_params)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    # the last line: where JAX is installed, importing cnn_lesson first says that
    # Keras would run on it (cnn_lesson.backend), since TensorFlow cannot be found
    assert result.stdout.strip().splitlines()[-1] == "[(3, 3, 2), (18,)] 20"


# --- How the table looks --------------------------------------------------------


@pytest.fixture
def mnist_table():
    return layer_table(
        (28, 28, 1),
        [L.Conv2D(10, 5, name="conv"), L.MaxPooling2D(name="pool"), L.Flatten(name="flat"),
         L.Dense(100, name="hidden"), L.Dense(10, name="out")],
    )


def test_text_table_is_aligned_with_input_and_total(mnist_table):
    text = str(mnist_table)
    assert repr(mnist_table) == text
    lines = text.splitlines()
    assert lines[0].split() == ["Layer", "(type)", "Output", "shape", "Params", "Counted", "as"]
    assert lines[2].split() == ["input", "(28,", "28,", "1)"]
    assert lines[3].split() == ["conv", "(Conv2D)", "(24,", "24,", "10)", "260", "5×5×1×10", "+",
                                "10"]
    assert lines[-1].split() == ["Total", "145,370"]
    # Parameter counts are right-aligned in one column.
    column_end = lines[0].index("Params") + len("Params")
    for line in lines[3:8]:
        number = line.split()[-1] if "×" not in line else line.split("  ")[-2]
        assert line[:column_end].rstrip().endswith(number.strip()), line
    assert max(len(line) for line in lines) < 80


def test_html_table_has_one_row_per_layer_plus_input(mnist_table):
    page = mnist_table._repr_html_()
    assert page.startswith("<table") and page.endswith("</table>")
    assert page.count("<tr>") == 1 + 1 + len(mnist_table) + 1  # header, input, layers, total
    assert "hidden (Dense)" in page and "144,100" in page and "145,370" in page


def test_html_escapes_names():
    class Dense:
        name = "<b>x</b>"

        def get_config(self):
            return {"units": 2}

    page = layer_table((3,), [Dense()])._repr_html_()
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page


def test_rows_are_layer_rows():
    table = layer_table((4, 4, 1), [L.Flatten(name="f")])
    assert isinstance(table, LayerTable) and isinstance(table, list)
    assert table[0] == LayerRow("f", "Flatten", (16,), 0, "")


# --- Errors ---------------------------------------------------------------------


class _Fake:
    """A duck-typed layer: class name and config chosen by the test."""

    def __init__(self, config, name="fake"):
        self._config = config
        self.name = name

    def get_config(self):
        return self._config


def _fake(kind, config):
    return type(kind, (_Fake,), {})(config)


ERRORS = [
    # (input_shape, layers, exception, words the message must contain)
    ("28x28", [], TypeError, ["input_shape", "'28x28'"]),
    (28, [], TypeError, ["input_shape", "28"]),
    ((), [], ValueError, ["input_shape", "()"]),
    ((None, 28, 28, 1), [], TypeError, ["input_shape", "(None, 28, 28, 1)", "batch"]),
    ((28.0, 28, 1), [], TypeError, ["input_shape", "28.0"]),
    ((28, True, 1), [], TypeError, ["input_shape", "True"]),
    ((28, 0, 1), [], ValueError, ["input_shape", "(28, 0, 1)"]),
    ((28, 28, 1), "conv", TypeError, ["layers", "str"]),
    ((28, 28, 1), L.Dense(3), TypeError, ["layers", "Dense"]),
    ((28, 28, 1), [3], TypeError, ["layers[0]", "3", "int"]),
    ((28, 28, 1), [keras.Input((3,))], TypeError, ["layers[0]", "KerasTensor"]),
    ((28, 28, 1), [L.LSTM(3)], TypeError, ["layers[0]", "'lstm", "LSTM", "Conv2D"]),
    ((28, 28, 1), [L.BatchNormalization()], TypeError, ["BatchNormalization"]),
    ((28, 28, 1), [L.Conv2D(3, 3, dilation_rate=2)], ValueError,
     ["layers[0]", "Conv2D", "dilation_rate=(2, 2)"]),
    ((28, 28, 4), [L.Conv2D(4, 3, groups=2)], ValueError, ["Conv2D", "groups=2"]),
    ((1, 28, 28), [L.Conv2D(3, 3, data_format="channels_first")], ValueError,
     ["Conv2D", "channels_first"]),
    ((1, 28, 28), [L.MaxPooling2D(data_format="channels_first")], ValueError,
     ["MaxPooling2D", "channels_first"]),
    ((28, 28, 1), [L.Conv2D(3, 3, lora_rank=2)], ValueError, ["Conv2D", "lora_rank=2"]),
    ((10,), [L.Dense(3, lora_rank=2)], ValueError, ["Dense", "lora_rank=2"]),
    ((4, 9, 1), [L.Conv2D(3, 5)], ValueError,
     ["layers[0]", "Conv2D", "height", "(4, 9, 1)", "kernel_size=5"]),
    ((9, 4, 1), [L.Conv2D(3, 5)], ValueError, ["width", "(9, 4, 1)", "kernel_size=5"]),
    ((28, 28, 1), [L.Conv2D(3, 5)] * 1 + [L.MaxPooling2D(2)] * 5, ValueError,
     ["layers[5]", "MaxPooling2D", "(1, 1, 3)", "pool_size=2"]),
    ((28, 28, 1), [L.Flatten(), L.Conv2D(3, 3)], ValueError,
     ["layers[1]", "Conv2D", "(784,)", "(height, width, channels)", "Flatten"]),
    ((28, 28, 1), [L.Flatten(), L.AveragePooling2D(2)], ValueError,
     ["layers[1]", "AveragePooling2D", "(784,)"]),
    ((28, 28), [L.Conv2D(3, 3)], ValueError, ["Conv2D", "(28, 28)"]),
    ((5, 5, 1), [_fake("Conv2D", {"filters": 0, "kernel_size": 3})], ValueError,
     ["layers[0]", "Conv2D", "filters", "0"]),
    ((5, 5, 1), [_fake("Conv2D", {"filters": 2, "kernel_size": (3, 3, 3)})], ValueError,
     ["kernel_size", "(3, 3, 3)"]),
    ((5, 5, 1), [_fake("Conv2D", {"filters": 2, "kernel_size": 2.5})], TypeError,
     ["kernel_size", "2.5"]),
    ((5, 5, 1), [_fake("Conv2D", {"filters": 2, "kernel_size": 3, "padding": "full"})],
     ValueError, ["Conv2D", "padding", "'full'"]),
    ((5, 5, 1), [_fake("MaxPooling2D", {"pool_size": 2, "strides": 0})], ValueError,
     ["MaxPooling2D", "strides", "0"]),
    ((5,), [_fake("Dense", {"units": "ten"})], TypeError, ["Dense", "units", "'ten'"]),
    ((5,), [_fake("Dense", {"units": 3})] + [_fake("Dense", None)], TypeError,
     ["layers[1]", "get_config()", "dict"]),
]


@pytest.mark.parametrize(("input_shape", "layers", "error", "words"), ERRORS)
def test_bad_input_raises_a_clear_error(input_shape, layers, error, words):
    with pytest.raises(error) as raised:
        layer_table(input_shape, layers)
    for word in words:
        assert word in str(raised.value), (word, str(raised.value))


# Keras's own quantize() emits a NumPy DeprecationWarning; it is not ours.
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_quantized_layers_are_refused():
    layer = L.Dense(4)
    layer.build((None, 8))
    layer.quantize("int8")
    with pytest.raises(ValueError, match="quantized"):
        layer_table((8,), [layer])
