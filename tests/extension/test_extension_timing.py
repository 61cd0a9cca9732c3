"""Tests of ``lesson_book.extension.timing``: an episode's minutes computed from its material, and the check of the front matter.

The rule's arithmetic is tested directly; the measuring and the check by
building a copy of the small book (tests/roots/test-small-book) with an
episode whose exercises are of every kind.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest

from lesson_book import learner
from lesson_book.extension import timing
from lesson_book.extension.timing import Material
from lesson_book.learner import convert


@pytest.mark.parametrize(("minutes", "rounded"), [(0, 0), (2.4, 0), (2.5, 5), (7.4, 5), (7.5, 10), (32.3, 30)])
def test_round_to_five(minutes, rounded):
    assert timing.round_to_five(minutes) == rounded


def test_round_to_five_rejects_negative_minutes():
    with pytest.raises(ValueError, match="minutes must be >= 0, got -1"):
        timing.round_to_five(-1)


def test_the_rule_as_the_instructor_notes_state_it():
    # 131 typed lines (26.2 min), 893 words (4.5 min), a 50 s run (1 min): 31.7, so 30.
    assert Material(typed_lines=131, words=893, run_s=50).teaching == 30
    # A run of 200 s counts 4 minutes: 35.7, so 35.  Not run: 1 minute, as at least.
    assert Material(typed_lines=131, words=893, run_s=200).teaching == 35
    assert Material(typed_lines=131, words=893).teaching == 30
    found = Material(exercises=["multiple-choice", "prediction", "code", "training", "comparison"])
    assert found.exercise_minutes == timing.round_to_five(4 + 5 + 10 + 15 + 20) == 55
    assert found.minutes == 0 + 55  # teaching: nothing but the one minute of running, rounded down


@pytest.mark.parametrize(("authors", "computed", "apart"), [(60, 50, False), (61, 50, True), (40, 50, False), (39, 50, True)])
def test_differs_by_more_than_a_fifth_of_the_computed(authors, computed, apart):
    assert timing.differs(authors, computed) is apart


KINDS = '''---
jupytext: {text_representation: {extension: .md, format_name: myst}}
kernelspec: {name: python3, display_name: Python 3, language: python}
title: "Episode of kinds"
teaching: TEACHING
exercises: EXERCISES
---

Five words of prose here.

:::{admonition} Instructor note
:class: instructor

These eight words are for the instructor only.
:::

```{code-cell} ipython3
import keras  # a comment is not typed

model = keras.Sequential([keras.layers.Dense(1)])
```

```{code-cell} ipython3
:tags: [run-only]

for layer in model.layers:
    print(layer.name)
```

:::{exercise-start}
:label: kinds-mcq
:::

A multiple-choice question. Which one?

:::{exercise-end}
:::

:::{exercise-start}
:label: kinds-paper
:::

Predict it on paper.

:::{exercise-end}
:::

:::{solution-start} kinds-paper
:::

It is two.

:::{solution-end}
:::

:::{exercise-start}
:label: kinds-fit
:::

Train it.

:::{exercise-end}
:::

:::{solution-start} kinds-fit
:::

```{code-cell} ipython3
model.fit(x, y)
```

:::{solution-end}
:::

:::{exercise-start}
:label: kinds-compare
:::

Train it at three rates.

:::{exercise-end}
:::

:::{solution-start} kinds-compare
:::

```{code-cell} ipython3
for rate in (0.1, 0.01, 0.001):
    model.fit(x, y)
```

:::{solution-end}
:::
'''


def _book(rootdir: Path, tmp_path: Path, teaching: int, exercises: int) -> Path:
    source = tmp_path / "book"
    shutil.copytree(rootdir / "test-small-book", source)
    text = KINDS.replace("TEACHING", str(teaching)).replace("EXERCISES", str(exercises))
    (source / "lessons" / "kinds.md").write_text(text, encoding="utf-8")
    toc = source / "_toc.yml"
    toc.write_text(toc.read_text().replace("  - file: lessons/one\n", "  - file: lessons/one\n  - file: lessons/kinds\n"))
    return source


def _warnings(app) -> list[str]:
    return [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in app.warning.getvalue().splitlines()]


def test_an_episode_is_measured_and_its_minutes_checked(make_app, rootdir, tmp_path, soup):
    app = make_app(
        "html", srcdir=_book(rootdir, tmp_path, 20, 30), freshenv=True,
        confoverrides={"lesson_minutes_tolerance": 0.2},
    )
    app.build()
    found = timing.episode_material(app.env, "lessons/kinds")
    # Two typed lines (no blank line, no comment line); the prose's words without the
    # note's, the exercises' and the solutions'; kinds from the exercises and solutions.
    assert (found.typed_lines, found.run_lines) == (2, 2)
    assert found.words == len("Episode of kinds".split()) + len("Five words of prose here.".split())
    assert found.run_s is None  # the small book executes nothing
    assert found.exercises == ["multiple-choice", "prediction", "training", "comparison"]
    assert (found.teaching, found.exercise_minutes) == (0, 45)
    warnings = _warnings(app)
    # 20 + 30 = 50 against 45: within a fifth.  The stand-in episodes are far off.
    assert not any("kinds.md" in line for line in warnings)
    two = next(line for line in warnings if "two.md" in line)
    # Episode two: a title, a sentence and a formula (not words to explain), no code.
    assert "front matter gives 90 minutes (50 teaching, 40 exercises), but the material gives 0 " \
           "by the instructor notes' rule (0 teaching: 0 typed lines, 8 words, not run in this " \
           "build; 0 exercises: none)" in two
    assert "more than 20% apart; change the front matter or the material" in two
    # The run-only cell is marked on the page, above its code.
    page = soup(Path(app.outdir) / "lessons" / "kinds.html")
    marks = page.select(".cell.tag_run-only > p.run-only-mark")
    assert [mark.get_text() for mark in marks] == ["Run this cell: no need to type it."]
    assert "for layer in model.layers" in marks[0].find_next_sibling().get_text()
    # The instructor notes show both.
    notes = soup(Path(app.outdir) / "schedule.html").select_one("section#notes")
    assert "20 min teaching, 30 min exercises (50 min in all); by the rule, 0 min teaching " \
           "and 45 min exercises." in " ".join(notes.get_text().split())


def test_front_matter_far_from_the_rule_warns(make_app, rootdir, tmp_path):
    # 10 + 20 = 30 against the rule's 45: a third less.
    app = make_app(
        "html", srcdir=_book(rootdir, tmp_path, 10, 20), freshenv=True,
        confoverrides={"lesson_minutes_tolerance": 0.2},
    )
    app.build()
    kinds = [line for line in _warnings(app) if "kinds.md" in line]
    assert len(kinds) == 1
    assert "front matter gives 30 minutes (10 teaching, 20 exercises), but the material gives 45 " \
           "by the instructor notes' rule (0 teaching: 2 typed lines, 8 words, not run in this build; " \
           "45 exercises: multiple-choice, prediction, training, comparison)" in kinds[0]


def test_the_check_is_off_without_a_tolerance(make_app, rootdir, tmp_path):
    app = make_app("html", srcdir=_book(rootdir, tmp_path, 10, 20), freshenv=True)
    app.build()  # the small book's conf.py sets lesson_minutes_tolerance = None
    assert not any("the material gives" in line for line in _warnings(app))
    assert timing.episode_material(app.env, "lessons/kinds").exercise_minutes == 45


@pytest.mark.parametrize("tolerance", [-0.1, True])
def test_a_bad_tolerance_is_refused(make_app, rootdir, tmp_path, tolerance):
    app = make_app(
        "html", srcdir=_book(rootdir, tmp_path, 20, 30), freshenv=True,
        confoverrides={"lesson_minutes_tolerance": tolerance},
    )
    with pytest.raises(Exception) as caught:  # Sphinx wraps a handler's error in ExtensionError
        app.build()
    message = f"lesson_minutes_tolerance must be a share >= 0 or None, got {tolerance!r}"
    assert message in str(caught.value) + str(caught.value.__cause__)


def test_the_learner_notebooks_say_which_cells_to_run_only(rootdir, tmp_path):
    source = _book(rootdir, tmp_path, 20, 30) / "lessons" / "kinds.md"
    substitutions = {"repository_url": "https://github.com/o/small-book", "repository_ref": "main"}
    for version in learner.VERSIONS:
        made = convert.learner_notebook(source, "lessons/kinds", version, substitutions)
        nbformat.validate(made)
        code = [cell.source for cell in made.cells if cell.cell_type == "code"]
        assert "# Run this cell: no need to type it.\nfor layer in model.layers:\n    print(layer.name)" in code
        assert sum(source.startswith("# Run this cell") for source in code) == 1
