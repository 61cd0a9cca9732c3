"""The tooling package's shape: its layers (import-linter), the extension's depth, short modules that say what they hold, no path tricks."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from importlib.metadata import entry_points
from pathlib import Path

import grimp
import pytest

import lesson_book
from lesson_book.book import ROOT

PACKAGE = Path(lesson_book.__file__).parent
MODULES = sorted(PACKAGE.rglob("*.py"))
#: The longest a module may grow (CONTRIBUTING: "modules under ~400 lines").
MAX_LINES = 450
#: How many layers of the tooling an import chain from the extension may pass through, its own included.
MAX_EXTENSION_DEPTH = 4


def test_the_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "3 kept, 0 broken" in done.stdout


def _layers() -> list[set[str]]:
    """The layers of ``pyproject.toml``'s contract, highest first, each a set of module names."""
    with open(ROOT / "pyproject.toml", "rb") as file:
        contracts = tomllib.load(file)["tool"]["importlinter"]["contracts"]
    layers = next(contract["layers"] for contract in contracts if contract["type"] == "layers")
    return [{part.strip() for part in layer.split("|")} for layer in layers]


def test_the_layers_contract_names_every_part_of_the_package():
    named = set().union(*_layers())
    parts = {
        f"lesson_book.{path.stem if path.is_file() else path.name}"
        for path in PACKAGE.iterdir()
        if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").is_file()
    }
    assert parts == named


def _floor(module: str) -> int:
    """The index of ``module``'s layer, highest first."""
    return next(
        index for index, layer in enumerate(_layers())
        if any(module == part or module.startswith(part + ".") for part in layer)
    )


def _floors_below(graph: grimp.ImportGraph, module: str, seen: tuple[str, ...] = ()) -> int:
    """How many layers the longest chain of imports from ``module`` passes through, its own included."""
    below = [
        imported for imported in graph.find_modules_directly_imported_by(module)
        if imported.startswith("lesson_book.") and imported not in seen
    ]
    deepest = 1
    for imported in below:
        step = 0 if _floor(imported) == _floor(module) else 1
        deepest = max(deepest, step + _floors_below(graph, imported, seen + (module,)))
    return deepest


def test_the_extension_stands_on_at_most_four_floors_of_imports():
    graph = grimp.build_graph("lesson_book")
    floors = {
        module: _floors_below(graph, module)
        for module in graph.find_children("lesson_book.extension") | {"lesson_book.extension"}
    }
    assert max(floors.values()) <= MAX_EXTENSION_DEPTH, floors


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.relative_to(PACKAGE).as_posix())
def test_each_module_says_in_its_first_line_what_it_holds_and_stays_short(path):
    text = path.read_text(encoding="utf-8")
    docstring = ast.get_docstring(ast.parse(text))
    assert docstring and len(docstring.splitlines()[0]) > 20, "a first line that says what the module holds"
    assert len(text.splitlines()) <= MAX_LINES


def _edits_sys_path(tree: ast.AST) -> bool:
    return any(
        isinstance(node, ast.Attribute) and node.attr == "path"
        and isinstance(node.value, ast.Name) and node.value.id == "sys"
        and isinstance(parent, ast.Attribute) and parent.attr in ("insert", "append", "extend")
        for parent in ast.walk(tree) if isinstance(parent, ast.Attribute)
        for node in [parent.value]
    )


def test_nothing_edits_sys_path_and_pytest_needs_no_pythonpath():
    sources = [*MODULES, *(ROOT / "tests").rglob("*.py"), *(ROOT / "src").rglob("*.py")]
    editing = [path for path in sources if _edits_sys_path(ast.parse(path.read_text(encoding="utf-8")))]
    assert editing == []
    with open(ROOT / "pyproject.toml", "rb") as file:
        options = tomllib.load(file)["tool"]["pytest"]["ini_options"]
    assert "pythonpath" not in options
    assert not (ROOT / "conftest.py").exists()
    assert not (ROOT / "scripts").exists() and not (ROOT / "_ext").exists()


def test_the_sys_path_check_finds_an_edit():
    assert _edits_sys_path(ast.parse("import sys\nsys.path.insert(0, 'x')"))
    assert not _edits_sys_path(ast.parse("import sys\nprint(sys.path)"))


def test_pytest_loads_the_plugin_through_the_packages_entry_point():
    plugins = {entry.name: entry.value for entry in entry_points(group="pytest11")}
    assert plugins["lesson_book"] == "lesson_book.pytest_plugin"


def test_every_console_script_names_a_main_that_exists():
    with open(ROOT / "tools" / "pyproject.toml", "rb") as file:
        scripts = tomllib.load(file)["project"]["scripts"]
    for name, target in scripts.items():
        module, function = target.split(":")
        assert callable(getattr(__import__(module, fromlist=[function]), function)), name
