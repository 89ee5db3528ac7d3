"""`lmsgen retention [--as-of DATE] [--format text|json]`: the leavers whose records retention no longer allows
keeping, the files that hold them, and the command that erases them."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from ..rules.retention import Expired, expired, retention_years
from ._common import EXIT_DATA, EXIT_OK, add_no_cache
from ._revision import add_at
from .status import as_of_date, load_valid


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("retention", help="list the leavers kept longer than org.yaml's retention_years, "
                                                   "and what erasing them removes")
    parser.add_argument("--as-of", type=as_of_date, default=None, metavar="DATE",
                        help="the date to judge retention on (default: today)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    add_no_cache(parser)
    add_at(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    org = load_valid(args, "retention")
    if org is None:
        return EXIT_DATA
    as_of = args.as_of or date.today()
    found = expired(org, as_of)
    if args.format == "json":
        sys.stdout.write(json.dumps([item.as_plain() for item in found], indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render(found, as_of, retention_years(org)))
    return EXIT_OK


def render(found: list[Expired], as_of: date, years: int) -> str:
    """Each expired leaver with their files and the next step; a summary line at the end."""
    kept = f"retention: {years} year{'s' * (years != 1)} after leaving, org.yaml's retention_years"
    if not found:
        return f"nobody's records are kept beyond retention as of {as_of.isoformat()} ({kept})\n"
    out = []
    for item in found:
        out.append(f"{item.person} ({item.name}, team {item.team}) left on {item.left.isoformat()}; "
                   f"kept until {item.keep_until.isoformat()}")
        for label, paths in (("records", item.records), ("requests", item.requests),
                             ("attendance", item.attendance)):
            out.append(f"  {label + ':':<12}{', '.join(paths) if paths else 'none'}")
        out.append(f"  next:       lmsgen erase {item.person}   (a dry run; add --apply to erase them from the "
                   f"tree and the history)")
    people = f"{len(found)} {'person' if len(found) == 1 else 'people'}"
    out.append("")
    out.append(f"{people} kept beyond retention as of {as_of.isoformat()} ({kept})")
    return "\n".join(out) + "\n"
