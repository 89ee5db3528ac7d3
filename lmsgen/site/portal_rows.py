"""The repeated rows of a portal, made in Python (docs/site.md#the-portal), as `history_rows` makes its history.

A portal is rendered once per person, a hundred thousand times in a large organisation; each row of its tables
cost a dozen calls through Jinja's runtime (attribute lookups, filters, escaping of text that is safe already). Here
a row is one f-string: every value from the data is escaped (`markupsafe.escape`), and the pieces that are the same
on every portal (a course's link and its small print, the sentences of the page's language) are made once per
build. The HTML is the same, byte for byte, as the template's loops wrote (`portal.html`, `_learning_portal.html`);
an organisation's own template may go on writing its loops (docs/theme.md).

Each function is a filter of the site's templates (`FILTERS`), called with the page's `Html` (`h`), which gives
the page's language (`h.w`), its links (`h.course`, `h.person`) and the shared indexes (`h.data`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from ..rules.certificates import Certificate
from ..rules.engine import Status
from ..rules.skills import SkillSummary
from .history_rows import HistoryMemo, history_rows
from .learning import ProgramView
from .portals import Assigned, Elective, HistoryItem, Portal
from .words import Words, escape_text

if TYPE_CHECKING:  # pages imports this module
    from .pages import Html

_DUE = Status.DUE.value
_DONE = Status.DONE.value
_OVERDUE = Status.OVERDUE.value
_MUTED_DASH = '<span class="lms-muted">–</span>'
_BLANK = ' target="_blank" rel="noopener noreferrer"'
_ROW_DUE = '<tr class="lms-row--due">'
_ZERO = ' class="lms-tile--zero"'
_NBSP = "\u00a0"


class Rows:
    """The rows of one page depth's portals (`Html`): what repeats from portal to portal, made once."""

    def __init__(self, h: Html):
        self.h = h
        self.w: Words = h.w
        w = self.w
        self._shown: dict[str, str] = {}
        self._said: dict[str, str] = {}
        self._course_cells: dict[str, str] = {}
        self._recorders: dict[tuple, str] = {}
        self._due: dict[int | None, str] = {}
        self._cards: dict[tuple, tuple[str, str, str]] = {}
        self._history = HistoryMemo()
        self._hours = h.hours if w.language == "en" else w.hours
        self.hours_unit = self.shown("site.hours_unit")

    # --- the page's words, escaped as the template's text was ----------------------------------------------------

    def shown(self, key: str) -> str:
        """`{{ t("key") }}` as the template wrote it: its text escaped when the template was loaded (`WordedLoader`),
        or, for a sentence with `{` or `#`, escaped as a value."""
        text = self._shown.get(key)
        if text is None:
            plain = self.w.t(key)
            text = escape_text(plain)
            if "{" in text or "#" in text:
                text = str(escape(plain))
            self._shown[key] = text
        return text

    def said(self, key: str) -> str:
        """`t("key")` given as a value (to a macro, in a list): its text escaped as any value is."""
        text = self._said.get(key)
        if text is None:
            text = self._said[key] = str(escape(self.w.t(key)))
        return text

    def _small_print(self, course_id: str, assigned: Assigned | Elective) -> str:
        """A course's format and hours (`e-learning · 1.5 h`), the same on every row of the course."""
        text = self._course_cells.get(course_id)
        if text is None:
            course = assigned.course
            text = str(escape(self.w.format_name(course.format.value)))
            if course.hours:
                text += f" · {escape(self._hours(course.hours))} {self.hours_unit}"
            self._course_cells[course_id] = text
        return text

    def _due_in(self, days: int | None) -> str:
        text = self._due.get(days)
        if text is None:
            text = self._due[days] = str(self.h.due_in(days, plain=True))
        return text

    def _recorded_by(self, by: Iterable[object]) -> str:
        key = tuple(by)
        text = self._recorders.get(key)
        if text is None:
            text = self._recorders[key] = str(escape(self.w.recorded_by(key)))
        return text

    # --- the tables ------------------------------------------------------------------------------------------------

    def todo(self, items: list[Assigned]) -> Markup:
        """The to-do table's rows: the course and its small print, the status (with the attempts' note), the due
        date, why, and how to record it (the line to add, or a new file) or who records it."""
        w, course_link, state = self.w, self.h.course, self.w.state_badge
        rows = []
        for a in items:
            row = a.row
            status = row.status.value
            opened = "<tr>" if status == _DUE else f'<tr class="lms-row--{escape(status)}">'
            progress = f'<br><span class="lms-small lms-assessment">{escape(a.progress)}</span>' if a.progress else ""
            record = a.record
            if record and not record.new_file:
                done_it = (f"<details><summary>{self.said('site.portal.record_it')}</summary><pre><code>"
                           f"{escape(record.text)}</code></pre></details>")
            elif record:
                label = w.t("site.action.creates") if record.new_file else w.t("site.action.line")
                done_it = (f'<a class="md-button lms-button" href="{escape(record.url)}"{_BLANK}>'
                           f'{self.said("site.portal.record_it")}</a>\n<details class="lms-how"><summary>'
                           f"{escape(label)}</summary>\n<pre><code>{escape(record.text)}</code></pre>\n</details>\n")
            else:
                done_it = f"<small>{self._recorded_by(a.course.completion.by)}</small>"
            rows.append(f"{opened}<td>{course_link(row.course)}<br><small>{self._small_print(row.course, a)}</small>"
                        f"<td>{state(status)}{progress}<td>{_iso(row.due)}<br>{self._due_in(a.days)}"
                        f"<td>{escape(a.source_title)}<td>{done_it}")
        return Markup("".join(rows))

    def booked(self, items: list[Assigned]) -> Markup:
        """The rows of what is booked: the course, enrolled or waitlisted, and the session when there is one."""
        course_link, badge, when = self.h.course, self.w.badge, self.h.session_when
        rows = []
        for a in items:
            request = a.request
            if request and request.session:
                session = request.session
                where = f", {escape(session.location)}" if session.location else ""
                cell = f"{when(session)}{where}"
            else:
                cell = f'<span class="lms-muted">{self.shown("site.portal.no_session")}</span>'
            rows.append(f"<tr><td>{course_link(a.row.course)}</td><td>{badge(a.row.status.value)}</td>\n"
                        f"<td>{cell}</td></tr>\n")
        return Markup("".join(rows))

    def certificates(self, items: list[Certificate]) -> Markup:
        """The certifications' rows: the course, completed, valid until, and the state (its row coloured)."""
        course_link, state = self.h.course, self.w.state_badge
        rows = []
        for c in items:
            opened = "<tr>" if c.state == "valid" else f'<tr class="lms-row--{escape(c.state)}">'
            rows.append(f"{opened}<td>{course_link(c.course)}<td>{_iso(c.completed_on)}<td>{_iso(c.expires_on)}"
                        f"<td>{state(c.state)}")
        return Markup("".join(rows))

    def done(self, portal: Portal) -> Markup:
        """The rows of what is assigned and done (then what the person is exempt from): the course, the status,
        completed, expires, due again, and why."""
        course_link, state = self.h.course, self.w.state_badge
        rows = []
        for items in (portal.done, portal.exempt):
            for a in items:
                row = a.row
                status = row.status.value
                rows.append(f"<tr><td>{course_link(row.course)}<td>{state(status, status != _DONE)}"
                            f"<td>{_iso(row.completed_on)}<td>{_iso(row.expires_on)}<td>{_iso(row.due)}"
                            f"<td>{escape(a.source_title)}")
        return Markup("".join(rows))

    def requests(self, portal: Portal) -> Markup:
        """The requests' rows: when, the course (and why), the session, the cost, the approvals, and the seat (with
        the link that withdraws it)."""
        h, badge = self.h, self.w.badge
        course_link, day = h.course, h.day
        approved = self.shown("site.portal.approved")
        withdraw = portal.withdraw
        rows = []
        for r in portal.requests:
            model = r.entry.model
            reason = f'<br><span class="lms-muted lms-small">{escape(model.reason)}</span>' if model.reason else ""
            session = r.session
            if session:
                where = f", {escape(session.location)}" if session.location else ""
                when = f"{day(session.starts_on)}{where}"
            else:
                when = _MUTED_DASH
            slips = "".join(f", {escape(slip)}" for slip in r.slips)
            if r.withdrawn:
                seat = f'{badge("withdrawn")} <span class="lms-muted lms-small">{day(r.withdrawn)}</span>'
            elif r.absent:
                seat = str(badge("absent"))
            elif r.seat:
                seat = str(badge(r.seat.value))
            else:
                seat = _MUTED_DASH
            link = withdraw.get(r.entry.id)
            if link:
                seat += f' <a class="lms-small" href="{escape(link)}"{_BLANK}>{self.shown("site.portal.withdraw")}</a>'
            rows.append(f"<tr><td>{day(model.date)}</td><td>{course_link(model.course)}{reason}</td>\n"
                        f"<td>{when}</td>\n<td class=\"lms-nowrap\">{self.h.money(r.cost)}</td>\n"
                        f"<td>{approved}{slips}</td>\n<td>{seat}</td></tr>\n")
        return Markup("".join(rows))

    def programs(self, items: list[ProgramView]) -> Markup:
        """The learning paths' rows: the path, its status, the steps done, the next step, due, and why."""
        w, h = self.w, self.h
        rows = []
        for v in items:
            row, progress = v.row, v.progress
            status = row.status.value
            if v.next_text:
                following = w.markup("site.learning.step", number=progress.next_step.number, text=v.next_text)
            else:
                following = Markup(f'<span class="lms-muted">{self.shown("site.learning.all_done")}</span>')
            steps = w.markup("site.learning.steps", done=progress.done, total=progress.total)
            rows.append(f'<tr class="lms-row--{escape(status)}"><td>{escape(progress.title)}</td>'
                        f"<td>{w.badge(status)}</td>\n"
                        f'<td class="lms-nowrap"><progress max="{escape(progress.total)}" value="{escape(progress.done)}">'
                        f"{escape(v.percent)}%</progress> {steps}</td>\n<td>{following}</td>\n"
                        f'<td class="lms-nowrap">{h.day(row.due)}</td><td>{escape(h.data.source_title(row.source))}'
                        "</td></tr>\n")
        return Markup("".join(rows))

    def skills(self, summary: SkillSummary) -> Markup:
        """The rows of the skills the person's profile sets a target for: the level held, the target, and a gap."""
        gap = f' <span class="lms-badge lms-badge--due">{self.shown("site.learning.gap")}</span>'
        levels = summary.levels
        rows = []
        for skill, target in summary.targets.items():
            level = levels.get(skill, 0)
            short = level < target
            rows.append(f'{_ROW_DUE if short else "<tr>"}<td>{escape(skill)}<td>{escape(level)}'
                        f"<td>{escape(target)}{gap if short else ''}")
        return Markup("".join(rows))

    def other_skills(self, summary: SkillSummary) -> Markup:
        """The skills held that the profile sets no target for, on a line (sorted as Jinja's `sort` did, case
        aside), each with its level after a no-break space; nothing without any."""
        others = sorted((skill for skill in summary.levels if skill not in summary.targets), key=_case_aside)
        if not others:
            return Markup("")
        levels = summary.levels
        lead = self.w.markup("site.learning.other_skills" if summary.targets else "site.learning.your_skills")
        return Markup(f'<p class="lms-skills-others">{lead} '
                      f'{" · ".join(f"{escape(skill)}{_NBSP}{escape(levels[skill])}" for skill in others)}</p>')

    def electives(self, portal: Portal) -> Markup:
        """The cards of the electives a portal suggests: the course, its format, hours and cost, the gaps it closes,
        its summary, its prerequisites not met, its next session, and how to request it. What a card says of its
        course alone (all but the gaps and the prerequisites) is made once per course (`_card`)."""
        course_link = self.h.course
        cards = []
        for e in portal.electives:
            head, summary, tail = self._card(e)
            closes = (f'<p><span class="lms-badge">{self.shown("site.portal.closes_gap")}</span> '
                      f'{escape(", ".join(e.closes))}</p>') if e.closes else ""
            unmet = (f'<p class="lms-prerequisites">{self.shown("site.portal.unmet")} '
                     f'{", ".join(course_link(c) for c in e.unmet)}</p>') if e.unmet else ""
            cards.append(f"{head}{closes}{summary}{unmet}{tail}")
        return Markup("".join(cards))

    def _card(self, e: Elective) -> tuple[str, str, str]:
        """An elective's card before its gaps, its summary, and what follows its prerequisites: the same for every
        person offered the course (its sessions and their seats are the build's, its link the course's)."""
        key = (e.id, e.action is not None, tuple(map(id, e.sessions)))
        card = self._cards.get(key)
        if card is None:
            h = self.h
            head = (f'<div class="lms-card"><h3>{h.course(e.id)}</h3>\n'
                    f"<p>{self._small_print(e.id, e)} · {h.money(e.course.cost)}</p>\n")
            summary = h.data.course_words(e.id).summary
            tail = ""
            if e.sessions:
                first = e.sessions[0]
                following = next((seat for seat in e.sessions if seat.left != 0), first)
                label = self.said("site.portal.next" if following is first else "site.portal.next_seat")
                tail = f"<p>{label}: {h.session_line(following)} · {h.seats_left(following)}</p>"
            if e.action:
                tail += (f'<a class="md-button lms-button" href="{escape(h.root)}catalog/{escape(e.id)}/#how-to-'
                         f'request" data-lms-request>{self.shown("site.portal.request")}</a>')
            else:
                tail += f"<p>{self.shown('site.portal.no_approval')}</p>"
            card = self._cards[key] = (head, f"<p>{escape(summary)}</p>" if summary else "", tail + "</div>\n")
        return card

    def history(self, items: list[HistoryItem], me: str | None) -> Markup:
        """The learning history's rows (`history_rows`), with what they repeat escaped once per build."""
        return history_rows(items, me, self.w, self.h.data.person_name, self._history)

    def tiles(self, counts: dict[str, int]) -> Markup:
        """A portal's five tiles, in their fixed order (the stylesheet tells them apart by place)."""
        tiles = ((counts["overdue"], "site.status.overdue", "#to-do"), (counts["due"], "site.status.due", "#to-do"),
                 (counts["expiring"], "site.tile.expiring_soon", "#certifications"),
                 (counts["enrolled"] + counts["waitlisted"], "site.tile.booked", "#booked"),
                 (counts["done"], "site.status.done", "#assigned-and-done"))
        return Markup("".join(f'<a{"" if count else _ZERO} href="{href}"><strong>{escape(count)}'
                              f"</strong>{self.said(key)}</a>\n" for count, key, href in tiles))

    def mentees(self, portal: Portal) -> Markup:
        """The people a portal's person mentors: each linked, with a chat link and how many of their rows are
        overdue."""
        h = self.h
        rows_by_person = h.data.rows_by_person
        items = []
        for mentee in portal.mentees:
            chat = portal.chats.get(mentee)
            chat = f' · <a class="lms-chat" href="{escape(chat)}"{_BLANK}>{self.shown("site.chat")}</a>' if chat else ""
            overdue = sum(1 for row in rows_by_person.get(mentee, []) if row.status.value == _OVERDUE)
            count = (f' <span class="lms-badge lms-badge--overdue">{overdue} {self.shown("site.status.overdue")}</span>'
                     if overdue else "")
            items.append(f"<li>{h.person(mentee)}{chat}{count}</li>")
        return Markup("".join(items))


def _case_aside(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def rows(h: Html) -> Rows:
    """The `Rows` of a page depth's `Html`, made on its first portal."""
    made = h.__dict__.get("_portal_rows")
    if made is None:
        made = h.__dict__["_portal_rows"] = Rows(h)
    return made


def line_edits(items: list[Assigned]) -> bool:
    """Whether a to-do row offers a line to add to the person's records file (then the page says where it goes)."""
    return any(a.record and not a.record.new_file for a in items)


FILTERS = {
    "todo_rows": lambda items, h: rows(h).todo(items),
    "booked_rows": lambda items, h: rows(h).booked(items),
    "certificate_rows": lambda items, h: rows(h).certificates(items),
    "done_rows": lambda portal, h: rows(h).done(portal),
    "request_rows": lambda portal, h: rows(h).requests(portal),
    "program_rows": lambda items, h: rows(h).programs(items),
    "skill_rows": lambda summary, h: rows(h).skills(summary),
    "other_skills": lambda summary, h: rows(h).other_skills(summary),
    "elective_cards": lambda portal, h: rows(h).electives(portal),
    "history_rows": lambda items, h, me=None: rows(h).history(items, me),
    "portal_tiles": lambda counts, h: rows(h).tiles(counts),
    "mentee_items": lambda portal, h: rows(h).mentees(portal),
    "line_edits": line_edits,
}
"""The filters `pages` gives the templates: `{{ p.todo | todo_rows(h) }}`."""
