"""`lmsgen attend COURSE SESSION PERSON...`: the trainer's attendance list, on a new branch."""

from __future__ import annotations

import argparse

from ._helper import add_common, run_helper


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("attend", help="mark who attended a session, on a new branch ready for a "
                                                "pull request")
    parser.add_argument("course", metavar="COURSE", help="the course id")
    parser.add_argument("session", metavar="SESSION", help="the session id")
    parser.add_argument("people", nargs="+", metavar="PERSON", help="who attended")
    add_common(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..history import helpers

    return run_helper(args, "attend", lambda ws: helpers.attend(ws, args.course, args.session, args.people))
