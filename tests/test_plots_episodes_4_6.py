"""Figures of the flatten, output-size and why-convolution episodes: they draw
what they say, label their axes, stay apart without colour and refuse bad input."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from cnn_lesson.plots import (  # noqa: E402
    MAX_WINDOW_CELLS,
    OKABE_ITO,
    plot_accuracy_vs_shift,
    plot_image_rows,
    plot_value_bars,
    plot_window_positions,
)
from cnn_lesson.shapes import conv_output_size  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# --- plot_value_bars -------------------------------------------------------------


def _bar_heights(ax) -> list[float]:
    return [patch.get_height() for patch in ax.patches]


def test_value_bars_draw_one_panel_per_vector_with_the_values():
    scores = np.array([1.0, -2.0, 0.5])
    probabilities = np.array([0.6, 0.1, 0.3])
    fig, axes = plot_value_bars(
        {"scores": scores, "probabilities": probabilities}, xlabel="digit",
        ticklabels=["a", "b", "c"],
    )
    assert isinstance(fig, Figure) and len(axes) == 2
    np.testing.assert_allclose(_bar_heights(axes[0]), scores)
    np.testing.assert_allclose(_bar_heights(axes[1]), probabilities)
    assert [ax.get_title(loc="left") for ax in axes] == ["scores", "probabilities"]
    assert axes[-1].get_xlabel() == "digit"
    assert [t.get_text() for t in axes[-1].get_xticklabels()] == ["a", "b", "c"]
    assert all(ax.get_ylabel() == "value" for ax in axes)
    # Every bar is labelled with its value; negative numbers with a true minus.
    assert [t.get_text() for t in axes[0].texts] == ["1", "\N{MINUS SIGN}2", "0.5"]
    # Panels differ in colour.
    assert axes[0].patches[0].get_facecolor() != axes[1].patches[0].get_facecolor()


def test_value_bars_mark_zeros_only_when_asked():
    values = {"after dropout": [2.0, 0.0, 2.0, 0.0]}
    fig, axes = plot_value_bars(values, mark_zeros=True)
    (marks,) = [line for line in axes[0].lines if line.get_marker() == "x"]
    np.testing.assert_array_equal(marks.get_xdata(), [1, 3])
    assert marks.get_marker() == "x" and marks.get_label() == "set to 0"
    assert [t.get_text() for t in axes[0].texts] == ["2", "2"]
    fig, axes = plot_value_bars(values)
    assert not [line for line in axes[0].lines if line.get_marker() == "x"]
    assert len(axes[0].texts) == 4


def test_value_bars_skip_value_labels_when_there_are_many_bars():
    fig, axes = plot_value_bars({"many": np.arange(30)})
    assert len(axes[0].texts) == 0 and len(axes[0].patches) == 30


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "words"),
    [
        (([1, 2],), {}, TypeError, ["panels", "list"]),
        (({},), {}, ValueError, ["panels", "empty"]),
        (({"a": "123"},), {}, TypeError, ["panels['a']", "str"]),
        (({"a": [[1, 2]]},), {}, ValueError, ["panels['a']", "(1, 2)"]),
        (({"a": []},), {}, ValueError, ["panels['a']", "(0,)"]),
        (({"a": [1, np.nan]},), {}, ValueError, ["panels['a']", "NaN"]),
        (({"a": ["x", "y"]},), {}, TypeError, ["panels['a']", "dtype"]),
        (({"a": [1, 2], "b": [1, 2, 3]},), {}, ValueError, ["same length", "'b': 3"]),
        (({"a": [1, 2]},), {"ticklabels": ["x"]}, ValueError, ["ticklabels", "2", "1"]),
        (({"a": [1, 2]},), {"ticklabels": "xy"}, TypeError, ["ticklabels", "str"]),
        (({"a": [1, 2]},), {"mark_zeros": "yes"}, TypeError, ["mark_zeros", "'yes'"]),
    ],
)
def test_value_bars_reject_bad_input(args, kwargs, error, words):
    with pytest.raises(error) as raised:
        plot_value_bars(*args, **kwargs)
    for word in words:
        assert word in str(raised.value), (word, str(raised.value))


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


# --- plot_accuracy_vs_shift -------------------------------------------------------


def test_accuracy_vs_shift_draws_lines_apart_by_marker_and_style():
    fig, ax = plot_accuracy_vs_shift(
        [0, 1, 2], {"dense": [0.97, 0.9, 0.7], "CNN": [0.98, 0.96, 0.88]}
    )
    dense, cnn, chance = ax.lines
    np.testing.assert_allclose(dense.get_ydata(), [0.97, 0.9, 0.7])
    np.testing.assert_allclose(cnn.get_xdata(), [0, 1, 2])
    assert dense.get_marker() != cnn.get_marker()
    assert dense.get_linestyle() != cnn.get_linestyle()
    assert dense.get_color() != cnn.get_color()
    assert set(chance.get_ydata()) == {0.1}
    assert ax.get_xlabel().startswith("shift") and ax.get_ylabel() == "test accuracy"
    assert ax.get_ylim() == (0, 1.02)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["dense", "CNN"]


@pytest.mark.parametrize(
    ("shifts", "accuracies", "error", "words"),
    [
        ([0, 1], [0.9, 0.8], TypeError, ["accuracies", "list"]),
        ([0, 1], {"a": [0.9]}, ValueError, ["accuracies['a']", "one value per shift (2)"]),
        ([0, 1], {"a": [0.9, 1.2]}, ValueError, ["accuracies['a']", "0 to 1"]),
        ([0, 1.5], {"a": [0.9, 0.8]}, ValueError, ["shifts", "whole numbers"]),
        ([-1, 0], {"a": [0.9, 0.8]}, ValueError, ["shifts", "at least 0"]),
        ("01", {"a": [0.9, 0.8]}, TypeError, ["shifts", "str"]),
        ([0], {str(i): [0.5] for i in range(5)}, ValueError, ["at most 4", "5"]),
    ],
)
def test_accuracy_vs_shift_rejects_bad_input(shifts, accuracies, error, words):
    with pytest.raises(error) as raised:
        plot_accuracy_vs_shift(shifts, accuracies)
    for word in words:
        assert word in str(raised.value), (word, str(raised.value))


# --- plot_image_rows ------------------------------------------------------------


def test_image_rows_show_each_image_in_its_cell_with_titles():
    images = np.random.default_rng(0).random((2, 3, 5, 5, 1))
    fig, axes = plot_image_rows(images, ["0 px", "1 px", "2 px"], ["first", "second"])
    assert axes.shape == (2, 3)
    np.testing.assert_array_equal(axes[1, 2].images[0].get_array(), images[1, 2, ..., 0])
    assert [ax.get_title() for ax in axes[0]] == ["0 px", "1 px", "2 px"]
    assert [ax.get_title() for ax in axes[1]] == ["", "", ""]
    assert [ax.get_ylabel() for ax in axes[:, 0]] == ["first", "second"]
    # The frame stays visible, so a shift against the border can be seen.
    assert all(spine.get_visible() for spine in axes[0, 0].spines.values())
    assert axes[0, 0].images[0].get_clim() == (0, images.max())


@pytest.mark.parametrize(
    ("images", "columns", "rows", "error", "words"),
    [
        (np.zeros((3, 5, 5)), ["a"] * 3, None, ValueError, ["images", "(3, 5, 5)"]),
        (np.zeros((1, 0, 5, 5)), [], None, ValueError, ["images", "(1, 0, 5, 5)"]),
        ("images", ["a"], None, TypeError, ["images", "str"]),
        (np.zeros((1, 2, 5, 5)), ["a"], None, ValueError, ["column_titles", "2", "1"]),
        (np.zeros((1, 2, 5, 5)), "ab", None, TypeError, ["column_titles", "str"]),
        (np.zeros((1, 2, 5, 5)), ["a", "b"], ["x", "y"], ValueError, ["row_titles", "1", "2"]),
        (np.array([[[["a"]]]]), ["a"], None, TypeError, ["images", "dtype"]),
    ],
)
def test_image_rows_reject_bad_input(images, columns, rows, error, words):
    with pytest.raises(error) as raised:
        plot_image_rows(images, columns, rows)
    for word in words:
        assert word in str(raised.value), (word, str(raised.value))
