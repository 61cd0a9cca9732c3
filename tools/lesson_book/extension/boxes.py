"""The boxes on each episode's page: "Overview" under the title, "Key points" at the end.

The Overview box shows the episode's timing, questions and objectives, and
links to its learner notebooks (complete and workbook: Colab, Binder,
download); the Key points box lists its key points.  Both
come from the front matter (see :mod:`lesson_book.model`), so those lists are
written once, in the header.  The items' ```code``` spans become literals;
:func:`bullets` is also what the gathered pages use for lists of key points.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from markdown_it import MarkdownIt
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.osutil import relative_uri

from lesson_book.extension.links import launch_urls
from lesson_book.learner import COMPLETE, VERSIONS, WORKBOOK, learner_path, repository_path
from lesson_book.model import BUILDS_ON, OPTIONAL_NOTE, episode_fields, sibling

OVERVIEW_CLASS = "episode-overview"
KEYPOINTS_CLASS = "episode-keypoints"

# Only code spans are markup in a front-matter item; everything else is text.
_CODE_SPANS = MarkdownIt("zero").enable("backticks")


def inline(text: str) -> list[nodes.Node]:
    """``text`` as docutils inline nodes, its code spans as literals."""
    found: list[nodes.Node] = []
    for token in _CODE_SPANS.parseInline(text)[0].children or []:
        if token.type == "code_inline":
            found.append(nodes.literal(token.content, token.content))
        elif token.content:
            found.append(nodes.Text(token.content))
    return found


def bullets(items: list[str]) -> nodes.bullet_list:
    """A bullet list of ``items``, one paragraph each."""
    result = nodes.bullet_list()
    for item in items:
        result += nodes.list_item("", nodes.paragraph("", "", *inline(item)))
    return result


def box(title: str, css_class: str, *children: nodes.Node) -> nodes.admonition:
    """An admonition titled ``title`` with class ``css_class``."""
    result = nodes.admonition(classes=[css_class])
    result += nodes.title(title, title)
    for child in children:
        result += child
    return result


def overview_box(fields: dict[str, Any], docname: str = "") -> nodes.admonition:
    """The box shown under an episode's title; ``docname`` is the episode's page."""
    timing = nodes.paragraph(
        "",
        "",
        nodes.strong("Teaching:", "Teaching:"),
        nodes.Text(f" {fields['teaching']} min   "),
        nodes.strong("Exercises:", "Exercises:"),
        nodes.Text(f" {fields['exercises']} min"),
        *([nodes.Text("   "), nodes.emphasis("", OPTIONAL_NOTE)] if fields.get("optional") else []),
    )
    children: list[nodes.Node] = [timing]
    if fields.get(BUILDS_ON):
        links: list[nodes.Node] = [nodes.strong("Builds on:", "Builds on:"), nodes.Text(" ")]
        for number, name in enumerate(fields[BUILDS_ON]):
            links += [nodes.Text(", ")] if number else []
            links.append(
                addnodes.pending_xref(
                    "", nodes.inline("", ""), refdomain="std", reftype="doc",
                    reftarget="/" + sibling(docname, name), refexplicit=False, refdoc=docname,
                )
            )
        children.append(nodes.paragraph("", "", *links))
    for key, heading in (("questions", "Questions"), ("objectives", "Objectives")):
        if fields[key]:
            children += [nodes.rubric(heading, heading), bullets(fields[key])]
    return box("Overview", OVERVIEW_CLASS, *children)


def add_episode_boxes(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: put the Overview and Key points boxes on an episode's page."""
    fields = episode_fields(app.env.metadata.get(app.env.docname, {}))
    if fields is None:
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        raise ValueError(f"episode {app.env.docname} has no title")
    title_index = section.first_child_matching_class(nodes.title)
    section.insert(title_index + 1, overview_box(fields, app.env.docname))
    if fields["keypoints"]:
        section += box("Key points", KEYPOINTS_CLASS, bullets(fields["keypoints"]))


VERSION_WORDS = {COMPLETE: "complete", WORKBOOK: "workbook"}
NOTEBOOKS_CLASS = "learner-notebooks"


def _links(made: list[tuple[str, nodes.Element]]) -> list[nodes.Node]:
    """The links ``made`` (version, link) separated by middle dots."""
    found: list[nodes.Node] = []
    for version, link in made:
        if found:
            found.append(nodes.Text(" · "))
        link += nodes.Text(VERSION_WORDS[version])
        found.append(link)
    return found


def notebook_links(
    theme_options: dict[str, Any], here: str, docname: str, versions: tuple[str, ...]
) -> list[list[nodes.Node]]:
    """Links to page ``docname``'s learner notebooks: one line of inline nodes per way to open them.

    Colab and Binder open them from the repository, the download links from
    the book (relative to ``here``, the URI of the page the links are on).
    """
    by_service: dict[str, list[tuple[str, nodes.Element]]] = {}
    for version in versions:
        for service, url in launch_urls(theme_options, repository_path(docname, version)).items():
            link = nodes.reference("", "", refuri=url, classes=[f"launch-{service.lower()}"])
            by_service.setdefault(f"Open in {service}:", []).append((version, link))
    by_service["Download:"] = [
        (version, addnodes.download_reference(
            "", "", refuri=relative_uri(here, learner_path(docname, version)), classes=[version]
        ))
        for version in versions
    ]
    return [
        [nodes.emphasis("", label), nodes.Text(" "), *_links(links)]
        for label, links in by_service.items()
    ]


def notebooks_paragraphs(app: Sphinx, here: str, docname: str) -> list[nodes.Element]:
    """The Overview box's lines that offer episode ``docname``'s notebooks."""
    about = nodes.paragraph(
        "",
        "",
        nodes.strong("", "Notebooks:"),
        nodes.Text(
            " complete (the episode as shown here, with the solutions) or workbook "
            "(an empty cell under each exercise for your own answer)."
        ),
    )
    lines = notebook_links(app.config.html_theme_options, here, docname, VERSIONS)
    links = nodes.bullet_list()
    for line in lines:
        links += nodes.list_item("", nodes.paragraph("", "", *line))
    return [about, links]


class AddLearnerLinks(SphinxPostTransform):
    """Add the notebooks' lines to the Overview box, when the page is written.

    It runs at writing time because the download links are relative to the
    page's URI, which the builder knows only then.
    """

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        docname = self.env.docname
        if episode_fields(self.env.metadata.get(docname, {})) is None:
            return
        here = self.app.builder.get_target_uri(docname)
        for found in self.document.findall(nodes.admonition):
            if OVERVIEW_CLASS in found["classes"]:
                found += nodes.container(
                    "", *notebooks_paragraphs(self.app, here, docname), classes=[NOTEBOOKS_CLASS]
                )


def register(app: Sphinx) -> None:
    """Connect the boxes to the build and add their stylesheet."""
    app.connect("doctree-read", add_episode_boxes)
    app.add_post_transform(AddLearnerLinks)
    app.add_css_file("episodes.css")
