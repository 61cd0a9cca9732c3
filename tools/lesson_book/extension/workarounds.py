"""The workarounds: fixes to what the stock Jupyter Book 1 setup writes, each with its exit.

Each fix below says which upstream behaviour it works around (the package
and the version pinned in ``requirements.txt``) and what would let it go.
When that condition is met, delete the fix, its hook in :func:`register` and
its tests in ``tests/extension/test_extension_workarounds.py``.

1. A doubled inline script (:func:`unique_scripts`).
2. MathJax served from the book, not from a CDN (:func:`copy_mathjax`).
3. An ``index.html`` redirect that names the favicon (:func:`write_index_redirect`).
4. Exercises numbered from 1 on each page (:func:`number_exercises_per_page`).
5. The download button offers the learner notebooks, not the source (:func:`learner_downloads`).
6. The theme's colours and keyboard access where they fail WCAG AA
   (``static/theme-fixes.css`` and ``static/theme-fixes.js``, which say why).
"""

from __future__ import annotations

import html
import os
import shutil
from pathlib import Path, PurePosixPath
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from lesson_book.learner import COMPLETE, WORKBOOK, learner_path, versions

logger = logging.getLogger(__name__)


# ----------------------------------------------------- 1. a doubled inline script
#
# Works around: Sphinx 7.4.7.  An inline script added with
# ``app.add_js_file(None, body=...)`` after the HTML builder exists is stored
# twice: ``Sphinx.add_js_file`` hands the builder the file name ``None``, and
# ``StandaloneHTMLBuilder.prepare_writing`` adds the registry's copy again as
# ``""``; ``_JavaScript`` objects with ``None`` and ``""`` compare unequal, so
# both are written.  sphinx-thebe 0.3.1 adds its ``const THEBE_JS_URL = ...``
# script that way (on ``env-before-read-docs``), so every page declares the
# constant twice and the browser reports "Identifier 'THEBE_JS_URL' has
# already been declared"; sphinx-togglebutton 0.4.5's inline script is
# doubled the same way, harmlessly.
#
# Let it go: Sphinx 8.2.2 fixes it (sphinx-doc/sphinx#13402, "Ensure inline
# <script/> tags are written exactly once").  Jupyter Book 1.0.4 requires
# ``sphinx~=7.0``, so the fix arrives with a Jupyter Book (or a move off it)
# that allows Sphinx >= 8.2.2; or sooner if sphinx-thebe registers its
# script before the builder starts (e.g. on ``config-inited``).


def script_key(script: Any) -> tuple[str, int, tuple[tuple[str, str], ...]]:
    """What makes two scripts the same: source file ("" if inline), priority, attributes."""
    attributes = getattr(script, "attributes", {})
    return (
        str(getattr(script, "filename", script) or ""),
        getattr(script, "priority", 500),
        tuple(sorted((key, str(value)) for key, value in attributes.items())),
    )


def unique_scripts(scripts: list[Any]) -> list[Any]:
    """``scripts`` without repeats, in their first order."""
    seen: set[tuple[str, int, tuple[tuple[str, str], ...]]] = set()
    unique = []
    for script in scripts:
        key = script_key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    return unique


def dedupe_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``: each page's scripts without repeats."""
    if "script_files" in context:
        context["script_files"] = unique_scripts(list(context["script_files"]))


# ------------------------------------------------ 2. MathJax from the book itself
#
# Works around: Sphinx 7.4.7's ``sphinx.ext.mathjax`` (which the HTML builder
# always loads) loads MathJax 3 from ``mathjax_path``, by default the
# jsDelivr CDN; without a network (a workshop with poor Wi-Fi, CI) pages show
# raw TeX.  Sphinx only writes the ``<script>`` tag: it ships no MathJax files.
# ``_config.yml`` points ``mathjax_path`` into ``_static`` and this copies
# MathJax 3 there from django-static-mathjax 3.2.2.1 (MathJax's files, pinned
# in ``requirements.txt``).
#
# Let it go: no upstream version bundles MathJax; none is announced.  Watch
# ``sphinx.ext.mathjax`` (``MATHJAX_URL``, ``mathjax_path``) for an option to
# ship MathJax with the build; or drop this fix (and the ``mathjax_path``
# setting) if the book no longer has to render formulas offline.


def mathjax_files() -> Path:
    """The folder of MathJax 3's browser bundles (``tex-mml-chtml.js`` and the rest)."""
    import mathjax  # the django-static-mathjax package

    folder = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
    if not (folder / "tex-mml-chtml.js").is_file():
        raise FileNotFoundError(f"no MathJax bundle in {folder}: reinstall django-static-mathjax")
    return folder


def local_mathjax_folder(mathjax_path: str) -> str | None:
    """The folder under ``_static`` that ``mathjax_path`` loads from, or None for a URL."""
    if "://" in mathjax_path or mathjax_path.startswith("//"):
        return None
    parts = PurePosixPath(mathjax_path).parts
    if len(parts) != 2 or parts[0] in ("", ".", "..", "/"):
        raise ValueError(
            f"mathjax_path must be a URL or FOLDER/FILE.js inside _static, got {mathjax_path!r}"
        )
    return parts[0]


def copy_mathjax(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: copy MathJax into ``_static`` when ``mathjax_path`` points there."""
    if exception is not None or app.builder.format != "html":
        return
    folder = local_mathjax_folder(app.config.mathjax_path)
    if folder is None:
        return
    target = Path(app.outdir, "_static", folder)
    shutil.copytree(mathjax_files(), target, dirs_exist_ok=True)
    logger.info("MathJax copied to %s", target)


# ------------------------------------------ 3. an index.html redirect with an icon
#
# Works around: sphinx-external-toc 1.1.0 (``ensure_index_file``, run on
# ``build-finished`` by Jupyter Book 1.0.4).  When the root page is not
# ``index`` (here it is ``intro``), it writes ``index.html`` as one bare
# ``<meta http-equiv="Refresh">`` line, unless the file exists.  A browser
# opening it asks the server for ``/favicon.ico``, which does not exist, and
# logs a 404.  This writes ``index.html`` first, as a small page that names
# the book's favicon and also links to the root page.
#
# Let it go: no released sphinx-external-toc writes a page with an icon (1.1.0
# is the latest installed); watch ``ensure_index_file`` for a redirect page
# with a ``<head>`` that names ``html_favicon``.  Or rename ``intro.md`` to
# ``index.md`` (``root: index`` in ``_toc.yml``): then no redirect is written.


def redirect_page(target: str, title: str, favicon: str | None) -> str:
    """An HTML page that sends the browser to ``target`` at once."""
    target, title = html.escape(target, quote=True), html.escape(title)
    icon = f'<link rel="icon" href="{html.escape(favicon, quote=True)}">\n' if favicon else ""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f'<meta http-equiv="Refresh" content="0; url={target}">\n{icon}'
        f"<title>{title}</title>\n</head>\n<body>\n"
        f'<p><a href="{target}">{title}</a></p>\n</body>\n</html>\n'
    )


def write_index_redirect(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``, before sphinx-external-toc: ``index.html`` redirects to the root."""
    root = app.config.root_doc
    if exception is not None or app.builder.name != "html" or root == "index":
        return
    favicon = app.config.html_favicon
    if favicon and "://" not in favicon:
        favicon = f"_static/{os.path.basename(favicon)}"
    title = app.config.html_title or app.config.project
    page = redirect_page(app.builder.get_target_uri(root), title, favicon or None)
    Path(app.outdir, "index.html").write_text(page, encoding="utf-8")


# ------------------------------------------- 4. exercises numbered on each page
#
# Works around: sphinx-exercise 1.2.1 numbers its exercises with Sphinx
# 7.4.7's numfig machinery (figure type ``exercise``), which counts across
# the whole book (``TocTreeCollector.assign_figure_numbers``): the seventh
# episode's first exercise is "Exercise 18".  Sphinx's own remedy,
# ``numfig_secnum_depth`` with numbered chapters, would give "Exercise 7.1"
# and number every heading of the book.  This renumbers each page's
# exercises 1, 2, 3 ... in the numbers Sphinx stores
# (``env.toc_fignumbers``), right after Sphinx assigns them and before any
# page is written, so the exercise titles, the solutions' titles and every
# cross-reference (``{ref}``, ``{numref}``) read the same numbers.
#
# Let it go: no sphinx-exercise release (1.2.1 is the latest installed)
# offers numbering per page; watch for such an option (or a release that
# counts with its own per-document counter), then set it and delete this.

NUMBERED_PER_PAGE = ("exercise",)


def numbered_per_page(numbers: dict[str, tuple[int, ...]]) -> dict[str, tuple[int, ...]]:
    """One page's numbers of one figure type, made 1, 2, 3 ... in their order on the page."""
    ordered = sorted(numbers, key=lambda node_id: numbers[node_id])
    return {node_id: (place,) for place, node_id in enumerate(ordered, start=1)}


def number_exercises_per_page(app: Sphinx, env: Any) -> list[str]:
    """``env-get-updated``, after Sphinx numbers the figures: exercises from 1 on each page."""
    for by_type in env.toc_fignumbers.values():
        for figtype in NUMBERED_PER_PAGE:
            if figtype in by_type:
                by_type[figtype] = numbered_per_page(by_type[figtype])
    return []


# ------------------------------------- 5. the download button's learner notebooks
#
# Works around: sphinx-book-theme 1.3.0.  Its download button
# (``add_header_buttons``) offers the page's source file (``_sources/<page>.md``)
# whenever the page has a source suffix, and on a MyST notebook page the
# executed notebook, which ``add_launch_buttons`` copies from
# ``jupyter_execute/`` into ``_sources/`` (``ipynb_source``).  Both hold every
# cell: the hidden checks the tests run and the instructor notes.  The book
# turns off copying sources (``html_copy_source: false`` in ``_config.yml``,
# which also stops that copy of the notebook), so the ``.md`` entry would lead
# nowhere; :func:`learner_downloads` replaces both entries with the page's
# learner notebooks (:mod:`lesson_book.learner`) and keeps the ``.pdf`` one.
#
# Let it go: when sphinx-book-theme lets a book choose the files of its
# download button (a theme option or a context key it reads, such as a list
# of download links); 1.3.0 has only ``use_download_button``, all or nothing.

#: The theme's labels of the entries that lead to the page's sources.
SOURCE_DOWNLOADS = ("download-source-button", "download-notebook-button")
DOWNLOAD_TEXTS = {COMPLETE: ".ipynb", WORKBOOK: ".ipynb (workbook)"}
DOWNLOAD_TIPS = {
    COMPLETE: "Download the notebook, with the solutions",
    WORKBOOK: "Download the workbook: an empty cell under each exercise",
}


def download_entries(pagename: str, metadata: dict[str, Any], pathto: Any) -> list[dict[str, str]]:
    """The download button's entries for page ``pagename``'s learner notebooks (none if not a notebook)."""
    if "kernelspec" not in metadata:
        return []
    return [
        {
            "type": "link",
            "url": pathto(learner_path(pagename, version), 1),
            "text": DOWNLOAD_TEXTS[version],
            "tooltip": DOWNLOAD_TIPS[version],
            "icon": "fas fa-code",
            "label": f"download-{version}-notebook-button",
        }
        for version in versions(metadata)
    ]


def learner_downloads(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``, after the theme: the download button offers the learner notebooks."""
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            kept = [b for b in group["buttons"] if b.get("label") not in SOURCE_DOWNLOADS]
            metadata = app.env.metadata.get(pagename, {})
            group["buttons"] = download_entries(pagename, metadata, context["pathto"]) + kept


# --------------------------------- 6. contrast and keyboard access in the theme
#
# Works around pydata-sphinx-theme 0.17.1, as the browser test's accessibility
# audit (axe-core) found: in dark mode the search button's text is below WCAG
# AA's contrast, in light mode a link inside a tinted admonition is, a
# scrollable code output measured before the web fonts load, or before the
# reader switches colour mode (dark mode pads HTML outputs), stays out of reach
# of the keyboard, and the search and colour-mode buttons show text their
# accessible names leave out (WCAG 2.5.3, Label in Name).  The two files say
# what each rule does.  Upstream: no issue in the theme's tracker reports the
# names (pydata/pydata-sphinx-theme#1499 is about the search button's shortcut
# text, not its name): open one there and name it here.  Let it go: when the
# audit passes without them on a newer theme.

THEME_FIXES = ("theme-fixes.css", "theme-fixes.js")


def register(app: Sphinx) -> None:
    """Connect the six workarounds."""
    app.add_css_file(THEME_FIXES[0])
    app.add_js_file(THEME_FIXES[1])
    # After the themes and other extensions have added their scripts.
    app.connect("html-page-context", dedupe_scripts, priority=900)
    app.connect("build-finished", copy_mathjax)
    # Before sphinx-external-toc's handler (priority 500), which keeps an existing index.html.
    app.connect("build-finished", write_index_redirect, priority=400)
    # After Sphinx's TocTreeCollector (priority 500) assigns the numbers.
    app.connect("env-get-updated", number_exercises_per_page, priority=900)
    # After sphinx-book-theme's add_header_buttons (priority 501).
    app.connect("html-page-context", learner_downloads, priority=600)
