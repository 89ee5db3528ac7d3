"""The learning engine: who must learn what, by when, and where each person stands on a date.

Everything here is a pure function of an :class:`~lmsgen.model.organisation.Organisation` and an as-of
date; nothing prints, reads the clock or touches the file system. The rules are those of
docs/status.md (the statuses, and every rule that decides them). The
:class:`Engine` gathers every source of every person's courses, finds what each source makes of
the course, and keeps one row per person and course. Where docs/status.md leaves a choice, the
decision is said where it is made:

- :mod:`.audiences`: whom a rule's audience and a manager's assignment select (never someone who has left by
  the as-of date, who has no status; their requests count no more either);
- :mod:`.dates`: a rule's due date for a person, when a completion expires or recurs, and when
  the course is due again (never before the rule's own deadline);
- :mod:`.seats`: which requests of a session hold a seat and which wait;
- :mod:`.explain`: all of it again in plain sentences, for ``lmsgen explain``;
- and here:

Sources
    A course reaches a person's list from three kinds of source: an org-wide rule
    (``assignments/<rule>.yaml``, source = the rule id), a manager's assignment
    (``assignments/teams/<team>.yaml``, source ``team:<team>``, due on the line's ``due`` or
    never) and an approved request (source ``request:<id>``; every request on the main branch
    is approved). A person a rule excludes gets ``exempt`` for that rule (only when the audience
    selects them: an exclusion of someone outside the audience changes nothing).

"Passed", "due" and "overdue"
    A due date equal to the as-of date is still ``due``; ``overdue`` starts the day after.
    "Passed" for a certificate's ``expires_on`` and for the next recurrence means
    ``as_of >= date``: on its expiry day a certificate has expired. So a lapsing certification
    goes ``expiring`` → ``due`` (on its expiry day) → ``overdue`` (the day after), the same
    rhythm as any due date.

Requests
    A request makes the person ``enrolled`` (``waitlisted`` while it waits for a seat) unless
    they already have a valid completion, which makes the row ``done``/``expiring``. Enrolment
    never turns ``overdue``: the person has done what they can until the trainer records
    attendance. A withdrawn request counts for nothing; a request whose person the session's
    attendance lists as ``absent`` makes the course ``due`` again (no due date of its own) from
    the session's end (:mod:`.withdrawals`).

The ``due`` column of a row
    For ``due``/``overdue`` rows, the due date. For ``done``/``expiring`` rows, the date the
    course falls due again under that source (null when it never does), so that the earliest
    renewal names its source. For ``enrolled``/``waitlisted`` rows, the start date of the
    requested session (null without a session): the day the person will take it. For ``exempt``
    rows, null.

One row per person and course
    Non-exempt sources win over exempt ones (``exempt`` only when every source exempts).
    Among the rest, the earliest due date wins (no due date counts as the latest) and names
    the source; on a tie, an enrolment beats a waitlist beats the rest (it says more about
    what is happening), then rules before team assignments before requests, then by source id.

Time
    Records, attendance (by the session's local end date), requests and rules whose ``from`` is after
    the as-of date do not exist yet. The last completion is the latest one on or before as-of.

Completed courses that nobody assigns are not status rows; :meth:`Engine.completions` returns
every person's completion history for the portal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import cached_property
from typing import TextIO

from ..gcpause import collector_paused
from ..model import formats as m
from ..model.organisation import Entry, Organisation
from . import completion_events, json_text
from .assessments import assessed, attempts_left, judge_import, judge_record
from .audiences import Audiences
from .completion_events import CompletionEvent
from .dates import lapse, months_later, rule_due
from .programs import courses_to_assign, program_sources, valid_completions
from .seats import Seats, find_session
from .withdrawals import Withdrawals, absences

DEFAULT_EXPIRING_WITHIN_DAYS = 60


class Status(str, Enum):
    """Where a person stands with a course."""

    DONE = "done"
    EXPIRING = "expiring"
    DUE = "due"
    OVERDUE = "overdue"
    EXEMPT = "exempt"
    ENROLLED = "enrolled"
    WAITLISTED = "waitlisted"


STATUS_ORDER: tuple[Status, ...] = (
    Status.OVERDUE, Status.DUE, Status.WAITLISTED, Status.ENROLLED, Status.EXPIRING, Status.DONE, Status.EXEMPT,
)
"""Statuses from the most to the least urgent, for summaries and sorting."""


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)  # hundreds of thousands at 10,000 people: no dict each
class StatusRow:
    """One person and one course as of a date: the contract of ``lmsgen status``."""

    person: str
    course: str
    status: Status
    due: date | None
    completed_on: date | None
    expires_on: date | None
    source: str
    team: str
    failed_attempts: int = 0
    """Failed attempts since the last completion that counts (docs/assessments.md)."""
    attempts_left: int | None = None
    """Attempts the course still allows (None: no cap)."""
    attempts_used_up: bool = False
    """Due or overdue with every allowed attempt failed: the manager decides."""

    def as_json(self) -> dict[str, str | int | bool | None]:
        """The row as JSON-ready values (ISO dates or None)."""
        iso = lambda d: d.isoformat() if d else None  # noqa: E731
        return {"person": self.person, "course": self.course, "status": self.status.value,
                "due": iso(self.due), "completed_on": iso(self.completed_on),
                "expires_on": iso(self.expires_on), "source": self.source, "team": self.team,
                "failed_attempts": self.failed_attempts, "attempts_left": self.attempts_left,
                "attempts_used_up": self.attempts_used_up}


def status_json(rows: Iterable[StatusRow], stream: TextIO) -> None:
    """Writes the rows as `lmsgen status --format json` prints them and the site exports them: one text, so they
    cannot drift."""
    json_text.write_rows((row.as_json() for row in rows), stream)


@dataclass(frozen=True)
class Outcome:
    """What one source makes of a person's course: the status and dates it would show."""

    status: Status
    due: date | None
    completed_on: date | None
    expires_on: date | None


@dataclass(frozen=True)
class Source:
    """One reason a course is on a person's list."""

    order: int  # 0 rule, 1 team assignment, 2 request: the tie-break between kinds
    name: str  # as shown in the `source` column
    due: date | None  # the source's own due date for this person
    every_months: int | None = None
    exempt: str | None = None  # the exclusion's reason
    seat: Status | None = None  # ENROLLED or WAITLISTED, for requests
    session_start: date | None = None
    absent: date | None = None  # for a request: the end of the session its person was absent from


# --- the engine ----------------------------------------------------------------------------


class Engine:
    """Status of every person as of one date, with the indexes built once and shared.

    Construction is cheap; indexes are built on first use. Sized for 10,000 people, 1,000
    courses and 200,000 records: audiences are sets computed once per rule, and records are
    indexed per person once, so the work grows with the rows produced, not people × rules.
    """

    def __init__(self, org: Organisation, as_of: date):
        self.org = org
        self.as_of = as_of
        self.window = org.org.model.expiring_within_days if org.org else DEFAULT_EXPIRING_WITHIN_DAYS
        self.audiences = Audiences(org, as_of)
        self.seats = Seats(org, as_of)

    def seat(self, request: Entry[m.Request]) -> Status | None:
        """ENROLLED or WAITLISTED for a request of a session dated on or before as-of; None for any other request."""
        seated = self.seats.holds_seat(request)
        return None if seated is None else Status.ENROLLED if seated else Status.WAITLISTED

    def rule_applies(self, rule: m.Rule) -> bool:
        """Whether a rule exists on the as-of date (its `from` is not after it)."""
        return rule.from_ is None or rule.from_ <= self.as_of

    # --- completions --------------------------------------------------------------------

    def _last_completions(self, people: set[str] | None) -> dict[tuple[str, str], date]:
        """(person, course) → the latest completion on or before as-of, from records and attendance.

        For `people` only (None: everyone): one person's status need not index 200,000 records.
        """
        return self._completion_dates(people)[0]

    def _completion_dates(self, people: set[str] | None) -> tuple[dict[tuple[str, str], date],
                                                                   dict[tuple[str, str], list[date]]]:
        """The latest completion of each (person, course), and the dates of its failed attempts, on or before
        as-of, for `people` (None: everyone). Once everyone's are made, some people's are taken from them."""
        everyone = self.__dict__.get("_everyone_dates")
        if everyone is not None and people is not None:
            return ({key: on for key, on in everyone[0].items() if key[0] in people},
                    defaultdict(list, {key: days for key, days in everyone[1].items() if key[0] in people}))
        found = self._dates_of(people)
        if people is None:
            self._everyone_dates = found
        return found

    def completion_dates(self, people: set[str] | None) -> tuple[dict, dict]:
        """`_completion_dates`; everyone's (None) as kept since the rows made them, or as `know_completion_dates` set."""
        everyone = self.__dict__.get("_everyone_dates")
        return everyone if people is None and everyone is not None else self._completion_dates(people)

    def know_completion_dates(self, last: dict, failed: dict) -> None:
        """Takes everyone's completion dates as made by an earlier build of the same inputs (the site's pieces)."""
        self._everyone_dates = (last, defaultdict(list, failed))

    def forget_completion_dates(self) -> None:
        """Lets go of everyone's completion dates, kept since the rows were made (`_completion_dates`), and of the
        events `keep_events` kept."""
        self.__dict__.pop("_everyone_dates", None)
        self.__dict__.pop("_kept_events", None)

    def keep_events(self) -> None:
        """Makes every event of everyone (`events(None, attempts=True)`) now, in one pass over the records, and
        keeps them until `forget_completion_dates`: everyone's status rows and completions are then made from them.
        Each records file's model is let go once read (`Entry.release`), so that the records of a large
        organisation are never all held as models at once: for a build, which needs both the rows and the
        history of everyone (docs/site.md)."""
        if "_kept_events" not in self.__dict__:
            with collector_paused():  # millions of small, long-lived objects
                self._kept_events = list(self._events(None, attempts=True, release=True))

    def _dates_of(self, people: set[str] | None) -> tuple[dict[tuple[str, str], date],
                                                          dict[tuple[str, str], list[date]]]:
        kept = self.__dict__.get("_kept_events")
        if kept is not None and people is None:
            return self._dates_from_events(kept)
        as_of, last = self.as_of, {}
        judged = self._assessed
        failed: dict[tuple[str, str], list[date]] = defaultdict(list)
        for entry in self.org.records:
            person = entry.model.person
            if people is not None and person not in people:
                continue
            for record in entry.model.records:
                if record.date <= as_of:
                    key = (person, record.course)
                    if record.course in judged:
                        judgement = judge_record(record, judged[record.course])
                        if not judgement.counts:
                            if judgement.result.value == "failed":
                                failed[key].append(record.date)
                            continue
                    if key not in last or last[key] < record.date:
                        last[key] = record.date
        for person, course, on, counts in self._imported(people):
            if on <= as_of and not counts:
                failed[(person, course)].append(on)
            elif on <= as_of:
                key = (person, course)
                if key not in last or last[key] < on:
                    last[key] = on
        for course, session, ended, attendance in self._attended_sessions:
            if ended <= as_of:
                for person in attendance.model.attended:
                    if people is not None and person not in people:
                        continue
                    key = (person, course)
                    if key not in last or last[key] < ended:
                        last[key] = ended
        return last, failed

    def _dates_from_events(self, events: list[CompletionEvent]) -> tuple[dict[tuple[str, str], date],
                                                                         dict[tuple[str, str], list[date]]]:
        return completion_events.dates_from_events(events, self.as_of)

    def _imported(self, people: set[str] | None) -> Iterable[tuple[str, str, date, bool]]:
        """(person, course, date, whether it counts) of each imported completion of `people` (None: everyone);
        a failed attempt (`passed: false`, or a score below the course's pass mark) does not count."""
        judged = self._assessed
        for entry in self.org.completions:
            for record in entry.model.records:
                if people is None or record.person in people:
                    counts = record.passed and (record.course not in judged
                                                or judge_import(record, judged[record.course]).counts)
                    yield record.person, record.course, record.date, counts

    @cached_property
    def _assessed(self) -> dict[str, m.Course]:
        """The courses whose records are judged (a pass mark or a checklist): the rest always count."""
        return {course_id: entry.model for course_id, entry in self.org.courses.items() if assessed(entry.model)}

    def passed(self, people: set[str]) -> dict[tuple[str, str], date]:
        """(person, course) → the latest completion that counts, on or before as-of, of `people`."""
        return self._last_completions(people)

    @cached_property
    def _attended_sessions(self) -> list[tuple[str, str, date, Entry[m.Attendance]]]:
        """(course, session, local end date, attendance entry) of each attendance sheet whose session exists."""
        found = []
        for entry in self.org.attendance:
            course = self.org.courses.get(entry.ids.get("course", ""))
            if course is None:
                continue
            session = find_session(course.model, entry.id)
            if session is not None:
                found.append((entry.ids["course"], entry.id, session.ends_on, entry))
        return found

    # --- sources ------------------------------------------------------------------------

    def _sources(self, people: set[str] | None,
                 last: dict[tuple[str, str], date]) -> dict[tuple[str, str], list[Source]]:
        """Every source of every (person, course), for `people` (None: everyone), given their last completions
        (`last`), by which a learning path's chosen steps are known."""
        found: dict[tuple[str, str], list[Source]] = defaultdict(list)
        courses, members = self.org.courses, self.org.members
        for rule_id, entry in self.org.rules.items():
            rule = entry.model
            if not self.rule_applies(rule):
                continue
            selected = self.audiences.of_rule(rule)
            if people is not None:
                selected &= people
            if not selected:
                continue
            excluded = {x.person: x.reason for x in rule.exclude}
            listed = [c for c in rule.courses if c in courses]
            per_person = rule.due is None and rule.due_days is not None  # else one date for all
            for person in selected:
                due = rule_due(rule, members[person].person.start_date) if per_person else rule.due
                source = Source(0, rule_id, due, rule.every_months, excluded.get(person))
                for course in listed:
                    found[(person, course)].append(source)
        for team, entry in self.org.team_assignments.items():
            if team not in self.org.teams:
                continue
            for assignment in entry.model.assignments:
                if assignment.course not in courses:
                    continue
                selected = self.audiences.of_assignment(team, assignment)
                if people is not None:
                    selected &= people
                source = Source(1, f"team:{team}", assignment.due)
                for person in selected:
                    found[(person, assignment.course)].append(source)
        assigned_programs = program_sources(self, people)  # rules/programs.py
        valid = valid_completions(self, {person for person, _ in assigned_programs}, last) \
            if assigned_programs else {}
        for (person, program), assigned in assigned_programs.items():
            for course in courses_to_assign(self.org, program, valid.get(person, ())):
                found[(person, course)].extend(Source(s.order, s.name, s.due, s.every_months, s.exempt)
                                               for s in assigned)
        withdrawals, absent = Withdrawals(self.org), absences(self.org, self.as_of)
        for entry in self.org.requests:
            request = entry.model
            if (request.date > self.as_of or request.person not in self.audiences.people
                    or request.course not in courses or (people is not None and request.person not in people)
                    or withdrawals.withdrawn(entry, self.as_of)):
                continue
            start = None
            if request.session is not None:
                session = find_session(courses[request.course].model, request.session)
                if session is None:
                    continue  # an error reported by the checks
                start = session.starts_on
            found[(request.person, request.course)].append(
                Source(2, f"request:{entry.id}", None, seat=self.seat(entry) or Status.ENROLLED, session_start=start,
                       absent=absent.get((request.person, request.course, request.session or ""))))
        return found

    # --- evaluation ---------------------------------------------------------------------

    def outcome(self, source: Source, course: m.Course, last: date | None) -> Outcome:
        """What one source makes of a course given the last completion (see the module docstring and :mod:`.dates`)."""
        as_of = self.as_of
        expires = months_later(last, course.valid_months) if last else None
        if source.exempt is not None:
            return Outcome(Status.EXEMPT, None, last, expires)
        valid = last is not None and (expires is None or as_of < expires)
        if source.seat is not None:  # a request
            if valid:
                return Outcome(self._done_or_expiring(expires), None, last, expires)
            if source.absent is not None:  # a no-show: the course is to do again
                return Outcome(Status.DUE, None, last, expires)
            return Outcome(source.seat, source.session_start, last, expires)
        if last is None:
            return Outcome(Status.OVERDUE if source.due and as_of > source.due else Status.DUE,
                           source.due, None, None)
        lapses, due = lapse(last, expires, source.every_months, source.due)
        if lapses is None or as_of < lapses:
            return Outcome(self._done_or_expiring(expires), due, last, expires)
        return Outcome(Status.OVERDUE if as_of > due else Status.DUE, due, last, expires)

    def _done_or_expiring(self, expires: date | None) -> Status:
        if expires is not None and (expires - self.as_of).days <= self.window:
            return Status.EXPIRING
        return Status.DONE

    @staticmethod
    def _winner(candidates: list[tuple[Source, Outcome]]) -> tuple[Source, Outcome]:
        active = [c for c in candidates if c[1].status is not Status.EXEMPT] or candidates
        tie = {Status.ENROLLED: 0, Status.WAITLISTED: 1}
        return min(active, key=lambda c: (c[1].due is None, c[1].due or date.min, tie.get(c[1].status, 2),
                                          c[0].order, c[0].name))

    # --- public API ---------------------------------------------------------------------

    def rows(self, people: Iterable[str] | None = None) -> list[StatusRow]:
        """One row per person and assigned or requested course, sorted by person then course.

        `people` limits the rows to those people (None: everyone).
        """
        with collector_paused():  # many small, long-lived objects and no cycles: the collector only costs time
            return self._rows(None if people is None else set(people))

    def _rows(self, wanted: set[str] | None) -> list[StatusRow]:
        last_completion, failed_attempts = self._completion_dates(wanted)
        courses, members = self.org.courses, self.org.members
        rows = []
        for (person, course_id), sources in self._sources(wanted, last_completion).items():
            course = courses[course_id].model
            last = last_completion.get((person, course_id))
            source, result = self._winner([(s, self.outcome(s, course, last)) for s in sources])
            tries = failed_attempts.get((person, course_id))
            failed = sum(1 for on in tries if last is None or on > last) if tries else 0
            left = attempts_left(course, failed)
            rows.append(StatusRow(person, course_id, result.status, result.due, result.completed_on,
                                  result.expires_on, source.name, members[person].team, failed, left,
                                  left == 0 and result.status in (Status.DUE, Status.OVERDUE)))
        rows.sort(key=lambda r: (r.person, r.course))
        return rows

    def completions(self, person: str | None = None, *, attempts: bool = False) -> dict[str, list[CompletionEvent]]:
        """Every completion on or before as-of, per person, oldest first (for portals and history).

        Unlike the status rows, this includes courses nobody assigns. `person` limits it to one person;
        `attempts` adds the records that do not count (failed, partial checklists).
        """
        found: dict[str, list[CompletionEvent]] = defaultdict(list)
        with collector_paused():
            for event in self.events(person, attempts=attempts):
                if event.on <= self.as_of:
                    found[event.person].append(event)
        for events in found.values():
            events.sort(key=lambda e: (e.on, e.course, e.via, e.path))
        return dict(found)

    def events(self, person: str | None, *, attempts: bool = False) -> Iterable[CompletionEvent]:
        """Every completion of `person` (None: everyone), in file order, those after as-of included; with
        `attempts`, the records and imports that do not count too (their `result` says why)."""
        kept = self.__dict__.get("_kept_events")
        if kept is not None and person is None:
            return kept if attempts else (event for event in kept if event.result == "passed")
        return self._events(person, attempts=attempts)

    def _events(self, person: str | None, *, attempts: bool, release: bool = False) -> Iterable[CompletionEvent]:
        """`events`, read from the files; with `release`, each records file's model is let go once read."""
        return completion_events.read_events(self, person, attempts=attempts, release=release)

def status_rows(org: Organisation, as_of: date, *, person: str | None = None,
                team: str | None = None) -> list[StatusRow]:
    """The status table as of `as_of`, optionally for one person and/or one team's subtree."""
    engine = Engine(org, as_of)
    return engine.rows(selected_people(engine, person, team))


def selected_people(engine: Engine, person: str | None, team: str | None) -> set[str] | None:
    """The people a status table is for: one person, one team's subtree, both (who is in both), or everyone
    (None)."""
    people: set[str] | None = None
    if person is not None:
        people = {person}
    if team is not None:
        team_people = engine.audiences.people_in_subtree(team)
        people = team_people if people is None else people & team_people
    return people


def completions(org: Organisation, as_of: date) -> dict[str, list[CompletionEvent]]:
    """Every person's completions on or before `as_of`, assigned or not, oldest first."""
    return Engine(org, as_of).completions()

