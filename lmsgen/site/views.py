"""What the site's pages show, computed once from a validated organisation as of one date.

`SiteData` builds the shared indexes (status rows per person and course, completions, requests,
seats, budgets, the policy table) once; the per-page views (`portal`, `dashboard`, the reports)
are plain dataclasses that the templates read, so the rendering decides nothing of its own.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from ..history import helpers
from ..history.audit import AuditEntry
from ..model import formats as m
from ..model.loading import Entry, Member, Organisation
from ..rules import budgets
from ..rules.engine import STATUS_ORDER, CompletionEvent, Engine, Status, StatusRow
from ..rules.policy import Policy, PolicyRow
from . import links

OPEN_STATUSES = frozenset({Status.OVERDUE, Status.DUE})
COMPLETE_STATUSES = frozenset({Status.DONE, Status.EXPIRING})
ELECTIVES_PER_PORTAL = 8
"""A portal suggests this many electives; the catalog lists them all."""
MATRIX_PEOPLE_LIMIT = 150
"""Above this many people in a subtree, the dashboard's matrix shows teams instead of people."""
MATRIX_COLUMNS = 40
"""The matrix shows at most this many courses, the most assigned ones; the exports hold the rest."""
REPORT_ROWS = 2_000
"""The certification report lists this many holders at most, expired and expiring first."""
_SOMEONE = "someone-4b7e1d"
"""A person id that stands for the requester in a request written once per course."""
LIST_LIMIT = 500
"""Long lists on a dashboard stop here and point to the CSV exports."""


def _days(later: date, earlier: date) -> int:
    return (later - earlier).days


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
class Action:
    """A link into the git host's web editor, with the text to paste when the editor cannot pre-fill it."""

    label: str
    url: str | None
    path: str
    text: str
    new_file: bool


@dataclass(frozen=True)
class Assigned:
    """One status row of a portal, with what the person can do about it."""

    row: StatusRow
    course: m.Course
    source_title: str
    days: int | None
    """Days until the due date (negative: overdue), None without one."""
    record: Action | None = None
    request: RequestView | None = None
    """The approved request behind an enrolment or waitlist."""


@dataclass(frozen=True)
class Certificate:
    person: str
    course: str
    completed_on: date
    expires_on: date
    state: str
    """``valid``, ``expiring`` or ``expired``."""


@dataclass(frozen=True)
class RequestView:
    entry: Entry[m.Request]
    course: m.Course | None
    session: m.Session | None
    seat: Status | None
    slips: tuple[str, ...]
    cost: m.Money | None
    upcoming: bool


@dataclass(frozen=True)
class HistoryItem:
    event: CompletionEvent
    course_title: str
    recorded_by: str | None
    audit: AuditEntry | None
    commit_url: str | None


@dataclass(frozen=True)
class Elective:
    id: str
    course: m.Course
    action: Action | None
    sessions: tuple[Seat, ...]


@dataclass
class Portal:
    """Everything one person's portal and calendar feed show."""

    id: str
    member: Member
    team: m.Team
    manager: str | None
    mentor: str | None
    counts: Counter[str]
    todo: list[Assigned]
    enrolled: list[Assigned]
    done: list[Assigned]
    exempt: list[Assigned]
    certificates: list[Certificate]
    requests: list[RequestView]
    history: list[HistoryItem]
    electives: list[Elective]
    mentees: list[str]
    manages: list[str]
    record_any: Action | None


@dataclass(frozen=True)
class MatrixRow:
    label: str
    link: str | None
    group: str | None
    cells: tuple[object, ...]
    """Per column: a Status (people), a completion rate 0..1 (teams), or None when not assigned."""
    overdue: int


@dataclass
class Dashboard:
    """A manager's view of a team's subtree."""

    id: str
    team: m.Team
    subteams: list[str]
    ancestors: list[str]
    people: list[str]
    counts: Counter[str]
    rate: float | None
    columns: list[str]
    more_courses: int
    """Assigned courses left out of the matrix (it shows the most assigned)."""
    matrix: list[MatrixRow]
    matrix_of_teams: bool
    overdue: list[StatusRow]
    expiring: list[Certificate]
    requests: list[RequestView]
    budget_lines: list[budgets.BudgetLine]
    truncated: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class RateBar:
    id: str
    label: str
    rate: float | None
    assigned: int
    complete: int
    overdue: int
    depth: int = 0


class SiteData:
    """The organisation as the site shows it on `as_of`, with every index built once."""

    def __init__(self, org: Organisation, as_of: date, audit: dict[str, list[AuditEntry]] | None = None):
        self.org = org
        self.as_of = as_of
        self.engine = Engine(org, as_of)
        self.audit = audit
        self.settings: m.GitSettings | None = org.org.model.git if org.org else None
        self.name = org.org.model.name if org.org else "Learning"
        self.window = self.engine.window
        self._request_texts: dict[str, str] = {}

    def warm(self) -> None:
        """Builds the shared indexes now, so that page timings measure only the pages."""
        for index in ("rows_by_person", "completions", "requests_by_person", "seats", "certificates",
                      "mentees", "manages", "popular", "recorded", "records_files"):
            getattr(self, index)

    # --- shared indexes ---------------------------------------------------------------------

    @cached_property
    def rows(self) -> list[StatusRow]:
        return self.engine.rows()

    @cached_property
    def rows_by_person(self) -> dict[str, list[StatusRow]]:
        found: dict[str, list[StatusRow]] = defaultdict(list)
        for row in self.rows:
            found[row.person].append(row)
        return found

    @cached_property
    def completions(self) -> dict[str, list[CompletionEvent]]:
        return self.engine.completions()

    @cached_property
    def requests_by_person(self) -> dict[str, list[RequestView]]:
        slips: dict[tuple[str, str], list[str]] = defaultdict(list)
        for slip in self.org.slips:
            folder = slip.source.path.rsplit("/", 1)[0]
            slips[(folder, slip.model.request)].append(slip.ids["slip"])
        found: dict[str, list[RequestView]] = defaultdict(list)
        for entry in self.org.requests:
            request = entry.model
            if request.date > self.as_of:
                continue
            course = self.org.courses.get(request.course)
            session = next((s for s in course.model.sessions if s.id == request.session), None) if course else None
            cost = request.cost or (course.model.cost if course and course.model.has_cost else None)
            folder = entry.source.path.rsplit("/", 1)[0]
            upcoming = session is not None and session.end.date() >= self.as_of
            found[request.person].append(RequestView(
                entry, course.model if course else None, session, self.engine.seat(entry),
                tuple(sorted(slips.get((folder, entry.id), []))), cost, upcoming))
        for views in found.values():
            views.sort(key=lambda v: (v.entry.model.date, v.entry.id), reverse=True)
        return dict(found)

    @cached_property
    def seats(self) -> dict[tuple[str, str], Seat]:
        taken: Counter[tuple[str, str]] = Counter()
        waiting: Counter[tuple[str, str]] = Counter()
        for views in self.requests_by_person.values():
            for view in views:
                if view.session is not None:
                    key = (view.entry.model.course, view.session.id)
                    if view.seat is Status.WAITLISTED:
                        waiting[key] += 1
                    elif view.seat is Status.ENROLLED or view.seat is None:
                        taken[key] += 1
        return {(course_id, s.id): Seat(course_id, s, taken[(course_id, s.id)], waiting[(course_id, s.id)])
                for course_id, entry in self.org.courses.items() for s in entry.model.sessions}

    @cached_property
    def certificates(self) -> dict[str, list[Certificate]]:
        """Per person, the latest completion of each course that expires, and its state on as-of."""
        latest: dict[tuple[str, str], CompletionEvent] = {}
        for person, events in self.completions.items():
            for event in events:
                if event.expires_on is not None:
                    latest[(person, event.course)] = event  # events are oldest first
        found: dict[str, list[Certificate]] = defaultdict(list)
        for (person, course), event in latest.items():
            assert event.expires_on is not None
            if event.expires_on <= self.as_of:
                state = "expired"
            elif _days(event.expires_on, self.as_of) <= self.window:
                state = "expiring"
            else:
                state = "valid"
            found[person].append(Certificate(person, course, event.on, event.expires_on, state))
        for certificates in found.values():
            certificates.sort(key=lambda c: (c.expires_on, c.course))
        return dict(found)

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
    def popular(self) -> list[str]:
        """Elective course ids, the most requested first."""
        asked = Counter(entry.model.course for entry in self.org.requests if entry.model.date <= self.as_of)
        electives = [cid for cid, entry in self.org.courses.items() if entry.model.elective]
        return sorted(electives, key=lambda cid: (-asked[cid], self.org.courses[cid].model.title.lower(), cid))

    @cached_property
    def recorded(self) -> dict[tuple[str, int], AuditEntry]:
        """Audit entries of records by (file path, index in the file)."""
        if self.audit is None:
            return {}
        return {(e.path, e.index): e for entries in self.audit.values() for e in entries
                if e.kind == "record" and e.index is not None}

    @cached_property
    def records_files(self) -> frozenset[str]:
        return frozenset(entry.source.path for entry in self.org.records)

    @cached_property
    def policy_table(self) -> list[PolicyRow]:
        return Policy(self.org).table()

    @cached_property
    def budget_lines(self) -> list[budgets.BudgetLine]:
        return budgets.budget_lines(self.org, as_of=self.as_of)

    @cached_property
    def upcoming_sessions(self) -> list[Seat]:
        now = datetime.combine(self.as_of, datetime.min.time())
        seats = [seat for seat in self.seats.values() if seat.session.start >= now]
        return sorted(seats, key=lambda s: (s.session.start, s.course, s.session.id))

    @cached_property
    def divisions(self) -> list[str]:
        """The teams right below the top of the tree (a single top team's children), or the top teams."""
        roots = sorted(t for t, entry in self.org.teams.items() if entry.model.parent not in self.org.teams)
        if len(roots) == 1 and self.org.children.get(roots[0]):
            return self.org.children[roots[0]]
        return roots

    # --- names ------------------------------------------------------------------------------

    def person_name(self, person: str | None) -> str:
        member = self.org.members.get(person or "")
        return member.person.name if member else (person or "")

    def team_name(self, team: str) -> str:
        entry = self.org.teams.get(team)
        return entry.model.name if entry else team

    def course_title(self, course: str) -> str:
        entry = self.org.courses.get(course)
        return entry.model.title if entry else course

    def source_title(self, source: str) -> str:
        """What assigned a course, in words: a rule's title, a team assignment, a request."""
        kind, _, ident = source.partition(":")
        if kind == "team" and ident:
            return f"Assigned by the manager of {self.team_name(ident)}"
        if kind == "request" and ident:
            return "Your approved request"
        rule = self.org.rules.get(source)
        return rule.model.title if rule else source

    # --- actions ----------------------------------------------------------------------------

    def records_path(self, person: str) -> str:
        return f"teams/{self.org.members[person].team}/records/{person}.yaml"

    def record_action(self, person: str, course: str | None) -> Action | None:
        """Record a completion: a new records file pre-filled, or an edit of the existing one with the line to add."""
        if self.settings is None:
            return None
        path = self.records_path(person)
        line = helpers.record_line(course or "COURSE-ID", self.as_of, person)
        if path in self.records_files:
            return Action("Record a completion", links.edit_file_url(self.settings, path), path,
                          f"  - {line}", False)
        text = helpers.records_text(path, person, [line])
        return Action("Record a completion", links.new_file_url(self.settings, path, text), path, text, True)

    def request_action(self, person: str, course_id: str, course: m.Course) -> Action | None:
        """Request a course: the request file, pre-filled at the path that routes it to the right approvers."""
        if self.settings is None or course.approval is m.Approval.NONE:
            return None
        team = self.org.members[person].team
        path = f"teams/{team}/requests/{person}/{self.as_of:%Y-%m}-{course_id}.yaml"
        text = self._request_text(course_id).replace(_SOMEONE, person, 1)
        return Action("Request", links.new_file_url(self.settings, path, text), path, text, True)

    def _request_text(self, course_id: str) -> str:
        """The request a "Request" link pre-fills, for `_SOMEONE`: only the person differs from portal to portal,
        and every request file sits at the same depth, so it is written once per course."""
        if course_id not in self._request_texts:
            session = next((seat.session.id for seat in self.course_sessions(course_id)
                            if seat.session.start.date() > self.as_of and seat.left != 0), None)
            path = f"teams/team/requests/{_SOMEONE}/{self.as_of:%Y-%m}-{course_id}.yaml"
            self._request_texts[course_id] = helpers.request_text(
                path, _SOMEONE, course_id, self.org.courses[course_id].model, session=session,
                reason="why this helps me and my team", today=self.as_of)
        return self._request_texts[course_id]

    def course_sessions(self, course_id: str) -> list[Seat]:
        entry = self.org.courses.get(course_id)
        if entry is None:
            return []
        return [self.seats[(course_id, s.id)] for s in sorted(entry.model.sessions, key=lambda s: s.start)]

    # --- pages ------------------------------------------------------------------------------

    def portal(self, person: str) -> Portal:
        """One person's portal: what to do, what is booked, what is done, and what to explore."""
        org = self.org
        member = org.members[person]
        rows = self.rows_by_person.get(person, [])
        requests = {view.entry.id: view for view in self.requests_by_person.get(person, [])}
        counts = Counter(row.status.value for row in rows)
        todo, enrolled, done, exempt = [], [], [], []
        for row in rows:
            course = org.courses[row.course].model
            days = _days(row.due, self.as_of) if row.due else None
            can_self_record = m.Completer.SELF in course.completion.by
            action = self.record_action(person, row.course) if (row.status in OPEN_STATUSES and can_self_record) else None
            request = requests.get(row.source.removeprefix("request:")) if row.source.startswith("request:") else None
            item = Assigned(row, course, self.source_title(row.source), days, action, request)
            if row.status in OPEN_STATUSES:
                todo.append(item)
            elif row.status in (Status.ENROLLED, Status.WAITLISTED):
                enrolled.append(item)
            elif row.status is Status.EXEMPT:
                exempt.append(item)
            else:
                done.append(item)
        todo.sort(key=lambda a: (a.row.status is not Status.OVERDUE, a.row.due or date.max, a.course.title))
        done.sort(key=lambda a: (a.row.status is not Status.EXPIRING, a.row.expires_on or date.max, a.course.title))
        taken = {row.course for row in rows} | {e.course for e in self.completions.get(person, [])}
        electives = []
        for course_id in self.popular:
            if course_id in taken:
                continue
            course = org.courses[course_id].model
            electives.append(Elective(course_id, course, self.request_action(person, course_id, course),
                                      tuple(s for s in self.course_sessions(course_id)
                                            if s.session.start.date() > self.as_of)))
            if len(electives) == ELECTIVES_PER_PORTAL:
                break
        return Portal(
            id=person, member=member, team=org.teams[member.team].model,
            manager=org.approving_manager(person), mentor=member.person.mentor, counts=counts,
            todo=todo, enrolled=enrolled, done=done, exempt=exempt,
            certificates=self.certificates.get(person, []),
            requests=self.requests_by_person.get(person, []),
            history=[self.history_item(event) for event in reversed(self.completions.get(person, []))],
            electives=electives, mentees=self.mentees.get(person, []), manages=self.manages.get(person, []),
            record_any=self.record_action(person, None),
        )

    def history_item(self, event: CompletionEvent) -> HistoryItem:
        """A completion with who recorded it and, from the audit trail, the commit that added it."""
        audit = self.recorded.get((event.path, event.index)) if event.index is not None else None
        url = links.commit_url(self.settings, audit.commit.sha) if audit and self.settings else None
        return HistoryItem(event, self.course_title(event.course), event.by, audit, url)

    def dashboard(self, team: str) -> Dashboard:
        """A manager's dashboard for `team` and every team below it."""
        org = self.org
        teams = org.subtree(team)
        people = sorted(p for p in self.engine.people_in_subtree(team))
        rows = [row for p in people for row in self.rows_by_person.get(p, [])]
        counts = Counter(row.status.value for row in rows)
        assigned = Counter(row.course for row in rows)
        most = sorted(assigned, key=lambda c: (-assigned[c], c))[:MATRIX_COLUMNS]
        columns = sorted(most, key=lambda c: (self.course_title(c).lower(), c))
        index = {course: i for i, course in enumerate(columns)}
        matrix_of_teams = len(people) > MATRIX_PEOPLE_LIMIT
        matrix: list[MatrixRow] = []
        if matrix_of_teams:
            own = [row for p in self.engine.people_by_team.get(team, []) for row in self.rows_by_person.get(p, [])]
            matrix.append(self._rate_row(f"{self.team_name(team)} (its own members)", None, own, index))
            for child in org.children.get(team, []):
                child_rows = [row for p in self.engine.people_in_subtree(child) for row in self.rows_by_person.get(p, [])]
                matrix.append(self._rate_row(self.team_name(child), f"../{child}/", child_rows, index))
        else:
            order = {team_id: i for i, team_id in enumerate(teams)}
            by_team = sorted(people, key=lambda p: (order[org.members[p].team], self.person_name(p).lower()))
            for person in by_team:
                cells: list[object] = [None] * len(columns)
                person_rows = self.rows_by_person.get(person, [])
                for row in person_rows:
                    if row.course in index:
                        cells[index[row.course]] = row.status
                matrix.append(MatrixRow(self.person_name(person), f"../../people/{person}/",
                                        org.members[person].team, tuple(cells),
                                        sum(1 for r in person_rows if r.status is Status.OVERDUE)))
        overdue = sorted((row for row in rows if row.status is Status.OVERDUE),
                         key=lambda r: (r.due or date.min, r.person, r.course))
        expiring = sorted((c for p in people for c in self.certificates.get(p, []) if c.state != "valid"),
                          key=lambda c: (c.expires_on, c.person, c.course))
        requests = sorted((v for p in people for v in self.requests_by_person.get(p, [])),
                          key=lambda v: (v.entry.model.date, v.entry.id), reverse=True)
        wanted = set(teams) | set(org.ancestors(team))
        lines = [line for line in self.budget_lines if line.team in wanted]
        truncated = {name: len(items) for name, items in (("overdue", overdue), ("expiring", expiring),
                                                             ("requests", requests)) if len(items) > LIST_LIMIT}
        return Dashboard(
            id=team, team=org.teams[team].model, subteams=teams[1:], ancestors=org.ancestors(team), people=people,
            counts=counts, rate=_rate(rows), columns=columns, more_courses=len(assigned) - len(columns), matrix=matrix,
            matrix_of_teams=matrix_of_teams,
            overdue=overdue[:LIST_LIMIT], expiring=expiring[:LIST_LIMIT], requests=requests[:LIST_LIMIT],
            budget_lines=lines, truncated=truncated,
        )

    def _rate_row(self, label: str, link: str | None, rows: list[StatusRow], index: dict[str, int]) -> MatrixRow:
        per_course: dict[str, list[StatusRow]] = defaultdict(list)
        for row in rows:
            per_course[row.course].append(row)
        cells: list[object] = [None] * len(index)
        for course, course_rows in per_course.items():
            if course in index:
                cells[index[course]] = _rate(course_rows)
        return MatrixRow(label, link, None, tuple(cells), sum(1 for r in rows if r.status is Status.OVERDUE))

    def team_bar(self, team: str, depth: int = 0) -> RateBar:
        rows = [row for p in self.engine.people_in_subtree(team) for row in self.rows_by_person.get(p, [])]
        assigned = [row for row in rows if row.status is not Status.EXEMPT]
        return RateBar(team, self.team_name(team), _rate(rows), len(assigned),
                       sum(1 for row in assigned if row.status in COMPLETE_STATUSES),
                       sum(1 for row in rows if row.status is Status.OVERDUE), depth)

    def division_bars(self) -> list[tuple[RateBar, list[RateBar]]]:
        """Per division, its completion rate and that of every team in it (indented by depth)."""
        result = []
        for division in self.divisions:
            teams = []
            for team in self.org.subtree(division)[1:]:
                depth = len(self.org.ancestors(team)) - len(self.org.ancestors(division))
                teams.append(self.team_bar(team, depth))
            result.append((self.team_bar(division), teams))
        return result

    def all_certificates(self) -> list[Certificate]:
        return sorted((c for certs in self.certificates.values() for c in certs),
                      key=lambda c: (c.expires_on, c.person, c.course))

    def certification_report(self) -> tuple[list[tuple[str, Counter[str]]], list[Certificate], int]:
        """Per certification, how many hold it valid, expiring or expired; the holders to list (expired and
        expiring first, at most REPORT_ROWS); and how many there are in all."""
        every = self.all_certificates()
        per_course: dict[str, Counter[str]] = defaultdict(Counter)
        for certificate in every:
            per_course[certificate.course][certificate.state] += 1
        summary = sorted(per_course.items(), key=lambda item: (self.course_title(item[0]).lower(), item[0]))
        urgent = [c for c in every if c.state != "valid"]
        listed = (urgent + [c for c in every if c.state == "valid"])[:REPORT_ROWS]
        return summary, listed, len(every)

    def status_order(self) -> tuple[Status, ...]:
        return STATUS_ORDER


def _rate(rows: list[StatusRow]) -> float | None:
    """The share of assigned (not exempt) rows that are complete; None when nothing is assigned."""
    assigned = [row for row in rows if row.status is not Status.EXEMPT]
    if not assigned:
        return None
    return sum(1 for row in assigned if row.status in COMPLETE_STATUSES) / len(assigned)
