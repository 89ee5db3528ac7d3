"""What a change adds, judged for learning depth (docs/assessments.md): scores and prerequisites.

Part of the rules for additions (`additions.problems`, which `check --base` and the helpers apply):

- A record added for a course with a `pass_mark` carries a score (`assessments.missing_score`): a pass mark
  judges scores, and a record without one would count as passed. Merged records without one stay valid.
- A request, or a line of a manager's team assignments, for a course whose prerequisites the person has
  neither completed nor is enrolled in ahead of it (`rules/prerequisites.py`) is an error naming the missing
  prerequisite. The prerequisites are the base's (the change's own catalog change counts once merged); the
  person's completions and requests are the change's, so a request of the prerequisite in the same change
  counts. "Ahead" is before the requested session's start, or the assignment's due date.

May import: `lmsgen.rules`, `lmsgen.model`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from ..model import formats as m
from ..model.diagnostics import Diagnostic
from ..model.organisation import Entry
from ..rules.assessments import missing_score
from ..rules.audiences import Audiences
from ..rules.engine import Engine
from ..rules.prerequisites import Prerequisites, starts_on, unmet_message

if TYPE_CHECKING:
    from .additions import Change


def learning_problems(change: Change, records: list[tuple[Entry[m.Records], int]],
                      requests: list[Entry[m.Request]]) -> Iterator[Diagnostic]:
    """The errors of the records and requests a change adds (given), and of its new team assignment lines."""
    judge = change.judge
    for entry, index in records:
        record = entry.model.records[index]
        course = judge.courses.get(record.course)
        if record.score is None and course is not None:
            problem = missing_score(record.course, course.model)
            if problem:
                yield entry.source.error(("records", index, "course"), problem)
    head = change.head
    requests = [entry for entry in requests if entry.model.person in head.members
                and head.members[entry.model.person].person.is_current(change.today)
                and entry.model.course in head.courses]  # else the other rules report it
    lines = list(_added_assignments(change))
    wanted = [(entry, entry.model.person, entry.model.course) for entry in requests] + \
        [(entry, None, entry.model.assignments[index].course) for _, entry, index in lines]
    if not any(judge.courses.get(course) and judge.courses[course].model.prerequisites for _, _, course in wanted):
        return
    audiences = Audiences(change.head, change.today)
    people = {entry.model.person for entry in requests}
    selected: dict[tuple[str, int], list[str]] = {}
    for team, entry, index in lines:
        selected[(entry.source.path, index)] = sorted(audiences.of_assignment(team, entry.model.assignments[index]))
        people.update(selected[(entry.source.path, index)])
    engine = Engine(change.head, change.today)
    prerequisites = Prerequisites(change.head, change.today, engine.passed(people))
    for entry in requests:
        yield from _unmet(change, prerequisites, entry, ("course",), [entry.model.person], entry.model.course,
                          _session_start(change, entry.model))
    for _, entry, index in lines:
        line = entry.model.assignments[index]
        yield from _unmet(change, prerequisites, entry, ("assignments", index, "course"),
                          selected[(entry.source.path, index)], line.course, line.due)


def _session_start(change: Change, request: m.Request) -> date | None:
    course = change.head.courses.get(request.course)
    return starts_on(course.model, request.session) if course is not None else None


def _unmet(change: Change, prerequisites: Prerequisites, entry: Entry, where: tuple, people: list[str],
           course_id: str, before: date | None) -> Iterator[Diagnostic]:
    course = change.judge.courses.get(course_id)
    if course is None or not course.model.prerequisites:
        return
    missing: dict[str, list[str]] = {}
    for person in people:
        for prerequisite in prerequisites.unmet(person, course_id, before, list(course.model.prerequisites)):
            missing.setdefault(prerequisite, []).append(person)
    for prerequisite, who in missing.items():
        yield entry.source.error(where, unmet_message(who, prerequisite, course_id, before))


def _added_assignments(change: Change) -> Iterator[tuple[str, Entry[m.TeamAssignments], int]]:
    """Each (team, team assignments file, index) of a line the change adds: one the base's file of the team lacks."""
    before = {team: entry for team, entry in change.base.team_assignments.items()}
    for team, entry in change.head.team_assignments.items():
        old = before.get(team)
        if old is not None and old.source.blob is not None and old.source.blob == entry.source.blob:
            continue
        known = {(a.person, a.course) for a in old.model.assignments} if old is not None else set()
        for index, line in enumerate(entry.model.assignments):
            if (line.person, line.course) not in known and team in change.head.teams:
                yield team, entry, index
