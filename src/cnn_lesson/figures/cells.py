"""Grids of numbers drawn cell by cell, shared by the figures of the book.

A grid is drawn as coloured cells with each value written in its cell, thin
lines between the cells and row and column numbers as ticks; frames outline
windows of cells.
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes

from ..style import format_number, text_colour

__all__ = ["number_grid", "cell_lines", "outline"]


def number_grid(
    ax: Axes,
    values: np.ndarray,
    cmap: str,
    vmin: float,
    vmax: float,
    fontsize: float = 10,
    first_row: int = 0,
    first_col: int = 0,
) -> None:
    """Draw ``values`` as coloured cells with each number written in its cell.

    The numbers are added to ``ax.texts`` row by row; ticks count rows and
    columns from ``first_row`` and ``first_col``.
    """
    colormap = mpl.colormaps[cmap]
    norm = mpl.colors.Normalize(vmin=vmin, vmax=vmax)
    ax.imshow(values, cmap=colormap, norm=norm)
    for (row, col), value in np.ndenumerate(values):
        ax.text(col, row, format_number(value), ha="center", va="center",
                fontsize=fontsize, color=text_colour(colormap(norm(value))))
    cell_lines(ax, values.shape, first_row, first_col)


def cell_lines(ax: Axes, shape: tuple[int, ...], first_row: int = 0, first_col: int = 0) -> None:
    """Thin lines between cells, row and column numbers as ticks, no frame."""
    height, width = shape[:2]
    ax.set_xticks(np.arange(-0.5, width, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, height, 1), minor=True)
    ax.grid(which="minor", color="0.6", linewidth=0.8)
    ax.grid(which="major", visible=False)
    ax.set_xticks(range(width), [str(first_col + i) for i in range(width)])
    ax.set_yticks(range(height), [str(first_row + i) for i in range(height)])
    ax.tick_params(which="both", length=0, labelsize=8)
    ax.spines[:].set_visible(False)


def outline(ax: Axes, row: int, col: int, height: int, width: int, colour: str,
             linewidth: float = 3) -> None:
    """A frame around ``height`` × ``width`` cells whose top-left cell is (row, col)."""
    ax.add_patch(mpl.patches.Rectangle(
        (col - 0.5, row - 0.5), width, height, fill=False, edgecolor=colour,
        linewidth=linewidth, clip_on=False,
    ))
