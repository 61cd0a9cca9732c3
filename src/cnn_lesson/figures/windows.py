"""Every position of a window sliding along one axis: where output sizes come from."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from ..shapes import conv_output_size, same_padding
from ..style import OKABE_ITO, figure_style, pale
from ..validate import check_padding

__all__ = ["MAX_WINDOW_CELLS", "plot_window_positions"]

#: The most cells :func:`plot_window_positions` draws legibly.
MAX_WINDOW_CELLS = 40


def plot_window_positions(
    input_size: int, kernel_size: int, stride: int = 1, padding: Any = "valid"
) -> tuple[Figure, Axes]:
    """Draw every position of a window sliding along one axis of an input.

    The input's pixels form a row of cells (zero padding hatched); below
    them, one bar per window position.  The number of bars is the output
    size, :func:`cnn_lesson.shapes.conv_output_size`; input pixels that no
    window reaches are outlined.

    Parameters
    ----------
    input_size, kernel_size, stride, padding
        As for :func:`cnn_lesson.shapes.conv_output_size`.  At most
        :data:`MAX_WINDOW_CELLS` cells (pixels plus padding) are drawn.

    Returns
    -------
    fig, ax
    """
    out = conv_output_size(input_size, kernel_size, stride, padding)
    pad = check_padding(padding)
    n, k, s = int(input_size), int(kernel_size), int(stride)
    if pad == "same":
        before, after = same_padding(n, k, s)
    else:
        before = after = 0 if pad == "valid" else int(pad)
    cells = before + n + after
    if cells > MAX_WINDOW_CELLS:
        raise ValueError(
            f"input_size + padding gives {cells} cells, more than the "
            f"{MAX_WINDOW_CELLS} this figure can show legibly"
        )
    covered = np.zeros(cells, dtype=bool)
    for j in range(out):
        covered[j * s : j * s + k] = True
    uncovered = [i for i in range(before, before + n) if not covered[i]]
    if pad == "same":
        title = (f"n = {n}, k = {k}, s = {s}, padding 'same' "
                 f"(zeros: {before} before, {after} after)\n⌈{n} / {s}⌉ = {out} positions")
    else:
        p = before
        title = (f"n = {n}, k = {k}, s = {s}, p = {p}\n"
                 f"⌊({n} + 2·{p} − {k}) / {s}⌋ + 1 = {out} positions")
    fills = {name: pale(OKABE_ITO[name], 0.25) for name in ("blue", "orange")}
    with figure_style():
        fig, ax = plt.subplots(figsize=(max(6.5, 0.6 * cells + 2.4), 1.6 + 0.6 * out))
        for i in range(cells):
            is_pad = i < before or i >= before + n
            ax.add_patch(Rectangle((i, 0), 1, 1, facecolor="0.88" if is_pad else "white",
                                   edgecolor="0.35", hatch="///" if is_pad else None,
                                   linewidth=1))
            ax.text(i + 0.5, 0.5, "0" if is_pad else str(i - before + 1), ha="center",
                    va="center", fontsize=10, color="black",
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1} if is_pad
                    else None)
        for i in uncovered:
            ax.add_patch(Rectangle((i + 0.06, 0.06), 0.88, 0.88, fill=False,
                                   edgecolor=OKABE_ITO["vermillion"], linewidth=2,
                                   linestyle="--"))
        for j in range(out):
            colour = ("blue", "orange")[j % 2]
            y = -0.45 - 0.42 * (j + 1)
            ax.add_patch(Rectangle((j * s + 0.08, y), k - 0.16, 0.32,
                                   facecolor=fills[colour], edgecolor=OKABE_ITO[colour],
                                   linewidth=1.5))
            ax.text(j * s + k / 2, y + 0.16, f"output {j + 1}" if k >= 3 else str(j + 1),
                    ha="center", va="center", fontsize=9)
        ax.set_xlim(-0.2, cells + 0.2)
        ax.set_ylim(-0.6 - 0.42 * out - 0.1, 1.15)
        ax.set_aspect("equal")
        ax.set_axis_off()
        handles = [
            Patch(facecolor="white", edgecolor="0.35", label="input pixel"),
            Patch(facecolor="0.88", edgecolor="0.35", hatch="///", label="zero padding"),
            Patch(facecolor=fills["blue"], edgecolor=OKABE_ITO["blue"], label="window position"),
        ]
        if uncovered:
            handles.append(Patch(fill=False, edgecolor=OKABE_ITO["vermillion"],
                                 linestyle="--", linewidth=2, label="never in a window"))
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9)
        ax.set_title(title, fontsize=11, loc="left")
        fig.tight_layout()
    return fig, ax
