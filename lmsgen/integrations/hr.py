"""People in from the HR system: joiners, movers and leavers from its export, as one reviewable branch.

The export is the truth for the fields it carries (`hr_export`); what it does not carry stays as the team
files have it. A joiner becomes one more member of their team, from whose `start_date` the assignment
rules pick them up; a mover leaves one team's list for another's, and their records and requests move
with them in the same commit (a move, as `git mv` makes it, which the pull-request rules allow); a leaver
gets `left: DATE` and is never deleted. Team files are edited in place (`member_text`), so the diff is
what changed. Who approves what follows from the teams, so CODEOWNERS is regenerated in the same commit,
and the summary lists the paths whose approvers change.

The import never changes a team's `manager` or `parent`, nor a role's holders: HR and admins review those.
What the export implies for them is shown, never made. Running it twice changes nothing the second time:
the branch is named after its content, so a proposal already waiting on its branch (here, or pushed to a
remote this clone has fetched) is not made again.

May import: `lmsgen.history`, `lmsgen.rules`, `lmsgen.model`, `lmsgen.integrations`.
Must not import: demo, site or commands.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..history.helpers import Proposal, Refused, Submitted, Workspace, flow_mapping
from ..model import formats as m
from ..model.diagnostics import Diagnostic, error
from ..model.organisation import Member, Organisation
from ..model.yamlfile import YamlError, decode
from ..rules import codeowners
from ..rules.policy import Policy
from .hr_export import PERSON_FIELDS, HrExport, HrRow, read_export
from .member_text import MemberEdits, edit_members


class ExportRefused(Exception):
    """The export has problems (positioned in the export); nothing was written."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__(f"{len(diagnostics)} problems")
        self.diagnostics = sorted(diagnostics)


@dataclass(frozen=True)
class FieldChange:
    person: str
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Route:
    """A CODEOWNERS pattern whose owners change (an empty side: the line is new, or gone)."""

    pattern: str
    before: tuple[str, ...]
    after: tuple[str, ...]


@dataclass
class HrChanges:
    """What the export changes, and the files that make it so (path to text; None: removed)."""

    export: str
    joiners: list[tuple[str, str, Any]] = field(default_factory=list)
    """(person, team, start date)"""
    movers: list[tuple[str, str, str, int]] = field(default_factory=list)
    """(person, from team, to team, files moved)"""
    leavers: list[tuple[str, Any]] = field(default_factory=list)
    fields: list[FieldChange] = field(default_factory=list)
    reviews: list[str] = field(default_factory=list)
    """What the export implies for managers, parents and role holders: shown, never made."""
    absent: list[str] = field(default_factory=list)
    """Current members the export does not list: left as they are."""
    routes: list[Route] = field(default_factory=list)
    files: dict[str, str | None] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.files

    @property
    def branch(self) -> str:
        """Named after the files it writes: the same import proposed twice is one branch."""
        digest = hashlib.sha256()
        for path, text in sorted(self.files.items()):
            digest.update(f"{path}\0{'' if text is None else text}\0{text is None}\0".encode())
        return f"lmsgen/import-hr-{digest.hexdigest()[:12]}"


@dataclass(frozen=True)
class Imported:
    """The outcome: the changes, and where they were committed (None for a dry run, or nothing to change);
    `pending` names the branch that already holds the same proposal."""

    changes: HrChanges
    submitted: Submitted | None = None
    pending: str | None = None


def import_hr(ws: Workspace, path: str, raw: bytes, *, dry_run: bool = False) -> Imported:
    """Reads the export `raw` (named `path` in messages) against the organisation at HEAD and commits what it
    changes on a new branch (not with `dry_run`). Raises ExportRefused for problems in the export, InvalidChange
    when the result would add errors to the organisation, Refused when a team file cannot be edited."""
    org = ws.org
    if not dry_run:
        ws.require_identity()
    columns = org.org.model.hr_import.columns if org.org else m.HrColumns()
    export, problems = read_export(path, raw, columns)
    if export is None:
        raise ExportRefused(problems)
    problems += _unknown_references(org, export)
    if problems:
        raise ExportRefused(problems)
    changes = plan(ws, export)
    if changes.empty:
        return Imported(changes)
    after = ws.check(changes.files)
    host = codeowners.host_of(org)
    before_text = codeowners.render(Policy(org, ws.memo), host)
    after_text = codeowners.render(Policy(after, ws.memo), host)
    if before_text != after_text:
        changes.files[codeowners.CODEOWNERS_FILE[host]] = after_text
        changes.routes = routes(before_text, after_text)
    if dry_run:
        return Imported(changes)
    if ws.repo.has_branch(changes.branch):
        return Imported(changes, pending=changes.branch)
    proposal = Proposal(changes.files, _subject(changes), summary(changes), changes.branch)
    return Imported(changes, ws.commit(proposal))


def _unknown_references(org: Organisation, export: HrExport) -> list[Diagnostic]:
    """Teams the organisation does not have, and mentors and managers who are neither members nor in the export."""
    found = []
    people = set(org.members) | {row.person for row in export.rows}
    teams = ", ".join(sorted(org.teams)[:20]) + (", ..." if len(org.teams) > 20 else "")
    for row in export.rows:
        team = row.values["team"]
        if team not in org.teams:
            found.append(error(export.path, export.place(row, "team"),
                               f"unknown team '{team}' in column '{export.column('team')}': the import adds people to "
                               f"teams the organisation has ({teams}); a new team is made in teams/{team}/team.yaml"))
        for field_name in ("mentor", "manager"):
            someone = row.values.get(field_name)
            if someone and someone not in people:
                found.append(error(export.path, export.place(row, field_name),
                                   f"unknown {field_name} '{someone}' in column '{export.column(field_name)}': "
                                   f"neither a member of the organisation nor in this export"))
    return found


# --- the plan -----------------------------------------------------------------------------------


def plan(ws: Workspace, export: HrExport) -> HrChanges:
    """The changes and the files they make, on the organisation at HEAD. Raises Refused when a team file
    cannot be edited."""
    org = ws.org
    changes = HrChanges(export.path)
    edits: dict[str, MemberEdits] = {}
    carried = [name for name in export.columns if name in PERSON_FIELDS and name != "id"]
    standing = _Standing.of(org)
    # The files of each person's records and requests (one `git ls-tree`), read when the first mover's files move.
    blobs = functools.cache(lambda: _personal_files(ws))
    for row in export.rows:
        member = org.members.get(row.person)
        team = row.values["team"]
        if member is None:
            person = {PERSON_FIELDS[name]: row.values[name] for name in carried if row.values[name] is not None}
            edits.setdefault(team, MemberEdits()).added.append(flow_mapping({"id": row.person, **person}))
            changes.joiners.append((row.person, team, row.values.get("start_date")))
            if row.values.get("left_on"):
                changes.leavers.append((row.person, row.values["left_on"]))
            continue
        updates = _updates(member, row, carried, changes)
        if team != member.team:
            _move(ws, blobs, member, team, updates, edits, changes)
        elif updates:
            edits.setdefault(team, MemberEdits()).fields[member.index] = updates
        _reviews(org, standing, member, row, changes)
    listed = {row.person for row in export.rows}
    changes.absent = sorted(person for person in org.present(ws.today) if person not in listed)
    for team, team_edits in sorted(edits.items()):
        path = org.teams[team].source.path
        try:
            changes.files[path] = edit_members(decode(org.teams[team].source.read()), team_edits)
        except YamlError as problem:
            line, col = problem.position
            raise Refused(f"cannot edit {path}:{line}:{col}: {problem.message}; fix the file first") from None
    return changes


def _updates(member: Member, row: HrRow, carried: list[str], changes: HrChanges) -> dict[str, Any]:
    """The member's fields that the row changes (None: the field goes), noting each in `changes`."""
    updates: dict[str, Any] = {}
    for name in carried:
        key = PERSON_FIELDS[name]
        before, after = getattr(member.person, key), row.values[name]
        if before == after:
            continue
        updates[key] = after
        if key == "left" and after is not None:
            changes.leavers.append((member.person.id, after))
        else:
            changes.fields.append(FieldChange(member.person.id, key, before, after))
    return updates


def _personal_files(ws: Workspace) -> dict[tuple[str, str], dict[str, str]]:
    """By (team, person), the path and blob of each file of the person's records and requests in that team."""
    found: dict[tuple[str, str], dict[str, str]] = {}
    for entry in ws.repo.tree(ws.head, ["teams"]):
        parts = entry.path.split("/")
        if entry.is_file and len(parts) >= 4 and parts[2] in ("records", "requests"):
            person = parts[3].split(".", 1)[0] if parts[2] == "records" else parts[3]
            found.setdefault((parts[1], person), {})[entry.path] = entry.sha
    return found


def _move(ws: Workspace, blobs: Callable[[], dict[tuple[str, str], dict[str, str]]], member: Member, team: str,
          updates: dict[str, Any], edits: dict[str, MemberEdits], changes: HrChanges) -> None:
    """The member out of their team's list and into `team`'s, their records and requests moved along."""
    person = member.person.model_copy(update=updates)
    edits.setdefault(member.team, MemberEdits()).removed.add(member.index)
    edits.setdefault(team, MemberEdits()).added.append(flow_mapping(person.model_dump(exclude_none=True)))
    old, new = f"teams/{member.team}/", f"teams/{team}/"
    theirs = blobs().get((member.team, person.id), {})
    there = blobs().get((team, person.id), {})
    moved = 0
    for path, blob in sorted(theirs.items()):
        rest = path.removeprefix(old)
        if new + rest in there:
            raise Refused(f"cannot move {path} to {new + rest}: a file is there already")
        changes.files[path] = None
        try:
            changes.files[new + rest] = ws.repo.read(blob).decode("utf-8")
        except UnicodeDecodeError:
            raise Refused(f"cannot move {path}: it is not UTF-8 text; fix the file first") from None
        moved += 1
    changes.movers.append((person.id, member.team, team, moved))


@dataclass(frozen=True)
class _Standing:
    """Who manages which teams and holds which roles: what the import never changes."""

    managed: dict[str, list[str]]
    held: dict[str, list[str]]

    @classmethod
    def of(cls, org: Organisation) -> _Standing:
        managed: dict[str, list[str]] = {}
        held: dict[str, list[str]] = {}
        for team_id, entry in sorted(org.teams.items()):
            managed.setdefault(entry.model.manager, []).append(team_id)
        for role_id, role in sorted(org.roles.items()):
            for holder in role.model.holders:
                held.setdefault(holder, []).append(role_id)
        return cls(managed, held)


def _reviews(org: Organisation, standing: _Standing, member: Member, row: HrRow, changes: HrChanges) -> None:
    """What the row implies for managers and role holders, which the import leaves to HR and admins."""
    person, team, left = member.person.id, row.values["team"], row.values.get("left_on")
    for team_id in standing.managed.get(person, []):
        if left and left != member.person.left:
            changes.reviews.append(f"'{person}' manages team '{team_id}' and leaves on {left.isoformat()}: its "
                                   f"`manager` is not changed by the import")
        elif team != member.team:
            changes.reviews.append(f"'{person}' manages team '{team_id}' and moves to '{team}': its `manager` is "
                                   f"not changed by the import")
    if left and left != member.person.left:
        for role_id in standing.held.get(person, []):
            changes.reviews.append(f"'{person}' holds the role '{role_id}' and leaves on {left.isoformat()}: "
                                   f"role holders are not changed by the import")
    manager = row.values.get("manager")
    current = _manager_in(org, team, person)
    if manager and manager != current:
        changes.reviews.append(f"HR gives '{manager}' as the manager of '{person}', the repository "
                               f"'{current or 'nobody'}' (the `manager` of team '{team}' or above it): not changed "
                               f"by the import")


def _manager_in(org: Organisation, team: str, person: str) -> str | None:
    """Who approves for `person` as a member of `team`: its manager, or for that manager the first one above."""
    for team_id in [team, *org.ancestors(team)]:
        manager = org.teams[team_id].model.manager
        if manager != person:
            return manager
    return None


# --- CODEOWNERS ----------------------------------------------------------------------------------


def routes(before: str, after: str) -> list[Route]:
    """The patterns whose owners differ between two CODEOWNERS texts (the last line of a pattern wins)."""
    old, new = _owners(before), _owners(after)
    return [Route(pattern, old.get(pattern, ()), new.get(pattern, ()))
            for pattern in sorted(old.keys() | new.keys()) if old.get(pattern) != new.get(pattern)]


def _owners(text: str) -> dict[str, tuple[str, ...]]:
    found = {}
    for line in text.splitlines():
        if line and line[0] not in "#[!":
            pattern, *owners = line.split()
            found[pattern] = tuple(owners)
    return found


# --- the summary ----------------------------------------------------------------------------------


def _subject(changes: HrChanges) -> str:
    counts = [(len(changes.joiners), "joiner"), (len(changes.movers), "mover"), (len(changes.leavers), "leaver"),
              (len(changes.fields), "changed field")]
    said = ", ".join(f"{count} {what}{'s' * (count != 1)}" for count, what in counts if count)
    return f"HR import from {changes.export}: {said or 'no changes'}"


def _cell(value: Any) -> str:
    text = "" if value is None else value.isoformat() if hasattr(value, "isoformat") else str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ") or "(none)"


def _table(title: str, header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> list[str]:
    if not rows:
        return []
    out = [f"### {title} ({len(rows)})", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]
    return out + [""]


_NO_LINE = "(no line of its own: a more general line decides)"


def summary(changes: HrChanges) -> str:
    """The pull request's description, in Markdown: what the import does, and what it leaves for review."""
    out = [f"## {_subject(changes)}", ""]
    if changes.empty:
        out += ["Nothing to change: the organisation already says what the export says.", ""]
    out += _table("Joiners", ("person", "team", "start date"), changes.joiners)
    out += _table("Movers", ("person", "from", "to", "files moved"), changes.movers)
    out += _table("Leavers", ("person", "left"), changes.leavers)
    out += _table("Changed fields", ("person", "field", "before", "after"),
                  [(c.person, c.field, c.before, c.after) for c in changes.fields])
    out += _table("Approvals that now route elsewhere", ("path", "approved by before", "approved by now"),
                  [(f"`{r.pattern}`", " ".join(r.before) or _NO_LINE, " ".join(r.after) or _NO_LINE)
                   for r in changes.routes])
    if changes.reviews:
        out += [f"### Not made: for HR and admin review ({len(changes.reviews)})", ""]
        out += [f"- {_cell(review)}" for review in changes.reviews] + [""]
    if changes.absent:
        out += [f"<details><summary>Not in the export, left as they are ({len(changes.absent)})</summary>", "",
                ", ".join(changes.absent), "", "</details>", ""]
    return "\n".join(out)

