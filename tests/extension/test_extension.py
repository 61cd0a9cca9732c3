"""Tests of ``lesson_book.extension`` (its ``__init__``): one entry of ``_config.yml`` loads the whole extension."""

from __future__ import annotations

import json

import yaml
from sphinx.util.docutils import is_directive_registered

from lesson_book import extension
from lesson_book.book import ROOT


def test_the_books_config_loads_the_extension_by_name_once():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert "local_extensions" not in config["sphinx"]
    assert config["sphinx"]["extra_extensions"] == ["sphinx_exercise", "lesson_book.extension"]
    assert hasattr(extension, "setup")
    # The colour mode follows the reader's system; the browser test audits both modes.
    assert json.dumps(config["sphinx"]["config"]["html_context"]) == '{"default_mode": "auto"}'


def test_setup_registers_every_part(app, small_book):
    for directive in ("schedule", "all-keypoints", "instructor-notes", "learner-notebooks", "episode-timing"):
        assert is_directive_registered(directive), directive
    listeners = {
        event: {listener.handler.__module__ for listener in app.events.listeners[event]}
        for event in ("doctree-read", "build-finished", "html-page-context", "config-inited")
    }
    assert {"lesson_book.extension.boxes", "lesson_book.extension.instructor", "lesson_book.extension.links", "lesson_book.extension.timing"} <= listeners["doctree-read"]
    assert {"lesson_book.extension.downloads", "lesson_book.extension.workarounds"} <= listeners["build-finished"]
    assert "lesson_book.extension.workarounds" in listeners["html-page-context"]
    assert "lesson_book.extension.links" in listeners["config-inited"]
    assert ("episodes.css", {"priority": 500}) in app.registry.css_files
    assert ("instructor-view.css", {"priority": 500}) in app.registry.css_files
    assert ("instructor-view.js", {"priority": 500}) in app.registry.js_files
    assert "lesson_book.extension.workarounds" in {
        listener.handler.__module__ for listener in app.events.listeners["env-get-updated"]
    }
