"""The book as files: its root, ``_config.yml``, the contents of ``_toc.yml``, which files are notebooks, the repository's address and the release.

Everything that asks "what does this book contain" or "where does it live"
asks here, so that the answer is the same for the build's extension, the
tests' notebook collector and the command-line tools.  Each question goes to
the library that already knows the format: MyST-NB recognises a MyST
notebook, sphinx-external-toc (the parser Jupyter Book itself uses) reads
``_toc.yml`` and :mod:`lesson_book.model` walks it as the build does.

The repository's address and branch are written once, under ``repository:``
in ``_config.yml``; the release once, as ``version`` in ``pyproject.toml`` (a
release is the git tag ``v<version>``).  A release's build points every link
at its tag instead of the branch: the environment variable ``BOOK_REF``
(set by the publishing workflow on a tag).
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
from pathlib import Path
from typing import Any

import yaml
from myst_nb.core.read import is_myst_markdown_notebook
from sphinx_external_toc.parsing import parse_toc_yaml

from lesson_book.model import site_map_includes, toc_order

#: The root of the book: the folder that holds ``_config.yml`` (this package sits in ``tools/``).
ROOT = Path(__file__).resolve().parents[2]

#: The book's configuration file, relative to its root.
BOOK_CONFIG = "_config.yml"

#: The folders whose MyST notebooks are executed and have learner notebooks (``.ipynb``) beside them.
NOTEBOOK_FOLDERS = ("lessons", "pages")

#: A GitHub repository's address, the only kind the launch services open.
GITHUB = re.compile(r"https://github\.com/(?P<owner>[A-Za-z0-9-]+)/(?P<name>[A-Za-z0-9._-]+)")

#: The variable that points a release's build at its tag.
REF_VARIABLE = "BOOK_REF"

CC_BY = "https://creativecommons.org/licenses/by/4.0/"


def read_config(root: Path = ROOT) -> dict[str, Any]:
    """``root/_config.yml`` as a mapping (empty when the file is empty)."""
    return yaml.safe_load((Path(root) / BOOK_CONFIG).read_text(encoding="utf-8")) or {}


def is_myst_notebook(path: Path) -> bool:
    """True for a ``.md`` file that MyST-NB reads as a notebook (jupytext MyST front matter)."""
    path = Path(path)
    if path.suffix != ".md" or not path.is_file():
        return False
    return is_myst_markdown_notebook(path.read_text(encoding="utf-8"))


def myst_notebooks(root: Path = ROOT) -> list[Path]:
    """Every MyST notebook in the notebook folders of ``root``, sorted, as absolute paths."""
    root = Path(root)
    found = (
        path
        for folder in NOTEBOOK_FOLDERS
        for path in (root / folder).rglob("*.md")
        if ".ipynb_checkpoints" not in path.parts and is_myst_notebook(path)
    )
    return sorted(path.resolve() for path in found)


@functools.cache
def _toc_docnames(toc: Path, modified: float) -> tuple[str, ...]:
    site_map = parse_toc_yaml(toc)
    root = site_map.root.docname.removesuffix(".md")
    return tuple(toc_order(root, site_map_includes(site_map, [".md", ".ipynb"])))


def toc_docnames(root: Path = ROOT) -> list[str]:
    """The docnames of ``root/_toc.yml`` in reading order (depth first, as the build orders them), each once."""
    toc = (Path(root) / "_toc.yml").resolve()
    return list(_toc_docnames(toc, toc.stat().st_mtime))


def toc_notebooks(root: Path = ROOT) -> list[Path]:
    """The MyST notebooks that ``root/_toc.yml`` lists, in reading order, relative to ``root``."""
    root = Path(root)
    return [
        Path(docname + ".md")
        for docname in toc_docnames(root)
        if is_myst_notebook(root / (docname + ".md"))
    ]


def github_url(url: str, name: str = "repository url") -> str:
    """``url`` without a trailing slash; ``ValueError`` naming ``name`` unless it is ``https://github.com/OWNER/NAME``."""
    if not isinstance(url, str) or not GITHUB.fullmatch(url.rstrip("/")):
        raise ValueError(f"{name} must be https://github.com/OWNER/NAME, got {url!r}")
    return url.rstrip("/")


def check_ref(ref: str) -> str:
    """``ref``; ``ValueError`` unless it is a branch or tag name (not empty, no white space)."""
    if not isinstance(ref, str) or not ref or any(char.isspace() for char in ref):
        raise ValueError(f"repository branch must be a branch or tag name, got {ref!r}")
    return ref


def book_ref(branch: str) -> str:
    """What the book's links point at: ``$BOOK_REF`` (a release's tag) when set, else ``branch``."""
    return check_ref(os.environ.get(REF_VARIABLE, "").strip() or branch)


def read_repository(root: Path = ROOT) -> tuple[str, str]:
    """``(url, branch)`` from the ``repository:`` section of ``root/_config.yml``, both checked."""
    repository = read_config(root).get("repository") or {}
    url, branch = repository.get("url"), repository.get("branch")
    return github_url(url, "_config.yml repository url"), check_ref(branch)


def read_version(root: Path = ROOT) -> str:
    """The support package's version, ``[project] version`` in ``root/pyproject.toml``."""
    with open(Path(root) / "pyproject.toml", "rb") as file:
        version = tomllib.load(file).get("project", {}).get("version")
    if not isinstance(version, str) or not re.fullmatch(r"\d+(\.\d+)*", version):
        raise ValueError(f"pyproject.toml [project] version must be like 1.2.0, got {version!r}")
    return version


def release_tag(root: Path = ROOT) -> str:
    """The git tag of this release, ``v<version>``: what the install cells install."""
    return f"v{read_version(root)}"


def repository_substitutions(url: str, branch: str) -> dict[str, str]:
    """The MyST substitutions for a GitHub repository ``url`` and its ``branch`` (or a release's tag)."""
    url = github_url(url)
    branch = check_ref(branch)
    name = url.rsplit("/", 1)[-1]
    return {
        "repository_url": url,
        "repository_ref": branch,
        "repository_link": f"[{url.removeprefix('https://')}]({url})",
        "repository_zip": f"[a ZIP file of the lesson]({url}/archive/{branch}.zip)",
        "clone_commands": f"```bash\ngit clone --branch {branch} {url}.git\ncd {name}\n```",
    }


def licence_markdown(url: str, ref: str) -> str:
    """One Markdown sentence: the lesson at ``url`` and its licences, linking ``LICENSE.md`` at ``ref``."""
    return (
        f"From the lesson at {url}: text and figures under the [CC BY 4.0 licence]({CC_BY}), "
        f"code under the [MIT licence]({url}/blob/{ref}/LICENSE.md)."
    )
