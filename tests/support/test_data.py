"""The bundled MNIST: contents, checksum, errors, offline use, and the rebuild script."""

from __future__ import annotations

import re
import shutil
import socket
from pathlib import Path

import numpy as np
import pytest

from cnn_lesson import data
from cnn_lesson.data import (
    check_mnist_facts,
    load_mnist,
    mnist_path,
    sha256_of,
    split_validation,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def mnist():
    return load_mnist()


def test_load_mnist_matches_keras_layout(mnist):
    (x_train, y_train), (x_test, y_test) = mnist
    assert (x_train.shape, y_train.shape) == ((60000, 28, 28), (60000,))
    assert (x_test.shape, y_test.shape) == ((10000, 28, 28), (10000,))
    for array in (x_train, y_train, x_test, y_test):
        assert array.dtype == np.uint8


def test_bundled_mnist_has_the_published_facts(mnist):
    (x_train, y_train), (x_test, y_test) = mnist
    check_mnist_facts(x_train, y_train, x_test, y_test)
    assert y_train[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert np.bincount(y_test).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert 0 == x_train.min() and x_train.max() == 255


def test_recorded_checksum_is_the_shipped_files(mnist):
    assert sha256_of(mnist_path()) == data.MNIST_SHA256
    assert len(data.MNIST_SHA256) == 64


def test_load_mnist_never_touches_the_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("load_mnist tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    (x_train, _), _ = load_mnist()
    assert x_train.shape == (60000, 28, 28)


def test_missing_file_says_what_and_how_to_restore(tmp_path):
    missing = tmp_path / "mnist.npz"
    with pytest.raises(FileNotFoundError) as raised:
        load_mnist(missing)
    message = str(raised.value)
    assert str(missing) in message and "missing" in message
    assert "lesson-mnist" in message and "git checkout" in message


def test_corrupt_file_is_refused_before_use(tmp_path):
    corrupt = tmp_path / "mnist.npz"
    shutil.copy(mnist_path(), corrupt)
    with open(corrupt, "r+b") as handle:
        handle.seek(5_000_000)
        byte = handle.read(1)
        handle.seek(5_000_000)
        handle.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(ValueError) as raised:
        load_mnist(corrupt)
    message = str(raised.value)
    assert "corrupt" in message and data.MNIST_SHA256 in message
    assert sha256_of(corrupt) in message and "lesson-mnist" in message


def test_truncated_file_is_refused(tmp_path):
    truncated = tmp_path / "mnist.npz"
    truncated.write_bytes(mnist_path().read_bytes()[:1000])
    with pytest.raises(ValueError, match="corrupt"):
        load_mnist(truncated)


@pytest.mark.parametrize(
    ("change", "fact"),
    [
        (lambda a: a.__setitem__(1, a[1][:-1]), "y_train has dtype"),
        (lambda a: a.__setitem__(0, a[0].astype(np.float32)), "x_train has dtype"),
        (lambda a: a[1].__setitem__(0, 3), "y_train label counts"),
        (lambda a: a[3].__setitem__(0, 0), "y_test label counts"),
        (lambda a: a.__setitem__(1, np.roll(a[1], 1)), "first training labels"),
        (lambda a: a[0].__setitem__(slice(0, 600), 255), "pixel mean"),
    ],
)
def test_check_mnist_facts_names_the_broken_fact(mnist, change, fact):
    (x_train, y_train), (x_test, y_test) = mnist
    arrays = [x_train.copy(), y_train.copy(), x_test.copy(), y_test.copy()]
    change(arrays)
    with pytest.raises(ValueError, match=fact):
        check_mnist_facts(*arrays)


# --- the validation split ------------------------------------------------------------


def test_split_validation_sets_aside_a_disjoint_reproducible_part():
    x = np.arange(100).reshape(100, 1) * 10
    y = np.arange(100)
    (x_train, y_train), (x_val, y_val) = split_validation(x, y, size=20, seed=3)
    assert len(x_train) == len(y_train) == 80 and len(x_val) == len(y_val) == 20
    np.testing.assert_array_equal(x_train[:, 0], y_train * 10)  # pairs stay together
    np.testing.assert_array_equal(x_val[:, 0], y_val * 10)
    assert sorted(np.concatenate([y_train, y_val])) == list(range(100))
    assert set(y_val).isdisjoint(y_train)
    again = split_validation(x, y, size=20, seed=3)[1][1]
    np.testing.assert_array_equal(again, y_val)
    other = split_validation(x, y, size=20, seed=4)[1][1]
    assert not np.array_equal(other, y_val)
    assert list(y_val) != sorted(y_val)  # shuffled, not the first twenty


def test_split_validation_of_mnist_keeps_every_digit_in_both_parts(mnist):
    (x_train, y_train), _ = mnist
    (x_fit, y_fit), (x_val, y_val) = split_validation(x_train, y_train)
    assert x_fit.shape == (54000, 28, 28) and x_val.shape == (6000, 28, 28)
    assert np.bincount(y_val, minlength=10).min() > 500
    assert x_fit.dtype == np.uint8


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"size": 0}, ValueError, "size must be between 1 and 9 (len(x) - 1), got 0"),
        ({"size": 10}, ValueError, "got 10"),
        ({"size": 2.5}, TypeError, "size must be an integer, got 2.5"),
        ({"size": True}, TypeError, "size must be an integer, got True"),
        ({"seed": "0"}, TypeError, "seed must be an integer, got '0'"),
        ({"seed": -1, "size": 3}, ValueError, "seed must be non-negative, got -1"),
        ({"y": np.arange(9)}, ValueError, "shapes (10, 2) and (9,)"),
    ],
)
def test_split_validation_rejects_bad_arguments(kwargs, error, words):
    arguments = {"x": np.zeros((10, 2)), "y": np.arange(10), **kwargs}
    with pytest.raises(error, match=re.escape(words)):
        split_validation(**arguments)
