"""The look shared by every figure: palette, colour maps, Matplotlib settings.

Line colours come from the Okabe-Ito palette; images use grey for pixels,
``cividis`` for counts, ``RdBu`` (always with limits symmetric about zero, so
that white means 0) for signed values, and ``Blues`` or ``magma`` for values
that are never negative.  All read well with every common colour-vision
deficiency and in greyscale.  The small helpers below apply this style: a
grid of axes, colour limits, and numbers and shapes written as the figures
write them.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

#: Okabe-Ito colours (Okabe & Ito, 2008), safe for colour-blind readers.
OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}

#: Colour map for pixels: white background, dark ink, as digits are written.
IMAGE_CMAP = "gray_r"
#: Colour map for counts and other magnitudes (perceptually uniform).
COUNT_CMAP = "cividis"
#: Diverging colour map for signed numbers (kernel weights, feature maps,
#: changes of probability): blue above zero, white at zero, red below;
#: always drawn with limits symmetric about zero so that white means 0.
SIGNED_CMAP = "RdBu"
#: Sequential colour map for values that are never negative (after a ReLU):
#: white at zero, blue above, like the positive half of :data:`SIGNED_CMAP`.
POSITIVE_CMAP = "Blues"
#: Colour map for a layer's non-negative activations: dark at zero, bright
#: where the layer responds strongly (perceptually uniform).
ACTIVATION_CMAP = "magma"

#: Widest figure, in inches, that the book's page shows without shrinking it.
PAGE_WIDTH = 6.8

#: Matplotlib settings shared by every figure of the book.
STYLE: dict[str, Any] = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.facecolor": "white",
    "axes.grid": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "font.size": 10,
    "legend.frameon": False,
    "axes.prop_cycle": plt.cycler(color=list(OKABE_ITO.values())),
    "image.cmap": IMAGE_CMAP,
}


#: How a notebook shows the figures: matplotlib-inline's ``retina`` PNG has twice
#: the pixels of the figure's size on the page (which the PNG's metadata keeps),
#: so figures stay sharp on high-density screens and when a reader zooms the page.
INLINE_FORMAT = "retina"


def sharp_inline_figures() -> bool:
    """In a Jupyter kernel with the inline backend, show figures as :data:`INLINE_FORMAT`.

    Returns whether it did; outside Jupyter, or with another backend (an
    interactive window, ``ipympl``), it changes nothing.  :func:`figure_style`
    calls it, so every figure of the book's helpers is drawn sharp.
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or "inline" not in mpl.get_backend():
        return False
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    set_matplotlib_formats(INLINE_FORMAT)
    return True


@contextmanager
def figure_style() -> Iterator[None]:
    """Apply :data:`STYLE` while a figure is drawn, then restore those settings.

    Unlike ``plt.rc_context``, only the keys of ``STYLE`` are restored: the
    inline backend of Jupyter switches itself on (``rcParams["interactive"]``)
    when the first figure is created, and rolling that back would stop every
    later figure of the notebook from being shown.  In a notebook, figures are
    shown at twice their pixels (:func:`sharp_inline_figures`).
    """
    sharp_inline_figures()
    saved = {key: mpl.rcParams[key] for key in STYLE}
    mpl.rcParams.update(STYLE)
    try:
        yield
    finally:
        mpl.rcParams.update(saved)


def axes_grid(
    n: int,
    ncols: int,
    cell: float,
    title_room: float = 0.0,
    margin: tuple[float, float] = (0.0, 0.0),
    **subplots: Any,
) -> tuple[Figure, np.ndarray]:
    """A figure with enough ``cell``-inch panels for ``n`` images, ``ncols`` a row.

    Each row is ``cell + title_room`` inches high; ``margin`` (width, height)
    adds room, e.g. for a colour bar.  Every axis starts switched off, so the
    panels left over in the last row stay blank.  Other keywords go to
    ``plt.subplots``.  Returns the figure and its 2-D array of axes.
    """
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(
        nrows, ncols, squeeze=False,
        figsize=(cell * ncols + margin[0], (cell + title_room) * nrows + margin[1]),
        **subplots,
    )
    for ax in axes.flat:
        ax.set_axis_off()
    return fig, axes


def symmetric_limit(*arrays: np.ndarray) -> float:
    """The largest absolute value of ``arrays`` (1 if they are all zero).

    Drawn from ``-limit`` to ``limit`` with :data:`SIGNED_CMAP`, zero is white.
    """
    peak = max(float(np.abs(array).max()) for array in arrays)
    return peak if peak > 0 else 1.0


def pale(colour: str, amount: float = 0.45) -> tuple[float, float, float]:
    """``colour`` mixed with white: ``amount`` of the colour, the rest white."""
    red, green, blue = mpl.colors.to_rgb(colour)
    return (amount * red + 1 - amount, amount * green + 1 - amount, amount * blue + 1 - amount)


def text_colour(rgba: Sequence[float]) -> str:
    """Black for text on a light background colour, white on a dark one."""
    red, green, blue = rgba[:3]
    return "black" if 0.299 * red + 0.587 * green + 0.114 * blue > 0.5 else "white"


def format_number(value: float, decimals: int = 2) -> str:
    """A number as the figures write it: rounded, no trailing zeros, a true minus sign."""
    rounded = round(float(value), decimals)
    if rounded == 0:
        return "0"
    text = f"{rounded:.{decimals}f}".rstrip("0").rstrip(".")
    return text.replace("-", "\N{MINUS SIGN}")


def shape_text(shape: Sequence[Any]) -> str:
    """``(26, 26, 16)`` as ``"26 × 26 × 16"``."""
    return " × ".join(str(size) for size in shape)
