"""The repository links: the repository's address on the pages, launch links, each notebook page's pair.

The address and branch are written once, under ``repository:`` in
``_config.yml`` (Jupyter Book passes them to the theme as
``repository_url`` and ``repository_branch``).  A release's build points
everything at its tag instead: the environment variable ``BOOK_REF`` (set by
the publishing workflow on a tag, ``BOOK_REF=v0.1.0 make book`` by hand)
replaces the branch, so that its Colab, Binder and hub links open that
release's notebooks.  Pages use them as MyST substitutions:
``{{ repository_link }}``, ``{{ repository_zip }}`` (a link to a ZIP of the
branch or tag) and ``{{ clone_commands }}`` (a code block: ``git clone`` of
the branch or tag, and ``cd``).

The theme points a notebook page's Colab, Binder (and, with
``launch_buttons: jupyterhub_url`` set, JupyterHub) buttons at the ``.ipynb``
beside its source when one exists (its complete learner notebook, see
:mod:`lesson_book.learner.convert`), and at the ``.md`` otherwise.
:func:`launch_urls` makes the same links for any notebook
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
from urllib.parse import urlencode

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config

from lesson_book.book import book_ref, repository_substitutions
from lesson_book.model import is_notebook_page


def launch_urls(theme_options: Mapping[str, Any], path: str) -> dict[str, str]:
    """``{"Colab": url, "Binder": url, "JupyterHub": url}`` opening the repository's notebook ``path``.

    ``path`` is relative to the book's root; ``theme_options`` are the
    ``html_theme_options`` Jupyter Book makes from ``_config.yml``
    (``repository_url``, ``repository_branch``, ``path_to_docs`` and
    ``launch_buttons`` with ``colab_url``, ``binderhub_url`` and
    ``jupyterhub_url``), the links as sphinx-book-theme's launch buttons make
    them.  A service with no URL configured has no link.  The hub's link is
    nbgitpuller's: it pulls the repository into the learner's hub folder
    (once; later clicks merge without overwriting their work) and opens the
    notebook there.
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
    if hub := buttons.get("jupyterhub_url", "").rstrip("/"):
        pull = {"repo": url, "urlpath": f"{interface}/{url.rsplit('/', 1)[-1]}/{in_repository}", "branch": branch}
        found["JupyterHub"] = f"{hub}/hub/user-redirect/git-pull?{urlencode(pull, safe='/')}"
    return found


def add_substitutions(app: Sphinx, config: Config) -> None:
    """``config-inited``: the release's ref (``BOOK_REF``), and the repository's substitutions unless the book sets its own."""
    options = config.html_theme_options
    options["repository_branch"] = book_ref(options.get("repository_branch", ""))
    found = repository_substitutions(
        options.get("repository_url", ""), options.get("repository_branch", "")
    )
    config.myst_substitutions = {**found, **config.myst_substitutions}


def depend_on_pair(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: a notebook page depends on the ``.ipynb`` beside its source."""
    if is_notebook_page(app.env.metadata.get(app.env.docname, {})):
        source = Path(app.env.doc2path(app.env.docname))
        app.env.note_dependency(str(source.with_suffix(".ipynb")))


def register(app: Sphinx) -> None:
    """Add the substitutions, and make notebook pages depend on their pairs."""
    app.connect("config-inited", add_substitutions)
    app.connect("doctree-read", depend_on_pair)
