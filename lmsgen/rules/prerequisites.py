"""Prerequisites: whether a person has what a course asks first (docs/assessments.md).

A course's `prerequisites` are met for a person when, for each, they have a completion that counts (any,
however long ago: `assessments.judge` decides what counts) or are enrolled in it ahead of the course: a
request for a session of it that starts before the day the course starts for them (the session they
request, or a manager's due date), or a request without a session (self-paced). With no such day, any
request of the prerequisite will do.

The rules for additions (`check --base` and the helpers, `history/prerequisite_changes.py`) refuse a new
request or team assignment whose prerequisites are unmet; merged data is never judged again, so plain
`check` stays as it was. The portal's electives and `lmsgen explain` show the same standing.

May import: `lmsgen.model`. Pure functions of an organisation, no I/O.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from ..model import formats as m
from ..model.organisation import Organisation
from .seats import find_session


@dataclass(frozen=True)
class Standing:
    """Where one person stands with one prerequisite of a course."""

    prerequisite: str
    completed_on: date | None
    enrolled_on: date | None
    """The start of the session they are enrolled in ahead of the course (date.min: a request without one)."""
    enrolled: bool

    @property
    def met(self) -> bool:
        return self.completed_on is not None or self.enrolled

    def words(self) -> str:
        """`k8s-basics: completed on 2026-05-01`, for explain."""
        if self.completed_on is not None:
            return f"{self.prerequisite}: completed on {self.completed_on.isoformat()}"
        if self.enrolled:
            when = "" if self.enrolled_on in (None, date.min) else f" (a session starting {self.enrolled_on})"
            return f"{self.prerequisite}: enrolled{when}"
        return f"{self.prerequisite}: not completed, and not enrolled ahead of it"


def unmet_message(people: list[str], prerequisite: str, course_id: str, before: date | None) -> str:
    """The words of an unmet prerequisite, as `check --base` and the helpers say it."""
    ahead = f"in a session of it before {before.isoformat()}" if before else "in it"
    if len(people) == 1:
        return (f"{people[0]} has not completed {prerequisite}, a prerequisite of {course_id}, and is not enrolled "
                f"{ahead}")
    return (f"{', '.join(people[:-1])} and {people[-1]} have not completed {prerequisite}, a prerequisite of "
            f"{course_id}, and are not enrolled {ahead}")


class Prerequisites:
    """The prerequisites of courses against people, with the requests indexed once.

    `completed` maps (person, course) to the latest completion that counts (the engine's `passed`)."""

    def __init__(self, org: Organisation, as_of: date, completed: Mapping[tuple[str, str], date]):
        self.org = org
        self.as_of = as_of
        self.completed = completed

    @cached_property
    def _requests(self) -> dict[tuple[str, str], list[date]]:
        """(person, course) → the start of each requested session (date.min: a request without a session)."""
        found: dict[tuple[str, str], list[date]] = defaultdict(list)
        for entry in self.org.requests:
            request = entry.model
            course = self.org.courses.get(request.course)
            if course is None or request.date > self.as_of:
                continue
            if request.session is None:
                found[(request.person, request.course)].append(date.min)
                continue
            session = find_session(course.model, request.session)
            if session is not None:
                found[(request.person, request.course)].append(session.starts_on)
        return found

    def standing(self, person: str, course_id: str, before: date | None = None,
                 listed: list[str] | None = None) -> list[Standing]:
        """Each prerequisite of `course_id` (that exists) for `person`, who should have it before `before`;
        `listed`: the prerequisites to judge by (another side's catalog), else the course's own."""
        course = self.org.courses.get(course_id)
        if course is None and listed is None:
            return []
        found = []
        for prerequisite in listed if listed is not None else course.model.prerequisites:
            if prerequisite not in self.org.courses or prerequisite == course_id:
                continue
            starts = self._requests.get((person, prerequisite), [])
            ahead = [s for s in starts if before is None or s < before]
            found.append(Standing(prerequisite, self.completed.get((person, prerequisite)),
                                  min(ahead) if ahead else None, bool(ahead)))
        return found

    def unmet(self, person: str, course_id: str, before: date | None = None,
              listed: list[str] | None = None) -> list[str]:
        """The prerequisites of `course_id` that `person` lacks, in the course's order."""
        return [s.prerequisite for s in self.standing(person, course_id, before, listed) if not s.met]


def starts_on(course: m.Course, session: str | None) -> date | None:
    """The day a request of `session` of the course starts (None without a session, or an unknown one)."""
    found = find_session(course, session) if session is not None else None
    return found.starts_on if found is not None else None
