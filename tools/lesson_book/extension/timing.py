"""Each episode's minutes computed from its material by the instructor notes' rule, beside the authors' figures.

The rule (written out for instructors on the instructor-notes page, under
"How the minutes are estimated") counts what learners do in the room:

**Teaching**: 1 minute for every :data:`LINES_PER_MINUTE` lines of code that
learners type along (the lines of the code cells they see, outside the
solutions, without blank lines and comments); 1 minute for every
:data:`RUN_LINES_PER_MINUTE` lines of the cells they only run (tagged
``run-only``: the instructor says what the cell does); 1 minute for every
:data:`WORDS_PER_MINUTE` words of prose outside exercises, solutions and
instructor notes; and the notebook's run time in this build (MyST-NB's
execution data), rounded up to whole minutes, at least 1.

**Exercises**: by kind, :data:`EXERCISE_MINUTES`.  The kind is read from
the exercise and its solution: a multiple-choice question says so in its
text; a solution without code answers a prediction or a question to discuss;
one whose code does not train is a short code exercise; one that calls
``fit`` once builds and trains a model; twice or more (or in a loop)
compares several trainings.

Code cells tagged ``run-only`` (:data:`lesson_book.model.RUN_ONLY_TAG`:
plotting, formatting, long set-ups) are run, not typed: their lines are
counted apart, and :func:`mark_run_only` marks them on the page.

Both sums are rounded to the nearest 5 minutes.  The material is measured
when each page is read (``doctree-read``) and kept on the environment as
``env.lesson_book_material``; :func:`check_minutes` warns, at the end of
reading, about every episode whose front-matter minutes differ from the
computed ones by more than a fifth (:data:`TOLERANCE`): the book builds
with ``-W``, so the build fails until the front matter or the material is
changed.  It also warns about an episode whose typed lines come to more
than :data:`TYPING_TARGET` a minute of its front-matter time.  The
instructor-notes page shows both, and the typed lines per minute of each
episode.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Callable

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx_exercise.nodes import exercise_enumerable_node, exercise_node, solution_node

from lesson_book import model
from lesson_book.extension.boxes import KEYPOINTS_CLASS, OVERVIEW_CLASS
from lesson_book.extension.store import keep_per_page, page_data
from lesson_book.model import NOTE_CLASS

LOGGER = logging.getLogger(__name__)

LINES_PER_MINUTE = 5
RUN_LINES_PER_MINUTE = 20
WORDS_PER_MINUTE = 200
EXERCISE_MINUTES = {
    "multiple-choice": 4,
    "prediction": 5,
    "code": 10,
    "training": 15,
    "comparison": 20,
}
#: How far the front matter's total may be from the computed one, as a share of the computed.
TOLERANCE = 0.2
#: The typed lines per minute of teaching and exercises that learners can keep up with.
TYPING_TARGET = 1.5

_EXERCISES = (exercise_enumerable_node, exercise_node)


@dataclass
class Material:
    """What one episode asks of the room, measured from its page."""

    typed_lines: int = 0
    run_lines: int = 0  # lines of the cells tagged run-only: run, not typed
    words: int = 0
    run_s: float | None = None  # None: not executed in this build
    exercises: list[str] = field(default_factory=list)  # each exercise's kind, in order

    @property
    def teaching(self) -> int:
        """Teaching minutes by the rule, rounded to the nearest 5."""
        run_minutes = max(1, math.ceil((self.run_s or 0) / 60))
        exact = (
            self.typed_lines / LINES_PER_MINUTE
            + self.run_lines / RUN_LINES_PER_MINUTE
            + self.words / WORDS_PER_MINUTE
            + run_minutes
        )
        return round_to_five(exact)

    @property
    def exercise_minutes(self) -> int:
        """Exercise minutes by the rule, rounded to the nearest 5."""
        return round_to_five(sum(EXERCISE_MINUTES[kind] for kind in self.exercises))

    @property
    def minutes(self) -> int:
        return self.teaching + self.exercise_minutes


def round_to_five(minutes: float) -> int:
    """``minutes`` to the nearest multiple of 5 (halves up)."""
    if minutes < 0:
        raise ValueError(f"minutes must be >= 0, got {minutes!r}")
    return int(math.floor(minutes / 5 + 0.5)) * 5


def _is_code_cell(node: nodes.Node) -> bool:
    return isinstance(node, nodes.container) and node.get("nb_element") == "cell_code"


def _inside(node: nodes.Node, test) -> bool:
    parent = node.parent
    while parent is not None:
        if test(parent):
            return True
        parent = parent.parent
    return False


def _is_note(node: nodes.Node) -> bool:
    """An instructor note, or a box made from the front matter (not prose to explain)."""
    classes = node.get("classes", []) if isinstance(node, nodes.Element) else []
    return any(name in classes for name in (NOTE_CLASS, OVERVIEW_CLASS, KEYPOINTS_CLASS))


def _run_only(cell: nodes.Node) -> bool:
    return f"tag_{model.RUN_ONLY_TAG}" in cell.get("classes", [])


def mark_run_only(doctree: nodes.document) -> None:
    """Put :data:`lesson_book.model.RUN_ONLY_NOTE` at the top of each code cell tagged run-only."""
    for cell in doctree.findall(_is_code_cell):
        if _run_only(cell) and not any("run-only-mark" in c.get("classes", []) for c in cell.children):
            cell.insert(0, nodes.paragraph("", model.RUN_ONLY_NOTE, classes=["run-only-mark"]))


def code_lines(cell: nodes.Node) -> list[str]:
    """The lines of a code cell's source that learners type: no blank lines, no comments."""
    found = []
    for child in cell.children:
        if isinstance(child, nodes.container) and child.get("nb_element") == "cell_code_source":
            for block in child.findall(nodes.literal_block):
                found += [
                    line for line in block.astext().splitlines()
                    if line.strip() and not line.lstrip().startswith("#")
                ]
    return found


def exercise_kind(exercise: nodes.Element, solution: nodes.Element | None) -> str:
    """The kind of an exercise (a key of :data:`EXERCISE_MINUTES`), from its text and its solution's code."""
    if "multiple-choice" in exercise.astext().lower():
        return "multiple-choice"
    cells = [] if solution is None else [c for c in solution.findall(nodes.container) if _is_code_cell(c)]
    if not cells:
        return "prediction"
    fits = 0
    for cell in cells:
        source = "\n".join(code_lines(cell))
        calls = source.count(".fit(")
        fits += 2 * calls if calls and "for " in source else calls
    if fits >= 2:
        return "comparison"
    return "training" if fits else "code"


def measure(doctree: nodes.document, run_s: float | None) -> Material:
    """The material of one episode's page, as read (before the post-transforms add boxes)."""
    material = Material(run_s=run_s)
    solutions = {}
    for solution in doctree.findall(solution_node):
        solutions.setdefault(solution.get("target_label", ""), solution)
    for exercise in doctree.findall(lambda n: isinstance(n, _EXERCISES)):
        material.exercises.append(exercise_kind(exercise, solutions.get(exercise.get("label", ""))))

    def skipped(node: nodes.Node) -> bool:
        return isinstance(node, (*_EXERCISES, solution_node)) or _is_note(node) or _is_code_cell(node)

    for cell in doctree.findall(_is_code_cell):
        if not _inside(cell, lambda n: isinstance(n, (*_EXERCISES, solution_node))):
            if _run_only(cell):
                material.run_lines += len(code_lines(cell))
            else:
                material.typed_lines += len(code_lines(cell))
    for text in doctree.findall(nodes.Text):
        if isinstance(text.parent, (nodes.literal_block, nodes.raw, nodes.comment, nodes.math, nodes.math_block)):
            continue
        if not _inside(text, skipped):
            material.words += len(text.astext().split())
    return material


# ------------------------------------------------------------- the instructor notes' table

#: The columns of the ``{episode-timing}`` table (lesson_book.pages renders it).
TABLE_HEADER = ["Episode", "Typed", "Run only", "Words", "Run (s)", "Exercises", "Rule", "Set", "Typed a minute"]


def table_rows(
    env: BuildEnvironment, episodes: list[model.Episode], link: Callable[[model.Episode], nodes.Node]
) -> list[list[str | nodes.Node]]:
    """One row of :data:`TABLE_HEADER` per measured episode; ``link`` makes its first cell."""
    rows: list[list[str | nodes.Node]] = []
    for episode in episodes:
        found = episode_material(env, episode.docname)
        if found is None:
            continue
        kinds = ", ".join(
            f"{found.exercises.count(kind)} {kind}" for kind in EXERCISE_MINUTES if kind in found.exercises
        )
        rows.append(
            [
                link(episode),
                str(found.typed_lines),
                str(found.run_lines),
                str(found.words),
                "–" if found.run_s is None else f"{found.run_s:.0f}",
                kinds or "none",
                f"{found.teaching}\u00a0+\u00a0{found.exercise_minutes}",
                f"{episode.teaching}\u00a0+\u00a0{episode.exercises}",
                f"{found.typed_lines / episode.minutes:.1f}" if episode.minutes else "–",
            ]
        )
    return rows


# ------------------------------------------------------------- Sphinx events


def _store(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    mark_run_only(doctree)
    if model.episode_fields(env.metadata.get(env.docname, {})) is None:
        return
    from myst_nb.sphinx_ import NbMetadataCollector

    executed = NbMetadataCollector.get_exec_data(env, env.docname) or {}
    run_s = executed.get("runtime") if executed.get("succeeded", True) else None
    material(env)[env.docname] = asdict(measure(doctree, run_s))


def material(env: BuildEnvironment) -> dict[str, dict[str, Any]]:
    """The measured material of every episode read, by docname (plain data: it is pickled)."""
    return page_data(env, "material")


def episode_material(env: BuildEnvironment, docname: str) -> Material | None:
    found = material(env).get(docname)
    return None if found is None else Material(**found)


def differs(authors: int, computed: int, tolerance: float = TOLERANCE) -> bool:
    """Whether the front matter's total is more than ``tolerance`` of the computed one away."""
    return abs(authors - computed) > tolerance * computed


def check_minutes(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: warn about each episode whose front-matter minutes the rule does not back.

    ``lesson_minutes_tolerance`` (a share, default :data:`TOLERANCE`) sets how far
    apart they may be; ``None`` turns the check off (the extension's test
    books, whose episodes are stand-ins, do).
    """
    tolerance = app.config.lesson_minutes_tolerance
    if tolerance is None:
        return
    if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) or tolerance < 0:
        raise ValueError(f"lesson_minutes_tolerance must be a share >= 0 or None, got {tolerance!r}")
    for episode in model.episodes(env):
        found = episode_material(env, episode.docname)
        if found is None:
            continue
        if episode.minutes and found.typed_lines / episode.minutes > TYPING_TARGET:
            LOGGER.warning(
                "%d typed lines in %d minutes, %.1f a minute: more than learners keep up with "
                "(%s); tag the cells they only run %r",
                found.typed_lines, episode.minutes, found.typed_lines / episode.minutes,
                TYPING_TARGET, model.RUN_ONLY_TAG,
                location=episode.docname, type="lesson_book", subtype="typing",
            )
        if not differs(episode.minutes, found.minutes, tolerance):
            continue
        LOGGER.warning(
            "front matter gives %d minutes (%d teaching, %d exercises), but the material "
            "gives %d by the instructor notes' rule (%d teaching: %d typed lines, %d words, "
            "%s; %d exercises: %s): more than %d%% apart; change the front matter or "
            "the material",
            episode.minutes, episode.teaching, episode.exercises, found.minutes,
            found.teaching, found.typed_lines, found.words, run_text(found.run_s),
            found.exercise_minutes, ", ".join(found.exercises) or "none", round(100 * tolerance),
            location=episode.docname, type="lesson_book", subtype="minutes",
        )


def run_text(run_s: float | None) -> str:
    """The run time as the tables print it."""
    return "not run in this build" if run_s is None else f"run {run_s:.0f} s"


def register(app: Sphinx) -> None:
    app.add_config_value("lesson_minutes_tolerance", TOLERANCE, "env", types=(float, int, type(None)))
    app.connect("doctree-read", _store)
    keep_per_page(app, "material")
    app.connect("env-updated", check_minutes)
