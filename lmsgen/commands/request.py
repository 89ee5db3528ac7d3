"""`lmsgen request PERSON COURSE`: a request for a course, with its approval slips, on a new branch."""

from __future__ import annotations

import argparse

from ._helper import add_common, run_helper


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("request", help="request a course for a person, on a new branch ready for a "
                                                 "pull request")
    parser.add_argument("person", metavar="PERSON", help="who attends")
    parser.add_argument("course", metavar="COURSE", help="the course id")
    parser.add_argument("--session", metavar="S", help="the session id, for a course with sessions")
    parser.add_argument("--reason", metavar="R", default="", help="why, for the approvers")
    add_common(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..history import helpers

    return run_helper(args, "request", lambda ws: helpers.request(
        ws, args.person, args.course, session=args.session, reason=args.reason))
