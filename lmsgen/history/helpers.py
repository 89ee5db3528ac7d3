"""Changes for people who do not write YAML by hand: a request, a completion, an assignment, attendance.

Each helper reads the organisation at HEAD straight from git, writes exactly the files the
policy needs (a request with its approval slips, one more line in a records file, ...), checks
that the organisation with those files is no worse than without, and commits them on a new
branch made from HEAD. The working tree, the index and the checked-out branch are left as they
were. Existing files keep their text and comments byte for byte: an item is added as one
flow-style line at the end of its list.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote

import yaml

from ..cache.memo import Memo
from ..messages import DEFAULT_LANGUAGE, Catalog
from ..model import formats as m
from ..model.diagnostics import Diagnostic
from ..model.layout import DATA_ROOTS
from ..model.organisation import Entry, Member, Organisation, Source
from ..model.schema import schema_comment
from ..model.yamlfile import YamlError, compose, decode, parse
from ..rules import policy, slips
from ..rules.validation import validate
from .additions import Change, problems
from .repository import GitError, Repository, identity_problem


class UnknownId(Exception):
    """A person, course, team or session that the organisation does not have."""

    def __init__(self, what: str, value: str, known: list[str]):
        super().__init__(f"unknown {what} '{value}'")
        self.what, self.value, self.known = what, value, known


class Refused(Exception):
    """A change the helper will not make, with the reason (a usage problem, not a data error). `key` and `values`
    name the reason in the message catalogs (`cli.refused.*`), so the command says it in the org's language."""

    def __init__(self, message: str, key: str | None = None, values: dict[str, object] | None = None):
        super().__init__(message)
        self.key, self.values = key, values or {}

    @classmethod
    def said(cls, key: str, /, **values: object) -> Refused:
        """The refusal `key` of the catalogs; its English text is the exception's message."""
        return cls(Catalog(DEFAULT_LANGUAGE)(key, **values), key, values)


class InvalidChange(Exception):
    """The files would add errors to the organisation; nothing was written."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__(f"{len(diagnostics)} new errors")
        self.diagnostics = diagnostics


@dataclass(frozen=True)
class Proposal:
    """The files a helper writes (path to full text, or None for a file it removes), the commit message and the
    branch name it wants."""

    files: dict[str, str | None]
    subject: str
    body: str
    branch: str


@dataclass(frozen=True)
class Submitted:
    """A proposal committed on its new branch, and where to open its pull request."""

    branch: str
    commit: str
    target: str
    """The branch the pull request goes to (org.yaml's `git.branch`)."""
    files: tuple[str, ...]
    url: str | None
    approvers: dict[str, list[str]]
    """Per file, the code owners (handles) any one of whom approves it."""


class Workspace:
    """The organisation at HEAD, read from git objects, that the helpers build their changes on `today`."""

    def __init__(self, repo: Repository, memo: Memo | None = None, *, today: date):
        if not repo.has_commit("HEAD"):
            raise GitError("the repository has no commit yet: commit the organisation first")
        self.repo = repo
        self.memo = memo
        self.today = today
        self.head = repo.commit_of("HEAD")
        self.base = repo.load_at(self.head, memo)
        self.org = self.base.organisation

    # --- looking things up --------------------------------------------------------------

    def member(self, person: str) -> Member:
        if person not in self.org.members:
            raise UnknownId("person", person, sorted(self.org.members))
        return self.org.members[person]

    def course(self, course: str) -> m.Course:
        if course not in self.org.courses:
            raise UnknownId("course", course, sorted(self.org.courses))
        return self.org.courses[course].model

    def team(self, team: str) -> m.Team:
        if team not in self.org.teams:
            raise UnknownId("team", team, sorted(self.org.teams))
        return self.org.teams[team].model

    def text(self, path: str) -> str | None:
        raw = self.repo.file_at(self.head, path)
        return None if raw is None else decode(raw)

    # --- committing ---------------------------------------------------------------------

    def check(self, files: dict[str, str | None]) -> Organisation:
        """The organisation at HEAD with the files (None: removed); raises InvalidChange with the errors the files
        would add to it, and those that what they add has under the rules for additions (`additions`), as
        `check --base` finds them. Files outside the data folders (a generated CODEOWNERS) are not its to judge."""
        overlay = {path: None if text is None else text.encode("utf-8") for path, text in files.items()
                   if path.split("/", 1)[0] in DATA_ROOTS}
        after = validate(self.repo.load_at(self.head, self.memo, overlay))
        added = problems(Change(self.org, after.organisation, "HEAD", self.today))
        if after.ok and not added:
            return after.organisation
        before = set(validate(self.base).diagnostics)
        new = sorted({d for d in after.diagnostics if d.is_error and d not in before} | set(added))
        if new:
            raise InvalidChange(new)
        return after.organisation

    def submit(self, proposal: Proposal, check: Callable[[dict[str, str | None]], None] | None = None) -> Submitted:
        """Validates the proposal and commits it on a new branch from HEAD; the checkout stays as it is. `check`
        replaces `Workspace.check` for a caller that knows which checks its files can fail."""
        self.require_identity()
        (check or self.check)(proposal.files)
        return self.commit(proposal)

    def require_identity(self) -> None:
        """Raises GitError when git could not sign a commit: before the work, not after it."""
        problem = identity_problem(self.repo.root)
        if problem:
            raise GitError(problem)

    def commit(self, proposal: Proposal) -> Submitted:
        """Commits a proposal already checked (`check`) on a new branch from HEAD; the checkout stays as it is."""
        self.require_identity()
        branch = self.repo.free_branch(proposal.branch)
        message = f"{proposal.subject}\n\n{proposal.body}\n" if proposal.body else proposal.subject + "\n"
        commit = self.repo.commit_on_new_branch(
            self.head, {path: None if text is None else text.encode("utf-8") for path, text in proposal.files.items()},
            message, branch)
        settings = self.org.org.model.git if self.org.org else None
        target = settings.branch if settings else "main"
        owners = policy.Policy(self.org)
        approvers = {path: owners.handles(owners.owners_of(path).owners) for path in proposal.files}
        return Submitted(branch, commit, target, tuple(proposal.files), pull_request_url(settings, branch), approvers)


def pull_request_url(settings: m.GitSettings | None, branch: str) -> str | None:
    """The web page that opens a pull (or merge) request from `branch` into org.yaml's branch."""
    if settings is None:
        return None
    repo = settings.repo.removesuffix("/").removesuffix(".git")
    source, target = quote(branch, safe="/"), quote(settings.branch, safe="/")
    if settings.host is m.GitHost.GITLAB:
        return (f"{repo}/-/merge_requests/new?merge_request[source_branch]={source}"
                f"&merge_request[target_branch]={target}")
    return f"{repo}/compare/{target}...{source}?expand=1"


# --- the helpers ------------------------------------------------------------------------------


def request(ws: Workspace, person: str, course_id: str, *, session: str | None = None, reason: str = "") -> Proposal:
    """A request for a course, dated today, with the approval slips its policy needs (cost, external)."""
    member = ws.member(person)
    course = ws.course(course_id)
    if course.approval is m.Approval.NONE:
        raise Refused.said("cli.refused.no_approval", course=course_id, person=person)
    folder = f"teams/{member.team}/requests/{person}"
    request_id = _free_id(ws, folder, f"{ws.today:%Y-%m}-{course_id}")
    path = f"{folder}/{request_id}.yaml"
    kind = request_kind(course)
    cost = course.cost if course.has_cost else None
    text = request_text(path, person, course_id, course, session=session, reason=reason, today=ws.today)
    # Not validated here: the organisation with the file is, with positions in the messages.
    model = m.Request.model_construct(person=person, course=course_id, session=session, kind=kind, date=ws.today,
                                      cost=cost)
    entry = Entry(request_id, model, Source(path, lambda: text.encode()), {"team": member.team, "person": person})
    files = {path: text}
    for slip_kind, amount in slips.required_slips(ws.org, model).items():
        slip = slips.MissingSlip(entry, slip_kind, slips.slip_path(entry, slip_kind), amount)
        files[slip.path] = slip.text()
    what = f"{course_id}" + (f", session {session}" if session else "")
    return Proposal(files, f"Request {what} for {person}", reason, f"lmsgen/request-{person}-{request_id}")


def request_kind(course: m.Course) -> m.RequestKind:
    """External training is requested as `external`, everything else as `enroll`."""
    return m.RequestKind.EXTERNAL if course.format is m.Format.EXTERNAL else m.RequestKind.ENROLL


def request_text(path: str, person: str, course_id: str, course: m.Course, *, session: str | None, reason: str,
                 today: date) -> str:
    """The request file at `path`, as `lmsgen request` writes it and the site's "Request" links pre-fill it."""
    cost = course.cost if course.has_cost else None
    return document("request", path, {"person": person, "course": course_id, "session": session,
                                       "kind": request_kind(course).value, "reason": reason or None, "date": today,
                                       "cost": _money(cost)})


def record_line(course_id: str, on: date, by: str, score: float | None = None, evidence: str | None = None,
                checklist: list[bool] | None = None) -> str:
    """One completion record as a line of a records file: `{course: x, date: 2026-11-23, by: carol}`."""
    return flow_mapping({"course": course_id, "date": on, "by": by, "score": score, "evidence": evidence,
                         "checklist": checklist})


def records_text(path: str, person: str, lines: list[str]) -> str:
    """A new records file at `path` holding `lines`."""
    return document("records", path, {"person": person}) + "records:\n" + "".join(f"  - {line}\n" for line in lines)


def complete(ws: Workspace, person: str, course_id: str, *, on: date | None = None, by: str | None = None,
             score: float | None = None, evidence: str | None = None, checklist: list[str] | None = None) -> Proposal:
    """One completion record, on `on` (default: today), appended to the person's records file (which is
    created if need be). `checklist` names the items ticked (the course's others are written false)."""
    member = ws.member(person)
    course = ws.course(course_id)
    on = on or ws.today
    path = f"teams/{member.team}/records/{person}.yaml"
    flags = checklist_flags(course_id, course, checklist) if checklist is not None else None
    line = record_line(course_id, on, by or person, score, evidence, flags)
    if flags is not None:
        line += "  # " + ", ".join(course.checklist)
    text = _append(ws, path, "records", [line], document("records", path, {"person": person}))
    by_whom = f" (recorded by {by})" if by and by != person else ""
    return Proposal({path: text}, f"Record {course_id} for {person}, completed on {on.isoformat()}{by_whom}", "",
                    f"lmsgen/complete-{person}-{course_id}-{on.isoformat()}")


def checklist_flags(course_id: str, course: m.Course, ticked: list[str]) -> list[bool]:
    """The record's checklist: one flag per item of the course's, true for those `ticked` (names)."""
    if not course.checklist:
        raise Refused.said("cli.refused.no_checklist", course=course_id)
    unknown = [item for item in ticked if item not in course.checklist]
    if unknown:
        raise Refused.said("cli.refused.not_an_item", item=unknown[0], course=course_id,
                           items=", ".join(course.checklist))
    return [item in ticked for item in course.checklist]


def assign(ws: Workspace, team: str, person: str, course_id: str, *, due: date | None = None) -> Proposal:
    """One line in the team's assignment file: `person` (or `all`) must take the course."""
    ws.team(team)
    if person != "all":
        ws.member(person)
    program = course_id.removeprefix("program:") if course_id.startswith("program:") else None
    if program is None:
        ws.course(course_id)
    elif program not in ws.org.programs:  # a learning path (docs/learning-paths.md)
        raise UnknownId("program", program, sorted(ws.org.programs))
    path = f"assignments/teams/{team}.yaml"
    line = flow_mapping({"person": person, "course": course_id, "due": due})
    text = _append(ws, path, "assignments", [line], document("team-assignments", path, {}))
    who = "everyone in" if person == "all" else f"{person} in"
    when = f", due {due.isoformat()}" if due else ""
    return Proposal({path: text}, f"Assign {course_id} to {who} team {team}{when}", "",
                    f"lmsgen/assign-{team}-{person}-{course_id.replace(':', '-')}")


def attend(ws: Workspace, course_id: str, session: str, people: list[str], absent: list[str] | None = None) -> Proposal:
    """The trainer's attestation that `people` attended a session and `absent` did not come (no-shows), added to
    its attendance file."""
    course = ws.course(course_id)
    sessions = [s.id for s in course.sessions]
    if session not in sessions:
        raise UnknownId("session", session, sessions)
    absent = absent or []
    for person in [*people, *absent]:
        ws.member(person)
    path = f"attendance/{course_id}/{session}.yaml"
    header = document("attendance", path, {})
    text = _append(ws, path, "attended", people, header) if people else ws.text(path) or header
    if absent:
        text = _append(ws, path, "absent", absent, header, text)
    subject = f"Attendance of {course_id}, session {session}: {', '.join(people) or 'nobody'}"
    return Proposal({path: text}, subject + (f"; absent: {', '.join(absent)}" if absent else ""), "",
                    f"lmsgen/attend-{course_id}-{session}")


def _append(ws: Workspace, path: str, key: str, items: list[str], header: str, text: str | None = None) -> str:
    """The file at `path` (or `text`, what is written of it so far) with `items` added to its list `key`; a new
    file starts with `header`."""
    try:
        text = ws.text(path) if text is None else text
        if text is None:
            return header + f"{key}:\n" + "".join(f"  - {item}\n" for item in items)
        for item in items:
            text = append_to_list(text, key, item)
    except YamlError as problem:
        line, col = problem.position
        raise Refused.said("cli.refused.cannot_add", path=path, line=line, col=col, problem=problem.message) from None
    return text


def _free_id(ws: Workspace, folder: str, wanted: str) -> str:
    taken = {e.id for e in ws.org.requests if e.source.path.startswith(folder + "/")}
    taken |= {request_id for kind, request_id in ws.org.broken if kind == "request"}
    candidate, number = wanted, 1
    while candidate in taken:
        number += 1
        candidate = f"{wanted}-{number}"
    return candidate


# --- writing YAML -----------------------------------------------------------------------------


def _money(money: m.Money | None) -> dict[str, Any] | None:
    return None if money is None else {"amount": money.amount, "currency": money.currency}


def yaml_scalar(value: Any) -> str:
    """A value as YAML: plain where it reads back as the same string, else double-quoted (JSON is valid YAML)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return flow_mapping(value)
    if isinstance(value, list):
        return "[" + ", ".join(yaml_scalar(item) for item in value) + "]"
    return _text_scalar(str(value))


@functools.lru_cache(maxsize=65_536)
def _text_scalar(text: str) -> str:
    # Asking the parser is the sure test, and slow enough to remember: the site writes the same ids thousands of times.
    try:
        plain = text == text.strip() and parse(f"k: {{v: {text}}}\n".encode())["k"] == {"v": text}
    except (YamlError, TypeError, KeyError):
        plain = False
    return text if plain else json.dumps(text, ensure_ascii=False)


def flow_mapping(fields: dict[str, Any]) -> str:
    """A flow mapping on one line, `{course: x, date: 2026-11-23}`, leaving out empty fields."""
    return "{" + ", ".join(f"{key}: {yaml_scalar(value)}" for key, value in fields.items() if value is not None) + "}"


def document(kind: str, path: str, fields: dict[str, Any]) -> str:
    """The start of a new data file of `kind` at `path`: the schema comment, then `fields` one per line."""
    lines = [schema_comment(kind, path)]
    lines += [f"{key}: {yaml_scalar(value)}" for key, value in fields.items() if value is not None]
    return "\n".join(lines) + "\n"


def append_to_list(text: str, key: str, item: str) -> str:
    """`text` with `item` (one line of flow-style YAML) added at the end of the top-level list `key`.

    Everything else stays byte for byte: in a block list the item becomes a new line after the
    last item, with the same indent; in a flow list (`[a, b]`) it goes before the `]`; an empty
    or missing key gets a block list.
    """
    root = compose(text)
    if root is None:
        return _after_line(text, len(text), f"{key}:\n  - {item}\n")
    if not isinstance(root, yaml.MappingNode):
        raise YamlError("expected a mapping of keys", (1, 1))
    value = next((v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)
    if value is None:
        return _after_line(text, len(text), f"{key}:\n  - {item}\n")
    if isinstance(value, yaml.ScalarNode):
        if value.tag != "tag:yaml.org,2002:null":
            raise YamlError(f"'{key}' is not a list", (value.start_mark.line + 1, value.start_mark.column + 1))
        return _after_line(text, value.end_mark.index, f"  - {item}\n")
    if not isinstance(value, yaml.SequenceNode):
        raise YamlError(f"'{key}' is not a list", (value.start_mark.line + 1, value.start_mark.column + 1))
    if value.flow_style:
        close = value.end_mark.index - 1  # the `]`
        return text[:close] + (", " if value.value else "") + item + text[close:]
    first = value.value[0].start_mark
    line_start = text.rfind("\n", 0, first.index) + 1
    indent = text.rfind("-", line_start, first.index) - line_start
    return _after_line(text, node_end(value.value[-1]), " " * indent + f"- {item}\n")


def node_end(node: yaml.Node) -> int:
    """Where the text of a node ends: a block collection ends with its last child."""
    if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
        return node_end(node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
        return node_end(node.value[-1])
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        return node.end_mark.index - 1  # a block scalar ends at the start of the line after it
    return node.end_mark.index


def _after_line(text: str, index: int, insert: str) -> str:
    """`insert` (whole lines) placed after the line that holds `index`."""
    end = text.find("\n", index)
    if end == -1:
        return text + ("\n" if text and not text.endswith("\n") else "") + insert
    return text[:end + 1] + insert + text[end + 1:]
