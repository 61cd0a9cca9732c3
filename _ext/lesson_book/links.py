"""The repository links: the repository's address on the pages, and each notebook page's pair.

The address and branch are written once, under ``repository:`` in
``_config.yml`` (Jupyter Book passes them to the theme as
``repository_url`` and ``repository_branch``).  Pages use them as MyST
substitutions: ``{{ repository_link }}``, ``{{ repository_zip }}`` (a link
to a ZIP of the branch) and ``{{ clone_commands }}`` (a code block:
``git clone``, ``cd`` and ``git switch`` to the branch).

The theme points a notebook page's Colab and Binder buttons at the paired
``.ipynb`` beside its source when one exists, and at the ``.md`` otherwise.
So that the buttons follow when ``make notebooks`` adds or rewrites a pair,
each notebook page depends on its pair: Sphinx rewrites the page when the
pair changes (and on every build while it is missing).
"""

from __future__ import annotations

from pathlib import Path

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
