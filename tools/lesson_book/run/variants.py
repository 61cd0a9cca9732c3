"""Runs of the notebooks other than the book's own: another seed (LESSON_SEED) or another Keras backend.

The book is built from one run: TensorFlow, and the seeds written in the
lessons (``keras.utils.set_random_seed(42)`` and so on).  The notebook tests
can also run every notebook

- with another seed: ``LESSON_SEED=7`` in the environment makes every
  ``keras.utils.set_random_seed(s)`` a lesson calls use a seed derived from
  ``(7, s)`` instead, so each model of the page starts from other weights and
  sees its batches in another order, while the lesson's code stays as a
  learner reads it;
- under another backend: ``KERAS_BACKEND=jax`` or ``torch``, which Keras
  itself reads.

A run like that checks that the hidden checks hold on any run; its executed
notebooks are not what the book shows, so they never go into the build's
cache (``stores_to_cache``).
"""

from __future__ import annotations

import os

#: The environment variable that selects another seed for a run of the notebooks.
SEED_VARIABLE = "LESSON_SEED"

#: Keras's own environment variable for its backend, and the one the book is built with.
BACKEND_VARIABLE = "KERAS_BACKEND"
BOOK_BACKEND = "tensorflow"

#: The backends the lessons run under (``make test-backends`` runs the two besides the book's).
BACKENDS = ("tensorflow", "jax", "torch")

# The code run before a notebook's first cell when a seed is given.  It wraps
# Keras's function in place, so `keras.utils.set_random_seed(42)` in a lesson
# seeds every generator (Python, NumPy, the backend) from (seed, 42).
_RESEED = '''\
import keras as _keras
import numpy as _np

_lesson_set_random_seed = _keras.utils.set_random_seed


def _reseeded(seed):
    """Keras's set_random_seed, with a seed derived from ({seed}, seed)."""
    return _lesson_set_random_seed(int(_np.random.SeedSequence([{seed}, seed]).generate_state(1)[0]))


_keras.utils.set_random_seed = _reseeded
'''


def seed(environ: os._Environ | dict[str, str] | None = None) -> int | None:
    """The seed given by ``LESSON_SEED``, or None when it is unset or empty.

    Raises ``ValueError`` when it is set to anything but a whole number from 0 up.
    """
    environ = os.environ if environ is None else environ
    text = environ.get(SEED_VARIABLE, "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise ValueError(f"{SEED_VARIABLE} must be a whole number from 0 up, got {text!r}")
    return int(text)


def backend(environ: os._Environ | dict[str, str] | None = None) -> str:
    """The Keras backend a run uses: ``KERAS_BACKEND``, or the book's when it is unset.

    Raises ``ValueError`` for a backend the lessons are not run under.
    """
    environ = os.environ if environ is None else environ
    name = environ.get(BACKEND_VARIABLE, "").strip() or BOOK_BACKEND
    if name not in BACKENDS:
        raise ValueError(f"{BACKEND_VARIABLE} must be one of {', '.join(BACKENDS)}, got {name!r}")
    return name


def reseed_source(seed_value: int) -> str:
    """The code cell that makes a notebook's seeds depend on ``seed_value`` too."""
    if isinstance(seed_value, bool) or not isinstance(seed_value, int) or seed_value < 0:
        raise ValueError(f"seed_value must be a whole number from 0 up, got {seed_value!r}")
    return _RESEED.format(seed=seed_value)


def stores_to_cache(environ: os._Environ | dict[str, str] | None = None) -> bool:
    """Whether a run is the book's own: no other seed, the book's backend."""
    return seed(environ) is None and backend(environ) == BOOK_BACKEND


def describe(environ: os._Environ | dict[str, str] | None = None) -> str:
    """A line naming the run's backend and seed, for the test report."""
    chosen = seed(environ)
    seeds = "the lessons' own seeds" if chosen is None else f"{SEED_VARIABLE}={chosen}"
    return f"notebooks run under Keras backend {backend(environ)}, with {seeds}"
