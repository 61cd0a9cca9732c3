"""The lessons' callout on old Keras code (lessons/_includes/old-keras-callout.md)
makes three claims about the pinned Keras; these tests keep them true."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
keras = pytest.importorskip("keras")

CALLOUT = Path(__file__).resolve().parents[2] / "lessons" / "_includes" / "old-keras-callout.md"


def test_keras2_convolutional_module_is_gone():
    with pytest.raises(ModuleNotFoundError):
        from keras.layers.convolutional import Conv2D  # noqa: F401
    assert "ModuleNotFoundError" in CALLOUT.read_text()


def test_sgd_lr_is_refused_and_learning_rate_accepted():
    with pytest.raises(ValueError, match="not recognized"):
        keras.optimizers.SGD(lr=0.01)
    assert float(keras.optimizers.SGD(learning_rate=0.01).learning_rate) == pytest.approx(0.01)
    assert "Argument(s) not recognized" in CALLOUT.read_text()


def test_input_shape_on_a_layer_warns():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        keras.Sequential([keras.layers.Conv2D(2, 3, input_shape=(8, 8, 1))])
    messages = [str(w.message) for w in caught]
    assert any("Do not pass an `input_shape`/`input_dim` argument to a layer" in m for m in messages)
    assert "Do not pass an `input_shape`/`input_dim` argument to a layer" in CALLOUT.read_text()
