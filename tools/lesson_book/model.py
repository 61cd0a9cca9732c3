"""The episode model: which pages are episodes, their front-matter fields, their order.

An episode is a page of the table of contents whose front matter holds the
Carpentries fields: ``teaching`` and ``exercises`` (whole minutes) and the
lists ``questions``, ``objectives`` and ``keypoints``.  MyST stores
front-matter fields in ``env.metadata[docname]`` as strings (lists as JSON);
:func:`episode_fields` turns them back into Python values.

The order is the table of contents' order.  sphinx-external-toc parses
``_toc.yml`` once per build and keeps the result on the environment as
``env.external_site_map`` (a ``SiteMap``); the model reads that.  A book
without sphinx-external-toc falls back on the toctrees Sphinx itself
collected (``env.toctree_includes``).

Each episode also carries the caption of the part of ``_toc.yml`` it sits
in (``Episodes``, ``Going further``; "" for a book without parts): the
schedule starts a new day at each part.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Mapping

if TYPE_CHECKING:  # the model reads a Sphinx environment it is given; it never builds one
    from sphinx.environment import BuildEnvironment

LIST_FIELDS = ("questions", "objectives", "keypoints")
#: ``builds-on``: the episodes (file names beside this one, without ``.md``) that
#: this one relies on; the Overview names them, on the page and in the notebooks.
BUILDS_ON = "builds-on"
MINUTE_FIELDS = ("teaching", "exercises")
#: ``optional: true`` in an episode's front matter: the schedule offers it after the days, if time allows.
FLAG_FIELDS = ("optional",)
#: The tag of a code cell that learners run rather than type (plotting, formatting, long
#: set-ups): the page marks it, the learner notebooks say so in its first line, and its
#: lines do not count as typed (lesson_book.timing).
RUN_ONLY_TAG = "run-only"
RUN_ONLY_NOTE = "Run this cell: no need to type it."
#: The class of an instructor note's admonition (hidden from learners, left out of their notebooks).
NOTE_CLASS = "instructor"
#: What an optional episode's Overview says (on the page and in its learner notebooks).
OPTIONAL_NOTE = "Optional: the schedule offers it if time allows."


@dataclass(frozen=True)
class Episode:
    """One episode: its page, its title and its front-matter fields."""

    docname: str
    title: str
    teaching: int
    exercises: int
    questions: tuple[str, ...] = ()
    objectives: tuple[str, ...] = ()
    keypoints: tuple[str, ...] = ()
    part: str = ""  # the caption of its part of the table of contents
    optional: bool = False
    builds_on: tuple[str, ...] = ()  # docnames of the episodes it relies on

    @property
    def minutes(self) -> int:
        """Teaching and exercise minutes together."""
        return self.teaching + self.exercises


def episode_fields(metadata: Mapping[str, Any]) -> dict[str, Any] | None:
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
    raw = metadata.get(BUILDS_ON, "[]")
    value = json.loads(raw) if isinstance(raw, str) else raw
    if not isinstance(value, list) or not all(
        isinstance(item, str) and item and "/" not in item and not item.endswith(".md") for item in value
    ):
        raise ValueError(
            f"front matter {BUILDS_ON!r} must be a list of episode names beside this one "
            f"(such as convolution), got {raw!r}"
        )
    fields[BUILDS_ON] = value
    for key in FLAG_FIELDS:
        raw = metadata.get(key, False)
        value = {"true": True, "false": False}.get(raw.strip().lower(), raw) if isinstance(raw, str) else raw
        if not isinstance(value, bool):
            raise ValueError(f"front matter {key!r} must be true or false, got {raw!r}")
        fields[key] = value
    return fields


def is_notebook_page(metadata: Mapping[str, Any]) -> bool:
    """Whether a page with front matter ``metadata`` is a notebook: its front matter names a kernel."""
    return "kernelspec" in metadata


def sibling(docname: str, name: str) -> str:
    """The docname of page ``name`` in the folder of page ``docname``."""
    folder = docname.rpartition("/")[0]
    return f"{folder}/{name}" if folder else name


def toc_order(root: str, includes: Mapping[str, Iterable[str]]) -> list[str]:
    """Every page reachable from ``root`` through ``includes``, depth first, in order."""
    order: list[str] = []
    stack = [root]
    while stack:
        docname = stack.pop()
        if docname in order:
            continue
        order.append(docname)
        stack.extend(reversed(list(includes.get(docname, ()))))
    return order


def _without_suffix(name: str, suffixes: Iterable[str]) -> str:
    for suffix in suffixes:
        if suffix and name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def site_map_includes(site_map: Any, suffixes: Iterable[str]) -> dict[str, list[str]]:
    """Each document of a sphinx-external-toc ``SiteMap`` with the files it includes.

    The site map's names may carry a source suffix (``_toc.yml`` allows
    ``lessons/pooling.md``); Sphinx's docnames do not, so it is removed.
    """
    suffixes = list(suffixes)
    return {
        _without_suffix(docname, suffixes): [
            _without_suffix(child, suffixes) for child in site_map[docname].child_files()
        ]
        for docname in site_map
    }


def page_order(env: BuildEnvironment) -> list[str]:
    """The book's pages in the order of its table of contents, root first."""
    site_map = getattr(env, "external_site_map", None)
    if site_map is not None:
        suffixes = list(env.config.source_suffix)
        root = _without_suffix(site_map.root.docname, suffixes)
        return toc_order(root, site_map_includes(site_map, suffixes))
    return toc_order(env.config.root_doc, env.toctree_includes)


def site_map_parts(site_map: Any, suffixes: Iterable[str]) -> dict[str, str]:
    """Each document of a sphinx-external-toc ``SiteMap`` with the caption of its part.

    The parts are the root's captioned toctrees (``parts:`` in a
    ``jb-book``); a page inherits the part of the page that includes it; the
    root and the pages of an uncaptioned root toctree belong to the part "".
    """
    suffixes = list(suffixes)
    root = _without_suffix(site_map.root.docname, suffixes)
    parts = {root: ""}
    stack = [site_map.root.docname]
    while stack:
        name = stack.pop()
        here = parts[_without_suffix(name, suffixes)]
        at_root = name == site_map.root.docname
        for tree in site_map[name].subtrees:
            part = (tree.caption or "") if at_root else here
            for child in tree.files():
                key = _without_suffix(child, suffixes)
                if key not in parts:
                    parts[key] = part
                    stack.append(child)
    return parts


def page_parts(env: BuildEnvironment) -> dict[str, str]:
    """Each page's part of the table of contents (all "" without sphinx-external-toc)."""
    site_map = getattr(env, "external_site_map", None)
    if site_map is None:
        return {}
    return site_map_parts(site_map, env.config.source_suffix)


def episode(env: BuildEnvironment, docname: str, part: str = "") -> Episode | None:
    """The episode on page ``docname``, or None if that page is not an episode."""
    fields = episode_fields(env.metadata.get(docname, {}))
    if fields is None:
        return None
    return Episode(
        docname=docname,
        title=env.titles[docname].astext(),
        teaching=fields["teaching"],
        exercises=fields["exercises"],
        questions=tuple(fields["questions"]),
        objectives=tuple(fields["objectives"]),
        keypoints=tuple(fields["keypoints"]),
        part=part,
        optional=fields["optional"],
        builds_on=tuple(sibling(docname, name) for name in fields[BUILDS_ON]),
    )


def episodes(env: BuildEnvironment) -> list[Episode]:
    """The book's episodes, in the order of the table of contents."""
    parts = page_parts(env)
    found = (
        episode(env, docname, parts.get(docname, ""))
        for docname in page_order(env)
        if docname in env.titles
    )
    return [item for item in found if item is not None]
