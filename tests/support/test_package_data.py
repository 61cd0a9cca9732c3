"""The support package's distributions: a wheel that carries MNIST, an sdist, both accepted by twine.

Colab and Binder install ``cnn-lesson`` with pip from the repository, which
builds a wheel: the lessons work there only if that wheel holds
``cnn_lesson/data/mnist.npz``.  A release builds both distributions the same
way (``make dist``, the release workflow), so that publishing them to PyPI
is one step.  They are built offline from a copy of the package's files, so
the repository stays untouched.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from cnn_lesson.data import MNIST_SHA256
from lesson_book.book import read_version

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """The folder ``python -m build`` wrote the sdist and the wheel into, from a copy of the package."""
    tmp_path = tmp_path_factory.mktemp("package")
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
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(tmp_path / "dist"), str(project)],
        capture_output=True, text=True, timeout=300,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    return tmp_path / "dist"


def test_twine_accepts_both_distributions_of_this_version(dist):
    version = read_version()
    names = sorted(path.name for path in dist.iterdir())
    assert names == [f"cnn_lesson-{version}-py3-none-any.whl", f"cnn_lesson-{version}.tar.gz"]
    twine = Path(sys.executable).with_name("twine")
    checked = subprocess.run(
        [str(twine), "check", "--strict", *sorted(map(str, dist.iterdir()))],
        capture_output=True, text=True, timeout=120,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count("PASSED") == 2


def test_the_sdist_holds_the_package_and_its_data_and_nothing_of_the_book(dist):
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"pyproject.toml", "LICENSE.md", "src/cnn_lesson/data/mnist.npz", "src/cnn_lesson/data.py"} <= names
    assert not any(name.startswith(("lessons/", "tests/", "tools/")) for name in names)


def test_the_wheel_contains_mnist(dist):
    (wheel,) = dist.glob("cnn_lesson-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert "cnn_lesson/data/mnist.npz" in names, names
        assert "cnn_lesson/data.py" in names
        data = archive.read("cnn_lesson/data/mnist.npz")
    assert hashlib.sha256(data).hexdigest() == MNIST_SHA256
