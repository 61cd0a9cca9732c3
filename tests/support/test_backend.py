"""Tests of cnn_lesson.backend's steady array pipeline: tf.data autotuning off for the arrays Keras feeds its models."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types

import pytest

from cnn_lesson import backend

#: Run in a fresh interpreter, since what it checks depends on what was imported first.
PROBE = """
import json, sys
{imports}
from keras.src.trainers.data_adapters.array_data_adapter import ArrayDataAdapter
import numpy as np
x, y = np.arange(20.0).reshape(10, 2), np.arange(10)
def batches(get):
    dataset = get(ArrayDataAdapter(x, y, batch_size=4, shuffle=False))
    return dataset, [[part.numpy().tolist() for part in batch] for batch in dataset]
steady, steady_batches = batches(ArrayDataAdapter.get_tf_dataset)
_, keras_batches = batches(ArrayDataAdapter.get_tf_dataset.__wrapped__)
print(json.dumps({{"autotune": steady.options().autotune.enabled, "same": steady_batches == keras_batches,
                  "finders": sum(type(f).__name__ == "_OnImport" for f in sys.meta_path)}}))
"""


def probe(imports: str) -> dict:
    """What the probe prints, run with ``imports`` first, on TensorFlow."""
    environ = {**os.environ, "KERAS_BACKEND": "tensorflow", "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(imports=imports)], capture_output=True, text=True, env=environ, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "imports",
    ["import cnn_lesson\nimport keras", "import keras\nimport cnn_lesson"],
    ids=["cnn_lesson first", "keras first"],
)
def test_importing_cnn_lesson_turns_off_autotuning_of_the_array_pipeline_keeping_its_batches(imports):
    assert probe(imports) == {"autotune": False, "same": True, "finders": 0}


def test_before_keras_is_imported_the_change_waits_for_it_without_importing_it():
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, cnn_lesson\n"
            "from cnn_lesson.backend import steady_array_pipeline\n"
            "print(steady_array_pipeline(), steady_array_pipeline(), 'keras' in sys.modules,\n"
            "      sum(type(f).__name__ == '_OnImport' for f in sys.meta_path))",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == ["False", "False", "False", "1"]


def test_untuned_wraps_once():
    def get_tf_dataset(self):
        return self

    once = backend.untuned(get_tf_dataset)
    assert once is not get_tf_dataset and once.__wrapped__ is get_tf_dataset
    assert backend.untuned(once) is once


def test_a_keras_without_the_array_adapter_is_left_as_it_is():
    module = types.ModuleType(backend.ARRAY_ADAPTER)
    module.ArrayDataAdapter = type("ArrayDataAdapter", (), {})
    backend._untune(module)
    assert not hasattr(module.ArrayDataAdapter, "get_tf_dataset")
    backend._untune(types.ModuleType("empty"))
