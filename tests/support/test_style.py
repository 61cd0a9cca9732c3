"""The shared look: settings restored after each figure, colour limits, labels, grids."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

from cnn_lesson.style import (
    OKABE_ITO,
    STYLE,
    axes_grid,
    figure_style,
    format_number,
    pale,
    shape_text,
    sharp_inline_figures,
    symmetric_limit,
    text_colour,
)


def test_figure_style_restores_only_its_own_settings():
    before = {key: matplotlib.rcParams[key] for key in STYLE}
    interactive = matplotlib.rcParams["interactive"]
    with figure_style():
        assert matplotlib.rcParams["axes.spines.top"] is False
        matplotlib.rcParams["interactive"] = not interactive  # as Jupyter's inline backend does
    assert {key: matplotlib.rcParams[key] for key in STYLE} == before
    assert matplotlib.rcParams["interactive"] is (not interactive)
    matplotlib.rcParams["interactive"] = interactive


def test_lines_cycle_through_the_okabe_ito_palette():
    with figure_style():
        colours = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
    assert colours == list(OKABE_ITO.values())


def test_symmetric_limit_is_the_largest_magnitude_of_all_arrays():
    assert symmetric_limit(np.array([1.0, -3.0]), np.array([[2.0]])) == 3.0
    assert symmetric_limit(np.zeros((2, 2))) == 1.0


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(2.0, 2, "2"), (0.125, 2, "0.12"), (-1.5, 2, "\N{MINUS SIGN}1.5"), (-0.001, 2, "0"),
     (3.14159, 1, "3.1")],
)
def test_format_number_rounds_and_writes_a_true_minus(value, decimals, expected):
    assert format_number(value, decimals) == expected


def test_shape_text_and_pale_and_text_colour():
    assert shape_text((26, 26, 16)) == "26 × 26 × 16"
    assert pale("#000000", 0.25) == pytest.approx((0.75, 0.75, 0.75))
    assert pale(OKABE_ITO["blue"], 1.0) == pytest.approx(matplotlib.colors.to_rgb("#0072B2"))
    assert text_colour((1.0, 1.0, 1.0)) == "black"
    assert text_colour((0.0, 0.0, 0.3, 1.0)) == "white"


def test_axes_grid_has_room_for_n_panels_all_switched_off():
    fig, axes = axes_grid(5, 3, 1.0, title_room=0.5, margin=(1.0, 0.2))
    assert axes.shape == (2, 3)
    assert not any(ax.axison for ax in axes.flat)
    assert tuple(fig.get_size_inches()) == pytest.approx((4.0, 3.2))


def test_sharp_inline_figures_changes_nothing_outside_jupyter():
    """Here there is no IPython kernel (tests/figures/test_plots.py checks one that has)."""
    assert sharp_inline_figures() is False
