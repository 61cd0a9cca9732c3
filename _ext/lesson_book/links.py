"""The repository links: the repository's address on the pages, launch links, each notebook page's pair.

The address and branch are written once, under ``repository:`` in
``_config.yml`` (Jupyter Book passes them to the theme as
``repository_url`` and ``repository_branch``).  Pages use them as MyST
substitutions: ``{{ repository_link }}``, ``{{ repository_zip }}`` (a link
to a ZIP of the branch) and ``{{ clone_commands }}`` (a code block:
``git clone``, ``cd`` and ``git switch`` to the branch).

The theme points a notebook page's Colab and Binder buttons at the ``.ipynb``
beside its source when one exists (its complete learner notebook, see
:mod:`lesson_book.learner`), and at the ``.md`` otherwise.
:func:`launch_urls` makes the same Colab and Binder links for any notebook
in the repository (the Overview boxes link the workbooks too), from the
same configuration (``launch_buttons:`` and ``repository:``).

So that the buttons follow when ``make notebooks`` adds or rewrites a pair,
each notebook page depends on its pair: Sphinx rewrites the page when the
pair changes (and on every build while it is missing).
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any, Mapping

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config


def repository_substitutions(url: str, branch: str) -> dict[str, str]:
    """The substitutions for a GitHub repository ``url`` and its ``branch``."""
    url = url.rstrip("/")
    if not url.startswith("https://github.com/") or url.count("/") != 4:
        raise ValueError(f"repository url must be https://github.com/OWNER/NAME, got {url!r}")
    if not branch or any(char.isspace() for char in branch):
        raise ValueError(f"repository branch must be a branch name, got {branch!r}")
    name = url.rsplit("/", 1)[-1]
    return {
        "repository_url": url,
        "repository_link": f"[{url.removeprefix('https://')}]({url})",
        "repository_zip": f"[a ZIP file of the lesson]({url}/archive/refs/heads/{branch}.zip)",
        "clone_commands": f"```bash\ngit clone {url}.git\ncd {name}\ngit switch {branch}\n```",
    }


def launch_urls(theme_options: Mapping[str, Any], path: str) -> dict[str, str]:
    """``{"Colab": url, "Binder": url}`` opening the repository's notebook ``path``.

    ``path`` is relative to the book's root; ``theme_options`` are the
    ``html_theme_options`` Jupyter Book makes from ``_config.yml``
    (``repository_url``, ``repository_branch``, ``path_to_docs`` and
    ``launch_buttons`` with ``colab_url`` and ``binderhub_url``), the links
    as sphinx-book-theme's launch buttons make them.  A service with no URL
    configured has no link.
    """
    url = theme_options.get("repository_url", "").rstrip("/")
    branch = theme_options.get("repository_branch", "")
    repository_substitutions(url, branch)  # the same checks of the address
    owner_name = url.removeprefix("https://github.com/")
    in_repository = posixpath.join(theme_options.get("path_to_docs", "").strip("/"), path)
    buttons = theme_options.get("launch_buttons") or {}
    interface = {"jupyterlab": "lab/tree", "classic": "tree"}[
        buttons.get("notebook_interface", "classic")
    ]
    found = {}
    if colab := buttons.get("colab_url", "").rstrip("/"):
        found["Colab"] = f"{colab}/github/{owner_name}/blob/{branch}/{in_repository}"
    if binder := buttons.get("binderhub_url", "").rstrip("/"):
        found["Binder"] = f"{binder}/v2/gh/{owner_name}/{branch}?urlpath={interface}/{in_repository}"
    return found


def add_substitutions(app: Sphinx, config: Config) -> None:
    """``config-inited``: the repository's substitutions, unless the book sets its own."""
    options = config.html_theme_options
    found = repository_substitutions(
        options.get("repository_url", ""), options.get("repository_branch", "")
    )
    config.myst_substitutions = {**found, **config.myst_substitutions}


def depend_on_pair(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: a notebook page depends on the ``.ipynb`` beside its source."""
    if "kernelspec" in app.env.metadata.get(app.env.docname, {}):
        source = Path(app.env.doc2path(app.env.docname))
        app.env.note_dependency(str(source.with_suffix(".ipynb")))


def register(app: Sphinx) -> None:
    """Add the substitutions, and make notebook pages depend on their pairs."""
    app.connect("config-inited", add_substitutions)
    app.connect("doctree-read", depend_on_pair)
