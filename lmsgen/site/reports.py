"""The managers' views: a team's dashboard, and the reports over the whole organisation.

Both are built from completion rates: the share of assigned (not exempt) courses that are
complete, over a person, a team or a subtree. A dashboard shows a status matrix of its people,
or of its teams once the subtree is too large to read person by person; the teams directory and
the divisions report show one rate bar per team; the certification report counts certificates
per course. These are functions of a `SiteData`: they keep nothing between calls.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from ..messages.collation import sort_key
from ..model import formats as m
from ..rules import budgets
from ..rules.engine import Status, StatusRow
from .learning import ProgramCompletion, SkillsMatrix
from .team_below import Below, below, own_members
from .views import Certificate, RequestView, SiteData

COMPLETE_STATUSES = frozenset({Status.DONE, Status.EXPIRING})
MATRIX_PEOPLE_LIMIT = 150
"""Above this many people in a subtree, the dashboard's matrix shows teams instead of people."""
MATRIX_COLUMNS = 40
"""The matrix shows at most this many courses, the most assigned ones; the exports hold the rest."""
LIST_LIMIT = 500
"""Long lists on a dashboard stop here and point to the CSV exports."""
REPORT_ROWS = 2_000
"""The certification report lists this many holders at most, expired and expiring first."""


@dataclass(frozen=True)
class MatrixRow:
    """A row of a dashboard's matrix: a person, or a team with everyone under it."""

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
    programs: list[ProgramCompletion] = field(default_factory=list)
    """Learning paths assigned in the team, and how many completed them (learning.py)."""
    skills: SkillsMatrix | None = None
    attempts_used_up: list[StatusRow] = field(default_factory=list)
    """Due or overdue with every allowed attempt failed: the manager decides (docs/assessments.md)."""
    below: list[Below] = field(default_factory=list)
    """Per team right below, the counts of its subtree's overdue courses, certifications to renew and requests:
    `overdue`, `expiring` and `requests` list the team's own members alone (`team_below`)."""
    expiring_total: int = 0
    """Certificates expiring or expired in the whole subtree (the tile's count)."""
    requests_total: int = 0
    """Approved requests in the whole subtree."""


@dataclass(frozen=True)
class RateBar:
    """A team's completion over its whole subtree, indented `depth` levels below where the list starts."""

    id: str
    label: str
    rate: float | None
    assigned: int
    complete: int
    overdue: int
    depth: int = 0


def dashboard(data: SiteData, team: str) -> Dashboard:
    """A manager's dashboard for `team` and every team below it."""
    org = data.org
    teams = org.subtree(team)
    people = sorted(p for p in data.engine.audiences.people_in_subtree(team))
    rows = [row for p in people for row in data.rows_by_person.get(p, [])]
    counts = Counter({status.value: n for status, n in Counter(row.status for row in rows).items()})
    assigned = Counter(row.course for row in rows)
    most = sorted(assigned, key=lambda c: (-assigned[c], c))[:MATRIX_COLUMNS]
    columns = sorted(most, key=lambda c: (sort_key(data.course_title(c)), c))
    index = {course: i for i, course in enumerate(columns)}
    matrix_of_teams = len(people) > MATRIX_PEOPLE_LIMIT
    matrix: list[MatrixRow] = []
    if matrix_of_teams:
        own = [row for p in data.engine.audiences.people_by_team.get(team, []) for row in data.rows_by_person.get(p, [])]
        matrix.append(_rate_row(data.words.t("site.own_members", team=data.team_name(team)), None, own, index))
        for child in org.children.get(team, []):
            matrix.append(_rate_row(data.team_name(child), f"../{child}/", _subtree_rows(data, child), index))
    else:
        order = {team_id: i for i, team_id in enumerate(teams)}
        by_team = sorted(people, key=lambda p: (order[org.members[p].team], sort_key(data.person_name(p)), p))
        for person in by_team:
            cells: list[object] = [None] * len(columns)
            person_rows = data.rows_by_person.get(person, [])
            for row in person_rows:
                if row.course in index:
                    cells[index[row.course]] = row.status
            matrix.append(MatrixRow(data.person_name(person), f"../../people/{person}/",
                                    org.members[person].team, tuple(cells), _overdue(person_rows)))
    # The lists name the team's own members; the teams below are summed up, each linking to its dashboard.
    own = own_members(data, team)
    overdue = sorted((row for p in own for row in data.rows_by_person.get(p, []) if row.status is Status.OVERDUE),
                     key=lambda r: (r.due or date.min, r.person, r.course))
    expiring = sorted((c for p in own for c in data.certificates.get(p, []) if c.state != "valid"),
                      key=lambda c: (c.expires_on, c.person, c.course))
    summaries = below(data, team)
    requests = sorted((v for p in own for v in data.requests_by_person.get(p, [])),
                      key=lambda v: (v.entry.model.date, v.entry.id), reverse=True)
    wanted = set(teams) | set(org.ancestors(team))
    lines = [line for line in data.budget_lines if line.team in wanted]
    truncated = {name: len(items) for name, items in (("overdue", overdue), ("expiring", expiring),
                                                         ("requests", requests)) if len(items) > LIST_LIMIT}
    return Dashboard(
        id=team, team=org.teams[team].model, subteams=teams[1:], ancestors=org.ancestors(team), people=people,
        counts=counts, rate=_rate(rows), columns=columns, more_courses=len(assigned) - len(columns), matrix=matrix,
        matrix_of_teams=matrix_of_teams,
        overdue=overdue[:LIST_LIMIT], expiring=expiring[:LIST_LIMIT], requests=requests[:LIST_LIMIT],
        budget_lines=lines, truncated=truncated,
        programs=data.learning.team_programs(people), skills=data.learning.skills_matrix(people, _skill_groups(
            data, team) if matrix_of_teams else None),
        attempts_used_up=[row for row in rows if row.attempts_used_up][:LIST_LIMIT],
        below=summaries, expiring_total=len(expiring) + sum(b.expiring + b.expired for b in summaries),
        requests_total=len(requests) + sum(b.requests for b in summaries),
    )


def team_bars(data: SiteData) -> list[RateBar]:
    """Every team's rate, each tree from its top team down, indented by depth."""
    return [_team_bar(data, team, len(data.org.ancestors(team)))
            for top in data.top_teams for team in data.org.subtree(top)]


def division_bars(data: SiteData) -> list[tuple[RateBar, list[RateBar]]]:
    """Per division, its completion rate and that of every team in it (indented by depth).

    The divisions are the teams right below the top of the tree (a single top team's children), or the top teams.
    """
    org = data.org
    tops = data.top_teams
    divisions = org.children[tops[0]] if len(tops) == 1 and org.children.get(tops[0]) else tops
    result = []
    for division in divisions:
        teams = []
        for team in org.subtree(division)[1:]:
            depth = len(org.ancestors(team)) - len(org.ancestors(division))
            teams.append(_team_bar(data, team, depth))
        result.append((_team_bar(data, division), teams))
    return result


def certification_report(data: SiteData) -> tuple[list[tuple[str, Counter[str]]], list[Certificate], int]:
    """Per certification, how many hold it valid, expiring or expired; the holders to list (expired and
    expiring first, at most REPORT_ROWS); and how many there are in all."""
    every = data.all_certificates()
    per_course: dict[str, Counter[str]] = defaultdict(Counter)
    for certificate in every:
        per_course[certificate.course][certificate.state] += 1
    summary = sorted(per_course.items(), key=lambda item: (sort_key(data.course_title(item[0])), item[0]))
    urgent = [c for c in every if c.state != "valid"]
    listed = (urgent + [c for c in every if c.state == "valid"])[:REPORT_ROWS]
    return summary, listed, len(every)


def _skill_groups(data: SiteData, team: str) -> list[tuple[str, str | None, list[str]]]:
    """The skills matrix's rows of a large subtree: the team's own members, then each team below it."""
    audiences = data.engine.audiences
    return [(data.words.t("site.own_members", team=data.team_name(team)), None, audiences.people_by_team.get(team, [])),
            *((data.team_name(child), f"../{child}/", sorted(audiences.people_in_subtree(child)))
              for child in data.org.children.get(team, []))]


def _subtree_rows(data: SiteData, team: str) -> list[StatusRow]:
    return [row for p in data.engine.audiences.people_in_subtree(team) for row in data.rows_by_person.get(p, [])]


def _team_bar(data: SiteData, team: str, depth: int = 0) -> RateBar:
    """As `_rate` and `_overdue` over the subtree's rows would make it, from the sums of its teams' own (every
    team's bar would otherwise read its subtree's rows again: a person's rows once per team above them)."""
    own = _own_totals(data)
    assigned = complete = overdue = 0
    for member_team in data.engine.audiences.subtree_teams(team):
        team_assigned, team_complete, team_overdue = own.get(member_team, (0, 0, 0))
        assigned, complete, overdue = assigned + team_assigned, complete + team_complete, overdue + team_overdue
    return RateBar(team, data.team_name(team), complete / assigned if assigned else None, assigned, complete,
                   overdue, depth)


def _own_totals(data: SiteData) -> dict[str, tuple[int, int, int]]:
    """Per team, over its own members' rows: (assigned, that is not exempt; complete; overdue); made once per
    `SiteData` (kept in `data.shared`)."""
    found = data.shared.get("team_totals")
    if found is None:
        found = data.shared["team_totals"] = {}
        for team, people in data.engine.audiences.people_by_team.items():
            statuses = Counter(row.status for p in people for row in data.rows_by_person.get(p, ()))
            found[team] = (sum(n for status, n in statuses.items() if status is not Status.EXEMPT),
                           sum(statuses[status] for status in COMPLETE_STATUSES), statuses[Status.OVERDUE])
    return found


def _rate_row(label: str, link: str | None, rows: list[StatusRow], index: dict[str, int]) -> MatrixRow:
    per_course: dict[str, list[StatusRow]] = defaultdict(list)
    for row in rows:
        per_course[row.course].append(row)
    cells: list[object] = [None] * len(index)
    for course, course_rows in per_course.items():
        if course in index:
            cells[index[course]] = _rate(course_rows)
    return MatrixRow(label, link, None, tuple(cells), _overdue(rows))


def _overdue(rows: list[StatusRow]) -> int:
    return sum(1 for row in rows if row.status is Status.OVERDUE)


def _rate(rows: list[StatusRow]) -> float | None:
    """The share of assigned (not exempt) rows that are complete; None when nothing is assigned."""
    assigned = [row for row in rows if row.status is not Status.EXEMPT]
    if not assigned:
        return None
    return sum(1 for row in assigned if row.status in COMPLETE_STATUSES) / len(assigned)
