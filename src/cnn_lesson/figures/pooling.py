"""A worked example of max and average pooling, window by window."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..layers import average_pool2d, max_pool2d
from ..style import OKABE_ITO, PAGE_WIDTH, figure_style, format_number, pale, shape_text
from ..validate import as_grid, check_int
from .cells import cell_lines, outline

__all__ = ["plot_pooling_example"]

#: Four pale Okabe-Ito colours for neighbouring pooling windows.
_WINDOW_FILLS = (OKABE_ITO["sky"], OKABE_ITO["orange"], OKABE_ITO["green"], OKABE_ITO["purple"])


def plot_pooling_example(x: Any, pool_size: int = 2) -> tuple[Figure, np.ndarray]:
    """Show max and average pooling of a small grid, window by window.

    The windows are ``pool_size`` × ``pool_size`` and do not overlap (the
    stride is the pool size, as in Keras by default).  Each window of the
    input and the output cell it becomes share a colour; every number is
    written in its cell.

    Parameters
    ----------
    x
        A small 2-D grid of numbers, at least ``pool_size`` each way.
    pool_size
        Height and width of the pooling windows.

    Returns
    -------
    fig, axes
        Axes of the input, its max pooling and its average pooling; each
        ``ax.texts`` holds the numbers row by row.
    """
    grid = as_grid(x, "x")
    size = check_int("pool_size", pool_size)
    height, width = grid.shape
    if size > min(height, width):
        raise ValueError(
            f"pool_size must fit in x, whose shape is {grid.shape}, got {pool_size!r}"
        )
    results = {
        "max pooling": max_pool2d(grid, size),
        "average pooling": average_pool2d(grid, size),
    }
    out_h, out_w = results["max pooling"].shape

    def colours(shape: tuple[int, int], per_cell: int) -> np.ndarray:
        rgb = np.ones((*shape, 3))
        for i in range(out_h):
            for j in range(out_w):
                fill = pale(_WINDOW_FILLS[2 * (i % 2) + j % 2], 0.5)
                rgb[i * per_cell:(i + 1) * per_cell, j * per_cell:(j + 1) * per_cell] = fill
        return rgb

    def draw(ax: Axes, values: np.ndarray, rgb: np.ndarray, title: str, per_cell: int) -> None:
        ax.imshow(rgb)
        for (row, col), value in np.ndenumerate(values):
            ax.text(col, row, format_number(value), ha="center", va="center", fontsize=11)
        cell_lines(ax, values.shape)
        for i in range(out_h):
            for j in range(out_w):
                outline(ax, i * per_cell, j * per_cell, per_cell, per_cell, "0.2", linewidth=2)
        ax.set_title(title)

    cell = min(0.55, (PAGE_WIDTH - 2.2) / (width + 2 * out_w))
    with figure_style():
        fig, axes = plt.subplots(
            1, 3, figsize=(cell * (width + 2 * out_w) + 2.2, cell * height + 1.0),
            gridspec_kw={"width_ratios": [width, out_w, out_w]},
        )
        draw(axes[0], grid, colours(grid.shape, size), f"input ({shape_text(grid.shape)})", size)
        for ax, (title, values) in zip(axes[1:], results.items()):
            title = f"{title}\n({shape_text(values.shape)})"
            draw(ax, values, colours(values.shape, 1), title, 1)
        fig.tight_layout(w_pad=2.5)
    return fig, axes
