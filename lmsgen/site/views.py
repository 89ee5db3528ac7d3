"""What the site's pages show, computed once from a validated organisation as of one date.

`SiteData` builds the indexes every page shares (status rows per person and course, completions,
requests, seats, certificates, budgets, the policy table) once, and names people, teams, courses
and sources the same way everywhere. The per-page views read these indexes: `portals` (one
person's page and calendar feed) and `reports` (a team's dashboard and the organisation-wide
reports). They are plain dataclasses that the templates read, so the rendering decides nothing of
its own. The templates also read `SiteData` itself (`data.person_name`, `data.window`, ...), which
is why the names live here rather than with a view.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from operator import attrgetter

from ..history.audit import AuditEntry
from ..history.record_credits import Credit, RecordCredits
from ..model import formats as m
from ..model.organisation import Entry, Organisation
from ..rules import budgets, four_eyes, money
from ..rules.certificates import Certificate, certificates
from ..rules.engine import STATUS_ORDER, CompletionEvent, Engine, Status, StatusRow
from ..rules.policy import Policy, PolicyRow
from ..rules.prerequisites import Prerequisites
from ..rules.seats import find_session
from ..rules.withdrawals import Withdrawals, absences, withdrawn_on
from .learning import Learning
from .words import Words, words


@dataclass(frozen=True)
class Seat:
    """A session's seats as of the build date."""

    course: str
    session: m.Session
    taken: int
    waitlisted: int

    @property
    def left(self) -> int | None:
        capacity = self.session.capacity
        return None if capacity is None else max(capacity - self.taken, 0)


@dataclass(frozen=True)
class RequestView:
    """A request made by the build date, with its course, session, seat, approval slips and cost."""

    entry: Entry[m.Request]
    course: m.Course | None
    session: m.Session | None
    seat: Status | None
    slips: tuple[str, ...]
    cost: m.Money | None
    upcoming: bool
    withdrawn: date | None = None
    """The day the request was withdrawn, on or before the build date (rules/withdrawals.py): it holds no seat."""
    absent: date | None = None
    """The end of its session, when the attendance lists its person as absent (a no-show)."""


class SiteData:
    """The organisation as the site shows it on `as_of`, with every index built once."""

    def __init__(self, org: Organisation, as_of: date,
                 audit: dict[str, list[AuditEntry]] | RecordCredits | None = None):
        self.org = org
        self.as_of = as_of
        self.engine = Engine(org, as_of)
        self.audit = audit
        self.settings: m.GitSettings | None = org.org.model.git if org.org else None
        self.name = org.org.model.name if org.org else "Learning"
        self.window = self.engine.window
        self.shared: dict[str, object] = {}
        """Indexes the views make once per build and share (`reports`: each team's totals)."""
        self._course_words: dict[str, m.CourseTranslation | None] = {}
        """`course_words` by course: made once, not for each of the hundreds of thousands of rows that name one."""

    def warm(self) -> None:
        """Builds the shared indexes now, so that page timings measure only the pages."""
        for index in ("rows_by_person", "completions", "requests_by_person", "seats", "certificates",
                      "mentees", "manages", "popular", "recorded", "records_files", "prerequisites"):
            getattr(self, index)
        # Made once here rather than in each forked process that renders portals, and again for the dashboards.
        self.learning.programs_by_person, self.learning.skills  # noqa: B018
        self.engine.forget_completion_dates()

    # --- shared indexes ---------------------------------------------------------------------

    @cached_property
    def rows(self) -> list[StatusRow]:
        self.engine.keep_events()  # one pass over the records for the rows and the history, each model let go
        return self.engine.rows()

    @cached_property
    def rows_by_person(self) -> dict[str, list[StatusRow]]:
        found: dict[str, list[StatusRow]] = defaultdict(list)
        for row in self.rows:
            found[row.person].append(row)
        return found

    @cached_property
    def completions(self) -> dict[str, list[CompletionEvent]]:
        """Every person's completions that count (a failed attempt or partial checklist does not)."""
        counting = {person: [e for e in events if e.result == "passed"] for person, events in self.history.items()}
        return {person: events for person, events in counting.items() if events}

    @cached_property
    def history(self) -> dict[str, list[CompletionEvent]]:
        """Every person's completions and attempts that do not count (`assessments.judge`), oldest first."""
        return self.engine.completions(attempts=True)

    @cached_property
    def prerequisites(self) -> Prerequisites:
        # Only a course that is some course's prerequisite is ever looked up: at 100,000 people, all of them would
        # be a million and more keys.
        asked = {p for entry in self.org.courses.values() for p in entry.model.prerequisites}
        completed = {(person, e.course): e.on for person, events in self.completions.items() for e in events
                     if e.course in asked}
        return Prerequisites(self.org, self.as_of, completed)

    @cached_property
    def requests_by_person(self) -> dict[str, list[RequestView]]:
        slips: dict[tuple[str, str], list[str]] = defaultdict(list)
        for slip in self.org.slips:
            folder = slip.source.path.rsplit("/", 1)[0]
            slips[(folder, slip.model.request)].append(slip.ids["slip"])
        found: dict[str, list[RequestView]] = defaultdict(list)
        withdrawals, no_shows = Withdrawals(self.org), absences(self.org, self.as_of)
        for entry in self.org.requests:
            request = entry.model
            if request.date > self.as_of:
                continue
            withdrawal = withdrawals.of(entry)
            withdrawn = withdrawn_on(withdrawal, entry) if withdrawal else None
            course = self.org.courses.get(request.course)
            session = find_session(course.model, request.session) if course else None
            cost = money.request_cost(self.org, request)
            folder = entry.source.path.rsplit("/", 1)[0]
            upcoming = session is not None and session.ends_on >= self.as_of
            found[request.person].append(RequestView(
                entry, course.model if course else None, session, self.engine.seat(entry),
                tuple(sorted(slips.get((folder, entry.id), []))), cost, upcoming,
                withdrawn if withdrawn and withdrawn <= self.as_of else None,
                no_shows.get((request.person, request.course, request.session or ""))))
        for views in found.values():
            views.sort(key=lambda v: (v.entry.model.date, v.entry.id), reverse=True)
        return dict(found)

    @cached_property
    def seats(self) -> dict[tuple[str, str], Seat]:
        taken: Counter[tuple[str, str]] = Counter()
        waiting: Counter[tuple[str, str]] = Counter()
        for views in self.requests_by_person.values():
            for view in views:
                if view.session is not None and view.withdrawn is None:
                    key = (view.entry.model.course, view.session.id)
                    if view.seat is Status.WAITLISTED:
                        waiting[key] += 1
                    elif view.seat is Status.ENROLLED or view.seat is None:
                        taken[key] += 1
        return {(course_id, s.id): Seat(course_id, s, taken[(course_id, s.id)], waiting[(course_id, s.id)])
                for course_id, entry in self.org.courses.items() for s in entry.model.sessions}

    @cached_property
    def certificates(self) -> dict[str, list[Certificate]]:
        """Per person still here on as-of (a leaver holds no certificate the reports count), the latest
        completion of each course that expires, and its state on as-of."""
        return certificates(self.completions, self.engine.audiences.people, self.as_of, self.window)

    @cached_property
    def mentees(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = defaultdict(list)
        for person_id, member in self.org.members.items():
            if member.person.mentor:
                found[member.person.mentor].append(person_id)
        return {mentor: sorted(people) for mentor, people in found.items()}

    @cached_property
    def manages(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = defaultdict(list)
        for team_id, entry in sorted(self.org.teams.items()):
            found[entry.model.manager].append(team_id)
        return dict(found)

    @cached_property
    def learning(self) -> Learning:
        """Learning paths and skills (`learning.py`)."""
        return Learning(self)

    @cached_property
    def popular(self) -> list[str]:
        """Elective course ids, the most requested first."""
        asked = Counter(entry.model.course for entry in self.org.requests if entry.model.date <= self.as_of)
        electives = [cid for cid, entry in self.org.courses.items() if entry.model.elective]
        return sorted(electives, key=lambda cid: (-asked[cid], self.org.courses[cid].model.title.lower(), cid))

    @cached_property
    def recorded(self) -> dict[tuple[str, int], AuditEntry] | RecordCredits:
        """Audit entries of records and imported completions by (file path, index in the file): the build's
        compact `RecordCredits` as they are, or made from the audit trail."""
        if self.audit is None:
            return {}
        if isinstance(self.audit, RecordCredits):
            return self.audit
        return {(e.path, e.index): e for entries in self.audit.values() for e in entries
                if e.kind in ("record", "import") and e.index is not None}

    @cached_property
    def records_files(self) -> frozenset[str]:
        return frozenset(entry.source.path for entry in self.org.records)

    @cached_property
    def policy(self) -> Policy:
        return Policy(self.org)

    @cached_property
    def policy_table(self) -> list[PolicyRow]:
        return self.policy.table()

    @cached_property
    def single_owners(self) -> list[four_eyes.SingleOwner]:
        """The paths one person alone may approve: what `lmsgen check` warns about, from the same rules."""
        return four_eyes.single_owners(self.policy)

    @cached_property
    def budget_lines(self) -> list[budgets.BudgetLine]:
        return budgets.budget_lines(self.org, as_of=self.as_of)

    @cached_property
    def upcoming_sessions(self) -> list[Seat]:
        """Sessions starting on or after the build date (the session's local date), the earliest first."""
        seats = [seat for seat in self.seats.values() if seat.session.starts_on >= self.as_of]
        return sorted(seats, key=lambda s: (s.session.start, s.course, s.session.id))

    @cached_property
    def top_teams(self) -> list[str]:
        """The teams without a parent in the organisation, sorted."""
        return sorted(t for t, entry in self.org.teams.items() if entry.model.parent not in self.org.teams)

    def audit_entry(self, event: CompletionEvent) -> AuditEntry | Credit | None:
        """The audit entry of the commit that added a recorded completion (None for attendance, or without history)."""
        return self.recorded.get((event.path, event.index)) if event.index is not None else None

    def course_sessions(self, course_id: str) -> list[Seat]:
        """A course's sessions, the earliest first."""
        entry = self.org.courses.get(course_id)
        if entry is None:
            return []
        return [self.seats[(course_id, s.id)] for s in sorted(entry.model.sessions, key=lambda s: s.start)]

    def bookable_sessions(self, course_id: str) -> list[Seat]:
        """A course's sessions that start after the build date, the earliest first."""
        return [seat for seat in self.course_sessions(course_id) if seat.session.starts_on > self.as_of]

    def all_certificates(self) -> list[Certificate]:
        """Every certificate, the soonest to expire first."""
        return list(self._all_certificates)

    @cached_property
    def _all_certificates(self) -> list[Certificate]:
        """`all_certificates`, sorted once for the report, its export and the badges."""
        # By expiry, person and course: each person's are sorted by expiry and course (`certificates`), one a course,
        # so a stable sort by expiry alone of everyone's, the people in order, gives that order (and compares dates
        # alone, in C, not a tuple made for each of hundreds of thousands).
        certificates = self.certificates
        return sorted((c for person in sorted(certificates) for c in certificates[person]),
                      key=attrgetter("expires_on"))

    # --- names ------------------------------------------------------------------------------

    def person_name(self, person: str | None) -> str:
        return self.org.person_name(person or "")

    def team_name(self, team: str) -> str:
        return self.org.team_name(team)

    def course_title(self, course: str) -> str:
        words = self.course_words(course)
        return words.title if words is not None else course

    def course_words(self, course: str) -> m.CourseTranslation | None:
        """The course's title, summary and description in the organisation's language (its `translations`,
        docs/translations.md), or None for an unknown course: every page takes a course's words from here."""
        try:
            return self._course_words[course]
        except KeyError:
            entry = self.org.courses.get(course)
            found = self._course_words[course] = entry.model.localized(self.words_language) if entry else None
            return found

    @cached_property
    def words_language(self) -> str:
        """org.yaml's `language`, which the courses' translations are chosen by."""
        return self.org.org.model.language.value if self.org.org else "en"

    @cached_property
    def words(self) -> Words:
        """The site's words, in org.yaml's `language` (docs/languages.md)."""
        settings = self.org.org.model if self.org.org else None
        return words(settings.language.value if settings else "en")

    def source_title(self, source: str) -> str:
        """What assigned a course, in words: a rule's title, a team assignment, a request."""
        kind, _, ident = source.partition(":")
        if kind == "team" and ident:
            return self.words.t("site.source.team", team=self.team_name(ident))
        if kind == "request" and ident:
            return self.words.t("site.source.request")
        rule = self.org.rules.get(source)
        return rule.model.title if rule else source

    def status_order(self) -> tuple[Status, ...]:
        """The statuses in the order the legends list them."""
        return STATUS_ORDER
