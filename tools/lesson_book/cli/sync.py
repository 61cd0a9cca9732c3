"""Keep the learner notebooks in the repository current, and every install cell's URL.

The book's notebooks are MyST Markdown (``lessons/*.md``, ``pages/setup.md``);
they hold hidden checks for the tests and instructor notes.  Colab and Binder
open ``.ipynb`` files from the repository, so beside each source this script
writes its learner notebooks, made by :mod:`lesson_book.learner.convert` (the
same code the build uses for its downloads):

- ``<name>.ipynb``: the complete learner notebook (the page with its
  solutions, without hidden checks and instructor notes), which the launch
  buttons open;
- ``workbooks/<name>.ipynb`` (episodes only): the workbook, each solution
  replaced by an empty code cell.

It also rewrites, in every source, the cell that installs the support package
where it is missing (``"cnn-lesson @ git+URL@vVERSION"``): the repository's
address from ``_config.yml`` and the release's tag from ``pyproject.toml``
(:mod:`lesson_book.book`), so that a notebook installs the support package
of the release it came from, not whatever ``main`` holds later.  And it keeps
``CITATION.cff``'s address and version equal to those.

    lesson-sync          # rewrite install cells, write the notebooks
    lesson-sync --check  # report what is out of sync, exit 1 if any

New notebooks in the folders ``lesson_book.book.NOTEBOOK_FOLDERS`` are picked up by
themselves; an ``.ipynb`` left behind by a removed ``.md`` is reported.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import jupytext
import nbformat

from lesson_book.book import NOTEBOOK_FOLDERS, ROOT, myst_notebooks, read_repository, release_tag
from lesson_book.learner import repository_files
from lesson_book.learner.convert import all_learner_files, learner_files
from lesson_book.release import citation_problems, sync_citation

# The quoted pip requirement in the install cell: "cnn-lesson @ git+URL@REF".
REQUIREMENT = re.compile(r'"cnn-lesson @ git\+(?P<url>[^"@\s]+)@(?P<ref>[^"\s]+)"')


def requirement(url: str, ref: str) -> str:
    """The quoted pip requirement that installs the support package from ``url`` at ``ref`` (a tag)."""
    return f'"cnn-lesson @ git+{url}@{ref}"'


def rewrite_install_url(text: str, url: str, ref: str) -> str:
    """``text`` with every install requirement pointing at ``url`` and ``ref``.

    Raises ``ValueError`` when ``text`` has no install requirement at all.
    """
    if not REQUIREMENT.search(text):
        raise ValueError('no install cell ("cnn-lesson @ git+...") found')
    return REQUIREMENT.sub(lambda _: requirement(url, ref), text)


def install_requirement(notebook: nbformat.NotebookNode) -> str | None:
    """The install requirement in the notebook's first code cell, or None."""
    first = next((cell for cell in notebook.cells if cell.cell_type == "code"), None)
    match = REQUIREMENT.search(first.source) if first is not None else None
    return match.group(0) if match else None


def orphan_notebooks(root: Path = ROOT) -> list[Path]:
    """``.ipynb`` files in the notebook folders that no MyST notebook makes."""
    paths = {path for files in repository_files(root).values() for path in files}
    return sorted(
        path
        for folder in NOTEBOOK_FOLDERS
        for path in (root / folder).rglob("*.ipynb")
        if ".ipynb_checkpoints" not in path.parts and path.resolve() not in paths
    )


def orphan_problems(root: Path) -> list[str]:
    """One message per orphan notebook (see :func:`orphan_notebooks`)."""
    return [f"{path.name} has no MyST notebook that makes it" for path in orphan_notebooks(root)]


def learner_differences(
    source: Path, root: Path = ROOT, files: dict[Path, str] | None = None
) -> list[str]:
    """Why ``source``'s learner notebooks (``files``, made here when not given) are out of sync."""
    problems = []
    for path, content in (learner_files(source, root) if files is None else files).items():
        name = path.relative_to(root).as_posix()
        if not path.exists():
            problems.append(f"{name} is missing")
        elif path.read_text(encoding="utf-8") != content:
            problems.append(f"{name} differs from what {source.name} makes")
    return problems


def install_problems(source: Path, url: str, ref: str) -> list[str]:
    """Why the install cell of ``source`` disagrees with ``url`` at ``ref``."""
    wanted = requirement(url, ref)
    found = install_requirement(jupytext.read(source, fmt="md:myst"))
    if found is None:
        return [f"{source.name}: the first code cell does not install cnn-lesson"]
    if found != wanted:
        return [f"{source.name}: installs {found}, the book's address and release say {wanted}"]
    return []


def check(root: Path = ROOT) -> list[str]:
    """Everything out of sync under ``root``, as messages."""
    url, ref = read_repository(root)[0], release_tag(root)
    problems = []
    made = all_learner_files(root)
    for source, files in made.items():
        problems += install_problems(source, url, ref)
        problems += learner_differences(source, root, files)
    problems += orphan_problems(root)
    return problems + citation_problems(root)


def sync(root: Path = ROOT) -> list[str]:
    """Rewrite install cells and CITATION.cff, write every learner notebook; return what could not be fixed."""
    url, ref = read_repository(root)[0], release_tag(root)
    sync_citation(root)
    problems = []
    for source in myst_notebooks(root):
        text = source.read_text(encoding="utf-8")
        try:
            updated = rewrite_install_url(text, url, ref)
        except ValueError as error:
            problems.append(f"{source.name}: {error}")
        else:
            if updated != text:
                source.write_text(updated, encoding="utf-8")
    made = all_learner_files(root)  # after the install URLs are rewritten
    for files in made.values():
        for path, content in files.items():
            if not path.exists() or path.read_text(encoding="utf-8") != content:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(content, encoding="utf-8")
    problems += orphan_problems(root)
    return problems


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    """Sync (or with ``--check`` only report); exit status 1 if anything is left out of sync."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="report only, change nothing")
    args = parser.parse_args(argv)
    problems = check(root) if args.check else sync(root)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems and args.check:
        print("run `make notebooks` to bring them in sync", file=sys.stderr)
    if not problems:
        count = len(myst_notebooks(root))
        print(f"{count} notebook{'' if count == 1 else 's'} in sync with their learner notebooks")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
