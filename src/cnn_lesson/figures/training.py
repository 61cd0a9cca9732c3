"""Gradient descent on one weight: the loss curve and the steps taken on it, per learning rate."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ..style import OKABE_ITO, PAGE_WIDTH, figure_style
from ..validate import as_vector, named_arrays

__all__ = ["plot_descent"]


def _pair(values: Any, name: str) -> np.ndarray:
    """A (weights, losses) pair of equal-length vectors as a 2 × steps array."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__") or len(values) != 2:
        raise ValueError(f"{name} must be a pair (weights, losses), got {values!r}")
    weights = as_vector(values[0], f"{name} weights")
    losses = as_vector(values[1], f"{name} losses")
    if len(weights) != len(losses):
        raise ValueError(
            f"{name} must have one loss per weight, got {len(weights)} weights "
            f"and {len(losses)} losses"
        )
    return np.stack([weights, losses])


def plot_descent(
    weights: Any, losses: Any, paths: Mapping[str, Any]
) -> tuple[Figure, np.ndarray]:
    """Draw the steps gradient descent takes on a loss curve, one column per run.

    The top row shows the loss as a function of the weight (grey) and, in
    each panel, the weights one run visited: dots joined in order, from the
    start (hollow circle) to the last step (filled square).  The bottom row
    shows that run's weight after each step against the weight of the
    lowest loss on the curve (dashed), so slow progress, convergence and
    jumping about can be read off at a glance.

    Parameters
    ----------
    weights, losses
        The loss curve: weights in increasing order and the loss at each.
    paths
        Title of each run (e.g. ``"learning rate 0.5"``) to a pair
        ``(weights, losses)``: the weight after each step, starting with the
        initial one, and the loss there.

    Returns
    -------
    fig, axes
        The figure and its 2 × runs array of axes; ``axes[0, i].lines[1]``
        is run ``i``'s path, ``axes[1, i].lines[0]`` its weight per step and
        ``axes[1, i].lines[1]`` the weight of the lowest loss.
    """
    curve_w = as_vector(weights, "weights")
    curve_loss = as_vector(losses, "losses")
    if len(curve_w) != len(curve_loss):
        raise ValueError(
            f"weights and losses must have the same length, got {len(curve_w)} "
            f"and {len(curve_loss)}"
        )
    if len(curve_w) < 2 or not (np.diff(curve_w) > 0).all():
        raise ValueError("weights must hold at least two values in increasing order")
    runs = named_arrays(paths, "paths", _pair, "(weights, losses) pairs")
    palette = [OKABE_ITO[c] for c in ("blue", "green", "vermillion", "purple", "orange", "sky")]
    if len(runs) > len(palette):
        raise ValueError(f"paths has {len(runs)} runs; at most {len(palette)} fit")
    best = curve_w[curve_loss.argmin()]
    with figure_style():
        fig, axes = plt.subplots(
            2, len(runs), squeeze=False, sharey="row",
            figsize=(min(PAGE_WIDTH, 2.4 * len(runs) + 0.6), 4.8),
            gridspec_kw={"height_ratios": [3, 2]},
        )
        for column, (colour, (title, (path_w, path_loss))) in enumerate(
            zip(palette, runs.items())
        ):
            top, bottom = axes[0, column], axes[1, column]
            top.plot(curve_w, curve_loss, color="0.6", lw=1.5)
            top.plot(path_w, path_loss, color=colour, marker="o", ms=4, lw=1)
            top.plot(path_w[0], path_loss[0], marker="o", ms=8, mfc="white", color=colour)
            top.plot(path_w[-1], path_loss[-1], marker="s", ms=7, color=colour)
            top.set_xlim(curve_w[0], curve_w[-1])
            top.set_title(title)
            top.set_xlabel("weight w")
            steps = np.arange(len(path_loss))
            bottom.plot(steps, path_w, color=colour, marker="o", ms=3)
            bottom.axhline(best, color="0.4", ls="--", lw=1, label="w of the lowest loss")
            bottom.set_xlabel("step")
            bottom.xaxis.get_major_locator().set_params(integer=True)
        axes[0, 0].set_ylabel("loss")
        axes[1, 0].set_ylabel("w after step")
        axes[1, 0].legend(fontsize=8)
        fig.tight_layout()
    return fig, axes
