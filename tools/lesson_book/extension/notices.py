"""The open-lesson notices: the licence in the book's footer and in each learner notebook, and "Cite this lesson".

The licences themselves are in ``LICENSE.md`` (text and figures CC BY 4.0,
code MIT, the Carpentries' convention); the footer of every page and the
last cell of every learner notebook say so in one sentence (the notebooks'
from :func:`lesson_book.book.licence_markdown`), with a link to that file in the repository the
book names (so a fork's notebooks link the fork's).

The landing page cites the lesson with the substitution ``{{ citation }}``,
made from ``CITATION.cff`` (the file GitHub's "Cite this repository" reads),
whose address and version ``lesson-sync`` keeps equal to the
book's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import yaml
from sphinx.application import Sphinx
from sphinx.config import Config

from lesson_book.book import CC_BY


def licence_html(url: str, ref: str) -> str:
    """The footer's sentence, as HTML."""
    return (
        f'<p class="lesson-licence">Text and figures under the <a href="{CC_BY}">CC BY 4.0 licence</a>, '
        f'code under the <a href="{url}/blob/{ref}/LICENSE.md">MIT licence</a>.</p>'
    )


def citation_text(citation: Mapping[str, Any]) -> str:
    """A citation in Markdown from the fields of a ``CITATION.cff`` (authors, title, version, url)."""
    for key in ("title", "authors", "version"):
        if not citation.get(key):
            raise ValueError(f"CITATION.cff needs {key!r}, got {citation.get(key)!r}")
    names = [
        author.get("name") or " ".join(filter(None, [author.get("given-names"), author.get("family-names")]))
        for author in citation["authors"]
    ]
    year = str(citation.get("date-released", ""))[:4]
    where = citation.get("url") or citation.get("repository-code") or ""
    return (
        f"{', '.join(names)}{f' ({year})' if year else ''}. *{citation['title']}*, "
        f"version {citation['version']}." + (f" <{where}>" if where else "")
    )


def add_notices(app: Sphinx, config: Config) -> None:
    """``config-inited``: the footer's licence (unless the book sets one) and ``{{ citation }}``."""
    options = config.html_theme_options
    url, ref = options.get("repository_url", "").rstrip("/"), options.get("repository_branch", "")
    if not options.get("extra_footer"):
        options["extra_footer"] = licence_html(url, ref)
    path = Path(app.srcdir, "CITATION.cff")
    if path.exists() and "citation" not in config.myst_substitutions:
        citation = yaml.safe_load(path.read_text(encoding="utf-8"))
        config.myst_substitutions = {**config.myst_substitutions, "citation": citation_text(citation)}


def register(app: Sphinx) -> None:
    """Add the notices when the configuration is read (after the repository's ref is settled)."""
    app.connect("config-inited", add_notices, priority=600)
