"""The workshop's timetable: clock times, and where the episodes, breaks, lunch and the day's fixed slots go.

Pure functions, no Sphinx: :func:`plan_schedule` turns the episodes (with
their minutes, see :mod:`lesson_book.model`) into rows of a timetable,
and :func:`problems` says what in it breaks the rules an instructor can
keep (a day that ends too late, a stretch without a break that is too
long).  The ``{schedule}`` directive (:mod:`lesson_book.pages`) renders
them, and warns about each problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lesson_book.model import Episode

#: The names of the rows that are not episodes.  Breaks and lunch are pauses;
#: the welcome, the recap and the wrap-up are time with the class.
BREAK, LUNCH = "Break", "Lunch"
WELCOME = "Welcome and setup check"
RECAP = "Recap of the day before"
WRAP_UP = "Wrap-up and feedback"
PAUSES = (BREAK, LUNCH)


@dataclass(frozen=True)
class Slot:
    """One row of the timetable: an episode, or (``episode`` None) a pause or a fixed slot named ``name``."""

    start: int  # minutes after midnight
    minutes: int
    episode: Episode | None
    day: int = 1
    name: str = ""  # for rows that are not episodes: BREAK, LUNCH, WELCOME, RECAP, WRAP_UP

    @property
    def end(self) -> int:
        return self.start + self.minutes

    @property
    def is_pause(self) -> bool:
        return self.episode is None and self.name in PAUSES


def parse_clock(text: str) -> int:
    """Minutes after midnight of an ``HH:MM`` time; ``ValueError`` if malformed."""
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", text)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(f"a clock time must be HH:MM, got {text!r}")
    return int(match[1]) * 60 + int(match[2])


def format_clock(minutes: int) -> str:
    """``HH:MM`` of a number of minutes after midnight (hours past 24 go on counting)."""
    if minutes < 0:
        raise ValueError(f"minutes must be >= 0, got {minutes!r}")
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def format_duration(minutes: int) -> str:
    """A duration as ``"1 h 5 min"``, ``"2 h"`` or ``"45 min"``."""
    if minutes < 0:
        raise ValueError(f"minutes must be >= 0, got {minutes!r}")
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def _positive(name: str, value: int | None, allow_zero: bool = False) -> None:
    if value is not None and (value < 0 or (value == 0 and not allow_zero)):
        raise ValueError(f"{name} must be > 0 minutes, got {value!r}")


def plan_schedule(
    episodes: list[Episode],
    start: int,
    break_every: int | None = None,
    break_minutes: int = 15,
    lunch: int | None = None,
    lunch_minutes: int = 60,
    day_per_part: bool = False,
    end: int | None = None,
    welcome: int = 0,
    recap: int = 0,
    wrap_up: int = 0,
) -> list[Slot]:
    """The timetable's rows: each episode with its day and start time, the pauses and fixed slots.

    Every day starts at ``start``: the first with a ``welcome`` slot, each
    later one with a ``recap``; the last day ends with a ``wrap_up`` (each
    left out when 0 minutes).  A new day starts at each part of the table of
    contents with ``day_per_part``, and, with ``end`` (a clock time), before
    any episode that would finish after ``end``.
    With ``lunch`` (a clock time), lunch of ``lunch_minutes`` goes in the
    day's gap nearest to ``lunch``: before the first row whose middle would
    come after it, or come after it once a break is put before it (never
    first in a day; a day starting at or after ``lunch`` has none).  With ``break_every``, a break of
    ``break_minutes`` goes before any row that would take the time since the
    last pause (or the day's start) past ``break_every``; a row longer than
    that on its own still gets a stretch to itself (:func:`problems` reports it).
    Optional episodes (``Episode.optional``) are left out: they come after
    the days, if time allows.
    """
    _positive("break_every", break_every)
    _positive("break_minutes", break_minutes)
    _positive("lunch_minutes", lunch_minutes)
    for name, value in (("welcome", welcome), ("recap", recap), ("wrap_up", wrap_up)):
        _positive(name, value, allow_zero=True)
    slots: list[Slot] = []
    state = {"day": 1, "clock": start, "since": 0, "lunch_due": lunch is not None and start < lunch}

    def pause_before(minutes: int) -> tuple[str, int] | None:
        if state["clock"] == start:
            return None
        needs_break = bool(break_every and state["since"] and state["since"] + minutes > break_every)
        if slots and slots[-1].name in (WELCOME, RECAP):
            needs_break = False  # not a break straight after them: problems() reports the stretch
        if lunch is not None and state["lunch_due"]:
            # Lunch where the next row's middle would pass it, or where a break
            # would push it past: a break just before lunch is a waste.
            middle = state["clock"] + (break_minutes if needs_break else 0) + minutes / 2
            if middle > lunch:
                return LUNCH, lunch_minutes
        return (BREAK, break_minutes) if needs_break else None

    def place(minutes: int, episode: Episode | None, name: str = "") -> None:
        pause = pause_before(minutes)
        if pause:
            slots.append(Slot(state["clock"], pause[1], None, state["day"], pause[0]))
            state["clock"] += pause[1]
            state["since"] = 0
            state["lunch_due"] = state["lunch_due"] and pause[0] != LUNCH
        slots.append(Slot(state["clock"], minutes, episode, state["day"], name))
        state["clock"] += minutes
        state["since"] += minutes

    def new_day() -> None:
        state.update(day=state["day"] + 1, clock=start, since=0, lunch_due=lunch is not None and start < lunch)
        if recap:
            place(recap, None, RECAP)

    episodes = [episode for episode in episodes if not episode.optional]
    if welcome:
        place(welcome, None, WELCOME)
    for index, episode in enumerate(episodes):
        started = any(slot.day == state["day"] and slot.episode for slot in slots)
        if day_per_part and index and episode.part != episodes[index - 1].part:
            new_day()
        elif end is not None and started:
            pause = pause_before(episode.minutes)
            if state["clock"] + (pause[1] if pause else 0) + episode.minutes > end:
                new_day()
        place(episode.minutes, episode)
    if wrap_up:
        place(wrap_up, None, WRAP_UP)
    return slots


def problems(slots: list[Slot], end: int | None = None, break_every: int | None = None) -> list[str]:
    """What in the timetable an instructor could not keep: days ending after ``end``, stretches over ``break_every``."""
    found = []
    for day in sorted({slot.day for slot in slots}):
        today = [slot for slot in slots if slot.day == day]
        if end is not None and today[-1].end > end:
            found.append(f"day {day} ends at {format_clock(today[-1].end)}, after {format_clock(end)}")
        stretch, since = today[0].start, 0
        for slot in today:
            if slot.is_pause:
                stretch, since = slot.end, 0
                continue
            since += slot.minutes
            if break_every and since > break_every:
                found.append(
                    f"day {day}: {since} minutes without a break from {format_clock(stretch)} "
                    f"(at most {break_every})"
                )
                since = -10**6  # one report per stretch
    return found
