"""`lmsgen audit PERSON`: each of a person's records and requests with the commit that added it."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from ..model.formats import is_slug
from ._common import EXIT_OK, EXIT_USAGE, root_of

if TYPE_CHECKING:
    from ..history.audit import AuditEntry


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("audit", help="who added each of a person's records and requests, and when "
                                               "(from the git history)")
    parser.add_argument("person", metavar="PERSON", help="a person id")
    parser.add_argument("--at", metavar="REV", default="HEAD", help="the history up to this commit (default: HEAD)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not is_slug(args.person):
        print(f"lmsgen audit: '{args.person}' is not a person id: use lowercase letters, digits and hyphens",
              file=sys.stderr)
        return EXIT_USAGE
    from ..history.audit import audit  # GitPython is slow to import, so only the commands that use git do
    from ..history.repository import Repository

    with Repository(root_of(args)) as repo:
        entries = audit(repo, args.person, args.at)
    if args.format == "json":
        sys.stdout.write(json.dumps([e.as_json() for e in entries], indent=2, ensure_ascii=False) + "\n")
    elif not entries:
        print(f"no records or requests of '{args.person}' in the history of {args.at}")
    else:
        sys.stdout.write(render(entries))
    return EXIT_OK


def _what(entry: AuditEntry) -> str:
    item = entry.item
    if entry.kind == "record":
        extra = "".join(f", {key} {item[key]}" for key in ("score",) if item.get(key) is not None)
        return (f"record {entry.index + 1}: {item.get('course')} on {item.get('date')} by {item.get('by')}{extra} "
                f"({entry.path})")
    if entry.kind == "withdrawal":
        return f"withdrawal: {item.get('reason')}" + (f", dated {item['date']}" if item.get("date") else "") + \
            f" ({entry.path})"
    session = f", session {item['session']}" if item.get("session") else ""
    return f"request: {item.get('course')}{session}, dated {item.get('date')} ({entry.path})"


def render(entries: list[AuditEntry]) -> str:
    """Each entry with its commit (and merge), oldest first within each file."""
    out = []
    for entry in entries:
        c = entry.commit
        out.append(_what(entry))
        out.append(f"  added in {c.sha[:12]} by {c.author} <{c.email}> on {c.date}")
        if entry.merge:
            mc = entry.merge
            out.append(f"  merged in {mc.sha[:12]} by {mc.author} <{mc.email}> on {mc.date}")
    records = sum(e.kind == "record" for e in entries)
    withdrawals = sum(e.kind == "withdrawal" for e in entries)
    requests = len(entries) - records - withdrawals
    out.append(f"{records} record{'s' * (records != 1)} and {requests} request{'s' * (requests != 1)}"
               + (f", {withdrawals} withdrawn" if withdrawals else ""))
    return "\n".join(out) + "\n"
