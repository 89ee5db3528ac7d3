"""The file formats of an organisation repository, one frozen pydantic model per file kind.

Field names are exactly those of docs/reference/ (generated from these models); unknown keys are errors, so a typo never passes silently.

The models accept exactly what their JSON Schemas (`schema.py`) accept, so an editor and `lmsgen check`
agree on every file: numbers are YAML numbers (pydantic alone would also read `"12"` and `true`), text
is taken as written (no stripping a pattern would not allow), lists of ids say `uniqueItems`, and dates,
times and time zones are written one way each (`times.py`).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import Enum
from typing import Annotated, Literal

from pydantic import (
    ConfigDict,
    Field,
    RootModel,
    ValidationInfo,
    field_validator,
    model_validator,
)

# The shared types and org.yaml live beside this module; they are re-exported so that every format is
# reached as `formats.X`.
from .basics import (  # noqa: F401
    CURRENCY_PATTERN,
    GIT_TEAM_PATTERN,
    IRI_PATTERN,
    LOGIN_PATTERN,
    MAX_AMOUNT,
    MAX_ID_LENGTH,
    NON_BLANK_PATTERN,
    NOT_TEXT,
    SLUG_PATTERN,
    URL_PATTERN,
    Amount,
    Currency,
    Explanation,
    Flag,
    LongText,
    Model,
    Money,
    Number,
    Slug,
    Text,
    UniqueSlugs,
    Url,
    is_slug,
)
from .learning import (  # noqa: F401
    CourseRef,
    Profile,
    Program,
    SkillLevel,
    Skills,
    Step,
    UniqueCourseRefs,
    skill_levels,
)
from .org_format import (  # noqa: F401
    GitHost,
    GitSettings,
    HrColumns,
    HrImport,
    Language,
    MoneySettings,
    Org,
    ReminderSettings,
    Weekday,
)
from .theme_format import Palette, Theme, ThemePage  # noqa: F401
from .times import ORG_ZONE, UTC, Day, LocalTime, TimeZone, in_zone, meetings
from .translations import CourseTranslation, Translations  # noqa: F401
from .vendor_format import Contract, Rate, Vendor, VendorContact  # noqa: F401

# --- catalog/<course>.yaml ------------------------------------------------------------------


class Format(str, Enum):
    ELEARNING = "elearning"
    CLASSROOM = "classroom"
    BLENDED = "blended"
    MICROLEARNING = "microlearning"
    WORKSHOP = "workshop"
    WEBINAR = "webinar"
    EXTERNAL = "external"
    OJT = "ojt"
    CHECKLIST = "checklist"


class Approval(str, Enum):
    MANAGER = "manager"
    NONE = "none"


class Completer(str, Enum):
    SELF = "self"
    MANAGER = "manager"
    MENTOR = "mentor"
    TRAINER = "trainer"
    IMPORT = "import"
    """Batch files (`completions/<source>/<batch>.yaml`) may record it: an e-learning tool or LRS reports it."""


class Completion(Model):
    by: Annotated[list[Completer], Field(min_length=1)] = [
        Completer.SELF,
        Completer.MANAGER,
        Completer.MENTOR,
        Completer.TRAINER,
    ]


class Session(Model):
    """A session: naive times are local to its `timezone`, else the org's, else UTC."""

    # `start` and `end` are aware times in the session's own zone (see `times.py`), so their `.date()` is
    # the session's local date: the date attendance counts on, and that seats and "upcoming" go by.

    id: Slug
    timezone: TimeZone | None = None
    """Before the times: validating them reads it."""
    start: LocalTime
    end: LocalTime
    location: Text = ""
    capacity: Annotated[int, Field(ge=1), NOT_TEXT] | None = None

    @field_validator("start", "end")
    @classmethod
    def _in_its_zone(cls, moment: datetime, info: ValidationInfo) -> datetime:
        return in_zone(moment, info.data.get("timezone") or (info.context or {}).get(ORG_ZONE) or UTC)

    @property
    def starts_on(self) -> date:
        """The local date the session starts."""
        return self.start.date()

    @property
    def ends_on(self) -> date:
        """The local date the session ends: attendance counts as a completion on it."""
        return self.end.date()

    def meetings(self) -> list[tuple[datetime, datetime]]:
        """Each (start, end) the session meets, local (one per day for a course of several days)."""
        return meetings(self.start, self.end)


class Course(Model):
    """`catalog/<course>.yaml`: one course, event or external training.

    `cost` is what a request for the course costs: a request that states a cost states this one, and
    one that states none takes it. A course whose price is set per request (external training, a
    conference: the request states what it costs) says so, and then `cost` is only the usual price::

        cost_per_request: true    # each request states its own cost (one that states none costs `cost`)
    """

    title: Text
    summary: Annotated[str, Field(max_length=500)] = ""
    description: LongText = ""
    format: Format
    hours: Annotated[Number, Field(ge=0, le=10_000)] | None = None
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")] = "en"
    provider: Text = "Internal"
    url: Url | None = None
    cost: Money | None = None
    cost_per_request: Flag = False
    elective: Flag = False
    approval: Approval = Approval.MANAGER
    prerequisites: UniqueSlugs = []
    skills: Skills = []
    """Plain names (level 1) or `{id: kubernetes, level: 2}` (`learning.py`); `skill_levels` reads them."""
    trainers: UniqueSlugs = []
    valid_months: Annotated[int, Field(ge=1, le=600), NOT_TEXT] | None = None
    completion: Completion = Completion()
    checklist: list[Annotated[str, Field(pattern=NON_BLANK_PATTERN, max_length=500)]] = []
    sessions: list[Session] = []
    xapi: Annotated[str, Field(pattern=IRI_PATTERN, max_length=2000)] | None = None
    """The course's xAPI activity id: statements about this activity are completions of this course."""
    pass_mark: Annotated[Number, Field(ge=0, le=100)] | None = None
    """A record's score below it is a failed attempt (docs/assessments.md)."""
    attempts: Annotated[int, Field(ge=1, le=100), NOT_TEXT] | None = None
    """Failed attempts allowed before the manager decides (docs/assessments.md)."""
    checklist_required: Annotated[int, Field(ge=1, le=1000), NOT_TEXT] | None = None
    """Checklist items that must be ticked for a record to count (default: every item)."""
    vendor: Slug | None = None
    """The vendor (`vendors/<vendor>.yaml`) that delivers the course, under its contract."""
    translations: Translations = {}
    """The title, summary and description in other languages, by language (`en`, `nl`):
    `translations: {nl: {title: ..., summary: ..., description: ...}}`, each field optional. The site shows
    them in the organisation's `language` (docs/translations.md)."""

    def localized(self, language: str) -> CourseTranslation:
        """The title, summary and description to show in `language`: the translation's where it gives them,
        else the course's own."""
        own = next((words for lang, words in self.translations.items() if lang.value == language), None)
        return CourseTranslation.model_construct(
            title=own.title if own and own.title is not None else self.title,
            summary=own.summary if own and own.summary is not None else self.summary,
            description=own.description if own and own.description is not None else self.description)

    @property
    def has_cost(self) -> bool:
        return self.cost is not None and self.cost.amount > 0

    @property
    def skill_levels(self) -> dict[str, int]:
        """Each skill the course grants, with its level (a plain name is level 1)."""
        return skill_levels(self.skills)


# --- roles/<role>.yaml ----------------------------------------------------------------------


class Permission(str, Enum):
    CATALOG_EDIT = "catalog.edit"
    ASSIGN_ORG = "assign.org"
    ASSIGN_TEAM = "assign.team"
    RECORD_COMPLETION = "record.completion"
    RECORD_IMPORT = "record.import"
    APPROVE_ENROLLMENT = "approve.enrollment"
    APPROVE_COST = "approve.cost"
    APPROVE_EXTERNAL = "approve.external"
    PEOPLE_EDIT = "people.edit"
    BUDGET_EDIT = "budget.edit"
    ROLES_EDIT = "roles.edit"
    REPORTS_TEAM = "reports.team"
    REPORTS_CERTIFICATIONS = "reports.certifications"
    REPORTS_DIVISION = "reports.division"
    REPORTS_ORG = "reports.org"


class Role(Model):
    """`roles/<role>.yaml`: the permissions a role grants and who holds it."""

    name: Text
    description: LongText = ""
    grants: Annotated[list[Permission], Field(min_length=1)]
    holders: UniqueSlugs = []
    git_team: Annotated[str, Field(pattern=GIT_TEAM_PATTERN, max_length=2000)] | None = None
    scope: UniqueSlugs = []


# --- teams/<team>/team.yaml -----------------------------------------------------------------


class Person(Model):
    """A member of a team. A leaver keeps their entry, with `left`: the day they left."""

    id: Slug
    name: Text
    email: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+$", max_length=254)] | None = None
    git: Annotated[str, Field(pattern=LOGIN_PATTERN, max_length=255)] | None = None
    profile: Slug | None = None
    location: Slug | None = None
    start_date: Day | None = None
    mentor: Slug | None = None
    title: Text | None = None
    left: Day | None = None

    def is_current(self, on: date) -> bool:
        """Whether the person is still here on `on`: a leaver, from their `left` date on, has no status and
        owns nothing. Every stage asks this, and only this, whether someone counts on a day."""
        return self.left is None or on < self.left


class Team(Model):
    """`teams/<team>/team.yaml`: a team, its place in the tree, its manager and its people."""

    name: Text
    parent: Slug | None = None
    manager: Slug
    members: list[Person] = []


# --- teams/<team>/records/<person>.yaml -----------------------------------------------------


class Record(Model):
    course: Slug
    date: Day
    by: Slug
    score: Annotated[Number, Field(ge=0, le=100)] | None = None
    evidence: Url | None = None
    checklist: list[Flag] | None = None
    note: LongText | None = None


class Records(Model):
    """`teams/<team>/records/<person>.yaml`: the completion records of one person."""

    person: Slug
    records: list[Record] = []


# --- completions/<source>/<batch>.yaml -------------------------------------------------------


SOURCE_ID_PATTERN = r"^\S(?:.*\S)?$"
MAX_SOURCE_ID_LENGTH = 200
SourceId = Annotated[str, Field(pattern=SOURCE_ID_PATTERN, max_length=MAX_SOURCE_ID_LENGTH)]
"""The source's own id of a completion (an xAPI statement id, a row id): any text on one line, trimmed."""


def source_id_problem(text: str) -> str | None:
    """Why `text` cannot be a source's id of a completion, or None when it can."""
    if len(text) > MAX_SOURCE_ID_LENGTH:
        return f"its id is {len(text):,} characters long: at most {MAX_SOURCE_ID_LENGTH}"
    return None if re.fullmatch(SOURCE_ID_PATTERN, text) else "its id is blank or spans lines"


class ImportedCompletion(Model):
    """One completion a source reported. `passed: false` is a failed attempt: kept with its score, counted as
    no completion."""

    person: Slug
    course: Slug
    date: Day
    score: Annotated[Number, Field(ge=0, le=100)] | None = None
    id: SourceId
    passed: Flag = True


class Completions(Model):
    """`completions/<source>/<batch>.yaml`: one batch of completions imported from `source` (append-only)."""

    source: Slug
    records: list[ImportedCompletion] = []


# --- teams/<team>/requests/<person>/<req>.yaml and its slips --------------------------------


class RequestKind(str, Enum):
    ENROLL = "enroll"
    EXTERNAL = "external"


class Request(Model):
    """An enrollment or external-training request."""

    person: Slug
    course: Slug
    session: Slug | None = None
    kind: RequestKind = RequestKind.ENROLL
    reason: LongText = ""
    date: Day
    cost: Money | None = None


class SlipKind(str, Enum):
    """A slip's kind names the permission whose holders own it."""

    COST = "cost"
    EXTERNAL = "external"

    @property
    def permission(self) -> Permission:
        return {SlipKind.COST: Permission.APPROVE_COST, SlipKind.EXTERNAL: Permission.APPROVE_EXTERNAL}[self]


class Slip(Model):
    """`<req>.<kind>.yaml`: the approval slip that routes a request to the approving role."""

    request: Slug
    amount: Money | None = None
    note: LongText | None = None


class Withdrawal(Model):
    """`<req>.withdraw.yaml` beside a request: the person withdraws it, freeing its seat (docs/sessions.md)."""

    reason: Explanation
    date: Day | None = None
    """The day of the withdrawal; without it, the request counts as withdrawn from its own date."""


class AdminSlip(Model):
    """`<file stem>.admin.yaml` beside a records file, request or attendance list: an admin's reason for
    changing or deleting what is already merged (records, requests, slips and attendance are otherwise
    append-only)."""

    reason: Explanation


# --- assignments ----------------------------------------------------------------------------


class Audience(Model):
    teams: UniqueSlugs = []
    profiles: UniqueSlugs = []
    locations: UniqueSlugs = []
    people: UniqueSlugs = []


class Exclusion(Model):
    person: Slug
    reason: Annotated[str, Field(pattern=NON_BLANK_PATTERN, max_length=2000)]


class Rule(Model):
    """`assignments/<rule>.yaml`: an org-wide assignment rule."""

    # The schema says what `_one_due_kind` says: not both `due` and `due_days` (an empty one is absent).
    model_config = ConfigDict(json_schema_extra={"not": {
        "required": ["due", "due_days"],
        "properties": {"due": {"not": {"type": "null"}}, "due_days": {"not": {"type": "null"}}}}})

    title: Text
    description: LongText = ""
    courses: Annotated[UniqueCourseRefs, Field(min_length=1)]
    """Course ids, or `program:<id>` for a learning path (`learning.py`)."""
    audience: Audience = Audience()
    exclude: list[Exclusion] = []
    from_: Day | None = Field(default=None, alias="from")
    due_days: Annotated[int, Field(ge=0, le=3650), NOT_TEXT] | None = None
    due: Day | None = None
    every_months: Annotated[int, Field(ge=1, le=600), NOT_TEXT] | None = None

    @model_validator(mode="after")
    def _one_due_kind(self) -> Rule:
        if self.due is not None and self.due_days is not None:
            raise ValueError("give either 'due' or 'due_days', not both")
        return self


class TeamAssignment(Model):
    person: Slug | Literal["all"]
    course: CourseRef
    """A course id, or `program:<id>` for a learning path (`learning.py`)."""
    due: Day | None = None
    note: LongText | None = None


class TeamAssignments(Model):
    """`assignments/teams/<team>.yaml`: a manager's assignments for one team."""

    assignments: list[TeamAssignment] = []


# --- attendance/<course>/<session>.yaml and budgets/<year>.yaml -----------------------------


class Attendance(Model):
    """`attendance/<course>/<session>.yaml`: the trainer's attestation of who attended."""

    attended: UniqueSlugs = []
    absent: UniqueSlugs = []
    """Booked people who did not come (no-shows): their course stays due (docs/sessions.md)."""
    note: LongText | None = None


class Budget(RootModel[dict[Slug, Money]]):
    """`budgets/<year>.yaml`: the training budget per team or division."""

    model_config = ConfigDict(frozen=True)
