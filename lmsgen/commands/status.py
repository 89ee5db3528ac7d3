"""`lmsgen status`: every person's status for every assigned or requested course, as of a date."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from datetime import date

from ..messages import CATALOGS, DEFAULT_LANGUAGE, Catalog
from ..model.diagnostics import Diagnostic
from ..model.organisation import Organisation
from ..rules.engine import STATUS_ORDER, StatusRow, status_json
from ..rules.program_status import status_table
from . import _language, reporting
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
    text = _language.of_org(validated.organisation)
    print(f"lmsgen {command}: {text('cli.refused.errors', problems=_language.summary(text, errors))}",
          file=sys.stderr)
    return None


def unknown(command: str, what: str, value: str, known: list[str], text: Catalog | None = None) -> int:
    import difflib

    text = text or Catalog(DEFAULT_LANGUAGE)
    close = difflib.get_close_matches(value, known, n=1)
    hint = text("cli.unknown.hint", close=close[0]) if close else ""
    noun = text(f"cli.what.{what}") if f"cli.what.{what}" in CATALOGS[text.language] else what
    print(f"lmsgen {command}: {text('cli.unknown', what=noun, value=value)}{hint}", file=sys.stderr)
    return EXIT_USAGE


def run(args: argparse.Namespace) -> int:
    org = load_valid(args, "status")
    if org is None:
        return EXIT_DATA
    text = _language.of_org(org)
    if args.person is not None and args.person not in org.members:
        return unknown("status", "person", args.person, list(org.members), text)
    if args.team is not None and args.team not in org.teams:
        return unknown("status", "team", args.team, list(org.teams), text)
    as_of = args.as_of or date.today()
    if args.skills:
        return write_skills(org, as_of, args.person, args.team, args.format)
    rows = status_table(org, as_of, person=args.person, team=args.team)
    if args.format == "json":
        status_json(rows, sys.stdout)
    elif args.format == "csv":
        sys.stdout.write(status_csv(rows))
    else:
        sys.stdout.write(render_table(rows, as_of, text))
    return EXIT_OK


def _iso(day: date | None) -> str:
    return day.isoformat() if day else "-"


_COLUMNS = ("person", "course", "status", "due", "completed", "expires", "source")


def render_table(rows: list[StatusRow], as_of: date, text: Catalog | None = None) -> str:
    """Aligned columns sorted by person, then due date (none last), then course; a summary line at the end; the
    headers and status words in the catalog's language."""
    text = text or Catalog(DEFAULT_LANGUAGE)
    word = {s: text(f"status.word.{s.value}") for s in STATUS_ORDER}
    ordered = sorted(rows, key=lambda r: (r.person, r.due is None, r.due or date.min, r.course))
    header = tuple(text(f"status.header.{column}") for column in _COLUMNS)
    cells = [header] + [(r.person, r.course, word[r.status], _iso(r.due), _iso(r.completed_on),
                         _iso(r.expires_on), r.source) for r in ordered]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in cells]
    if not rows:
        lines = [text("status.empty", date=as_of.isoformat())]
    counts = Counter(r.status for r in rows)
    people = len({r.person for r in rows})
    summary = ", ".join(f"{counts.get(s, 0)} {word[s]}" for s in STATUS_ORDER)
    lines.append("")
    lines.append(text("status.summary", rows=_language.counted(text, "status.rows", len(rows)),
                      people=_language.counted(text, "status.people", people), date=as_of.isoformat(),
                      counts=summary))
    return "\n".join(lines) + "\n"
