"""The pages that count everyone but show little of each person: each is a unit of its own (docs/site.md,
"Incremental builds"), rendered again only when what it shows changed, not after every change of anyone.

A page's digest is made of everything but people's own files and what people's files decide for others
(`PageInputs.page`), the shells it is rendered into, and the facts it shows of people, computed here as the
page computes them: the directory shows each member and how many of their courses are overdue; the teams
directory and the divisions report each team's completion; the certification report its counts and the
certificates it lists; a roster its session's people; the budgets page what people's files decide for others
alone. A new record that changes none of these leaves these pages as they were.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from ..rules.engine import Status
from ..rules.rosters import rosters
from .incremental import Incremental
from .page_inputs import PageInputs, digest_of
from .pages import Pages, Shell
from .reports import certification_report, division_bars, team_bars
from .views import SiteData


def write_pages(data: SiteData, pages: Pages, site: Path, units: Incremental, inputs: PageInputs,
                shells: dict[int, Shell], write: Callable[[Path, str], None], folder: Callable[..., Path]) -> int:
    """Writes each of these pages whose digest changed (`write(path, text)`; `folder(base, id)` checks an id before
    it names a folder); returns how many there are."""
    look = digest_of(sorted((depth, shell.before, shell.after) for depth, shell in shells.items()))
    count = 0

    def page(path: str, facts: object, render: Callable[[], str]) -> None:
        nonlocal count
        count += 1
        if not units.take_page(path, inputs.page(path, look, facts)):
            write(site / path, render())

    overdue = Counter(row.person for row in data.rows if row.status is Status.OVERDUE)
    page("people/index.html", sorted(overdue.items()), pages.people)
    bars = team_bars(data)
    page("teams/index.html", (bars, [len(data.engine.audiences.people_in_subtree(bar.id)) for bar in bars]),
         pages.teams)
    page("reports/divisions/index.html", division_bars(data), pages.divisions)
    page("reports/certifications/index.html", certification_report(data), pages.certifications)
    page("reports/budgets/index.html", (), pages.budgets)
    for course_id, sessions in rosters(data.org, data.as_of).items():
        folder(site / "sessions", course_id)  # the slug check, before the id names a folder
        page(f"sessions/{course_id}/index.html", sessions, functools.partial(pages.roster, course_id, sessions))
    return count
