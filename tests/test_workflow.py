"""The GitHub Actions workflow (.github/workflows/book.yml): valid, and wired to the book.

check-jsonschema validates it against the workflow schema it bundles (no
network); the other tests check what a schema cannot: that the workflow runs
CI's entry point, caches the folder the build reads its cache from, and
publishes the folder the build writes.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import notebook_cache
import pytest
import yaml
from book_files import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "book.yml"
CHECK = [str(Path(sys.executable).with_name("check-jsonschema")), "--builtin-schema", "vendor.github-workflows"]


def _check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*CHECK, str(path)], capture_output=True, text=True, timeout=120)


def _steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


@pytest.mark.parametrize("path", sorted(WORKFLOW.parent.glob("*.yml")), ids=lambda path: path.name)
def test_every_workflow_is_valid(path):
    result = _check(path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda text: text.replace("    runs-on: ubuntu-latest\n    # Python", "    # Python"), "runs-on"),
        (lambda text: text.replace("  pull_request:\n", "  pull-request:\n"), "pull-request"),
        (lambda text: re.sub(r"timeout-minutes: \d+", "timeout-minutes: an hour", text), "timeout-minutes"),
    ],
    ids=["job-without-runner", "unknown-event", "timeout-not-a-number"],
)
def test_the_check_reports_a_broken_workflow(tmp_path, change, complaint):
    text = WORKFLOW.read_text()
    broken = change(text)
    assert broken != text, "the change must apply to the workflow"
    path = tmp_path / "book.yml"
    path.write_text(broken)
    result = _check(path)
    assert result.returncode != 0
    assert complaint in result.stdout + result.stderr


def test_ci_runs_the_entry_point_that_runs_make_test(workflow):
    runs = [step["run"] for step in _steps(workflow, "test") if "run" in step]
    assert runs == ["bash .ci/run"]
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    events = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert set(events) == {"pull_request", "push", "workflow_dispatch"}
    assert events["push"]["branches"] == ["main"]


def test_the_cache_kept_between_runs_is_the_one_the_build_reads(workflow):
    (cache,) = [step for step in _steps(workflow, "test") if step.get("uses", "").startswith("actions/cache@")]
    assert ROOT / cache["with"]["path"] == notebook_cache.cache_folder(ROOT)
    assert cache["with"]["key"].startswith(cache["with"]["restore-keys"].strip())
    run = next(step for step in _steps(workflow, "test") if step.get("run") == "bash .ci/run")
    assert run["env"] == {"REUSE_NOTEBOOK_CACHE": "1"}


def test_main_publishes_the_built_book_to_pages(workflow):
    upload = next(step for step in _steps(workflow, "test") if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "_build/html"
    assert "refs/heads/main" in upload["if"]
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "test" and deploy["if"] == upload["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/configure-pages", "actions/deploy-pages"]
