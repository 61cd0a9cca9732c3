"""The book's one-off illustrations, by topic; each draws one idea of one episode.

Unlike :mod:`cnn_lesson.plots` and :mod:`cnn_lesson.explain`, which learners
reuse on their own models and data, these figures explain a single idea and
are imported where it is taught, e.g.
``from cnn_lesson.figures import plot_convolution_step``:

- :mod:`~cnn_lesson.figures.architecture`: :func:`plot_model_diagram`;
- :mod:`~cnn_lesson.figures.convolution`: :func:`plot_pixel_values`,
  :func:`plot_convolution_step`, :func:`plot_kernels_and_maps`;
- :mod:`~cnn_lesson.figures.pooling`: :func:`plot_pooling_example`;
- :mod:`~cnn_lesson.figures.dense`: :func:`plot_value_bars`;
- :mod:`~cnn_lesson.figures.windows`: :func:`plot_window_positions`;
- :mod:`~cnn_lesson.figures.shifts`: :func:`plot_accuracy_vs_shift`,
  :func:`plot_image_rows`;
- :mod:`~cnn_lesson.figures.training`: :func:`plot_descent`;
- :mod:`~cnn_lesson.figures.cells`: the grids of numbers several of them draw.

A new episode's figure goes into the module of its topic, or a new one.
"""

from .architecture import plot_model_diagram
from .convolution import plot_convolution_step, plot_kernels_and_maps, plot_pixel_values
from .dense import plot_value_bars
from .pooling import plot_pooling_example
from .shifts import plot_accuracy_vs_shift, plot_image_rows
from .training import plot_descent
from .windows import MAX_WINDOW_CELLS, plot_window_positions

__all__ = [
    "MAX_WINDOW_CELLS",
    "plot_accuracy_vs_shift",
    "plot_convolution_step",
    "plot_descent",
    "plot_image_rows",
    "plot_kernels_and_maps",
    "plot_model_diagram",
    "plot_pixel_values",
    "plot_pooling_example",
    "plot_value_bars",
    "plot_window_positions",
]
