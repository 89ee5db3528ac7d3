"""The handles CODEOWNERS names, by the git host's rules: people's `git` logins and roles' `git_team`.

The policy keeps each person off the files about themselves, but the host knows people only by
their handles: two people with one login (hosts ignore case in logins) are one owner to it, and
each could approve files about themselves. A handle the host would never allow is a typo that the
host skips when it reads CODEOWNERS, leaving paths with fewer owners than the policy says. So both
are errors, judged by the rules of org.yaml's `git.host`:

- GitHub: a login has 1 to 39 letters, digits and hyphens, a hyphen only between two of the others;
  a team is `org/team`, the org named as a login is, the team's slug letters, digits, `_` and single
  hyphens (GitHub refuses a dot in a CODEOWNERS team).
- GitLab: a username or a group's path segment has at most 255 letters, digits, `_`, `-` and `.`,
  starts with a letter, digit or `_`, has no two of `_-.` in a row and does not end in `.`, `.git` or
  `.atom`; a team is a group's path, `group/subgroup/...`.

The models admit what either host could (and nothing that would break a CODEOWNERS line); the
reasons here say which rule of the organisation's host a handle breaks.
"""

from __future__ import annotations

import re
import string

from ..model import formats as m
from ..model.organisation import Member
from .codeowners import host_of
from .references import Checker

_ALNUM = frozenset(string.ascii_letters + string.digits)
_GITHUB_LOGIN = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
_SPECIAL = "_-."

HOST_NAMES = {m.GitHost.GITHUB: "GitHub", m.GitHost.GITLAB: "GitLab"}

RULES = {
    (m.GitHost.GITHUB, "login"): "a GitHub login has 1 to 39 letters, digits and hyphens, a hyphen only between two "
                                 "of the others",
    (m.GitHost.GITLAB, "login"): "a GitLab username has up to 255 letters, digits, '_', '-' and '.', starts with a "
                                 "letter, digit or '_', has no two of '_', '-' and '.' in a row, and does not end in "
                                 "'.', '.git' or '.atom'",
    (m.GitHost.GITHUB, "team"): "a GitHub team is written org/team, the org named like a login and the team's slug "
                                "made of letters, digits, '_' and hyphens, a hyphen only between two of the others",
    (m.GitHost.GITLAB, "team"): "a GitLab team is a group's path (group or group/subgroup), each part named like "
                                "a GitLab username",
}
"""What each host allows, as the messages say it."""


def _github_reason(name: str, *, allowed: frozenset[str], longest: int | None) -> str | None:
    if not name:
        return "is empty"
    if longest is not None and len(name) > longest:
        return f"has {len(name)} characters"
    bad = next((char for char in name if char not in allowed and char != "-"), None)
    if bad is not None:
        return f"contains '{bad}'"
    if name.startswith("-") or name.endswith("-"):
        return f"{'starts' if name.startswith('-') else 'ends'} with a hyphen"
    if "--" in name:
        return "has two hyphens in a row"
    return None


def _gitlab_reason(name: str) -> str | None:
    if not name:
        return "is empty"
    if len(name) > 255:
        return f"has {len(name)} characters"
    bad = next((char for char in name if char not in _ALNUM and char not in _SPECIAL), None)
    if bad is not None:
        return f"contains '{bad}'"
    if name[:1] in ("-", "."):
        return f"starts with '{name[0]}'"
    pair = next((name[i:i + 2] for i in range(len(name) - 1) if name[i] in _SPECIAL and name[i + 1] in _SPECIAL),
                None)
    if pair is not None:
        return f"has '{pair}' in a row"
    end = next((end for end in (".git", ".atom", ".") if name.lower().endswith(end)), None)
    return f"ends in '{end}'" if end else None


def login_problem(host: m.GitHost, login: str) -> str | None:
    """Why `host` would not allow `login` ("has 40 characters"), or None when it would."""
    if host is m.GitHost.GITHUB:
        if len(login) <= 39 and _GITHUB_LOGIN.fullmatch(login):  # every login of a large organisation: quickly
            return None
        return _github_reason(login, allowed=_ALNUM, longest=39)
    return _gitlab_reason(login)


def team_problem(host: m.GitHost, team: str) -> str | None:
    """Why `host` would not allow `team`, a role's `git_team` with or without its '@' ("has no slash"), or None."""
    parts = team.removeprefix("@").split("/")
    if host is m.GitHost.GITHUB:
        if len(parts) != 2:
            return "has no slash" if len(parts) == 1 else f"has {len(parts) - 1} slashes"
        org, slug = parts
        if reason := _github_reason(org, allowed=_ALNUM, longest=39):
            return f"has the org '{org}', which {reason}"
        if reason := _github_reason(slug, allowed=_ALNUM | {"_"}, longest=None):
            return f"has the team '{slug}', which {reason}"
        return None
    for part in parts:
        if reason := _gitlab_reason(part):
            return f"has the part '{part}', which {reason}" if len(parts) > 1 else reason
    return None


def check_handles(c: Checker) -> None:
    """Logins and git teams that the organisation's git host would not allow, and logins two people share.

    Without org.yaml the host is unknown (its absence is an error of its own), so only shared logins
    are reported.
    """
    org = c.org
    host = host_of(org) if org.org else None
    where = f"{HOST_NAMES[host]} ({c.place(org.org.source, ('git', 'host'))})" if host and org.org else ""
    first_with: dict[str, Member] = {}
    for member in org.members.values():
        login = member.person.git
        if login is None:
            continue
        loc = (*member.loc, "git")
        if host is not None and (reason := login_problem(host, login)):
            c.report(member.source, loc, f"'{login}' cannot be a login on {where}: it {reason}; {RULES[host, 'login']}")
        first = first_with.setdefault(login.lower(), member)
        if first is member:
            continue
        other, place = first.person.id, c.place(first.source, (*first.loc, "git"))  # located only when needed
        case = "; git hosts ignore case in logins" if first.person.git != login else ""
        c.report(member.source, loc, f"git login '{login}' is also the login of '{other}' ({place}{case}): the host "
                 f"cannot tell the two apart, so either could approve files about themselves; give each person "
                 f"their own login")
    if host is None:
        return
    for entry in org.roles.values():
        team = entry.model.git_team
        if team is not None and (reason := team_problem(host, team)):
            c.report(entry.source, ("git_team",), f"'{team}' cannot be a team on {where}: it {reason}; "
                     f"{RULES[host, 'team']}")
