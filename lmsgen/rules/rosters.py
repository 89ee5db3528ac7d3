"""Session rosters: who is booked on each session of a course, who waits, who came, who did not and who withdrew,
as of a date (the trainer's view; docs/sessions.md). The site shows them in the private zone alone.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from ..model import formats as m
from ..model.organisation import Entry, Organisation
from .seats import Seats
from .withdrawals import Withdrawals, withdrawn_on


@dataclass(frozen=True)
class Withdrawn:
    person: str
    on: date
    reason: str
    path: str


@dataclass(frozen=True)
class Roster:
    """One session's people as of a date."""

    course: str
    session: m.Session
    booked: tuple[str, ...]
    """Who holds a seat, in the order seats go (request date, then id, then person)."""
    waiting: tuple[str, ...]
    """Who waits for a seat, the first to get one first."""
    withdrawn: tuple[Withdrawn, ...]
    attended: tuple[str, ...]
    absent: tuple[str, ...]


def requesters_by_course(org: Organisation) -> dict[str, set[str]]:
    """The people with a request of a session of each course (withdrawn or not): whose managers read its roster."""
    found: dict[str, set[str]] = defaultdict(set)
    for entry in org.requests:
        if entry.model.session is not None:
            found[entry.model.course].add(entry.model.person)
    return found


def rosters(org: Organisation, as_of: date) -> dict[str, list[Roster]]:
    """The roster of every session of every course that has sessions, by course, the earliest session first."""
    seats, withdrawals = Seats(org, as_of), Withdrawals(org)
    requests: dict[tuple[str, str], list[Entry[m.Request]]] = defaultdict(list)
    for entry in org.requests:
        if entry.model.session is not None and entry.model.date <= as_of:
            requests[(entry.model.course, entry.model.session)].append(entry)
    attendance = {(entry.ids["course"], entry.id): entry.model for entry in org.attendance}
    found: dict[str, list[Roster]] = {}
    for course_id, course in org.courses.items():
        if not course.model.sessions:
            continue
        found[course_id] = []
        for session in sorted(course.model.sessions, key=lambda s: s.start):
            booked: list[str] = []
            waiting: list[str] = []
            withdrawn: list[Withdrawn] = []
            entries = requests.get((course_id, session.id), [])
            for entry in sorted(entries, key=lambda e: (e.model.date, e.id, e.model.person)):
                person = entry.model.person
                withdrawal = withdrawals.of(entry)
                if withdrawal is not None and withdrawn_on(withdrawal, entry) <= as_of:
                    withdrawn.append(Withdrawn(person, withdrawn_on(withdrawal, entry),
                                               " ".join(withdrawal.model.reason.split()), withdrawal.source.path))
                    continue
                listed = booked if seats.holds_seat(entry) is not False else waiting
                if person not in booked and person not in waiting:
                    listed.append(person)
            sheet = attendance.get((course_id, session.id)) or m.Attendance()
            found[course_id].append(Roster(course_id, session, tuple(booked), tuple(waiting), tuple(withdrawn),
                                           tuple(sheet.attended), tuple(sheet.absent)))
    return found
