"""What the extension makes of the small book, against stored snapshots: its pages' articles (read with an HTML parser) and its learner notebooks.

A change to the extension that changes what readers or learners get shows
here as a difference to review.  When the change is meant, write the new
snapshots with ``pytest tests/extension/test_extension_snapshots.py
--force-regen`` and commit them with it (pytest-regressions' ``file_regression``;
the snapshots are in ``test_extension_snapshots/``).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

#: The small book's pages whose article is kept as a snapshot: an episode, a plain page, the gathered pages.
PAGES = ["lessons/one", "lessons/two", "schedule", "setup", "glossary"]
#: What changes from build to build and means nothing: Sphinx's per-build hashes of static files.
_VOLATILE = re.compile(r"\?v=[0-9a-f]+")


def article(path: Path) -> str:
    """The page's article (its content without the theme's frame), parsed and printed one tag a line."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    found = soup.find("article")
    assert found is not None, f"{path} has no <article>"
    return _VOLATILE.sub("", found.prettify())


@pytest.mark.parametrize("page", PAGES)
def test_the_pages_articles_match_their_snapshots(small_book, file_regression, page):
    file_regression.check(
        article(small_book / f"{page}.html"), basename=page.replace("/", "--"), extension=".html"
    )


@pytest.mark.parametrize("name", ["one.ipynb", "workbooks/one.ipynb", "two.ipynb"])
def test_the_learner_notebooks_match_their_snapshots(small_book, file_regression, name):
    notebook = nbformat.read(small_book / "_static" / "learner" / name, as_version=4)
    file_regression.check(
        nbformat.writes(notebook) + "\n", basename="learner--" + name.removesuffix(".ipynb").replace("/", "--"), extension=".ipynb"
    )


def test_the_article_is_read_with_a_parser(tmp_path):
    page = tmp_path / "p.html"
    page.write_text('<html><body><nav>menu</nav><article class="x"><p>Hi <b>there</b></p>'
                    '<img src="a.png?v=1234abcd"></article></body></html>')
    text = article(page)
    assert "menu" not in text and "<b>" in text and "?v=" not in text
