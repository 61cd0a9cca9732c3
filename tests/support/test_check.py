"""Tests of cnn_lesson.check, the set-up check learners run before the workshop."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import pytest
from packaging.version import Version

from cnn_lesson import check
from cnn_lesson.backend import fall_back_backend

ROOT = Path(__file__).resolve().parents[2]


def test_every_check_passes_here():
    lines: list[str] = []
    results = check.run_checks(write=lines.append)
    assert [result.name for result in results] == [c.name for c in check.CHECKS]
    assert all(result.ok for result in results), lines
    assert lines[-1].startswith("\nAll 6 checks passed")
    versions = "\n".join(lines)
    for name in ("Python", "Keras", "Backend", "Matplotlib", "Training", "MNIST"):
        assert any(line.startswith(name) and " ok " in line for line in lines), versions
    assert "60,000 training and 10,000 test images" in versions


def test_a_failing_check_is_reported_with_its_advice_and_the_rest_still_run():
    def broken() -> str:
        raise ImportError("No module named 'tensorflow'")

    checks = (
        check.Check("First", lambda: "fine", "never shown"),
        check.Check("Broken", broken, "reinstall it"),
        check.Check("Last", lambda: "also fine", "never shown"),
    )
    lines: list[str] = []
    results = check.run_checks(checks, write=lines.append)
    assert [result.ok for result in results] == [True, False, True]
    assert results[1].detail == "ImportError: No module named 'tensorflow'"
    text = "\n".join(lines)
    assert "Broken  FAILED  ImportError: No module named 'tensorflow'" in text
    assert "What to do: reinstall it." in text
    assert "never shown" not in text
    assert "1 of 3 checks failed" in lines[-1]


def test_the_supported_pythons_come_from_pyproject():
    with open(ROOT / "pyproject.toml", "rb") as file:
        wanted = tomllib.load(file)["project"]["requires-python"]
    assert wanted == ">=3.11,<3.14"  # the pinned TensorFlow's wheels: change both together
    assert check.supported_pythons() == ((3, 11), (3, 12), (3, 13))
    assert check.supported_text() == "3.11, 3.12 or 3.13"
    assert sys.version_info[:2] in check.supported_pythons()  # the tests run on one of them


@pytest.mark.parametrize("version", [(3, 11, 0), (3, 12), (3, 13, 2)])
def test_check_python_accepts_the_supported_versions(version):
    assert check.check_python(version).startswith(".".join(map(str, version)))


@pytest.mark.parametrize("version", [(3, 10, 12), (2, 7, 18), (3, 9)])
def test_check_python_rejects_old_versions(version):
    with pytest.raises(RuntimeError, match=r"too old: the lesson needs Python 3\.11, 3\.12 or 3\.13$"):
        check.check_python(version)


@pytest.mark.parametrize("version", [(3, 14, 0), (3, 15), (4, 0)])
def test_check_python_rejects_versions_tensorflow_does_not_support_yet(version):
    with pytest.raises(RuntimeError, match="too new: TensorFlow has no release for it yet"):
        check.check_python(version)


def test_the_python_advice_names_the_versions_and_a_way_to_get_one():
    (python,) = [item for item in check.CHECKS if item.name == "Python"]
    assert "install Python 3.11, 3.12 or 3.13 (64-bit" in python.advice
    assert "conda create -n cnn-lesson python=3.13" in python.advice


@pytest.mark.parametrize("path", ["README.md", "pages/setup.md"])
def test_readme_and_setup_page_state_the_same_pythons(path):
    assert f"Python {check.supported_text()}" in (ROOT / path).read_text()


@pytest.mark.parametrize("version", [(3,), ("3", "11"), (3.11, 0)])
def test_check_python_rejects_malformed_versions(version):
    with pytest.raises(TypeError, match="version"):
        check.check_python(version)


@pytest.mark.parametrize("steps", [0, -1, 2.5, "4"])
def test_check_training_rejects_bad_steps(steps):
    with pytest.raises(ValueError, match="steps"):
        check.check_training(steps)


def test_check_training_reports_a_finite_loss():
    assert check.check_training(steps=2).startswith("a small CNN trained for 2 steps (loss ")


def test_main_exit_status_follows_the_checks(capsys):
    def broken() -> str:
        raise RuntimeError("no")

    assert check.main((check.Check("Fine", lambda: "ok", ""),)) == 0
    assert check.main((check.Check("Fine", lambda: "ok", ""), check.Check("Bad", broken, "fix"))) == 1
    assert "Bad   FAILED  RuntimeError: no" in capsys.readouterr().out


def test_the_command_line_runs_and_exits_zero():
    done = subprocess.run(
        [sys.executable, "-m", "cnn_lesson.check"], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "All 6 checks passed" in done.stdout


def test_the_backend_check_names_the_backend_keras_runs_on_and_its_version(keras):
    import importlib

    name = keras.backend.backend()
    assert check.check_backend() == f"{name} {importlib.import_module(name).__version__}"
    assert f"(backend: {name})" in check.check_keras()


@pytest.mark.backends
@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_the_checks_pass_on_another_backend_without_tensorflow(tmp_path, backend):
    """As on a computer with only that backend: importing TensorFlow fails.

    jax and torch are installed by make test-backends (requirements-backends.txt).
    """
    blocker = tmp_path / "tensorflow"
    blocker.mkdir()
    (blocker / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'tensorflow'\", name='tensorflow')\n"
    )
    env = {**os.environ, "KERAS_BACKEND": backend,
           "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        [sys.executable, "-c", "import tensorflow"], capture_output=True, text=True, env=env
    )
    assert "No module named 'tensorflow'" in done.stderr  # the blocker works
    done = subprocess.run(
        [sys.executable, "-m", "cnn_lesson.check"], capture_output=True, text=True, env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"(backend: {backend})" in done.stdout
    assert re.search(rf"^Backend +ok +{backend} \d", done.stdout, re.M), done.stdout
    assert "All 6 checks passed" in done.stdout


def test_a_missing_backend_fails_the_keras_and_backend_checks_with_advice(tmp_path):
    blocker = tmp_path / "tensorflow"
    blocker.mkdir()
    (blocker / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'tensorflow'\", name='tensorflow')\n"
    )
    env = {**os.environ, "KERAS_BACKEND": "tensorflow",
           "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        [sys.executable, "-m", "cnn_lesson.check"], capture_output=True, text=True, env=env,
        timeout=600,
    )
    assert done.returncode == 1
    assert re.search(r"^Backend +FAILED .*tensorflow", done.stdout, re.M), done.stdout
    assert "KERAS_BACKEND" in done.stdout


def test_older_than_tested_names_only_the_libraries_below_the_oldest(monkeypatch):
    monkeypatch.setattr(check, "OLDEST", {"keras": "3.10.0", "numpy": "2.1.3"})
    assert check.older_than_tested({"keras": "3.10.0", "numpy": "2.4.6", "jax": "0.1"}) == []
    assert check.older_than_tested({"keras": "3.9.2", "numpy": "1.26.4"}) == [
        "keras 3.9.2 is older than 3.10.0", "numpy 1.26.4 is older than 2.1.3"
    ]
    with pytest.raises(TypeError, match=r"versions must be a dict .* got \['keras'\]"):
        check.older_than_tested(["keras"])


def test_an_old_library_passes_its_check_with_an_old_line_and_advice(monkeypatch):
    monkeypatch.setitem(check.OLDEST, "matplotlib", "99.0")
    lines: list[str] = []
    checks = (check.Check("Matplotlib", check.check_matplotlib, "never shown"),)
    (result,) = check.run_checks(checks, write=lines.append)
    assert result.ok and result.old
    assert re.match(r"Matplotlib  old     \d+\.\d+\S* \(NumPy \d", lines[0]), lines
    assert "is older than 99.0, the oldest release the lesson is tested with" in lines[1]
    assert "`python -m pip install --upgrade matplotlib numpy`" in lines[1]
    assert lines[-1].startswith("\nAll 1 checks passed, with a library older than")


def test_the_oldest_releases_are_older_than_the_pins_and_printed_for_pip(capsys):
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        name, _, version = line.split("#")[0].strip().partition("==")
        if version:
            pins[name] = version
    for name, oldest in check.OLDEST.items():
        assert Version(oldest) < Version(pins[name]), name
    assert check.main(argv=["--oldest"]) == 0
    assert capsys.readouterr().out.split() == [f"{n}=={v}" for n, v in check.OLDEST.items()]
    with pytest.raises(SystemExit, match="usage: python -m cnn_lesson.check"):
        check.main(argv=["--newest"])


@pytest.mark.parametrize(
    ("environ", "installed", "chosen"),
    [
        ({}, {"tensorflow", "jax"}, None),                       # the book's backend is there
        ({"KERAS_BACKEND": "torch"}, {"jax", "torch"}, None),    # the learner chose
        ({}, {"jax", "torch"}, "jax"),                           # Colab's TPU runtime
        ({}, {"torch"}, "torch"),
        ({}, set(), None),                                       # Keras's import will say why
    ],
)
def test_fall_back_backend_picks_a_tested_backend_only_where_tensorflow_is_missing(
    environ, installed, chosen, capsys
):
    before = dict(environ)
    assert fall_back_backend(environ, installed.__contains__) == chosen
    if chosen:
        assert environ == {**before, "KERAS_BACKEND": chosen}
        assert f"Keras will run on {chosen} (KERAS_BACKEND={chosen})" in capsys.readouterr().out
    else:
        assert environ == before and capsys.readouterr().out == ""


@pytest.mark.backends
def test_without_tensorflow_importing_cnn_lesson_lets_keras_run_on_jax():
    """As on Colab's TPU runtime: TensorFlow cannot be found, JAX is installed."""
    code = (
        "import sys\n"
        "sys.modules['tensorflow'] = None  # find_spec and import both see no TensorFlow\n"
        "import cnn_lesson  # as the notebooks' first cell does\n"
        "import keras\n"
        "print('backend', keras.backend.backend())\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "KERAS_BACKEND"}
    env["KERAS_HOME"] = tempfile.mkdtemp()  # no keras.json naming another backend
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=600
    )
    assert done.returncode == 0, done.stderr
    assert "Keras will run on jax" in done.stdout
    assert done.stdout.splitlines()[-1] == "backend jax"
