"""Figures of moved digits: lines that stay apart without colour, images in
their cells, and bad input refused."""

from __future__ import annotations

import numpy as np
import pytest

from cnn_lesson.figures.shifts import plot_accuracy_vs_shift, plot_image_rows

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
