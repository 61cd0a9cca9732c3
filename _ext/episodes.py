"""Render each episode's Carpentries front matter on its page.

An episode's YAML header holds ``teaching`` and ``exercises`` (minutes),
``questions``, ``objectives`` and ``keypoints``.  This Sphinx extension puts
an "Overview" box (timings, questions, objectives) under the page title and a
"Key points" box at the end, so those lists are written once, in the header.

MyST stores front-matter fields in ``env.metadata[docname]`` as strings
(lists as JSON); :func:`episode_fields` turns them back into Python values.
"""

from __future__ import annotations

import json
import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

LIST_FIELDS = ("questions", "objectives", "keypoints")
MINUTE_FIELDS = ("teaching", "exercises")


def episode_fields(metadata: dict[str, Any]) -> dict[str, Any] | None:
    """Return an episode's Carpentries fields, or None if the page is not an episode.

    Raises ``ValueError`` naming the field when one is present but malformed.
    """
    if not any(key in metadata for key in LIST_FIELDS + MINUTE_FIELDS):
        return None
    fields: dict[str, Any] = {}
    for key in LIST_FIELDS:
        raw = metadata.get(key, "[]")
        value = json.loads(raw) if isinstance(raw, str) else raw
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ValueError(f"front matter {key!r} must be a list of strings, got {raw!r}")
        fields[key] = value
    for key in MINUTE_FIELDS:
        raw = metadata.get(key)
        try:
            fields[key] = int(raw)
        except (TypeError, ValueError):
            raise ValueError(f"front matter {key!r} must be whole minutes, got {raw!r}") from None
    return fields


def _inline(text: str) -> list[nodes.Node]:
    """Text with `code` spans turned into literals."""
    parts = re.split(r"`([^`]+)`", text)
    return [
        nodes.literal(part, part) if index % 2 else nodes.Text(part)
        for index, part in enumerate(parts)
        if part
    ]


def _bullets(items: list[str]) -> nodes.bullet_list:
    bullets = nodes.bullet_list()
    for item in items:
        bullets += nodes.list_item("", nodes.paragraph("", "", *_inline(item)))
    return bullets


def _box(title: str, css_class: str, *children: nodes.Node) -> nodes.admonition:
    box = nodes.admonition(classes=[css_class])
    box += nodes.title(title, title)
    for child in children:
        box += child
    return box


def overview_box(fields: dict[str, Any]) -> nodes.admonition:
    """The box shown under an episode's title."""
    timing = nodes.paragraph(
        "",
        "",
        nodes.strong("Teaching:", "Teaching:"),
        nodes.Text(f" {fields['teaching']} min   "),
        nodes.strong("Exercises:", "Exercises:"),
        nodes.Text(f" {fields['exercises']} min"),
    )
    children: list[nodes.Node] = [timing]
    for key, heading in (("questions", "Questions"), ("objectives", "Objectives")):
        if fields[key]:
            children += [nodes.rubric(heading, heading), _bullets(fields[key])]
    return _box("Overview", "episode-overview", *children)


def add_episode_boxes(app: Sphinx, doctree: nodes.document) -> None:
    fields = episode_fields(app.env.metadata.get(app.env.docname, {}))
    if fields is None:
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        raise ValueError(f"episode {app.env.docname} has no title")
    title_index = section.first_child_matching_class(nodes.title)
    section.insert(title_index + 1, overview_box(fields))
    if fields["keypoints"]:
        section += _box("Key points", "episode-keypoints", _bullets(fields["keypoints"]))


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-read", add_episode_boxes)
    app.add_css_file("episodes.css")
    app.connect("builder-inited", _add_static_path)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}


def _add_static_path(app: Sphinx) -> None:
    from pathlib import Path

    app.config.html_static_path.append(str(Path(__file__).parent / "static"))
