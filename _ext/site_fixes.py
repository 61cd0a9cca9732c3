"""Three fixes to what the stock Jupyter Book 1 setup writes.

A doubled inline script.  sphinx-thebe registers an inline script
(``const THEBE_JS_URL = ...``) after the HTML builder has started.  Sphinx
7.4 then keeps two copies of it, one recorded with the file name ``None`` and
one with ``""``, which compare unequal, so every page declares the constant
twice and the browser reports "Identifier 'THEBE_JS_URL' has already been
declared" (sphinx-togglebutton's inline script is doubled the same way,
harmlessly).  Each page here gets one copy of each script.

MathJax from the book itself.  Pages with formulas load MathJax from
``mathjax_path``; by default that is a CDN, which fails without a network
(at a workshop with poor Wi-Fi, or in CI) and leaves raw TeX on the page.
``_config.yml`` points ``mathjax_path`` into ``_static``, and this extension
copies MathJax 3 there from the ``django-static-mathjax`` package (a plain
copy of MathJax's files, pinned in ``requirements.txt``).

A redirect without an icon.  When the root page is not ``index`` (here it is
``intro``), sphinx-external-toc writes ``index.html`` as a bare
``<meta http-equiv="Refresh">`` line, unless the file exists.  A browser
opening it asks the server for ``/favicon.ico``, which does not exist, and
logs a 404.  This extension writes ``index.html`` first, as a small page that
names the book's favicon and also links to the root page.
"""

from __future__ import annotations

import html
import os
import shutil
from pathlib import Path, PurePosixPath
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)


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


def _dedupe_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if "script_files" in context:
        context["script_files"] = unique_scripts(list(context["script_files"]))


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


def _copy_mathjax(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    folder = local_mathjax_folder(app.config.mathjax_path)
    if folder is None:
        return
    target = Path(app.outdir, "_static", folder)
    shutil.copytree(mathjax_files(), target, dirs_exist_ok=True)
    logger.info("MathJax copied to %s", target)


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


def _write_index_redirect(app: Sphinx, exception: Exception | None) -> None:
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


def setup(app: Sphinx) -> dict[str, Any]:
    # After the themes and other extensions have added their scripts.
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    app.connect("build-finished", _copy_mathjax)
    # Before sphinx-external-toc's handler (priority 500), which keeps an existing index.html.
    app.connect("build-finished", _write_index_redirect, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
