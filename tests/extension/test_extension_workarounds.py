"""Tests of ``lesson_book.extension.workarounds``: the fixes to upstream behaviour, and that it still needs them."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from bs4 import BeautifulSoup

from lesson_book.book import ROOT
from lesson_book.extension import workarounds

# --------------------------------------------------------- a doubled inline script


class _Script:
    def __init__(self, filename, priority=500, **attributes):
        self.filename, self.priority, self.attributes = filename, priority, attributes


def test_unique_scripts_drops_an_inline_script_registered_twice():
    thebe = {"body": "const THEBE_JS_URL = 'x'"}
    scripts = [
        _Script("doctools.js"),
        _Script(None, **thebe),
        _Script("sphinx-thebe.js", **{"async": "async"}),
        _Script("", **thebe),
        _Script("doctools.js"),
        _Script(None, **{"body": "var other = 1"}),
    ]
    kept = workarounds.unique_scripts(scripts)
    assert kept == [scripts[0], scripts[1], scripts[2], scripts[5]]


@pytest.mark.sphinx("html", testroot="redirect")
def test_sphinx_still_doubles_an_inline_script_added_after_the_builder_starts(app):
    """The upstream behaviour the first workaround is for; when this fails, drop it."""
    app.add_js_file(None, body="const LATE = 1")  # as sphinx-thebe does
    app.builder.prepare_writing({"start"})
    late = [script for script in app.builder._js_files if script.attributes.get("body")]
    assert [script.filename for script in late] == [None, ""]
    assert len(workarounds.unique_scripts(late)) == 1


# ------------------------------------------------------------------------ MathJax


def test_mathjax_is_served_from_the_book(small_book, soup):
    path = small_book / "lessons" / "two.html"
    scripts = [script["src"] for script in soup(path).select("script[src]")]
    assert any(src.startswith("../_static/mathjax/tex-mml-chtml.js") for src in scripts)
    assert "cdn.jsdelivr" not in path.read_text(encoding="utf-8")  # named nowhere in the file
    fonts = small_book / "_static" / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2"
    assert (small_book / "_static" / "mathjax" / "tex-mml-chtml.js").is_file()
    assert any(fonts.glob("*.woff"))


@pytest.mark.parametrize(
    ("path", "folder"),
    [("mathjax/tex-mml-chtml.js", "mathjax"), ("https://cdn.example/mathjax.js", None),
     ("//cdn.example/tex.js", None)],
)
def test_local_mathjax_folder(path, folder):
    assert workarounds.local_mathjax_folder(path) == folder


@pytest.mark.parametrize("path", ["tex-mml-chtml.js", "../mathjax/tex.js", "a/b/tex.js"])
def test_local_mathjax_folder_rejects_other_paths(path):
    with pytest.raises(ValueError, match="mathjax_path"):
        workarounds.local_mathjax_folder(path)


def test_the_books_mathjax_path_is_local():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert workarounds.local_mathjax_folder(config["sphinx"]["config"]["mathjax_path"]) == "mathjax"
    assert (workarounds.mathjax_files() / "tex-mml-chtml.js").is_file()


# ----------------------------------------------------------- index.html redirect


def _redirect(page: BeautifulSoup) -> list[str]:
    """Where the page's ``<meta http-equiv="Refresh">`` elements send the reader."""
    return [meta["content"] for meta in page.select('meta[http-equiv="Refresh"][content]')]


def _icons(page: BeautifulSoup) -> list[str]:
    return [link.get("href") for link in page.select('link[rel~="icon"]')]


def test_redirect_page(soup):
    page = soup(workarounds.redirect_page("intro.html", "A <book>", "_static/favicon.svg"))
    assert _redirect(page) == ["0; url=intro.html"]
    assert _icons(page) == ["_static/favicon.svg"]
    assert [(link["href"], link.get_text()) for link in page.select("a")] == [("intro.html", "A <book>")]
    assert _icons(soup(workarounds.redirect_page("intro.html", "Book", None))) == []


@pytest.mark.sphinx("html", testroot="redirect", freshenv=True)
def test_index_html_redirects_to_the_root_page_and_names_the_favicon(app, soup):
    app.build()
    out = Path(app.outdir)
    page = soup(out / "index.html")
    assert _redirect(page) == ["0; url=start.html"]
    assert _icons(page) == ["_static/icon.svg"]
    assert (out / "_static" / "icon.svg").is_file()


# ------------------------------------------------- exercises numbered on each page


def test_numbered_per_page_counts_from_one_in_the_pages_order():
    numbers = {"ex-c": (19,), "ex-a": (17,), "ex-b": (18,)}
    assert workarounds.numbered_per_page(numbers) == {"ex-a": (1,), "ex-b": (2,), "ex-c": (3,)}
    assert workarounds.numbered_per_page({}) == {}


def test_each_page_numbers_its_exercises_from_one(workshop_book, soup):
    # Across the book, Sphinx would number them 1, 2 / 3, 4 / 5.
    pages = {name: workshop_book / "lessons" / f"{name}.html" for name in ("first", "second", "third")}
    titles = {
        name: [
            caption.get_text() for caption in soup(path).select("span.caption-number")
            if re.fullmatch(r"Exercise \d+ ", caption.get_text())
        ]
        for name, path in pages.items()
    }
    assert titles == {
        "first": ["Exercise 1 ", "Exercise 2 "], "second": ["Exercise 1 ", "Exercise 2 "], "third": ["Exercise 1 "]
    }
    for path in pages.values():
        assert not re.search(r"Exercise [345]\b", path.read_text(encoding="utf-8"))  # nowhere in the file


def test_references_to_exercises_read_the_same_numbers(workshop_book, soup):
    second = soup(workshop_book / "lessons" / "second.html")
    text = " ".join(second.get_text(" ").split())  # each tag's place a space
    # {ref} and {numref} to the page's first exercise, the solution's title,
    # and a {ref} to the first episode's second exercise.
    assert "it follows Exercise 1 and Exercise 1 ." in text
    assert "Solution to Exercise 2" in text
    assert "As in Exercise 1 ." in text
    assert "From another episode: Exercise 2 ." in text
    assert [" ".join(link.get_text().split()) for link in second.select('a[href="first.html#first-b"]')] == [
        "Exercise 2"
    ]


def _download_group() -> dict:
    """The download button as sphinx-book-theme 1.3.0's add_header_buttons makes it."""
    return {
        "type": "group",
        "label": "download-buttons",
        "buttons": [
            {"type": "link", "url": "../_sources/lessons/one.ipynb", "label": "download-notebook-button"},
            {"type": "link", "url": "../_sources/lessons/one.md", "label": "download-source-button"},
            {"type": "javascript", "javascript": "window.print()", "label": "download-pdf-button"},
        ],
    }


@pytest.mark.parametrize(
    ("metadata", "expected"),
    [
        ({"kernelspec": {}, "teaching": 5, "exercises": 5},
         ["../_static/learner/one.ipynb", "../_static/learner/workbooks/one.ipynb", None]),
        ({"kernelspec": {}}, ["../_static/learner/one.ipynb", None]),
        ({}, [None]),
    ],
)
def test_the_download_button_offers_the_learner_notebooks_and_no_source(metadata, expected):
    group = _download_group()
    context = {"header_buttons": [group], "pathto": lambda target, _: "../" + target}
    app = SimpleNamespace(env=SimpleNamespace(metadata={"lessons/one": metadata}))
    workarounds.learner_downloads(app, "lessons/one", "page.html", context, None)
    assert [button.get("url") for button in group["buttons"]] == expected
    assert group["buttons"][-1]["label"] == "download-pdf-button"


def test_the_built_pages_download_learner_notebooks_and_the_sources_are_not_copied(small_book, soup):
    path = small_book / "lessons" / "one.html"
    assert soup(path).select('a[href="../_static/learner/workbooks/one.ipynb"]')
    assert "_sources/" not in path.read_text(encoding="utf-8")  # named nowhere in the file
    assert not (small_book / "_sources").exists()
