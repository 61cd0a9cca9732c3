"""Figures of moved digits: images side by side, and accuracy against the shift."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..style import IMAGE_CMAP, OKABE_ITO, figure_style
from ..validate import as_numbers, as_vector, named_vectors

__all__ = ["plot_accuracy_vs_shift", "plot_image_rows"]

#: Colours, markers and line styles for lines that must stay apart without colour.
_LINE_LOOKS = (
    (OKABE_ITO["blue"], "o", "-"),
    (OKABE_ITO["vermillion"], "s", "--"),
    (OKABE_ITO["green"], "^", ":"),
    (OKABE_ITO["purple"], "D", "-."),
)


def plot_accuracy_vs_shift(
    shifts: Any, accuracies: Mapping[str, Any]
) -> tuple[Figure, Axes]:
    """Accuracy of a few models against how far the test images were moved.

    Parameters
    ----------
    shifts
        The shifts in pixels (ints, at least 0), one per point.
    accuracies
        Model names mapped to their accuracies (0 to 1), one per shift.  Up
        to four models; each has its own colour, marker and line style.

    Returns
    -------
    fig, ax
    """
    moves = as_vector(shifts, "shifts")
    if np.any(moves < 0) or np.any(moves != np.round(moves)):
        raise ValueError(f"shifts must be whole numbers of pixels, at least 0, got {moves}")
    curves = named_vectors(accuracies, "accuracies")
    if len(curves) > len(_LINE_LOOKS):
        raise ValueError(
            f"accuracies may hold at most {len(_LINE_LOOKS)} models, got {len(curves)}"
        )
    for title, values in curves.items():
        if len(values) != len(moves):
            raise ValueError(
                f"accuracies[{title!r}] must have one value per shift ({len(moves)}), "
                f"got {len(values)}"
            )
        if values.min() < 0 or values.max() > 1:
            raise ValueError(f"accuracies[{title!r}] must lie from 0 to 1, got {values}")
    with figure_style():
        fig, ax = plt.subplots(figsize=(6.0, 3.8))
        for (title, values), (colour, marker, style) in zip(curves.items(), _LINE_LOOKS):
            ax.plot(moves, values, color=colour, marker=marker, linestyle=style, ms=6,
                    linewidth=2, label=title)
        ax.axhline(0.1, color="0.45", linestyle=(0, (1, 2)), linewidth=1)
        ax.text(moves.max(), 0.11, "chance: 1 in 10", ha="right", va="bottom",
                fontsize=8, color="0.35")
        ax.set_xticks(moves.astype(int))
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("shift of every test image (pixels)")
        ax.set_ylabel("test accuracy")
        ax.grid(axis="y", color="0.9")
        ax.legend(loc="upper right")
        fig.tight_layout()
    return fig, ax


def plot_image_rows(
    images: Any, column_titles: Sequence[str], row_titles: Sequence[str] | None = None
) -> tuple[Figure, np.ndarray]:
    """A grid of images with a title over each column, each image framed.

    Parameters
    ----------
    images
        Array of shape (rows, columns, height, width), optionally with a
        trailing channel axis of 1.
    column_titles
        One title per column.
    row_titles
        Optional label to the left of each row.

    Returns
    -------
    fig, axes
        The figure and its 2-D array of axes.
    """
    grid = as_numbers(images, "images")
    if grid.ndim == 5 and grid.shape[-1] == 1:
        grid = grid[..., 0]
    if grid.ndim != 4 or 0 in grid.shape:
        raise ValueError(
            "images must have shape (rows, columns, height, width), got shape "
            f"{np.asarray(images).shape}"
        )
    rows, cols = grid.shape[:2]
    for name, titles, count in (("column_titles", column_titles, cols),
                                ("row_titles", row_titles, rows)):
        if titles is None and name == "row_titles":
            continue
        if isinstance(titles, (str, bytes)) or not isinstance(titles, Sequence):
            raise TypeError(f"{name} must be a list of strings, got {type(titles).__name__}")
        if len(titles) != count:
            raise ValueError(f"{name} must have {count} entries, one each, got {len(titles)}")
    top = float(grid.max()) or 1.0
    with figure_style():
        fig, axes = plt.subplots(rows, cols, figsize=(1.15 * cols + 0.6, 1.2 * rows + 0.4),
                                 squeeze=False)
        for (r, c), ax in np.ndenumerate(axes):
            ax.imshow(grid[r, c], cmap=IMAGE_CMAP, vmin=0, vmax=top)
            ax.set_xticks([])
            ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_visible(True)
                spine.set_color("0.6")
            if r == 0:
                ax.set_title(str(column_titles[c]), fontsize=10)
            if c == 0 and row_titles is not None:
                ax.set_ylabel(str(row_titles[r]), fontsize=10)
        fig.tight_layout()
    return fig, axes
