"""`lmsgen policy [--format text|json]`: the "who approves what" table."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from ..rules.policy import Policy, PolicyRow, RoleSummary, inputs_broken, load_inputs
from . import reporting
from ._common import EXIT_DATA, EXIT_OK, root_of

_PEOPLE_SHOWN = 8
"""Names per row in the text table; a derived role can hold hundreds of people (JSON lists them all)."""


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("policy", help="print who approves what: path kinds, permissions, roles and people")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    result = load_inputs(root_of(args))
    if inputs_broken(result.organisation):
        sys.stdout.write(reporting.render(result.diagnostics, "text"))
        return EXIT_DATA
    rows = Policy(result.organisation).table()
    if args.format == "json":
        print(json.dumps([dataclasses.asdict(row) for row in rows], indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(_text(rows))
    return EXIT_OK


def _role(role: RoleSummary) -> str:
    detail = "derived" if role.derived else ", ".join(role.scope)
    return f"{role.id} ({detail})" if detail else role.id


def _people(row: PolicyRow) -> str:
    people = list(row.people[:_PEOPLE_SHOWN])
    if len(row.people) > _PEOPLE_SHOWN:
        people.append(f"and {len(row.people) - _PEOPLE_SHOWN} more")
    teams = [role.git_team for role in row.roles if role.git_team]
    return ", ".join(people + teams) or "nobody"


def _text(rows: list[PolicyRow]) -> str:
    table = [("PATH", "PERMISSION", "ROLES", "PEOPLE")]
    table += [(row.path, row.permission, ", ".join(map(_role, row.roles)) or "none", _people(row)) for row in rows]
    widths = [max(len(cells[i]) for cells in table) for i in range(3)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(cells, widths)) + "  " + cells[3] for cells in table]
    lines.append("")
    lines += [f"{row.path}: approved by {row.approvers}" for row in rows]
    return "\n".join(lines) + "\n"
