"""What a change adds, judged by the organisation it is made on (its base) and by the day it is checked.

`check --base` and the helpers apply these rules to what a change adds: records, requests, people
on attendance lists, and entries of imported completion batches. A plain `check` does not apply them to merged data, since history may hold
anything that was true when it was merged.

- Who may record a completion comes from the base's teams and catalog. A change's own team or catalog
  change counts only once it is merged, approved by the owners of those files; until then it cannot
  make its author a manager, mentor or trainer and record under that standing in the same pull
  request. The change's own organisation must allow the record too: a change needs what either side
  needs. What the base cannot judge waits for the team or catalog change to be merged first: records
  and requests of a person or course the change adds, and attendance of a course or session it adds.
- Someone who has left (`left` in their team file) has no part in what happens from that day: a record
  dated on or after the day its person or its recorder left, and a request of someone who has left, are
  errors. What was merged before stays: history holds what was true when it was merged.
- The approval slips a request needs come from the base's course as well as from the change's: a
  change that makes a course free still needs the cost slip for a request it adds.
- Dates are days compared with `today`, which the caller passes in (the day the command runs): a record
  or request dated after today, attendance of a session that ends after today, and a request for a
  session that ended before today are errors. The day a session ends counts as part of it (it may still
  be requested) and as its end (its attendance may be marked; the status engine counts it from that
  day). A session's end must pass on each side that has the session.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from ..model import formats as m
from ..model.diagnostics import Diagnostic
from ..model.organisation import Entry, Organisation
from ..rules import slips
from ..rules.recorders import allowed_completers, allowed_names, completer_kinds, recorder_problem
from .learning_additions import learning_problems


@dataclass(frozen=True)
class Change:
    """A change to judge: the organisation it is made on, the one it makes, and the day it is checked."""

    base: Organisation
    head: Organisation
    ref: str
    """How messages name the base: the `--base` ref, or HEAD for the helpers."""
    today: date

    @cached_property
    def judge(self) -> Organisation:
        """The organisation whose teams and catalog judge what the change adds: the base, or the change's own
        when it leaves org.yaml, roles, teams and the catalog byte for byte as they are (most changes, which only
        add records or requests), since it then judges alike and has its indexes of people built already."""
        return self.head if self.base.reference_digest == self.head.reference_digest else self.base


def problems(change: Change) -> list[Diagnostic]:
    """Every error in what `change.head` adds to `change.base`."""
    from .session_additions import absence_problems, withdrawal_problems  # they use `same_bytes`, below

    return [*_records(change), *_requests(change), *_attendance(change), *_imports(change),
            *learning_problems(change, added_records(change.base, change.head),
                               added_requests(change.base, change.head)),
            *withdrawal_problems(change.base, change.judge, change.head, change.ref, change.today),
            *absence_problems(change.base, change.head, change.today)]


def same_bytes(old: Entry[Any], new: Entry[Any]) -> bool:
    """Whether two entries are known to hold the same bytes (by their blob ids), without reading either."""
    return old.source.blob is not None and old.source.blob == new.source.blob


def added_records(base: Organisation, head: Organisation) -> list[tuple[Entry[m.Records], int]]:
    """The records `head` has that `base` has not: each (records file, index) after the base's records
    of the same person (all of a file that is new)."""
    before = {entry.ids["person"]: entry for entry in base.records}
    added = []
    for entry in head.records:
        old = before.get(entry.ids["person"])
        if old is not None and same_bytes(old, entry):
            continue  # most files of a large organisation: neither side needs reading
        start = len(old.model.records) if old is not None else 0
        added += [(entry, index) for index in range(start, len(entry.model.records))]
    return added


def added_requests(base: Organisation, head: Organisation) -> list[Entry[m.Request]]:
    """The requests `head` has that `base` has not, by person and id (a request moving with its person is
    not added)."""
    before = {(entry.ids["person"], entry.id) for entry in base.requests}
    return [entry for entry in head.requests if (entry.ids["person"], entry.id) not in before]


# --- records --------------------------------------------------------------------------------


def _records(change: Change) -> Iterator[Diagnostic]:
    head, today = change.head, change.today
    newcomers: set[str] = set()
    for entry, index in added_records(change.base, head):
        person, record = entry.model.person, entry.model.records[index]
        if record.date > today:
            yield entry.source.error(("records", index, "date"), f"record dated {record.date.isoformat()}, after "
                                     f"today ({today.isoformat()}): a completion is recorded once it has happened")
        if person not in head.members or record.course not in head.courses:
            continue  # reported as errors by the checks already
        newcomer = _person_first(change, person, "add their records")
        if newcomer:
            if entry.source.path not in newcomers:
                newcomers.add(entry.source.path)
                yield entry.source.error(("person",), newcomer)
            continue
        new_course = _course_first(change, record.course, "add records of it")
        if new_course:
            yield entry.source.error(("records", index, "course"), new_course)
            continue
        gone = _gone(head, person, record.date, "a completion on or after that day is not recorded") or \
            _gone(head, record.by, record.date, "someone who has left records nothing")
        if gone:
            yield entry.source.error(("records", index, "by" if gone.startswith(f"'{record.by}'") else "date"), gone)
            continue
        problem = _recorder(change, person, record.course, record.by)
        if problem:
            yield entry.source.error(("records", index, "by"), problem)


def _gone(org: Organisation, person: str, on: date, why: str) -> str | None:
    """Why `person` can have no part in what happens `on`: they had left by then; None when they had not."""
    member = org.members.get(person)
    if member is None or member.person.is_current(on):
        return None
    left = member.person.left
    assert left is not None
    return f"'{person}' left on {left.isoformat()} ({member.source.place((*member.loc, 'left'))}): {why}"


def _recorder(change: Change, person: str, course_id: str, by: str) -> str | None:
    """Why `by` may not record `course_id` for `person` in this change: as the change's own organisation has
    it (what its author sees), else as the base has it, naming what the change does that would allow it."""
    base, head = change.judge, change.head
    problem = recorder_problem(head, completer_kinds(head, person), person, course_id, by)
    if problem is not None or by not in head.members or course_id not in base.courses:
        return problem  # with a team or course that failed to load, there is nothing more to judge by
    if recorder_problem(base, completer_kinds(base, person), person, course_id, by) is None:
        return None
    what, kind = _new_standing(change, person, course_id, by)
    return (f"'{by}' may not record '{course_id}' for '{person}' on {change.ref}, where "
            f"{allowed_names(base, person, base.courses[course_id].model)} may: this change {what}, so merge the "
            f"{kind} change first, then add the record")


def _new_standing(change: Change, person: str, course_id: str, by: str) -> tuple[str, str]:
    """What the change does that lets `by` record `course_id` for `person`, with its place, and which change
    it is (team or catalog). Called when the change's organisation allows it and the base's does not."""
    base, head = change.judge, change.head
    if by not in base.members:
        member = head.members[by]
        return f"adds '{by}' ({member.source.place(member.loc)})", "team"
    course = head.courses[course_id]
    kind = m.Completer(allowed_completers(head, person, course.model)[by])
    if kind not in base.courses[course_id].model.completion.by:
        return f"adds {kind.value} to the course's completion.by ({course.source.place(('completion', 'by'))})", \
            "catalog"
    if kind is m.Completer.TRAINER:
        place = course.source.place(("trainers", course.model.trainers.index(by)))
        return f"makes '{by}' a trainer of '{course_id}' ({place})", "catalog"
    if kind is m.Completer.MENTOR:
        member = head.members[person]
        return f"makes '{by}' the mentor of '{person}' ({member.source.place((*member.loc, 'mentor'))})", "team"
    # The person is always their own `self`, so what is left is a manager.
    place = head.teams[_managed_team(head, person, by)].source.place(("manager",))
    return f"makes '{by}' a manager of '{person}' ({place})", "team"


def _managed_team(org: Organisation, person: str, manager: str) -> str:
    """The team whose manager line makes `manager` the approving or alternate manager of `person`."""
    chain: list[str] = []
    for someone in (person, org.approving_manager(person)):
        member = org.members.get(someone or "")
        if member:
            chain += [member.team, *org.ancestors(member.team)]
    return next(team for team in chain if org.teams[team].model.manager == manager)


# --- imported completions ------------------------------------------------------------------


def added_imports(base: Organisation, head: Organisation) -> list[tuple[Entry[m.Completions], int]]:
    """The entries of imported batches `head` has that `base` has not: each (batch, index) after the base's
    entries of the same batch (all of a batch that is new)."""
    before = {entry.source.path: entry for entry in base.completions}
    added = []
    for entry in head.completions:
        old = before.get(entry.source.path)
        if old is not None and same_bytes(old, entry):
            continue
        start = len(old.model.records) if old is not None else 0
        added += [(entry, index) for index in range(start, len(entry.model.records))]
    return added


def _imports(change: Change) -> Iterator[Diagnostic]:
    """An imported completion is dated no later than today, and not on or after the day its person left."""
    for entry, index in added_imports(change.base, change.head):
        record = entry.model.records[index]
        if record.date > change.today:
            yield entry.source.error(("records", index, "date"), f"completion dated {record.date.isoformat()}, "
                                     f"after today ({change.today.isoformat()}): a completion is imported once it "
                                     f"has happened")
            continue
        gone = _gone(change.head, record.person, record.date, "a completion on or after that day is not imported")
        if gone:
            yield entry.source.error(("records", index, "date"), gone)


# --- requests -------------------------------------------------------------------------------


def _requests(change: Change) -> Iterator[Diagnostic]:
    head, today = change.head, change.today
    present = {slip.source.path for slip in head.slips}
    for entry in added_requests(change.base, head):
        request = entry.model
        if request.date > today:
            yield entry.source.error(("date",), f"request dated {request.date.isoformat()}, after today "
                                     f"({today.isoformat()}): a request is dated the day it is made")
        if request.person not in head.members or request.course not in head.courses:
            continue  # reported as errors by the checks already
        newcomer = _person_first(change, request.person, "add their requests")
        if newcomer:
            yield entry.source.error(("person",), newcomer)
            continue
        gone = _gone(head, request.person, today, "someone who has left requests nothing")
        if gone:
            yield entry.source.error(("person",), gone)
            continue
        new_course = _course_first(change, request.course, "request it")
        if new_course:
            yield entry.source.error(("course",), new_course)
            continue
        if request.session is not None:
            ended = _session_end(change, request.course, request.session, lambda end: end < today)
            if ended:
                yield entry.source.error(("session",), f"session '{request.session}' of '{request.course}' ended "
                                         f"on {ended}, before today ({today.isoformat()}): request a session still "
                                         f"to come")
        yield from _base_slips(change, entry, present)


def _base_slips(change: Change, entry: Entry[m.Request], present: set[str]) -> Iterator[Diagnostic]:
    """The slips the base's course requires of a request the change adds, beyond those the change's own
    course requires (whose absence the checks report)."""
    course = change.judge.courses.get(entry.model.course)
    if course is None:
        return  # it failed to load on the base
    required_now = slips.required_slips(change.head, entry.model)
    for kind, amount in slips.required_slips(change.judge, entry.model).items():
        path = slips.slip_path(entry, kind)
        if kind in required_now or path in present:
            continue
        missing = slips.MissingSlip(entry, kind, path, amount)
        # Either side's request needs the same slip for its own cost or kind: what differs is the course.
        place = course.source.place(("cost",) if kind is m.SlipKind.COST else ("format",))
        yield missing.diagnostic(f"on {change.ref}, {missing.reason()} ({place}); add the slip, or merge the "
                                 f"catalog change first")


# --- attendance -----------------------------------------------------------------------------


def _attendance(change: Change) -> Iterator[Diagnostic]:
    head, today = change.head, change.today
    before = {(entry.ids["course"], entry.id): entry for entry in change.base.attendance}
    for entry in head.attendance:
        course_id, session = entry.ids["course"], entry.id
        old = before.get((course_id, session))
        if old is not None and same_bytes(old, entry):
            continue
        listed = set(old.model.attended) if old is not None else set()
        first = next((index for index, person in enumerate(entry.model.attended) if person not in listed), None)
        course = head.courses.get(course_id)
        if first is None or course is None or _session_index(course.model, session) is None:
            continue  # nobody added, or reported as errors by the checks already
        problem = _course_first(change, course_id, "mark attendance of it") or _session_first(change, course_id,
                                                                                                session)
        if problem:
            yield entry.source.error(("attended", first), problem)
            continue
        ends = _session_end(change, course_id, session, lambda end: end > today)
        if ends:
            yield entry.source.error(("attended", first), f"session '{session}' of '{course_id}' ends on {ends}, "
                                     f"after today ({today.isoformat()}): mark attendance once the session has "
                                     f"ended")


def _session_end(change: Change, course_id: str, session: str, wrong: Callable[[date], bool]) -> str | None:
    """The end of the session, `2026-12-04 (catalog/c.yaml:8:5)`, on the first side (the change's, then the
    base's) where it is `wrong`; None when it is on neither."""
    for org, side in ((change.head, ""), (change.judge, f" on {change.ref}")):
        course = org.courses.get(course_id)
        index = _session_index(course.model, session) if course else None
        if course and index is not None and wrong(end := course.model.sessions[index].end.date()):
            return f"{end.isoformat()} ({course.source.place(('sessions', index, 'end'))}{side})"
    return None


def _session_index(course: m.Course, session: str) -> int | None:
    """Where the course lists the session (the first time, if twice), or None when it does not."""
    return next((index for index, listed in enumerate(course.sessions) if listed.id == session), None)


# --- what the base does not have yet ---------------------------------------------------------


def _not_yet(change: Change, what: str, place: str, kind: str, then: str) -> str:
    """The change adds `what` (at `place`) in its own team or catalog `kind` change, which must come first."""
    pronoun = "them" if kind == "team" else "it"
    return (f"{what} is not on {change.ref}: this change adds {pronoun} ({place}), so merge the {kind} change "
            f"first, then {then}")


def _person_first(change: Change, person: str, then: str) -> str | None:
    """Why the base cannot judge what the change adds for `person`: they are new; None when they are not."""
    if person in change.judge.members or any(kind == "team" for kind, _ in change.judge.broken):
        return None
    member = change.head.members[person]
    return _not_yet(change, f"'{person}'", member.source.place(member.loc), "team", then)


def _course_first(change: Change, course_id: str, then: str) -> str | None:
    """Why the base cannot judge what the change adds for a course: it is new; None when it is not."""
    if course_id in change.judge.courses or ("course", course_id) in change.judge.broken:
        return None
    return _not_yet(change, f"course '{course_id}'", change.head.courses[course_id].source.place(), "catalog", then)


def _session_first(change: Change, course_id: str, session: str) -> str | None:
    """Why the base cannot judge attendance of a session: it is new; None when it is not."""
    base_course = change.judge.courses.get(course_id)
    if base_course is None or _session_index(base_course.model, session) is not None:
        return None  # the course failed to load on the base, or has the session
    course = change.head.courses[course_id]
    place = course.source.place(("sessions", _session_index(course.model, session), "id"))
    return _not_yet(change, f"session '{session}' of '{course_id}'", place, "catalog", "mark attendance of it")
