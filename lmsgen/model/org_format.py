"""`org.yaml`: the organisation's name, git host and the defaults every other file kind counts with."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from pydantic import Field

from .basics import NON_BLANK_PATTERN, NOT_TEXT, Currency, Model, Text, Url
from .collaboration import CollaborationTemplate
from .times import UTC, TimeZone


class GitHost(str, Enum):
    GITHUB = "github"
    GITLAB = "gitlab"


class GitSettings(Model):
    host: GitHost = GitHost.GITHUB
    repo: Url
    branch: Annotated[str, Field(pattern=r"^[A-Za-z0-9._/-]+$")] = "main"


class MoneySettings(Model):
    """`money` in org.yaml: what one unit of each other currency is worth in the organisation's `currency`."""

    rates: dict[Currency, Annotated[float, Field(gt=0, le=1_000_000)]] = {}


class Language(str, Enum):
    """The languages the site's and the messages' text is written in (lmsgen/messages)."""

    EN = "en"
    NL = "nl"


class Weekday(str, Enum):
    MONDAY = "monday"
    TUESDAY = "tuesday"
    WEDNESDAY = "wednesday"
    THURSDAY = "thursday"
    FRIDAY = "friday"
    SATURDAY = "saturday"
    SUNDAY = "sunday"

    @property
    def number(self) -> int:
        """0 for Monday, as `date.weekday()` counts."""
        return list(Weekday).index(self)


class ReminderSettings(Model):
    """`reminders` in org.yaml: on which days reminders go out (`lmsgen remind`, docs/reminders.md)."""

    before_days: Annotated[list[Annotated[int, Field(ge=0, le=365), NOT_TEXT]], Field(max_length=20)] = [14, 3]
    """A person hears of a due date, and of a certificate's expiry, exactly this many days before it."""
    overdue_every_days: Annotated[int, Field(ge=1, le=365), NOT_TEXT] = 7
    """An overdue course is reminded of every this many days, counted from its due date."""
    manager_digest: Weekday = Weekday.MONDAY
    """The weekday managers and HR get their weekly digest."""


ColumnName = Annotated[str, Field(pattern=NON_BLANK_PATTERN, max_length=200)]


class HrColumns(Model):
    """The HR export's column for each field `lmsgen import-hr` reads: only those whose name differs from the
    field's need saying. `manager` and `title` are read when the export has them."""

    id: ColumnName = "id"
    name: ColumnName = "name"
    email: ColumnName = "email"
    git: ColumnName = "git"
    team: ColumnName = "team"
    profile: ColumnName = "profile"
    location: ColumnName = "location"
    start_date: ColumnName = "start_date"
    left_on: ColumnName = "left_on"
    mentor: ColumnName = "mentor"
    title: ColumnName = "title"
    manager: ColumnName = "manager"


class HrImport(Model):
    """`hr_import` in org.yaml: how `lmsgen import-hr` reads the HR system's export::

        hr_import: {columns: {id: employee_id, team: department}}
    """

    columns: HrColumns = HrColumns()


class Org(Model):
    """`org.yaml`: the organisation's name, git host and defaults.

    Budgets count in `currency`. A cost in another currency counts only when `money.rates` says what
    one unit of it is worth in `currency`::

        money: {rates: {USD: 0.92}}   # a cost of 100 USD counts as 92 EUR against the budgets
    """

    name: Text
    git: GitSettings
    currency: Currency = "EUR"
    expiring_within_days: Annotated[int, Field(ge=0, le=3650), NOT_TEXT] = 60
    timezone: TimeZone = UTC
    """The IANA zone that sessions' naive times are local to, unless a session names its own."""
    money: MoneySettings = MoneySettings()
    retention_years: Annotated[int, Field(ge=1, le=100), NOT_TEXT] = 7
    """How many years after a person leaves their records are kept; `lmsgen retention` lists whose may go."""
    language: Language = Language.EN
    """The language of the messages lmsgen sends (reminders)."""
    site_url: Url | None = None
    """Where the organisation's site is published: reminders link to the portal and the courses under it."""
    reminders: ReminderSettings = ReminderSettings()
    hr_import: HrImport = HrImport()
    collaboration: CollaborationTemplate | None = None
    """A chat address template with {mentor_email} and {mentee_email}: portals link mentor and mentee through it."""


