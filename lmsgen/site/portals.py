"""One person's portal: what to do, what is booked, what is done, and what to explore.

`Portals` builds each `Portal` from the indexes `SiteData` shares; the page and the calendar feed
both read it. It is a class, not a function, for one cache: the request a "Request" link pre-fills
differs from portal to portal only in the person and team, so it is written once per course for all of
them (`request_links`: a portal suggests several electives, and there are thousands of portals).

The links into the git host's web editor (`Action`) are made here because only the portal offers
them: record a completion, request an elective.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from ..history import helpers
from ..history.audit import AuditEntry
from ..model import formats as m
from ..model.organisation import Member
from ..rules.assessments import score_text
from ..rules.engine import CompletionEvent, Status, StatusRow
from ..rules.mentoring import mentoring_chats
from ..rules.skills import SkillSummary
from . import links
from .learning import ProgramView
from .request_links import RequestLinks, request_path, requestable
from .session_links import withdraw_links
from .views import Certificate, RequestView, Seat, SiteData
from .words import ENGLISH, Words

OPEN_STATUSES = frozenset({Status.OVERDUE, Status.DUE})
ELECTIVES_PER_PORTAL = 3
"""A portal suggests this many electives, those that close its person's gaps first; the catalog lists them all
(docs/site.md#the-portal: each card is repeated in ten thousand portals)."""


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
    progress: str | None = None
    """Failed attempts or a partial checklist, in words (`assessment_note`)."""


@dataclass(frozen=True)
class HistoryItem:
    """A completion with who recorded it and, from the audit trail, the commit that added it."""

    event: CompletionEvent
    course_title: str
    recorded_by: str | None
    audit: AuditEntry | None
    commit_url: str | None
    result: str | None = None
    """`failed, score 45`, `passed, score 85`, `3 of 5 items (in progress)`; None when nothing was judged."""


@dataclass(frozen=True)
class Elective:
    """A course the person could request, with its sessions still to come."""

    id: str
    course: m.Course
    action: Action | None
    sessions: tuple[Seat, ...]
    closes: tuple[str, ...] = ()
    """The skills of the person's gaps it closes or narrows (learning.py)."""
    unmet: tuple[str, ...] = ()
    """Its prerequisites the person has neither completed nor is enrolled in."""


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
    programs: list[ProgramView] = field(default_factory=list)
    """The person's learning paths (learning.py)."""
    skills: SkillSummary | None = None
    chats: dict[str, str] = field(default_factory=dict)
    """The chat link (org.yaml's `collaboration`) with the mentor and with each mentee, by their id."""
    withdraw: dict[str, str] = field(default_factory=dict)
    """The link that withdraws each request whose session is still to come, by request id."""


class Portals:
    """The portals of one `SiteData`."""

    def __init__(self, data: SiteData):
        self.data = data
        self.requests = RequestLinks(data)
        """The "Request" links, written once per course for every portal (`request_links`)."""
        # What portals repeat, made once per build: a course's sessions still to come, a commit's link, a result in
        # words (a hundred thousand portals of a large organisation ask for the same few).
        self._bookable: dict[str, tuple[Seat, ...]] = {}
        self._commit_urls: dict[str, str | None] = {}
        self._results: dict[tuple, str | None] = {}
        self._edit_url: tuple[str, str] = ("", "")

    def portal(self, person: str) -> Portal:
        """One person's portal: what to do, what is booked, what is done, and what to explore."""
        data = self.data
        org = data.org
        member = org.members[person]
        rows = data.rows_by_person.get(person, [])
        requests = {view.entry.id: view for view in data.requests_by_person.get(person, [])}
        counts = Counter(row.status.value for row in rows)
        todo, enrolled, done, exempt = [], [], [], []
        for row in rows:
            course = org.courses[row.course].model
            days = (row.due - data.as_of).days if row.due else None
            can_self_record = m.Completer.SELF in course.completion.by
            action = self._record_action(person, row.course) if (row.status in OPEN_STATUSES and can_self_record) else None
            request = requests.get(row.source.removeprefix("request:")) if row.source.startswith("request:") else None
            item = Assigned(row, course, data.source_title(row.source), days, action, request,
                            assessment_note(row, data.history.get(person, []), data.words))
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
        taken = {row.course for row in rows} | {e.course for e in data.completions.get(person, [])}
        electives = []
        for course_id in data.learning.electives(person):  # those that close the person's gaps first
            if course_id in taken:
                continue
            course = org.courses[course_id].model
            electives.append(Elective(course_id, course, self._request_action(person, course_id, course),
                                      self._sessions(course_id),
                                      tuple(data.learning.closes(person, course_id)),
                                      tuple(data.prerequisites.unmet(person, course_id))))
            if len(electives) == ELECTIVES_PER_PORTAL:
                break
        return Portal(
            id=person, member=member, team=org.teams[member.team].model,
            manager=org.approving_manager(person), mentor=member.person.mentor, counts=counts,
            todo=todo, enrolled=enrolled, done=done, exempt=exempt,
            certificates=data.certificates.get(person, []),
            requests=data.requests_by_person.get(person, []),
            history=[self._history_item(event) for event in reversed(data.history.get(person, []))],
            electives=electives, mentees=data.mentees.get(person, []), manages=data.manages.get(person, []),
            record_any=self._record_action(person, None),
            programs=data.learning.programs_by_person.get(person, []), skills=data.learning.skills.get(person),
            chats=mentoring_chats(org, person, data.mentees.get(person, []), data.as_of),
            withdraw=withdraw_links(data, person) if member.person.is_current(data.as_of) else {},
        )

    def _sessions(self, course_id: str) -> tuple[Seat, ...]:
        found = self._bookable.get(course_id)
        if found is None:
            found = self._bookable[course_id] = tuple(self.data.bookable_sessions(course_id))
        return found

    def _history_item(self, event: CompletionEvent) -> HistoryItem:
        data = self.data
        audit = data.audit_entry(event)
        url = None
        if audit and data.settings:
            sha = audit.commit.sha
            url = self._commit_urls.get(sha)
            if url is None:
                # A short id, as the git hosts accept it: twelve hex digits name one commit in any repository of a
                # human size.
                url = self._commit_urls[sha] = links.commit_url(data.settings, sha[:12])
        key = (event.result, event.score, event.progress)
        try:
            result = self._results[key]
        except KeyError:
            result = self._results[key] = result_text(event, data.words)
        return HistoryItem(event, data.course_title(event.course), event.by, audit, url, result)

    def _record_action(self, person: str, course: str | None) -> Action | None:
        """Record a completion: a new records file pre-filled, or an edit of the existing one with the line to add."""
        data = self.data
        if data.settings is None:
            return None
        path = f"teams/{data.org.members[person].team}/records/{person}.yaml"
        items = data.org.courses[course].model.checklist if course in data.org.courses else []
        line = helpers.record_line(course or "COURSE-ID", data.as_of, person, checklist=[False] * len(items) or None)
        if items:  # the items to tick, named beside the flags
            line += "  # " + ", ".join(items)
        if path in data.records_files:
            if self._edit_url[0] != path:  # a portal asks for its person's file once per row it can record
                self._edit_url = (path, links.edit_file_url(data.settings, path))
            return Action("Record a completion", self._edit_url[1], path, f"  - {line}", False)
        text = helpers.records_text(path, person, [line])
        return Action("Record a completion", links.new_file_url(data.settings, path, text), path, text, True)

    def _request_action(self, person: str, course_id: str, course: m.Course) -> Action | None:
        """Request a course: the request file, pre-filled at the path that routes it to the right approvers. The
        page shows only the course's id on the card; the link is the shared one (`request_links`)."""
        data = self.data
        if data.settings is None or not requestable(course):
            return None
        team = data.org.members[person].team
        return Action("Request", self.requests.url(course_id, person, team) or "",
                      request_path(team, person, course_id, data.as_of), self.requests.text(course_id, person), True)


def result_text(event: CompletionEvent, w: Words = ENGLISH) -> str | None:
    """What a history row says of a record's result: `failed, score 45`, `3 of 5 items (in progress)`; a pass says
    only its score or its items (`score 85`, `3 of 3 items`): the history lists completions, and says so of those
    that are not (docs/site.md#the-portal)."""
    score = w.t("site.result.score", score=score_text(event.score)) if event.score is not None else ""
    if event.result == "failed":
        return w.t("site.result.failed", score=score)
    if event.result == "partial":
        return w.t("site.result.partial", progress=event.progress)
    if event.progress:
        return w.t("site.result.passed_progress", progress=event.progress, score=score)
    return w.t("site.result.passed", score=score_text(event.score)) if event.score is not None else None


def assessment_note(row: StatusRow, history: list[CompletionEvent], w: Words = ENGLISH) -> str | None:
    """An open row's failed attempts or partial checklist, in words, for the to-do list."""
    if row.status not in OPEN_STATUSES:
        return None
    if row.attempts_used_up:
        return w.t("site.note.used_up")
    latest = next((e for e in reversed(history) if e.course == row.course and e.result != "passed"
                   and (row.completed_on is None or e.on > row.completed_on)), None)
    if latest is not None and latest.result == "partial":
        return w.t("site.note.checklist", progress=latest.progress)
    if row.failed_attempts:
        tries = w.plural("site.note.failed", row.failed_attempts)
        left = w.t("site.note.left", count=row.attempts_left) if row.attempts_left is not None else ""
        return tries + left
    return None
