"""What each page of the site is rendered from, named by digests: the key of the incremental build.

A page is rendered again only when its digest changes (docs/site.md, "Incremental builds"), so a digest
must change with everything its page shows, or the page goes stale. Three parts make them up:

- **Everything but people's own files** (`everything_else`): lmsgen's code, templates and assets and
  the libraries that render them, the build's options and today's date, and every file of the
  organisation except one person's records, requests, their slips and withdrawals. A change in any
  of these (a course, a team, a rule, an attendance list, an imported batch) renders every page.
- **What people's files decide for others** (`shared`): who holds which seat and who waits, which
  electives are the most requested, and the budgets' lines. One person's request moves these for
  everyone; when they do not move, it changes only that person's pages.
- **A person's own** (`person`): the ids of their records, requests, slips and withdrawals, and the
  commits the audit trail credits for their records (`history.record_credits`: a rewritten history
  credits other commits for the same files).

A portal is made from its person's own and their mentees' (it shows how many of their courses are
overdue); a team dashboard from everyone's in the team and the teams below it; the directories, the
reports and the exports from everyone's. The public pages that mkdocs renders (`public`) show no
one's own data: what they count of people is how many have each course assigned, and which people
have files at all (the policy names their owners), so a new record leaves them as they were.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from ..cache.digests import blob_id, code_digest
from ..model.organisation import Entry, Organisation, Source
from .views import SiteData

_PACKAGES = ("jinja2", "markupsafe", "markdown", "mkdocs", "mkdocs-material", "babel", "zensical")
"""The libraries whose version changes what a page looks like."""


@functools.cache
def renderer_digest() -> str:
    """lmsgen's code, its templates and assets, and the versions of what renders pages with them."""
    digest = hashlib.blake2b(code_digest().encode(), digest_size=16)
    package = Path(__file__).parents[1]
    for folder in ("templates", "assets"):
        for path in sorted((package / folder).rglob("*")):
            if path.is_file():
                digest.update(f"{path.relative_to(package)}\0".encode())
                digest.update(path.read_bytes())
    for name in _PACKAGES:
        try:
            digest.update(f"{name} {importlib.metadata.version(name)}\0".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{name} -\0".encode())
    return digest.hexdigest()


def digest_of(*parts: object) -> str:
    """A digest of `parts`: bytes as they are, anything else as its `repr` (what the inputs are made of)."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part if isinstance(part, bytes) else repr(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _blob(source: Source) -> str:
    return source.blob or blob_id(source.read())


_PERSONAL = ("records", "requests", "slips", "withdrawals")
"""The collections whose every file belongs to the one person its path names."""
_OTHERS = ("courses", "roles", "teams", "admin_slips", "rules", "team_assignments", "attendance", "budgets",
           "completions", "programs", "profiles", "vendors")


def _entries(collection: dict[str, Entry[Any]] | list[Entry[Any]]) -> Iterable[Entry[Any]]:
    return collection.values() if isinstance(collection, dict) else collection


class PageInputs:
    """The digests of one build's pages, from its `SiteData` and its `options` (anything else the pages
    depend on: the date, the zone, the engine, a digest of each secret)."""

    def __init__(self, data: SiteData, options: tuple[object, ...]):
        self.data = data
        self.options = options

    @functools.cached_property
    def everything_else(self) -> str:
        batches = [(entry.source.path, self._credits(entry.source.path)) for entry in self.data.org.completions]
        return digest_of(renderer_digest(), self.options, date.today(), sorted(_other_files(self.data.org)), batches)

    @functools.cached_property
    def shared(self) -> str:
        return digest_of(*_shared_facts(self.data))

    @functools.cached_property
    def _person(self) -> dict[str, str]:
        org = self.data.org
        own: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for name in _PERSONAL:
            for entry in getattr(org, name):
                own[entry.ids["person"]].append((entry.source.path, _blob(entry.source)))
        found = {}
        credits = self._credit_text
        for person, files in own.items():  # one digest of one text each: 10,000 of them in every build
            files.sort()
            text = "\0".join(f"{path}\0{blob}\0{credits(path)}" for path, blob in files)
            found[person] = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
        nothing = hashlib.blake2b(b"", digest_size=16).hexdigest()
        for person in org.members:
            found.setdefault(person, nothing)
        return found

    @functools.cached_property
    def _common(self) -> str:
        """What every page's digest starts with: everything but people's own files, and what they decide for
        others."""
        return f"{self.everything_else}\0{self.shared}\0"

    def _of_people(self, *digests: str) -> str:
        """A digest of what every page depends on and the people's own `digests`."""
        return hashlib.blake2b("\0".join((self._common, *digests)).encode(), digest_size=16).hexdigest()

    def _credits(self, path: str) -> list[tuple[str, str | None] | None]:
        """The commits credited for each item of the file at `path` (`history.record_credits`)."""
        if self.data.audit is None:
            return []
        return [(credit.commit.sha, credit.merge.sha if credit.merge else None) if credit else None
                for credit in self.data.audit.of_file(path)]

    def _credit_text(self, path: str) -> str:
        """`_credits` as text, each credit's text made once (a commit credits many records, and the credits are
        shared objects): joined by C, not a loop of Python per record."""
        if self.data.audit is None:
            return ""
        credits = self.data.audit.of_file(path)
        texts = self._texts
        try:
            return ",".join(map(texts.__getitem__, map(id, credits)))
        except KeyError:
            for credit in credits:
                if id(credit) not in texts:
                    self._held.append(credit)  # held, so that its id names no other object while `texts` knows it
                    texts[id(credit)] = "-" if credit is None else \
                        f"{credit.commit.sha}:{credit.merge.sha if credit.merge else ''}"
            return ",".join(map(texts.__getitem__, map(id, credits)))

    @functools.cached_property
    def _texts(self) -> dict[int, str]:
        return {}

    @functools.cached_property
    def _held(self) -> list[object]:
        return []

    def person(self, person: str) -> str:
        """A person's own: their files and the commits the audit trail credits for them."""
        return self._person.get(person, "")

    def piece(self, person: str) -> str:
        """A person's share of the pages that count everyone: their status rows, completions and export rows
        (`pieces`); what their portal shows of them alone. Two digests side by side: one for each person in every
        build, not hashed again."""
        return self._common_key + self.person(person)

    @functools.cached_property
    def _common_key(self) -> str:
        return hashlib.blake2b(self._common.encode(), digest_size=16).hexdigest()

    def people(self) -> list[str]:
        """Everyone who has files of their own or is listed in a team."""
        return sorted(self._person)

    def portal(self, person: str) -> str:
        """A portal, its calendar page and its feed."""
        mentees = self.data.mentees.get(person, [])
        return self._of_people(self.person(person), "mentees", *(self.person(m) for m in mentees))

    def team(self, team: str) -> str:
        """A team's dashboard: its people and those of every team below it; made of its own people's and of the
        digests of the teams right below it, each team's once (not every person's once per team above them)."""
        found = self._teams.get(team)
        if found is None:
            try:
                found = self._team(team, set())
            except RecursionError:  # a cycle, which the checks refuse: as the subtree names them
                org = self.data.org
                people = sorted(p for below in org.subtree(team) for p in self._people_by_team.get(below, []))
                found = self._of_people("team", *(f"{p}\0{self.person(p)}" for p in people))
        return found

    def _team(self, team: str, visiting: set[str]) -> str:
        found = self._teams.get(team)
        if found is not None:
            return found
        if team in visiting:
            raise RecursionError(team)
        visiting.add(team)
        parts = [f"{person}\0{self.person(person)}" for person in sorted(self._people_by_team.get(team, []))]
        parts += [f"team {child}\0{self._team(child, visiting)}" for child in self.data.org.children.get(team, [])]
        found = self._teams[team] = self._of_people("team", *parts)
        return found

    @functools.cached_property
    def _teams(self) -> dict[str, str]:
        return {}

    def everyone(self) -> str:
        """The pages that count everyone: the directories, the reports, the exports, the rosters and badges."""
        return self._of_people("everyone", *(f"{person}\0{digest}" for person, digest in sorted(self._person.items())))

    def page(self, path: str, *facts: object) -> str:
        """A page of its own that shows `facts` of people (`page_units`): those, and what every page depends on."""
        return digest_of(self.everything_else, self.shared, path, *facts)

    def public(self, assigned: Counter[str], language: str) -> str:
        """The public pages mkdocs renders: the catalog, the courses (with their seats and how many have each
        assigned), the policy (who owns which person's files: the paths of everyone's own files count), home (the
        most requested electives) and the theme's pages, in the site's language."""
        files = sorted(entry.source.path for name in _PERSONAL for entry in getattr(self.data.org, name))
        return digest_of(self.everything_else, self.shared, sorted(assigned.items()), language, files)

    @functools.cached_property
    def _people_by_team(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = defaultdict(list)
        for person, member in self.data.org.members.items():
            found[member.team].append(person)
        return found


def _other_files(org: Organisation) -> Iterator[tuple[str, str]]:
    """(path, blob id) of every file that is not one person's own, the theme's files included."""
    for entry in [org.org, org.theme]:
        if entry is not None:
            yield entry.source.path, _blob(entry.source)
    for name in _OTHERS:
        for entry in _entries(getattr(org, name)):
            yield entry.source.path, _blob(entry.source)
    for path, source in org.theme_files.items():
        yield path, _blob(source)


def _shared_facts(data: SiteData) -> Iterator[object]:
    """What one person's files decide for the pages of others (see the module)."""
    yield sorted((key, seat.taken, seat.waitlisted) for key, seat in data.seats.items())
    yield sorted((view.entry.source.path, view.seat.value if view.seat else None, view.withdrawn)
                 for views in data.requests_by_person.values() for view in views)
    yield data.popular
    yield [repr(line) for line in data.budget_lines]
