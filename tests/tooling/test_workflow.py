"""The GitHub Actions workflows (.github/workflows/): valid, calling what exists, wired to the book, and safe to run.

check-jsonschema validates them against the workflow schema it bundles (no network).  The other tests ask the
project rather than restate the YAML: every command a step runs, itself or through .ci/run, exists and takes its
arguments (make's dry run, each variable reaching a recipe; the lesson-* console scripts' own parsers); every
environment variable set is read by the project or by a program its job runs; the cache kept is the one the build
reads; a job publishes only what a job it needs uploaded after its checks, from the folder the build writes; the
weekly schedule is valid cron and runs a target the pull-request runs do not; every action is pinned to a commit
and every job holds only the permissions it needs (OpenSSF Scorecard's checks), with Dependabot valid.
"""

from __future__ import annotations

import ast
import functools
import importlib.metadata
import importlib.util
import io
import re
import shlex
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
import yaml

from lesson_book import book, pytest_plugin
from lesson_book.book import ROOT
from lesson_book.run import cache as notebook_cache

WORKFLOW = ROOT / ".github" / "workflows" / "book.yml"
WORKFLOWS = sorted(WORKFLOW.parent.glob("*.yml"))
CHECK = [str(Path(sys.executable).with_name("check-jsonschema")), "--builtin-schema", "vendor.github-workflows"]
SCRIPTS = importlib.metadata.distribution("lesson-book-tools").entry_points.select(group="console_scripts")
KEYWORDS = {"if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "exec"}  # not commands


def _check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*CHECK, str(path)], capture_output=True, text=True, timeout=120)


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def commands(script: str) -> list[list[str]]:
    """The simple commands of a shell script, as words: ``${{ }}`` read as EXPR, no redirections or wrappers."""
    wrappers = KEYWORDS | set(re.findall(r"^\s*(\w+)\s*\(\)", script, re.MULTILINE))  # the script's own functions
    found: list[list[str]] = []
    for line in re.sub(r"\$\{\{.*?\}\}", "EXPR", script.replace("\\\n", " ")).splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        words, tokens = [], iter([*lexer, ";"])
        for token in tokens:
            if token and set(token) <= set(lexer.punctuation_chars):
                if set(token) & set("<>"):
                    next(tokens, None)  # the redirection's file
                    continue
                while words and (words[0] in wrappers or re.match(r"\w+=", words[0])):
                    words.pop(0)
                found += [words] if words else []
                words = []
            else:
                words.append(token)
    return found


def job_commands(job: dict) -> list[list[str]]:
    """Every command a job's steps run, and those of the scripts they run with bash."""
    found = [words for step in job.get("steps", []) for words in commands(step.get("run", ""))]
    scripts = [ROOT / words[1] for words in found if words[0] == "bash" and (ROOT / words[1]).is_file()]
    return found + [words for script in scripts for words in commands(script.read_text())]


@functools.cache
def dry_run(words: tuple[str, ...]) -> subprocess.CompletedProcess:
    """``make -n -B`` of a make command, each VARIABLE=value given the value @VARIABLE@."""
    if shutil.which("make") is None:
        pytest.skip("needs make")
    arguments = [re.sub(r"^(\w+)=.*", r"\1=@\1@", word, flags=re.DOTALL) for word in words[1:]]
    command = ["make", "-n", "-B", "--no-print-directory", "-f", str(ROOT / "Makefile"), *arguments]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)


def ran(job: dict) -> list[list[str]]:
    """The job's commands, and those its make commands run (dry run)."""
    makes = [words for words in job_commands(job) if words[0] == "make"]
    return job_commands(job) + [words for make in makes for words in commands(dry_run(tuple(make)).stdout)]


def command_problems(words: list[str]) -> list[str]:
    """What is wrong with a command a workflow runs: the project's make targets, scripts, console scripts, modules."""
    program, text = Path(words[0]).name, shlex.join(words)
    if program == "make":
        result = dry_run(tuple(words))
        if result.returncode:
            return [f"{text}: {result.stderr.strip()}"]
        unused = [word.split("=")[0] for word in words if re.match(r"\w+=", word)]
        return [f"{text}: no recipe uses {name}" for name in unused if f"@{name}@" not in result.stdout]
    if program == "bash":
        path = ROOT / words[1]
        valid = path.is_file() and subprocess.run(["bash", "-n", str(path)], capture_output=True).returncode == 0
        return [] if valid else [f"{text}: no such script, or not valid bash"]
    if program.startswith("python") and words[1:2] == ["-m"]:
        return [] if importlib.util.find_spec(words[2]) else [f"{text}: no module {words[2]}"]
    if not program.startswith("lesson-"):
        return []
    if program not in SCRIPTS.names:
        return [f"{text}: {program} is not a console script of lesson-book-tools"]
    out, err = io.StringIO(), io.StringIO()
    try:
        with redirect_stdout(out), redirect_stderr(err):
            SCRIPTS[program].load()([*words[1:], "--help"])
    except SystemExit as stop:
        if stop.code == 0:
            options = {word.split("=")[0] for word in words[1:] if word.startswith("-")}
            return [f"{text}: no option {option}" for option in sorted(options) if option not in out.getvalue()]
    return [f"{text}: does not take these arguments: {err.getvalue().strip()[-300:]}"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_every_command_a_workflow_runs_exists_and_takes_its_arguments(path):
    found = [words for job in _load(path)["jobs"].values() for words in job_commands(job)]
    assert any(Path(words[0]).name == "make" or "lesson-" in words[0] for words in found), found
    assert [problem for words in found for problem in command_problems(words)] == []


@pytest.mark.parametrize(
    ("command", "complaint"),
    [("make no-such-target", "no-such-target"), ("make test-seed SEDE=3", "no recipe uses SEDE"),
     ("bash .ci/no-such-script", "no such script"), (".venv/bin/lesson-sync --chek", "no option --chek"),
     ("lesson-repository relase v1.0.0", "does not take these arguments"),
     ("lesson-nothing --help", "not a console script"), ("python -m cnn_lesson.no_such_module", "no module")],
)
def test_command_problems_names_what_does_not_exist(command, complaint):
    (problem,) = command_problems(shlex.split(command))
    assert complaint in problem


@functools.cache
def project_variables() -> frozenset[str]:
    """The names the project's code could read from its environment: its Python's strings, its scripts' $NAMEs."""
    python = [*(ROOT / "tools").rglob("*.py"), *(ROOT / "src").rglob("*.py")]
    strings = {node.value for path in python for node in ast.walk(ast.parse(path.read_text()))
               if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    shell = " ".join((ROOT / name).read_text() for name in ("Makefile", ".ci/run"))
    return frozenset(strings | set(re.findall(r"\$[({]?(\w+)", shell)))


def unread_variables(workflow: dict) -> list[str]:
    """The environment variables a workflow sets that neither the project nor a program its job runs reads."""
    unread = []
    for name, job in workflow["jobs"].items():
        programs = {Path(words[0]).name.lower() for words in ran(job)}
        programs |= {words[2] for words in ran(job) if words[1:2] == ["-m"]}  # python -m pip
        scopes = [workflow.get("env", {}), job.get("env", {}), *(step.get("env", {}) for step in job["steps"])]
        unread += [f"{name}: {variable}" for scope in scopes for variable in scope
                   if variable not in project_variables() and variable.split("_")[0].lower() not in programs]
    return unread


def test_every_variable_a_workflow_sets_is_read():
    assert [problem for path in WORKFLOWS for problem in unread_variables(_load(path))] == []
    broken = _load(WORKFLOW)
    broken["jobs"]["test"]["env"]["BOOK_REFS"] = "v1.0.0"
    broken["jobs"]["deploy"]["env"] = {"PIP_INDEX_URL": "https://example.org"}  # deploy runs no pip
    assert unread_variables(broken) == ["test: BOOK_REFS", "deploy: PIP_INDEX_URL"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_every_workflow_is_valid(path):
    result = _check(path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("change", "complaint"),
    [(lambda text: text.replace("  test:\n    runs-on: ubuntu-latest\n", "  test:\n"), "runs-on"),
     (lambda text: text.replace("  pull_request:\n", "  pull-request:\n"), "pull-request"),
     (lambda text: re.sub(r"timeout-minutes: \d+", "timeout-minutes: an hour", text), "timeout-minutes")],
    ids=["job-without-runner", "unknown-event", "timeout-not-a-number"],
)
def test_the_check_reports_a_broken_workflow(tmp_path, change, complaint):
    text = WORKFLOW.read_text()
    broken = change(text)
    assert broken != text, "the change must apply to the workflow"
    (tmp_path / "book.yml").write_text(broken)
    result = _check(tmp_path / "book.yml")
    assert result.returncode != 0
    assert complaint in result.stdout + result.stderr


def test_the_cache_kept_between_runs_is_the_one_the_build_reads_and_the_tests_reuse():
    (name, job), = [(name, job) for name, job in _load(WORKFLOW)["jobs"].items() if any(
        step.get("with", {}).get("path") == "_build/.jupyter_cache" for step in job["steps"])]
    (cache,) = [step for step in job["steps"] if step.get("with", {}).get("path") == "_build/.jupyter_cache"]
    assert ROOT / cache["with"]["path"] == notebook_cache.cache_folder(ROOT)
    assert cache["with"]["key"].startswith(cache["with"]["restore-keys"].strip())
    testing = [step for step in job["steps"] if any("pytest" in words for words in ran({"steps": [step]}))]
    assert testing, f"job {name} keeps the notebook cache but runs no tests"
    for step in testing:  # the plugin reuses a cached notebook only then
        assert {**job.get("env", {}), **step.get("env", {})}.get(pytest_plugin.REUSE_VARIABLE) == "1"


def _artifact_steps(job: dict, verb: str) -> list[tuple[dict, str]]:
    """The steps that upload (or take) an artifact, each with the artifact's name, as the action defaults it."""
    defaults = {"upload-pages-artifact": "github-pages", "deploy-pages": "github-pages"}
    steps = [(step, step.get("uses", "").split("@")[0].split("/")[-1]) for step in job.get("steps", [])]
    return [(step, step.get("with", {}).get("name", defaults.get(action, "artifact"))) for step, action in steps
            if re.fullmatch(r"(upload|download)(-pages)?-artifact|deploy-pages", action) and action.startswith(verb)]


def publishing_problems(workflow: dict) -> list[str]:
    """A job that takes an artifact not uploaded, after every check of its job, by a job it needs whenever it runs."""
    jobs, problems = workflow["jobs"], []
    uploads = {name: (job, step) for job in jobs for step, name in _artifact_steps(jobs[job], "upload")}

    def needed(name: str) -> set[str]:
        direct = jobs[name].get("needs", [])
        direct = [direct] if isinstance(direct, str) else direct
        return set(direct).union(*(needed(other) for other in direct))

    for job in jobs:
        for _, name in [*_artifact_steps(jobs[job], "download"), *_artifact_steps(jobs[job], "deploy")]:
            uploader, step = uploads.get(name, (None, {}))
            if uploader not in needed(job):
                problems.append(f"{job} takes {name}, which no job it needs uploads")
            elif step.get("if") not in (None, jobs[job].get("if")):
                problems.append(f"{job} may run when {uploader} did not upload {name}")
            elif any("run" in later for later in jobs[uploader]["steps"][jobs[uploader]["steps"].index(step):]):
                problems.append(f"{uploader} uploads {name} before all its checks ran")
    return problems


def test_what_is_published_is_uploaded_after_its_checks_by_a_job_it_needs_from_the_folder_the_build_writes():
    workflows = [_load(path) for path in WORKFLOWS]
    assert [problem for workflow in workflows for problem in publishing_problems(workflow)] == []
    (job, upload), = [(job, step) for workflow in workflows for job in workflow["jobs"].values()
                      for step, _ in _artifact_steps(job, "upload-pages")]
    (build,) = [words for words in ran(job) if Path(words[0]).name == "jupyter-book" and words[1] == "build"]
    built = ROOT / build[2] / notebook_cache.BUILD_FOLDER / build[build.index("--builder") + 1]
    assert (ROOT / upload["with"]["path"]).resolve() == built.resolve()
    assert book.REF_VARIABLE in job["env"]  # a release's book links its own tag (lesson_book.extension.links)
    for change in (lambda jobs: jobs["deploy"].pop("needs"), lambda jobs: jobs["test"]["steps"].append({"run": "x"}),
                   lambda jobs: jobs["test"]["steps"][-1].update({"if": "always()"})):  # uploaded less often
        broken = _load(WORKFLOW)
        change(broken["jobs"])
        assert len(publishing_problems(broken)) == 1


def cron_is_valid(expression: str) -> bool:
    """Whether GitHub's POSIX cron reads ``expression``: five fields of ``*``, numbers, ranges, lists, steps."""
    fields = expression.split()
    for field, (low, high) in zip(fields, [(0, 59), (0, 23), (1, 31), (1, 12), (0, 6)]):
        for part in field.split(","):
            found = re.fullmatch(r"(?:\*|(\d+)(?:-(\d+))?)(?:/([1-9]\d*))?", part)
            first, last = (int(found[1]), int(found[2] or found[1])) if found and found[1] else (low, high)
            if not found or not low <= first <= last <= high:
                return False
    return len(fields) == 5


def test_the_weekly_run_is_valid_cron_and_runs_a_target_the_pull_request_runs_do_not():
    (weekly,) = [_load(path) for path in WORKFLOWS if "schedule" in _load(path)[True]]
    (gating,) = [_load(path) for path in WORKFLOWS if "pull_request" in _load(path)[True]]
    targets = [{word for job in workflow["jobs"].values() for words in job_commands(job) if words[0] == "make"
                for word in words[1:] if re.fullmatch(r"\w[\w-]*", word)} for workflow in (weekly, gating)]
    assert all(cron_is_valid(entry["cron"]) for entry in weekly[True]["schedule"])
    assert cron_is_valid("*/15 0-6,22 1 1-12/2 *")
    for wrong in ("17 4 * *", "60 4 * * 1", "17 4 * * 7", "17 4 0 * 1", "17 4 * * mon", "*/0 * * * *"):
        assert not cron_is_valid(wrong), wrong
    assert targets[0] - targets[1], targets


# ------------------------------------------------ supply chain, every workflow

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
    workflow = _load(path)
    assert workflow["permissions"] == {}
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, f"{path.name}: job {name} has no permissions of its own"
        writes = {scope for scope, access in job["permissions"].items() if access == "write"}
        allowed = {"deploy": {"pages", "id-token"}, "release": {"contents"}}.get(name, set())
        assert writes <= allowed, f"{path.name}: job {name} may write {sorted(writes - allowed)}"


def test_dependabot_watches_the_actions_and_the_pins():
    path = ROOT / ".github" / "dependabot.yml"
    result = subprocess.run([CHECK[0], "--builtin-schema", "vendor.dependabot", str(path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    ecosystems = {update["package-ecosystem"] for update in yaml.safe_load(path.read_text())["updates"]}
    assert ecosystems == {"github-actions", "pip"}
