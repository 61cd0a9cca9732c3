"""Bar charts of a few vectors: a dense layer's scores, softmax, dropout."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ..style import OKABE_ITO, figure_style, format_number
from ..validate import named_vectors

__all__ = ["plot_value_bars"]

#: Bar colours of stacked panels, one per panel.
_BAR_COLOURS = (OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["green"], OKABE_ITO["sky"])


def plot_value_bars(
    panels: Mapping[str, Any],
    xlabel: str = "unit",
    ticklabels: Sequence[Any] | None = None,
    mark_zeros: bool = False,
) -> tuple[Figure, np.ndarray]:
    """Bar charts of a few vectors, one panel each, stacked on a shared x axis.

    Parameters
    ----------
    panels
        Titles mapped to 1-D arrays of one common length, e.g.
        ``{"scores": z, "probabilities": softmax(z)}``.
    xlabel
        What the bars are (the x axis label).
    ticklabels
        A name for each bar; by default 0, 1, 2, ...
    mark_zeros
        Mark values that are exactly 0 with a cross, to show which values a
        layer such as dropout set to zero.

    Returns
    -------
    fig, axes
        The figure and its 1-D array of axes, one per panel.  Up to 12 bars
        are labelled with their values.
    """
    vectors = named_vectors(panels, "panels")
    length = len(next(iter(vectors.values())))
    if ticklabels is None:
        ticks = [str(i) for i in range(length)]
    elif isinstance(ticklabels, (str, bytes)) or not isinstance(ticklabels, Sequence):
        raise TypeError(f"ticklabels must be a list, got {type(ticklabels).__name__}")
    elif len(ticklabels) != length:
        raise ValueError(
            f"ticklabels must have one label per bar ({length}), got {len(ticklabels)}"
        )
    else:
        ticks = [str(label) for label in ticklabels]
    if not isinstance(mark_zeros, (bool, np.bool_)):
        raise TypeError(f"mark_zeros must be True or False, got {mark_zeros!r}")
    positions = np.arange(length)
    with figure_style():
        fig, axes = plt.subplots(
            len(vectors), 1, figsize=(max(5.0, 0.45 * length + 1.5), 1.9 * len(vectors) + 0.5),
            sharex=True, squeeze=False,
        )
        axes = axes[:, 0]
        for i, (ax, (title, values)) in enumerate(zip(axes, vectors.items())):
            ax.bar(positions, values, color=_BAR_COLOURS[i % len(_BAR_COLOURS)], width=0.7)
            ax.axhline(0, color="0.3", linewidth=0.8)
            ax.set_title(title, loc="left")
            ax.set_ylabel("value")
            low, high = min(values.min(), 0.0), max(values.max(), 0.0)
            span = (high - low) or 1.0
            ax.set_ylim(low - 0.2 * span * (low < 0), high + 0.22 * span)
            marked = mark_zeros and bool(np.any(values == 0))
            if length <= 12:
                for x, value in zip(positions, values):
                    if marked and value == 0:
                        continue  # the cross says it
                    ax.text(x, value + 0.03 * span if value >= 0 else value - 0.03 * span,
                            format_number(value), ha="center",
                            va="bottom" if value >= 0 else "top", fontsize=8)
            if marked:
                zeros = positions[values == 0]
                ax.plot(zeros, np.zeros(len(zeros)), linestyle="none", marker="x", ms=8,
                        mew=2, color=OKABE_ITO["vermillion"], label="set to 0",
                        clip_on=False, zorder=3)
                ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), borderaxespad=0.1)
        axes[-1].set_xticks(positions, ticks)
        axes[-1].set_xlabel(xlabel)
        fig.tight_layout()
    return fig, axes
