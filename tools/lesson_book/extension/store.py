"""What the extension keeps on the Sphinx environment page by page: forgotten when a page is read again, merged from parallel readers.

Each store is an attribute ``env.lesson_book_<name>``: a dict by docname
(:func:`page_data`) or a set of docnames (:func:`page_set`).
:func:`keep_per_page` connects the two events every such store needs;
:func:`reread_on_any_change` makes the pages of a set (pages that gather
from all the others) be read again whenever any page is added, changed or
removed.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment


def _store(env: BuildEnvironment, name: str, kind: type) -> Any:
    attribute = f"lesson_book_{name}"
    if not hasattr(env, attribute):
        setattr(env, attribute, kind())
    return getattr(env, attribute)


def page_data(env: BuildEnvironment, name: str) -> dict[str, Any]:
    """The store ``name``: what each page read holds, by docname (plain data: it is pickled)."""
    return _store(env, name, dict)


def page_set(env: BuildEnvironment, name: str) -> set[str]:
    """The store ``name``: a set of docnames."""
    return _store(env, name, set)


def keep_per_page(app: Sphinx, name: str, kind: type = dict) -> None:
    """Forget a page's entry of the store ``name`` when it is read again; merge parallel readers' entries."""

    def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        store = _store(env, name, kind)
        store.pop(docname, None) if kind is dict else store.discard(docname)

    def merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
        mine, theirs = _store(env, name, kind), _store(other, name, kind)
        for docname in docnames & set(theirs):
            if kind is dict:
                mine[docname] = theirs[docname]
            else:
                mine.add(docname)

    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)


def reread_on_any_change(app: Sphinx, name: str) -> None:
    """Read the pages of the set ``name`` again whenever any page is added, changed or removed."""

    def outdated(
        app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
    ) -> list[str]:
        return sorted(page_set(env, name) - removed) if added or changed or removed else []

    app.connect("env-get-outdated", outdated)
