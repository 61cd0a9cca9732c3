"""Output sizes of convolution and pooling layers, and the table of a stack of layers.

One formula serves both.  For ``padding`` given as an int ``p`` (zero pixels
added on each side) an input of ``n`` pixels, a window of ``k`` and a stride
of ``s`` give::

    floor((n + 2p - k) / s) + 1

``"valid"`` is ``p = 0``; ``"same"`` pads just enough that the output is
``ceil(n / s)`` pixels, whatever the window.  These agree with Keras's
``Conv2D``, ``MaxPooling2D`` and ``AveragePooling2D`` along each axis.

The formula lives here once.  :func:`layer_table` applies it to a whole stack
of Keras layers, reading their configurations without building them, to give
each layer's output shape and parameter count.  Keras is never imported.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from numbers import Integral

from .validate import Padding, check_int, check_padding

def _window_output_size(
    input_size: object, window: object, stride: object, padding: object, window_name: str
) -> int:
    n = check_int("input_size", input_size, 1)
    k = check_int(window_name, window, 1)
    s = check_int("stride", stride, 1)
    pad = check_padding(padding)
    if pad == "same":
        return math.ceil(n / s)
    p = 0 if pad == "valid" else pad
    if k > n + 2 * p:
        raise ValueError(
            f"{window_name}={k} is larger than the padded input "
            f"(input_size={n} with padding={padding!r} gives {n + 2 * p} pixels)"
        )
    return (n + 2 * p - k) // s + 1


def conv_output_size(
    input_size: int, kernel_size: int, stride: int = 1, padding: Padding = "valid"
) -> int:
    """Size of a convolution's output along one axis.

    Parameters
    ----------
    input_size
        Pixels of the input along the axis (at least 1).
    kernel_size
        Pixels of the kernel along the axis (at least 1).
    stride
        Step between kernel positions (at least 1).
    padding
        ``"valid"`` (no padding), ``"same"`` (output ``ceil(n / stride)``) or
        a non-negative int of zero pixels added on each side.

    Returns
    -------
    int
        ``floor((n + 2p - k) / s) + 1``, or ``ceil(n / s)`` for ``"same"``.

    Raises
    ------
    TypeError
        If a size is not an int (``bool`` included) or ``padding`` is neither
        a string nor an int.
    ValueError
        If a size or stride is below 1, ``padding`` is negative or an unknown
        word, or the kernel is larger than the padded input.

    Examples
    --------
    >>> conv_output_size(28, 5)
    24
    >>> conv_output_size(28, 3, stride=2, padding="same")
    14
    """
    return _window_output_size(input_size, kernel_size, stride, padding, "kernel_size")


def pool_output_size(
    input_size: int, pool_size: int = 2, stride: int | None = None, padding: Padding = "valid"
) -> int:
    """Size of a pooling layer's output along one axis.

    ``stride=None`` means the pool size, as in Keras.  Everything else is as
    in :func:`conv_output_size`, with ``pool_size`` in place of the kernel.

    Examples
    --------
    >>> pool_output_size(24)
    12
    >>> pool_output_size(5, 2, padding="same")
    3
    """
    if stride is None:
        stride = pool_size
        # Name the argument the caller gave if the pool size is what is wrong.
        check_int("pool_size", pool_size, 1)
    return _window_output_size(input_size, pool_size, stride, padding, "pool_size")


def same_padding(input_size: int, window: int, stride: int = 1) -> tuple[int, int]:
    """Zero pixels added before and after along one axis by ``padding="same"``.

    Just enough that the output has ``ceil(input_size / stride)`` pixels; when
    the total is odd, the extra pixel goes after, as Keras does.

    Examples
    --------
    >>> same_padding(5, 2)
    (0, 1)
    >>> same_padding(28, 5)
    (2, 2)
    """
    out = conv_output_size(input_size, window, stride, "same")
    total = max((out - 1) * stride + window - input_size, 0)
    return total // 2, total - total // 2


# --- A table of layers: output shapes and parameter counts from the formula ---

#: The Keras layers :func:`layer_table` understands, by class name.
SUPPORTED_LAYERS = (
    "Conv2D",
    "MaxPooling2D",
    "AveragePooling2D",
    "Flatten",
    "Dense",
    "Dropout",
)


@dataclass(frozen=True)
class LayerRow:
    """One row of a :class:`LayerTable`: a layer, its output and its parameters.

    Attributes
    ----------
    name
        The layer's name, as Keras shows it (``"conv2d"``, ``"dense_1"``).
    kind
        The layer's class name (``"Conv2D"``).
    output_shape
        The shape of the layer's output for one sample (no batch axis).
    params
        Number of parameters (weights and biases) the layer learns.
    counted_as
        The arithmetic behind ``params``, e.g. ``"5×5×1×10 + 10"``; empty
        for layers without parameters.
    """

    name: str
    kind: str
    output_shape: tuple[int, ...]
    params: int
    counted_as: str = ""


class LayerTable(list):
    """A list of :class:`LayerRow`, one per layer, that prints as a table.

    ``str()`` and ``repr()`` give an aligned text table and notebooks show an
    HTML table; both start with the input shape and end with the total.
    """

    def __init__(self, rows: Sequence[LayerRow], input_shape: tuple[int, ...]):
        super().__init__(rows)
        self.input_shape = tuple(input_shape)

    @property
    def total_params(self) -> int:
        """The parameters of all layers together."""
        return sum(row.params for row in self)

    def _cells(self) -> tuple[list[str], list[list[str]], list[str]]:
        header = ["Layer (type)", "Output shape", "Params", "Counted as"]
        body = [["input", str(self.input_shape), "", ""]]
        for row in self:
            body.append(
                [f"{row.name} ({row.kind})", str(row.output_shape), f"{row.params:,}",
                 row.counted_as]
            )
        total = ["Total", "", f"{self.total_params:,}", ""]
        return header, body, total

    def __str__(self) -> str:
        header, body, total = self._cells()
        lines = [header, *body, total]
        widths = [max(len(line[i]) for line in lines) for i in range(len(header))]

        def fmt(cells: list[str]) -> str:
            parts = [
                cell.rjust(width) if i == 2 else cell.ljust(width)
                for i, (cell, width) in enumerate(zip(cells, widths))
            ]
            return "  ".join(parts).rstrip()

        rule = "-" * len(fmt(header))
        return "\n".join([fmt(header), rule, *map(fmt, body), rule, fmt(total)])

    __repr__ = __str__

    def _repr_html_(self) -> str:
        header, body, total = self._cells()

        def row_html(cells: list[str], tag: str) -> str:
            parts = []
            for i, cell in enumerate(cells):
                align = "right" if i == 2 else "left"
                style = f"text-align: {align}; padding: 0.15em 0.6em; white-space: nowrap"
                parts.append(f'<{tag} style="{style}">{html.escape(cell)}</{tag}>')
            return "<tr>" + "".join(parts) + "</tr>"

        rows = "".join(row_html(cells, "td") for cells in body)
        return (
            '<table class="layer-table" style="font-size: 0.9em">'
            f"<thead>{row_html(header, 'th')}</thead>"
            f"<tbody>{rows}</tbody>"
            f"<tfoot>{row_html(total, 'th')}</tfoot>"
            "</table>"
        )


def _layer_label(index: int, layer: object) -> str:
    name = getattr(layer, "name", None)
    return f"layers[{index}] {name!r} ({type(layer).__name__})"


def _config_pair(label: str, config: dict, key: str, default: object = None) -> tuple[int, int]:
    """A (rows, columns) pair from a layer's config, where Keras may store one int."""
    value = config.get(key, default)
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{label}: {key} must be a pair of ints, got {value!r}")
        pair = tuple(value)
    else:
        pair = (value, value)
    try:
        return check_int(key, pair[0], 1), check_int(key, pair[1], 1)
    except (TypeError, ValueError) as error:
        raise type(error)(f"{label}: {error}") from None


def _config_int(label: str, config: dict, key: str) -> int:
    try:
        return check_int(key, config.get(key), 1)
    except (TypeError, ValueError) as error:
        raise type(error)(f"{label}: {error}") from None


def _refuse_unsupported_options(label: str, kind: str, config: dict) -> None:
    """Raise for configurations whose shapes or counts the formula does not cover."""
    data_format = config.get("data_format") or "channels_last"
    if kind != "Flatten" and data_format != "channels_last":
        raise ValueError(
            f"{label}: data_format={data_format!r} is not supported; layer_table "
            "reads shapes as (height, width, channels), Keras's default 'channels_last'"
        )
    for key in ("dilation_rate", "groups"):
        if key in config:
            value = config[key]
            values = tuple(value) if isinstance(value, (tuple, list)) else (value,)
            if any(v != 1 for v in values):
                raise ValueError(
                    f"{label}: {key}={value!r} is not supported; layer_table covers "
                    f"{key}=1 only"
                )
    if config.get("lora_rank"):
        raise ValueError(
            f"{label}: lora_rank={config['lora_rank']!r} adds LoRA weights, "
            "which layer_table does not count"
        )
    if config.get("quantization_config") is not None:
        raise ValueError(f"{label}: quantized layers are not supported by layer_table")
    dtype = config.get("dtype")
    if isinstance(dtype, dict) and "Quantized" in str(dtype.get("class_name", "")):
        raise ValueError(f"{label}: quantized layers are not supported by layer_table")


def _need_image(label: str, shape: tuple[int, ...]) -> tuple[int, int, int]:
    if len(shape) != 3:
        raise ValueError(
            f"{label} needs an input of shape (height, width, channels), got {shape}; "
            "is a Flatten layer in the wrong place?"
        )
    return shape  # type: ignore[return-value]


def _window_shape(
    label: str,
    shape: tuple[int, ...],
    window: tuple[int, int],
    strides: tuple[int, int],
    padding: object,
    size_function: Callable[[int, int, int, Padding], int],
) -> tuple[int, int]:
    """Output height and width of a sliding window, naming the layer on error."""
    out = []
    for axis, n, k, s in zip(("height", "width"), shape[:2], window, strides):
        try:
            out.append(size_function(n, k, s, padding))
        except (TypeError, ValueError) as error:
            raise type(error)(
                f"{label}: along the {axis} of its input {shape}: {error}"
            ) from None
    return out[0], out[1]


def _layer_row(index: int, layer: object, shape: tuple[int, ...]) -> LayerRow:
    """The row of one layer whose input has ``shape`` (no batch axis)."""
    label = _layer_label(index, layer)
    kind = type(layer).__name__
    if kind not in SUPPORTED_LAYERS:
        raise TypeError(
            f"{label}: layer_table does not support {kind} layers; it supports "
            f"{', '.join(SUPPORTED_LAYERS)}"
        )
    get_config = getattr(layer, "get_config", None)
    config = get_config() if callable(get_config) else None
    if not isinstance(config, dict):
        raise TypeError(f"{label}: get_config() must return a dict, got {config!r}")
    name = str(getattr(layer, "name", None) or config.get("name", kind))
    _refuse_unsupported_options(label, kind, config)

    if kind == "Conv2D":
        height, width, channels = _need_image(label, shape)
        filters = _config_int(label, config, "filters")
        kernel = _config_pair(label, config, "kernel_size")
        strides = _config_pair(label, config, "strides", 1)
        out_h, out_w = _window_shape(
            label, shape, kernel, strides, config.get("padding", "valid"),
            conv_output_size,
        )
        weights = kernel[0] * kernel[1] * channels * filters
        bias = filters if config.get("use_bias", True) else 0
        counted = f"{kernel[0]}×{kernel[1]}×{channels}×{filters}"
        counted += f" + {filters}" if bias else ""
        return LayerRow(name, kind, (out_h, out_w, filters), weights + bias, counted)

    if kind in ("MaxPooling2D", "AveragePooling2D"):
        height, width, channels = _need_image(label, shape)
        pool = _config_pair(label, config, "pool_size")
        strides = pool if config.get("strides") is None else _config_pair(label, config, "strides")
        out_h, out_w = _window_shape(
            label, shape, pool, strides, config.get("padding", "valid"),
            pool_output_size,
        )
        return LayerRow(name, kind, (out_h, out_w, channels), 0)

    if kind == "Flatten":
        return LayerRow(name, kind, (math.prod(shape),), 0)

    if kind == "Dense":
        units = _config_int(label, config, "units")
        inputs = shape[-1]
        bias = units if config.get("use_bias", True) else 0
        counted = f"{inputs}×{units}" + (f" + {units}" if bias else "")
        return LayerRow(name, kind, (*shape[:-1], units), inputs * units + bias, counted)

    # Dropout: the same shape out as in, nothing to learn.
    return LayerRow(name, kind, shape, 0)


def layer_table(input_shape: Sequence[int], layers: Sequence[object]) -> LayerTable:
    """Output shape and parameter count of each layer, from the formula alone.

    Nothing is built or run: each layer's ``get_config()`` (filters, kernel
    size, strides, padding, units, ...) is read and the shapes are worked
    out with :func:`conv_output_size` and :func:`pool_output_size`.  Keras
    itself is not imported.

    Parameters
    ----------
    input_shape
        The shape of one sample, without the batch axis: ``(28, 28, 1)``.
    layers
        Keras layers in order: ``Conv2D``, ``MaxPooling2D``,
        ``AveragePooling2D``, ``Flatten``, ``Dense`` or ``Dropout``
        (channels-last, no dilation, no groups).  They need not be built.

    Returns
    -------
    LayerTable
        A list of :class:`LayerRow` (``name``, ``kind``, ``output_shape``,
        ``params``, ``counted_as``), one per layer, with ``total_params``;
        it prints, and shows in a notebook, as a table.

    Raises
    ------
    TypeError
        If ``input_shape`` is not a sequence of ints, ``layers`` is not a
        sequence of layers, or a layer is of an unsupported kind.
    ValueError
        If a size is below 1, a layer uses an unsupported option
        (``dilation_rate``, ``groups``, ``channels_first``, LoRA,
        quantisation), or a shape is impossible: a window larger than its
        padded input, or an image layer after ``Flatten``.

    Examples
    --------
    >>> import keras  # doctest: +SKIP
    >>> layer_table((28, 28, 1), [keras.layers.Conv2D(10, 5)])  # doctest: +SKIP
    """
    if isinstance(input_shape, (str, bytes)) or not isinstance(input_shape, Sequence):
        raise TypeError(
            "input_shape must be a tuple of ints such as (28, 28, 1), got "
            f"{input_shape!r} ({type(input_shape).__name__})"
        )
    if len(input_shape) == 0:
        raise ValueError("input_shape must have at least one axis, got ()")
    for size in input_shape:
        if isinstance(size, bool) or not isinstance(size, Integral):
            raise TypeError(
                f"input_shape must hold ints, one per axis without the batch axis, "
                f"got {tuple(input_shape)!r}"
            )
        if size < 1:
            raise ValueError(f"input_shape sizes must be at least 1, got {tuple(input_shape)!r}")
    if isinstance(layers, (str, bytes)) or not isinstance(layers, Sequence):
        raise TypeError(
            f"layers must be a list of Keras layers, got {type(layers).__name__}"
        )
    shape = tuple(int(size) for size in input_shape)
    rows = []
    for index, layer in enumerate(layers):
        if not callable(getattr(layer, "get_config", None)):
            raise TypeError(
                f"layers[{index}] must be a Keras layer, got {layer!r} ({type(layer).__name__})"
            )
        row = _layer_row(index, layer, shape)
        rows.append(row)
        shape = row.output_shape
    return LayerTable(rows, tuple(int(size) for size in input_shape))
