"""Completions in from e-learning: a CSV export or xAPI statements, mapped onto the organisation and written as
one batch file (`completions/<source>/<batch>.yaml`) on a new branch, the way the helpers write changes.

Mapping, decided once for every source:
- a person is found by e-mail (the CSV's `email`, an xAPI actor's `mbox`), by id (the CSV's `person`), or by an
  xAPI `account.name`, which is matched against people's `git` logins first, then their ids;
- a course by id (CSV) or by its catalog `xapi` activity id (xAPI);
- `completed` and `passed` make completions; `failed` makes a failed attempt (`passed: false`, with its score),
  which the status engine does not count as a completion; so does a score below the course's `pass_mark`
  (docs/assessments.md).
A row that cannot be mapped is an input error in a CSV (the file was made for lmsgen); a statement that cannot be
mapped is skipped and listed with its reason (an LRS holds much else).

Idempotent: an id the source gave is imported once. Batches are append-only, so the tree at HEAD holds every id
ever imported: one already in a batch of the same source is skipped, and a run that finds nothing new writes
nothing and makes no branch. So is an id in the batch of an import branch not merged yet (a local or
remote-tracking `lmsgen/import-completions-<source>-*`): a daily job does not import again what waits for review.

May import: `lmsgen.history`, `lmsgen.rules`, `lmsgen.model`. Must not import: demo, site or commands.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from ..history.additions import Change, problems
from ..history.helpers import InvalidChange, Proposal, Workspace, document, flow_mapping
from ..model import formats as m
from ..model.diagnostics import Diagnostic, error
from ..model.organisation import Organisation
from ..model.yamlfile import YamlError, parse
from ..rules.assessments import judge
from ..rules.completions_check import check_completions
from ..rules.references import Checker
from .xapi import Reported, Skipped, Statement, completion_statement, interpret, statement_id

CSV_COLUMNS = ("person", "email", "course", "date", "score", "id")


@dataclass(frozen=True)
class Completion:
    """One completion to import, as a batch entry holds it."""

    person: str
    course: str
    on: date
    id: str
    score: float | None = None
    passed: bool = True

    def line(self) -> str:
        return flow_mapping({"person": self.person, "course": self.course, "date": self.on, "score": self.score,
                             "id": self.id, "passed": None if self.passed else False})


@dataclass
class Import:
    """What a source brought: the new completions, what was skipped and why, and how many were already in."""

    source: str
    new: list[Completion] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    already: int = 0
    pending: int = 0
    """Ids waiting in an import branch that is not merged yet."""
    problems: list[Diagnostic] = field(default_factory=list)
    """Input errors (a CSV row that does not map, a file that is not JSON): nothing is written while there are any."""

    def summary(self) -> str:
        """In words, for the command's output and the commit message."""
        failed = sum(not c.passed for c in self.new)
        out = [f"{len(self.new)} new completion{'s' * (len(self.new) != 1)} from {self.source}"
               + (f" ({failed} failed attempt{'s' * (failed != 1)})" if failed else "")
               + f", {self.already} already imported"
               + (f", {self.pending} waiting in an unmerged import branch" if self.pending else "")
               + f", {len(self.skipped)} skipped"]
        out += [f"  skipped: {reason}" for reason in self.skipped]
        return "\n".join(out) + "\n"


class _People:
    """The organisation's people by e-mail, git login and id: what a source names them by."""

    def __init__(self, org: Organisation):
        self.ids = set(org.members)
        self.emails = {member.person.email.lower(): person for person, member in org.members.items()
                       if member.person.email}
        self.logins = {member.person.git.lower(): person for person, member in org.members.items()
                       if member.person.git}

    def by_email(self, email: str) -> str | None:
        return self.emails.get(email.strip().lower())

    def by_account(self, name: str) -> str | None:
        return self.logins.get(name.lower()) or (name if name in self.ids else None)


class _Importer:
    """Builds one `Import` of `source` against the organisation at HEAD, on `today`."""

    def __init__(self, org: Organisation, source: str, today: date, pending: frozenset[str]):
        self.org, self.today = org, today
        self.people = _People(org)
        self.result = Import(source)
        self.seen = {record.id for entry in org.completions if entry.model.source == source
                     for record in entry.model.records}
        self.pending = pending - self.seen
        self.activities = {entry.model.xapi: course for course, entry in org.courses.items() if entry.model.xapi}

    def why_not(self, person: str, course: str, on: date) -> str | None:
        """Why a completion cannot be imported, though it names a known person and course; None when it can."""
        if m.Completer.IMPORT not in self.org.courses[course].model.completion.by:
            return f"course '{course}' does not accept imported completions (its completion.by has no 'import')"
        if on > self.today:
            return f"dated {on.isoformat()}, after today ({self.today.isoformat()})"
        member = self.org.members[person]
        if not member.person.is_current(on):
            return f"'{person}' left on {member.person.left}, before {on.isoformat()}"
        return None

    def add(self, completion: Completion) -> None:
        if completion.id in self.seen:
            self.result.already += 1
            return
        if completion.id in self.pending:
            self.result.pending += 1
            return
        self.seen.add(completion.id)
        course = self.org.courses.get(completion.course)
        if completion.passed and course is not None and not judge(course.model, completion.score).counts:
            completion = replace(completion, passed=False)  # below the pass mark: a failed attempt
        self.result.new.append(completion)

    def statement(self, reported: Reported | Skipped) -> None:
        if isinstance(reported, Reported) and m.source_id_problem(reported.id):
            reported = Skipped(reported.statement, m.source_id_problem(reported.id) or "")
        if isinstance(reported, Skipped):
            self.result.skipped.append(reported.describe())
            return
        person = (self.people.by_email(reported.mbox) if reported.mbox else None) or \
            (self.people.by_account(reported.account) if reported.account else None)
        course = self.activities.get(reported.activity)
        reason = ("no person has the actor's e-mail or account" if person is None
                  else f"no course has the xapi activity id {reported.activity}" if course is None
                  else self.why_not(person, course, reported.on))
        if reason:
            self.result.skipped.append(Skipped(reported.statement, reason).describe())
            return
        assert person is not None and course is not None
        self.add(Completion(person, course, reported.on, reported.id, reported.score, reported.passed))


def from_statements(org: Organisation, source: str, statements: Iterable[Statement], *, today: date,
                    pending: frozenset[str] = frozenset()) -> Import:
    """The completions that xAPI statements report, mapped onto the organisation; ids in `pending` wait in an
    unmerged branch."""
    importer = _Importer(org, source, today, pending)
    for statement in statements:
        importer.statement(interpret(statement))
    return importer.result


def from_csv(org: Organisation, source: str, path: str, raw: bytes, *, today: date,
             pending: frozenset[str] = frozenset()) -> Import:
    """The completions of a CSV export (columns person or email, course, date, score, id); ids in `pending` wait
    in an unmerged branch."""
    importer = _Importer(org, source, today, pending)
    problems = importer.result.problems
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        problems.append(error(path, (1, 1), f"not UTF-8 text (byte {problem.start + 1})"))
        return importer.result
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as problem:
        problems.append(error(path, (1, 1), f"not CSV: {problem}"))
        return importer.result
    if not rows:
        problems.append(error(path, (1, 1), "the file is empty: expected a header row"))
        return importer.result
    header = [name.strip().lower() for name in rows[0]]
    missing = [name for name in ("course", "date", "id") if name not in header]
    if "person" not in header and "email" not in header:
        missing.insert(0, "person (or email)")
    if missing:
        problems.append(error(path, (1, 1), f"missing column{'s' * (len(missing) != 1)}: {', '.join(missing)}"))
        return importer.result
    for number, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header)}
        completion, problem = _row(importer, cells)
        if problem:
            problems.append(error(path, (number, 1), problem))
        elif completion is not None:
            importer.add(completion)
    return importer.result


def _row(importer: _Importer, cells: dict[str, str]) -> tuple[Completion | None, str | None]:
    """One CSV row's completion, or what is wrong with it."""
    org = importer.org
    person = cells.get("person") or None
    if person is None and cells.get("email"):
        person = importer.people.by_email(cells["email"])
        if person is None:
            return None, f"no person has the e-mail '{cells['email']}'"
    if person is None:
        return None, "no person: give 'person' or 'email'"
    if person not in org.members:
        return None, f"unknown person '{person}': no team file lists this person"
    course = cells.get("course", "")
    if course not in org.courses:
        return None, f"unknown course '{course}': there is no catalog/{course}.yaml"
    on = _day(cells.get("date", ""))
    if on is None:
        return None, f"'{cells.get('date', '')}' is not a date: write it as YYYY-MM-DD"
    score = None
    if cells.get("score"):
        try:
            score = float(cells["score"])
        except ValueError:
            score = -1.0
        if not 0 <= score <= 100:
            return None, f"score '{cells['score']}' is not a number from 0 to 100"
    if not cells.get("id"):
        return None, "no 'id': each row needs the source's own id, so that it is imported once"
    if m.source_id_problem(cells["id"]):
        return None, f"{m.source_id_problem(cells['id'])}"
    reason = importer.why_not(person, course, on)
    if reason:
        return None, reason
    return Completion(person, course, on, cells["id"], score), None


def _day(text: str) -> date | None:
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


# --- the batch ---------------------------------------------------------------------------------


BRANCH_PREFIX = "lmsgen/import-completions-"


def pending_ids(ws: Workspace, source: str) -> frozenset[str]:
    """The ids in the batches of `source` that import branches (local or remote-tracking) add to HEAD: waiting for
    review, so not to be imported again."""
    name = f"{BRANCH_PREFIX}{source}-*"
    at_head = {entry.sha for entry in ws.repo.tree(ws.head, [f"completions/{source}"])}
    found: set[str] = set()
    for tip in ws.repo.branch_tips(f"refs/heads/{name}", f"refs/remotes/*/{name}"):
        for entry in ws.repo.tree(tip, [f"completions/{source}"]):
            if entry.sha in at_head or not entry.path.endswith(".yaml") or entry.path.endswith(".admin.yaml"):
                continue
            try:
                data = parse(ws.repo.read(entry.sha))
            except YamlError:
                continue
            records = data.get("records") if isinstance(data, dict) else None
            found.update(r["id"] for r in (records if isinstance(records, list) else [])
                         if isinstance(r, dict) and isinstance(r.get("id"), str))
    return frozenset(found)


def check_batch(ws: Workspace, files: dict[str, str]) -> None:
    """`Workspace.check` for a new batch, without checking the rest of the organisation again (the most of its
    time at 10,000 people): no check reads a batch but the batches' own and the additions', so only those can
    find something new. Raises InvalidChange with what they find that HEAD does not have."""
    overlay = {path: text.encode("utf-8") for path, text in files.items()}
    after = ws.repo.load_at(ws.head, ws.memo, overlay)
    before = {*ws.base.diagnostics, *_batch_problems(ws.org)}
    new = {d for d in [*after.diagnostics, *_batch_problems(after.organisation)] if d.is_error and d not in before}
    new.update(problems(Change(ws.org, after.organisation, "HEAD", ws.today)))
    if new:
        raise InvalidChange(sorted(new))


def _batch_problems(org: Organisation) -> list[Diagnostic]:
    checker = Checker(org)
    check_completions(checker)
    return checker.found


def batch(ws: Workspace, imported: Import) -> Proposal | None:
    """The batch file of what `imported` brings that is new, on a branch of its own; None when nothing is new."""
    if not imported.new:
        return None
    folder = f"completions/{imported.source}"
    taken = {entry.id for entry in ws.org.completions if entry.ids["source"] == imported.source}
    name, number = ws.today.isoformat(), 1
    while name in taken or ws.text(f"{folder}/{name}.yaml") is not None:
        number += 1
        name = f"{ws.today.isoformat()}-{number}"
    path = f"{folder}/{name}.yaml"
    text = document("completions", path, {"source": imported.source}) + "records:\n" + \
        "".join(f"  - {completion.line()}\n" for completion in imported.new)
    return Proposal({path: text}, f"Import {len(imported.new)} completions from {imported.source}",
                    imported.summary(), f"{BRANCH_PREFIX}{imported.source}-{name}")


# --- statements out ------------------------------------------------------------------------------


def export_statements(org: Organisation) -> list[dict]:
    """A `completed` statement for every record, in file order. Imported completions are left out: they came
    from a source, which has them already.

    The actor is the person's e-mail (`mbox`), else an account named by their id on the organisation's repository;
    the activity is the course's `xapi` id, else the course's address in the repository. Each statement's id is
    derived from its record, so exporting again gives the same statements."""
    repo = org.org.model.git.repo.removesuffix("/") if org.org else "urn:lmsgen"
    statements = []
    for entry in org.records:
        person = entry.model.person
        member = org.members.get(person)
        email = member.person.email if member else None
        actor = {"objectType": "Agent", **({"mbox": f"mailto:{email}"} if email else
                                           {"account": {"homePage": repo, "name": person}})}
        for record in entry.model.records:
            course = org.courses.get(record.course)
            if course is None:
                continue
            activity = course.model.xapi or f"{repo}/catalog/{record.course}"
            statements.append(completion_statement(statement_id(person, record.course, record.date, record.by), actor,
                                                   activity, course.model.title, record.date, record.score))
    return statements
