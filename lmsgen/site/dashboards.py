"""The team dashboards of a build, written by a pool of forked processes as the portals are.

Each dashboard is a function of the shared indexes of `SiteData` (`reports.dashboard`), rendered into its page: at
10,000 people, 300 dashboards take seconds of one core, so from `PARALLEL_TEAMS` teams on, one forked process per
core writes its share (they inherit the indexes, made before the fork; nothing is pickled but team ids).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from pathlib import Path

from . import reports
from .beside import forked_pool
from .pages import Pages
from .views import SiteData

PARALLEL_TEAMS = 100
"""From this many teams on, the dashboards are written by a pool of forked processes (one per core)."""
_CHUNK = 16
_shared: tuple[SiteData, Pages, Callable[[str], Path]] | None = None
"""What the forked workers render from: set before the fork, so it is inherited, never pickled."""


def write_dashboards(data: SiteData, pages: Pages, teams: list[str], page_of: Callable[[str], Path]) -> None:
    """Writes the dashboard of each of `teams` at `page_of(team)` (whose folder it makes)."""
    global _shared
    chunks = [teams[i:i + _CHUNK] for i in range(0, len(teams), _CHUNK)]
    workers = min(os.cpu_count() or 1, len(chunks))
    if len(teams) < PARALLEL_TEAMS or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        _write(data, pages, page_of, teams)
        return
    _shared = (data, pages, page_of)
    try:
        pool = forked_pool(workers)
    except BaseException:
        _shared = None
        raise
    try:
        with pool:
            pool.map(_in_worker, chunks)
    finally:
        _shared = None


def _in_worker(teams: list[str]) -> None:
    assert _shared is not None
    _write(*_shared, teams)


def _write(data: SiteData, pages: Pages, page_of: Callable[[str], Path], teams: list[str]) -> None:
    for team in teams:
        path = page_of(team)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(pages.team(reports.dashboard(data, team)), encoding="utf-8")
