"""The long tables of a team dashboard, made in Python (docs/site.md#team-dashboards), as `portal_rows` makes a
portal's: the completion matrix, the skills matrix, and the lists of what is overdue and what expires.

A matrix of a few hundred people by a dozen courses is thousands of cells, each a handful of Jinja operations; here
a row is one f-string, and a cell with a status is the same string wherever that status stands (made once). Every
value from the data is escaped (`markupsafe.escape`); the HTML is the same, byte for byte, as `dashboard.html`'s
and `_learning_dashboard.html`'s loops wrote.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from ..rules.certificates import Certificate
from ..rules.engine import StatusRow
from .learning import SkillsMatrix
from .reports import Dashboard

if TYPE_CHECKING:  # pages imports this module
    from .pages import Html

SYMBOLS = {"overdue": "!", "due": "D", "waitlisted": "W", "enrolled": "E", "expiring": "X", "done": "✓",
           "exempt": "–"}
"""A matrix's dot per status (the legend's, `dashboard.html`)."""


class DashboardRows:
    """The rows of one page depth's dashboards (`Html`): a status's cell, made once."""

    def __init__(self, h: Html):
        self.h = h
        self._dots: dict[object, str] = {}

    def _dot(self, status) -> str:
        cell = self._dots.get(status)
        if cell is None:
            value = status.value
            cell = self._dots[status] = (f'<td><b class="lms-dot--{escape(value)}" title="{escape(self.h.w.status(value))}">'
                                         f"{escape(SYMBOLS[value])}</b>")
        return cell

    def matrix(self, d: Dashboard) -> Markup:
        """The completion matrix's rows: per person (grouped under their team's name when there are teams below),
        a dot per course; or per team below, a completion rate per course; then the count overdue."""
        h = self.h
        of_teams = d.matrix_of_teams
        grouped = not of_teams and bool(d.subteams)
        rate, dot = h.rate, self._dot
        group = None
        rows = []
        for row in d.matrix:
            if grouped and row.group != group:
                group = row.group
                rows.append(f'<tr class="lms-matrix__group"><th colspan="{len(d.columns) + 2}">'
                            f"{escape(h.data.team_name(row.group))}</th></tr>")
            label = escape(row.label)
            head = f'<tr><th><a href="{escape(row.link)}">{label}</a></th>\n' if row.link else f"<tr><th>{label}</th>\n"
            if of_teams:
                cells = "".join("<td>" if cell is None else f"<td>{rate(cell)}" for cell in row.cells)
            else:
                cells = "".join("<td>" if cell is None else dot(cell) for cell in row.cells)
            overdue = (f'<td><span class="lms-badge lms-badge--overdue">{escape(row.overdue)}</span>' if row.overdue
                       else "<td>0")
            rows.append(f"{head}{cells}{overdue}")
        return Markup("".join(rows))

    def overdue(self, items: list[StatusRow]) -> Markup:
        """The team's own overdue rows: who, what, when it was due, how many days over, and what assigned it."""
        h = self.h
        data, person, course = h.data, h.person, h.course
        return Markup("".join(
            f"<tr><td>{person(r.person)}<td>{course(r.course)}<td>{_iso(r.due)}<td>{escape((data.as_of - r.due).days)}"
            f"<td>{escape(data.source_title(r.source))}\n" for r in items))

    def expiring(self, items: list[Certificate]) -> Markup:
        """The team's own certifications to renew: who, which, until when, and their state."""
        h = self.h
        person, course, state = h.person, h.course, h.w.state_badge
        return Markup("".join(f"<tr><td>{person(c.person)}<td>{course(c.course)}<td>{_iso(c.expires_on)}"
                              f"<td>{state(c.state, True)}\n" for c in items))

    def skills(self, matrix: SkillsMatrix) -> Markup:
        """The skills matrix's rows: a person (and their profile) or a team, then level/target per skill."""
        rows = []
        for label, link, profile, cells in matrix.rows:
            head = f'<tr><th><a href="{escape(link)}">{escape(label)}</a></th>' if link else f"<tr><th>{escape(label)}</th>"
            if not matrix.of_teams:
                head += f"<td>{escape(profile)}</td>"
            rows.append(head + "".join(
                "<td>" if cell is None else
                f'<td{_GAP if cell[0] < cell[1] else ""}>{escape(cell[0])}/{escape(cell[1])}' for cell in cells))
        return Markup("".join(rows))


_GAP = ' class="lms-cell--gap"'


def _iso(value) -> str:
    return value.isoformat() if value else ""


def rows(h: Html) -> DashboardRows:
    """The `DashboardRows` of a page depth's `Html`, made on its first dashboard."""
    made = h.__dict__.get("_dashboard_rows")
    if made is None:
        made = h.__dict__["_dashboard_rows"] = DashboardRows(h)
    return made


FILTERS = {
    "matrix_rows": lambda d, h: rows(h).matrix(d),
    "overdue_rows": lambda items, h: rows(h).overdue(items),
    "expiring_rows": lambda items, h: rows(h).expiring(items),
    "skills_matrix_rows": lambda matrix, h: rows(h).skills(matrix),
}
"""The filters `pages` gives the templates: `{{ d | matrix_rows(h) }}`."""
