"""Tests of ``lesson_book.extension.links``: the repository's address on the pages, and notebook pairs."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

from lesson_book.extension import links


def test_repository_substitutions():
    found = links.repository_substitutions("https://github.com/o/lesson/", "main")
    assert found["repository_url"] == "https://github.com/o/lesson"
    assert found["repository_link"] == "[github.com/o/lesson](https://github.com/o/lesson)"
    assert "(https://github.com/o/lesson/archive/main.zip)" in found["repository_zip"]
    assert found["clone_commands"] == (
        "```bash\ngit clone --branch main https://github.com/o/lesson.git\ncd lesson\n```"
    )
    # A release's tag works the same way: GitHub's archive and git clone --branch take tags too.
    tagged = links.repository_substitutions("https://github.com/o/lesson", "v1.2.0")
    assert "(https://github.com/o/lesson/archive/v1.2.0.zip)" in tagged["repository_zip"]
    assert "git clone --branch v1.2.0 https://github.com/o/lesson.git" in tagged["clone_commands"]


def test_book_ref_is_the_branch_unless_a_release_names_its_tag(monkeypatch):
    monkeypatch.delenv("BOOK_REF", raising=False)
    assert links.book_ref("main") == "main"
    monkeypatch.setenv("BOOK_REF", "v1.2.0")
    assert links.book_ref("main") == "v1.2.0"
    monkeypatch.setenv("BOOK_REF", "  ")  # an empty value, as the workflow sets off a tag
    assert links.book_ref("main") == "main"
    monkeypatch.setenv("BOOK_REF", "v1 2")
    with pytest.raises(ValueError, match="'v1 2'"):
        links.book_ref("main")


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


def test_the_repository_link_is_substituted_on_the_pages(app, small_book, soup):
    page = soup(small_book / "setup.html")
    found = [(link["class"], link.get_text()) for link in page.select('a[href="https://github.com/o/small-book"]')]
    assert (["reference", "external"], "github.com/o/small-book") in found
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


def test_a_hub_address_adds_nbgitpuller_links():
    hub = {**OPTIONS, "launch_buttons": {"notebook_interface": "jupyterlab", "jupyterhub_url": "https://hub.example.org/"}}
    assert links.launch_urls(hub, "lessons/pooling.ipynb") == {
        "JupyterHub": "https://hub.example.org/hub/user-redirect/git-pull?repo=https%3A//github.com/o/lesson"
        "&urlpath=lab/tree/lesson/lessons/pooling.ipynb&branch=main"
    }


def _links(page: BeautifulSoup) -> tuple[list[str], list[str]]:
    """Every link's address in the page, and those inside the Overview box."""
    hrefs = [link["href"] for link in page.select("a[href]")]
    return hrefs, [link["href"] for link in page.select("div.episode-overview a[href]")]


HUB = {**OPTIONS["launch_buttons"], "jupyterhub_url": "https://hub.example.org"}


@pytest.mark.sphinx(
    "html", testroot="small-book", srcdir="small-book-with-a-hub",
    confoverrides={"html_theme_options": {"repository_url": "https://github.com/o/small-book",
                                          "repository_branch": "main", "launch_buttons": HUB}},
)
def test_a_workshop_hub_gets_a_link_in_every_overview_box_like_the_themes_button(app, soup):
    app.build()
    hrefs, in_box = _links(soup(Path(app.outdir, "lessons", "one.html")))
    expected = links.launch_urls(app.config.html_theme_options, "lessons/one.ipynb")["JupyterHub"]
    assert expected in in_box  # the Overview box's link to the complete notebook
    # The theme's launch button makes the same link, to the page's source here: this
    # small book has no .ipynb beside it (the real book has, and the button opens that).
    theme = expected.replace("one.ipynb", "one.md")
    assert theme in hrefs and theme not in in_box
    workbook = links.launch_urls(app.config.html_theme_options, "lessons/workbooks/one.ipynb")["JupyterHub"]
    assert workbook in in_box


def test_without_a_hub_address_there_is_no_hub_link(small_book, soup):
    hrefs, in_box = _links(soup(small_book / "lessons" / "one.html"))
    assert in_box and not [href for href in hrefs if "git-pull" in href]
