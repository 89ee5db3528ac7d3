"""Each person's learning paths as kept between builds (`pieces`, docs/site.md "Incremental builds").

A person's progress through each program assigned to them (`learning.Learning.programs_by_person`) is a function
of their own completions and of what is not one person's file (the programs, the rules, the teams, the courses'
titles): so it is part of their pieces, kept under the same digest as their status rows. An incremental build
decodes the unchanged people's and makes the changed people's alone (`rules.program_status.progresses` for
them), instead of judging every program of everyone again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from ..rules.engine import Engine, Status, StatusRow
from ..rules.program_status import program_row, progresses
from ..rules.programs import Progress, StepProgress, describe_step
from .learning import ProgramView

_STATUS = {status.value: status for status in Status}


def made(engine: Engine, people: set[str], title) -> dict[str, list[ProgramView]]:
    """The learning paths of `people`, as `Learning.programs_by_person` makes them (`title`: a course's title)."""
    found: dict[str, list[ProgramView]] = {}
    for (person, _), (progress, assigned) in sorted(progresses(engine, people).items()):
        row = program_row(engine, person, progress, assigned)
        step = progress.next_step
        found.setdefault(person, []).append(ProgramView(progress, row, describe_step(step, title) if step else None))
    return found


def encode(views: Iterable[ProgramView]) -> tuple:
    """A person's learning paths as marshal keeps them (dates as ordinals)."""
    o = _ordinal
    return tuple((v.progress.program, v.progress.title,
                  tuple((s.number, s.courses, s.needs, s.done, o(s.satisfied_on)) for s in v.progress.steps),
                  (v.row.course, v.row.status.value, o(v.row.due), o(v.row.completed_on), o(v.row.expires_on),
                   v.row.source, v.row.team, v.row.failed_attempts, v.row.attempts_left, v.row.attempts_used_up),
                  v.next_text) for v in views)


def decode(person: str, kept: tuple, day: Mapping[int, date]) -> list[ProgramView]:
    """`encode`'s, read back (`day`: ordinal → date, shared)."""
    def maybe(ordinal: int | None) -> date | None:
        return None if ordinal is None else day[ordinal]

    found = []
    for program, title, steps, row, next_text in kept:
        course, status, due, done, expires, source, team, tries, left, used_up = row
        if not (isinstance(program, str) and isinstance(title, str) and (next_text is None or type(next_text) is str)):
            raise TypeError("a kept learning path of the wrong shape")
        found.append(ProgramView(
            Progress(program, title, tuple(StepProgress(number, tuple(courses), needs, tuple(done_courses),
                                                        maybe(satisfied))
                                           for number, courses, needs, done_courses, satisfied in steps)),
            StatusRow(person, course, _STATUS[status], maybe(due), maybe(done), maybe(expires), source, team, tries,
                      left, used_up),
            next_text))
    return found


def _ordinal(day: date | None) -> int | None:
    return None if day is None else day.toordinal()
