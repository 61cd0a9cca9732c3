"""The Makefile's seed run: `make test-seed SEED=random` draws a seed, hands it on and prints how to replay it."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from lesson_book.book import ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def _test_seed(tmp_path, seed: str, status: int) -> str:
    """`make test-seed` with the notebook run replaced by a command that prints LESSON_SEED and exits."""
    installed = tmp_path / "installed"
    installed.touch()
    fake_run = f"sh -c 'echo run with $$LESSON_SEED; exit {status}'"
    result = subprocess.run(
        ["make", "--no-print-directory", "-f", str(ROOT / "Makefile"), "test-seed", f"SEED={seed}",
         f"INSTALLED={installed}", f"NOTEBOOK_TESTS={fake_run}"],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )
    assert (result.returncode == 0) == (status == 0), result.stdout + result.stderr
    return result.stdout


def test_a_given_seed_reaches_the_notebooks(tmp_path):
    output = _test_seed(tmp_path, "3", 0)
    assert output.splitlines() == ["LESSON_SEED=3", "run with 3"]


def test_a_random_seed_is_printed_handed_on_and_new_each_run(tmp_path):
    seeds = []
    for _ in range(3):
        output = _test_seed(tmp_path, "random", 0)
        printed = re.fullmatch(r"LESSON_SEED=(\d+)\nrun with (\d+)\n", output)
        assert printed and printed.group(1) == printed.group(2), output
        seeds.append(printed.group(1))
    assert len(set(seeds)) > 1, seeds  # three draws from 65,536 seeds


def test_a_failing_run_says_how_to_replay_its_seed(tmp_path):
    output = _test_seed(tmp_path, "random", 1)
    seed = re.match(r"LESSON_SEED=(\d+)\n", output).group(1)
    assert f"replay it with: make test-seed SEED={seed}" in output
