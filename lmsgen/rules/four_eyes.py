"""Four eyes, never a deadlock: paths that a single person owns, or nobody does.

Git hosts do not let authors approve their own changes, so a path with one owner cannot be approved
when that owner is away or wrote the change: a warning. A path that nobody owns (on the host: nobody
with a login) can be approved by anyone. For what says who learned what, a person's records and
requests with the slips beside them, and attendance, that lets people approve their own training,
so it is an error; elsewhere it is a warning, as for a team's assignments left without a manager.

Lines with the same cause share one finding, placed where the fix goes: the person or team file, the
role, the course or, when no role grants the permission at all, org.yaml. The single owners are also
values (`single_owners`), for the "who approves what" page to say what the warnings say.

A leaver still named as a team's manager, someone's mentor, a role's holder or a course's trainer owns
nothing (see `policy`): a warning where they are named, beside what their absence leaves unowned.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..model import formats as m
from ..model.diagnostics import Diagnostic, error, warning
from ..model.organisation import Source
from ..model.yamlfile import Loc, Position
from .paths import ATTENDANCE, COMPLETIONS, MANAGER, PATH_KINDS, RECORDS, REQUEST, SLIP_KINDS, P, PathKind
from .policy import Line, Ownership, Policy, is_input

_ABOUT_LEARNING = frozenset({RECORDS.name, REQUEST.name, ATTENDANCE.name})
"""The kinds (and the kinds inside their folders) that nobody may leave unowned."""



@dataclass(frozen=True)
class Finding:
    """Where (path and position), what (a message with `{paths}` to fill in), how severe, and, when one
    person alone owns the paths, who."""

    path: str
    position: Position
    template: str
    make: Callable[[str, Position, str], Diagnostic]
    single_owner: str | None
    fix: str


@dataclass(frozen=True)
class SingleOwner:
    """Paths that one person alone may approve, for one cause: what a single-owner warning says."""

    owner: str
    lines: tuple[Line, ...]
    """The CODEOWNERS lines (their patterns, kinds and whom they are about)."""
    where: str
    """The file where the fix goes: a role, a team or a course."""
    fix: str


def diagnostics(policy: Policy, found: Iterable[Diagnostic] = ()) -> list[Diagnostic]:
    """Paths that a single person owns (warnings) or nobody does (errors where nobody may leave them
    unowned), and owners without a git login (warnings).

    They wait while `found` (the problems found so far) has errors in the files the policy derives
    from: until those are fixed, they would only echo them.
    """
    if any(problem.is_error and is_input(problem.path) for problem in found):
        return []
    remembered = policy.remembered("four-eyes", lambda: [d.as_plain() for d in _derive(policy)])
    return [Diagnostic.from_plain(plain) for plain in remembered]


def _unowned_is_error(policy: Policy, kind: PathKind) -> bool:
    """Whether a path of `kind` that nobody owns is an error: records, requests, attendance, and the slips
    beside them of a kind that a request may need (a cost slip once a course costs something or is
    priced per request, an external slip once a course is external training), and batches of imported
    completions once a course accepts them (`completion.by` names `import`; a batch of any other course is an
    error of its own)."""
    if kind is COMPLETIONS:
        return any(m.Completer.IMPORT in entry.model.completion.by for entry in policy.org.courses.values())
    if kind.name not in _ABOUT_LEARNING and kind.inside not in _ABOUT_LEARNING:
        return False
    courses = [entry.model for entry in policy.org.courses.values()]
    if kind is SLIP_KINDS[m.SlipKind.COST]:
        return any(course.has_cost or course.cost_per_request for course in courses)
    if kind is SLIP_KINDS[m.SlipKind.EXTERNAL]:
        return any(course.format is m.Format.EXTERNAL for course in courses)
    return True


def single_owners(policy: Policy) -> list[SingleOwner]:
    """The paths that one person alone owns, grouped as the warnings group them (by cause, in policy order)."""
    return [SingleOwner(finding.single_owner, tuple(lines), finding.path, finding.fix)
            for finding, lines in _findings(policy).items() if finding.single_owner]


def _findings(policy: Policy) -> dict[Finding, list[Line]]:
    """Each finding with the lines it is about."""
    by_cause: dict[Finding, list[Line]] = {}
    strict = {kind for kind in PATH_KINDS if _unowned_is_error(policy, kind)}
    for kind, lines in policy.lines.items():
        for line in lines:
            finding = _four_eyes(policy, line, kind in strict)
            if finding:
                by_cause.setdefault(finding, []).append(line)
    return by_cause


def _derive(policy: Policy) -> list[Diagnostic]:
    without_login: dict[str, list[str]] = {}
    for lines in policy.lines.values():
        for line in lines:
            for owner in sorted(line.ownership.owners):
                member = policy.org.members.get(owner)
                if member and not member.person.git:
                    without_login.setdefault(owner, []).append(line.pattern)
    found = [finding.make(finding.path, finding.position,
                          finding.template.replace("{paths}", _listing([line.pattern for line in lines])))
             for finding, lines in _findings(policy).items()]
    for person, patterns in without_login.items():
        member = policy.org.members[person]
        found.append(warning(member.source.path, member.source.locate((*member.loc, "id")),
                             f"'{person}' has no 'git' login, so cannot approve {_listing(patterns)} as a "
                             f"code owner: add their login on the git host as 'git'"))
    return found + list(_leavers_named(policy))


def _leavers_named(policy: Policy) -> Iterable[Diagnostic]:
    """A warning wherever someone who has left is still named as a manager, mentor, role holder or trainer."""
    org, gone = policy.org, policy.gone
    if not gone:
        return

    def left(person: str, source: Source, loc: Loc, what: str, fix: str) -> Diagnostic:
        day = org.members[person].person.left
        assert day is not None
        return warning(source.path, source.locate(loc), f"{what} '{person}' left on {day.isoformat()} and owns "
                                                        f"nothing since: {fix}")

    for entry in org.teams.values():
        if entry.model.manager in gone:
            yield left(entry.model.manager, entry.source, ("manager",), "manager", "name the team's manager now")
        for index, person in enumerate(entry.model.members):
            if person.mentor in gone and person.id not in gone:
                yield left(person.mentor, entry.source, ("members", index, "mentor"), "mentor",
                           f"name another mentor for '{person.id}', or none")
    for entry in org.roles.values():
        for index, holder in enumerate(entry.model.holders):
            if holder in gone:
                yield left(holder, entry.source, ("holders", index), "role holder", "remove them from 'holders'")
    for entry in org.courses.values():
        for index, trainer in enumerate(entry.model.trainers):
            if trainer in gone:
                yield left(trainer, entry.source, ("trainers", index), "trainer", "remove them from 'trainers'")


def _four_eyes(policy: Policy, line: Line, strict: bool) -> Finding | None:
    """The finding when a single person owns the line, or when nobody does while the line is about
    someone, a team's chain of managers should own it, or (`strict`) nobody may leave it unowned."""
    ownership = line.ownership
    kind = ownership.kind
    assert kind is not None
    if not _decides_existing_paths(policy, kind, line):
        return None
    approvers = [owner for owner in sorted(ownership.owners) if policy.handle(owner)]
    chain = kind.derived is MANAGER
    if len(approvers) == 1 and not approvers[0].startswith("@"):
        who: str | None = approvers[0]
        problem = (f"'{who}' is the only owner of {{paths}}: when '{who}' is away or wrote the change, "
                   f"nobody can approve it")
        fix = None
        make = warning
        single = who
    elif not approvers and (ownership.subject or chain or strict):
        who = ownership.subject
        why, fix = _why_nobody(policy, ownership)
        problem = f"nobody owns {{paths}}{why}, so on the git host anyone may approve it"
        make = error if strict else warning
        single = None
    else:
        return None
    path, position, hint = _place(policy, ownership, who)
    return Finding(path, position, f"{problem}; {fix or hint}", make, single, fix or hint)


def _decides_existing_paths(policy: Policy, kind: PathKind, line: Line) -> bool:
    """Whether the line decides who owns the files of a team or course that exists. A general line
    (`/teams/*/records/`) does only for those without a line of their own; the files of any other
    folder fail the checks whoever approves them."""
    ownership = line.ownership
    if len(kind.patterns) < 2 or ownership.team or ownership.course or ownership.subject:
        return True
    by_course = "{course}" in kind.patterns[1]
    existing = policy.org.courses if by_course else policy.org.teams
    own = {other.ownership.course if by_course else other.ownership.team for other in policy.lines[kind]
           if other.ownership.subject is None}  # a person's line leaves the rest of their team to this one
    return any(folder not in own for folder in existing)


def _why_nobody(policy: Policy, ownership: Ownership) -> tuple[str, str | None]:
    """Why nobody owns a path (in parentheses), and the fix when it is not where the finding is placed:
    owners without a git login get one in their team files."""
    without_login = [policy.org.members[owner] for owner in sorted(ownership.owners)
                     if not policy.handle(owner) and owner in policy.org.members]
    if without_login:
        names = ", ".join(f"'{member.person.id}'" for member in without_login)
        places = ", ".join(f"{member.source.path}:{line}:{col}" for member in without_login
                           for line, col in [member.source.locate((*member.loc, "id"))])
        one = len(without_login) == 1
        return (f" ({names} {'has' if one else 'have'} no 'git' login)",
                f"add their {'login' if one else 'logins'} on the git host as 'git' ({places})")
    if ownership.subject:
        return f" ('{ownership.subject}' may not approve files about themselves)", None
    return "", None


def _place(policy: Policy, ownership: Ownership, who: str | None) -> tuple[str, Position, str]:
    """Where the fix goes, and what it is: the person's or team's file for a chain of managers, else the
    role that `who` holds, the course, any role granting the permission, or org.yaml when none does."""
    org = policy.org
    kind = ownership.kind
    assert kind is not None
    chain = kind.derived is MANAGER
    if chain and ownership.team in org.teams:
        hint = "add a parent team with another manager, or another holder to a role granting roles.edit"
        if ownership.subject:
            member = org.members[ownership.subject]
            return member.source.path, member.source.locate((*member.loc, "id")), hint
        source = org.teams[ownership.team].source
        return source.path, source.locate(("manager",)), hint
    # Otherwise the owners come from roles (the top of the tree, for a manager kind) or trainers.
    permissions = [kind.permission] + ([P.ROLES_EDIT] if chain else [])
    granting = [(permission, role_id) for permission in permissions
                for role_id in policy.roles_granting(permission, ownership.team)]
    for permission, role_id in granting:
        if who in org.roles[role_id].model.holders:
            return _at_role(policy, role_id, f"add another holder or a git_team to a role granting {permission.value}")
    course = org.courses.get(ownership.course or "")
    if course and (who in course.model.trainers or kind is ATTENDANCE):
        return (course.source.path, course.source.locate(("trainers",)),
                "add another trainer, or a holder to a role granting catalog.edit")
    if granting:
        permission, role_id = granting[0]
        return _at_role(policy, role_id, f"add a holder with a git login, or a git_team, to a role granting "
                                         f"{permission.value}")
    position = org.org.source.locate() if org.org else (1, 1)
    return ("org.yaml", position, f"no role grants {kind.permission.value}: add one under roles/, with holders "
                                  f"who have git logins")


def _at_role(policy: Policy, role_id: str, hint: str) -> tuple[str, Position, str]:
    source = policy.org.roles[role_id].source
    return source.path, source.locate(("holders",)), hint


def _listing(patterns: list[str], limit: int = 4) -> str:
    shown = patterns[:limit] + ([f"{len(patterns) - limit} more"] if len(patterns) > limit else [])
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
