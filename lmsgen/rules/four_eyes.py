"""Four eyes, never a deadlock: the policy's warnings about paths a single person owns, or nobody does.

Git hosts do not let authors approve their own changes, so a path with one owner cannot be approved
when that owner is away or wrote the change, and a person's own files owned by nobody can be approved
by anyone. Lines with the same cause share one warning, placed where the fix goes: the team file, the
role or the course.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model.diagnostics import Diagnostic, warning
from ..model.organisation import Source
from ..model.yamlfile import Loc
from .paths import MANAGER, P
from .policy import Line, Policy, is_input


def warnings(policy: Policy, found: Iterable[Diagnostic] = ()) -> list[Diagnostic]:
    """Paths that a single person owns or, when about someone, nobody does, and owners without a git login.

    They wait while `found` (the problems found so far) has errors in the files the policy derives
    from: until those are fixed, they would only echo them.
    """
    if any(problem.is_error and is_input(problem.path) for problem in found):
        return []
    remembered = policy.remembered("warnings", lambda: [d.as_plain() for d in _derive_warnings(policy)])
    return [Diagnostic.from_plain(plain) for plain in remembered]


def _derive_warnings(policy: Policy) -> list[Diagnostic]:
    by_cause: dict[tuple[str, tuple[int, int], str], list[str]] = {}
    without_login: dict[str, list[str]] = {}
    for lines in policy.lines.values():
        for line in lines:
            for owner in sorted(line.ownership.owners):
                member = policy.org.members.get(owner)
                if member and not member.person.git:
                    without_login.setdefault(owner, []).append(line.pattern)
            cause = _four_eyes(policy, line)
            if cause:
                source, loc, template = cause
                by_cause.setdefault((source.path, source.locate(loc), template), []).append(line.pattern)
    found = [warning(path, position, template.replace("{paths}", _listing(patterns)))
             for (path, position, template), patterns in by_cause.items()]
    for person, patterns in without_login.items():
        member = policy.org.members[person]
        found.append(warning(member.source.path, member.source.locate((*member.loc, "id")),
                             f"'{person}' has no 'git' login, so cannot approve {_listing(patterns)} as a "
                             f"code owner: add their login on the git host as 'git'"))
    return found

def _four_eyes(policy: Policy, line: Line) -> tuple[Source, Loc, str] | None:
    """Where and what to warn (a message with `{paths}` to fill in) when a single person owns
    the line, or nobody does while someone's own files or a team's chain should have an owner."""
    ownership = line.ownership
    kind = ownership.kind
    assert kind is not None
    approvers = [owner for owner in sorted(ownership.owners) if policy.handle(owner)]
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
    if chain and ownership.team in policy.org.teams:
        hint = "add a parent team with another manager, or another holder to a role granting roles.edit"
        if ownership.subject:
            member = policy.org.members[ownership.subject]
            return member.source, (*member.loc, "id"), f"{problem}; {hint}"
        return policy.org.teams[ownership.team].source, ("manager",), f"{problem}; {hint}"
    # Otherwise the owners come from roles (the top of the tree, for a manager kind) or trainers.
    for permission in [kind.permission] + ([P.ROLES_EDIT] if chain else []):
        for role_id in policy.roles_granting(permission, ownership.team):
            if who in policy.org.roles[role_id].model.holders:
                return (policy.org.roles[role_id].source, ("holders",),
                        f"{problem}; add another holder or a git_team to a role granting {permission.value}")
    course = policy.org.courses.get(ownership.course or "")
    if course and who in course.model.trainers:
        return (course.source, ("trainers",),
                f"{problem}; add another trainer, or a holder to a role granting catalog.edit")
    return None


def _listing(patterns: list[str], limit: int = 4) -> str:
    shown = patterns[:limit] + ([f"{len(patterns) - limit} more"] if len(patterns) > limit else [])
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
