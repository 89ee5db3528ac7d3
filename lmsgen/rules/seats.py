"""Seats in sessions: which requests hold one and which wait, as of a date.

Requests and seats
    Seats go in order of request date, then request id, then person; every request of a session
    dated on or before the as-of date holds its seat, completed or not, and one person holds at
    most one seat per session. A request withdrawn by then (`rules/withdrawals.py`) neither holds
    nor waits, so the first who waits takes its seat. Past the session's capacity a request waits for a seat; a session
    without a capacity seats everyone.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import cached_property

from ..model import formats as m
from ..model.organisation import Entry, Organisation
from .withdrawals import Withdrawals


def find_session(course: m.Course, session_id: str) -> m.Session | None:
    """The course's session `session_id`, or None when the course has none of that id."""
    return next((s for s in course.sessions if s.id == session_id), None)


class Seats:
    """The seat allocation of every session's requests as of one date, made on first use."""

    def __init__(self, org: Organisation, as_of: date):
        self.org = org
        self.as_of = as_of

    def holds_seat(self, request: Entry[m.Request]) -> bool | None:
        """Whether a request of a session holds a seat (False: it waits for one).

        None for a request of no session or dated after as-of: it neither holds nor waits.
        """
        return self._allocation.get(id(request))

    @cached_property
    def _allocation(self) -> dict[int, bool]:
        """id(request entry) → whether it holds a seat, for requests of a session dated on or before as-of."""
        by_session: dict[tuple[str, str], list[Entry[m.Request]]] = defaultdict(list)
        withdrawals = Withdrawals(self.org)
        for entry in self.org.requests:
            request = entry.model
            if request.session is not None and request.date <= self.as_of \
                    and not withdrawals.withdrawn(entry, self.as_of):
                by_session[(request.course, request.session)].append(entry)
        allocation: dict[int, bool] = {}
        for (course_id, session_id), entries in by_session.items():
            course = self.org.courses.get(course_id)
            session = find_session(course.model, session_id) if course else None
            capacity = session.capacity if session else None
            seated: dict[str, bool] = {}
            for entry in sorted(entries, key=lambda e: (e.model.date, e.id, e.model.person)):
                person = entry.model.person
                if person not in seated:  # a second request of the same person shares the first's fate
                    seated[person] = capacity is None or sum(seated.values()) < capacity
                allocation[id(entry)] = seated[person]
        return allocation
