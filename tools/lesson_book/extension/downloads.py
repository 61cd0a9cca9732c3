"""The learner notebooks in the built book: written into ``_static/learner/`` at the end of every HTML build.

The download button and the Overview boxes link them there
(:func:`lesson_book.learner.learner_path`); they are made by
:mod:`lesson_book.learner.convert`, as ``lesson-sync`` makes the repository's.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from lesson_book.learner import LEARNER_DIR, learner_path, versions
from lesson_book.learner.convert import learner_text
from lesson_book.model import is_notebook_page

logger = logging.getLogger(__name__)


def notebook_pages(env: BuildEnvironment) -> list[str]:
    """The pages of the book that are notebooks, sorted."""
    return sorted(docname for docname in env.found_docs if is_notebook_page(env.metadata.get(docname, {})))


def write_learner_notebooks(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: write every notebook page's learner notebooks into the output."""
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir, LEARNER_DIR)
    shutil.rmtree(target, ignore_errors=True)
    for docname in notebook_pages(app.env):
        source = Path(app.env.doc2path(docname))
        for version in versions(app.env.metadata[docname]):
            path = Path(app.outdir, learner_path(docname, version))
            if path.exists():
                raise ValueError(f"two notebooks would write {path.name}: rename one")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(learner_text(source, docname, version, app.config.myst_substitutions), encoding="utf-8")
    logger.info("learner notebooks written to %s", target)


def register(app: Sphinx) -> None:
    """Write the learner notebooks at the end of every HTML build."""
    app.connect("build-finished", write_learner_notebooks)
