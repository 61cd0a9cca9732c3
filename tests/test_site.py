"""Tests of the book's Sphinx extensions in ``_ext/``.

The pure functions are tested directly; the directives, the gathering of
instructor notes and the learner notebooks are tested by building a small
book of four pages with Sphinx (no notebook is executed).
"""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest
from docutils import nodes
from docutils.core import publish_doctree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))

import episode_pages as pages  # noqa: E402
import learner_notebooks as learner  # noqa: E402
import repository_links  # noqa: E402
import site_fixes  # noqa: E402
from episode_pages import Episode  # noqa: E402

# ------------------------------------------------------------ order and time


def test_toc_order_is_depth_first_in_toctree_order():
    includes = {"intro": ["setup", "a", "ref"], "a": ["a1", "a2"], "ref": ["glossary"]}
    assert pages.toc_order("intro", includes) == [
        "intro", "setup", "a", "a1", "a2", "ref", "glossary"
    ]


def test_toc_order_visits_each_page_once():
    assert pages.toc_order("a", {"a": ["b", "c"], "b": ["a", "c"]}) == ["a", "b", "c"]


@pytest.mark.parametrize(("text", "minutes"), [("09:00", 540), ("9:05", 545), ("00:00", 0), ("23:59", 1439)])
def test_parse_clock(text, minutes):
    assert pages.parse_clock(text) == minutes


@pytest.mark.parametrize("text", ["9", "24:00", "12:60", "9.30", "", "nine"])
def test_parse_clock_rejects_bad_times(text):
    with pytest.raises(ValueError, match="HH:MM"):
        pages.parse_clock(text)


def test_format_clock_and_duration():
    assert pages.format_clock(545) == "09:05"
    assert pages.format_clock(1500) == "25:00"
    assert [pages.format_duration(m) for m in (45, 60, 65, 370)] == [
        "45 min", "1 h", "1 h 5 min", "6 h 10 min"
    ]
    for function in (pages.format_clock, pages.format_duration):
        with pytest.raises(ValueError, match="minutes"):
            function(-1)


def _episode(name: str, teaching: int, exercises: int) -> Episode:
    return Episode(f"lessons/{name}", name.title(), teaching, exercises, ())


EPISODES = [_episode("a", 30, 20), _episode("b", 20, 10), _episode("c", 40, 30), _episode("d", 10, 5)]


def test_plan_schedule_without_breaks_adds_up_the_minutes():
    slots = pages.plan_schedule(EPISODES, start=540)
    assert [(s.start, s.minutes, s.episode.docname) for s in slots] == [
        (540, 50, "lessons/a"), (590, 30, "lessons/b"), (620, 70, "lessons/c"), (690, 15, "lessons/d")
    ]


def test_plan_schedule_puts_a_break_before_an_episode_that_would_overrun():
    slots = pages.plan_schedule(EPISODES, start=540, break_every=90, break_minutes=15)
    rows = [(pages.format_clock(s.start), s.episode.docname if s.episode else "break") for s in slots]
    # a + b = 80 min; c would make 150 > 90, so a break first; c + d = 85 <= 90.
    assert rows == [
        ("09:00", "lessons/a"), ("09:50", "lessons/b"), ("10:20", "break"),
        ("10:35", "lessons/c"), ("11:45", "lessons/d"),
    ]


def test_plan_schedule_gives_a_long_episode_a_block_of_its_own():
    long = [_episode("a", 60, 60), _episode("b", 60, 60)]
    slots = pages.plan_schedule(long, start=0, break_every=90)
    assert [s.episode.docname if s.episode else "break" for s in slots] == [
        "lessons/a", "break", "lessons/b"
    ]


@pytest.mark.parametrize(("every", "length"), [(0, 15), (-5, 15), (90, 0)])
def test_plan_schedule_rejects_bad_breaks(every, length):
    with pytest.raises(ValueError, match="break"):
        pages.plan_schedule(EPISODES, 540, every, length)


def test_collect_notes_copies_instructor_admonitions_with_their_sections():
    doctree = publish_doctree(
        "Title\n=====\n\n.. admonition:: Top note\n   :class: instructor\n\n   Early.\n\n"
        "Training\n--------\n\n.. note:: Not for instructors.\n\n"
        ".. admonition:: Instructor note\n   :class: instructor\n\n   Live-code it.\n",
        settings_overrides={"doctitle_xform": False},  # as in Sphinx
    )
    notes = pages.collect_notes(doctree)
    assert [(n.section_title, n.anchor) for n in notes] == [("Title", ""), ("Training", "training")]
    assert notes[1].admonition.astext() == "Instructor note\n\nLive-code it."
    assert notes[1].admonition.parent is None  # a copy, not the episode's node


def test_collect_notes_outside_any_section_link_to_the_page():
    doctree = publish_doctree(".. admonition:: Note\n   :class: instructor\n\n   Text.\n")
    assert [(n.section_title, n.anchor) for n in pages.collect_notes(doctree)] == [("", "")]


# --------------------------------------------------------- learner notebooks


KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}


def _notebook(*cells: tuple[str, str]) -> nbformat.NotebookNode:
    made = [
        nbformat.v4.new_markdown_cell(text) if kind == "md" else nbformat.v4.new_code_cell(text)
        for kind, text in cells
    ]
    return nbformat.v4.new_notebook(cells=made, metadata={"kernelspec": KERNEL})


def _cells(notebook: nbformat.NotebookNode) -> list[tuple[str, str]]:
    return [("md" if c.cell_type == "markdown" else "code", c.source) for c in notebook.cells]


def test_strip_solutions_removes_gated_solutions_with_their_code_cells():
    notebook = _notebook(
        ("code", "x = 1"),
        ("md", ":::{exercise-start}\n:label: ex-one\n:::\n\nDouble `x`.\n\n"
               ":::{exercise-end}\n:::\n\n:::{solution-start} ex-one\n:class: dropdown\n:::\n\n"
               "Multiply by two."),
        ("code", "x * 2"),
        ("md", "It prints 2.\n\n:::{solution-end}\n:::\n\nThe end, with a {term}`stride`."),
    )
    assert _cells(learner.strip_solutions(notebook)) == [
        ("code", "x = 1"),
        ("md", "### Exercise\n\nDouble `x`."),
        ("code", ""),
        ("md", "The end, with a stride."),
    ]


def test_strip_solutions_handles_plain_solutions_and_backtick_fences():
    notebook = _notebook(
        ("md", "Before.\n\n````{solution} ex\n:class: dropdown\n\n```python\ny = 2\n```\n"
               "Explained.\n````\n\nAfter, see {term}`feature maps <feature map>`.\n\n"
               "```{solution-start} ex2\n```\nGone.\n```{solution-end}\n```"),
    )
    assert _cells(learner.strip_solutions(notebook)) == [
        ("md", "Before."),
        ("code", ""),
        ("md", "After, see feature maps."),
        ("code", ""),
    ]


def test_strip_solutions_leaves_out_instructor_notes():
    notebook = _notebook(
        ("md", "Text.\n\n:::{admonition} Instructor note\n:class: tip instructor\n\n"
               "Live-code it.\n:::\n\n:::{admonition} For everyone\n:class: tip\n\nKept.\n:::"),
    )
    assert _cells(learner.strip_solutions(notebook)) == [
        ("md", "Text.\n\n:::{admonition} For everyone\n:class: tip\n\nKept.\n:::")
    ]


def test_strip_solutions_keeps_everything_else_and_the_metadata():
    notebook = _notebook(("md", "# Text\n\n```{note}\nKept.\n```"), ("code", "print(1)"))
    notebook.metadata["jupytext"] = {"text_representation": {}}
    stripped = learner.strip_solutions(notebook)
    assert _cells(stripped) == _cells(notebook)
    assert stripped.metadata == {"kernelspec": KERNEL}


@pytest.mark.parametrize(
    "cells",
    [
        (("md", ":::{solution-start} a\n:::\nNo end."), ("code", "1")),
        (("md", ":::{solution-end}\n:::"),),
        (("md", "```{solution} a\nnever closed"),),
    ],
)
def test_strip_solutions_rejects_unbalanced_markers(cells):
    with pytest.raises(ValueError, match="solution|never closed"):
        learner.strip_solutions(_notebook(*cells))


def test_drop_hidden_checks_keeps_the_install_cell_and_visible_cells():
    install = nbformat.v4.new_code_cell(
        'try:\n    import cnn_lesson\nexcept ImportError:\n    %pip install "cnn-lesson @ x"',
        metadata={"tags": ["remove-cell"]},
    )
    check = nbformat.v4.new_code_cell("assert answer == 2", metadata={"tags": ["remove-cell"]})
    quiet = nbformat.v4.new_code_cell("import os", metadata={"tags": ["remove-stderr"]})
    notebook = _notebook(("md", "Text."))
    notebook.cells += [install, quiet, check]
    kept = learner.drop_hidden_checks(notebook)
    assert [cell.source for cell in kept.cells] == ["Text.", install.source, "import os"]
    assert len(notebook.cells) == 4  # the original is left alone


def test_the_mnist_learner_notebook_has_no_solutions_left():
    source = ROOT / "lessons" / "mnist-exercise.md"
    full = jupytext.read(source, fmt="md:myst")
    notebook = learner.learner_notebook(source, "The MNIST exercise")
    text = "\n".join(cell.source for cell in notebook.cells)
    assert notebook.cells[0].source.startswith("# The MNIST exercise\n\nThis is the learner version")
    assert "%pip install" in notebook.cells[2].source  # Colab needs the install cell
    for removed in ("np.fill_diagonal", "x_test[:1]", "260 parameters", ":class: instructor",
                    "assert test_accuracy >= 0.985"):
        assert removed in "\n".join(c.source for c in full.cells)
        assert removed not in text
    assert "Which pair of digits does the model confuse most often?" in text
    assert "{solution" not in text and "{term}" not in text and "{exercise" not in text
    assert text.count("### Exercise") == 3
    empty = [cell for cell in notebook.cells if cell.cell_type == "code" and not cell.source]
    assert len(empty) == 3
    nbformat.validate(notebook)


def test_learner_path():
    assert learner.learner_path("lessons/pooling") == "_static/learner/pooling.ipynb"


# ------------------------------------------------------ repository and scripts


def test_repository_substitutions():
    found = repository_links.repository_substitutions("https://github.com/o/lesson/", "main")
    assert found["repository_url"] == "https://github.com/o/lesson"
    assert found["repository_link"] == "[github.com/o/lesson](https://github.com/o/lesson)"
    assert "https://github.com/o/lesson/archive/refs/heads/main.zip" in found["repository_zip"]
    assert found["clone_commands"] == (
        "```bash\ngit clone https://github.com/o/lesson.git\ncd lesson\ngit switch main\n```"
    )


@pytest.mark.parametrize(
    ("url", "branch"),
    [("https://gitlab.com/o/r", "main"), ("https://github.com/o", "main"), ("https://github.com/o/r", "")],
)
def test_repository_substitutions_reject_bad_config(url, branch):
    with pytest.raises(ValueError, match="repository"):
        repository_links.repository_substitutions(url, branch)


def test_a_notebook_page_depends_on_its_paired_ipynb():
    from types import SimpleNamespace

    noted: list[str] = []
    env = SimpleNamespace(
        docname="lessons/one",
        metadata={"lessons/one": {"kernelspec": "{}"}, "pages/glossary": {}},
        doc2path=lambda docname: f"/book/{docname}.md",
        note_dependency=noted.append,
    )
    repository_links._depend_on_pair(SimpleNamespace(env=env), None)
    env.docname = "pages/glossary"  # not a notebook: no pair
    repository_links._depend_on_pair(SimpleNamespace(env=env), None)
    assert noted == ["/book/lessons/one.ipynb"]


class _Script:
    def __init__(self, filename, priority=500, **attributes):
        self.filename, self.priority, self.attributes = filename, priority, attributes


def test_unique_scripts_drops_an_inline_script_registered_twice():
    thebe = {"body": "const THEBE_JS_URL = 'x'"}
    scripts = [
        _Script("doctools.js"),
        _Script(None, **thebe),
        _Script("sphinx-thebe.js", **{"async": "async"}),
        _Script("", **thebe),
        _Script("doctools.js"),
        _Script(None, **{"body": "var other = 1"}),
    ]
    kept = site_fixes.unique_scripts(scripts)
    assert kept == [scripts[0], scripts[1], scripts[2], scripts[5]]


# ------------------------------------------------------------ a small book

HEADER = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
title: "{title}"
{fields}---
"""

EPISODE_ONE = HEADER.format(
    title="Episode one",
    fields='teaching: 20\nexercises: 15\nkeypoints:\n  - "Point `one`."\n  - "Point two."\n',
) + """
## Start

:::{admonition} Instructor note
:class: instructor

Live-code the {term}`stride`.
:::

```{code-cell} ipython3
x = 1
```

:::{exercise-start}
:label: one-ex
:::

Double it.

:::{exercise-end}
:::

:::{solution-start} one-ex
:class: dropdown
:::

```{code-cell} ipython3
x * 2
```

:::{solution-end}
:::
"""

EPISODE_TWO = HEADER.format(
    title="Episode two", fields="teaching: 50\nexercises: 40\nkeypoints: []\n"
) + "\nNo notes here, but a formula:\n\n$$y = x + 1$$\n"

INDEX = """\
# A small book

```{schedule}
:compact:
```

```{toctree}
:hidden:
setup
lessons/two
lessons/one
glossary
schedule
```
"""

SETUP = "# Setup\n\nNot an episode.\n\n```{learner-notebooks}\n```\n"
GLOSSARY = "# Glossary\n\n```{glossary}\nstride\n  The step.\n```\n"
SCHEDULE = """\
# Schedule

```{schedule}
:start: 13:30
:break-every: 90
:break-minutes: 10
```

```{all-keypoints}
```

## Notes

```{instructor-notes}
```
"""


EXTENSIONS = ["myst_nb", "sphinx_exercise", "episodes", "episode_pages", "learner_notebooks",
              "site_fixes"]


def build_small_book(source: Path, fresh: bool) -> Path:
    """Build the small book in ``source`` (writing it first if ``fresh``); its HTML folder."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace

    if fresh:
        (source / "lessons").mkdir(parents=True)
        for name, text in {
            "index.md": INDEX, "setup.md": SETUP, "glossary.md": GLOSSARY,
            "schedule.md": SCHEDULE, "lessons/one.md": EPISODE_ONE,
            "lessons/two.md": EPISODE_TWO,
        }.items():
            (source / name).write_text(text, encoding="utf-8")
        (source / "conf.py").write_text("")
    out = source / "_build"
    warnings = io.StringIO()
    with docutils_namespace():  # each build registers its directives afresh
        app = Sphinx(
            str(source), str(source), str(out / "html"), str(out / "doctrees"), "html",
            confoverrides={
                "extensions": EXTENSIONS,
                "nb_execution_mode": "off",
                "myst_enable_extensions": ["colon_fence", "dollarmath"],
                "myst_title_to_header": True,
                "exclude_patterns": ["_build"],
                "nitpicky": True,
                "mathjax_path": "mathjax/tex-mml-chtml.js",
            },
            status=io.StringIO(), warning=warnings, warningiserror=True, freshenv=fresh,
        )
        app.build()
    assert warnings.getvalue() == ""
    return out / "html"


@pytest.fixture(scope="module")
def small_book(tmp_path_factory):
    """A small book (index, setup, glossary, schedule, two episodes), built once."""
    return build_small_book(tmp_path_factory.mktemp("book"), fresh=True)


def _body(html: Path, page: str) -> str:
    return (html / page).read_text(encoding="utf-8")


def test_schedule_table_follows_the_toctree_and_skips_other_pages(small_book):
    text = _body(small_book, "schedule.html")
    two, one = text.index("Episode two"), text.index("Episode one")
    assert two < one  # the toctree's order, not the file names'
    assert "Setup" not in text.split("<table")[1].split("</table>")[0]
    # two (90 min) at 13:30, a 10-minute break at 15:00, one (35 min) at 15:10, finish.
    rows = [row.split("</td>")[:2] for row in text.split("<tr ")[2:]]
    rows = [[row[0].split(">", 1)[1], row[1]] for row in rows]
    cells = [[re.sub(r"<[^>]+>|\s", "", cell) for cell in row] for row in rows]
    assert [(clock, name) for clock, name in cells] == [
        ("13:30", "Episodetwo"), ("15:00", "Break"), ("15:10", "Episodeone"), ("15:45", "Finish")
    ]
    assert "2 episodes: 2 h 5 min in all, 1 h 10 min of teaching and 55 min of exercises, " \
           "plus 10 min of breaks." in text
    assert 'href="lessons/two.html"' in text


def test_compact_schedule_on_the_index(small_book):
    text = _body(small_book, "index.html")
    assert "Episode two</a> (90 min: 50 teaching, 40 exercises)" in text
    assert "Episode one</a> (35 min: 20 teaching, 15 exercises)" in text
    assert "2 episodes: 2 h 5 min in all" in text


def test_keypoints_page_lists_each_episode_under_a_link(small_book):
    text = _body(small_book, "schedule.html")
    block = text[text.index('href="lessons/one.html">Episode one</a></p>', text.index("</table>")):]
    assert "<code class=\"docutils literal notranslate\"><span class=\"pre\">one</span></code>" in block
    assert "Point two." in block
    assert "This episode lists no key points." in text


def test_instructor_notes_are_gathered_with_links_and_timing(small_book):
    text = _body(small_book, "schedule.html")
    notes = text[text.index('<section id="notes">'):]
    notes = notes[: notes.index("</section>")]
    assert notes.index("Episode two") < notes.index("Episode one")
    assert "Setup" not in notes  # not an episode, and no notes
    assert '<div class="instructor admonition">' in notes and "Live-code the" in notes
    assert 'href="lessons/one.html#start">Start</a>' in text
    assert "20 min teaching, 15 min exercises (35 min in all)." in text
    assert "This episode has no instructor notes." in text
    # The {term} link inside the copied note resolves from this page.
    assert 'href="glossary.html#term-stride"' in notes


def test_episode_pages_show_the_note_and_the_learner_notebook_link(small_book):
    text = _body(small_book, "lessons/one.html")
    assert '<div class="instructor admonition">' in text
    assert 'href="../_static/learner/one.ipynb"' in text
    assert 'href="../glossary.html#term-stride"' in text


def test_learner_notebooks_are_written_and_listed(small_book):
    written = sorted(path.name for path in (small_book / "_static" / "learner").iterdir())
    assert written == ["one.ipynb", "two.ipynb"]
    notebook = nbformat.read(small_book / "_static" / "learner" / "one.ipynb", as_version=4)
    sources = [cell.source for cell in notebook.cells]
    assert "x * 2" not in sources and "x = 1" in sources and "" in sources
    listing = _body(small_book, "setup.html")
    assert listing.index("_static/learner/two.ipynb") < listing.index("_static/learner/one.ipynb")
    assert "download" in listing


def test_mathjax_is_served_from_the_book(small_book):
    text = _body(small_book, "lessons/two.html")
    assert 'src="../_static/mathjax/tex-mml-chtml.js' in text
    assert "cdn.jsdelivr" not in text
    fonts = small_book / "_static" / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2"
    assert (small_book / "_static" / "mathjax" / "tex-mml-chtml.js").is_file()
    assert any(fonts.glob("*.woff"))


@pytest.mark.parametrize(
    ("path", "folder"),
    [("mathjax/tex-mml-chtml.js", "mathjax"), ("https://cdn.example/mathjax.js", None),
     ("//cdn.example/tex.js", None)],
)
def test_local_mathjax_folder(path, folder):
    assert site_fixes.local_mathjax_folder(path) == folder


@pytest.mark.parametrize("path", ["tex-mml-chtml.js", "../mathjax/tex.js", "a/b/tex.js"])
def test_local_mathjax_folder_rejects_other_paths(path):
    with pytest.raises(ValueError, match="mathjax_path"):
        site_fixes.local_mathjax_folder(path)


def test_the_books_mathjax_path_is_local():
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert site_fixes.local_mathjax_folder(config["sphinx"]["config"]["mathjax_path"]) == "mathjax"
    assert (site_fixes.mathjax_files() / "tex-mml-chtml.js").is_file()


def test_redirect_page():
    page = site_fixes.redirect_page("intro.html", "A <book>", "_static/favicon.svg")
    assert '<meta http-equiv="Refresh" content="0; url=intro.html">' in page
    assert '<link rel="icon" href="_static/favicon.svg">' in page
    assert '<a href="intro.html">A &lt;book&gt;</a>' in page
    assert "rel=\"icon\"" not in site_fixes.redirect_page("intro.html", "Book", None)


def test_index_html_redirects_to_the_root_page_and_names_the_favicon(tmp_path):
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace

    (tmp_path / "start.rst").write_text("Start\n=====\n\nHello.\n")
    (tmp_path / "icon.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (tmp_path / "conf.py").write_text("")
    with docutils_namespace():
        app = Sphinx(
            str(tmp_path), str(tmp_path), str(tmp_path / "out"), str(tmp_path / "doctrees"),
            "html",
            confoverrides={"extensions": ["site_fixes"], "root_doc": "start",
                           "html_favicon": "icon.svg", "project": "Tiny",
                           "exclude_patterns": ["out", "doctrees"]},
            status=io.StringIO(), warning=io.StringIO(), warningiserror=True, freshenv=True,
        )
        app.build()
    page = (tmp_path / "out" / "index.html").read_text()
    assert 'content="0; url=start.html"' in page
    assert '<link rel="icon" href="_static/icon.svg">' in page
    assert (tmp_path / "out" / "_static" / "icon.svg").is_file()


def test_a_changed_episode_updates_the_gathered_pages(tmp_path):
    """An incremental build re-writes the summary pages when an episode changes."""
    html = build_small_book(tmp_path, fresh=True)
    assert "Episode two</a> (90 min: 50 teaching, 40 exercises)" in _body(html, "index.html")
    episode = tmp_path / "lessons" / "two.md"
    episode.write_text(episode.read_text().replace("teaching: 50", "teaching: 55"))
    build_small_book(tmp_path, fresh=False)
    assert "Episode two</a> (95 min: 55 teaching, 40 exercises)" in _body(html, "index.html")
    assert "1 h 15 min of teaching" in _body(html, "schedule.html")


def test_the_books_config_loads_every_extension():
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    extensions = config["sphinx"]["local_extensions"]
    assert set(extensions) == {
        "episodes", "episode_pages", "learner_notebooks", "repository_links", "site_fixes"
    }
    assert all((ROOT / path / f"{name}.py").exists() for name, path in extensions.items())
    assert json.dumps(config["sphinx"]["config"]["html_context"]) == '{"default_mode": "light"}'
