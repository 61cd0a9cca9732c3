"""Tests of the package ``lesson_book`` (its ``__init__``): one entry loads the whole extension."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
import yaml
from sphinx.util.docutils import is_directive_registered

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "_ext" / "lesson_book"


def test_the_books_config_loads_the_extension_once():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["sphinx"]["local_extensions"] == {"lesson_book": "_ext"}
    assert config["sphinx"]["extra_extensions"] == ["sphinx_exercise"]
    assert (PACKAGE / "__init__.py").is_file()
    # The colour mode follows the reader's system; the browser test audits both modes.
    assert json.dumps(config["sphinx"]["config"]["html_context"]) == '{"default_mode": "auto"}'


def _imports(path: Path) -> set[tuple[str, str]]:
    """``(module, name)`` for each ``from lesson_book.module import name`` in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        (node.module, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("lesson_book")
        for alias in node.names
    }


def test_the_modules_import_no_private_names_and_stay_short():
    for path in PACKAGE.glob("*.py"):
        assert not [name for _, name in _imports(path) if name.startswith("_")], path.name
        assert len(path.read_text().splitlines()) < 500, path.name


def test_the_modules_do_not_import_each_other_in_a_circle():
    graph = {
        path.stem: {
            name if module == "lesson_book" else module.split(".", 1)[1]
            for module, name in _imports(path)
        }
        for path in PACKAGE.glob("*.py")
        if path.stem != "__init__"
    }
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, " -> ".join(path + (module,))
        if module not in done:
            for imported in graph[module]:
                visit(imported, path + (module,))
            done.add(module)

    for module in graph:
        visit(module, ())
    assert graph["model"] == set()  # the model depends on no other part
    assert graph["instructor"] == set()  # the instructor view stands alone
    assert graph["schedule"] == {"model"}  # the timetable is pure arithmetic on episodes
    assert graph["timing"] == {"boxes", "instructor", "model"}
    assert graph["pages"] == {"boxes", "instructor", "learner", "model", "schedule", "timing"}


def test_setup_registers_every_part(app, small_book):
    for directive in ("schedule", "all-keypoints", "instructor-notes", "learner-notebooks", "episode-timing"):
        assert is_directive_registered(directive), directive
    listeners = {
        event: {listener.handler.__module__ for listener in app.events.listeners[event]}
        for event in ("doctree-read", "build-finished", "html-page-context", "config-inited")
    }
    assert {"lesson_book.boxes", "lesson_book.instructor", "lesson_book.links", "lesson_book.timing"} <= listeners["doctree-read"]
    assert {"lesson_book.learner", "lesson_book.workarounds"} <= listeners["build-finished"]
    assert "lesson_book.workarounds" in listeners["html-page-context"]
    assert "lesson_book.links" in listeners["config-inited"]
    assert ("episodes.css", {"priority": 500}) in app.registry.css_files
    assert ("instructor-view.css", {"priority": 500}) in app.registry.css_files
    assert ("instructor-view.js", {"priority": 500}) in app.registry.js_files
    assert "lesson_book.workarounds" in {
        listener.handler.__module__ for listener in app.events.listeners["env-get-updated"]
    }
