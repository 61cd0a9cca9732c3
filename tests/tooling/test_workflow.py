"""The GitHub Actions workflows (.github/workflows/): valid, wired to the book, and safe to run.

check-jsonschema validates them against the workflow schema it bundles (no
network); the other tests check what a schema cannot: that the book workflow
runs CI's entry point after checking the address, caches the folder the build
reads its cache from, and publishes, for releases and manual runs, the folder
the build writes; that a tag releases checked distributions; that every
action is pinned to a commit and every job holds only the permissions it
needs (OpenSSF Scorecard's checks), with Dependabot proposing updates.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from lesson_book.book import ROOT
from lesson_book.run import cache as notebook_cache

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
        (lambda text: text.replace("  test:\n    runs-on: ubuntu-latest\n", "  test:\n"), "runs-on"),
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


def test_ci_checks_the_address_then_runs_the_entry_point_that_runs_make_test(workflow):
    runs = [step["run"] for step in _steps(workflow, "test") if "run" in step]
    assert runs == ["make check-repository EXPECT_REPOSITORY=${{ github.repository }}", "bash .ci/run"]
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    events = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert set(events) == {"pull_request", "push", "workflow_dispatch"}
    assert events["push"] == {"branches": ["main"], "tags": ["v*"]}


def test_the_cache_kept_between_runs_is_the_one_the_build_reads(workflow):
    (cache,) = [step for step in _steps(workflow, "test") if step.get("with", {}).get("path") == "_build/.jupyter_cache"]
    assert ROOT / cache["with"]["path"] == notebook_cache.cache_folder(ROOT)
    assert cache["with"]["key"].startswith(cache["with"]["restore-keys"].strip())
    run = next(step for step in _steps(workflow, "test") if step.get("run") == "bash .ci/run")
    assert run["env"] == {"REUSE_NOTEBOOK_CACHE": "1"}


@pytest.mark.parametrize("job", ["test", "backends", "learner"])
def test_every_job_that_installs_keeps_pips_cache(workflow, job):
    paths = [step.get("with", {}).get("path") for step in _steps(workflow, job)]
    assert "~/.cache/pip" in paths


def test_releases_and_manual_runs_publish_what_the_test_job_built(workflow):
    upload = next(step for step in _steps(workflow, "test") if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "_build/html"
    publishing = "github.event_name == 'workflow_dispatch' || github.ref_type == 'tag'"
    deploy = workflow["jobs"]["deploy"]
    assert upload["if"] == deploy["if"] == publishing
    assert deploy["needs"] == "test"  # not the backend and learner jobs: they report only
    assert deploy["environment"]["name"] == "github-pages"
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/configure-pages", "actions/deploy-pages"]
    # A release's book links its own tag; other runs _config.yml's branch (lesson_book.extension.links).
    assert workflow["jobs"]["test"]["env"]["BOOK_REF"] == "${{ github.ref_type == 'tag' && github.ref_name || '' }}"


# ------------------------------------------------ supply chain, every workflow

WORKFLOWS = sorted(WORKFLOW.parent.glob("*.yml"))
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<action>[^@\s]+)@(?P<ref>\S+)(?P<comment>.*)$", re.MULTILINE)


def pinning_problems(text: str) -> list[str]:
    """Actions not pinned to a full commit with the release named in a comment (``# v4.4.0``)."""
    return [
        f"{found['action']}@{found['ref']} is not pinned to a commit with its release in a comment"
        for found in USES.finditer(text)
        if not re.fullmatch(r"[0-9a-f]{40}", found["ref"]) or not re.search(r"#\s*v\d", found["comment"])
    ]


def test_pinning_problems_names_a_tag_and_a_commit_without_its_release():
    text = (
        "      - uses: actions/checkout@v4\n"
        "      - uses: actions/cache@0057852bfaa89a56745cba8c7296529d2fc39830\n"
        "        uses: actions/deploy-pages@d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e  # v4.0.5\n"
    )
    assert [problem.split("@")[0] for problem in pinning_problems(text)] == ["actions/checkout", "actions/cache"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_every_action_is_pinned_to_a_commit(path):
    assert USES.search(path.read_text()), "a workflow without actions: is the pattern right?"
    assert pinning_problems(path.read_text()) == []


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_every_job_asks_for_its_own_permissions_and_none_by_default(path):
    workflow = yaml.safe_load(path.read_text())
    assert workflow["permissions"] == {}
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, f"{path.name}: job {name} has no permissions of its own"
        writes = {scope for scope, access in job["permissions"].items() if access == "write"}
        allowed = {"deploy": {"pages", "id-token"}, "release": {"contents"}}.get(name, set())
        assert writes <= allowed, f"{path.name}: job {name} may write {sorted(writes - allowed)}"


def test_a_tag_releases_the_checked_distributions():
    release = yaml.safe_load((WORKFLOW.parent / "release.yml").read_text())
    assert release[True] == {"push": {"tags": ["v*"]}}
    runs = " ".join(step.get("run", "") for step in release["jobs"]["dist"]["steps"])
    for command in ("lesson-repository release", "lesson-sync --check", "make dist", "lesson-repository notes"):
        assert command in runs
    assert release["jobs"]["release"]["needs"] == "dist"


def test_the_weekly_run_tries_a_new_seed_and_the_newest_libraries():
    weekly = yaml.safe_load((WORKFLOW.parent / "weekly.yml").read_text())
    assert "schedule" in weekly[True]
    runs = [step.get("run") for job in weekly["jobs"].values() for step in job["steps"]]
    assert {"make test-seed SEED=random", "make test-newest"} <= set(runs)


def test_dependabot_watches_the_actions_and_the_pins():
    path = ROOT / ".github" / "dependabot.yml"
    result = subprocess.run(
        [CHECK[0], "--builtin-schema", "vendor.dependabot", str(path)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    ecosystems = {update["package-ecosystem"] for update in yaml.safe_load(path.read_text())["updates"]}
    assert ecosystems == {"github-actions", "pip"}
