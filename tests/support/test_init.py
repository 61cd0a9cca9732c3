"""The package's public API: every name listed, documented and loaded lazily."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import cnn_lesson


def test_importing_the_package_loads_no_keras_tensorflow_or_matplotlib():
    code = (
        "import sys, cnn_lesson\n"
        "heavy = [m for m in ('keras', 'tensorflow', 'matplotlib') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_every_public_name_is_loaded_from_its_module_and_documented():
    assert cnn_lesson.__all__ == sorted(set(cnn_lesson.__all__))
    for name in cnn_lesson.__all__:
        value = getattr(cnn_lesson, name)
        assert name in cnn_lesson.__doc__, name
        if callable(value):
            assert value.__doc__, name
            module = importlib.import_module(value.__module__)
            assert getattr(module, name) is value


def test_an_unknown_name_is_an_attribute_error_naming_it():
    with pytest.raises(AttributeError, match="'plot_everything'"):
        cnn_lesson.plot_everything  # noqa: B018


def test_public_names_are_listed_by_dir():
    assert set(cnn_lesson.__all__) <= set(dir(cnn_lesson))
