"""The MNIST digits, shipped with the book, and colour digits made from them.

The training and test sets live in ``cnn_lesson/data/mnist.npz``, a
compressed NumPy archive with the same four arrays (and names) as the file
``keras.datasets.mnist.load_data()`` downloads.  Nothing here touches the
network: the file is read from the installed package and its SHA-256 is
checked before use.  The book's ``lesson-mnist`` command rebuilds it.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from numbers import Real
from pathlib import Path

import numpy as np

from .validate import as_numbers, check_int

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


#: The ten stroke colours of :func:`colour_digits` (RGB, 0-255), one per digit
#: class when a shortcut ties them.  Each one's three channels add up to 400,
#: so every colour gives the same grey: only the hue tells them apart.
STROKE_COLOURS = (
    (255, 145, 0),
    (145, 255, 0),
    (0, 255, 145),
    (0, 145, 255),
    (145, 0, 255),
    (255, 0, 145),
    (200, 200, 0),
    (0, 200, 200),
    (200, 0, 200),
    (133, 133, 134),
)
#: Names of :data:`STROKE_COLOURS`, in the same order.
STROKE_COLOUR_NAMES = (
    "orange", "lime", "mint", "azure", "violet",
    "rose", "yellow", "cyan", "magenta", "grey",
)
#: The dark background colours of :func:`colour_digits`; each one's channels add
#: up to 90, so every background gives the same grey too.
BACKGROUND_COLOURS = (
    (90, 0, 0),
    (0, 90, 0),
    (0, 0, 90),
    (45, 45, 0),
    (0, 45, 45),
    (45, 0, 45),
)


#: How many images :func:`colour_digits` colours at a time.
_CHUNK = 1000


def colour_digits(
    images: np.ndarray, labels: np.ndarray, shortcut: float = 0.0, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Colour versions of grey digits: strokes of one colour on a dark background.

    Each image gets a stroke colour from :data:`STROKE_COLOURS` and a
    background colour from :data:`BACKGROUND_COLOURS`; a pixel of ink ``a``
    (0 to 1, the grey value / 255) becomes ``background + a × (stroke -
    background)``.  The background is drawn at random for every image.  The
    stroke colour is drawn at random too, except in a fraction ``shortcut``
    of the images (chosen at random), where it is the colour of the digit's
    class: ``STROKE_COLOURS[label]``.  With ``shortcut=0`` colour says
    nothing about the digit; with ``shortcut=0.95`` it gives the label away
    in 95% of the images (and by chance in a tenth of the rest).

    All colours of each kind have the same channel sum, so the mean of the
    three channels is the same grey image whatever the colours, up to
    rounding: a grey conversion removes the colour and keeps the digit.

    Parameters
    ----------
    images
        Grey digits, ``uint8``-range values 0-255 of shape (n, height, width)
        or (n, height, width, 1).
    labels
        Their classes, n integers from 0 to 9.
    shortcut
        The fraction of images, from 0 to 1, whose stroke colour is their class's.
    seed
        Seed of the random choices: the same arguments always give the same images.

    Returns
    -------
    colour_images, colours
        ``uint8`` array of shape (n, height, width, 3) (red, green, blue), and
        the index into :data:`STROKE_COLOURS` of each image's stroke colour.

    Raises
    ------
    TypeError
        If ``images`` or ``labels`` do not hold numbers, or ``shortcut`` is
        not a number, or ``seed`` is not an integer.
    ValueError
        If the shapes do not match, a pixel is outside 0-255, a label is
        not an integer from 0 to 9, or ``shortcut`` is outside 0-1.
    """
    grey = as_numbers(images, "images")
    if grey.ndim == 4 and grey.shape[-1] == 1:
        grey = grey[..., 0]
    if grey.ndim != 3 or len(grey) == 0:
        raise ValueError(
            "images must be a non-empty stack of grey images of shape (n, height, width) "
            f"or (n, height, width, 1), got shape {grey.shape}"
        )
    if grey.min() < 0 or grey.max() > 255:
        raise ValueError(
            f"images must hold pixel values from 0 to 255, got min {grey.min()}, max {grey.max()}"
        )
    classes = as_numbers(labels, "labels")
    if classes.shape != (len(grey),):
        raise ValueError(
            f"labels must hold one class per image, shape ({len(grey)},), got shape {classes.shape}"
        )
    if not np.all(classes == np.round(classes)) or classes.min() < 0 or classes.max() > 9:
        raise ValueError(
            f"labels must be integers from 0 to 9, got min {classes.min()}, max {classes.max()}"
        )
    classes = classes.astype(np.int64)
    if isinstance(shortcut, bool) or not isinstance(shortcut, Real):
        raise TypeError(
            f"shortcut must be a number from 0 to 1, got {shortcut!r} ({type(shortcut).__name__})"
        )
    if not 0 <= shortcut <= 1:
        raise ValueError(f"shortcut must be from 0 to 1, got {shortcut!r}")
    seed = check_int("seed", seed, minimum=0)

    rng = np.random.default_rng(seed)
    n = len(grey)
    colours = rng.integers(0, len(STROKE_COLOURS), size=n)
    tied = rng.permutation(n)[: round(shortcut * n)]
    colours[tied] = classes[tied]
    backgrounds = rng.integers(0, len(BACKGROUND_COLOURS), size=n)

    strokes = np.array(STROKE_COLOURS, dtype=np.float64)
    grounds = np.array(BACKGROUND_COLOURS, dtype=np.float64)
    coloured = np.empty((*grey.shape, 3), dtype=np.uint8)
    # A thousand images at a time: the float64 arithmetic of all 60,000 at
    # once would take gigabytes, more than a 2 GB notebook server has.
    for start in range(0, n, _CHUNK):
        part = slice(start, start + _CHUNK)
        ink = (grey[part].astype(np.float64) / 255.0)[..., np.newaxis]
        stroke = strokes[colours[part]][:, None, None, :]
        background = grounds[backgrounds[part]][:, None, None, :]
        coloured[part] = np.round(background + ink * (stroke - background))
    return coloured, colours
