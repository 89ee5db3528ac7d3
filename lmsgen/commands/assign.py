"""`lmsgen assign TEAM (PERSON|all) COURSE`: a manager's assignment, on a new branch."""

from __future__ import annotations

import argparse

from ._helper import add_common, run_helper
from .status import as_of_date


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("assign", help="assign a course to a person (or all) of a team, on a new branch "
                                                "ready for a pull request")
    parser.add_argument("team", metavar="TEAM", help="the team whose assignment file gets the line")
    parser.add_argument("person", metavar="PERSON", help="a person of the team, or 'all'")
    parser.add_argument("course", metavar="COURSE", help="the course id, or program:<id> for a learning path")
    parser.add_argument("--due", type=as_of_date, default=None, metavar="D", help="the due date (default: none)")
    add_common(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..history import helpers

    return run_helper(args, "assign", lambda ws: helpers.assign(ws, args.team, args.person, args.course,
                                                                 due=args.due))
