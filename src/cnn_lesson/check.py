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
- Matplotlib imports, and its version and NumPy's;
- a small CNN trains for a few steps;
- the bundled copy of MNIST loads.

A library older than the oldest release the lessons are tested with
(:data:`OLDEST`) gets an ``old`` line with advice instead of ``ok``: the
lessons may still work, but nothing tests them there.
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
from packaging.version import Version

#: The oldest release of each library the lessons are tested with (make
#: test-oldest runs every learner notebook under exactly these; CI runs it).
#: About a year older than the pins of requirements.txt, since Colab and
#: university hubs update their images a few times a year.  Written only here.
OLDEST = {"tensorflow": "2.19.0", "keras": "3.10.0", "numpy": "2.1.3", "matplotlib": "3.10.0"}


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
    """The outcome of one check: ``old`` when it passed with a library older than :data:`OLDEST`."""

    name: str
    ok: bool
    detail: str
    advice: str = ""
    old: bool = False


class TooOld(Exception):
    """Raised by a check that found what it needs, older than the lessons are tested with."""

    def __init__(self, detail: str, advice: str) -> None:
        super().__init__(detail)
        self.detail = detail
        self.advice = advice


def older_than_tested(versions: dict[str, str]) -> list[str]:
    """Those of ``versions`` (library name to version) older than :data:`OLDEST`, in words."""
    if not isinstance(versions, dict):
        raise TypeError(f"versions must be a dict of names to versions, got {versions!r}")
    return [
        f"{name} {version} is older than {OLDEST[name]}"
        for name, version in versions.items()
        if name in OLDEST and Version(version) < Version(OLDEST[name])
    ]


def _report(detail: str, versions: dict[str, str]) -> str:
    """``detail``, or :class:`TooOld` with advice when a library of ``versions`` is too old."""
    old = older_than_tested(versions)
    if old:
        names = " ".join(sorted(name for name in versions if name in OLDEST))
        raise TooOld(
            detail,
            f"{'; '.join(old)}, the oldest release the lesson is tested with; the "
            f"lesson may work, but if a cell fails, upgrade: `python -m pip install --upgrade {names}`",
        )
    return detail


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
    return _report(f"{keras.__version__} (backend: {keras.backend.backend()})", {"keras": keras.__version__})


def check_backend() -> str:
    """The backend Keras runs on, as Keras reports it, and its version; ``ImportError`` if missing."""
    _quiet_tensorflow()
    import keras

    name = keras.backend.backend()  # "tensorflow", "jax", "torch", ...: also its module's name
    version = importlib.import_module(name).__version__
    return _report(f"{name} {version}", {name: version})


def check_matplotlib() -> str:
    """Matplotlib's version, and NumPy's; ``ImportError`` if either is missing."""
    import matplotlib
    import numpy

    return _report(
        f"{matplotlib.__version__} (NumPy {numpy.__version__})",
        {"matplotlib": matplotlib.__version__, "numpy": numpy.__version__},
    )


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
        except TooOld as old:
            result = Result(check.name, True, old.detail, old.advice, old=True)
        except Exception as error:  # any failure is reported, never raised
            reason = f"{type(error).__name__}: {error}"
            result = Result(check.name, False, reason, check.advice)
        results.append(result)
        if result.old:
            write(f"{result.name:<{width}}old     {result.detail}")
            write(f"{'':<{width}}        What to do: {result.advice}.")
        elif result.ok:
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
    elif any(result.old for result in results):
        write(
            f"\nAll {len(results)} checks passed, with a library older than the lesson "
            "is tested with: upgrade it as the advice above says, or expect a cell to fail."
        )
    else:
        write(f"\nAll {len(results)} checks passed: you are ready for the workshop.")
    return results


def main(checks: Sequence[Check] = CHECKS, argv: Sequence[str] = ()) -> int:
    """Command-line entry point: exit status 0 when every check passes, else 1.

    ``--oldest`` prints :data:`OLDEST` as pip requirements instead (``make
    test-oldest`` installs them).
    """
    argv = list(argv)
    if argv == ["--oldest"]:
        print("\n".join(f"{name}=={version}" for name, version in OLDEST.items()))
        return 0
    if argv:
        raise SystemExit(f"usage: python -m cnn_lesson.check [--oldest]; got {' '.join(argv)!r}")
    results = run_checks(checks)
    return 0 if all(result.ok for result in results) else 1


if __name__ == "__main__":
    sys.exit(main(argv=sys.argv[1:]))
