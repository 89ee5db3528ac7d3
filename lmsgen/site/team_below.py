"""A dashboard's drill-down: its own members' overdue courses and certifications to renew in full, and for each
team right below it one summary line (counts) linking to that team's dashboard, which lists them (docs/site.md,
"Team dashboards").

A top-level dashboard listed every person below it, hundreds of kilobytes that repeated the dashboards down the
tree; as mature LMSs do, each level now lists its own and sums up the levels below. The counts are over each
sub-team's whole subtree, as its own dashboard's tiles count them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..rules.engine import Status
from .views import SiteData


@dataclass(frozen=True)
class Below:
    """A team right below a dashboard's team, with what its dashboard lists over its subtree."""

    team: str
    overdue: int
    """Overdue courses (status rows)."""
    overdue_people: int
    """People with at least one overdue course."""
    expiring: int
    """Certificates expiring within the window."""
    expired: int
    """Certificates expired."""
    requests: int = 0
    """Approved requests (the dashboard's "Requests")."""


def own_members(data: SiteData, team: str) -> list[str]:
    """The team's own members (not those of the teams below), as the audiences count them on the day."""
    return sorted(data.engine.audiences.people_by_team.get(team, []))


def below(data: SiteData, team: str) -> list[Below]:
    """One summary per team right below `team` (in the tree's order), over its whole subtree."""
    summaries = []
    for child in data.org.children.get(team, []):
        overdue: Counter[str] = Counter()
        states: Counter[str] = Counter()
        requests = 0
        for person in data.engine.audiences.people_in_subtree(child):
            overdue[person] = sum(1 for row in data.rows_by_person.get(person, ()) if row.status is Status.OVERDUE)
            states.update(c.state for c in data.certificates.get(person, ()) if c.state != "valid")
            requests += len(data.requests_by_person.get(person, ()))
        summaries.append(Below(child, sum(overdue.values()), sum(1 for n in overdue.values() if n),
                               states["expiring"], states["expired"], requests))
    return summaries
