"""Learner notebooks' names and paths: which versions a page has and where each is kept.

A learner opens a notebook from the book (the download button, the links in
each episode's Overview box) or from the repository (Colab and Binder open
the ``.ipynb`` beside each MyST source).  Each notebook page has a
``complete`` version; an episode has a ``workbook`` too (see
:mod:`lesson_book.learner.convert`, which makes them).  This module knows
only their names and places, so that what needs a path imports no converter.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any, Mapping

import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

from lesson_book.book import ROOT, myst_notebooks
from lesson_book.model import episode_fields

COMPLETE = "complete"
WORKBOOK = "workbook"
VERSIONS = (COMPLETE, WORKBOOK)
LEARNER_DIR = "_static/learner"
WORKBOOK_DIR = "workbooks"
#: The key of a learner notebook's metadata that marks it as made from its MyST source.
GENERATED_KEY = "lesson_book"


def check_version(version: str) -> None:
    """``ValueError`` unless ``version`` is one of :data:`VERSIONS`."""
    if version not in VERSIONS:
        raise ValueError(f"version must be one of {VERSIONS}, got {version!r}")


def versions(metadata: Mapping[str, Any]) -> tuple[str, ...]:
    """The versions a notebook with front matter ``metadata`` has: episodes have a workbook too."""
    return VERSIONS if episode_fields(metadata) is not None else (COMPLETE,)


def notebook_name(docname: str, version: str) -> str:
    """The file of ``docname``'s ``version``, relative to the folder of its complete notebook."""
    check_version(version)
    name = posixpath.basename(docname) + ".ipynb"
    return posixpath.join(WORKBOOK_DIR, name) if version == WORKBOOK else name


def repository_path(docname: str, version: str) -> str:
    """Where the repository keeps ``docname``'s learner notebook, relative to the book's root."""
    return posixpath.join(posixpath.dirname(docname), notebook_name(docname, version))


def learner_path(docname: str, version: str) -> str:
    """Where the HTML output keeps ``docname``'s learner notebook, relative to its root."""
    return posixpath.join(LEARNER_DIR, notebook_name(docname, version))


def front_matter(source: Path) -> dict[str, Any]:
    """The YAML front matter of the MyST file ``source`` (empty when it has none), parsed by markdown-it."""
    tokens = MarkdownIt().use(front_matter_plugin).parse(Path(source).read_text(encoding="utf-8"))
    found = next((token.content for token in tokens if token.type == "front_matter"), "")
    return yaml.safe_load(found) or {}


def source_files(source: Path, root: Path = ROOT) -> dict[Path, str]:
    """The learner notebooks of the MyST notebook ``source`` in the repository: ``{path: version}``."""
    root = Path(root).resolve()
    docname = Path(source).resolve().relative_to(root).with_suffix("").as_posix()
    return {root / repository_path(docname, version): version for version in versions(front_matter(source))}


def repository_files(root: Path = ROOT) -> dict[Path, dict[Path, str]]:
    """Every MyST notebook of ``root`` with its learner notebooks in the repository: ``{source: {path: version}}``."""
    return {source: source_files(source, root) for source in myst_notebooks(root)}
