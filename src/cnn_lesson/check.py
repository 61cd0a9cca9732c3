"""Check that a computer is ready for the workshop.

Run ``python -m cnn_lesson.check`` in a terminal, or ``run_checks()`` in a
notebook.  Each check prints one line, ``ok`` or ``FAILED`` with what went
wrong and what to do about it:

- Python is one the lesson supports (``requires-python`` in the package's
  metadata: 3.11 to 3.13 today, the versions the pinned TensorFlow has
  wheels for);
- Keras 3 imports, and the backend it runs on (TensorFlow unless the
  ``KERAS_BACKEND`` variable or Keras's configuration file names JAX or
  PyTorch) is installed: their versions;
- Matplotlib imports, and its version;
- a small CNN trains for a few steps;
- the bundled copy of MNIST loads.
"""

from __future__ import annotations

import functools
import importlib
import importlib.metadata
import math
import os
import platform
import sys
from dataclasses import dataclass
from typing import Callable, Sequence

from packaging.specifiers import SpecifierSet


@functools.cache
def supported_pythons() -> tuple[tuple[int, int], ...]:
    """The Python versions (major, minor) the lesson supports, oldest first.

    Read from the installed package's ``Requires-Python``, which comes from
    ``requires-python`` in ``pyproject.toml``: the one place they are written.
    """
    specifier = SpecifierSet(importlib.metadata.metadata("cnn-lesson")["Requires-Python"])
    found = tuple((3, minor) for minor in range(6, 40) if f"3.{minor}" in specifier)
    if not found:
        raise RuntimeError(f"Requires-Python {specifier} admits no Python 3 version")
    return found


def supported_text() -> str:
    """The supported versions in words, for example ``3.11, 3.12 or 3.13``."""
    names = [f"{major}.{minor}" for major, minor in supported_pythons()]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"

REINSTALL = (
    "activate the lesson's virtual environment and run "
    "`python -m pip install -r requirements.txt` in the lesson folder"
)


BACKEND_ADVICE = (
    f"{REINSTALL}; if pip finds no TensorFlow for your computer, your Python "
    f"is too new, too old or 32-bit: use Python {supported_text()} (64-bit). "
    "To run Keras on JAX or PyTorch instead, install it and set the variable "
    "KERAS_BACKEND to jax or torch before starting Python or Jupyter"
)

PYTHON_ADVICE = (
    f"install Python {supported_text()} (64-bit; python.org lists every release, "
    "or with conda: `conda create -n cnn-lesson python="
    f"{'.'.join(map(str, supported_pythons()[-1]))}`), make the virtual environment "
    "again with it, and reinstall"
)


@dataclass(frozen=True)
class Check:
    """One check: its name, what it does and the advice printed when it fails."""

    name: str
    run: Callable[[], str]  # returns what it found; raises when the check fails
    advice: str


@dataclass(frozen=True)
class Result:
    """The outcome of one check."""

    name: str
    ok: bool
    detail: str
    advice: str = ""


def check_python(version: Sequence[int] | None = None) -> str:
    """The Python version; ``RuntimeError`` if it is not one of :func:`supported_pythons`.

    ``version`` (major, minor, ...) defaults to the running interpreter's.
    """
    if version is None:
        version = tuple(sys.version_info[:3])
    if len(version) < 2 or not all(isinstance(part, int) for part in version):
        raise TypeError(f"version must be a sequence of ints, got {version!r}")
    text = ".".join(str(part) for part in version)
    supported = supported_pythons()
    if tuple(version[:2]) < supported[0]:
        raise RuntimeError(f"Python {text} is too old: the lesson needs Python {supported_text()}")
    if tuple(version[:2]) > supported[-1]:
        raise RuntimeError(
            f"Python {text} is too new: TensorFlow has no release for it yet; "
            f"the lesson needs Python {supported_text()}"
        )
    return f"{text} ({platform.system() or 'unknown system'})"


def _quiet_tensorflow() -> None:
    """Keep TensorFlow's start-up log out of the output (only before its import)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def check_keras() -> str:
    """Keras's version and backend; ``RuntimeError`` if it is not Keras 3.

    Importing Keras imports its backend, so a missing backend fails here too.
    """
    _quiet_tensorflow()
    import keras

    major = int(keras.__version__.split(".")[0])
    if major < 3:
        raise RuntimeError(f"Keras {keras.__version__} found: the lesson needs Keras 3")
    return f"{keras.__version__} (backend: {keras.backend.backend()})"


def check_backend() -> str:
    """The backend Keras runs on, as Keras reports it, and its version; ``ImportError`` if missing."""
    _quiet_tensorflow()
    import keras

    name = keras.backend.backend()  # "tensorflow", "jax", "torch", ...: also its module's name
    return f"{name} {importlib.import_module(name).__version__}"


def check_matplotlib() -> str:
    """Matplotlib's version; ``ImportError`` if it is missing."""
    import matplotlib

    return matplotlib.__version__


def check_training(steps: int = 4) -> str:
    """Train a small CNN on random images for ``steps`` batches; its final loss."""
    if not isinstance(steps, int) or steps < 1:
        raise ValueError(f"steps must be a positive int, got {steps!r}")
    _quiet_tensorflow()
    import keras
    import numpy as np

    keras.utils.set_random_seed(0)
    images = np.random.default_rng(0).random((16 * steps, 8, 8, 1), dtype=np.float32)
    labels = (images.mean(axis=(1, 2, 3)) > 0.5).astype("int32")
    model = keras.Sequential(
        [
            keras.Input(shape=(8, 8, 1)),
            keras.layers.Conv2D(4, (3, 3), activation="relu"),
            keras.layers.MaxPooling2D((2, 2)),
            keras.layers.Flatten(),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    history = model.fit(images, labels, batch_size=16, epochs=1, verbose=0)
    loss = history.history["loss"][-1]
    if not math.isfinite(loss):
        raise RuntimeError(f"training gave a loss of {loss}")
    return f"a small CNN trained for {steps} steps (loss {loss:.2f})"


def check_mnist() -> str:
    """Load the bundled MNIST and describe it; fails if the file is missing or damaged."""
    from cnn_lesson.data import load_mnist

    (x_train, _), (x_test, _) = load_mnist()
    return f"{len(x_train):,} training and {len(x_test):,} test images of 28x28 pixels"


CHECKS: tuple[Check, ...] = (
    Check("Python", check_python, PYTHON_ADVICE),
    Check("Keras", check_keras, BACKEND_ADVICE),
    Check("Backend", check_backend, BACKEND_ADVICE),
    Check("Matplotlib", check_matplotlib, REINSTALL),
    Check(
        "Training",
        check_training,
        "if Python crashed with 'Illegal instruction', this computer's processor "
        "is too old for the backend (TensorFlow): use Colab or Binder; otherwise " + REINSTALL,
    ),
    Check(
        "MNIST",
        check_mnist,
        "download the lesson files again (the file src/cnn_lesson/data/mnist.npz "
        "is missing or damaged), then " + REINSTALL,
    ),
)


def run_checks(
    checks: Sequence[Check] = CHECKS, write: Callable[[str], object] = print
) -> list[Result]:
    """Run every check, write one line for each and a verdict; return the results."""
    results = []
    width = max((len(check.name) for check in checks), default=0) + 2
    for check in checks:
        try:
            result = Result(check.name, True, check.run())
        except Exception as error:  # any failure is reported, never raised
            reason = f"{type(error).__name__}: {error}"
            result = Result(check.name, False, reason, check.advice)
        results.append(result)
        if result.ok:
            write(f"{result.name:<{width}}ok      {result.detail}")
        else:
            write(f"{result.name:<{width}}FAILED  {result.detail}")
            write(f"{'':<{width}}        What to do: {result.advice}.")
    failed = sum(not result.ok for result in results)
    if failed:
        write(
            f"\n{failed} of {len(results)} checks failed. Follow the advice above and "
            "run the checks again; if they still fail, send this output to the "
            "instructors before the workshop, or use Colab or Binder instead."
        )
    else:
        write(f"\nAll {len(results)} checks passed: you are ready for the workshop.")
    return results


def main(checks: Sequence[Check] = CHECKS) -> int:
    """Command-line entry point: exit status 0 when every check passes, else 1."""
    results = run_checks(checks)
    return 0 if all(result.ok for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
