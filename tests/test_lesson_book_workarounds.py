"""Tests of ``lesson_book.workarounds``: the fixes to upstream behaviour, and that it still needs them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lesson_book import workarounds

ROOT = Path(__file__).resolve().parents[1]

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


def test_mathjax_is_served_from_the_book(small_book):
    text = (small_book / "lessons" / "two.html").read_text(encoding="utf-8")
    assert 'src="../_static/mathjax/tex-mml-chtml.js' in text
    assert "cdn.jsdelivr" not in text
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


def test_redirect_page():
    page = workarounds.redirect_page("intro.html", "A <book>", "_static/favicon.svg")
    assert '<meta http-equiv="Refresh" content="0; url=intro.html">' in page
    assert '<link rel="icon" href="_static/favicon.svg">' in page
    assert '<a href="intro.html">A &lt;book&gt;</a>' in page
    assert "rel=\"icon\"" not in workarounds.redirect_page("intro.html", "Book", None)


@pytest.mark.sphinx("html", testroot="redirect", freshenv=True)
def test_index_html_redirects_to_the_root_page_and_names_the_favicon(app):
    app.build()
    out = Path(app.outdir)
    page = (out / "index.html").read_text()
    assert 'content="0; url=start.html"' in page
    assert '<link rel="icon" href="_static/icon.svg">' in page
    assert (out / "_static" / "icon.svg").is_file()
