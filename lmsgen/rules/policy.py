"""Policy as code: the table of `paths` applied to one organisation, from roles/, teams/ and the catalog.

`Policy.owners_of` answers for any path, existing or not (a new hire's first record, a request not
yet written); `Policy.lines` writes the same answer as CODEOWNERS lines, general ones first and
exceptions after, and the tests hold the two against each other through an independent CODEOWNERS
parser. What the policy warns about lives in `four_eyes`; the slips a request needs in `slips`.

Owners are kept as person ids, or as `@org/team` for a role's git team (ids never start
with '@'); `Policy.handle` turns them into the git host's handles.

A leaver owns nothing from the day they left: the policy is the organisation's on one day (today unless
told), and a manager, mentor, trainer or role holder who has left by then is dropped from every owner set,
so the checks find the paths left with one owner or none, as for any missing owner.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from ..cache.memo import Memo
from ..model import formats as m
from ..model.files import worktree_files
from ..model.layout import classify
from ..model.loading import LoadResult, load
from ..model.organisation import Organisation
from .paths import (
    EMPLOYEE,
    MANAGER,
    MENTOR,
    PATH_KINDS,
    SETTINGS,
    SETTINGS_PATTERNS,
    TRAINER,
    DerivedRole,
    Owner,
    P,
    PathKind,
    classify_path,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Ownership:
    """Who owns a path: its kind (None when no line covers it) and owners, and whom it is about."""

    kind: PathKind | None
    owners: frozenset[Owner]
    team: str | None = None
    subject: str | None = None
    """The person the path is about (their records, requests or slips), who never owns it."""
    course: str | None = None


@dataclass(frozen=True)
class Line:
    """One CODEOWNERS line: an anchored pattern, and the ownership of every path it decides."""

    pattern: str
    ownership: Ownership


@dataclass(frozen=True)
class RoleSummary:
    """A role as the policy table shows it."""

    id: str
    name: str
    description: str
    derived: bool
    holders: tuple[str, ...]
    scope: tuple[str, ...] = ()
    git_team: str | None = None


@dataclass(frozen=True)
class PolicyRow:
    """One row of the "who approves what" table."""

    kind: str
    title: str
    path: str
    permission: str
    approvers: str
    roles: tuple[RoleSummary, ...]
    people: tuple[str, ...]


class Policy:
    """The ownership table applied to one organisation; the same on every git host."""

    def __init__(self, org: Organisation, memo: Memo | None = None, *, on: date | None = None):
        self.org = org
        self.on = on or date.today()
        """The day the policy is for: who has left by then owns nothing."""
        self.gone = org.leavers(self.on)
        self._granting: dict[tuple[m.Permission, str | None], list[str]] = {}
        self._memo = memo or Memo.in_memory()

    def remembered(self, name: str, compute: Callable[[], T]) -> T:
        """What `compute` derives from the policy's inputs alone (plain data), remembered under their digest
        and who has left: at size M, deriving every CODEOWNERS line takes the better part of a second."""
        return self._memo.derive(f"policy-{name}", self.org.reference_digest, ",".join(sorted(self.gone)),
                                 compute=compute)

    # --- who holds what ---------------------------------------------------------------------

    @cached_property
    def _reach(self) -> dict[str, frozenset[str] | None]:
        """The teams each declared role covers, by role id in order; None for the whole organisation."""
        return {
            role_id: frozenset(t for s in entry.model.scope for t in self.org.subtree(s)) if entry.model.scope else None
            for role_id, entry in sorted(self.org.roles.items())
        }

    def roles_granting(self, permission: m.Permission, team: str | None = None) -> list[str]:
        """Ids of the declared roles granting `permission` over the paths of `team`.

        A role's `scope` limits it to those teams' subtrees, so an org-wide path (`team` None)
        is covered by unscoped roles only.
        """
        key = (permission, team)
        if key not in self._granting:  # asked for every line of a large organisation
            self._granting[key] = [role_id for role_id, reach in self._reach.items()
                                   if permission in self.org.roles[role_id].model.grants
                                   and (reach is None or team in reach)]
        return self._granting[key]

    def _holders(self, permission: m.Permission, team: str | None, subject: str | None) -> set[Owner]:
        owners: set[Owner] = set()
        for role_id in self.roles_granting(permission, team):
            role = self.org.roles[role_id].model
            # A git team cannot leave one member out, so on a file about one of its holders the others are named.
            if role.git_team and subject not in role.holders:
                owners.add("@" + role.git_team.removeprefix("@"))
            else:
                owners.update(holder for holder in role.holders if holder != subject)
        return owners

    def _managers(self, team: str | None, subject: str | None) -> set[Owner]:
        """The approving manager of `subject` (or of a newcomer to `team`) and the next manager up."""
        if team not in self.org.teams:  # outside the tree there is no manager: the top approves
            return self._holders(P.ROLES_EDIT, team, subject)
        first = self.org.approving_manager(subject) if subject else self.org.teams[team].model.manager
        if first is None:
            return self._holders(P.ROLES_EDIT, team, subject)
        second = self.org.approving_manager(first)
        alternates = {second} if second else self._holders(P.ROLES_EDIT, team, subject)
        return ({first} | alternates) - {subject}

    def derived_holders(self, role: DerivedRole) -> list[str]:
        """The people who hold a derived role, sorted."""
        org = self.org
        if role is EMPLOYEE:
            people: Iterable[str] = org.members
        elif role is MANAGER:
            people = (entry.model.manager for entry in org.teams.values())
        elif role is MENTOR:
            people = (member.person.mentor for member in org.members.values() if member.person.mentor)
        else:
            people = (trainer for entry in org.courses.values() for trainer in entry.model.trainers)
        return sorted(set(people) - self.gone)

    # --- owners of a path -------------------------------------------------------------------

    def owners_of(self, path: str) -> Ownership:
        """Who owns `path` (relative to the root), whether or not the file exists.

        It is exactly what the generated CODEOWNERS gives for the path: a path no line covers
        has kind None and no owners.
        """
        kind, team, person, course = classify_path(path.lstrip("/").split("/"))
        if kind is None:
            return Ownership(None, frozenset())
        return self._ownership(kind, team, person, course)

    def _ownership(self, kind: PathKind, team: str | None, person: str | None, course: str | None) -> Ownership:
        """Who owns a path of `kind` in `team`'s folder (about `person`, or of `course`)."""
        member = self.org.members.get(person) if person else None
        subject = person if member and member.team == team else None
        owners = self._holders(kind.permission, team, subject)
        for permission in kind.also:
            owners |= self._holders(permission, team, subject)
        if kind.derived is MANAGER:
            owners |= self._managers(team, subject)
        elif kind.derived is TRAINER and course in self.org.courses:
            owners.update(self.org.courses[course].model.trainers)
        return Ownership(kind, frozenset(owners - self.gone), team, subject, course)
    # --- the table applied ------------------------------------------------------------------

    @cached_property
    def lines(self) -> dict[PathKind, tuple[Line, ...]]:
        """The CODEOWNERS lines of each kind, in PATH_KINDS order; the last matching line wins."""
        result = {}
        for kind in PATH_KINDS:
            owners: dict[str, frozenset[Owner]] = {}
            found = []
            for pattern, parent, team, person, course in self._patterns(kind):
                ownership = self._ownership(kind, team, person, course)
                owners[pattern] = ownership.owners
                if parent is None or ownership.owners != owners[parent]:
                    found.append(Line(pattern, ownership))
            result[kind] = tuple(found)
        return result

    def _patterns(self, kind: PathKind) -> Iterator[tuple[str, str | None, str | None, str | None, str | None]]:
        """Each pattern of `kind` with the pattern it refines (None for a general one), and the team,
        person and course it is about: what `owners_of` would read back from the pattern's paths."""
        if kind is SETTINGS:
            for pattern in SETTINGS_PATTERNS:
                yield pattern, None, None, None, None
            return
        general, *specific = kind.patterns
        yield general, None, None, None, None
        if not specific:
            return
        if "{course}" in specific[0]:
            for course in sorted(self.org.courses):
                yield specific[0].format(course=course), general, None, None, course
            return
        for team in sorted(self.org.teams):
            team_pattern = specific[0].format(team=team)
            yield team_pattern, general, team, None, None
            for person_pattern in specific[1:]:
                for person in sorted(p.id for p in self.org.teams[team].model.members if p.id in self._exceptions):
                    yield person_pattern.format(team=team, person=person), team_pattern, team, person, None

    @cached_property
    def _exceptions(self) -> frozenset[str]:
        """The people whose own files may have other owners than their team's folder: the holders of a role
        and the managers with their approving managers, whom a file about them leaves out.

        Anyone else's files have exactly their folder's owners, so no line is written for them; skipping
        them keeps `lines` to a few thousand ownerships at size M instead of six per person.
        """
        people = {holder for entry in self.org.roles.values() for holder in entry.model.holders}
        for entry in self.org.teams.values():
            manager = entry.model.manager
            people.update(who for who in (manager, self.org.approving_manager(manager)) if who)
        return frozenset(people)

    def handle(self, owner: Owner) -> str | None:
        """The git host's handle of an owner: `@login` from a person's `git`, None without one."""
        if owner.startswith("@"):
            return owner
        member = self.org.members.get(owner)
        return f"@{member.person.git}" if member and member.person.git else None

    def handles(self, owners: Iterable[Owner]) -> list[str]:
        """The handles of `owners` that have one, sorted."""
        return sorted(h for h in map(self.handle, owners) if h)

    def table(self) -> list[PolicyRow]:
        """The "who approves what" table: one row per path kind, with the roles and people behind it."""
        rows = []
        for kind in PATH_KINDS:
            roles = [self._summary(role_id) for role_id in self._reach
                     if {kind.permission, *kind.also} & set(self.org.roles[role_id].model.grants)]
            if derived := kind.derived:
                roles.append(RoleSummary(derived.id, derived.name, derived.description, True,
                                         tuple(self.derived_holders(derived))))
            people = sorted({holder for role in roles for holder in role.holders})
            rows.append(PolicyRow(kind.name, kind.title, kind.path, kind.permission.value, kind.approvers,
                                  tuple(roles), tuple(people)))
        return rows

    def _summary(self, role_id: str) -> RoleSummary:
        role = self.org.roles[role_id].model
        git_team = "@" + role.git_team.removeprefix("@") if role.git_team else None
        holders = tuple(holder for holder in role.holders if holder not in self.gone)
        return RoleSummary(role_id, role.name, role.description.strip(), False, holders, tuple(role.scope), git_team)


# --- what the policy is derived from ----------------------------------------------------------


INPUT_KINDS = frozenset({"org", "role", "team", "course"})
"""The file kinds the policy is derived from: roles, teams and the catalog, and org.yaml for the git host."""


def inputs_broken(org: Organisation) -> bool:
    """Whether a file the policy derives from failed to load, so the policy cannot be derived."""
    return any(kind in INPUT_KINDS for kind, _ in org.broken)


def is_input(path: str) -> bool:
    """Whether the file at `path` is one the policy derives from."""
    kind = classify(path)[0]
    return kind is not None and kind.name in INPUT_KINDS


def _kind_name(path: str) -> str | None:
    kind = classify(path)[0]
    return kind.name if kind else None


def load_inputs(root: Path, *, use_cache: bool = True, also: tuple[str, ...] = ()) -> LoadResult:
    """Loads only what the policy derives from (org.yaml, roles/, teams/*/team.yaml, catalog/):
    fast at any size, since records and requests are never read; `also` names further file kinds to read
    (`request`: the access map's rosters go to the managers of the people booked)."""
    memo = Memo.for_root(root) if use_cache else None
    refs, problems = worktree_files(root, memo)
    wanted = [ref for ref in refs if is_input(ref.path) or (also and _kind_name(ref.path) in also)]
    result = load(wanted, memo)
    result.diagnostics[:0] = [problem for problem in problems if is_input(problem.path)]
    return result
