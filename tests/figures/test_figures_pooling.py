"""plot_pooling_example: the worked example of max and average pooling."""

from __future__ import annotations

import numpy as np
import pytest

from cnn_lesson.figures.pooling import plot_pooling_example
from cnn_lesson.layers import average_pool2d, max_pool2d

MINUS = "\N{MINUS SIGN}"


# --- plot_pooling_example -------------------------------------------------------


def test_pooling_example_writes_the_worked_example(texts, frames):
    grid = np.array([[1, 3, 2, 1], [4, 6, 5, 0], [3, 1, 1, 2], [0, 2, 4, 8]])
    fig, (ax_in, ax_max, ax_avg) = plot_pooling_example(grid)
    assert texts(ax_in) == [str(v) for v in grid.ravel()]
    assert texts(ax_max) == ["6", "5", "3", "8"]
    assert texts(ax_avg) == ["3.5", "2", "1.5", "3.75"]
    assert ax_max.get_title() == "max pooling\n(2 × 2)"
    assert ax_avg.get_title() == "average pooling\n(2 × 2)"
    # each window and the output cell it becomes share a colour
    colours_in = ax_in.images[0].get_array()
    for ax in (ax_max, ax_avg):
        colours_out = ax.images[0].get_array()
        for i in range(2):
            for j in range(2):
                window = colours_in[2 * i:2 * i + 2, 2 * j:2 * j + 2].reshape(4, 3)
                assert (window == colours_out[i, j]).all()
    assert len({tuple(colours_out[i, j]) for i in range(2) for j in range(2)}) == 4
    assert sorted(frames(ax_in)) == [(-0.5, -0.5, 2, 2), (-0.5, 1.5, 2, 2),
                                     (1.5, -0.5, 2, 2), (1.5, 1.5, 2, 2)]


def test_pooling_example_agrees_with_the_reference_layers_and_leaves_the_rest_white(texts):
    grid = np.arange(35).reshape(5, 7) - 10
    fig, (ax_in, ax_max, ax_avg) = plot_pooling_example(grid, pool_size=3)
    assert texts(ax_max) == [str(int(v)).replace("-", MINUS) for v in max_pool2d(grid, 3).ravel()]
    averages = average_pool2d(grid, 3).ravel()
    assert texts(ax_avg) == [str(int(v)).replace("-", MINUS) for v in averages]
    colours_in = ax_in.images[0].get_array()
    assert (colours_in[3:, :] == 1).all() and (colours_in[:, 6:] == 1).all()
    assert not (colours_in[:3, :6] == 1).all()


@pytest.mark.parametrize(
    ("x", "pool_size", "error", "words"),
    [
        (np.ones((4, 4)), 5, ValueError, ["pool_size", "5", "(4, 4)"]),
        (np.ones((4, 4)), 2.0, TypeError, ["pool_size", "2.0"]),
        (np.ones((4, 4)), 0, ValueError, ["pool_size", "0"]),
        (np.ones((2, 2, 2)), 2, ValueError, ["x", "(2, 2, 2)"]),
        (np.array([[1, np.inf], [0, 0]]), 2, ValueError, ["x", "infinity"]),
    ],
)
def test_pooling_example_rejects_bad_input(x, pool_size, error, words):
    with pytest.raises(error) as raised:
        plot_pooling_example(x, pool_size)
    for word in words:
        assert word in str(raised.value)
