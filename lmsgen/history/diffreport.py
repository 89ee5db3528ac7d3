"""What a reviewer reads about a change: who becomes assigned or unassigned, whose due dates or
statuses change, whose approval it needs, and the money it commits; a withdrawal it adds, with who
takes the seat it frees.

The status rows of the engine for the organisation before (at the merge base) and after the
change are compared on one as-of date. Approvals come from the policy of the base, since the
git host applies the target branch's CODEOWNERS: one approval from the owners of each changed path.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from ..model import formats as m
from ..model.organisation import Organisation
from ..rules import policy, slips
from ..rules.engine import Engine, Status, StatusRow
from ..rules.money import format_money
from ..rules.program_status import with_programs
from ..rules.withdrawals import added_withdrawals

MARKDOWN_ROWS = 50
"""Rows shown per table in Markdown: a pull-request comment has a size limit, a reviewer a patience one."""


@dataclass(frozen=True)
class Approval:
    """Changed paths that the same code owners approve: one approval from any of `owners` (handles)."""

    owners: tuple[str, ...]
    paths: tuple[str, ...]


@dataclass(frozen=True)
class Commitment:
    """Money a new request commits: the amount its cost slip approves."""

    person: str
    course: str
    path: str
    amount: m.Money


@dataclass(frozen=True)
class Withdrawn:
    """A withdrawal the change adds: whose request, of what, why, and who is enrolled in the seat it frees."""

    person: str
    course: str
    session: str | None
    reason: str
    path: str
    seat_to: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    """The whole review summary of one change."""

    as_of: date
    assigned: list[StatusRow]
    unassigned: list[StatusRow]
    changed: list[tuple[StatusRow, StatusRow]]
    approvals: list[Approval]
    money: list[Commitment]
    withdrawals: tuple[Withdrawn, ...] = ()
    released: list[Commitment] = field(default_factory=list)
    """The cost of each request the change withdraws: it is no longer committed against the budgets."""

    def totals(self, items: list[Commitment] | None = None) -> dict[str, float]:
        """The money per currency of `items`: by default, what the change commits."""
        found: dict[str, float] = defaultdict(float)
        for item in self.money if items is None else items:
            found[item.amount.currency] += item.amount.amount
        return dict(sorted(found.items()))


def report(base: Organisation, head: Organisation, changed_paths: list[str], as_of: date) -> Report:
    """Compares two valid organisations as of `as_of`; `changed_paths` are the files the change touches."""
    before = {(r.person, r.course): r for r in _rows(base, as_of)}
    after = {(r.person, r.course): r for r in _rows(head, as_of)}
    assigned = [after[key] for key in sorted(after.keys() - before.keys())]
    unassigned = [before[key] for key in sorted(before.keys() - after.keys())]
    changed = [(before[key], after[key]) for key in sorted(before.keys() & after.keys())
               if (before[key].status, before[key].due, before[key].attempts_used_up)
               != (after[key].status, after[key].due, after[key].attempts_used_up)]
    return Report(as_of, assigned, unassigned, changed, _approvals(base, changed_paths), _money(base, head),
                  _withdrawals(base, head, changed), _released(base, head))


def _released(base: Organisation, head: Organisation) -> list[Commitment]:
    """The cost of each request whose withdrawal the change adds (as the budgets counted it before)."""
    found = []
    for entry, request in added_withdrawals(base, head):
        amount = slips.required_slips(head, request.model).get(m.SlipKind.COST)
        if amount is not None:
            found.append(Commitment(request.model.person, request.model.course, entry.source.path, amount))
    return found


def _withdrawals(base: Organisation, head: Organisation,
                 changed: list[tuple[StatusRow, StatusRow]]) -> tuple[Withdrawn, ...]:
    """The withdrawals the change adds; the seat of one goes to those whose row of its course goes from
    waitlisted to enrolled."""
    promoted: dict[str, list[str]] = defaultdict(list)
    for a, b in changed:
        if a.status is Status.WAITLISTED and b.status is Status.ENROLLED:
            promoted[a.course].append(a.person)
    return tuple(Withdrawn(request.model.person, request.model.course, request.model.session,
                           " ".join(entry.model.reason.split()), entry.source.path,
                           tuple(promoted.get(request.model.course, ()) if request.model.session else ()))
                 for entry, request in added_withdrawals(base, head))


def _rows(org: Organisation, as_of: date) -> list[StatusRow]:
    """The courses' rows and the learning paths' (`program:<id>`): a change to a rule or a program that assigns a
    path names who gains or loses it."""
    engine = Engine(org, as_of)
    return with_programs(engine, engine.rows())


def _approvals(base: Organisation, paths: list[str]) -> list[Approval]:
    owners_of = policy.Policy(base)
    grouped: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for path in paths:
        grouped[tuple(owners_of.handles(owners_of.owners_of(path).owners))].append(path)
    return [Approval(owners, tuple(found)) for owners, found in sorted(grouped.items(), key=lambda i: (not i[0], i))]


def _money(base: Organisation, head: Organisation) -> list[Commitment]:
    known = {(entry.ids["person"], entry.id) for entry in base.requests}
    found = []
    for entry in head.requests:
        if (entry.ids["person"], entry.id) in known:
            continue
        amount = slips.required_slips(head, entry.model).get(m.SlipKind.COST)
        if amount is not None:
            found.append(Commitment(entry.model.person, entry.model.course, entry.source.path, amount))
    return found


# --- rendering ------------------------------------------------------------------------------


def _state(row: StatusRow) -> str:
    """`due 2027-01-31`, `overdue, was due 2026-11-30`, `done, due again 2027-03-02`, `exempt`, ..."""
    state = _plain_state(row)
    return state + ", attempts used up" if row.attempts_used_up else state


def _plain_state(row: StatusRow) -> str:
    status, due = row.status, row.due.isoformat() if row.due else None
    if due is None:
        return f"{status.value}, no due date" if status in (Status.DUE, Status.OVERDUE) else status.value
    if status is Status.DUE:
        return f"due {due}"
    if status is Status.OVERDUE:
        return f"overdue, was due {due}"
    label = {Status.DONE: "due again", Status.EXPIRING: "due again", Status.ENROLLED: "session on",
             Status.WAITLISTED: "session on"}.get(status)
    return f"{status.value}, {label} {due}" if label else status.value


def _sections(r: Report) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, header, rows) of each table, shared by both formats."""
    return [
        (f"Newly assigned ({len(r.assigned)})", ["person", "course", "status", "source"],
         [[x.person, x.course, _state(x), x.source] for x in r.assigned]),
        (f"No longer assigned ({len(r.unassigned)})", ["person", "course", "was", "source"],
         [[x.person, x.course, _state(x), x.source] for x in r.unassigned]),
        (f"Due date or status changes ({len(r.changed)})", ["person", "course", "before", "after"],
         [[a.person, a.course, _state(a), _state(b) + ("" if b.source == a.source else f" via {b.source}")]
          for a, b in r.changed]),
        (f"Withdrawals ({len(r.withdrawals)})", ["person", "course", "reason", "seat goes to"],
         [[w.person, w.course + (f" ({w.session})" if w.session else ""), w.reason,
           ", ".join(w.seat_to) or ("no one moves up" if w.session else "no session")] for w in r.withdrawals]),
    ]


def render_text(r: Report) -> str:
    """The report for a terminal."""
    out = [f"Statuses as of {r.as_of.isoformat()}."]
    for title, header, rows in _sections(r):
        if rows:
            widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
            out += ["", title + ":"]
            out += ["  " + "  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in [header, *rows]]
    if not any(rows for _, _, rows in _sections(r)):
        out.append("Nobody becomes assigned or unassigned, and no due date or status changes.")
    out += ["", "Approvals needed (one from each line):"]
    for approval in r.approvals:
        who = " or ".join(approval.owners) if approval.owners else "nobody owns these paths"
        out.append(f"  {who}: {', '.join(approval.paths)}")
    if not r.approvals:
        out.append("  none: the change touches no file")
    out += ["", _money_line(r)]
    out += [f"  {c.person}: {c.course}, {format_money(c.amount.amount, c.amount.currency)} ({c.path})" for c in r.money]
    if r.released:
        out += [_money_line(r, released=True)]
        out += [f"  {c.person}: {c.course}, {format_money(c.amount.amount, c.amount.currency)} ({c.path})"
                for c in r.released]
    return "\n".join(out) + "\n"


def _money_line(r: Report, *, released: bool = False) -> str:
    what = "Money released by withdrawals" if released else "Money committed"
    totals = r.totals(r.released if released else None)
    if not totals:
        return f"{what}: none."
    return f"{what}: " + ", ".join(format_money(value, currency) for currency, value in totals.items()) + "."


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")


def render_markdown(r: Report) -> str:
    """The report as a pull-request comment (GitHub and GitLab Markdown)."""
    out = ["### What this change does", "", f"Statuses as of {r.as_of.isoformat()}."]
    for title, header, rows in _sections(r):
        if not rows:
            continue
        out += ["", f"**{title}**", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows[:MARKDOWN_ROWS]]
        if len(rows) > MARKDOWN_ROWS:
            out.append(f"\n…and {len(rows) - MARKDOWN_ROWS} more (run `lmsgen diff` for all).")
    if not any(rows for _, _, rows in _sections(r)):
        out += ["", "Nobody becomes assigned or unassigned, and no due date or status changes."]
    out += ["", "**Approvals needed** (one from each line)", ""]
    for approval in r.approvals:
        who = " or ".join(approval.owners) if approval.owners else "nobody owns these paths"
        out.append(f"- {_cell(who)}: " + ", ".join(f"`{_cell(p)}`" for p in approval.paths))
    if not r.approvals:
        out.append("- none: the change touches no file")
    out += ["", f"**{_money_line(r)}**"]
    if r.money:
        out.append("")
        out += [f"- {_cell(c.person)}: {_cell(c.course)}, {format_money(c.amount.amount, c.amount.currency)} "
                f"(`{_cell(c.path)}`)" for c in r.money]
    if r.released:
        out += ["", f"**{_money_line(r, released=True)}**", ""]
        out += [f"- {_cell(c.person)}: {_cell(c.course)}, {format_money(c.amount.amount, c.amount.currency)} "
                f"(`{_cell(c.path)}`)" for c in r.released]
    return "\n".join(out) + "\n"
