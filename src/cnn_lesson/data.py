"""The MNIST digits, shipped with the book.

The training and test sets live in ``cnn_lesson/data/mnist.npz``, a
compressed NumPy archive with the same four arrays (and names) as the file
``keras.datasets.mnist.load_data()`` downloads.  Nothing here touches the
network: the file is read from the installed package and its SHA-256 is
checked before use.  The book's ``lesson-mnist`` command rebuilds it.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

import numpy as np

from .validate import check_int

MNIST_FILENAME = "mnist.npz"
MNIST_SHA256 = "ee068f36682cba7f38bafdedc77b0f873ebbcf877036f7ebde566966146ac146"

#: Names of the arrays inside the archive, in the order ``load_mnist`` returns them.
ARRAY_NAMES = ("x_train", "y_train", "x_test", "y_test")

#: Facts every copy of MNIST must satisfy (LeCun et al.'s original files).
TRAIN_LABEL_COUNTS = (5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949)
TEST_LABEL_COUNTS = (980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009)
FIRST_TRAIN_LABELS = (5, 0, 4, 1, 9, 2, 1, 3, 1, 4)
TRAIN_PIXEL_MEAN = 0.1307  # after dividing by 255, to 4 decimals
TRAIN_PIXEL_STD = 0.3081

_RESTORE_HINT = (
    "Restore it with `git checkout -- src/cnn_lesson/data/mnist.npz` in a clone "
    "of the book, reinstall the support package (`pip install --force-reinstall "
    "-e .` from the book's folder), or rebuild it with `lesson-mnist` (the book's tooling, `make install`)."
)


def mnist_path() -> Path:
    """Return the path of the MNIST archive inside the installed package."""
    return Path(str(resources.files("cnn_lesson") / "data" / MNIST_FILENAME))


def sha256_of(path: Path | str) -> str:
    """Return the hex SHA-256 digest of the file at ``path``."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_mnist(
    path: Path | str | None = None,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load MNIST exactly as ``keras.datasets.mnist.load_data()`` returns it.

    Parameters
    ----------
    path
        The archive to read; by default the copy shipped in this package.

    Returns
    -------
    (x_train, y_train), (x_test, y_test)
        ``uint8`` arrays of shapes (60000, 28, 28), (60000,), (10000, 28, 28)
        and (10000,): pixel values 0-255 and labels 0-9.

    Raises
    ------
    FileNotFoundError
        If the archive is missing.
    ValueError
        If its checksum is not the one the book was built with (a corrupt,
        truncated or replaced file).
    """
    path = mnist_path() if path is None else Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"The MNIST file {path} is missing. {_RESTORE_HINT}")
    actual = sha256_of(path)
    if actual != MNIST_SHA256:
        raise ValueError(
            f"The MNIST file {path} is corrupt: its SHA-256 is {actual}, "
            f"expected {MNIST_SHA256}. {_RESTORE_HINT}"
        )
    with np.load(path, allow_pickle=False) as archive:
        x_train, y_train, x_test, y_test = (archive[name] for name in ARRAY_NAMES)
    return (x_train, y_train), (x_test, y_test)


def check_mnist_facts(
    x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray, y_test: np.ndarray
) -> None:
    """Check arrays against the published facts of MNIST.

    Raises ``ValueError`` naming the first fact that does not hold: shapes
    and dtype, label counts of both sets, the first ten training labels, and
    the training pixels' mean and standard deviation after scaling by 1/255.
    """
    expected_shapes = {
        "x_train": (60000, 28, 28),
        "y_train": (60000,),
        "x_test": (10000, 28, 28),
        "y_test": (10000,),
    }
    arrays = dict(zip(ARRAY_NAMES, (x_train, y_train, x_test, y_test)))
    for name, array in arrays.items():
        if array.dtype != np.uint8 or array.shape != expected_shapes[name]:
            raise ValueError(
                f"{name} has dtype {array.dtype} and shape {array.shape}, "
                f"expected uint8 and {expected_shapes[name]}"
            )
    for name, labels, counts in (
        ("y_train", y_train, TRAIN_LABEL_COUNTS),
        ("y_test", y_test, TEST_LABEL_COUNTS),
    ):
        found = tuple(int(c) for c in np.bincount(labels, minlength=10))
        if found != counts:
            raise ValueError(f"{name} label counts are {found}, expected {counts}")
    first = tuple(int(v) for v in y_train[:10])
    if first != FIRST_TRAIN_LABELS:
        raise ValueError(f"first training labels are {first}, expected {FIRST_TRAIN_LABELS}")
    scaled = x_train.astype(np.float64) / 255.0
    mean, std = round(float(scaled.mean()), 4), round(float(scaled.std()), 4)
    if (mean, std) != (TRAIN_PIXEL_MEAN, TRAIN_PIXEL_STD):
        raise ValueError(
            f"training pixel mean and std are {mean} and {std}, "
            f"expected {TRAIN_PIXEL_MEAN} and {TRAIN_PIXEL_STD}"
        )


def split_validation(
    x: np.ndarray, y: np.ndarray, size: int = 6000, seed: int = 0
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Shuffle a training set with a fixed seed and set ``size`` examples aside.

    Parameters
    ----------
    x, y
        Images and labels, the same number of each (first axis).
    size
        How many examples go to the validation set.
    seed
        Seed of the shuffle: the same seed always gives the same split.

    Returns
    -------
    (x_train, y_train), (x_val, y_val)
        The examples not set aside, then the ``size`` set aside; no example is
        in both.

    Raises
    ------
    TypeError
        If ``size`` or ``seed`` is not an integer.
    ValueError
        If ``x`` and ``y`` differ in length, or ``size`` leaves either part empty.
    """
    size = check_int("size", size, minimum=None)
    seed = check_int("seed", seed, minimum=0)
    x, y = np.asarray(x), np.asarray(y)
    if x.ndim == 0 or y.ndim == 0 or len(x) != len(y):
        raise ValueError(
            f"x and y must hold the same number of examples, got shapes {x.shape} and {y.shape}"
        )
    if not 0 < size < len(x):
        raise ValueError(f"size must be between 1 and {len(x) - 1} (len(x) - 1), got {size}")
    order = np.random.default_rng(seed).permutation(len(x))
    held, kept = order[:size], order[size:]
    return (x[kept], y[kept]), (x[held], y[held])
