"""plot_value_bars: one panel per vector, its values written, zeros marked when asked."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from cnn_lesson.figures.dense import plot_value_bars

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
