"""The support package, installed from a wheel (not editable), carries MNIST.

Colab and Binder install ``cnn-lesson`` with pip from the repository, which
builds a wheel: the lessons work there only if that wheel holds
``cnn_lesson/data/mnist.npz``.  The wheel is built offline from a copy of
the package's files, so the repository stays untouched.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from cnn_lesson.data import MNIST_SHA256

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_contains_mnist(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE.md"):
        shutil.copy2(ROOT / name, project / name)
    shutil.copytree(
        ROOT / "src",
        project / "src",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
    )
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
         "--no-build-isolation", "--no-index", "--wheel-dir", str(tmp_path / "dist"),
         str(project)],
        capture_output=True, text=True, timeout=300,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (tmp_path / "dist").glob("cnn_lesson-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert "cnn_lesson/data/mnist.npz" in names, names
        assert "cnn_lesson/data.py" in names
        data = archive.read("cnn_lesson/data/mnist.npz")
    assert hashlib.sha256(data).hexdigest() == MNIST_SHA256
