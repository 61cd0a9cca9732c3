"""Grids of numbers: each value written in its cell in a colour that can be read."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from cnn_lesson.figures.cells import cell_lines, number_grid, outline


def test_number_grid_writes_each_value_row_by_row_in_a_readable_colour(texts):
    fig, ax = plt.subplots()
    values = np.array([[0.0, 1.5], [-2.0, 4.0]])
    number_grid(ax, values, "gray_r", 0.0, 4.0, first_row=3, first_col=5)
    assert texts(ax) == ["0", "1.5", "\N{MINUS SIGN}2", "4"]
    colours = [t.get_color() for t in ax.texts]
    assert colours[0] == "black" and colours[3] == "white"  # white paper, dark ink
    assert [t.get_text() for t in ax.get_xticklabels()] == ["5", "6"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["3", "4"]


def test_cell_lines_hide_the_frame_and_outline_frames_the_cells(frames):
    fig, ax = plt.subplots()
    ax.imshow(np.zeros((3, 4)))
    cell_lines(ax, (3, 4))
    assert not any(spine.get_visible() for spine in ax.spines.values())
    outline(ax, 1, 2, 2, 1, "red")
    assert frames(ax) == [(1.5, 0.5, 1, 2)]
