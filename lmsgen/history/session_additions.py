"""What a change adds to sessions, judged by the day it is checked (docs/sessions.md): withdrawals and
no-shows. `additions.problems` runs these with the rest.

- A withdrawal is dated no later than today, and withdraws a request whose session has not started before
  today: once a session has begun, whoever did not come is marked `absent` on its attendance list instead.
  The day a session starts still counts as before it (a same-day cancellation). The session's start must
  pass on each side that has the session.
- People the change adds to an attendance list's `absent` are marked once the session has ended, as attendees
  are.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from ..model.diagnostics import Diagnostic
from ..model.organisation import Organisation
from ..rules.withdrawals import added_withdrawals, find_session
from .additions import same_bytes


def withdrawal_problems(base: Organisation, judge: Organisation, head: Organisation, ref: str,
                        today: date) -> Iterator[Diagnostic]:
    """Errors in the withdrawals `head` adds to `base` (`judge`: the organisation whose catalog judges too)."""
    for entry, request in added_withdrawals(base, head):
        when = entry.model.date
        if when is not None and when > today:
            yield entry.source.error(("date",), f"withdrawal dated {when.isoformat()}, after today "
                                     f"({today.isoformat()}): a withdrawal is dated the day it is made")
        session_id = request.model.session
        if session_id is None:
            continue
        for org, side in ((head, ""), (judge, f" on {ref}")):
            course = org.courses.get(request.model.course)
            session = find_session(course.model, session_id) if course else None
            if course is None or session is None or session.starts_on >= today:
                continue
            index = course.model.sessions.index(session)
            yield entry.source.error(("reason",), f"session '{session_id}' of '{request.model.course}' started on "
                                     f"{session.starts_on.isoformat()} ({course.source.place(('sessions', index, 'start'))}"
                                     f"{side}), before today ({today.isoformat()}): withdraw before a session "
                                     f"starts; after, the trainer marks a no-show absent on its attendance list",
                                     key=True)
            break


def absence_problems(base: Organisation, head: Organisation, today: date) -> Iterator[Diagnostic]:
    """Errors in the people `head` adds to attendance lists' `absent`: only once the session has ended."""
    before = {(entry.ids["course"], entry.id): entry for entry in base.attendance}
    for entry in head.attendance:
        old = before.get((entry.ids["course"], entry.id))
        if old is not None and same_bytes(old, entry):
            continue
        listed = set(old.model.absent) if old is not None else set()
        first = next((index for index, person in enumerate(entry.model.absent) if person not in listed), None)
        course = head.courses.get(entry.ids["course"])
        session = find_session(course.model, entry.id) if course and first is not None else None
        if session is not None and session.ends_on > today:
            index = course.model.sessions.index(session)
            yield entry.source.error(("absent", first), f"session '{entry.id}' of '{entry.ids['course']}' ends on "
                                     f"{session.ends_on.isoformat()} ({course.source.place(('sessions', index, 'end'))}"
                                     f"), after today ({today.isoformat()}): mark a no-show once the session has "
                                     f"ended")
