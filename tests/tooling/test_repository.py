"""lesson_book.release and lesson-repository: one address (_config.yml) and one version (pyproject.toml), followed everywhere; a fork, publishing and a release.

The last tests make a fork of a copy of the book (``make fork``'s two steps)
and check that every link, command, install cell and citation follows the new
address; the built pages' links come from the same configuration (tests of
``lesson_book.extension.links``, and the browser test on the built book).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest
import yaml

from lesson_book import book as book_files
from lesson_book import release
from lesson_book.book import ROOT, myst_notebooks, repository_substitutions
from lesson_book.cli import repository as repository_cli
from lesson_book.cli import sync
from lesson_book.extension.links import launch_urls

CHECK = [str(Path(sys.executable).with_name("check-jsonschema")), "--builtin-schema", "vendor.citation-file-format"]


def _validate_citation(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*CHECK, str(path)], capture_output=True, text=True, timeout=120)


# ---------------------------------------------------------------- the book as it is

def test_citation_file_is_valid_and_agrees_with_the_book():
    result = _validate_citation(ROOT / "CITATION.cff")
    assert result.returncode == 0, result.stdout + result.stderr
    assert release.citation_problems() == []


def test_the_citation_check_reports_a_broken_file(tmp_path):
    broken = (ROOT / "CITATION.cff").read_text().replace("  - name:", "  - nam:")
    (tmp_path / "CITATION.cff").write_text(broken)
    result = _validate_citation(tmp_path / "CITATION.cff")
    assert result.returncode != 0 and "nam" in result.stdout + result.stderr


def test_this_version_can_be_released_and_has_its_notes():
    assert release.release_problems(book_files.release_tag()) == []
    version = book_files.read_version()
    assert release.changelog_versions()[:2] == ["Unreleased", version]
    assert release.changelog_sections()[version].strip()


def test_publishing_accepts_only_the_configured_repository(capsys):
    url, _ = book_files.read_repository()
    owner_name = url.removeprefix("https://github.com/")
    assert repository_cli.main(["expect", owner_name.upper()]) == 0  # GitHub's names ignore case
    assert repository_cli.main(["expect", "someone/fork"]) == 1
    message = capsys.readouterr().err
    line = release.config_url_line()
    assert (ROOT / "_config.yml").read_text().splitlines()[line - 1].strip() == f"url: {url}"
    assert message.startswith(f"_config.yml:{line}: the repository url is {url}")
    assert "make fork REPOSITORY=https://github.com/someone/fork" in message


# ---------------------------------------------------------------- small books

CONFIG = """\
title: A book  # a comment that stays
repository:
  url: https://github.com/someone/a-book   # the one place
  branch: main
"""


@pytest.fixture
def book(tmp_path) -> Path:
    (tmp_path / "_config.yml").write_text(CONFIG)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "2.1.0"\n')
    (tmp_path / "CHANGELOG.md").write_text("# Changes\n\n## Unreleased\n\n## 2.1.0 — 2026-01-01\n\n- Better.\n\n## 2.0.0\n\n- Good.\n")
    return tmp_path


def test_set_repository_rewrites_the_url_line_only(book):
    release.set_repository("https://github.com/other/fork/", book)
    assert (book / "_config.yml").read_text() == CONFIG.replace("someone/a-book", "other/fork")
    with pytest.raises(ValueError, match="REPOSITORY must be https://github.com/OWNER/NAME, got 'gitlab.com/o/r'"):
        release.set_repository("gitlab.com/o/r", book)


def test_release_problems_name_a_wrong_tag_and_a_missing_section(book):
    assert release.release_problems("v2.1.0", book) == []
    assert release.changelog_sections(book)["2.0.0"] == "- Good.\n"
    (book / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "2.2.0"\n')
    assert release.release_problems("v2.1.0", book) == [
        "the tag v2.1.0 is not v + pyproject.toml's version (v2.2.0)",
        "CHANGELOG.md has no section '## 2.2.0'",
    ]


@pytest.mark.parametrize("version", ["", "2.x", "latest"])
def test_read_version_rejects_what_is_not_a_release_number(book, version):
    (book / "pyproject.toml").write_text(f'[project]\nversion = "{version}"\n')
    with pytest.raises(ValueError, match=f"version must be like 1.2.0, got '{version}'"):
        book_files.read_version(book)


def test_sync_citation_rewrites_the_address_and_version(book):
    (book / "CITATION.cff").write_text('cff-version: 1.2.0\nversion: "0.0.1"\nrepository-code: "x"\nurl: "y"\n')
    assert len(release.citation_problems(book)) == 3
    release.sync_citation(book)
    assert release.citation_problems(book) == []
    assert yaml.safe_load((book / "CITATION.cff").read_text())["url"] == "https://someone.github.io/a-book/"


# ------------------------------------------------- a fork of a copy of the whole book

COPIED = ("_config.yml", "_toc.yml", "pyproject.toml", "CITATION.cff", "CHANGELOG.md", "README.md",
          "CONTRIBUTING.md", "intro.md", "lessons", "pages", ".github")
FORK = "https://github.com/a-teacher/cnn-workshop-2027"


@pytest.fixture(scope="module")
def fork(tmp_path_factory) -> Path:
    """A copy of the book after ``make fork REPOSITORY=FORK`` (its two commands)."""
    copy = tmp_path_factory.mktemp("fork")
    for name in COPIED:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        else:
            shutil.copy2(ROOT / name, copy / name)
    assert repository_cli.main(["fork", FORK], root=copy) == 0
    assert sync.main([], root=copy) == 0
    return copy


def test_no_file_of_the_fork_names_the_original_repository(fork):
    original = book_files.read_repository()[0].removeprefix("https://github.com/").lower()
    pages = release.pages_url(book_files.read_repository()[0]).lower()
    left = [
        path.relative_to(fork).as_posix()
        for path in fork.rglob("*") if path.is_file()
        and (original in path.read_text(encoding="utf-8").lower() or pages in path.read_text(encoding="utf-8").lower())
    ]
    assert left == []
    assert sync.check(fork) == []


def test_every_install_cell_of_the_fork_installs_this_release_from_the_fork(fork):
    wanted = f'"cnn-lesson @ git+{FORK}@{book_files.release_tag()}"'
    notebooks = [path for path in fork.rglob("*.ipynb")]
    assert len(notebooks) == 2 * len(myst_notebooks()) - 1  # complete and workbook; setup has no workbook
    for path in notebooks:
        notebook = nbformat.read(path, as_version=4)
        assert sync.install_requirement(notebook) == wanted, path.name
        assert f"({FORK}/blob/main/LICENSE.md)" in notebook.cells[-1].source, path.name
    for source in myst_notebooks(fork):
        assert sync.install_requirement(jupytext.read(source, fmt="md:myst")) == wanted, source.name


def test_the_forks_pages_links_and_commands_follow_its_address(fork):
    config = yaml.safe_load((fork / "_config.yml").read_text())
    options = {"repository_url": config["repository"]["url"], "repository_branch": "main",
               "launch_buttons": config["launch_buttons"]}
    assert launch_urls(options, "lessons/pooling.ipynb") == {
        "Colab": "https://colab.research.google.com/github/a-teacher/cnn-workshop-2027/blob/main/lessons/pooling.ipynb",
        "Binder": "https://mybinder.org/v2/gh/a-teacher/cnn-workshop-2027/main?urlpath=lab/tree/lessons/pooling.ipynb",
    }
    commands = repository_substitutions(*book_files.read_repository(fork))["clone_commands"]
    assert f"git clone --branch main {FORK}.git\ncd cnn-workshop-2027" in commands
    citation = yaml.safe_load((fork / "CITATION.cff").read_text())
    assert (citation["repository-code"], citation["url"]) == (FORK, "https://a-teacher.github.io/cnn-workshop-2027/")
    assert repository_cli.main(["expect", "a-teacher/cnn-workshop-2027"], root=fork) == 0
