"""Tests of ``lesson_book.links``: the repository's address on the pages, and notebook pairs."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from lesson_book import links


def test_repository_substitutions():
    found = links.repository_substitutions("https://github.com/o/lesson/", "main")
    assert found["repository_url"] == "https://github.com/o/lesson"
    assert found["repository_link"] == "[github.com/o/lesson](https://github.com/o/lesson)"
    assert "https://github.com/o/lesson/archive/refs/heads/main.zip" in found["repository_zip"]
    assert found["clone_commands"] == (
        "```bash\ngit clone https://github.com/o/lesson.git\ncd lesson\ngit switch main\n```"
    )


@pytest.mark.parametrize(
    ("url", "branch"),
    [("https://gitlab.com/o/r", "main"), ("https://github.com/o", "main"), ("https://github.com/o/r", "")],
)
def test_repository_substitutions_reject_bad_config(url, branch):
    with pytest.raises(ValueError, match="repository"):
        links.repository_substitutions(url, branch)


def test_a_notebook_page_depends_on_its_paired_ipynb():
    noted: list[str] = []
    env = SimpleNamespace(
        docname="lessons/one",
        metadata={"lessons/one": {"kernelspec": "{}"}, "pages/glossary": {}},
        doc2path=lambda docname: f"/book/{docname}.md",
        note_dependency=noted.append,
    )
    links.depend_on_pair(SimpleNamespace(env=env), None)
    env.docname = "pages/glossary"  # not a notebook: no pair
    links.depend_on_pair(SimpleNamespace(env=env), None)
    assert noted == ["/book/lessons/one.ipynb"]


def test_the_repository_link_is_substituted_on_the_pages(app, small_book):
    text = (small_book / "setup.html").read_text(encoding="utf-8")
    assert '<a class="reference external" href="https://github.com/o/small-book">' \
           "github.com/o/small-book</a>" in text
    pair = Path(app.env.doc2path("lessons/one")).with_suffix(".ipynb")
    assert [Path(app.srcdir, dependency) for dependency in app.env.dependencies["lessons/one"]] \
        == [pair]


OPTIONS = {
    "repository_url": "https://github.com/o/lesson",
    "repository_branch": "main",
    "launch_buttons": {
        "notebook_interface": "jupyterlab",
        "binderhub_url": "https://mybinder.org/",
        "colab_url": "https://colab.research.google.com",
    },
}


def test_launch_urls_open_a_notebook_of_the_repository():
    assert links.launch_urls(OPTIONS, "lessons/workbooks/pooling.ipynb") == {
        "Colab": "https://colab.research.google.com/github/o/lesson/blob/main/lessons/workbooks/pooling.ipynb",
        "Binder": "https://mybinder.org/v2/gh/o/lesson/main?urlpath=lab/tree/lessons/workbooks/pooling.ipynb",
    }
    in_folder = {**OPTIONS, "path_to_docs": "book/", "launch_buttons": {"colab_url": "https://c.example"}}
    assert links.launch_urls(in_folder, "a.ipynb") == {
        "Colab": "https://c.example/github/o/lesson/blob/main/book/a.ipynb"
    }


def test_launch_urls_check_the_repository():
    with pytest.raises(ValueError, match="repository"):
        links.launch_urls({**OPTIONS, "repository_url": "https://gitlab.com/o/r"}, "a.ipynb")
