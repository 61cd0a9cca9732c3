"""Keep an .ipynb copy next to every MyST notebook, and its install cell current.

The book's notebooks are MyST Markdown (``lessons/*.md``, ``pages/setup.md``).
Colab and Binder open ``.ipynb`` files, so each one has a paired
``<name>.ipynb`` beside it: the same cells and metadata, without outputs.
The ``.md`` is the source; this script writes the ``.ipynb`` from it.

It also rewrites, in every notebook, the URL of the cell that installs the
support package where it is missing (``"cnn-lesson @ git+URL@BRANCH"``) from
``repository: url`` and ``branch`` in ``_config.yml``, the one place they are
written.

    python scripts/sync_notebooks.py          # rewrite install URLs, write the pairs
    python scripts/sync_notebooks.py --check  # report what is out of sync, exit 1 if any

New notebooks in the folders ``book_files.NOTEBOOK_FOLDERS`` are picked up by
themselves; an ``.ipynb`` left behind by a removed ``.md`` is reported.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from pathlib import Path
from typing import Any

import jupytext
import nbformat
import yaml

from book_files import NOTEBOOK_FOLDERS, ROOT, myst_notebooks

# The quoted pip requirement in the install cell: "cnn-lesson @ git+URL@BRANCH".
REQUIREMENT = re.compile(r'"cnn-lesson @ git\+(?P<url>[^"@\s]+)@(?P<branch>[^"\s]+)"')


def read_repository(root: Path = ROOT) -> tuple[str, str]:
    """``(url, branch)`` from the ``repository:`` section of ``root/_config.yml``."""
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    repository = config.get("repository") or {}
    url, branch = repository.get("url"), repository.get("branch")
    if not isinstance(url, str) or not url.startswith("https://"):
        raise ValueError(f"_config.yml repository url must be an https URL, got {url!r}")
    if not isinstance(branch, str) or not branch:
        raise ValueError(f"_config.yml repository branch must be a name, got {branch!r}")
    return url.rstrip("/"), branch


def requirement(url: str, branch: str) -> str:
    """The quoted pip requirement that installs the support package from ``url@branch``."""
    return f'"cnn-lesson @ git+{url}@{branch}"'


def rewrite_install_url(text: str, url: str, branch: str) -> str:
    """``text`` with every install requirement pointing at ``url@branch``.

    Raises ``ValueError`` when ``text`` has no install requirement at all.
    """
    if not REQUIREMENT.search(text):
        raise ValueError('no install cell ("cnn-lesson @ git+...") found')
    return REQUIREMENT.sub(lambda _: requirement(url, branch), text)


def install_requirement(notebook: nbformat.NotebookNode) -> str | None:
    """The install requirement in the notebook's first code cell, or None."""
    first = next((cell for cell in notebook.cells if cell.cell_type == "code"), None)
    match = REQUIREMENT.search(first.source) if first is not None else None
    return match.group(0) if match else None


def orphan_notebooks(root: Path = ROOT) -> list[Path]:
    """``.ipynb`` files in the notebook folders with no MyST notebook beside them."""
    sources = set(myst_notebooks(root))
    return sorted(
        path
        for folder in NOTEBOOK_FOLDERS
        for path in (root / folder).rglob("*.ipynb")
        if ".ipynb_checkpoints" not in path.parts and path.resolve().with_suffix(".md") not in sources
    )


def _comparable(notebook: nbformat.NotebookNode) -> dict[str, Any]:
    """What must agree between the two files of a pair."""
    metadata = dict(notebook.metadata)
    jupytext_meta = dict(metadata.pop("jupytext", {}))
    jupytext_meta.pop("text_representation", None)
    return {
        "metadata": {**metadata, "jupytext": jupytext_meta},
        "cells": [
            {"cell_type": cell.cell_type, "source": cell.source, "metadata": cell.metadata}
            for cell in notebook.cells
        ],
    }


def _stable_ids(notebook: nbformat.NotebookNode) -> None:
    """Give every cell an id derived from its content, so rewrites do not churn."""
    seen: dict[str, int] = {}
    for cell in notebook.cells:
        digest = hashlib.sha1(f"{cell.cell_type}\n{cell.source}".encode()).hexdigest()[:8]
        seen[digest] = seen.get(digest, 0) + 1
        cell.id = digest if seen[digest] == 1 else f"{digest}-{seen[digest]}"


def paired_notebook(source: Path) -> nbformat.NotebookNode:
    """The ``.ipynb`` content for the MyST notebook ``source``: its cells, no outputs."""
    notebook = jupytext.read(source, fmt="md:myst")
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    _stable_ids(notebook)
    return notebook


def pair_differences(source: Path) -> list[str]:
    """Why ``source``'s ``.ipynb`` is out of sync with it; empty when in sync."""
    paired = source.with_suffix(".ipynb")
    if not paired.exists():
        return [f"{paired.name} is missing"]
    want = _comparable(jupytext.read(source, fmt="md:myst"))
    have_notebook = jupytext.read(paired, fmt="ipynb")
    have = _comparable(have_notebook)
    problems = []
    if want["metadata"] != have["metadata"]:
        problems.append(f"{paired.name}: notebook metadata differs from {source.name}")
    if len(want["cells"]) != len(have["cells"]):
        problems.append(
            f"{paired.name} has {len(have['cells'])} cells, {source.name} has {len(want['cells'])}"
        )
    for number, (wanted, had) in enumerate(zip(want["cells"], have["cells"])):
        for key in ("cell_type", "source", "metadata"):
            if wanted[key] != had[key]:
                problems.append(f"{paired.name}: cell {number} {key} differs from {source.name}")
    if any(cell.get("outputs") for cell in have_notebook.cells):
        problems.append(f"{paired.name} holds outputs: strip them")
    return problems


def install_problems(source: Path, url: str, branch: str) -> list[str]:
    """Why the install cells of ``source`` and its pair disagree with ``url@branch``."""
    wanted = requirement(url, branch)
    problems = []
    paired = source.with_suffix(".ipynb")
    for path, fmt in ((source, "md:myst"), (paired, "ipynb")):
        if not path.exists():
            continue
        found = install_requirement(jupytext.read(path, fmt=fmt))
        if found is None:
            problems.append(f"{path.name}: the first code cell does not install cnn-lesson")
        elif found != wanted:
            problems.append(f"{path.name}: installs {found}, _config.yml says {wanted}")
    return problems


def check(root: Path = ROOT) -> list[str]:
    """Everything out of sync under ``root``, as messages."""
    url, branch = read_repository(root)
    problems = []
    for source in myst_notebooks(root):
        problems += install_problems(source, url, branch)
        problems += pair_differences(source)
    problems += [f"{path.name} has no MyST notebook beside it" for path in orphan_notebooks(root)]
    return problems


def sync(root: Path = ROOT) -> list[str]:
    """Rewrite install URLs and write every pair; return what could not be fixed."""
    url, branch = read_repository(root)
    problems = []
    for source in myst_notebooks(root):
        text = source.read_text(encoding="utf-8")
        try:
            updated = rewrite_install_url(text, url, branch)
        except ValueError as error:
            problems.append(f"{source.name}: {error}")
        else:
            if updated != text:
                source.write_text(updated, encoding="utf-8")
        paired = source.with_suffix(".ipynb")
        content = jupytext.writes(paired_notebook(source), fmt="ipynb")
        if not paired.exists() or paired.read_text(encoding="utf-8") != content:
            paired.write_text(content, encoding="utf-8")
    problems += [f"{path.name} has no MyST notebook beside it" for path in orphan_notebooks(root)]
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
        print(f"{count} notebook{'' if count == 1 else 's'} in sync with their .ipynb pairs")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
