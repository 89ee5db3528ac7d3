"""The policy's table: the path kinds of the layout, the permission that governs each, and the derived roles.

A change that needs role R's approval touches a file that only R owns, so the whole policy is one
table, PATH_KINDS, from the path kinds of the layout to the permission that governs each; `policy`
applies it to an organisation. `classify_path` reads a path back into its kind and the team, person
and course it is about, matching the CODEOWNERS lines exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..model import formats as m

P = m.Permission

Owner = str
"""A code owner: a person id, or a team on the git host written `@org/team`."""


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
    also: tuple[m.Permission, ...] = ()
    """Further permissions whose holders own these paths too (vendors: finance and the catalog's editors)."""

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
# An admin slip lets a merged record, request or attendance list change (they are otherwise append-only), so admins
# own it.
_ADMINS = "the holders of roles.edit, except the person it is about"
RECORDS_ADMIN = _inner_kind("records-admin-slip", "Record corrections", RECORDS, P.ROLES_EDIT,
                            "/teams/{team}/records/{person}.admin.yaml", _ADMINS)
REQUEST_ADMIN = _inner_kind("request-admin-slip", "Request corrections", REQUEST, P.ROLES_EDIT,
                            "/teams/{team}/requests/{person}/*.admin.yaml", _ADMINS)
ATTENDANCE_ADMIN = PathKind("attendance-admin-slip", "Attendance corrections",
                            "attendance/<course>/<session>.admin.yaml", P.ROLES_EDIT, "the holders of roles.edit",
                            ("/attendance/*/*.admin.yaml",), inside=ATTENDANCE.name, suffix=".admin.yaml")
BUDGET = PathKind("budget", "Budgets", "budgets/<year>.yaml", P.BUDGET_EDIT, "the holders of budget.edit",
                  ("/budgets/",))
COMPLETIONS = PathKind("completions", "Imported completions", "completions/<source>/<batch>.yaml", P.RECORD_IMPORT,
                       "the holders of record.import", ("/completions/",))
COMPLETIONS_ADMIN = PathKind("completions-admin-slip", "Imported completion corrections",
                             "completions/<source>/<batch>.admin.yaml", P.ROLES_EDIT, "the holders of roles.edit",
                             ("/completions/*/*.admin.yaml",), inside=COMPLETIONS.name, suffix=".admin.yaml")
PROGRAM = PathKind("program", "Learning paths", "programs/<program>.yaml", P.CATALOG_EDIT,
                   "the holders of catalog.edit", ("/programs/",))
PROFILE = PathKind("profile", "Skill profiles", "profiles/<profile>.yaml", P.PEOPLE_EDIT,
                   "the holders of people.edit", ("/profiles/",))
VENDOR = PathKind("vendor", "Vendors", "vendors/<vendor>.yaml", P.BUDGET_EDIT,
                  "the holders of budget.edit (finance) and of catalog.edit (L&D)", ("/vendors/",),
                  also=(P.CATALOG_EDIT,))
SETTINGS = PathKind("settings", "Roles and settings",
                    "org.yaml, theme/, roles/<role>.yaml, CODEOWNERS and CI",
                    P.ROLES_EDIT, "the holders of roles.edit", ())

PATH_KINDS: tuple[PathKind, ...] = (COURSE, ATTENDANCE, RULE, TEAM_ASSIGNMENTS, TEAM, RECORDS, REQUEST,
                                    *SLIP_KINDS.values(), RECORDS_ADMIN, REQUEST_ADMIN, ATTENDANCE_ADMIN, BUDGET,
                                    COMPLETIONS, COMPLETIONS_ADMIN, PROGRAM, PROFILE, VENDOR, SETTINGS)
"""In CODEOWNERS order: slips come after the lines of the folders they sit in, which they override."""
_INNER = {outer.name: [kind for kind in PATH_KINDS if kind.inside == outer.name] for outer in PATH_KINDS}

SETTINGS_PATTERNS = ("/org.yaml", "/theme/", "/roles/", "/CODEOWNERS", "/docs/CODEOWNERS", "/.github/", "/.gitlab/",
                     "/.gitlab-ci.yml")
"""The SETTINGS lines: the organisation, its site's look and templates (docs/theme.md), the roles, CODEOWNERS wherever either host would read one, and
both hosts' CI settings, the same on both hosts, so that neither moving the file nor the host escapes them."""
_SETTINGS = [(pattern.strip("/").split("/"), pattern.endswith("/")) for pattern in SETTINGS_PATTERNS]


def _inner(outer: PathKind, name: str) -> PathKind:
    """The kind of a file named `name` in a folder of `outer`: a slip by its suffix, else `outer`."""
    return next((kind for kind in _INNER[outer.name] if kind.suffix and name.endswith(kind.suffix)), outer)


def _stem(name: str) -> str | None:
    return name.removesuffix(".yaml") if name.endswith(".yaml") else None


def classify_path(parts: list[str]) -> tuple[PathKind | None, str | None, str | None, str | None]:
    """(kind, team, person, course) of a path, matching the lines exactly: a file pattern also
    covers what lies below a folder of that name, and `*` spans one segment."""
    for segments, is_folder in _SETTINGS:
        if parts[:len(segments)] == segments and (len(parts) > len(segments) or not is_folder):
            return SETTINGS, None, None, None
    match parts:
        case ["catalog", name, *_]:
            return COURSE, None, None, _stem(name)
        case ["attendance", course, name, *_]:
            return _inner(ATTENDANCE, name), None, None, course
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
        case ["completions", _, name, *_]:
            return _inner(COMPLETIONS, name), None, None, None
        case ["completions", _]:
            return COMPLETIONS, None, None, None
        case ["programs", *_]:
            return PROGRAM, None, None, None
        case ["profiles", *_]:
            return PROFILE, None, None, None
        case ["vendors", _, *_]:
            return VENDOR, None, None, None
    return None, None, None, None
