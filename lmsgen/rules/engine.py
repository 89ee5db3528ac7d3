"""The learning engine: who must learn what, by when, and where each person stands on a date.

Everything here is a pure function of an :class:`~lmsgen.model.loading.Organisation` and an as-of
date; nothing prints, reads the clock or touches the file system. The rules are those of
DESIGN.md ("Status of one person for one course" and "Status rules, precisely"), with these
decisions where the design leaves a choice:

Sources
    A course reaches a person's list from three kinds of source: an org-wide rule
    (``assignments/<rule>.yaml``, source = the rule id), a manager's assignment
    (``assignments/teams/<team>.yaml``, source ``team:<team>``) and an approved request
    (source ``request:<id>``; every request on the main branch is approved).

Audiences
    A rule's audience is AND across its keys (teams, profiles, locations, people) and OR within
    a key; an empty key does not restrict, so an empty audience is everyone. ``teams`` include
    their subteams. A person the rule excludes gets ``exempt`` for that rule (only when the
    audience selects them: an exclusion of someone outside the audience changes nothing).

Manager assignments
    A team's assignment file covers the team's subtree, as its manager does. ``person: all``
    means every member of that subtree *except the team's own manager*: a manager assigns work
    to their people, and their own training comes from their manager's file (or a rule). Naming
    the manager explicitly still assigns it to them. The due date is the line's ``due`` or none.

Due dates
    A rule's ``due`` if given; else ``due_days`` after the later of the rule's ``from`` and the
    person's ``start_date`` (whichever of the two exists); no due date when the rule has
    neither ``due`` nor ``due_days``, or has ``due_days`` but neither date.

"Passed", "due" and "overdue"
    A due date equal to the as-of date is still ``due``; ``overdue`` starts the day after.
    A certificate is valid *until* its ``expires_on`` (completion + ``valid_months``, calendar
    months, the day clamped to the month's end), and on that day it has expired: "passed" for
    ``expires_on`` and for the next recurrence (completion + ``every_months``) means
    ``as_of >= date``. So a lapsing certification goes ``expiring`` → ``due`` (on its expiry
    day) → ``overdue`` (the day after), the same rhythm as any due date.

Renewal never before the rule's own deadline
    When a completion has lapsed (expired or recurrence reached), the course is due again on the
    earlier of the two dates, but never earlier than the source's own due date for that person:
    someone whose old certificate lapsed before a new rule's deadline has until that deadline,
    like everyone else the rule selects. (A completion before the rule's ``from`` still counts,
    as the design says.)

The ``due`` column of a row
    For ``due``/``overdue`` rows, the due date. For ``done``/``expiring`` rows, the date the
    course falls due again under that source (null when it never does), so that the earliest
    renewal names its source. For ``enrolled``/``waitlisted`` rows, the start date of the
    requested session (null without a session): the day the person will take it. For ``exempt``
    rows, null.

Requests and seats
    A request makes the person ``enrolled`` (``waitlisted`` past the session's capacity) unless
    they already have a valid completion, which makes the row ``done``/``expiring``. Seats go
    in order of request date, then request id, then person; every request dated on or before
    the as-of date holds its seat, completed or not, and one person holds at most one seat per
    session. Enrolment never turns ``overdue``: the person has done what they can until the
    trainer records attendance.

One row per person and course
    Non-exempt sources win over exempt ones (``exempt`` only when every source exempts).
    Among the rest, the earliest due date wins (no due date counts as the latest) and names
    the source; on a tie, an enrolment beats a waitlist beats the rest (it says more about
    what is happening), then rules before team assignments before requests, then by source id.

Time
    Records, attendance (by the session's end date), requests and rules whose ``from`` is after
    the as-of date do not exist yet. The last completion is the latest one on or before as-of.

Completed courses that nobody assigns are not status rows; :meth:`Engine.completions` returns
every person's completion history for the portal.
"""

from __future__ import annotations

import calendar
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from functools import cached_property

from ..gcpause import collector_paused
from ..model import formats as m
from ..model.loading import Entry, Organisation

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


def add_months(day: date, months: int) -> date:
    """`day` plus `months` calendar months, the day clamped to the end of the month (Jan 31 + 1 = Feb 28/29).

    Saturates at ``date.max`` instead of failing, since any date may come from user data.
    """
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if year > date.max.year:
        return date.max
    if year < date.min.year:
        return date.min
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_days(day: date, days: int) -> date:
    """`day` plus `days`, saturating at ``date.max``."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
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

    def as_json(self) -> dict[str, str | None]:
        """The row as JSON-ready values (ISO dates or None)."""
        iso = lambda d: d.isoformat() if d else None  # noqa: E731
        return {"person": self.person, "course": self.course, "status": self.status.value,
                "due": iso(self.due), "completed_on": iso(self.completed_on),
                "expires_on": iso(self.expires_on), "source": self.source, "team": self.team}


def status_json(rows: Iterable[StatusRow]) -> str:
    """The rows as `lmsgen status --format json` prints them (and the site exports them): one text, so they cannot drift."""
    return json.dumps([row.as_json() for row in rows], indent=2) + "\n"


@dataclass(frozen=True)
class CompletionEvent:
    """One completion of one course by one person: a record, or attendance of a session (its end date)."""

    person: str
    course: str
    on: date
    via: str
    """``record`` or ``attendance``."""
    path: str
    """The file that says so."""
    expires_on: date | None
    by: str | None = None
    session: str | None = None
    index: int | None = None
    """The record's position in its file (0-based); None for attendance."""


@dataclass(frozen=True)
class Outcome:
    """What one source makes of a person's course: the status and dates it would show."""

    status: Status
    due: date | None
    completed_on: date | None
    expires_on: date | None


@dataclass(frozen=True)
class _Source:
    """One reason a course is on a person's list."""

    order: int  # 0 rule, 1 team assignment, 2 request: the tie-break between kinds
    name: str  # as shown in the `source` column
    due: date | None  # the source's own due date for this person
    every_months: int | None = None
    exempt: str | None = None  # the exclusion's reason
    seat: Status | None = None  # ENROLLED or WAITLISTED, for requests
    session_start: date | None = None


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

    # --- indexes ------------------------------------------------------------------------

    @cached_property
    def people_by_team(self) -> dict[str, list[str]]:
        """The people of each team (its own members, not the teams below it)."""
        found: dict[str, list[str]] = defaultdict(list)
        for person, member in self.org.members.items():
            found[member.team].append(person)
        return found

    @cached_property
    def _by_profile(self) -> dict[str, set[str]]:
        found: dict[str, set[str]] = defaultdict(set)
        for person, member in self.org.members.items():
            if member.person.profile:
                found[member.person.profile].add(person)
        return found

    @cached_property
    def _by_location(self) -> dict[str, set[str]]:
        found: dict[str, set[str]] = defaultdict(set)
        for person, member in self.org.members.items():
            if member.person.location:
                found[member.person.location].add(person)
        return found

    def _subtree_teams(self, team: str) -> frozenset[str]:
        cache = self.__dict__.setdefault("_subtree_cache", {})
        if team not in cache:
            cache[team] = frozenset(self.org.subtree(team)) if team in self.org.teams else frozenset()
        return cache[team]

    def people_in_subtree(self, team: str) -> set[str]:
        """Every person in `team` or a team below it."""
        return {p for t in self._subtree_teams(team) for p in self.people_by_team.get(t, ())}

    @cached_property
    def _last_completion(self) -> dict[tuple[str, str], date]:
        """(person, course) → the latest completion on or before as-of, from records and attendance."""
        return self._last_completions(None)

    def _last_completions(self, people: set[str] | None) -> dict[tuple[str, str], date]:
        """The same for `people` only (None: everyone): one person's status need not index 200,000 records."""
        if people is None and "_last_completion" in self.__dict__:
            return self._last_completion
        as_of, last = self.as_of, {}
        for entry in self.org.records:
            person = entry.model.person
            if people is not None and person not in people:
                continue
            for record in entry.model.records:
                if record.date <= as_of:
                    key = (person, record.course)
                    if key not in last or last[key] < record.date:
                        last[key] = record.date
        for course, session, ended, attendance in self._attended_sessions:
            if ended <= as_of:
                for person in attendance.model.attended:
                    if people is not None and person not in people:
                        continue
                    key = (person, course)
                    if key not in last or last[key] < ended:
                        last[key] = ended
        return last

    @cached_property
    def _attended_sessions(self) -> list[tuple[str, str, date, Entry[m.Attendance]]]:
        """(course, session, end date, attendance entry) of each attendance sheet whose session exists."""
        found = []
        for entry in self.org.attendance:
            course = self.org.courses.get(entry.ids.get("course", ""))
            if course is None:
                continue
            session = next((s for s in course.model.sessions if s.id == entry.id), None)
            if session is not None:
                found.append((entry.ids["course"], entry.id, session.end.date(), entry))
        return found

    @cached_property
    def _seats(self) -> dict[int, Status]:
        """id(request entry) → ENROLLED or WAITLISTED, for requests of a session, dated on or before as-of."""
        by_session: dict[tuple[str, str], list] = defaultdict(list)
        for entry in self.org.requests:
            request = entry.model
            if request.session is not None and request.date <= self.as_of:
                by_session[(request.course, request.session)].append(entry)
        seats: dict[int, Status] = {}
        for (course_id, session_id), entries in by_session.items():
            course = self.org.courses.get(course_id)
            session = next((s for s in course.model.sessions if s.id == session_id), None) if course else None
            capacity = session.capacity if session and session.capacity is not None else None
            holders: dict[str, Status] = {}
            for entry in sorted(entries, key=lambda e: (e.model.date, e.id, e.model.person)):
                person = entry.model.person
                if person not in holders:  # a second request of the same person shares the first's fate
                    taken = sum(1 for s in holders.values() if s is Status.ENROLLED)
                    holders[person] = Status.ENROLLED if capacity is None or taken < capacity else Status.WAITLISTED
                seats[id(entry)] = holders[person]
        return seats

    def audience(self, rule: m.Rule) -> set[str]:
        """The people a rule's audience selects (before exclusions)."""
        sets: list[set[str]] = []
        wanted = rule.audience
        if wanted.teams:
            sets.append(set().union(*(self.people_in_subtree(t) for t in wanted.teams)))
        if wanted.profiles:
            sets.append(set().union(*(self._by_profile.get(p, set()) for p in wanted.profiles)))
        if wanted.locations:
            sets.append(set().union(*(self._by_location.get(x, set()) for x in wanted.locations)))
        if wanted.people:
            sets.append({p for p in wanted.people if p in self.org.members})
        if not sets:
            return set(self.org.members)
        sets.sort(key=len)
        return sets[0].intersection(*sets[1:])

    def rule_applies(self, rule: m.Rule) -> bool:
        """Whether a rule exists on the as-of date (its `from` is not after it)."""
        return rule.from_ is None or rule.from_ <= self.as_of

    def rule_due(self, rule: m.Rule, person: str) -> date | None:
        """The rule's due date for `person` (see the module's "Due dates")."""
        if rule.due is not None:
            return rule.due
        if rule.due_days is None:
            return None
        member = self.org.members.get(person)
        start = member.person.start_date if member else None
        anchors = [d for d in (rule.from_, start) if d is not None]
        return add_days(max(anchors), rule.due_days) if anchors else None

    def team_assignment_people(self, team: str, assignment: m.TeamAssignment) -> set[str]:
        """Whom one line of a team's assignment file assigns: a named person in the subtree, or `all`."""
        subtree = self.people_in_subtree(team)
        if assignment.person == "all":
            manager = self.org.teams[team].model.manager if team in self.org.teams else None
            return subtree - {manager}
        return {assignment.person} & subtree

    # --- sources ------------------------------------------------------------------------

    def _sources(self, people: set[str] | None) -> dict[tuple[str, str], list[_Source]]:
        """Every source of every (person, course), for `people` (None: everyone)."""
        found: dict[tuple[str, str], list[_Source]] = defaultdict(list)
        courses = self.org.courses
        for rule_id, entry in self.org.rules.items():
            rule = entry.model
            if not self.rule_applies(rule):
                continue
            selected = self.audience(rule)
            if people is not None:
                selected &= people
            if not selected:
                continue
            excluded = {x.person: x.reason for x in rule.exclude}
            listed = [c for c in rule.courses if c in courses]
            per_person = rule.due is None and rule.due_days is not None  # else one date for all
            for person in selected:
                due = self.rule_due(rule, person) if per_person else rule.due
                source = _Source(0, rule_id, due, rule.every_months, excluded.get(person))
                for course in listed:
                    found[(person, course)].append(source)
        for team, entry in self.org.team_assignments.items():
            if team not in self.org.teams:
                continue
            for assignment in entry.model.assignments:
                if assignment.course not in courses:
                    continue
                selected = self.team_assignment_people(team, assignment)
                if people is not None:
                    selected &= people
                source = _Source(1, f"team:{team}", assignment.due)
                for person in selected:
                    found[(person, assignment.course)].append(source)
        seats = self._seats
        for entry in self.org.requests:
            request = entry.model
            if (request.date > self.as_of or request.person not in self.org.members
                    or request.course not in courses or (people is not None and request.person not in people)):
                continue
            start = None
            if request.session is not None:
                session = next((s for s in courses[request.course].model.sessions if s.id == request.session), None)
                if session is None:
                    continue  # an error reported by the checks
                start = session.start.date()
            seat = seats.get(id(entry), Status.ENROLLED)
            found[(request.person, request.course)].append(
                _Source(2, f"request:{entry.id}", None, seat=seat, session_start=start))
        return found

    # --- evaluation ---------------------------------------------------------------------

    def _outcome(self, source: _Source, course: m.Course, last: date | None) -> Outcome:
        """What one source makes of a course given the last completion (see the module docstring)."""
        as_of = self.as_of
        expires = add_months(last, course.valid_months) if last and course.valid_months else None
        if source.exempt is not None:
            return Outcome(Status.EXEMPT, None, last, expires)
        valid = last is not None and (expires is None or as_of < expires)
        if source.seat is not None:  # a request
            if valid:
                return Outcome(self._done_or_expiring(expires), None, last, expires)
            return Outcome(source.seat, source.session_start, last, expires)
        if last is None:
            return Outcome(Status.OVERDUE if source.due and as_of > source.due else Status.DUE,
                           source.due, None, None)
        recurs = add_months(last, source.every_months) if source.every_months else None
        renewal = min((d for d in (expires, recurs) if d is not None), default=None)
        due_again = max(renewal, source.due) if renewal and source.due else renewal
        if renewal is None or as_of < renewal:
            return Outcome(self._done_or_expiring(expires), due_again, last, expires)
        return Outcome(Status.OVERDUE if as_of > due_again else Status.DUE, due_again, last, expires)

    def _done_or_expiring(self, expires: date | None) -> Status:
        if expires is not None and (expires - self.as_of).days <= self.window:
            return Status.EXPIRING
        return Status.DONE

    @staticmethod
    def _winner(candidates: list[tuple[_Source, Outcome]]) -> tuple[_Source, Outcome]:
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
        last_completion = self._last_completions(wanted)
        courses, members = self.org.courses, self.org.members
        rows = []
        for (person, course_id), sources in self._sources(wanted).items():
            course = courses[course_id].model
            last = last_completion.get((person, course_id))
            source, result = self._winner([(s, self._outcome(s, course, last)) for s in sources])
            rows.append(StatusRow(person, course_id, result.status, result.due, result.completed_on,
                                  result.expires_on, source.name, members[person].team))
        rows.sort(key=lambda r: (r.person, r.course))
        return rows

    def seat(self, request: Entry[m.Request]) -> Status | None:
        """ENROLLED or WAITLISTED for a request of a session dated on or before as-of; None for any other request."""
        return self._seats.get(id(request))

    def people_of_team(self, team: str) -> set[str]:
        """The people a `--team` filter covers: the team's subtree."""
        return self.people_in_subtree(team)

    def completions(self, person: str | None = None) -> dict[str, list[CompletionEvent]]:
        """Every completion on or before as-of, per person, oldest first (for portals and history).

        Unlike the status rows, this includes courses nobody assigns. `person` limits it to one person.
        """
        found: dict[str, list[CompletionEvent]] = defaultdict(list)
        with collector_paused():
            for event in self._events(person):
                if event.on <= self.as_of:
                    found[event.person].append(event)
        for events in found.values():
            events.sort(key=lambda e: (e.on, e.course, e.via, e.path))
        return dict(found)

    def _events(self, person: str | None) -> Iterable[CompletionEvent]:
        courses = self.org.courses

        def expiry(course: str, on: date) -> date | None:
            entry = courses.get(course)
            months = entry.model.valid_months if entry else None
            return add_months(on, months) if months else None

        for entry in self.org.records:
            if person is not None and entry.model.person != person:
                continue
            for index, record in enumerate(entry.model.records):
                yield CompletionEvent(entry.model.person, record.course, record.date, "record", entry.source.path,
                                      expiry(record.course, record.date), by=record.by, index=index)
        for course, session, ended, attendance in self._attended_sessions:
            for attendee in attendance.model.attended:
                if person is None or attendee == person:
                    yield CompletionEvent(attendee, course, ended, "attendance", attendance.source.path,
                                          expiry(course, ended), session=session)

    def explain(self, person: str, course: str) -> Explanation:
        """Why `person` has (or has not) `course`: every source that mentions it, in plain words."""
        return _explain(self, person, course)


def status_rows(org: Organisation, as_of: date, *, person: str | None = None,
                team: str | None = None) -> list[StatusRow]:
    """The status table as of `as_of`, optionally for one person and/or one team's subtree."""
    engine = Engine(org, as_of)
    people: set[str] | None = None
    if person is not None:
        people = {person}
    if team is not None:
        people = engine.people_of_team(team) if people is None else people & engine.people_of_team(team)
    return engine.rows(people)


def completions(org: Organisation, as_of: date) -> dict[str, list[CompletionEvent]]:
    """Every person's completions on or before `as_of`, assigned or not, oldest first."""
    return Engine(org, as_of).completions()


def explain(org: Organisation, person: str, course: str, as_of: date) -> Explanation:
    """Why `person` has (or has not) `course` as of `as_of`; both must exist in the organisation."""
    return Engine(org, as_of).explain(person, course)


# --- explanations --------------------------------------------------------------------------


@dataclass(frozen=True)
class AudienceCheck:
    """One key of a rule's audience against one person."""

    key: str
    wanted: tuple[str, ...]
    matched: bool
    because: str


@dataclass(frozen=True)
class SourceExplanation:
    """One rule, team assignment or request that mentions the course, against the person."""

    source: str
    path: str
    title: str
    assigns: bool
    """Whether this source puts the course on the person's list (an exemption counts: it applies, exempting)."""
    reasons: tuple[str, ...]
    """Plain sentences: why it applies or why not."""
    audience: tuple[AudienceCheck, ...] = ()
    due: date | None = None
    due_reason: str | None = None
    renewal: str | None = None
    outcome: Outcome | None = None


@dataclass(frozen=True)
class Explanation:
    """Everything that decides one person's status for one course."""

    person: str
    course: str
    course_title: str
    as_of: date
    row: StatusRow | None
    sources: tuple[SourceExplanation, ...]
    completions: tuple[CompletionEvent, ...]
    """Every completion of this course by this person, including those after as-of (which do not count yet)."""
    counting: CompletionEvent | None
    """The last completion on or before as-of: the one that counts."""
    validity: str
    """When the counting completion stops being valid, in words."""


def _explain(engine: Engine, person: str, course_id: str) -> Explanation:
    org, as_of = engine.org, engine.as_of
    course = org.courses[course_id].model
    member = org.members[person]
    sources: list[SourceExplanation] = []
    last = engine._last_completions({person}).get((person, course_id))  # noqa: SLF001 - same module
    events = sorted((e for e in engine._events(person) if e.course == course_id),  # noqa: SLF001
                    key=lambda e: (e.on, e.via, e.path))
    counting = next((e for e in reversed(events) if e.on <= as_of), None)
    for rule_id, entry in sorted(org.rules.items()):
        if course_id in entry.model.courses:
            sources.append(_explain_rule(engine, rule_id, entry, person, course, last))
    covering = {member.team, *org.ancestors(member.team)}  # only these teams' files can assign to the person
    for team, entry in sorted(org.team_assignments.items()):
        if team not in covering:
            continue
        for line in entry.model.assignments:
            if line.course == course_id and (line.person in ("all", person)):
                sources.append(_explain_team_line(engine, team, entry.source.path, line, person, course, last))
    for entry in org.requests:
        if entry.model.person == person and entry.model.course == course_id:
            sources.append(_explain_request(engine, entry, course, last))
    rows = engine.rows([person])
    row = next((r for r in rows if r.course == course_id), None)
    return Explanation(person, course_id, course.title, as_of, row, tuple(sources), tuple(events), counting,
                       _validity(engine, course, counting))


def _listing(values: Iterable[str]) -> str:
    return "[" + ", ".join(values) + "]"


def _audience_checks(engine: Engine, rule: m.Rule, person: str) -> list[AudienceCheck]:
    member = engine.org.members[person]
    who = member.person
    checks: list[AudienceCheck] = []
    wanted = rule.audience
    if wanted.teams:
        hits = [t for t in wanted.teams if member.team in engine._subtree_teams(t)]  # noqa: SLF001
        if hits:
            how = ", ".join(f"'{member.team}' is '{t}'" if t == member.team else f"'{member.team}' is under '{t}'"
                            for t in hits)
            checks.append(AudienceCheck("teams", tuple(wanted.teams), True, f"team {how}"))
        else:
            checks.append(AudienceCheck("teams", tuple(wanted.teams), False,
                                        f"team '{member.team}' is not in {_listing(wanted.teams)} or below them"))
    for key, value, wanted_values in (("profiles", who.profile, wanted.profiles),
                                      ("locations", who.location, wanted.locations)):
        if not wanted_values:
            continue
        noun = key[:-1]
        if value in wanted_values:
            checks.append(AudienceCheck(key, tuple(wanted_values), True,
                                        f"{noun} '{value}' is in {_listing(wanted_values)}"))
        elif value is None:
            checks.append(AudienceCheck(key, tuple(wanted_values), False,
                                        f"no {noun} is set, and the rule wants one of {_listing(wanted_values)}"))
        else:
            checks.append(AudienceCheck(key, tuple(wanted_values), False,
                                        f"{noun} '{value}' is not in {_listing(wanted_values)}"))
    if wanted.people:
        named = person in wanted.people
        checks.append(AudienceCheck("people", tuple(wanted.people), named,
                                    f"'{person}' is named in people" if named
                                    else f"'{person}' is not among the people {_listing(wanted.people)}"))
    return checks


def _due_reason(engine: Engine, rule: m.Rule, person: str) -> str:
    if rule.due is not None:
        return f"the rule's fixed due date {rule.due.isoformat()}"
    if rule.due_days is None:
        return "no due date: the rule gives neither 'due' nor 'due_days'"
    start = engine.org.members[person].person.start_date
    due = engine.rule_due(rule, person)
    days = f"{rule.due_days} day{'s' * (rule.due_days != 1)}"
    if rule.from_ and start:
        later = "the rule's start ('from')" if rule.from_ >= start else "your start date"
        return (f"{days} after the later of the rule's 'from' ({rule.from_.isoformat()}) and your start date "
                f"({start.isoformat()}), that is {later}: {due.isoformat()}")
    if rule.from_:
        return f"{days} after the rule's 'from' ({rule.from_.isoformat()}): {due.isoformat()}"
    if start:
        return f"{days} after your start date ({start.isoformat()}): {due.isoformat()}"
    return "no due date: the rule gives 'due_days' but has no 'from' and you have no start date"


def _renewal(engine: Engine, course: m.Course, every_months: int | None, due: date | None,
             last: date | None) -> str | None:
    """How the last completion decides when the course falls due again, in words."""
    if last is None:
        return None
    expires = add_months(last, course.valid_months) if course.valid_months else None
    recurs = add_months(last, every_months) if every_months else None
    parts = []
    if expires:
        parts.append(f"the certificate ({course.valid_months} months) expires on {expires.isoformat()}")
    if recurs:
        parts.append(f"it recurs {every_months} months later, on {recurs.isoformat()}")
    if not parts:
        return f"completed on {last.isoformat()}; it does not expire and does not recur, so it stays done"
    renewal = min(d for d in (expires, recurs) if d)
    text = f"completed on {last.isoformat()}; " + " and ".join(parts)
    if len(parts) == 2:
        text += f"; the earlier date, {renewal.isoformat()}, counts"
    if due and due > renewal:
        text += f"; not due again before this source's own due date, {due.isoformat()}"
    state = "has come" if engine.as_of >= renewal else "is still ahead"
    return text + f" (as of {engine.as_of.isoformat()}, that date {state})"


def _explain_rule(engine: Engine, rule_id: str, entry, person: str, course: m.Course,
                  last: date | None) -> SourceExplanation:
    rule = entry.model
    path, title = entry.source.path, rule.title
    if not engine.rule_applies(rule):
        return SourceExplanation(rule_id, path, title, False,
                                 (f"the rule starts on {rule.from_.isoformat()}, after {engine.as_of.isoformat()}, "
                                  "so it does not apply yet",))
    checks = _audience_checks(engine, rule, person)
    failed = [c for c in checks if not c.matched]
    exclusion = next((x for x in rule.exclude if x.person == person), None)
    if failed:
        reasons = [f"not in the audience: {c.because}" for c in failed]
        if exclusion:
            reasons.append(f"(also listed as excluded: {exclusion.reason})")
        return SourceExplanation(rule_id, path, title, False, tuple(reasons), tuple(checks))
    reasons = ["the audience is everyone"] if not checks else [f"in the audience: {c.because}" for c in checks]
    due = engine.rule_due(rule, person)
    source = _Source(0, rule_id, due, rule.every_months, exclusion.reason if exclusion else None)
    if exclusion:
        # an exemption has no due date and no renewal: saying how they would be computed only confuses
        reasons.append(f"but excluded: {exclusion.reason}")
        return SourceExplanation(rule_id, path, title, True, tuple(reasons), tuple(checks),
                                 outcome=engine._outcome(source, course, last))
    return SourceExplanation(rule_id, path, title, True, tuple(reasons), tuple(checks), due,
                             _due_reason(engine, rule, person),
                             _renewal(engine, course, rule.every_months, due, last),
                             engine._outcome(source, course, last))


def _explain_team_line(engine: Engine, team: str, path: str, line: m.TeamAssignment, person: str,
                       course: m.Course, last: date | None) -> SourceExplanation:
    name = f"team:{team}"
    title = f"assignment by the manager of team '{team}'"
    manager = engine.org.teams[team].model.manager
    if person not in engine.people_in_subtree(team):
        return SourceExplanation(name, path, title, False,
                                 (f"'{person}' is not in team '{team}' or below it",))
    if line.person == "all":
        if person == manager:
            return SourceExplanation(name, path, title, False,
                                     (f"it is assigned to all of team '{team}', which leaves out the team's "
                                      f"manager, '{person}'",))
        reasons = (f"assigned to all of team '{team}' and the teams below it (except its manager, '{manager}')",)
    else:
        reasons = (f"assigned to '{person}' by name",)
    due_reason = f"the assignment's due date {line.due.isoformat()}" if line.due else "no due date was given"
    source = _Source(1, name, line.due)
    return SourceExplanation(name, path, title, True, reasons, (), line.due, due_reason,
                             _renewal(engine, course, None, line.due, last), engine._outcome(source, course, last))


def _explain_request(engine: Engine, entry, course: m.Course, last: date | None) -> SourceExplanation:
    request = entry.model
    name, path = f"request:{entry.id}", entry.source.path
    title = f"request of {request.date.isoformat()}"
    if request.date > engine.as_of:
        return SourceExplanation(name, path, title, False,
                                 (f"the request is dated {request.date.isoformat()}, after "
                                  f"{engine.as_of.isoformat()}, so it does not exist yet",))
    start, reasons = None, ["an approved request (every request on the main branch is approved)"]
    seat = Status.ENROLLED
    if request.session is not None:
        session = next((s for s in course.sessions if s.id == request.session), None)
        if session is None:
            return SourceExplanation(name, path, title, False, (f"session '{request.session}' does not exist",))
        start = session.start.date()
        seat = engine._seats.get(id(entry), Status.ENROLLED)  # noqa: SLF001
        capacity = f"{session.capacity} seats" if session.capacity else "no seat limit"
        if seat is Status.ENROLLED:
            reasons.append(f"holds a seat in session '{session.id}' ({capacity}; seats go by request date, then id)")
        else:
            reasons.append(f"session '{session.id}' is full ({capacity}; seats go by request date, then id), "
                           "so it is on the waiting list")
    source = _Source(2, name, None, seat=seat, session_start=start)
    due_reason = f"the session starts on {start.isoformat()}" if start else "no session, so no date"
    return SourceExplanation(name, path, title, True, tuple(reasons), (), start, due_reason, None,
                             engine._outcome(source, course, last))


def _validity(engine: Engine, course: m.Course, counting: CompletionEvent | None) -> str:
    if counting is None:
        return "no completion on or before the as-of date"
    if counting.expires_on is None:
        return "the completion does not expire (the course has no 'valid_months')"
    if engine.as_of >= counting.expires_on:
        return f"the certificate expired on {counting.expires_on.isoformat()}"
    return (f"the certificate is valid until {counting.expires_on.isoformat()} "
            f"({course.valid_months} months; it expires on that day)")
