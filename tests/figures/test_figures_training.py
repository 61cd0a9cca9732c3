"""plot_descent: gradient descent on one weight, one column per learning rate."""

from __future__ import annotations

import numpy as np
import pytest

from cnn_lesson.figures import plot_descent
from cnn_lesson.style import OKABE_ITO

W = np.linspace(-2, 4, 61)
LOSS = (W - 1) ** 2


def test_descent_draws_the_curve_the_paths_and_the_weights_per_step():
    paths = {
        "slow": ([-1.0, -0.6, -0.3], [4.0, 2.56, 1.69]),
        "fast": ([-1.0, 1.0], [4.0, 0.0]),
    }
    fig, axes = plot_descent(W, LOSS, paths)
    assert axes.shape == (2, 2)
    assert [ax.get_title() for ax in axes[0]] == ["slow", "fast"]
    for column, (path_w, path_loss) in enumerate(paths.values()):
        curve, path = axes[0, column].lines[:2]
        assert np.allclose(curve.get_xdata(), W) and np.allclose(curve.get_ydata(), LOSS)
        assert np.allclose(path.get_xdata(), path_w) and np.allclose(path.get_ydata(), path_loss)
        weights, best = axes[1, column].lines[:2]
        assert np.allclose(weights.get_xdata(), np.arange(len(path_w)))
        assert np.allclose(weights.get_ydata(), path_w)
        assert np.allclose(best.get_ydata(), 1.0)   # the weight of the lowest loss
    assert axes[0, 0].lines[1].get_color() != axes[0, 1].lines[1].get_color()
    assert axes[0, 0].lines[1].get_color() == OKABE_ITO["blue"]
    assert axes[0, 0].get_xlim() == (-2, 4)


@pytest.mark.parametrize(
    ("weights", "losses", "paths", "error", "words"),
    [
        (W, LOSS[:-1], {"a": ([0], [1])}, ValueError, ["same length", "61", "60"]),
        (W[::-1], LOSS, {"a": ([0], [1])}, ValueError, ["weights", "increasing"]),
        (W, LOSS, {}, ValueError, ["paths", "empty"]),
        (W, LOSS, [([0], [1])], TypeError, ["paths", "dict"]),
        (W, LOSS, {"a": ([0, 1], [1])}, ValueError, ["paths['a']", "2 weights", "1 losses"]),
        (W, LOSS, {"a": [0, 1, 2]}, ValueError, ["paths['a']", "pair"]),
        (W, LOSS, {"a": ([0, np.nan], [1, 2])}, ValueError, ["paths['a'] weights", "NaN"]),
        (W, LOSS, {str(i): ([0], [1]) for i in range(7)}, ValueError, ["7 runs", "at most 6"]),
    ],
)
def test_descent_rejects_bad_input(weights, losses, paths, error, words):
    with pytest.raises(error) as raised:
        plot_descent(weights, losses, paths)
    for word in words:
        assert word in str(raised.value)
