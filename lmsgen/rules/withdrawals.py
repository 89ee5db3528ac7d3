"""Withdrawn requests and no-shows: the sessions side of a request after it is made (docs/sessions.md).

Withdrawing
    `teams/<team>/requests/<person>/<req>.withdraw.yaml` beside a request withdraws it (`reason:`, and
    optionally `date:`). From its date (without one: from the request's own date) the request holds no seat,
    waits for none, costs nothing against the budgets and puts nothing on the person's list: the first on the
    waitlist takes the seat, and the person's course is what it would be without the request. A withdrawal
    must sit beside its request and may not be dated before it.

No-shows
    `absent: [ids]` in `attendance/<course>/<session>.yaml` lists booked people who did not come. Someone
    absent must hold a request of that session that is not withdrawn, and may not also be listed as
    attended. From the session's end their request no longer counts as an enrolment: the course is due
    again (overdue under a rule's past deadline) until they complete it, book again, or attend.
"""

from __future__ import annotations

from datetime import date

from ..model import formats as m
from ..model.organisation import Entry, Organisation
from .references import Checker


def find_session(course: m.Course, session_id: str) -> m.Session | None:
    """The course's session `session_id` (as `seats.find_session`, which imports this module)."""
    return next((s for s in course.sessions if s.id == session_id), None)


def request_path(withdrawal: Entry[m.Withdrawal]) -> str:
    """The path of the request a withdrawal withdraws: beside it, `<req>.yaml`."""
    return f"{withdrawal.source.path.rsplit('/', 1)[0]}/{withdrawal.id}.yaml"


def withdrawal_path(request: Entry[m.Request]) -> str:
    """Where the withdrawal of a request goes: beside it, `<req>.withdraw.yaml`."""
    return f"{request.source.path.rsplit('/', 1)[0]}/{request.id}.withdraw.yaml"


class Withdrawals:
    """Which requests are withdrawn on a date, by the request file's path."""

    def __init__(self, org: Organisation):
        self.by_request: dict[str, Entry[m.Withdrawal]] = {request_path(entry): entry for entry in org.withdrawals}

    def of(self, request: Entry[m.Request]) -> Entry[m.Withdrawal] | None:
        """The withdrawal beside a request, whatever its date; None when it has none."""
        return self.by_request.get(request.source.path) if self.by_request else None

    def withdrawn(self, request: Entry[m.Request], as_of: date | None) -> bool:
        """Whether the request is withdrawn on `as_of` (None: on any day, the withdrawal's own date included)."""
        entry = self.of(request)
        if entry is None:
            return False
        return as_of is None or withdrawn_on(entry, request) <= as_of


def withdrawn_on(withdrawal: Entry[m.Withdrawal], request: Entry[m.Request]) -> date:
    """The day a withdrawal counts from: its `date`, else the request's."""
    return withdrawal.model.date or request.model.date


def absences(org: Organisation, as_of: date) -> dict[tuple[str, str, str], date]:
    """(person, course, session) → the session's end day, for each person absent from a session that has ended
    on or before `as_of`."""
    found: dict[tuple[str, str, str], date] = {}
    for entry in org.attendance:
        if not entry.model.absent:
            continue
        course = org.courses.get(entry.ids.get("course", ""))
        session = find_session(course.model, entry.id) if course else None
        if session is None or session.ends_on > as_of:
            continue
        for person in entry.model.absent:
            found[(person, entry.ids["course"], entry.id)] = session.ends_on
    return found


# --- checks ---------------------------------------------------------------------------------


def check_withdrawals(c: Checker) -> None:
    """A withdrawal sits beside its request and is not dated before it."""
    requests = {entry.source.path: entry for entry in c.org.requests}
    broken = {id_ for kind, id_ in c.org.broken if kind == "request"}
    for entry in c.org.withdrawals:
        request = requests.get(request_path(entry))
        if request is None:
            if entry.id not in broken:
                c.report(entry.source, (), f"no request '{entry.id}' beside this withdrawal: expected "
                         f"{request_path(entry)}")
            continue
        when = entry.model.date
        if when is not None and when < request.model.date:
            c.report(entry.source, ("date",), f"withdrawn on {when.isoformat()}, before the request was made "
                     f"({request.model.date.isoformat()}, at {c.place(request.source, ('date',))})")


def check_absences(c: Checker) -> None:
    """The people absent from each session: known, not also attended, and booked on it (a request of the
    session that is not withdrawn). Lists of a course or session that does not exist have their own errors."""
    lists = [entry for entry in c.org.attendance if entry.model.absent]
    if not lists:
        return
    withdrawals = Withdrawals(c.org)
    booked = {(request.model.person, request.model.course, request.model.session) for request in c.org.requests
              if request.model.session is not None and not withdrawals.withdrawn(request, None)}
    for entry in lists:
        course_id, session = entry.ids["course"], entry.id
        course = c.org.courses.get(course_id)
        if course is None or find_session(course.model, session) is None:
            continue
        attended = {person: index for index, person in enumerate(entry.model.attended)}
        for index, person in enumerate(entry.model.absent):
            if not c.person(entry.source, ("absent", index), person):
                continue
            if person in attended:
                c.report(entry.source, ("absent", index), f"'{person}' is listed as both attended (at "
                         f"{c.place(entry.source, ('attended', attended[person]))}) and absent")
            elif (person, course_id, session) not in booked:
                c.report(entry.source, ("absent", index), f"'{person}' has no request of session '{session}' of "
                         f"'{course_id}' that is not withdrawn: only people booked on a session can be absent "
                         f"from it")


def added_withdrawals(base: Organisation, head: Organisation) -> list[tuple[Entry[m.Withdrawal], Entry[m.Request]]]:
    """The withdrawals `head` has that `base` has not (by person and request id), each with its request in
    `head`; a withdrawal without its request has its own error and is left out."""
    before = {(entry.ids["person"], entry.id) for entry in base.withdrawals}
    requests = {entry.source.path: entry for entry in head.requests}
    return [(entry, requests[request_path(entry)]) for entry in head.withdrawals
            if (entry.ids["person"], entry.id) not in before and request_path(entry) in requests]
