"""A model drawn as a column of boxes, one per layer (CNN architecture)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..style import OKABE_ITO, figure_style, pale, shape_text

__all__ = ["plot_model_diagram"]

#: Pale fills for the boxes of a model diagram, by kind of layer.
_LAYER_FILLS = {
    "Conv": OKABE_ITO["sky"],
    "Pool": OKABE_ITO["orange"],
    "Flatten": "#BBBBBB",
    "Dense": OKABE_ITO["green"],
    "Dropout": OKABE_ITO["purple"],
}


def plot_model_diagram(model: Any) -> tuple[Figure, Axes]:
    """Draw a Keras model as a column of boxes, one per layer, input at the top.

    Each box names the layer's class (and its activation, if any) and gives
    its output shape, without the batch axis, and its number of parameters,
    all read from the model itself.

    Parameters
    ----------
    model
        A built Keras model, such as a ``keras.Sequential`` that starts with
        ``keras.Input(shape=...)``.

    Returns
    -------
    fig, ax
        The box texts are ``ax.texts`` from top to bottom: the input, then one
        per layer (``"Conv2D (relu)\\n26 × 26 × 16 · 160 parameters"``), then
        the total.
    """
    layers = getattr(model, "layers", None)
    if not isinstance(layers, Sequence) or isinstance(layers, str):
        raise TypeError(f"model must be a Keras model with .layers, got {type(model).__name__}")
    layers = [layer for layer in layers if type(layer).__name__ != "InputLayer"]
    if len(layers) == 0:
        raise ValueError(f"model has no layers to draw: {model!r}")
    try:
        inputs = getattr(model, "inputs", None) or [layers[0].input]
        input_shape = tuple(inputs[0].shape)[1:]
        shapes = [tuple(layer.output.shape)[1:] for layer in layers]
    except (AttributeError, ValueError) as error:
        raise ValueError(
            "model must be built before it is drawn: start it with "
            f"keras.Input(shape=...) ({error})"
        ) from None
    boxes = [("Input", shape_text(input_shape), "white")]
    total = 0
    for layer, shape in zip(layers, shapes):
        kind = type(layer).__name__
        activation = getattr(getattr(layer, "activation", None), "__name__", "linear")
        title = kind if activation == "linear" else f"{kind} ({activation})"
        params = int(layer.count_params())
        total += params
        fill = next((c for key, c in _LAYER_FILLS.items() if key in kind), "#DDDDDD")
        boxes.append((title, f"{shape_text(shape)} · {params:,} parameters", pale(fill)))

    with figure_style():
        step = 0.78
        fig, ax = plt.subplots(figsize=(4.6, step * len(boxes) + 0.35))
        ax.set_xlim(0, 1)
        ax.set_ylim(-0.55 * step - 0.3, (len(boxes) - 0.5) * step)
        ax.set_axis_off()
        for i, (title, detail, fill) in enumerate(boxes):
            y = (len(boxes) - 1 - i) * step
            ax.add_patch(mpl.patches.FancyBboxPatch(
                (0.08, y - 0.26), 0.84, 0.52, boxstyle="round,pad=0,rounding_size=0.06",
                facecolor=fill, edgecolor="0.3", linewidth=1,
            ))
            ax.text(0.5, y, f"{title}\n{detail}", ha="center", va="center", fontsize=9.5,
                    linespacing=1.4)
            if i:
                ax.add_patch(mpl.patches.FancyArrowPatch(
                    (0.5, y + step - 0.27), (0.5, y + 0.27), arrowstyle="-|>",
                    mutation_scale=10, color="0.3", linewidth=1.2,
                ))
        ax.text(0.5, -0.55 * step, f"Total: {total:,} parameters", ha="center", va="center",
                fontsize=10, fontweight="bold")
        fig.tight_layout(pad=0.2)
    return fig, ax
