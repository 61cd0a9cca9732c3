"""The gathered pages' directives: schedule, key points, instructor notes, learner notebooks.

They gather from the episodes (see :mod:`lesson_book.model`: the pages of
the table of contents whose front matter has ``teaching`` and ``exercises``
minutes, in its order); other pages are skipped.  Four directives insert what is gathered from them:

``{schedule}``
    a table of the episodes with their teaching and exercise minutes and the
    clock time each one starts, one table per day.  Options: ``:start:``
    (``HH:MM``, each day's start, default 09:00), ``:end:`` (``HH:MM``: an
    episode that would finish later moves to the next day), ``:day-per-part:``
    (each part of ``_toc.yml`` starts a new day), ``:lunch:`` (``HH:MM``) and
    ``:lunch-minutes:`` (default 60: lunch goes in the gap between episodes
    nearest to that time), ``:break-every:`` and ``:break-minutes:`` (a
    break is put before any episode that would take the time since the last
    pause past ``break-every`` minutes), ``:welcome:``, ``:recap:`` and
    ``:wrap-up:`` (minutes at the start of the first day, of each later day
    and at the end of the last), and ``:compact:`` (a numbered list of the
    episodes with their minutes, no clock times).  The rules are
    :func:`lesson_book.schedule.plan_schedule`'s; a day that ends after
    ``:end:`` or a stretch longer than ``:break-every:`` is a warning.
``{all-keypoints}``
    every episode's key points under a link to the episode.
``{instructor-notes}``
    every episode's timing (the front matter's and the one
    :mod:`lesson_book.timing` computes from its material) and its admonitions
    of class ``instructor``, each under a link to the section it sits in.
``{learner-notebooks}``
    links to the learner notebooks written by :mod:`lesson_book.learner`.

The directives leave a placeholder that a post-transform fills in, when
every page has been read; pages with a placeholder are re-read whenever any
page changes, so they never show stale lists.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from lesson_book import model
from lesson_book.extension import instructor, timing
from lesson_book.extension.boxes import bullets, notebook_links
from lesson_book.extension.instructor import always_shown
from lesson_book.extension.schedule import Slot, format_clock, format_duration, parse_clock, plan_schedule, problems
from lesson_book.extension.store import keep_per_page, page_set, reread_on_any_change
from lesson_book.learner import VERSIONS
from lesson_book.model import Episode

LOGGER = logging.getLogger(__name__)


# ------------------------------------------------------------- what is gathered


def _summary_pages(env: BuildEnvironment) -> set[str]:
    """The pages that hold a gathering directive."""
    return page_set(env, "summary_pages")


# ------------------------------------------------------------------ directives


class episode_summary(nodes.General, nodes.Element):
    """Placeholder for gathered content; ``kind`` names the directive."""


class SummaryDirective(SphinxDirective):
    """Leave a placeholder, filled in once every page has been read."""

    kind = ""
    option_spec: dict[str, Any] = {}

    def run(self) -> list[nodes.Node]:
        _summary_pages(self.env).add(self.env.docname)
        node = episode_summary(kind=self.kind, options=dict(self.options))
        self.set_source_info(node)
        return [node]


class ScheduleDirective(SummaryDirective):
    kind = "schedule"
    option_spec = {
        "start": directives.unchanged_required,
        "end": directives.unchanged_required,
        "welcome": directives.nonnegative_int,
        "recap": directives.nonnegative_int,
        "wrap-up": directives.nonnegative_int,
        "break-every": directives.positive_int,
        "break-minutes": directives.positive_int,
        "lunch": directives.unchanged_required,
        "lunch-minutes": directives.positive_int,
        "day-per-part": directives.flag,
        "compact": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        for option in ("start", "lunch", "end"):  # fail early on a bad time
            try:
                parse_clock(self.options.get(option, "09:00"))
            except ValueError as error:
                raise self.error(f":{option}: {error}") from None
        return super().run()


class KeypointsDirective(SummaryDirective):
    kind = "keypoints"


class InstructorNotesDirective(SummaryDirective):
    kind = "instructor-notes"


class LearnerNotebooksDirective(SummaryDirective):
    kind = "learner-notebooks"


class EpisodeTimingDirective(SummaryDirective):
    kind = "episode-timing"


# ------------------------------------------------------------- rendering


class FillSummaries(SphinxPostTransform):
    """Replace each placeholder with what it gathers from the episodes.

    Runs before Sphinx resolves cross-references (priority 10), so ``{term}``
    links inside copied instructor notes are resolved for this page.
    """

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        for placeholder in list(self.document.findall(episode_summary)):
            render = getattr(self, "_" + placeholder["kind"].replace("-", "_"))
            placeholder.replace_self(render(model.episodes(self.env), placeholder["options"]))

    def _uri(self, target: str, anchor: str = "") -> str:
        """The relative link from this page to page ``target``."""
        uri = self.app.builder.get_relative_uri(self.env.docname, target)
        return f"{uri}#{anchor}" if anchor else uri

    def _page_link(self, docname: str, text: str, anchor: str = "") -> nodes.reference:
        return nodes.reference("", text, internal=True, refuri=self._uri(docname, anchor))

    def _link(self, episode: Episode) -> nodes.reference:
        return self._page_link(episode.docname, episode.title)

    def _schedule(self, found: list[Episode], options: dict[str, Any]) -> list[nodes.Node]:
        if "compact" in options:
            return self._compact_schedule(found)
        start = parse_clock(options.get("start", "09:00"))
        end = parse_clock(options["end"]) if "end" in options else None
        slots = plan_schedule(
            found,
            start,
            options.get("break-every"),
            options.get("break-minutes", 15),
            parse_clock(options["lunch"]) if "lunch" in options else None,
            options.get("lunch-minutes", 60),
            "day-per-part" in options,
            end,
            options.get("welcome", 0),
            options.get("recap", 0),
            options.get("wrap-up", 0),
        )
        for problem in problems(slots, end, options.get("break-every")):
            LOGGER.warning(
                "the schedule cannot be kept: %s", problem,
                location=self.env.docname, type="lesson_book", subtype="schedule",
            )
        days = sorted({slot.day for slot in slots})
        result: list[nodes.Node] = []
        for day in days:
            today = [slot for slot in slots if slot.day == day]
            end = today[-1].start + today[-1].minutes
            if len(days) > 1:
                parts = list(dict.fromkeys(slot.episode.part for slot in today if slot.episode))
                heading = f"Day {day}" + (f": {', '.join(p for p in parts if p)}" if any(parts) else "")
                heading += f" ({format_clock(start)}\u2013{format_clock(end)})"
                result.append(nodes.rubric("", heading, classes=["schedule-day"]))
            rows = []
            for slot in today:
                if slot.episode is None:
                    rows.append([format_clock(slot.start), slot.name, "", "", str(slot.minutes)])
                else:
                    rows.append(
                        [
                            format_clock(slot.start),
                            self._link(slot.episode),
                            str(slot.episode.teaching),
                            str(slot.episode.exercises),
                            str(slot.minutes),
                        ]
                    )
            rows.append([format_clock(end), "Finish", "", "", ""])
            header = ["Start", "Episode", "Teaching (min)", "Exercises (min)", "Total (min)"]
            result.append(_table(header, rows))
        optional = [episode for episode in found if episode.optional]
        if optional:
            result.append(nodes.rubric("", "If time allows", classes=["schedule-day"]))
            result.append(
                nodes.paragraph(
                    "",
                    "Optional episodes, outside the days above: teach them if the class is "
                    "ahead, or point learners to them to work through on their own.",
                )
            )
            rows = [
                [self._link(e), str(e.teaching), str(e.exercises), str(e.minutes)] for e in optional
            ]
            result.append(_table(["Episode", "Teaching (min)", "Exercises (min)", "Total (min)"], rows))
        result.append(self._totals([e for e in found if not e.optional], slots))
        return result

    def _totals(self, found: list[Episode], slots: list[Slot]) -> nodes.paragraph:
        teaching = sum(episode.teaching for episode in found)
        exercises = sum(episode.exercises for episode in found)
        days = len({slot.day for slot in slots})
        text = (
            f"{len(found)} episode{'' if len(found) == 1 else 's'}"
            + (f" over {days} days" if days > 1 else "")
            + f": {format_duration(teaching + exercises)} in all, "
            f"{format_duration(teaching)} of teaching and "
            f"{format_duration(exercises)} of exercises"
        )
        pauses = []
        for name, words in (("Break", "of breaks"), ("Lunch", "for lunch")):
            minutes = sum(slot.minutes for slot in slots if slot.is_pause and slot.name == name)
            if minutes:
                pauses.append(f"{format_duration(minutes)} {words}")
        fixed = [slot for slot in slots if slot.episode is None and not slot.is_pause]
        if fixed:
            names = [f"the {name.split()[0].lower()}" for name in dict.fromkeys(s.name for s in fixed)]
            pauses.insert(0, f"{format_duration(sum(s.minutes for s in fixed))} for {_and(names)}")
        if pauses:
            text += ", plus " + _and(pauses)
        return nodes.paragraph("", text + ".", classes=["schedule-total"])

    def _compact_schedule(self, found: list[Episode]) -> list[nodes.Node]:
        items = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".")
        for episode in found:
            items += nodes.list_item(
                "",
                nodes.paragraph(
                    "",
                    "",
                    self._link(episode),
                    nodes.Text(
                        f" ({episode.minutes} min: {episode.teaching} teaching, "
                        f"{episode.exercises} exercises)"
                    ),
                ),
            )
        return [items, self._totals(found, plan_schedule(found, 0))]

    def _keypoints(self, found: list[Episode], options: dict[str, Any]) -> list[nodes.Node]:
        result: list[nodes.Node] = []
        for episode in found:
            result.append(nodes.rubric("", "", self._link(episode), classes=["episode-heading"]))
            if episode.keypoints:
                result.append(bullets(list(episode.keypoints)))
            else:
                result.append(nodes.paragraph("", "This episode lists no key points."))
        return result

    def _instructor_notes(self, found: list[Episode], options: dict[str, Any]) -> list[nodes.Node]:
        """Each episode's timing and notes, then notes found on other pages."""
        notes = instructor.notes(self.env)
        by_docname = {episode.docname: episode for episode in found}
        result: list[nodes.Node] = []
        for docname in model.page_order(self.env):
            episode = by_docname.get(docname)
            if episode is None and (docname not in notes or docname == self.env.docname):
                continue
            title = self.env.titles[docname].astext()
            heading = self._page_link(docname, title)
            result.append(nodes.rubric("", "", heading, classes=["episode-heading"]))
            if episode is not None:
                result.append(
                    nodes.paragraph(
                        "",
                        "",
                        nodes.strong("", "Timing:"),
                        nodes.Text(
                            f" {episode.teaching} min teaching, {episode.exercises} min "
                            f"exercises ({format_duration(episode.minutes)} in all)"
                            + self._computed(episode) + "."
                        ),
                    )
                )
            if docname not in notes:
                result.append(nodes.paragraph("", "This episode has no instructor notes."))
            for note in notes.get(docname, []):
                where = self._page_link(docname, note.section_title or title, note.anchor)
                result.append(nodes.paragraph("", "", nodes.Text("In "), where, nodes.Text(":")))
                result.append(self._adopt(note.admonition))
        return result

    def _computed(self, episode: Episode) -> str:
        found = timing.episode_material(self.env, episode.docname)
        if found is None:
            return ""
        return (
            f"; by the rule, {found.teaching} min teaching and "
            f"{found.exercise_minutes} min exercises"
        )

    def _episode_timing(self, found: list[Episode], options: dict[str, Any]) -> list[nodes.Node]:
        """Each episode's material, its minutes by the rule beside the front matter's, its typing rate."""
        return [_table(timing.TABLE_HEADER, timing.table_rows(self.env, found, self._link))]

    def _adopt(self, admonition: nodes.Element) -> nodes.Element:
        """A fresh copy of a stored note, always shown, whose references resolve from this page."""
        copy = always_shown(admonition.deepcopy())
        for xref in copy.findall(addnodes.pending_xref):
            xref["refdoc"] = self.env.docname
        return copy

    def _learner_notebooks(self, found: list[Episode], options: dict[str, Any]) -> list[nodes.Node]:
        items = nodes.bullet_list()
        here = self.app.builder.get_target_uri(self.env.docname)
        for episode in found:
            lines = notebook_links(
                self.app.config.html_theme_options, here, episode.docname, VERSIONS
            )
            inline: list[nodes.Node] = [nodes.strong("", episode.title), nodes.Text(" — ")]
            for number, line in enumerate(lines):
                inline += ([nodes.Text("; ")] if number else []) + line
            items += nodes.list_item("", nodes.paragraph("", "", *inline))
        return [items]


def _and(items: list[str]) -> str:
    """``["a", "b", "c"]`` as ``"a, b and c"``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _table(header: list[str], rows: list[list[str | nodes.Node]]) -> nodes.table:
    """A simple docutils table; cells are text or inline nodes."""
    table = nodes.table(classes=["episode-schedule"])
    group = nodes.tgroup(cols=len(header))
    table += group
    for _ in header:
        group += nodes.colspec(colwidth=1)

    def row(cells: list[str | nodes.Node]) -> nodes.row:
        result = nodes.row()
        for cell in cells:
            content = cell if isinstance(cell, nodes.Node) else nodes.Text(cell)
            result += nodes.entry("", nodes.paragraph("", "", content))
        return result

    group += nodes.thead("", row(list(header)))
    body = nodes.tbody()
    for cells in rows:
        body += row(cells)
    group += body
    return table


def register(app: Sphinx) -> None:
    """Add the directives, and keep the instructor notes on the environment."""
    app.add_node(episode_summary)
    app.add_directive("schedule", ScheduleDirective)
    app.add_directive("all-keypoints", KeypointsDirective)
    app.add_directive("instructor-notes", InstructorNotesDirective)
    app.add_directive("learner-notebooks", LearnerNotebooksDirective)
    app.add_directive("episode-timing", EpisodeTimingDirective)
    app.add_post_transform(FillSummaries)
    keep_per_page(app, "summary_pages", set)
    reread_on_any_change(app, "summary_pages")
