"""Which part of a sharded build (`shards`, docs/sharding.md) renders what: the plan every part computes alike.

The pages every reader shares come in groups (`GROUPS`): the public pages mkdocs renders, the directories,
reports and rosters, each of the four large exports, and the other files that count everyone. Each group is
rendered by one part. The people (their portals, calendar pages, feeds and badges' assertions) and the teams'
dashboards are split by the SHA-256 of their id, into ranges of the hash (`Plan.bounds`), one per part.

The plan weighs each group and the portals from counts of the organisation (`estimate`: people, status rows,
teams, courses, sessions, with the bytes each weighs in a site of the demo's shape), gives the groups to the
parts one after the other, the heaviest first, each to the part that holds the least so far, and then gives each
part a range of the hash wide enough for its people to bring it to the site's size divided by N. So a part that
holds records.csv holds fewer portals, and every part weighs about the same. The weights are estimates: a site of
another shape is split less evenly, never wrongly; every part computes the same plan from the same organisation.

The ranges are rounded to 1/`QUANTUM` of the hash, so that a small change of the counts (a few records more)
seldom moves a person from one part to another; when it does, the part that takes them renders them (the
incremental build of each part, docs/site.md, renders every page it did not hold the last time). Without a
shard, the plan is `WHOLE`: one part that holds everything.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from .views import SiteData

PUBLIC = "public pages"
PAGES = "directories and reports"
OTHER_EXPORTS = "other exports"
EXPORT_FILES = ("records.csv", "status.json", "status.csv", "certifications.csv")
"""The exports that are groups of their own, each large (at 100,000 people, 75 to 430 MB)."""
GROUPS = (PUBLIC, PAGES, *EXPORT_FILES, OTHER_EXPORTS)
"""The groups of shared pages, each rendered by one part:

- the public pages: home, catalog, course pages, policy, search, assets, sitemap (`mkdocs_project`);
- the directories and reports: the people and teams directories, the reports, the session rosters (`page_units`);
- records.csv, status.json, status.csv, certifications.csv: each of the large exports;
- the other exports: approvals.csv, the vendors' report and vendors.csv, the request links, the Open Badges issuer and
  badge classes (`build._write_everyone`)."""

_SPACE = 1 << 64
"""The hash's positions: the first 8 bytes of SHA-256, as an unsigned integer."""
QUANTUM = 4096
"""The ranges are multiples of 1/QUANTUM of the hash (see the module)."""

# Bytes each thing weighs in the site, measured on `lmsgen demo` sites (10,000 and 100,000 people).
_PORTAL = 11_000  # a portal's page shell and header
_PORTAL_ROW = 600  # a status row on its person's portal (with its history)
_CALENDAR = 4_500  # a calendar page and feed, with a feed secret
_DASHBOARD = 72_000  # a team's dashboard
_COURSE = 12_500  # a course's public page and its search entry
_PUBLIC = 2_700_000  # the assets, home, catalog, policy
_DIRECTORY = 550  # a person in the directories and reports
_ROSTER = 3_000  # a session's roster
_EXPORT_ROW = {"records.csv": 600, "status.json": 277, "status.csv": 147, "certifications.csv": 115}
_OTHER_EXPORT = 50  # a person's share of approvals.csv and the rest


@dataclass(frozen=True)
class Counts:
    """What the estimate weighs: people, status rows, teams, courses, sessions; whether there are calendar feeds."""

    people: int
    rows: int
    teams: int
    courses: int
    sessions: int
    feeds: bool = False

    @classmethod
    def of(cls, data: SiteData, *, feeds: bool) -> Counts:
        org = data.org
        sessions = sum(len(entry.model.sessions or ()) for entry in org.courses.values())
        return cls(len(org.members), len(data.rows), len(org.teams), len(org.courses), sessions, feeds)


def estimate(counts: Counts) -> tuple[int, dict[str, int]]:
    """The estimated bytes of the portals and dashboards together, and of each group."""
    people = counts.people * (_PORTAL + (_CALENDAR if counts.feeds else 0)) + counts.rows * _PORTAL_ROW \
        + counts.teams * _DASHBOARD
    groups = {PUBLIC: _PUBLIC + counts.courses * _COURSE,
              PAGES: counts.people * _DIRECTORY + counts.sessions * _ROSTER,
              **{name: counts.rows * weight for name, weight in _EXPORT_ROW.items()},
              OTHER_EXPORTS: counts.people * _OTHER_EXPORT}
    return people, groups


@dataclass(frozen=True)
class Plan:
    """Which part (1..n) renders each group, and the range of the hash each part's people and teams are in:
    part k's ids are those whose position is from `bounds[k - 1]` to below `bounds[k]`."""

    n: int
    groups: dict[str, int]
    bounds: tuple[int, ...]

    def part_of(self, ident: str) -> int:
        """The part (1..n) that holds the pages of `ident`, a person's or a team's id."""
        if self.n == 1:
            return 1
        return bisect.bisect_right(self.bounds, position(ident), 1, self.n)

    def held(self, k: int) -> tuple[str, ...]:
        """The groups part `k` renders, in the order of `GROUPS`."""
        return tuple(group for group in GROUPS if self.groups[group] == k)

    def share(self, k: int) -> float:
        """The fraction of the hash (so, about, of the people) part `k` holds."""
        return (self.bounds[k] - self.bounds[k - 1]) / _SPACE


@functools.lru_cache(maxsize=1 << 18)
def position(ident: str) -> int:
    """Where `ident` is in the hash: the first 8 bytes of its SHA-256, the same on every machine and in every run
    (never Python's salted `hash`). Kept: a build asks for each id several times."""
    return int.from_bytes(hashlib.sha256(ident.encode("utf-8")).digest()[:8], "big")


WHOLE = Plan(1, dict.fromkeys(GROUPS, 1), (0, _SPACE))


def plan(n: int, people: int, groups: dict[str, int]) -> Plan:
    """The plan for `n` parts, from the estimated bytes of the portals and dashboards (`people`) and of each group
    (see the module). Each group goes to the part that holds the least so far (the first such part), the heaviest
    group first; then each part's range of the hash brings it to the same weight (`_level`), in whole quanta."""
    if n == 1:
        return WHOLE
    load = [0] * n
    given: dict[str, int] = {}
    for group in sorted(GROUPS, key=lambda g: (-groups[g], GROUPS.index(g))):
        k = min(range(n), key=lambda i: (load[i], i))
        given[group] = k + 1
        load[k] += groups[group]
    level = _level(load, people)
    room = [max(level - held, 0.0) for held in load]
    quanta = _rounded([r / sum(room) * QUANTUM for r in room] if sum(room) > 0 else [QUANTUM / n] * n)
    bounds, at = [0], 0
    for q in quanta:
        at += q
        bounds.append(at * (_SPACE // QUANTUM))
    return Plan(n, given, tuple(bounds))


def _level(load: list[int], people: int) -> float:
    """The weight every part is brought to by the people: the level at which the parts below it take them all (a
    part that holds more than that already, such as one with a large export alone, takes none)."""
    below: list[int] = []
    for held in sorted(load):
        below.append(held)
        level = (people + sum(below)) / len(below)
        if len(below) == len(load) or level <= sorted(load)[len(below)]:
            return level
    raise AssertionError("unreachable")


def _rounded(shares: list[float]) -> list[int]:
    """`shares` (which sum to QUANTUM) as whole numbers that sum to QUANTUM: the largest remainders rounded up."""
    whole = [int(s) for s in shares]
    order = sorted(range(len(shares)), key=lambda i: (-(shares[i] - whole[i]), i))
    for i in order[:QUANTUM - sum(whole)]:
        whole[i] += 1
    return whole


@dataclass(frozen=True)
class Part:
    """Part `k` of a plan: what one build renders (the whole site: part 1 of `WHOLE`)."""

    k: int
    plan: Plan

    def ours(self, ids: Iterable[str]) -> list[str]:
        """The ids of `ids` whose pages this part renders, in their order."""
        return list(ids) if self.plan.n == 1 else [ident for ident in ids if self.plan.part_of(ident) == self.k]

    def holds(self, group: str) -> bool:
        return self.plan.groups[group] == self.k

    def exports(self) -> frozenset[str]:
        """The groups this part renders of those the exports' writer writes (`build._write_everyone`)."""
        return frozenset(group for group in (*EXPORT_FILES, OTHER_EXPORTS) if self.holds(group))

    def key(self) -> str:
        """What names the part among the pages' inputs (`PageInputs`): its groups, never its range, which moves
        no page but only where it is rendered."""
        return f"{self.k}/{self.plan.n}: " + ", ".join(self.plan.held(self.k))


WHOLE_PART = Part(1, WHOLE)


def part(data: SiteData, k: int, n: int, *, feeds: bool) -> Part:
    """Part `k` of the plan for `n` parts of the site of `data` (with calendar feeds, if `feeds`)."""
    if n == 1:
        return WHOLE_PART
    people, groups = estimate(Counts.of(data, feeds=feeds))
    return Part(k, plan(n, people, groups))
