"""What a reminder digest says, in the organisation's language: the words every channel shares.

`lmsgen.rules.reminders` decides who is told what on a day; this turns each digest into sentences from
the message catalogs (lmsgen/messages, in org.yaml's `language`), with links into the published site
(org.yaml's `site_url`): the recipient's portal, each course's page, the teams' dashboards and the
certification report. The e-mail (`mail`) and the webhook (`webhook`) render the same `Letter`, so a
channel decides only its format. The site's addresses are those of `lmsgen.site.zones`, which this stage
may not import; they are part of the site's contract (docs/access.md), so they are spelled here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from ..messages import Catalog
from ..model.organisation import Organisation
from ..rules.reminders import Audience, Digest, Item, Kind, reminders


@dataclass(frozen=True)
class Line:
    text: str
    url: str | None


@dataclass(frozen=True)
class Section:
    heading: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class DueDate:
    """A due date of the recipient's, as a calendar event: the item and its words."""

    item: Item
    summary: str
    description: str


@dataclass(frozen=True)
class Letter:
    """One digest in words: to whom, its subject, its sections and links, and its due dates for a calendar."""

    digest: Digest
    name: str
    """The recipient's name."""
    address: str | None
    """The recipient's e-mail address; None: they cannot be reached."""
    language: str
    subject: str
    greeting: str
    intro: str
    sections: tuple[Section, ...]
    links: tuple[Line, ...]
    footer: str
    due_dates: tuple[DueDate, ...]
    """A person's items with a due date (overdue or due): the calendar attachment's events."""
    calendar_name: str


LINES_SHOWN = 100
"""A letter lists this many lines at most, the most urgent first, then says how many more the site lists: a
manager of a large division or HR of the whole organisation reads the rest on the site."""


class Writer:
    """Writes the letters of one organisation on one day, in its language."""

    def __init__(self, org: Organisation, as_of: date):
        self.org = org
        self.as_of = as_of
        settings = org.org.model if org.org else None
        self.catalog = Catalog(settings.language.value if settings else "en")
        self.org_name = settings.name if settings else ""
        self.site = settings.site_url.rstrip("/") + "/" if settings and settings.site_url else None

    def url(self, path: str) -> str | None:
        """The address of a page of the site (`path` relative to its root), or None without `site_url`."""
        return self.site + path if self.site else None

    def days(self, count: int) -> str:
        return self.catalog("reminder.days.one") if count == 1 else self.catalog("reminder.days.other", count=count)

    def letter(self, digest: Digest) -> Letter:
        text = self.catalog
        member = self.org.members.get(digest.recipient)
        name = self.org.person_name(digest.recipient)
        audience = digest.audience
        subject = text(f"reminder.subject.{audience.value}", org=self.org_name, date=self.as_of.isoformat())
        if audience is Audience.PERSON:
            intro = text("reminder.intro.person")
            links = [Line(text("reminder.link.portal"), self.url(f"people/{quote(digest.recipient)}/"))]
        elif audience is Audience.MANAGER:
            intro = text("reminder.intro.manager", teams=", ".join(map(self.org.team_name, digest.teams)))
            links = [Line(text("reminder.link.dashboard", team=self.org.team_name(team)),
                          self.url(f"teams/{quote(team)}/")) for team in digest.teams]
        else:
            scope = ", ".join(map(self.org.team_name, digest.teams)) or text("reminder.scope.all")
            intro = text("reminder.intro.hr", scope=scope)
            links = [Line(text("reminder.link.report"), self.url("reports/certifications/"))]
        shown, more = digest.items[:LINES_SHOWN], len(digest.items) - LINES_SHOWN
        sections = []
        for kind in Kind:
            lines = tuple(self._line(item, audience) for item in shown if item.kind is kind)
            if lines:
                sections.append(Section(text(f"reminder.heading.{kind.value}"), lines))
        if more > 0:
            last = sections[-1]
            sections[-1] = Section(last.heading, (*last.lines, Line(text("reminder.more", count=more), None)))
        due = tuple(self._due_date(item) for item in shown
                    if audience is Audience.PERSON and item.kind in (Kind.OVERDUE, Kind.DUE))
        footer = text("reminder.footer" if due else "reminder.footer.plain", org=self.org_name)
        return Letter(digest, name, member.person.email if member else None, self.catalog.language, subject,
                      text("reminder.greeting", name=name), intro, tuple(sections), tuple(links), footer, due,
                      text("reminder.calendar.name", name=name))

    def _due_date(self, item: Item) -> DueDate:
        title = self.org.course_title(item.course)
        return DueDate(item, self.catalog("reminder.calendar.summary", course=title),
                       self.catalog("reminder.calendar.description", course=title, date=item.on.isoformat()))

    def _line(self, item: Item, audience: Audience) -> Line:
        days = abs((item.on - self.as_of).days)
        line = self.catalog(f"reminder.item.{item.kind.value}", course=self.org.course_title(item.course),
                            date=item.on.isoformat(), days=self.days(days))
        if audience is not Audience.PERSON:
            line = self.catalog("reminder.item.of", person=self.org.person_name(item.person), line=line)
        return Line(line, self.url(f"catalog/{quote(item.course)}/"))


def letters(org: Organisation, as_of: date) -> tuple[Writer, list[Letter]]:
    """The day's letters (lmsgen.rules.reminders) in the organisation's words, and the writer that wrote them."""
    writer = Writer(org, as_of)
    return writer, [writer.letter(digest) for digest in reminders(org, as_of)]
