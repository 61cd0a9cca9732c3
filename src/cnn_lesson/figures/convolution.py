"""Figures of convolution: pixels as numbers, one step of a kernel, kernels and their maps."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ..layers import conv2d
from ..style import (
    IMAGE_CMAP,
    OKABE_ITO,
    PAGE_WIDTH,
    POSITIVE_CMAP,
    SIGNED_CMAP,
    figure_style,
    format_number,
    shape_text,
    symmetric_limit,
)
from ..validate import as_grid, check_index, check_int, named_arrays
from .cells import number_grid, outline

__all__ = ["plot_pixel_values", "plot_convolution_step", "plot_kernels_and_maps"]


def plot_pixel_values(
    image: Any, row: int, col: int, size: int = 8
) -> tuple[Figure, np.ndarray]:
    """Show a grey image beside the numbers of one square patch of it.

    Parameters
    ----------
    image
        A 2-D image (height, width), or (height, width, 1).
    row, col
        The top-left pixel of the patch.
    size
        The patch's height and width in pixels.

    Returns
    -------
    fig, axes
        Two axes: the image with the patch framed, and the patch with each
        pixel's value written in it (``axes[1].texts``, row by row).
    """
    pixels = as_grid(image, "image")
    size = check_int("size", size)
    height, width = pixels.shape
    if size > min(height, width):
        raise ValueError(f"size must fit in the {height} × {width} image, got {size}")
    row = check_index("row", row, height - size, f"a {size}-pixel patch of a {height}-row image")
    col = check_index("col", col, width - size, f"a {size}-pixel patch of a {width}-column image")
    patch = pixels[row:row + size, col:col + size]
    low, high = float(pixels.min()), float(pixels.max())
    high = high if high > low else low + 1
    with figure_style():
        fig, axes = plt.subplots(1, 2, figsize=(PAGE_WIDTH, 3.6),
                                 gridspec_kw={"width_ratios": [1, 1.25]})
        axes[0].imshow(pixels, cmap=IMAGE_CMAP, vmin=low, vmax=high)
        outline(axes[0], row, col, size, size, OKABE_ITO["orange"], linewidth=2.5)
        axes[0].set_title(f"The image: {shape_text(pixels.shape)} pixels")
        axes[0].set_xlabel("column")
        axes[0].set_ylabel("row")
        number_grid(axes[1], patch, IMAGE_CMAP, low, high, fontsize=8 if size > 6 else 10,
                     first_row=row, first_col=col)
        axes[1].set_title(f"The framed patch: {size} × {size} numbers")
        axes[1].set_xlabel("column")
        axes[1].set_ylabel("row")
        fig.tight_layout()
    return fig, axes


def plot_convolution_step(
    image: Any, kernel: Any, row: int, col: int
) -> tuple[Figure, np.ndarray]:
    """Show one step of a convolution: the kernel on one window of the image.

    The convolution is Keras's default: stride 1, ``"valid"`` padding, no
    bias.  Three panels show the input with the window framed, the kernel,
    and the whole feature map with the cell this window produces framed;
    every number is written in its cell.  Below, the sum of products for
    that cell is spelt out (for kernels of up to 9 weights).

    Parameters
    ----------
    image
        A small 2-D grid of numbers (height, width).
    kernel
        A 2-D kernel no larger than the image.
    row, col
        The position of the window's top-left pixel, which is also the
        position of its result in the feature map.

    Returns
    -------
    fig, axes
        Axes of the input, the kernel and the feature map.  The sum is the
        figure's x label (``fig.supxlabel``).
    """
    pixels = as_grid(image, "image")
    weights = as_grid(kernel, "kernel")
    (height, width), (kh, kw) = pixels.shape, weights.shape
    if kh > height or kw > width:
        raise ValueError(
            f"kernel of shape {weights.shape} is larger than the image of shape {pixels.shape}"
        )
    feature_map = conv2d(pixels, weights)
    out_h, out_w = feature_map.shape
    row = check_index("row", row, out_h - 1, f"the feature map has {out_h} rows")
    col = check_index("col", col, out_w - 1, f"the feature map has {out_w} columns")
    window = pixels[row:row + kh, col:col + kw]
    value = float(feature_map[row, col])

    def factor(number: float) -> str:
        text = format_number(number)
        return f"({text})" if text.startswith("\N{MINUS SIGN}") else text

    if window.size <= 9:
        pairs = zip(window.flat, weights.flat)
        products = " + ".join(f"{factor(a)}×{factor(b)}" for a, b in pairs)
    else:
        products = f"the sum of the {window.size} products"
    equation = f"feature map[{row}, {col}] = {products} = {format_number(value)}"

    cell = min(0.5, (PAGE_WIDTH - 1.6) / (width + kw + out_w))
    highlight = OKABE_ITO["orange"]
    with figure_style():
        fig, axes = plt.subplots(
            1, 3, figsize=(cell * (width + kw + out_w) + 1.6, cell * height + 1.5),
            gridspec_kw={"width_ratios": [width, kw, out_w]},
        )
        low, high = min(0.0, float(pixels.min())), float(pixels.max())
        if low < 0:
            low, high = -symmetric_limit(pixels), symmetric_limit(pixels)
        fontsize = 10 if cell >= 0.42 else 8
        number_grid(axes[0], pixels, IMAGE_CMAP if low == 0 else SIGNED_CMAP,
                     low, high if high > low else low + 1, fontsize)
        outline(axes[0], row, col, kh, kw, highlight)
        axes[0].set_title(f"input ({shape_text(pixels.shape)})")
        limit = symmetric_limit(weights)
        number_grid(axes[1], weights, SIGNED_CMAP, -limit, limit, fontsize)
        outline(axes[1], 0, 0, kh, kw, highlight)
        axes[1].set_title(f"kernel ({shape_text(weights.shape)})")
        limit = symmetric_limit(feature_map)
        number_grid(axes[2], feature_map, SIGNED_CMAP, -limit, limit, fontsize)
        outline(axes[2], row, col, 1, 1, highlight)
        axes[2].set_title(f"feature map ({shape_text(feature_map.shape)})")
        fig.supxlabel(equation, fontsize=9.5)
        fig.tight_layout()
    return fig, axes


def plot_kernels_and_maps(
    image: Any, kernels: Mapping[str, Any], maps: Mapping[str, Any]
) -> tuple[Figure, np.ndarray]:
    """Show several kernels, each above the feature map it makes of one image.

    Parameters
    ----------
    image
        The input image, 2-D, drawn in grey at the bottom left.
    kernels
        Titles mapped to 2-D kernels, drawn in the top row with their weights
        written in the cells.
    maps
        The same titles mapped to the feature maps, drawn in the bottom row,
        each with its own colour scale: symmetric about zero
        (:data:`SIGNED_CMAP`) if the map has negative values, from zero
        (:data:`POSITIVE_CMAP`) if it has none, as after a ReLU.

    Returns
    -------
    fig, axes
        A 2 × (1 + number of kernels) array of axes; ``axes[0, 0]`` is empty.
    """
    pixels = as_grid(image, "image")
    kernels = named_arrays(kernels, "kernels", as_grid, "2-D arrays")
    maps = named_arrays(maps, "maps", as_grid, "2-D arrays")
    if list(kernels) != list(maps):
        raise ValueError(
            f"maps must have the same titles as kernels, in order: "
            f"kernels {list(kernels)}, maps {list(maps)}"
        )
    n = len(kernels)
    with figure_style():
        fig, axes = plt.subplots(
            2, n + 1, figsize=(min(1.75 * (n + 1), PAGE_WIDTH), 3.3), squeeze=False,
            gridspec_kw={"height_ratios": [1, 1.3]}, layout="constrained",
        )
        axes[0, 0].set_axis_off()
        shown = axes[1, 0].imshow(pixels, cmap=IMAGE_CMAP)
        axes[1, 0].set_title("input")
        axes[1, 0].set_axis_off()
        bar = fig.colorbar(shown, ax=axes[1, 0], orientation="horizontal", fraction=0.06,
                           pad=0.04, ticks=[pixels.min(), pixels.max()])
        bar.ax.set_xticklabels([format_number(pixels.min(), 1), format_number(pixels.max(), 1)])
        bar.ax.tick_params(labelsize=8)
        for i, (title, weights) in enumerate(kernels.items(), start=1):
            limit = symmetric_limit(weights)
            number_grid(axes[0, i], weights, SIGNED_CMAP, -limit, limit,
                         fontsize=8 if weights.shape[1] > 3 else 9)
            axes[0, i].set_xticks([])
            axes[0, i].set_yticks([])
            axes[0, i].set_title(title, fontsize=10)
            limit = symmetric_limit(maps[title])
            signed = maps[title].min() < 0
            low = -limit if signed else 0.0
            shown = axes[1, i].imshow(maps[title], cmap=SIGNED_CMAP if signed else POSITIVE_CMAP,
                                      vmin=low, vmax=limit)
            axes[1, i].set_axis_off()
            ticks = [low, 0, limit] if signed else [0, limit]
            bar = fig.colorbar(shown, ax=axes[1, i], orientation="horizontal",
                               fraction=0.06, pad=0.04, ticks=ticks)
            bar.ax.set_xticklabels([format_number(tick, 1) for tick in ticks])
            bar.ax.tick_params(labelsize=8)
    return fig, axes
