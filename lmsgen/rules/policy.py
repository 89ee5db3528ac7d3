"""Policy as code: which role approves which path, derived from roles/, teams/ and the catalog.

A change that needs role R's approval touches a file that only R owns, so the whole policy is
one table, PATH_KINDS, from the path kinds of the layout to the permission that governs each,
applied to the organisation. `Policy.owners_of` answers for any path, existing or not (a new
hire's first record, a request not yet written); `Policy.lines` writes the same answer as
CODEOWNERS lines, general ones first and exceptions after, and the tests hold the two against
each other through an independent CODEOWNERS parser.

Owners are kept as person ids, or as `@org/team` for a role's git team (ids never start
with '@'); `Policy.handle` turns them into the git host's handles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from ..cache.store import ParseCache
from ..model import formats as m
from ..model.diagnostics import Diagnostic, warning
from ..model.loading import Entry, LoadResult, Organisation, Source, classify, load, worktree_files
from ..model.yamlfile import Loc

T = TypeVar("T")

P = m.Permission

Owner = str
"""A code owner: a person id, or a team on the git host written `@org/team`."""


# --- the vocabulary -------------------------------------------------------------------------


@dataclass(frozen=True)
class DerivedRole:
    """A role that no file declares: who holds it follows from the teams and the catalog.

    What it `grants` it holds only where its position reaches: a manager over the files of their
    reports (and, as the alternate, their reports' reports) and their team's assignments, a
    trainer over their courses.
    """

    id: str
    name: str
    grants: tuple[m.Permission, ...]
    description: str


EMPLOYEE = DerivedRole("employee", "Employee", (),
                       "Everyone: requests courses and records their own completions, which their managers approve.")
MANAGER = DerivedRole("manager", "Manager", (P.APPROVE_ENROLLMENT, P.RECORD_COMPLETION, P.ASSIGN_TEAM, P.REPORTS_TEAM),
                      "The manager of each team: approves the requests and records of their reports (and, as the "
                      "alternate, of their reports' reports) and assigns training to their team.")
MENTOR = DerivedRole("mentor", "Mentor", (),
                     "Each person's mentor: records their mentees' on-the-job training, which the manager approves.")
TRAINER = DerivedRole("trainer", "Trainer", (P.CATALOG_EDIT,),
                      "The trainers each course names: maintain their courses and mark attendance, with the holders "
                      "of catalog.edit.")
DERIVED_ROLES: tuple[DerivedRole, ...] = (EMPLOYEE, MANAGER, MENTOR, TRAINER)


@dataclass(frozen=True)
class PathKind:
    """One row of the policy: a kind of path, the permission that governs it, and its CODEOWNERS lines.

    `patterns` go from general to specific: the first is written once; `{course}` expands to
    every course, `{team}` to every team, and `{person}` (after a `{team}` pattern) to every member.
    A specific line is written only where its owners differ from those of the line it refines.
    """

    name: str
    title: str
    path: str
    permission: m.Permission
    approvers: str
    patterns: tuple[str, ...]
    inside: str | None = None
    """The kind whose folders also hold these files (a slip sits beside its request)..."""
    suffix: str | None = None
    """...told apart from that kind's own files by how their names end."""

    @cached_property
    def derived(self) -> DerivedRole | None:
        """The derived role that grants the permission, and so owns these paths where it reaches."""
        return next((role for role in DERIVED_ROLES if self.permission in role.grants), None)


_MANAGERS = ("the person's approving manager (the manager of their team; for that manager, the manager of "
             "the parent team; at the top, the holders of roles.edit) and the next manager up, with the holders of ")

COURSE = PathKind("course", "Catalog", "catalog/<course>.yaml", P.CATALOG_EDIT,
                  "the holders of catalog.edit and the course's trainers",
                  ("/catalog/", "/catalog/{course}.yaml"))
ATTENDANCE = PathKind("attendance", "Attendance", "attendance/<course>/<session>.yaml", P.CATALOG_EDIT,
                      "the course's trainers and the holders of catalog.edit",
                      ("/attendance/", "/attendance/{course}/"))
RULE = PathKind("rule", "Assignment rules", "assignments/<rule>.yaml", P.ASSIGN_ORG,
                "the holders of assign.org", ("/assignments/*",))
TEAM_ASSIGNMENTS = PathKind("team-assignments", "Team assignments", "assignments/teams/<team>.yaml", P.ASSIGN_TEAM,
                            "the team's manager and that manager's approving manager, with the holders of assign.team",
                            ("/assignments/teams/", "/assignments/teams/{team}.yaml"))
TEAM = PathKind("team", "Teams", "teams/<team>/team.yaml", P.PEOPLE_EDIT, "the holders of people.edit",
                ("/teams/*/team.yaml", "/teams/{team}/team.yaml"))
RECORDS = PathKind("records", "Records", "teams/<team>/records/<person>.yaml", P.RECORD_COMPLETION,
                   _MANAGERS + P.RECORD_COMPLETION.value,
                   ("/teams/*/records/", "/teams/{team}/records/", "/teams/{team}/records/{person}.yaml"))
REQUEST = PathKind("request", "Requests", "teams/<team>/requests/<person>/<request>.yaml", P.APPROVE_ENROLLMENT,
                   _MANAGERS + P.APPROVE_ENROLLMENT.value,
                   ("/teams/*/requests/", "/teams/{team}/requests/", "/teams/{team}/requests/{person}/"))


def _inner_kind(name: str, title: str, outer: PathKind, permission: m.Permission, pattern: str,
                approvers: str) -> PathKind:
    """A kind of file in `outer`'s folders, its name ending as `pattern`'s (whose `{person}` is the person)."""
    patterns = (pattern.format(team="*", person="*"), pattern.format(team="{team}", person="*"), pattern)
    path = pattern.lstrip("/").replace("{team}", "<team>").replace("{person}", "<person>").replace("*", "<request>")
    suffix = "." + pattern.rsplit("/", 1)[1].split(".", 1)[1]
    return PathKind(name, title, path, permission, approvers, patterns, inside=outer.name, suffix=suffix)


SLIP_KINDS = {
    slip: _inner_kind(f"{slip.value}-slip", title, REQUEST, slip.permission,
                      f"/teams/{{team}}/requests/{{person}}/*.{slip.value}.yaml",
                      f"the holders of {slip.permission.value}, except the requester")
    for slip, title in ((m.SlipKind.COST, "Cost approvals"), (m.SlipKind.EXTERNAL, "External training approvals"))
}
# An admin slip lets a merged record or request change (they are otherwise append-only), so admins own it.
_ADMINS = "the holders of roles.edit, except the person it is about"
RECORDS_ADMIN = _inner_kind("records-admin-slip", "Record corrections", RECORDS, P.ROLES_EDIT,
                            "/teams/{team}/records/{person}.admin.yaml", _ADMINS)
REQUEST_ADMIN = _inner_kind("request-admin-slip", "Request corrections", REQUEST, P.ROLES_EDIT,
                            "/teams/{team}/requests/{person}/*.admin.yaml", _ADMINS)
BUDGET = PathKind("budget", "Budgets", "budgets/<year>.yaml", P.BUDGET_EDIT, "the holders of budget.edit",
                  ("/budgets/",))
SETTINGS = PathKind("settings", "Roles and settings", "org.yaml, roles/<role>.yaml, CODEOWNERS and CI",
                    P.ROLES_EDIT, "the holders of roles.edit", ())

PATH_KINDS: tuple[PathKind, ...] = (COURSE, ATTENDANCE, RULE, TEAM_ASSIGNMENTS, TEAM, RECORDS, REQUEST,
                                    *SLIP_KINDS.values(), RECORDS_ADMIN, REQUEST_ADMIN, BUDGET, SETTINGS)
"""In CODEOWNERS order: slips come after the lines of the folders they sit in, which they override."""
_INNER = {outer.name: [kind for kind in PATH_KINDS if kind.inside == outer.name] for outer in PATH_KINDS}

SETTINGS_PATTERNS = ("/org.yaml", "/roles/", "/CODEOWNERS", "/docs/CODEOWNERS", "/.github/", "/.gitlab/",
                     "/.gitlab-ci.yml")
"""The SETTINGS lines: the organisation, the roles, CODEOWNERS wherever either host would read one, and
both hosts' CI settings, the same on both hosts, so that neither moving the file nor the host escapes them."""
_SETTINGS = [(pattern.strip("/").split("/"), pattern.endswith("/")) for pattern in SETTINGS_PATTERNS]


# --- answers --------------------------------------------------------------------------------


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


def _inner(outer: PathKind, name: str) -> PathKind:
    """The kind of a file named `name` in a folder of `outer`: a slip by its suffix, else `outer`."""
    return next((kind for kind in _INNER[outer.name] if kind.suffix and name.endswith(kind.suffix)), outer)


def _stem(name: str) -> str | None:
    return name.removesuffix(".yaml") if name.endswith(".yaml") else None


class Policy:
    """The ownership table applied to one organisation; the same on every git host."""

    def __init__(self, org: Organisation, memo: ParseCache | None = None):
        self.org = org
        self._granting: dict[tuple[m.Permission, str | None], list[str]] = {}
        self._memo = memo

    # --- results remembered between runs ------------------------------------------------------

    def remembered(self, name: str, compute: Callable[[], T]) -> T:
        """What `compute` derives from the policy's inputs alone (plain data), kept in the parse cache under
        their digest: at size M, deriving every CODEOWNERS line takes the better part of a second."""
        if self._memo is None:
            return compute()
        key = f"policy:{name}:{self.org.reference_digest}"
        found = self._memo.get(key)
        if found is None:
            found = compute()
            self._memo.put(key, found)
        return found

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
        return sorted(set(people))

    # --- owners of a path -------------------------------------------------------------------

    def owners_of(self, path: str) -> Ownership:
        """Who owns `path` (relative to the root), whether or not the file exists.

        It is exactly what the generated CODEOWNERS gives for the path: a path no line covers
        has kind None and no owners.
        """
        kind, team, person, course = self._classify(path.lstrip("/").split("/"))
        if kind is None:
            return Ownership(None, frozenset())
        return self._ownership(kind, team, person, course)

    def _ownership(self, kind: PathKind, team: str | None, person: str | None, course: str | None) -> Ownership:
        """Who owns a path of `kind` in `team`'s folder (about `person`, or of `course`)."""
        member = self.org.members.get(person) if person else None
        subject = person if member and member.team == team else None
        owners = self._holders(kind.permission, team, subject)
        if kind.derived is MANAGER:
            owners |= self._managers(team, subject)
        elif kind.derived is TRAINER and course in self.org.courses:
            owners.update(self.org.courses[course].model.trainers)
        return Ownership(kind, frozenset(owners), team, subject, course)

    def _classify(self, parts: list[str]) -> tuple[PathKind | None, str | None, str | None, str | None]:
        """(kind, team, person, course) of a path, matching the lines exactly: a file pattern also
        covers what lies below a folder of that name, and `*` spans one segment."""
        for segments, is_folder in _SETTINGS:
            if parts[:len(segments)] == segments and (len(parts) > len(segments) or not is_folder):
                return SETTINGS, None, None, None
        match parts:
            case ["catalog", name, *_]:
                return COURSE, None, None, _stem(name)
            case ["attendance", course, _, *_]:
                return ATTENDANCE, None, None, course
            case ["attendance", _]:
                return ATTENDANCE, None, None, None
            case ["assignments", "teams", name, *_]:
                return TEAM_ASSIGNMENTS, _stem(name), None, None
            case ["assignments", _]:
                return RULE, None, None, None
            case ["teams", team, "team.yaml", *_]:
                return TEAM, team, None, None
            case ["teams", team, "records", name, *_]:
                kind = _inner(RECORDS, name)
                suffix = kind.suffix or ".yaml"
                return kind, team, name.removesuffix(suffix) if name.endswith(suffix) else None, None
            case ["teams", team, "requests", person, name, *_]:
                return _inner(REQUEST, name), team, person, None
            case ["teams", team, "requests", _]:
                return REQUEST, team, None, None
            case ["budgets", _, *_]:
                return BUDGET, None, None, None
        return None, None, None, None

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
                     if kind.permission in self.org.roles[role_id].model.grants]
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
        return RoleSummary(role_id, role.name, role.description.strip(), False, tuple(role.holders), tuple(role.scope),
                           git_team)

    # --- four eyes --------------------------------------------------------------------------

    def diagnostics(self, found: Iterable[Diagnostic] = ()) -> list[Diagnostic]:
        """The policy's problems: missing approval slips (errors); and paths that a single person
        owns or, when about someone, nobody does, and owners without a git login (warnings).

        The warnings wait while `found` (the problems found so far) has errors in the files the
        policy derives from: until those are fixed, they would only echo them.
        """
        slips = [slip.diagnostic() for slip in missing_slips(self.org)]
        if any(problem.is_error and is_input(problem.path) for problem in found):
            return slips
        return slips + self._warnings()

    def _warnings(self) -> list[Diagnostic]:
        """Four-eyes warnings; lines with the same cause share one warning."""
        found = self.remembered("warnings", lambda: [(d.path, d.line, d.col, d.message) for d in self._derive_warnings()])
        return [warning(path, (line, col), message) for path, line, col, message in found]

    def _derive_warnings(self) -> list[Diagnostic]:
        by_cause: dict[tuple[str, tuple[int, int], str], list[str]] = {}
        without_login: dict[str, list[str]] = {}
        for lines in self.lines.values():
            for line in lines:
                for owner in sorted(line.ownership.owners):
                    member = self.org.members.get(owner)
                    if member and not member.person.git:
                        without_login.setdefault(owner, []).append(line.pattern)
                cause = self._four_eyes(line)
                if cause:
                    source, loc, template = cause
                    by_cause.setdefault((source.path, source.locate(loc), template), []).append(line.pattern)
        found = [warning(path, position, template.replace("{paths}", _listing(patterns)))
                 for (path, position, template), patterns in by_cause.items()]
        for person, patterns in without_login.items():
            member = self.org.members[person]
            found.append(warning(member.source.path, member.source.locate((*member.loc, "id")),
                                 f"'{person}' has no 'git' login, so cannot approve {_listing(patterns)} as a "
                                 f"code owner: add their login on the git host as 'git'"))
        return found

    def _four_eyes(self, line: Line) -> tuple[Source, Loc, str] | None:
        """Where and what to warn (a message with `{paths}` to fill in) when a single person owns
        the line, or nobody does while someone's own files or a team's chain should have an owner."""
        ownership = line.ownership
        kind = ownership.kind
        assert kind is not None
        approvers = [owner for owner in sorted(ownership.owners) if self.handle(owner)]
        chain = kind.derived is MANAGER
        if len(approvers) == 1 and not approvers[0].startswith("@"):
            who = approvers[0]
            problem = (f"'{who}' is the only owner of {{paths}}: when '{who}' is away or wrote the change, "
                       f"nobody can approve it")
        elif not approvers and (ownership.subject or chain):
            who = ownership.subject
            excuse = f" ('{who}' may not approve files about themselves)" if who else ""
            problem = f"nobody owns {{paths}}{excuse}"
        else:
            return None
        if chain and ownership.team in self.org.teams:
            hint = "add a parent team with another manager, or another holder to a role granting roles.edit"
            if ownership.subject:
                member = self.org.members[ownership.subject]
                return member.source, (*member.loc, "id"), f"{problem}; {hint}"
            return self.org.teams[ownership.team].source, ("manager",), f"{problem}; {hint}"
        # Otherwise the owners come from roles (the top of the tree, for a manager kind) or trainers.
        for permission in [kind.permission] + ([P.ROLES_EDIT] if chain else []):
            for role_id in self.roles_granting(permission, ownership.team):
                if who in self.org.roles[role_id].model.holders:
                    return (self.org.roles[role_id].source, ("holders",),
                            f"{problem}; add another holder or a git_team to a role granting {permission.value}")
        course = self.org.courses.get(ownership.course or "")
        if course and who in course.model.trainers:
            return (course.source, ("trainers",),
                    f"{problem}; add another trainer, or a holder to a role granting catalog.edit")
        return None


def _listing(patterns: list[str], limit: int = 4) -> str:
    shown = patterns[:limit] + ([f"{len(patterns) - limit} more"] if len(patterns) > limit else [])
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


# --- approval slips -------------------------------------------------------------------------


@dataclass(frozen=True)
class MissingSlip:
    """An approval slip that a request needs and that is not beside it."""

    request: Entry[m.Request]
    kind: m.SlipKind
    path: str
    amount: m.Money | None

    def text(self) -> str:
        """The slip's file: the schema comment for editors, the request's id and, for cost, the amount."""
        schema = "../" * self.path.count("/") + "schemas/slip.schema.json"
        lines = [f"# yaml-language-server: $schema={schema}", f"request: {self.request.id}"]
        if self.amount is not None:
            lines.append(f"amount: {{amount: {_number(self.amount.amount)}, currency: {self.amount.currency}}}")
        return "\n".join(lines) + "\n"

    def diagnostic(self) -> Diagnostic:
        """The error at the request: which slip is missing, and why."""
        if self.amount is not None:
            why = (f"a request costing {_number(self.amount.amount)} {self.amount.currency} needs the approval "
                   f"of the holders of {self.kind.permission.value}")
        else:
            why = f"external training needs the approval of the holders of {self.kind.permission.value}"
        return self.request.source.error(
            ("course",), f"missing approval slip {self.path}: {why} (run 'lmsgen check --fix' to write it)", key=True)


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def required_slips(org: Organisation, request: m.Request) -> dict[m.SlipKind, m.Money | None]:
    """The slips a request needs, each with the amount it approves (cost slips only).

    A cost (the request's own, else the course's) needs a cost slip; external training (the
    request's kind, or the course's format) an external slip.
    """
    course = org.courses[request.course].model if request.course in org.courses else None
    cost = request.cost if request.cost and request.cost.amount > 0 else None
    if cost is None and course is not None and course.has_cost:
        cost = course.cost
    needed: dict[m.SlipKind, m.Money | None] = {}
    if cost is not None:
        needed[m.SlipKind.COST] = cost
    if request.kind is m.RequestKind.EXTERNAL or (course is not None and course.format is m.Format.EXTERNAL):
        needed[m.SlipKind.EXTERNAL] = None
    return needed


def missing_slips(org: Organisation) -> list[MissingSlip]:
    """Every slip a request needs that is not beside it, in request order."""
    present = {entry.source.path for entry in org.slips}
    # A slip that exists but failed to load has its own errors; it is not missing.
    broken = {id_ for kind, id_ in org.broken if kind == "slip"}
    found = []
    for entry in org.requests:
        folder = entry.source.path.rsplit("/", 1)[0]
        for kind, amount in required_slips(org, entry.model).items():
            path = f"{folder}/{entry.id}.{kind.value}.yaml"
            if path not in present and entry.id not in broken:
                found.append(MissingSlip(entry, kind, path, amount))
    return found


def write_slips(root: Path, slips: Iterable[MissingSlip]) -> list[str]:
    """Writes each missing slip under `root`, never over an existing file; returns the paths written."""
    written = []
    for slip in slips:
        try:
            with open(root / slip.path, "x", encoding="utf-8") as handle:
                handle.write(slip.text())
        except FileExistsError:
            continue
        written.append(slip.path)
    return written


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


def load_inputs(root: Path, *, use_cache: bool = True) -> LoadResult:
    """Loads only what the policy derives from (org.yaml, roles/, teams/*/team.yaml, catalog/):
    fast at any size, since records and requests are never read."""
    cache = ParseCache.for_root(root) if use_cache else None
    refs, problems = worktree_files(root, cache)
    result = load([ref for ref in refs if is_input(ref.path)], cache)
    result.diagnostics[:0] = [problem for problem in problems if is_input(problem.path)]
    return result
