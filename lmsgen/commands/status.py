"""`lmsgen status`: every person's status for every assigned or requested course, as of a date."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from datetime import date

from ..model.diagnostics import Diagnostic
from ..model.organisation import Organisation
from ..rules.engine import STATUS_ORDER, StatusRow, status_json
from ..rules.program_status import status_table
from . import reporting
from ._common import EXIT_DATA, EXIT_OK, EXIT_USAGE, add_no_cache
from ._revision import add_at, validated_for
from ._skills import status_csv, write_skills


def as_of_date(text: str) -> date:
    """argparse type for `--as-of`: an ISO date (YYYY-MM-DD)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date: use YYYY-MM-DD, e.g. 2026-11-23") from None


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("status", help="the status table: one row per person and course")
    parser.add_argument("--person", metavar="ID", help="only this person")
    parser.add_argument("--team", metavar="ID", help="only this team and the teams below it")
    parser.add_argument("--as-of", type=as_of_date, default=None, metavar="DATE",
                        help="the date to compute the status for (default: today)")
    parser.add_argument("--format", choices=("text", "json", "csv"), default="text",
                        help="output format (default: text)")
    parser.add_argument("--skills", action="store_true",
                        help="each person's skill levels and the gaps against their profile, instead of the table")
    add_no_cache(parser)
    add_at(parser)
    parser.set_defaults(run=run)


def load_valid(args: argparse.Namespace, command: str) -> Organisation | None:
    """The validated organisation (of the commit `--at` names, if any), or None after printing its
    errors to stderr (exit 1)."""
    validated = validated_for(args)
    if validated.ok:
        return validated.organisation
    errors: list[Diagnostic] = [d for d in validated.diagnostics if d.is_error]
    sys.stderr.write(reporting.render(errors, "text"))
    print(f"lmsgen {command}: the organisation has errors ({reporting.summary(errors)}); "
          "fix them first (see lmsgen check)", file=sys.stderr)
    return None


def unknown(command: str, what: str, value: str, known: list[str]) -> int:
    import difflib

    close = difflib.get_close_matches(value, known, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    print(f"lmsgen {command}: unknown {what} '{value}'{hint}", file=sys.stderr)
    return EXIT_USAGE


def run(args: argparse.Namespace) -> int:
    org = load_valid(args, "status")
    if org is None:
        return EXIT_DATA
    if args.person is not None and args.person not in org.members:
        return unknown("status", "person", args.person, list(org.members))
    if args.team is not None and args.team not in org.teams:
        return unknown("status", "team", args.team, list(org.teams))
    as_of = args.as_of or date.today()
    if args.skills:
        return write_skills(org, as_of, args.person, args.team, args.format)
    rows = status_table(org, as_of, person=args.person, team=args.team)
    if args.format == "json":
        sys.stdout.write(status_json(rows))
    elif args.format == "csv":
        sys.stdout.write(status_csv(rows))
    else:
        sys.stdout.write(render_table(rows, as_of))
    return EXIT_OK


def _iso(day: date | None) -> str:
    return day.isoformat() if day else "-"


def render_table(rows: list[StatusRow], as_of: date) -> str:
    """Aligned columns sorted by person, then due date (none last), then course; a summary line at the end."""
    ordered = sorted(rows, key=lambda r: (r.person, r.due is None, r.due or date.min, r.course))
    header = ("PERSON", "COURSE", "STATUS", "DUE", "COMPLETED", "EXPIRES", "SOURCE")
    cells = [header] + [(r.person, r.course, r.status.value, _iso(r.due), _iso(r.completed_on),
                         _iso(r.expires_on), r.source) for r in ordered]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in cells]
    if not rows:
        lines = [f"no assigned or requested courses as of {as_of.isoformat()}"]
    counts = Counter(r.status for r in rows)
    people = len({r.person for r in rows})
    summary = ", ".join(f"{counts.get(s, 0)} {s.value}" for s in STATUS_ORDER)
    lines.append("")
    lines.append(f"{len(rows)} row{'s' * (len(rows) != 1)} for {people} {'person' if people == 1 else 'people'} "
                 f"as of {as_of.isoformat()}: {summary}")
    return "\n".join(lines) + "\n"
