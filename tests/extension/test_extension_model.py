"""Tests of ``lesson_book.model``: which pages are episodes, their fields and their order."""

from __future__ import annotations

import pytest
from sphinx_external_toc.api import SiteMap
from sphinx_external_toc.parsing import parse_toc_yaml

from lesson_book import model


def test_toc_order_is_depth_first_in_toctree_order():
    includes = {"intro": ["setup", "a", "ref"], "a": ["a1", "a2"], "ref": ["glossary"]}
    assert model.toc_order("intro", includes) == [
        "intro", "setup", "a", "a1", "a2", "ref", "glossary"
    ]


def test_toc_order_visits_each_page_once():
    assert model.toc_order("a", {"a": ["b", "c"], "b": ["a", "c"]}) == ["a", "b", "c"]


def test_episode_fields_reads_the_front_matter_as_myst_stores_it():
    metadata = {"teaching": "20", "exercises": 15, "keypoints": '["One.", "Two."]', "title": "T"}
    assert model.episode_fields(metadata) == {
        "teaching": 20, "exercises": 15, "questions": [], "objectives": [],
        "keypoints": ["One.", "Two."], "optional": False, "builds-on": [],
    }
    assert model.episode_fields({**metadata, "optional": "true"})["optional"] is True
    assert model.episode_fields({**metadata, "optional": False})["optional"] is False
    with pytest.raises(ValueError, match="front matter 'optional' must be true or false, got 'sometimes'"):
        model.episode_fields({**metadata, "optional": "sometimes"})
    assert model.episode_fields({**metadata, "builds-on": '["pooling"]'})["builds-on"] == ["pooling"]
    for bad in ('"pooling"', '["lessons/pooling"]', '["pooling.md"]', '[""]'):
        with pytest.raises(ValueError, match="front matter 'builds-on' must be a list of episode names"):
            model.episode_fields({**metadata, "builds-on": bad})


def test_sibling_is_the_page_of_that_name_in_the_same_folder():
    assert model.sibling("lessons/final-model", "pooling") == "lessons/pooling"
    assert model.sibling("intro", "setup") == "setup"
    assert model.episode_fields({"title": "Glossary", "kernelspec": "{}"}) is None


@pytest.mark.parametrize(
    ("metadata", "field"),
    [({"teaching": "20"}, "exercises"), ({"teaching": "x", "exercises": 5}, "teaching"),
     ({"teaching": 1, "exercises": 1, "questions": '"one"'}, "questions"),
     ({"teaching": 1, "exercises": 1, "keypoints": "[1]"}, "keypoints")],
)
def test_episode_fields_names_a_malformed_field(metadata, field):
    with pytest.raises(ValueError, match=f"'{field}'"):
        model.episode_fields(metadata)


def test_an_episode_adds_up_its_minutes():
    assert model.Episode("lessons/a", "A", teaching=20, exercises=15).minutes == 35


def test_site_map_includes_drops_the_source_suffixes(tmp_path):
    toc = tmp_path / "_toc.yml"
    toc.write_text("format: jb-book\nroot: intro\nchapters:\n  - file: a.md\n  - file: b\n"
                   "    sections:\n      - file: b/one.md\n")
    includes = model.site_map_includes(parse_toc_yaml(toc), [".md", ".ipynb"])
    assert includes == {"intro": ["a", "b"], "a": [], "b": ["b/one"], "b/one": []}


def test_the_order_comes_from_the_site_map_of_toc_yml(app, small_book):
    assert isinstance(app.env.external_site_map, SiteMap)
    assert model.page_order(app.env) == [
        "index", "setup", "lessons/two", "lessons/one", "glossary", "schedule"
    ]
    assert model.episodes(app.env) == [
        model.Episode("lessons/two", "Episode two", 50, 40),
        model.Episode("lessons/one", "Episode one", 20, 15, questions=("Why `one`?",),
                      keypoints=("Point `one`.", "Point two."), builds_on=("lessons/two",)),
    ]


def test_without_a_site_map_the_order_comes_from_the_toctrees(app, small_book):
    site_map = app.env.external_site_map
    del app.env.external_site_map
    try:
        assert model.page_order(app.env) == [
            "index", "setup", "lessons/two", "lessons/one", "glossary", "schedule"
        ]
    finally:
        app.env.external_site_map = site_map


def test_site_map_parts_gives_each_page_the_caption_of_its_part(tmp_path):
    toc = tmp_path / "_toc.yml"
    toc.write_text(
        "format: jb-book\nroot: intro\nparts:\n"
        "  - caption: Episodes\n    chapters:\n      - file: a.md\n      - file: b\n"
        "        sections:\n          - file: b/one.md\n"
        "  - caption: Going further\n    chapters:\n      - file: c\n"
        "  - chapters:\n      - file: d\n"
    )
    parts = model.site_map_parts(parse_toc_yaml(toc), [".md"])
    assert parts == {
        "intro": "", "a": "Episodes", "b": "Episodes", "b/one": "Episodes",
        "c": "Going further", "d": "",
    }


def test_episodes_carry_their_part(app, workshop_book):
    assert [(e.docname, e.part) for e in model.episodes(app.env)] == [
        ("lessons/first", "Episodes"), ("lessons/second", "Episodes"),
        ("lessons/third", "Going further"),
    ]
