"""plot_window_positions: as many windows as the output-size formula says."""

from __future__ import annotations

import matplotlib
import pytest
from matplotlib.patches import Rectangle

from cnn_lesson.figures.windows import MAX_WINDOW_CELLS, plot_window_positions
from cnn_lesson.shapes import conv_output_size
from cnn_lesson.style import OKABE_ITO

# --- plot_window_positions ---------------------------------------------------------


def _window_bars(ax):
    """The window-position bars: rectangles below the row of cells."""
    return [p for p in ax.patches if isinstance(p, Rectangle) and p.get_y() < 0]


def _cells(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle) and p.get_y() == 0]


@pytest.mark.parametrize(
    ("n", "k", "s", "padding"),
    [(7, 3, 2, 1), (8, 3, 2, "valid"), (7, 3, 2, "same"), (5, 5, 1, "valid"), (6, 2, 3, 0),
     (10, 4, 3, "same")],
)
def test_window_positions_draw_as_many_windows_as_the_formula_says(n, k, s, padding):
    fig, ax = plot_window_positions(n, k, s, padding)
    bars = _window_bars(ax)
    assert len(bars) == conv_output_size(n, k, s, padding)
    starts = [round(bar.get_x()) for bar in bars]
    assert starts == [j * s for j in range(len(bars))]
    assert all(round(bar.get_width()) == k for bar in bars)
    assert f"= {len(bars)} positions" in ax.get_title(loc="left")


def test_window_positions_show_padding_and_uncovered_pixels():
    fig, ax = plot_window_positions(7, 3, 2, 1)
    cells = _cells(ax)
    assert len(cells) == 9
    hatched = [cell.get_hatch() for cell in cells]
    assert hatched[0] == hatched[-1] == "///" and not any(hatched[1:-1])
    assert [t.get_text() for t in ax.texts[:9]] == ["0", "1", "2", "3", "4", "5", "6", "7", "0"]
    assert "⌊(7 + 2·1 − 3) / 2⌋ + 1 = 4" in ax.get_title(loc="left")
    # 8 pixels, window 3, stride 2: the last pixel is never inside a window.
    fig, ax = plot_window_positions(8, 3, 2)
    dashed = [p for p in ax.patches if p.get_edgecolor()[:3] == matplotlib.colors.to_rgb(
        OKABE_ITO["vermillion"])]
    assert len(dashed) == 1 and round(dashed[0].get_x()) == 7
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[-1] == "never in a window"


def test_window_positions_same_padding_is_split_like_keras():
    fig, ax = plot_window_positions(6, 4, 1, "same")
    hatched = [bool(cell.get_hatch()) for cell in _cells(ax)]
    # 3 zeros in all: 1 before and 2 after, as Keras pads.
    assert hatched == [True] + [False] * 6 + [True, True]
    assert "⌈6 / 1⌉ = 6" in ax.get_title(loc="left")


@pytest.mark.parametrize(
    ("args", "error", "words"),
    [
        ((4, 5), ValueError, ["kernel_size=5", "input_size=4"]),
        ((0, 3), ValueError, ["input_size", "0"]),
        ((7.0, 3), TypeError, ["input_size", "7.0"]),
        ((7, 3, 0), ValueError, ["stride", "0"]),
        ((7, 3, 1, "full"), ValueError, ["padding", "'full'"]),
        ((MAX_WINDOW_CELLS + 1, 3), ValueError, [str(MAX_WINDOW_CELLS + 1), "cells"]),
        ((MAX_WINDOW_CELLS - 1, 3, 1, 1), ValueError, [str(MAX_WINDOW_CELLS + 1)]),
    ],
)
def test_window_positions_reject_bad_input(args, error, words):
    with pytest.raises(error) as raised:
        plot_window_positions(*args)
    for word in words:
        assert word in str(raised.value), (word, str(raised.value))
