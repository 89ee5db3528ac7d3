"""`lmsgen complete PERSON COURSE`: one completion record, appended to the person's records, on a new branch."""

from __future__ import annotations

import argparse

from ._helper import add_common, run_helper
from .status import as_of_date


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("complete", help="record a completion for a person, on a new branch ready for a "
                                                  "pull request")
    parser.add_argument("person", metavar="PERSON", help="who completed the course")
    parser.add_argument("course", metavar="COURSE", help="the course id")
    parser.add_argument("--date", type=as_of_date, default=None, metavar="D",
                        help="when it was completed (default: today)")
    parser.add_argument("--by", metavar="P", help="who records it (default: the person themself)")
    parser.add_argument("--score", type=float, metavar="N", help="the score, 0 to 100")
    parser.add_argument("--evidence", metavar="URL", help="a link to a certificate or other evidence")
    parser.add_argument("--checklist", action="append", metavar="ITEM,ITEM",
                        help="the checklist items ticked, by name (comma-separated or repeated); the course's "
                             "other items are written false")
    add_common(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..history import helpers

    return run_helper(args, "complete", lambda ws: helpers.complete(
        ws, args.person, args.course, on=args.date, by=args.by, score=args.score,
        evidence=args.evidence, checklist=_items(args.checklist)))


def _items(given: list[str] | None) -> list[str] | None:
    """The item names of repeated or comma-separated `--checklist` options (None: no option)."""
    if given is None:
        return None
    return [item.strip() for value in given for item in value.split(",") if item.strip()]
