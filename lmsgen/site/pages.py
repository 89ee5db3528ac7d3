"""The site's pages as HTML: Jinja2 templates (autoescaped) around the views.

Portals and dashboards are rendered here directly, thousands per second, and put inside the
page shell that mkdocs-material rendered once (see `mkdocs_project`), so they share its look,
navigation and search without going through mkdocs' Markdown pipeline one by one. The files
offered for download (the exports and the calendar feeds) are in `exports`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache, partial

import jinja2
import markdown
import nh3
from markupsafe import Markup, escape

from ..history import helpers
from ..messages.collation import sort_key
from ..model import formats as m
from ..rules.engine import Status
from ..rules.policy import Line
from ..rules.rosters import Roster
from . import links
from .dashboard_rows import FILTERS as DASHBOARD_FILTERS
from .history_rows import history_rows
from .portal_rows import FILTERS as PORTAL_FILTERS
from .portals import HistoryItem, Portal
from .reports import Dashboard, certification_report, division_bars, team_bars
from .theme_templates import Templates
from .views import Seat, SiteData
from .words import ENGLISH, WordedLoader, Words, code, link, strong, words

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("lmsgen", "templates/site"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
    auto_reload=False,  # the package's templates do not change while a build runs: no stat per page and template
)

_ALLOWED_TAGS = {"a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h3", "h4", "h5",
                 "h6", "hr", "i", "kbd", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td",
                 "th", "thead", "tr", "ul"}


def _days_text(first: date, last: date, w: Words = ENGLISH) -> str:
    """`3 Dec 2026`, `3–4 Dec 2026`, `30 Nov–2 Dec 2026` or `30 Dec 2026–2 Jan 2027`."""
    if first == last:
        return w.day_text(first)
    if first.year != last.year:
        return f"{w.day_text(first)}–{w.day_text(last)}"
    return f"{first.day}{'' if first.month == last.month else f' {w.month_text(first)}'}–{w.day_text(last)}"


def _zone_abbreviation(moment: datetime) -> str:
    """`CET`, `EST`, `UTC`; `UTC+04` for a zone whose abbreviation is only its offset (`+04`)."""
    name = moment.tzname() or ""
    return f"UTC{name}" if name[:1] in ("+", "-") else name


def render_markdown(text: str) -> Markup:
    """Markdown from the data as safe HTML: raw HTML is dropped and only http(s) and mailto links stay."""
    html = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    return Markup(nh3.clean(html, tags=_ALLOWED_TAGS, attributes={"a": {"href", "title"}, "abbr": {"title"}},
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer"))


class Html:
    """The small pieces of HTML every page repeats (links, dates, badges, amounts), made in Python.

    They run thousands of times per page set, where a Jinja macro call costs ten times more. Each
    returns escaped Markup; links are relative to the page (`root` leads to the site's top).
    """

    def __init__(self, data: SiteData, root: str, w: Words = ENGLISH):
        self.data = data
        self.root = root
        self.w = w
        # The pieces below speak the page's language: on an instance, each is the static one with its words.
        for name in _WORDED:
            setattr(self, name, partial(getattr(Html, name), w=w))
        self._people: dict[str | None, Markup] = {}
        self._courses: dict[str, Markup] = {}
        self._teams: dict[str, Markup] = {}

    def person(self, person: str | None) -> Markup:
        if person not in self._people:
            if person and person in self.data.org.members:
                html = Markup(f'<a href="{self.root}people/{person}/">{escape(self.data.person_name(person))}</a>')
            else:
                html = escape(person) if person else _MISSING
            self._people[person] = Markup(html)
        return self._people[person]

    def course(self, course: str) -> Markup:
        if course not in self._courses:
            if course in self.data.org.courses:
                html = Markup(f'<a href="{self.root}catalog/{course}/">{escape(self.data.course_title(course))}</a>')
            else:
                html = Markup(escape(course))
            self._courses[course] = html
        return self._courses[course]

    def team(self, team: str) -> Markup:
        if team not in self._teams:
            self._teams[team] = Markup(f'<a href="{self.root}teams/{escape(team)}/">{escape(self.data.team_name(team))}</a>')
        return self._teams[team]

    @staticmethod
    def day(value: date | None) -> Markup:
        if not value:
            return _MISSING
        text = value.isoformat()
        return Markup(f"<time>{text}</time>")  # an ISO date: the element's text is its machine-readable value

    @staticmethod
    def badge(status: str, w: Words = ENGLISH) -> Markup:
        return w.badge(status)

    @staticmethod
    def money(value: m.Money | None, w: Words = ENGLISH) -> Markup:
        if value is None or value.amount <= 0:
            return Markup(escape(w.t("site.cost.free")))
        return Markup(f"{w.number(value.amount)}\u00a0{escape(value.currency)}")

    @staticmethod
    def amount(value: float | None, currency: str, w: Words = ENGLISH) -> Markup:
        return _MISSING if value is None else Markup(f"{w.number(value)}\u00a0{escape(currency)}")

    @staticmethod
    def rate(value: float | None, w: Words = ENGLISH) -> Markup:
        """A completion rate as a small meter: green from 90%, amber from 70%, red below."""
        if value is None:
            return _MISSING
        # A budget of a few cents makes any spend a share too large to print (even infinite): past 100
        # times, the number says no more.
        pct = round(min(value, 100) * 100)
        text = f"{pct}%" if value <= 100 else w.t("site.meter.over", pct=pct)
        level = "good" if pct >= 90 else "warn" if pct >= 70 else "bad"
        return Html._meter(level, w.t("site.meter.complete", share=text), pct, text)

    @staticmethod
    def path(text: str) -> Markup:
        """A repository path that a narrow screen may break after any slash, and nowhere else."""
        return Markup("/<wbr>").join(escape(text).split("/"))

    @staticmethod
    def hours(value: float) -> str:
        """Hours to the quarter as written (`0.25`, `1.5`, `2`): rounding to one digit made 0.25 read 0.2."""
        return f"{value:,.2f}".rstrip("0").rstrip(".")

    @staticmethod
    def used(value: float | None, w: Words = ENGLISH) -> Markup:
        """The share of a budget committed, as a meter read the other way round from `rate`: green while
        under 80%, amber up to 100%, red past it."""
        if value is None:
            return _MISSING
        pct = round(min(value, 100) * 100)
        text = f"{pct}%" if value <= 100 else w.t("site.meter.over", pct=pct)
        level = "good" if pct < 80 else "warn" if pct <= 100 else "bad"
        return Html._meter(level, w.t("site.meter.used", share=text), pct, text)

    @staticmethod
    def _meter(level: str, title: str, pct: int, text: str) -> Markup:
        return Markup(f'<span class="lms-rate lms-rate--{level}" title="{escape(title)}"><span class="lms-rate__bar" '
                      f'style="width: {min(pct, 100)}%"></span><span class="lms-rate__text">{escape(text)}</span>'
                      '</span>')


    def history_rows(self, items: list[HistoryItem], me: str | None = None) -> Markup:
        """The rows of a portal's learning history (`me`: whose portal), compact (`history_rows`)."""
        return history_rows(items, me, self.w, self.data.person_name)

    @staticmethod
    def tile(count: int, label: str, kind: str, href: str | None = None, w: Words = ENGLISH) -> Markup:
        """A number at the top of a page, linking to the section that lists it."""
        classes = f"lms-tile lms-tile--{kind}" + ("" if count else " lms-tile--zero")
        inner = f"<strong>{count:d}</strong>{escape(label)}"
        if href:
            return Markup(f'<a class="{escape(classes)}" href="{escape(href)}">{inner}</a>')
        return Markup(f'<div class="{escape(classes)}">{inner}</div>')

    @staticmethod
    def due_in(days: int | None, w: Words = ENGLISH, plain: bool = False) -> Markup:
        """`in 3 days`, `5 days overdue`; `plain`: for a portal's to-do row, small print whose badge the row
        colours (`state`)."""
        if plain:
            if days is not None and days < 0:
                return Markup(f'<b>{escape(w.plural("site.due.overdue", -days))}</b>')
            text = w.t("site.due.none") if days is None else w.t("site.due.today") if days == 0 else w.plural(
                "site.due.in", days)
            return Markup(f"<small>{escape(text)}</small>")
        if days is None:
            return Markup(f'<span class="lms-muted">{escape(w.t("site.due.none"))}</span>')
        if days < 0:
            return Markup(f'<span class="lms-badge lms-badge--overdue">{escape(w.plural("site.due.overdue", -days))}'
                          '</span>')
        return Markup(escape(w.t("site.due.today") if days == 0 else w.plural("site.due.in", days)))

    @staticmethod
    def session_when(session: m.Session, w: Words = ENGLISH) -> Markup:
        """When a session meets, in its own time zone: `3 Dec 2026, 09:00–17:00 CET`; `3–4 Dec 2026,
        09:00–17:00 CET` for every day of a longer one; `1 Dec 2026 18:00 – 3 Dec 2026 12:00 CET` straight
        through."""
        start, end = session.start, session.end
        meetings = session.meetings()
        zones = "/".join(dict.fromkeys(_zone_abbreviation(moment) for pair in meetings for moment in pair))
        if len(meetings) == 1 and start.date() != end.date():
            text = f"{w.day_text(start.date())} {start:%H:%M} – {w.day_text(end.date())} {end:%H:%M} {zones}"
        else:
            text = f"{_days_text(start.date(), end.date(), w)}, {start:%H:%M}–{end:%H:%M} {zones}"
        return Markup(f'<time datetime="{start.isoformat()}">{escape(text)}</time>')

    @staticmethod
    def session_line(seat: Seat, w: Words = ENGLISH) -> Markup:
        """When and where a session is: `3 Dec 2026, 09:00–17:00 CET · Berlin`."""
        where = f" · {escape(seat.session.location)}" if seat.session.location else ""
        return Markup(f"{Html.session_when(seat.session, w)}{where}")

    @staticmethod
    def seats_left(seat: Seat, w: Words = ENGLISH) -> Markup:
        if seat.left is None:
            return Markup(escape(w.t("site.seats.open")))
        if seat.left == 0:
            text = w.t("site.seats.full_waiting", count=seat.waitlisted) if seat.waitlisted else w.t("site.seats.full")
            return Markup(f'<span class="lms-badge lms-badge--waitlisted">{escape(text)}</span>')
        return Markup(escape(w.t("site.seats.left", left=seat.left, capacity=seat.session.capacity)))


_MISSING = Markup('<span class="lms-muted">–</span>')
_WORDED = ("badge", "money", "amount", "rate", "used", "tile", "due_in", "session_when", "session_line", "seats_left")
"""The pieces of `Html` that hold words: an `Html` instance has them in its language."""

# The pieces every row repeats are filters: a filter is a plain call, where a method called from a template
# goes through Jinja's context (a tenth of a portal's rendering time when they were methods).
_ENV.filters.update({
    "day": Html.day, "path": Html.path, "iso": lambda value: value.isoformat() if value else "",
    "course": lambda course, html: html.course(course),
    "person": lambda person, html: html.person(person),
    "team": lambda team, html: html.team(team),
    **PORTAL_FILTERS,  # a portal's rows, made in Python (portal_rows)
    **DASHBOARD_FILTERS,  # a dashboard's long tables (dashboard_rows)
})


@lru_cache(maxsize=None)
def environment(language: str) -> jinja2.Environment:
    """The templates in one language: `t(key, **values)` and the filters that hold words speak it. One
    environment per language, each compiling the templates once, with their fixed words written in."""
    w = words(language)
    # Its own cache: a template compiled here holds this language's words and globals.
    env = _ENV.overlay(cache_size=400, loader=WordedLoader(_ENV.loader, w))
    env.filters = dict(_ENV.filters)
    env.filters.update({"badge": w.badge, "state": w.state_badge, "hours": Html.hours if w.language == "en" else w.hours, "money": partial(Html.money, w=w), "rate": partial(Html.rate, w=w),
                        "used": partial(Html.used, w=w), "status": w.status,
                        "recorded_by": w.recorded_by, "slip": lambda kind: w.t(f"site.slip.{kind}"),
                        "format_name": w.format_name})
    env.globals = {**_ENV.globals, "t": w.markup, "tm": w.markup, "tn": w.plural, "code": code, "strong": strong, "link": link, "kind": w.kind, "lang": w.language}
    return env


_SECTIONS = {
    "portal.html": ("people/", "people/"), "calendar.html": ("people/", "people/"),
    "people.html": ("people/", "people/"), "dashboard.html": ("teams/", "teams/"), "teams.html": ("teams/", "teams/"),
    "certifications.html": ("reports/certifications/", "reports/certifications/"),
    "budgets.html": ("reports/certifications/", "reports/budgets/"),
    "divisions.html": ("reports/certifications/", "reports/divisions/"),
    "vendors.html": ("reports/certifications/", "reports/vendors/"),
    "roster.html": ("catalog/", "catalog/"),
}
"""The navigation tab each generated page belongs under, and its entry in the drawer (relative to the root)."""


@dataclass(frozen=True)
class Shell:
    """A page that mkdocs-material rendered, cut where the title and the content go."""

    before: tuple[str, ...]
    """The text before the content, cut at each place of the title."""
    after: tuple[str, ...]
    """The text after the content, cut the same way."""

    @classmethod
    def cut(cls, page: str, title_marker: str, content_marker: str) -> Shell:
        before, _, after = page.partition(content_marker)
        return cls(tuple(before.split(title_marker)), tuple(after.split(title_marker))).squeezed()

    def squeezed(self) -> Shell:
        """The shell without its indentation, blank lines and the line breaks between its tags: each run of white
        space across lines becomes one line break, and none at all between one tag and the next (`>` and `<`),
        where the theme lays out blocks and flex items that white space does not move. A fifth of what every
        generated page weighed (docs/site.md#the-page-shell); a shell with preformatted text (an organisation's
        template) is kept as it is."""
        parts = self.before + self.after
        if any("<pre" in part or "<textarea" in part for part in parts):
            return self
        return Shell(tuple(squeeze_tags(part) for part in self.before),
                     tuple(squeeze_tags(part) for part in self.after))

    def wrap(self, title: str, body: str) -> str:
        """The whole page: `title` (escaped here) and `body` (already safe HTML) in the shell."""
        title = str(escape(title))
        return title.join(self.before) + body + title.join(self.after)

    def in_section(self, tab_href: str, entry_href: str) -> Shell:
        """The shell with the tab that links to `tab_href`, and the drawer's entry for `entry_href`, marked as
        where the reader is (`in_section`)."""
        return Shell(tuple(in_section(part, tab_href, entry_href) for part in self.before), self.after)


_LINE_BREAKS = re.compile(r"[ \t]*\n\s*")


def squeeze(html: str) -> str:
    """`html` without indentation and blank lines: each run of white space across lines becomes one line break."""
    return _LINE_BREAKS.sub("\n", html)


_BETWEEN_TAGS = re.compile(r">[ \t]*\n\s*<")


def squeeze_tags(html: str) -> str:
    """`html` squeezed, and without the line breaks between one tag and the next: for a page shell, whose markup
    is the theme's (never a page's text, nor preformatted text: `Shell.squeezed`)."""
    return _BETWEEN_TAGS.sub("><", squeeze(html))


def in_section(html: str, tab_href: str, entry_href: str) -> str:
    """`html`, a page Material rendered, with the tab that links to `tab_href` and the drawer's entry for
    `entry_href` marked as where the reader is, as Material marks the pages of its own navigation."""
    tab = re.compile(r'(<li class="md-tabs__item)(">\s*<a href="' + re.escape(tab_href) + r'" class="md-tabs__link)')
    entry = re.compile(r'(<a href="' + re.escape(entry_href) + r'" class="md-nav__link)(")')
    return entry.sub(r"\1 md-nav__link--active\2", tab.sub(r"\1 md-tabs__item--active\2", html))


class Pages:
    """Renders every generated page of one `SiteData`; with shells (by depth), whole HTML pages, else bodies.

    A public build (`public`) renders the public pages without personal data: they name roles and teams
    where the full site, read by signed-in colleagues alone, names people and links to their portals,
    and they link to no private page.
    """

    def __init__(self, data: SiteData, shells: dict[int, Shell] | None = None, *, public: bool = False,
                 templates: Templates | None = None):
        self.data = data
        self.shells = shells or {}
        self.public = public
        self.words = data.words
        """The site's language: org.yaml's `language` (docs/languages.md)."""
        self.env = environment(self.words.language)
        self.templates = templates.on(self.env) if templates is not None else self.env
        """Where templates come from: the language's environment, or, for those the organisation replaced, the
        sandbox on top of it (`theme_templates.Templates`)."""
        self._html: dict[int, Html] = {}
        self._shells: dict[tuple[int, tuple[str, str] | None], Shell | None] = {}
        self.badges: dict[str, list] = {}
        """Each person's Open Badges (`badges.BadgeLink`), for their portal: set by the build when it writes them."""

    def _page(self, template: str, title: str, depth: int, **context: object) -> str:
        body = self.body(template, depth, title=title, **context)
        shell = self._shell(depth, _SECTIONS.get(template))
        return shell.wrap(title, body) if shell else body

    def _shell(self, depth: int, section: tuple[str, str] | None) -> Shell | None:
        if (depth, section) not in self._shells:
            shell = self.shells.get(depth)
            if shell and section:
                shell = shell.in_section(*("../" * depth + href for href in section))
            self._shells[depth, section] = shell
        return self._shells[depth, section]

    def body(self, template: str, depth: int, title: str | None = None, **context: object) -> str:
        """A template's HTML alone, for the pages that mkdocs renders. With a `title`, it opens with the
        template's breadcrumb (its `crumbs`) and the title as the page's heading, so the trail sits above it."""
        root = "../" * depth
        if depth not in self._html:
            self._html[depth] = Html(self.data, root, self.words)
        page = self.templates.get_template(template).make_module(
            {"data": self.data, "root": root, "h": self._html[depth], "public": self.public, **context})
        if title is None:
            return str(page)
        return f"{getattr(page, 'crumbs', '')}<h1>{escape(title)}</h1>{page}"

    # --- per person and per team ----------------------------------------------------------

    def person(self, portal: Portal, *, calendar: bool) -> str:
        """A portal; `calendar`: it has a calendar page (`calendar/`) to link to."""
        left = not portal.member.person.is_current(self.data.as_of)
        return self._page("portal.html", portal.member.person.name, 2, portal=portal, calendar=calendar, left=left,
                          badges=self.badges.get(portal.id, []))

    def calendar(self, portal: Portal, feed: str) -> str:
        """The page that gives a person their calendar feed's address (`feed`, relative to the site's root)."""
        return self._page("calendar.html", self.words.t("site.title.calendar", name=portal.member.person.name), 3, portal=portal, feed=feed)

    def team(self, dashboard: Dashboard) -> str:
        return self._page("dashboard.html", dashboard.team.name, 2, dashboard=dashboard)

    # --- directories and reports ----------------------------------------------------------

    def people(self) -> str:
        data = self.data
        # The current members: a leaver's portal is read from where they are named (docs/zones.md).
        people = sorted(data.org.present(data.as_of).items(),
                        key=lambda item: (sort_key(item[1].person.name), item[0]))
        overdue = Counter(row.person for row in data.rows if row.status is Status.OVERDUE)
        return self._page("people.html", self.words.t("site.nav.people"), 1, people=people, overdue=overdue)

    def teams(self) -> str:
        bars = team_bars(self.data)
        sizes = {bar.id: len(self.data.engine.audiences.people_in_subtree(bar.id)) for bar in bars}
        return self._page("teams.html", self.words.t("site.nav.teams"), 1, bars=bars, sizes=sizes)

    def certifications(self) -> str:
        summary, listed, total = certification_report(self.data)
        counts = Counter(state for _, states in summary for state in states.elements())
        return self._page("certifications.html", self.words.t("site.nav.certifications"), 2, summary=summary, certificates=listed,
                          total=total, counts=counts)

    def budgets(self) -> str:
        years: dict[int, list] = {}
        for line in self.data.budget_lines:
            years.setdefault(line.year, []).append(line)
        # An approved request on a full session's waiting list is committed too (it takes the next seat that frees),
        # and the page says which ones are.
        waitlisted = {view.entry.source.path for views in self.data.requests_by_person.values() for view in views
                      if view.seat is Status.WAITLISTED}
        return self._page("budgets.html", self.words.t("site.nav.budgets"), 2, years=sorted(years.items(), reverse=True),
                          waitlisted=waitlisted)

    def divisions(self) -> str:
        return self._page("divisions.html", self.words.t("site.nav.divisions"), 2, divisions=division_bars(self.data))

    def roster(self, course_id: str, sessions: list[Roster]) -> str:
        """A course's session rosters (`sessions/<course>/`, private): the trainers' view."""
        title = self.words.t("site.title.rosters", course=self.data.course_title(course_id))
        return self._page("roster.html", title, 2, id=course_id, rosters=sessions)

    # --- the pages mkdocs renders (bodies only) -------------------------------------------

    def home(self) -> str:
        data = self.data
        return self.body("home.html", 0, courses=len(data.org.courses), sessions=data.upcoming_sessions[:8],
                         popular=data.popular[:8])

    def catalog(self) -> str:
        words = {cid: self.data.course_words(cid) for cid in self.data.org.courses}
        courses = sorted(((cid, e.model) for cid, e in self.data.org.courses.items()),
                         key=lambda item: (sort_key(words[item[0]].title), item[0]))
        models = [c for _, c in courses]
        return self.body("catalog.html", 1, courses=courses, words=words,
                         formats=sorted({c.format.value for c in models}),
                         skills=sorted({s for c in models for s in c.skill_levels}),
                         languages=sorted({c.language.lower() for c in models}))

    def course(self, course_id: str, assigned: int) -> str:
        data = self.data
        course = data.org.courses[course_id].model
        slips = [kind for kind, needed in (("cost", course.has_cost or course.cost_per_request),
                                           ("external", course.format.value == "external")) if needed]
        t = self.words.t
        approvers = t("site.course.approvers.manager")
        if slips:
            approvers += "; " + t("site.and").join(t(f"site.course.approvers.{s}") for s in slips)
        approvers += "."
        short = (t("site.course.approval.none") if course.approval.value == "none"
                 else t("site.course.approval.manager") + "".join(t(f"site.course.approval.{s}") for s in slips))
        by = [c.value for c in course.completion.by]
        recorders = ", ".join(t(f"site.course.recorder.{b}") for b in by)
        session = next((s.session.id for s in data.bookable_sessions(course_id)), None)
        example_path = f"teams/TEAM/requests/YOU/{data.as_of:%Y-%m}-{course_id}.yaml"
        example = helpers.request_text(example_path, "YOU", course_id, course, session=session,
                                       reason=t("site.course.example_reason"), today=data.as_of)
        # Where a portal's "Request this course" leads without JavaScript (request_links): the editor, pre-filled.
        editor = links.new_file_url(data.settings, example_path, example) if data.settings and not self.public else None
        trainer_teams = sorted({data.team_name(data.org.members[t].team) for t in course.trainers
                                if t in data.org.members})
        words = data.course_words(course_id)
        return self.body("course.html", 2, title=words.title, id=course_id, course=course, words=words,
                         trainer_teams=trainer_teams,
                         description=render_markdown(words.description) if words.description.strip() else "",
                         sessions=data.course_sessions(course_id), approvers=approvers, approvers_short=short,
                         slips=slips, recorders=recorders[0].upper() + recorders[1:], example=example, editor=editor,
                         today=f"{data.as_of:%Y-%m}", assigned=assigned)

    def policy(self) -> str:
        data = self.data
        roles = sorted(((rid, e.model) for rid, e in data.org.roles.items()),
                       key=lambda item: (sort_key(item[1].name), item[0]))
        singles = [(single, sorted(dict.fromkeys(self._pattern(line) for line in single.lines)),
                    list(dict.fromkeys(line.ownership.kind for line in single.lines if line.ownership.kind)))
                   for single in data.single_owners]
        return self.body("policy.html", 1, rows=data.policy_table, roles=roles, singles=singles)

    def _pattern(self, line: Line) -> str:
        """A CODEOWNERS pattern as the policy page shows it: in a public build, the person it is about
        is written `<person>`."""
        subject = line.ownership.subject
        if not (self.public and subject):
            return line.pattern
        return "/".join("<person>" + part[len(subject):] if part == subject or part.startswith(subject + ".")
                        else part for part in line.pattern.split("/"))
