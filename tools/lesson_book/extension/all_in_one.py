"""The all-in-one page: every episode, in order, on one page (to read, search through or print).

A page holds the directive ``{all-episodes}``; when the page is written, the
placeholder it leaves receives each episode's resolved doctree, in the order
of :func:`lesson_book.model.episodes`, much as Sphinx's ``singlehtml``
builder inlines every page (``sphinx.util.nodes.inline_all_toctrees``):
``env.get_and_resolve_doctree`` gives the episode as its own page shows it,
executed outputs, figures, exercises, the Overview and Key points boxes and
the instructor notes (hidden by the instructor view, as on the episode's page)
included.  Each episode's title becomes a section of the page.  Then:

- each episode sits in a block (class ``EPISODE_CLASS``) whose id is the
  episode's own (:func:`episode_id`, ``lessons-pooling``), and every id
  inside it is prefixed with that (``lessons-pooling--stride``), so ids stay
  unique on the page;
- every link the episode's page resolved is re-aimed from this page
  (:func:`retarget`): a link to an episode on the page, or to an anchor on
  one, goes to its block or prefixed anchor here; any other link within the
  site is made relative to this page; images need nothing, since Sphinx
  resolves them from the page that is written;
- the episodes' figure and exercise numbers are kept (Sphinx and
  sphinx-exercise read them per page from ``env.toc_fignumbers``).

The page's "On this page" sidebar (and the theme's printed table of contents)
lists the episodes; the page is left out of the search index, which finds
every episode on its own page.  ``lesson-pdf`` prints the page with
headless Chromium to ``PDF`` at the root of the HTML output; the role
``{all-in-one-pdf}`` links to it from any page.  The page alone loads
``static/all-in-one.css`` (its print rules) and ``static/all-in-one.js``
(which unlinks the rest of the book for the PDF).  The page is re-read
whenever any page of the book changes, so it never shows a stale episode.
"""

from __future__ import annotations

import posixpath
from typing import Any
from urllib.parse import urlsplit

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective, SphinxRole
from sphinx.util.osutil import relative_uri

from lesson_book import model
from lesson_book.extension.store import keep_per_page, page_set, reread_on_any_change

#: The PDF of the all-in-one page, relative to the HTML output.
PDF = "all-in-one.pdf"
#: The classes of the block that holds the episodes, and of each episode's block in it.
CONTAINER_CLASS = "all-episodes"
EPISODE_CLASS = "all-episodes-episode"
#: The page's print rules (the PDF's layout).
STYLESHEET = "all-in-one.css"
#: The page's script: opened as ``PAGE?pdf``, its links to the rest of the book become text.
SCRIPT = "all-in-one.js"
#: Between an episode's id and one of its own ids: ``make_id`` never writes two hyphens.
SEPARATOR = "--"


class all_episodes(nodes.General, nodes.Element):
    """Placeholder for the episodes, filled in when the page is written."""


def episode_id(docname: str) -> str:
    """The id of episode ``docname``'s section on the all-in-one page (``lessons-pooling``)."""
    return nodes.make_id(docname)


def prefix_ids(tree: nodes.Node, prefix: str) -> None:
    """Prefix every id in ``tree``, and every reference to one (``refid``, ``backrefs``)."""
    for node in tree.findall(nodes.Element):
        node["ids"] = [prefix + SEPARATOR + value for value in node["ids"]]
        node["backrefs"] = [prefix + SEPARATOR + value for value in node["backrefs"]]
        if node.get("refid"):
            node["refid"] = prefix + SEPARATOR + node["refid"]


def retarget(refuri: str, source: str, here: str, anchors: dict[str, str]) -> str:
    """A link ``refuri`` written on the page at URI ``source``, as seen from the page at ``here``.

    ``anchors`` maps the URI of each page shown on ``here`` to the id it has
    there: a link to such a page, or to an anchor on it, becomes a link within
    ``here``.  Links with a scheme (``https:``, ``mailto:``) and absolute paths
    stay as they are.
    """
    parts = urlsplit(refuri)
    if parts.scheme or parts.netloc or refuri.startswith("/"):
        return refuri
    path, _, fragment = refuri.partition("#")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(source), path)) if path else source
    if target in anchors:
        prefix = anchors[target]
        return "#" + (prefix + SEPARATOR + fragment if fragment else prefix)
    uri = relative_uri(here, target) if path else ""
    return uri + ("#" + fragment if fragment else "")


def _pages(env: BuildEnvironment) -> set[str]:
    """The pages that hold the ``{all-episodes}`` directive."""
    return page_set(env, "all_in_one_pages")


class AllEpisodesDirective(SphinxDirective):
    """``{all-episodes}``: every episode, in order, here."""

    def run(self) -> list[nodes.Node]:
        _pages(self.env).add(self.env.docname)
        # Left out of the search index (Sphinx's "nosearch" field): every
        # episode is found on its own page; this one would double each result.
        self.env.metadata[self.env.docname]["nosearch"] = ""
        node = all_episodes()
        self.set_source_info(node)
        return [node]


class PdfRole(SphinxRole):
    """``{all-in-one-pdf}`text```: a link to the PDF of the all-in-one page, from this page."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        here = self.env.app.builder.get_target_uri(self.env.docname)
        link = nodes.reference(
            self.rawtext, self.text, refuri=relative_uri(here, PDF), classes=["all-in-one-pdf"]
        )
        return [link], []


def episode_block(app: Sphinx, docname: str, here: str, anchors: dict[str, str]) -> nodes.container:
    """Episode ``docname`` resolved, its ids prefixed and its links re-aimed from the page ``here``."""
    env = app.env
    tree = env.get_and_resolve_doctree(docname, app.builder, doctree=env.get_doctree(docname))
    source = app.builder.get_target_uri(docname)
    prefix = anchors[source]
    prefix_ids(tree, prefix)
    for node in tree.findall(nodes.Element):
        if node.get("refuri"):
            node["refuri"] = retarget(node["refuri"], source, here, anchors)
    block = nodes.container(ids=[prefix], classes=[EPISODE_CLASS])
    block.extend(tree.children)
    return block


def prefixed_numbers(numbers: dict[str, dict[str, Any]], prefix: str) -> dict[str, dict[str, Any]]:
    """A page's figure numbers (``env.toc_fignumbers[docname]``) under prefixed ids."""
    return {
        figtype: {prefix + SEPARATOR + node_id: number for node_id, number in by_id.items()}
        for figtype, by_id in numbers.items()
    }


def fill_page(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: put every episode into the page's placeholder."""
    placeholders = list(doctree.findall(all_episodes))
    if not placeholders:
        return
    env, builder = app.env, app.builder
    found = model.episodes(env)
    here = builder.get_target_uri(docname)
    anchors = {builder.get_target_uri(item.docname): episode_id(item.docname) for item in found}
    block = nodes.container(classes=[CONTAINER_CLASS])
    numbers = env.toc_fignumbers.setdefault(docname, {})
    for item in found:
        block += episode_block(app, item.docname, here, anchors)
        episode_numbers = env.toc_fignumbers.get(item.docname, {})
        for figtype, by_id in prefixed_numbers(episode_numbers, episode_id(item.docname)).items():
            numbers.setdefault(figtype, {}).update(by_id)
    placeholders[0].replace_self(block)
    for extra in placeholders[1:]:
        extra.parent.remove(extra)
    # The math domain noted, when the page was read, that it had no formulas;
    # noted again now, the page loads MathJax if any episode needs it.
    env.get_domain("math").process_doc(env, docname, doctree)


def page_toc(title: str, sections: list[tuple[str, str]]) -> nodes.bullet_list:
    """The page's table of contents as Sphinx writes one: its title, then each (title, id)."""

    def item(text: str, anchor: str) -> nodes.list_item:
        link = nodes.reference("", text, internal=True, refuri="#" + anchor, anchorname=anchor)
        return nodes.list_item("", addnodes.compact_paragraph("", "", link))

    top = item(title, "")
    if sections:
        top += nodes.bullet_list("", *(item(text, anchor) for text, anchor in sections))
    return nodes.bullet_list("", top)


def episodes_on_page(doctree: nodes.Node) -> list[tuple[str, str]]:
    """The (title, id) of each episode put on a page by :func:`fill_page`, in order."""
    found = []
    for block in doctree.findall(nodes.container):
        if EPISODE_CLASS in block["classes"]:
            title = block.next_node(nodes.title)
            found.append((title.astext() if title is not None else "", block["ids"][0]))
    return found


def page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``: the page's "On this page" list names its episodes; its script."""
    if doctree is None or pagename not in _pages(app.env):
        return
    title = app.env.titles[pagename].astext()
    toc = page_toc(title, episodes_on_page(doctree))
    context["toc"] = app.builder.render_partial(toc)["fragment"]
    # Called here, Sphinx adds them to this page alone.
    app.add_css_file(STYLESHEET)
    app.add_js_file(SCRIPT)


def register(app: Sphinx) -> None:
    """Add the directive, the role, the filling of the page, its table of contents and files."""
    app.add_node(all_episodes)
    app.add_directive("all-episodes", AllEpisodesDirective)
    app.add_role("all-in-one-pdf", PdfRole())
    app.connect("doctree-resolved", fill_page)
    app.connect("html-page-context", page_context)
    keep_per_page(app, "all_in_one_pages", set)
    reread_on_any_change(app, "all_in_one_pages")
